"""``trustgraph evaluate``: run an evaluation protocol on a graph and print its table."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from trustgraph.cli.app import app, fail
from trustgraph.cli.options import ForceOption, OutputOption

#: File names of the public datasets, so that DATA may be their folder.
KNOWN_GRAPH_FILES = (
    "soc-sign-bitcoinotc.csv.gz",
    "out.advogato",
    "email-Eu-core.txt.gz",
    "facebook.tar.gz",
)
GROUP_LABEL_GLOB = "*label*"


class Protocol(str, Enum):
    edge_weight = "edge-weight"
    levels = "levels"
    sybil = "sybil"
    core = "core"
    fraud = "fraud"


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


@app.command("evaluate")
def evaluate(
    protocol: Annotated[
        Protocol, typer.Argument(help="edge-weight, levels, sybil, core or fraud.")
    ],
    data: Annotated[
        Path, typer.Argument(help="Graph file or folder (any input read_graph accepts).")
    ],
    output_format: Annotated[
        EvalFormat, typer.Option("--format", help="table, json or markdown.")
    ] = EvalFormat.table,
    seed: Annotated[int, typer.Option("--seed", help="Seed for randomness.")] = 0,
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Also save the figure (PNG, SVG or PDF).")
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    weight: Annotated[
        str, typer.Option("--weight", help="Edge attribute with the weight; 'none' for unit.")
    ] = "weight",
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample",
            help="Held-out edges for the slow metrics (edge-weight 1000, levels 500); 0 for all.",
        ),
    ] = None,
    holdout: Annotated[
        float | None,
        typer.Option("--holdout", help="edge-weight: hold out this fraction at once."),
    ] = None,
    scale: Annotated[
        float | None, typer.Option("--scale", help="edge-weight: divide ratings by this.")
    ] = None,
    method: Annotated[
        list[str] | None, typer.Option("--method", help="Only this method (repeatable).")
    ] = None,
    attack_edges: Annotated[
        list[int] | None,
        typer.Option("--attack-edges", "-g", help="sybil: attack edges g (repeatable)."),
    ] = None,
    repetitions: Annotated[
        int, typer.Option("--repetitions", help="sybil: repetitions per g.")
    ] = 3,
    region: Annotated[Region, typer.Option("--region", help="sybil: Sybil region.")] = (
        Region.copy
    ),
    targeting: Annotated[
        Targeting, typer.Option("--targeting", help="sybil: honest ends of attack edges.")
    ] = Targeting.random,
    seeding: Annotated[
        Seeding, typer.Option("--seeding", help="sybil: community-spread or random seeds.")
    ] = Seeding.community,
    n_seeds: Annotated[int, typer.Option("--n-seeds", help="sybil: random seeds.")] = 10,
    n_sources: Annotated[
        int, typer.Option("--n-sources", help="core: people to propagate from.")
    ] = 50,
    labels: Annotated[
        Path | None,
        typer.Option("--labels", help="fraud: CSV of id,label; core: id,group."),
    ] = None,
    good_label: Annotated[
        list[str] | None, typer.Option("--good-label", help="fraud: label of good users.")
    ] = None,
    bad_label: Annotated[
        list[str] | None, typer.Option("--bad-label", help="fraud: label of bad users.")
    ] = None,
) -> None:
    """Run an evaluation protocol and print methods x metrics (mean and spread)."""
    from trustgraph.analysis import evaluation as ev

    graph_path, side_labels = _resolve_data(data)
    G = _read(graph_path)
    weight_name = None if weight.lower() == "none" else weight
    methods = tuple(method) if method else None
    sample_value = None if sample == 0 else sample
    name = data.name or str(data)
    with _progress(protocol.value) as progress:
        if protocol is Protocol.edge_weight:
            result = ev.evaluate_edge_weight(
                G,
                weight=weight_name,
                scale=scale,
                holdout=holdout,
                sample=1000 if sample is None else sample_value,
                methods=methods,
                seed=seed,
                dataset=name,
                progress=progress,
            )
        elif protocol is Protocol.levels:
            result = ev.evaluate_levels(
                G,
                weight=weight_name,
                sample=500 if sample is None else sample_value,
                methods=methods,
                seed=seed,
                dataset=name,
                progress=progress,
            )
        elif protocol is Protocol.sybil:
            result = ev.evaluate_sybil(
                G,
                attack_edges=tuple(attack_edges or (10, 100, 500, 1000)),
                repetitions=repetitions,
                region=region.value,
                targeting=targeting.value,
                seeding=seeding.value,
                n_seeds=n_seeds,
                methods=methods,
                weight=weight_name,
                seed=seed,
                dataset=name,
                progress=progress,
            )
        elif protocol is Protocol.core:
            group_file = labels or side_labels
            if group_file is not None:
                groups = _read_groups(group_file, G)
                result = ev.evaluate_core(
                    G,
                    groups,
                    n_sources=n_sources,
                    methods=methods,
                    weight=weight_name,
                    seed=seed,
                    dataset=name,
                    progress=progress,
                )
            elif isinstance(getattr(G, "graph", None), dict) and G.graph.get("circles"):
                result = ev.evaluate_circles(
                    G, G.graph["circles"], seed=seed, dataset=name, progress=progress
                )
            else:
                raise fail(
                    f"{data}: core needs group labels (--labels FILE of id,group) or an "
                    "ego network with labelled circles"
                )
        else:
            if labels is None:
                raise fail("fraud needs --labels FILE (id,label with +1 good and -1 bad)")
            user_labels = _read_fraud_labels(
                labels, G, good_label or ["+1", "1"], bad_label or ["-1"]
            )
            result = ev.evaluate_fraud(
                G, user_labels, weight=weight_name, methods=methods, dataset=name
            )
    _emit(result, output_format, output, force)
    if figure is not None:
        _save_figure(result, figure, force)


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
    from trustgraph.ingest.detect import read_graph

    if path.is_dir():
        from trustgraph.ingest.load import load_inputs

        return load_inputs([path]).graph
    return read_graph(path)


def _read_groups(path: Path, G: Any) -> dict:
    from trustgraph.cli.rank import resolve_node
    from trustgraph.ingest.labels import read_node_labels

    raw = read_node_labels(path)
    return {resolve_node(G, str(node)): label for node, label in raw.items()}


def _read_fraud_labels(path: Path, G: Any, good: list[str], bad: list[str]) -> dict:
    from trustgraph.cli.rank import resolve_node
    from trustgraph.ingest.labels import read_node_labels

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


class _progress:
    """A rich progress bar on stderr when it is a terminal; otherwise a no-op callback."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.bar = None
        self.task = None

    def __enter__(self):
        from trustgraph.cli.inputs import progress_console

        console = progress_console()
        if console is None:
            return None
        from rich.progress import Progress

        self.bar = Progress(console=console, transient=True)
        self.bar.start()
        self.task = self.bar.add_task(self.description, total=None)
        return self.update

    def update(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _emit(result: Any, output_format: EvalFormat, output: Path | None, force: bool) -> None:
    if output_format is EvalFormat.json:
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif output_format is EvalFormat.markdown:
        text = result.to_markdown()
    else:
        import io

        from rich.console import Console
        from rich.table import Table

        header, body = result.cells()
        table = Table(title=f"{result.protocol} on {result.dataset}")
        for column in header:
            table.add_column(column, justify="left" if column == "method" else "right")
        for row in body:
            table.add_row(*row)
        buffer = io.StringIO()
        Console(file=buffer, highlight=False, width=160, color_system=None).print(table)
        text = buffer.getvalue() + "".join(f"note: {note}\n" for note in result.notes)
    if output is None:
        typer.echo(text, nl=False)
        return
    from trustgraph.ingest.atomic import atomic_write

    with atomic_write(output, "w", overwrite=force) as handle:
        handle.write(text)


def _save_figure(result: Any, path: Path, force: bool) -> None:
    from matplotlib.figure import Figure

    from trustgraph.ingest.atomic import atomic_write
    from trustgraph.plot.evaluation import plot_evaluation

    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    plot_evaluation(result, ax=fig.add_subplot())
    suffix = path.suffix.lower().lstrip(".") or "png"
    with atomic_write(path, "wb", overwrite=force) as handle:
        metadata = {"Software": None} if suffix == "png" else None
        fig.savefig(handle, format=suffix, dpi=120, metadata=metadata)
