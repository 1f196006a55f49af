"""Shared by the Sybil defences: the undirected snapshot and its spectral radius."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh

from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.validate import check_weights
from trustgraph.exceptions import ParameterError

#: Rules accepted by ``directed_rule``: how ``u -> v`` and ``v -> u`` merge into one tie.
SYMMETRISE_RULES = ("sum", "max", "min", "mean")

#: Default ``weight_hat`` as a fraction of the convergence bound ``1 / (2 rho(A))``.
DEFAULT_BOUND_FRACTION = 0.9

# Below this many nodes the spectral radius comes from a dense eigendecomposition (exact and
# cheap); above it from ARPACK on the sparse matrix.
_DENSE_EIGEN_LIMIT = 256


def undirected_snapshot(
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


def check_n_steps(n_steps: int) -> int:
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps < 0:
        raise ParameterError(f"n_steps must be a non-negative integer, got {n_steps!r}")
    return int(n_steps)


def spectral_radius(adjacency: sp.csr_array) -> float:
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
