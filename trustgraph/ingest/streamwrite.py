"""Edge lists and GraphML written straight from a :class:`CompactGraph`, as they go.

The general writers turn a graph into networkx, sanitise a copy and (GraphML) build the
whole XML tree before the first byte: for millions of edges, three copies of the graph. A
directed ``CompactGraph`` whose edge columns are numbers is written here instead, edges
in blocks from its arrays: the same bytes as the general path (tested), in memory that
does not grow with the number of edges.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from trustgraph.core.compact import KNOWN_EDGE_ATTRS, CompactGraph
from trustgraph.exceptions import IngestError
from trustgraph.ingest.atomic import atomic_write
from trustgraph.ingest.escape import csv_cell
from trustgraph.ingest.sanitize import _clean_dicts
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

__all__: list[str] = []

_BLOCK = 65_536
# The attr.type networkx's GraphML writer gives each Python type.
_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def streamable(G: object) -> bool:
    """A directed CompactGraph whose edge columns are numbers or booleans."""
    return (
        isinstance(G, CompactGraph)
        and G.directed
        and all(np.asarray(c).dtype.kind in "biuf" for c in G.edge_attrs.values())
    )


def _edge_blocks(cg: CompactGraph) -> Iterator[tuple[list, list, list, list[list]]]:
    """Edges in CSR order (the order ``to_networkx`` gives), a block at a time: sources,
    targets, weights and every edge column, as Python values."""
    rows, cols = cg.edge_arrays()
    weights = cg.weights
    columns = [np.asarray(c) for c in cg.edge_attrs.values()]
    for start in range(0, rows.size, _BLOCK):
        stop = start + _BLOCK
        yield (
            rows[start:stop].tolist(),
            cols[start:stop].tolist(),
            weights[start:stop].tolist(),
            [c[start:stop].tolist() for c in columns],
        )


def write_edgelist(cg: CompactGraph, path: Path, delimiter: str, overwrite: bool) -> None:
    """The edge list :func:`~trustgraph.ingest.writers.write_graph` writes, streamed."""
    nodes = cg.nodes
    _check_distinct_texts(nodes, path, csv_cell)
    ids = []
    for node in nodes:
        if isinstance(node, str) and not node:
            raise IngestError("a node id is empty; an edge list cannot hold it", path=path)
        ids.append(_quote(_edgelist_text(node, f"node {node!r}", path), delimiter))
    present = list(cg.edge_attrs)
    names = [k for k in KNOWN_EDGE_ATTRS if k in present and k != "weight"]
    names += [k for k in present if k not in names and k != "weight"]
    order = [present.index(k) for k in names]
    header = ["source", "target", "weight"]
    header += [_edgelist_text(k, f"attribute name {k!r}", path) for k in names]
    with _open_text(path, overwrite) as handle:
        handle.write(delimiter.join(_quote(h, delimiter) for h in header) + "\n")
        for src, dst, weight, columns in _edge_blocks(cg):
            lines = []
            for j, (u, v, w) in enumerate(zip(src, dst, weight)):
                _check_weight(nodes[u], nodes[v], w)
                cells = [ids[u], ids[v], repr(w)]
                for i in order:
                    value = columns[i][j]
                    # NaN is an empty cell; numbers are never escaped (csv_cell).
                    cells.append("" if value != value else repr(value))
                lines.append(delimiter.join(cells))
            handle.write("\n".join(lines) + "\n")


def _attrib(text: str) -> str:
    """An XML attribute value escaped as ElementTree escapes it."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
    return text.replace("\t", "&#09;")


