"""The Advogato group trust metric: certification by maximum flow (Levien).

The default follows Levien's own implementation, mod_virgule's ``tmetric.c`` and
``net_flow.c`` (read in the ``advogato/mod_virgule`` sources, ``src/tmetric.c``
``tmetric_run`` and ``src/net_flow.c`` ``net_flow_assign_capacities``): a virtual root
node ``"-"`` has an edge to every seed, capacities are assigned by breadth-first distance
from that root (the root takes ``capacities[0]``, the seeds ``capacities[1]``), and a
level-L run uses every certificate of level L or higher.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra, maximum_flow

from trustgraph.algorithms.signed import apply_signed_policy
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.vectors import seed_vector
from trustgraph.exceptions import ParameterError

__all__ = ["ADVOGATO_CAPACITIES", "ADVOGATO_LEVELS", "ROOT_PLACEMENTS", "advogato"]

#: Advogato's capacities by BFS distance from the root (the virtual root first); the last
#: one repeats.
ADVOGATO_CAPACITIES = (800, 200, 200, 50, 12, 4, 2, 1)
#: The KONECT advogato edge weights of the apprentice, journeyer and master levels.
ADVOGATO_LEVELS = (0.6, 0.8, 1.0)
#: Where the first capacity goes: a virtual root before the seeds (Levien), or the seeds.
ROOT_PLACEMENTS = ("virtual", "seeds")


def advogato(
    G: nx.Graph | CompactGraph,
    seeds: Iterable[Hashable],
    *,
    capacities: Sequence[int] = ADVOGATO_CAPACITIES,
    levels: Sequence[float] | None = None,
    weight: str | None = "weight",
    signed: str = "error",
    root: str = "virtual",
) -> dict[Hashable, float]:
    """Advogato certification: which nodes the seeds' trust flow reaches.

    Each node gets a capacity from its BFS distance to the root; each node x is split
    into ``x- -> x+`` (capacity ``cap(x) - 1``) plus a unit edge ``x- -> sink``; a maximum
    flow from the seeds certifies exactly the nodes whose unit edge carries flow.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Edge ``u -> v``: u certifies v. Zero-weight edges are ignored.
    seeds : iterable of nodes
        The trust roots (Advogato's "seeds").
    capacities : sequence of int, default (800, 200, 200, 50, 12, 4, 2, 1)
        ``capacities[k]`` is the capacity of nodes at distance k from the root; nodes
        farther than the list get the last value (Levien: the last capacity repeats).
        Advogato's own values are the default.
    levels : sequence of float, optional
        Certification levels as edge weights, e.g. ``(0.6, 0.8, 1.0)`` for Advogato's
        apprentice, journeyer and master. When given, the metric runs once per level; the
        level-L run uses only edges of weight >= L (distances included). Default: one run
        over every positive edge.
    weight : str or None, default "weight"
    signed : {"error", "drop", "rescale"}, default "error"
        How negative weights are handled; by default they raise.
    root : {"virtual", "seeds"}, default "virtual"
        "virtual" is Levien's mod_virgule: a virtual root of capacity ``capacities[0]``
        certifies the seeds, which sit at distance 1 with ``capacities[1]``; at most
        ``capacities[0] - 1`` nodes are certified in all, seeds included, and a seed is
        certified only if the flow reaches it (it always does unless the seeds outnumber
        ``capacities[0] - 1``). "seeds" puts every seed at distance 0 with
        ``capacities[0]`` and certifies the seeds by definition (trustgraph's placement
        before 0.2; each seed then lets ``capacities[0] - 1`` nodes through).

    Returns
    -------
    dict
        A value for every node: the highest level at which it is certified (1.0 for
        certified when `levels` is None), 0.0 when not certified. The virtual root is not
        a node of `G` and is not returned.

    Raises
    ------
    SeedError
        Empty seeds or seeds not in the graph.
    ParameterError
        Capacities not positive integers, levels not positive finite numbers, or an
        unknown `root`.
    GraphError
        Negative (under ``signed="error"``) or non-finite weights.

    See Also
    --------
    trustgraph.algorithms.spreading.appleseed

    Notes
    -----
    The flow network: a super-source feeds the root ``r-`` (the virtual root, or under
    ``root="seeds"`` every seed) with ``capacities[0]``; for every node ``x`` reachable
    from the root, ``x- -> x+`` has capacity ``cap(x) - 1`` and
    ``x- -> sink`` capacity 1; each certificate ``x -> y`` becomes ``x+ -> y-`` with
    unbounded capacity. Bottleneck property: everything certified behind a node x passes
    through ``x- -> x+``, so a node of capacity c lets at most c - 1 nodes behind it be
    certified, whatever edges an attacker adds behind it. The maximum flow value is unique
    but the certified set is not always; ties are broken by scipy's Dinic solver
    (deterministic for a given node order). Self-loops (self-certifications, which the
    Advogato dump holds) are ignored, as mod_virgule's ``net_flow_init_graph`` skips them.
    Time: one maximum flow on 2n + 4 nodes and n + m edges per level.

    On the KONECT Advogato dump with Levien's seeds (raph, alan, wsanchez, rasmus) and
    capacities, each of the three levels certifies 799 accounts, as Levien's
    implementation does (``capacities[0] - 1``); the test suite checks this.

    References
    ----------
    R. Levien, A. Aiken. "Attack-Resistant Trust Metrics for Public Key Certification."
    USENIX Security 1998. R. Levien. "Attack-Resistant Trust Metrics." PhD thesis, UC
    Berkeley, 2004 (draft); Advogato trust metric page.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("seed", "ann"), ("ann", "bob"), ("ann", "cy"), ("ann", "dee")])

    The virtual root (capacity 10) passes 9 units to the seed (capacity 3), which keeps
    one and passes 2 to ann (capacity 1), who keeps one and passes none on:

    >>> advogato(G, ["seed"], capacities=(10, 3, 1))
    {'seed': 1.0, 'ann': 1.0, 'bob': 0.0, 'cy': 0.0, 'dee': 0.0}

    With the seed itself at distance 0, ann has capacity 3 and passes two units on:

    >>> advogato(G, ["seed"], capacities=(10, 3, 1), root="seeds")
    {'seed': 1.0, 'ann': 1.0, 'bob': 1.0, 'cy': 1.0, 'dee': 0.0}
    """
    capacity_list = [int(c) for c in capacities]
    if not capacity_list or any(
        c < 1 or c != original for c, original in zip(capacity_list, capacities)
    ):
        raise ParameterError(f"capacities must be positive integers, got {capacities!r}")
    if levels is not None:
        level_list = sorted(float(level) for level in levels)
        if not level_list or any(not (np.isfinite(x) and x > 0) for x in level_list):
            raise ParameterError(f"levels must be positive finite numbers, got {levels!r}")
    if root not in ROOT_PLACEMENTS:
        raise ParameterError(f"root must be one of {', '.join(ROOT_PLACEMENTS)}; got {root!r}")
    cg = as_compact(G, weight=weight)
    seed_mask = seed_vector(cg, list(seeds) if not isinstance(seeds, str) else [seeds]) > 0
    cg = apply_signed_policy(cg, signed)
    seed_index = np.flatnonzero(seed_mask)
    rows, cols = cg.edge_arrays()
    w = cg.weights
    n = cg.n_nodes
    if root == "virtual":
        # The root is one more node, n, with an edge to every seed; it alone is fed.
        rows = np.concatenate([rows, np.full(seed_index.size, n, dtype=rows.dtype)])
        cols = np.concatenate([cols, seed_index.astype(cols.dtype)])
        w = np.concatenate([w, np.full(seed_index.size, np.inf)])
        sources, n_flow = np.array([n], dtype=np.int64), n + 1
    else:
        sources, n_flow = seed_index, n
    proper = rows != cols
    values = np.zeros(n_flow)
    for level in [None] if levels is None else level_list:
        active = proper & (w > 0) if level is None else proper & (w > 0) & (w >= level)
        certified = _certified(n_flow, rows[active], cols[active], sources, capacity_list)
        values[certified] = 1.0 if level is None else level
    return dict(zip(cg.nodes, values[:n].tolist()))


def _certified(
    n: int,
    rows: np.ndarray,
    cols: np.ndarray,
    seed_index: np.ndarray,
    capacities: list[int],
) -> np.ndarray:
    """Boolean mask of the nodes certified by one max-flow run."""
    pattern = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(n, n))
    distance = dijkstra(pattern, directed=True, indices=seed_index, unweighted=True, min_only=True)
    reachable = np.flatnonzero(np.isfinite(distance))
    k = reachable.size
    local = np.full(n, -1, dtype=np.int64)
    local[reachable] = np.arange(k)
    steps = np.minimum(distance[reachable].astype(np.int64), len(capacities) - 1)
    capacity = np.asarray(capacities, dtype=np.int64)[steps]

    # Flow-network vertices: x- = 2 i, x+ = 2 i + 1, super-source 2k, sink 2k + 1.
    source, sink = 2 * k, 2 * k + 1
    minus = 2 * np.arange(k)
    plus = minus + 1
    edge_ok = (local[rows] >= 0) & (local[cols] >= 0)
    u, v = local[rows[edge_ok]], local[cols[edge_ok]]
    unbounded = int(capacity.sum()) + int(capacities[0]) * seed_index.size + 1
    tails = np.concatenate([minus, minus, plus[u], np.full(seed_index.size, source)])
    heads = np.concatenate([plus, np.full(k, sink), minus[v], minus[local[seed_index]]])
    caps = np.concatenate(
        [
            capacity - 1,
            np.ones(k, dtype=np.int64),
            np.full(u.size, unbounded, dtype=np.int64),
            np.full(seed_index.size, capacities[0], dtype=np.int64),
        ]
    )
    if unbounded >= np.iinfo(np.int32).max:
        raise ParameterError("capacities are too large for an int32 maximum flow")
    network = sp.csr_array((caps.astype(np.int32), (tails, heads)), shape=(2 * k + 2, 2 * k + 2))
    network.sum_duplicates()
    flow = maximum_flow(network, source, sink).flow
    to_sink = np.asarray(flow[minus, np.full(k, sink)]).ravel()
    certified = np.zeros(n, dtype=bool)
    certified[reachable[to_sink > 0]] = True
    certified[seed_index] = True
    return certified
