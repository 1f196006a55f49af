"""Trusted reach: if everyone who trusts you vouched for you to everyone who trusts them, how
many people would trust you, and how much of that rests on a few friends?

Trust *in* the ego propagates against the edge direction (an edge ``u -> v`` says u trusts
v, DESIGN.md §3): x trusts the ego through a chain ``x -> a -> ... -> ego``. We score each
person by the best such chain's **path-product trust** in [0, 1]:

* the trust of one edge ``u -> v`` is ``w(u, v) / max_z w(u, z)``: how strongly u trusts v
  relative to u's strongest tie (u's best friend gets 1, a tie half as strong 0.5);
* the trust of a chain is the product of its edge trusts, and a person's trust in the ego is
  the best chain's (maximum product, found with Dijkstra on ``-log`` trust).

Counting the people whose trust is at least a fixed threshold (default 0.25: "the product of
two half-strength ties") gives a number that does not depend on the graph's size, unlike a
probability mass such as personalized PageRank, whose values shrink as the graph grows.
Zero-weight (declared-only) edges carry no trust.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from trustgraph.analysis.contacts import owner_indices
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.validate import check_weights
from trustgraph.exceptions import ParameterError

_FLOOR = 1e-12

__all__ = ["TrustedReach", "edge_trust", "path_trust_in", "trusted_reach"]


def edge_trust(cg: CompactGraph) -> sp.csr_array:
    """Edge trust ``w(u, v) / max_z w(u, z)`` as a CSR matrix (zero-weight edges dropped)."""
    check_weights(cg)
    adjacency = cg.adjacency.tocsr(copy=True)
    adjacency.eliminate_zeros()
    rows = np.repeat(np.arange(cg.n_nodes), np.diff(adjacency.indptr))
    top = np.zeros(cg.n_nodes)
    if adjacency.nnz:
        np.maximum.at(top, rows, adjacency.data)
    adjacency.data = adjacency.data / top[rows]
    return adjacency


def _written_to(cg: CompactGraph, owners: np.ndarray) -> np.ndarray:
    """Nodes the ego wrote to: a positive-weight edge from an owner, with a positive
    ``count`` where counts are known (co-participation in a group is not writing)."""
    rows, cols = cg.edge_arrays()
    mine = np.isin(rows, owners) & (cg.weights > 0)
    counts = cg.edge_attrs.get("count")
    if counts is not None:
        mine &= np.asarray(counts, dtype=np.float64) > 0
    known = np.zeros(cg.n_nodes, dtype=bool)
    known[cols[mine]] = True
    return known


def _answered_only(trust: sp.csr_array, owners: np.ndarray, known: np.ndarray) -> sp.csr_array:
    """Drop edges into the ego from people the ego never wrote to."""
    n = trust.shape[0]
    is_owner = np.zeros(n, dtype=bool)
    is_owner[owners] = True
    rows = np.repeat(np.arange(n), np.diff(trust.indptr))
    result = trust.copy()
    result.data = np.where(is_owner[result.indices] & ~known[rows], 0.0, result.data)
    result.eliminate_zeros()
    return result


def _best_paths(trust: sp.csr_array, owners: np.ndarray, removed: np.ndarray | None = None):
    """Best path-product trust of every node in the owners, and each node's first hop."""
    n = trust.shape[0]
    # Reverse: walk from the ego against the edges, so distances are trust *in* the ego.
    reverse = trust.T.tocsr()
    if removed is not None and removed.size:
        keep = np.ones(n)
        keep[removed] = 0.0
        mask = sp.diags_array(keep)
        reverse = (mask @ reverse @ mask).tocsr()
        reverse.eliminate_zeros()
    cost = reverse.copy()
    # -log(1) = 0 would read as "no edge" to csgraph; a tiny floor keeps the edge.
    cost.data = np.maximum(-np.log(cost.data), _FLOOR)
    dist, pred, _ = csgraph.dijkstra(
        cost, directed=True, indices=owners, min_only=True, return_predecessors=True
    )
    # Undo the floor on each hop, so a chain of full-trust edges scores exactly 1.
    best = np.minimum(np.exp(-dist), 1.0)
    best[owners] = 1.0
    # First hop of each chain (the ego's direct contact it runs through): pointer
    # jumping up the predecessor tree until the parent is an owner.
    is_owner = np.zeros(n, dtype=bool)
    is_owner[owners] = True
    has = pred >= 0
    safe = np.where(has, pred, 0)
    step_up = has & ~is_owner[safe]
    parent = np.arange(n)
    parent[step_up] = pred[step_up]
    while True:
        jumped = parent[parent]
        if np.array_equal(jumped, parent):
            break
        parent = jumped
    first = np.where(has, parent, -1)
    first[owners] = -1
    hops = csgraph.shortest_path(
        reverse, directed=True, unweighted=True, indices=owners, method="D"
    )
    hops = hops.min(axis=0) if hops.ndim == 2 else hops
    return best, first, hops


