"""How far trust travels: where the owner's trust goes, and who vouches for the owner.

Two panels, each its own function taking plain data from the ego analysis:
:func:`plot_trust_by_hop` (how much of the owner's propagated trust sits at each hop
distance) and :func:`plot_trusted_reach` (how many people clear each trust threshold).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from trustgraph.plot.style import OKABE_ITO, SEQUENCE, new_axes, style_context

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_trust_by_hop", "plot_trusted_reach", "reach_curve"]


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
    max_hops: int = 6,
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
    max_hops : int, default 6
        Hop distances shown one bar each; farther ones share a last bar ("7+"), so a long
        chain draws a few bars, not thousands.
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
    >>> far = {k: k for k in range(10)}
    >>> ax = plot_trust_by_hop(far, dict.fromkeys(far, 0.1), max_hops=2)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['0', '1', '2', '3+']
    """
    nodes = list(scores)
    hop = np.array([-1 if hops.get(n) is None else min(int(hops[n]), max_hops + 1) for n in nodes])
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
        ticks = [str(h) for h in range(n_hops)]
        if n_hops > max_hops + 1:
            ticks[-1] = f"{max_hops + 1}+"
        ax.set_xticks(np.arange(n_hops), ticks)
        ax.set_xlabel("hops from you (above each bar: people at that hop)")
        ax.set_ylabel("share of propagated trust")
        ax.set_ylim(0, max(share.max() * 1.15, 0.05) if share.size else 1)
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
        ax.set_ylim(bottom=0)
        if len(series) > 1:
            ax.legend(frameon=False)
        if title:
            ax.set_title(title)
    return ax
