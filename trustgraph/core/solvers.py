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
:mod:`trustgraph.algorithms.random_walk`.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from trustgraph.core import kernels
from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ConvergenceError, ParameterError

try:  # the raw kernel behind ``csr_array @ x``: writes into a given buffer, releases the GIL
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover - a future scipy may move it; fall back to ``@``
    _csr_matvec = _csr_matvecs = None

__all__ = [
    "DTYPES",
    "EXACT_MAX_NODES",
    "FLOAT32_MIN_TOL",
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

METHODS = ("auto", "power", "exact", "push")

#: Floating-point types the iterative solvers accept for ``dtype=``.
DTYPES = (np.float64, np.float32)

#: With ``dtype=float32`` a smaller `tol` is raised to this: the L1 rounding noise of a
#: float32 probability vector is about 1e-7, so a smaller change might never be observed.
FLOAT32_MIN_TOL = 1e-6

#: Graphs with fewer stored edges than this run single-threaded (thread hand-off costs more).
PARALLEL_MIN_EDGES = 200_000

#: Power-iteration batches narrower than this are solved one source at a time on graphs of
#: at least PARALLEL_MIN_EDGES stored edges. On the 10M-edge benchmark graph a step cost
#: 37 ms per source in a compiled batch of 8 (42 ms with scipy's blocked product) against
#: about 30 ms for one source alone, and 27 ms in a batch of 16; at 1M edges a batch of 8
#: only broke even (2.0 ms against 2.1 ms).
BATCH_MIN_WIDTH = 16

#: ``threads=None`` uses ``min(os.cpu_count(), MAX_DEFAULT_THREADS)`` threads.
MAX_DEFAULT_THREADS = 4

_POOLS: dict[int, ThreadPoolExecutor] = {}


def default_threads() -> int:
    """Threads used when ``threads=None``: ``min(os.cpu_count(), 4)``.

    Sparse matrix-vector products are memory-bound; beyond a few threads the memory bus,
    not the cores, limits them, so the default stops at four.

    Examples
    --------
    >>> 1 <= default_threads() <= 4
    True
    """
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_THREADS))


def check_threads(threads: int | None) -> int:
    """Validate ``threads=`` (``None`` = :func:`default_threads`)."""
    if threads is None:
        return default_threads()
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1:
        raise ParameterError(f"threads must be a positive integer or None, got {threads!r}")
    return int(threads)


def check_dtype(dtype: object) -> type:
    """Validate ``dtype=``: float64 (default) or float32."""
    try:
        resolved = np.dtype(dtype).type
    except TypeError:
        resolved = None
    if resolved not in DTYPES:
        raise ParameterError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}")
    return resolved


def effective_tol(tol: float, dtype: type) -> float:
    """The tolerance a solve in `dtype` actually uses (see :data:`FLOAT32_MIN_TOL`)."""
    return max(float(tol), FLOAT32_MIN_TOL) if dtype is np.float32 else float(tol)


def _pool(threads: int) -> ThreadPoolExecutor:
    pool = _POOLS.get(threads)
    if pool is None:
        pool = _POOLS[threads] = ThreadPoolExecutor(threads, thread_name_prefix="trustgraph")
    return pool


