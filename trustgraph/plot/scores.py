"""Score distributions: rank plots per algorithm and how much the algorithms agree."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from trustgraph.exceptions import ParameterError
from trustgraph.plot.style import SEQUENCE, new_axes, style_context

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["agreement_matrix", "plot_agreement", "plot_score_ranks"]


def plot_score_ranks(
    scores: Mapping[str, Mapping[Hashable, float]],
    *,
    ax: Axes | None = None,
    title: str | None = "Score by rank, one line per algorithm",
) -> Axes:
    """Rank plot on log-log axes: each algorithm's scores sorted from the largest.

    Heavy tails show as straight lines; a method that concentrates trust on few people
    falls steeply. Zero and negative scores cannot sit on a log axis and are left out
    (the legend says how many each method gives a positive score).

    Parameters
    ----------
    scores : mapping
        ``{method name: {node: score}}``.
    ax : matplotlib Axes, optional
    title : str or None

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_score_ranks({"ppr": {"a": 0.6, "b": 0.3, "c": 0.1}})
    >>> ax.lines[0].get_ydata().tolist()
    [0.6, 0.3, 0.1]
    """
    with style_context():
        if ax is None:
            ax = new_axes((6.0, 4.0))
        for i, (name, values) in enumerate(scores.items()):
            v = np.array([float(x) for x in values.values()])
            positive = np.sort(v[v > 0])[::-1]
            ax.plot(
                np.arange(1, positive.size + 1),
                positive,
                color=SEQUENCE[i % len(SEQUENCE)],
                lw=1.6,
                ls=("-", "--", "-.", ":")[i % 4],
                label=f"{name} ({positive.size:,} > 0)",
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("rank")
        ax.set_ylabel("score")
        ax.legend(frameon=False)
        if title:
            ax.set_title(title)
    return ax


def agreement_matrix(
    scores: Mapping[str, Mapping[Hashable, float]], *, method: str = "spearman"
) -> np.ndarray:
    """Rank correlation between every pair of methods over their common nodes.

    Parameters
    ----------
    scores : mapping
        ``{method name: {node: score}}``.
    method : {"spearman", "kendall"}
        :func:`scipy.stats.spearmanr` (rho) or :func:`scipy.stats.kendalltau` (tau-b).

    Returns
    -------
    numpy.ndarray
        Symmetric ``(k, k)`` matrix with ones on the diagonal; NaN where a method is
        constant on the common nodes.

    Examples
    --------
    >>> s = {"a": {1: 3.0, 2: 2.0, 3: 1.0}, "b": {1: 1.0, 2: 2.0, 3: 3.0}}
    >>> agreement_matrix(s).tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    from scipy import stats

    if method not in ("spearman", "kendall"):
        raise ParameterError(f"method must be 'spearman' or 'kendall', got {method!r}")
    names = list(scores)
    common = set.intersection(*(set(scores[n]) for n in names)) if names else set()
    order = [node for node in scores[names[0]] if node in common] if names else []
    table = np.array([[float(scores[n][node]) for node in order] for n in names])
    k = len(names)
    result = np.eye(k)
    for i in range(k):
        for j in range(i + 1, k):
            a, b = table[i], table[j]
            if a.size < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
                value = np.nan
            elif method == "spearman":
                value = float(stats.spearmanr(a, b).statistic)
            else:
                value = float(stats.kendalltau(a, b).statistic)
            result[i, j] = result[j, i] = value
    return result


def plot_agreement(
    scores: Mapping[str, Mapping[Hashable, float]],
    *,
    method: str = "spearman",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Heatmap of rank agreement between methods, each cell printed.

    The diverging map (blue = agree, orange = disagree) is colour-blind safe; the printed
    value is the second channel.

    Parameters
    ----------
    scores : mapping
        ``{method name: {node: score}}``.
    method : {"spearman", "kendall"}
    ax : matplotlib Axes, optional
    title : str or None
        Default names the correlation.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> s = {"a": {1: 3.0, 2: 2.0, 3: 1.0}, "b": {1: 1.0, 2: 2.0, 3: 3.0}}
    >>> ax = plot_agreement(s)
    >>> sorted(t.get_text() for t in ax.texts)
    ['-1.00', '-1.00', '1.00', '1.00']
    """
    from matplotlib.colors import LinearSegmentedColormap

    matrix = agreement_matrix(scores, method=method)
    names = list(scores)
    cmap = LinearSegmentedColormap.from_list("agreement", ["#E69F00", "#FFFFFF", "#0072B2"], N=256)
    with style_context():
        if ax is None:
            ax = new_axes((5.0, 4.4))
        image = ax.imshow(matrix, cmap=cmap, vmin=-1, vmax=1)
        for i in range(len(names)):
            for j in range(len(names)):
                v = matrix[i, j]
                ax.text(
                    j,
                    i,
                    "n/a" if np.isnan(v) else f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if abs(v) > 0.75 else "black",
                )
        ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
        ax.set_yticks(range(len(names)), names)
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        symbol = "Spearman rho" if method == "spearman" else "Kendall tau"
        ax.set_title(title or f"Rank agreement between methods ({symbol})")
        ax.spines[:].set_visible(False)
    return ax
