"""Edge arrays to the canonical CSR form of a `CompactGraph`: sort, merge, attributes.

`build_from_edges` is the body of :meth:`CompactGraph.from_edges`: the endpoints are
interned (:mod:`trustgraph.core.intern`), undirected edges doubled, the edges sorted by
(row, column, input position) and repeated pairs merged by the documented rules.

The sort is scipy's COO-to-CSR conversion (a counting sort by row) followed by a per-row
sort of the columns, both through public scipy calls, O(m + sum d log d); ``np.lexsort``
(O(m log m), several times slower) is the reference path the tests compare it with.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from trustgraph.core.csr import csr_from_sorted, index_dtype, row_block, rows_of
from trustgraph.core.intern import _as_label_array, _IntegerLabels, intern_edge_endpoints
from trustgraph.core.threads import in_parallel
from trustgraph.exceptions import GraphError

__all__ = ["KNOWN_EDGE_ATTRS", "build_from_edges"]

#: Edge attributes with a documented meaning and a fixed merge rule for duplicate edges.
KNOWN_EDGE_ATTRS = (
    "sign",
    "count",
    "direct",
    "bulk",
    "active_months",
    "first_seen",
    "last_seen",
    "declared_only",
)

#: Message counts: repeated edges add them up.
_SUMMED_EDGE_ATTRS = frozenset({"count", "direct", "bulk"})

_DUPLICATE_RULES = ("sum", "max", "min", "first", "last", "error")


def _csr_order(rows: np.ndarray, cols: np.ndarray, n: int | None = None) -> np.ndarray:
    """The permutation that sorts edges by (row, column, input position)."""
    return _csr_sort(rows, cols, n)[0]


def _csr_sort(
    rows: np.ndarray, cols: np.ndarray, n: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """The permutation sorting edges by (row, column, input position), with the sorted
    rows and columns and the CSR row pointer (``None`` from the lexsort fallback): the
    sort computes them anyway, so no second gather or count is needed.
    """
    if n is None or rows.size < 2 or _coo_tocsr is None:
        order = np.lexsort((cols, rows))
        return order, rows[order], cols[order], None
    order, indices, indptr, _ = _csr_sort_pointer(rows, cols, n)
    return order, rows_of(indptr, indices.dtype), indices, indptr


def _coo_tocsr(
    n: int, rows: np.ndarray, cols: np.ndarray, payload: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges counted into the rows of an ``n x n`` CSR structure: the row pointer, the
    columns and the `payload` values, each row's edges in input order (columns unsorted).

    This is scipy's ``coo_array.tocsr()``. That call merges repeated (row, column) pairs
    unless the COO array says it has none; here every edge must survive (the duplicate
    rules apply later, and `payload` may be input positions, which must not be added), so
    the array is marked canonical. Nothing else reads the mark: the array is dropped, and
    the caller sorts the columns itself.
    """
    coo = sp.coo_array((payload, (rows, cols)), shape=(n, n), copy=False)
    coo.has_canonical_format = True
    csr = coo.tocsr()
    return csr.indptr, csr.indices, csr.data


