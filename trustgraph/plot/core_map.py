"""The core-versus-strangers map: the owner in the centre, trusted layers on rings.

The signature figure. The ego sits at the centre; core and circle members sit on
concentric rings (radius = layer), grouped by community so that a community reads as a
sector; acquaintances and broadcasters share the ring just outside; strangers are collapsed
into one blob per cluster on the outside, sized by how many they are; the Sybil-like cluster
and the attack edges into it are marked. Dunbar's reference layers (5, 15, 50, 150) are the
labelled dotted rings.

The plot model (:func:`core_map_layout`) is plain arrays, so tests check positions, colours
and labels without pixels; :func:`plot_core_map` only draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from trustgraph.exceptions import ParameterError
from trustgraph.plot.layout import greedy_labels, sector_angles
from trustgraph.plot.style import (
    CLASS_COLORS,
    CLASS_MARKERS,
    CLASS_ORDER,
    OKABE_ITO,
    label_function,
    new_axes,
    style_context,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "DUNBAR_LAYERS",
    "DUNBAR_NAMES",
    "core_map_layout",
    "plot_core_map",
]

#: Cumulative reference layer sizes (Dunbar): support clique, sympathy group, ...
DUNBAR_LAYERS = (5, 15, 50, 150)
DUNBAR_NAMES = ("support clique", "sympathy group", "affinity group", "active network")

_KNOWN = frozenset(CLASS_ORDER)
#: Where the Dunbar ring labels are written, and the angular gap kept free of dots there.
LABEL_ANGLE = np.deg2rad(97)
LABEL_GAP = np.deg2rad(24)
_OTHER = "other strangers"


def core_map_layout(
    classes: Mapping[Hashable, str],
    *,
    layers: Mapping[Hashable, int | None] | None = None,
    clusters: Mapping[Hashable, Hashable] | None = None,
    flagged: Collection[Hashable] = (),
    communities: Mapping[Hashable, Hashable] | None = None,
    scores: Mapping[Hashable, float] | None = None,
    attack_edges: Iterable[tuple[Hashable, Hashable]] = (),
    ego: Collection[Hashable] = (),
    dunbar: Sequence[int] = DUNBAR_LAYERS,
    max_blobs: int = 12,
    min_blob: int = 2,
) -> dict[str, Any]:
    """The plot model of the core map, as arrays.

    Parameters
    ----------
    classes : mapping
        Class of every contact: ``core``, ``circle``, ``acquaintance``, ``stranger`` or
        ``broadcaster``. The ego is not a contact.
    layers : mapping, optional
        Layer of each core or circle member (1 = innermost); it is the ring's radius.
        Missing: core on ring 1, circle on the outermost Dunbar ring.
    clusters : mapping, optional
        Stranger cluster ids; each cluster becomes one blob (strangers without a cluster
        share the ``"other strangers"`` blob). Only the `max_blobs` largest clusters keep
        their own blob; smaller ones join ``"other strangers"``.
    flagged : collection
        Sybil-like nodes. A blob whose members are at least half flagged is drawn as the
        Sybil-like cluster; flagged ring members get an extra cross.
    communities : mapping, optional
        Community of ring members: each community gets one angular sector on every ring
        (communities of one member share the ``"other"`` sector).
    scores : mapping, optional
        Trust scores: order inside a sector (highest first), marker size and label priority.
    attack_edges : iterable of (u, v)
        Edges to highlight; a stranger's end is drawn at its blob, an ego end at the centre.
    ego : collection
        The ego's node ids (for attack edges that touch the ego).
    dunbar : sequence of int
        Reference layer sizes, one dotted ring each.
    max_blobs : int
        Most stranger blobs drawn.
    min_blob : int
        Smallest cluster drawn as its own blob; smaller ones join ``"other strangers"``.

    Returns
    -------
    dict
        ``nodes`` (object array of ring members), ``x``, ``y``, ``radius``, ``cls``
        (class names), ``flagged`` (bool), ``score``; blobs as ``blob_id`` (object array),
        ``blob_x``, ``blob_y``, ``blob_size`` (radius in data units), ``blob_count``,
        ``blob_flagged`` (members flagged) and ``blob_sybil`` (bool); ``edges`` of shape
        ``(m, 2, 2)`` for the attack edges; ``n_rings``, ``blob_ring`` and ``limit`` (half
        the side of the square view).

    Raises
    ------
    ParameterError
        An unknown class name.

    Examples
    --------
    >>> classes = {"a": "core", "b": "circle", "c": "stranger", "d": "stranger"}
    >>> m = core_map_layout(classes, layers={"a": 1, "b": 2}, clusters={"c": 0, "d": 0},
    ...                     dunbar=(5, 15))
    >>> m["nodes"].tolist(), m["radius"].tolist()
    (['a', 'b'], [1.0, 2.0])
    >>> m["blob_id"].tolist(), m["blob_count"].tolist()
    ([0], [2])
    """
    layers = layers or {}
    clusters = clusters or {}
    communities = communities or {}
    scores = scores or {}
    flagged_set = set(flagged)
    unknown = sorted({str(c) for c in classes.values()} - _KNOWN)
    if unknown:
        raise ParameterError(
            f"unknown class {unknown[0]!r}: expected one of {', '.join(CLASS_ORDER)}"
        )
    n_dunbar = len(dunbar)
    given = [v for v in layers.values() if v is not None]
    n_rings = max([n_dunbar, *given]) if given else n_dunbar
    outer_ring = n_rings + 1
    ring_nodes, radius, score, x, y = _ring_positions(
        classes, layers, communities, scores, n_dunbar, outer_ring
    )
    blobs = _blobs(classes, clusters, flagged_set, max_blobs, min_blob, outer_ring)
    blob_of, blob_ids = blobs.pop("blob_of"), blobs["blob_id"]
    blob_x, blob_y, blob_size = blobs["blob_x"], blobs["blob_y"], blobs["blob_size"]
    blob_ring, k = blobs["blob_ring"], len(blob_ids)

    position: dict[Hashable, tuple[float, float]] = {e: (0.0, 0.0) for e in ego}
    for i, node in enumerate(ring_nodes):
        position[node] = (float(x[i]), float(y[i]))
    for node, b in blob_of.items():
        j = blob_ids.index(b)
        position[node] = (float(blob_x[j]), float(blob_y[j]))
    segments = [
        (position[u], position[v]) for u, v in attack_edges if u in position and v in position
    ]
    limit = blob_ring + (float(blob_size.max()) if k else 0.0) + 0.9
    return {
        "nodes": np.array([*ring_nodes, None], dtype=object)[:-1],
        "x": x,
        "y": y,
        "radius": radius,
        "cls": np.array([classes[n] for n in ring_nodes], dtype="<U12"),
        "flagged": np.array([n in flagged_set for n in ring_nodes], dtype=bool),
        "score": score,
        **blobs,
        "blob_id": np.array([*blob_ids, None], dtype=object)[:-1],
        "edges": np.asarray(segments, dtype=float).reshape(-1, 2, 2),
        "n_rings": n_rings,
        "limit": limit,
    }


def _ring_positions(
    classes: Mapping[Hashable, str],
    layers: Mapping[Hashable, int | None],
    communities: Mapping[Hashable, Hashable],
    scores: Mapping[Hashable, float],
    n_dunbar: int,
    outer_ring: int,
) -> tuple[list[Hashable], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ring members, their radius (layer), score and position, one sector per community."""
    ring_nodes = [node for node, c in classes.items() if c != "stranger"]
    radius = np.empty(len(ring_nodes))
    for i, node in enumerate(ring_nodes):
        c = classes[node]
        layer = layers.get(node)
        if c in ("core", "circle", "stale") and layer is not None:
            radius[i] = float(layer)
        elif c == "core":
            radius[i] = 1.0
        elif c == "circle":
            radius[i] = float(n_dunbar)
        else:
            radius[i] = float(outer_ring)
    score = np.array([float(scores.get(node, 0.0)) for node in ring_nodes])
    # A community of one is no sector: such members share the "other" sector.
    members: dict[Hashable, int] = {}
    for node in ring_nodes:
        key = communities.get(node, _OTHER)
        members[key] = members.get(key, 0) + 1
    group_codes: dict[Hashable, int] = {}
    group = np.array(
        [
            group_codes.setdefault(
                communities.get(node, _OTHER)
                if members[communities.get(node, _OTHER)] > 1
                else _OTHER,
                len(group_codes),
            )
            for node in ring_nodes
        ],
        dtype=np.int64,
    )
    # The rings' reference labels sit at LABEL_ANGLE: the members leave that sector free.
    spread = sector_angles(radius.astype(np.int64), group, -score)
    angle = LABEL_ANGLE + LABEL_GAP / 2 + spread * (1 - LABEL_GAP / (2 * np.pi))
    x = radius * np.cos(angle)
    y = radius * np.sin(angle)
    return ring_nodes, radius, score, x, y


