"""Leave-one-out edge-weight prediction with fairness and goodness (the fast path).

The protocol of Kumar et al. (ICDM 2016, Table IV): every edge in turn is removed, the
model is re-fitted on the rest, and the removed edge's weight is predicted. One RMSE and
one Pearson correlation are computed over all left-out edges.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.algorithms.signed import fairness_goodness_arrays, rating_scale
from trustgraph.analysis.evaluation.contenders import baseline, metric
from trustgraph.analysis.evaluation.metrics import pearson as pearson_correlation
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.validate import check_max_iter, check_tol, check_weights
from trustgraph.exceptions import ConvergenceError, GraphError, ParameterError

__all__ = ["LeaveOneOutResult", "leave_one_out_fairness_goodness"]

#: The two predictors of Kumar et al.: the product ``f(u) g(v)`` (a baseline built from the
#: metric, named here) and the goodness output of the registry's Fairness/Goodness.
FAIRNESS_X_GOODNESS = baseline("Fairness x Goodness").label
GOODNESS = metric("fairness_goodness", output="goodness").label


@dataclass(frozen=True)
class LeaveOneOutResult:
    """Per-edge leave-one-out predictions and their scores.

    Attributes
    ----------
    sources, targets : tuple
        The left-out edges, by node label.
    actual : numpy.ndarray
        Their weights, in the scaled units.
    predictions : dict of str to numpy.ndarray
        One array per predictor (``"Fairness x Goodness"``, ``"Goodness"``), aligned with
        `actual`, in the scaled units.
    rmse, pearson : dict of str to float
        One score per predictor over all left-out edges.
    scale : float
        Weights were divided by `scale`.
    """

    sources: tuple[Hashable, ...]
    targets: tuple[Hashable, ...]
    actual: np.ndarray
    predictions: dict[str, np.ndarray]
    rmse: dict[str, float]
    pearson: dict[str, float]
    scale: float


def leave_one_out_fairness_goodness(
    G: nx.Graph | CompactGraph,
    *,
    weight: str | None = "weight",
    scale: float | None = None,
    sample: int | None = None,
    seed: int | None = 0,
    tol: float = 1e-4,
    max_iter: int = 100,
) -> LeaveOneOutResult:
    """Leave-one-out edge-weight prediction with fairness and goodness.

    For each evaluated edge ``u -> v``: remove it, re-run fairness/goodness warm-started
    from the full-graph solution, and predict the weight by ``f(u) * g(v)``
    ("Fairness x Goodness") and by ``g(v)`` ("Goodness").

    Parameters
    ----------
    G : networkx.DiGraph or CompactGraph
        Signed, weighted, directed.
    weight : str or None, default "weight"
    scale : float, optional
        Weights are divided by `scale` (default: the largest absolute weight; Bitcoin OTC's
        ratings -10..10 become -1..1, as in the paper).
    sample : int, optional
        Evaluate only this many edges, drawn without replacement with `seed` (every edge is
        still part of every re-fit except the one left out). Default: all edges.
    seed : int or None, default 0
        Randomness for `sample` (the package-wide default 0; None draws fresh randomness).
    tol : float, default 1e-4
        Each warm-started re-fit stops when the L1 change of fairness plus goodness is below
        `tol`. The full-graph fit uses ``min(tol, 1e-6)``.
    max_iter : int, default 100

    Returns
    -------
    LeaveOneOutResult

    Raises
    ------
    GraphError
        Undirected graph, no edges, non-finite weights, or a weight beyond `scale`.
    ParameterError
        Bad `sample`, `scale`, `tol` or `max_iter`.
    ConvergenceError
        A re-fit ran past `max_iter`.

    See Also
    --------
    trustgraph.algorithms.signed.fairness_goodness

    Notes
    -----
    Cold start (DESIGN.md §6): a node that loses its last in-edge gets goodness 0, its last
    out-edge fairness 1. Removing one edge moves the fixed point only a little, so the
    warm-started re-fit needs few iterations; each iteration is a handful of vectorised
    passes over the edge arrays, and the left-out edge is removed by correcting its
    endpoints' sums rather than by copying the arrays. Bitcoin OTC (35,592 edges) takes
    tens of seconds on one core.

    References
    ----------
    S. Kumar, F. Spezzano, V.S. Subrahmanian, C. Faloutsos. "Edge Weight Prediction in
    Weighted Signed Networks." IEEE ICDM 2016 (Table IV).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 2), ("c", "b", 2), ("a", "c", 1), ("c", "a", -2)])
    >>> result = leave_one_out_fairness_goodness(G)
    >>> list(zip(result.sources, result.targets))
    [('a', 'b'), ('a', 'c'), ('c', 'a'), ('c', 'b')]
    >>> result.predictions["Goodness"].round(3).tolist()
    [1.0, 0.0, 0.0, 1.0]
    """
    tol = check_tol(tol)
    max_iter = check_max_iter(max_iter)
    cg = as_compact(G, weight=weight)
    if not cg.directed:
        raise GraphError("leave-one-out edge prediction needs a directed graph")
    check_weights(cg, allow_negative=True)
    if cg.n_stored == 0:
        raise GraphError("the graph has no edges to leave out")
    rows, cols = cg.edge_arrays()
    rows = rows.astype(np.int64)
    cols = cols.astype(np.int64)
    raw = cg.weights
    scale_used = rating_scale(raw, scale)
    w = raw / scale_used
    n = cg.n_nodes
    m = w.size
    chosen = _evaluated_edges(m, sample, seed)

    f_full, g_full, _, _ = fairness_goodness_arrays(
        rows, cols, w, n, tol=min(tol, 1e-6), max_iter=max(max_iter, 100)
    )
    n_out = np.bincount(rows, minlength=n).astype(np.float64)
    n_in = np.bincount(cols, minlength=n).astype(np.float64)
    inv_out = np.divide(1.0, n_out, out=np.zeros(n), where=n_out > 0)
    inv_in = np.divide(1.0, n_in, out=np.zeros(n), where=n_in > 0)

    # Goodness numerators as one sparse product (in-edges of v weighted by the raters'
    # fairness); fairness errors as one gather and a segment sum over the CSR rows.
    has_out = np.flatnonzero(n_out > 0)
    fit = _Fit(
        into=sp.csr_array((w, (cols, rows)), shape=(n, n)),
        cols=cols,
        w=w,
        f_full=f_full,
        g_full=g_full,
        inv_in=inv_in,
        inv_out=inv_out,
        has_out=has_out,
        row_starts=cg.adjacency.indptr[has_out],
        gap=np.empty(m),
        error=np.zeros(n),
    )
    pred_fg = np.empty(chosen.size)
    pred_g = np.empty(chosen.size)
    for k, edge in enumerate(chosen.tolist()):
        u, v, w_e = int(rows[edge]), int(cols[edge]), float(w[edge])
        # Remove the edge by adjusting its endpoints' counts and subtracting its terms.
        saved_in, saved_out = inv_in[v], inv_out[u]
        inv_in[v] = 1.0 / (n_in[v] - 1.0) if n_in[v] > 1 else 0.0
        inv_out[u] = 1.0 / (n_out[u] - 1.0) if n_out[u] > 1 else 0.0
        f, g, residual = _refit(fit, u, v, w_e, tol=tol, max_iter=max_iter)
        if residual >= tol:
            raise ConvergenceError(
                f"leave-one-out re-fit without edge {cg.nodes[u]!r} -> {cg.nodes[v]!r} did not "
                f"converge in {max_iter} iterations",
                iterations=max_iter,
                residual=residual,
            )
        inv_in[v], inv_out[u] = saved_in, saved_out
        pred_g[k] = g[v]
        pred_fg[k] = f[u] * g[v]

    actual = w[chosen]
    predictions = {FAIRNESS_X_GOODNESS: pred_fg, GOODNESS: pred_g}
    rmse = {name: float(np.sqrt(np.mean((p - actual) ** 2))) for name, p in predictions.items()}
    pearson = {name: pearson_correlation(p, actual) for name, p in predictions.items()}
    nodes = cg.nodes
    return LeaveOneOutResult(
        sources=tuple(nodes[i] for i in rows[chosen].tolist()),
        targets=tuple(nodes[i] for i in cols[chosen].tolist()),
        actual=actual,
        predictions=predictions,
        rmse=rmse,
        pearson=pearson,
        scale=scale_used,
    )


def _evaluated_edges(m: int, sample: int | None, seed: int | None) -> np.ndarray:
    """Positions of the edges to leave out: all, or `sample` of them drawn with `seed`."""
    if sample is None:
        return np.arange(m)
    if isinstance(sample, bool) or int(sample) != sample or not 1 <= sample <= m:
        raise ParameterError(f"sample must be an integer in [1, {m}], got {sample!r}")
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(m, size=int(sample), replace=False))


@dataclass(frozen=True)
class _Fit:
    """The full-graph fit and the work arrays every re-fit shares (mutated in place)."""

    into: sp.csr_array  # in-edges of v weighted by the raters' fairness, as one product
    cols: np.ndarray
    w: np.ndarray
    f_full: np.ndarray
    g_full: np.ndarray
    inv_in: np.ndarray
    inv_out: np.ndarray
    has_out: np.ndarray
    row_starts: np.ndarray
    gap: np.ndarray
    error: np.ndarray


def _refit(
    fit: _Fit, u: int, v: int, w_e: float, *, tol: float, max_iter: int
) -> tuple[np.ndarray, np.ndarray, float]:
    """Fairness and goodness without the edge ``u -> v``, warm-started from the full fit.

    The caller has already adjusted ``inv_in[v]`` and ``inv_out[u]``; the edge's terms are
    subtracted from the sums here. Returns the last iterate and its L1 change (at or above
    `tol` when `max_iter` ran out).
    """
    f, g = fit.f_full, fit.g_full
    gap, error = fit.gap, fit.error
    residual = np.inf
    for _ in range(max_iter):
        numerator = fit.into @ f
        numerator[v] -= f[u] * w_e
        g_new = numerator * fit.inv_in
        np.take(g_new, fit.cols, out=gap)
        np.subtract(fit.w, gap, out=gap)
        np.abs(gap, out=gap)
        error[fit.has_out] = np.add.reduceat(gap, fit.row_starts)
        error[u] -= abs(w_e - g_new[v])
        f_new = 1.0 - 0.5 * error * fit.inv_out
        residual = float(np.abs(f_new - f).sum() + np.abs(g_new - g).sum())
        f, g = f_new, g_new
        if residual < tol:
            break
    return f, g, residual
