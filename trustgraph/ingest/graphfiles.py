"""GraphML, GEXF and node-link JSON files, read through networkx with clear errors.

networkx does the parsing; this module adds what users need around it: gzip
transparency, every parser failure turned into an :class:`~trustgraph.IngestError` naming
the file (and line, when the parser knows it), integer node ids where every id is an
integer (so a graph written from an edge list reads back with the same ids), and the
shared ``report=`` / ``compact=`` keywords of every trustgraph reader.

Edge weights are checked at this boundary, as edge lists check theirs: a ``weight`` must be a
finite number. NaN, infinities, booleans, lists and non-numeric text are refused with an
:class:`~trustgraph.IngestError` naming the file and the edge; numbers written as text
(``"0.5"``, a GraphML key of ``attr.type="string"``) are read as numbers, with a note.
Subnormal (``1e-320``) and huge finite weights (``1e308``) are legal floats and are kept as
they are, with a note counting the weights outside 1e-300..1e300 in magnitude: trust depends
only on weight ratios, so the solvers, not the reader, must normalise such weights without
overflow.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Hashable
from typing import IO
from xml.etree.ElementTree import ParseError

import networkx as nx

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import IngestError
from trustgraph.ingest.jsonsafe import check_json_depth
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.textio import check_file, open_binary, read_text_lines

__all__ = ["read_gexf", "read_graphml", "read_node_link"]


def _is_int_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(int(value)) == value
    except ValueError:
        return False


def _retype_nodes(G: nx.Graph, nodetype: Callable[[str], Hashable] | None, path: str) -> nx.Graph:
    """Apply `nodetype`, or make ids ints when every id is written as an integer."""
    if nodetype is None:
        if G.number_of_nodes() and all(_is_int_text(n) for n in G):
            nodetype = int
        else:
            return G
    try:
        mapping = {n: nodetype(n) for n in G}
    except (TypeError, ValueError) as exc:
        raise IngestError(f"node id rejected by nodetype: {exc}", path=path) from None
    if len(set(mapping.values())) != len(mapping):
        raise IngestError("nodetype maps two different node ids to one", path=path)
    return nx.relabel_nodes(G, mapping, copy=True)


#: Finite weights outside [EXTREME_LOW, EXTREME_HIGH] in magnitude (subnormal numbers,
#: numbers near the float limit) are kept but counted in a report note: their sums, products
#: and inverses leave the range of floats unless the solvers rescale them.
EXTREME_LOW, EXTREME_HIGH = 1e-300, 1e300


def _weight_value(value: object) -> float | None:
    """`value` as a finite float, or None when it is not a finite number.

    Numbers written as text (a GraphML ``attr.type="string"`` key, ``"0.5"`` in JSON) are
    read as numbers; booleans, lists, NaN, infinities and integers too large for a float
    are not numbers.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _check_weights(G: nx.Graph, path: str, report: ReadReport | None) -> None:
    """Reject edges whose ``weight`` is not a finite number, naming the edge; read numeric
    text as numbers; count extreme finite weights in the report."""
    as_text = extreme = 0
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    for *ends, data in edges:
        if "weight" not in data:
            continue
        raw = data["weight"]
        number = _weight_value(raw)
        u, v = ends[0], ends[1]
        if number is None:
            shown = repr(raw) if len(repr(raw)) <= 40 else f"{type(raw).__name__} value"
            raise IngestError(
                f"edge {u!r} -> {v!r}: weight {shown} is not a finite number (NaN, "
                "infinities, booleans and non-numeric text are refused)",
                path=path,
            )
        if isinstance(raw, str):
            data["weight"] = number
            as_text += 1
        if number != 0.0 and not EXTREME_LOW <= abs(number) <= EXTREME_HIGH:
            extreme += 1
    if report is not None and as_text:
        report.notes.append(f"{as_text} edge weights written as text were read as numbers")
    if report is not None and extreme:
        report.notes.append(
            f"{extreme} edge weights are outside 1e-300..1e300 in magnitude (kept as they "
            "are); rescaling the weights of the file avoids floating-point overflow"
        )


