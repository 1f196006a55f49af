"""Seed (teleport) vectors and conversion of score arrays back to node-keyed dicts."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

import numpy as np

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import SeedError

__all__ = ["scores_to_dict", "seed_vector", "uniform_vector"]


def seed_vector(
    cg: CompactGraph,
    seeds: Iterable[Hashable] | Mapping[Hashable, float],
    *,
    name: str = "seeds",
) -> np.ndarray:
    """Probability vector over the graph's nodes from seeds.

    Parameters
    ----------
    cg : CompactGraph
    seeds : iterable of nodes or mapping of node to non-negative weight
        An iterable gives every seed the same weight (repeats do not add weight).
    name : str
        How the argument is called in error messages.

    Returns
    -------
    numpy.ndarray
        Length ``cg.n_nodes``, non-negative, summing to one.

    Raises
    ------
    SeedError
        Empty seeds, a seed not in the graph, a negative or non-finite weight, or weights
        summing to zero.

    Examples
    --------
    >>> from trustgraph.core.compact import CompactGraph
    >>> cg = CompactGraph.from_edges(["a", "b"], ["b", "c"])
    >>> seed_vector(cg, {"a": 1, "c": 3}).tolist()
    [0.25, 0.0, 0.75]
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, (Iterable, Mapping)):
        if seeds in cg:
            seeds = [seeds]
        else:
            raise SeedError(f"{name} must be an iterable or mapping of nodes, got {seeds!r}")
    items = (
        seeds.items() if isinstance(seeds, Mapping) else ((s, 1.0) for s in dict.fromkeys(seeds))
    )
    vector = np.zeros(cg.n_nodes, dtype=np.float64)
    count = 0
    missing = []
    for node, weight in items:
        count += 1
        if node not in cg:
            missing.append(node)
            continue
        try:
            value = float(weight)
        except (TypeError, ValueError):
            raise SeedError(f"{name}: weight of {node!r} is not a number: {weight!r}") from None
        if not math.isfinite(value) or value < 0:
            raise SeedError(f"{name}: weight of {node!r} must be finite and >= 0, got {weight!r}")
        vector[cg.index[node]] += value
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise SeedError(f"{name} not in the graph: {shown}{more}")
    if count == 0:
        raise SeedError(f"{name} is empty; give at least one node")
    total = vector.sum()
    if total <= 0:
        raise SeedError(f"{name} weights sum to zero")
    return vector / total


def uniform_vector(n: int) -> np.ndarray:
    """The uniform distribution over `n` nodes."""
    return np.full(n, 1.0 / n) if n else np.zeros(0)


def scores_to_dict(cg: CompactGraph, values: np.ndarray) -> dict[Hashable, float]:
    """``{node: float}`` for every node, in the graph's node order."""
    return dict(zip(cg.nodes, np.asarray(values, dtype=np.float64).tolist()))
