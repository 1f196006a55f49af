"""Local trust metrics along shortest paths: TidalTrust (Golbeck 2005) and MoleTrust
(Massa & Avesani 2005).

Both propagate trust *from* the source along edges (edge ``u -> v``: u trusts v), use only
edges that go from BFS depth k to depth k + 1 (so cycles never matter), and ignore
zero-weight (declared-only) edges.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import shortest_path

from trustgraph.algorithms.signed import apply_signed_policy
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import ParameterError, SeedError

__all__ = ["moletrust", "tidaltrust", "tidaltrust_all"]


class _Layers:
    """Positive-weight edges and BFS depths from one source."""

    def __init__(self, cg: CompactGraph, source_index: int) -> None:
        rows, cols = cg.edge_arrays()
        positive = cg.weights > 0
        self.rows = rows[positive].astype(np.int64)
        self.cols = cols[positive].astype(np.int64)
        self.weights = cg.weights[positive]
        n = cg.n_nodes
        pattern = cg.adjacency.copy()
        pattern.data = (pattern.data > 0).astype(np.float64)
        pattern.eliminate_zeros()
        distance = shortest_path(pattern, unweighted=True, indices=source_index, directed=True)
        self.depth = np.where(np.isfinite(distance), distance, -1).astype(np.int64)
        self.n = n
        self.source = source_index
        # Edges from depth k to depth k + 1 only.
        forward = (self.depth[self.rows] >= 0) & (
            self.depth[self.cols] == self.depth[self.rows] + 1
        )
        self.rows, self.cols, self.weights = (
            self.rows[forward],
            self.cols[forward],
            self.weights[forward],
        )
        self.edge_depth = self.depth[self.rows]


def _node_index(cg: CompactGraph, node: Hashable, what: str) -> int:
    if node not in cg:
        raise SeedError(f"{what} {node!r} is not in the graph")
    return cg.index[node]


def _prepare(G: nx.Graph | CompactGraph, weight: str | None, signed: str) -> CompactGraph:
    # No emptiness check: the source must be a node, so an empty graph is a SeedError.
    return apply_signed_policy(as_compact(G, weight=weight), signed)


def _tidal_to_sink(layers: _Layers, sink: int) -> float:
    """TidalTrust of the layers' source in `sink` (0.0 when unreachable)."""
    sink_depth = int(layers.depth[sink])
    if sink_depth <= 0:
        return 0.0
    rows, cols, w, edge_depth = layers.rows, layers.cols, layers.weights, layers.edge_depth
    # Edges that can lie on a shortest path to the sink: into shallower nodes or the sink.
    usable = (layers.depth[cols] < sink_depth) | (cols == sink)
    rows, cols, w, edge_depth = rows[usable], cols[usable], w[usable], edge_depth[usable]
    reaches = np.zeros(layers.n, dtype=bool)
    reaches[sink] = True
    for depth in range(sink_depth - 1, -1, -1):
        layer = (edge_depth == depth) & reaches[cols]
        reaches[rows[layer]] = True
    keep = reaches[rows] & reaches[cols]
    rows, cols, w, edge_depth = rows[keep], cols[keep], w[keep], edge_depth[keep]

    into_sink = cols == sink
    if sink_depth == 1:
        # The source rated the sink itself.
        return float(w[into_sink][0])
    # Path strength: the weakest edge from the source to each node; keep the strongest path.
    strength = np.full(layers.n, -np.inf)
    strength[layers.source] = np.inf
    for depth in range(sink_depth - 1):
        layer = (edge_depth == depth) & ~into_sink
        np.maximum.at(strength, cols[layer], np.minimum(strength[rows[layer]], w[layer]))
    threshold = float(strength[rows[into_sink]].max())

    rating = np.zeros(layers.n)
    known = np.zeros(layers.n, dtype=bool)
    rating[rows[into_sink]] = w[into_sink]
    known[rows[into_sink]] = True
    for depth in range(sink_depth - 2, -1, -1):
        layer = (edge_depth == depth) & ~into_sink & known[cols] & (w >= threshold)
        numerator = np.bincount(
            rows[layer], weights=w[layer] * rating[cols[layer]], minlength=layers.n
        )
        denominator = np.bincount(rows[layer], weights=w[layer], minlength=layers.n)
        fresh = denominator > 0
        rating[fresh] = numerator[fresh] / denominator[fresh]
        known |= fresh
    return float(rating[layers.source])


