"""How far trust travels from the ego: by hop distance, over iterations, and reach.

Three panels, each its own function taking plain data: :func:`plot_trust_by_hop` (how much
of the propagated trust sits at each hop distance), :func:`plot_trust_over_iterations` (the
same split as the propagation runs), and :func:`plot_trusted_reach` (how many people clear
a trust threshold). :func:`spread_model` computes the arrays they draw from a graph.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from trustgraph.plot.style import OKABE_ITO, SEQUENCE, new_axes, style_context

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

    from trustgraph.core.compact import CompactGraph

__all__ = [
    "hop_distances",
    "plot_trust_by_hop",
    "plot_trust_over_iterations",
    "plot_trusted_reach",
    "reach_curve",
    "spread_model",
]


def hop_distances(G: nx.Graph | CompactGraph, sources: Collection[Hashable]) -> dict:
    """Hops along edge direction from the nearest source (``None`` when unreachable).

    Examples
    --------
    >>> import networkx as nx
    >>> hop_distances(nx.DiGraph([("a", "b"), ("b", "c"), ("d", "a")]), ["a"])
    {'a': 0, 'b': 1, 'c': 2, 'd': None}
    """
    from scipy.sparse.csgraph import shortest_path

    from trustgraph.core.compact import as_compact

    cg = as_compact(G, weight=None)
    starts = [cg.index[s] for s in sources]
    dist = shortest_path(cg.adjacency, directed=True, unweighted=True, indices=starts)
    nearest = np.atleast_2d(dist).min(axis=0)
    return {
        node: (int(d) if np.isfinite(d) else None) for node, d in zip(cg.nodes, nearest.tolist())
    }


def spread_model(
    G: nx.Graph | CompactGraph,
    seeds: Collection[Hashable],
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    n_iter: int = 30,
) -> dict[str, Any]:
    """Trust by hop distance, per power iteration of personalized PageRank.

    Runs `n_iter` steps of ``x <- damping P^T x + (1 - damping + damping * dangling) s``
    from ``x = s`` (the iteration of :func:`trustgraph.personalized_pagerank`; dangling mass
    returns to the seeds) and sums the mass at each hop distance after every step.

    Returns
    -------
    dict
        ``mass`` ``(n_iter + 1, n_hops + 1)``: share of trust at hop 0, 1, ...; the last
        column holds nodes the seeds cannot reach (always 0 for a walk from the seeds).
        ``hops`` (hop of every node, -1 unreachable), ``scores`` (final iterate, graph
        order) and ``nodes``.

    Examples
    --------
    >>> import networkx as nx
    >>> m = spread_model(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]), ["a"], n_iter=2)
    >>> m["mass"].round(4).tolist()
    [[1.0, 0.0, 0.0, 0.0], [0.15, 0.85, 0.0, 0.0], [0.15, 0.1275, 0.7225, 0.0]]
    """
    from trustgraph.core.compact import as_compact
    from trustgraph.core.solvers import transition
    from trustgraph.core.validate import check_damping
    from trustgraph.core.vectors import seed_vector

    check_damping(damping)
    cg = as_compact(G, weight=weight)
    teleport = seed_vector(cg, seeds)
    walk = transition(cg)
    hops_by_node = hop_distances(cg, [n for n in cg.nodes if teleport[cg.index[n]] > 0])
    hops = np.array([-1 if h is None else h for h in hops_by_node.values()], dtype=np.int64)
    n_hops = int(hops.max()) if hops.size else 0
    column = np.where(hops >= 0, hops, n_hops + 1)
    x = teleport.copy()
    rows = [np.bincount(column, weights=x, minlength=n_hops + 2)]
    for _ in range(n_iter):
        comeback = 1.0 - damping + damping * x[walk.dangling].sum()
        x = damping * (walk.backward @ x) + comeback * teleport
        rows.append(np.bincount(column, weights=x, minlength=n_hops + 2))
    return {"mass": np.array(rows), "hops": hops, "scores": x, "nodes": cg.nodes}


def reach_curve(
    scores: Mapping[Hashable, float], *, exclude: Collection[Hashable] = (), n_points: int = 60
) -> tuple[np.ndarray, np.ndarray]:
    """People whose trust is at least each threshold (log-spaced between the extremes).

    Examples
    --------
    >>> t, n = reach_curve({"a": 0.5, "b": 0.1, "c": 0.0}, n_points=3)
    >>> t.round(3).tolist(), n.tolist()
    ([0.1, 0.224, 0.5], [2, 1, 1])
    """
    skip = set(exclude)
    values = np.array([float(v) for k, v in scores.items() if k not in skip])
    positive = np.sort(values[values > 0])
    if positive.size == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    thresholds = np.geomspace(positive[0], positive[-1], n_points)
    counts = positive.size - np.searchsorted(positive, thresholds * (1 - 1e-12), side="left")
    return thresholds, counts.astype(np.int64)


def plot_trust_by_hop(
    hops: Mapping[Hashable, int | None],
    scores: Mapping[Hashable, float],
    *,
    ax: Axes | None = None,
    title: str | None = "Where the trust sits: share by hop distance",
) -> Axes:
    """Bars of the share of trust at each hop distance from the ego, people counted above.

    Parameters
    ----------
    hops : mapping
        Hop distance of every node from the ego (``None``: unreachable).
    scores : mapping
        Propagated trust of every node (e.g. personalized PageRank from the ego).
    ax : matplotlib Axes, optional
    title : str or None

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_trust_by_hop({"me": 0, "a": 1, "b": 2}, {"me": 0.5, "a": 0.3, "b": 0.2})
    >>> [round(float(p.get_height()), 2) for p in ax.patches]
    [0.5, 0.3, 0.2]
    """
    nodes = list(scores)
    hop = np.array([-1 if hops.get(n) is None else int(hops[n]) for n in nodes])
    value = np.array([float(scores[n]) for n in nodes])
    total = value.sum() if value.sum() > 0 else 1.0
    reachable = hop >= 0
    n_hops = int(hop[reachable].max()) + 1 if reachable.any() else 0
    share = np.bincount(hop[reachable], weights=value[reachable], minlength=n_hops) / total
    people = np.bincount(hop[reachable], minlength=n_hops)
    with style_context():
        if ax is None:
            ax = new_axes((6.0, 4.0))
        ax.bar(np.arange(n_hops), share, color=OKABE_ITO["blue"], width=0.7)
        for h in range(n_hops):
            ax.annotate(
                f"{people[h]:,}",
                (h, share[h]),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=6.5,
            )
        ax.set_xticks(np.arange(n_hops))
        ax.set_xlabel("hops from you (above each bar: people at that hop)")
        ax.set_ylabel("share of propagated trust")
        ax.set_ylim(0, max(share.max() * 1.15, 0.05) if share.size else 1)
        if title:
            ax.set_title(title)
    return ax


def plot_trust_over_iterations(
    mass: np.ndarray,
    *,
    ax: Axes | None = None,
    max_hops: int = 5,
    title: str | None = "How trust spreads as propagation runs",
) -> Axes:
    """Stacked areas: share of trust at each hop distance after each iteration.

    Parameters
    ----------
    mass : numpy.ndarray
        ``(iterations + 1, hops + 1)`` from :func:`spread_model`; hops past `max_hops`
        are pooled.
    ax : matplotlib Axes, optional
    max_hops : int
        Hop distances shown separately.
    title : str or None

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_trust_over_iterations(np.array([[1.0, 0.0], [0.2, 0.8]]))
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['hop 0 (you)', 'hop 1']
    """
    mass = np.asarray(mass, dtype=float)
    total = mass.sum(axis=1, keepdims=True)
    share = mass / np.where(total > 0, total, 1.0)
    # Drop the trailing 'unreachable' column when it is empty, pool the far hops.
    if share.shape[1] > 1 and not share[:, -1].any():
        share = share[:, :-1]
    if share.shape[1] > max_hops + 1:
        share = np.column_stack((share[:, :max_hops], share[:, max_hops:].sum(axis=1)))
        names = [f"hop {h}" for h in range(max_hops)] + [f"hop {max_hops}+"]
    else:
        names = [f"hop {h}" for h in range(share.shape[1])]
    names[0] = "hop 0 (you)"
    steps = np.arange(share.shape[0])
    with style_context():
        if ax is None:
            ax = new_axes((6.0, 4.0))
        colours = [SEQUENCE[i % len(SEQUENCE)] for i in range(share.shape[1])]
        ax.stackplot(steps, share.T, labels=names, colors=colours, alpha=0.9)
        ax.set_xlim(0, max(steps[-1], 1))
        ax.set_ylim(0, 1)
        ax.set_xlabel("iteration")
        ax.set_ylabel("share of trust")
        ax.legend(loc="upper right", frameon=True, framealpha=0.9, fontsize=7)
        if title:
            ax.set_title(title)
    return ax


def plot_trusted_reach(
    scores: Mapping[Hashable, float] | Mapping[str, Mapping[Hashable, float]],
    *,
    exclude: Collection[Hashable] = (),
    threshold: float | None = None,
    ax: Axes | None = None,
    title: str | None = "Trusted reach: people at or above each trust level",
) -> Axes:
    """Number of people whose trust clears a threshold, against the threshold (log x).

    Parameters
    ----------
    scores : mapping
        ``{node: score}``, or ``{series name: {node: score}}`` for one line per series.
    exclude : collection
        Nodes not counted (the ego).
    threshold : float, optional
        A trust threshold to mark with a vertical line and its count.
    ax : matplotlib Axes, optional
    title : str or None

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_trusted_reach({"a": 0.5, "b": 0.1, "c": 0.01}, threshold=0.1)
    >>> ax.get_xscale()
    'log'
    """
    series: Mapping[str, Mapping[Hashable, float]]
    first = next(iter(scores.values()), None)
    series = scores if isinstance(first, Mapping) else {"trust": scores}  # type: ignore[assignment]
    with style_context():
        if ax is None:
            ax = new_axes((6.0, 4.0))
        for i, (name, values) in enumerate(series.items()):
            t, n = reach_curve(values, exclude=exclude)
            ax.step(t, n, where="post", color=SEQUENCE[i % len(SEQUENCE)], label=name, lw=1.6)
        if threshold is not None:
            single = next(iter(series.values()), {})
            skip = set(exclude)
            count = sum(1 for k, v in single.items() if k not in skip and v >= threshold)
            ax.axvline(threshold, color=OKABE_ITO["grey"], ls="--", lw=1)
            ax.annotate(
                f"{count:,} at >= {threshold:.2g}",
                (threshold, count),
                xytext=(5, 5),
                textcoords="offset points",
                fontsize=7,
            )
        ax.set_xscale("log")
        ax.set_xlabel("trust threshold")
        ax.set_ylabel("people reached")
        if len(series) > 1:
            ax.legend(frameon=False)
        if title:
            ax.set_title(title)
    return ax