class MatVec:
    """``out = A @ x`` for a CSR matrix, written into `out`, on row blocks in threads.

    The matrix is split into `threads` blocks of consecutive rows holding about the same
    number of stored entries; each block's product runs in scipy's compiled kernel, which
    releases the GIL, so the blocks run in parallel. Every row's dot product is computed in
    the same order whatever the split, so the result is bit-identical to one thread.

    Parameters
    ----------
    matrix : scipy.sparse.csr_array
    dtype : numpy float type
        Values are cast once to this type; `x` and `out` must have it.
    threads : int
        Row blocks (1 = no thread pool).

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.csr_array(np.array([[0.0, 2.0], [1.0, 0.0]]))
    >>> product = MatVec(A, np.float64, threads=2)
    >>> out = np.empty(2)
    >>> product(np.array([1.0, 3.0]), out).tolist()
    [6.0, 1.0]
    """

    def __init__(self, matrix: sp.csr_array, dtype: type, threads: int) -> None:
        n_rows = matrix.shape[0]
        index = np.result_type(matrix.indices.dtype, matrix.indptr.dtype)
        self.indptr = np.asarray(matrix.indptr, dtype=index)
        self.indices = np.asarray(matrix.indices, dtype=index)
        self.data = np.asarray(matrix.data, dtype=dtype)
        self.shape = matrix.shape
        self.dtype = dtype
        if matrix.nnz < PARALLEL_MIN_EDGES or n_rows < 2:
            threads = 1
        self.threads = threads
        # Cut where the cumulative entry count crosses equal shares: balanced work.
        shares = np.linspace(0, matrix.nnz, threads + 1)[1:-1]
        cuts = np.searchsorted(self.indptr, shares).clip(0, n_rows)
        bounds = np.unique(np.concatenate([[0], cuts, [n_rows]]))
        self.blocks = [(int(a), int(b)) for a, b in itertools.pairwise(bounds) if b > a]
        self._matrix = sp.csr_array((self.data, self.indices, self.indptr), shape=self.shape)

    def block(self, bounds: tuple[int, int], x: np.ndarray, out: np.ndarray) -> None:
        """Rows ``lo:hi`` of the product, written into ``out[lo:hi]``."""
        lo, hi = bounds
        target = out[lo:hi]
        if _csr_matvec is None:
            np.copyto(target, self._matrix[lo:hi] @ x)
            return
        target.fill(0)
        pointers = self.indptr[lo : hi + 1]
        if x.ndim == 1:
            _csr_matvec(hi - lo, self.shape[1], pointers, self.indices, self.data, x, target)
        else:
            _csr_matvecs(
                hi - lo,
                self.shape[1],
                x.shape[1],
                pointers,
                self.indices,
                self.data,
                x.ravel(),
                target.reshape(-1),
            )

    def __call__(self, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        if len(self.blocks) <= 1:
            self.block((0, self.shape[0]), x, out)
        else:
            list(_pool(len(self.blocks)).map(lambda b: self.block(b, x, out), self.blocks))
        return out


@dataclass(frozen=True)
class SolverResult:
    """Scores of one solve plus how they were obtained.

    Attributes
    ----------
    scores : numpy.ndarray
        One value per node (graph order), summing to one.
    method : str
        The solver that ran: ``"power"``, ``"exact"`` or ``"push"``.
    iterations : int
        Power iterations, or pushes for ``"push"``; 0 for ``"exact"``.
    residual : float
        ``"power"``: L1 change of the last iteration. ``"push"``: residual mass left
        unpushed (the L1 error of the unnormalised estimate). ``"exact"``: 0.0.
    """

    scores: np.ndarray
    method: str
    iterations: int
    residual: float


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
    """

    def __init__(self, adjacency: sp.csr_array) -> None:
        self.adjacency = adjacency
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

    def matvec(self, dtype: type = np.float64, threads: int = 1) -> MatVec:
        """The cached ``P.T @ x`` product in `dtype` on `threads` row blocks."""
        key = (np.dtype(dtype).type, threads)
        product = self._products.get(key)
        if product is None:
            product = self._products[key] = MatVec(self.backward, key[0], threads)
        return product


def transition(cg: CompactGraph) -> Transition:
    """The walk on the positive weights of `cg` (weights must already be validated).

    Nothing is computed until a solver asks for it (see :class:`Transition`).

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
    return Transition(_well_scaled(cg.adjacency))


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


def lazy_to_nonlazy_damping(alpha: float) -> float:
    """Damping of the non-lazy walk that has the same PPR as a lazy walk with restart `alpha`.

    Andersen, Chung and Lang define PageRank on the *lazy* walk ``W = (I + P) / 2`` with
    restart probability ``alpha``. Its solution equals our (non-lazy) PPR with
    ``damping = (1 - alpha) / (1 + alpha)``, i.e. restart ``2 alpha / (1 + alpha)``.

    Parameters
    ----------
    alpha : float
        Restart (teleport) probability of the lazy walk, in (0, 1].

    Returns
    -------
    float
        The equivalent ``damping`` for :func:`trustgraph.personalized_pagerank`.

    Examples
    --------
    >>> round(lazy_to_nonlazy_damping(0.15), 7)
    0.7391304
    """
    alpha = float(alpha)
    if not 0.0 < alpha <= 1.0:
        raise ParameterError(f"alpha must be in (0, 1], got {alpha!r}")
    return (1.0 - alpha) / (1.0 + alpha)


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
    dangling = np.flatnonzero(walk.dangling)
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
            changes = list(_pool(len(pieces)).map(step, pieces))
        residual = float(np.sum(changes, axis=0).max()) if current.size else 0.0
        current, spread = spread, current
        if progress is not None:
            progress(iteration, residual)
        if residual < tol:
            return SolverResult(_renormalise(current), "power", iteration, residual)
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
    return SolverResult(_renormalise(solution), "exact", 0, 0.0)


def ppr_push(
    walk: Transition,
    teleport: np.ndarray,
    *,
    damping: float,
    epsilon: float,
) -> SolverResult:
    """Forward push (Andersen, Chung, Lang 2006) on the *non-lazy* walk.

    Keeps an estimate ``p`` and a residual ``r`` (``r = s`` at the start). Pushing node ``u``
    moves ``(1 - damping) r(u)`` into ``p(u)`` and spreads ``damping r(u)`` over ``u``'s
    out-edges by transition probability (a dangling node spreads it over ``s``). The
    invariant ``pi = p + r R`` (``R`` the PPR operator, rows summing to one) holds
    throughout, so the unnormalised estimate undershoots ``pi`` by exactly ``sum(r)`` in L1.
    Nodes are pushed while ``r(u) >= epsilon * max(outdeg(u), 1)``; the total work is
    ``O(1 / (epsilon (1 - damping)))`` edge visits, independent of the graph size.

    The returned scores are ``p / sum(p)``, within ``2 * residual`` of ``pi`` in L1, where
    ``residual = sum(r) < epsilon * sum(max(outdeg, 1))`` over the touched nodes.
    """
    if not 0.0 < epsilon < 1.0:
        raise ParameterError(f"epsilon must be in (0, 1), got {epsilon!r}")
    n = walk.n
    rows = walk.adjacency
    threshold = epsilon * np.maximum(walk.positive_degree, 1).astype(np.float64)
    seeds = np.flatnonzero(teleport)
    seed_mass = teleport[seeds]
    estimate = np.zeros(n)
    residual = teleport.astype(np.float64).copy()
    arguments = (
        rows.indptr,
        rows.indices,
        rows.data,
        walk.inverse_strength,
        walk.dangling,
        threshold,
        seeds,
        seed_mass,
        damping,
        estimate,
        residual,
    )
    pushes = kernels.push(*arguments) if kernels.enabled() else _push_python(*arguments)
    left = float(residual.sum())
    return SolverResult(_renormalise(estimate), "push", pushes, left)


def _push_python(
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
    """The push loop without numba (a numpy slice per push); returns the pushes made."""
    restart = 1.0 - damping
    queued = np.zeros(estimate.size, dtype=bool)
    active = seeds[residual[seeds] >= threshold[seeds]]
    queue = deque(active.tolist())
    queued[active] = True
    pushes = 0
    while queue:
        u = queue.popleft()
        queued[u] = False
        mass = residual[u]
        estimate[u] += restart * mass
        residual[u] = 0.0
        if dangling[u]:
            targets = seeds
            residual[targets] += damping * mass * seed_mass
        else:
            start, stop = indptr[u], indptr[u + 1]
            targets = indices[start:stop]
            # A row's transition probabilities are its weights over the out-strength;
            # zero-weight entries add nothing.
            residual[targets] += damping * mass * (weights[start:stop] * inverse_strength[u])
        pushes += 1
        fresh = targets[(residual[targets] >= threshold[targets]) & ~queued[targets]]
        if fresh.size:
            queued[fresh] = True
            queue.extend(fresh.tolist())
    return pushes


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
) -> SolverResult:
    """Dispatch on `method` (``"auto"``, ``"power"``, ``"exact"``, ``"push"``).

    ``"auto"`` solves exactly up to :data:`EXACT_MAX_NODES` nodes and by power iteration
    above; it never picks the approximate push. `dtype`, `threads` and `progress` apply to
    power iteration (see :func:`ppr_power`); they are validated for every method.
    """
    dtype = check_dtype(dtype)
    threads = check_threads(threads)
    method = _check_method(method)
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
    return ppr_push(walk, teleport, damping=damping, epsilon=epsilon)


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
    when numba is installed (one pass over the edges serves every source of the chunk, on
    all `threads`), else scipy's blocked product; both give the same scores up to
    rounding. `dtype` is as in :func:`ppr_power`.
    """
    dtype = check_dtype(dtype)
    threads = check_threads(threads)
    method = _check_method(method)
    if method == "auto":
        method = "exact" if walk.n <= EXACT_MAX_NODES else "power"
    n = walk.n
    k = int(sources.size)
    if k == 0 or n == 0:
        return
    compiled = method == "power" and kernels.enabled()
    per_source = (2 * np.dtype(dtype).itemsize + 8) * n if compiled else 6 * 8 * n
    chunk = max(1, min(k, int(memory_budget_bytes) // per_source))
    factor = None
    if method == "exact":
        system = sp.identity(n, format="csc") - damping * walk.backward.tocsc()
        factor = spla.splu(sp.csc_matrix(system))

    power = partial(
        ppr_power, walk, damping=damping, tol=tol, max_iter=max_iter, dtype=dtype, threads=threads
    )
    push = partial(ppr_push, walk, damping=damping, epsilon=epsilon)
    large = walk.adjacency.nnz >= PARALLEL_MIN_EDGES
    for start in range(0, k, chunk):
        block = sources[start : start + chunk]
        if method == "push":
            yield start, *_one_by_one(push, block, n)
            continue
        if method == "power" and large and block.size < BATCH_MIN_WIDTH:
            yield start, *_one_by_one(power, block, n)
            continue
        if compiled:
            scores, used = _batch_power_compiled(
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
            yield start, _renormalise(factor.solve(teleport)).T, 0
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
    ):
        result[start : start + block.shape[0]] = block
        iterations = max(iterations, used)
    return result, iterations


def _batch_power_compiled(
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


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ParameterError(f"method must be one of {METHODS}, got {method!r}")
    return method


def _renormalise(values: np.ndarray) -> np.ndarray:
    """Divide by the (column) sum: removes rounding drift, and the scale of exact solves."""
    values = np.asarray(values, dtype=np.float64)
    np.maximum(values, 0.0, out=values)
    total = values.sum(axis=0)
    return values / np.where(total > 0, total, 1.0)
