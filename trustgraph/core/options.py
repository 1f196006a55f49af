"""Checks of the solver options shared by every iterative solver: dtype, threads, method."""

from __future__ import annotations

import os

import numpy as np

from trustgraph.exceptions import ParameterError

__all__ = [
    "DTYPES",
    "FLOAT32_MIN_TOL",
    "MAX_DEFAULT_THREADS",
    "METHODS",
    "check_dtype",
    "check_method",
    "check_threads",
    "default_threads",
    "effective_tol",
    "lazy_to_nonlazy_damping",
]

METHODS = ("auto", "power", "exact", "push")

#: Floating-point types the iterative solvers accept for ``dtype=``.
DTYPES = (np.float64, np.float32)

#: With ``dtype=float32`` a smaller `tol` is raised to this: the L1 rounding noise of a
#: float32 probability vector is about 1e-7, so a smaller change might never be observed.
FLOAT32_MIN_TOL = 1e-6


#: ``threads=None`` uses ``min(os.cpu_count(), MAX_DEFAULT_THREADS)`` threads.
MAX_DEFAULT_THREADS = 4


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


def check_method(method: str) -> str:
    """Validate ``method=`` (one of :data:`METHODS`)."""
    if method not in METHODS:
        raise ParameterError(f"method must be one of {METHODS}, got {method!r}")
    return method


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
