"""``trustgraph evaluate``: run an evaluation protocol on a graph and print its table.

The protocols and the methods each one compares are the evaluation package's own lists;
this module names none of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from trustgraph.analysis import evaluation as ev
from trustgraph.analysis.evaluation.core import CORE_METHODS
from trustgraph.analysis.evaluation.edge_weight import EDGE_WEIGHT_METHODS
from trustgraph.analysis.evaluation.fraud import FRAUD_METHODS
from trustgraph.analysis.evaluation.levels import LEVEL_METHODS
from trustgraph.analysis.evaluation.sybil import SYBIL_METHODS
from trustgraph.cli.common import resolve_node, weight_attribute, write_output
from trustgraph.cli.errors import fail
from trustgraph.cli.options import ForceOption, OutputOption, choice_enum
from trustgraph.cli.progress import counted_progress
from trustgraph.cli.render import plain_table
from trustgraph.ingest.atomic import atomic_write
from trustgraph.ingest.detect import read_graph
from trustgraph.ingest.escape import printable_text
from trustgraph.ingest.labels import read_node_labels
from trustgraph.ingest.load import load_inputs
from trustgraph.plot.evaluation import plot_evaluation
from trustgraph.plot.style import new_axes

__all__ = ["METHODS_BY_PROTOCOL", "evaluate"]

#: File names of the public datasets, so that DATA may be their folder.
KNOWN_GRAPH_FILES = (
    "soc-sign-bitcoinotc.csv.gz",
    "out.advogato",
    "email-Eu-core.txt.gz",
    "facebook.tar.gz",
)
GROUP_LABEL_GLOB = "*label*"

#: The methods each protocol compares, as the evaluation package lists them.
METHODS_BY_PROTOCOL: dict[str, tuple[str, ...]] = {
    "edge-weight": tuple(EDGE_WEIGHT_METHODS),
    "levels": tuple(LEVEL_METHODS),
    "sybil": tuple(SYBIL_METHODS),
    "core": tuple(CORE_METHODS),
    "fraud": tuple(FRAUD_METHODS),
}

Protocol = choice_enum("Protocol", ev.PROTOCOLS)


class EvalFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class Region(str, Enum):
    copy = "copy"
    powerlaw = "powerlaw"
    random = "random"


class Targeting(str, Enum):
    random = "random"
    degree = "degree"
    seeds = "seeds"


class Seeding(str, Enum):
    community = "community"
    random = "random"


def _method_help() -> str:
    by_protocol = "; ".join(
        f"{protocol}: {', '.join(names)}" for protocol, names in METHODS_BY_PROTOCOL.items()
    )
    return f"Only this method (repeatable). {by_protocol}."


ProtocolArgument = Annotated[
    Protocol,  # type: ignore[valid-type]
    typer.Argument(help=f"{', '.join(ev.PROTOCOLS)}."),
]
DataArgument = Annotated[
    Path, typer.Argument(help="Graph file or folder (any input read_graph accepts).")
]
EvalFormatOption = Annotated[EvalFormat, typer.Option("--format", help="table, json or markdown.")]
FigureOption = Annotated[
    Path | None, typer.Option("--figure", help="Also save the figure (PNG, SVG or PDF).")
]
WeightOption = Annotated[
    str, typer.Option("--weight", help="Edge attribute with the weight; 'none' for unit.")
]
SampleOption = Annotated[
    int | None,
    typer.Option(
        "--sample",
        help="Held-out edges for the slow metrics (edge-weight 1000, levels 500); 0 for all.",
    ),
]
HoldoutOption = Annotated[
    float | None, typer.Option("--holdout", help="edge-weight: hold out this fraction at once.")
]
ScaleOption = Annotated[
    float | None, typer.Option("--scale", help="edge-weight: divide ratings by this.")
]
MethodOption = Annotated[list[str] | None, typer.Option("--method", help=_method_help())]
AttackEdgesOption = Annotated[
    list[int] | None,
    typer.Option("--attack-edges", "-g", help="sybil: attack edges g (repeatable)."),
]
RepetitionsOption = Annotated[int, typer.Option("--repetitions", help="sybil: repetitions per g.")]
# --region is the phone numbers' country elsewhere; the old spelling here is kept one release.
SybilRegionOption = Annotated[
    Region,
    typer.Option(
        "--sybil-region",
        "--region",
        help="sybil: how the Sybil region is built (--region: old name).",
    ),
]
TargetingOption = Annotated[
    Targeting, typer.Option("--targeting", help="sybil: honest ends of attack edges.")
]
SeedingOption = Annotated[
    Seeding, typer.Option("--seeding", help="sybil: community-spread or random seeds.")
]
NSeedsOption = Annotated[int, typer.Option("--n-seeds", help="sybil: random seeds.")]
NSourcesOption = Annotated[
    int, typer.Option("--n-sources", help="core: people to propagate from.")
]
LabelsOption = Annotated[
    Path | None, typer.Option("--labels", help="fraud: CSV of id,label; core: id,group.")
]
GoodLabelOption = Annotated[
    list[str] | None, typer.Option("--good-label", help="fraud: label of good users.")
]
BadLabelOption = Annotated[
    list[str] | None, typer.Option("--bad-label", help="fraud: label of bad users.")
]


@dataclass(frozen=True)
class _Run:
    """What one protocol needs from the command line, already parsed."""

    data: Path
    name: str
    weight: str | None
    seed: int
    methods: tuple[str, ...] | None
    sample: int | None
    holdout: float | None
    scale: float | None
    attack_edges: tuple[int, ...]
    repetitions: int
    region: str
    targeting: str
    seeding: str
    n_seeds: int
    n_sources: int
    labels: Path | None
    good_labels: tuple[str, ...]
    bad_labels: tuple[str, ...]


def evaluate(
    protocol: ProtocolArgument,
    data: DataArgument,
    output_format: EvalFormatOption = EvalFormat.table,
    seed: Annotated[int, typer.Option("--seed", help="Seed for randomness.")] = 0,
    figure: FigureOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    weight: WeightOption = "weight",
    sample: SampleOption = None,
    holdout: HoldoutOption = None,
    scale: ScaleOption = None,
    method: MethodOption = None,
    attack_edges: AttackEdgesOption = None,
    repetitions: RepetitionsOption = 3,
    region: SybilRegionOption = Region.copy,
    targeting: TargetingOption = Targeting.random,
    seeding: SeedingOption = Seeding.community,
    n_seeds: NSeedsOption = 10,
    n_sources: NSourcesOption = 50,
    labels: LabelsOption = None,
    good_label: GoodLabelOption = None,
    bad_label: BadLabelOption = None,
) -> None:
    """Run an evaluation protocol and print methods x metrics (mean and spread)."""
    graph_path, side_labels = _resolve_data(data)
    G = _read(graph_path)
    run = _Run(
        data=data,
        name=data.name or str(data),
        weight=weight_attribute(weight),
        seed=seed,
        methods=tuple(method) if method else None,
        sample=sample,
        holdout=holdout,
        scale=scale,
        attack_edges=tuple(attack_edges or (10, 100, 500, 1000)),
        repetitions=repetitions,
        region=region.value,
        targeting=targeting.value,
        seeding=seeding.value,
        n_seeds=n_seeds,
        n_sources=n_sources,
        labels=labels or (side_labels if protocol.value == "core" else None),
        good_labels=tuple(good_label or ["+1", "1"]),
        bad_labels=tuple(bad_label or ["-1"]),
    )
    with counted_progress(protocol.value) as progress:
        result = _RUNNERS[protocol.value](G, run, progress)
    write_output(_formatted(result, output_format), output, force)
    if figure is not None:
        _save_figure(result, figure, force)


def _sample(run: _Run, default: int) -> int | None:
    """``--sample``: unset takes the protocol's default, 0 means every held-out edge."""
    if run.sample is None:
        return default
    return None if run.sample == 0 else run.sample


