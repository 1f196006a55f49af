"""Standard graph statistics, named as Gephi names them."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from trustgraph.core.communities import TREE_LIKE_DEGREE as TREE_LIKE_DEGREE
from trustgraph.core.communities import detect_communities, is_tree_like
from trustgraph.core.compact import CompactGraph, as_compact

__all__ = ["GraphStatistics", "graph_statistics"]


@dataclass(frozen=True)
class GraphStatistics:
    """Summary numbers of a graph (Gephi's Statistics panel names)."""

    nodes: int
    edges: int
    directed: bool
    density: float
    average_degree: float
    average_weighted_degree: float | None
    weakly_connected_components: int
    strongly_connected_components: int | None
    self_loops: int
    zero_weight_edges: int
    average_clustering: float | None = None
    modularity: float | None = None
    communities: int | None = None
    community_method: str | None = None
    skipped: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        data["skipped"] = list(self.skipped)
        return data


#: Above this many nodes, average clustering is skipped (it is O(sum of degree^2)).
CLUSTERING_MAX_NODES = 50_000
#: Above this many edges, Louvain modularity is skipped.
MODULARITY_MAX_EDGES = 500_000


def _communities(simple: nx.Graph, seed: int | None) -> tuple[list[set], str]:
    """Communities for the modularity statistic, and the method that found them.

    :func:`~trustgraph.core.communities.detect_communities` chooses: seeded label
    propagation on tree-like graphs (average degree under :data:`TREE_LIKE_DEGREE`, where
    Louvain's first level needs ever more sweeps), Louvain otherwise.
    """
    method = "label propagation" if is_tree_like(simple) else "Louvain"
    return detect_communities(simple, method="auto", weight="weight", seed=seed), method


def _finite_or_none(value: float) -> float | None:
    return value if np.isfinite(value) else None


def graph_statistics(
    G: nx.Graph | CompactGraph, *, structure: bool = True, seed: int | None = 0
) -> GraphStatistics:
    """Counts, density, average (weighted) degree, components, clustering and modularity.

    Average clustering (unweighted, on the undirected simple graph, networkx's
    ``average_clustering``) and modularity (of Louvain communities on the undirected
    positive-weight graph, resolution 1, `seed`; of seeded label propagation on tree-like
    graphs, average degree under :data:`TREE_LIKE_DEGREE`) are computed when `structure` is
    true and the graph is below :data:`CLUSTERING_MAX_NODES` nodes / :data:`MODULARITY_MAX_EDGES`
    edges; otherwise they are ``None`` and ``skipped`` names them.

    Density is ``m / (n (n - 1))`` for directed graphs and ``2 m / (n (n - 1))`` for
    undirected ones, as in networkx and Gephi; average degree is out-degree for directed
    graphs (``m / n``), as Gephi reports it.

    Examples
    --------
    >>> import networkx as nx
    >>> s = graph_statistics(nx.DiGraph([(1, 2), (2, 1), (2, 3)]))
    >>> s.nodes, s.edges, round(s.density, 4), s.strongly_connected_components
    (3, 3, 0.5, 2)
    """
    cg = as_compact(G)
    n, m = cg.n_nodes, cg.n_edges
    if n > 1:
        density = m / (n * (n - 1)) if cg.directed else 2 * m / (n * (n - 1))
    else:
        density = 0.0
    if cg.directed:
        with np.errstate(over="ignore"):
            degree_sum = float(cg.weights.sum())
    else:
        # Undirected edges are stored both ways, self-loops once; a loop adds 2 to its
        # node's degree (the networkx and Gephi convention).
        rows, cols = cg.edge_arrays()
        with np.errstate(over="ignore"):
            degree_sum = float(cg.weights.sum() + cg.weights[rows == cols].sum())
    if n:
        weak = csgraph.connected_components(cg.adjacency, directed=cg.directed, connection="weak")
        strong = (
            csgraph.connected_components(cg.adjacency, directed=True, connection="strong")[0]
            if cg.directed
            else None
        )
        n_weak = int(weak[0])
    else:
        n_weak, strong = 0, (0 if cg.directed else None)
    per_node = 1 if cg.directed else 2
    clustering = modularity = communities = method = None
    skipped: list[str] = []
    if structure and n:
        simple = _undirected_simple(cg)
        if n <= CLUSTERING_MAX_NODES:
            clustering = float(nx.average_clustering(simple))
        else:
            skipped.append(f"average_clustering (over {CLUSTERING_MAX_NODES:,} nodes)")
        if m <= MODULARITY_MAX_EDGES and simple.number_of_edges():
            found, method = _communities(simple, seed)
            modularity = float(nx.community.modularity(simple, found, weight="weight"))
            communities = len(found)
            if not np.isfinite(modularity):  # weight sums past the float range
                modularity = None
                skipped.append("modularity (weights too large to sum)")
        elif m > MODULARITY_MAX_EDGES:
            skipped.append(f"modularity (over {MODULARITY_MAX_EDGES:,} edges)")
    elif not structure:
        skipped += ["average_clustering", "modularity"]
    return GraphStatistics(
        nodes=n,
        edges=m,
        directed=cg.directed,
        density=float(density),
        average_degree=per_node * m / n if n else 0.0,
        average_weighted_degree=_finite_or_none(degree_sum / n) if n else 0.0,
        weakly_connected_components=n_weak,
        strongly_connected_components=None if strong is None else int(strong),
        self_loops=cg.n_self_loops,
        zero_weight_edges=_count_zero_weight(cg),
        average_clustering=clustering,
        modularity=modularity,
        communities=communities,
        community_method=method,
        skipped=tuple(skipped),
    )


def _undirected_simple(cg: CompactGraph) -> nx.Graph:
    """Undirected graph of the positive-weight edges, weights summed, no self-loops.

    Weights outside 1e-290..1e290 are taken in units of the largest one: modularity and
    Louvain depend only on weight ratios, and their sums then neither vanish nor overflow.
    """
    adjacency = cg.adjacency.tocsr(copy=True)
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    if adjacency.data.size:
        low, high = float(adjacency.data.min()), float(adjacency.data.max())
        if low < 1e-290 or high > 1e290:
            adjacency.data = adjacency.data / high
    both = adjacency + adjacency.T if cg.directed else adjacency
    H = nx.from_scipy_sparse_array(sp.csr_array(both))
    return H


def _count_zero_weight(cg: CompactGraph) -> int:
    zero = cg.weights == 0
    if not cg.directed:
        rows, cols = cg.edge_arrays()
        zero &= rows <= cols
    return int(np.count_nonzero(zero))
