"""Community detection, in one place: Louvain, or label propagation on tree-like graphs.

Every part of trustgraph that groups people (the modularity statistic, the overview's
community labels, the clusters around the owner, Sybil-like clusters, community seeds for
SybilRank) calls :func:`detect_communities`, so one choice of algorithm, seed and
resolution holds everywhere.

Louvain (Blondel et al. 2008) is networkx's ``louvain_communities``. On tree-like graphs
(paths, chains of stars: average degree under :data:`TREE_LIKE_DEGREE`) its first level
needs ever more sweeps, so ``method="auto"`` uses seeded label propagation there
(networkx's ``fast_label_propagation_communities``, Traag and Subelj 2023, falling back to
``label_propagation_communities`` on networkx releases that lack it).

References
----------
.. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of
   communities in large networks", J. Stat. Mech. (2008) P10008.
.. [2] V. A. Traag, L. Subelj, "Large network community detection by fast label
   propagation", Scientific Reports 13 (2023) 2701.

Examples
--------
>>> import networkx as nx
>>> two_triangles = nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)])
>>> sorted(sorted(c) for c in detect_communities(two_triangles, method="louvain"))
[[0, 1, 2], [3, 4, 5]]
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ParameterError

__all__ = [
    "COMMUNITY_METHODS",
    "TREE_LIKE_DEGREE",
    "detect_communities",
    "is_tree_like",
    "label_communities",
    "undirected_graph",
]

#: Below this average degree a graph is tree-like, and ``method="auto"`` uses label propagation.
TREE_LIKE_DEGREE = 2.5

COMMUNITY_METHODS = ("auto", "louvain", "label_propagation")


def is_tree_like(H: nx.Graph) -> bool:
    """Whether the average degree of ``H`` is under :data:`TREE_LIKE_DEGREE`.

    >>> is_tree_like(nx.path_graph(10)), is_tree_like(nx.complete_graph(5))
    (True, False)
    """
    return 2 * H.number_of_edges() < TREE_LIKE_DEGREE * H.number_of_nodes()


def undirected_graph(cg: CompactGraph) -> nx.Graph:
    """The undirected simple graph of positive edges, weights summed over both directions.

    Nodes are the indices ``0 .. n-1`` of ``cg``; self-loops are dropped (they carry no
    information about which group a node belongs to).

    >>> from trustgraph.core.compact import as_compact
    >>> both_ways = nx.DiGraph([("a", "b", {"weight": 2.0}), ("b", "a", {"weight": 1.0})])
    >>> H = undirected_graph(as_compact(both_ways))
    >>> H[0][1]["weight"]
    3.0
    """
    rows, cols = cg.edge_arrays()
    keep = (cg.weights > 0) & (rows != cols)
    n = cg.n_nodes
    directed = sp.csr_array((cg.weights[keep], (rows[keep], cols[keep])), shape=(n, n))
    H = nx.from_scipy_sparse_array((directed + directed.T).tocsr())
    return H


def detect_communities(
    G: nx.Graph | CompactGraph,
    *,
    method: str = "auto",
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int | None = 0,
) -> list[set[Hashable]]:
    """Communities of an undirected graph, in the order networkx returns them.

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
        An undirected networkx graph is used as given; a ``CompactGraph`` becomes
        :func:`undirected_graph` (its communities are then sets of node indices).
    method : {"auto", "louvain", "label_propagation"}, default "auto"
        "auto" is label propagation on tree-like graphs (:func:`is_tree_like`), Louvain
        otherwise.
    weight : str or None, default "weight"
        Edge attribute used as weight; None treats every edge as weight 1.
    resolution : float, default 1.0
        Louvain's resolution (above 1 favours smaller communities); label propagation
        has none.
    seed : int or None, default 0
        Random seed, so the same graph gives the same communities.

    Returns
    -------
    list of set
        Every node in exactly one community.

    Raises
    ------
    ParameterError
        Unknown method, or a directed networkx graph (pass its undirected view).

    Examples
    --------
    >>> path = nx.path_graph(6)
    >>> sum(len(c) for c in detect_communities(path))
    6
    """
    if method not in COMMUNITY_METHODS:
        raise ParameterError(
            f"method must be one of {', '.join(COMMUNITY_METHODS)}; got {method!r}"
        )
    H = undirected_graph(G) if isinstance(G, CompactGraph) else G
    if H.is_directed():
        raise ParameterError(
            "community detection needs an undirected graph; pass G.to_undirected()"
        )
    if method == "label_propagation" or (method == "auto" and is_tree_like(H)):
        fast = getattr(nx.community, "fast_label_propagation_communities", None)
        if fast is not None:
            return list(fast(H, weight=weight, seed=seed))
        return list(nx.community.label_propagation_communities(H))
    return nx.community.louvain_communities(H, weight=weight, resolution=resolution, seed=seed)


def label_communities(
    adjacency: sp.spmatrix | sp.sparray,
    *,
    seed: int = 0,
    n_iter: int = 20,
    max_communities: int = 12,
) -> np.ndarray:
    """Communities by vectorised label propagation on a sparse matrix, for large layouts.

    The overview figure groups up to millions of nodes with it: no networkx graph is
    built, and every round is a few array operations. It is a layout aid, not an
    analysis: the report's communities come from :func:`detect_communities`.

    Every node starts with its own label; in each round a random half of the nodes (seeded)
    adopts the label with the largest total edge weight among its neighbours (one sparse
    product and a row-wise argmax; ties go to the smallest label). Updating half the nodes
    at a time stops the two-colour oscillation of synchronous propagation (Raghavan, Albert
    and Kumara 2007). The `max_communities` largest labels are kept (numbered 0, 1, ... by
    decreasing size); the other nodes get -1.

    References
    ----------
    U. N. Raghavan, R. Albert and S. Kumara, "Near linear time algorithm to detect community
    structures in large-scale networks", Phys. Rev. E 76, 036106 (2007).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> rows = [0, 0, 1, 3, 3, 4, 2]
    >>> cols = [1, 2, 2, 4, 5, 5, 3]
    >>> A = sp.csr_array(([1.0] * 6 + [0.1], (rows, cols)), shape=(6, 6))
    >>> labels = label_communities(A, seed=0)
    >>> bool(labels[0] == labels[1] == labels[2]), bool(labels[3] == labels[4] == labels[5])
    (True, True)
    >>> bool(labels[0] != labels[3])
    True
    """
    A = sp.csr_array(adjacency, dtype=np.float64)
    A = (A + A.T).tocsr()
    n = A.shape[0]
    if A.nnz == 0:
        # No edges (or no nodes): every node is its own community.
        return np.arange(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    labels = np.arange(n)
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    cols = A.indices
    weights = A.data
    has_neighbour = np.diff(A.indptr) > 0
    for _ in range(n_iter):
        # Total weight per (node, neighbour label): sort the edge keys, sum the runs.
        keys = rows.astype(np.int64) * n + labels[cols]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
        totals = np.add.reduceat(weights[order], starts)
        node = sorted_keys[starts] // n
        label = sorted_keys[starts] % n
        # Best label per node: largest total, then smallest label.
        pick = np.lexsort((label, -totals, node))
        first = np.concatenate(([True], node[pick][1:] != node[pick][:-1]))
        best = labels.copy()
        best[node[pick][first]] = label[pick][first]
        if not (has_neighbour & (best != labels)).any():
            break
        update = has_neighbour & (rng.random(n) < 0.5)
        labels = np.where(update, best, labels)
    _, code, size = np.unique(labels, return_inverse=True, return_counts=True)
    order = np.lexsort((np.arange(size.size), -size))
    rank = np.empty(size.size, dtype=np.int64)
    rank[order] = np.arange(size.size)
    result = rank[code]
    keep = (result < max_communities) & (size[code] > 1)
    return np.where(keep, result, -1)
