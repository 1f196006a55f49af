"""``trustgraph explain``: why a node gets its trust (seed shares and strongest paths)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from trustgraph.analysis.explain import TrustExplanation, explain_trust
from trustgraph.cli.common import (
    load_graph,
    naming_the_file,
    resolve_node,
    resolve_nodes,
    weight_attribute,
)
from trustgraph.cli.errors import fail
from trustgraph.cli.options import (
    DampingOption,
    FormatOption,
    GraphArgument,
    OutputFormat,
    TrustedOption,
    WeightOption,
)
from trustgraph.cli.render import json_node
from trustgraph.ingest.escape import terminal_text

__all__ = ["explain"]


def explain(
    graph: GraphArgument,
    trusted: TrustedOption,
    target: Annotated[str, typer.Option("--target", help="The node whose trust to explain.")],
    paths: Annotated[
        int, typer.Option("--paths", min=0, help="How many trust paths to show.")
    ] = 5,
    max_length: Annotated[
        int, typer.Option("--max-length", min=1, help="Longest path shown, in edges.")
    ] = 4,
    output_format: FormatOption = OutputFormat.table,
    damping: DampingOption = None,
    weight: WeightOption = "weight",
) -> None:
    """Explain the personalized PageRank of --target from the --trusted nodes."""
    if not trusted:
        raise fail("give at least one --trusted node", code=2)
    if output_format is OutputFormat.csv:
        raise fail("explain prints table or json, not csv", code=2)
    G = load_graph(graph)
    extra = {} if damping is None else {"damping": damping}
    with naming_the_file(graph):
        why = explain_trust(
            G,
            resolve_nodes(G, trusted),
            resolve_node(G, target),
            weight=weight_attribute(weight),
            top_paths=paths,
            max_length=max_length,
            **extra,
        )
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(_as_json(why), indent=2, ensure_ascii=False))
    else:
        _print_tables(why, paths, max_length)


def _as_json(why: TrustExplanation) -> dict[str, Any]:
    return {
        "target": json_node(why.target),
        "score": why.score,
        "contributions": [
            {"seed": json_node(seed), "contribution": value}
            for seed, value in why.contributions.items()
        ],
        "paths": [
            {"nodes": [json_node(n) for n in path.nodes], "probability": path.probability}
            for path in why.paths
        ],
        "paths_complete": why.paths_complete,
    }


def _print_tables(why: TrustExplanation, paths: int, max_length: int) -> None:
    console = Console(highlight=False)
    console.print(f"trust in {terminal_text(why.target)}: {why.score:.6f} (damping {why.damping})")
    shares = Table(title="contribution of each trusted node")
    shares.add_column("seed")
    shares.add_column("contribution", justify="right")
    shares.add_column("share", justify="right")
    for seed, value in why.contributions.items():
        fraction = value / why.score if why.score > 0 else 0.0
        shares.add_row(terminal_text(seed), f"{value:.6f}", f"{fraction:.1%}")
    console.print(shares)
    if why.paths:
        table = Table(title="strongest trust paths")
        table.add_column("path")
        table.add_column("probability", justify="right")
        for path in why.paths:
            table.add_row(" -> ".join(map(terminal_text, path.nodes)), f"{path.probability:.4g}")
        console.print(table)
    elif paths:
        console.print(f"no path of at most {max_length} edges from the trusted nodes")