def _blobs(
    classes: Mapping[Hashable, str],
    clusters: Mapping[Hashable, Hashable],
    flagged_set: set[Hashable],
    max_blobs: int,
    min_blob: int,
    outer_ring: int,
) -> dict[str, Any]:
    """Stranger blobs on a ring outside the rings: largest clusters first, small ones pooled."""
    strangers = [node for node, c in classes.items() if c == "stranger"]
    counts: dict[Hashable, int] = {}
    for node in strangers:
        key = clusters.get(node, _OTHER)
        counts[key] = counts.get(key, 0) + 1
    flagged_in = dict.fromkeys(counts, 0)
    for node in strangers:
        if node in flagged_set:
            flagged_in[clusters.get(node, _OTHER)] += 1
    named = sorted(
        (k for k in counts if k != _OTHER), key=lambda k: (-counts[k], list(counts).index(k))
    )
    # A Sybil-like cluster always keeps a blob of its own, whatever its size, so its mark
    # and attack edges stay visible; the largest other clusters fill the remaining blobs
    # and clusters too small to read as a group join the pooled one.
    sybil_like = [k for k in named if 2 * flagged_in[k] >= counts[k] > 0]
    named = [k for k in named if counts[k] >= min_blob or k in sybil_like]
    limit = max_blobs - 1 if len(named) >= max_blobs else max_blobs
    others = [k for k in named if k not in sybil_like]
    kept = set(sybil_like) | set(others[: max(limit - len(sybil_like), 0)])
    blob_of = {}
    for node in strangers:
        key = clusters.get(node, _OTHER)
        blob_of[node] = key if key in kept else _OTHER
    blob_ids = [k for k in named if k in kept]
    if any(v == _OTHER for v in blob_of.values()):
        blob_ids.append(_OTHER)
    blob_count = np.array([sum(1 for v in blob_of.values() if v == b) for b in blob_ids])
    blob_flagged = np.array(
        [sum(1 for n, v in blob_of.items() if v == b and n in flagged_set) for b in blob_ids]
    )
    blob_ring = outer_ring + 1.6
    k = len(blob_ids)
    # Largest blob at the lower right, then clockwise: the legend sits at the upper left.
    blob_angle = -np.pi / 4 - 2 * np.pi * np.arange(k) / max(k, 1)
    blob_x = blob_ring * np.cos(blob_angle)
    blob_y = blob_ring * np.sin(blob_angle)
    spacing = 2 * np.pi * blob_ring / max(k, 1)
    biggest = blob_count.max() if k else 1
    blob_size = np.minimum(0.2 + 1.0 * np.sqrt(blob_count / biggest), 0.45 * spacing)
    blob_size = np.minimum(blob_size, 1.2)
    return {
        "blob_of": blob_of,
        "blob_id": blob_ids,
        "blob_x": blob_x,
        "blob_y": blob_y,
        "blob_size": blob_size,
        "blob_count": blob_count.astype(np.int64),
        "blob_flagged": blob_flagged.astype(np.int64),
        "blob_sybil": (blob_count > 0) & (2 * blob_flagged >= blob_count) & (blob_flagged > 0),
        "blob_ring": blob_ring,
    }


