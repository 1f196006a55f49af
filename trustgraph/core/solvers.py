"""Random-walk-with-restart solvers on a `CompactGraph`: power iteration, exact, push, batch.

Every solver computes the stationary distribution ``pi`` of the walk that, at each step,
follows an out-edge with probability ``damping`` (picking the edge in proportion to its
weight) and otherwise jumps to the teleport distribution ``s``::

    pi = (1 - damping) * s + damping * (pi @ P + (pi @ dangling) * s)

``P`` is the row-stochastic transition matrix built from the positive edge weights; a
*dangling* node (no out-edge of positive weight, including one whose only edges are
declared-only weight-0 ties) sends its mass back to ``s``. Zero-weight edges are ignored.

This module returns arrays; diagnostics (method, iterations, residual) live on a small
:class:`SolverResult`. The public, node-keyed functions are in
:mod:`trustgraph.algorithms.random_walk`. The local push lives in
:mod:`trustgraph.core.push`, the compiled batch in :mod:`trustgraph.core.batch` and the
option checks in :mod:`trustgraph.core.options`; they are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property, partial

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from trustgraph.core import kernels
from trustgraph.core.batch import batch_power_compiled
from trustgraph.core.graph import CompactGraph
from trustgraph.core.matvec import PARALLEL_MIN_EDGES, MatVec
from trustgraph.core.options import (
    DTYPES,
    FLOAT32_MIN_TOL,
    MAX_DEFAULT_THREADS,
    METHODS,
    check_dtype,
    check_method,
    check_threads,
    default_threads,
    effective_tol,
    lazy_to_nonlazy_damping,
)
from trustgraph.core.push import ppr_push
from trustgraph.core.reorder import (
    ORDERINGS,
    check_ordering,
    in_graph_order,
    locality_order,
    permute_csr,
)
from trustgraph.core.result import SolverResult, renormalise
from trustgraph.core.threads import shared_pool
from trustgraph.exceptions import ConvergenceError

__all__ = [
    "DTYPES",
    "EXACT_MAX_NODES",
    "FLOAT32_MIN_TOL",
    "MAX_DEFAULT_THREADS",
    "METHODS",
    "ORDERINGS",
    "PARALLEL_MIN_EDGES",
    "MatVec",
    "SolverResult",
    "Transition",
    "check_dtype",
    "check_threads",
    "default_threads",
    "effective_tol",
    "iter_ppr_batch",
    "lazy_to_nonlazy_damping",
    "ppr_batch",
    "ppr_exact",
    "ppr_power",
    "ppr_push",
    "solve_ppr",
    "transition",
]

#: ``method="auto"`` solves exactly up to this many nodes and iterates above it.

EXACT_MAX_NODES = 2000


#: Power-iteration batches narrower than this are solved one source at a time on graphs of
#: at least PARALLEL_MIN_EDGES stored edges. On the 10M-edge benchmark graph a step cost
#: 37 ms per source in a compiled batch of 8 (42 ms with scipy's blocked product) against
#: about 30 ms for one source alone, and 27 ms in a batch of 16; at 1M edges a batch of 8
#: only broke even (2.0 ms against 2.1 ms).
BATCH_MIN_WIDTH = 16


class Transition:
    """The walk's transition structure on a graph, each part built on first use.

    A power iteration needs the transposed transition matrix; the local push needs only
    each node's out-strength and positive out-degree next to the graph's own rows (it
    divides a row's weights by the strength as it pushes), so a push query on a large
    graph never pays for a matrix built over every edge.

    Attributes
    ----------
    forward : scipy.sparse.csr_array
        Row-stochastic ``P`` (rows of dangling nodes are empty); zero weights dropped.
    backward : scipy.sparse.csr_array
        ``P.T`` in CSR form, for fast ``P.T @ x`` products.
    dangling : numpy.ndarray of bool
        Nodes without an out-edge of positive weight.
    inverse_strength : numpy.ndarray
        ``1 / out-strength`` (0 for dangling nodes): ``P[u, v] = w(u, v) *
        inverse_strength[u]``.
    positive_degree : numpy.ndarray
        Out-edges of positive weight per node.
    reorder : str or None
        The locality ordering the power iteration multiplies in (see :func:`transition`).
    order : numpy.ndarray or None
        That ordering, ``order[new] = old`` (None: the graph's own numbering).
    """

    def __init__(self, adjacency: sp.csr_array, reorder: str | None = None) -> None:
        self.adjacency = adjacency
        self.reorder = check_ordering(reorder)
        self._products: dict = {}

    @property
    def n(self) -> int:
        return int(self.adjacency.shape[0])

    @cached_property
    def strength(self) -> np.ndarray:
        # Zero weights add exact zeros: the same sums as over the positive weights alone.
        return np.asarray(self.adjacency.sum(axis=1), dtype=np.float64).ravel()

    @cached_property
    def dangling(self) -> np.ndarray:
        return self.strength <= 0

    @cached_property
    def inverse_strength(self) -> np.ndarray:
        strength = self.strength
        return np.divide(1.0, strength, out=np.zeros_like(strength), where=~self.dangling)

    @cached_property
    def positive_degree(self) -> np.ndarray:
        adjacency = self.adjacency
        positive = adjacency.data > 0
        if positive.all():
            return np.diff(adjacency.indptr)
        return np.bincount(
            np.repeat(np.arange(self.n), np.diff(adjacency.indptr))[positive], minlength=self.n
        )

    @cached_property
    def forward(self) -> sp.csr_array:
        """Row-stochastic ``P`` with the zero-weight entries dropped."""
        adjacency = self.adjacency.copy()
        adjacency.eliminate_zeros()
        counts = np.diff(adjacency.indptr)
        data = adjacency.data * np.repeat(self.inverse_strength, counts)
        return sp.csr_array((data, adjacency.indices, adjacency.indptr), shape=adjacency.shape)

    @cached_property
    def backward(self) -> sp.csr_array:
        """``P.T`` in CSR form, built on first use (the local push never needs it)."""
        return sp.csr_array(self.forward.T)

    @cached_property
    def order(self) -> np.ndarray | None:
        return locality_order(self.adjacency, self.reorder)

    @cached_property
    def ordered_backward(self) -> sp.csr_array:
        """``P.T`` with rows and columns in :attr:`order` (``backward`` itself without one)."""
        if self.order is None:
            return self.backward
        ordered = permute_csr(self.backward, self.order)
        # The power iteration only needs the renumbered copy; solvers that want P.T in the
        # graph's numbering (exact, batch) rebuild it, so a walk never holds both.
        del self.backward
        return ordered

    def matvec(self, dtype: type = np.float64, threads: int = 1) -> MatVec:
        """The cached ``P.T @ x`` product in `dtype` on `threads` row blocks, in
        :attr:`order`'s numbering."""
        key = (np.dtype(dtype).type, threads)
        product = self._products.get(key)
        if product is None:
            product = self._products[key] = MatVec(self.ordered_backward, key[0], threads)
        return product


def transition(cg: CompactGraph, *, reorder: str | None = None) -> Transition:
    """The walk on the positive weights of `cg` (weights must already be validated).

    Nothing is computed until a solver asks for it (see :class:`Transition`).
    `reorder` (``"degree"``, ``"rcm"``, None or ``"none"``; see
    :func:`trustgraph.core.reorder.locality_order`) renumbers the nodes for the power
    iteration's product, once per walk, when it is first needed; scores still come back in
    the graph's order and differ only by the rounding of sums taken in another order. It
    is off by default because the ordering costs more than it saves unless one prepared
    walk serves many solves of a graph whose score vector outgrows the cache (measured in
    docs/scale.md).

    Examples
    --------
    >>> from trustgraph.core.compact import CompactGraph
    >>> cg = CompactGraph.from_edges(["a", "a", "b"], ["b", "c", "c"], [3.0, 1.0, 0.0])
    >>> t = transition(cg)
    >>> t.forward.toarray().tolist()
    [[0.0, 0.75, 0.25], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    >>> t.dangling.tolist(), t.positive_degree.tolist()
    ([False, True, True], [2, 0, 0])
    >>> tiny = CompactGraph.from_edges(["a", "a"], ["b", "c"], [3e-320, 1e-320])
    >>> transition(tiny).forward.toarray()[0].round(2).tolist()
    [0.0, 0.75, 0.25]
    """
    return Transition(_well_scaled(cg.adjacency), reorder=reorder)


#: Weights outside this range are rescaled per row before the walk normalises them.
_SAFE_WEIGHTS = (1e-290, 1e290)


def _well_scaled(adjacency: sp.csr_array) -> sp.csr_array:
    """The rows divided by their largest weight when a weight is extreme in size.

    A walk only sees each row's weights relative to their sum, so scaling a row changes
    nothing, but it keeps ``1 / strength`` finite for subnormal weights (1e-320) and the
    row sums finite for huge ones (several weights near 1e308).
    """
    data = adjacency.data
    positive = data[data > 0]
    if positive.size == 0 or (
        positive.min() >= _SAFE_WEIGHTS[0] and positive.max() <= _SAFE_WEIGHTS[1]
    ):
        return adjacency
    counts = np.diff(adjacency.indptr)
    row_max = np.zeros(adjacency.shape[0])
    rows = np.repeat(np.arange(adjacency.shape[0]), counts)
    np.maximum.at(row_max, rows, np.where(data > 0, data, 0.0))
    scale = np.where(row_max > 0, row_max, 1.0)
    return sp.csr_array(
        (data / scale[rows], adjacency.indices, adjacency.indptr), shape=adjacency.shape
    )


class _BlockStep:
    """One row block of a power step: its bounds and its share of the seed support."""

    def __init__(self, lo: int, hi: int, teleport: np.ndarray) -> None:
        self.lo, self.hi = lo, hi
        part = teleport[lo:hi]
        if teleport.ndim == 1:
            local = np.flatnonzero(part)
            self.support = local if local.size else None
            self.seed_mass = np.asarray(part[local], dtype=np.float64)
        else:
            self.support = slice(None)
            self.seed_mass = np.asarray(part, dtype=np.float64)


def ppr_power(
    walk: Transition,
    teleport: np.ndarray,
    *,
    damping: float,
    tol: float,
    max_iter: int,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> SolverResult:
    """Power iteration until the absolute L1 change drops below `tol`.

    `teleport` may be a vector (one solve) or an ``(n, k)`` matrix whose columns are solved
    together (each column is a probability vector; dangling mass returns to its own column).

    Parameters
    ----------
    walk : Transition
    teleport : numpy.ndarray
    damping, tol, max_iter
        As in :func:`trustgraph.personalized_pagerank`.
    dtype : numpy.float64 or numpy.float32, default float64
        Arithmetic of the iteration. float32 halves the memory traffic of the vectors and
        of the matrix values; its `tol` is at least :data:`FLOAT32_MIN_TOL` (1e-6), and the
        change is summed in float64. Scores come back as float64, renormalised.
    threads : int, optional
        Row blocks of ``P.T`` multiplied in parallel (default :func:`default_threads`);
        the result does not depend on it.
    progress : callable, optional
        Called as ``progress(iteration, l1_change)`` after every iteration.

    Raises
    ------
    ConvergenceError
        After `max_iter` iterations without meeting `tol` (with ``.iterations`` and
        ``.residual``; the worst column's change for a matrix).
    """
    dtype = check_dtype(dtype)
    threads = check_threads(threads)
    tol = effective_tol(tol, dtype)
    product = walk.matvec(dtype, threads)
    order = walk.order
    dangling = np.flatnonzero(walk.dangling if order is None else walk.dangling[order])
    if order is not None:
        teleport = teleport[order]
    current = np.array(teleport, dtype=dtype, order="C")
    spread = np.empty_like(current)
    difference = np.empty_like(current)
    scale = dtype(damping)
    # Each row block runs its whole step in its own thread: the product, the damping, the
    # restart on the block's part of the seed support and the block's L1 change. numpy
    # releases the GIL on these slices too, so no single-threaded pass over the vectors
    # remains. A seed vector is usually sparse: the restart touches its support only.
    pieces = [_BlockStep(lo, hi, teleport) for lo, hi in product.blocks]

    def step(piece: _BlockStep) -> np.ndarray:
        lo, hi = piece.lo, piece.hi
        product.block((lo, hi), current, spread)
        target = spread[lo:hi]
        target *= scale
        if piece.support is not None:
            target[piece.support] += (comeback * piece.seed_mass).astype(dtype, copy=False)
        np.subtract(target, current[lo:hi], out=difference[lo:hi])
        np.abs(difference[lo:hi], out=difference[lo:hi])
        return difference[lo:hi].sum(axis=0, dtype=np.float64)

    residual = np.inf
    for iteration in range(1, max_iter + 1):
        # next = damping * P.T @ x + (1 - damping + damping * dangling_mass) * s
        comeback = np.asarray(1.0 - damping)
        if dangling.size:
            comeback = comeback + damping * current[dangling].sum(axis=0, dtype=np.float64)
        if len(pieces) == 1:
            changes = [step(pieces[0])]
        else:
            changes = list(shared_pool(len(pieces)).map(step, pieces))
        residual = float(np.sum(changes, axis=0).max()) if current.size else 0.0
        current, spread = spread, current
        if progress is not None:
            progress(iteration, residual)
        if residual < tol:
            scores = in_graph_order(renormalise(current), order)
            return SolverResult(scores, "power", iteration, residual)
    raise ConvergenceError(
        f"power iteration did not reach tol={tol!r} within max_iter={max_iter} "
        f"(last L1 change {residual:.3e}); raise max_iter or lower damping",
        iterations=max_iter,
        residual=residual,
    )


def ppr_exact(walk: Transition, teleport: np.ndarray, *, damping: float) -> SolverResult:
    """Sparse direct solve of ``(I - damping P.T) y = s``, then ``pi = y / sum(y)``.

    Dangling mass returning to ``s`` only rescales ``y`` (it adds a multiple of ``s`` to
    the right-hand side), so normalising ``y`` gives exactly the fixed point. Meant for small
    graphs (``method="auto"`` uses it up to :data:`EXACT_MAX_NODES` nodes). A matrix
    `teleport` is solved column by column with one factorisation.
    """
    n = walk.n
    system = sp.csc_matrix(sp.identity(n, format="csc") - damping * walk.backward.tocsc())
    if teleport.ndim == 1:
        solution = np.atleast_1d(spla.spsolve(system, teleport))
    else:
        solution = spla.splu(system).solve(np.ascontiguousarray(teleport))
    return SolverResult(renormalise(solution), "exact", 0, 0.0)


def solve_ppr(
    walk: Transition,
    teleport: np.ndarray,
    *,
    damping: float,
    tol: float,
    max_iter: int,
    method: str,
    epsilon: float = 1e-6,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Callable[[int, float], None] | None = None,
    compiled: bool | None = None,
) -> SolverResult:
    """Dispatch on `method` (``"auto"``, ``"power"``, ``"exact"``, ``"push"``).

    ``"auto"`` solves exactly up to :data:`EXACT_MAX_NODES` nodes and by power iteration
    above; it never picks the approximate push. `dtype`, `threads` and `progress` apply to
    power iteration (see :func:`ppr_power`); they are validated for every method.
    `compiled` chooses the push loop (see :func:`trustgraph.core.kernels.use_compiled`).
    """
    dtype = check_dtype(dtype)
    threads = check_threads(threads)
    method = check_method(method)
    if method == "auto":
        method = "exact" if walk.n <= EXACT_MAX_NODES else "power"
    if method == "exact":
        return ppr_exact(walk, teleport, damping=damping)
    if method == "power":
        return ppr_power(
            walk,
            teleport,
            damping=damping,
            tol=tol,
            max_iter=max_iter,
            dtype=dtype,
            threads=threads,
            progress=progress,
        )
    return ppr_push(walk, teleport, damping=damping, epsilon=epsilon, compiled=compiled)


def iter_ppr_batch(
    walk: Transition,
    sources: np.ndarray,
    *,
    damping: float,
    tol: float,
    max_iter: int,
    method: str,
    memory_budget_bytes: int,
    epsilon: float = 1e-6,
    dtype: type = np.float64,
    threads: int | None = None,
    compiled: bool | None = None,
) -> Iterator[tuple[int, np.ndarray, int]]:
    """PPR from single sources, chunk by chunk: yields ``(first_row, block, iterations)``.

    ``block`` has shape ``(chunk, n)``; its row ``j`` is the PPR of
    ``sources[first_row + j]``. Chunks are sized so that the working arrays fit
    `memory_budget_bytes`: about six ``n x chunk`` float64 arrays on the scipy path, and on
    the compiled path two ``n x chunk`` blocks in `dtype` plus the float64 result (24 bytes
    per node and source in float64, 16 in float32). A caller that sparsifies each block
    keeps the whole computation within the budget. Wide chunks are what make the compiled
    kernel pay: on 10M edges a step cost about 37, 27, 15 and 8 ms per source for chunks of
    8, 16, 32 and 64 sources, against about 30 ms for one source alone; so on graphs of at
    least :data:`PARALLEL_MIN_EDGES` stored edges a chunk narrower than
    :data:`BATCH_MIN_WIDTH` is solved one source at a time.

    Power iteration on a chunk runs the compiled kernel of :mod:`trustgraph.core.kernels`
    when :func:`trustgraph.core.kernels.use_compiled` allows it for `compiled` (one pass
    over the edges serves every source of the chunk, on all `threads`), else scipy's
    blocked product; both give the same scores up to rounding, as do the compiled and
    numpy push loops. `dtype` is as in :func:`ppr_power`.
    """
    dtype = check_dtype(dtype)
    threads = check_threads(threads)
    method = check_method(method)
    if method == "auto":
        method = "exact" if walk.n <= EXACT_MAX_NODES else "power"
    n = walk.n
    k = int(sources.size)
    if k == 0 or n == 0:
        return
    use_kernels = kernels.use_compiled(compiled)
    batched = method == "power" and use_kernels
    per_source = (2 * np.dtype(dtype).itemsize + 8) * n if batched else 6 * 8 * n
    chunk = max(1, min(k, int(memory_budget_bytes) // per_source))
    factor = None
    if method == "exact":
        system = sp.identity(n, format="csc") - damping * walk.backward.tocsc()
        factor = spla.splu(sp.csc_matrix(system))

    power = partial(
        ppr_power, walk, damping=damping, tol=tol, max_iter=max_iter, dtype=dtype, threads=threads
    )
    push = partial(ppr_push, walk, damping=damping, epsilon=epsilon, compiled=use_kernels)
    large = walk.adjacency.nnz >= PARALLEL_MIN_EDGES
    for start in range(0, k, chunk):
        block = sources[start : start + chunk]
        if method == "push":
            yield start, *_one_by_one(push, block, n)
            continue
        if method == "power" and large and block.size < BATCH_MIN_WIDTH:
            yield start, *_one_by_one(power, block, n)
            continue
        if batched:
            scores, used = batch_power_compiled(
                walk,
                block,
                damping=damping,
                tol=tol,
                max_iter=max_iter,
                dtype=dtype,
                threads=threads,
            )
            yield start, scores, used
            continue
        teleport = np.zeros((n, block.size))
        teleport[block, np.arange(block.size)] = 1.0
        if factor is not None:
            yield start, renormalise(factor.solve(teleport)).T, 0
        else:
            solved = power(teleport)
            yield start, solved.scores.T, solved.iterations


def _one_by_one(
    solve: Callable[[np.ndarray], SolverResult], sources: np.ndarray, n: int
) -> tuple[np.ndarray, int]:
    """``(len(sources), n)`` scores from one `solve` per source, and the most iterations."""
    rows = np.empty((sources.size, n))
    most = 0
    for offset, source in enumerate(sources.tolist()):
        teleport = np.zeros(n)
        teleport[source] = 1.0
        solved = solve(teleport)
        rows[offset] = solved.scores
        most = max(most, solved.iterations)
    return rows, most


def ppr_batch(
    walk: Transition,
    sources: np.ndarray,
    *,
    damping: float,
    tol: float,
    max_iter: int,
    method: str,
    memory_budget_bytes: int,
    epsilon: float = 1e-6,
    dtype: type = np.float64,
    threads: int | None = None,
    compiled: bool | None = None,
) -> tuple[np.ndarray, int]:
    """Dense ``(len(sources), n)`` matrix of :func:`iter_ppr_batch`, and the most iterations."""
    result = np.zeros((int(sources.size), walk.n))
    iterations = 0
    for start, block, used in iter_ppr_batch(
        walk,
        sources,
        damping=damping,
        tol=tol,
        max_iter=max_iter,
        method=method,
        memory_budget_bytes=memory_budget_bytes,
        epsilon=epsilon,
        dtype=dtype,
        threads=threads,
        compiled=compiled,
    ):
        result[start : start + block.shape[0]] = block
        iterations = max(iterations, used)
    return result, iterations
