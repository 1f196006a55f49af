"""``trustgraph version``: print the version (same as ``--version``)."""

from __future__ import annotations

import typer

from trustgraph._version import __version__


def version() -> None:
    """Print the trustgraph version."""
    typer.echo(f"trustgraph {__version__}")
