"""Saved `CompactGraph` folders (``*.tgc``): writing them, and a loader that trusts nothing.

A folder holds ``indptr.npy``, ``indices.npy`` and ``weights.npy`` (the CSR arrays), one
``edge.<position>.npy`` per edge attribute, the node labels and a small ``meta.json``.
Loading checks every field and array against ``meta.json`` and the CSR invariants before
scipy sees them, so a damaged folder raises a `GraphError` naming the file and the
problem instead of crashing in a compiled loop.
"""

from __future__ import annotations

import json
import os
import shutil
import tokenize
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from trustgraph.exceptions import GraphError

__all__ = ["COMPACT_FORMAT", "is_compact_folder", "read_folder", "write_folder"]

#: Marker in ``meta.json`` of a folder written by :meth:`CompactGraph.save`.
COMPACT_FORMAT = "trustgraph-compact"
_COMPACT_VERSION = 1


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


def _json_value(value: Any) -> Any:
    """JSON for numpy scalars and arrays in graph attributes; anything else as text."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


@dataclass(frozen=True)
class GraphParts:
    """What a saved folder holds: the arrays and columns of one `CompactGraph`.

    `labels` is a tuple of labels or, for integer labels never turned into Python
    objects, their array; on reading, `edge_attrs` is a :class:`_LazyArrays`.
    """

    labels: Sequence[Hashable] | np.ndarray
    adjacency: sp.csr_array
    directed: bool
    edge_attrs: Mapping[str, np.ndarray]
    node_attrs: Mapping[str, Sequence[Any]]
    graph_attrs: Mapping[str, Any]


def write_folder(
    folder: str | os.PathLike[str],
    parts: GraphParts,
    *,
    overwrite: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write `parts` to `folder` (see :meth:`CompactGraph.save`): into a hidden staging
    folder first, renamed into place once complete, so a failure leaves no half folder."""
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
        meta = _write_arrays(staging, parts, progress)
        with open(staging / "meta.json", "w", encoding="utf-8") as handle:
            json.dump(meta, handle, indent=1, default=_json_value)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _write_label_tuple(folder: Path, labels: tuple[Hashable, ...]) -> str:
    """Write node labels held as a tuple; return their kind for ``meta.json``."""
    kinds = {type(label) for label in labels}
    if (
        labels
        and kinds <= {int}
        and all(-(2**63) <= x < 2**63 for x in (min(labels), max(labels)))
    ):
        np.save(folder / "nodes.npy", np.asarray(labels, dtype=np.int64), allow_pickle=False)
        return "int"
    if labels and kinds <= {str} and not any("\n" in x or "\r" in x for x in labels):
        (folder / "nodes.txt").write_bytes("\n".join(labels).encode("utf-8"))
        return "lines"
    if kinds <= {str, int, float, bool}:
        with open(folder / "nodes.json", "w", encoding="utf-8") as handle:
            json.dump(list(labels), handle)
        return "json"
    raise GraphError(
        f"node labels of type {sorted(k.__name__ for k in kinds)} cannot be saved; "
        "use str or int labels"
    )


