"""Per-contact evidence seen from the owner: messages each way, tie strength, last contact.

These are facts read off the graph, not judgements: the report's headline ("2,850 of 3,000
connections: no conversation ever") and every later classification start from them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

import networkx as nx
import numpy as np

from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import SeedError

__all__ = [
    "ContactEvidence",
    "contact_evidence",
    "owner_indices",
]


@dataclass(frozen=True)
class ContactEvidence:
    """What the owner's data says about one contact.

    Attributes
    ----------
    node : hashable
        The contact's node.
    messages_out, messages_in : int
        Messages from the owner to the contact and back (edge attribute ``count``; an edge
        without ``count`` counts as one message).
    tie_out, tie_in : float
        Tie strength of the owner -> contact and contact -> owner edges.
    declared : bool
        The owner declared a connection: the node comes from a contact record (node
        attribute ``declared``) or a ``declared_only`` edge from the owner exists.
    last_contact : datetime or None
        Newest message either way (edge attribute ``last_seen``, epoch seconds).
    first_contact : datetime or None
        Oldest message either way.
    direct_out, direct_in : int or None
        One-to-one messages each way (edge attribute ``direct``: events with exactly one
        recipient); ``None`` when the graph has no ``direct`` attribute.
    bulk_in : int
        Bulk messages from the contact to the owner (edge attribute ``bulk``:
        newsletters and mailing lists, e-mail ``channel="bulk"``); 0 when unknown.
    active_months : int or None
        Distinct calendar months with a message either way (edge attribute
        ``active_months``); ``None`` when the graph does not record it.
    """

    node: Hashable
    messages_out: int
    messages_in: int
    tie_out: float
    tie_in: float
    declared: bool
    last_contact: datetime | None
    first_contact: datetime | None
    direct_out: int | None = None
    direct_in: int | None = None
    bulk_in: int = 0
    active_months: int | None = None

    @property
    def conversed(self) -> bool:
        """Any message either way."""
        return self.messages_out + self.messages_in > 0

    @property
    def reciprocal(self) -> bool:
        """Messages went both ways."""
        return self.messages_out > 0 and self.messages_in > 0

    @property
    def direct_reciprocal(self) -> bool:
        """One-to-one messages went both ways (:attr:`reciprocal` when that is unknown).

        Group messages alone do not make a two-way partnership: everyone in a busy group
        chat "writes to" everyone else.
        """
        if self.direct_out is None or self.direct_in is None:
            return self.reciprocal
        return self.direct_out > 0 and self.direct_in > 0


def owner_indices(cg: CompactGraph, me: Iterable[Hashable]) -> np.ndarray:
    """Indices of the owner's nodes; every identifier must be in the graph."""
    me = [me] if isinstance(me, str) else list(me)
    if not me:
        raise SeedError("no owner given: pass your own identifiers with --me")
    missing = [m for m in me if m not in cg]
    if missing:
        raise SeedError(f"owner identifiers not in the graph: {', '.join(map(repr, missing))}")
    return np.array(sorted({cg.index[m] for m in me}), dtype=np.int64)


def _extreme_at(ufunc, target, rows, cols, outgoing, incoming, values) -> None:
    """Fold `values` of the owner's edges into `target` per contact (``ufunc.at``, in place)."""
    ufunc.at(target, cols[outgoing], values[outgoing])
    ufunc.at(target, rows[incoming], values[incoming])


