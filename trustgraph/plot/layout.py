"""Layouts as arrays: rings with community sectors, greedy label placement, large graphs.

Everything here is numpy/scipy only (no matplotlib), so the plot models can be tested as
arrays and large layouts stay vectorised: no per-edge Python loop, no networkx layout.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import scipy.sparse as sp

from trustgraph.core.communities import label_communities
from trustgraph.exceptions import ParameterError

__all__ = [
    "community_layout",
    "greedy_labels",
    "label_communities",
    "sector_angles",
    "strength_core",
]


def sector_angles(
    rings: np.ndarray, groups: np.ndarray, order: np.ndarray, *, gap: float = 0.15
) -> np.ndarray:
    """Angles that put each group in one sector shared by every ring.

    Groups get sectors in proportion to their members (all rings together), largest first
    from angle 0 counter-clockwise; within a sector each ring's members are spread evenly in
    `order` (smaller first). `gap` is the fraction of each sector left empty as a border.

    Parameters
    ----------
    rings, groups : numpy.ndarray of int
        Ring and group of every point.
    order : numpy.ndarray
        Sort key inside a (group, ring) cell, e.g. minus the score.
    gap : float
        Empty share of each sector, in [0, 1).

    Returns
    -------
    numpy.ndarray
        Angle in radians of every point.

    Examples
    --------
    >>> a = sector_angles(np.array([1, 1, 1, 1]), np.array([0, 0, 1, 1]), np.arange(4), gap=0)
    >>> np.round(np.degrees(a)).tolist()
    [45.0, 135.0, 225.0, 315.0]
    """
    n = rings.size
    angles = np.zeros(n)
    if n == 0:
        return angles
    group_ids, group_of, group_size = np.unique(groups, return_inverse=True, return_counts=True)
    # Largest group first; ties by group id so the layout is stable.
    rank = np.lexsort((group_ids, -group_size))
    widths = 2 * np.pi * group_size[rank] / n
    starts = np.concatenate(([0.0], np.cumsum(widths)[:-1]))
    sector_start = np.empty(group_ids.size)
    sector_width = np.empty(group_ids.size)
    sector_start[rank] = starts
    sector_width[rank] = widths
    # Sort by group, ring, key; then each (group, ring) cell is a contiguous run.
    sort = np.lexsort((np.arange(n), order, rings, group_of))
    cell = group_of[sort] * (int(rings.max()) + 1) + rings[sort]
    boundaries = np.flatnonzero(np.diff(cell)) + 1
    run_start = np.concatenate(([0], boundaries))
    run_length = np.diff(np.concatenate((run_start, [n])))
    position = np.arange(n) - np.repeat(run_start, run_length)
    size = np.repeat(run_length, run_length)
    g = group_of[sort]
    usable = sector_width[g] * (1.0 - gap)
    angles[sort] = sector_start[g] + sector_width[g] * gap / 2 + usable * (position + 0.5) / size
    return angles


def greedy_labels(
    x: np.ndarray,
    y: np.ndarray,
    widths: np.ndarray,
    height: float,
    priority: np.ndarray,
    *,
    max_labels: int,
    offset: float = 0.0,
    blocked: Sequence[tuple[float, float, float, float]] = (),
    soft: Sequence[tuple[float, float, float, float]] = (),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Choose which points get a label so that no two label boxes overlap.

    Points are tried by decreasing `priority`; each tries eight boxes around its point
    (the four corners, then right, left, above and below) and takes the first that overlaps
    neither an accepted box nor a `blocked` rectangle. A greedy bounding-box check: fast,
    deterministic and good enough for the top few dozen labels.

    Parameters
    ----------
    x, y : numpy.ndarray
        Anchor points, in data units.
    widths : numpy.ndarray
        Width of each label's box, in data units.
    height : float
        Height of a label box, in data units.
    priority : numpy.ndarray
        Larger is labelled first (ties: smaller index first).
    max_labels : int
        Stop after this many labels.
    offset : float
        Gap between the point and its box.
    blocked : sequence of (x0, y0, x1, y1)
        Areas no label may cover (a legend, the ego's marker).
    soft : sequence of (x0, y0, x1, y1)
        Areas a label avoids when it can (captions); a label that fits nowhere else may
        cover them rather than be dropped.

    Returns
    -------
    (index, box_x, box_y)
        Labelled point indices in priority order and the lower-left corner of their boxes.

    Examples
    --------
    >>> idx, bx, by = greedy_labels(np.array([0.0, 0.1, 5.0]), np.zeros(3),
    ...                             np.array([1.0, 1.0, 1.0]), 0.5, np.array([3, 2, 1]),
    ...                             max_labels=3)
    >>> idx.tolist()
    [0, 1, 2]
    >>> by.tolist()  # above, the second label would cover the first: it goes below
    [0.0, -0.5, 0.0]
    """
    order = np.lexsort((np.arange(x.size), -np.asarray(priority, dtype=float)))
    boxes: list[tuple[float, float, float, float]] = list(blocked)
    soft = list(soft)
    chosen: list[int] = []
    corners: list[tuple[float, float]] = []
    for i in order.tolist():
        if len(chosen) >= max_labels:
            break
        w = float(widths[i])
        px, py = float(x[i]), float(y[i])
        candidates = (
            (px + offset, py + offset),
            (px - offset - w, py + offset),
            (px + offset, py - offset - height),
            (px - offset - w, py - offset - height),
            (px + offset, py - height / 2),
            (px - offset - w, py - height / 2),
            (px - w / 2, py + offset),
            (px - w / 2, py - offset - height),
        )
        # First a place that also avoids the soft areas, else one that avoids labels only.
        for avoid in (boxes + soft, boxes):
            placed = False
            for cx, cy in candidates:
                box = (cx, cy, cx + w, cy + height)
                if not any(_overlap(box, other) for other in avoid):
                    boxes.append(box)
                    chosen.append(i)
                    corners.append((cx, cy))
                    placed = True
                    break
            if placed:
                break
    pts = np.asarray(corners, dtype=float).reshape(-1, 2)
    return np.asarray(chosen, dtype=np.int64), pts[:, 0], pts[:, 1]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def strength_core(adjacency: sp.spmatrix | sp.sparray, max_nodes: int) -> np.ndarray:
    """The weighted core (s-core) with at most `max_nodes` nodes, as a boolean mask.

    The s-core for threshold ``s`` is what is left after repeatedly removing every node
    whose strength (sum of edge weights, both directions) inside the remaining graph is
    below ``s`` (Eidsaa & Almaas 2013, the weighted k-core). The smallest threshold whose
    core fits in `max_nodes` is found by bisection over the observed strengths; every peel
    is one sparse product, so a million edges take well under a second per threshold.

    Parameters
    ----------
    adjacency : scipy sparse matrix
        Square, non-negative weights (directed edges are symmetrised).
    max_nodes : int
        Largest core wanted (>= 1).

    Returns
    -------
    numpy.ndarray of bool
        Members of the core; never empty when the graph has an edge.

    References
    ----------
    M. Eidsaa and E. Almaas, "s-core network decomposition: a generalization of k-core
    analysis to weighted networks", Phys. Rev. E 88, 062819 (2013).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> # a triangle of heavy edges plus a light pendant node 3
    >>> A = sp.csr_array(([5.0, 5.0, 5.0, 1.0], ([0, 1, 2, 2], [1, 2, 0, 3])), shape=(4, 4))
    >>> strength_core(A, 3).tolist()
    [True, True, True, False]
    """
    if max_nodes < 1:
        raise ParameterError(f"max_nodes must be at least 1, got {max_nodes!r}")
    A = sp.csr_array(adjacency, dtype=np.float64)
    A = A + A.T
    n = A.shape[0]
    alive = np.ones(n, dtype=bool)
    if n <= max_nodes:
        return alive

    def peel(threshold: float) -> np.ndarray:
        keep = np.ones(n, dtype=bool)
        while True:
            strength = A @ keep.astype(np.float64)
            next_keep = keep & (strength >= threshold)
            if next_keep.sum() == keep.sum():
                return keep
            keep = next_keep

    strengths = np.unique(A @ np.ones(n))
    lo, hi = 0, strengths.size - 1
    best = peel(strengths[hi])
    # Bisection for the smallest threshold whose core fits; cores shrink as it grows.
    while lo <= hi:
        mid = (lo + hi) // 2
        core = peel(strengths[mid])
        if 0 < core.sum() <= max_nodes:
            best = core
            hi = mid - 1
        elif core.sum() == 0:
            hi = mid - 1
        else:
            lo = mid + 1
    if not best.any():
        # Even the densest core is empty (cannot happen with an edge): fall back to the
        # strongest nodes.
        strength = A @ np.ones(n)
        best = np.zeros(n, dtype=bool)
        best[np.argsort(-strength, kind="stable")[:max_nodes]] = True
    return best


