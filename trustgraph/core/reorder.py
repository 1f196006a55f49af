"""Locality orderings of a graph's nodes, and the CSR renumbering that applies one.

A sparse product ``P.T @ x`` gathers ``x[j]`` for every stored entry; numbering nodes so
that the entries of nearby rows name nearby columns keeps those gathers in cache. Two
classic orderings are offered: by degree (hubs, whose scores are gathered most often,
packed together at the front) and reverse Cuthill-McKee (breadth-first levels from a
peripheral node, which narrows the band of the symmetrised pattern).

:func:`trustgraph.core.solvers.transition` takes ``reorder=`` to run the power iteration
in such an order (scores come back in the graph's order). It is off by default: an
ordering pays only when the score vector outgrows the last-level cache and one walk serves
many solves (``benchmarks/bench_floor.py``; numbers in docs/scale.md).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import reverse_cuthill_mckee

from trustgraph.exceptions import ParameterError

__all__ = ["ORDERINGS", "check_ordering", "in_graph_order", "locality_order", "permute_csr"]

#: Names accepted by :func:`locality_order`.
ORDERINGS = ("none", "degree", "rcm")


def check_ordering(name: str | None) -> str | None:
    """`name` if it is one of :data:`ORDERINGS` (None for ``"none"``), else ParameterError.

    Examples
    --------
    >>> check_ordering("rcm"), check_ordering("none"), check_ordering(None)
    ('rcm', None, None)
    """
    if name is None or name == "none":
        return None
    if name not in ORDERINGS:
        raise ParameterError(f"reorder must be one of {ORDERINGS} or None, got {name!r}")
    return name


def in_graph_order(values: np.ndarray, order: np.ndarray | None) -> np.ndarray:
    """Rows of `values`, numbered by `order` (``order[new] = old``), back in the old order.

    Examples
    --------
    >>> in_graph_order(np.array([10.0, 20.0, 30.0]), np.array([2, 0, 1])).tolist()
    [20.0, 30.0, 10.0]
    """
    if order is None:
        return values
    restored = np.empty_like(values)
    restored[order] = values
    return restored


def locality_order(adjacency: sp.csr_array, name: str | None) -> np.ndarray | None:
    """The node order `name` gives a square CSR pattern: ``order[new] = old``.

    Parameters
    ----------
    adjacency : scipy.sparse.csr_array
        Square; only its pattern is used (stored zeros count as edges).
    name : {"none", "degree", "rcm"} or None
        ``"degree"``: by stored in- plus out-entries, largest first, ties in node order.
        ``"rcm"``: reverse Cuthill-McKee on the pattern of ``A + A.T`` (scipy's
        :func:`~scipy.sparse.csgraph.reverse_cuthill_mckee`). ``"none"`` or None: no order.

    Returns
    -------
    numpy.ndarray of int or None
        A permutation of ``range(n)``; None for ``"none"``.

    Raises
    ------
    ParameterError
        If `name` is not one of :data:`ORDERINGS`.

    References
    ----------
    .. [1] E. Cuthill, J. McKee, "Reducing the bandwidth of sparse symmetric matrices",
       Proc. 24th ACM National Conference (1969).

    Examples
    --------
    Three nodes pointing at node 2 put the hub first:

    >>> A = sp.csr_array((np.ones(3), ([0, 1, 3], [2, 2, 2])), shape=(4, 4))
    >>> locality_order(A, "degree").tolist()
    [2, 0, 1, 3]
    >>> sorted(locality_order(A, "rcm").tolist()), locality_order(A, None)
    ([0, 1, 2, 3], None)
    """
    name = check_ordering(name)
    if name is None:
        return None
    n = adjacency.shape[0]
    if name == "degree":
        degree = np.diff(adjacency.indptr) + np.bincount(adjacency.indices, minlength=n)
        return np.argsort(-degree, kind="stable")
    pattern = sp.csr_array(
        (np.ones(adjacency.nnz, dtype=np.int8), adjacency.indices, adjacency.indptr),
        shape=adjacency.shape,
    )
    symmetric = (pattern + pattern.T).tocsr()
    return reverse_cuthill_mckee(symmetric, symmetric_mode=True).astype(np.int64)


def permute_csr(matrix: sp.csr_array, order: np.ndarray) -> sp.csr_array:
    """``matrix[order][:, order]`` with sorted rows, stored zeros kept, index dtype kept.

    Row ``i`` of the result is row ``order[i]`` of `matrix`, its columns renamed by the
    inverse permutation and sorted. Undo on a vector ``y`` of the renumbered nodes with
    ``out[order] = y``.

    Examples
    --------
    >>> M = sp.csr_array(np.array([[0.0, 2.0, 0.0], [0.0, 0.0, 3.0], [4.0, 0.0, 0.0]]))
    >>> order = np.array([2, 0, 1])
    >>> permute_csr(M, order).toarray().tolist()
    [[0.0, 4.0, 0.0], [0.0, 0.0, 2.0], [3.0, 0.0, 0.0]]
    >>> bool((permute_csr(M, order).toarray() == M.toarray()[order][:, order]).all())
    True
    """
    n = matrix.shape[0]
    index = matrix.indices.dtype
    inverse = np.empty(n, dtype=index)
    inverse[order] = np.arange(n, dtype=index)
    counts = np.diff(matrix.indptr)[order]
    indptr = np.zeros(n + 1, dtype=matrix.indptr.dtype)
    np.cumsum(counts, out=indptr[1:])
    # Positions of the entries of the renumbered rows, in the old arrays: one run per row.
    starts = np.repeat(matrix.indptr[:-1][order] - indptr[:-1], counts)
    positions = starts + np.arange(indptr[-1], dtype=starts.dtype)
    permuted = sp.csr_array(
        (matrix.data[positions], inverse[matrix.indices[positions]], indptr),
        shape=matrix.shape,
    )
    permuted.sort_indices()
    return permuted