def _finish(
    G: nx.Graph,
    *,
    path: str,
    fmt: str,
    variant: str | None,
    compact: bool,
    report: ReadReport | None,
) -> nx.Graph | CompactGraph:
    _check_weights(G, path, report)
    if report is not None:
        report.path, report.format, report.variant = path, fmt, variant
        report.records["nodes"] += G.number_of_nodes()
        report.records["edges"] += G.number_of_edges()
        loops = nx.number_of_selfloops(G)
        if loops:
            report.records["self_loops"] += loops
            report.notes.append(f"{loops} self-loops kept")
        negative = sum(
            1 for *_, w in G.edges(data="weight") if isinstance(w, (int, float)) and w < 0
        )
        if negative:
            report.records["negative_edges"] += negative
            report.notes.append(f"{negative} edges have negative weights (signed)")
        kind = "directed" if G.is_directed() else "undirected"
        multi = " multigraph" if G.is_multigraph() else ""
        report.notes.append(f"{kind}{multi} graph")
    if G.number_of_nodes() == 0:
        raise IngestError(f"the {fmt} file holds no nodes", path=path)
    if compact:
        return CompactGraph.from_networkx(G)
    return G


def _xml_error(exc: Exception, path: str, fmt: str) -> IngestError:
    if isinstance(exc, ParseError):
        line, column = exc.position
        return IngestError(
            f"not well-formed {fmt} XML (column {column + 1})", path=path, line=line
        )
    return IngestError(f"cannot read {fmt}: {exc}", path=path)


def _parse_xml(
    path: str | os.PathLike[str], fmt: str, parse: Callable[[IO[bytes]], nx.Graph]
) -> nx.Graph:
    """Run a networkx XML parser on `path`, turning its failures into IngestError."""
    name = str(path)
    check_file(path)
    try:
        with open_binary(path) as handle:
            return parse(handle)
    except IngestError:
        raise
    except (
        ParseError,
        nx.NetworkXError,
        KeyError,
        ValueError,
        TypeError,
        EOFError,
        LookupError,  # an XML declaration naming an unknown encoding
        AttributeError,  # networkx on a <default> element without text
    ) as exc:
        raise _xml_error(exc, name, fmt) from None
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc}", path=name) from None


def read_graphml(
    path: str | os.PathLike[str],
    *,
    nodetype: Callable[[str], Hashable] | None = None,
    compact: bool = False,
    report: ReadReport | None = None,
) -> nx.Graph | CompactGraph:
    """Read a GraphML file (``.graphml`` or ``.graphml.gz``).

    Parameters
    ----------
    path : str or path-like
    nodetype : callable, optional
        ``None`` makes node ids ``int`` when every id is written as an integer, keeps
        strings otherwise; ``str``, ``int`` or any callable forces the type.
    compact : bool, default False
        Return a :class:`~trustgraph.CompactGraph` instead of a networkx graph.
    report : ReadReport, optional
        Filled in place with node and edge counts, self-loops and negative weights.

    Returns
    -------
    networkx graph (Graph, DiGraph or a multigraph when the file has parallel edges), or
    CompactGraph.

    Raises
    ------
    IngestError
        Missing file, malformed XML (with its line), a GraphML structure networkx
        rejects, or an edge whose ``weight`` is not a finite number.

    References
    ----------
    .. [1] U. Brandes, M. Eiglsperger, I. Herman, M. Himsolt, M. S. Marshall, "GraphML
       Progress Report", Graph Drawing 2001.

    Examples
    --------
    >>> import pathlib, tempfile, networkx as nx
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> nx.write_graphml(nx.DiGraph([(1, 2, {"weight": 0.5})]), p)
    >>> list(read_graphml(p).edges(data="weight"))
    [(1, 2, 0.5)]
    """
    name = str(path)
    G = _parse_xml(path, "GraphML", lambda handle: nx.read_graphml(handle, node_type=str))
    G = _retype_nodes(G, nodetype, name)
    return _finish(G, path=name, fmt="graphml", variant=None, compact=compact, report=report)


