"""Graph writers: edge list CSV/TSV, GraphML, GEXF, node-link JSON and a Gephi CSV pair.

Every writer

* accepts a networkx graph or a :class:`~trustgraph.CompactGraph`;
* sanitises attributes so the networkx writers never crash on them (``None`` dropped, lists
  joined with ``|``, dicts as JSON text, datetimes in ISO 8601, numpy scalars as Python
  numbers, ``NaN`` dropped, one type per attribute);
* writes atomically (a temporary file renamed into place) and refuses to replace an
  existing file unless ``overwrite=True`` (the CLI's ``--force``).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import networkx as nx
import numpy as np

from trustgraph.core.compact import KNOWN_EDGE_ATTRS, CompactGraph
from trustgraph.exceptions import ParameterError
from trustgraph.ingest.atomic import atomic_write, check_writable

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
# Characters that make a spreadsheet evaluate a cell as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------------------- sanitising
def _clean_value(value: Any, *, keep_containers: bool) -> Any:
    """A value the target writer accepts, or ``None`` to drop the attribute."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    if isinstance(value, (list, tuple)):
        if keep_containers:
            return [_clean_value(v, keep_containers=True) for v in value]
        return "|".join(
            "" if v is None else str(_clean_value(v, keep_containers=False)) for v in value
        )
    if isinstance(value, Mapping):
        if keep_containers:
            return {str(k): _clean_value(v, keep_containers=True) for k, v in value.items()}
        return json.dumps(_clean_value(value, keep_containers=True), sort_keys=True)
    return str(value)


def _clean_dicts(dicts: list[dict[str, Any]], *, keep_containers: bool) -> list[dict[str, Any]]:
    cleaned = [
        {
            str(k): c
            for k, v in d.items()
            if (c := _clean_value(v, keep_containers=keep_containers)) is not None
        }
        for d in dicts
    ]
    if keep_containers:
        return cleaned
    # GraphML and GEXF declare one type per attribute: harmonise mixed columns.
    kinds: dict[str, set[type]] = {}
    for d in cleaned:
        for k, v in d.items():
            kinds.setdefault(k, set()).add(type(v))
    for name, types in kinds.items():
        if len(types) < 2:
            continue
        if str in types or not types <= {bool, int, float}:
            cast: Any = str
        elif float in types:
            cast = float
        else:
            cast = int
        for d in cleaned:
            if name in d:
                d[name] = cast(d[name])
    return cleaned


def _as_networkx(G: nx.Graph | CompactGraph) -> nx.Graph:
    if isinstance(G, CompactGraph):
        return G.to_networkx()
    if isinstance(G, nx.Graph):
        return G
    raise ParameterError(f"expected a networkx graph or a CompactGraph, got {type(G).__name__}")


def sanitize_graph(
    G: nx.Graph | CompactGraph, *, keep_containers: bool = False, graph_attrs: bool = True
) -> nx.Graph:
    """A copy of `G` whose attributes every networkx writer accepts.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    keep_containers : bool, default False
        Keep lists and dicts (for JSON); otherwise lists become ``a|b|c`` and dicts JSON
        text, as GraphML and GEXF only hold scalars.
    graph_attrs : bool, default True
        Keep graph-level attributes (sanitised); ``False`` drops them (GEXF has no place
        for them and networkx's reader chokes on some).

    Returns
    -------
    networkx graph of the same class as `G` (a new object; `G` is untouched)

    Notes
    -----
    Rules: ``None`` and ``NaN`` are dropped; lists, tuples and sets are joined with ``|``;
    dicts become JSON text; ``datetime``/``date`` become ISO 8601 text; numpy scalars and
    arrays become Python values; anything else becomes ``str``. An attribute whose values
    mix types is cast to one (``int`` < ``float`` < ``str``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("ann", tags=["core", "work"], note=None)
    >>> sanitize_graph(G).nodes["ann"]
    {'tags': 'core|work'}
    """
    G = _as_networkx(G)
    H = G.__class__()
    if graph_attrs:
        H.graph.update(_clean_dicts([dict(G.graph)], keep_containers=keep_containers)[0])
    nodes = list(G.nodes(data=True))
    node_data = _clean_dicts([dict(d) for _, d in nodes], keep_containers=keep_containers)
    H.add_nodes_from(zip((n for n, _ in nodes), node_data))
    if G.is_multigraph():
        edges = list(G.edges(keys=True, data=True))
        edge_data = _clean_dicts([dict(e[-1]) for e in edges], keep_containers=keep_containers)
        H.add_edges_from((u, v, k, d) for (u, v, k, _), d in zip(edges, edge_data))
    else:
        edges = list(G.edges(data=True))
        edge_data = _clean_dicts([dict(e[-1]) for e in edges], keep_containers=keep_containers)
        H.add_edges_from((u, v, d) for (u, v, _), d in zip(edges, edge_data))
    return H


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
    from trustgraph.exceptions import GraphError, IngestError

    if isinstance(G, nx.Graph):
        G = CompactGraph.from_networkx(G)
    elif not isinstance(G, CompactGraph):
        raise ParameterError(
            f"expected a networkx graph or a CompactGraph, got {type(G).__name__}"
        )
    if not path.parent.is_dir():
        raise IngestError("the folder to write into does not exist", path=path.parent)
    try:
        return G.save(path, overwrite=overwrite)
    except GraphError as exc:
        raise IngestError(str(exc), path=path) from None


