"""How a command fails: one line on stderr and an exit code (1 for errors, 2 for usage).

Kept apart from the other helpers because :mod:`trustgraph.cli.app` needs it before any
command is loaded: it imports nothing heavier than the escaping of text.
"""

from __future__ import annotations

import typer

from trustgraph.ingest.atomic import OutputExistsError
from trustgraph.ingest.escape import printable_text

__all__ = ["error_message", "fail", "report_error", "warn"]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise.

    Control characters (a name's ESC sequence, a line break in a file name) are shown as
    escapes, so the message stays one line and the terminal is never driven by data.
    """
    typer.echo(f"trustgraph: error: {printable_text(message)}", err=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    """One warning line on stderr (control characters shown as escapes); exit code unchanged."""
    typer.echo(f"trustgraph: warning: {printable_text(message)}", err=True)


def error_message(exc: BaseException) -> str:
    """The one-line CLI wording of a library or OS error.

    The library says ``overwrite=True``; the command line says ``--force``. An OS error
    names its file first, as every other error does.

    Examples
    --------
    >>> error_message(OutputExistsError("already exists; pass overwrite=True", path="g.csv"))
    'g.csv: already exists; add --force to replace it'
    >>> error_message(PermissionError(13, "Permission denied", "out/g.csv"))
    'out/g.csv: Permission denied'
    """
    if isinstance(exc, OutputExistsError):
        return f"{exc.path}: already exists; add --force to replace it"
    if isinstance(exc, OSError) and exc.strerror and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def report_error(exc: BaseException) -> int:
    """Print a library or OS error as one line on stderr and return its exit code, 1."""
    typer.echo(f"trustgraph: error: {printable_text(error_message(exc))}", err=True)
    return 1
