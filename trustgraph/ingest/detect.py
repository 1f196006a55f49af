"""One entry point for graph files: detect the format, dispatch to its reader, report.

:func:`read_graph` reads any supported graph file, :func:`detect_format` says which reader it
would use, and :func:`inspect_graph` reads a file only for its
:class:`~trustgraph.ingest.records.ReadReport` (what ``trustgraph inspect`` prints).

Report pattern
--------------
Every reader takes ``report=None``; pass a ``ReadReport`` and the reader fills it in place
(path, format, variant, ``records`` counts, ``skipped`` lines by reason, notes, date range).
``inspect_graph`` is the convenience that creates the report, reads and returns it.
"""

from __future__ import annotations

import inspect
import os
import re
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from trustgraph.core.compact import CompactGraph, is_compact_folder
from trustgraph.exceptions import GraphError, IngestError, ParameterError
from trustgraph.ingest.edgelist import read_edgelist
from trustgraph.ingest.graphfiles import read_gexf, read_graphml, read_node_link
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.snap_ego import is_snap_ego, read_snap_ego
from trustgraph.ingest.sniff import FIT_THRESHOLD, describe_misses, label_of, rank_text
from trustgraph.ingest.textio import check_file, open_binary

__all__ = ["GRAPH_FORMATS", "detect_format", "inspect_graph", "read_compact", "read_graph"]


def read_compact(
    path: str | os.PathLike[str], *, mmap: bool = True, report: ReadReport | None = None
) -> CompactGraph:
    """Open a graph folder written by ``CompactGraph.save`` (``trustgraph ingest -o x.tgc``).

    Parameters
    ----------
    path : str or path-like
        The ``.tgc`` folder.
    mmap : bool, default True
        Memory-map the arrays (see :meth:`CompactGraph.load`).
    report : ReadReport, optional
        Filled in place (format ``compact``, node and edge counts).

    Returns
    -------
    CompactGraph

    Raises
    ------
    IngestError
        Not a graph folder, or a damaged one.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> cg = CompactGraph.from_edges(["ann"], ["bob"], [2.0])
    >>> folder = cg.save(pathlib.Path(tempfile.mkdtemp()) / "g.tgc")
    >>> read_compact(folder).n_edges
    1
    """
    try:
        graph = CompactGraph.load(path, mmap=mmap)
    except GraphError as exc:
        # A damaged file of the folder comes with its own path: named once, not twice.
        where, problem = getattr(exc, "path", path), getattr(exc, "problem", str(exc))
        raise IngestError(problem, path=where) from None
    if report is not None:
        report.path = str(path)
        report.format = "compact"
        report.variant = "memory-mapped" if mmap else "in memory"
        report.records["nodes"] += graph.n_nodes
        report.records["edges"] += graph.n_edges
    return graph


#: Format names accepted by ``format=`` and returned by :func:`detect_format`.
GRAPH_FORMATS: dict[str, Callable[..., Any]] = {
    "edgelist": read_edgelist,
    "graphml": read_graphml,
    "gexf": read_gexf,
    "node-link": read_node_link,
    "snap-ego": read_snap_ego,
    "compact": read_compact,
}
_ALIASES = {
    "csv": "edgelist",
    "tsv": "edgelist",
    "txt": "edgelist",
    "konect": "edgelist",
    "edges": "edgelist",
    "json": "node-link",
    "node_link": "node-link",
    "nodelink": "node-link",
    "snap_ego": "snap-ego",
    "ego": "snap-ego",
    "tgc": "compact",
}
_EXTENSIONS = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".json": "node-link",
    ".csv": "edgelist",
    ".tsv": "edgelist",
    ".txt": "edgelist",
    ".edges": "edgelist",
    ".edgelist": "edgelist",
    ".el": "edgelist",
    ".dat": "edgelist",
}
_SNIFF_BYTES = 4096


