"""Boundary checks shared by every algorithm; each message names the offending value."""

from __future__ import annotations

import math

import numpy as np

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import GraphError, ParameterError

__all__ = [
    "check_damping",
    "check_max_iter",
    "check_nonempty",
    "check_tol",
    "check_weights",
]


def check_damping(damping: float, *, name: str = "damping") -> float:
    """`damping` must lie in [0, 1): the probability of following an edge."""
    try:
        value = float(damping)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number in [0, 1), got {damping!r}") from None
    if not 0.0 <= value < 1.0:
        raise ParameterError(f"{name} must be in [0, 1), got {damping!r}")
    return value


def check_tol(tol: float) -> float:
    value = float(tol)
    if not (value > 0.0 and math.isfinite(value)):
        raise ParameterError(f"tol must be a positive finite number, got {tol!r}")
    return value


def check_max_iter(max_iter: int) -> int:
    if isinstance(max_iter, bool) or int(max_iter) != max_iter or max_iter < 1:
        raise ParameterError(f"max_iter must be a positive integer, got {max_iter!r}")
    return int(max_iter)


def check_nonempty(cg: CompactGraph, *, what: str = "this algorithm") -> None:
    if cg.n_nodes == 0:
        raise GraphError(f"{what} needs at least one node; the graph is empty")


def check_weights(cg: CompactGraph, *, allow_negative: bool = False) -> None:
    """Reject NaN or infinite weights, and negative ones unless `allow_negative`.

    The message names the first offending edge, so a user can find it in their file.
    """
    w = cg.weights
    bad = ~np.isfinite(w)
    if bad.any():
        u, v = _edge_at(cg, int(np.flatnonzero(bad)[0]))
        value = float(w[bad][0])
        raise GraphError(f"edge {u!r} -> {v!r} has weight {value!r}; weights must be finite")
    if not allow_negative:
        negative = w < 0
        if negative.any():
            i = int(np.flatnonzero(negative)[0])
            u, v = _edge_at(cg, i)
            raise GraphError(
                f"edge {u!r} -> {v!r} has negative weight {float(w[i])!r}; this algorithm takes "
                "non-negative trust only (drop or rescale distrust edges explicitly, or use a "
                "signed algorithm)"
            )


def _edge_at(cg: CompactGraph, position: int) -> tuple[object, object]:
    row = int(np.searchsorted(cg.adjacency.indptr, position, side="right") - 1)
    col = int(cg.adjacency.indices[position])
    return cg.nodes[row], cg.nodes[col]
