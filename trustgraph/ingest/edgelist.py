"""Edge lists: weighted, signed and timestamped, in CSV, TSV or whitespace-separated text.

Reading happens in two steps with a clean seam between them:

1. :func:`read_edge_columns` turns a file into typed column arrays (:class:`EdgeColumns`):
   node ids, weights, signs, timestamps and any extra columns, plus the line number of every
   row for error messages. A faster engine (pyarrow) can replace this step alone.
2. :func:`read_edgelist` turns those arrays into a graph with numpy: duplicate edges merge
   by a documented rule, timestamped rows aggregate into one edge per pair, and the result
   is a networkx graph or, with ``compact=True``, a :class:`~trustgraph.CompactGraph` built
   straight from the arrays.

Every reader in :mod:`trustgraph.ingest` takes ``report=`` (a
:class:`~trustgraph.ingest.records.ReadReport` that the reader fills in place) so that
``trustgraph inspect`` can show what was parsed and skipped.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import networkx as nx
import numpy as np

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest.edgecolumns import COLUMN_ALIASES, EdgeColumns, read_edge_columns
from trustgraph.ingest.records import ReadReport

__all__ = [
    "COLUMN_ALIASES",
    "EdgeColumns",
    "compact_to_networkx",
    "read_edge_columns",
    "read_edgelist",
]

_DUPLICATE_RULES = ("sum", "max", "min", "first", "last", "error")

#: Reads of at least this many rows return freed memory to the operating system.
_RELEASE_MIN_ROWS = 1_000_000


def _release_freed_memory() -> None:
    """Give memory that a large read freed back to the operating system.

    pyarrow's allocator (mimalloc or jemalloc) keeps freed blocks for reuse, and glibc's
    ``malloc`` keeps freed heap pages: after a 10M-edge read that is several times the
    graph's own size in resident memory, held until the process ends. This asks pyarrow's
    pool to release what it holds unused and, on Linux with glibc only, calls
    ``malloc_trim(0)`` (looked up with ctypes; skipped silently where it does not exist).
    Nothing is freed that is still in use; it takes milliseconds.
    """
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
        return None


# ---------------------------------------------------------------------------- graphs
def compact_to_networkx(cg: CompactGraph, *, drop_attrs: Sequence[str] = ()) -> nx.Graph:
    """A networkx graph from a CompactGraph, built with bulk ``add_*_from`` calls.

    Integer-valued attributes (``count``, ``sign``) come out as Python ints and ``NaN`` in
    extra float columns means "missing" (the key is left out of that edge's data).

    Parameters
    ----------
    cg : CompactGraph
    drop_attrs : sequence of str, optional
        Edge attributes to leave out.

    Returns
    -------
    networkx.DiGraph or networkx.Graph

    Examples
    --------
    >>> cg = CompactGraph.from_edges([1, 1], [2, 2], [0.5, 1.5], edge_attrs={"count": [1, 1]})
    >>> list(compact_to_networkx(cg).edges(data=True))
    [(1, 2, {'weight': 2.0, 'count': 2})]
    """
    G: nx.Graph = nx.DiGraph() if cg.directed else nx.Graph()
    G.graph.update({k: v for k, v in cg.graph_attrs.items() if k != "duplicates_merged"})
    labels = np.empty(cg.n_nodes, dtype=object)
    labels[:] = cg.nodes
    if cg.node_attrs:
        names = list(cg.node_attrs)
        G.add_nodes_from(
            (
                label,
                {k: cg.node_attrs[k][i] for k in names if cg.node_attrs[k][i] is not None},
            )
            for i, label in enumerate(cg.nodes)
        )
    else:
        G.add_nodes_from(cg.nodes)
    rows, cols = cg.edge_arrays()
    keep = rows <= cols if not cg.directed else slice(None)
    keys = ["weight"]
    values = [cg.weights[keep].tolist()]
    sparse_keys = []
    for key, array in cg.edge_attrs.items():
        if key in drop_attrs:
            continue
        keys.append(key)
        values.append(array[keep].tolist())
        if array.dtype.kind == "f" and key not in ("first_seen", "last_seen"):
            sparse_keys.append(key)
    data: Any = (dict(zip(keys, row)) for row in zip(*values))
    if sparse_keys:
        data = ({k: v for k, v in d.items() if not (k in sparse_keys and v != v)} for d in data)
    G.add_edges_from(zip(labels[rows[keep]].tolist(), labels[cols[keep]].tolist(), data))
    return G


def _first_duplicate_line(columns: EdgeColumns, directed: bool) -> int:
    seen: dict[Hashable, int] = {}
    for u, v, line in zip(
        columns.sources.tolist(), columns.targets.tolist(), columns.lines.tolist()
    ):
        key = (u, v) if directed else frozenset((u, v))
        if key in seen:
            return line
        seen[key] = line
    return 0


def _when(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def read_edgelist(
    path: str | os.PathLike[str],
    *,
    directed: bool | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
    columns: Sequence[str] | Mapping[str, str | int] | None = None,
    comments: Sequence[str] = ("#", "%"),
    signed: bool | None = None,
    allow_negative: bool = True,
    drop_self_loops: bool = False,
    duplicates: str = "sum",
    nodetype: Callable[[str], Hashable] | None = None,
    compact: bool = False,
    encoding: str = "utf-8",
    report: ReadReport | None = None,
) -> nx.Graph | CompactGraph:
    """Read a weighted, signed or timestamped edge list.

    Each data row is one edge ``source -> target`` (u trusts, rates or writes to v). Files
    may be CSV, TSV, semicolon- or whitespace-separated, gzip-compressed, with ``#``/``%``
    comment lines and with or without a header line.

    Parameters
    ----------
    path : str or path-like
        The file (``.gz`` is decompressed on the fly).
    directed : bool or None, default None
        ``None`` follows the file (a KONECT ``% sym`` line or a ``# undirected`` first
        comment, or a Gephi ``Type`` column of ``Undirected`` makes it undirected) and is
        directed otherwise. In an undirected graph ``u v`` and ``v u`` are one edge.
    delimiter : str or None, default None
        ``None`` detects tab, comma, semicolon or runs of whitespace from the first
        non-comment line (reported in ``report.variant``). ``" "`` means runs of whitespace.
    header : bool or None, default None
        ``None`` detects a header line: one that opens with two known column names
        (:data:`COLUMN_ALIASES`, or Gephi's ``Id``) or has a non-number where the next lines
        have numbers.
    columns : sequence of str or mapping, optional
        A sequence names the file's columns in order (replacing any header); a mapping
        assigns roles (``source``, ``target``, ``weight``, ``timestamp``, ``sign``) to
        header names or 0-based column numbers, e.g. ``{"weight": "stars"}``. Without
        either, header names are matched case-insensitively against :data:`COLUMN_ALIASES`;
        header-less files read 2 columns as ``source target``, 3 as ``... weight`` and 4
        as ``... weight timestamp`` (the SNAP signed and KONECT layout). Other columns
        become edge attributes under their header name.
    comments : sequence of str, default ("#", "%")
        Lines starting with one of these (after leading blanks) are skipped.
    signed : bool or None, default None
        Add a ``sign`` edge attribute (-1/+1, 0 for weight 0) next to the signed
        ``weight``. ``None`` does so when the file has a ``sign`` column or a negative
        weight. A ``sign`` column with a weight column gives ``weight = sign * |weight|``.
    allow_negative : bool, default True
        Negative weights are legitimate in signed lists (distrust), so they are accepted;
        ``False`` rejects them with the offending line. Algorithms that cannot use negative
        weights reject them later anyway.
    drop_self_loops : bool, default False
        Self-loops are kept (and counted in the report) unless this is true.
    duplicates : {"sum", "max", "min", "first", "last", "error"}, default "sum"
        How repeated pairs merge. Weights follow this rule; ``count`` (rows merged) always
        sums, ``first_seen`` takes the minimum, ``last_seen`` the maximum, ``sign`` follows
        the merged weight, other columns keep the last row's value (the first for
        ``"first"``). ``"error"`` raises on the first repeated pair, naming its line.
    nodetype : callable, optional
        ``None`` makes node ids ``int`` when every id is written as an integer (as in SNAP
        and KONECT files), strings otherwise; ``int``, ``str`` or any callable forces it.
    compact : bool, default False
        Return a :class:`~trustgraph.CompactGraph` built straight from the arrays (no
        networkx), for large files.
    encoding : str, default "utf-8"
        Decoding is strict: bad bytes are an error naming the line.
    report : ReadReport, optional
        Filled in place: rows, edges and nodes read, self-loops, merged duplicates,
        negative edges, skipped lines by reason, detected variant, date range.

    Returns
    -------
    networkx.DiGraph or networkx.Graph, or CompactGraph when ``compact=True``
        Every edge has a float ``weight`` (1.0 when the file has none). Timestamped files
        are temporal: each row is one event and each pair becomes one edge with ``count``
        (rows), ``first_seen`` and ``last_seen`` (epoch seconds) and ``weight`` = the sum
        of the row weights (1 per row without a weight column). When untimed rows repeat a
        pair, merged edges also carry ``count``.

    Raises
    ------
    IngestError
        Bad input, with the file and line: empty or header-only file, wrong delimiter
        (column count differs from the header or first row), unknown or missing columns,
        non-numeric, NaN or infinite weights, negative weights with
        ``allow_negative=False``, unparseable or out-of-range timestamps (years 1 to
        9999), duplicate pairs with ``duplicates="error"``, undecodable bytes, a line
        longer than :data:`~trustgraph.ingest.textio.MAX_LINE_BYTES`.
    ParameterError
        An unknown `duplicates` rule.

    See Also
    --------
    read_edge_columns : the file-to-arrays step alone.
    trustgraph.ingest.detect.read_graph : format detection for any graph file.

    Notes
    -----
    Direction convention: an edge ``u -> v`` means u has shown trust in v. The parsing is
    vectorised with numpy; only tokenising is per line (pyarrow tokenises when installed,
    see :func:`read_edge_columns`). After reading a million rows or more, memory the read
    freed is handed back to the operating system (pyarrow's pool, and glibc's
    ``malloc_trim`` on Linux), so the process keeps little more than the graph.
    Temporal aggregation follows the SNAP temporal network convention (Paranjape et al.
    2017): the static graph has one edge per ordered pair that exchanged at least one
    message.

    References
    ----------
    .. [1] J. Leskovec and A. Krevl, "SNAP Datasets: Stanford Large Network Dataset
       Collection", 2014, https://snap.stanford.edu/data.
    .. [2] J. Kunegis, "KONECT - The Koblenz Network Collection", WWW Companion 2013.
    .. [3] A. Paranjape, A. R. Benson, J. Leskovec, "Motifs in Temporal Networks",
       WSDM 2017.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "messages.txt"
    >>> _ = p.write_text("src dst ts\\n1 2 1700000000\\n1 2 1700000100\\n2 1 1700000200\\n")
    >>> G = read_edgelist(p)
    >>> G[1][2]["weight"], G[1][2]["count"], G[1][2]["last_seen"]
    (2.0, 2, 1700000100.0)
    >>> report = ReadReport(path="", format="")
    >>> H = read_edgelist(p, compact=True, report=report)
    >>> H.n_edges, report.records["rows"], report.variant
    (2, 3, 'delimiter=whitespace, header, temporal')
    """
    if duplicates not in _DUPLICATE_RULES:
        raise ParameterError(
            f"duplicates must be one of {', '.join(_DUPLICATE_RULES)}; got {duplicates!r}"
        )
    name = str(path)
    if report is None:
        report = ReadReport(path=name, format="edgelist")
    data = read_edge_columns(
        path,
        delimiter=delimiter,
        header=header,
        columns=columns,
        comments=comments,
        nodetype=nodetype,
        encoding=encoding,
        report=report,
    )
    rows = len(data)
    if rows >= _RELEASE_MIN_ROWS:
        # pyarrow's table is gone: its pages go back before the build allocates its own.
        _release_freed_memory()
    graph = _graph_from_columns(
        data,
        directed=directed,
        signed=signed,
        allow_negative=allow_negative,
        drop_self_loops=drop_self_loops,
        duplicates=duplicates,
        compact=compact,
        report=report,
    )
    # The columns and every intermediate array are garbage now: hand their pages back.
    del data
    if rows >= _RELEASE_MIN_ROWS:
        _release_freed_memory()
    return graph


def _graph_from_columns(
    data: EdgeColumns,
    *,
    directed: bool | None,
    signed: bool | None,
    allow_negative: bool,
    drop_self_loops: bool,
    duplicates: str,
    compact: bool,
    report: ReadReport,
) -> nx.Graph | CompactGraph:
    """The graph step of :func:`read_edgelist` (its locals die before memory is released)."""
    name = data.path
    if directed is None:
        directed = True if data.directed_hint is None else data.directed_hint
    m = len(data)
    weights, any_negative, is_signed = _signed_weights(data, signed, allow_negative)
    temporal = data.timestamps is not None
    attrs = _row_attributes(data, weights, is_signed, report)
    # Line numbers only follow the rows when a repeated pair must be named; otherwise
    # errors ask `data` for the line of one row (no per-row array on the pyarrow path).
    lines = data.lines if duplicates == "error" else None
    arcs = _Arcs(data.sources, data.targets, weights, lines, attrs)
    if directed and data.edge_types is not None:
        arcs.split_undirected_rows(data, report)
    n_loops = arcs.self_loops(drop_self_loops, report)
    sources, targets, weights, lines, attrs = (
        arcs.sources,
        arcs.targets,
        arcs.weights,
        arcs.lines,
        arcs.attrs,
    )
    del arcs

    rule = "sum" if duplicates == "error" else duplicates
    cg = CompactGraph.from_edges(
        sources, targets, weights, directed=directed, edge_attrs=attrs, duplicates=rule
    )
    merged = int(cg.graph_attrs["duplicates_merged"])
    if merged and duplicates == "error":
        line = _first_duplicate_line(EdgeColumns(name, sources, targets, lines), directed=directed)
        raise IngestError("repeated edge (duplicates='error')", path=name, line=line)

    drop = [] if (temporal or merged or "count" in data.extra) else ["count"]
    _report_graph(cg, report, m, merged, n_loops, any_negative, duplicates, temporal,
                  drop_self_loops)  # fmt: skip

    if compact:
        if drop:
            attrs_kept = {k: v for k, v in cg.edge_attrs.items() if k not in drop}
            # _derive shares the labels as stored: integer labels stay one array.
            cg = cg._derive(cg.adjacency, attrs_kept, directed=cg.directed)
        return cg
    return compact_to_networkx(cg, drop_attrs=drop)


def _signed_weights(
    data: EdgeColumns, signed: bool | None, allow_negative: bool
) -> tuple[np.ndarray, bool, bool]:
    """Row weights (signs applied), whether any is negative, and whether the graph is signed."""
    weights = data.weights if data.weights is not None else np.ones(len(data))
    if data.signs is not None:
        weights = data.signs * np.abs(weights)
    negative = weights < 0
    any_negative = bool(negative.any())
    if any_negative and not allow_negative:
        i = int(np.flatnonzero(negative)[0])
        raise IngestError(
            f"negative weight {weights[i]:g} (allow_negative=False)",
            path=data.path,
            line=data.line_of(i),
        )
    is_signed = signed if signed is not None else bool(data.signs is not None or any_negative)
    return weights, any_negative, is_signed


def _row_attributes(
    data: EdgeColumns, weights: np.ndarray, is_signed: bool, report: ReadReport
) -> dict[str, np.ndarray]:
    """Edge attribute columns of the rows: count, times, sign and the extra columns."""
    m = len(data)
    temporal = data.timestamps is not None
    if temporal or "count" in data.extra:
        attrs: dict[str, np.ndarray] = {"count": np.ones(m, dtype=np.int64)}
    else:
        # Kept only when rows merge (then summed into a new array): a read-only broadcast
        # of 1 costs no memory and no reordering in the common merge-free case.
        attrs = {"count": np.broadcast_to(np.int64(1), (m,))}
    if temporal:
        attrs["first_seen"] = data.timestamps
        attrs["last_seen"] = data.timestamps
        if m:
            report.see(_when(float(data.timestamps.min())))
            report.see(_when(float(data.timestamps.max())))
    attrs.update({k: v for k, v in data.extra.items() if k not in ("weight", "count")})
    if "count" in data.extra:
        attrs["count"] = np.where(
            np.isnan(data.extra["count"].astype(np.float64)), 1, data.extra["count"]
        ).astype(np.int64)
    if is_signed:
        attrs["sign"] = np.sign(weights).astype(np.int8)
    return attrs


class _Arcs:
    """The rows as arcs, before the graph is built: Gephi's undirected rows doubled,
    self-loops dropped on request."""

    def __init__(
        self,
        sources: np.ndarray,
        targets: np.ndarray,
        weights: np.ndarray,
        lines: np.ndarray | None,
        attrs: dict[str, np.ndarray],
    ) -> None:
        self.sources, self.targets, self.weights = sources, targets, weights
        self.lines, self.attrs = lines, attrs

    def split_undirected_rows(self, data: EdgeColumns, report: ReadReport) -> None:
        both_ways = data.edge_types == "undirected"
        if not both_ways.any():
            return
        # Gephi "Mixed" tables: an undirected row in a directed graph is two arcs.
        self.sources = np.concatenate([self.sources, self.targets[both_ways]])
        self.targets = np.concatenate([self.targets, data.sources[both_ways]])
        self.weights = np.concatenate([self.weights, self.weights[both_ways]])
        if self.lines is not None:
            self.lines = np.concatenate([self.lines, self.lines[both_ways]])
        self.attrs = {k: np.concatenate([v, v[both_ways]]) for k, v in self.attrs.items()}
        report.notes.append(
            f"{int(both_ways.sum())} undirected rows in a directed table became two arcs"
        )

    def self_loops(self, drop: bool, report: ReadReport) -> int:
        """Count the self-loops (and drop them when `drop`)."""
        loops = self.sources == self.targets
        n_loops = int(np.count_nonzero(loops))
        if drop and n_loops:
            keep = ~loops
            self.sources, self.targets = self.sources[keep], self.targets[keep]
            self.weights = self.weights[keep]
            if self.lines is not None:
                self.lines = self.lines[keep]
            self.attrs = {k: v[keep] for k, v in self.attrs.items()}
            report.skip("self-loop dropped", n_loops)
            report.notes.append(f"{n_loops} self-loops dropped (drop_self_loops=True)")
        elif n_loops:
            report.notes.append(f"{n_loops} self-loops kept")
        return n_loops


def _report_graph(
    cg: CompactGraph,
    report: ReadReport,
    m: int,
    merged: int,
    n_loops: int,
    any_negative: bool,
    duplicates: str,
    temporal: bool,
    drop_self_loops: bool,
) -> None:
    """Record what the build did: merged rows, aggregated events, self-loops, signs."""
    if merged:
        how = {"sum": "weights summed"}.get(duplicates, f"weight = {duplicates}")
        report.notes.append(
            f"{merged} repeated rows merged into their pair ({how}; count = rows merged)"
        )
    if temporal:
        report.notes.append(
            f"temporal edge list: {m} events aggregated into {cg.n_edges} pairs "
            "(weight = sum of row weights, count, first_seen, last_seen)"
        )
    if drop_self_loops:
        kept_loops = 0
    elif merged:
        kept_loops = cg.n_self_loops  # repeated self-loops merged into one
    else:
        kept_loops = n_loops  # every row is one stored edge: no second pass over the graph
    report.records["edges"] += cg.n_edges
    report.records["nodes"] += cg.n_nodes
    if kept_loops:
        report.records["self_loops"] += kept_loops
    if merged:
        report.records["duplicates_merged"] += merged
    # Merging adds up or picks weights: without a negative row there is no negative edge.
    n_negative = int(np.count_nonzero(cg.weights < 0)) if any_negative else 0
    if n_negative:
        if not cg.directed:
            rows, cols = cg.edge_arrays()
            n_negative = int(np.count_nonzero((cg.weights < 0) & (rows <= cols)))
        report.records["negative_edges"] += n_negative
        report.notes.append(f"{n_negative} edges have negative weights (signed)")