def plot_core_map(
    classes: Mapping[Hashable, str],
    *,
    layers: Mapping[Hashable, int | None] | None = None,
    clusters: Mapping[Hashable, Hashable] | None = None,
    flagged: Collection[Hashable] = (),
    communities: Mapping[Hashable, Hashable] | None = None,
    scores: Mapping[Hashable, float] | None = None,
    attack_edges: Iterable[tuple[Hashable, Hashable]] = (),
    ego: Collection[Hashable] = (),
    label: Callable[[Hashable], str] | Mapping[Hashable, str] | None = None,
    n_labels: int = 12,
    dunbar: Sequence[int] = DUNBAR_LAYERS,
    max_blobs: int = 12,
    ax: Axes | None = None,
    title: str | None = "Your trusted core and the strangers around it",
) -> Axes:
    """Draw the core-versus-strangers map.

    Parameters
    ----------
    classes, layers, clusters, flagged, communities, scores, attack_edges, ego, dunbar, max_blobs
        As in :func:`core_map_layout`.
    label : callable or mapping, optional
        Text of a node's label (pass pseudonyms to anonymise); default ``str(node)``.
    n_labels : int
        Most labels; the highest scores (or the innermost rings) are labelled first and a
        label that would overlap another is dropped.
    ax : matplotlib Axes, optional
        Drawn into a new 8 x 8 inch figure when omitted.
    title : str or None
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    core_map_layout : the positions drawn here, as arrays.

    Notes
    -----
    Dunbar's layers are reference sizes from studies of offline networks (Zhou, Sornette,
    Hill and Dunbar 2005); they are drawn as landmarks, not as a claim about your network.

    References
    ----------
    W.-X. Zhou, D. Sornette, R. A. Hill and R. I. M. Dunbar, "Discrete hierarchical
    organization of social group sizes", Proc. R. Soc. B 272 (2005) 439-444.

    Examples
    --------
    >>> ax = plot_core_map({"ann": "core", "bob": "circle", "x1": "stranger"},
    ...                    layers={"ann": 1, "bob": 2}, label={"ann": "A", "bob": "B"})
    >>> sorted(t.get_text() for t in ax.texts if t.get_text() in ("A", "B"))
    ['A', 'B']
    """
    model = core_map_layout(
        classes,
        layers=layers,
        clusters=clusters,
        flagged=flagged,
        communities=communities,
        scores=scores,
        attack_edges=attack_edges,
        ego=ego,
        dunbar=dunbar,
        max_blobs=max_blobs,
    )
    text_of = label_function(label)
    with style_context():
        if ax is None:
            ax = new_axes()
        _draw(ax, model, text_of, n_labels, dunbar, title)
    return ax


