"""Power iteration of many single-source PPR vectors at once on the numba kernels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from trustgraph.core import kernels
from trustgraph.core.options import effective_tol
from trustgraph.exceptions import ConvergenceError

if TYPE_CHECKING:
    from trustgraph.core.solvers import Transition

__all__ = ["batch_power_compiled"]


def batch_power_compiled(
    walk: Transition,
    sources: np.ndarray,
    *,
    damping: float,
    tol: float,
    max_iter: int,
    dtype: type,
    threads: int,
) -> tuple[np.ndarray, int]:
    """Power iteration for one-hot teleport columns with the numba kernels.

    Returns the ``(k, n)`` scores (one row per source) and the iterations.

    Same update as :func:`ppr_power` on an ``(n, k)`` block. Each step is one fused pass
    over the rows (:func:`trustgraph.core.kernels.batch_power_step`): the product, the
    damping, the restart on each column's own source, the L1 change and the dangling mass
    the next step sends back to the sources.
    """
    tol = effective_tol(tol, dtype)
    backward = walk.backward
    index = np.result_type(backward.indices.dtype, backward.indptr.dtype)
    indptr = np.asarray(backward.indptr, dtype=index)
    indices = np.asarray(backward.indices, dtype=index)
    data = np.asarray(backward.data, dtype=dtype)
    n, k = walk.n, int(sources.size)
    # Restart entries grouped by row: a repeated source gets one entry per column.
    by_row = np.argsort(sources, kind="stable")
    restart_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources, minlength=n), out=restart_ptr[1:])
    restart_cols = by_row.astype(np.int64)
    is_dangling = np.ascontiguousarray(walk.dangling, dtype=np.bool_)
    current = np.zeros((n, k), dtype=dtype)
    current[sources, np.arange(k)] = 1.0
    spread = np.empty_like(current)
    dangling_mass = current[is_dangling].sum(axis=0, dtype=np.float64)
    residual = np.inf
    for iteration in range(1, max_iter + 1):
        comeback = (1.0 - damping) + damping * dangling_mass
        change, dangling_mass = kernels.batch_power_step(
            indptr,
            indices,
            data,
            current,
            spread,
            damping,
            (restart_ptr, restart_cols, comeback[restart_cols]),
            is_dangling,
            threads,
        )
        residual = float(change.max())
        current, spread = spread, current
        if residual < tol:
            return kernels.normalised_transpose(current, threads), iteration
    raise ConvergenceError(
        f"power iteration did not reach tol={tol!r} within max_iter={max_iter} "
        f"(last L1 change {residual:.3e}); raise max_iter or lower damping",
        iterations=max_iter,
        residual=residual,
    )
