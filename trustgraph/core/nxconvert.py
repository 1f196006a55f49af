"""Conversions between networkx graphs and the columns of a `CompactGraph`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from trustgraph.core.build import KNOWN_EDGE_ATTRS, _attr_default

if TYPE_CHECKING:
    from trustgraph.core.graph import CompactGraph

__all__ = ["networkx_columns", "to_networkx"]


def networkx_columns(
    G: nx.Graph, *, weight: str | None, edge_attrs: Iterable[str] | None
) -> dict[str, Any]:
    """The arguments of :meth:`CompactGraph.from_edges` that snapshot `G` (see
    :meth:`CompactGraph.from_networkx`).

    Examples
    --------
    >>> columns = networkx_columns(nx.DiGraph([(1, 2, {"count": 3})]), weight="weight",
    ...                            edge_attrs=None)
    >>> columns["sources"], columns["weights"].tolist(), columns["edge_attrs"]["count"].tolist()
    ([1], [1.0], [3])
    """
    edges = list(G.edges(data=True))
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
    node_names = sorted({k for _, d in G.nodes(data=True) for k in d}, key=str)
    node_columns = {name: [d.get(name) for _, d in G.nodes(data=True)] for name in node_names}
    return {
        "sources": [u for u, _, _ in edges],
        "targets": [v for _, v, _ in edges],
        "weights": weights,
        "nodes": list(G.nodes),
        "directed": G.is_directed(),
        "edge_attrs": attrs,
        "duplicates": "sum",
        "node_attrs": node_columns or None,
        "graph_attrs": dict(G.graph),
    }


def to_networkx(graph: CompactGraph) -> nx.Graph:
    """A networkx ``DiGraph`` (or ``Graph``) with the nodes, edges and attributes of
    `graph` (see :meth:`CompactGraph.to_networkx`)."""
    G: nx.Graph = nx.DiGraph() if graph.directed else nx.Graph()
    G.graph.update(graph.graph_attrs)
    G.graph.pop("duplicates_merged", None)
    columns = graph.node_attrs
    for i, label in enumerate(graph.nodes):
        data = {k: v[i] for k, v in columns.items() if v[i] is not None}
        G.add_node(label, **data)
    rows, cols = graph.edge_arrays()
    keep = rows <= cols if not graph.directed else np.ones(rows.size, dtype=bool)
    names = list(graph.edge_attrs)
    values = [graph.edge_attrs[k][keep].tolist() for k in names]
    nodes = graph.nodes
    for j, (u, v, w) in enumerate(
        zip(rows[keep].tolist(), cols[keep].tolist(), graph.weights[keep].tolist())
    ):
        data = {"weight": w}
        for name, column in zip(names, values):
            data[name] = column[j]
        G.add_edge(nodes[u], nodes[v], **data)
    return G
