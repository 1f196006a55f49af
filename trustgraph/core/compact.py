"""`CompactGraph`: the frozen CSR snapshot every algorithm computes on.

A `CompactGraph` holds a node tuple, the label-to-index mapping, a
``scipy.sparse.csr_array`` of out-edges whose data are the edge weights, and optional edge
attribute arrays aligned with the CSR data (``sign``, ``count``, ``first_seen``,
``last_seen``, ``declared_only`` and any other numeric attribute). It is built either from a
networkx graph or straight from edge arrays, so that inputs with tens of millions of edges
never need a networkx graph.

Conventions
-----------
* An edge ``u -> v`` means *u has shown trust in v*; its weight is the tie strength.
* Undirected graphs store both directions of every edge (a self-loop once); ``n_edges``
  counts each undirected edge once, as networkx does.
* Stored zeros are kept: a declared-only tie is a weight-0 edge, visible to analysis and
  ignored by propagation.
* Node order follows the input order (first appearance in the edge arrays), so results are
  deterministic.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import tokenize
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.exceptions import GraphError

try:  # scipy's compiled COO -> CSR conversion, used for a fast stable edge sort
    from scipy.sparse._sparsetools import coo_tocsr as _coo_tocsr
    from scipy.sparse._sparsetools import csr_sort_indices as _csr_sort_indices
except ImportError:  # pragma: no cover - a future scipy may move them; lexsort then
    _coo_tocsr = _csr_sort_indices = None

__all__ = ["COMPACT_FORMAT", "KNOWN_EDGE_ATTRS", "CompactGraph", "as_compact", "is_compact_folder"]

#: Marker in ``meta.json`` of a folder written by :meth:`CompactGraph.save`.
COMPACT_FORMAT = "trustgraph-compact"
_COMPACT_VERSION = 1

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


def _index_dtype(n: int) -> type:
    return np.int32 if n < np.iinfo(np.int32).max else np.int64


def _intern(labels: np.ndarray) -> tuple[list[Hashable], np.ndarray]:
    """Map labels to consecutive ids in order of first appearance.

    Returns the unique labels (as plain Python objects) and the id of every input label.
    A stable sort groups equal labels with their earliest occurrence first (``np.unique``
    is avoided: with numpy 2.4 it was measured ten times slower on 10M integers).
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
    value's first position (``np.minimum.at``), so no hashing and no O(m log m) sort:
    measured about twice as fast as pyarrow's dictionary encoding on 20M ids. ``None``
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
    small = _index_dtype(max(m, span))
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
    if "numba" not in sys.modules:
        return False
    from trustgraph.core import kernels

    return kernels.enabled()


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


#: Work on at least this many values is split over two threads (numpy's take, ufuncs and
#: scipy's sparsetools release the GIL); below it a thread costs more than it saves.
_PARALLEL_MIN_SIZE = 1_000_000


def in_parallel(tasks: Sequence[Callable[[], Any]], *, size: int) -> list[Any]:
    """Run `tasks` (calls that mostly release the GIL) on two threads when `size`, the
    values they work on, makes it pay off; their results in task order."""
    if len(tasks) < 2 or size < _PARALLEL_MIN_SIZE or (os.cpu_count() or 1) < 2:
        return [task() for task in tasks]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return [future.result() for future in [pool.submit(task) for task in tasks]]


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
    encoded = pc.dictionary_encode(pa.array(labels))
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


def _narrow_indices(adjacency: sp.csr_array) -> sp.csr_array:
    """Store int32 ``indices``/``indptr`` whenever they fit (4 bytes per edge, not 8)."""
    wanted = _index_dtype(max(adjacency.shape[0], adjacency.nnz))
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


