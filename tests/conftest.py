"""Shared pytest fixtures for the whole test suite (keep this file small)."""

from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """One local Spark session (``local[2]``) for every Spark test of a test process.

    Start-up is the expensive part of a Spark test. Skips where pyspark or Java is missing.
    On tiny data the JVM's quick compiler alone beats waiting for its optimising one, and
    adaptive planning does not pay.
    """
    pytest.importorskip("pyspark", reason="the Spark backend needs pyspark (extra [spark])")
    if shutil.which("java") is None:
        pytest.skip("the Spark backend needs a Java runtime (java not on PATH)")
    from trustgraph.backends.spark import local_session

    session = local_session(
        "local[2]",
        shuffle_partitions=2,
        log_level="ERROR",
        config={
            "spark.sql.adaptive.enabled": "false",
            "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
        },
    )
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("checkpoints")))
    yield session
    session.stop()
