"""Fixtures that mirror other projects' test files, read through ``trustgraph inspect --json``.

The table in tests/fixtures/foreign/README.md is the single source of the expected values:
each row that names a fixture gives the message count, the participants and the first date
its source project's own test asserts (see the README for where trustgraph counts
differently). Parsing the table here means table and test cannot drift apart.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from trustgraph.cli.app import main

FOREIGN = Path(__file__).resolve().parents[1] / "fixtures" / "foreign"


def _table() -> list[dict[str, str]]:
    lines = (FOREIGN / "README.md").read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = []
    for line in rows[2:]:  # after the header and its --- line
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == len(header), line
        table.append(dict(zip(header, cells)))
    return table


TABLE = _table()
MIRRORED = [row for row in TABLE if row["fixture"] != "—"]


def test_the_table_covers_fifty_files_in_eight_formats():
    assert len(TABLE) >= 50
    assert len({row["format"].split(" (")[0] for row in TABLE}) >= 8
    for row in TABLE:
        assert len(row["commit"]) == 40 and row["repository"].count("/") == 1, row
        assert row["licence"], row


def _inspect(path: Path) -> list[dict]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["inspect", "--json", str(path)])  # no --me: inspect must not need it
    assert code == 0, err.getvalue()
    assert "Traceback" not in err.getvalue()
    return json.loads(out.getvalue())


@pytest.mark.parametrize("row", MIRRORED, ids=[row["fixture"] for row in MIRRORED])
def test_mirrored_fixture_reads_with_the_asserted_counts(row):
    path = FOREIGN / row["fixture"]
    assert path.exists(), f"{row['fixture']} is named in the README but missing"
    (report,) = _inspect(path)
    records = report["records"]
    assert records.get("messages", 0) == int(row["messages"])
    participants = records.get("participants", records.get("contacts"))
    assert participants == int(row["participants"])
    assert report["first_seen"][:10] == row["first_date"]


def test_every_fixture_file_is_in_the_table():
    named = {row["fixture"] for row in MIRRORED}
    present = {p.name for p in FOREIGN.iterdir() if p.name != "README.md"}
    assert present == named
