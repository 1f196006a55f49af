"""What the random-walk metrics share: the solve, the validation and the docstring blocks.

Every public random-walk function (:mod:`trustgraph.algorithms.random_walk`,
:mod:`trustgraph.algorithms.ppr_matrix`) takes the same keyword options. Each option is
documented once here, in :data:`PARAMETERS`, and :func:`shared_doc` writes the blocks a
function names into its docstring when it is defined, so a change of meaning is made in one
place and every docstring (and ``help()``) shows the full text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

import networkx as nx
import numpy as np

from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.solvers import solve_ppr, transition
from trustgraph.core.validate import check_damping, check_max_iter, check_tol, check_weights
from trustgraph.core.vectors import scores_to_dict

__all__ = [
    "GraphLike",
    "Progress",
    "Seeds",
    "check_solver_args",
    "prepare",
    "shared_doc",
    "solve",
    "solve_array",
]

Seeds = Iterable[Hashable] | Mapping[Hashable, float]
GraphLike = nx.Graph | CompactGraph
Progress = Callable[[int, float], None]
F = TypeVar("F", bound=Callable[..., object])

#: Numpydoc entries of the shared keyword options, in signature order.
PARAMETERS: dict[str, str] = {
    "G": """\
G : networkx graph or CompactGraph
    Edge ``u -> v`` means u trusts v; undirected edges count in both directions.""",
    "seeds": """\
seeds : iterable of nodes or mapping of node to non-negative weight
    The teleport distribution (normalised to sum to one); dangling mass returns here.""",
    "damping": """\
damping : float, default 0.85
    Probability of following an edge, in [0, 1).""",
    "weight": """\
weight : str or None, default "weight"
    Edge attribute holding the tie strength; ``None`` gives every edge weight 1.
    Zero-weight edges are ignored.""",
    "tol": """\
tol : float, default 1e-10
    Absolute L1 change between power iterations at which to stop (the exact solver meets
    it by construction).""",
    "max_iter": """\
max_iter : int, default 1000
    Power iterations allowed before :class:`~trustgraph.ConvergenceError`.""",
    "method": """\
method : {"auto", "power", "exact", "push"}, default "auto"
    ``"power"``: power iteration. ``"exact"``: sparse direct solve (small graphs).
    ``"push"``: Andersen-Chung-Lang forward push, *approximate*, only for seeded walks (see
    :func:`~trustgraph.algorithms.random_walk.personalized_pagerank`).
    ``"auto"``: exact up to 2,000 nodes, power above; never push.""",
    "epsilon": """\
epsilon : float, default 1e-6
    Push threshold (``method="push"`` only).""",
    "dtype": """\
dtype : numpy.float64 or numpy.float32, default float64
    Arithmetic of power iteration. float32 is faster (half the memory traffic) and agrees
    with float64 to about 1e-6 per score; with it a `tol` below 1e-6 is raised to 1e-6,
    because float32 rounding makes smaller L1 changes unobservable. Scores are returned as
    Python floats either way.""",
    "threads": """\
threads : int, optional
    Threads for the sparse products of power iteration (row blocks of the matrix); default
    ``min(os.cpu_count(), 4)``. Results do not depend on it.""",
    "progress": """\
progress : callable, optional
    Called as ``progress(iteration, l1_change)`` after every power iteration (for progress
    bars on large graphs); not called by the exact and push solvers.""",
}

#: Named lists of parameters, so that one marker line stays short.
GROUPS: dict[str, tuple[str, ...]] = {
    "seeded": (
        "G",
        "seeds",
        "damping",
        "weight",
        "tol",
        "max_iter",
        "method",
        "epsilon",
        "dtype",
        "threads",
        "progress",
    ),
    "global": (
        "G",
        "damping",
        "weight",
        "tol",
        "max_iter",
        "method",
        "dtype",
        "threads",
        "progress",
    ),
    "solver": ("tol", "max_iter", "method", "epsilon", "dtype", "threads", "progress"),
}

#: Other blocks a docstring may pull in with ``{name}`` on a line of its own.
BLOCKS: dict[str, str] = {
    "raises": """\
SeedError
    Empty or unknown seeds, negative or zero-sum seed weights.
GraphError
    Negative or NaN weights (signed input is rejected: distrust is never walked as trust).
ParameterError
    `damping` outside [0, 1), bad `tol`, `max_iter`, `method` or `epsilon`.
ConvergenceError
    Power iteration did not meet `tol` within `max_iter` (``.iterations``, ``.residual``).""",
    "self_loops": """\
Self-loops are walk edges like any other (as in networkx and igraph): a loop ``u -> u``
keeps its weight's share of u's mass at u.""",
}

_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)\{(?P<name>[a-z_]+)(?::(?P<args>[a-zA-Z_, ]+))?\}$", re.M
)


def _indented(text: str, indent: str) -> str:
    return "\n".join(indent + line if line else line for line in text.splitlines())


def _expand(match: re.Match[str]) -> str:
    name, args, indent = match["name"], match["args"], match["indent"]
    if name == "parameters":
        names = [a.strip() for a in (args or "").split(",") if a.strip()]
        names = [part for n in names for part in GROUPS.get(n, (n,))]
        unknown = [n for n in names if n not in PARAMETERS]
        if unknown:
            raise KeyError(f"no shared parameter block {unknown}")
        return _indented("\n".join(PARAMETERS[n] for n in names), indent)
    if name in BLOCKS:
        return _indented(BLOCKS[name], indent)
    return match.group(0)


def shared_doc(function: F) -> F:
    """Fill the ``{parameters: a, b}`` and ``{block}`` marker lines of a docstring.

    A marker stands alone on its line; the blocks inherit its indentation, so the result
    is ordinary numpydoc for ``help()``, Sphinx and doctest alike.
    """
    if function.__doc__:
        function.__doc__ = _MARKER.sub(_expand, function.__doc__)
    return function


def prepare(G: GraphLike, weight: str | None) -> CompactGraph:
    """The CSR snapshot of `G` with its weights checked (finite, non-negative)."""
    cg = as_compact(G, weight=weight)
    check_weights(cg)
    return cg


def check_solver_args(damping: float, tol: float, max_iter: int) -> tuple[float, float, int]:
    """Validated ``(damping, tol, max_iter)``; raises ParameterError with the bad value."""
    return check_damping(damping), check_tol(tol), check_max_iter(max_iter)


def solve_array(
    cg: CompactGraph,
    teleport: np.ndarray,
    damping: float,
    tol: float,
    max_iter: int,
    method: str,
    epsilon: float,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Progress | None = None,
) -> np.ndarray:
    """The stationary walk with restart to `teleport` (dangling mass to `teleport` too)."""
    damping, tol, max_iter = check_solver_args(damping, tol, max_iter)
    result = solve_ppr(
        transition(cg),
        teleport,
        damping=damping,
        tol=tol,
        max_iter=max_iter,
        method=method,
        epsilon=float(epsilon),
        dtype=dtype,
        threads=threads,
        progress=progress,
    )
    return result.scores


def solve(
    cg: CompactGraph,
    teleport: np.ndarray,
    damping: float,
    tol: float,
    max_iter: int,
    method: str,
    epsilon: float,
    dtype: type = np.float64,
    threads: int | None = None,
    progress: Progress | None = None,
) -> dict[Hashable, float]:
    """:func:`solve_array` as a node -> score dict."""
    scores = solve_array(
        cg, teleport, damping, tol, max_iter, method, epsilon, dtype, threads, progress
    )
    return scores_to_dict(cg, scores)
