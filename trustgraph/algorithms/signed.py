"""Signed trust: fairness/goodness (Kumar et al. 2016) and trust/distrust propagation (Guha et al.
2004). The ``signed=`` policy of the non-negative metrics lives in
:mod:`trustgraph.algorithms.signed_policy` and is re-exported here.

Edge ``u -> v`` with weight ``w`` means *u rated v with w*; negative weights are distrust.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.algorithms.signed_policy import SIGNED_POLICIES, apply_signed_policy
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.validate import check_max_iter, check_tol, check_weights
from trustgraph.exceptions import ConvergenceError, GraphError, ParameterError

__all__ = [
    "SIGNED_POLICIES",
    "FairnessGoodness",
    "TrustDistrust",
    "apply_signed_policy",
    "fairness_goodness",
    "fairness_goodness_arrays",
    "predict_edge_weight",
    "trust_distrust",
]


# ---------------------------------------------------------------------------------------------
# Fairness / goodness
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FairnessGoodness:
    """Result of :func:`fairness_goodness`.

    Attributes
    ----------
    fairness : mapping of node to float
        In [0, 1]; 1.0 for a node that rated nobody.
    goodness : mapping of node to float
        In [-1, 1], in the scaled units; 0.0 for a node nobody rated.
    scale : float
        The scaled weight is ``w / scale``; multiply a goodness or a prediction by `scale`
        to return to the input units.
    iterations : int
        Iterations until the L1 change of fairness plus goodness fell below ``tol``.
    """

    fairness: dict[Hashable, float]
    goodness: dict[Hashable, float]
    scale: float
    iterations: int


def fairness_goodness_arrays(
    rows: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
    n_nodes: int,
    *,
    fairness: np.ndarray | None = None,
    goodness: np.ndarray | None = None,
    tol: float = 1e-6,
    max_iter: int = 100,
) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Array kernel of :func:`fairness_goodness` on scaled edge arrays.

    Parameters
    ----------
    rows, cols : numpy.ndarray of int
        Rater and rated node index of every edge.
    weights : numpy.ndarray of float
        Ratings already scaled into [-1, 1].
    n_nodes : int
    fairness, goodness : numpy.ndarray, optional
        Warm start; by default fairness 1 and goodness the mean incoming rating.
    tol, max_iter : float, int
        Stop when the L1 change of fairness plus goodness is below `tol`.

    Returns
    -------
    fairness, goodness : numpy.ndarray
    iterations : int
    residual : float

    Raises
    ------
    ConvergenceError
        After `max_iter` iterations without meeting `tol`.

    Examples
    --------
    >>> import numpy as np
    >>> f, g, it, res = fairness_goodness_arrays(np.array([0]), np.array([1]), np.array([0.5]), 2)
    >>> f.tolist(), g.tolist()
    ([1.0, 1.0], [0.0, 0.5])
    """
    n_out = np.bincount(rows, minlength=n_nodes).astype(np.float64)
    n_in = np.bincount(cols, minlength=n_nodes).astype(np.float64)
    inv_out = np.divide(1.0, n_out, out=np.zeros(n_nodes), where=n_out > 0)
    inv_in = np.divide(1.0, n_in, out=np.zeros(n_nodes), where=n_in > 0)
    f = np.ones(n_nodes) if fairness is None else np.array(fairness, dtype=np.float64)
    if goodness is None:
        g = np.bincount(cols, weights=weights, minlength=n_nodes) * inv_in
    else:
        g = np.array(goodness, dtype=np.float64)
    residual = np.inf
    for iteration in range(1, max_iter + 1):
        # Goodness first, then fairness from the new goodness (the authors' order); the
        # fixed point is the same as with simultaneous updates.
        g_new = np.bincount(cols, weights=f[rows] * weights, minlength=n_nodes) * inv_in
        error = np.bincount(rows, weights=np.abs(weights - g_new[cols]), minlength=n_nodes)
        f_new = 1.0 - 0.5 * error * inv_out
        residual = float(np.abs(f_new - f).sum() + np.abs(g_new - g).sum())
        f, g = f_new, g_new
        if residual < tol:
            return f, g, iteration, residual
    raise ConvergenceError(
        f"fairness/goodness did not converge in {max_iter} iterations "
        f"(L1 change {residual:.3g} > tol {tol:g})",
        iterations=max_iter,
        residual=residual,
    )


