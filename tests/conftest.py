"""Shared pytest fixtures for the whole test suite (keep this file small)."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The public datasets live beside the project, never inside it (see docs/data.md).
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ``../shared/data``; skips the test when the folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public datasets not available: {SHARED_DATA} does not exist")
    return SHARED_DATA
