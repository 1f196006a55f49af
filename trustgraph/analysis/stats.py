"""Standard graph statistics, named as Gephi names them."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import networkx as nx
import numpy as np
from scipy.sparse import csgraph

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
    average_weighted_degree: float
    weakly_connected_components: int
    strongly_connected_components: int | None
    self_loops: int
    zero_weight_edges: int

    def as_dict(self) -> dict:
        return asdict(self)


def graph_statistics(G: nx.Graph | CompactGraph) -> GraphStatistics:
    """Counts, density, average (weighted) degree and components.

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
        degree_sum = float(cg.weights.sum())
    else:
        # Undirected edges are stored both ways, self-loops once; a loop adds 2 to its
        # node's degree (the networkx and Gephi convention).
        rows, cols = cg.edge_arrays()
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
    return GraphStatistics(
        nodes=n,
        edges=m,
        directed=cg.directed,
        density=float(density),
        average_degree=per_node * m / n if n else 0.0,
        average_weighted_degree=degree_sum / n if n else 0.0,
        weakly_connected_components=n_weak,
        strongly_connected_components=None if strong is None else int(strong),
        self_loops=cg.n_self_loops,
        zero_weight_edges=_count_zero_weight(cg),
    )


def _count_zero_weight(cg: CompactGraph) -> int:
    zero = cg.weights == 0
    if not cg.directed:
        rows, cols = cg.edge_arrays()
        zero &= rows <= cols
    return int(np.count_nonzero(zero))
