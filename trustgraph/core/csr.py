"""Small CSR helpers on scipy's public API, shared by graph building and the solvers."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["csr_from_sorted", "index_dtype", "narrow_indices", "row_block", "rows_of"]


def index_dtype(n: int) -> type:
    """int32 when `n` (a node or edge count) fits in it: half the memory of int64.

    Examples
    --------
    >>> index_dtype(10), index_dtype(2**40)
    (<class 'numpy.int32'>, <class 'numpy.int64'>)
    """
    return np.int32 if n < np.iinfo(np.int32).max else np.int64


def rows_of(indptr: np.ndarray, dtype: Any) -> np.ndarray:
    """The row of every stored entry of a CSR row pointer.

    Examples
    --------
    >>> rows_of(np.array([0, 2, 2, 3]), np.int32).tolist()
    [0, 0, 2]
    """
    n = indptr.size - 1
    return np.repeat(np.arange(n, dtype=dtype), np.diff(indptr))


def csr_from_sorted(
    data: np.ndarray, rows_sorted: np.ndarray, cols_sorted: np.ndarray, n: int
) -> sp.csr_array:
    """CSR array from row-sorted edges, keeping stored zeros.

    scipy needs one index dtype for ``indices`` and ``indptr``; int32 whenever it fits keeps
    a graph at 12 bytes per edge plus the row pointer.

    Examples
    --------
    >>> a = csr_from_sorted(np.array([1.0, 0.0]), np.array([0, 1]), np.array([1, 0]), 2)
    >>> a.toarray().tolist(), a.nnz
    ([[0.0, 1.0], [0.0, 0.0]], 2)
    """
    dtype = index_dtype(max(n, rows_sorted.size))
    indptr = np.zeros(n + 1, dtype=dtype)
    np.cumsum(np.bincount(rows_sorted, minlength=n), out=indptr[1:])
    return sp.csr_array((data, cols_sorted.astype(dtype, copy=False), indptr), shape=(n, n))


def narrow_indices(adjacency: sp.csr_array) -> sp.csr_array:
    """Store int32 ``indices``/``indptr`` whenever they fit (4 bytes per edge, not 8)."""
    wanted = index_dtype(max(adjacency.shape[0], adjacency.nnz))
    if adjacency.indices.dtype == wanted and adjacency.indptr.dtype == wanted:
        return adjacency
    return sp.csr_array(
        (
            adjacency.data,
            adjacency.indices.astype(wanted),
            adjacency.indptr.astype(wanted),
        ),
        shape=adjacency.shape,
    )


def row_block(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, rows: tuple[int, int], n_cols: int
) -> sp.csr_array:
    """Rows ``lo:hi`` of a CSR structure as a ``csr_array`` sharing its memory.

    The block's ``indices`` and ``data`` are views of the given arrays (its row pointer is
    a shifted copy of ``indptr[lo:hi + 1]``, ``hi - lo + 1`` values), so ``block @ x``
    reads the matrix in place and ``block.sort_indices()`` sorts the given arrays. scipy's
    constructor copies a view shorter than half of its base array (to let the rest be
    freed); the block is pointed back at the views after the constructor's format check.

    Examples
    --------
    >>> A = sp.csr_array(np.array([[0.0, 2.0], [1.0, 3.0]]))
    >>> block = row_block(A.indptr, A.indices, A.data, (1, 2), 2)
    >>> (block @ np.array([1.0, 1.0])).tolist(), np.shares_memory(block.data, A.data)
    ([4.0], True)
    """
    lo, hi = rows
    start, stop = int(indptr[lo]), int(indptr[hi])
    pointers = np.subtract(indptr[lo : hi + 1], indptr[lo], dtype=indices.dtype)
    columns, values = indices[start:stop], data[start:stop]
    block = sp.csr_array((values, columns, pointers), shape=(hi - lo, n_cols), copy=False)
    block.indptr, block.indices, block.data = pointers, columns, values
    return block
