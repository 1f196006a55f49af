"""Building the figures of a network: the report's and ``trustgraph plot``'s, one code path.

Each figure kind gathers its inputs (the ego analysis, trust scores of several methods,
an explanation, a layout) and hands plain mappings to the plotting functions in
:mod:`trustgraph.plot`. The report draws every kind; the plot command draws one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from trustgraph.analysis.classify import EgoAnalysis

__all__ = ["FIGURE_SPECS", "FigureKind", "FigureSpec", "core_inputs", "draw_figure"]

#: Above this many nodes the Louvain sectors of the core map are skipped.
_LOUVAIN_LIMIT = 50_000


class FigureKind(str, Enum):
    core = "core"
    spread = "spread"
    scores = "scores"
    explain = "explain"
    overview = "overview"


@dataclass(frozen=True)
class FigureSpec:
    """A figure kind as the report files it: file name, caption, whether it needs an ego."""

    kind: FigureKind
    filename: str
    caption: str
    needs_owner: bool


FIGURE_SPECS = (
    FigureSpec(
        FigureKind.core,
        "core-map.png",
        "Your contacts by class: core and circles on rings by layer (sectors by community), "
        "strangers as blobs by cluster, broadcasters and Sybil-like accounts marked.",
        True,
    ),
    FigureSpec(
        FigureKind.spread,
        "trust-spread.png",
        "How far your trust travels: trust by hop distance, over iterations of the walk, "
        "and how many people it reaches above each threshold.",
        True,
    ),
    FigureSpec(
        FigureKind.scores,
        "score-agreement.png",
        "Scores of several trust methods by rank (log scale) and how well they agree "
        "(rank correlation).",
        False,
    ),
    FigureSpec(
        FigureKind.explain,
        "explanation.png",
        "Why the most trusted person beyond your direct contacts is trusted: the strongest "
        "trust paths from you and each path's contribution.",
        True,
    ),
    FigureSpec(
        FigureKind.overview,
        "overview.png",
        "The whole graph without a hairball: the weighted core drawn, communities "
        "collapsed, density for the rest.",
        False,
    ),
)


def _communities(G: Any, nodes: Sequence[Hashable], *, seed: int) -> dict[Hashable, int]:
    """Louvain communities of `nodes` in the undirected graph, largest first (sectors)."""
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


def core_inputs(
    G: Any,
    owner: Sequence[Hashable],
    *,
    analysis: EgoAnalysis | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Keyword arguments of :func:`trustgraph.plot.core_map.plot_core_map` for an ego.

    Classes, layers, stranger clusters, Sybil-like flags and trust in the ego come from
    :func:`trustgraph.analysis.classify.analyze_ego` (computed when `analysis` is not
    given), so the figure and the report always agree.
    """
    from trustgraph.analysis.classify import analyze_ego

    if analysis is None:
        analysis = analyze_ego(G, list(owner), seed=seed)
    ring = [n for n, c in analysis.classes.items() if c != "stranger"]
    return {
        "classes": dict(analysis.classes),
        "layers": dict(analysis.layers),
        "clusters": dict(analysis.clusters),
        "communities": _communities(G, ring, seed=seed),
        "scores": dict(analysis.trust),
        "flagged": analysis.sybil_like,
        "attack_edges": analysis.attack_edges,
        "ego": tuple(owner),
    }


def _method_scores(G: Any, owner: Sequence[Hashable]) -> dict[str, dict[Hashable, float]]:
    """Several methods' scores: seeded from the owner, or global for a whole network."""
    from trustgraph.algorithms.random_walk import (
        eigentrust,
        inverse_pagerank,
        pagerank,
        personalized_pagerank,
    )
    from trustgraph.algorithms.sybil import sybilrank

    if not owner:
        return {"PageRank": pagerank(G), "inverse PageRank": inverse_pagerank(G)}
    seeds = list(owner)
    return {
        "personalized PageRank": personalized_pagerank(G, seeds),
        "EigenTrust": eigentrust(G, seeds),
        "SybilRank": sybilrank(G, seeds),
        "PageRank (global)": pagerank(G),
    }


def default_target(G: Any, owner: Sequence[Hashable]) -> Hashable:
    """The most trusted node two or more hops from the owner (else any non-owner node)."""
    from trustgraph.algorithms.random_walk import personalized_pagerank
    from trustgraph.plot.spread import hop_distances

    scores = personalized_pagerank(G, list(owner))
    hops = hop_distances(G, owner)
    far = [n for n in scores if (hops.get(n) or 0) >= 2]
    pool = far or [n for n in scores if n not in set(owner)]
    if not pool:
        return next(iter(scores))
    return max(pool, key=lambda n: scores[n])


def draw_figure(
    kind: FigureKind | str,
    G: Any,
    owner: Sequence[Hashable],
    *,
    analysis: EgoAnalysis | None = None,
    target: Hashable | None = None,
    label: Callable[[Hashable], str] | None = None,
    seed: int = 0,
) -> Figure:
    """Build the matplotlib Figure of one kind (no pyplot; the caller saves it).

    Parameters
    ----------
    kind : FigureKind or str
        ``core``, ``spread``, ``scores``, ``explain`` or ``overview``.
    G : networkx graph or CompactGraph
    owner : sequence of nodes
        The ego; may be empty for ``scores`` and ``overview``.
    analysis : EgoAnalysis, optional
        Reused for ``core`` instead of analysing again.
    target : node, optional
        The node to explain (``explain``); by default :func:`default_target`.
    label : callable, optional
        Text shown for a node (pseudonyms under ``--anonymize``).
    seed : int
        For layouts and community detection.
    """
    from matplotlib.figure import Figure

    from trustgraph.plot import style

    kind = FigureKind(kind)
    with style.style_context():
        if kind is FigureKind.core:
            from trustgraph.plot.core_map import plot_core_map

            figure = Figure(figsize=(8, 8))
            inputs = core_inputs(G, owner, analysis=analysis, seed=seed)
            plot_core_map(ax=figure.add_subplot(), label=label, **inputs)
        elif kind is FigureKind.spread:
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
        elif kind is FigureKind.scores:
            from trustgraph.plot.scores import plot_agreement, plot_score_ranks

            scores = _method_scores(G, owner)
            figure = Figure(figsize=(11, 4.5))
            axes = figure.subplots(1, 2)
            plot_score_ranks(scores, ax=axes[0])
            plot_agreement(scores, ax=axes[1])
            figure.tight_layout()
        elif kind is FigureKind.explain:
            from trustgraph.analysis.explain import explain_trust
            from trustgraph.plot.explain import plot_explanation

            if target is None:
                target = default_target(G, owner)
            why = explain_trust(G, list(owner), target, top_paths=6)
            figure = Figure(figsize=(8, 1.6 + 0.7 * max(len(why.paths), 1)))
            plot_explanation(why, label=label, ax=figure.add_subplot())
        else:
            from trustgraph.plot.overview import plot_overview

            figure = Figure(figsize=(8, 8))
            plot_overview(G, ego=owner, label=label, seed=seed, ax=figure.add_subplot())
    return figure
