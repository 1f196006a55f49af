"""Fixtures of the reader fuzz tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def fuzz_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder under pytest's temporary root; each example writes into a fresh subfolder
    and removes it."""
    return tmp_path_factory.mktemp("fuzz")
