"""Importing this module registers every command on the typer app (one module each)."""

from trustgraph.cli import (
    evaluate_cmd,  # noqa: F401
    explain_cmd,  # noqa: F401
    fairness_cmd,  # noqa: F401
    ingest_cmd,  # noqa: F401
    inspect_cmd,  # noqa: F401
    plot_cmd,  # noqa: F401
    rank,  # noqa: F401
    report_cmd,  # noqa: F401
    trust_cmd,  # noqa: F401
    version_cmd,  # noqa: F401
)
