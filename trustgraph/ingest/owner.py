"""Which of the owner's ``--me`` values the inputs mention, and the owner's nodes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from trustgraph.core.compact import CompactGraph
from trustgraph.ingest.csvtable import normalize_cell
from trustgraph.ingest.identifiers import _fold_name, normalize_identifier
from trustgraph.ingest.identity import _tidy
from trustgraph.ingest.namemerge import _scoped_name
from trustgraph.ingest.phones import DEFAULT_REGION
from trustgraph.ingest.records import Contact, ConversationEvent, EventStore

__all__ = ["owner_nodes", "unmatched_in_graph", "unmatched_me"]


def unmatched_me(
    me: Sequence[str],
    contacts: Iterable[Contact],
    events: Iterable[ConversationEvent] = (),
    *,
    default_region: str | None = DEFAULT_REGION,
) -> tuple[str, ...]:
    """The `me` values that no record of the inputs mentions, as given.

    A value matches when it is (once normalised: e-mail, phone, profile URL, prefixed id)
    an identifier of a contact or the sender of an event, or, for a display name, the
    name of a contact or of a scoped name id (``wa-name:ada example``). Recipients do not
    count: readers add the owner to chats they never wrote in.

    Examples
    --------
    >>> from trustgraph.ingest.records import Contact
    >>> people = [Contact("wa-name:ada example", (), "Ada Example"), Contact("bo@example.org")]
    >>> unmatched_me(["Ada Example", "BO@example.org", "+1 555 010 0100"], people)
    ('+1 555 010 0100',)
    """
    contacts = list(contacts)
    seen = {_tidy(i, default_region=default_region) for c in contacts for i in c.identifiers}
    # An EventStore names its senders once per envelope, not once per event.
    seen |= (
        {envelope[0] for envelope in events.envelopes}
        if isinstance(events, EventStore)
        else {e.sender for e in events}
    )
    names = {_fold_name(c.display_name) for c in contacts if c.display_name}
    names |= {n for n in map(_scoped_name, seen) if n}
    missing = []
    for value in me:
        text = value.strip()
        if not text:
            continue
        forms = {text, normalize_cell(text, default_region=default_region)}
        normalised = normalize_identifier(text, default_region=default_region)
        if normalised is not None:
            forms.add(normalised)
        if forms & seen:
            continue
        if normalised is None and _fold_name(text).removeprefix("~ ") in names:
            continue
        missing.append(value)
    return tuple(missing)


def unmatched_in_graph(graph: nx.Graph | CompactGraph, me: Sequence[str]) -> tuple[str, ...]:
    nodes = graph.nodes if isinstance(graph, CompactGraph) else list(graph.nodes)
    text = {str(node) for node in nodes}
    return tuple(m for m in me if m.strip() and m not in text and m.strip() not in text)


def owner_nodes(graph: nx.Graph | CompactGraph, given: Sequence[str]) -> tuple[str, ...]:
    if isinstance(graph, CompactGraph):
        flags = graph.node_attrs.get("is_me")
        found = [n for n, f in zip(graph.nodes, flags or ()) if f]
    else:
        found = [n for n, d in graph.nodes(data=True) if d.get("is_me")]
    return tuple(dict.fromkeys(found or [m for m in given if m in graph]))
