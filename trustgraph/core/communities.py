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
import scipy.sparse as sp

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ParameterError

__all__ = [
    "COMMUNITY_METHODS",
    "TREE_LIKE_DEGREE",
    "detect_communities",
    "is_tree_like",
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