def _write_arrays(folder: Path, parts: GraphParts, progress: Callable[[str], None] | None) -> dict:
    def put(name: str, values: np.ndarray) -> str:
        if progress is not None:
            progress(name)
        np.save(folder / name, np.ascontiguousarray(values), allow_pickle=False)
        return name

    a = parts.adjacency
    put("indptr.npy", a.indptr)
    put("indices.npy", a.indices)
    put("weights.npy", a.data)
    edge_files = {}
    for position, (name, values) in enumerate(parts.edge_attrs.items()):
        values = np.asarray(values)
        if values.dtype.kind not in "biuf":
            raise GraphError(f"edge attribute {name!r} is not numeric; cannot save it")
        edge_files[name] = put(f"edge.{position}.npy", values)
    if progress is not None:
        progress("nodes")
    if isinstance(parts.labels, np.ndarray):
        # Integer labels never turned into a tuple: saved straight from their array.
        node_kind = "int"
        np.save(folder / "nodes.npy", parts.labels.astype(np.int64), allow_pickle=False)
    else:
        node_kind = _write_label_tuple(folder, tuple(parts.labels))
    node_columns = {}
    for position, (name, column) in enumerate(parts.node_attrs.items()):
        column_kinds = {type(v) for v in column}
        if column and (column_kinds <= {int} or column_kinds <= {float}):
            node_columns[name] = {"file": put(f"node.{position}.npy", np.asarray(column))}
        else:
            node_columns[name] = {"values": list(column)}
    return {
        "format": COMPACT_FORMAT,
        "version": _COMPACT_VERSION,
        "directed": parts.directed,
        "n_nodes": len(parts.labels),
        "n_stored": int(a.nnz),
        "node_labels": node_kind,
        "edge_attrs": edge_files,
        "node_attrs": node_columns,
        "graph_attrs": dict(parts.graph_attrs),
    }


def read_folder(folder: str | os.PathLike[str], *, mmap: bool = True) -> GraphParts:
    """The parts of a folder written by :func:`write_folder`, each checked (see
    :meth:`CompactGraph.load`); edge attributes are opened on first access.

    Examples
    --------
    >>> import tempfile
    >>> adjacency = sp.csr_array(np.array([[0.0, 2.0], [0.0, 0.0]]))
    >>> parts = GraphParts(("a", "b"), adjacency, True, {}, {}, {"name": "demo"})
    >>> folder = write_folder(Path(tempfile.mkdtemp()) / "g.tgc", parts)
    >>> back = read_folder(folder)
    >>> back.labels, back.adjacency.toarray().tolist(), back.graph_attrs
    (['a', 'b'], [[0.0, 2.0], [0.0, 0.0]], {'name': 'demo'})
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
    adjacency = _read_adjacency(source, n, nnz, mmap)
    labels = _load_labels(source, kind, n)
    node_attrs = {
        name: _read_node_column(meta, name, spec, n) for name, spec in node_specs.items()
    }
    return GraphParts(
        labels,
        adjacency,
        directed,
        _LazyArrays(source, edge_files, mmap, nnz),
        node_attrs,
        graph_attrs,
    )


def _read_adjacency(source: Path, n: int, nnz: int, mmap: bool) -> sp.csr_array:
    """The CSR arrays of a folder, checked before scipy reads them."""
    indptr = _load_vector(source / "indptr.npy", mmap, "iu", "integers", n + 1, "'n_nodes' + 1")
    indices = _load_vector(source / "indices.npy", mmap, "iu", "integers", nnz, "'n_stored'")
    weights = _load_vector(source / "weights.npy", mmap, "biuf", "numbers", nnz, "'n_stored'")
    _check_pointers(source, indptr, indices, n, nnz)
    # scipy's light format check reads only a few entries, so mapped pages stay on disk.
    try:
        return sp.csr_array((weights, indices, indptr), shape=(n, n), copy=False)
    except ValueError as exc:  # pragma: no cover - the checks above come first
        raise _DamagedFileError(source, f"inconsistent arrays ({exc})") from None


def _read_node_column(meta: _Meta, name: str, spec: dict, n: int) -> list:
    """One node attribute column: an array file or a JSON list of `n` values."""
    what = f"node attribute {name!r}"
    if "file" in spec:
        path = meta.path.parent / meta.file_name(what, spec["file"])
        return _load_vector(path, False, "biuf", "numbers", n, "'n_nodes'", what).tolist()
    if "values" in spec:
        values = spec["values"]
        if not isinstance(values, list):
            raise meta.error(f"{what}: 'values' is {_describe(values)}, not a list")
        if len(values) != n:
            raise meta.error(f"{what}: {len(values)} values for {n} nodes")
        return values
    raise meta.error(f"{what} has neither 'file' nor 'values'")