def _draw(
    ax: Axes,
    model: dict[str, Any],
    text_of: Callable[[Hashable], str],
    n_labels: int,
    dunbar: Sequence[int],
    title: str | None,
) -> None:
    """Draw the model in the order that sets the layering: rings, people, blobs, edges."""
    names = list(DUNBAR_NAMES) + [""] * max(0, len(dunbar) - len(DUNBAR_NAMES))
    _draw_rings(ax, model, dunbar, names)
    handles = _draw_members(ax, model)
    _draw_blobs(ax, model)
    if model["blob_sybil"].any() or model["flagged"].any():
        handles.append(_marker_handle("X", CLASS_COLORS["sybil"], "Sybil-like (flagged)"))
    _draw_attack_edges(ax, model, handles)
    _finish(ax, model, handles, title)
    # Label the top nodes with a greedy overlap check in data units.
    if n_labels > 0 and model["nodes"].size:
        _draw_labels(ax, model, text_of, n_labels, dunbar, names)


def _marker_handle(marker: str, colour: str, label: str, *, ms: float = 7, alpha: float = 1.0):
    """A legend entry for a marker drawn without a line."""
    from matplotlib.lines import Line2D

    return Line2D([], [], ls="", marker=marker, ms=ms, color=colour, alpha=alpha, label=label)


def _draw_rings(ax: Axes, model: dict[str, Any], dunbar: Sequence[int], names: list[str]) -> None:
    """Dunbar's reference rings with their captions, finer layers, and the outer ring."""
    grey = OKABE_ITO["grey"]
    theta = np.linspace(0, 2 * np.pi, 241)
    for r, (size, name) in enumerate(zip(dunbar, names), start=1):
        ax.plot(r * np.cos(theta), r * np.sin(theta), color=grey, lw=0.7, ls=":", zorder=1)
        ax.text(
            r * np.cos(LABEL_ANGLE),
            r * np.sin(LABEL_ANGLE),
            f"{size}" + (f" {name}" if name else ""),
            ha="center",
            va="center",
            fontsize=6.5,
            color="#555555",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85},
            zorder=5,
        )
    # Layers past Dunbar's (finer circles) get plain rings; the outer ring holds the rest.
    for r in range(len(dunbar) + 1, model["n_rings"] + 1):
        ax.plot(r * np.cos(theta), r * np.sin(theta), color=grey, lw=0.5, ls=":", zorder=1)
    outer = model["n_rings"] + 1
    ax.plot(outer * np.cos(theta), outer * np.sin(theta), color=grey, lw=0.5, ls="-", alpha=0.4)


def _draw_members(ax: Axes, model: dict[str, Any]) -> list[Any]:
    """Ring members by class (size by score), flagged ones crossed; the legend entries."""
    cls = model["cls"]
    score = model["score"]
    peak = score.max() if score.size and score.max() > 0 else 1.0
    sizes = 18 + 90 * np.sqrt(np.clip(score, 0, None) / peak)
    handles = []
    for name in CLASS_ORDER:
        mask = cls == name
        count = int(mask.sum())
        if name == "stranger":
            count = int(model["blob_count"].sum())
        if count == 0:
            continue
        if name != "stranger":
            ax.scatter(
                model["x"][mask],
                model["y"][mask],
                s=sizes[mask],
                c=CLASS_COLORS[name],
                marker=CLASS_MARKERS[name],
                edgecolors="white",
                linewidths=0.5,
                zorder=4,
            )
        marker = "o" if name == "stranger" else CLASS_MARKERS[name]
        text = f"{name} ({count:,})" + (" - blobs by cluster" if name == "stranger" else "")
        alpha = 0.6 if name == "stranger" else 1.0
        handles.append(_marker_handle(marker, CLASS_COLORS[name], text, alpha=alpha))
    marked = model["flagged"]
    if marked.any():
        ax.scatter(
            model["x"][marked],
            model["y"][marked],
            s=60,
            marker="X",
            c=CLASS_COLORS["sybil"],
            linewidths=0.4,
            edgecolors="white",
            zorder=5,
        )
    return handles


