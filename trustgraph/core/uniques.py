"""Sorted distinct values of large integer arrays, found by hashing instead of sorting.

:func:`numpy.unique` sorts the whole array (``O(n log n)``; about 60 ms for a million
values here) even when it holds a few dozen distinct values, as the tie table's message
classes do. Arrow's dictionary encoding finds them in one hashing pass; only the distinct
values are then sorted. The results are :func:`numpy.unique`'s, item for item.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["unique", "unique_inverse"]

#: Below this size numpy's sort is as fast as a hashing pass and its set-up.
_HASH_MIN_SIZE = 1 << 16


def _hashed(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(distinct values in order of first appearance, index of each value, sort order
    of the distinct values)``."""
    encoded = pc.dictionary_encode(pa.array(np.ascontiguousarray(values)))
    table = encoded.dictionary.to_numpy(zero_copy_only=False)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    return table, indices, np.argsort(table, kind="stable")


def unique(values: np.ndarray) -> np.ndarray:
    """``numpy.unique(values)`` of a one-dimensional integer array.

    Examples
    --------
    >>> unique(np.array([3, 1, 3, 2] * 20_000)).tolist()
    [1, 2, 3]
    """
    values = np.asarray(values)
    if values.size < _HASH_MIN_SIZE or values.dtype.kind not in "iu" or values.ndim != 1:
        return np.unique(values)
    table, _, order = _hashed(values)
    return table[order]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``numpy.unique(values, return_inverse=True)`` of a one-dimensional integer array,
    the inverse flat.

    Examples
    --------
    >>> keys, inverse = unique_inverse(np.array([7, 5, 7, 9] * 20_000))
    >>> keys.tolist(), inverse[:4].tolist()
    ([5, 7, 9], [1, 0, 1, 2])
    """
    values = np.asarray(values)
    if values.size < _HASH_MIN_SIZE or values.dtype.kind not in "iu" or values.ndim != 1:
        found, inverse = np.unique(values, return_inverse=True)
        return found, inverse.ravel()
    table, indices, order = _hashed(values)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return table[order], rank[indices]
