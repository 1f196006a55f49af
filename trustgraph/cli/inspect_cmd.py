"""``trustgraph inspect``: what each input holds, without writing anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from trustgraph.cli.app import app, fail
from trustgraph.cli.inputs import (
    DateFormatOption,
    IncludeBulkOption,
    InputsArgument,
    SourceFormatOption,
    TimezoneOption,
    read_progress,
    reader_options,
)
from trustgraph.cli.options import MeOption, QuietOption
from trustgraph.exceptions import TrustGraphError
from trustgraph.ingest.detect import inspect_graph
from trustgraph.ingest.load import (
    ReadProgress,
    check_reader_options,
    detect_source,
    read_records,
)
from trustgraph.ingest.records import ReadReport


def inspect_path(
    path: Path,
    kind: str,
    me: list[str],
    options: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> list[ReadReport]:
    """Read `path` fully (validating it) and return what each file yielded."""
    try:
        return read_records(path, me=me, source=kind, options=options, progress=progress).reports
    except TrustGraphError as exc:
        if "is a graph file" not in str(exc):
            raise
    return [inspect_graph(path, format=kind)]


@app.command("inspect")
def inspect(
    paths: InputsArgument = None,
    input_format: SourceFormatOption = None,
    me: MeOption = None,  # type: ignore[assignment]
    date_format: DateFormatOption = None,
    include_bulk: IncludeBulkOption = False,
    tz: TimezoneOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    quiet: QuietOption = False,
) -> None:
    """Detect each input's format and print what it holds: records parsed, lines skipped
    and why, date range. Writes nothing. Exits 1 when an input yields no records."""
    if not paths:
        raise fail("give at least one file, export folder or archive to inspect", code=2)
    options = reader_options(date_format, include_bulk, tz)
    kinds = [input_format or detect_source(path) for path in paths]
    check_reader_options(kinds, options)
    reports: list[ReadReport] = []
    with read_progress(quiet=quiet) as progress:
        tracker = ReadProgress(paths, progress) if progress is not None else None
        for index, (path, kind) in enumerate(zip(paths, kinds)):
            within = tracker.start(index) if tracker is not None else None
            found = inspect_path(path, kind, me or [], options, within)
            if tracker is not None:
                tracker.finish(index)
            for report in found:
                if report.total_records == 0:
                    raise fail(
                        f"{report.path}: recognised as {report.format}, but 0 records parsed"
                    )
            reports.extend(found)
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in reports], indent=2))
        return
    console = Console()
    for report in reports:
        table = Table(title=f"{report.path} ({report.format})", show_header=False)
        table.add_column("what")
        table.add_column("value")
        if report.variant:
            table.add_row("variant", report.variant)
        for kind, count in report.records.items():
            table.add_row(kind, f"{count:,}")
        for reason, count in report.skipped.items():
            table.add_row(f"skipped: {reason}", f"{count:,}")
        if report.first_seen:
            table.add_row(
                "date range", f"{report.first_seen:%Y-%m-%d} to {report.last_seen:%Y-%m-%d}"
            )
        for note in report.notes:
            table.add_row("note", note)
        console.print(table)
