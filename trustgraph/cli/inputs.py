"""Shared argument aliases and helpers for commands that read user inputs.

Warnings and progress bars live in :mod:`trustgraph.cli.errors` and
:mod:`trustgraph.cli.progress`.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from trustgraph.ingest.load import LoadedInputs

__all__ = [
    "DateFormatOption",
    "IdentitiesOption",
    "IncludeBulkOption",
    "InputFormatOption",
    "InputsArgument",
    "NameMergeOption",
    "RegionOption",
    "SourceFormatOption",
    "TimezoneOption",
    "input_warnings",
    "reader_options",
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
RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="Country of phone numbers written without their country code (ISO code such "
        "as GB, DE, IN); default: the country of your own number in --me, else US. "
        "Numbers that cannot be placed are kept as written and counted.",
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
