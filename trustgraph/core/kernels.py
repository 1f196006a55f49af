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


#: Stored entries ahead of the current one whose source rows the batch step prefetches.
_PREFETCH_DISTANCE = 8


def _prefetch_intrinsic() -> Any:
    """A numba intrinsic ``prefetch_row(array, row, lines)``: asks the CPU to start loading
    the first ``min(lines, 8)`` 64-byte cache lines of ``array[row]`` (LLVM's
    ``llvm.prefetch``; a no-op where the target has no such instruction). It changes no
    value; the lines are unrolled, so a loop-invariant `lines` costs one predicted branch
    each."""
    from llvmlite import binding, ir
    from numba import types
    from numba.core import cgutils
    from numba.extending import intrinsic

    # Opaque pointers (LLVM 15 and later) changed the intrinsic's mangled name.
    name = "llvm.prefetch.p0" if binding.llvm_version_info[0] >= 15 else "llvm.prefetch.p0i8"

    @intrinsic
    def prefetch_row(typingctx, array, row, lines):  # pragma: no cover - compiled
        def codegen(context, builder, signature, args):
            array_type, row_type, lines_type = signature.args
            view = context.make_array(array_type)(context, builder, args[0])
            where = [
                context.cast(builder, args[1], row_type, types.intp),
                context.get_constant(types.intp, 0),
            ]
            pointer = cgutils.get_item_pointer(context, builder, array_type, view, where)
            count = context.cast(builder, args[2], lines_type, types.intp)
            byte_pointer = ir.IntType(8).as_pointer()
            start = builder.bitcast(pointer, byte_pointer)
            int32 = ir.IntType(32)
            function = cgutils.get_or_insert_function(
                builder.module,
                ir.FunctionType(ir.VoidType(), [byte_pointer, int32, int32, int32]),
                name,
            )
            # Arguments: a read (0), keep in every cache level (3), data cache (1).
            read, keep, data = (ir.Constant(int32, value) for value in (0, 3, 1))
            for line in range(8):
                wanted = builder.icmp_signed(">", count, ir.Constant(count.type, line))
                with builder.if_then(wanted, likely=True):
                    at = builder.gep(start, [ir.Constant(ir.IntType(64), 64 * line)])
                    builder.call(function, [at, read, keep, data])
            return context.get_dummy_value()

        return types.void(array, row, lines), codegen

    return prefetch_row


