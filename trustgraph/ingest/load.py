"""One entry point for "whatever the user pointed us at": detect, read, build one graph.

A path may be a graph file (edge list, GraphML, GEXF, node-link JSON, SNAP ego network), a
generic contacts or conversations CSV, a personal-data export (see
:func:`trustgraph.ingest.exports.read_export`), or a folder holding any number of exports
and record files (searched by :func:`trustgraph.ingest.exports.scan_folder`; what nothing
reads is listed with the reason). Record sources (contacts, conversations, exports) are
combined and turned into one weighted graph by the tie-strength model; a graph file is read
as it is. Mixing the two kinds is refused: a graph file has no conversations to weigh.
"""

from __future__ import annotations

import csv
import inspect
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from trustgraph.core.compact import CompactGraph, is_compact_folder
from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest import textio
from trustgraph.ingest.build import build_graph
from trustgraph.ingest.contacts_csv import (
    CONTACT_COLUMNS,
    CONVERSATION_COLUMNS,
    read_contacts,
    read_conversations,
)
from trustgraph.ingest.csvtable import _detect_delimiter, _header_key
from trustgraph.ingest.detect import detect_format, read_graph
from trustgraph.ingest.exports import (
    EXPORT_FORMATS,
    detect_export,
    explain_miss,
    read_export,
    read_found,
    scan_folder,
)
from trustgraph.ingest.identity import (
    merge_identities,
    read_identities,
)
from trustgraph.ingest.owner import owner_nodes, unmatched_in_graph, unmatched_me
from trustgraph.ingest.phones import DEFAULT_REGION, resolve_region
from trustgraph.ingest.progress import ProgressCallback, ReadProgress, input_size
from trustgraph.ingest.records import (
    ExportData,
    FoundInput,
    NameMerge,
    ProbableDuplicate,
    ReadReport,
    SkippedInput,
)
from trustgraph.ingest.snap_ego import is_snap_ego
from trustgraph.ingest.textio import csv_problem, read_text_lines
from trustgraph.ingest.ties import TieModel

__all__ = [
    "LoadedInputs",
    "ProgressCallback",
    "ReadProgress",
    "detect_source",
    "input_size",
    "load_inputs",
    "plan_inputs",
    "read_input",
    "read_records",
    "unmatched_me",
]

RECORD_SOURCES = ("contacts-csv", "conversations-csv")

