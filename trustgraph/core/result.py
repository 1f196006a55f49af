"""The result of one PPR solve, and the final renormalisation every solver applies."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SolverResult", "renormalise"]


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


def renormalise(values: np.ndarray) -> np.ndarray:
    """Divide by the (column) sum: removes rounding drift, and the scale of exact solves.

    Negative rounding noise is clipped to zero first; a zero column stays zero.

    Examples
    --------
    >>> renormalise(np.array([2.0, -1e-18, 6.0])).tolist()
    [0.25, 0.0, 0.75]
    """
    values = np.asarray(values, dtype=np.float64)
    np.maximum(values, 0.0, out=values)
    total = values.sum(axis=0)
    return values / np.where(total > 0, total, 1.0)