def tidaltrust(
    G: nx.Graph | CompactGraph,
    source: Hashable,
    sink: Hashable,
    *,
    weight: str | None = "weight",
    signed: str = "error",
) -> float:
    """Trust of `source` in `sink` inferred by TidalTrust.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Edge ``u -> v`` with weight ``w``: u rates v with w (Golbeck's scale is 1-10, any
        positive scale works). Zero-weight edges are ignored.
    source, sink : node
    weight : str or None, default "weight"
    signed : {"error", "drop", "rescale"}, default "error"
        How negative weights are handled (see
        :func:`trustgraph.algorithms.signed.apply_signed_policy`); by default they raise.

    Returns
    -------
    float
        The inferred rating, on the input scale; 0.0 when no path reaches `sink`. The
        source's direct rating when it rated `sink` itself.

    Raises
    ------
    SeedError
        `source` or `sink` is not in the graph.
    ParameterError
        `source` equals `sink`.
    GraphError
        Negative (under ``signed="error"``) or non-finite weights.

    See Also
    --------
    tidaltrust_all, moletrust

    Notes
    -----
    Only shortest paths count. The threshold ``max`` is the largest path strength, where a
    path's strength is its weakest edge from the source up to the sink's predecessor (the
    final edge into the sink is the predecessor's own rating and does not count). Then,
    backwards from the sink, ``t(i, sink) = sum_j w(i,j) t(j, sink) / sum_j w(i,j)`` over
    the next-layer neighbours j with ``w(i,j) >= max`` that have a rating of the sink.
    Time O(depth * m) per pair. A self-loop never lies on a shortest path, so it is ignored.

    References
    ----------
    J. Golbeck. "Computing and Applying Trust in Web-based Social Networks." PhD thesis,
    University of Maryland, 2005.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([(1, 2, 10), (1, 3, 8), (2, 4, 9), (3, 4, 4)])
    >>> tidaltrust(G, 1, 4)
    9.0
    """
    cg = _prepare(G, weight, signed)
    s = _node_index(cg, source, "source")
    t = _node_index(cg, sink, "sink")
    if s == t:
        raise ParameterError(f"source and sink are the same node {source!r}")
    return _tidal_to_sink(_Layers(cg, s), t)


def tidaltrust_all(
    G: nx.Graph | CompactGraph,
    source: Hashable,
    *,
    weight: str | None = "weight",
    signed: str = "error",
) -> dict[Hashable, float]:
    """TidalTrust of `source` in every node.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    source : node
    weight : str or None, default "weight"
    signed : {"error", "drop", "rescale"}, default "error"

    Returns
    -------
    dict
        A value for every node: the inferred rating; 0.0 for unreachable nodes and for the
        source itself.

    Raises
    ------
    SeedError, GraphError
        As :func:`tidaltrust`.

    See Also
    --------
    tidaltrust

    Notes
    -----
    Runs :func:`tidaltrust`'s computation once per reachable node on one shared BFS: time
    O(n * depth * m), meant for personal-size graphs. Self-loops are ignored, as in
    :func:`tidaltrust`.

    References
    ----------
    J. Golbeck, PhD thesis, 2005 (see :func:`tidaltrust`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([(1, 2, 10), (1, 3, 8), (2, 4, 9), (3, 4, 4), (5, 1, 7)])
    >>> tidaltrust_all(G, 1)
    {1: 0.0, 2: 10.0, 3: 8.0, 4: 9.0, 5: 0.0}
    """
    cg = _prepare(G, weight, signed)
    s = _node_index(cg, source, "source")
    layers = _Layers(cg, s)
    values = np.zeros(cg.n_nodes)
    for t in np.flatnonzero(layers.depth > 0).tolist():
        values[t] = _tidal_to_sink(layers, t)
    return dict(zip(cg.nodes, values.tolist()))