def _normalise_format(fmt: str) -> str:
    key = fmt.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in GRAPH_FORMATS:
        raise ParameterError(
            f"unknown graph format {fmt!r}; choose one of {sorted(GRAPH_FORMATS)}"
        )
    return key


# A chat line: a date and a time, then a name and a colon ("13.01.2024 um 21:03 - Ada: hi",
# "[2024-03-14 09:05:12] Me: hi", "1/13/24 9:03 PM: Bo: hi", "13. 6. 2018. 21:25:15 Bo: hi",
# the year in the middle "[06/2018/13, 21:25:15] Bo: hi"). An edge list has no "Name: ".
_CHAT_LINE = re.compile(
    r"^[\u200e\u200f]?[\[(]?\d{1,4}[./-] ?\d{1,4}[./-] ?\d{1,4}[,.]?"
    r"\s+(?:\S{1,4}\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
    r"(?:\s?(?:[AaPp]\.?\s?[Mm]\.?|上午|下午|午前|午後|오전|오후))?"
    r"[\])]?,?\s*(?:[-–:]\s*)?[^\s:,;\t][^:,;\t]{0,60}:(?:\s|$)"
)
_SIGNAL_LINE = re.compile(r"^\[\d{4}-\d{2}-\d{2},? \d{2}:\d{2}(?::\d{2})?\] [^:]{1,80}: ")
_CHAT_ADVICE = (
    "looks like a chat export in an unsupported layout (lines start with a date, a time "
    "and 'Name:'), not an edge list; trustgraph reads WhatsApp .txt chats and the JSON "
    "exports of Telegram, Slack, Messenger/Instagram and X (pass --format to force one)"
)
_SIGNAL_ADVICE = (
    "looks like a Signal chat written by signal-export (chat.md), a chat export trustgraph "
    "does not read yet; it reads WhatsApp .txt chats and the JSON exports of Telegram, "
    "Slack, Messenger/Instagram and X"
)
_HTML_ADVICE = (
    "an HTML page, not a graph file; if it is a chat or social-network export downloaded "
    "as HTML (Messenger, Instagram, Telegram), request it again in JSON format"
)


def _is_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except (EOFError, OSError, zlib.error):  # a truncated gzip: reading it says so below
        return False


def _head(path: Path) -> bytes:
    with open_binary(path) as handle:
        try:
            return handle.read(_SNIFF_BYTES)
        except (OSError, EOFError) as exc:
            raise IngestError(f"cannot read file: {exc}", path=path) from None


