"""The package keeps the house rules of docs/design.md (checked by trustgraph.tools)."""

from __future__ import annotations

from pathlib import Path

from trustgraph.tools.check_layers import check

ROOT = Path(__file__).resolve().parents[1]


def test_no_cycle_no_upward_import_no_hidden_import_no_oversized_code():
    findings = check(ROOT)
    assert not findings, "house rules broken:\n" + "\n".join(map(str, findings))
