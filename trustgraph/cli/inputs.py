"""Shared argument aliases and helpers for commands that read user inputs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from trustgraph.ingest.escape import printable_text
from trustgraph.ingest.load import LoadedInputs, ProgressCallback

__all__ = [
    "DateFormatOption",
    "IdentitiesOption",
    "IncludeBulkOption",
    "InputFormatOption",
    "InputsArgument",
    "NameMergeOption",
    "SourceFormatOption",
    "TimezoneOption",
    "input_warnings",
    "job_progress",
    "progress_console",
    "read_progress",
    "reader_options",
    "warn",
]

InputsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Input files, export folders or archives: graph files, contacts.csv, "
        "conversations.csv or personal-data exports; a folder is searched for every "
        "export it holds.",
        show_default=False,
    ),
]
IdentitiesOption = Annotated[
    Path | None,
    typer.Option(
        "--identities",
        help="A file saying who is who: one person a row, their e-mail addresses, phone "
        "numbers, profile URLs or names in its cells (CSV), or a vCard file; each row "
        "becomes one person.",
        show_default=False,
    ),
]
NameMergeOption = Annotated[
    bool,
    typer.Option(
        "--name-merge/--no-name-merge",
        help="Merge people of different sources who share a full name and no conflicting "
        "identifier (each merge is listed); --no-name-merge only lists them as probably "
        "the same person.",
    ),
]

_FORMAT_HELP = (
    "Force the input format instead of detecting it (e.g. edgelist, graphml, contacts-csv, "
    "conversations-csv, linkedin, mbox, whatsapp, telegram, slack, messenger, twitter)."
)
#: For commands whose --format is free (inspect, ingest): the input format.
SourceFormatOption = Annotated[
    str | None, typer.Option("--format", "--input-format", help=_FORMAT_HELP)
]
#: For commands whose --format names the output (report).
InputFormatOption = Annotated[str | None, typer.Option("--input-format", help=_FORMAT_HELP)]


class DateOrder(str, Enum):
    dmy = "dmy"
    mdy = "mdy"
    ymd = "ymd"


DateFormatOption = Annotated[
    DateOrder | None,
    typer.Option(
        "--date-format",
        help="Date order of WhatsApp chats when the file cannot tell (all days <= 12).",
    ),
]
IncludeBulkOption = Annotated[
    bool,
    typer.Option(
        "--include-bulk",
        help="Keep newsletters and other bulk mail as flagged broadcaster messages "
        "(excluded and counted by default).",
    ),
]
TimezoneOption = Annotated[
    str | None,
    typer.Option(
        "--tz",
        help="Time zone of exports with local times (WhatsApp, old Telegram), e.g. "
        "Europe/Paris (default UTC).",
    ),
]


def reader_options(
    date_format: DateOrder | None, include_bulk: bool, tz: str | None
) -> dict[str, Any]:
    """Reader options from the CLI flags; unset flags are left out."""
    options: dict[str, Any] = {}
    if date_format is not None:
        options["date_format"] = date_format.value
    if include_bulk:
        options["include_bulk"] = True
    if tz is not None:
        options["tz"] = tz
    return options


def warn(message: str) -> None:
    """One warning line on stderr (control characters shown as escapes); exit code unchanged."""
    typer.echo(f"trustgraph: warning: {printable_text(message)}", err=True)


def input_warnings(loaded: LoadedInputs) -> list[str]:
    """What a user must hear about the inputs, even when the command succeeds.

    An ``--me`` value that matches nothing in the inputs, and an export recognised in a
    folder that could not be read (it was left out, the rest was read).
    """
    lines = [f"--me {value} matches no identifier in the inputs" for value in loaded.unmatched_me]
    lines += [
        f"{item.path}: recognised as {item.format} but not read: {item.reason}"
        for item in loaded.skipped
        if item.format is not None
    ]
    return lines


def progress_console() -> Console | None:
    """A stderr console for progress, only when stderr is a terminal (never in pipes/CI)."""
    console = Console(stderr=True)
    return console if console.is_terminal else None


@contextmanager
def read_progress(
    *, quiet: bool = False, console: Console | None = None
) -> Iterator[ProgressCallback | None]:
    """A byte progress bar on stderr while inputs are read.

    Yields a ``progress(done_bytes, total_bytes, label)`` callback for
    :func:`~trustgraph.ingest.load.load_inputs` that drives a rich bar (bytes done/total,
    speed, time remaining), or None, so that nothing is drawn, when `quiet` is set or the
    console (stderr by default) is not a terminal: pipes, files and CI logs stay clean.
    """
    with job_progress(quiet=quiet, console=console) as (progress, _):
        yield progress


@contextmanager
def job_progress(
    *, quiet: bool = False, console: Console | None = None
) -> Iterator[tuple[ProgressCallback | None, Callable[[str], None] | None]]:
    """:func:`read_progress` plus a status line for the steps after reading.

    Yields ``(progress, status)``: the byte callback of :func:`read_progress` and
    ``status(text)``, which turns the same line into a spinner with `text` (ranking,
    analysing, drawing...). Both are None when nothing may be drawn.
    """
    console = console if console is not None else Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None, None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("inputs", total=None)

        def update(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        def status(text: str) -> None:
            # total=None makes the bar a pulsing spinner: the step has no byte count.
            bar.update(task, completed=0, total=None, description=text)

        yield update, status