def community_layout(
    adjacency: sp.spmatrix | sp.sparray,
    communities: np.ndarray | None = None,
    *,
    seed: int = 0,
    n_iter: int = 8,
    pull: float = 0.5,
) -> np.ndarray:
    """Fast 2-D positions for large graphs: communities as discs, smoothed by neighbours.

    1. Community centres come from a spectral layout of the small community graph (the
       two leading non-trivial eigenvectors of its normalised adjacency, dense ``eigh``),
       or from the sparse ``eigsh`` spectral layout of the whole graph when no communities
       are given.
    2. Each node starts at its centre plus a seeded Gaussian offset whose spread grows with
       the square root of the community size (discs of equal density).
    3. `n_iter` vectorised smoothing steps move every node towards the mean position of its
       neighbours (``x <- (1 - pull) x0 + pull D^-1 A x``), so bridges sit between the
       communities they join. Each step is one sparse product: 100,000 nodes and a million
       edges take a fraction of a second.

    Parameters
    ----------
    adjacency : scipy sparse matrix
        Square weights; symmetrised internally.
    communities : numpy.ndarray of int, optional
        Community of every node.
    seed : int
        Seed of the offsets: the same input gives the same layout.
    n_iter : int
        Smoothing steps.
    pull : float
        Weight of the neighbours' mean against the starting position, in [0, 1).

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` positions, roughly within ``[-1, 1]``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.csr_array(([1.0] * 4, ([0, 1, 2, 3], [1, 0, 3, 2])), shape=(4, 4))
    >>> pos = community_layout(A, np.array([0, 0, 1, 1]), seed=1)
    >>> pos.shape
    (4, 2)
    >>> bool(np.linalg.norm(pos[0] - pos[1]) < np.linalg.norm(pos[0] - pos[2]))
    True
    """
    if not 0.0 <= pull < 1.0:
        raise ParameterError(f"pull must be in [0, 1), got {pull!r}")
    A = sp.csr_array(adjacency, dtype=np.float64)
    A = A + A.T
    n = A.shape[0]
    rng = np.random.default_rng(seed)
    if n == 0:
        return np.zeros((0, 2))
    degree = A @ np.ones(n)
    if communities is None:
        start = _spectral(A, degree, rng)
    else:
        labels, community = np.unique(np.asarray(communities), return_inverse=True)
        k = labels.size
        member = sp.csr_array(
            (np.ones(n), (np.arange(n), community)), shape=(n, k), dtype=np.float64
        )
        between = (member.T @ A @ member).toarray()
        sizes = np.bincount(community, minlength=k).astype(float)
        centres = _small_spectral(between, sizes)
        radius = 0.9 * np.sqrt(sizes / sizes.sum())
        angle = rng.uniform(0, 2 * np.pi, n)
        spread = radius[community] * np.sqrt(rng.uniform(0, 1, n))
        start = centres[community] + np.column_stack(
            (spread * np.cos(angle), spread * np.sin(angle))
        )
    inverse = np.divide(1.0, degree, out=np.zeros(n), where=degree > 0)
    position = start.copy()
    for _ in range(n_iter):
        mean = (A @ position) * inverse[:, None]
        # Isolated nodes have no neighbour mean: they stay where they started.
        mean[degree == 0] = start[degree == 0]
        position = (1.0 - pull) * start + pull * mean
    return position


