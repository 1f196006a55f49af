"""Tie tables: every component of the tie model per directed pair, computed on arrays.

The events are turned into flat arrays once (:func:`_encode_events`); every sum after that
is a ``numpy.unique``/``numpy.bincount`` reduction over (event, recipient) contributions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from trustgraph.ingest.records import ConversationEvent
from trustgraph.ingest.tiemodel import TieModel, _to_epoch

__all__ = ["TieTable"]


@dataclass(frozen=True, eq=False)
class TieTable:
    """Every component of the tie model, one row per directed pair ``u -> v``.

    Rows are sorted by (source index, target index) in the order of :attr:`nodes`. All
    columns are numpy arrays of the same length. Times are epoch seconds (UTC).

    Attributes
    ----------
    nodes : tuple of str
        Participants, in order of first appearance (after any given node order).
    source, target : ndarray of int64
        Indices into :attr:`nodes`.
    count : ndarray of int64
        Messages ``u -> v`` (``u`` the sender, ``v`` among the recipients).
    count_back : ndarray of int64
        Messages ``v -> u``.
    direct : ndarray of int64
        One-to-one messages ``u -> v``: the part of ``count`` from events with exactly one
        recipient (after de-duplication), whatever their channel.
    bulk : ndarray of int64
        Bulk messages ``u -> v``: the part of ``count`` from events on
        ``channel="bulk"`` (newsletters, mailing lists kept with ``include_bulk=True``).
    active_months : ndarray of int64
        Distinct calendar months (UTC) in which ``u`` and ``v`` wrote to each other, in
        either direction (the same value on ``u -> v`` and ``v -> u``; co-participation
        alone does not count).
    decayed : ndarray of float64
        ``S_uv``: sum over messages ``u -> v`` of decay times group share.
    decayed_back : ndarray of float64
        ``S_vu``.
    co_decayed : ndarray of float64
        ``C_uv``: sum over group messages with both ``u`` and ``v`` among the recipients
        (unscaled by ``co_participant``).
    reciprocity : ndarray of float64
        The balance ``r_uv = 2 min(S_uv, S_vu) / (S_uv + S_vu)`` (0 when both are 0).
    reciprocity_factor : ndarray of float64
        ``(1 - reciprocity) + reciprocity * r_uv`` with the model's `reciprocity`.
    strength : ndarray of float64
        ``reciprocity_factor * decayed + co_participant * co_decayed``.
    weight : ndarray of float64
        ``transform(strength)``.
    first_seen, last_seen : ndarray of float64
        Time of the first and last event that contributed to the pair (direct or
        co-participant).
    reference_time : float or None
        ``T`` in epoch seconds (``None`` when there were no events).
    n_events : int
        Events used.
    n_system : int
        System events left out (joins, notices: no author).
    n_after_reference : int
        Events after ``reference_time``, left out.
    n_no_recipient : int
        Events left out because no recipient other than the sender remained.
    """

    nodes: tuple[str, ...]
    source: np.ndarray
    target: np.ndarray
    count: np.ndarray
    count_back: np.ndarray
    decayed: np.ndarray
    decayed_back: np.ndarray
    co_decayed: np.ndarray
    reciprocity: np.ndarray
    reciprocity_factor: np.ndarray
    strength: np.ndarray
    weight: np.ndarray
    first_seen: np.ndarray
    last_seen: np.ndarray
    direct: np.ndarray
    bulk: np.ndarray
    active_months: np.ndarray
    reference_time: float | None = None
    n_events: int = 0
    n_system: int = 0
    n_after_reference: int = 0
    n_no_recipient: int = 0

    #: Names of the per-pair columns, in display order.
    COLUMNS = (
        "count",
        "count_back",
        "decayed",
        "decayed_back",
        "co_decayed",
        "reciprocity",
        "reciprocity_factor",
        "strength",
        "weight",
        "first_seen",
        "last_seen",
        "direct",
        "bulk",
        "active_months",
    )

    def __len__(self) -> int:
        return int(self.source.size)

    def pairs(self) -> list[tuple[str, str]]:
        """The ``(u, v)`` labels of every row."""
        nodes = self.nodes
        return [(nodes[u], nodes[v]) for u, v in zip(self.source.tolist(), self.target.tolist())]

    def as_dict(self) -> dict[str, np.ndarray]:
        """Columns as a dict of arrays, with ``source`` and ``target`` as label arrays.

        Handy for ``pandas.DataFrame(table.as_dict())``.
        """
        labels = np.empty(len(self.nodes), dtype=object)
        labels[:] = self.nodes
        out: dict[str, np.ndarray] = {
            "source": labels[self.source],
            "target": labels[self.target],
        }
        for name in self.COLUMNS:
            out[name] = getattr(self, name)
        return out

    def row(self, u: Hashable, v: Hashable) -> dict[str, Any]:
        """Every column for the pair ``u -> v`` as plain Python values.

        Raises
        ------
        KeyError
            No events link `u` to `v`.
        """
        try:
            iu, iv = self.nodes.index(u), self.nodes.index(v)  # type: ignore[arg-type]
        except ValueError:
            raise KeyError((u, v)) from None
        hits = np.flatnonzero((self.source == iu) & (self.target == iv))
        if hits.size == 0:
            raise KeyError((u, v))
        j = int(hits[0])
        return {name: getattr(self, name)[j].item() for name in self.COLUMNS}


@dataclass
class _EncodedEvents:
    """Events as flat arrays: one entry per event, and recipients in a CSR-like layout."""

    nodes: list[str]
    time: np.ndarray  # float64 epoch seconds, per event
    sender: np.ndarray  # int64 node index, per event
    n_recipients: np.ndarray  # int64, per event
    bulk: np.ndarray  # bool, per event: channel "bulk"
    recipient: np.ndarray  # int64 node index, per (event, recipient)
    n_system: int
    n_no_recipient: int


def _encode_events(
    events: Iterable[ConversationEvent],
    node_order: Sequence[str],
    alias: Mapping[str, str] | None,
) -> _EncodedEvents:
    # One pass of Python over the records, the only per-event Python code: everything after
    # this works on arrays.
    index: dict[str, int] = {}
    for name in node_order:
        index.setdefault(name, len(index))
    times: list[float] = []
    senders: list[int] = []
    sizes: list[int] = []
    bulk: list[bool] = []
    recipients: list[int] = []
    n_system = 0
    n_no_recipient = 0
    resolve = alias.get if alias else None
    for event in events:
        if event.is_system:
            n_system += 1
            continue
        sender = event.sender
        targets = event.recipients
        if resolve is not None:
            sender = resolve(sender, sender)
            targets = [resolve(r, r) for r in targets]
        sender_code = index.setdefault(sender, len(index))
        # Recipients are de-duplicated, and the sender is never their own recipient.
        codes = dict.fromkeys(index.setdefault(r, len(index)) for r in targets)
        codes.pop(sender_code, None)
        if not codes:
            n_no_recipient += 1
            continue
        times.append(event.timestamp.timestamp())
        senders.append(sender_code)
        sizes.append(len(codes))
        bulk.append(event.channel == "bulk")
        recipients.extend(codes)
    return _EncodedEvents(
        nodes=list(index),
        time=np.asarray(times, dtype=np.float64),
        sender=np.asarray(senders, dtype=np.int64),
        n_recipients=np.asarray(sizes, dtype=np.int64),
        bulk=np.asarray(bulk, dtype=bool),
        recipient=np.asarray(recipients, dtype=np.int64),
        n_system=n_system,
        n_no_recipient=n_no_recipient,
    )


def _empty_table(nodes: Sequence[str], encoded: _EncodedEvents, **extra: Any) -> TieTable:
    ints = np.empty(0, dtype=np.int64)
    floats = np.empty(0, dtype=np.float64)
    return TieTable(
        nodes=tuple(nodes),
        source=ints,
        target=ints.copy(),
        count=ints.copy(),
        count_back=ints.copy(),
        decayed=floats,
        decayed_back=floats.copy(),
        co_decayed=floats.copy(),
        reciprocity=floats.copy(),
        reciprocity_factor=floats.copy(),
        strength=floats.copy(),
        weight=floats.copy(),
        first_seen=floats.copy(),
        last_seen=floats.copy(),
        direct=ints.copy(),
        bulk=ints.copy(),
        active_months=ints.copy(),
        n_system=encoded.n_system,
        n_no_recipient=encoded.n_no_recipient,
        **extra,
    )


def _co_participant_pairs(
    recipient: np.ndarray,
    starts: np.ndarray,
    sizes: np.ndarray,
    event_ids: np.ndarray,
    max_group: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ordered pair of distinct recipients of each group message.

    Events are processed in blocks of equal group size ``k``: a ``(m_k, k)`` matrix of
    recipients indexed by the ``k (k - 1)`` off-diagonal positions gives all pairs of the
    block at once, so the Python loop runs over distinct group sizes only.
    """
    out_src, out_dst, out_event = [], [], []
    group_sizes = np.unique(sizes[sizes >= 2])
    if max_group is not None:
        group_sizes = group_sizes[group_sizes <= max_group]
    for k in group_sizes.tolist():
        block = np.flatnonzero(sizes == k)
        members = recipient[starts[block, None] + np.arange(k)]
        first, second = np.nonzero(~np.eye(k, dtype=bool))
        out_src.append(members[:, first].ravel())
        out_dst.append(members[:, second].ravel())
        out_event.append(np.repeat(event_ids[block], first.size))
    if not out_src:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    return np.concatenate(out_src), np.concatenate(out_dst), np.concatenate(out_event)


