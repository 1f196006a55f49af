"""Graph writers: edge list CSV/TSV, GraphML, GEXF, node-link JSON and a Gephi CSV pair.

Every writer

* accepts a networkx graph or a :class:`~trustgraph.CompactGraph`;
* sanitises attributes so the networkx writers never crash on them (``None`` dropped, lists
  joined with ``|``, dicts as JSON text, datetimes in ISO 8601, numpy scalars as Python
  numbers, ``NaN`` dropped, one type per attribute);
* writes atomically (a temporary file renamed into place) and refuses to replace an
  existing file unless ``overwrite=True`` (the CLI's ``--force``);
* writes every text exactly or refuses: a node id or text a format cannot hold (a control
  character in GraphML/GEXF, a line break in an edge list) raises an
  :class:`~trustgraph.IngestError` naming it, and a non-finite weight a
  :class:`~trustgraph.GraphError`; nothing is silently changed;
* escapes CSV text cells against spreadsheet formulas (OWASP rule, one helper:
  :func:`trustgraph.ingest.escape.csv_cell`), never numbers.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from trustgraph.core.compact import KNOWN_EDGE_ATTRS, CompactGraph
from trustgraph.exceptions import GraphError, IngestError, ParameterError
from trustgraph.ingest.atomic import (
    OutputExistsError,
    atomic_write,
    check_writable,
    clean_stale_temporaries,
)
from trustgraph.ingest.escape import csv_cell
from trustgraph.ingest.sanitize import _as_networkx, _clean_value, sanitize_graph
from trustgraph.ingest.streamwrite import streamable
from trustgraph.ingest.streamwrite import write_edgelist as write_streamed_edgelist
from trustgraph.ingest.streamwrite import write_graphml as write_streamed_graphml
from trustgraph.ingest.writecheck import (
    _CarriageReturnRefs,
    _check_distinct_texts,
    _check_weight,
    _check_xml_text,
    _edgelist_text,
    _maybe_gzip,
    _open_text,
    _quote,
)

__all__ = ["WRITE_FORMATS", "sanitize_graph", "write_gephi_csv", "write_graph"]

#: Format names accepted by ``write_graph(format=...)``.
WRITE_FORMATS = ("csv", "tsv", "graphml", "gexf", "node-link", "compact")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "tsv",
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".json": "node-link",
    ".tgc": "compact",
}
_ALIASES = {"edgelist": "csv", "json": "node-link", "node_link": "node-link", "tgc": "compact"}


# ---------------------------------------------------------------------------- helpers
def _format_for(path: Path, format: str | None) -> str:
    if format is not None:
        key = _ALIASES.get(format.lower(), format.lower())
        if key not in WRITE_FORMATS:
            raise ParameterError(
                f"unknown output format {format!r}; choose one of {list(WRITE_FORMATS)}"
            )
        return key
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in _EXTENSIONS:
        return _EXTENSIONS[suffixes[-1]]
    raise ParameterError(
        f"cannot tell the output format from {path.name!r}; use .csv, .tsv, .graphml, .gexf, "
        ".json or .tgc, or pass format="
    )


def _write_compact(G: nx.Graph | CompactGraph, path: Path, overwrite: bool) -> Path:
    """A ``.tgc`` folder; networkx graphs keep their known numeric edge attributes."""
    if isinstance(G, nx.Graph):
        G = CompactGraph.from_networkx(G)
    elif not isinstance(G, CompactGraph):
        raise ParameterError(
            f"expected a networkx graph or a CompactGraph, got {type(G).__name__}"
        )
    if not path.parent.is_dir():
        raise IngestError("the folder to write into does not exist", path=path.parent)
    if path.exists() and not overwrite:
        raise OutputExistsError("already exists; pass overwrite=True to replace it", path=path)
    clean_stale_temporaries(path.parent, target=path)
    try:
        return G.save(path, overwrite=overwrite)
    except GraphError as exc:
        raise IngestError(str(exc), path=path) from None


# ---------------------------------------------------------------------------- checks
def _check_weights(G: nx.Graph) -> None:
    """Refuse weights a graph file would silently change (NaN dropped, read back as 1.0)."""
    for u, v, w in G.edges(data="weight"):
        _check_weight(u, v, w)


def _check_xml_attrs(data: Mapping[str, Any], where: str, path: Path, fmt: str) -> None:
    for key, value in data.items():
        _check_xml_text(str(key), f"{where}: attribute name {str(key)!r}", path, fmt)
        if isinstance(value, str):
            _check_xml_text(value, f"{where}: attribute {str(key)!r}", path, fmt)


def _check_xml(H: nx.Graph, path: Path, fmt: str) -> None:
    """Refuse, naming the node and attribute, any text XML 1.0 cannot hold."""
    label = "GraphML" if fmt == "graphml" else "GEXF"
    _check_distinct_texts(H, path)
    _check_xml_attrs(H.graph, "graph", path, label)
    for node, data in H.nodes(data=True):
        _check_xml_text(str(node), f"node {node!r}", path, label)
        _check_xml_attrs(data, f"node {node!r}", path, label)
    for u, v, data in H.edges(data=True):
        _check_xml_attrs(data, f"edge {u!r} -> {v!r}", path, label)


# ---------------------------------------------------------------------------- writing
def _cell(value: Any) -> str:
    value = _clean_value(value, keep_containers=False)
    if value is None:
        return ""
    return csv_cell(value)


def _edge_columns(edges: Iterable[tuple[Any, Any, dict[str, Any]]]) -> list[str]:
    seen: dict[str, None] = {}
    for *_, d in edges:
        for key in d:
            seen.setdefault(str(key), None)
    seen.pop("weight", None)
    known = [k for k in KNOWN_EDGE_ATTRS if k in seen]
    return known + [k for k in seen if k not in known]


def _write_edgelist(G: nx.Graph, path: Path, delimiter: str, overwrite: bool) -> None:
    _check_distinct_texts(G, path, csv_cell)
    # Each id is checked and escaped once, not once per edge.
    ids = {}
    for node in G:
        if isinstance(node, str) and not node:
            raise IngestError("a node id is empty; an edge list cannot hold it", path=path)
        ids[node] = _quote(_edgelist_text(node, f"node {node!r}", path), delimiter)
    edges = list(G.edges(data=True))
    extra = _edge_columns(edges)
    names = ["source", "target", "weight"]
    names += [_edgelist_text(key, f"attribute name {key!r}", path) for key in extra]
    header = delimiter.join(_quote(name, delimiter) for name in names)
    with _open_text(path, overwrite) as handle:
        if not G.is_directed():
            handle.write("# undirected\n")
        handle.write(header + "\n")
        for u, v, d in edges:
            weight = d.get("weight", 1.0)
            _check_weight(u, v, weight)
            cells = [ids[u], ids[v], _cell(weight)]
            for key in extra:
                value = _clean_value(d.get(key), keep_containers=False)
                where = f"edge {u!r} -> {v!r}: attribute {key!r}"
                cells.append(_quote(_edgelist_text(value, where, path), delimiter))
            handle.write(delimiter.join(cells) + "\n")


def _write_xml(G: nx.Graph, path: Path, fmt: str, overwrite: bool) -> None:
    _check_weights(G)
    if fmt == "graphml":
        H = sanitize_graph(G)
        for key in ("node_default", "edge_default"):
            H.graph.pop(key, None)
    else:
        H = sanitize_graph(G, graph_attrs=False)
        if "name" in G.graph:
            H.graph["name"] = str(G.graph["name"])
    _check_xml(H, path, fmt)
    with atomic_write(path, "wb", overwrite=overwrite) as raw, _maybe_gzip(path, raw) as sink:
        if fmt == "graphml":
            nx.write_graphml(H, _CarriageReturnRefs(sink))
        else:
            nx.write_gexf(H, _CarriageReturnRefs(sink))


def _json_default(value: Any) -> Any:
    cleaned = _clean_value(value, keep_containers=True)
    return cleaned if cleaned is not value else str(value)


def _write_node_link(G: nx.Graph, path: Path, overwrite: bool) -> None:
    _check_weights(G)
    H = sanitize_graph(G, keep_containers=True)
    data = nx.node_link_data(H, edges="edges")
    # A lone surrogate (a file name decoded with surrogateescape) has no UTF-8 form: it is
    # written as the JSON escape \udc80, which reads back as the same character.
    with _open_text(path, overwrite, errors="backslashreplace") as handle:
        json.dump(data, handle, indent=1, ensure_ascii=False, default=_json_default)
        handle.write("\n")


# ---------------------------------------------------------------------------- public
def write_graph(
    G: nx.Graph | CompactGraph,
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    overwrite: bool = False,
) -> Path:
    """Write a graph to a file; the format follows the extension unless given.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    path : str or path-like
        ``.csv`` (comma) or ``.tsv``/``.txt`` (tab) edge list, ``.graphml``, ``.gexf``,
        ``.json`` (node-link); a further ``.gz`` compresses. ``.tgc`` writes a folder of
        ``.npy`` arrays (``CompactGraph.save``) that ``read_graph`` memory-maps back.
    format : {"csv", "tsv", "graphml", "gexf", "node-link", "compact"}, optional
        Overrides the extension (aliases ``edgelist`` = csv, ``json`` = node-link).
    overwrite : bool, default False
        Replace an existing file; otherwise an existing file is an error.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OutputExistsError
        The file exists and `overwrite` is false (an :class:`~trustgraph.IngestError`).
    IngestError
        The folder does not exist, the target is a folder, it cannot be written
        (permission denied, disk full: the message names `path`), or a node id or text
        cannot be stored in the format (see Notes).
    GraphError
        An edge weight is NaN, infinite or not a number: a file would not keep it.
    ParameterError
        Unknown format or extension.

    Notes
    -----
    Edge lists have the header ``source,target,weight`` followed by every other edge
    attribute (``sign``, ``count``, ``first_seen``, ``last_seen``, ``declared_only`` first);
    undirected graphs start with a ``# undirected`` comment that
    :func:`~trustgraph.ingest.edgelist.read_edgelist` honours. Edge lists keep no node
    attributes and no isolated nodes: use GraphML, GEXF or node-link for those. Node-link
    JSON uses the ``"edges"`` key (networkx >= 3.4). GEXF drops graph-level attributes
    (other than ``name``).

    Every id and text is written exactly or refused with an error naming it, never
    altered. Edge list text cells starting like a spreadsheet formula (``=``, ``+``,
    ``-``, ``@``, tab, carriage return) get a leading ``'`` (OWASP rule, see
    :func:`~trustgraph.ingest.escape.csv_text`; numbers are never touched), and cells
    starting with ``#`` or ``%`` are quoted so no reader takes the line for a comment. An
    edge list cannot hold a line break, a carriage return, NUL or white space at either
    end of an id or text; GraphML and GEXF (XML 1.0) cannot hold the control characters
    U+0000-U+001F other than tab, line feed and carriage return (a carriage return is
    written as ``&#13;`` so that it reads back as itself). Node-link JSON holds any text.
    Two ids spelled alike (``1`` and ``"1"``) are refused by the text formats.

    See Also
    --------
    write_gephi_csv, sanitize_graph, trustgraph.ingest.detect.read_graph

    Examples
    --------
    >>> import pathlib, tempfile, networkx as nx
    >>> G = nx.DiGraph([("ann", "bob", {"weight": 2.0, "sign": 1})])
    >>> out = write_graph(G, pathlib.Path(tempfile.mkdtemp()) / "trust.csv")
    >>> print(out.read_text(), end="")
    source,target,weight,sign
    ann,bob,2.0,1
    """
    p = Path(path)
    fmt = _format_for(p, format)
    if fmt == "compact":
        return _write_compact(G, p, overwrite)
    if fmt in ("csv", "tsv", "graphml") and streamable(G):
        # Large graphs: written from the arrays as they go, no networkx copy in between.
        check_writable(p, overwrite=overwrite)
        if fmt == "graphml":
            write_streamed_graphml(G, p, overwrite)
        else:
            write_streamed_edgelist(G, p, "," if fmt == "csv" else "\t", overwrite)
        return p
    H = _as_networkx(G)
    check_writable(p, overwrite=overwrite)
    if fmt in ("csv", "tsv"):
        _write_edgelist(H, p, "," if fmt == "csv" else "\t", overwrite)
    elif fmt in ("graphml", "gexf"):
        _write_xml(H, p, fmt, overwrite)
    else:
        _write_node_link(H, p, overwrite)
    return p


def _escape(value: Any) -> str:
    """A Gephi table cell: sanitised, then :func:`~trustgraph.ingest.escape.csv_cell`."""
    return csv_cell(_clean_value(value, keep_containers=False))


def write_gephi_csv(
    G: nx.Graph | CompactGraph,
    nodes_path: str | os.PathLike[str],
    edges_path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> tuple[Path, Path]:
    """Write the node and edge tables Gephi's Data Laboratory imports.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    nodes_path, edges_path : str or path-like
        The node table (``Id,Label,...``) and edge table (``Source,Target,Type,Weight,...``).
    overwrite : bool, default False
        Replace existing files; otherwise either file existing is an error and nothing is
        written.

    Returns
    -------
    (pathlib.Path, pathlib.Path)

    Raises
    ------
    IngestError
        A file exists (and not `overwrite`) or a folder is missing.

    Notes
    -----
    ``Label`` is the node's ``label`` or ``name`` attribute, else its id. ``Type`` is
    ``Directed`` or ``Undirected``. Other attributes follow as columns (sanitised as in
    :func:`sanitize_graph`). Text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return are prefixed with ``'`` so a spreadsheet shows them instead of
    evaluating them (OWASP "CSV injection", the rule of every trustgraph CSV:
    :func:`~trustgraph.ingest.escape.csv_cell`); numbers are never altered, and ids are
    escaped identically in both tables so edges still match their nodes.

    References
    ----------
    .. [1] Gephi, "Spreadsheet" import format, https://gephi.org/users/supported-graph-formats/.

    Examples
    --------
    >>> import pathlib, tempfile, networkx as nx
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> G = nx.DiGraph([("ann", "=cmd", {"weight": -1.0})])
    >>> nodes, edges = write_gephi_csv(G, folder / "nodes.csv", folder / "edges.csv")
    >>> print(edges.read_text(), end="")
    Source,Target,Type,Weight
    ann,'=cmd,Directed,-1.0
    """
    H = _as_networkx(G)
    n_path, e_path = Path(nodes_path), Path(edges_path)
    if n_path.resolve() == e_path.resolve():
        raise ParameterError("nodes_path and edges_path must be different files")
    check_writable(n_path, overwrite=overwrite)
    check_writable(e_path, overwrite=overwrite)
    node_columns = list(
        dict.fromkeys(str(k) for _, d in H.nodes(data=True) for k in d if k not in ("label",))
    )
    edges = list(H.edges(data=True))
    edge_columns = _edge_columns(edges)
    kind = "Directed" if H.is_directed() else "Undirected"
    with _open_text(n_path, overwrite) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Id", "Label", *node_columns])
        for node, d in H.nodes(data=True):
            label = d.get("label", d.get("name", node))
            writer.writerow(
                [_escape(node), _escape(label), *(_escape(d.get(k)) for k in node_columns)]
            )
    with _open_text(e_path, overwrite) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Source", "Target", "Type", "Weight", *edge_columns])
        for u, v, d in edges:
            writer.writerow(
                [
                    _escape(u),
                    _escape(v),
                    kind,
                    _escape(d.get("weight", 1.0)),
                    *(_escape(d.get(k)) for k in edge_columns),
                ]
            )
    return n_path, e_path