def _seen_span(
    attrs: dict, rows: np.ndarray, cols: np.ndarray, outgoing, incoming, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Earliest ``first_seen`` and latest ``last_seen`` per contact (``inf`` when unknown)."""
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    folds = (("last_seen", np.maximum, last), ("first_seen", np.minimum, first))
    for name, ufunc, target in folds:
        if name in attrs:
            seen = np.asarray(attrs[name], dtype=np.float64)
            valid = ~np.isnan(seen)
            _extreme_at(ufunc, target, rows, cols, outgoing & valid, incoming & valid, seen)
    return first, last


def _when(value: float) -> datetime | None:
    if not np.isfinite(value):
        return None
    return datetime.fromtimestamp(value, tz=timezone.utc)


def contact_evidence(
    G: nx.Graph | CompactGraph, me: Iterable[Hashable]
) -> dict[Hashable, ContactEvidence]:
    """Evidence for every node the owner has an edge with, either way.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Directed: ``u -> v`` carries the messages from u to v.
    me : node or iterable of nodes
        The owner's identifiers (several when merged across sources).

    Returns
    -------
    dict
        ``{node: ContactEvidence}`` for every neighbour of the owner, in graph order.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("me", "ann", weight=2.0, count=5)
    >>> G.add_edge("ann", "me", weight=1.5, count=3)
    >>> G.add_edge("me", "bob", weight=0.0, count=0, declared_only=True)
    >>> ev = contact_evidence(G, ["me"])
    >>> ev["ann"].messages_out, ev["ann"].messages_in, ev["ann"].reciprocal
    (5, 3, True)
    >>> ev["bob"].declared, ev["bob"].conversed
    (True, False)
    >>> ev["ann"].direct_out is None, ev["ann"].direct_reciprocal
    (True, True)

    With the ``direct`` attribute of :func:`~trustgraph.ingest.build.build_graph`, group
    messages alone do not make a two-way tie:

    >>> H = nx.DiGraph()
    >>> H.add_edge("me", "cy", weight=1.0, count=4, direct=0)
    >>> H.add_edge("cy", "me", weight=1.0, count=6, direct=0, bulk=0)
    >>> ev = contact_evidence(H, ["me"])["cy"]
    >>> ev.reciprocal, ev.direct_reciprocal
    (True, False)
    """
    cg = as_compact(G)
    owners = owner_indices(cg, me)
    n = cg.n_nodes
    rows, cols = cg.edge_arrays()
    is_owner = np.zeros(n, dtype=bool)
    is_owner[owners] = True
    attrs = cg.edge_attrs
    declared_flag = attrs.get("declared_only")
    if declared_flag is None:
        declared_flag = np.zeros(cg.n_stored, dtype=bool)
    declared_flag = declared_flag.astype(bool)
    counts = attrs.get("count")
    if counts is None:
        counts = (~declared_flag).astype(np.float64)
    # A declared-only tie is a connection, not a message, whatever its count column says.
    counts = np.where(declared_flag, 0.0, np.asarray(counts, dtype=np.float64))
    outgoing = is_owner[rows] & ~is_owner[cols]
    incoming = ~is_owner[rows] & is_owner[cols]

    def per_contact(mask: np.ndarray, where: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.bincount(where[mask], weights=values[mask], minlength=n)

    messages_out = per_contact(outgoing, cols, counts)
    messages_in = per_contact(incoming, rows, counts)
    tie_out = per_contact(outgoing, cols, cg.weights)
    tie_in = per_contact(incoming, rows, cg.weights)
    direct_column = attrs.get("direct")
    if direct_column is not None:
        direct_values = np.asarray(direct_column, dtype=np.float64)
        # An edge without the attribute (graphs merged from several sources) keeps its
        # total count: no evidence that its messages were group messages.
        direct_values = np.where(np.isnan(direct_values), counts, direct_values)
        direct_values = np.where(declared_flag, 0.0, direct_values)
        direct_out = per_contact(outgoing, cols, direct_values)
        direct_in = per_contact(incoming, rows, direct_values)
    bulk_column = attrs.get("bulk")
    if bulk_column is not None:
        bulk_values = np.nan_to_num(np.asarray(bulk_column, dtype=np.float64))
        bulk_values = np.where(declared_flag, 0.0, bulk_values)
        bulk_in = per_contact(incoming, rows, bulk_values)
    else:
        bulk_in = np.zeros(n)
    months_column = attrs.get("active_months")
    active_months = np.zeros(n)
    if months_column is not None:
        # The pair's value sits on both directions: the largest over the owner's edges.
        months = np.nan_to_num(np.asarray(months_column, dtype=np.float64))
        _extreme_at(np.maximum, active_months, rows, cols, outgoing, incoming, months)
    declared = per_contact(outgoing, cols, declared_flag.astype(np.float64)) > 0
    declared_column = cg.node_attrs.get("declared")
    if declared_column is not None:
        declared |= np.array([bool(v) for v in declared_column], dtype=bool)
    touched = np.zeros(n, dtype=bool)
    touched[cols[outgoing]] = True
    touched[rows[incoming]] = True
    first, last = _seen_span(attrs, rows, cols, outgoing, incoming, n)
    evidence = {}
    for i in np.flatnonzero(touched).tolist():
        evidence[cg.nodes[i]] = ContactEvidence(
            node=cg.nodes[i],
            messages_out=int(np.rint(messages_out[i])),
            messages_in=int(np.rint(messages_in[i])),
            tie_out=float(tie_out[i]),
            tie_in=float(tie_in[i]),
            declared=bool(declared[i]),
            last_contact=_when(last[i]),
            first_contact=_when(first[i]),
            direct_out=None if direct_column is None else int(np.rint(direct_out[i])),
            direct_in=None if direct_column is None else int(np.rint(direct_in[i])),
            bulk_in=int(np.rint(bulk_in[i])),
            active_months=None if months_column is None else int(active_months[i]),
        )
    return evidence
