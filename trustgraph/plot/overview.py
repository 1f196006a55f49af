"""Overview of a large graph without a hairball.

Every node is placed by a fast community-seeded layout (:func:`~trustgraph.plot.layout.
community_layout`); the whole graph is drawn as a density (hexbin) of node positions,
communities are collapsed to one labelled marker at their centroid sized by their member
count, and only the weighted core (the s-core with at most ``max_core`` nodes, or the ego's
neighbourhood) is drawn as points with its edges as one ``LineCollection``. A 100,000-node,
million-edge graph renders in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from trustgraph.core.compact import as_compact
from trustgraph.plot.layout import community_layout, label_communities, strength_core
from trustgraph.plot.style import (
    CLASS_COLORS,
    OKABE_ITO,
    SEQUENCE,
    label_function,
    new_axes,
    style_context,
)

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

    from trustgraph.core.compact import CompactGraph

__all__ = ["overview_model", "plot_overview"]


def overview_model(
    G: nx.Graph | CompactGraph,
    *,
    communities: Mapping[Hashable, Hashable] | str | None = "community",
    ego: Collection[Hashable] = (),
    max_core: int = 1500,
    max_edges: int = 6000,
    weight: str | None = "weight",
    seed: int = 0,
    n_iter: int = 8,
) -> dict[str, Any]:
    """The overview's plot model, as arrays.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    communities : mapping, str or None
        Community of each node, or the name of a node attribute holding it (default
        ``"community"``, as :func:`trustgraph.datasets.powerlaw_graph` writes). When the
        attribute is missing, communities are found by
        :func:`~trustgraph.plot.layout.label_communities` (for the layout only). ``None``:
        the layout is spectral and nothing is collapsed.
    ego : collection
        With an ego, the drawn subgraph is the ego and its neighbours (the strongest
        `max_core` of them) instead of the weighted core.
    max_core : int
        Most nodes drawn individually.
    max_edges : int
        Most edges drawn (the heaviest among the drawn nodes).
    weight : str or None
        Edge attribute of the weights (``None``: every edge counts 1).
    seed : int
        Seed of the layout.
    n_iter : int
        Smoothing steps of the layout.

    Returns
    -------
    dict
        ``pos`` ``(n, 2)`` for every node, ``community`` codes (-1: none), ``core`` (bool
        mask of drawn nodes), ``edges`` ``(m, 2, 2)`` segments, ``edge_weight``,
        ``centroid`` ``(k, 2)``, ``community_size``, ``community_id`` (object array),
        ``community_hub`` (index of each community's best-connected member),
        ``ego`` (indices), ``strength`` and ``nodes``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.karate_club_graph()
    >>> m = overview_model(G, communities=None, max_core=10)
    >>> m["pos"].shape, int(m["core"].sum()) <= 10
    ((34, 2), True)
    """
    cg = as_compact(G, weight=weight)
    n = cg.n_nodes
    A = sp.csr_array(cg.adjacency, dtype=np.float64)
    ego_index = np.array([cg.index[e] for e in ego], dtype=np.int64)
    # The ego touches everyone it knows: lay the others out without its edges, then put
    # it at the centre of its neighbours.
    without_ego = A
    if ego_index.size:
        keep_mask = np.ones(n)
        keep_mask[ego_index] = 0.0
        scale = sp.diags_array(keep_mask)
        without_ego = sp.csr_array(scale @ A @ scale)
    codes, community_ids = _community_codes(cg, communities, without_ego, seed)
    has_communities = bool(community_ids)
    layout_codes = None
    if has_communities:
        # Nodes without a community form their own group for the layout.
        layout_codes = np.where(codes >= 0, codes, len(community_ids))
    pos = community_layout(without_ego, layout_codes, seed=seed, n_iter=n_iter)
    if ego_index.size:
        symmetric_full = A + A.T
        for e in ego_index.tolist():
            row = symmetric_full[[e]].tocsr()
            if row.nnz:
                pos[e] = pos[row.indices].mean(axis=0)
    symmetric = A + A.T
    strength = symmetric @ np.ones(n)
    core = _drawn_nodes(A, symmetric, ego_index, max_core)
    rows, cols = cg.edge_arrays()
    inside = core[rows] & core[cols] & (rows != cols)
    r, c, w = rows[inside], cols[inside], cg.weights[inside]
    if r.size > max_edges:
        top = np.argsort(-w, kind="stable")[:max_edges]
        top.sort()
        r, c, w = r[top], c[top], w[top]
    edges = np.stack((pos[r], pos[c]), axis=1)
    size, centroid, hub = _community_summary(codes, len(community_ids), pos, strength)
    return {
        "pos": pos,
        "community": codes,
        "core": core,
        "edges": edges,
        "edge_weight": w,
        "centroid": centroid,
        "community_size": size,
        "community_id": np.array([*community_ids, None], dtype=object)[:-1],
        "community_hub": hub,
        "ego": ego_index,
        "strength": strength,
        "nodes": cg.nodes,
    }


def _community_codes(
    cg: CompactGraph,
    communities: Mapping[Hashable, Hashable] | str | None,
    without_ego: sp.csr_array,
    seed: int,
) -> tuple[np.ndarray, list[Hashable]]:
    """Community code of every node (-1: none) and the community ids in code order."""
    if isinstance(communities, str):
        column = cg.node_attrs.get(communities)
        labels = None if column is None else list(column)
        if labels is None:
            found = label_communities(without_ego, seed=seed)
            labels = [None if c < 0 else int(c) for c in found.tolist()]
    elif communities is None:
        labels = None
    else:
        labels = [communities.get(node) for node in cg.nodes]
    if labels is None:
        return np.full(cg.n_nodes, -1, dtype=np.int64), []
    seen: dict[Hashable, int] = {}
    codes = np.fromiter(
        (-1 if v is None else seen.setdefault(v, len(seen)) for v in labels),
        dtype=np.int64,
        count=cg.n_nodes,
    )
    return codes, list(seen)


def _drawn_nodes(
    A: sp.csr_array, symmetric: sp.csr_array, ego_index: np.ndarray, max_core: int
) -> np.ndarray:
    """Mask of the nodes drawn one by one: the ego and its strongest ties, else the s-core."""
    if not ego_index.size:
        return strength_core(A, max_core)
    core = np.zeros(A.shape[0], dtype=bool)
    neighbours = np.flatnonzero(symmetric[ego_index].sum(axis=0) > 0)
    tie = np.asarray(symmetric[ego_index].sum(axis=0)).ravel()[neighbours]
    keep = neighbours[np.argsort(-tie, kind="stable")[: max(max_core - ego_index.size, 0)]]
    core[keep] = True
    core[ego_index] = True
    return core


def _community_summary(
    codes: np.ndarray, k: int, pos: np.ndarray, strength: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Size, centroid and best-connected member (hub) of each of the `k` communities."""
    if not k:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    valid = codes >= 0
    size = np.bincount(codes[valid], minlength=k)
    cx = np.bincount(codes[valid], weights=pos[valid, 0], minlength=k)
    cy = np.bincount(codes[valid], weights=pos[valid, 1], minlength=k)
    centroid = np.column_stack((cx, cy)) / np.maximum(size, 1)[:, None]
    # Each community is named after its best-connected member: who is where.
    members = np.flatnonzero(valid)
    ranked = members[np.lexsort((-strength[members], codes[members]))]
    first = np.concatenate(([True], codes[ranked][1:] != codes[ranked][:-1]))
    hub = np.full(k, -1, dtype=np.int64)
    hub[codes[ranked][first]] = ranked[first]
    return size, centroid, hub


def plot_overview(
    G: nx.Graph | CompactGraph,
    *,
    communities: Mapping[Hashable, Hashable] | str | None = "community",
    ego: Collection[Hashable] = (),
    label: Callable[[Hashable], str] | Mapping[Hashable, str] | None = None,
    n_labels: int = 0,
    max_core: int = 1500,
    max_edges: int = 6000,
    weight: str | None = "weight",
    seed: int = 0,
    gridsize: int = 60,
    model: dict[str, Any] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the overview: density for everyone, the core with its edges, communities.

    Parameters
    ----------
    G, communities, ego, max_core, max_edges, weight, seed
        As in :func:`overview_model`.
    label : callable or mapping, optional
        Labels of the strongest drawn nodes (pseudonyms when anonymising).
    n_labels : int
        How many of the strongest drawn nodes to label (default none: large graphs are
        usually anonymous).
    gridsize : int
        Hexagons across the density layer.
    model : dict, optional
        A precomputed :func:`overview_model` (skips the layout).
    ax : matplotlib Axes, optional
    title : str or None
        Default names the node and edge counts.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> ax = plot_overview(nx.karate_club_graph(), communities=None, max_core=12)
    >>> len(ax.collections) >= 2   # density and edges
    True
    """
    m = model or overview_model(
        G,
        communities=communities,
        ego=ego,
        max_core=max_core,
        max_edges=max_edges,
        weight=weight,
        seed=seed,
    )
    text_of = label_function(label)
    n = m["pos"].shape[0]
    with style_context():
        if ax is None:
            ax = new_axes((8.0, 8.0))
        handles: list[Any] = []
        _draw_density(ax, m, gridsize, handles)
        _draw_core(ax, m, handles)
        _draw_communities(ax, m, text_of, handles)
        _draw_ego_and_labels(ax, m, text_of, n_labels, handles)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_axis_off()
        ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=True, framealpha=0.9)
        ax.set_title(title or f"Graph overview: {n:,} nodes, communities collapsed")
    return ax


def _draw_density(ax: Axes, m: dict[str, Any], gridsize: int, handles: list[Any]) -> None:
    """Every node as a log density of positions, and the heaviest edges among the core."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.lines import Line2D

    pos = m["pos"]
    n = pos.shape[0]
    greys = LinearSegmentedColormap.from_list("density", ["#F2F2F2", "#4D4D4D"])
    if n:
        ax.hexbin(
            pos[:, 0],
            pos[:, 1],
            gridsize=gridsize,
            bins="log",
            cmap=greys,
            mincnt=1,
            linewidths=0.0,
            zorder=1,
        )
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="h",
                ms=9,
                color="#8C8C8C",
                label=f"all {n:,} nodes (density, log)",
            )
        )
    if m["edges"].size:
        w = m["edge_weight"]
        scaled = 0.2 + 0.8 * (w / w.max() if w.max() > 0 else 1)
        ax.add_collection(
            LineCollection(
                m["edges"],
                linewidths=0.2 + 0.6 * scaled,
                colors="#333333",
                alpha=0.12,
                zorder=2,
            )
        )
        handles.append(
            Line2D(
                [],
                [],
                color="#333333",
                alpha=0.5,
                label=f"{len(m['edges']):,} strongest edges among them",
            )
        )