def rating_scale(weights: np.ndarray, scale: float | None) -> float:
    """The divisor that maps ratings into [-1, 1]: `scale`, or the largest absolute rating.

    Raises
    ------
    ParameterError
        `scale` is not a positive finite number.
    GraphError
        A rating lies outside ``[-scale, scale]``.
    """
    largest = float(np.abs(weights).max()) if weights.size else 0.0
    if scale is None:
        return largest if largest > 0 else 1.0
    scale_used = float(scale)
    if not (np.isfinite(scale_used) and scale_used > 0):
        raise ParameterError(f"scale must be a positive number, got {scale!r}")
    if largest > scale_used:
        raise GraphError(
            f"a rating of absolute value {largest:g} exceeds scale {scale_used:g}; "
            "scaled ratings must lie in [-1, 1]"
        )
    return scale_used


def fairness_goodness(
    G: nx.Graph | CompactGraph,
    *,
    weight: str | None = "weight",
    scale: float | None = None,
    tol: float = 1e-6,
    max_iter: int = 100,
) -> FairnessGoodness:
    """Fairness of raters and goodness of the rated in a weighted signed network.

    Goodness is the fairness-weighted mean rating a node receives; fairness is one minus half
    the mean absolute gap between a node's ratings and the goodness of those it rated. The two
    are iterated to their fixed point.

    Parameters
    ----------
    G : networkx.DiGraph or CompactGraph
        Directed; edge ``u -> v`` is u's rating of v, negative for distrust.
    weight : str or None, default "weight"
        Edge attribute holding the rating.
    scale : float, optional
        Ratings are divided by `scale` to lie in [-1, 1]. Default: the largest absolute
        rating (1.0 when every rating is 0 or there are no edges). It is reported on the
        result.
    tol : float, default 1e-6
        Stop when the absolute L1 change of one iteration, summed over fairness and
        goodness (the L1 change of the pair as one vector), is below `tol`. The default
        and `max_iter` are the authors' code defaults (``max_iters=100, tol=1e-6``), not the
        random walks' 1e-10 and 1000: the published numbers were made with them, and the
        iteration is a contraction that meets 1e-6 in a few dozen steps (14 on the
        DESIGN.md reference graph).
    max_iter : int, default 100
        Iterations allowed before :class:`~trustgraph.ConvergenceError`.

    Returns
    -------
    FairnessGoodness
        ``fairness`` and ``goodness`` dicts with a value for every node, the `scale` used and
        the iteration count.

    Raises
    ------
    GraphError
        Undirected graph, non-finite ratings, or a rating outside ``[-scale, scale]``.
    ParameterError
        Non-positive `scale`, bad `tol` or `max_iter`.
    ConvergenceError
        Past `max_iter`.

    See Also
    --------
    predict_edge_weight
    trustgraph.analysis.evaluate.leave_one_out_fairness_goodness

    Notes
    -----
    With scaled ratings :math:`W(u,v) \\in [-1, 1]`, Kumar et al. define

    .. math::

        g(v) = \\frac{1}{|in(v)|} \\sum_{u \\to v} f(u) W(u,v), \\qquad
        f(u) = 1 - \\frac{1}{2|out(u)|} \\sum_{u \\to v} |W(u,v) - g(v)|.

    Iteration starts from f = 1 and g = the mean incoming rating. Cold start (DESIGN.md §6):
    a node with no in-edges has goodness 0; a node with no out-edges has fairness 1.
    A self-loop ``u -> u`` is a self-rating and counts like any other rating (in both
    f(u) and g(u)); drop self-loops first if your data forbid them. Each iteration is two
    sparse gathers and two ``bincount`` reductions: O(m) time.

    References
    ----------
    S. Kumar, F. Spezzano, V.S. Subrahmanian, C. Faloutsos. "Edge Weight Prediction in
    Weighted Signed Networks." IEEE ICDM 2016, pp. 221-230.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 4), ("c", "b", 2), ("a", "c", -2)])
    >>> result = fairness_goodness(G)
    >>> result.scale
    4.0
    >>> {v: round(x, 4) for v, x in result.goodness.items()}
    {'a': 0.0, 'b': 0.6818, 'c': -0.4545}
    >>> round(predict_edge_weight(result, "c", "b"), 4)
    0.6198
    """
    tol = check_tol(tol)
    max_iter = check_max_iter(max_iter)
    cg = as_compact(G, weight=weight)
    if not cg.directed:
        raise GraphError("fairness_goodness needs a directed graph: a rating has a direction")
    check_weights(cg, allow_negative=True)
    rows, cols = cg.edge_arrays()
    w = cg.weights
    scale_used = rating_scale(w, scale)
    f, g, iterations, _ = fairness_goodness_arrays(
        rows, cols, w / scale_used, cg.n_nodes, tol=tol, max_iter=max_iter
    )
    return FairnessGoodness(
        fairness=dict(zip(cg.nodes, f.tolist())),
        goodness=dict(zip(cg.nodes, g.tolist())),
        scale=scale_used,
        iterations=iterations,
    )


