"""Shared figure style: the Okabe-Ito colour-blind-safe palette, fixed sizes and fonts.

Every figure uses these so that the same input gives the same pixels, and colours keep
their meaning across figures (core is always blue, strangers always grey, ...). Fonts and
sizes are applied through :func:`style_context`, a ``matplotlib.rc_context``, so nothing
changes matplotlib's global state.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = [
    "CLASS_COLORS",
    "CLASS_MARKERS",
    "CLASS_ORDER",
    "FIGSIZE",
    "OKABE_ITO",
    "RC_PARAMS",
    "SAVE_KWARGS",
    "SEQUENCE",
    "label_function",
    "new_axes",
    "new_figure",
    "note_figure",
    "style_context",
]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
#: colour blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: Line colours for series (algorithms, communities) in a fixed order.
SEQUENCE = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)

CLASS_COLORS = {
    "owner": OKABE_ITO["black"],
    "core": OKABE_ITO["blue"],
    "circle": OKABE_ITO["sky_blue"],
    "stale": OKABE_ITO["orange"],
    "acquaintance": OKABE_ITO["bluish_green"],
    "stranger": OKABE_ITO["grey"],
    "broadcaster": OKABE_ITO["vermillion"],
    "sybil": OKABE_ITO["reddish_purple"],
}

#: Shape is the second channel, so classes stay apart in greyscale print too.
CLASS_MARKERS = {
    "owner": "*",
    "core": "o",
    "circle": "o",
    "stale": "D",
    "acquaintance": "s",
    "stranger": ".",
    "broadcaster": "^",
    "sybil": "X",
}

#: Classes from the innermost to the outermost, the order of legends.
CLASS_ORDER = ("core", "circle", "stale", "acquaintance", "broadcaster", "stranger")

FIGSIZE = (8.0, 8.0)

#: Fixed dpi and no software tag, so PNG bytes are reproducible.
SAVE_KWARGS: dict[str, Any] = {"dpi": 120, "metadata": {"Software": None}}

#: Fonts that ship with matplotlib, fixed sizes: the same text renders the same everywhere.
RC_PARAMS: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "trustgraph",
    "path.simplify": True,
    "agg.path.chunksize": 20000,
}


@contextmanager
def style_context() -> Iterator[None]:
    """Apply :data:`RC_PARAMS` for the duration of a ``with`` block (never globally).

    Examples
    --------
    >>> import matplotlib
    >>> with style_context():
    ...     matplotlib.rcParams["font.sans-serif"][0]
    'DejaVu Sans'
    """
    import matplotlib

    with matplotlib.rc_context(RC_PARAMS):
        yield


def new_axes(figsize: tuple[float, float] = FIGSIZE) -> Any:
    """A fresh Axes on a new :class:`matplotlib.figure.Figure` (no pyplot, nothing leaks).

    Examples
    --------
    >>> ax = new_axes((3, 2))
    >>> ax.figure.get_size_inches().tolist()
    [3.0, 2.0]
    """
    from matplotlib.figure import Figure

    with style_context():
        return Figure(figsize=figsize).add_subplot()


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> Any:
    """A fresh :class:`matplotlib.figure.Figure` (no pyplot; the caller saves it).

    The one place outside the drawing functions that creates figures, so that callers
    such as :mod:`trustgraph.report.figures` never import matplotlib themselves.

    Examples
    --------
    >>> new_figure((3, 2)).get_size_inches().tolist()
    [3.0, 2.0]
    """
    from matplotlib.figure import Figure

    return Figure(figsize=figsize)


def note_figure(text: str) -> Any:
    """A small figure that says why there is nothing to draw.

    Examples
    --------
    >>> note_figure("No dates in the input.").axes[0].texts[0].get_text()
    'No dates in the input.'
    """
    figure = new_figure((8, 1.6))
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center")
    return figure


def label_function(
    label: Callable[[Hashable], str] | Mapping[Hashable, str] | None,
) -> Callable[[Hashable], str]:
    """Turn a ``label=`` argument into a function (pseudonyms for anonymised figures).

    A mapping gives the label of the nodes it holds; other nodes keep ``str(node)``.

    Examples
    --------
    >>> f = label_function({"ann@example.com": "Person 1"})
    >>> f("ann@example.com"), f("bob")
    ('Person 1', 'bob')
    >>> label_function(None)(7)
    '7'
    """
    if label is None:
        return str
    if callable(label):
        return lambda node: str(label(node))
    mapping = label
    return lambda node: str(mapping.get(node, node))
