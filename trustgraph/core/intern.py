"""Node labels to consecutive ids: the interning step of building a `CompactGraph`.

Ids follow first appearance in the interleaved endpoints ``u0, v0, u1, v1, ...`` (after any
explicitly given nodes), so graphs and results are deterministic. Four paths give the same
ids, chosen by the labels: a table over a dense integer range (numpy, or one compiled pass
when numba is already loaded), pyarrow's hash encoding for other large integer or string
columns, a stable sort for smaller sortable labels, and a dictionary for mixed labels.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from trustgraph.core import kernels
from trustgraph.core.csr import index_dtype
from trustgraph.core.threads import in_parallel


def _intern(labels: np.ndarray) -> tuple[list[Hashable], np.ndarray]:
    """Map labels to consecutive ids in order of first appearance.

    Returns the unique labels (as plain Python objects) and the id of every input label.
    A stable sort groups equal labels with their earliest occurrence first (``np.unique``
    would give sorted order, not first appearance, and costs more; docs/scale.md).
    """
    if labels.size == 0:
        return [], np.empty(0, dtype=np.int64)
    if labels.size >= _HASH_INTERN_MIN and labels.dtype.kind in "iu":
        dense = _intern_dense_ints(labels)
        if dense is not None:
            return dense[0].tolist(), dense[1][0]
    if labels.size >= _HASH_INTERN_MIN and labels.dtype.kind in "iuU":
        hashed = _intern_hashed(labels)
        if hashed is not None:
            return hashed
    if labels.dtype.kind in "iubfUS":
        order = np.argsort(labels, kind="stable")
        ordered = labels[order]
        is_first = np.empty(labels.size, dtype=bool)
        is_first[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=is_first[1:])
        group = np.cumsum(is_first) - 1
        first_position = order[is_first]
        rank = np.empty(first_position.size, dtype=np.int64)
        rank[np.argsort(first_position, kind="stable")] = np.arange(first_position.size)
        codes = np.empty(labels.size, dtype=np.int64)
        codes[order] = rank[group]
        return labels[np.sort(first_position)].tolist(), codes
    # Mixed or object labels cannot be sorted by numpy; a dict keeps first-appearance order.
    ids: dict[Hashable, int] = {}
    codes = np.fromiter(
        (ids.setdefault(label, len(ids)) for label in labels.tolist()),
        dtype=np.int64,
        count=labels.size,
    )
    return list(ids), codes


#: Label arrays at least this long are interned by hashing (pyarrow) when it is installed.
_HASH_INTERN_MIN = 100_000


def _intern_dense_ints(*columns: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]] | None:
    """`_intern` for integers spanning a range at most twice the label count.

    The labels are the `columns` interleaved (element ``i`` of column ``j`` comes at
    position ``i * len(columns) + j``: sources and targets of edges), read in place with no
    interleaved copy; one code array per column. A table over the range records each
    value's first position (``np.minimum.at``), so no hashing and no O(m log m) sort.
    ``None``
    when the range is too wide (sparse ids, ids beyond int64): the table would cost more
    memory than the labels.
    """
    k = len(columns)
    m = sum(column.size for column in columns)
    low = min(int(column.min()) for column in columns)
    high = max(int(column.max()) for column in columns)
    span = high - low + 1
    if span > 2 * m or high > np.iinfo(np.int64).max:
        return None
    # int32 positions and ids whenever they fit: half the memory traffic of int64.
    small = index_dtype(max(m, span))
    if k == 2 and m >= _COMPILED_INTERN_MIN and _compiled_intern_available():
        return _intern_pairs_compiled(columns[0], columns[1], low, span, small)
    first_position = np.full(span, m, dtype=small)
    shifted_columns = [np.empty(column.size, dtype=small) for column in columns]

    def shift(column: np.ndarray, shifted: np.ndarray) -> None:
        # Subtract in int64 (no overflow in narrow dtypes: the span is small), store narrow.
        np.subtract(column, np.int64(low), out=shifted, dtype=np.int64, casting="unsafe")

    in_parallel([lambda c=c, s=s: shift(c, s) for c, s in zip(columns, shifted_columns)], size=m)
    for j, shifted in enumerate(shifted_columns):
        np.minimum.at(first_position, shifted, np.arange(j, j + k * shifted.size, k, dtype=small))
    present = np.flatnonzero(first_position < m)
    # First positions are distinct, so an unstable (vectorised) sort gives the same order.
    by_appearance = present[np.argsort(first_position[present])]
    rank = np.empty(span, dtype=small)
    rank[by_appearance] = np.arange(by_appearance.size, dtype=small)
    values = (by_appearance + np.int64(low)).astype(columns[0].dtype, copy=False)
    # Codes overwrite the shifted values in place: no further label-sized allocation.
    in_parallel([lambda s=s: rank.take(s, out=s, mode="clip") for s in shifted_columns], size=m)
    return values, shifted_columns


#: Edge lists with at least this many endpoints are interned by the compiled loop (numba,
#: the ``[fast]`` extra) when numba is already loaded.
_COMPILED_INTERN_MIN = 1_000_000


def _compiled_intern_available() -> bool:
    """Whether numba is loaded already (by the kernels) and not switched off.

    Loading is never the reason to import numba: the import takes about 0.3 s and some
    100 MB of resident memory (10 bytes per edge of a 10M-edge graph), more than the
    compiled loop saves on one load.
    """
    return "numba" in sys.modules and kernels.enabled()


@functools.cache
def _intern_pairs_kernel() -> Callable[..., int]:
    """The compiled first-appearance loop (compiled once, cached on disk by numba)."""
    import numba

    @numba.njit(cache=True, nogil=True)
    def intern_pairs(sources, targets, low, table, source_codes, target_codes, labels):
        # pragma: no cover - compiled
        # One pass in the interleaved order u0, v0, u1, v1, ...: a value seen for the first
        # time gets the next id, so ids follow first appearance without sorting.
        count = 0
        for i in range(sources.size):
            slot = sources[i] - low
            code = table[slot]
            if code < 0:
                code = count
                table[slot] = code
                labels[code] = sources[i]
                count += 1
            source_codes[i] = code
            slot = targets[i] - low
            code = table[slot]
            if code < 0:
                code = count
                table[slot] = code
                labels[code] = targets[i]
                count += 1
            target_codes[i] = code
        return count

    return intern_pairs


def _intern_pairs_compiled(
    sources: np.ndarray, targets: np.ndarray, low: int, span: int, small: Any
) -> tuple[np.ndarray, list[np.ndarray]]:
    """`_intern_dense_ints` of (sources, targets) by one compiled pass: the same labels
    and codes, without the scatter-min, sort and gathers of the numpy version."""
    table = np.full(span, -1, dtype=small)
    source_codes = np.empty(sources.size, dtype=small)
    target_codes = np.empty(targets.size, dtype=small)
    dtype = np.result_type(sources.dtype, targets.dtype)
    labels = np.empty(span, dtype=dtype)
    count = _intern_pairs_kernel()(
        sources, targets, dtype.type(low), table, source_codes, target_codes, labels
    )
    return labels[:count].copy(), [source_codes, target_codes]


def _intern_endpoints(
    src: np.ndarray, dst: np.ndarray, nodes: Sequence[Hashable] | None
) -> tuple[list[Hashable], np.ndarray, np.ndarray]:
    """Intern edge endpoints interleaved (u0, v0, u1, v1, ...) after the given `nodes`."""
    endpoints = np.empty(2 * src.size, dtype=np.result_type(src.dtype, dst.dtype))
    endpoints[0::2] = src
    endpoints[1::2] = dst
    if nodes is not None:
        given = _as_label_array(list(nodes))
        labels, codes = _intern(np.concatenate([given, endpoints]))
        codes = codes[given.size :]
    else:
        labels, codes = _intern(endpoints)
    return labels, codes[0::2], codes[1::2]


def _intern_hashed(labels: np.ndarray) -> tuple[list[Hashable], np.ndarray] | None:
    """`_intern` by pyarrow's hash-based dictionary encoding: O(m), not O(m log m).

    Arrow numbers distinct values in order of first occurrence, the order we need.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    array = pa.array(labels)
    if isinstance(array, pa.ChunkedArray):
        # pyarrow converts a large numpy string array in chunks, each of which would get a
        # dictionary of its own; one numbering needs one array (large strings: no 2 GiB cap).
        if pa.types.is_string(array.type):
            array = array.cast(pa.large_string())
        array = array.combine_chunks()
    encoded = pc.dictionary_encode(array)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return encoded.dictionary.to_pylist(), codes


