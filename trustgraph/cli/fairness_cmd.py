"""``trustgraph fairness``: fairness of raters and goodness of the rated in a signed graph."""

from __future__ import annotations

from typing import Annotated

import typer

from trustgraph.algorithms.signed import fairness_goodness
from trustgraph.cli.common import load_graph, naming_the_file, weight_attribute
from trustgraph.cli.options import (
    ForceOption,
    FormatOption,
    GraphArgument,
    OutputFormat,
    OutputOption,
    WeightOption,
)
from trustgraph.cli.render import render_rows

__all__ = ["fairness"]

ScaleOption = Annotated[
    float | None,
    typer.Option("--scale", help="Divide ratings by this (default: the largest absolute rating)."),
]


def fairness(
    graph: GraphArgument,
    output_format: FormatOption = OutputFormat.table,
    weight: WeightOption = "weight",
    scale: ScaleOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Fairness and goodness of every node of a signed rating graph (Kumar et al. 2016)."""
    G = load_graph(graph)
    with naming_the_file(graph):
        result = fairness_goodness(G, weight=weight_attribute(weight), scale=scale)
    rows = [(node, result.fairness[node], result.goodness[node]) for node in result.fairness]
    title = f"fairness and goodness (ratings / {result.scale:g}, {result.iterations} iterations)"
    render_rows(("node", "fairness", "goodness"), rows, output_format, title, output, force)
