"""The ``trustgraph`` command: a thin typer layer over the library.

Every command parses its arguments, calls the library, renders the result and returns an
exit code. Library errors become one line on stderr and exit code 1; usage errors exit 2.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from trustgraph._version import __version__
from trustgraph.exceptions import TrustGraphError
from trustgraph.ingest.atomic import OutputExistsError
from trustgraph.ingest.escape import printable_text

app = typer.Typer(
    name="trustgraph",
    help="Who do I really trust, and how far does that trust reach?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"trustgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Who do I really trust, and how far does that trust reach?"""


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise.

    Control characters (a name's ESC sequence, a line break in a file name) are shown as
    escapes, so the message stays one line and the terminal is never driven by data.
    """
    typer.echo(f"trustgraph: error: {printable_text(message)}", err=True)
    return typer.Exit(code)


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


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app, turning user errors into one line."""
    if (sys.argv[1:] if argv is None else list(argv)) == ["--version"]:
        # Answered before the commands (and the library behind them) are imported.
        typer.echo(f"trustgraph {__version__}")
        return 0
    _register_commands()
    try:
        app(args=argv, prog_name="trustgraph", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except (TrustGraphError, OSError) as exc:
        # OSError: disk full, permission denied on an output folder...: the user's to fix.
        typer.echo(f"trustgraph: error: {printable_text(error_message(exc))}", err=True)
        return 1
    return 0


_registered = False


def _register_commands() -> None:
    """Import the command modules (each adds itself to `app`) once."""
    global _registered
    if _registered:
        return
    _registered = True
    from trustgraph.cli import commands  # noqa: F401


def run() -> None:
    sys.exit(main())