def _edge_weight(G: Any, run: _Run, progress: Any) -> Any:
    return ev.evaluate_edge_weight(
        G,
        weight=run.weight,
        scale=run.scale,
        holdout=run.holdout,
        sample=_sample(run, 1000),
        methods=run.methods,
        seed=run.seed,
        dataset=run.name,
        progress=progress,
    )


def _levels(G: Any, run: _Run, progress: Any) -> Any:
    return ev.evaluate_levels(
        G,
        weight=run.weight,
        sample=_sample(run, 500),
        methods=run.methods,
        seed=run.seed,
        dataset=run.name,
        progress=progress,
    )


def _sybil(G: Any, run: _Run, progress: Any) -> Any:
    return ev.evaluate_sybil(
        G,
        attack_edges=run.attack_edges,
        repetitions=run.repetitions,
        region=run.region,
        targeting=run.targeting,
        seeding=run.seeding,
        n_seeds=run.n_seeds,
        methods=run.methods,
        weight=run.weight,
        seed=run.seed,
        dataset=run.name,
        progress=progress,
    )


def _core(G: Any, run: _Run, progress: Any) -> Any:
    if run.labels is not None:
        return ev.evaluate_core(
            G,
            _read_groups(run.labels, G),
            n_sources=run.n_sources,
            methods=run.methods,
            weight=run.weight,
            seed=run.seed,
            dataset=run.name,
            progress=progress,
        )
    if isinstance(getattr(G, "graph", None), dict) and G.graph.get("circles"):
        return ev.evaluate_circles(
            G, G.graph["circles"], seed=run.seed, dataset=run.name, progress=progress
        )
    raise fail(
        f"{run.data}: core needs group labels (--labels FILE of id,group) or an "
        "ego network with labelled circles"
    )


