"""The ``trustgraph`` command: a thin typer layer over the library.

Every command parses its arguments, calls the library, renders the result and returns an
exit code. Library errors become one line on stderr and exit code 1; usage errors exit 2.

This module creates the typer app and registers every command from one table,
:data:`COMMANDS`: the command's name, the module and function that implement it, and the
line ``trustgraph --help`` shows for it. Command modules define plain typer-annotated
functions and never import this module. A command's module, and the library behind it, is
imported when that command runs or shows its own help, so ``trustgraph --help`` and
``trustgraph --version`` answer without loading numpy, networkx or scipy's algorithms.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from trustgraph._version import __version__
from trustgraph.cli.errors import error_message, fail, report_error
from trustgraph.exceptions import TrustGraphError

__all__ = ["COMMANDS", "Command", "app", "error_message", "fail", "load_command", "main", "run"]

#: Help option names of every command (``-h`` as well as ``--help``).
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@dataclass(frozen=True)
class Command:
    """One command of the ``trustgraph`` app.

    Attributes
    ----------
    name : str
        What the user types: ``trustgraph NAME``.
    module, function : str
        Where the typer-annotated function that implements it lives.
    summary : str
        The one line ``trustgraph --help`` shows (the function's docstring is the
        command's own ``--help``).
    """

    name: str
    module: str
    function: str
    summary: str


def _command(name: str, summary: str, module: str | None = None) -> Command:
    return Command(name, f"trustgraph.cli.{module or name + '_cmd'}", name, summary)


#: Every command, in the order ``trustgraph --help`` lists them: the main job first.
COMMANDS: tuple[Command, ...] = (
    _command("report", "Analyse your network and write the report."),
    _command("ingest", "Read contacts, conversations, exports or a graph file; write one graph."),
    _command("inspect", "Detect each input's format and print what it holds; writes nothing."),
    _command("rank", "Rank the nodes of GRAPH by the trust from the --trusted nodes.", "rank"),
    _command("trust", "Trust of the --from node in the --to node (or in every node)."),
    _command("explain", "Explain the personalized PageRank of --target from --trusted nodes."),
    _command("fairness", "Fairness and goodness of every node of a signed rating graph."),
    _command("plot", "Draw one figure of your network to a PNG (same input, same bytes)."),
    _command("evaluate", "Run an evaluation protocol and print methods x metrics."),
    _command("version", "Print the trustgraph version."),
)
_BY_NAME = {command.name: command for command in COMMANDS}


@cache
def load_command(command: Command) -> TyperCommand:
    """Import `command`'s module and build its typer command (once per process)."""
    function = getattr(importlib.import_module(command.module), command.function)
    single = typer.Typer(add_completion=False, context_settings=CONTEXT_SETTINGS)
    single.command(command.name, short_help=command.summary)(function)
    built = typer.main.get_command(single)
    assert isinstance(built, TyperCommand)
    return built


class _Commands(TyperGroup):
    """The root group: lists :data:`COMMANDS`, loads a command only when it is used.

    While the root's help is drawn, each command is a placeholder holding its summary, so
    listing them imports nothing.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        # The placeholders also feed typer's "did you mean" for a mistyped command.
        self.commands = {c.name: TyperCommand(c.name, short_help=c.summary) for c in COMMANDS}
        self._listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> TyperCommand | None:
        command = _BY_NAME.get(cmd_name)
        if command is None:
            return None
        return self.commands[cmd_name] if self._listing else load_command(command)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="trustgraph",
    cls=_Commands,
    help="Who do I really trust, and how far does that trust reach?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT_SETTINGS,
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


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app, turning user errors into one line."""
    try:
        app(args=argv, prog_name="trustgraph", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except (TrustGraphError, OSError) as exc:
        # OSError: disk full, permission denied on an output folder...: the user's to fix.
        return report_error(exc)
    return 0


def _register_commands() -> None:
    """Load every command now (they otherwise load on use); kept for older callers."""
    for command in COMMANDS:
        load_command(command)


def run() -> None:
    sys.exit(main())
