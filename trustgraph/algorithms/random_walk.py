"""The random-walk trust family: personalized PageRank, TrustRank, EigenTrust and friends.

All of them are one computation: the stationary distribution of a walk that follows an
out-edge with probability ``damping`` (chosen in proportion to its weight) and otherwise
restarts at the seeds. They differ in the graph they walk on (as given, or reversed), in
the teleport vector and in how edge weights become transition probabilities. Trust *from*
the seeds propagates along the edges (u -> v: u trusts v); ``inverse_pagerank`` and
``anti_trustrank`` walk the reversed graph.

Shared conventions: dangling nodes (no out-edge of positive weight, including nodes whose
only edges are declared-only weight-0 ties) send their mass back to the seeds; zero-weight
edges are ignored; self-loops are walk edges; negative or NaN weights raise
:class:`~trustgraph.GraphError` (EigenTrust alone takes signed local trust, by an explicit
``signed=`` policy); scores sum to one and every node gets a value. The keyword options are
documented once, in :mod:`trustgraph.algorithms._walk`, and written into each docstring.
The batch solve :func:`personalized_pagerank_matrix` lives in
:mod:`trustgraph.algorithms.ppr_matrix` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from trustgraph.algorithms._eigentrust import discount, local_trust
from trustgraph.algorithms._walk import (
    GraphLike,
    Progress,
    Seeds,
    check_solver_args,
    prepare,
    shared_doc,
    solve,
    solve_array,
)
from trustgraph.algorithms.ppr_matrix import PPRMatrix, personalized_pagerank_matrix
from trustgraph.core.vectors import scores_to_dict, seed_vector, uniform_vector
from trustgraph.exceptions import ParameterError

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


@shared_doc
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
    progress: Progress | None = None,
) -> dict[Hashable, float]:
    """Personalized PageRank (random walk with restart) from trusted seeds.

    The walker follows an out-edge with probability `damping`, picking it in proportion to
    its weight, and otherwise jumps back to a seed. Trust propagates *along* edges: seeds
    trust whom they talk to, and those contacts pass part of it on. Dangling nodes (no
    out-edge of positive weight, declared-only weight-0 ties included) send their mass back
    to the seeds.

    Parameters
    ----------
    {parameters: seeded}

    Returns
    -------
    dict
        Node -> score for every node; scores are non-negative and sum to one.

    Raises
    ------
    {raises}

    See Also
    --------
    pagerank, trustrank, eigentrust, personalized_pagerank_matrix,
    trustgraph.analysis.explain.explain_trust

    Notes
    -----
    Solves ``pi = (1 - damping) s + damping (pi P + (pi . dangling) s)`` with ``P`` the
    row-normalised weights and ``s`` the seed vector. networkx's ``alpha`` and igraph's
    ``damping`` are our `damping`; the restart probability ``alpha`` of Andersen, Chung and
    Lang is ``1 - damping``. Haveliwala's topic-sensitive PageRank is the same walk with the
    seeds as topic pages.

    The push solver runs the *non-lazy* walk (it keeps no half of the residual at the node),
    so it approximates the same PPR as the other methods. It pushes while
    ``r(u) >= epsilon * max(outdeg(u), 1)``; its cost is ``O(1 / (epsilon (1 - damping)))``
    edge visits whatever the graph's size, and the normalised estimate is within ``2 sum(r)``
    of the exact scores in L1, where ``sum(r) < epsilon * sum(max(outdeg, 1))`` over the
    touched nodes. To reproduce a *lazy*-walk PPR with restart ``alpha`` (networkit, ACL),
    use ``damping = lazy_to_nonlazy_damping(alpha) = (1 - alpha) / (1 + alpha)``.

    {self_loops}

    References
    ----------
    .. [1] L. Page, S. Brin, R. Motwani, T. Winograd, "The PageRank citation ranking:
       bringing order to the web", Stanford InfoLab, 1999.
    .. [2] T. H. Haveliwala, "Topic-sensitive PageRank", WWW 2002.
    .. [3] R. Andersen, F. Chung, K. Lang, "Local graph partitioning using PageRank
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
    cg = prepare(G, weight)
    teleport = seed_vector(cg, seeds)
    return solve(cg, teleport, damping, tol, max_iter, method, epsilon, dtype, threads, progress)