@cache
def _compiled() -> dict[str, Callable[..., Any]]:
    """Compile the kernels (lazily, once per process)."""
    import numba

    prefetch_row = _prefetch_intrinsic()
    distance = _PREFETCH_DISTANCE

    @numba.njit(parallel=True, cache=True, nogil=True)
    def power_step(
        indptr,
        indices,
        data,
        x,
        out,
        scale,
        restart_ptr,
        restart_cols,
        restart_vals,
        is_dangling,
        chunks,
    ):  # pragma: no cover - compiled
        # One power-iteration step on an (n, k) block, in one pass over the rows:
        #   out[i, :] = scale * sum_j data[j] * x[indices[j], :]  (+ restart on seed rows)
        # and, per column, the L1 change |out - x| and the mass of `out` on dangling rows,
        # accumulated per chunk of rows in float64 (returned as partial sums).
        n_rows, width = out.shape
        n_stored = indices.size
        lines = (width * x.itemsize + 63) // 64  # cache lines per row of x
        partial = np.zeros((chunks, 2, width))
        step = (n_rows + chunks - 1) // chunks
        for chunk in numba.prange(chunks):
            # Sums in a private row rather than in `out`: the compiler cannot tell that
            # `out` and `x` never overlap, and would reload and store every partial sum.
            total = np.empty_like(out[0])
            change = np.zeros(width)
            dangling_mass = np.zeros(width)
            for i in range(chunk * step, min(n_rows, (chunk + 1) * step)):
                total[:] = 0.0
                for j in range(indptr[i], indptr[i + 1]):
                    # Each stored entry reads a whole row of x from anywhere in a block
                    # far larger than the caches: requesting the rows a few entries
                    # ahead keeps several in flight.
                    if j + distance < n_stored:
                        prefetch_row(x, indices[j + distance], lines)
                    source = indices[j]
                    value = data[j]
                    neighbour = x[source]
                    for c in range(width):
                        total[c] += value * neighbour[c]
                row = out[i]
                for c in range(width):
                    row[c] = total[c] * scale
                for r in range(restart_ptr[i], restart_ptr[i + 1]):
                    row[restart_cols[r]] += restart_vals[r]
                previous = x[i]
                for c in range(width):
                    change[c] += abs(np.float64(row[c]) - np.float64(previous[c]))
                if is_dangling[i]:
                    for c in range(width):
                        dangling_mass[c] += row[c]
            for c in range(width):
                partial[chunk, 0, c] = change[c]
                partial[chunk, 1, c] = dangling_mass[c]
        return partial

    @numba.njit(parallel=True, cache=True, nogil=True)
    def normalised_transpose(x, chunks):  # pragma: no cover - compiled
        # out[c, i] = max(x[i, c], 0) / column total: the scores of each source as one
        # contiguous row, in tiles of rows that stay in cache while every column is read.
        n_rows, width = x.shape
        partial = np.zeros((chunks, width))
        step = (n_rows + chunks - 1) // chunks
        for chunk in numba.prange(chunks):
            for i in range(chunk * step, min(n_rows, (chunk + 1) * step)):
                for c in range(width):
                    if x[i, c] > 0:
                        partial[chunk, c] += x[i, c]
        totals = np.ones(width)
        for c in range(width):
            total = 0.0
            for chunk in range(chunks):
                total += partial[chunk, c]
            if total > 0:
                totals[c] = total
        out = np.empty((width, n_rows))
        tile = 256
        for t in numba.prange((n_rows + tile - 1) // tile):
            low = t * tile
            high = min(n_rows, low + tile)
            for c in range(width):
                total = totals[c]
                for i in range(low, high):
                    value = np.float64(x[i, c])
                    out[c, i] = value / total if value > 0 else 0.0
        return out

    @numba.njit(cache=True, nogil=True)
    def push_loop(
        indptr,
        indices,
        weights,
        inverse_strength,
        dangling,
        threshold,
        seeds,
        seed_mass,
        damping,
        estimate,
        residual,
    ):  # pragma: no cover - compiled
        n = estimate.size
        queue = np.empty(n, dtype=np.int64)
        queued = np.zeros(n, dtype=np.bool_)
        head = 0
        size = 0
        for k in range(seeds.size):
            s = seeds[k]
            if residual[s] >= threshold[s]:
                queue[(head + size) % n] = s
                size += 1
                queued[s] = True
        restart = 1.0 - damping
        pushes = 0
        while size > 0:
            u = queue[head]
            head = (head + 1) % n
            size -= 1
            queued[u] = False
            mass = residual[u]
            estimate[u] += restart * mass
            residual[u] = 0.0
            pushes += 1
            if dangling[u]:
                for k in range(seeds.size):
                    v = seeds[k]
                    residual[v] += damping * mass * seed_mass[k]
                for k in range(seeds.size):
                    v = seeds[k]
                    if residual[v] >= threshold[v] and not queued[v]:
                        queued[v] = True
                        queue[(head + size) % n] = v
                        size += 1
            else:
                start = indptr[u]
                stop = indptr[u + 1]
                share = inverse_strength[u]
                for j in range(start, stop):
                    v = indices[j]
                    residual[v] += damping * mass * (weights[j] * share)
                for j in range(start, stop):
                    v = indices[j]
                    if residual[v] >= threshold[v] and not queued[v]:
                        queued[v] = True
                        queue[(head + size) % n] = v
                        size += 1
        return pushes

    return {
        "power_step": power_step,
        "normalised_transpose": normalised_transpose,
        "push": push_loop,
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