def is_compact_folder(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a folder written by :meth:`CompactGraph.save`.

    Examples
    --------
    >>> import tempfile
    >>> is_compact_folder(tempfile.mkdtemp())
    False
    """
    meta = Path(path) / "meta.json"
    try:
        if not meta.is_file():
            return False
        data = meta.read_bytes()
    except OSError:
        return False
    try:
        return json.loads(data.decode("utf-8")).get("format") == COMPACT_FORMAT
    except (ValueError, AttributeError, RecursionError):
        # A damaged meta.json that save wrote still marks the folder: load names the damage.
        return f'"{COMPACT_FORMAT}"'.encode() in data


class _LazyArrays(Mapping):
    """Edge attribute arrays of a saved graph, each read (or mapped) on first access."""

    def __init__(self, folder: Path, files: Mapping[str, str], mmap: bool, size: int) -> None:
        self._folder, self._files, self._mmap, self._size = folder, dict(files), mmap, size
        self._loaded: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._files:
            raise KeyError(name)
        values = self._loaded.get(name)
        if values is None:
            path = self._folder / self._files[name]
            values = _load_vector(
                path,
                self._mmap,
                "biuf",
                "numbers",
                self._size,
                "'n_stored'",
                f"edge attribute {name!r}",
            )
            values.flags.writeable = False
            values = self._loaded[name] = values
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __repr__(self) -> str:
        loaded = sorted(self._loaded)
        return f"<edge attributes {sorted(self._files)}, loaded {loaded}>"


class _DamagedFileError(GraphError):
    """A file of a saved graph folder is missing or damaged: ``path: problem``.

    The path and the problem are kept apart, so that the readers' ``IngestError`` names
    the file once.
    """

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = str(path), problem


#: What numpy raises on a damaged ``.npy`` file: its header is a Python literal parsed by
#: ``tokenize`` and ``ast``, and a short file ends in ``EOFError``.
_NPY_ERRORS = (
    OSError,
    ValueError,
    EOFError,
    SyntaxError,
    tokenize.TokenError,
    TypeError,
    OverflowError,
    RecursionError,
)


def _load_array(path: Path, mmap: bool) -> np.ndarray:
    try:
        if not mmap:
            # Mapping first checks the header's shape against the file size, so a damaged
            # header cannot make numpy allocate whatever size it claims.
            np.load(path, mmap_mode="r", allow_pickle=False)
        return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except OSError as exc:
        raise _DamagedFileError(path, f"cannot read: {exc.strerror or exc}") from None
    except _NPY_ERRORS as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise _DamagedFileError(path, f"not a readable .npy array ({detail})") from None


def _load_vector(
    path: Path, mmap: bool, kinds: str, what: str, length: int, counted: str, name: str = ""
) -> np.ndarray:
    """A one-dimensional array of `length` values of a dtype kind in `kinds` (`what` in
    words); `counted` names the ``meta.json`` field the length comes from, `name` the
    attribute the file holds."""
    values = _load_array(path, mmap)
    prefix = f"{name}: " if name else ""
    if values.dtype.kind not in kinds:
        raise _DamagedFileError(path, f"{prefix}holds {values.dtype} values, not {what}")
    if values.ndim != 1:
        raise _DamagedFileError(path, f"{prefix}has shape {values.shape}, not one dimension")
    if values.shape[0] != length:
        raise _DamagedFileError(
            path, f"{prefix}{values.shape[0]} values do not match meta.json ({counted} = {length})"
        )
    return values


def _read_json(path: Path) -> Any:
    try:
        text = path.read_bytes().decode("utf-8")
        return json.loads(text)
    except OSError as exc:
        raise _DamagedFileError(path, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise _DamagedFileError(path, f"not UTF-8 text (byte {exc.start})") from None
    except ValueError as exc:
        raise _DamagedFileError(path, f"not valid JSON ({exc})") from None
    except RecursionError:
        raise _DamagedFileError(path, "not valid JSON (nested too deeply)") from None


def _describe(value: Any) -> str:
    """A short JSON spelling of a ``meta.json`` value for an error message."""
    if isinstance(value, (bool, int, float)) or value is None:
        text = json.dumps(value)
        return text if len(text) <= 40 else text[:37] + "..."
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 40 else value[:37] + "...")
    return "an object" if isinstance(value, dict) else "a list"


_REQUIRED = object()


class _Meta:
    """Typed access to the fields of a parsed ``meta.json``, each failure naming the field."""

    def __init__(self, path: Path, fields: Any) -> None:
        if not isinstance(fields, dict):
            raise _DamagedFileError(path, "not a JSON object")
        self.path, self.fields = path, fields

    def error(self, problem: str) -> _DamagedFileError:
        return _DamagedFileError(self.path, problem)

    def get(self, name: str, default: Any = _REQUIRED) -> Any:
        value = self.fields.get(name, default)
        if value is _REQUIRED:
            raise self.error(f"{name!r} is missing")
        return value

    def integer(self, name: str, default: Any = _REQUIRED) -> int:
        value = self.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{name!r} is {_describe(value)}, not an integer")
        return value

    def count(self, name: str) -> int:
        value = self.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(f"{name!r} is {_describe(value)}, not a non-negative integer")
        return value

    def table(self, name: str) -> dict:
        """The JSON object `name`; ``{}`` when absent."""
        return self.mapping(repr(name), self.get(name, {}))

    def mapping(self, what: str, value: Any) -> dict:
        if not isinstance(value, dict):
            raise self.error(f"{what} is {_describe(value)}, not a JSON object")
        return value

    def file_name(self, what: str, name: Any) -> str:
        """`name` if it names a file directly inside the folder (no path, no ``..``)."""
        if not isinstance(name, str) or name in ("", ".", "..") or os.path.basename(name) != name:
            raise self.error(f"{what}: {_describe(name)} is not a file name in the folder")
        return name


def _check_pointers(
    source: Path, indptr: np.ndarray, indices: np.ndarray, n: int, nnz: int
) -> None:
    """Check a loaded CSR structure, so that a damaged one cannot reach scipy's unchecked
    compiled loops: the row pointer runs from 0 to `nnz` without decreasing (one O(n)
    pass) and every column index lies in ``[0, n)`` (one pass over the indices)."""
    path = source / "indptr.npy"
    first, last = int(indptr[0]), int(indptr[-1])
    if first != 0:
        raise _DamagedFileError(path, f"the row pointer starts at {first}, not 0")
    if last != nnz:
        raise _DamagedFileError(path, f"the row pointer ends at {last}, not 'n_stored' {nnz}")
    if n > 1 and (indptr[1:] < indptr[:-1]).any():
        raise _DamagedFileError(path, "the row pointer decreases")
    if nnz:
        # Negative indices read as unsigned are huge: one max() checks both bounds.
        unsigned = np.dtype(f"u{indices.dtype.itemsize}").newbyteorder(indices.dtype.byteorder)
        if int(indices.view(unsigned).max()) >= n:
            raise _DamagedFileError(
                source / "indices.npy", f"a column index out of range [0, {n})"
            )


def _load_labels(source: Path, kind: str, n: int) -> Sequence[Hashable]:
    """The `n` node labels of a saved graph, stored as `kind` (see ``_write_label_tuple``)."""
    if kind == "int":
        return _load_vector(source / "nodes.npy", False, "iu", "integers", n, "'n_nodes'").tolist()
    if kind == "lines":
        path = source / "nodes.txt"
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as exc:
            raise _DamagedFileError(path, f"cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise _DamagedFileError(path, f"not UTF-8 text (byte {exc.start})") from None
        labels = text.split("\n") if n else []
    else:
        path = source / "nodes.json"
        labels = _read_json(path)
        if not isinstance(labels, list):
            raise _DamagedFileError(path, f"{_describe(labels)}, not a JSON list of labels")
        for i, label in enumerate(labels):
            if not isinstance(label, (str, int, float)):  # bool is an int
                raise _DamagedFileError(
                    path, f"label {i} is {_describe(label)}, not a string, number or boolean"
                )
    if len(labels) != n:
        raise _DamagedFileError(path, f"{len(labels)} node labels for {n} nodes")
    return labels


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
    return order, _rows_of(indptr, indices.dtype), indices, indptr


def _rows_of(indptr: np.ndarray, dtype: Any) -> np.ndarray:
    """The row of every stored entry of a CSR row pointer."""
    n = indptr.size - 1
    return np.repeat(np.arange(n, dtype=dtype), np.diff(indptr))


def _sort_row_indices(indptr: np.ndarray, indices: np.ndarray, values: np.ndarray) -> None:
    """Sort each row's columns (with `values`) in place, the two halves of the edges on
    two threads for large graphs."""
    n, m = indptr.size - 1, indices.size
    middle = int(np.searchsorted(indptr, m // 2)) if m >= _PARALLEL_MIN_SIZE else 0
    if not 0 < middle < n:
        _csr_sort_indices(n, indptr, indices, values)
        return
    cut = int(indptr[middle])
    rest = indptr[middle:] - indptr[middle]
    in_parallel(
        [
            lambda: _csr_sort_indices(middle, indptr[: middle + 1], indices[:cut], values[:cut]),
            lambda: _csr_sort_indices(n - middle, rest, indices[cut:], values[cut:]),
        ],
        size=m,
    )


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
    dtype = _index_dtype(max(n, m))
    indptr = np.empty(n + 1, dtype=dtype)
    indices = np.empty(m, dtype=dtype)
    # Positions ride along as the "data" of the conversion; the index dtype (int32 when it
    # fits) halves the memory moved.
    payload = np.arange(m, dtype=dtype) if carried is None else np.ascontiguousarray(carried)
    order = np.empty(m, dtype=payload.dtype)
    _coo_tocsr(
        n,
        n,
        m,
        rows.astype(dtype, copy=False),
        cols.astype(dtype, copy=False),
        payload,
        indptr,
        indices,
        order,
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


def _csr(
    data: np.ndarray, rows_sorted: np.ndarray, cols_sorted: np.ndarray, n: int
) -> sp.csr_array:
    """CSR array from row-sorted edges, keeping stored zeros.

    scipy needs one index dtype for ``indices`` and ``indptr``; int32 whenever it fits keeps
    a graph at 12 bytes per edge plus the row pointer.
    """
    dtype = _index_dtype(max(n, rows_sorted.size))
    indptr = np.zeros(n + 1, dtype=dtype)
    np.cumsum(np.bincount(rows_sorted, minlength=n), out=indptr[1:])
    return sp.csr_array((data, cols_sorted.astype(dtype, copy=False), indptr), shape=(n, n))


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


class CompactGraph:
    """Frozen CSR snapshot of a weighted graph.

    Build one with :meth:`from_edges`, :meth:`from_networkx` or :func:`as_compact`; the
    constructor takes an already canonical CSR matrix (sorted indices, no duplicates).

    Parameters
    ----------
    nodes : sequence of hashable
        Node labels; position ``i`` is row and column ``i`` of `adjacency`.
    adjacency : scipy.sparse.csr_array
        ``adjacency[u, v]`` is the weight of edge ``u -> v``. Stored zeros are edges.
    directed : bool, default True
        Undirected graphs must pass a symmetric `adjacency`.
    edge_attrs : mapping of str to array, optional
        Arrays aligned with ``adjacency.data``.
    node_attrs : mapping of str to sequence, optional
        Columns aligned with `nodes` (``None`` where a node lacks the attribute).
    graph_attrs : mapping, optional
        Graph-level metadata (e.g. how many duplicate edges a reader merged).

    Examples
    --------
    >>> from trustgraph.core.compact import CompactGraph
    >>> cg = CompactGraph.from_edges(["ann", "ann", "bob"], ["bob", "cy", "cy"], [3.0, 1.0, 1.0])
    >>> cg.nodes
    ('ann', 'bob', 'cy')
    >>> cg.n_edges, float(cg.adjacency[0, 1])
    (3, 3.0)
    >>> sorted(cg.to_networkx().edges(data="weight"))
    [('ann', 'bob', 3.0), ('ann', 'cy', 1.0), ('bob', 'cy', 1.0)]
    """

    __slots__ = (
        "__dict__",
        "_adjacency",
        "_directed",
        "_edge_attrs",
        "_graph_attrs",
        "_node_attrs",
        "_nodes",
    )

    def __init__(
        self,
        nodes: Sequence[Hashable],
        adjacency: sp.csr_array,
        *,
        directed: bool = True,
        edge_attrs: Mapping[str, np.ndarray] | None = None,
        node_attrs: Mapping[str, Sequence[Any]] | None = None,
        graph_attrs: Mapping[str, Any] | None = None,
    ) -> None:
        if isinstance(nodes, _IntegerLabels):
            # Kept as an array until `nodes` is first read (see _IntegerLabels).
            nodes = nodes.array
            nodes.flags.writeable = False
        else:
            nodes = tuple(nodes)
        n = len(nodes)
        if adjacency.shape != (n, n):
            raise GraphError(f"adjacency has shape {adjacency.shape}, expected ({n}, {n})")
        if not isinstance(adjacency, sp.csr_array):
            adjacency = sp.csr_array(adjacency)
        adjacency = _narrow_indices(adjacency)
        attrs = {}
        for name, values in (edge_attrs or {}).items():
            values = np.asarray(values)
            if values.shape != (adjacency.nnz,):
                raise GraphError(
                    f"edge attribute {name!r} has {values.shape[0]} values for "
                    f"{adjacency.nnz} stored edges"
                )
            values.flags.writeable = False
            attrs[name] = values
        columns = {}
        for name, values in (node_attrs or {}).items():
            if len(values) != n:
                raise GraphError(f"node attribute {name!r} has {len(values)} values for {n} nodes")
            columns[name] = tuple(values)
        for array in (adjacency.data, adjacency.indices, adjacency.indptr):
            array.flags.writeable = False
        self._nodes = nodes
        self._adjacency = adjacency
        self._directed = bool(directed)
        self._edge_attrs = MappingProxyType(attrs)
        self._node_attrs = MappingProxyType(columns)
        self._graph_attrs = MappingProxyType(dict(graph_attrs or {}))

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_edges(
        cls,
        sources: Sequence[Hashable] | np.ndarray,
        targets: Sequence[Hashable] | np.ndarray,
        weights: Sequence[float] | np.ndarray | None = None,
        *,
        nodes: Sequence[Hashable] | None = None,
        directed: bool = True,
        edge_attrs: Mapping[str, Sequence[Any] | np.ndarray] | None = None,
        duplicates: str = "sum",
        node_attrs: Mapping[str, Sequence[Any]] | None = None,
        graph_attrs: Mapping[str, Any] | None = None,
    ) -> CompactGraph:
        """Build a graph straight from edge arrays, without networkx.

        Parameters
        ----------
        sources, targets : array-like of hashable
            Edge endpoints, by label.
        weights : array-like of float, optional
            Edge weights; every edge weighs 1.0 when omitted.
        nodes : sequence of hashable, optional
            Node order, including isolated nodes. Labels met in the edges but missing here
            are appended in order of first appearance.
        directed : bool, default True
            For undirected graphs each edge is stored in both directions; ``u-v`` and ``v-u``
            given separately are duplicates of one edge.
        edge_attrs : mapping of str to array-like, optional
            Per-edge attributes aligned with `sources`.
        duplicates : {"sum", "max", "min", "first", "last", "error"}, default "sum"
            How the weights of repeated edges merge. Attributes merge by fixed rules:
            ``count`` sums, ``first_seen`` takes the minimum, ``last_seen`` the maximum,
            ``declared_only`` holds only if it holds for every copy, ``sign`` follows the
            merged weight and other attributes follow `duplicates` (``last`` for
            ``sum``/``max``/``min``). The number merged is ``graph_attrs["duplicates_merged"]``.
        node_attrs, graph_attrs : mapping, optional
            Node columns aligned with `nodes`, and graph-level metadata.

        Returns
        -------
        CompactGraph
        """
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

        dense = None
        if (
            nodes is None
            and 2 * m >= _HASH_INTERN_MIN
            and src.dtype == dst.dtype
            and src.dtype.kind in "iu"
        ):
            # Integer ids: intern sources and targets in place, no interleaved copy.
            dense = _intern_dense_ints(src, dst)
        labels: Sequence[Hashable] | _IntegerLabels
        if dense is not None:
            label_array, (rows, cols) = dense
            if label_array.size and label_array.dtype.itemsize > 4:
                low, high = int(label_array.min()), int(label_array.max())
                if np.iinfo(np.int32).min <= low and high <= np.iinfo(np.int32).max:
                    label_array = label_array.astype(np.int32)  # 4 bytes a node, not 8
            labels, n = _IntegerLabels(label_array), label_array.size
        else:
            labels, rows, cols = _intern_endpoints(src, dst, nodes)
            n = len(labels)

        if not directed:
            loops = rows == cols
            rows, cols = (
                np.concatenate([rows, cols[~loops]]),
                np.concatenate([cols, rows[~loops]]),
            )
            w = np.concatenate([w, w[~loops]])
            attrs = {k: np.concatenate([v, v[~loops]]) for k, v in attrs.items()}

        del src, dst
        repeated: np.ndarray | None = None
        if rows.size < 2 or _coo_tocsr is None:
            order, rows, cols, indptr = _csr_sort(rows, cols, n)
        else:
            order = None
            if _all_broadcast(attrs):
                # Only the weights need reordering: they ride along the sort (no gather).
                sorted_w, sorted_cols, indptr, repeated = _csr_sort_pointer(
                    rows, cols, n, carried=w
                )
                if repeated is None:
                    w, cols = sorted_w, sorted_cols
                del sorted_w, sorted_cols
            if repeated is not None or not _all_broadcast(attrs):
                # Attributes to reorder as well, or repeated pairs that merge in input
                # order: sort (again) carrying the input positions.
                order, cols, indptr, repeated = _csr_sort_pointer(rows, cols, n)
            rows = None  # built below only when pairs repeat
        if order is not None:
            w = w[order]
            # A constant column is its own permutation: a read-only broadcast constant
            # (read_edgelist's default count of ones) is kept as it is; another constant
            # column costs a comparison pass and a sequential copy (never the caller's
            # array, which the graph freezes) instead of a random gather.
            attrs = {k: _permuted(v, order) for k, v in attrs.items()}
            del order
        if indptr is not None and repeated is None:
            # Nothing repeats: the sort's row pointer and columns are the graph's.
            n_merged = 0
            adjacency = sp.csr_array((w, cols, indptr), shape=(n, n))
        else:
            if rows is None:
                rows = _rows_of(indptr, cols.dtype)
            loops_before = int(np.count_nonzero(rows == cols))
            rows, cols, w, attrs, n_merged = _merge_duplicates(rows, cols, w, attrs, duplicates)
            if not directed:
                # A repeated undirected edge was merged once per stored direction; a
                # repeated self-loop once.
                merged_loops = loops_before - int(np.count_nonzero(rows == cols))
                n_merged = merged_loops + (n_merged - merged_loops) // 2
            adjacency = _csr(w, rows, cols, n)
        meta = dict(graph_attrs or {})
        meta["duplicates_merged"] = n_merged
        return cls(
            labels,
            adjacency,
            directed=directed,
            edge_attrs=attrs,
            node_attrs=node_attrs,
            graph_attrs=meta,
        )

    @classmethod
    def from_index_arrays(
        cls,
        nodes: Sequence[Hashable],
        rows: np.ndarray,
        cols: np.ndarray,
        weights: np.ndarray,
        *,
        edge_attrs: Mapping[str, np.ndarray] | None = None,
        node_attrs: Mapping[str, Sequence[Any]] | None = None,
        graph_attrs: Mapping[str, Any] | None = None,
    ) -> CompactGraph:
        """A directed graph from edges already given as node indices, each pair once.

        For builders that intern their own nodes (the conversation graph builder): the
        edges are sorted into CSR order with their attributes, stored zeros kept.

        Raises
        ------
        GraphError
            A (row, column) pair appears twice: merge duplicates with :meth:`from_edges`.

        Examples
        --------
        >>> import numpy as np
        >>> cg = CompactGraph.from_index_arrays(
        ...     ["a", "b"], np.array([1, 0]), np.array([0, 1]), np.array([2.0, 0.0]))
        >>> cg.weights.tolist(), cg.n_edges
        ([0.0, 2.0], 2)
        """
        nodes = tuple(nodes)
        n = len(nodes)
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        order, sorted_rows, sorted_cols, _ = _csr_sort(rows, cols, n)
        if sorted_rows.size > 1:
            repeated = (sorted_rows[1:] == sorted_rows[:-1]) & (
                sorted_cols[1:] == sorted_cols[:-1]
            )
            if repeated.any():
                k = int(np.flatnonzero(repeated)[0])
                raise GraphError(
                    f"edge {nodes[int(sorted_rows[k])]!r} -> {nodes[int(sorted_cols[k])]!r} "
                    "is given twice"
                )
        weights = np.asarray(weights, dtype=np.float64)[order]
        adjacency = _csr(weights, sorted_rows, sorted_cols, n)
        attrs = {name: np.asarray(values)[order] for name, values in (edge_attrs or {}).items()}
        return cls(
            nodes,
            adjacency,
            edge_attrs=attrs,
            node_attrs=node_attrs,
            graph_attrs=graph_attrs,
        )

    @classmethod
    def from_networkx(
        cls,
        G: nx.Graph,
        *,
        weight: str | None = "weight",
        edge_attrs: Iterable[str] | None = None,
    ) -> CompactGraph:
        """Snapshot a networkx graph.

        Parameters
        ----------
        G : networkx.Graph, DiGraph, MultiGraph or MultiDiGraph
            Parallel edges of multigraphs are merged: weights and counts add up.
        weight : str or None, default "weight"
            Edge attribute holding the weight (1.0 where missing); ``None`` gives every edge
            weight 1.
        edge_attrs : iterable of str, optional
            Extra numeric edge attributes to keep. The known attributes
            (``sign``, ``count``, ``first_seen``, ``last_seen``, ``declared_only``) are kept
            whenever any edge carries them.

        Returns
        -------
        CompactGraph
        """
        edges = list(G.edges(data=True))
        sources = [u for u, _, _ in edges]
        targets = [v for _, v, _ in edges]
        if weight is None:
            weights = np.ones(len(edges))
        else:
            weights = np.fromiter(
                (d.get(weight, 1.0) for _, _, d in edges), dtype=np.float64, count=len(edges)
            )
        wanted = set(edge_attrs or ())
        present: set[str] = set()
        for _, _, d in edges:
            present.update(d)
        names = [a for a in (*KNOWN_EDGE_ATTRS, *sorted(wanted)) if a in present and a != weight]
        attrs = {}
        for name in dict.fromkeys(names):
            default = _attr_default(name)
            attrs[name] = np.array([d.get(name, default) for _, _, d in edges])
        node_columns: dict[str, list[Any]] = {}
        node_names = sorted({k for _, d in G.nodes(data=True) for k in d}, key=str)
        for name in node_names:
            node_columns[name] = [d.get(name) for _, d in G.nodes(data=True)]
        return cls.from_edges(
            sources,
            targets,
            weights,
            nodes=list(G.nodes),
            directed=G.is_directed(),
            edge_attrs=attrs,
            duplicates="sum",
            node_attrs=node_columns or None,
            graph_attrs=dict(G.graph),
        )

    # ------------------------------------------------------------------ read-only views
    @property
    def nodes(self) -> tuple[Hashable, ...]:
        """Node labels in index order."""
        nodes = self._nodes
        if not isinstance(nodes, tuple):
            # Integer labels kept as an array: the tuple is built on first use.
            nodes = self._nodes = tuple(nodes.tolist())
        return nodes

    def _labels(self) -> tuple[Hashable, ...] | _IntegerLabels:
        """The node labels as stored, for a derived graph (no tuple is built)."""
        nodes = self._nodes
        return nodes if isinstance(nodes, tuple) else _IntegerLabels(nodes)

    @property
    def adjacency(self) -> sp.csr_array:
        """Out-edge weights as a CSR array (row = source, column = target)."""
        return self._adjacency

    @property
    def weights(self) -> np.ndarray:
        """Edge weights in CSR order (``adjacency.data``)."""
        return self._adjacency.data

    @property
    def directed(self) -> bool:
        return self._directed

    @property
    def edge_attrs(self) -> Mapping[str, np.ndarray]:
        """Edge attribute arrays aligned with :attr:`weights`."""
        return self._edge_attrs

    @property
    def node_attrs(self) -> Mapping[str, tuple[Any, ...]]:
        return self._node_attrs

    @property
    def graph_attrs(self) -> Mapping[str, Any]:
        return self._graph_attrs

    @cached_property
    def index(self) -> Mapping[Hashable, int]:
        """Label to row/column index."""
        return MappingProxyType({label: i for i, label in enumerate(self.nodes)})

    @property
    def n_nodes(self) -> int:
        return len(self._nodes)

    @property
    def n_stored(self) -> int:
        """Stored (directed) entries of :attr:`adjacency`."""
        return int(self._adjacency.nnz)

    @property
    def n_edges(self) -> int:
        """Number of edges, each undirected edge counted once."""
        if self._directed:
            return self.n_stored
        return (self.n_stored + self.n_self_loops) // 2

    @property
    def n_self_loops(self) -> int:
        rows, cols = self.edge_arrays()
        return int(np.count_nonzero(rows == cols))

    def __len__(self) -> int:
        return self.n_nodes

    def __contains__(self, node: object) -> bool:
        try:
            return node in self.index
        except TypeError:
            return False

    def __repr__(self) -> str:
        kind = "directed" if self._directed else "undirected"
        return f"<CompactGraph {kind}, {self.n_nodes} nodes, {self.n_edges} edges>"

    def edge_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Source and target indices of every stored edge, in CSR order."""
        indptr = self._adjacency.indptr
        rows = np.repeat(
            np.arange(self.n_nodes, dtype=self._adjacency.indices.dtype), np.diff(indptr)
        )
        return rows, self._adjacency.indices

    def out_strength(self) -> np.ndarray:
        """Sum of out-edge weights per node (weighted out-degree)."""
        rows, _ = self.edge_arrays()
        return np.bincount(rows, weights=self.weights, minlength=self.n_nodes)

    def in_strength(self) -> np.ndarray:
        """Sum of in-edge weights per node (weighted in-degree)."""
        return np.bincount(self._adjacency.indices, weights=self.weights, minlength=self.n_nodes)

    def out_degree(self) -> np.ndarray:
        return np.diff(self._adjacency.indptr)

    def in_degree(self) -> np.ndarray:
        return np.bincount(self._adjacency.indices, minlength=self.n_nodes)

    # ------------------------------------------------------------------ derived graphs
    def with_weights(self, weights: np.ndarray) -> CompactGraph:
        """The same structure and attributes with other weights (aligned with CSR data)."""
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != self.weights.shape:
            raise GraphError(f"{weights.size} weights for {self.n_stored} stored edges")
        a = self._adjacency
        adjacency = sp.csr_array((weights, a.indices, a.indptr), shape=a.shape)
        return self._derive(adjacency, dict(self._edge_attrs), directed=self._directed)

    def unit_weights(self) -> CompactGraph:
        """Every edge weighs 1 (``weight=None`` in the algorithms)."""
        return self.with_weights(np.ones(self.n_stored))

    def reverse(self) -> CompactGraph:
        """The graph with every edge turned around (attributes follow their edges)."""
        if not self._directed:
            return self
        rows, cols = self.edge_arrays()
        n = self.n_nodes
        order = _csr_order(cols, rows, n)
        adjacency = _csr(self.weights[order], cols[order], rows[order], n)
        attrs = {k: v[order] for k, v in self._edge_attrs.items()}
        return self._derive(adjacency, attrs, directed=True)

    def to_undirected(self, *, rule: str = "sum") -> CompactGraph:
        """Symmetrise: ``u -> v`` and ``v -> u`` become one undirected edge.

        Parameters
        ----------
        rule : {"sum", "max", "min", "mean"}, default "sum"
            Weight of the undirected edge from the weights of the directed edges present
            (a missing direction contributes nothing; ``mean`` averages the present ones).
        """
        if not self._directed:
            return self
        if rule not in ("sum", "max", "min", "mean"):
            raise GraphError(f"rule must be sum, max, min or mean, got {rule!r}")
        rows, cols = self.edge_arrays()
        lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
        labels = np.empty(self.n_nodes, dtype=object)
        labels[:] = self.nodes
        merged = CompactGraph.from_edges(
            labels[lo],
            labels[hi],
            self.weights,
            nodes=self.nodes,
            directed=False,
            edge_attrs=dict(self._edge_attrs),
            duplicates="sum" if rule == "mean" else rule,
        )
        if rule == "mean":
            pairs = CompactGraph.from_edges(
                labels[lo], labels[hi], nodes=self.nodes, directed=False, duplicates="sum"
            )
            merged = merged.with_weights(merged.weights / pairs.weights)
        return self._derive(merged.adjacency, dict(merged.edge_attrs), directed=False)

    def subgraph(self, nodes: Iterable[Hashable]) -> CompactGraph:
        """Induced subgraph on `nodes`, in this graph's node order."""
        keep = np.zeros(self.n_nodes, dtype=bool)
        for node in nodes:
            if node not in self:
                raise GraphError(f"node {node!r} is not in the graph")
            keep[self.index[node]] = True
        idx = np.flatnonzero(keep)
        rows, cols = self.edge_arrays()
        mask = keep[rows] & keep[cols]
        new_id = np.full(self.n_nodes, -1, dtype=np.int64)
        new_id[idx] = np.arange(idx.size)
        r, c = new_id[rows[mask]], new_id[cols[mask]]
        n = idx.size
        adjacency = _csr(self.weights[mask], r, c, n)
        nodes = self.nodes
        nodes_kept = tuple(nodes[i] for i in idx)
        columns = {k: [v[i] for i in idx] for k, v in self._node_attrs.items()}
        return CompactGraph(
            nodes_kept,
            adjacency,
            directed=self._directed,
            edge_attrs={k: v[mask] for k, v in self._edge_attrs.items()},
            node_attrs=columns,
            graph_attrs=self._graph_attrs,
        )

    def _derive(
        self, adjacency: sp.csr_array, attrs: dict[str, np.ndarray], *, directed: bool
    ) -> CompactGraph:
        return CompactGraph(
            self._labels(),
            adjacency,
            directed=directed,
            edge_attrs=attrs,
            node_attrs=self._node_attrs,
            graph_attrs=self._graph_attrs,
        )

    # ------------------------------------------------------------------ files
    def save(
        self,
        folder: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> Path:
        """Write the graph to a folder of ``.npy`` arrays that :meth:`load` maps back.

        The folder holds ``indptr.npy``, ``indices.npy`` and ``weights.npy`` (the CSR
        arrays), one ``edge.<name>.npy`` per edge attribute, the node labels and a small
        ``meta.json`` (direction, counts, attribute names, graph attributes). Integer
        labels are an ``int64`` array; string labels are one UTF-8 text, a label per line
        (``nodes.txt``; labels holding a line break fall back to a JSON list); other labels
        go to JSON. Numeric node attribute columns are arrays, others JSON.

        Parameters
        ----------
        folder : str or path-like
            Conventionally named ``*.tgc``; created if missing.
        overwrite : bool, default False
            Replace an existing graph folder; otherwise an existing folder is an error.
        progress : callable, optional
            Called with the name of each file before it is written.

        Returns
        -------
        pathlib.Path
            The folder.

        Raises
        ------
        GraphError
            The folder exists (and not `overwrite`, or it is not a graph folder), or a
            label or attribute cannot be stored.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> cg = CompactGraph.from_edges(["ann", "bob"], ["bob", "cy"], [2.0, 1.0])
        >>> folder = cg.save(pathlib.Path(tempfile.mkdtemp()) / "trust.tgc")
        >>> back = CompactGraph.load(folder)
        >>> back.nodes, back.weights.tolist()
        (('ann', 'bob', 'cy'), [2.0, 1.0])
        """
        target = Path(folder)
        if target.exists():
            if not overwrite:
                raise GraphError(f"{target} exists; pass overwrite=True to replace it")
            if not (target.is_dir() and (is_compact_folder(target) or not any(target.iterdir()))):
                raise GraphError(f"{target} exists and is not a saved CompactGraph folder")
        staging = target.with_name(f".{target.name}.partial-{os.getpid()}")
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=False)
        try:
            meta = self._write_arrays(staging, progress)
            with open(staging / "meta.json", "w", encoding="utf-8") as handle:
                json.dump(meta, handle, indent=1, default=_json_value)
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return target

    @staticmethod
    def _write_label_tuple(folder: Path, labels: tuple[Hashable, ...]) -> str:
        """Write node labels held as a tuple; return their kind for ``meta.json``."""
        kinds = {type(label) for label in labels}
        if (
            labels
            and kinds <= {int}
            and all(-(2**63) <= x < 2**63 for x in (min(labels), max(labels)))
        ):
            node_kind = "int"
            np.save(folder / "nodes.npy", np.asarray(labels, dtype=np.int64), allow_pickle=False)
        elif labels and kinds <= {str} and not any("\n" in x or "\r" in x for x in labels):
            node_kind = "lines"
            (folder / "nodes.txt").write_bytes("\n".join(labels).encode("utf-8"))
        elif kinds <= {str, int, float, bool}:
            node_kind = "json"
            with open(folder / "nodes.json", "w", encoding="utf-8") as handle:
                json.dump(list(labels), handle)
        else:
            raise GraphError(
                f"node labels of type {sorted(k.__name__ for k in kinds)} cannot be saved; "
                "use str or int labels"
            )
        return node_kind

    def _write_arrays(self, folder: Path, progress: Callable[[str], None] | None) -> dict:
        def put(name: str, values: np.ndarray) -> str:
            if progress is not None:
                progress(name)
            np.save(folder / name, np.ascontiguousarray(values), allow_pickle=False)
            return name

        a = self._adjacency
        put("indptr.npy", a.indptr)
        put("indices.npy", a.indices)
        put("weights.npy", a.data)
        edge_files = {}
        for position, (name, values) in enumerate(self._edge_attrs.items()):
            values = np.asarray(values)
            if values.dtype.kind not in "biuf":
                raise GraphError(f"edge attribute {name!r} is not numeric; cannot save it")
            edge_files[name] = put(f"edge.{position}.npy", values)
        if progress is not None:
            progress("nodes")
        if isinstance(self._nodes, np.ndarray):
            # Integer labels never turned into a tuple: saved straight from their array.
            node_kind = "int"
            np.save(folder / "nodes.npy", self._nodes.astype(np.int64), allow_pickle=False)
        else:
            node_kind = self._write_label_tuple(folder, self._nodes)
        node_columns = {}
        for position, (name, column) in enumerate(self._node_attrs.items()):
            column_kinds = {type(v) for v in column}
            if column and (column_kinds <= {int} or column_kinds <= {float}):
                file = put(f"node.{position}.npy", np.asarray(column))
                node_columns[name] = {"file": file}
            else:
                node_columns[name] = {"values": list(column)}
        return {
            "format": COMPACT_FORMAT,
            "version": _COMPACT_VERSION,
            "directed": self._directed,
            "n_nodes": self.n_nodes,
            "n_stored": self.n_stored,
            "node_labels": node_kind,
            "edge_attrs": edge_files,
            "node_attrs": node_columns,
            "graph_attrs": dict(self._graph_attrs),
        }

    @classmethod
    def load(cls, folder: str | os.PathLike[str], *, mmap: bool = True) -> CompactGraph:
        """Open a graph written by :meth:`save`.

        Parameters
        ----------
        folder : str or path-like
        mmap : bool, default True
            Memory-map the arrays (read-only): opening costs milliseconds whatever the
            size, and the operating system pages data in as it is used and can drop it
            again. ``False`` reads them into memory.

        Returns
        -------
        CompactGraph
            Edge attributes are opened only when first accessed.

        Raises
        ------
        GraphError
            Not a graph folder, a missing or inconsistent file, or a newer format version.

        Examples
        --------
        See :meth:`save`.
        """
        source = Path(folder)
        if not is_compact_folder(source):
            raise _DamagedFileError(source, "not a folder written by CompactGraph.save")
        meta = _Meta(source / "meta.json", _read_json(source / "meta.json"))
        version = meta.integer("version", 0)
        if version > _COMPACT_VERSION:
            raise meta.error(
                f"format version {version}; this trustgraph reads up to {_COMPACT_VERSION}"
            )
        n, nnz = meta.count("n_nodes"), meta.count("n_stored")
        directed = meta.get("directed")
        if not isinstance(directed, bool):
            raise meta.error(f"'directed' is {_describe(directed)}, not true or false")
        kind = meta.get("node_labels")
        if kind not in ("int", "lines", "json"):
            raise meta.error(f"'node_labels' is {_describe(kind)}, not 'int', 'lines' or 'json'")
        edge_files = {
            name: meta.file_name(f"edge attribute {name!r}", file)
            for name, file in meta.table("edge_attrs").items()
        }
        node_specs = {
            name: meta.mapping(f"node attribute {name!r}", spec)
            for name, spec in meta.table("node_attrs").items()
        }
        graph_attrs = meta.table("graph_attrs")

        indptr = _load_vector(
            source / "indptr.npy", mmap, "iu", "integers", n + 1, "'n_nodes' + 1"
        )
        indices = _load_vector(source / "indices.npy", mmap, "iu", "integers", nnz, "'n_stored'")
        weights = _load_vector(source / "weights.npy", mmap, "biuf", "numbers", nnz, "'n_stored'")
        _check_pointers(source, indptr, indices, n, nnz)

        labels = _load_labels(source, kind, n)
        node_attrs = {}
        for name, spec in node_specs.items():
            what = f"node attribute {name!r}"
            if "file" in spec:
                path = source / meta.file_name(what, spec["file"])
                values = _load_vector(path, False, "biuf", "numbers", n, "'n_nodes'", what)
                node_attrs[name] = values.tolist()
            elif "values" in spec:
                values = spec["values"]
                if not isinstance(values, list):
                    raise meta.error(f"{what}: 'values' is {_describe(values)}, not a list")
                if len(values) != n:
                    raise meta.error(f"{what}: {len(values)} values for {n} nodes")
                node_attrs[name] = values
            else:
                raise meta.error(f"{what} has neither 'file' nor 'values'")
        # scipy's light format check reads only a few entries, so mapped pages stay on disk.
        try:
            adjacency = sp.csr_array((weights, indices, indptr), shape=(n, n), copy=False)
        except ValueError as exc:  # pragma: no cover - the checks above come first
            raise _DamagedFileError(source, f"inconsistent arrays ({exc})") from None
        graph = cls(
            labels,
            adjacency,
            directed=directed,
            node_attrs=node_attrs,
            graph_attrs=graph_attrs,
        )
        graph._edge_attrs = _LazyArrays(source, edge_files, mmap, nnz)
        return graph

    # ------------------------------------------------------------------ export
    def to_networkx(self) -> nx.Graph:
        """A networkx ``DiGraph`` (or ``Graph``) with the same nodes, edges and attributes."""
        G: nx.Graph = nx.DiGraph() if self._directed else nx.Graph()
        G.graph.update(self._graph_attrs)
        G.graph.pop("duplicates_merged", None)
        columns = self._node_attrs
        for i, label in enumerate(self.nodes):
            data = {k: v[i] for k, v in columns.items() if v[i] is not None}
            G.add_node(label, **data)
        rows, cols = self.edge_arrays()
        if not self._directed:
            keep = rows <= cols
        else:
            keep = np.ones(rows.size, dtype=bool)
        names = list(self._edge_attrs)
        values = [self._edge_attrs[k][keep].tolist() for k in names]
        nodes = self.nodes
        for j, (u, v, w) in enumerate(
            zip(rows[keep].tolist(), cols[keep].tolist(), self.weights[keep].tolist())
        ):
            data = {"weight": w}
            for name, column in zip(names, values):
                data[name] = column[j]
            G.add_edge(nodes[u], nodes[v], **data)
        return G


def _json_value(value: Any) -> Any:
    """JSON for numpy scalars and arrays in graph attributes; anything else as text."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


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


def as_compact(G: nx.Graph | CompactGraph, *, weight: str | None = "weight") -> CompactGraph:
    """Convert once to a :class:`CompactGraph` whose weights are the chosen attribute.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    weight : str or None, default "weight"
        ``None`` gives every edge weight 1. On a `CompactGraph` any name other than
        ``"weight"`` selects the edge attribute array of that name.

    Returns
    -------
    CompactGraph

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b", {"weight": 2.0, "count": 5})])
    >>> as_compact(G, weight="count").weights.tolist()
    [5.0]
    >>> as_compact(G, weight=None).weights.tolist()
    [1.0]
    """
    if isinstance(G, CompactGraph):
        if weight == "weight":
            return G
        if weight is None:
            return G.unit_weights()
        if weight not in G.edge_attrs:
            raise GraphError(f"the graph has no edge attribute {weight!r}")
        return G.with_weights(G.edge_attrs[weight].astype(np.float64))
    if isinstance(G, nx.Graph):
        return CompactGraph.from_networkx(G, weight=weight)
    raise GraphError(f"expected a networkx graph or a CompactGraph, got {type(G).__name__}")
