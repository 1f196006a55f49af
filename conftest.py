"""Collection rules for the whole checkout (the doctests of trustgraph/ and tests/).

Modules that exist only to serve an optional extra import it at module level; without the
extra, their doctest collection is reported as skipped with the reason, not as an error, so
the README's test command passes on an install with no extras.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

#: Module file name -> (import name, extra that installs it).
OPTIONAL_MODULES = {
    "_numba_kernels.py": ("numba", "fast"),
}


class MissingExtra(pytest.File):
    """Stands in for a module whose optional dependency is not installed."""

    reason = ""

    def collect(self):
        pytest.skip(self.reason)


def _missing_extra(path: Path) -> str | None:
    needed = OPTIONAL_MODULES.get(path.name)
    if needed is None or importlib.util.find_spec(needed[0]) is not None:
        return None
    module, extra = needed
    return f"{path.name} needs {module} (extra [{extra}]), which is not installed"


@pytest.hookimpl(hookwrapper=True)
def pytest_collect_file(file_path: Path, parent):
    outcome = yield
    reason = _missing_extra(file_path)
    if reason is not None:
        stand_in = MissingExtra.from_parent(parent, path=file_path)
        stand_in.reason = reason
        outcome.force_result([stand_in])
