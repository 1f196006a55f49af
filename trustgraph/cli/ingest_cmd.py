"""``trustgraph ingest``: build one weighted graph from any mix of inputs and save it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trustgraph.cli.common import pseudonymizer_for
from trustgraph.cli.errors import fail, warn
from trustgraph.cli.inputs import (
    DateFormatOption,
    IdentitiesOption,
    IncludeBulkOption,
    InputsArgument,
    NameMergeOption,
    RegionOption,
    SourceFormatOption,
    TimezoneOption,
    input_warnings,
    reader_options,
)
from trustgraph.cli.options import (
    AnonymizeKeyOption,
    AnonymizeOption,
    ForceOption,
    MeOption,
    QuietOption,
)
from trustgraph.cli.progress import progress_console, read_progress
from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import GraphError
from trustgraph.ingest.atomic import check_writable
from trustgraph.ingest.escape import printable_text, terminal_text
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.pseudonym import anonymize_graph
from trustgraph.ingest.writers import write_graph

__all__ = ["ingest"]

GraphOutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Graph file to write; the format follows the extension (.graphml, .gexf, "
        ".json, .csv, .tsv, or .tgc: a memory-mapped folder for large graphs).",
    ),
]


def ingest(
    paths: InputsArgument = None,
    output: GraphOutputOption = None,
    me: MeOption = None,  # type: ignore[assignment]
    input_format: SourceFormatOption = None,
    date_format: DateFormatOption = None,
    include_bulk: IncludeBulkOption = False,
    tz: TimezoneOption = None,
    identities: IdentitiesOption = None,
    name_merge: NameMergeOption = True,
    region: RegionOption = None,
    force: ForceOption = False,
    anonymize: AnonymizeOption = False,
    anonymize_key: AnonymizeKeyOption = None,
    quiet: QuietOption = False,
) -> None:
    """Read contacts, conversations, exports or a graph file and write one weighted graph.

    With --anonymize every node id, name and other text attribute (companies, titles,
    file and group names) is replaced by its keyed pseudonym before anything is written.
    """
    if not paths:
        raise fail("give at least one input file, export folder or archive", code=2)
    if output is None:
        raise fail("name the graph file to write with -o/--output", code=2)
    if output.suffix.lower() != ".tgc":  # refused now, not after minutes of reading
        check_writable(output, overwrite=force)
    pseudonymizer = pseudonymizer_for(anonymize, anonymize_key)
    options = reader_options(date_format, include_bulk, tz)
    with read_progress(quiet=quiet) as progress:
        loaded = load_inputs(
            paths,
            me=me or (),
            format=input_format,
            options=options,
            # Every graph file is written from the compact graph: a .tgc folder straight
            # from the CSR arrays, edge lists and GraphML streamed from them in blocks (the
            # same bytes as through networkx); other formats convert once, at the writer.
            compact=True,
            progress=progress,
            identities=identities,
            name_merge=name_merge,
            region=region,
        )
    for line in input_warnings(loaded):
        warn(line)
    G = loaded.graph
    if pseudonymizer is not None:
        G = anonymize_graph(G, pseudonymizer)
    console = progress_console()
    try:
        if console is not None and not quiet:
            # Writing has no byte count to show before it is done: a spinner says it works.
            with console.status(f"writing {terminal_text(output.name)}…"):
                written = write_graph(G, output, overwrite=force)
        else:
            written = write_graph(G, output, overwrite=force)
    except GraphError as exc:
        # A weight no file can keep (NaN) came from the input: name it, not the output.
        source = paths[0] if len(paths) == 1 else output
        raise fail(f"{source}: {exc}") from None
    if not quiet:
        if isinstance(G, CompactGraph):
            n_nodes, n_edges = G.n_nodes, G.n_edges
        else:
            n_nodes, n_edges = G.number_of_nodes(), G.number_of_edges()
        typer.echo(
            f"wrote {printable_text(written)}: {n_nodes:,} nodes, {n_edges:,} edges", err=True
        )
