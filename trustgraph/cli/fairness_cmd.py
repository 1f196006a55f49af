"""``trustgraph fairness``: fairness of raters and goodness of the rated in a signed graph."""

from __future__ import annotations

from typing import Annotated

import typer

from trustgraph.cli.app import app
from trustgraph.cli.options import ForceOption, OutputOption
from trustgraph.cli.rank import (
    FormatOption,
    GraphArgument,
    OutputFormat,
    WeightOption,
    load_graph,
    naming_the_file,
)
from trustgraph.cli.trust_cmd import render_rows


@app.command("fairness")
def fairness(
    graph: GraphArgument,
    output_format: FormatOption = OutputFormat.table,
    weight: WeightOption = "weight",
    scale: Annotated[
        float | None,
        typer.Option(
            "--scale", help="Divide ratings by this (default: the largest absolute rating)."
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Fairness and goodness of every node of a signed rating graph (Kumar et al. 2016)."""
    from trustgraph.algorithms.signed import fairness_goodness

    G = load_graph(graph)
    with naming_the_file(graph):
        result = fairness_goodness(
            G, weight=None if weight.lower() == "none" else weight, scale=scale
        )
    rows = [(node, result.fairness[node], result.goodness[node]) for node in result.fairness]
    title = f"fairness and goodness (ratings / {result.scale:g}, {result.iterations} iterations)"
    render_rows(("node", "fairness", "goodness"), rows, output_format, title, output, force)
