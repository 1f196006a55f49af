"""Held-out sets 2 to 18 (issue 15): fixtures collected after the readers were last fixed.

Each set's README (tests/fixtures/heldoutN/README.md) lists every equivalent with the values
its source project asserts, fixed before the set's one run, and records that run's result per
row and the overall rate (a measurement: the 95% bar is recorded there, not asserted here).
This test asserts what must hold whatever the rate: no row prints a traceback, every refusal is
one ``trustgraph: error:`` line with exit code 1, the rows recorded as agreeing still agree,
and each set comes from projects that no earlier set names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_foreign_fixtures import check_row, read_table, run_inspect

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

#: Each set: its smallest size and fewest formats; sets 11 and 12, 13 and 14, 15 and 16, 17 and
#: 18 were each collected at the same time from disjoint sources: neither of a pair is first.
_SIZES = {4: (30, 6), 5: (30, 7), 6: (40, 6), 7: (40, 7), 8: (40, 7), 9: (40, 7), 10: (40, 7)}
_SIZES |= {11: (40, 7), 12: (40, 7), 13: (40, 7), 14: (40, 7), 15: (40, 7), 16: (40, 7)}
_SIZES |= {17: (40, 7), 18: (40, 8)}
#: The first set number that set n does not follow (sets 2 to that number - 1 came before it).
_BEFORE = {n: {12: 11, 14: 13, 16: 15, 18: 17}.get(n, n) for n in _SIZES}
SETS = {
    "heldout2": (25, 5, ("foreign", "heldout", "whatsapp")),
    "heldout3": (20, 4, ("foreign", "heldout", "heldout2", "whatsapp")),
    **{
        f"heldout{n}": (
            least,
            formats,
            ("foreign", "heldout", *(f"heldout{k}" for k in range(2, _BEFORE[n])), "whatsapp"),
        )
        for n, (least, formats) in _SIZES.items()
    },
}
TABLES = {name: read_table(FIXTURES / name / "README.md") for name in SETS}
ROWS = [(name, row) for name, table in TABLES.items() for row in table]
AGREED = [(name, row) for name, row in ROWS if row["result"].startswith("agree")]


def _ids(rows):
    return [f"{name}/{row['fixture']}" for name, row in rows]


@pytest.mark.parametrize("name", list(SETS))
def test_the_set_is_listed_whole_and_comes_from_new_projects(name):
    least_rows, least_formats, before = SETS[name]
    folder, table = FIXTURES / name, TABLES[name]
    assert len(table) >= least_rows
    assert len({row["format"].split(" (")[0] for row in table}) >= least_formats
    assert {row["fixture"] for row in table} == {p.name for p in folder.iterdir()} - {"README.md"}
    earlier = "".join(
        (FIXTURES / other / "README.md").read_text(encoding="utf-8") for other in before
    )
    for row in table:
        assert row["repository"].split(" ")[0] not in earlier, row["repository"]
        assert len(row["commit"]) == 40 and row["result"], row


@pytest.mark.parametrize(("name", "row"), ROWS, ids=_ids(ROWS))
def test_no_traceback_and_a_clean_failure(name, row):
    code, out, err = run_inspect(FIXTURES / name / row["fixture"], row["options"])
    assert "Traceback" not in err, err
    if code != 0:
        assert code == 1, code
        assert err.startswith("trustgraph: error: ") and err.count("\n") <= 1, err
    else:
        assert out.lstrip().startswith("[")


@pytest.mark.parametrize(("name", "row"), AGREED, ids=_ids(AGREED))
def test_the_rows_recorded_as_agreeing_still_agree(name, row):
    check_row(FIXTURES / name / row["fixture"], row)


@pytest.mark.parametrize("name", list(SETS))
def test_the_recorded_rate_matches_the_rows(name):
    # The README states the rate in words; it must be the rate of its own result column.
    table = TABLES[name]
    agreed = sum(row["result"].startswith("agree") for row in table)
    text = (FIXTURES / name / "README.md").read_text(encoding="utf-8")
    assert f"**{agreed} of {len(table)} agree" in text
    assert f"({100 * agreed / len(table):.1f}%)" in text