def _sort_row_indices(indptr: np.ndarray, indices: np.ndarray, values: np.ndarray) -> None:
    """Sort each row's columns (with `values`) in place, the two halves of the edges on
    two threads for large graphs (``csr_array.sort_indices`` on two row blocks)."""
    n, m = indptr.size - 1, indices.size
    middle = int(np.searchsorted(indptr, m // 2))
    bounds = [(0, middle), (middle, n)] if 0 < middle < n else [(0, n)]
    blocks = [row_block(indptr, indices, values, rows, n) for rows in bounds]
    for block in blocks:
        # Never trust a cached flag: the rows are sorted here whatever scipy assumes.
        block.has_sorted_indices = False
    in_parallel([block.sort_indices for block in blocks], size=m)


def _csr_sort_pointer(
    rows: np.ndarray, cols: np.ndarray, n: int, carried: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Sort edges by (row, column, input position) into CSR form.

    Returns the permutation, the sorted columns (CSR ``indices``), the row pointer and a
    mask over adjacent pairs of sorted edges that is true where an edge repeats the
    (row, column) of the one before it (``None`` when no pair repeats, the common case:
    then nobody needs the sorted rows, which are never built).

    With `carried` (edge values, e.g. the weights) those values ride along the sort in
    place of the positions and come back sorted instead of the permutation: no separate
    gather. Inside a repeated pair their order is then arbitrary, so a caller that gets
    a mask back must sort again without `carried` when the order matters.

    scipy's compiled COO-to-CSR conversion (a counting sort by row) plus its per-row index
    sort does this in O(m + sum d log d), several times faster than ``np.lexsort``; the
    rare runs of repeated (row, column) pairs are then put back in input order, which the
    duplicate rules ``first``/``last`` rely on.
    """
    m = rows.size
    dtype = index_dtype(max(n, m))
    # Positions ride along as the "data" of the conversion; the index dtype (int32 when it
    # fits) halves the memory moved.
    payload = np.arange(m, dtype=dtype) if carried is None else np.ascontiguousarray(carried)
    indptr, indices, order = _coo_tocsr(
        n, rows.astype(dtype, copy=False), cols.astype(dtype, copy=False), payload
    )
    del payload
    _sort_row_indices(indptr, indices, order)
    if m < 2:
        return order, indices, indptr, None
    # Equal neighbouring columns repeat a pair unless a row starts between them; the row
    # pointer marks those starts, so the sorted rows are not needed for the test.
    same = indices[1:] == indices[:-1]
    starts = indptr[1:-1]
    same[starts[(starts > 0) & (starts < m)] - 1] = False
    if not same.any():
        return order, indices, indptr, None
    if carried is not None:
        return order, indices, indptr, same
    # The per-row sort is not stable: restore input order inside each repeated pair.
    run_starts = np.flatnonzero(np.concatenate([[True], ~same]))
    run = np.repeat(np.arange(run_starts.size), np.diff(np.append(run_starts, m)))
    involved = np.zeros(m, dtype=bool)
    involved[1:] |= same
    involved[:-1] |= same
    where = np.flatnonzero(involved)
    # Reordering inside runs of equal (row, column) leaves the sorted pairs unchanged.
    order[where] = order[where][np.lexsort((order[where], run[where]))]
    return order, indices, indptr, same


def _is_broadcast(values: np.ndarray) -> bool:
    """A read-only broadcast constant: the same value at every position, stored once."""
    return values.ndim == 1 and values.strides == (0,) and not values.flags.writeable


def _all_broadcast(attrs: Mapping[str, np.ndarray]) -> bool:
    return all(_is_broadcast(values) for values in attrs.values())


def _permuted(values: np.ndarray, order: np.ndarray) -> np.ndarray:
    """``values[order]``, without the gather when every value is the same."""
    if _is_broadcast(values):
        return values
    if values.size and values.dtype.kind in "biu" and bool(np.all(values == values[0])):
        return values.copy()
    return values[order]


def _merge_duplicates(
    rows: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
    attrs: dict[str, np.ndarray],
    rule: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray], int]:
    """Merge runs of equal (row, col) in sorted arrays; return the merged arrays and count."""
    if rows.size == 0:
        return rows, cols, weights, attrs, 0
    is_new = np.empty(rows.size, dtype=bool)
    is_new[0] = True
    np.not_equal(rows[1:], rows[:-1], out=is_new[1:])
    is_new[1:] |= cols[1:] != cols[:-1]
    n_merged = int(rows.size - np.count_nonzero(is_new))
    if n_merged == 0:
        return rows, cols, weights, attrs, 0
    if rule == "error":
        where = int(np.flatnonzero(~is_new)[0])
        raise GraphError(f"duplicate edge at position {where} (duplicates='error')")
    starts = np.flatnonzero(is_new)
    ends = np.append(starts[1:], rows.size) - 1

    def reduce(values: np.ndarray, how: str) -> np.ndarray:
        if how == "sum":
            return np.add.reduceat(values, starts)
        if how == "max":
            return np.maximum.reduceat(values, starts)
        if how == "min":
            return np.minimum.reduceat(values, starts)
        if how == "all":
            return np.logical_and.reduceat(values, starts)
        if how == "first":
            return values[starts]
        return values[ends]

    merged_weights = reduce(weights, rule)
    merged_attrs: dict[str, np.ndarray] = {}
    for name, values in attrs.items():
        if name in _SUMMED_EDGE_ATTRS:
            merged_attrs[name] = reduce(values, "sum")
        elif name == "first_seen":
            merged_attrs[name] = reduce(values, "min")
        elif name in ("last_seen", "active_months"):
            merged_attrs[name] = reduce(values, "max")
        elif name == "declared_only":
            merged_attrs[name] = reduce(values, "all")
        elif name == "sign":
            merged_attrs[name] = np.sign(merged_weights).astype(values.dtype)
        else:
            merged_attrs[name] = reduce(values, "first" if rule == "first" else "last")
    return rows[starts], cols[starts], merged_weights, merged_attrs, n_merged


def _attr_default(name: str) -> Any:
    if name == "declared_only":
        return False
    if name in ("sign", "count"):
        return 1
    if name in ("direct", "bulk", "active_months"):
        return 0
    if name in ("first_seen", "last_seen"):
        return np.nan
    return np.nan


def _edge_columns(
    sources: Sequence[Hashable] | np.ndarray,
    targets: Sequence[Hashable] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None,
    edge_attrs: Mapping[str, Sequence[Any] | np.ndarray] | None,
    duplicates: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The endpoint, weight and attribute arrays of :meth:`CompactGraph.from_edges`,
    checked against each other."""
    if duplicates not in _DUPLICATE_RULES:
        raise GraphError(f"duplicates must be one of {_DUPLICATE_RULES}, got {duplicates!r}")
    src = _as_label_array(sources)
    dst = _as_label_array(targets)
    if src.shape != dst.shape:
        raise GraphError(f"{src.size} sources but {dst.size} targets")
    m = src.size
    if weights is None:
        w = np.ones(m, dtype=np.float64)
    else:
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != (m,):
            raise GraphError(f"{w.size} weights for {m} edges")
    attrs = {}
    for name, values in (edge_attrs or {}).items():
        values = np.asarray(values)
        if values.shape != (m,):
            raise GraphError(f"edge attribute {name!r} has {values.size} values for {m} edges")
        attrs[name] = values
    return src, dst, w, attrs


def _both_directions(
    rows: np.ndarray, cols: np.ndarray, w: np.ndarray, attrs: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Every undirected edge stored in both directions (a self-loop once)."""
    loops = rows == cols
    return (
        np.concatenate([rows, cols[~loops]]),
        np.concatenate([cols, rows[~loops]]),
        np.concatenate([w, w[~loops]]),
        {k: np.concatenate([v, v[~loops]]) for k, v in attrs.items()},
    )


def _sort_edges(
    rows: np.ndarray, cols: np.ndarray, w: np.ndarray, attrs: dict[str, np.ndarray], n: int
) -> tuple[Any, ...]:
    """Edges in (row, column, input position) order: ``(rows, cols, w, attrs, indptr,
    repeated)``, where `rows` is ``None`` and `indptr` the row pointer on the CSR path, and
    `repeated` marks adjacent repeated pairs (``None`` when no pair repeats)."""
    repeated: np.ndarray | None = None
    if rows.size < 2 or _coo_tocsr is None:
        order, rows, cols, indptr = _csr_sort(rows, cols, n)
    else:
        order = None
        if _all_broadcast(attrs):
            # Only the weights need reordering: they ride along the sort (no gather).
            sorted_w, sorted_cols, indptr, repeated = _csr_sort_pointer(rows, cols, n, carried=w)
            if repeated is None:
                w, cols = sorted_w, sorted_cols
            del sorted_w, sorted_cols
        if repeated is not None or not _all_broadcast(attrs):
            # Attributes to reorder as well, or repeated pairs that merge in input
            # order: sort (again) carrying the input positions.
            order, cols, indptr, repeated = _csr_sort_pointer(rows, cols, n)
        rows = None  # built by the caller only when pairs repeat
    if order is not None:
        w = w[order]
        # A constant column is its own permutation: a read-only broadcast constant
        # (read_edgelist's default count of ones) is kept as it is; another constant
        # column costs a comparison pass and a sequential copy (never the caller's
        # array, which the graph freezes) instead of a random gather.
        attrs = {k: _permuted(v, order) for k, v in attrs.items()}
    return rows, cols, w, attrs, indptr, repeated


def build_from_edges(
    sources: Sequence[Hashable] | np.ndarray,
    targets: Sequence[Hashable] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None,
    *,
    nodes: Sequence[Hashable] | None,
    directed: bool,
    edge_attrs: Mapping[str, Sequence[Any] | np.ndarray] | None,
    duplicates: str,
) -> tuple[Sequence[Hashable] | _IntegerLabels, sp.csr_array, dict[str, np.ndarray], int]:
    """The parts of :meth:`CompactGraph.from_edges` (see there for the arguments): node
    labels, canonical CSR adjacency, attribute arrays in CSR order and the number of
    duplicate edges merged.

    Examples
    --------
    >>> labels, adjacency, attrs, merged = build_from_edges(
    ...     ["b", "a", "b"], ["a", "c", "a"], [1.0, 2.0, 3.0],
    ...     nodes=None, directed=True, edge_attrs=None, duplicates="sum")
    >>> labels, adjacency.toarray().tolist(), merged
    (['b', 'a', 'c'], [[0.0, 4.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]], 1)
    """
    src, dst, w, attrs = _edge_columns(sources, targets, weights, edge_attrs, duplicates)
    labels, n, rows, cols = intern_edge_endpoints(src, dst, nodes)
    del src, dst
    if not directed:
        rows, cols, w, attrs = _both_directions(rows, cols, w, attrs)
    rows, cols, w, attrs, indptr, repeated = _sort_edges(rows, cols, w, attrs, n)
    if indptr is not None and repeated is None:
        # Nothing repeats: the sort's row pointer and columns are the graph's.
        return labels, sp.csr_array((w, cols, indptr), shape=(n, n)), attrs, 0
    if rows is None:
        rows = rows_of(indptr, cols.dtype)
    loops_before = int(np.count_nonzero(rows == cols))
    rows, cols, w, attrs, n_merged = _merge_duplicates(rows, cols, w, attrs, duplicates)
    if not directed:
        # A repeated undirected edge was merged once per stored direction; a repeated
        # self-loop once.
        merged_loops = loops_before - int(np.count_nonzero(rows == cols))
        n_merged = merged_loops + (n_merged - merged_loops) // 2
    return labels, csr_from_sorted(w, rows, cols, n), attrs, n_merged


def build_from_index_arrays(
    nodes: tuple[Hashable, ...],
    rows: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
    edge_attrs: Mapping[str, np.ndarray] | None,
) -> tuple[sp.csr_array, dict[str, np.ndarray]]:
    """The adjacency and attribute arrays of :meth:`CompactGraph.from_index_arrays`."""
    n = len(nodes)
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    order, sorted_rows, sorted_cols, _ = _csr_sort(rows, cols, n)
    if sorted_rows.size > 1:
        repeated = (sorted_rows[1:] == sorted_rows[:-1]) & (sorted_cols[1:] == sorted_cols[:-1])
        if repeated.any():
            k = int(np.flatnonzero(repeated)[0])
            raise GraphError(
                f"edge {nodes[int(sorted_rows[k])]!r} -> {nodes[int(sorted_cols[k])]!r} "
                "is given twice"
            )
    weights = np.asarray(weights, dtype=np.float64)[order]
    adjacency = csr_from_sorted(weights, sorted_rows, sorted_cols, n)
    attrs = {name: np.asarray(values)[order] for name, values in (edge_attrs or {}).items()}
    return adjacency, attrs


def reversed_edges(
    adjacency: sp.csr_array, attrs: Mapping[str, np.ndarray]
) -> tuple[sp.csr_array, dict[str, np.ndarray]]:
    """Every edge turned around, its attributes with it (:meth:`CompactGraph.reverse`)."""
    n = adjacency.shape[0]
    rows, cols = rows_of(adjacency.indptr, adjacency.indices.dtype), adjacency.indices
    order = _csr_order(cols, rows, n)
    reversed_adjacency = csr_from_sorted(adjacency.data[order], cols[order], rows[order], n)
    return reversed_adjacency, {k: v[order] for k, v in attrs.items()}


def induced_edges(
    adjacency: sp.csr_array, attrs: Mapping[str, np.ndarray], keep: np.ndarray
) -> tuple[sp.csr_array, dict[str, np.ndarray]]:
    """The edges between the nodes where `keep` holds, renumbered in node order
    (:meth:`CompactGraph.subgraph`)."""
    idx = np.flatnonzero(keep)
    rows, cols = rows_of(adjacency.indptr, adjacency.indices.dtype), adjacency.indices
    mask = keep[rows] & keep[cols]
    new_id = np.full(keep.size, -1, dtype=np.int64)
    new_id[idx] = np.arange(idx.size)
    induced = csr_from_sorted(
        adjacency.data[mask], new_id[rows[mask]], new_id[cols[mask]], idx.size
    )
    return induced, {k: v[mask] for k, v in attrs.items()}