def moletrust(
    G: nx.Graph | CompactGraph,
    source: Hashable,
    *,
    horizon: int = 3,
    threshold: float = 0.6,
    weight: str | None = "weight",
    signed: str = "error",
) -> dict[Hashable, float]:
    """MoleTrust: trust of `source` in every node within `horizon` steps.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Edge ``u -> v`` with weight in [0, 1]: u's trust statement about v. Zero-weight
        edges are ignored.
    source : node
    horizon : int, default 3
        Largest BFS depth that receives a value.
    threshold : float, default 0.6
        Trust cut-off for predecessors: only predecessors whose own trust is at least
        `threshold` pass their statements on (the source always does).
    weight : str or None, default "weight"
    signed : {"error", "drop", "rescale"}, default "error"
        How negative weights are handled; by default they raise.

    Returns
    -------
    dict
        A value for every node: the inferred trust; 0.0 for the source, for nodes beyond
        the horizon or unreachable, and for nodes with no predecessor above the threshold.

    Raises
    ------
    SeedError
        `source` is not in the graph.
    ParameterError
        `horizon` not a positive integer; `threshold` not finite.
    GraphError
        Negative (under ``signed="error"``) or non-finite weights.

    See Also
    --------
    tidaltrust

    Notes
    -----
    Depth-1 nodes get the source's own statements. A node u at depth k in 2..horizon gets

    .. math::

        trust(u) = \\frac{\\sum_{i} trust(i)\\, w(i,u)}{\\sum_{i} trust(i)}

    over its predecessors i at depth k - 1 with ``trust(i) >= threshold``. Edges inside a
    layer or back to shallower layers are never used, which removes cycles. The paper's
    "trust propagation horizon" is `horizon` and its predecessor threshold is `threshold`.
    Time O(horizon * m). A self-loop stays inside its layer, so it is ignored.

    References
    ----------
    P. Massa, P. Avesani. "Controversial Users Demand Local Trust Metrics: An Experimental
    Study on Epinions.com Community." AAAI 2005. P. Massa, P. Avesani. "Trust-aware
    Recommender Systems." RecSys 2007.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("s", "a", 1.0), ("s", "b", 0.5), ("a", "c", 0.8),
    ...                            ("b", "c", 0.1)])
    >>> moletrust(G, "s", threshold=0.6)
    {'s': 0.0, 'a': 1.0, 'b': 0.5, 'c': 0.8}
    """
    if isinstance(horizon, bool) or int(horizon) != horizon or horizon < 1:
        raise ParameterError(f"horizon must be a positive integer, got {horizon!r}")
    if not np.isfinite(float(threshold)):
        raise ParameterError(f"threshold must be a finite number, got {threshold!r}")
    cg = _prepare(G, weight, signed)
    s = _node_index(cg, source, "source")
    layers = _Layers(cg, s)
    n = cg.n_nodes
    trust = np.zeros(n)
    trust[s] = 1.0  # the source passes its own statements on unchanged
    passes = np.zeros(n, dtype=bool)
    passes[s] = True
    rows, cols, w, edge_depth = layers.rows, layers.cols, layers.weights, layers.edge_depth
    for depth in range(int(horizon)):
        layer = (edge_depth == depth) & passes[rows]
        numerator = np.bincount(cols[layer], weights=trust[rows[layer]] * w[layer], minlength=n)
        denominator = np.bincount(cols[layer], weights=trust[rows[layer]], minlength=n)
        fresh = denominator > 0
        trust[fresh] = numerator[fresh] / denominator[fresh]
        passes = fresh & (trust >= threshold)
    trust[s] = 0.0
    return dict(zip(cg.nodes, trust.tolist()))
