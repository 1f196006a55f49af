"""Fuzz the contacts, CSV and graph file readers and ``load_inputs`` (issue 16, item 4).

LinkedIn, Google Contacts, vCard, contacts and conversations CSV, edge lists, GraphML,
GEXF, node-link JSON, SNAP ego networks, node labels, ``read_graph`` (also on ``.tgc``
folders) and ``load_inputs``: each returns or raises ``TrustGraphError``, never another
exception (see :mod:`fuzz.readers`). ``pytest -m fuzz`` runs the nightly size.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .readers import NIGHTLY, QUICK, pairs, run

PAIRS = pairs(exports=False)


@pytest.mark.parametrize(("reader", "strategy"), PAIRS)
def test_quick(reader: str, strategy: str, fuzz_workdir: Path) -> None:
    """A few derandomised examples of every strategy against every reader."""
    run(reader, strategy, fuzz_workdir, QUICK)


@pytest.mark.fuzz
@pytest.mark.parametrize(("reader", "strategy"), PAIRS)
def test_nightly(reader: str, strategy: str, fuzz_workdir: Path) -> None:
    """The nightly size (``pytest -m fuzz``): 2,000 fresh examples per pair."""
    run(reader, strategy, fuzz_workdir, NIGHTLY)
