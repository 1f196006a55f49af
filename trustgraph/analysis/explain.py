"""Why does a node get its trust? Seed contributions and the strongest trust paths."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.solvers import Transition, ppr_batch, transition
from trustgraph.core.validate import check_damping, check_max_iter, check_tol, check_weights
from trustgraph.core.vectors import seed_vector
from trustgraph.exceptions import ParameterError, SeedError

__all__ = ["TrustExplanation", "TrustPath", "explain_trust"]


@dataclass(frozen=True)
class TrustPath:
    """One path along which trust flows from a seed to the target.

    Attributes
    ----------
    nodes : tuple
        Seed first, target last (a seed that is the target gives a one-node path).
    probability : float
        Product of the transition probabilities along the path: the chance that a walk
        started at the seed takes exactly these edges (ignoring restarts).
    """

    nodes: tuple[Hashable, ...]
    probability: float


@dataclass(frozen=True)
class TrustExplanation:
    """The answer of :func:`explain_trust`.

    Attributes
    ----------
    target : hashable
        The explained node.
    score : float
        Its personalized PageRank from the seeds.
    contributions : dict
        Seed -> part of `score` owed to that seed, largest first; the parts sum to `score`.
    paths : tuple of TrustPath
        The strongest simple trust paths from any seed to the target, strongest first.
    paths_complete : bool
        False when the path search hit `max_expansions` before finding `top_paths` paths
        (the listed paths are then the best found, not necessarily the best).
    damping : float
        The damping used.
    """

    target: Hashable
    score: float
    contributions: dict[Hashable, float]
    paths: tuple[TrustPath, ...]
    paths_complete: bool
    damping: float


def explain_trust(
    G: nx.Graph | CompactGraph,
    seeds: Iterable[Hashable] | Mapping[Hashable, float],
    target: Hashable,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    top_paths: int = 5,
    max_length: int = 4,
    max_expansions: int = 100_000,
    ppr: Mapping[Hashable, float] | None = None,
) -> TrustExplanation:
    """Explain a node's personalized PageRank: which seed gave it, along which paths.

    Trust flows from the seeds along the edges, exactly as in
    :func:`~trustgraph.algorithms.random_walk.personalized_pagerank`: dangling nodes send
    their mass back to the seeds, zero-weight edges are ignored.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    seeds : iterable of nodes or mapping of node to weight
        The trusted seeds.
    target : node
        The node to explain.
    damping, weight, tol, max_iter, method
        As in :func:`~trustgraph.algorithms.random_walk.personalized_pagerank`
        (``method="push"`` is not offered: contributions must sum exactly).
    top_paths : int, default 5
        How many paths to return (0 skips the search).
    ppr : mapping, optional
        The personalized PageRank of `seeds` with the same `damping` and `weight`, when the
        caller has solved it already. With a single seed the seed's own vector is that
        vector, so no further solve runs; with several seeds it is ignored (each seed's
        share needs a solve of its own).
    max_length : int, default 4
        Longest path considered, in edges.
    max_expansions : int, default 100000
        Bound on the partial paths the search pops from its heap.

    Returns
    -------
    TrustExplanation

    Raises
    ------
    SeedError
        Empty or unknown seeds, or a `target` not in the graph.
    GraphError
        Negative or NaN weights.
    ParameterError, ConvergenceError
        As in :func:`~trustgraph.algorithms.random_walk.personalized_pagerank`.

    See Also
    --------
    trustgraph.algorithms.random_walk.personalized_pagerank_matrix

    Notes
    -----
    Let ``y_i = (1 - damping) (I - damping P^T)^{-1} e_i`` be the visits of a walk from seed
    ``i`` that is stopped at its first restart or dangling node. With seed weights ``s``,
    PPR is ``pi = sum_i s_i y_i / sum_i s_i |y_i|``: the walk is a sequence of such
    segments, each starting at seed ``i`` with probability ``s_i``. So seed ``i`` contributes
    ``s_i y_i(target) / sum_j s_j |y_j|``, and the contributions sum to the score. Without
    dangling nodes ``|y_i| = 1`` and this is plain linearity: ``s_i PPR_i(target)``. The
    vectors ``y_i`` are recovered from the per-seed PPR rows of
    :func:`~trustgraph.algorithms.random_walk.personalized_pagerank_matrix` through
    ``|y_i| = (1 - d) / (1 - d + d * PPR_i(dangling))``.

    Paths are found by best-first search over simple paths (a heap ordered by probability
    product, which can only shrink as a path grows, so the first paths to reach the target
    are the strongest), pruned by the BFS distance to the target.

    References
    ----------
    .. [1] G. Jeh, J. Widom, "Scaling personalized web search", WWW 2003 (linearity of
       PPR in the preference vector).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("me", "ann", 3), ("me", "bob", 1), ("ann", "cy", 1),
    ...                            ("bob", "cy", 1), ("cy", "me", 1)])
    >>> why = explain_trust(G, ["ann", "bob"], "cy")
    >>> round(sum(why.contributions.values()), 9) == round(why.score, 9)
    True
    >>> [(path.nodes, path.probability) for path in why.paths]
    [(('ann', 'cy'), 1.0), (('bob', 'cy'), 1.0)]
    """
    if method == "push":
        raise ParameterError("explain_trust needs an exact method: 'auto', 'power' or 'exact'")
    for name, value in (("top_paths", top_paths), ("max_length", max_length)):
        if isinstance(value, bool) or int(value) != value or value < 0:
            raise ParameterError(f"{name} must be a non-negative integer, got {value!r}")
    max_expansions = check_max_iter(max_expansions)
    damping, tol, max_iter = check_damping(damping), check_tol(tol), check_max_iter(max_iter)
    cg = as_compact(G, weight=weight)
    check_weights(cg)
    teleport = seed_vector(cg, seeds)
    if target not in cg:
        raise SeedError(f"target {target!r} is not in the graph")
    target_index = cg.index[target]
    walk = transition(cg)

    seed_rows = np.flatnonzero(teleport)
    if ppr is not None and seed_rows.size == 1:
        per_seed = np.array([[float(ppr.get(node, 0.0)) for node in cg.nodes]])
    else:
        per_seed, _ = ppr_batch(
            walk,
            seed_rows,
            damping=damping,
            tol=tol,
            max_iter=max_iter,
            method=method,
            memory_budget_bytes=64 * 2**20,
        )
    dangling_mass = per_seed[:, walk.dangling].sum(axis=1)
    segment_mass = (1.0 - damping) / (1.0 - damping + damping * dangling_mass)
    share = teleport[seed_rows] * segment_mass
    parts = share * per_seed[:, target_index] / share.sum()
    order = np.argsort(-parts, kind="stable")
    contributions = {cg.nodes[seed_rows[i]]: float(parts[i]) for i in order}

    paths: tuple[TrustPath, ...] = ()
    complete = True
    if top_paths:
        found, complete = _strongest_paths(
            walk, seed_rows, target_index, int(top_paths), int(max_length), max_expansions
        )
        paths = tuple(
            TrustPath(nodes=tuple(cg.nodes[i] for i in nodes), probability=probability)
            for nodes, probability in found
        )
    return TrustExplanation(
        target=target,
        score=float(parts.sum()),
        contributions=contributions,
        paths=paths,
        paths_complete=complete,
        damping=damping,
    )


def _strongest_paths(
    walk: Transition,
    starts: np.ndarray,
    target: int,
    k: int,
    max_length: int,
    max_expansions: int,
) -> tuple[list[tuple[tuple[int, ...], float]], bool]:
    """Top-`k` simple paths from any start to `target` by product of probabilities."""
    # Hops from each node to the target (BFS on the reversed edges), to prune dead ends.
    hops = dijkstra(walk.backward, directed=True, indices=target, unweighted=True)
    hops = np.asarray(hops).ravel()
    indptr, indices, probability = walk.forward.indptr, walk.forward.indices, walk.forward.data
    tie = itertools.count()
    heap: list[tuple[float, int, tuple[int, ...]]] = []
    for start in starts.tolist():
        if hops[start] <= max_length:
            heap.append((-1.0, next(tie), (start,)))
    heapq.heapify(heap)
    found: list[tuple[tuple[int, ...], float]] = []
    pops = 0
    while heap and len(found) < k:
        if pops >= max_expansions:
            return found, False
        pops += 1
        negative, _, path = heapq.heappop(heap)
        node = path[-1]
        if node == target:
            found.append((path, -negative))
            continue
        budget = max_length - len(path)  # hops left after taking one more edge
        start, stop = indptr[node], indptr[node + 1]
        neighbours = indices[start:stop]
        keep = hops[neighbours] <= budget
        if not keep.any():
            continue
        for neighbour, step in zip(
            neighbours[keep].tolist(), probability[start:stop][keep].tolist()
        ):
            if neighbour not in path:
                heapq.heappush(heap, (negative * step, next(tie), (*path, neighbour)))
    return found, True