def _tie_table(
    events: Iterable[ConversationEvent],
    model: TieModel,
    *,
    node_order: Sequence[str] = (),
    alias: Mapping[str, str] | None = None,
) -> TieTable:
    encoded = _encode_events(events, node_order, alias)
    time = encoded.time
    if time.size == 0:
        return _empty_table(encoded.nodes, encoded)
    if model.reference_time is None:
        reference = float(time.max())
    else:
        reference = _to_epoch(model.reference_time)
    keep = time <= reference
    parts = _Contributions.of(encoded, model, reference, keep)
    counts = {
        "reference_time": reference,
        "n_events": int(parts.kept_events.size),
        "n_after_reference": int(time.size - np.count_nonzero(keep)),
    }
    if parts.direct_src.size + parts.co_src.size == 0:
        return _empty_table(encoded.nodes, encoded, **counts)
    return _pair_table(encoded, model, parts, counts)


@dataclass
class _Contributions:
    """What each kept message gives each pair: direct (sender -> each recipient) and
    co-participant (recipient -> recipient of one group message) contributions."""

    per_recipient: np.ndarray  # float64 per event: recency decay times the group share
    kept_events: np.ndarray  # indices of the events at or before the reference time
    direct_event: np.ndarray  # event of each direct contribution
    direct_src: np.ndarray
    direct_dst: np.ndarray
    co_src: np.ndarray
    co_dst: np.ndarray
    co_event: np.ndarray

    @classmethod
    def of(
        cls, encoded: _EncodedEvents, model: TieModel, reference: float, keep: np.ndarray
    ) -> _Contributions:
        sizes = encoded.n_recipients
        starts = np.zeros(sizes.size, dtype=np.int64)
        np.cumsum(sizes[:-1], out=starts[1:])
        per_recipient = model.decay(reference - encoded.time) * model.group_share(sizes)
        kept_events = np.flatnonzero(keep)
        event_of_recipient = np.repeat(np.arange(sizes.size), sizes)
        direct = keep[event_of_recipient]
        direct_event = event_of_recipient[direct]
        if model.co_participant > 0:
            co_src, co_dst, co_event = _co_participant_pairs(
                encoded.recipient,
                starts[kept_events],
                sizes[kept_events],
                kept_events,
                model.co_participant_max_group,
            )
        else:
            co_src = co_dst = co_event = np.empty(0, dtype=np.int64)
        return cls(
            per_recipient,
            kept_events,
            direct_event,
            encoded.sender[direct_event],
            encoded.recipient[direct],
            co_src,
            co_dst,
            co_event,
        )


