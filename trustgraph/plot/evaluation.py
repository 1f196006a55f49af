"""Figures of the evaluation protocols: one per protocol, from an ``EvaluationResult``."""

from __future__ import annotations

import math
from typing import Any

from trustgraph.exceptions import ParameterError
from trustgraph.plot.style import OKABE_ITO, SEQUENCE, new_axes, style_context

__all__ = ["plot_evaluation", "plot_metric_bars", "plot_sybil_auc"]

#: The metric each protocol's bar chart shows.
BAR_METRIC = {
    "edge-weight": ("rmse", "RMSE (lower is better)"),
    "levels": ("mae", "MAE in level units (lower is better)"),
    "core": ("auc", "AUC (higher is better)"),
    "fraud": ("auc", "AUC (higher is better)"),
}


def plot_evaluation(result: Any, *, ax: Any = None) -> Any:
    """The protocol's figure: AUC against attack edges for ``sybil``, bars otherwise.

    Parameters
    ----------
    result : EvaluationResult
    ax : matplotlib Axes, optional
        Drawn into; a new :class:`matplotlib.figure.Figure` is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from trustgraph.analysis.evaluation import EvaluationResult
    >>> result = EvaluationResult("fraud", "toy", {}, [{"method": "Fairness", "auc": 0.8}])
    >>> plot_evaluation(result).get_xlabel()
    'AUC (higher is better)'
    """
    if result.protocol == "sybil":
        return plot_sybil_auc(result, ax=ax)
    if result.protocol not in BAR_METRIC:
        raise ParameterError(f"no figure for protocol {result.protocol!r}")
    metric, label = BAR_METRIC[result.protocol]
    return plot_metric_bars(result, metric, ax=ax, label=label)


def plot_sybil_auc(result: Any, *, ax: Any = None, metric: str = "auc") -> Any:
    """One line per method: `metric` (mean, with ±1 std band) against attack edges g.

    Examples
    --------
    >>> from trustgraph.analysis.evaluation import EvaluationResult
    >>> rows = [{"method": "SybilRank", "attack_edges": g, "auc": a, "auc_std": 0.01}
    ...         for g, a in ((10, 1.0), (100, 0.98))]
    >>> ax = plot_sybil_auc(EvaluationResult("sybil", "toy", {}, rows))
    >>> ax.get_xscale(), len(ax.get_lines())
    ('log', 1)
    """
    ax = new_axes((6.4, 4.0)) if ax is None else ax
    methods = list(dict.fromkeys(row["method"] for row in result.results))
    with style_context():
        for k, method in enumerate(methods):
            rows = sorted(
                (r for r in result.results if r["method"] == method),
                key=lambda r: r["attack_edges"],
            )
            g = [r["attack_edges"] for r in rows]
            mean = [r.get(metric, math.nan) for r in rows]
            std = [r.get(f"{metric}_std") or 0.0 for r in rows]
            colour = SEQUENCE[k % len(SEQUENCE)]
            ax.plot(g, mean, marker="o", color=colour, label=method)
            ax.fill_between(
                g,
                [m - s for m, s in zip(mean, std)],
                [m + s for m, s in zip(mean, std)],
                color=colour,
                alpha=0.15,
                linewidth=0,
            )
        ax.set_xscale("log")
        ax.set_xlabel("attack edges g")
        ax.set_ylabel("AUC (honest above Sybil)" if metric == "auc" else metric)
        ax.set_title(f"Sybil attack on {result.dataset}")
        ax.legend(frameon=False)
    return ax


def plot_metric_bars(result: Any, metric: str, *, ax: Any = None, label: str | None = None) -> Any:
    """Horizontal bars of `metric` per method, with the spread as error bars.

    The spread is ``metric_std`` (over repetitions or sources) or the bootstrap interval
    ``metric_low``/``metric_high`` when the row has one.

    Examples
    --------
    >>> from trustgraph.analysis.evaluation import EvaluationResult
    >>> rows = [{"method": "A", "rmse": 0.3, "rmse_low": 0.25, "rmse_high": 0.35},
    ...         {"method": "B", "rmse": 0.4}]
    >>> ax = plot_metric_bars(EvaluationResult("edge-weight", "toy", {}, rows), "rmse")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['A', 'B']
    """
    ax = new_axes((6.4, 4.0)) if ax is None else ax
    rows = [r for r in result.results if r.get(metric) is not None]
    names = [r["method"] for r in rows]
    values = [r[metric] for r in rows]
    lower, upper = [], []
    for r, v in zip(rows, values):
        if r.get(f"{metric}_low") is not None and r.get(f"{metric}_high") is not None:
            lower.append(max(v - r[f"{metric}_low"], 0.0))
            upper.append(max(r[f"{metric}_high"] - v, 0.0))
        else:
            s = r.get(f"{metric}_std") or 0.0
            s = 0.0 if isinstance(s, float) and math.isnan(s) else s
            lower.append(s)
            upper.append(s)
    with style_context():
        positions = list(range(len(rows)))
        ax.barh(
            positions,
            values,
            xerr=[lower, upper],
            color=[SEQUENCE[k % len(SEQUENCE)] for k in positions],
            ecolor=OKABE_ITO["black"],
            capsize=3,
        )
        ax.set_yticks(positions, names)
        ax.invert_yaxis()
        ax.set_xlabel(label or metric)
        ax.set_ylabel("")
        ax.set_title(f"{result.protocol} on {result.dataset}")
    return ax
