"""Compiled kernels (numba, the ``[fast]`` extra) for what sparse matrix algebra does badly.

Two computations gain from compiled loops: propagating many PPR vectors at once (scipy's
sparse-by-dense product was measured slower than the same number of single products) and
the local push (a queue of tiny updates, one Python step each without a compiler). Both
have a pure numpy/scipy fallback in :mod:`trustgraph.core.solvers` that gives the same
results up to float rounding.

Which path runs is decided in one place, :func:`use_compiled`, in this order:

1. the ``compiled=`` argument of the solver (``True``, ``False``; ``None`` passes on);
2. the process default set by :func:`set_enabled` (``None``, the initial value, passes on);
3. the environment variable ``TRUSTGRAPH_NUMBA`` (``0``, ``false`` or ``no`` switch the
   kernels off), read once, at the first decision of the process;
4. whether numba can be imported.

Nothing here imports numba at import time: the first automatic decision imports it, and
each kernel is compiled on its first use (a few seconds per dtype, then cached on disk by
numba where the package folder is writable).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from trustgraph.exceptions import ParameterError

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "batch_power_step",
    "enabled",
    "normalised_transpose",
    "numba_available",
    "push",
    "set_enabled",
    "use_compiled",
]

#: Environment variable that switches the compiled kernels off when ``0``, ``false`` or ``no``.
ENVIRONMENT_VARIABLE = "TRUSTGRAPH_NUMBA"

# The process default of step 2 (see the module docstring); only set_enabled writes it.
_PROCESS_DEFAULT: dict[str, bool | None] = {"compiled": None}


@cache
def _environment_allows() -> bool:
    """Step 3: the environment variable, read on the first call only."""
    return os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower() not in ("0", "false", "no")


@cache
def numba_available() -> bool:
    """Whether numba can be imported (it is imported, once, to find out).

    Examples
    --------
    >>> numba_available() in (True, False)
    True
    """
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _check_choice(compiled: bool | None) -> bool | None:
    if compiled is not None and not isinstance(compiled, bool):
        raise ParameterError(f"compiled must be True, False or None, got {compiled!r}")
    if compiled and not numba_available():
        raise ParameterError("compiled=True needs numba (the [fast] extra); it is not installed")
    return compiled


def use_compiled(compiled: bool | None = None) -> bool:
    """Whether to run the compiled kernels: the one decision (see the module docstring).

    Parameters
    ----------
    compiled : bool or None, default None
        ``True`` asks for the kernels (numba must be installed), ``False`` for the
        numpy/scipy paths; ``None`` follows the process default, then the environment,
        then whether numba is installed.

    Raises
    ------
    ParameterError
        `compiled` is not a bool or None, or is ``True`` without numba.

    Examples
    --------
    >>> use_compiled(False)
    False
    >>> use_compiled() == (numba_available() and enabled())
    True
    """
    choice = _check_choice(compiled)
    if choice is None:
        choice = _PROCESS_DEFAULT["compiled"]
    if choice is None:
        return _environment_allows() and numba_available()
    return choice


def set_enabled(flag: bool | None) -> bool | None:
    """Set the process default: use (``True``, needs numba), forbid (``False``) or decide
    automatically (``None``) the compiled kernels; returns the previous default.

    A solver's ``compiled=`` argument overrides it.

    Examples
    --------
    >>> previous = set_enabled(False)
    >>> enabled()
    False
    >>> _ = set_enabled(previous)
    """
    previous = _PROCESS_DEFAULT["compiled"]
    _PROCESS_DEFAULT["compiled"] = _check_choice(flag)
    return previous


def enabled() -> bool:
    """Whether the compiled kernels run by default (``use_compiled(None)``)."""
    return use_compiled(None)


@cache
def _compiled() -> dict[str, Callable[..., Any]]:
    """The compiled kernels (numba is imported here, on first use; each kernel compiles
    once, then loads from numba's on-disk cache where the package folder is writable)."""
    import trustgraph.core._numba_kernels as _numba_kernels

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