def _draw_core(ax: Axes, m: dict[str, Any], handles: list[Any]) -> None:
    """The nodes drawn one by one, coloured by community, sized by strength."""
    from matplotlib.lines import Line2D

    pos, core = m["pos"], m["core"]
    codes = m["community"]
    colours = np.array(
        [SEQUENCE[c % len(SEQUENCE)] if c >= 0 else OKABE_ITO["grey"] for c in codes[core]]
    )
    strength = m["strength"][core]
    peak = strength.max() if strength.size and strength.max() > 0 else 1.0
    if core.any():
        ax.scatter(
            pos[core, 0],
            pos[core, 1],
            s=3 + 25 * np.sqrt(strength / peak),
            c=colours,
            linewidths=0,
            alpha=0.85,
            zorder=3,
        )
        what = "ego network" if m["ego"].size else "weighted core"
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=5,
                color=OKABE_ITO["blue"],
                label=f"{what}: {int(core.sum()):,} nodes (size = strength)",
            )
        )


def _draw_communities(
    ax: Axes, m: dict[str, Any], text_of: Callable[[Hashable], str], handles: list[Any]
) -> None:
    """One ring per community at its centroid, named by size and best-connected member."""
    from matplotlib.lines import Line2D

    n = m["pos"].shape[0]
    for j in range(m["centroid"].shape[0]):
        cx, cy = m["centroid"][j]
        ax.scatter(
            [cx],
            [cy],
            s=40 + 400 * np.sqrt(m["community_size"][j] / max(n, 1)),
            facecolors="none",
            edgecolors=SEQUENCE[j % len(SEQUENCE)],
            linewidths=1.6,
            zorder=4,
        )
        hub = int(m["community_hub"][j])
        around = f" around {text_of(m['nodes'][hub])}" if hub >= 0 else ""
        ax.annotate(
            f"{m['community_size'][j]:,} people{around}",
            (cx, cy),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3, "alpha": 0.8},
            zorder=5,
        )
    if m["centroid"].shape[0]:
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=9,
                mfc="none",
                color=SEQUENCE[0],
                label="community (its size and best-connected member)",
            )
        )


def _draw_ego_and_labels(
    ax: Axes,
    m: dict[str, Any],
    text_of: Callable[[Hashable], str],
    n_labels: int,
    handles: list[Any],
) -> None:
    """The ego's star and the labels of the strongest drawn nodes."""
    from matplotlib.lines import Line2D

    pos, core = m["pos"], m["core"]
    if m["ego"].size:
        ax.scatter(
            pos[m["ego"], 0],
            pos[m["ego"], 1],
            s=220,
            marker="*",
            c=CLASS_COLORS["owner"],
            zorder=6,
        )
        handles.append(Line2D([], [], ls="", marker="*", ms=11, color="black", label="you"))
    if n_labels > 0 and core.any():
        drawn = np.flatnonzero(core)
        top = drawn[np.argsort(-m["strength"][drawn], kind="stable")[:n_labels]]
        for i in top.tolist():
            ax.annotate(
                text_of(m["nodes"][i]),
                tuple(pos[i]),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=7,
                zorder=7,
            )
