"""Graph attributes every networkx writer accepts: :func:`sanitize_graph`.

GraphML and GEXF hold scalars of one type per attribute; JSON holds containers. The rules
(``None`` and ``NaN`` dropped, lists joined with ``|``, dicts as JSON text, datetimes in
ISO 8601, numpy values as Python values) are written once here, for every writer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import networkx as nx
import numpy as np

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ParameterError

__all__ = ["sanitize_graph"]


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
