"""The local forward push (Andersen, Chung and Lang 2006): approximate PPR in time
independent of the graph's size, on the compiled kernel or a numpy loop."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from trustgraph.core import kernels
from trustgraph.core.result import SolverResult, renormalise
from trustgraph.exceptions import ParameterError

if TYPE_CHECKING:
    from trustgraph.core.solvers import Transition

__all__ = ["ppr_push"]


def ppr_push(
    walk: Transition,
    teleport: np.ndarray,
    *,
    damping: float,
    epsilon: float,
    compiled: bool | None = None,
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

    The loop runs compiled or in numpy as :func:`trustgraph.core.kernels.use_compiled`
    decides for `compiled`; both make the same pushes in the same order.

    References
    ----------
    R. Andersen, F. Chung and K. Lang, "Local graph partitioning using PageRank vectors",
    FOCS 2006.

    Examples
    --------
    A -> B with B dangling: B's mass returns to the seed A, so ``pi_A = 1 / (1 + damping)``.

    >>> from trustgraph.core.graph import CompactGraph
    >>> from trustgraph.core.solvers import transition
    >>> walk = transition(CompactGraph.from_edges(["A"], ["B"]))
    >>> pushed = ppr_push(walk, np.array([1.0, 0.0]), damping=0.85, epsilon=1e-10)
    >>> round(float(pushed.scores[0]), 6), round(1 / 1.85, 6)
    (0.540541, 0.540541)
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
    pushes = (
        kernels.push(*arguments) if kernels.use_compiled(compiled) else _push_python(*arguments)
    )
    left = float(residual.sum())
    return SolverResult(renormalise(estimate), "push", pushes, left)


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
