"""Fixtures that mirror other projects' test files, read through ``trustgraph inspect --json``.

The table in tests/fixtures/foreign/README.md is the single source of the expected values:
each row that names a fixture gives the message count, the participants and the first date
its source project's own test asserts (see the README for where trustgraph counts
differently), or the error trustgraph must refuse it with. Parsing the table here means table
and test cannot drift apart. The helpers are shared with test_heldout_fixtures.py.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest

from trustgraph.cli.app import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FOREIGN = FIXTURES / "foreign"
GENERATED = "make_exports.py:"


def _cells(line: str) -> list[str]:
    """A Markdown table row's cells; ``\\|`` is a pipe inside a cell, as GitHub reads it."""
    cells = re.split(r"(?<!\\)\|", line.strip().removeprefix("|").removesuffix("|"))
    return [cell.strip().replace("\\|", "|") for cell in cells]


def read_table(readme: Path) -> list[dict[str, str]]:
    """The rows of the one Markdown table in `readme`, as header -> cell dictionaries."""
    lines = readme.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("|")]
    header = _cells(rows[0])
    table = []
    for line in rows[2:]:  # after the header and its --- line
        cells = _cells(line)
        assert len(cells) == len(header), line
        table.append(dict(zip(header, cells)))
    return table


def run_inspect(path: Path, options: str = "") -> tuple[int, str, str]:
    """``trustgraph inspect --json [options] path`` in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["inspect", "--json", *options.split(), str(path)])  # never --me
    return code, out.getvalue(), err.getvalue()


def summary(reports: list[dict]) -> tuple[int, int | None, str | None]:
    """Messages summed over the reports, the first report's participants (else contacts) and
    the UTC date of the earliest ``first_seen``."""
    messages = sum(r["records"].get("messages", 0) for r in reports)
    people = [r["records"].get("participants", r["records"].get("contacts")) for r in reports]
    firsts = [r["first_seen"] for r in reports if r.get("first_seen")]
    participants = next((p for p in people if p is not None), None)
    return messages, participants, (min(firsts)[:10] if firsts else None)


def _cell(row: dict[str, str], name: str) -> str | int | None:
    value = row[name]
    if value == "—":
        return None if name != "messages" else 0
    return int(value) if name != "first_date" and value != "?" else value


def check_row(path: Path, row: dict[str, str]) -> None:
    """Assert that `path` reads as `row` says: its counts, or its one-line refusal. A cell
    ``?`` (the source asserts nothing there) is not checked."""
    code, out, err = run_inspect(path, row.get("options", ""))
    assert "Traceback" not in err, err
    if row.get("error"):
        assert code != 0, out
        assert err.startswith("trustgraph: error: ") and err.count("\n") <= 1, err
        assert row["error"] in err, err
        return
    assert code == 0, err
    names = ("messages", "participants", "first_date")
    got = dict(zip(names, summary(json.loads(out))))
    want = {name: _cell(row, name) for name in names}
    assert {n: got[n] for n in names if want[n] != "?"} == {
        n: want[n] for n in names if want[n] != "?"
    }


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_exports", FOREIGN / "make_exports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TABLE = read_table(FOREIGN / "README.md")
MIRRORED = [row for row in TABLE if row["fixture"] != "—"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    make = _load_generator().make
    for row in MIRRORED:
        if row["fixture"].startswith(GENERATED):
            make(row["fixture"][len(GENERATED) :], folder)
    return folder


def test_the_table_covers_fifty_files_in_eight_formats():
    assert len(TABLE) >= 50
    assert len({row["format"].split(" (")[0] for row in TABLE}) >= 8
    assert len(MIRRORED) >= 45
    for row in TABLE:
        assert len(row["commit"]) == 40 and row["repository"].count("/") == 1, row
        assert row["licence"], row


@pytest.mark.parametrize("row", MIRRORED, ids=[row["fixture"] for row in MIRRORED])
def test_mirrored_fixture_reads_with_the_asserted_counts(row, generated):
    name = row["fixture"]
    if name.startswith(GENERATED):
        path = generated / name[len(GENERATED) :]
    else:
        path = FOREIGN / name
    assert path.exists(), f"{name} is named in the README but missing"
    check_row(path, row)


def test_every_fixture_file_is_in_the_table():
    named = {row["fixture"] for row in MIRRORED if not row["fixture"].startswith(GENERATED)}
    present = {p.name for p in FOREIGN.iterdir()} - {"README.md", "make_exports.py"}
    present.discard("__pycache__")
    assert present == named


def test_the_generator_is_deterministic(tmp_path):
    make = _load_generator().make
    name = "slack-export-viewer_testarchive.zip"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = make(name, tmp_path / "a"), make(name, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