def _refuse_non_graph(path: Path, head: bytes) -> None:
    """Raise a message that says what `head` is when it is plainly not a graph file: a zip
    archive, an HTML page or a chat transcript (read as an edge list, each would give an
    unrelated error about columns or bytes)."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if zipfile.is_zipfile(path):
            raise IngestError(
                "a zip archive that holds no export trustgraph recognises; extract the "
                "graph file from it and give that",
                path=path,
            )
        raise IngestError(
            "truncated or damaged zip archive (its table of contents at the end is missing "
            "or unreadable): download or copy it again",
            path=path,
        )
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    best = rank_text(path.name, text)[0]
    if best.score >= FIT_THRESHOLD:
        # A chat or contacts export never falls through to a graph reader (a Telegram
        # chat read as node-link JSON would only say that it has no 'nodes').
        raise IngestError(
            f"a {label_of(best.format)} export, not a graph file; read it as an export "
            f"(the trustgraph commands detect it, or pass --input-format {best.format})",
            path=path,
        )
    if text[:1] in "{[" and '"messages"' in text and '"nodes"' not in text:
        raise IngestError(
            "JSON with a 'messages' list and no 'nodes': a chat export in a layout trustgraph "
            f"does not know ({describe_misses(rank_text('x.json', text))}), not a graph file",
            path=path,
        )
    lowered = text[:512].lower()
    if lowered.startswith(("<!doctype html", "<html", "<head", "<meta")):
        raise IngestError(_HTML_ADVICE, path=path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(head) >= _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = lines[:20]
    if not lines:
        return
    if path.name.lower() == "chat.md" or (
        path.suffix.lower() == ".md" and any(_SIGNAL_LINE.match(line) for line in lines)
    ):
        raise IngestError(_SIGNAL_ADVICE, path=path)
    chat = sum(bool(_CHAT_LINE.match(line)) for line in lines)
    if chat >= 2 or (chat == 1 and len(lines) == 1):
        raise IngestError(_CHAT_ADVICE, path=path)


def _sniff(path: Path) -> str:
    head = _head(path)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise IngestError("the file is empty", path=path)
    _refuse_non_graph(path, head)
    if text.startswith(b"<"):
        if b"<graphml" in head:
            return "graphml"
        if b"<gexf" in head:
            return "gexf"
        raise IngestError("an XML file that is neither GraphML nor GEXF", path=path)
    if text.startswith((b"{", b"[")):
        return "node-link"
    return "edgelist"


def detect_format(path: str | os.PathLike[str]) -> str:
    """Name the reader :func:`read_graph` would use for `path`.

    The extension decides when it is telling (``.graphml``, ``.gexf``, ``.json``,
    ``.csv``/``.tsv``/``.txt``/``.edges``, ``.tar.gz``; a trailing ``.gz`` is looked
    through; KONECT ``out.*`` files are edge lists); otherwise the first bytes are sniffed
    (``<graphml``, ``<gexf``, ``{``), and plain text is an edge list. A folder or tar
    archive holding ``<ego>.edges`` files is a SNAP ego-network collection. Text that is
    plainly something else is refused with a message that says what it looks like: a zip
    archive (or a truncated one), an HTML page, a chat transcript (lines starting with a
    date, a time and ``Name:``) or a Signal ``chat.md``.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    str
        One of ``"edgelist"``, ``"graphml"``, ``"gexf"``, ``"node-link"``, ``"snap-ego"``,
        ``"compact"`` (a ``.tgc`` folder written by ``CompactGraph.save``).

    Raises
    ------
    IngestError
        Missing path, a named pipe or device, a folder or archive without ego networks,
        an empty file, XML that is neither GraphML nor GEXF, a zip archive, an HTML page,
        a chat transcript.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "out.trust").write_text("% asym positive\\n1 2 0.8\\n")
    >>> detect_format(folder / "out.trust")
    'edgelist'
    >>> _ = (folder / "graph").write_text('<?xml version="1.0"?><graphml></graphml>')
    >>> detect_format(folder / "graph")
    'graphml'
    """
    p = Path(path)
    if not p.exists():
        raise IngestError("no such file or folder", path=p)
    if p.is_dir():
        if is_compact_folder(p):
            return "compact"
        if is_snap_ego(p):
            return "snap-ego"
        if any(child.is_file() for child in p.rglob("chat.md")):
            raise IngestError(_SIGNAL_ADVICE.replace("a Signal chat", "Signal chats"), path=p)
        raise IngestError(
            "a folder without <ego>.edges files; give a graph file or a SNAP ego-network folder",
            path=p,
        )
    check_file(p)  # a FIFO or a device would block or never end below
    suffixes = [s.lower() for s in p.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    if suffixes[-1:] in ([".tar"], [".tgz"]) or (p.name.lower().endswith(".tgz") or _is_tar(p)):
        if is_snap_ego(p):
            return "snap-ego"
        raise IngestError("an archive without <ego>.edges files", path=p)
    if suffixes and suffixes[-1] in _EXTENSIONS:
        fmt = _EXTENSIONS[suffixes[-1]]
    elif p.name.startswith("out."):
        fmt = "edgelist"
    else:
        return _sniff(p)
    if fmt in ("edgelist", "node-link"):
        _refuse_non_graph(p, _head(p))
    return fmt


def read_graph(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    report: ReadReport | None = None,
    **options: Any,
) -> nx.Graph | CompactGraph:
    """Read a graph file of any supported format.

    Parameters
    ----------
    path : str or path-like
        Edge list (CSV/TSV/whitespace, SNAP, KONECT ``out.*``, optionally ``.gz``), GraphML,
        GEXF, node-link JSON, a SNAP ego-network folder or ``.tar.gz``, or a ``.tgc``
        folder written by ``CompactGraph.save`` (opened memory-mapped, as a CompactGraph).
    format : str, optional
        Force a reader: ``"edgelist"``, ``"graphml"``, ``"gexf"``, ``"node-link"``,
        ``"snap-ego"`` (aliases ``csv``, ``tsv``, ``konect``, ``json``, ``ego``). Detected by
        :func:`detect_format` when omitted.
    report : ReadReport, optional
        Filled in place by the reader.
    **options
        Passed to the reader (e.g. ``directed=``, ``compact=``, ``columns=`` for edge
        lists). An option the chosen reader does not take is an error.

    Returns
    -------
    networkx graph, or CompactGraph with ``compact=True``

    Raises
    ------
    IngestError
        Any problem with the file (message names file and line).
    ParameterError
        Unknown format or an option the reader does not take.

    See Also
    --------
    read_edgelist, read_graphml, read_gexf, read_node_link, read_snap_ego, inspect_graph

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "trust.csv"
    >>> _ = p.write_text("source,target,weight\\nann,bob,0.9\\n")
    >>> G = read_graph(p)
    >>> list(G.edges(data="weight"))
    [('ann', 'bob', 0.9)]
    """
    fmt = _normalise_format(format) if format is not None else detect_format(path)
    reader = GRAPH_FORMATS[fmt]
    accepted = inspect.signature(reader).parameters
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise ParameterError(
            f"option(s) {', '.join(unknown)} do not apply to {fmt} files; "
            f"accepted: {', '.join(k for k in accepted if k not in ('path', 'report'))}"
        )
    if fmt not in ("edgelist", "node-link"):
        return reader(path, report=report, **options)
    try:
        return reader(path, report=report, **options)
    except IngestError as exc:
        raise _with_misses(exc, Path(path)) from None


def _with_misses(exc: IngestError, path: Path) -> IngestError:
    """`exc` preceded by what each plausible export reader saw in `path`: a chat in a
    layout no reader knows fails in the edge-list reader with an error about columns,
    which alone would not say that it was taken for a graph file."""
    if exc.path != str(path):
        return exc
    saw = describe_misses(rank_text(path.name, _head(path).decode("utf-8", "replace")))
    if not saw:
        return exc
    return IngestError(f"{saw}; graph file: {exc.problem}", path=path, line=exc.line)


def inspect_graph(
    path: str | os.PathLike[str], *, format: str | None = None, **options: Any
) -> ReadReport:
    """Read a graph file fully and return only its :class:`ReadReport`.

    Parameters
    ----------
    path : str or path-like
    format : str, optional
        As for :func:`read_graph`.
    **options
        Reader options, as for :func:`read_graph`.

    Returns
    -------
    ReadReport
        ``format``, ``variant``, ``records`` (rows, nodes, edges, self_loops,
        duplicates_merged, negative_edges, circles... as they apply), ``skipped`` lines by
        reason, notes and the date range of timestamped files.

    Raises
    ------
    IngestError, ParameterError
        As :func:`read_graph`: inspecting validates the whole file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "loops.txt"
    >>> _ = p.write_text("# a comment\\n1 1\\n1 2\\n")
    >>> r = inspect_graph(p)
    >>> r.format, r.records["edges"], r.records["self_loops"], r.skipped["comment line"]
    ('edgelist', 2, 1, 1)
    """
    report = ReadReport(path=str(path), format=format or "")
    read_graph(path, format=format, report=report, **options)
    return report
