"""Your trusted people over time: when each tie began, when it was last active, who went quiet.

One horizontal bar per person from first to last contact, coloured by class, newest ties at
the top; stale ties end early and are drawn in their own colour, so "who entered, who went
stale" reads at a glance. The model is plain data; :func:`plot_trusted_timeline` only draws.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from trustgraph.plot.style import CLASS_COLORS, OKABE_ITO, label_function, new_axes, style_context

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_trusted_timeline"]


def plot_trusted_timeline(
    spans: Mapping[Hashable, tuple[datetime, datetime]],
    classes: Mapping[Hashable, str],
    *,
    as_of: datetime | None = None,
    label: Callable[[Hashable], str] | Mapping[Hashable, str] | None = None,
    ax: Axes | None = None,
    title: str | None = "Your trusted people over time",
) -> Axes:
    """Draw one bar per person from first to last contact, coloured by class.

    Parameters
    ----------
    spans : mapping
        ``{person: (first contact, last contact)}``, in the order to draw from the top.
    classes : mapping
        ``{person: class}`` (``core``, ``circle``, ``stale``, ...), for colours and legend.
    as_of : datetime, optional
        The analysis date, drawn as a dashed line (stale ties end well before it).
    label : callable or mapping, optional
        Text of a person's label (pseudonyms under ``--anonymize``).
    ax : matplotlib Axes, optional
    title : str or None

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> d = lambda m: datetime(2025, m, 1, tzinfo=timezone.utc)
    >>> ax = plot_trusted_timeline({"ann": (d(1), d(12)), "bo": (d(2), d(5))},
    ...                            {"ann": "core", "bo": "stale"}, as_of=d(12))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['ann', 'bo']
    """
    from matplotlib.dates import date2num
    from matplotlib.patches import Patch

    people: Sequence[Hashable] = list(spans)
    text_of = label_function(label)
    with style_context():
        if ax is None:
            ax = new_axes((8.0, max(2.5, 0.22 * len(people) + 1.2)))
        y = np.arange(len(people))[::-1]
        for row, person in zip(y, people):
            first, last = spans[person]
            start, end = date2num(first), date2num(last)
            colour = CLASS_COLORS.get(classes.get(person, ""), OKABE_ITO["grey"])
            ax.plot(
                [start, max(end, start + 1)], [row, row], color=colour, lw=5, solid_capstyle="butt"
            )
        if as_of is not None:
            ax.axvline(date2num(as_of), color=OKABE_ITO["grey"], ls="--", lw=1)
        ax.set_yticks(y)
        ax.set_yticklabels([text_of(p) for p in people])
        ax.xaxis_date()
        ax.set_xlabel("first to last contact")
        shown = [c for c in ("core", "circle", "stale") if c in set(classes.values())]
        ax.legend(
            handles=[Patch(color=CLASS_COLORS[c], label=c) for c in shown],
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=len(shown) or 1,
            frameon=False,
        )
        if title:
            ax.set_title(title, loc="left")
    return ax