def read_gexf(
    path: str | os.PathLike[str],
    *,
    nodetype: Callable[[str], Hashable] | None = None,
    compact: bool = False,
    report: ReadReport | None = None,
) -> nx.Graph | CompactGraph:
    """Read a GEXF file (Gephi's native format, versions 1.1 to 1.3).

    Parameters
    ----------
    path : str or path-like
    nodetype : callable, optional
        As for :func:`read_graphml`.
    compact : bool, default False
    report : ReadReport, optional

    Returns
    -------
    networkx graph or CompactGraph

    Raises
    ------
    IngestError
        Missing file, malformed XML (with its line), a structure networkx rejects, or an
        edge whose ``weight`` is not a finite number.

    References
    ----------
    .. [1] GEXF Working Group, "GEXF File Format", https://gexf.net.

    Examples
    --------
    >>> import pathlib, tempfile, networkx as nx
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.gexf"
    >>> nx.write_gexf(nx.Graph([("ann", "bob", {"weight": 2.0})]), p)
    >>> list(read_gexf(p).edges(data="weight"))
    [('ann', 'bob', 2.0)]
    """
    name = str(path)
    G = _parse_xml(path, "GEXF", lambda handle: nx.read_gexf(handle, node_type=None))
    for node, data in G.nodes(data=True):
        # networkx writes the id as the label when a node has none; do not invent one.
        if data.get("label") == str(node):
            del data["label"]
    G = _retype_nodes(G, nodetype, name)
    return _finish(G, path=name, fmt="gexf", variant=None, compact=compact, report=report)


def read_node_link(
    path: str | os.PathLike[str],
    *,
    nodetype: Callable[[str], Hashable] | None = None,
    compact: bool = False,
    report: ReadReport | None = None,
) -> nx.Graph | CompactGraph:
    """Read node-link JSON (networkx ``node_link_data``, d3), with ``edges`` or ``links``.

    Parameters
    ----------
    path : str or path-like
        A JSON object with ``nodes`` (each with an ``id``) and ``edges`` (networkx >= 3.4
        default) or ``links`` (older files and d3); ``directed`` and ``multigraph`` keys are
        honoured (a missing ``directed`` means undirected, as in networkx).
    nodetype : callable, optional
        Applied to every node id; ``None`` keeps the JSON types (numbers stay numbers).
    compact : bool, default False
    report : ReadReport, optional
        ``report.variant`` says which edge key was found.

    Returns
    -------
    networkx graph or CompactGraph

    Raises
    ------
    IngestError
        Invalid or truncated JSON (with its line), JSON nested deeper than
        :data:`~trustgraph.ingest.jsonsafe.MAX_JSON_DEPTH` levels, no ``nodes`` list, neither
        ``edges`` nor ``links``, an edge missing ``source``/``target``, a ``weight`` that is
        not a finite number (JSON's ``NaN`` included), undecodable bytes.

    References
    ----------
    .. [1] M. Bostock, "Force-directed graph" (d3 node-link layout), and networkx
       ``node_link_data`` documentation.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> _ = p.write_text(json.dumps({"directed": True, "nodes": [{"id": "ann"}, {"id": "bob"}],
    ...                              "links": [{"source": "ann", "target": "bob"}]}))
    >>> list(read_node_link(p).edges)
    [('ann', 'bob')]
    """
    name = str(path)
    text = "\n".join(line for _, line in read_text_lines(path))
    check_json_depth(text, name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"invalid JSON ({exc.msg}, column {exc.colno}); truncated file?",
            path=name,
            line=exc.lineno,
        ) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise IngestError(f"unreadable JSON number: {str(exc)[:60]}", path=name) from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise IngestError(
            "not a node-link graph: expected a JSON object with a 'nodes' list", path=name
        )
    if "edges" in data:
        edge_key = "edges"
    elif "links" in data:
        edge_key = "links"
    else:
        raise IngestError("not a node-link graph: no 'edges' or 'links' list", path=name)
    if not isinstance(data[edge_key], list):
        raise IngestError(f"'{edge_key}' must be a list", path=name)
    for position, node in enumerate(data["nodes"]):
        if not isinstance(node, dict) or "id" not in node:
            raise IngestError(f"node #{position} has no 'id'", path=name)
    for position, edge in enumerate(data[edge_key]):
        if not isinstance(edge, dict) or "source" not in edge or "target" not in edge:
            raise IngestError(f"{edge_key[:-1]} #{position} lacks 'source' or 'target'", path=name)
    try:
        G = nx.node_link_graph(
            data,
            directed=bool(data.get("directed", False)),
            multigraph=bool(data.get("multigraph", False)),
            edges=edge_key,
        )
    except (nx.NetworkXError, KeyError, TypeError, ValueError) as exc:
        raise IngestError(f"cannot build the node-link graph: {exc}", path=name) from None
    if nodetype is not None:
        G = _retype_nodes(G, nodetype, name)
    return _finish(
        G, path=name, fmt="node-link", variant=f"{edge_key} key", compact=compact, report=report
    )