@dataclass(frozen=True)
class TrustedReach:
    """How far trust in the ego reaches.

    Attributes
    ----------
    threshold : float
        Path-product trust a person needs to count as reached.
    trust : dict
        ``{node: trust in the ego}`` for every reached node (the ego excluded).
    by_hop : dict
        ``{hops: count}`` of reached people by hop distance (fewest edges to the ego).
    reached : int
        People reached in all.
    connections : int
        The raw connection count beside it: every node adjacent to the ego either way,
        declared-only ties included.
    without_top : dict
        ``{k: reached}`` after removing the k contacts that contribute most reach.
    contributions : dict
        ``{direct contact: people reached through them}`` (the first hop of each reached
        person's best chain; the contact itself counts), largest first.
    """

    threshold: float
    trust: dict[Hashable, float]
    by_hop: dict[int, int]
    reached: int
    connections: int
    without_top: dict[int, int] = field(default_factory=dict)
    contributions: dict[Hashable, int] = field(default_factory=dict)

    def as_dict(self, name=str) -> dict:
        """JSON-ready summary; `name` maps a node to the identifier to show."""
        return {
            "threshold": self.threshold,
            "reached": self.reached,
            "connections": self.connections,
            "by_hop": {str(k): v for k, v in sorted(self.by_hop.items())},
            "without_top": {str(k): v for k, v in sorted(self.without_top.items())},
            "top_contributors": [
                {"id": name(node), "reach": count}
                for node, count in list(self.contributions.items())[:10]
            ],
        }


def path_trust_in(
    G: nx.Graph | CompactGraph, me: Iterable[Hashable], *, answered_only: bool = True
) -> dict[Hashable, float]:
    """Best path-product trust of every node in the ego (against the edge direction).

    Parameters
    ----------
    G : networkx graph or CompactGraph
        ``u -> v``: u trusts v, with weight the tie strength (non-negative).
    me : node or iterable of nodes
        The ego's identifiers.
    answered_only : bool, default True
        A chain must enter the ego through someone the ego has written to: one-way
        senders (broadcasters, strangers posting in a group) vouch for nobody.

    Returns
    -------
    dict
        A value in [0, 1] for every node: 1.0 for the ego, 0.0 for nodes with no chain.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "me", 2.0), ("a", "c", 4.0), ("b", "a", 1.0),
    ...                            ("me", "a", 1.0), ("spam", "me", 5.0)])
    >>> t = path_trust_in(G, ["me"])
    >>> round(t["a"], 6), round(t["b"], 6), t["c"], t["spam"]
    (0.5, 0.5, 0.0, 0.0)
    """
    cg = as_compact(G)
    owners = owner_indices(cg, me)
    trust = edge_trust(cg)
    if answered_only:
        trust = _answered_only(trust, owners, _written_to(cg, owners))
    best, _, _ = _best_paths(trust, owners)
    return {node: float(v) for node, v in zip(cg.nodes, best)}