def predict_edge_weight(
    result: FairnessGoodness, u: Hashable, v: Hashable, *, unscaled: bool = False
) -> float:
    """Predicted rating of v by u: ``fairness(u) * goodness(v)``.

    Parameters
    ----------
    result : FairnessGoodness
    u, v : node
        Rater and rated.
    unscaled : bool, default False
        The prediction is in the scaled units ([-1, 1]); ``True`` multiplies it by
        ``result.scale`` to return to the input units.

    Returns
    -------
    float

    Raises
    ------
    GraphError
        `u` or `v` is not a node of the rated graph.

    References
    ----------
    Kumar et al., ICDM 2016 (see :func:`fairness_goodness`).

    Examples
    --------
    >>> result = FairnessGoodness({"a": 0.5, "b": 1.0}, {"a": 0.0, "b": 0.8}, 10.0, 3)
    >>> predict_edge_weight(result, "a", "b"), predict_edge_weight(result, "a", "b", unscaled=True)
    (0.4, 4.0)
    """
    for node in (u, v):
        if node not in result.fairness:
            raise GraphError(f"node {node!r} is not in the rated graph")
    value = result.fairness[u] * result.goodness[v]
    return value * result.scale if unscaled else value


# ---------------------------------------------------------------------------------------------
# Guha, Kumar, Raghavan, Tomkins: propagation of trust and distrust
# ---------------------------------------------------------------------------------------------
_MODELS = ("trust_only", "one_step", "propagated")
_ITERATIONS = ("eig", "wlc")
_ROUNDINGS = ("global", "local", "majority")


@dataclass(frozen=True)
class TrustDistrust:
    """Result of :func:`trust_distrust`: the final belief matrix F and the node order.

    Attributes
    ----------
    matrix : scipy.sparse.csr_array
        ``matrix[i, j]`` is the propagated belief of node ``nodes[i]`` in ``nodes[j]``
        (positive: trust, negative: distrust; absent: no belief reached the pair).
    nodes : tuple
        Row and column order.
    trust_fraction : float
        Fraction of the input's non-zero edges that are trust (positive); used by the
        global rounding rule.
    """

    matrix: sp.csr_array
    nodes: tuple[Hashable, ...]
    trust_fraction: float
    _row_trust_fraction: np.ndarray = field(repr=False, compare=False)
    _known: sp.csr_array = field(repr=False, compare=False)

    @cached_property
    def index(self) -> MappingProxyType:
        """Node to row/column position."""
        return MappingProxyType({node: i for i, node in enumerate(self.nodes)})

    def belief(self, u: Hashable, v: Hashable) -> float:
        """The propagated belief of `u` in `v` (0.0 where none reached the pair)."""
        index = self.index
        for node in (u, v):
            if node not in index:
                raise GraphError(f"node {node!r} is not in the graph")
        return float(self.matrix[index[u], index[v]])

    def predict_sign(
        self, u: Hashable, v: Hashable, *, rounding: str = "global", n_neighbors: int = 3
    ) -> int:
        """Round the belief of `u` in `v` to trust (+1) or distrust (-1).

        Parameters
        ----------
        u, v : node
        rounding : {"global", "local", "majority"}
            ``"global"``: one threshold over all stored beliefs, chosen so that the share of
            beliefs above it equals the input's trust share. ``"local"``: the same with u's
            row and u's own trust share (the global share when u rated nobody).
            ``"majority"``: among u's known ratings (its out-edges), the majority sign of
            the `n_neighbors` whose beliefs are nearest to ``belief(u, v)`` (ties go to
            trust; global rounding when u rated nobody).
        n_neighbors : int, default 3
            Votes used by majority rounding.

        Returns
        -------
        int
            +1 or -1.
        """
        if rounding not in _ROUNDINGS:
            raise ParameterError(f"rounding must be one of {_ROUNDINGS}, got {rounding!r}")
        value = self.belief(u, v)
        i = self.index[u]
        if rounding == "global":
            return 1 if value >= _threshold(self.matrix.data, self.trust_fraction) else -1
        row = self.matrix[[i], :]
        if rounding == "local":
            share = self._row_trust_fraction[i]
            if not np.isfinite(share):
                share = self.trust_fraction
            return 1 if value >= _threshold(row.data, share) else -1
        known = self._known[[i], :]
        if known.nnz == 0:
            return 1 if value >= _threshold(self.matrix.data, self.trust_fraction) else -1
        beliefs = row.toarray().ravel()[known.indices]
        signs = np.sign(known.data)
        nearest = np.argsort(np.abs(beliefs - value), kind="stable")[: max(1, int(n_neighbors))]
        return 1 if signs[nearest].sum() >= 0 else -1