def _global_walk(
    name: str,
    G: GraphLike,
    reverse: bool,
    damping: float,
    weight: str | None,
    tol: float,
    max_iter: int,
    method: str,
    dtype: type,
    threads: int | None,
    progress: Progress | None,
) -> dict[Hashable, float]:
    """The walk teleporting uniformly over all nodes, on `G` or its reverse."""
    if method == "push":
        raise ParameterError(f"{name} has no push solver; use method='power' or 'exact'")
    cg = prepare(G, weight)
    if reverse:
        cg = cg.reverse()
    if cg.n_nodes == 0:
        check_solver_args(damping, tol, max_iter)
        return {}
    teleport = uniform_vector(cg.n_nodes)
    return solve(cg, teleport, damping, tol, max_iter, method, 1e-6, dtype, threads, progress)


@shared_doc
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
    progress: Progress | None = None,
) -> dict[Hashable, float]:
    """Global PageRank: the walk teleports uniformly over all nodes.

    Dangling nodes send their mass back to the teleport vector, here every node uniformly
    (networkx's default). Zero-weight edges are ignored. The null graph gives ``{}``.

    Parameters
    ----------
    {parameters: global}

    Returns
    -------
    dict
        Node -> score for every node, summing to one.

    Raises
    ------
    {raises}

    See Also
    --------
    personalized_pagerank, inverse_pagerank

    Notes
    -----
    ``damping`` is the paper's ``d`` and networkx's ``alpha``; ``method="push"`` raises
    ParameterError (push is local to seeds). Equals ``networkx.pagerank(G, alpha=damping)``.

    {self_loops}

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
    return _global_walk(
        "pagerank", G, False, damping, weight, tol, max_iter, method, dtype, threads, progress
    )


@shared_doc
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
    progress: Progress | None = None,
) -> dict[Hashable, float]:
    """PageRank on the reversed graph: TrustRank's seed-selection score.

    A node scores high when many nodes can be reached from it; Gyöngyi et al. rank seed
    candidates by it, so that a few judged seeds cover much of the graph. Dangling nodes of
    the reversed graph (nodes nobody trusts) send their mass back uniformly over all nodes.
    Zero-weight edges are ignored. The null graph gives ``{}``.

    Parameters
    ----------
    {parameters: global}

    Returns
    -------
    dict
        Node -> score for every node, summing to one.

    Raises
    ------
    {raises}

    See Also
    --------
    trustrank, pagerank

    Notes
    -----
    Equals ``networkx.pagerank(G.reverse(), alpha=damping)``; ``method="push"`` raises
    ParameterError.

    {self_loops}

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
    >>> abs(scores["b"] - nx.pagerank(G.reverse(), tol=1e-12)["b"]) < 1e-9
    True
    """
    return _global_walk(
        "inverse_pagerank",
        G,
        True,
        damping,
        weight,
        tol,
        max_iter,
        method,
        dtype,
        threads,
        progress,
    )


@shared_doc
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
    progress: Progress | None = None,
) -> dict[Hashable, float]:
    """TrustRank: trust propagated from good seeds along the edges.

    :func:`personalized_pagerank` whose seeds are the oracle-approved good pages (uniform,
    or weighted by a mapping). Dangling nodes send their mass back to the seeds; zero-weight
    edges are ignored.

    Parameters
    ----------
    {parameters: seeded}

    Returns
    -------
    dict
        Node -> trust for every node, summing to one.

    Raises
    ------
    {raises}

    See Also
    --------
    anti_trustrank, inverse_pagerank, personalized_pagerank

    Notes
    -----
    The paper's ``t = alpha_B T t + (1 - alpha_B) d`` has ``alpha_B`` = `damping` (0.85 in
    the paper), ``T`` the transition matrix and ``d`` the normalised good-seed vector
    (`seeds`). The paper runs a fixed ``M_B`` = 20 iterations; we iterate to `tol`.

    {self_loops}

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
    cg = prepare(G, weight)
    teleport = seed_vector(cg, seeds)
    return solve(cg, teleport, damping, tol, max_iter, method, epsilon, dtype, threads, progress)


