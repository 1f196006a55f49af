"""The core-versus-strangers map: the owner in the centre, conversation partners on rings.

This is the report's first figure. Rings are ranks of tie strength (the 5 strongest ties
on the inner ring, then 15, 50 and 150, Dunbar's reference sizes); everyone the owner is
connected to but never talked with is one grey blob outside, sized by how many they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from trustgraph.plot.style import CLASS_COLORS, OKABE_ITO

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from trustgraph.report.model import ContactRow

__all__ = ["DUNBAR_LAYERS", "core_map_layout", "plot_core_map"]

#: Cumulative reference layer sizes (Dunbar): support clique, sympathy group, ...
DUNBAR_LAYERS = (5, 15, 50, 150)


def core_map_layout(
    contacts: Sequence[ContactRow], *, layers: Sequence[int] = DUNBAR_LAYERS
) -> dict[str, np.ndarray]:
    """Positions of the conversation partners on rings, as arrays (the plot model).

    Partners are ranked by tie strength (the order of `contacts`);
    rank ``r`` goes to the first ring whose cumulative size exceeds ``r``, partners past the
    last ring to an outer ring. Within a ring, angles are evenly spaced in rank order.

    Returns
    -------
    dict
        ``x``, ``y``, ``ring`` (1-based) and ``index`` (position in `contacts`) arrays for
        the partners, and ``n_strangers``, the number of declared connections never talked
        with.

    Examples
    --------
    >>> from trustgraph.report.model import ContactRow
    >>> rows = [ContactRow(str(i), None, 1, 1, 1.0, 0.0, False, True, True, None)
    ...         for i in range(7)]
    >>> layout = core_map_layout(rows, layers=(2, 5))
    >>> layout["ring"].tolist()
    [1, 1, 2, 2, 2, 3, 3]
    """
    partners = [i for i, c in enumerate(contacts) if c.conversed]
    bounds = np.asarray(layers)
    ranks = np.arange(len(partners))
    ring = np.searchsorted(bounds, ranks, side="right") + 1
    x = np.zeros(len(partners))
    y = np.zeros(len(partners))
    for r in np.unique(ring):
        members = np.flatnonzero(ring == r)
        angles = 2 * np.pi * np.arange(members.size) / members.size + 0.3 * r
        x[members] = r * np.cos(angles)
        y[members] = r * np.sin(angles)
    n_strangers = sum(1 for c in contacts if c.declared and not c.conversed)
    return {
        "x": x,
        "y": y,
        "ring": ring,
        "index": np.asarray(partners, dtype=np.int64),
        "n_strangers": np.asarray(n_strangers),
    }


def plot_core_map(
    contacts: Sequence[ContactRow],
    *,
    ax: Axes | None = None,
    layers: Sequence[int] = DUNBAR_LAYERS,
    n_labels: int = 5,
    title: str | None = "Who you talk with, and the strangers around them",
) -> Axes:
    """Draw the core-versus-strangers map.

    Parameters
    ----------
    contacts : sequence of ContactRow
        From :func:`trustgraph.report.build_report`, strongest first.
    ax : matplotlib Axes, optional
        Drawn into a new figure when omitted.
    layers : sequence of int
        Cumulative ring sizes.
    n_labels : int
        Label only the strongest ties (privacy and legibility).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(8, 8)).add_subplot()
    layout = core_map_layout(contacts, layers=layers)
    n_rings = int(layout["ring"].max()) if layout["ring"].size else len(layers)
    outer = n_rings + 1.6
    theta = np.linspace(0, 2 * np.pi, 200)
    ring_names = [f"top {size}" for size in layers] + ["the rest"]
    label_angle = np.deg2rad(100)
    for r in range(1, n_rings + 1):
        ax.plot(r * np.cos(theta), r * np.sin(theta), color=OKABE_ITO["grey"], lw=0.6, ls=":")
        ax.text(
            (r + 0.5) * np.cos(label_angle),
            (r + 0.5) * np.sin(label_angle),
            ring_names[r - 1] if r - 1 < len(ring_names) else "",
            ha="center",
            va="center",
            fontsize=7,
            color=OKABE_ITO["grey"],
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            zorder=5,
        )
    idx = layout["index"]
    reciprocal = np.array([contacts[i].reciprocal for i in idx], dtype=bool)
    strength = np.array([contacts[i].tie_strength for i in idx], dtype=float)
    sizes = 12 + 60 * (strength / strength.max() if strength.size and strength.max() > 0 else 0)
    for mask, key, label in (
        (reciprocal, "core", "two-way conversation"),
        (~reciprocal, "broadcaster", "one-way messages"),
    ):
        ax.scatter(
            layout["x"][mask],
            layout["y"][mask],
            s=sizes[mask] if np.ndim(sizes) else sizes,
            c=CLASS_COLORS[key],
            marker="o" if key == "core" else "^",
            edgecolors="white",
            linewidths=0.4,
            label=f"{label} ({int(mask.sum())})",
            zorder=3,
        )
    for j in range(min(n_labels, idx.size)):
        ax.annotate(
            contacts[idx[j]].name or contacts[idx[j]].id,
            (layout["x"][j], layout["y"][j]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=7,
        )
    n_strangers = int(layout["n_strangers"])
    if n_strangers:
        blob = 300 + 2400 * np.sqrt(n_strangers / max(n_strangers, 3000))
        ax.scatter(
            [outer * 0.72],
            [-outer * 0.72],
            s=blob,
            c=CLASS_COLORS["stranger"],
            alpha=0.55,
            label=f"declared, never talked with ({n_strangers:,})",
            zorder=2,
        )
    ax.scatter([0], [0], s=220, c=CLASS_COLORS["owner"], marker="*", label="you", zorder=4)
    ax.set_xlim(-outer, outer)
    ax.set_ylim(-outer, outer)
    ax.set_aspect("equal")
    ax.set_axis_off()
    legend = ax.legend(loc="upper left", fontsize=7, frameon=False)
    for handle in legend.legend_handles:
        # Legend markers at one size: the blob's real size would hide the legend.
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([40])
    if title:
        ax.set_title(title, fontsize=11)
    return ax
