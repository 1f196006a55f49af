"""Fuzz the chat, social and mail export readers (issue 16, item 4).

WhatsApp, Telegram, Messenger/Instagram, Slack, X, mbox, Maildir, ``read_email`` and the
detecting ``read_export``: each returns or raises ``TrustGraphError``, never another
exception (see :mod:`fuzz.readers`). ``pytest -m fuzz`` runs the nightly size.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .readers import NIGHTLY, QUICK, pairs, run

PAIRS = pairs(exports=True)


@pytest.mark.parametrize(("reader", "strategy"), PAIRS)
def test_quick(reader: str, strategy: str, fuzz_workdir: Path) -> None:
    """A few derandomised examples of every strategy against every reader."""
    run(reader, strategy, fuzz_workdir, QUICK)


@pytest.mark.fuzz
@pytest.mark.parametrize(("reader", "strategy"), PAIRS)
def test_nightly(reader: str, strategy: str, fuzz_workdir: Path) -> None:
    """The nightly size (``pytest -m fuzz``): 2,000 fresh examples per pair."""
    run(reader, strategy, fuzz_workdir, NIGHTLY)
