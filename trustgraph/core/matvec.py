"""The threaded sparse product of the power iterations: ``out = A @ x`` on row blocks."""

from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse as sp

from trustgraph.core.csr import row_block
from trustgraph.core.threads import shared_pool

__all__ = ["PARALLEL_MIN_EDGES", "MatVec"]

#: Graphs with fewer stored edges than this run single-threaded (thread hand-off costs more).
PARALLEL_MIN_EDGES = 200_000


class MatVec:
    """``out = A @ x`` for a CSR matrix, written into `out`, on row blocks in threads.

    The matrix is split into `threads` blocks of consecutive rows holding about the same
    number of stored entries; each block's product runs in scipy's compiled kernel, which
    releases the GIL, so the blocks run in parallel. Every row's dot product is computed in
    the same order whatever the split, so the result is bit-identical to one thread. Each
    block is a ``csr_array`` over a slice of the matrix's own arrays (no copy).

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
        # One csr_array per row block, sharing the arrays above: built once, used each step.
        self._rows = {rows: self._row_block(rows) for rows in self.blocks}

    def _row_block(self, rows: tuple[int, int]) -> sp.csr_array:
        return row_block(self.indptr, self.indices, self.data, rows, self.shape[1])

    def block(self, bounds: tuple[int, int], x: np.ndarray, out: np.ndarray) -> None:
        """Rows ``lo:hi`` of the product, written into ``out[lo:hi]``."""
        rows = self._rows.get(bounds)
        if rows is None:
            rows = self._row_block(bounds)
        # scipy's product returns a new array of the block's rows; copying it into `out`
        # costs a pass over n values against one over the block's entries.
        np.copyto(out[bounds[0] : bounds[1]], rows @ x)

    def __call__(self, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        if len(self.blocks) <= 1:
            self.block((0, self.shape[0]), x, out)
        else:
            list(shared_pool(len(self.blocks)).map(lambda b: self.block(b, x, out), self.blocks))
        return out
