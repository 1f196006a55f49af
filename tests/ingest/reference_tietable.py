"""The tie table as it was computed before co-participation was aggregated per recipient
set (one contribution per event, recipient and co-recipient pair): the oracle the
streaming aggregation of :mod:`trustgraph.ingest.tietable` is checked against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from trustgraph.ingest.records import ConversationEvent
from trustgraph.ingest.tiemodel import TieModel, _to_epoch
from trustgraph.ingest.tietable import TieTable

__all__ = ["reference_tie_table"]


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


def reference_tie_table(
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
