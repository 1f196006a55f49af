"""``trustgraph trust``: local trust of one node in others (Appleseed, TidalTrust, MoleTrust,
Advogato)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Hashable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from trustgraph.cli.app import app, fail
from trustgraph.cli.options import ForceOption, OutputOption
from trustgraph.cli.rank import (
    FormatOption,
    GraphArgument,
    OutputFormat,
    WeightOption,
    json_node,
    load_graph,
    naming_the_file,
    ranked,
    resolve_node,
)
from trustgraph.ingest.escape import csv_cell, printable_text


class TrustMethod(str, Enum):
    appleseed = "appleseed"
    tidaltrust = "tidaltrust"
    moletrust = "moletrust"
    advogato = "advogato"


class SignedPolicy(str, Enum):
    error = "error"
    drop = "drop"
    rescale = "rescale"


SignedOption = Annotated[
    SignedPolicy,
    typer.Option(
        "--signed",
        help="Negative (distrust) weights: error, drop them, or rescale [-1, 1] to [0, 1].",
    ),
]


def render_rows(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output_format: OutputFormat,
    title: str,
    output: Path | None,
    force: bool,
) -> None:
    """Render rows as a rich table, JSON records or CSV; to stdout or to `output`."""
    if output_format is OutputFormat.json:
        records = [{name: json_node(value) for name, value in zip(header, row)} for row in rows]
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    elif output_format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([csv_cell(v) for v in row] for row in rows)
        text = buffer.getvalue()
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(printable_text(title)))
        for name, value in zip(header, rows[0] if rows else header):
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            table.add_column(name, justify="right" if numeric else "left")
        for row in rows:
            cells = (f"{v:.6f}" if isinstance(v, float) else printable_text(v) for v in row)
            table.add_row(*(Text(cell) for cell in cells))
        if output is None:
            Console(highlight=False, emoji=False).print(table)
            return
        buffer = io.StringIO()
        Console(file=buffer, highlight=False, width=100, color_system=None).print(table)
        text = buffer.getvalue()
    if output is None:
        typer.echo(text, nl=False)
        return
    from trustgraph.ingest.atomic import atomic_write

    with atomic_write(output, overwrite=force) as handle:
        handle.write(text)


def _scores(
    method: TrustMethod,
    G: Any,
    sources: list[Hashable],
    target: Hashable | None,
    weight: str | None,
    signed: str,
) -> dict[Hashable, float]:
    if method is TrustMethod.appleseed:
        from trustgraph.algorithms.spreading import appleseed

        return appleseed(G, sources[0], weight=weight, signed=signed)
    if method is TrustMethod.moletrust:
        from trustgraph.algorithms.paths import moletrust

        return moletrust(G, sources[0], weight=weight, signed=signed)
    if method is TrustMethod.tidaltrust:
        from trustgraph.algorithms.paths import tidaltrust, tidaltrust_all

        if target is not None:
            return {target: tidaltrust(G, sources[0], target, weight=weight, signed=signed)}
        return tidaltrust_all(G, sources[0], weight=weight, signed=signed)
    from trustgraph.algorithms.flow import advogato

    return advogato(G, sources, weight=weight, signed=signed)


@app.command("trust")
def trust(
    graph: GraphArgument,
    from_: Annotated[
        list[str],
        typer.Option("--from", help="Whose trust: the source (repeatable for advogato's seeds)."),
    ],
    to: Annotated[
        str | None, typer.Option("--to", help="Show only the trust in this node.")
    ] = None,
    method: Annotated[
        TrustMethod, typer.Option("--method", help="Local trust metric.")
    ] = TrustMethod.appleseed,
    output_format: FormatOption = OutputFormat.table,
    weight: WeightOption = "weight",
    signed: SignedOption = SignedPolicy.error,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Trust of the --from node in the --to node (or in every node) by a local metric."""
    if not from_:
        raise fail("give a --from node", code=2)
    if len(from_) > 1 and method is not TrustMethod.advogato:
        raise fail(f"--method {method.value} takes exactly one --from node", code=2)
    G = load_graph(graph)
    sources = [resolve_node(G, text) for text in from_]
    target = None if to is None else resolve_node(G, to)
    if target is not None and target not in G:
        from trustgraph.exceptions import SeedError

        raise SeedError(f"--to node {to!r} is not in the graph")
    with naming_the_file(graph):
        scores = _scores(
            method, G, sources, target, None if weight.lower() == "none" else weight, signed.value
        )
    title = f"{method.value} trust from {', '.join(from_)}"
    if target is not None:
        rows: list[tuple[Any, ...]] = [(1, target, float(scores[target]))]
    else:
        rows = ranked(scores)
    render_rows(("rank", "node", "score"), rows, output_format, title, output, force)
