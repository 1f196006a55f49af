"""Project-level promises: the README's two commands, CI running the same test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, flags=re.S)


def test_quickstart_has_exactly_two_commands():
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("trustgraph report")
    assert commands[1].endswith("pytest")


def test_ci_runs_the_readme_test_command_first():
    """The first install CI performs is the README's test command, character for character."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    installs = [line for line in ci.splitlines() if "pip install" in line]
    assert installs[0] == quickstart_commands()[1]
    assert "[test]" in installs[0] and "fast" not in installs[0]


def test_optional_modules_skip_their_doctests_with_a_reason(tmp_path):
    """Without numba the kernels module is skipped at collection, never an error."""
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("numba") is not None:
        import pytest

        pytest.skip("numba is installed here: the skip applies only to installs without it")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "-rs",
            "-q",
            "trustgraph/core/_numba_kernels.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    # Exit status 5 is pytest's "nothing ran": the one module collected was skipped.
    assert result.returncode == 5, result.stdout[-2000:] + result.stderr[-2000:]
    assert "1 skipped" in result.stdout and "error" not in result.stdout.lower()
    assert "needs numba (extra [fast])" in result.stdout


def test_one_version_string():
    import trustgraph

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r"^version\s*=", pyproject, flags=re.M)
    hits = [
        p
        for p in (ROOT / "trustgraph").rglob("*.py")
        if re.search(r"^__version__\s*=", p.read_text(encoding="utf-8"), flags=re.M)
    ]
    assert [p.name for p in hits] == ["_version.py"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", trustgraph.__version__)


def test_no_shared_dataset_file_is_committed():
    names = {
        "out.advogato",
        "soc-sign-bitcoinotc.csv.gz",
        "CollegeMsg.txt",
        "facebook.tar.gz",
        "email-Eu-core.txt.gz",
    }
    assert not [p for p in ROOT.rglob("*") if p.name in names and ".venv" not in p.parts]


def test_public_api_is_complete_and_light():
    import subprocess
    import sys

    import trustgraph

    missing = [name for name in trustgraph.__all__ if not hasattr(trustgraph, name)]
    assert not missing
    heavy = (
        "('matplotlib', 'numba', 'pyspark', 'pyarrow', 'networkx', 'scipy', "
        "'trustgraph.analysis.evaluation', 'trustgraph.algorithms')"
    )
    code = f"import sys, trustgraph; print(sorted(m for m in {heavy} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    # Public names load on first use (PEP 562): the bare import pulls in none of these.
    assert result.stdout.strip() == "[]"
    used = "import sys, trustgraph; trustgraph.pagerank; print('networkx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", used], capture_output=True, text=True)
    assert result.stdout.strip() == "True"
    assert set(trustgraph.__all__) <= set(dir(trustgraph))


def test_version_is_answered_before_the_commands_are_imported():
    import subprocess
    import sys

    code = (
        "import sys; from trustgraph.cli.app import main; main(['--version']); "
        "print(sorted(m for m in sys.modules if m.startswith('trustgraph.cli.') "
        "and m.endswith('_cmd')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("trustgraph ") and lines[1] == "[]"
