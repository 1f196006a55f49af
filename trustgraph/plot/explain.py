"""Why a person gets their trust: the trust paths from the ego and each one's weight."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from trustgraph.plot.style import CLASS_COLORS, OKABE_ITO, label_function, new_axes, style_context

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from trustgraph.analysis.explain import TrustExplanation

__all__ = ["explanation_layout", "plot_explanation"]


def explanation_layout(explanation: TrustExplanation) -> dict[str, np.ndarray]:
    """Plot model of an explanation: one row per path, nodes at their step along it.

    Returns
    -------
    dict
        ``row`` and ``step`` of every drawn node occurrence (``node_row``, ``node_step``,
        ``nodes``), the path ``probability`` and its ``share`` of the summed path
        probabilities (strongest path first, row 0 at the top).

    Examples
    --------
    >>> from trustgraph.analysis.explain import TrustExplanation, TrustPath
    >>> why = TrustExplanation("t", 0.2, {"me": 0.2},
    ...     (TrustPath(("me", "a", "t"), 0.3), TrustPath(("me", "t"), 0.1)), True, 0.85)
    >>> m = explanation_layout(why)
    >>> m["node_step"].tolist(), m["share"].tolist()
    ([0, 1, 2, 0, 1], [0.75, 0.25])
    """
    nodes, rows, steps = [], [], []
    for r, path in enumerate(explanation.paths):
        for s, node in enumerate(path.nodes):
            nodes.append(node)
            rows.append(r)
            steps.append(s)
    probability = np.array([p.probability for p in explanation.paths], dtype=float)
    total = probability.sum()
    share = probability / total if total > 0 else probability
    return {
        "nodes": np.array([*nodes, None], dtype=object)[:-1],
        "node_row": np.array(rows, dtype=np.int64),
        "node_step": np.array(steps, dtype=np.int64),
        "probability": probability,
        "share": share,
    }


def plot_explanation(
    explanation: TrustExplanation,
    *,
    label: Callable[[Hashable], str] | Mapping[Hashable, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the strongest trust paths to one target, one row each, thickness = weight.

    Every row runs from a seed (left) to the target (right); the line width and the bar at
    the right show the path's probability (the chance a walk from the seed takes exactly
    this path), printed with its share of the listed paths. The subtitle gives the target's
    score and each seed's contribution.

    Parameters
    ----------
    explanation : TrustExplanation
        From :func:`trustgraph.explain_trust`.
    label : callable or mapping, optional
        Node labels (pseudonyms when anonymising).
    ax : matplotlib Axes, optional
    title : str or None
        Default: ``"Why <target> is trusted"``.

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    trustgraph.explain_trust

    Examples
    --------
    >>> from trustgraph.analysis.explain import TrustExplanation, TrustPath
    >>> why = TrustExplanation("t", 0.2, {"me": 0.2},
    ...     (TrustPath(("me", "a", "t"), 0.3),), True, 0.85)
    >>> ax = plot_explanation(why, label={"t": "Target"})
    >>> ax.get_title(loc="left")
    'Why Target is trusted'
    """
    from matplotlib.collections import LineCollection

    text_of = label_function(label)
    model = explanation_layout(explanation)
    n_paths = model["probability"].size
    longest = int(model["node_step"].max()) if model["node_step"].size else 1
    with style_context():
        if ax is None:
            ax = new_axes((7.0, 1.2 + 0.7 * max(n_paths, 1)))
        peak = model["probability"].max() if n_paths else 1.0
        segments, widths = [], []
        for r in range(n_paths):
            mask = model["node_row"] == r
            steps = model["node_step"][mask]
            # The target always sits in the right-most column, so rows line up on it.
            xs = np.where(steps == steps.max(), longest, steps).astype(float)
            ys = np.full(xs.size, -float(r))
            segments.extend([((xs[i], ys[i]), (xs[i + 1], ys[i + 1])) for i in range(xs.size - 1)])
            widths.extend([1.0 + 6.0 * model["probability"][r] / peak] * (xs.size - 1))
            colours = [CLASS_COLORS["owner"]] + [CLASS_COLORS["circle"]] * (xs.size - 2)
            colours = ([*colours, OKABE_ITO["orange"]])[: xs.size]
            ax.scatter(xs, ys, s=60, c=colours, zorder=3, edgecolors="white")
            for x, y, node in zip(xs, ys, model["nodes"][mask]):
                ax.annotate(
                    text_of(node),
                    (x, y),
                    xytext=(0, 7),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7.5,
                )
            ax.annotate(
                f"p = {model['probability'][r]:.3g} ({model['share'][r]:.0%})",
                (longest, -r),
                xytext=(14, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
            )
        if segments:
            ax.add_collection(
                LineCollection(segments, linewidths=widths, colors=OKABE_ITO["blue"], alpha=0.7)
            )
        else:
            ax.text(
                0.5,
                0.5,
                "no trust path within the search limits",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
        ax.set_xlim(-0.4, longest + 1.1)
        ax.set_ylim(-max(n_paths, 1) + 0.4, 0.7)
        ax.set_axis_off()
        seeds = ", ".join(
            f"{text_of(s)} {v:.3g}" for s, v in list(explanation.contributions.items())[:4]
        )
        ax.set_title(title or f"Why {text_of(explanation.target)} is trusted", loc="left", pad=16)
        ax.text(
            0.0,
            1.0,
            f"trust {explanation.score:.3g} (damping {explanation.damping}); "
            f"from: {seeds}" + ("" if explanation.paths_complete else "; path search cut short"),
            transform=ax.transAxes,
            fontsize=7.5,
            va="bottom",
            color="#444444",
        )
    return ax
