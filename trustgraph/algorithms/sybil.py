"""Sybil defences: SybilRank, SybilSCAR and community-spread trusted seeds.

Both detectors look at the graph as undirected (a social tie, whoever spoke first) and rank
nodes so that *higher means more trusted*: accounts in a Sybil region, joined to the honest
region by few attack edges, end up at the bottom.

* :func:`sybilrank` (Cao et al., NSDI 2012) spreads the trust of verified seeds with a short,
  deliberately unfinished random-walk power iteration and ranks by degree-normalised trust.
* :func:`sybilscar` (Wang, Zhang and Gong, INFOCOM 2017) propagates labels of known benign
  nodes *and* known Sybils with a linear local rule that provably converges (module
  :mod:`trustgraph.algorithms.sybilscar`, re-exported here).
* :func:`community_seeds` picks trusted seeds spread over the graph's communities, as the
  SybilRank paper prescribes.
* :func:`sybilscar_weight_bound` is the largest homophily ``weight_hat`` SybilSCAR accepts.

Directed graphs are symmetrised first with ``CompactGraph.to_undirected(rule=directed_rule)``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.algorithms._symmetric import (
    check_n_steps,
    undirected_snapshot,
)
from trustgraph.algorithms.sybilscar import SYBILSCAR_VARIANTS, sybilscar, sybilscar_weight_bound
from trustgraph.core.communities import detect_communities
from trustgraph.core.compact import CompactGraph
from trustgraph.core.solvers import MatVec, check_dtype, check_threads
from trustgraph.core.validate import check_nonempty
from trustgraph.core.vectors import scores_to_dict, seed_vector
from trustgraph.exceptions import ParameterError, SeedError

__all__ = [
    "SYBILSCAR_VARIANTS",
    "community_seeds",
    "sybilrank",
    "sybilscar",
    "sybilscar_weight_bound",
]


# --------------------------------------------------------------------------- SybilRank
def sybilrank(
    G: nx.Graph | CompactGraph,
    seeds: Iterable[Hashable] | Mapping[Hashable, float],
    *,
    n_steps: int | None = None,
    weight: str | None = "weight",
    directed_rule: str = "sum",
    normalize: bool = True,
    dtype: type = np.float64,
    threads: int | None = None,
) -> dict[Hashable, float]:
    """SybilRank: trust from verified seeds, spread by an early-terminated random walk.

    The seeds share a total trust of one. Each step every node hands its trust to its
    neighbours in proportion to the edge weights::

        T_i(v) = sum over neighbours u of v of  T_{i-1}(u) * w(u, v) / deg_w(u)

    and after `n_steps` steps each node is scored by its trust per unit of (weighted) degree,
    ``T(v) / deg_w(v)``. Stopping early is the point: a full walk would converge to the
    degree distribution and forget the seeds; after about ``log n`` steps trust has mixed
    over the fast-mixing honest region but little has crossed the few attack edges into a
    Sybil region.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Social graph. Directed graphs are symmetrised with `directed_rule`.
    seeds : iterable of nodes or mapping of node to non-negative weight
        Verified honest nodes. An iterable shares the trust equally; a mapping shares it in
        proportion to the weights. Spread them over the graph's communities (see
        :func:`community_seeds`): placement matters more than the step count.
    n_steps : int, optional
        Number of power-iteration steps; ``ceil(log2(n))`` for ``n`` nodes by default.
    weight : str or None, default "weight"
        Edge attribute with the tie strength; ``None`` counts every edge as 1 (the paper's
        unweighted walk).
    directed_rule : {"sum", "max", "min", "mean"}, default "sum"
        For a directed graph, the weight of the undirected tie from the directions present
        (a tie exists where either direction does; see ``CompactGraph.to_undirected``).
    normalize : bool, default True
        Divide trust by weighted degree (the paper's ranking score). ``False`` returns the
        raw trust ``T(v)``, which sums to one.
    dtype : numpy.float64 or numpy.float32, default float64
        Arithmetic of the walk; float32 halves its memory traffic and agrees with float64
        to about 1e-7 relative per score (there is no tolerance: the step count is fixed).
    threads : int, optional
        Threads for each step's sparse product (row blocks); default
        ``min(os.cpu_count(), 4)``. Results do not depend on it.

    Returns
    -------
    dict
        Node to score for every node; higher means more trusted. Nodes the trust did not
        reach score 0.0, and so does every node of zero weighted degree (isolated, or with
        only zero-weight edges): an isolated seed keeps its trust (so the total stays one)
        but has no degree to divide it by.

    Raises
    ------
    SeedError
        Seeds empty, unknown, negative or summing to zero.
    GraphError
        The graph has no nodes, or a NaN, infinite or negative weight.
    ParameterError
        `n_steps` is not a non-negative integer, or `directed_rule` is unknown.

    See Also
    --------
    community_seeds : trusted seeds spread over communities.
    sybilscar : label propagation using known Sybils as well.

    Notes
    -----
    Paper to parameters: the paper's trust seeds are `seeds`; its total trust ``|V|`` is
    scaled to 1 here (a constant factor, so the ranking is unchanged); its
    ``O(log n)`` iterations are `n_steps`; ``deg(v)`` is the weighted degree, the sum of
    the weights of the node's ties, which equals the plain degree when ``weight=None``.
    A self-loop counts once in the weighted degree and returns trust to its node.

    Implementations disagree on the number of steps: the SybilRank reference C++ runs
    ``max(10, floor(ln n))``, its README says ``log2 n``, SyPy uses ``ceil(log10 n)`` and the
    SybilSCAR paper ran SybilRank for ``ceil(log |V|)``. The default here, ``ceil(log2 n)``,
    follows the reference README; pass `n_steps` to reproduce another.

    Zero-weight edges carry no trust. Each step is one sparse matrix-vector product, so a
    run costs ``O(n_steps * (n + m))`` time and ``O(n + m)`` memory.

    References
    ----------
    .. [1] Q. Cao, M. Sirivianos, X. Yang and T. Pregueiro, "Aiding the Detection of Fake
       Accounts in Large Scale Social Online Services", NSDI 2012.

    Examples
    --------
    A triangle of honest users and a Sybil pair hanging off node 2 by one attack edge:

    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (1, 2), (0, 2), (2, "s1"), ("s1", "s2")])
    >>> scores = sybilrank(G, [0], n_steps=2)
    >>> {node: round(score, 6) for node, score in scores.items()}
    {0: 0.208333, 1: 0.083333, 2: 0.083333, 's1': 0.083333, 's2': 0.0}
    >>> round(sum(sybilrank(G, [0], n_steps=2, normalize=False).values()), 12)
    1.0
    """
    cg = undirected_snapshot(G, weight=weight, directed_rule=directed_rule)
    check_nonempty(cg, what="sybilrank")
    start = seed_vector(cg, seeds)
    n = cg.n_nodes
    steps = math.ceil(math.log2(n)) if n_steps is None else check_n_steps(n_steps)
    strength = cg.out_strength()
    trust = _sybilrank_trust(
        cg.adjacency,
        strength,
        start,
        steps,
        dtype=check_dtype(dtype),
        threads=check_threads(threads),
    )
    if normalize:
        has_degree = strength > 0
        trust = np.divide(trust, strength, out=np.zeros(n), where=has_degree)
    return scores_to_dict(cg, trust)


def _sybilrank_trust(
    adjacency: sp.csr_array,
    strength: np.ndarray,
    start: np.ndarray,
    n_steps: int,
    *,
    dtype: type = np.float64,
    threads: int = 1,
) -> np.ndarray:
    """Raw trust after `n_steps` steps of the walk ``P = D^-1 A`` started at `start`.

    Three buffers are allocated once; each step is one threaded sparse product.
    """
    has_degree = strength > 0
    stuck = ~has_degree
    inverse = np.divide(1.0, strength, out=np.zeros(strength.size), where=has_degree)
    inverse = inverse.astype(dtype)
    product = MatVec(adjacency.T.tocsr(), dtype, threads)
    trust = start.astype(dtype)
    per_unit = np.empty_like(trust)
    spread = np.empty_like(trust)
    for _ in range(n_steps):
        np.multiply(trust, inverse, out=per_unit)
        product(per_unit, spread)
        # Nodes without degree have nowhere to send trust; they keep it.
        spread[stuck] += trust[stuck]
        trust, spread = spread, trust
    return trust.astype(np.float64)


# --------------------------------------------------------------------------- seed picking
def community_seeds(
    G: nx.Graph | CompactGraph,
    *,
    per_community: int = 2,
    seed: int | None = 0,
    pick: str = "degree",
    candidates: Iterable[Hashable] | None = None,
    weight: str | None = "weight",
    directed_rule: str = "sum",
    resolution: float = 1.0,
) -> list[Hashable]:
    """Trusted seeds spread over the graph's Louvain communities.

    SybilRank (and any seeded defence) misjudges honest communities that hold no seed: trust
    reaches them as slowly as it reaches a Sybil region. The SybilRank paper therefore
    detects communities and picks a few verified seeds in each. This function does that
    with Louvain modularity optimisation on the undirected graph.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Social graph; directed graphs are symmetrised with `directed_rule`.
    per_community : int, default 2
        Seeds per community (fewer where a community has fewer eligible nodes).
    seed : int or None, default 0
        Randomness for Louvain and for ``pick="random"``. The result is deterministic for a
        given integer (the package-wide default 0); ``None`` draws fresh randomness.
    pick : {"degree", "random"}, default "degree"
        Within each community take the eligible nodes of highest weighted degree (ties go to
        the earlier node in graph order), or a uniform random draw without replacement.
    candidates : iterable of nodes, optional
        Only these nodes may become seeds, e.g. the accounts an operator has verified by
        hand. Communities are still detected on the whole graph. Default: every node.
    weight : str or None, default "weight"
        Edge attribute with the tie strength (``None``: every edge weighs 1).
    directed_rule : {"sum", "max", "min", "mean"}, default "sum"
        How the two directions of a directed tie merge.
    resolution : float, default 1.0
        Louvain resolution; above 1 favours smaller communities.

    Returns
    -------
    list
        Seed nodes, community by community (largest community first, ties by the earliest
        node), each community's seeds in the order they were picked.

    Raises
    ------
    SeedError
        A candidate is not in the graph, or no node is eligible (every eligible node must
        have positive weighted degree: an isolated seed cannot pass trust on).
    GraphError
        A NaN, infinite or negative weight.
    ParameterError
        `per_community` is not a positive integer, `pick` or `directed_rule` is unknown.

    See Also
    --------
    sybilrank, sybilscar : the defences that take these seeds.
    networkx.community.louvain_communities : the community detection used.

    Notes
    -----
    Communities are found with Louvain (:func:`trustgraph.core.communities.detect_communities`,
    networkx's ``louvain_communities``) on the undirected graph with positive-weight edges
    only. The paper leaves open which nodes of a community
    to trust; high degree favours well-connected, hard-to-fake accounts, a random draw
    avoids giving attackers a predictable target.

    References
    ----------
    .. [1] Q. Cao, M. Sirivianos, X. Yang and T. Pregueiro, "Aiding the Detection of Fake
       Accounts in Large Scale Social Online Services", NSDI 2012 (seed selection
       across communities).
    .. [2] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. (2008) P10008.

    Examples
    --------
    Two four-cliques joined by one edge; node 3 and node 4 carry the bridge:

    >>> import networkx as nx
    >>> G = nx.union(nx.complete_graph(4), nx.complete_graph(range(4, 8)))
    >>> G.add_edge(3, 4)
    >>> community_seeds(G, per_community=1, seed=1)
    [3, 4]
    """
    if isinstance(per_community, bool) or not isinstance(per_community, (int, np.integer)):
        raise ParameterError(f"per_community must be a positive integer, got {per_community!r}")
    if per_community < 1:
        raise ParameterError(f"per_community must be a positive integer, got {per_community!r}")
    if pick not in ("degree", "random"):
        raise ParameterError(f"pick must be 'degree' or 'random', got {pick!r}")
    cg = undirected_snapshot(G, weight=weight, directed_rule=directed_rule)
    strength = cg.out_strength()
    eligible = strength > 0
    if candidates is not None:
        allowed = np.zeros(cg.n_nodes, dtype=bool)
        missing = [node for node in candidates if node not in cg]
        if missing:
            raise SeedError(f"candidates not in the graph: {', '.join(map(repr, missing[:5]))}")
        for node in candidates:
            allowed[cg.index[node]] = True
        eligible &= allowed
    if not eligible.any():
        raise SeedError(
            "no node can be a seed: every candidate has zero weighted degree"
            if cg.n_nodes
            else "no node can be a seed: the graph is empty"
        )

    communities = _louvain(cg, seed=seed, resolution=resolution)
    rng = np.random.default_rng(seed) if pick == "random" else None
    chosen: list[int] = []
    for members in communities:
        pool = members[eligible[members]]
        if pool.size == 0:
            continue
        take = min(per_community, pool.size)
        if rng is None:
            order = np.lexsort((pool, -strength[pool]))
            chosen.extend(pool[order[:take]].tolist())
        else:
            chosen.extend(rng.choice(pool, size=take, replace=False).tolist())
    return [cg.nodes[i] for i in chosen]


def _louvain(cg: CompactGraph, *, seed: int | None, resolution: float) -> list[np.ndarray]:
    """Louvain communities as index arrays, largest first, ties by earliest node."""
    rows, cols = cg.edge_arrays()
    keep = (rows <= cols) & (cg.weights > 0)
    H = nx.Graph()
    H.add_nodes_from(range(cg.n_nodes))
    H.add_weighted_edges_from(
        zip(rows[keep].tolist(), cols[keep].tolist(), cg.weights[keep].tolist())
    )
    found = detect_communities(
        H, method="louvain", weight="weight", resolution=resolution, seed=seed
    )
    groups = [np.array(sorted(group), dtype=np.int64) for group in found]
    groups.sort(key=lambda g: (-g.size, int(g[0])))
    return groups
