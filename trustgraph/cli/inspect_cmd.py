"""``trustgraph inspect``: what each input holds, without writing anything."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from trustgraph.cli.errors import fail, warn
from trustgraph.cli.inputs import (
    DateFormatOption,
    IncludeBulkOption,
    InputsArgument,
    RegionOption,
    SourceFormatOption,
    TimezoneOption,
    reader_options,
)
from trustgraph.cli.options import MeOption, QuietOption
from trustgraph.cli.progress import read_progress
from trustgraph.exceptions import IngestError, TrustGraphError
from trustgraph.ingest.detect import inspect_graph
from trustgraph.ingest.escape import printable_text
from trustgraph.ingest.load import (
    ReadProgress,
    check_reader_options,
    plan_inputs,
    read_each,
    read_input,
    unmatched_me,
)
from trustgraph.ingest.phones import resolve_region
from trustgraph.ingest.records import ExportData, FoundInput, ReadReport, SkippedInput

__all__ = ["inspect", "inspect_path"]


def inspect_path(
    path: Path,
    kind: str,
    me: list[str],
    options: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> list[ReadReport]:
    """Read `path` fully (validating it) and return what each file yielded."""
    return _inspect(FoundInput(kind, path), me=me, options=options, progress=progress).reports


def _inspect(
    item: FoundInput,
    *,
    me: Sequence[str],
    options: Mapping[str, Any],
    progress: Callable[[int], None] | None = None,
) -> ExportData:
    try:
        return read_input(item, me=me, options=options, progress=progress)
    except TrustGraphError as exc:
        if "is a graph file" not in str(exc):
            raise
    return ExportData(reports=[inspect_graph(item.path, format=item.format)])


def _relative(path: Path, root: Path) -> str:
    try:
        text = os.path.relpath(path, root)
    except ValueError:  # another drive (Windows)
        text = str(path)
    return "." if text == "." else text


def _searched(
    paths: Sequence[Path], planned: Sequence[tuple[int, FoundInput, bool]]
) -> list[tuple[Path, list[FoundInput]]]:
    """The given folders that were searched (not read as one export), with what was found."""
    searched = []
    for index, root in enumerate(paths):
        items = [item for i, item, _ in planned if i == index]
        if root.is_dir() and not (len(items) == 1 and items[0].path == root):
            searched.append((root, items))
    return searched


def _print_search(
    searched: Sequence[tuple[Path, list[FoundInput]]], skipped: Sequence[SkippedInput]
) -> None:
    """One line per export found in each searched folder, then what was not read."""
    for root, items in searched:
        passed = [s for s in skipped if s.path == root or root in s.path.parents]
        typer.echo(
            printable_text(
                f"{root}: {len(items)} export{'s' if len(items) != 1 else ''} found, "
                f"{len(passed)} file{'s' if len(passed) != 1 else ''} not read"
            )
        )
        for item in items:
            typer.echo(printable_text(f"  {item.describe()}: {_relative(item.path, root)}"))
        for entry in passed:
            what = f"recognised as {entry.format} but not read: " if entry.format else ""
            typer.echo(
                printable_text(f"  skipped {_relative(entry.path, root)}: {what}{entry.reason}")
            )


JsonOption = Annotated[
    bool,
    typer.Option(
        "--json",
        help="Print the findings as JSON: a list of per-file reports; for a searched "
        "folder, an object with found, skipped and reports.",
    ),
]


def inspect(
    paths: InputsArgument = None,
    input_format: SourceFormatOption = None,
    me: MeOption = None,  # type: ignore[assignment]
    date_format: DateFormatOption = None,
    include_bulk: IncludeBulkOption = False,
    tz: TimezoneOption = None,
    region: RegionOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Detect each input's format and print what it holds: records parsed, lines skipped
    and why, date range. A folder is searched for every export it holds, and each one
    found is listed with the files nothing reads. Writes nothing. Exits 1 when an input
    yields no records."""
    if not paths:
        raise fail("give at least one file, export folder or archive to inspect", code=2)
    try:
        default_region, _ = resolve_region(region, me or [])
    except ValueError as error:
        raise fail(str(error), code=2) from None
    options = reader_options(date_format, include_bulk, tz)
    planned, skipped = plan_inputs(paths, format=input_format)
    check_reader_options([item.format for _, item, _ in planned], options)
    options = {**options, "default_region": default_region}  # as ingest and report read
    reports, records, failed = _read_planned(paths, planned, skipped, me or [], options, quiet)
    if not reports and failed:
        raise fail(skipped[-1].reason)
    planned = [entry for entry in planned if entry[1] not in failed]
    searched = _searched(paths, planned)
    for value in unmatched_me(
        me or [], records.contacts, records.events, default_region=default_region
    ):
        warn(f"--me {value} matches no identifier in the inputs")
    for entry in skipped:
        if entry.format is not None:
            warn(f"{entry.path}: recognised as {entry.format} but not read: {entry.reason}")
    if as_json:
        document: Any = [r.as_dict() for r in reports]
        if searched:
            document = {
                "found": [item.as_dict() for _, item, _ in planned],
                "skipped": [entry.as_dict() for entry in skipped],
                "reports": document,
            }
        typer.echo(json.dumps(document, indent=2))
        return
    _print_search(searched, skipped)
    _print_reports(reports)


def _read_planned(
    paths: Sequence[Path],
    planned: Sequence[tuple[int, FoundInput, bool]],
    skipped: list[SkippedInput],
    me: list[str],
    options: dict[str, Any],
    quiet: bool,
) -> tuple[list[ReadReport], ExportData, list[FoundInput]]:
    """Read every planned input with one progress bar over the given paths.

    An export found inside a searched folder that fails to read is added to `skipped` and
    returned among the failed ones; an input the user named fails the command.
    """
    reports: list[ReadReport] = []
    records = ExportData()
    failures: list[tuple[FoundInput, IngestError]] = []
    with read_progress(quiet=quiet) as progress:
        tracker = ReadProgress(paths, progress) if progress is not None else None
        for _, found in read_each(
            planned,
            me=me,
            options=options,
            tracker=tracker,
            skipped=skipped,
            read=_inspect,
            failures=failures,
        ):
            for report in found.reports:
                if report.total_records == 0:
                    raise fail(
                        f"{report.path}: recognised as {report.format}, but 0 records parsed"
                    )
            reports.extend(found.reports)
            records.extend(found)
    return reports, records, [item for item, _ in failures]


def _print_reports(reports: Sequence[ReadReport]) -> None:
    """One table per file read: records by kind, skipped lines by reason, date range.

    File names, reasons and notes come from the user's files: each is printed as literal
    text (no rich markup, no emoji, controls made visible), and the file name heads its
    table on a line of its own so that a long path is never wrapped inside a title.
    """
    console = Console(emoji=False, highlight=False)
    for report in reports:
        console.print(Text(printable_text(f"{report.path} ({report.format})"), style="bold"))
        table = Table(show_header=False)
        table.add_column("what")
        table.add_column("value")
        rows: list[tuple[str, str]] = []
        if report.variant:
            rows.append(("variant", report.variant))
        rows += [(kind, f"{count:,}") for kind, count in report.records.items()]
        rows += [(f"skipped: {reason}", f"{count:,}") for reason, count in report.skipped.items()]
        if report.first_seen:
            span = f"{report.first_seen:%Y-%m-%d} to {report.last_seen:%Y-%m-%d}"
            rows.append(("date range", span))
        rows += [("note", note) for note in report.notes]
        for what, value in rows:
            table.add_row(Text(printable_text(what)), Text(printable_text(value)))
        console.print(table)