def _threshold(values: np.ndarray, trust_share: float) -> float:
    """Threshold that puts a `trust_share` fraction of `values` at or above it."""
    if values.size == 0:
        return 0.0
    ordered = np.sort(values)
    n_trust = round(trust_share * values.size)
    if n_trust <= 0:
        return float(np.inf)
    return float(ordered[values.size - n_trust])


def trust_distrust(
    G: nx.Graph | CompactGraph,
    *,
    weight: str | None = "weight",
    model: str = "propagated",
    propagation_weights: Sequence[float] = (0.4, 0.4, 0.1, 0.1),
    iteration: str = "eig",
    n_steps: int = 3,
    gamma: float = 0.5,
    alpha: Sequence[float] | None = None,
) -> TrustDistrust:
    """Propagate trust and distrust (Guha, Kumar, Raghavan, Tomkins 2004).

    Parameters
    ----------
    G : networkx.DiGraph or CompactGraph
        Edge ``u -> v`` with positive weight: u trusts v (matrix T); negative: u distrusts v
        (matrix D holds the absolute values).
    weight : str or None, default "weight"
    model : {"trust_only", "one_step", "propagated"}, default "propagated"
        The paper's three distrust models: propagate T alone (``B = T``, ``P(k) = C^k``);
        propagate T and apply distrust once (``P(k) = C^k (T - D)``); propagate
        ``B = T - D`` (``P(k) = C^k``).
    propagation_weights : 4 floats, default (0.4, 0.4, 0.1, 0.1)
        The paper's α: weights of the atomic propagations, direct ``B``, co-citation
        ``B^T B``, transpose ``B^T``, trust coupling ``B B^T``.
    iteration : {"eig", "wlc"}, default "eig"
        Eigenvalue propagation ``F = P(K)`` or weighted linear combination
        ``F = sum_{k=1..K} gamma^k P(k)``.
    n_steps : int, default 3
        K, the number of propagation steps.
    gamma : float, default 0.5
        Discount of the weighted linear combination (the paper tries 0.5 and 0.9).
    alpha : 4 floats, optional
        Deprecated name of `propagation_weights` (``alpha`` is networkx's damping
        elsewhere); it warns and will be removed in the next release.

    Returns
    -------
    TrustDistrust
        The sparse belief matrix F with its node order; ``belief(u, v)`` reads one entry and
        ``predict_sign(u, v, rounding=...)`` applies the paper's rounding rules.

    Raises
    ------
    GraphError
        Undirected graph or non-finite weights.
    ParameterError
        Unknown model, iteration or rounding; `propagation_weights` not four
        non-negative numbers, or given together with `alpha`;
        `n_steps` < 1; `gamma` not in (0, 1].

    Notes
    -----
    With ``a = propagation_weights``,
    ``C = a[0] B + a[1] B^T B + a[2] B^T + a[3] B B^T`` (the paper's
    :math:`C_{B,\\alpha}`); ``P(k) = C^k`` (or ``C^k (T - D)`` for ``one_step``). No
    normalisation is applied, as in the paper; EIG values grow with K but rounding uses only
    their order. Weights are used as given (the paper's Epinions data are +-1). The
    operators and rounding details marked "recalled" in ALGORITHMS.md §11 follow our
    reading of the paper: see docs/algorithms/signed.md. A self-loop ``u -> u`` is a
    diagonal entry of T (or D) and propagates like any other edge.

    Complexity: sparse products; F fills in with every step, up to n^2 entries, so this is
    meant for personal-size graphs (thousands of nodes, few steps).

    References
    ----------
    R. Guha, R. Kumar, P. Raghavan, A. Tomkins. "Propagation of Trust and Distrust."
    WWW 2004, pp. 403-412.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 1), ("b", "c", 1), ("a", "d", -1)])
    >>> result = trust_distrust(
    ...     G, propagation_weights=(1, 0, 0, 0), n_steps=2, model="trust_only"
    ... )
    >>> result.belief("a", "c")
    1.0
    """
    if model not in _MODELS:
        raise ParameterError(f"model must be one of {_MODELS}, got {model!r}")
    if iteration not in _ITERATIONS:
        raise ParameterError(f"iteration must be one of {_ITERATIONS}, got {iteration!r}")
    alpha_values = _propagation_weights(propagation_weights, alpha)
    if isinstance(n_steps, bool) or int(n_steps) != n_steps or n_steps < 1:
        raise ParameterError(f"n_steps must be a positive integer, got {n_steps!r}")
    if not 0.0 < float(gamma) <= 1.0:
        raise ParameterError(f"gamma must be in (0, 1], got {gamma!r}")
    cg = as_compact(G, weight=weight)
    if not cg.directed:
        raise GraphError("trust_distrust needs a directed graph")
    check_weights(cg, allow_negative=True)
    A = cg.adjacency.astype(np.float64)
    trust = A.multiply(A > 0).tocsr()
    distrust = (-A).multiply(A < 0).tocsr()
    belief = trust if model in ("trust_only", "one_step") else (trust - distrust).tocsr()
    bt = belief.T.tocsr()
    C = (
        alpha_values[0] * belief
        + alpha_values[1] * (bt @ belief)
        + alpha_values[2] * bt
        + alpha_values[3] * (belief @ bt)
    ).tocsr()
    power = sp.eye_array(cg.n_nodes, format="csr")
    combined = sp.csr_array(A.shape)
    last_step = None
    for step in range(1, int(n_steps) + 1):
        power = (power @ C).tocsr()
        step_matrix = power @ (trust - distrust) if model == "one_step" else power
        if iteration == "wlc":
            combined = combined + float(gamma) ** step * step_matrix
        last_step = step_matrix
    final = last_step if iteration == "eig" else combined
    final = sp.csr_array(final)
    final.eliminate_zeros()
    final.sort_indices()

    sign = np.sign(cg.weights)
    nonzero = sign != 0
    trust_fraction = float((sign > 0).sum() / nonzero.sum()) if nonzero.any() else 1.0
    rows, _ = cg.edge_arrays()
    n_pos = np.bincount(rows, weights=(sign > 0).astype(float), minlength=cg.n_nodes)
    n_rated = np.bincount(rows, weights=nonzero.astype(float), minlength=cg.n_nodes)
    with np.errstate(invalid="ignore", divide="ignore"):
        row_share = np.where(n_rated > 0, n_pos / n_rated, np.nan)
    known = sp.csr_array(
        (sign.astype(np.float64), cg.adjacency.indices.copy(), cg.adjacency.indptr.copy()),
        shape=A.shape,
    )
    known.eliminate_zeros()
    return TrustDistrust(
        matrix=final,
        nodes=cg.nodes,
        trust_fraction=trust_fraction,
        _row_trust_fraction=row_share,
        _known=known,
    )


def _propagation_weights(
    propagation_weights: Sequence[float], alpha: Sequence[float] | None
) -> np.ndarray:
    """The four validated weights; the deprecated name ``alpha`` warns."""
    if alpha is not None:
        if tuple(propagation_weights) != (0.4, 0.4, 0.1, 0.1):
            raise ParameterError("give propagation_weights or its old name alpha, not both")
        warnings.warn(
            "trust_distrust(alpha=...) is deprecated; use propagation_weights=...",
            DeprecationWarning,
            stacklevel=3,
        )
        propagation_weights = alpha
    values = np.asarray(propagation_weights, dtype=np.float64)
    if values.shape != (4,) or not np.all(np.isfinite(values)) or (values < 0).any():
        raise ParameterError(
            f"propagation_weights must be four non-negative numbers, got {propagation_weights!r}"
        )
    return values
