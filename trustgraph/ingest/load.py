"""One entry point for "whatever the user pointed us at": detect, read, build one graph.

A path may be a graph file (edge list, GraphML, GEXF, node-link JSON, SNAP ego network), a
generic contacts or conversations CSV, or a personal-data export (see
:func:`trustgraph.ingest.exports.read_export`). Record sources (contacts, conversations,
exports) are combined and turned into one weighted graph by the tie-strength model; a graph
file is read as it is. Mixing the two kinds is refused: a graph file has no conversations
to weigh.
"""

from __future__ import annotations

import csv
import inspect
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest import textio
from trustgraph.ingest.build import build_graph
from trustgraph.ingest.contacts_csv import read_contacts, read_conversations
from trustgraph.ingest.detect import detect_format, read_graph
from trustgraph.ingest.exports import EXPORT_FORMATS, detect_export, read_export
from trustgraph.ingest.identity import merge_identities
from trustgraph.ingest.records import ExportData, ReadReport
from trustgraph.ingest.textio import csv_problem, read_text_lines
from trustgraph.ingest.ties import TieModel

__all__ = [
    "LoadedInputs",
    "ProgressCallback",
    "ReadProgress",
    "detect_source",
    "input_size",
    "load_inputs",
    "read_records",
]

RECORD_SOURCES = ("contacts-csv", "conversations-csv")

_CONVERSATION_HEADERS = {"timestamp", "time", "date", "datetime"}
_SENDER_HEADERS = {"sender", "from"}
_CONTACT_HEADERS = {"id", "contact_id", "name", "display_name", "full_name", "email", "phone"}

#: ``progress(done_bytes, total_bytes, label)``: how far :func:`load_inputs` has read.
ProgressCallback = Callable[[int, int, str], None]


def input_size(path: str | os.PathLike[str]) -> int:
    """Bytes on disk behind an input: a file's size, the summed sizes of a folder's files
    (recursively), 0 for a path that does not exist (reading it will say why).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_bytes(b"12345")
    >>> _ = (folder / "b.csv").write_bytes(b"123")
    >>> input_size(folder), input_size(folder / "a.csv"), input_size(folder / "none")
    (8, 5, 0)
    """
    p = Path(path)
    try:
        if p.is_dir():
            return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        return p.stat().st_size if p.is_file() else 0
    except OSError:
        return 0


class ReadProgress:
    """Turn the reading of several inputs into ``progress(done, total, label)`` calls.

    `total` is the summed :func:`input_size` of the inputs. Reading input ``i`` moves
    `done` from the sizes of the inputs before it to those plus its own; a streaming reader
    may report bytes in between through the callable :meth:`start` returns. `done` never
    goes back and never passes `total`. Nothing is printed: the callback decides.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_bytes(b"x" * 10)
    >>> _ = (folder / "b.csv").write_bytes(b"x" * 30)
    >>> calls = []
    >>> tracker = ReadProgress([folder / "a.csv", folder / "b.csv"],
    ...                        lambda done, total, label: calls.append((done, total, label)))
    >>> tracker.finish(0)
    >>> within = tracker.start(1)
    >>> within(12)
    >>> tracker.finish(1)
    >>> calls
    [(10, 40, 'a.csv'), (10, 40, 'b.csv'), (22, 40, 'b.csv'), (40, 40, 'b.csv')]
    """

    def __init__(
        self, paths: Sequence[str | os.PathLike[str]], progress: ProgressCallback
    ) -> None:
        self._progress = progress
        self._labels = [Path(p).name or str(p) for p in paths]
        self.sizes = [input_size(p) for p in paths]
        self.total = sum(self.sizes)
        self._offsets = [sum(self.sizes[:i]) for i in range(len(self.sizes))]
        self.done = 0

    def report(self, done: int, label: str) -> None:
        """Call the callback with `done` (kept non-decreasing and at most the total)."""
        self.done = min(max(self.done, done), self.total)
        self._progress(self.done, self.total, label)

    def start(self, index: int) -> Callable[[int], None]:
        """Announce input `index`; return ``within(bytes_read_in_that_input)``."""
        base, size, label = self._offsets[index], self.sizes[index], self._labels[index]
        self.report(base, label)

        def within(bytes_read: int) -> None:
            self.report(base + min(bytes_read, size), label)

        return within

    def finish(self, index: int) -> None:
        """Input `index` has been read: count all of its bytes."""
        self.report(self._offsets[index] + self.sizes[index], self._labels[index])