def _draw_blobs(ax: Axes, model: dict[str, Any]) -> None:
    """One disc per stranger blob, hatched when Sybil-like, with its member count."""
    from matplotlib.patches import Circle

    for j in range(model["blob_id"].size):
        sybil = bool(model["blob_sybil"][j])
        colour = CLASS_COLORS["sybil"] if sybil else CLASS_COLORS["stranger"]
        ax.add_patch(
            Circle(
                (model["blob_x"][j], model["blob_y"][j]),
                model["blob_size"][j],
                facecolor=colour,
                alpha=0.55,
                edgecolor="#444444" if sybil else "none",
                hatch="xx" if sybil else None,
                lw=0.8,
                zorder=3,
            )
        )
        blob_name = model["blob_id"][j]
        caption = f"{model['blob_count'][j]:,}"
        if sybil:
            caption = f"Sybil-like\n{caption}"
        elif blob_name == _OTHER:
            caption = f"other\n{caption}"
        ax.text(
            model["blob_x"][j],
            model["blob_y"][j],
            caption,
            ha="center",
            va="center",
            fontsize=7,
            zorder=6,
        )


def _draw_attack_edges(ax: Axes, model: dict[str, Any], handles: list[Any]) -> None:
    """The attack edges as dashed segments, and their legend entry."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    edges = model["edges"]
    if edges.size:
        ax.add_collection(
            LineCollection(
                edges,
                colors=OKABE_ITO["vermillion"],
                linewidths=1.4,
                linestyles="--",
                zorder=2.5,
            )
        )
        handles.append(
            Line2D(
                [],
                [],
                color=OKABE_ITO["vermillion"],
                ls="--",
                lw=1.4,
                label=f"attack edges ({len(edges)})",
            )
        )


def _finish(ax: Axes, model: dict[str, Any], handles: list[Any], title: str | None) -> None:
    """The ego's star, the square view, the legend and the title."""
    limit = model["limit"]
    ax.scatter([0], [0], s=260, c=CLASS_COLORS["owner"], marker="*", zorder=6)
    handles.insert(0, _marker_handle("*", "black", "you", ms=11))
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.legend(
        handles=handles,
        loc="upper left",
        frameon=False,
        fontsize=7.5,
        borderaxespad=0.0,
        handletextpad=0.3,
    )
    if title:
        ax.set_title(title)


def _draw_labels(
    ax: Axes,
    model: dict[str, Any],
    text_of: Callable[[Hashable], str],
    n_labels: int,
    dunbar: Sequence[int],
    names: list[str],
) -> None:
    """Labels of the top nodes, placed greedily off the star and the ring captions."""
    limit = model["limit"]
    fontsize = 7.0
    figure_width = ax.figure.get_size_inches()[0] * 72.0 * ax.get_position().width
    per_point = 2 * limit / figure_width
    texts = [text_of(node) for node in model["nodes"]]
    widths = np.array([0.62 * fontsize * len(t) + 2 for t in texts]) * per_point
    height = 1.3 * fontsize * per_point
    has_scores = bool(np.any(model["score"] > 0))
    priority = model["score"] if has_scores else -model["radius"]
    # Keep labels off the ego's star and the Dunbar ring captions.
    star = 9 * per_point
    blocked = [(-star, -star, star, star)]
    captions = []
    for r, size in enumerate(dunbar, start=1):
        caption = f"{size} {names[r - 1]}".strip()
        half = 0.5 * 0.62 * 6.5 * len(caption) * per_point
        cx, cy = r * np.cos(LABEL_ANGLE), r * np.sin(LABEL_ANGLE)
        captions.append((cx - half, cy - 5 * per_point, cx + half, cy + 5 * per_point))
    chosen, bx, by = greedy_labels(
        model["x"],
        model["y"],
        widths,
        height,
        priority,
        max_labels=n_labels,
        offset=2 * per_point,
        blocked=blocked,
        soft=captions,
    )
    for i, cx, cy in zip(chosen.tolist(), bx.tolist(), by.tolist()):
        ax.text(cx, cy, texts[i], fontsize=fontsize, ha="left", va="bottom", zorder=7)
