"""Importing this module registers every command on the typer app (one module each)."""

from trustgraph.cli import version_cmd  # noqa: F401