#: Every column name of the two record CSVs, to tell their delimiter from the header.
_RECORD_COLUMNS = {**CONTACT_COLUMNS, **CONVERSATION_COLUMNS}
_CONVERSATION_HEADERS = {"timestamp", "time", "date", "datetime"}
_SENDER_HEADERS = {"sender", "from"}
#: Header names that make a CSV a contacts file: every alias of an identifier or name column
#: of ``contacts.csv`` (``email_address``, ``profile_url``...; not the given and family name
#: columns, which many tables of people have without any identifier).
_CONTACT_HEADERS = {
    key
    for key, meaning in CONTACT_COLUMNS.items()
    if meaning in ("id", "name", "email", "phone", "url", "identifiers")
}


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
        What was searched and what the identity layer merged across sources (counts only).
    found : list of FoundInput
        Every input read: each given file, and each export found in a given folder.
    skipped : list of SkippedInput
        Files of the given folders that were not read, with the reason; those with a
        ``format`` were recognised but could not be read (warn about them).
    merged_by_name : list of NameMerge
        People merged because records of different sources share their full name (node
        ``kept``, identifiers ``merged``, a ``reason`` with the ``confidence``).
    probable_duplicates : list of ProbableDuplicate
        People probably one person each but left apart (``nodes``, ``reason``, and
        ``identities_row``: the ``--identities`` line that would merge them).
    unmatched_me : tuple of str
        The ``me`` values that match no identifier, name or node of the inputs, as given.
    """

    graph: nx.Graph | CompactGraph
    owner: tuple[str, ...] = ()
    reports: list[ReadReport] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    kind: str = "records"
    notes: list[str] = field(default_factory=list)
    found: list[FoundInput] = field(default_factory=list)
    skipped: list[SkippedInput] = field(default_factory=list)
    merged_by_name: list[NameMerge] = field(default_factory=list)
    probable_duplicates: list[ProbableDuplicate] = field(default_factory=list)
    unmatched_me: tuple[str, ...] = ()


def _csv_header(path: Path) -> set[str]:
    with textio.open_binary(path) as handle:
        encoding = textio.head_encoding(handle.read(1 << 16))
    lines = read_text_lines(path, encoding=encoding, max_line_bytes=textio.MAX_LINE_BYTES)
    for number, line in lines:
        if line.strip():
            try:
                delimiter = _detect_delimiter(line, _RECORD_COLUMNS)
                row = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error as exc:
                raise IngestError(csv_problem(exc), path=path, line=number) from None
            return {_header_key(cell) for cell in row}
        break
    return set()


def _record_csv_kind(path: Path) -> str | None:
    """``contacts-csv`` or ``conversations-csv`` for a generic record CSV, else None."""
    if path.suffix.lower() not in (".csv", ".tsv", ".gz") or not path.is_file():
        return None
    header = _csv_header(path)
    if header & _CONVERSATION_HEADERS and header & _SENDER_HEADERS:
        return "conversations-csv"
    if header & _CONTACT_HEADERS and not header & {"target", "dst", "destination", "to"}:
        return "contacts-csv"
    return None


def _is_graph_folder(path: Path) -> bool:
    return is_compact_folder(path) or is_snap_ego(path)


def detect_source(path: str | os.PathLike[str]) -> str:
    """Name the kind of input at `path`.

    Returns ``"contacts-csv"`` or ``"conversations-csv"`` for the generic record CSVs
    (recognised by their header), an export name for personal-data exports, ``"folder"``
    for a folder holding several of those (:func:`plan_inputs` lists them), and otherwise
    the graph format from :func:`~trustgraph.ingest.detect.detect_format`. A folder holding
    one export is named by that export's format.
    """
    p = Path(path)
    if p.is_dir() and not _is_graph_folder(p):
        found, skipped = scan_folder(p, classify=_record_csv_kind)
        if len(found) == 1:
            return found[0].format
        if found:
            return "folder"
        return _empty_folder(p, skipped)
    export = detect_export(p)
    if export is not None:
        return export
    if p.is_file() and p.suffix.lower() in (".csv", ".tsv", ".txt", ".gz"):
        header = _csv_header(p)
        if header & _CONVERSATION_HEADERS and header & _SENDER_HEADERS:
            return "conversations-csv"
        if header & _CONTACT_HEADERS and not header & {"target", "dst", "destination", "to"}:
            return "contacts-csv"
    try:
        return detect_format(p)
    except IngestError as exc:
        saw = explain_miss(p) if exc.path == str(p) else ""
        if not saw or saw in exc.problem:
            raise
        # Nothing fits: say what each reader saw, the graph readers' verdict last.
        raise IngestError(f"{saw}; graph file: {exc.problem}", path=p) from None


def _empty_folder(path: Path, skipped: list[SkippedInput]) -> str:
    """The graph format of a folder without exports, or an error saying what it holds."""
    try:
        return detect_format(path)
    except IngestError as exc:
        if not skipped or "Signal" in exc.problem:
            raise
        shown = "; ".join(f"{s.path.name}: {s.reason}" for s in skipped[:3])
        more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        raise IngestError(
            f"no export, contacts, conversations or graph file found in this folder "
            f"({len(skipped)} file(s) passed over: {shown}{more})",
            path=path,
        ) from None


def plan_inputs(
    paths: Iterable[str | os.PathLike[str]], *, format: str | None = None
) -> tuple[list[tuple[int, FoundInput, bool]], list[SkippedInput]]:
    """What :func:`load_inputs` will read: each given path, folders searched.

    Returns
    -------
    inputs : list of (int, FoundInput, bool)
        The index of the given path each input comes from, the input, and whether it was
        given as it is (its errors are the user's to see) rather than found among others
        in a folder (an unreadable one is skipped with the reason).
    skipped : list of SkippedInput
        What the folders hold that nothing reads.
    """
    inputs: list[tuple[int, FoundInput, bool]] = []
    skipped: list[SkippedInput] = []
    for index, raw in enumerate(paths):
        p = Path(raw)
        if format is None and p.is_dir() and not _is_graph_folder(p):
            found, passed_over = scan_folder(p, classify=_record_csv_kind)
            if not found:
                inputs.append((index, FoundInput(_empty_folder(p, passed_over), p), True))
                continue
            inputs.extend((index, item, len(found) == 1) for item in found)
            skipped.extend(passed_over)
            continue
        inputs.append((index, FoundInput(format or detect_source(p), p), True))
    return inputs, skipped


def read_input(
    item: FoundInput,
    *,
    me: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportData:
    """Read one input of :func:`plan_inputs` (a record CSV or an export)."""
    if item.format in EXPORT_FORMATS:
        return read_found(
            item, me=me, progress=progress, **reader_options_for(item.format, options)
        )
    return read_records(item.path, me=me, source=item.format, options=options)


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
    region = (options or {}).get("default_region", DEFAULT_REGION)
    if kind == "contacts-csv":
        report = ReadReport(path=str(p), format=kind)
        contacts = read_contacts(p, report=report, default_region=region)
        return ExportData(contacts=contacts, reports=[report])
    if kind == "conversations-csv":
        report = ReadReport(path=str(p), format=kind)
        events = read_conversations(p, report=report, default_region=region)
        return ExportData(events=events, reports=[report])
    if kind in EXPORT_FORMATS:
        return read_export(
            p, me=me, format=kind, progress=progress, **reader_options_for(kind, options)
        )
    raise IngestError(f"{kind} is a graph file, not a contacts, conversations or export", path=p)


def _region(region: str | None, me: Sequence[str]) -> tuple[str | None, str]:
    """:func:`~trustgraph.ingest.phones.resolve_region`, an unknown code as ParameterError."""
    try:
        return resolve_region(region, me)
    except ValueError as error:
        raise ParameterError(str(error)) from None


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
    identities: str | os.PathLike[str] | None = None,
    name_merge: bool = True,
    defaults: Mapping[str, Any] | None = None,
    region: str | None = None,
) -> LoadedInputs:
    """Read every input and return one graph.

    Parameters
    ----------
    paths : iterable of path
        Files, export folders or archives, or folders holding several of them (a user's
        downloads): a folder is searched for every export it holds (see
        :func:`~trustgraph.ingest.exports.scan_folder`), and what nothing reads is listed
        in ``LoadedInputs.skipped`` with the reason.
    me : sequence of str
        The owner's identifiers (``--me``); exports that name their owner add theirs.
    ties : TieModel, optional
        How conversations become weights (default :class:`TieModel`).
    format : str, optional
        Force the format of every path instead of detecting it (folders are then not
        searched: each path goes to that reader as it is).
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
        size once that input is read (each export of a folder in turn), and in between
        while an mbox streams (about every MiB). Nothing is printed here: the CLI draws a
        bar from these calls.
    identities : path, optional
        An identities file (``--identities``): one person a row, that person's e-mail
        addresses, phone numbers, profile URLs or names in its cells (CSV), or a vCard
        file; see :func:`~trustgraph.ingest.identity.read_identities`. Each row's
        identifiers become one node.
    name_merge : bool, default True
        Merge records of different sources that share a full name and no conflicting
        identifier (``LoadedInputs.merged_by_name``); False only lists them in
        ``LoadedInputs.probable_duplicates`` (``--no-name-merge``).
    defaults : mapping, optional
        Reader options for the readers that take them when `options` does not set them,
        never an error when no reader takes them (the report keeps bulk mail by default:
        ``defaults={"include_bulk": True}``).
    region : str, optional
        The country of phone numbers written without their country code (``--region``,
        an ISO 3166 code such as ``"GB"``); by default the country of the owner's own
        international number in `me`, else ``phones.DEFAULT_REGION``. Numbers that cannot
        be placed are kept as written and counted in the notes, never guessed.

    Returns
    -------
    LoadedInputs

    Raises
    ------
    IngestError
        No paths, an unreadable input given as such (an export found in a folder among
        others is skipped with the reason instead, unless none can be read), a folder
        holding nothing readable, graph files mixed with record sources, or an unreadable
        identities file.
    ParameterError
        An unknown `region` code, or an option that no input's reader takes.
    """
    region, region_source = _region(region, me)
    paths = [Path(p) for p in paths]
    if not paths:
        raise IngestError("no input given")
    planned, skipped = plan_inputs(paths, format=format)
    kinds = [item.format for _, item, _ in planned]
    check_reader_options(kinds, options)
    options = {
        **dict(defaults or {}),
        "default_region": region,
        **{k: v for k, v in (options or {}).items() if v is not None},
    }
    record_kinds = [k for k in kinds if _is_record_source(k)]
    if record_kinds and len(record_kinds) != len(kinds):
        graph_files = [
            str(item.path) for _, item, _ in planned if not _is_record_source(item.format)
        ]
        raise IngestError(
            "cannot combine graph files with contacts, conversations or exports: "
            + ", ".join(graph_files)
        )
    tracker = ReadProgress(paths, progress) if progress is not None else None
    found = [item for _, item, _ in planned]
    if not record_kinds:
        return _load_graph(paths, kinds[0], found, me, format, compact, tracker)
    aliases = read_identities(identities) if identities is not None else ()
    data = _read_planned(planned, ExportData(owner=tuple(me)), me, options, tracker, skipped)
    if tracker is not None:
        tracker.report(tracker.total, "building the graph")
    # One person seen in several sources (same e-mail, phone, profile, an identities row,
    # or the same full name in different sources) becomes one node.
    merged = merge_identities(
        data.contacts,
        data.events,
        me=data.owner,
        name_merge=name_merge,
        aliases=aliases,
        default_region=region,
    )
    graph = build_graph(
        merged.contacts,
        merged.events,
        ties or TieModel(),
        me=merged.owner[:1] or data.owner,
        compact=compact,
    )
    owner = owner_nodes(graph, merged.owner or data.owner)
    notes = [*_search_notes(paths, planned, skipped), *merged.notes]
    if merged.unplaced_phones and region_source != "given":
        where = f"read as {region} numbers" if region else "not placed"
        notes.append(f"national phone numbers were {where} ({region_source}); --region sets it")
    return LoadedInputs(
        graph,
        owner,
        data.reports,
        paths,
        "records",
        notes,
        found=[item for item in found if item.path not in {s.path for s in skipped}],
        skipped=skipped,
        merged_by_name=list(merged.merged_by_name),
        probable_duplicates=list(merged.probable_duplicates),
        unmatched_me=unmatched_me(me, data.contacts, data.events, default_region=region),
    )


def _load_graph(
    paths: Sequence[Path],
    kind: str,
    found: list[FoundInput],
    me: Sequence[str],
    format: str | None,
    compact: bool,
    tracker: ReadProgress | None,
) -> LoadedInputs:
    """Read the one graph file of :func:`load_inputs`."""
    if len(paths) > 1:
        raise IngestError("give one graph file at a time (or record sources to combine)")
    report = ReadReport(path=str(paths[0]), format=kind)
    if tracker is not None:
        tracker.start(0)
    graph = read_graph(paths[0], format=format, report=report, compact=compact)
    if tracker is not None:
        tracker.finish(0)
    return LoadedInputs(
        graph,
        tuple(m for m in me if m in graph),
        [report],
        list(paths),
        kind="graph",
        found=found,
        unmatched_me=unmatched_in_graph(graph, me),
    )


def read_each(
    planned: Sequence[tuple[int, FoundInput, bool]],
    *,
    me: Sequence[str],
    options: Mapping[str, Any],
    tracker: ReadProgress | None,
    skipped: list[SkippedInput],
    read: Callable[..., ExportData] = read_input,
    failures: list[tuple[FoundInput, IngestError]] | None = None,
) -> Iterator[tuple[FoundInput, ExportData]]:
    """Read the planned inputs one by one, with progress; yield ``(item, data)`` for each.

    An input the user named that cannot be read raises. One found in a folder among others
    is passed over: added to `skipped` with the reason (and to `failures`), so that one
    damaged export does not stop the rest. `read` is called as
    ``read(item, me=..., options=..., progress=...)`` (:func:`read_input` by default).
    """
    done_in: dict[int, int] = {}
    for index, item, given in planned:
        within = tracker.start(index) if tracker is not None else None
        offset, size = done_in.get(index, 0), _sized(item)
        step = None if within is None else (lambda n, o=offset, w=within: w(o + n))
        data: ExportData | None = None
        try:
            data = read(item, me=me, options=options, progress=step)
        except IngestError as exc:
            if given:
                raise
            reason = exc.problem if exc.path == str(item.path) else str(exc)
            skipped.append(SkippedInput(item.path, reason, item.format))
            if failures is not None:
                failures.append((item, exc))
        done_in[index] = offset + size
        if within is not None:
            within(done_in[index])
        if data is not None:
            yield item, data
    if tracker is not None:
        for index in range(len(tracker.sizes)):
            tracker.finish(index)


def _read_planned(
    planned: Sequence[tuple[int, FoundInput, bool]],
    data: ExportData,
    me: Sequence[str],
    options: Mapping[str, Any],
    tracker: ReadProgress | None,
    skipped: list[SkippedInput],
) -> ExportData:
    """Read every planned record input into `data` (see :func:`read_each`); when every
    input failed, the first failure is raised."""
    failures: list[tuple[FoundInput, IngestError]] = []
    for _, found in read_each(
        planned, me=me, options=options, tracker=tracker, skipped=skipped, failures=failures
    ):
        data.extend(found)
    if failures and not data.reports:
        raise failures[0][1]
    return data


def _search_notes(
    paths: Sequence[Path],
    planned: Sequence[tuple[int, FoundInput, bool]],
    skipped: Sequence[SkippedInput],
) -> list[str]:
    """What searching the given folders found (counts and formats only)."""
    notes = []
    for index, path in enumerate(paths):
        items = [item for i, item, _ in planned if i == index]
        if not path.is_dir() or (len(items) == 1 and items[0].path == path):
            continue
        formats = ", ".join(dict.fromkeys(item.format for item in items))
        notes.append(f"folder searched: {len(items)} export(s) found ({formats})")
    unreadable = [s for s in skipped if s.format is not None]
    others = len(skipped) - len(unreadable)
    if unreadable:
        notes.append(
            f"{len(unreadable)} recognised file(s) could not be read and were left out "
            f"({', '.join(s.format or '' for s in unreadable)}); see skipped"
        )
    if others:
        notes.append(f"{others} file(s) in the folders are not read (see skipped for why)")
    return notes


def _is_record_source(kind: str) -> bool:
    return kind in RECORD_SOURCES or kind in EXPORT_FORMATS


def _sized(item: FoundInput) -> int:
    return sum(input_size(f) for f in item.files) if item.files else input_size(item.path)
