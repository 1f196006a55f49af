"""``trustgraph report``: the main job. Who is your trusted core, who are strangers?"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trustgraph.cli.common import pseudonymizer_for
from trustgraph.cli.errors import fail, warn
from trustgraph.cli.inputs import (
    DateFormatOption,
    IdentitiesOption,
    InputFormatOption,
    InputsArgument,
    NameMergeOption,
    RegionOption,
    TimezoneOption,
    input_warnings,
    reader_options,
)
from trustgraph.cli.options import (
    AnonymizeKeyOption,
    AnonymizeOption,
    ForceOption,
    MeOption,
    OutputOption,
    QuietOption,
    SeedOption,
)
from trustgraph.cli.progress import job_progress
from trustgraph.report.pipeline import DEFAULT_FOLDER, FORMAT_BY_SUFFIX, ReportJob, run_report


class ReportFormat(str, Enum):
    terminal = "terminal"
    markdown = "markdown"
    html = "html"
    json = "json"
    csv = "csv"


def _file_format(output: Path, fmt: ReportFormat | None) -> str:
    """The format of ``-o FILE``: the one named, else the file's extension."""
    if fmt is not None and fmt is not ReportFormat.terminal:
        return fmt.value
    by_suffix = FORMAT_BY_SUFFIX.get(output.suffix.lower())
    if by_suffix is None:
        known = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise fail(f"{output}: cannot tell the report format from its extension (use {known})")
    return by_suffix


def report(
    paths: InputsArgument = None,
    me: MeOption = None,  # type: ignore[assignment]
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            help="terminal (rich tables), markdown, html, json or csv (one row per contact). "
            "With -o, taken from the file's extension unless given.",
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    anonymize: AnonymizeOption = False,
    anonymize_key: AnonymizeKeyOption = None,
    damping: Annotated[
        float, typer.Option("--damping", help="Probability of following an edge, in [0, 1).")
    ] = 0.85,
    folder: Annotated[
        Path,
        typer.Option(
            "--folder",
            help="Report folder regenerated on every run when no -o is given.",
        ),
    ] = Path(DEFAULT_FOLDER),
    stale_days: Annotated[
        float,
        typer.Option("--stale-days", help="Core ties silent for longer than this are stale."),
    ] = 180.0,
    seed: SeedOption = 0,
    input_format: InputFormatOption = None,
    date_format: DateFormatOption = None,
    include_bulk: Annotated[
        bool,
        typer.Option(
            "--include-bulk/--exclude-bulk",
            help="Keep newsletters and other bulk mail, so their senders are listed as "
            "broadcasters (the report's default), or leave them out, counted.",
        ),
    ] = True,
    identities: IdentitiesOption = None,
    name_merge: NameMergeOption = True,
    region: RegionOption = None,
    tz: TimezoneOption = None,
    quiet: QuietOption = False,
) -> None:
    """Analyse your network and write the report.

    With no PATH, analyses the bundled sample network. A graph file without --me gives a
    whole-network report (statistics, communities, top-ranked nodes); with --me, that
    person's view inside the network. Without -o, prints the chosen format
    (a terminal summary by default) and regenerates the report folder (HTML, Markdown,
    JSON and PNG figures).
    """
    chosen = (
        _file_format(output, fmt) if output is not None else (fmt or ReportFormat.terminal).value
    )
    job = ReportJob(
        paths=list(paths or []),
        me=list(me or []),
        damping=damping,
        anonymize=anonymize,
        pseudonymizer=pseudonymizer_for(anonymize, anonymize_key),
        input_format=input_format,
        stale_days=stale_days,
        seed=seed,
        reader_options=reader_options(date_format, False, tz),
        include_bulk=include_bulk,
        identities=identities,
        name_merge=name_merge,
        region=region,
    )
    with job_progress(quiet=quiet) as (progress, status):
        job.progress = progress
        job.status = status
        result = run_report(job, output=output, fmt=chosen, folder=folder, force=force)
    for line in input_warnings(result.loaded) if result.loaded is not None else ():
        warn(line)
    if chosen == "terminal":
        out = Console()
        for renderable in result.terminal:
            out.print(renderable)
    elif output is None:
        typer.echo(result.text, nl=False)
    if not quiet:
        where = output if output is not None else result.folder
        typer.echo(f"report written to {where}", err=True)
