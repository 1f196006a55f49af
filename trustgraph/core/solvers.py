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

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ConvergenceError, ParameterError

__all__ = [
    "EXACT_MAX_NODES",
    "SolverResult",
    "Transition",
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


@dataclass(frozen=True)
class Transition:
    """The walk's transition structure, built once per graph.

    Attributes
    ----------
    forward : scipy.sparse.csr_array
        Row-stochastic ``P`` (rows of dangling nodes are empty); zero weights dropped.
    backward : scipy.sparse.csr_array
        ``P.T`` in CSR form, for fast ``P.T @ x`` products.
    dangling : numpy.ndarray of bool
        Nodes without an out-edge of positive weight.
    """

    forward: sp.csr_array
    backward: sp.csr_array
    dangling: np.ndarray

    @property
    def n(self) -> int:
        return int(self.dangling.size)


def transition(cg: CompactGraph) -> Transition:
    """Row-normalise the positive weights of `cg` (weights must already be validated).

    Examples
    --------
    >>> from trustgraph.core.compact import CompactGraph
    >>> cg = CompactGraph.from_edges(["a", "a", "b"], ["b", "c", "c"], [3.0, 1.0, 0.0])
    >>> t = transition(cg)
    >>> t.forward.toarray().tolist()
    [[0.0, 0.75, 0.25], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    >>> t.dangling.tolist()
    [False, True, True]
    """
    adjacency = cg.adjacency.copy()
    adjacency.eliminate_zeros()
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    dangling = strength <= 0
    inverse = np.divide(1.0, strength, out=np.zeros_like(strength), where=~dangling)
    counts = np.diff(adjacency.indptr)
    data = adjacency.data * np.repeat(inverse, counts)
    forward = sp.csr_array((data, adjacency.indices, adjacency.indptr), shape=adjacency.shape)
    backward = sp.csr_array(forward.T)
    return Transition(forward=forward, backward=backward, dangling=dangling)


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


def ppr_power(
    walk: Transition,
    teleport: np.ndarray,
    *,
    damping: float,
    tol: float,
    max_iter: int,
) -> SolverResult:
    """Power iteration until the absolute L1 change drops below `tol`.

    `teleport` may be a vector (one solve) or an ``(n, k)`` matrix whose columns are solved
    together (each column is a probability vector; dangling mass returns to its own column).

    Raises
    ------
    ConvergenceError
        After `max_iter` iterations without meeting `tol` (with ``.iterations`` and
        ``.residual``; the worst column's change for a matrix).
    """
    dangling = np.flatnonzero(walk.dangling)
    has_dangling = dangling.size > 0
    # A seed vector is usually sparse: add the restart mass on its support only.
    support = np.flatnonzero(teleport) if teleport.ndim == 1 else slice(None)
    seed_mass = teleport[support]
    current = teleport.copy()
    spread = np.empty_like(current)
    residual = np.inf
    for iteration in range(1, max_iter + 1):
        # next = damping * P.T @ x + (1 - damping + damping * dangling_mass) * s, computed
        # into preallocated buffers; only the sparse product allocates a full array.
        np.multiply(walk.backward @ current, damping, out=spread)
        comeback = 1.0 - damping
        if has_dangling:
            comeback = comeback + damping * current[dangling].sum(axis=0)
        spread[support] += comeback * seed_mass
        np.subtract(spread, current, out=current)
        np.abs(current, out=current)
        residual = float(current.sum(axis=0).max()) if current.size else 0.0
        current, spread = spread, current
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
    forward = walk.forward
    indptr = forward.indptr
    indices = forward.indices
    probability = forward.data
    threshold = epsilon * np.maximum(np.diff(indptr), 1).astype(np.float64)
    seeds = np.flatnonzero(teleport)
    seed_mass = teleport[seeds]
    estimate = np.zeros(n)
    residual = teleport.astype(np.float64).copy()
    restart = 1.0 - damping
    queued = np.zeros(n, dtype=bool)
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
        start, stop = indptr[u], indptr[u + 1]
        if start == stop:
            targets = seeds
            residual[targets] += damping * mass * seed_mass
        else:
            targets = indices[start:stop]
            residual[targets] += damping * mass * probability[start:stop]
        pushes += 1
        fresh = targets[(residual[targets] >= threshold[targets]) & ~queued[targets]]
        if fresh.size:
            queued[fresh] = True
            queue.extend(fresh.tolist())
    left = float(residual.sum())
    return SolverResult(_renormalise(estimate), "push", pushes, left)


def solve_ppr(
    walk: Transition,
    teleport: np.ndarray,
    *,
    damping: float,
    tol: float,
    max_iter: int,
    method: str,
    epsilon: float = 1e-6,
) -> SolverResult:
    """Dispatch on `method` (``"auto"``, ``"power"``, ``"exact"``, ``"push"``).

    ``"auto"`` solves exactly up to :data:`EXACT_MAX_NODES` nodes and by power iteration
    above; it never picks the approximate push.
    """
    method = _check_method(method)
    if method == "auto":
        method = "exact" if walk.n <= EXACT_MAX_NODES else "power"
    if method == "exact":
        return ppr_exact(walk, teleport, damping=damping)
    if method == "power":
        return ppr_power(walk, teleport, damping=damping, tol=tol, max_iter=max_iter)
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
) -> Iterator[tuple[int, np.ndarray, int]]:
    """PPR from single sources, chunk by chunk: yields ``(first_row, block, iterations)``.

    ``block`` has shape ``(chunk, n)``; its row ``j`` is the PPR of
    ``sources[first_row + j]``. Chunks are sized so that the working arrays (about six
    ``n x chunk`` float arrays) fit `memory_budget_bytes`; a caller that sparsifies each
    block keeps the whole computation within the budget.
    """
    method = _check_method(method)
    if method == "auto":
        method = "exact" if walk.n <= EXACT_MAX_NODES else "power"
    n = walk.n
    k = int(sources.size)
    if k == 0 or n == 0:
        return
    chunk = max(1, min(k, int(memory_budget_bytes) // (6 * 8 * n)))
    factor = None
    if method == "exact":
        system = sp.identity(n, format="csc") - damping * walk.backward.tocsc()
        factor = spla.splu(sp.csc_matrix(system))
    for start in range(0, k, chunk):
        block = sources[start : start + chunk]
        if method == "push":
            rows = np.empty((block.size, n))
            pushes = 0
            for offset, source in enumerate(block.tolist()):
                teleport = np.zeros(n)
                teleport[source] = 1.0
                solved = ppr_push(walk, teleport, damping=damping, epsilon=epsilon)
                rows[offset] = solved.scores
                pushes = max(pushes, solved.iterations)
            yield start, rows, pushes
            continue
        teleport = np.zeros((n, block.size))
        teleport[block, np.arange(block.size)] = 1.0
        if factor is not None:
            yield start, _renormalise(factor.solve(teleport)).T, 0
        else:
            solved = ppr_power(walk, teleport, damping=damping, tol=tol, max_iter=max_iter)
            yield start, solved.scores.T, solved.iterations


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
    ):
        result[start : start + block.shape[0]] = block
        iterations = max(iterations, used)
    return result, iterations


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
