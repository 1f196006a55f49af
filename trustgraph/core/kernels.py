"""Compiled kernels (numba, the ``[fast]`` extra) for what sparse matrix algebra does badly.

Two computations gain from compiled loops: propagating many PPR vectors at once (scipy's
sparse-by-dense product was measured slower than the same number of single products) and
the local push (a queue of tiny updates, one Python step each without a compiler). Both
have a pure numpy/scipy fallback in :mod:`trustgraph.core.solvers` that gives the same
results up to float rounding.

Nothing here imports numba at import time: :func:`enabled` imports it on first call, and
each kernel is compiled on its first use (a few seconds per dtype, then cached on disk by
numba where the package folder is writable). Set the environment variable
``TRUSTGRAPH_NUMBA=0`` or call ``set_enabled(False)`` to force the fallbacks (the tests run
both paths).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

__all__ = ["batch_power_step", "enabled", "normalised_transpose", "push", "set_enabled"]

_STATE: dict[str, bool | None] = {"wanted": None}


def set_enabled(flag: bool | None) -> bool | None:
    """Allow (``True``), forbid (``False``) or auto-detect (``None``) numba; returns the old
    setting.

    Examples
    --------
    >>> previous = set_enabled(False)
    >>> enabled()
    False
    >>> _ = set_enabled(previous)
    """
    previous = _STATE["wanted"]
    _STATE["wanted"] = flag
    return previous


@cache
def _numba_importable() -> bool:
    if os.environ.get("TRUSTGRAPH_NUMBA", "").strip() in ("0", "false", "no"):
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def enabled() -> bool:
    """Whether the compiled kernels will be used (numba installed and not switched off)."""
    wanted = _STATE["wanted"]
    if wanted is False:
        return False
    return _numba_importable()


@cache
def _compiled() -> dict[str, Callable[..., Any]]:
    """The compiled kernels (numba is imported here, on first use; each kernel compiles
    once, then loads from numba's on-disk cache where the package folder is writable)."""
    from trustgraph.core import _numba_kernels

    return {
        "power_step": _numba_kernels.power_step,
        "normalised_transpose": _numba_kernels.normalised_transpose,
        "push": _numba_kernels.push_loop,
    }


def _with_threads(threads: int) -> Any:
    import numba

    previous = numba.get_num_threads()
    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    return previous


def batch_power_step(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    x: np.ndarray,
    out: np.ndarray,
    scale: float,
    restart: tuple[np.ndarray, np.ndarray, np.ndarray],
    is_dangling: np.ndarray,
    threads: int,
) -> tuple[np.ndarray, np.ndarray]:
    """One PPR power step on a C-ordered ``(n, k)`` block, fused into one pass over the rows.

    Computes ``out = scale * (A @ x)`` for CSR ``A``, adds ``restart`` (``(row_pointer,
    columns, values)``: row ``i`` gets ``values[r]`` in column ``columns[r]`` for ``r`` in
    ``row_pointer[i]:row_pointer[i + 1]``), and returns, per column, the L1 change
    ``sum |out - x|`` and the mass of ``out`` on the rows where `is_dangling` is set, both
    summed in float64.

    Each row of `x` holds the ``k`` values of one node, so every stored entry reads ``k``
    contiguous numbers (the product streams memory instead of gathering it), and the
    change and dangling mass are taken while the row is still in cache instead of in two
    more passes over two ``n x k`` blocks. The rows of `x` that the next few stored
    entries need are prefetched: on a block larger than the caches the step waits on
    memory, not on arithmetic, and one row at a time left most of the memory bandwidth
    unused (10M edges, 64 sources: 1.05-1.2 s per step without, 0.7-0.8 s with).

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.csr_array(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> x = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> out = np.empty_like(x)
    >>> restart = (np.array([0, 1, 2]), np.array([0, 1]), np.array([0.5, 0.5]))
    >>> change, dangling = batch_power_step(
    ...     A.indptr, A.indices, A.data, x, out, 0.5, restart, np.array([False, True]), 1
    ... )  # doctest: +SKIP
    >>> out.tolist(), change.tolist(), dangling.tolist()  # doctest: +SKIP
    ([[0.5, 0.5], [0.5, 0.5]], [1.0, 1.0], [0.5, 0.5])
    """
    import numba

    kernel = _compiled()["power_step"]
    row_pointer, columns, values = restart
    previous = _with_threads(threads)
    try:
        partial = kernel(
            indptr,
            indices,
            data,
            x,
            out,
            out.dtype.type(scale),
            row_pointer,
            columns,
            values.astype(out.dtype, copy=False),
            is_dangling,
            max(1, threads * 8),
        )
    finally:
        numba.set_num_threads(previous)
    totals = partial.sum(axis=0)
    return totals[0], totals[1]


def normalised_transpose(x: np.ndarray, threads: int) -> np.ndarray:
    """``(k, n)`` float64 rows of an ``(n, k)`` block's columns, clipped at zero and divided
    by their sums (a zero column stays zero): the batch's scores, one source per row.

    The same numbers as ``np.maximum(x, 0) / column sums`` transposed, up to the order of
    the sums' additions, written tile by tile in parallel (numpy's strided transposing copy
    of a 512 MB block was measured at about 2 s on the benchmark machine).
    """
    import numba

    kernel = _compiled()["normalised_transpose"]
    previous = _with_threads(threads)
    try:
        return kernel(x, max(1, threads * 8))
    finally:
        numba.set_num_threads(previous)


def push(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    inverse_strength: np.ndarray,
    dangling: np.ndarray,
    threshold: np.ndarray,
    seeds: np.ndarray,
    seed_mass: np.ndarray,
    damping: float,
    estimate: np.ndarray,
    residual: np.ndarray,
) -> int:
    """The forward-push loop of :func:`trustgraph.core.solvers.ppr_push`, compiled.

    Reads the graph's own rows: a push from ``u`` sends ``damping * mass * w(u, v) *
    inverse_strength[u]`` to each out-neighbour ``v`` (a dangling ``u`` sends its mass back
    to the seeds). Same FIFO order and updates as the Python loop; fills `estimate` and
    `residual` in place and returns the number of pushes.
    """
    kernel = _compiled()["push"]
    return int(
        kernel(
            indptr,
            indices,
            np.asarray(weights, dtype=np.float64),
            inverse_strength,
            dangling,
            threshold,
            seeds.astype(np.int64),
            seed_mass.astype(np.float64),
            float(damping),
            estimate,
            residual,
        )
    )
