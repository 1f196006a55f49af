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
    read_progress,
    reader_options,
)
from trustgraph.cli.options import ForceOption, MeOption, QuietOption
from trustgraph.core.compact import CompactGraph
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
            ".json, .csv, .tsv, or .tgc: a memory-mapped folder for large graphs).",
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
    # A .tgc folder is written straight from the CSR arrays: no networkx graph in between.
    compact = output.suffix.lower() == ".tgc"
    with read_progress(quiet=quiet) as progress:
        loaded = load_inputs(
            paths,
            me=me or (),
            format=input_format,
            options=options,
            compact=compact,
            progress=progress,
        )
    console = progress_console()
    if console is not None and not quiet:
        # Writing has no byte count to show before it is done: a spinner says it is working.
        with console.status(f"writing {output.name}…"):
            written = write_graph(loaded.graph, output, overwrite=force)
    else:
        written = write_graph(loaded.graph, output, overwrite=force)
    if not quiet:
        G = loaded.graph
        if isinstance(G, CompactGraph):
            n_nodes, n_edges = G.n_nodes, G.n_edges
        else:
            n_nodes, n_edges = G.number_of_nodes(), G.number_of_edges()
        typer.echo(f"wrote {written}: {n_nodes:,} nodes, {n_edges:,} edges", err=True)
