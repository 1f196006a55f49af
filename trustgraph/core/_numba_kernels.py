"""The numba kernels behind :mod:`trustgraph.core.kernels` (imported only when a kernel is
first used: importing this module imports numba).

The kernels live at module level so that numba's on-disk cache finds them again in a new
process: a kernel defined inside a function and referring to a value made there (such as
the prefetch intrinsic) was compiled anew in every process, and added a cache entry each
time.
"""

from __future__ import annotations

import numba
import numpy as np
from llvmlite import binding, ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

#: Stored entries ahead of the current one whose source rows the batch step prefetches.
_PREFETCH_DISTANCE = 8

# Opaque pointers (LLVM 15 and later) changed the intrinsic's mangled name.
_PREFETCH = "llvm.prefetch.p0" if binding.llvm_version_info[0] >= 15 else "llvm.prefetch.p0i8"


@intrinsic
def prefetch_row(typingctx, array, row, lines):  # pragma: no cover - compiled
    """``prefetch_row(array, row, lines)``: asks the CPU to start loading the first
    ``min(lines, 8)`` 64-byte cache lines of ``array[row]`` (LLVM's ``llvm.prefetch``; a
    no-op where the target has no such instruction). It changes no value; the lines are
    unrolled, so a loop-invariant `lines` costs one predicted branch each."""

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
            _PREFETCH,
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
                if j + _PREFETCH_DISTANCE < n_stored:
                    prefetch_row(x, indices[j + _PREFETCH_DISTANCE], lines)
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