@shared_doc
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
    progress: Progress | None = None,
) -> dict[Hashable, float]:
    """Anti-TrustRank: distrust propagated from known-bad seeds against the edges.

    Personalized PageRank on the *reversed* graph from known-bad seeds: a node scores high
    when it trusts (links to) bad nodes, directly or through others. Dangling nodes of the
    reversed graph (nodes nobody trusts) send their mass back to the seeds; zero-weight
    edges are ignored.

    Parameters
    ----------
    {parameters: seeded}

    Returns
    -------
    dict
        Node -> distrust for every node, summing to one.

    Raises
    ------
    {raises}

    See Also
    --------
    trustrank

    Notes
    -----
    `seeds` are the known-bad pages. Equals ``networkx.pagerank(G.reverse(),
    alpha=damping, personalization=s, dangling=s)`` with ``s`` uniform over them.

    {self_loops}

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
    cg = prepare(G, weight).reverse()
    teleport = seed_vector(cg, seeds)
    return solve(cg, teleport, damping, tol, max_iter, method, epsilon, dtype, threads, progress)


@shared_doc
def eigentrust(
    G: GraphLike,
    seeds: Seeds,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    satisfied: str | None = None,
    unsatisfied: str | None = None,
    signed: str = "error",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    epsilon: float = 1e-6,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Progress | None = None,
) -> dict[Hashable, float]:
    """EigenTrust global trust with pre-trusted peers.

    Local trust ``s_ij`` comes from the edge `weight`, or, when both `satisfied` and
    `unsatisfied` name edge attributes, from ``sat - unsat``. Each row of positive local
    trust is normalised to ``c_ij``; peers without positive local trust (dangling) fall back
    to the pre-trust vector, i.e. their mass goes back to the seeds. Zero local trust is
    ignored.

    Parameters
    ----------
    {parameters: G}
    seeds : iterable of nodes or mapping of node to weight
        The pre-trusted peers (``p`` in the paper; a mapping gives pre-trust weights).
    damping : float, default 0.85
        ``1 - a`` in the paper's notation (go-eigentrust's CLI default a = 0.5 is
        ``damping=0.5``), in [0, 1).
    weight : str or None, default "weight"
        Edge attribute with local trust (ignored when `satisfied` and `unsatisfied` are
        given); ``None`` gives every edge local trust 1.
    satisfied, unsatisfied : str, optional
        Edge attributes counting satisfactory and unsatisfactory transactions. Give both
        or neither; an edge missing either raises GraphError.
    signed : {"error", "drop", "discount"}, default "error"
        Negative local trust (distrust). ``"error"`` raises GraphError on a negative
        `weight`; ``"drop"`` clips it to zero, the paper's ``max(s_ij, 0)`` (transaction
        counts are always clipped so under ``"error"`` too); ``"discount"`` follows
        go-eigentrust: solve on the positive part, then subtract from each peer the
        row-normalised distrust it receives, weighted by the distruster's global trust
        (see Notes). Scores may then be negative and no longer sum to one.
    {parameters: solver}

    Returns
    -------
    dict
        Node -> global trust for every node, summing to one (except under ``"discount"``).

    Raises
    ------
    SeedError
        Empty or unknown pre-trusted peers, negative or zero-sum pre-trust.
    GraphError
        NaN local trust or counts, missing count attributes, negative `weight` under
        ``signed="error"``.
    ParameterError
        `damping` outside [0, 1), an unknown `signed`, only one of `satisfied` and
        `unsatisfied`, bad `tol`, `max_iter`, `method` or `epsilon`.
    ConvergenceError
        Power iteration did not meet `tol` within `max_iter` (``.iterations``, ``.residual``).

    See Also
    --------
    personalized_pagerank

    Notes
    -----
    The paper iterates ``t(k+1) = (1 - a) C^T t(k) + a p`` with ``c_ij = max(s_ij, 0) /
    sum_j max(s_ij, 0)``, ``s_ij = sat(i, j) - unsat(i, j)`` and ``c_ij = p_j`` for a peer
    with no positive local trust. This is personalized PageRank with ``damping = 1 - a``,
    teleport ``p`` and dangling mass to ``p``; `seeds` is ``p``.

    ``signed="discount"`` is the rule of go-eigentrust (Karma3Labs/go-eigentrust, commit
    1be1bce, ``ExtractDistrust`` in pkg/basic/localtrust.go and ``DiscountTrustVector`` in
    pkg/basic/eigentrust.go): with ``D`` the distrust ``max(-s_ij, 0)`` row-normalised
    (rows without distrust stay zero) and ``t`` the EigenTrust vector of the positive part,
    the result is ``t - D^T t``. Distrust is applied once, after the walk; it does not
    propagate.

    {self_loops}

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
    positive, distrust = local_trust(G, weight, satisfied, unsatisfied, signed)
    teleport = seed_vector(positive, seeds)
    scores = solve_array(
        positive, teleport, damping, tol, max_iter, method, epsilon, dtype, threads, progress
    )
    if distrust is not None:
        scores = discount(scores, distrust)
    return scores_to_dict(positive, scores)