def _cell(value: Any) -> str:
    value = _clean_value(value, keep_containers=False)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _edge_columns(edges: Iterable[tuple[Any, Any, dict[str, Any]]]) -> list[str]:
    seen: dict[str, None] = {}
    for *_, d in edges:
        for key in d:
            seen.setdefault(str(key), None)
    seen.pop("weight", None)
    known = [k for k in KNOWN_EDGE_ATTRS if k in seen]
    return known + [k for k in seen if k not in known]


@contextlib.contextmanager
def _open_text(path: Path, overwrite: bool) -> Iterator[IO[str]]:
    """Open `path` atomically for UTF-8 text, gzip-compressing when it ends in ``.gz``."""
    with atomic_write(path, "wb", overwrite=overwrite) as raw, _maybe_gzip(path, raw) as sink:
        text = io.TextIOWrapper(sink, encoding="utf-8", newline="")
        yield text
        text.flush()
        # Detach so that closing the wrapper never closes the atomic handle under us.
        text.detach()


@contextlib.contextmanager
def _maybe_gzip(path: Path, raw: IO[bytes]) -> Iterator[IO[bytes]]:
    if path.suffix.lower() != ".gz":
        yield raw
        return
    # mtime=0 and no file name keep the compressed bytes reproducible.
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as compressed:
        yield compressed  # type: ignore[misc]


def _write_edgelist(G: nx.Graph, path: Path, delimiter: str, overwrite: bool) -> None:
    edges = list(G.edges(data=True))
    extra = _edge_columns(edges)
    with _open_text(path, overwrite) as handle:
        if not G.is_directed():
            handle.write("# undirected\n")
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(["source", "target", "weight", *extra])
        for u, v, d in edges:
            weight = d.get("weight", 1.0)
            writer.writerow([_cell(u), _cell(v), _cell(weight), *(_cell(d.get(k)) for k in extra)])


def _write_xml(G: nx.Graph, path: Path, fmt: str, overwrite: bool) -> None:
    if fmt == "graphml":
        H = sanitize_graph(G)
        for key in ("node_default", "edge_default"):
            H.graph.pop(key, None)
    else:
        H = sanitize_graph(G, graph_attrs=False)
        if "name" in G.graph:
            H.graph["name"] = str(G.graph["name"])
    with atomic_write(path, "wb", overwrite=overwrite) as raw, _maybe_gzip(path, raw) as sink:
        if fmt == "graphml":
            nx.write_graphml(H, sink)
        else:
            nx.write_gexf(H, sink)


def _json_default(value: Any) -> Any:
    cleaned = _clean_value(value, keep_containers=True)
    return cleaned if cleaned is not value else str(value)


def _write_node_link(G: nx.Graph, path: Path, overwrite: bool) -> None:
    H = sanitize_graph(G, keep_containers=True)
    data = nx.node_link_data(H, edges="edges")
    with _open_text(path, overwrite) as handle:
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
    IngestError
        The file exists (and not `overwrite`), the folder does not exist, or the target is a
        folder.
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
    (other than ``name``). Cells are not escaped against spreadsheet formulas here, so
    that files read back unchanged; :func:`write_gephi_csv` escapes them.

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
    """A CSV cell safe to open in a spreadsheet: text starting like a formula gets a '."""
    cleaned = _clean_value(value, keep_containers=False)
    if cleaned is None:
        return ""
    if isinstance(cleaned, (bool, int, float)):
        return repr(cleaned) if isinstance(cleaned, float) else str(cleaned)
    text = str(cleaned)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


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
    evaluating them (OWASP "CSV injection"); numbers are never altered, and ids are escaped
    identically in both tables so edges still match their nodes.

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