@dataclass
class LoadedInputs:
    """A graph and what went into it.

    Attributes
    ----------
    graph : networkx.DiGraph or Graph or CompactGraph
    owner : tuple of str
        The owner's node ids (from ``--me`` or detected); empty for whole networks.
    reports : list of ReadReport
        One per file read.
    paths : list of Path
        The inputs, for hashing in the report footer.
    kind : {"records", "graph"}
        Built from conversations and contacts, or read from a graph file.
    notes : list of str
        What the identity layer merged across sources (counts only).
    """

    graph: nx.Graph | CompactGraph
    owner: tuple[str, ...] = ()
    reports: list[ReadReport] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    kind: str = "records"
    notes: list[str] = field(default_factory=list)


def _csv_header(path: Path) -> set[str]:
    lines = read_text_lines(path, max_line_bytes=textio.MAX_LINE_BYTES)
    for number, line in lines:
        if line.strip():
            dialect = "excel-tab" if line.count("\t") > line.count(",") else "excel"
            try:
                row = next(csv.reader([line], dialect=dialect), [])
            except csv.Error as exc:
                raise IngestError(csv_problem(exc), path=path, line=number) from None
            return {cell.strip().lower().replace(" ", "_") for cell in row}
        break
    return set()


def detect_source(path: str | os.PathLike[str]) -> str:
    """Name the kind of input at `path`.

    Returns ``"contacts-csv"`` or ``"conversations-csv"`` for the generic record CSVs
    (recognised by their header), an export name for personal-data exports, and otherwise
    the graph format from :func:`~trustgraph.ingest.detect.detect_format`.
    """
    p = Path(path)
    export = detect_export(p)
    if export is not None:
        return export
    if p.is_file() and p.suffix.lower() in (".csv", ".tsv", ".txt", ".gz"):
        header = _csv_header(p)
        if header & _CONVERSATION_HEADERS and header & _SENDER_HEADERS:
            return "conversations-csv"
        if header & _CONTACT_HEADERS and not header & {"target", "dst", "destination", "to"}:
            return "contacts-csv"
    return detect_format(p)