def _fraud(G: Any, run: _Run, progress: Any) -> Any:
    if run.labels is None:
        raise fail("fraud needs --labels FILE (id,label with +1 good and -1 bad)")
    user_labels = _read_fraud_labels(run.labels, G, run.good_labels, run.bad_labels)
    return ev.evaluate_fraud(
        G, user_labels, weight=run.weight, methods=run.methods, dataset=run.name
    )


_RUNNERS: dict[str, Callable[[Any, _Run, Any], Any]] = {
    "edge-weight": _edge_weight,
    "levels": _levels,
    "sybil": _sybil,
    "core": _core,
    "fraud": _fraud,
}


def _resolve_data(data: Path) -> tuple[Path, Path | None]:
    """The graph file inside a dataset folder, and a group-label file found beside it."""
    if not data.is_dir():
        return data, None
    for file_name in KNOWN_GRAPH_FILES:
        if (data / file_name).is_file():
            side = sorted(data.glob(GROUP_LABEL_GLOB))
            return data / file_name, (side[0] if side else None)
    return data, None


def _read(path: Path) -> Any:
    if path.is_dir():
        return load_inputs([path]).graph
    return read_graph(path)


def _read_groups(path: Path, G: Any) -> dict[Hashable, Any]:
    raw = read_node_labels(path)
    return {resolve_node(G, str(node)): label for node, label in raw.items()}


def _read_fraud_labels(
    path: Path, G: Any, good: tuple[str, ...], bad: tuple[str, ...]
) -> dict[Hashable, bool]:
    raw = read_node_labels(path, labeltype=str)
    good_set = {x.strip() for x in good}
    bad_set = {x.strip() for x in bad}
    result = {}
    for node, label in raw.items():
        text = str(label).strip()
        if text in good_set:
            result[resolve_node(G, str(node))] = True
        elif text in bad_set:
            result[resolve_node(G, str(node))] = False
    if not result:
        raise fail(
            f"{path}: no label is one of {sorted(good_set)} (good) or {sorted(bad_set)} (bad); "
            "use --good-label and --bad-label"
        )
    return result


def _formatted(result: Any, output_format: EvalFormat) -> str:
    if output_format is EvalFormat.json:
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if output_format is EvalFormat.markdown:
        return result.to_markdown()
    header, body = result.cells()
    # The dataset is named after the user's file: literal text, never rich markup.
    table = Table(title=Text(printable_text(f"{result.protocol} on {result.dataset}")))
    for column in header:
        table.add_column(column, justify="left" if column == "method" else "right")
    for row in body:
        table.add_row(*(Text(printable_text(cell)) for cell in row))
    notes = "".join(printable_text(f"note: {note}") + "\n" for note in result.notes)
    return plain_table(table, width=160) + notes


def _save_figure(result: Any, path: Path, force: bool) -> None:
    ax = plot_evaluation(result, ax=new_axes((6.4, 4.0)))
    fig = ax.figure
    fig.set_layout_engine("constrained")
    suffix = path.suffix.lower().lstrip(".") or "png"
    with atomic_write(path, "wb", overwrite=force) as handle:
        metadata = {"Software": None} if suffix == "png" else None
        fig.savefig(handle, format=suffix, dpi=120, metadata=metadata)