class _IntegerLabels:
    """Integer node labels handed to :class:`CompactGraph` as one array.

    The graph keeps the array (8 bytes a node) and builds its ``nodes`` tuple of Python
    ints (about 40 bytes a node) only when something asks for it: a 10M-edge graph
    loaded for a power iteration never does.
    """

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        self.array = array


def _as_label_array(values: Sequence[Hashable] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.ndim == 1:
        return values
    values = list(values)
    kinds = {type(v) for v in values}
    if kinds <= {int} or kinds <= {str}:
        # Homogeneous labels take numpy's fast path; np.asarray would turn [1, "a"] into
        # strings, so mixed labels stay objects.
        return np.asarray(values)
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def intern_edge_endpoints(
    src: np.ndarray, dst: np.ndarray, nodes: Sequence[Hashable] | None
) -> tuple[Sequence[Hashable] | _IntegerLabels, int, np.ndarray, np.ndarray]:
    """The node labels, their number and the row and column id of every edge.

    Integer endpoints without given `nodes` are interned in place (no interleaved copy)
    and their labels stay one array (:class:`_IntegerLabels`).

    Examples
    --------
    >>> labels, n, rows, cols = intern_edge_endpoints(
    ...     np.array(["x", "y"]), np.array(["y", "z"]), nodes=["z"])
    >>> labels, n, rows.tolist(), cols.tolist()
    (['z', 'x', 'y'], 3, [1, 2], [2, 0])
    """
    m = src.size
    if (
        nodes is None
        and 2 * m >= _HASH_INTERN_MIN
        and src.dtype == dst.dtype
        and src.dtype.kind in "iu"
    ):
        dense = _intern_dense_ints(src, dst)
        if dense is not None:
            label_array, (rows, cols) = dense
            if label_array.size and label_array.dtype.itemsize > 4:
                low, high = int(label_array.min()), int(label_array.max())
                if np.iinfo(np.int32).min <= low and high <= np.iinfo(np.int32).max:
                    label_array = label_array.astype(np.int32)  # 4 bytes a node, not 8
            return _IntegerLabels(label_array), label_array.size, rows, cols
    labels, rows, cols = _intern_endpoints(src, dst, nodes)
    return labels, len(labels), rows, cols
