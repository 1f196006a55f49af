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
    """Print one line on stderr and return the Exit to raise."""
    typer.echo(f"trustgraph: error: {message}", err=True)
    return typer.Exit(code)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app, turning user errors into one line."""
    _register_commands()
    try:
        app(args=argv, prog_name="trustgraph", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except TrustGraphError as exc:
        typer.echo(f"trustgraph: error: {exc}", err=True)
        return 1
    except OSError as exc:
        # Disk full, permission denied on an output folder...: the user's to fix.
        typer.echo(f"trustgraph: error: {exc}", err=True)
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