def read_records(
    path: str | os.PathLike[str],
    *,
    me: Sequence[str] = (),
    source: str | None = None,
    options: Mapping[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportData:
    """Read one record source (contacts CSV, conversations CSV or an export).

    `options` are reader options (``date_format``, ``include_bulk``, ``tz``...); each is
    passed only to readers that take it (see :func:`reader_options_for`). `progress`,
    called as ``progress(bytes_read)``, goes to readers that stream and report it (mbox).
    """
    p = Path(path)
    kind = source or detect_source(p)
    if kind == "contacts-csv":
        report = ReadReport(path=str(p), format=kind)
        return ExportData(contacts=read_contacts(p, report=report), reports=[report])
    if kind == "conversations-csv":
        report = ReadReport(path=str(p), format=kind)
        return ExportData(events=read_conversations(p, report=report), reports=[report])
    if kind in EXPORT_FORMATS:
        return read_export(
            p, me=me, format=kind, progress=progress, **reader_options_for(kind, options)
        )
    raise IngestError(f"{kind} is a graph file, not a contacts, conversations or export", path=p)


def reader_options_for(kind: str, options: Mapping[str, Any] | None) -> dict[str, Any]:
    """The subset of `options` that the reader of `kind` takes (None values dropped)."""
    reader = EXPORT_FORMATS.get(kind)
    if reader is None or not options:
        return {}
    accepted = inspect.signature(reader).parameters
    return {k: v for k, v in options.items() if v is not None and k in accepted}


def check_reader_options(kinds: Iterable[str], options: Mapping[str, Any] | None) -> None:
    """Refuse an option that none of the inputs' readers takes (e.g. a WhatsApp date order
    given with no WhatsApp chat), instead of ignoring it silently."""
    given = {k for k, v in (options or {}).items() if v is not None}
    used: set[str] = set()
    for kind in kinds:
        used |= set(reader_options_for(kind, options))
    unused = sorted(given - used)
    if unused:
        raise ParameterError(
            f"option {', '.join(unused)} does not apply to any of the inputs "
            f"({', '.join(sorted(set(kinds)))})"
        )


def load_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    me: Sequence[str] = (),
    ties: TieModel | None = None,
    format: str | None = None,
    compact: bool = False,
    options: Mapping[str, Any] | None = None,
    progress: ProgressCallback | None = None,
) -> LoadedInputs:
    """Read every input and return one graph.

    Parameters
    ----------
    paths : iterable of path
        Files, export folders or archives.
    me : sequence of str
        The owner's identifiers (``--me``); exports that name their owner add theirs.
    ties : TieModel, optional
        How conversations become weights (default :class:`TieModel`).
    format : str, optional
        Force the format of every path instead of detecting it.
    compact : bool
        Return a :class:`CompactGraph` instead of a networkx graph.
    options : mapping, optional
        Reader options such as ``date_format="dmy"`` (WhatsApp) or ``include_bulk=True``
        (e-mail); each goes to the readers that take it, and one that no input's reader
        takes raises :class:`ParameterError`.
    progress : callable, optional
        Called as ``progress(done_bytes, total_bytes, label)`` while reading, where
        `total_bytes` is the summed size of the inputs (a folder: its files; a zip: the
        archive), `done_bytes` never decreases and ends at `total_bytes`, and `label` names
        the input being read (then ``"building the graph"``). It advances by each input's
        size once that input is read, and in between while an mbox streams (about every
        MiB). Nothing is printed here: the CLI draws a bar from these calls.

    Returns
    -------
    LoadedInputs

    Raises
    ------
    IngestError
        No paths, an unreadable input, or graph files mixed with record sources.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise IngestError("no input given")
    kinds = [format or detect_source(p) for p in paths]
    check_reader_options(kinds, options)
    record_kinds = [k for k in kinds if _is_record_source(k)]
    if record_kinds and len(record_kinds) != len(kinds):
        graph_files = [str(p) for p, k in zip(paths, kinds) if not _is_record_source(k)]
        raise IngestError(
            "cannot combine graph files with contacts, conversations or exports: "
            + ", ".join(graph_files)
        )
    tracker = ReadProgress(paths, progress) if progress is not None else None
    if not record_kinds:
        if len(paths) > 1:
            raise IngestError("give one graph file at a time (or record sources to combine)")
        report = ReadReport(path=str(paths[0]), format=kinds[0])
        if tracker is not None:
            tracker.start(0)
        graph = read_graph(paths[0], format=format, report=report, compact=compact)
        if tracker is not None:
            tracker.finish(0)
        owner = tuple(m for m in me if m in graph)
        return LoadedInputs(graph, owner, [report], paths, kind="graph")
    data = ExportData(owner=tuple(me))
    for index, (path, kind) in enumerate(zip(paths, kinds)):
        within = tracker.start(index) if tracker is not None else None
        data.extend(read_records(path, me=me, source=kind, options=options, progress=within))
        if tracker is not None:
            tracker.finish(index)
    if tracker is not None:
        tracker.report(tracker.total, "building the graph")
    # One person seen in several sources (same e-mail, phone, profile) becomes one node.
    merged = merge_identities(data.contacts, data.events, me=data.owner)
    graph = build_graph(
        merged.contacts,
        merged.events,
        ties or TieModel(),
        me=merged.owner[:1] or data.owner,
        compact=compact,
    )
    owner = _owner_nodes(graph, merged.owner or data.owner)
    return LoadedInputs(graph, owner, data.reports, paths, "records", merged.notes)


def _is_record_source(kind: str) -> bool:
    return kind in RECORD_SOURCES or kind in EXPORT_FORMATS


def _owner_nodes(graph: nx.Graph | CompactGraph, given: Sequence[str]) -> tuple[str, ...]:
    if isinstance(graph, CompactGraph):
        flags = graph.node_attrs.get("is_me")
        found = [n for n, f in zip(graph.nodes, flags or ()) if f]
    else:
        found = [n for n, d in graph.nodes(data=True) if d.get("is_me")]
    return tuple(dict.fromkeys(found or [m for m in given if m in graph]))
