"""Shared argument aliases and helpers for commands that read user inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["FormatForceOption", "InputsArgument", "progress_console"]

InputsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Input files, export folders or archives: graph files, contacts.csv, "
        "conversations.csv or personal-data exports.",
        show_default=False,
    ),
]
FormatForceOption = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        help="Force the input format instead of detecting it (e.g. edgelist, graphml, "
        "contacts-csv, conversations-csv).",
    ),
]


def progress_console() -> Console | None:
    """A stderr console for progress, only when stderr is a terminal (never in pipes/CI)."""
    console = Console(stderr=True)
    return console if console.is_terminal else None
