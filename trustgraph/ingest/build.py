"""Contacts and conversation events become one weighted, directed graph.

Nodes are every contact and every participant; edge ``u -> v`` carries the tie strength of
``u`` towards ``v`` from :class:`~trustgraph.ingest.ties.TieModel`, plus ``count`` (every
message ``u -> v``), ``direct`` (the one-to-one ones), ``bulk`` (the ones on
``channel="bulk"``), ``active_months``, ``first_seen``, ``last_seen`` (epoch seconds,
UTC) and ``declared_only``. A declared
connection (a contact the owner never wrote to) becomes a weight-0 edge from the owner with
``declared_only=True``, so analysis sees it while propagation ignores it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import numpy as np

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ParameterError
from trustgraph.ingest.contacts_csv import normalize_cell
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData
from trustgraph.ingest.ties import TieModel, _tie_table

__all__ = ["DEFAULT_TIES", "build_graph", "graph_from_export"]

#: The tie model used when none is given: ``TieModel()``.
DEFAULT_TIES = TieModel()

# Node attributes with a fixed meaning; contact attributes of the same name never replace
# them.
_FIXED_NODE_ATTRS = (
    "name",
    "company",
    "position",
    "source",
    "connected_on",
    "is_me",
    "declared",
)


#: Per-edge message counts taken from the tie table.
MESSAGE_COUNTS = ("count", "direct", "bulk", "active_months")


def _merge_contacts(contacts: Iterable[Contact]) -> dict[str, dict[str, Any]]:
    """One entry per contact id (first appearance order), repeated ids merged.

    The merge follows the contact readers' rule: identifiers and attributes unioned (first
    non-empty value wins), first non-empty name and source, earliest ``connected_on``.
    """
    merged: dict[str, dict[str, Any]] = {}
    for contact in contacts:
        if not isinstance(contact, Contact):
            raise ParameterError(f"contacts must be Contact records, got {type(contact).__name__}")
        entry = merged.get(contact.id)
        if entry is None:
            entry = merged[contact.id] = {
                "identifiers": {},
                "name": None,
                "source": None,
                "connected_on": None,
                "attributes": {},
                "declared": False,
            }
        entry["identifiers"].update(dict.fromkeys(contact.identifiers))
        entry["declared"] = entry["declared"] or contact.declared
        if not entry["name"] and contact.display_name:
            entry["name"] = contact.display_name
        if not entry["source"] and contact.source:
            entry["source"] = contact.source
        if contact.connected_on is not None:
            when = contact.connected_on.timestamp()
            if entry["connected_on"] is None or when < entry["connected_on"]:
                entry["connected_on"] = when
        for key, value in contact.attributes.items():
            if value not in (None, "") and entry["attributes"].get(key) in (None, ""):
                entry["attributes"][key] = value
    return merged


def _owner_ids(me: Iterable[str] | str) -> list[str]:
    if isinstance(me, str):
        return [me]
    return list(dict.fromkeys(me))


def build_graph(
    contacts: Iterable[Contact] = (),
    conversations: Iterable[ConversationEvent] = (),
    ties: TieModel = DEFAULT_TIES,
    *,
    me: Iterable[str] | str = (),
    compact: bool = False,
) -> nx.DiGraph | CompactGraph:
    """Build the weighted directed trust graph from contacts and conversation events.

    Parameters
    ----------
    contacts : iterable of Contact
        Declared people. Each becomes a node named by its ``id``; its other identifiers
        are aliases, so an event from ``ada@example.com`` lands on the contact whose
        identifiers include that address.
    conversations : iterable of ConversationEvent
        Messages; every participant becomes a node.
    ties : TieModel, default ``TieModel()``
        How events become weights (see :func:`~trustgraph.ingest.ties.tie_components`).
    me : str or iterable of str, optional
        The owner's identifiers. Each resolves (as given, else normalised like a CSV cell,
        through contact aliases) to a node, added if absent, with ``is_me=True``. From
        each owner node a weight-0 ``declared_only=True`` edge goes to every declared
        contact (``Contact.declared``) the owner has no conversation edge to
        (direction: owner -> contact, "I declared this person").
    compact : bool, default False
        Return a :class:`CompactGraph` instead of a networkx ``DiGraph`` (built from
        arrays, for large inputs).

    Returns
    -------
    networkx.DiGraph or CompactGraph
        Nodes in order: contacts, then other participants by first appearance, then owner
        identifiers seen nowhere else. Node attributes: ``name``, ``company``,
        ``position``, ``source``, ``connected_on`` (epoch seconds), ``is_me``, ``declared``
        (the node's contact record declares a connection) and any other
        contact attribute (absent where unknown). Edge attributes: ``weight``; ``count``,
        every message ``u -> v`` (one-to-one, group and bulk alike); ``direct``, the
        one-to-one messages among them (events with exactly one recipient, the
        evidence of a two-way partnership that group chats do not give); ``bulk``, the
        messages on ``channel="bulk"`` (newsletters, mailing lists: the e-mail reader
        keeps them with ``include_bulk=True``); ``active_months``, the distinct calendar
        months in which the two wrote to each other (either direction); ``first_seen``,
        ``last_seen`` (epoch seconds; NaN when unknown) and ``declared_only``.
        ``count``, ``direct``, ``bulk`` and ``active_months`` are 0 on a declared-only
        edge and on an edge made of co-participation alone. Graph attributes:
        ``tie_model`` (its description) and ``reference_time`` (epoch seconds, when there
        were events).

    Raises
    ------
    ParameterError
        `ties` is not a TieModel, or a record has the wrong type.

    See Also
    --------
    trustgraph.ingest.ties.TieModel : the tie-strength formula.
    graph_from_export : the same from an :class:`ExportData`.

    Notes
    -----
    A declared-only edge takes the contact's ``connected_on`` as ``first_seen`` and
    ``last_seen`` when known. An identifier claimed by two contacts resolves to the first
    one. Owner identifiers are not merged into one node: merging people is the identity
    layer's job; each owner node is marked ``is_me``.

    References
    ----------
    .. [1] M. S. Granovetter, "The strength of weak ties", American Journal of Sociology
       78(6), 1973.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from trustgraph.ingest.records import Contact, ConversationEvent
    >>> t = datetime(2024, 6, 1, tzinfo=timezone.utc)
    >>> contacts = [Contact("ada", ("ada@example.com",), "Ada Example", declared=True),
    ...             Contact("bo", ("bo@example.org",), "Bo Sample", declared=True)]
    >>> events = [ConversationEvent(t, "me@example.net", ("ada@example.com",))]
    >>> G = build_graph(contacts, events, TieModel.plain_counts(), me="me@example.net")
    >>> sorted(G.edges(data="weight"))
    [('me@example.net', 'ada', 1.0), ('me@example.net', 'bo', 0.0)]
    >>> G.edges["me@example.net", "bo"]["declared_only"], G.nodes["me@example.net"]["is_me"]
    (True, True)
    >>> e = G.edges["me@example.net", "ada"]
    >>> e["count"], e["direct"], e["bulk"]
    (1, 1, 0)
    """
    if not isinstance(ties, TieModel):
        raise ParameterError(f"ties must be a TieModel, got {type(ties).__name__}")
    merged = _merge_contacts(contacts)
    contact_ids = list(merged)
    alias: dict[str, str] = {cid: cid for cid in contact_ids}
    for cid, entry in merged.items():
        for identifier in entry["identifiers"]:
            alias.setdefault(identifier, cid)

    table = _tie_table(conversations, ties, node_order=contact_ids, alias=alias)
    nodes = list(table.nodes)
    owners = _owner_nodes(me, alias, nodes)
    n = len(nodes)
    edges: dict[str, np.ndarray] = {
        "source": table.source,
        "target": table.target,
        "weight": table.weight,
        # Message counts per edge; declared-only edges carry none.
        **{name: getattr(table, name) for name in MESSAGE_COUNTS},
        "first_seen": table.first_seen,
        "last_seen": table.last_seen,
        "declared_only": np.zeros(table.source.size, dtype=bool),
    }
    extra = _declared_edges(owners, contact_ids, merged, edges["source"] * n + edges["target"], n)
    if extra is not None:
        edges = {key: np.concatenate([column, extra[key]]) for key, column in edges.items()}
    src, dst, weight = edges.pop("source"), edges.pop("target"), edges.pop("weight")
    graph_attrs: dict[str, Any] = {"tie_model": ties.describe()}
    if table.reference_time is not None:
        graph_attrs["reference_time"] = table.reference_time
    cg = CompactGraph.from_index_arrays(
        nodes,
        src,
        dst,
        weight,
        edge_attrs=edges,
        node_attrs=_node_columns(nodes, merged, set(owners)),
        graph_attrs=graph_attrs,
    )
    return cg if compact else cg.to_networkx()


def _owner_nodes(me: Iterable[str] | str, alias: dict[str, str], nodes: list[str]) -> list[int]:
    """The node index of each owner identifier; nodes seen nowhere else are appended."""
    index = {name: i for i, name in enumerate(nodes)}
    owners: list[int] = []
    for identifier in _owner_ids(me):
        name = alias.get(identifier, identifier)
        if name not in index:
            # `--me` values come as typed ("Ada@Example.com"); records hold normalised ids.
            normalised = normalize_cell(identifier)
            name = alias.get(normalised, normalised)
        if name not in index:
            index[name] = len(nodes)
            nodes.append(name)
        owners.append(index[name])
    return list(dict.fromkeys(owners))


def _declared_edges(
    owners: list[int],
    contact_ids: list[str],
    merged: dict[str, dict[str, Any]],
    existing: np.ndarray,
    n: int,
) -> dict[str, np.ndarray] | None:
    """Weight-0 declared-only edges owner -> declared contact without a conversation edge
    (`existing` holds ``source * n + target`` of those), as edge columns; None if none."""
    declared_codes = np.array(
        [i for i, c in enumerate(contact_ids) if merged[c]["declared"]], dtype=np.int64
    )
    if not owners or not declared_codes.size:
        return None
    connected = np.array(
        [
            np.nan if merged[c]["connected_on"] is None else merged[c]["connected_on"]
            for c in contact_ids
        ],
        dtype=np.float64,
    )
    new_src, new_dst, new_time = [], [], []
    for owner in owners:
        candidates = declared_codes[declared_codes != owner]
        missing = ~np.isin(owner * n + candidates, existing)
        new_src.append(np.full(int(missing.sum()), owner, dtype=np.int64))
        new_dst.append(candidates[missing])
        new_time.append(connected[candidates[missing]])
    extra_time = np.concatenate(new_time)
    m = extra_time.size
    return {
        "source": np.concatenate(new_src),
        "target": np.concatenate(new_dst),
        "weight": np.zeros(m),
        **{name: np.zeros(m, dtype=np.int64) for name in MESSAGE_COUNTS},
        "first_seen": extra_time,
        "last_seen": extra_time,
        "declared_only": np.ones(m, dtype=bool),
    }


def _node_columns(
    nodes: Sequence[str], merged: dict[str, dict[str, Any]], owners: set[int]
) -> dict[str, list[Any]]:
    n = len(nodes)
    columns: dict[str, list[Any]] = {
        "name": [None] * n,
        "company": [None] * n,
        "position": [None] * n,
        "source": [None] * n,
        "connected_on": [None] * n,
    }
    for i, name in enumerate(nodes[: len(merged)]):
        entry = merged[name]
        columns["name"][i] = entry["name"]
        columns["source"][i] = entry["source"]
        columns["connected_on"][i] = entry["connected_on"]
        for key, value in entry["attributes"].items():
            if key in ("name", "source", "connected_on", "is_me"):
                continue
            columns.setdefault(key, [None] * n)[i] = value
    columns["is_me"] = [i in owners for i in range(n)]
    declared = [entry["declared"] for entry in merged.values()]
    columns["declared"] = declared + [False] * (n - len(declared))
    return columns


def graph_from_export(
    export: ExportData,
    ties: TieModel = DEFAULT_TIES,
    *,
    compact: bool = False,
) -> nx.DiGraph | CompactGraph:
    """Build the graph of an :class:`ExportData` (its contacts, events and owner).

    Parameters
    ----------
    export : ExportData
        Records from one or several readers; ``export.owner`` is passed as `me`.
    ties : TieModel, default ``TieModel()``
    compact : bool, default False
        Return a :class:`CompactGraph` instead of a networkx ``DiGraph``.

    Returns
    -------
    networkx.DiGraph or CompactGraph

    See Also
    --------
    build_graph : the same from separate records.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from trustgraph.ingest.records import ConversationEvent, ExportData
    >>> t = datetime(2024, 6, 1, tzinfo=timezone.utc)
    >>> export = ExportData(events=[ConversationEvent(t, "me", ("ada",))], owner=("me",))
    >>> G = graph_from_export(export, TieModel.plain_counts())
    >>> list(G.edges(data="count")), G.nodes["me"]["is_me"]
    ([('me', 'ada', 1)], True)
    """
    if not isinstance(export, ExportData):
        raise ParameterError(f"export must be an ExportData, got {type(export).__name__}")
    return build_graph(export.contacts, export.events, ties, me=export.owner, compact=compact)
