"""``trustgraph plot``: draw one figure (core map, spread, scores, explain, overview) to PNG.

``--kind core`` classifies contacts with the report's classifier
(:func:`trustgraph.analysis.classify.analyze_ego`), so figure and report agree. Without it
(:func:`fallback_core_inputs`), a documented simple rule is used: two-way partners ranked
by tie strength and cut at Dunbar's sizes 5/15/50/150, one-way inbound contacts as
broadcasters, everyone else in the graph as strangers grouped into Louvain communities.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from trustgraph.cli.app import app, fail
from trustgraph.cli.inputs import InputFormatOption
from trustgraph.cli.options import AnonymizeOption, ForceOption, MeOption, SeedOption

__all__ = ["PlotKind", "core_inputs", "draw_figure", "fallback_core_inputs", "node_labels"]

#: Above this many nodes the Louvain step of the core map's fallback is skipped.
_LOUVAIN_LIMIT = 50_000


class PlotKind(str, Enum):
    core = "core"
    spread = "spread"
    scores = "scores"
    explain = "explain"
    overview = "overview"


def _communities(G: Any, nodes: Sequence[Hashable], *, seed: int) -> dict[Hashable, int]:
    """Louvain communities of the undirected graph (largest first), for sectors and blobs."""
    import networkx as nx

    from trustgraph.core.compact import CompactGraph

    graph = G.to_networkx() if isinstance(G, CompactGraph) else G
    if graph.number_of_nodes() > _LOUVAIN_LIMIT:
        return {}
    undirected = graph.to_undirected(as_view=False) if graph.is_directed() else graph
    keep = set(nodes)
    sub = undirected.subgraph([n for n in undirected if n in keep])
    found = nx.community.louvain_communities(sub, weight=None, seed=seed)
    found = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {node: i for i, members in enumerate(found) for node in members}


def core_inputs(G: Any, owner: Sequence[Hashable], *, seed: int = 0) -> dict[str, Any]:
    """Keyword arguments for :func:`trustgraph.plot.core_map.plot_core_map` from a graph.

    Uses the report's classifier, :func:`trustgraph.analysis.classify.analyze_ego` (classes,
    layers, stranger clusters, trust in the ego as scores), so the figure matches the
    report; falls back to :func:`fallback_core_inputs` when that module is unavailable.
    """
    try:
        from trustgraph.analysis.classify import analyze_ego
    except ImportError:  # pragma: no cover - only in a partial installation
        return fallback_core_inputs(G, owner, seed=seed)
    analysis = analyze_ego(G, list(owner), seed=seed)
    return {
        "classes": dict(analysis.classes),
        "layers": dict(analysis.layers),
        "clusters": dict(analysis.clusters),
        "communities": _communities(
            G, [n for n, c in analysis.classes.items() if c != "stranger"], seed=seed
        ),
        "scores": dict(analysis.trust),
        "ego": tuple(owner),
    }


def fallback_core_inputs(G: Any, owner: Sequence[Hashable], *, seed: int = 0) -> dict[str, Any]:
    """Core-map inputs without the analysis module: a documented simple rule.

    The fallback classification (no analysis module needed): per-contact evidence from
    :func:`trustgraph.analysis.contacts.contact_evidence`; two-way partners ranked by tie
    strength (both directions summed) into Dunbar's layers, one-way inbound contacts as
    broadcasters, one-way outbound ones as acquaintances, declared contacts never talked
    with and every other node of the graph as strangers. Ring members are grouped into
    Louvain communities (sectors) of the graph without the owner; strangers into Louvain
    clusters of their own subgraph (blobs). Scores are personalized PageRank from the owner.
    """
    from trustgraph.algorithms.random_walk import personalized_pagerank
    from trustgraph.analysis.contacts import contact_evidence
    from trustgraph.plot.core_map import classes_by_tie_rank

    evidence = contact_evidence(G, owner)
    mine = set(owner)
    kind: dict[Hashable, str] = {}
    strength: dict[Hashable, float] = {}
    for node, ev in evidence.items():
        strength[node] = ev.tie_out + ev.tie_in
        if ev.reciprocal:
            kind[node] = "two-way"
        elif ev.messages_in > 0:
            kind[node] = "inbound"
        elif ev.messages_out > 0:
            kind[node] = "outbound"
        else:
            kind[node] = "none"
    nodes = list(G.nodes) if not callable(getattr(G, "nodes", None)) else list(G.nodes())
    for node in nodes:
        if node not in kind and node not in mine:
            kind[node] = "none"
            strength[node] = 0.0
    classes, layers = classes_by_tie_rank(strength, kind)
    ring = [n for n, c in classes.items() if c != "stranger"]
    strangers = [n for n, c in classes.items() if c == "stranger"]
    scores = personalized_pagerank(G, list(owner))
    return {
        "classes": classes,
        "layers": layers,
        "communities": _communities(G, ring, seed=seed),
        "clusters": _communities(G, strangers, seed=seed),
        "scores": {n: scores[n] for n in classes},
        "ego": tuple(owner),
    }


def node_labels(G: Any, anonymize: bool) -> Callable[[Hashable], str]:
    """Label function for figures: keyed pseudonyms with --anonymize, else the node's name.

    Pseudonyms come from :class:`trustgraph.ingest.pseudonym.Pseudonymizer` with the user's
    secret, so they match the report's. Without it, a node attribute ``name`` is shown when
    present, the node id otherwise.
    """
    if anonymize:
        from trustgraph.ingest.pseudonym import Pseudonymizer

        pseudonyms = Pseudonymizer()
        return lambda node: pseudonyms.pseudonym(str(node))
    names = {}
    if hasattr(G, "nodes") and callable(G.nodes):
        names = {n: d["name"] for n, d in G.nodes(data=True) if d.get("name")}
    return lambda node: str(names.get(node, node))


def draw_figure(
    kind: PlotKind | str,
    G: Any,
    owner: Sequence[Hashable],
    *,
    target: Hashable | None = None,
    label: Callable[[Hashable], str] | None = None,
    seed: int = 0,
) -> Any:
    """Build the matplotlib Figure of one kind (no pyplot; the caller saves it)."""
    from matplotlib.figure import Figure

    from trustgraph.plot import style

    kind = PlotKind(kind)
    with style.style_context():
        if kind is PlotKind.core:
            from trustgraph.plot.core_map import plot_core_map

            figure = Figure(figsize=(8, 8))
            plot_core_map(ax=figure.add_subplot(), label=label, **core_inputs(G, owner, seed=seed))
        elif kind is PlotKind.spread:
            from trustgraph.plot.spread import (
                plot_trust_by_hop,
                plot_trust_over_iterations,
                plot_trusted_reach,
                spread_model,
            )

            model = spread_model(G, list(owner))
            scores = dict(zip(model["nodes"], model["scores"].tolist()))
            hops = {n: (None if h < 0 else int(h)) for n, h in zip(model["nodes"], model["hops"])}
            figure = Figure(figsize=(12, 4))
            axes = figure.subplots(1, 3)
            plot_trust_by_hop(hops, scores, ax=axes[0], title="Trust by hop distance")
            plot_trust_over_iterations(model["mass"], ax=axes[1], title="Trust over iterations")
            plot_trusted_reach(scores, exclude=owner, ax=axes[2], title="Trusted reach")
            figure.tight_layout()
        elif kind is PlotKind.scores:
            from trustgraph.plot.scores import plot_agreement, plot_score_ranks

            scores = _method_scores(G, owner)
            figure = Figure(figsize=(11, 4.5))
            axes = figure.subplots(1, 2)
            plot_score_ranks(scores, ax=axes[0])
            plot_agreement(scores, ax=axes[1])
            figure.tight_layout()
        elif kind is PlotKind.explain:
            from trustgraph.analysis.explain import explain_trust
            from trustgraph.plot.explain import plot_explanation

            if target is None:
                target = _default_target(G, owner)
            why = explain_trust(G, list(owner), target, top_paths=6)
            figure = Figure(figsize=(8, 1.6 + 0.7 * max(len(why.paths), 1)))
            plot_explanation(why, label=label, ax=figure.add_subplot())
        else:
            from trustgraph.plot.overview import plot_overview

            figure = Figure(figsize=(8, 8))
            plot_overview(G, ego=owner, label=label, seed=seed, ax=figure.add_subplot())
    return figure


def _method_scores(G: Any, owner: Sequence[Hashable]) -> dict[str, dict[Hashable, float]]:
    from trustgraph.algorithms.random_walk import eigentrust, pagerank, personalized_pagerank
    from trustgraph.algorithms.sybil import sybilrank

    seeds = list(owner)
    return {
        "personalized PageRank": personalized_pagerank(G, seeds),
        "EigenTrust": eigentrust(G, seeds),
        "SybilRank": sybilrank(G, seeds),
        "PageRank (global)": pagerank(G),
    }


def _default_target(G: Any, owner: Sequence[Hashable]) -> Hashable:
    """The most trusted node that is not one of the owner's ids, two or more hops away."""
    from trustgraph.algorithms.random_walk import personalized_pagerank
    from trustgraph.plot.spread import hop_distances

    scores = personalized_pagerank(G, list(owner))
    hops = hop_distances(G, owner)
    far = [n for n in scores if (hops.get(n) or 0) >= 2]
    pool = far or [n for n in scores if n not in set(owner)]
    if not pool:
        return next(iter(scores))
    return max(pool, key=lambda n: scores[n])