def _small_spectral(weights: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Centres of a few communities: spectral on the community graph, on a circle if tiny."""
    k = weights.shape[0]
    if k == 1:
        return np.zeros((1, 2))
    np.fill_diagonal(weights, 0.0)
    strength = weights.sum(axis=1)
    if k < 4 or not np.all(strength > 0):
        angle = 2 * np.pi * np.arange(k) / k
        return np.column_stack((np.cos(angle), np.sin(angle)))
    scale = 1.0 / np.sqrt(strength)
    normalised = weights * scale[:, None] * scale[None, :]
    _, vectors = np.linalg.eigh(normalised)
    coords = vectors[:, -3:-1] * scale[:, None]
    # Eigenvectors have an arbitrary sign: fix it so the layout is reproducible.
    signs = np.sign(coords[np.argmax(np.abs(coords), axis=0), [0, 1]])
    coords = coords * np.where(signs == 0, 1.0, signs)
    # Spectral coordinates crowd together; keep their angles, spread the radii evenly.
    centred = coords - coords.mean(axis=0)
    angle = np.arctan2(centred[:, 1], centred[:, 0])
    order = np.argsort(angle, kind="stable")
    even = np.empty(k)
    even[order] = 2 * np.pi * np.arange(k) / k
    return np.column_stack((np.cos(even), np.sin(even)))


def _spectral(A: sp.csr_array, degree: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Spectral layout of the whole graph (two leading non-trivial eigenvectors)."""
    n = A.shape[0]
    if n < 4:
        angle = 2 * np.pi * np.arange(n) / max(n, 1)
        return np.column_stack((np.cos(angle), np.sin(angle)))
    scale = np.divide(1.0, np.sqrt(degree), out=np.zeros(n), where=degree > 0)
    normalised = sp.diags_array(scale) @ A @ sp.diags_array(scale)
    if n < 500:
        _, vectors = np.linalg.eigh(normalised.toarray())
        coords = vectors[:, -3:-1]
    else:
        from scipy.sparse.linalg import eigsh

        start = rng.uniform(-1, 1, n)
        _, vectors = eigsh(normalised, k=3, which="LA", v0=start, tol=1e-4)
        coords = vectors[:, :2]
    coords = coords * scale[:, None]
    signs = np.sign(coords[np.argmax(np.abs(coords), axis=0), [0, 1]])
    coords = coords * np.where(signs == 0, 1.0, signs)
    span = np.abs(coords).max(axis=0)
    return coords / np.where(span > 0, span, 1.0)


def node_codes(nodes: Sequence[Hashable], mapping: dict) -> np.ndarray:
    """Integer code of each node's value in `mapping` (first-appearance order; -1 if absent)."""
    codes: dict[Hashable, int] = {}
    out = np.full(len(nodes), -1, dtype=np.int64)
    for i, node in enumerate(nodes):
        if node in mapping:
            out[i] = codes.setdefault(mapping[node], len(codes))
    return out
