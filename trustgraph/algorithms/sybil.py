"""Sybil defences: SybilRank, SybilSCAR and community-spread trusted seeds.

Both detectors look at the graph as undirected (a social tie, whoever spoke first) and rank
nodes so that *higher means more trusted*: accounts in a Sybil region, joined to the honest
region by few attack edges, end up at the bottom.

* :func:`sybilrank` (Cao et al., NSDI 2012) spreads the trust of verified seeds with a short,
  deliberately unfinished random-walk power iteration and ranks by degree-normalised trust.
* :func:`sybilscar` (Wang, Zhang and Gong, INFOCOM 2017) propagates labels of known benign
  nodes *and* known Sybils with a linear local rule that provably converges.
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
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh

from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.solvers import MatVec, check_dtype, check_threads
from trustgraph.core.validate import check_max_iter, check_nonempty, check_tol, check_weights
from trustgraph.core.vectors import scores_to_dict, seed_vector
from trustgraph.exceptions import ConvergenceError, ParameterError, SeedError

__all__ = ["community_seeds", "sybilrank", "sybilscar", "sybilscar_weight_bound"]

#: Rules accepted by ``directed_rule``: how ``u -> v`` and ``v -> u`` merge into one tie.
SYMMETRISE_RULES = ("sum", "max", "min", "mean")

#: Default ``weight_hat`` as a fraction of the convergence bound ``1 / (2 rho(A))``.
DEFAULT_BOUND_FRACTION = 0.9

# Below this many nodes the spectral radius comes from a dense eigendecomposition (exact and
# cheap); above it from ARPACK on the sparse matrix.
_DENSE_EIGEN_LIMIT = 256


# --------------------------------------------------------------------------- shared helpers
def _undirected(
    G: nx.Graph | CompactGraph, *, weight: str | None, directed_rule: str
) -> CompactGraph:
    """Validated, undirected snapshot of `G` with the chosen weights."""
    if directed_rule not in SYMMETRISE_RULES:
        raise ParameterError(
            f"directed_rule must be one of {SYMMETRISE_RULES}, got {directed_rule!r}"
        )
    cg = as_compact(G, weight=weight)
    # Check before symmetrising: a "sum" could otherwise hide a negative weight.
    check_weights(cg)
    return cg.to_undirected(rule=directed_rule) if cg.directed else cg


def _check_n_steps(n_steps: int) -> int:
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps < 0:
        raise ParameterError(f"n_steps must be a non-negative integer, got {n_steps!r}")
    return int(n_steps)


def _spectral_radius(adjacency: sp.csr_array) -> float:
    """Spectral radius of a symmetric non-negative matrix.

    For such a matrix the largest algebraic eigenvalue is the spectral radius
    (Perron-Frobenius), so ARPACK's ``which="LA"`` suffices even for bipartite graphs, whose
    spectrum also holds ``-rho``.
    """
    n = adjacency.shape[0]
    if adjacency.nnz == 0 or not np.any(adjacency.data):
        return 0.0
    if n <= _DENSE_EIGEN_LIMIT:
        return float(np.max(np.abs(np.linalg.eigvalsh(adjacency.toarray()))))
    try:
        # A fixed start vector keeps the result deterministic (ARPACK starts at random).
        values = eigsh(adjacency, k=1, which="LA", v0=np.ones(n), tol=1e-10)[0]
        return float(values[0])
    except (ArpackNoConvergence, ArpackError):
        # The largest weighted degree bounds the spectral radius from above, so falling
        # back on it keeps the convergence check on the safe side.
        return float(np.max(np.asarray(adjacency.sum(axis=1)).ravel()))


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
    cg = _undirected(G, weight=weight, directed_rule=directed_rule)
    check_nonempty(cg, what="sybilrank")
    start = seed_vector(cg, seeds)
    n = cg.n_nodes
    steps = math.ceil(math.log2(n)) if n_steps is None else _check_n_steps(n_steps)
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
    seed: int | None = None,
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
    seed : int or None
        Randomness for Louvain and for ``pick="random"``. The result is deterministic for a
        given integer; ``None`` draws fresh randomness.
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
    Communities are found with ``networkx.community.louvain_communities`` on the undirected
    graph with positive-weight edges only. The paper leaves open which nodes of a community
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
    cg = _undirected(G, weight=weight, directed_rule=directed_rule)
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
    found = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    groups = [np.array(sorted(group), dtype=np.int64) for group in found]
    groups.sort(key=lambda g: (-g.size, int(g[0])))
    return groups


# --------------------------------------------------------------------------- SybilSCAR
def sybilscar_weight_bound(
    G: nx.Graph | CompactGraph, *, weight: str | None = "weight", directed_rule: str = "sum"
) -> float:
    """The SybilSCAR convergence bound ``1 / (2 rho(A))`` on the homophily `weight_hat`.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Directed graphs are symmetrised with `directed_rule`.
    weight : str or None, default "weight"
        Edge attribute with the tie strength (``None``: every edge weighs 1).
    directed_rule : {"sum", "max", "min", "mean"}, default "sum"
        How the two directions of a directed tie merge.

    Returns
    -------
    float
        ``1 / (2 rho(A))`` with ``rho(A)`` the spectral radius of the weighted adjacency
        matrix; ``inf`` for a graph without positive-weight edges. :func:`sybilscar`
        accepts ``weight_hat`` strictly below this value.

    Raises
    ------
    GraphError
        A NaN, infinite or negative weight.

    See Also
    --------
    sybilscar

    Notes
    -----
    Graphs up to 256 nodes use a dense symmetric eigendecomposition; larger ones ARPACK
    (``scipy.sparse.linalg.eigsh``, largest algebraic eigenvalue, which equals the spectral
    radius for a non-negative symmetric matrix) from a fixed start vector. Should ARPACK not
    converge, the largest weighted degree, an upper bound on ``rho``, is used instead, which
    only makes the bound stricter.

    References
    ----------
    .. [1] B. Wang, L. Zhang and N. Z. Gong, "SybilSCAR: Sybil Detection in Online Social
       Networks via Local Rule based Propagation", IEEE INFOCOM 2017.

    Examples
    --------
    A triangle's adjacency has spectral radius 2:

    >>> import networkx as nx
    >>> round(sybilscar_weight_bound(nx.complete_graph(3)), 6)
    0.25
    """
    cg = _undirected(G, weight=weight, directed_rule=directed_rule)
    rho = _spectral_radius(cg.adjacency)
    return math.inf if rho == 0 else 1.0 / (2.0 * rho)


def sybilscar(
    G: nx.Graph | CompactGraph,
    seeds: Iterable[Hashable] | Mapping[Hashable, float],
    *,
    sybils: Iterable[Hashable] | Mapping[Hashable, float] = (),
    theta: float = 0.9,
    weight_hat: float | None = None,
    weight: str | None = "weight",
    directed_rule: str = "sum",
    tol: float = 1e-3,
    max_iter: int = 1000,
) -> dict[Hashable, float]:
    """SybilSCAR: propagate known benign and known Sybil labels with a convergent local rule.

    Every node holds a probability ``p`` of being a Sybil. Written as residuals (value
    minus 0.5, marked with a hat), the local rule of the paper (Eq. 14/16) is::

        p̂_u = q̂_u + 2 * sum over neighbours v of u of  p̂_v * ŵ * w(u, v)

    where ``q`` is the prior: `theta` for labelled Sybils, ``1 - theta`` for labelled benign
    nodes (`seeds`), 0.5 for everyone else. Starting from ``p = q`` the rule is applied to
    all nodes at once until the change is below `tol`.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Social graph. Directed graphs are symmetrised with `directed_rule`.
    seeds : iterable of nodes or mapping of node to weight
        Nodes known to be benign (at least one). For a mapping, nodes with a positive weight
        are labelled; the weights' sizes do not matter.
    sybils : iterable of nodes or mapping of node to weight, default ()
        Nodes known to be Sybils (optional); a node cannot be in both.
    theta : float, default 0.9
        Prior strength, ``0.5 < theta <= 1``: labelled Sybils start at ``P(Sybil) = theta``,
        labelled benign nodes at ``1 - theta``.
    weight_hat : float, optional
        Homophily residual ``ŵ >= 0`` (an edge links two nodes of the same kind with
        probability ``0.5 + ŵ`` per unit weight). Must be below
        ``1 / (2 rho(A))`` (:func:`sybilscar_weight_bound`); default ``0.9`` times that bound.
    weight : str or None, default "weight"
        Edge attribute with the tie strength, scaling ŵ per edge; ``None`` gives the paper's
        unweighted rule.
    directed_rule : {"sum", "max", "min", "mean"}, default "sum"
        How the two directions of a directed tie merge.
    tol : float, default 1e-3
        Stop when the L1 change of the posteriors between two iterations is below `tol`.
    max_iter : int, default 1000
        Iterations allowed before :class:`ConvergenceError`.

    Returns
    -------
    dict
        Node to *benign* probability ``1 - p``, in [0, 1], for every node: higher means more
        trusted, as everywhere in trustgraph (the paper reports ``p = P(Sybil)``). Nodes the
        labels do not reach stay at 0.5; an isolated labelled node keeps its prior.

    Raises
    ------
    SeedError
        `seeds` empty, unknown, negative or summing to zero; `sybils` unknown; a node in
        both.
    GraphError
        The graph has no nodes, or a NaN, infinite or negative weight.
    ParameterError
        `theta` outside (0.5, 1]; `weight_hat` negative, not finite, or not below the
        convergence bound (the message gives the bound); bad `tol`, `max_iter` or
        `directed_rule`.
    ConvergenceError
        `tol` not met within `max_iter` iterations.

    See Also
    --------
    sybilscar_weight_bound : the largest admissible `weight_hat`.
    sybilrank : random-walk ranking from benign seeds only.

    Notes
    -----
    Paper to parameters: ``Γ(u)`` is the neighbourhood; ``θ`` is `theta`; the homogeneous
    edge residual ``ŵ`` is `weight_hat` and, on weighted graphs, an edge's residual is
    ``ŵ * w(u, v)``, so the matrix form is ``p̂ = q̂ + 2 ŵ A p̂`` with ``A`` the weighted
    adjacency. The paper's ``ε`` and ``T`` are `tol` and `max_iter`.

    Convergence: the rule converges if and only if ``ŵ < 1 / (2 rho(A))`` (shown in the
    paper), which is checked before iterating. The paper's experiments used θ = 0.9,
    ε = 1e-3 and a fixed T = 20 iterations, with ŵ = 0.1 (Facebook), 0.05 and 0.04
    (Twitter); on graphs with average degree above about five such ŵ exceed the bound, so
    they are rejected here: the default takes 0.9 of the bound instead. Here `tol` is an
    absolute L1 change and exceeding `max_iter` raises, per the package convention; the
    default `max_iter` is larger than the paper's T because ŵ near the bound converges
    slowly.

    Orientation and clipping: the paper works with ``p = P(Sybil)``; the function returns
    ``1 - p``. The unclipped Eq. 16 can leave [0, 1] when ŵ nears the bound, so each
    iteration clips the posteriors to [0, 1] (as the authors' reference code does). Clipping
    is a projection onto a box, which does not expand Euclidean distances, and the linear
    map is a Euclidean contraction by ``2 ŵ rho(A) < 1`` (``A`` is symmetric), so the
    clipped iteration still converges to a unique fixed point; wherever the unclipped fixed
    point lies inside [0, 1] the two agree.

    Cost: one eigenvalue computation (see :func:`sybilscar_weight_bound`) plus
    ``O(n + m)`` per iteration.

    References
    ----------
    .. [1] B. Wang, L. Zhang and N. Z. Gong, "SybilSCAR: Sybil Detection in Online Social
       Networks via Local Rule based Propagation", IEEE INFOCOM 2017.
    .. [2] B. Wang, J. Jia, L. Zhang and N. Z. Gong, "Structure-based Sybil Detection in
       Social Networks via Local Rule-based Propagation", IEEE TNSE 2019.

    Examples
    --------
    A path a - b - c - d with a known benign and d a known Sybil:

    >>> import networkx as nx
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> benign = sybilscar(G, ["a"], sybils=["d"], weight_hat=0.2, tol=1e-12)
    >>> {node: round(p, 6) for node, p in benign.items()}
    {'a': 0.951613, 'b': 0.629032, 'c': 0.370968, 'd': 0.048387}
    """
    if isinstance(theta, bool) or not (
        isinstance(theta, (int, float, np.floating)) and 0.5 < theta <= 1.0
    ):
        raise ParameterError(f"theta must be in (0.5, 1], got {theta!r}")
    tol = check_tol(tol)
    max_iter = check_max_iter(max_iter)
    cg = _undirected(G, weight=weight, directed_rule=directed_rule)
    check_nonempty(cg, what="sybilscar")
    benign = seed_vector(cg, seeds) > 0
    sybil = _sybil_labels(cg, sybils)
    both = benign & sybil
    if both.any():
        node = cg.nodes[int(np.flatnonzero(both)[0])]
        raise SeedError(f"node {node!r} is in both seeds and sybils")

    adjacency = cg.adjacency
    rho = _spectral_radius(adjacency)
    bound = math.inf if rho == 0 else 1.0 / (2.0 * rho)
    if weight_hat is None:
        homophily = 0.0 if rho == 0 else DEFAULT_BOUND_FRACTION * bound
    else:
        homophily = float(weight_hat)
        if not (math.isfinite(homophily) and homophily >= 0):
            raise ParameterError(f"weight_hat must be finite and >= 0, got {weight_hat!r}")
        if homophily >= bound:
            raise ParameterError(
                f"weight_hat={weight_hat!r} breaks the SybilSCAR convergence bound "
                f"weight_hat < 1/(2*rho(A)) = {bound:.6g}, where rho(A) = {rho:.6g} is the "
                "spectral radius of the weighted adjacency; choose a smaller weight_hat"
            )

    prior = np.zeros(cg.n_nodes)
    prior[benign] = 0.5 - theta
    prior[sybil] = theta - 0.5
    residual = _scar_iterate(adjacency, prior, homophily, tol=tol, max_iter=max_iter)
    return scores_to_dict(cg, 0.5 - residual)


def _sybil_labels(
    cg: CompactGraph, sybils: Iterable[Hashable] | Mapping[Hashable, float]
) -> np.ndarray:
    """Boolean mask of labelled Sybils; unlike `seeds`, none at all is fine."""
    if isinstance(sybils, Mapping):
        sybils = dict(sybils)
    elif isinstance(sybils, Iterable) and not isinstance(sybils, (str, bytes)):
        sybils = list(sybils)
    if isinstance(sybils, (dict, list)) and not sybils:
        return np.zeros(cg.n_nodes, dtype=bool)
    return seed_vector(cg, sybils, name="sybils") > 0


def _scar_iterate(
    adjacency: sp.csr_array,
    prior: np.ndarray,
    homophily: float,
    *,
    tol: float,
    max_iter: int,
) -> np.ndarray:
    """Fixed point of ``p̂ = clip(q̂ + 2 ŵ A p̂)``, residuals clipped to [-0.5, 0.5]."""
    coupling = (2.0 * homophily) * adjacency
    posterior = prior.copy()
    change = math.inf
    for _ in range(max_iter):
        updated = np.clip(prior + coupling @ posterior, -0.5, 0.5)
        change = float(np.abs(updated - posterior).sum())
        posterior = updated
        if change < tol:
            return posterior
    raise ConvergenceError(
        f"sybilscar did not reach tol={tol!r} in {max_iter} iterations "
        f"(last L1 change {change:.3g}); raise max_iter or lower weight_hat",
        iterations=max_iter,
        residual=change,
    )