@app.command("plot")
def plot(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Graph file, contacts/conversations CSVs or an export.", show_default=False
        ),
    ],
    me: MeOption = None,  # type: ignore[assignment]
    kind: Annotated[
        PlotKind,
        typer.Option("--kind", help="core, spread, scores, explain or overview."),
    ] = PlotKind.core,
    output: Annotated[Path, typer.Option("--output", "-o", help="PNG file to write.")] = Path(
        "trustgraph.png"
    ),
    dpi: Annotated[int, typer.Option("--dpi", min=20, max=600, help="Resolution.")] = 150,
    target: Annotated[
        str | None, typer.Option("--target", help="Node to explain (--kind explain).")
    ] = None,
    force: ForceOption = False,
    anonymize: AnonymizeOption = False,
    seed: SeedOption = 0,
    input_format: InputFormatOption = None,
) -> None:
    """Draw one figure of your network to a PNG (same input, same bytes)."""
    from trustgraph.cli.rank import resolve_node
    from trustgraph.ingest.atomic import atomic_write
    from trustgraph.ingest.load import load_inputs
    from trustgraph.plot.export import png_bytes

    if output.suffix.lower() != ".png":
        raise fail(f"-o must name a .png file, got {output}", code=2)
    if output.exists() and not force:
        raise fail(f"{output} exists; pass --force to overwrite it")
    loaded = load_inputs(paths, me=list(me or []), format=input_format)
    G = loaded.graph
    owner = list(loaded.owner) or [resolve_node(G, m) for m in (me or [])]
    owner = [o for o in owner if o in G]
    if not owner and kind is not PlotKind.overview:
        raise fail("whose network is this? pass one of your identifiers in the graph with --me")
    figure = draw_figure(
        kind,
        G,
        owner,
        target=None if target is None else resolve_node(G, target),
        label=node_labels(G, anonymize),
        seed=seed,
    )
    data = png_bytes(figure, dpi=dpi)
    with atomic_write(output, "wb", overwrite=True) as handle:
        handle.write(data)