def _cdata(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Keys:
    """GraphML keys numbered in the order networkx meets them (graph, nodes, edges)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str, str], str] = {}

    def get(self, name: str, value: Any, scope: str) -> str:
        key = (name, _XML_TYPES[type(value)], scope)
        return self.ids.setdefault(key, f"d{len(self.ids)}")

    def lines(self) -> str:
        # networkx inserts each new key first: they appear in reverse order.
        return "".join(
            f'  <key id="{kid}" for="{scope}" attr.name="{_attrib(name)}" attr.type="{kind}" />\n'
            for (name, kind, scope), kid in reversed(self.ids.items())
        )


def _data(keys: _Keys, data: dict[str, Any], scope: str, indent: str) -> str:
    out = []
    for name, value in data.items():
        kid = keys.get(name, value, scope)
        text = _cdata(str(value))
        out.append(
            f'{indent}<data key="{kid}">{text}</data>\n'
            if text
            else f'{indent}<data key="{kid}" />\n'
        )
    return "".join(out)


def _edge_key_order(cg: CompactGraph, keys: _Keys) -> None:
    """Number the edge keys as networkx would: weight, then each column at the first edge
    where it has a value (NaN is no value), in column order at equal edges."""
    if cg.n_edges == 0:
        return
    first = []
    for position, (name, column) in enumerate(cg.edge_attrs.items()):
        column = np.asarray(column)
        valid = ~np.isnan(column) if column.dtype.kind == "f" else np.ones(column.size, bool)
        if valid.any():
            j = int(np.argmax(valid))
            first.append((j, position, name, column[j].item()))
    keys.get("weight", float(cg.weights[0]), "edge")
    for _, _, name, value in sorted(first, key=lambda item: item[:2]):
        keys.get(name, value, "edge")


def _node_data(cg: CompactGraph, path: Path) -> list[dict[str, Any]]:
    columns = cg.node_attrs
    raw = [{k: v[i] for k, v in columns.items() if v[i] is not None} for i in range(cg.n_nodes)]
    cleaned = _clean_dicts(raw, keep_containers=False)
    for node, data in zip(cg.nodes, cleaned):
        _check_xml_text(str(node), f"node {node!r}", path, "GraphML")
        for key, value in data.items():
            _check_xml_text(key, f"node {node!r}: attribute name {key!r}", path, "GraphML")
            if isinstance(value, str):
                _check_xml_text(value, f"node {node!r}: attribute {key!r}", path, "GraphML")
    return cleaned


def write_graphml(cg: CompactGraph, path: Path, overwrite: bool) -> None:
    """The GraphML :func:`~trustgraph.ingest.writers.write_graph` writes, streamed."""
    _check_distinct_texts(cg.nodes, path)
    graph = {k: v for k, v in cg.graph_attrs.items() if k != "duplicates_merged"}
    for key in ("node_default", "edge_default"):
        graph.pop(key, None)
    graph = _clean_dicts([graph], keep_containers=False)[0]
    for key, value in graph.items():
        _check_xml_text(key, f"graph: attribute name {key!r}", path, "GraphML")
        if isinstance(value, str):
            _check_xml_text(value, f"graph: attribute {key!r}", path, "GraphML")
    for name in cg.edge_attrs:
        _check_xml_text(name, f"edge attribute name {name!r}", path, "GraphML")
    node_data = _node_data(cg, path)
    keys = _Keys()
    for name, value in graph.items():
        keys.get(name, value, "graph")
    for data in node_data:
        for name, value in data.items():
            keys.get(name, value, "node")
    _edge_key_order(cg, keys)
    ids = [_attrib(str(node)) for node in cg.nodes]
    with atomic_write(path, "wb", overwrite=overwrite) as raw, _maybe_gzip(path, raw) as sink:
        out = _CarriageReturnRefs(sink)
        write = _utf8(out)
        write(_GRAPHML_HEAD + keys.lines())
        if not (ids or graph):
            write('  <graph edgedefault="directed" />\n</graphml>\n')
            return
        write('  <graph edgedefault="directed">\n')
        for node_id, data in zip(ids, node_data):
            inner = _data(keys, data, "node", "      ")
            write(
                f'    <node id="{node_id}">\n{inner}    </node>\n'
                if inner
                else f'    <node id="{node_id}" />\n'
            )
        _write_graphml_edges(cg, ids, keys, write)
        write(_data(keys, graph, "graph", "    ") + "  </graph>\n</graphml>\n")


def _utf8(out: _CarriageReturnRefs) -> Any:
    def write(text: str) -> None:
        out.write(text.encode("utf-8"))

    return write


def _write_graphml_edges(cg: CompactGraph, ids: list[str], keys: _Keys, write: Any) -> None:
    names = list(cg.edge_attrs)
    nodes = cg.nodes
    for src, dst, weight, columns in _edge_blocks(cg):
        chunk = []
        for j, (u, v, w) in enumerate(zip(src, dst, weight)):
            _check_weight(nodes[u], nodes[v], w)
            data = {"weight": w}
            for name, column in zip(names, columns):
                value = column[j]
                if value == value:  # NaN is dropped
                    data[name] = value
            chunk.append(
                f'    <edge source="{ids[u]}" target="{ids[v]}">\n'
                f"{_data(keys, data, 'edge', '      ')}    </edge>\n"
            )
        write("".join(chunk))
