"""The random-walk trust family: personalized PageRank, TrustRank, EigenTrust and friends.

All of them are one computation: the stationary distribution of a walk that follows an
out-edge with probability ``damping`` (chosen in proportion to its weight) and otherwise
restarts at the seeds. They differ in the graph they walk on (as given, or reversed), in
the teleport vector and in how edge weights become transition probabilities. Trust *from*
the seeds propagates along the edges (u -> v: u trusts v); ``inverse_pagerank`` and
``anti_trustrank`` walk the reversed graph.

Shared conventions: dangling nodes (no out-edge of positive weight, including nodes whose
only edges are declared-only weight-0 ties) send their mass back to the seeds; zero-weight
edges are ignored; negative or NaN weights raise :class:`~trustgraph.GraphError`; scores
sum to one and every node gets a value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.solvers import EXACT_MAX_NODES, iter_ppr_batch, solve_ppr, transition
from trustgraph.core.validate import check_damping, check_max_iter, check_tol, check_weights
from trustgraph.core.vectors import scores_to_dict, seed_vector, uniform_vector
from trustgraph.exceptions import GraphError, ParameterError, SeedError

__all__ = [
    "PPRMatrix",
    "anti_trustrank",
    "eigentrust",
    "inverse_pagerank",
    "pagerank",
    "personalized_pagerank",
    "personalized_pagerank_matrix",
    "trustrank",
]

Seeds = Iterable[Hashable] | Mapping[Hashable, float]
GraphLike = nx.Graph | CompactGraph


def personalized_pagerank(
    G: GraphLike,
    seeds: Seeds,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    epsilon: float = 1e-6,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> dict[Hashable, float]:
    """Personalized PageRank (random walk with restart) from trusted seeds.

    The walker follows an out-edge with probability `damping`, picking it in proportion to
    its weight, and otherwise jumps back to a seed. Trust propagates *along* edges: seeds
    trust whom they talk to, and those contacts pass part of it on. Dangling nodes (no
    out-edge of positive weight, declared-only weight-0 ties included) send their mass back
    to the seeds.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Edge ``u -> v`` means u trusts v; undirected edges count in both directions.
    seeds : iterable of nodes or mapping of node to non-negative weight
        The teleport distribution (normalised to sum to one).
    damping : float, default 0.85
        Probability of following an edge, in [0, 1).
    weight : str or None, default "weight"
        Edge attribute holding the tie strength; ``None`` gives every edge weight 1.
        Zero-weight edges are ignored.
    tol : float, default 1e-10
        Absolute L1 change between power iterations at which to stop.
    max_iter : int, default 1000
        Power iterations allowed before :class:`~trustgraph.ConvergenceError`.
    method : {"auto", "power", "exact", "push"}, default "auto"
        ``"power"``: power iteration. ``"exact"``: sparse direct solve (small graphs).
        ``"push"``: Andersen-Chung-Lang forward push, *approximate* (see Notes).
        ``"auto"``: exact up to 2,000 nodes, power above; never push.
    epsilon : float, default 1e-6
        Push threshold (``method="push"`` only).
    dtype : numpy.float64 or numpy.float32, default float64
        Arithmetic of power iteration. float32 is faster (half the memory traffic) and
        agrees with float64 to about 1e-6 per score; with it a `tol` below 1e-6 is raised to
        1e-6, because float32 rounding makes smaller L1 changes unobservable. Scores are
        returned as Python floats either way.
    threads : int, optional
        Threads for the sparse products of power iteration (row blocks of the matrix);
        default ``min(os.cpu_count(), 4)``. Results do not depend on it.
    progress : callable, optional
        Called as ``progress(iteration, l1_change)`` after every power iteration (for
        progress bars on large graphs); not called by the exact and push solvers.

    Returns
    -------
    dict
        Node -> score for every node; scores are non-negative and sum to one.

    Raises
    ------
    SeedError
        Empty or unknown seeds, negative or zero-sum seed weights.
    GraphError
        Negative or NaN weights.
    ParameterError
        `damping` outside [0, 1), bad `tol`, `max_iter`, `method` or `epsilon`.
    ConvergenceError
        Power iteration did not meet `tol` within `max_iter` (``.iterations``,
        ``.residual``).

    See Also
    --------
    pagerank, trustrank, eigentrust, personalized_pagerank_matrix,
    trustgraph.analysis.explain.explain_trust

    Notes
    -----
    Solves ``pi = (1 - damping) s + damping (pi P + (pi . dangling) s)`` with ``P`` the
    row-normalised weights and ``s`` the seed vector. networkx's ``alpha`` and igraph's
    ``damping`` are our `damping`; the restart probability ``alpha`` of Andersen, Chung and
    Lang is ``1 - damping``.

    The push solver runs the *non-lazy* walk (it keeps no half of the residual at the node),
    so it approximates the same PPR as the other methods. It pushes while
    ``r(u) >= epsilon * max(outdeg(u), 1)``; its cost is ``O(1 / (epsilon (1 - damping)))``
    edge visits whatever the graph's size, and the normalised estimate is within ``2 sum(r)``
    of the exact scores in L1, where ``sum(r) < epsilon * sum(max(outdeg, 1))`` over the
    touched nodes. To reproduce a *lazy*-walk PPR with restart ``alpha`` (networkit, ACL),
    use ``damping = lazy_to_nonlazy_damping(alpha) = (1 - alpha) / (1 + alpha)``.

    References
    ----------
    .. [1] L. Page, S. Brin, R. Motwani, T. Winograd, "The PageRank citation ranking:
       bringing order to the web", Stanford InfoLab, 1999.
    .. [2] R. Andersen, F. Chung, K. Lang, "Local graph partitioning using PageRank
       vectors", FOCS 2006.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 3), ("A", "C", 1), ("B", "C", 1),
    ...                            ("C", "A", 1), ("C", "D", 1)])
    >>> scores = personalized_pagerank(G, ["A"])
    >>> {node: round(value, 6) for node, value in scores.items()}
    {'A': 0.368666, 'B': 0.235024, 'C': 0.278112, 'D': 0.118198}
    """
    cg = _prepare(G, weight)
    teleport = seed_vector(cg, seeds)
    return _solve(cg, teleport, damping, tol, max_iter, method, epsilon, dtype, threads, progress)


def pagerank(
    G: GraphLike,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> dict[Hashable, float]:
    """Global PageRank: the walk teleports uniformly over all nodes.

    Dangling nodes send their mass back to the teleport vector, here every node uniformly
    (networkx's default). Zero-weight edges are ignored. The null graph gives ``{}``.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    damping, weight, tol, max_iter, method, dtype, threads, progress
        As in :func:`personalized_pagerank` (``method="push"`` is not offered: it is local).

    Returns
    -------
    dict
        Node -> score for every node, summing to one.

    Raises
    ------
    GraphError
        Negative or NaN weights.
    ParameterError, ConvergenceError
        As in :func:`personalized_pagerank`.

    See Also
    --------
    personalized_pagerank, inverse_pagerank

    Notes
    -----
    ``damping`` is the paper's ``d`` and networkx's ``alpha``.

    References
    ----------
    .. [1] L. Page, S. Brin, R. Motwani, T. Winograd, "The PageRank citation ranking:
       bringing order to the web", Stanford InfoLab, 1999.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 3), ("A", "C", 1), ("B", "C", 1),
    ...                            ("C", "A", 1), ("C", "D", 1)])
    >>> {node: round(value, 6) for node, value in pagerank(G).items()}
    {'A': 0.223421, 'B': 0.227408, 'C': 0.32575, 'D': 0.223421}
    """
    if method == "push":
        raise ParameterError("pagerank has no push solver; use method='power' or 'exact'")
    cg = _prepare(G, weight)
    if cg.n_nodes == 0:
        _check_solver_args(damping, tol, max_iter)
        return {}
    teleport = uniform_vector(cg.n_nodes)
    return _solve(cg, teleport, damping, tol, max_iter, method, 1e-6, dtype, threads, progress)


def inverse_pagerank(
    G: GraphLike,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> dict[Hashable, float]:
    """PageRank on the reversed graph: TrustRank's seed-selection score.

    A node scores high when many nodes can be reached from it; Gyöngyi et al. rank seed
    candidates by it, so that a few judged seeds cover much of the graph. Dangling nodes of
    the reversed graph (nodes nobody trusts) send their mass back uniformly over all nodes.
    Zero-weight edges are ignored. The null graph gives ``{}``.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    damping, weight, tol, max_iter, method, dtype, threads, progress
        As in :func:`pagerank`.

    Returns
    -------
    dict
        Node -> score for every node, summing to one.

    Raises
    ------
    GraphError, ParameterError, ConvergenceError
        As in :func:`pagerank`.

    See Also
    --------
    trustrank, pagerank

    Notes
    -----
    Equals ``networkx.pagerank(G.reverse(), alpha=damping)``.

    References
    ----------
    .. [1] Z. Gyöngyi, H. Garcia-Molina, J. Pedersen, "Combating web spam with TrustRank",
       VLDB 2004, section 4.1 (inverse PageRank).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("hub", "a"), ("hub", "b"), ("a", "b")])
    >>> scores = inverse_pagerank(G)
    >>> max(scores, key=scores.get)
    'hub'
    """
    if method == "push":
        raise ParameterError("inverse_pagerank has no push solver; use 'power' or 'exact'")
    cg = _prepare(G, weight).reverse()
    if cg.n_nodes == 0:
        _check_solver_args(damping, tol, max_iter)
        return {}
    teleport = uniform_vector(cg.n_nodes)
    return _solve(cg, teleport, damping, tol, max_iter, method, 1e-6, dtype, threads, progress)


def trustrank(
    G: GraphLike,
    seeds: Seeds,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    epsilon: float = 1e-6,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> dict[Hashable, float]:
    """TrustRank: trust propagated from good seeds along the edges.

    Personalized PageRank whose teleport vector is uniform over the oracle-approved good
    seeds (a mapping gives them weights). Dangling nodes send their mass back to the seeds;
    zero-weight edges are ignored.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    seeds : iterable of nodes or mapping of node to weight
        The good seeds (the paper's set judged good by the oracle).
    damping, weight, tol, max_iter, method, epsilon, dtype, threads, progress
        As in :func:`personalized_pagerank`.

    Returns
    -------
    dict
        Node -> trust for every node, summing to one.

    Raises
    ------
    SeedError, GraphError, ParameterError, ConvergenceError
        As in :func:`personalized_pagerank`.

    See Also
    --------
    anti_trustrank, inverse_pagerank, personalized_pagerank

    Notes
    -----
    The paper's ``t = alpha_B T t + (1 - alpha_B) d`` has ``alpha_B`` = `damping` (0.85 in
    the paper), ``T`` the transition matrix and ``d`` the normalised seed vector. The
    paper runs a fixed ``M_B`` = 20 iterations; we iterate to `tol`.

    References
    ----------
    .. [1] Z. Gyöngyi, H. Garcia-Molina, J. Pedersen, "Combating web spam with TrustRank",
       VLDB 2004.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("good", "a"), ("a", "b"), ("spam", "b")])
    >>> scores = trustrank(G, ["good"])
    >>> scores["spam"], round(scores["good"], 6) == round(0.15 / (1 - 0.85**3), 6)
    (0.0, True)
    """
    return personalized_pagerank(
        G,
        seeds,
        damping=damping,
        weight=weight,
        tol=tol,
        max_iter=max_iter,
        method=method,
        epsilon=epsilon,
        dtype=dtype,
        threads=threads,
        progress=progress,
    )


def anti_trustrank(
    G: GraphLike,
    seeds: Seeds,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    epsilon: float = 1e-6,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> dict[Hashable, float]:
    """Anti-TrustRank: distrust propagated from known-bad seeds against the edges.

    Personalized PageRank on the *reversed* graph from known-bad seeds: a node scores high
    when it trusts (links to) bad nodes, directly or through others. Dangling nodes of the
    reversed graph (nodes nobody trusts) send their mass back to the seeds; zero-weight
    edges are ignored.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    seeds : iterable of nodes or mapping of node to weight
        Known-bad nodes.
    damping, weight, tol, max_iter, method, epsilon, dtype, threads, progress
        As in :func:`personalized_pagerank`.

    Returns
    -------
    dict
        Node -> distrust for every node, summing to one.

    Raises
    ------
    SeedError, GraphError, ParameterError, ConvergenceError
        As in :func:`personalized_pagerank`.

    See Also
    --------
    trustrank

    Notes
    -----
    Equals ``networkx.pagerank(G.reverse(), alpha=damping, personalization=s,
    dangling=s)`` with ``s`` uniform over the bad seeds.

    References
    ----------
    .. [1] V. Krishnan, R. Raj, "Web spam detection with Anti-TrustRank", AIRWeb 2006.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "spam"), ("b", "a"), ("spam", "c")])
    >>> scores = anti_trustrank(G, ["spam"])
    >>> scores["c"], scores["a"] > scores["b"] > 0
    (0.0, True)
    """
    cg = _prepare(G, weight).reverse()
    teleport = seed_vector(cg, seeds)
    return _solve(cg, teleport, damping, tol, max_iter, method, epsilon, dtype, threads, progress)


def eigentrust(
    G: GraphLike,
    seeds: Seeds,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    satisfied: str | None = None,
    unsatisfied: str | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    epsilon: float = 1e-6,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> dict[Hashable, float]:
    """EigenTrust global trust with pre-trusted peers.

    Local trust ``s_ij`` comes from the non-negative edge `weight`, or, when both
    `satisfied` and `unsatisfied` name edge attributes, from ``max(sat - unsat, 0)``. Each
    row is normalised to ``c_ij``; peers without positive local trust (dangling) fall back
    to the pre-trust vector, i.e. their mass goes back to the seeds. Zero local trust is
    ignored.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Edge ``i -> j`` carries i's local trust in j.
    seeds : iterable of nodes or mapping of node to weight
        The pre-trusted peers (``p`` in the paper; a mapping gives pre-trust weights).
    damping : float, default 0.85
        ``1 - a`` in the paper's notation (go-eigentrust's CLI default a = 0.5 is
        ``damping=0.5``).
    weight : str or None, default "weight"
        Edge attribute with non-negative local trust (ignored when `satisfied` and
        `unsatisfied` are given); ``None`` gives every edge local trust 1.
    satisfied, unsatisfied : str, optional
        Edge attributes counting satisfactory and unsatisfactory transactions. Give both
        or neither; an edge missing either raises GraphError.
    tol, max_iter, method, epsilon, dtype, threads, progress
        As in :func:`personalized_pagerank`.

    Returns
    -------
    dict
        Node -> global trust for every node, summing to one.

    Raises
    ------
    SeedError
        Empty or unknown pre-trusted peers.
    GraphError
        Negative or NaN local trust or counts, missing count attributes.
    ParameterError, ConvergenceError
        As in :func:`personalized_pagerank`.

    See Also
    --------
    personalized_pagerank

    Notes
    -----
    The paper iterates ``t(k+1) = (1 - a) C^T t(k) + a p`` with ``c_ij = max(s_ij, 0) /
    sum_j max(s_ij, 0)``, ``s_ij = sat(i, j) - unsat(i, j)`` and ``c_ij = p_j`` for a peer
    with no positive local trust. This is personalized PageRank with ``damping = 1 - a``,
    teleport ``p`` and dangling mass to ``p``; ``seeds`` is ``p``.

    References
    ----------
    .. [1] S. D. Kamvar, M. T. Schlosser, H. Garcia-Molina, "The EigenTrust algorithm for
       reputation management in P2P networks", WWW 2003.

    Examples
    --------
    The go-eigentrust README example (a = 0.5): ek 28/129, sd 13/43, vm 62/129.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("ek", "sd", 100), ("vm", "sd", 100), ("ek", "vm", 75)])
    >>> scores = eigentrust(G, {"ek": 50, "vm": 100}, damping=0.5)
    >>> {peer: round(value, 6) for peer, value in sorted(scores.items())}
    {'ek': 0.217054, 'sd': 0.302326, 'vm': 0.48062}
    """
    if (satisfied is None) != (unsatisfied is None):
        raise ParameterError("give both satisfied= and unsatisfied= edge attributes, or neither")
    if satisfied is None:
        cg = _prepare(G, weight)
    else:
        cg = _local_trust_from_counts(G, satisfied, unsatisfied)
    teleport = seed_vector(cg, seeds)
    return _solve(cg, teleport, damping, tol, max_iter, method, epsilon, dtype, threads, progress)


@dataclass(frozen=True)
class PPRMatrix:
    """Personalized PageRank from many sources at once.

    Attributes
    ----------
    matrix : numpy.ndarray or scipy.sparse.csr_array
        Shape ``(len(sources), len(nodes))``; row ``i`` is the PPR vector of
        ``sources[i]``. Dense rows sum to one; a sparse matrix (``sparse_threshold``) holds
        only the entries at or above the threshold.
    nodes : tuple
        Column order.
    sources : tuple
        Row order.
    method : str
        The solver that ran.
    """

    matrix: np.ndarray | sp.csr_array
    nodes: tuple[Hashable, ...]
    sources: tuple[Hashable, ...]
    method: str

    def row(self, source: Hashable) -> np.ndarray:
        """Dense PPR vector of `source` (the first row if it was given twice)."""
        try:
            position = self.sources.index(source)
        except ValueError:
            raise SeedError(f"{source!r} is not one of the sources") from None
        if isinstance(self.matrix, np.ndarray):
            return self.matrix[position]
        return self.matrix[[position], :].toarray().ravel()

    def scores(self, source: Hashable) -> dict[Hashable, float]:
        """The PPR dict of one source (as :func:`personalized_pagerank` returns it)."""
        return dict(zip(self.nodes, self.row(source).tolist()))

    def __getitem__(self, pair: tuple[Hashable, Hashable]) -> float:
        """``result[source, node]``: the trust `source` places in `node`."""
        source, node = pair
        column = self.nodes.index(node)
        return float(self.row(source)[column])


def personalized_pagerank_matrix(
    G: GraphLike,
    sources: Sequence[Hashable] | None = None,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    epsilon: float = 1e-6,
    memory_budget_bytes: int = 256 * 2**20,
    sparse_threshold: float | None = None,
    dtype: type = np.float64,
    threads: int | None = None,
) -> PPRMatrix:
    """Personalized PageRank from each of many single sources ("trust from each contact").

    Row ``i`` is ``personalized_pagerank(G, [sources[i]])``. Sources are solved together
    in chunks (one sparse factorisation or one blocked power iteration per chunk), so this
    is much faster than a Python loop. Dangling nodes send their mass back to the row's own
    source; zero-weight edges are ignored.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    sources : sequence of nodes, optional
        Row order; every node (in graph order) when omitted. Repeats are allowed.
    damping, weight, tol, max_iter, epsilon
        As in :func:`personalized_pagerank`.
    method : {"auto", "power", "exact", "push"}, default "auto"
        ``"push"`` runs the approximate local push per source.
    memory_budget_bytes : int, default 256 MiB
        Bound on the working memory of one chunk: about ``48 n`` bytes per source, or
        ``24 n`` (``16 n`` in float32) with the compiled kernel of the ``[fast]`` extra,
        whose speed-up grows with the chunk (see ``docs/scale.md``). A dense result itself
        takes ``8 n len(sources)`` bytes on top.
    sparse_threshold : float, optional
        Keep only scores ``>= sparse_threshold`` and return a ``scipy.sparse.csr_array``
        (each chunk is sparsified as soon as it is solved, so many sources fit in memory).
        Dense by default.
    dtype, threads
        As in :func:`personalized_pagerank`. With numba installed (the ``[fast]`` extra)
        each chunk runs a compiled kernel that serves all its sources in one pass over the
        edges; without it scipy's blocked product gives the same scores.

    Returns
    -------
    PPRMatrix
        The matrix with its node order (columns) and source order (rows).

    Raises
    ------
    SeedError
        A source not in the graph, or an empty `sources`.
    GraphError, ParameterError, ConvergenceError
        As in :func:`personalized_pagerank`.

    See Also
    --------
    personalized_pagerank, trustgraph.analysis.explain.explain_trust

    Notes
    -----
    Computes rows of ``(1 - damping) (I - damping M)^-1`` (``M`` the walk matrix with
    dangling rows sent to the row's source), the all-pairs random-walk-with-restart matrix
    asked for in scikit-network #347.

    References
    ----------
    .. [1] G. Jeh, J. Widom, "Scaling personalized web search", WWW 2003.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 3), ("A", "C", 1), ("B", "C", 1),
    ...                            ("C", "A", 1), ("C", "D", 1)])
    >>> result = personalized_pagerank_matrix(G, ["A", "C"])
    >>> result.matrix.shape, result.sources
    ((2, 4), ('A', 'C'))
    >>> round(result["A", "D"], 6)
    0.118198
    """
    cg = _prepare(G, weight)
    damping, tol, max_iter = _check_solver_args(damping, tol, max_iter)
    if int(memory_budget_bytes) <= 0:
        raise ParameterError(f"memory_budget_bytes must be positive, got {memory_budget_bytes!r}")
    if sources is None:
        chosen = list(cg.nodes)
    else:
        if isinstance(sources, (str, bytes)):
            raise SeedError(f"sources must be a sequence of nodes, got {sources!r}")
        chosen = list(sources)
        missing = [s for s in chosen if s not in cg]
        if missing:
            raise SeedError(f"sources not in the graph: {', '.join(map(repr, missing[:5]))}")
    if not chosen:
        raise SeedError("sources is empty; give at least one node")
    rows = np.array([cg.index[s] for s in chosen], dtype=np.int64)
    blocks = iter_ppr_batch(
        transition(cg),
        rows,
        damping=damping,
        tol=tol,
        max_iter=max_iter,
        method=method,
        memory_budget_bytes=int(memory_budget_bytes),
        epsilon=epsilon,
        dtype=dtype,
        threads=threads,
    )
    matrix: np.ndarray | sp.csr_array
    if sparse_threshold is None:
        dense: np.ndarray | None = None
        for start, block, _ in blocks:
            if dense is None and block.shape[0] == rows.size:
                dense = np.ascontiguousarray(block, dtype=np.float64)  # one chunk: no copy
                continue
            if dense is None:
                dense = np.zeros((rows.size, cg.n_nodes))
            dense[start : start + block.shape[0]] = block
        matrix = dense if dense is not None else np.zeros((rows.size, cg.n_nodes))
    else:
        threshold = float(sparse_threshold)
        if not (threshold >= 0 and np.isfinite(threshold)):
            raise ParameterError(f"sparse_threshold must be >= 0, got {sparse_threshold!r}")
        pieces = []
        for _, block, _ in blocks:
            block[block < threshold] = 0.0
            pieces.append(sp.csr_array(block))
        matrix = sp.csr_array(sp.vstack(pieces, format="csr"))
    used = method if method != "auto" else ("exact" if cg.n_nodes <= EXACT_MAX_NODES else "power")
    return PPRMatrix(matrix=matrix, nodes=cg.nodes, sources=tuple(chosen), method=used)


# ---------------------------------------------------------------------------- helpers
def _prepare(G: GraphLike, weight: str | None) -> CompactGraph:
    cg = as_compact(G, weight=weight)
    check_weights(cg)
    return cg


def _check_solver_args(damping: float, tol: float, max_iter: int) -> tuple[float, float, int]:
    return check_damping(damping), check_tol(tol), check_max_iter(max_iter)


def _solve(
    cg: CompactGraph,
    teleport: np.ndarray,
    damping: float,
    tol: float,
    max_iter: int,
    method: str,
    epsilon: float,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> dict[Hashable, float]:
    damping, tol, max_iter = _check_solver_args(damping, tol, max_iter)
    result = solve_ppr(
        transition(cg),
        teleport,
        damping=damping,
        tol=tol,
        max_iter=max_iter,
        method=method,
        epsilon=float(epsilon),
        dtype=dtype,
        threads=threads,
        progress=progress,
    )
    return scores_to_dict(cg, result.scores)


def _local_trust_from_counts(G: GraphLike, satisfied: str, unsatisfied: str) -> CompactGraph:
    """A graph whose weights are ``max(sat - unsat, 0)``, counts validated first."""
    if isinstance(G, CompactGraph):
        cg = G
    elif isinstance(G, nx.Graph):
        # Missing attributes become NaN here and are reported below.
        cg = CompactGraph.from_networkx(G, weight=None, edge_attrs=[satisfied, unsatisfied])
    else:
        raise GraphError(f"expected a networkx graph or a CompactGraph, got {type(G).__name__}")
    counts = {}
    for name in (satisfied, unsatisfied):
        values = _edge_attribute(cg, name)
        checked = cg.with_weights(values)
        if np.isnan(values).any():
            position = int(np.flatnonzero(np.isnan(values))[0])
            raise GraphError(f"edge attribute {name!r} is missing or NaN on edge {position}")
        check_weights(checked)
        counts[name] = values
    local = np.maximum(counts[satisfied] - counts[unsatisfied], 0.0)
    return cg.with_weights(local)


def _edge_attribute(cg: CompactGraph, name: str) -> np.ndarray:
    values: Any = cg.edge_attrs.get(name)
    if values is None:
        if cg.n_stored == 0:
            return np.zeros(0)
        raise GraphError(f"the graph has no edge attribute {name!r}")
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise GraphError(f"edge attribute {name!r} is not numeric") from None