def trusted_reach(
    G: nx.Graph | CompactGraph,
    me: Iterable[Hashable],
    *,
    threshold: float = 0.25,
    remove_top: Sequence[int] = (1, 3, 5),
    answered_only: bool = True,
) -> TrustedReach:
    """Count the people whose path-product trust in the ego is at least `threshold`.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        ``u -> v``: u trusts v (weights are tie strengths, non-negative).
    me : node or iterable of nodes
        The ego's identifiers.
    threshold : float in (0, 1], default 0.25
        Minimum path-product trust to count as reached (0.25 = two half-strength ties).
    remove_top : sequence of int, default (1, 3, 5)
        Also count the reach after removing the k largest contributors, for each k.
    answered_only : bool, default True
        Chains enter the ego only through people the ego has written to (see
        :func:`path_trust_in`).

    Returns
    -------
    TrustedReach

    Raises
    ------
    ParameterError
        `threshold` outside (0, 1].
    SeedError
        An ego identifier not in the graph.
    GraphError
        Negative or NaN weights.

    See Also
    --------
    path_trust_in : the trust values themselves.

    Notes
    -----
    Propagation runs against the edges (trust *in* the ego). A chain's trust is the product
    of edge trusts, as in the path-algebra of Richters & Peixoto; Dijkstra on
    ``-log`` trust finds the best chain in O(m log n). The hop distance of a person is the
    fewest edges from them to the ego over positive-weight edges. Removing contributors
    removes them as nodes (their own trust and everything routed through them).

    References
    ----------
    .. [1] O. Richters, T. P. Peixoto, "Trust transitivity in social networks", PLoS ONE
       6(4), 2011.
    .. [2] J.-P. Onnela et al., "Structure and tie strengths in mobile communication
       networks", PNAS 104(18), 2007 (removing strong ties first).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "me", 1.0), ("b", "a", 1.0), ("c", "b", 1.0),
    ...                            ("d", "me", 1.0), ("d", "x", 9.0), ("me", "a", 1.0),
    ...                            ("me", "d", 1.0)])
    >>> r = trusted_reach(G, ["me"], remove_top=(1,))
    >>> r.reached, r.by_hop, r.without_top, r.contributions["a"]
    (3, {1: 1, 2: 1, 3: 1}, {1: 0}, 3)
    """
    if not 0 < threshold <= 1:
        raise ParameterError(f"threshold must be in (0, 1], got {threshold!r}")
    cg = as_compact(G)
    owners = owner_indices(cg, me)
    trust = edge_trust(cg)
    if answered_only:
        trust = _answered_only(trust, owners, _written_to(cg, owners))
    best, first, hops = _best_paths(trust, owners)
    is_owner = np.zeros(cg.n_nodes, dtype=bool)
    is_owner[owners] = True
    reached = (best >= threshold) & ~is_owner
    by_hop: dict[int, int] = {}
    for h in hops[reached]:
        if np.isfinite(h):
            by_hop[int(h)] = by_hop.get(int(h), 0) + 1
    counts = np.bincount(first[reached & (first >= 0)], minlength=cg.n_nodes)
    order = np.argsort(-counts, kind="stable")
    contributors = [int(i) for i in order if counts[i] > 0]
    contributions = {cg.nodes[i]: int(counts[i]) for i in contributors}
    without_top = {}
    for k in remove_top:
        gone = np.array(contributors[:k], dtype=np.int64)
        best_k, _, _ = _best_paths(trust, owners, gone)
        keep = (best_k >= threshold) & ~is_owner
        keep[gone] = False
        without_top[int(k)] = int(np.count_nonzero(keep))
    rows, cols = cg.edge_arrays()
    touches = np.zeros(cg.n_nodes, dtype=bool)
    touches[cols[is_owner[rows]]] = True
    touches[rows[is_owner[cols]]] = True
    touches &= ~is_owner
    return TrustedReach(
        threshold=threshold,
        trust={cg.nodes[i]: float(best[i]) for i in np.flatnonzero(reached)},
        by_hop=dict(sorted(by_hop.items())),
        reached=int(np.count_nonzero(reached)),
        connections=int(np.count_nonzero(touches)),
        without_top=without_top,
        contributions=contributions,
    )