def _pair_table(
    encoded: _EncodedEvents, model: TieModel, parts: _Contributions, counts: dict[str, Any]
) -> TieTable:
    """Reduce the contributions to one row per pair and apply the model."""
    n_nodes = len(encoded.nodes)
    sizes = encoded.n_recipients
    time = encoded.time
    n_direct = parts.direct_src.size
    keys = np.concatenate(
        [parts.direct_src * n_nodes + parts.direct_dst, parts.co_src * n_nodes + parts.co_dst]
    )
    pair_keys, pair_of = np.unique(keys, return_inverse=True)
    pair_of = pair_of.ravel()
    n_pairs = pair_keys.size
    direct_pair = pair_of[:n_direct]
    direct_event = parts.direct_event
    count = np.bincount(direct_pair, minlength=n_pairs).astype(np.int64)
    # "direct" here means a u -> v contribution (as opposed to co-participation); the
    # `one_to_one` column counts the subset sent to v alone.
    one_to_one = np.bincount(
        direct_pair, weights=(sizes[direct_event] == 1).astype(np.float64), minlength=n_pairs
    ).astype(np.int64)
    bulk = np.bincount(
        direct_pair, weights=encoded.bulk[direct_event].astype(np.float64), minlength=n_pairs
    ).astype(np.int64)
    per_recipient = parts.per_recipient
    decayed = np.bincount(direct_pair, weights=per_recipient[direct_event], minlength=n_pairs)
    co_decayed = np.bincount(
        pair_of[n_direct:], weights=per_recipient[parts.co_event], minlength=n_pairs
    )

    # First and last contribution per pair: sort contributions by pair and reduce runs.
    contribution_time = time[np.concatenate([direct_event, parts.co_event])]
    order = np.argsort(pair_of, kind="stable")
    run_starts = np.flatnonzero(np.r_[True, np.diff(pair_of[order]) != 0])
    first_seen = np.minimum.reduceat(contribution_time[order], run_starts)
    last_seen = np.maximum.reduceat(contribution_time[order], run_starts)

    source = pair_keys // n_nodes
    target = pair_keys % n_nodes
    # The reverse pair v -> u, found by binary search in the sorted keys.
    back_keys = target * n_nodes + source
    where = np.minimum(np.searchsorted(pair_keys, back_keys), n_pairs - 1)
    has_back = pair_keys[where] == back_keys
    count_back = np.where(has_back, count[where], 0)
    decayed_back = np.where(has_back, decayed[where], 0.0)

    active_months = _active_months(
        parts.direct_src, parts.direct_dst, time[direct_event], source, target, n_nodes
    )
    total = decayed + decayed_back
    with np.errstate(invalid="ignore", divide="ignore"):
        balance = np.where(total > 0, 2.0 * np.minimum(decayed, decayed_back) / total, 0.0)
    factor = model.reciprocity_factor(balance)
    strength = factor * decayed + float(model.co_participant) * co_decayed
    return TieTable(
        nodes=tuple(encoded.nodes),
        source=source,
        target=target,
        count=count,
        count_back=count_back.astype(np.int64),
        decayed=decayed,
        decayed_back=decayed_back,
        co_decayed=co_decayed,
        reciprocity=balance,
        reciprocity_factor=factor,
        strength=strength,
        weight=model.apply_transform(strength),
        first_seen=first_seen,
        last_seen=last_seen,
        direct=one_to_one,
        bulk=bulk,
        active_months=active_months,
        n_system=encoded.n_system,
        n_no_recipient=encoded.n_no_recipient,
        **counts,
    )


def _active_months(
    sender: np.ndarray,
    recipient: np.ndarray,
    when: np.ndarray,
    source: np.ndarray,
    target: np.ndarray,
    n_nodes: int,
) -> np.ndarray:
    """Distinct UTC calendar months with a message either way, for each pair row."""
    if sender.size == 0:
        return np.zeros(source.size, dtype=np.int64)
    months = when.astype("int64").astype("datetime64[s]").astype("datetime64[M]").astype("int64")
    months -= months.min()
    pair = np.minimum(sender, recipient) * n_nodes + np.maximum(sender, recipient)
    seen = np.unique(pair * (int(months.max()) + 1) + months)
    pairs, per_pair = np.unique(seen // (int(months.max()) + 1), return_counts=True)
    wanted = np.minimum(source, target) * n_nodes + np.maximum(source, target)
    where = np.minimum(np.searchsorted(pairs, wanted), pairs.size - 1)
    return np.where(pairs[where] == wanted, per_pair[where], 0).astype(np.int64)
