"""``trustgraph ingest``: build one weighted graph from any mix of inputs and save it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trustgraph.cli.app import app, fail
from trustgraph.cli.inputs import (
    DateFormatOption,
    IncludeBulkOption,
    InputsArgument,
    SourceFormatOption,
    TimezoneOption,
    progress_console,
    reader_options,
)
from trustgraph.cli.options import ForceOption, MeOption, QuietOption
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.writers import write_graph


@app.command("ingest")
def ingest(
    paths: InputsArgument = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Graph file to write; the format follows the extension (.graphml, .gexf, "
            ".json, .csv, .tsv).",
        ),
    ] = None,
    me: MeOption = None,  # type: ignore[assignment]
    input_format: SourceFormatOption = None,
    date_format: DateFormatOption = None,
    include_bulk: IncludeBulkOption = False,
    tz: TimezoneOption = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
) -> None:
    """Read contacts, conversations, exports or a graph file and write one weighted graph."""
    if not paths:
        raise fail("give at least one input file, export folder or archive", code=2)
    if output is None:
        raise fail("name the graph file to write with -o/--output", code=2)
    options = reader_options(date_format, include_bulk, tz)
    console = progress_console()
    if console is not None and not quiet:
        with console.status("reading inputs…"):
            loaded = load_inputs(paths, me=me or (), format=input_format, options=options)
    else:
        loaded = load_inputs(paths, me=me or (), format=input_format, options=options)
    written = write_graph(loaded.graph, output, overwrite=force)
    if not quiet:
        G = loaded.graph
        typer.echo(
            f"wrote {written}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges",
            err=True,
        )
