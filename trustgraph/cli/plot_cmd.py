"""``trustgraph plot``: draw one figure (core map, timeline, spread, explain, ...) to PNG.

The figures are built by :func:`trustgraph.report.figures.draw_figure`, the same code the
report uses, so a plotted core map always matches the report's classes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Annotated, Any

import typer

from trustgraph.analysis.ego import EgoParameters
from trustgraph.cli.common import pseudonymizer_for, resolve_node
from trustgraph.cli.errors import fail
from trustgraph.cli.inputs import InputFormatOption
from trustgraph.cli.options import (
    AnonymizeKeyOption,
    AnonymizeOption,
    ForceOption,
    MeOption,
    SeedOption,
)
from trustgraph.ingest.atomic import atomic_write
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.plot.export import png_bytes
from trustgraph.report.figures import FigureKind, draw_figure
from trustgraph.report.model import Display, display_names

__all__ = ["node_labels", "plot"]

PathsArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Graph file, contacts/conversations CSVs or an export.", show_default=False
    ),
]
KindOption = Annotated[
    FigureKind,
    typer.Option("--kind", help="core, timeline, spread, explain, scores or overview."),
]
PngOption = Annotated[Path, typer.Option("--output", "-o", help="PNG file to write.")]
DpiOption = Annotated[int, typer.Option("--dpi", min=20, max=600, help="Resolution.")]
TargetOption = Annotated[
    str | None, typer.Option("--target", help="Node to explain (--kind explain).")
]
DampingOption = Annotated[
    float, typer.Option("--damping", help="Probability of following an edge, in [0, 1).")
]


def node_labels(G: Any, pseudonymizer: Pseudonymizer | None) -> Callable[[Hashable], str]:
    """Label function for figures, the report's: names, or keyed pseudonyms (--anonymize)."""
    return Display(display_names(G), pseudonymizer).label


def plot(
    paths: PathsArgument,
    me: MeOption = None,  # type: ignore[assignment]
    kind: KindOption = FigureKind.core,
    output: PngOption = Path("trustgraph.png"),
    dpi: DpiOption = 150,
    target: TargetOption = None,
    force: ForceOption = False,
    anonymize: AnonymizeOption = False,
    anonymize_key: AnonymizeKeyOption = None,
    damping: DampingOption = 0.85,
    seed: SeedOption = 0,
    input_format: InputFormatOption = None,
) -> None:
    """Draw one figure of your network to a PNG (same input, same bytes)."""
    if output.suffix.lower() != ".png":
        raise fail(f"-o must name a .png file, got {output}", code=2)
    if output.exists() and not force:
        raise fail(f"{output} exists; pass --force to overwrite it")
    loaded = load_inputs(paths, me=list(me or []), format=input_format)
    G = loaded.graph
    owner = list(loaded.owner) or [resolve_node(G, m) for m in (me or [])]
    owner = [o for o in owner if o in G]
    if not owner and kind not in (FigureKind.overview, FigureKind.scores):
        raise fail("whose network is this? pass one of your identifiers in the graph with --me")
    figure = draw_figure(
        kind,
        G,
        owner,
        target=None if target is None else resolve_node(G, target),
        parameters=EgoParameters(damping=damping, seed=seed),
        label=node_labels(G, pseudonymizer_for(anonymize, anonymize_key)),
    )
    data = png_bytes(figure, dpi=dpi)
    with atomic_write(output, "wb", overwrite=True) as handle:
        handle.write(data)
