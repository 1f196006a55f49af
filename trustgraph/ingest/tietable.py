"""Tie tables: every component of the tie model per directed pair, computed on arrays.

The events are turned into flat arrays once as they stream (:func:`_encode_events`), each
distinct recipient list kept once. Every sum after that is a
``numpy.unique``/``numpy.bincount`` reduction, first over the messages of a class (one
sender, one recipient list) and then over the pairs each class and each recipient list
gives: a 20-member group chat costs the same per message as a one-to-one chat.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from trustgraph.core.uniques import unique, unique_inverse
from trustgraph.ingest.records import ConversationEvent, EventStore
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
    """Events as flat arrays, one entry per event; recipient lists stored once each.

    A group chat repeats the same few recipient lists (everyone but the sender) in every
    message, so each distinct list is kept once (``set_start``/``set_member``, CSR-like)
    and an event holds the index of its list: memory per event does not grow with the
    size of the group.
    """

    nodes: list[str]
    time: np.ndarray  # float64 epoch seconds, per event
    sender: np.ndarray  # int64 node index, per event
    recipient_set: np.ndarray  # int64 index of the event's recipient list, per event
    bulk: np.ndarray  # bool, per event: channel "bulk"
    set_start: np.ndarray  # int64 offsets into set_member, one per list plus one
    set_member: np.ndarray  # int64 node index, per (list, recipient)
    n_system: int
    n_no_recipient: int

    @property
    def set_size(self) -> np.ndarray:
        return np.diff(self.set_start)

    def expand(self, sets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each entry of `sets` (list indices), one row per member: the position in
        `sets` it comes from and the member's node index."""
        counts = self.set_size[sets]
        rep = np.repeat(np.arange(sets.size), counts)
        offsets = np.cumsum(counts) - counts
        where = np.arange(rep.size) - offsets[rep] + self.set_start[sets][rep]
        return rep, self.set_member[where]


def _code_participants(
    key: tuple[str, tuple[str, ...]],
    index: dict[str, int],
    sets: dict[tuple[int, ...], int],
    alias: Mapping[str, str] | None,
) -> tuple[int, int]:
    """Sender code and recipient-list index of one (sender, recipients) pair (-1: no
    recipient but the sender). New names join `index` in order of appearance."""
    sender, targets = key
    if alias:
        sender = alias.get(sender, sender)
        targets = tuple(alias.get(r, r) for r in targets)
    sender_code = index.setdefault(sender, len(index))
    # Recipients are de-duplicated, and the sender is never their own recipient.
    codes = dict.fromkeys(index.setdefault(r, len(index)) for r in targets)
    codes.pop(sender_code, None)
    if not codes:
        return sender_code, -1
    return sender_code, sets.setdefault(tuple(codes), len(sets))


def _encode_events(
    events: Iterable[ConversationEvent],
    node_order: Sequence[str],
    alias: Mapping[str, str] | None,
) -> _EncodedEvents:
    # One pass of Python over the records, the only per-event Python code: everything after
    # this works on arrays. Events are consumed as they come (a generator is never held).
    index: dict[str, int] = {}
    for name in node_order:
        index.setdefault(name, len(index))
    if isinstance(events, EventStore):
        encoded = _encode_store(events, index, alias)
        if encoded is not None:
            return encoded
    sets: dict[tuple[int, ...], int] = {}
    coded: dict[tuple[str, tuple[str, ...]], tuple[int, int]] = {}
    times, senders, groups, bulk = array("d"), array("q"), array("q"), bytearray()
    n_system = n_no_recipient = 0
    for event in events:
        if event.is_system:
            n_system += 1
            continue
        key = (event.sender, tuple(event.recipients))
        code = coded.get(key)
        if code is None:
            code = coded[key] = _code_participants(key, index, sets, alias)
        if code[1] < 0:
            n_no_recipient += 1
            continue
        times.append(event.timestamp.timestamp())
        senders.append(code[0])
        groups.append(code[1])
        bulk.append(event.channel == "bulk")
    columns = (_numbers(times, np.float64), _numbers(senders, np.int64))
    columns += (_numbers(groups, np.int64), np.frombuffer(bytes(bulk), dtype=bool))
    return _encoded(index, sets, columns, n_system, n_no_recipient)


def _numbers(column: array, dtype: Any) -> np.ndarray:
    """An array's items as a numpy array, without a copy (an empty one when empty)."""
    dtype = np.dtype(dtype).newbyteorder("=")
    return np.frombuffer(column, dtype=dtype) if len(column) else np.empty(0, dtype=dtype)


def _encoded(
    index: dict[str, int],
    sets: dict[tuple[int, ...], int],
    columns: tuple[np.ndarray, ...],
    n_system: int,
    n_no_recipient: int,
) -> _EncodedEvents:
    """The encoded events of the per-event columns (time, sender, recipient list, bulk)."""
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    set_start = np.zeros(sizes.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=set_start[1:])
    member = np.fromiter(chain.from_iterable(sets), dtype=np.int64, count=int(set_start[-1]))
    time, sender, group, bulk = columns
    return _EncodedEvents(
        list(index), time, sender, group, bulk, set_start, member, n_system, n_no_recipient
    )


def _encode_store(
    store: EventStore, index: dict[str, int], alias: Mapping[str, str] | None
) -> _EncodedEvents | None:
    """:func:`_encode_events` of an :class:`EventStore`, on its columns: the Python work is
    done once per envelope, in order of first use (so nodes and recipient lists get the
    indices the per-event pass gives them), and broadcast to the events by envelope index.
    None when a time is too far from 1970 to be exact in float64 microseconds."""
    micros, kinds, _, envelopes = store.columns()
    micro = _numbers(micros, np.int64)
    kind = _numbers(kinds, f"i{kinds.itemsize}")
    if micro.size and int(np.abs(micro).max()) >= 2**53:
        return None
    used, first_row = np.unique(kind, return_index=True)
    sender = np.full(len(envelopes), -1, dtype=np.int64)
    group, is_bulk, system = sender.copy(), np.zeros(sender.size, bool), sender >= 0
    sets: dict[tuple[int, ...], int] = {}
    coded: dict[tuple[str, tuple[str, ...]], tuple[int, int]] = {}
    for k in used[np.argsort(first_row, kind="stable")].tolist():
        who, recipients, channel, _, _, system[k] = envelopes[k]
        if system[k]:
            continue
        key = (who, tuple(recipients))
        code = coded.get(key)
        if code is None:
            code = coded[key] = _code_participants(key, index, sets, alias)
        sender[k], group[k] = code
        is_bulk[k] = channel == "bulk"
    event_group = group[kind]
    keep = np.flatnonzero(event_group >= 0)
    n_system = int(np.count_nonzero(system[kind]))
    kept = kind[keep]
    columns = (micro[keep] / 1e6, sender[kept], event_group[keep], is_bulk[kept])
    return _encoded(index, sets, columns, n_system, int(kind.size - keep.size - n_system))


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
    kept = np.flatnonzero(time <= reference)
    counts = {
        "reference_time": reference,
        "n_events": int(kept.size),
        "n_after_reference": int(time.size - kept.size),
    }
    if kept.size == 0:
        return _empty_table(encoded.nodes, encoded, **counts)
    parts = _Contributions.of(encoded, model, reference, kept)
    return _pair_table(encoded, model, parts, counts)


def _extremes(labels: np.ndarray, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, ...]:
    """Minimum of `first` and maximum of `last` per label (labels ``0..n-1``, all present)."""
    n = int(labels.max()) + 1 if labels.size else 0
    low = np.full(n, np.inf) if first.dtype.kind == "f" else np.full(n, np.iinfo(first.dtype).max)
    high = np.full(n, -np.inf) if last.dtype.kind == "f" else np.full(n, np.iinfo(last.dtype).min)
    np.minimum.at(low, labels, first)
    np.maximum.at(high, labels, last)
    return low.astype(first.dtype, copy=False), high.astype(last.dtype, copy=False)


def _month_index(when: np.ndarray) -> np.ndarray:
    """UTC calendar month of each epoch time, counted from the earliest one."""
    months = when.astype("int64").astype("datetime64[s]").astype("datetime64[M]").astype("int64")
    return months - months.min()


@dataclass
class _Contributions:
    """What the kept messages give each pair, already summed per message class.

    A class is every kept message with one sender, one recipient list and one bulk flag:
    its direct rows (sender -> each recipient) carry the class's message count and
    decayed sum. Co-participant rows (recipient -> recipient) are summed per recipient
    list. So the work and memory grow with the distinct (sender, list) classes, not with
    messages times group size squared.
    """

    direct_src: np.ndarray
    direct_dst: np.ndarray
    direct_count: np.ndarray  # messages of the class
    direct_one_to_one: np.ndarray  # the same when the list has one recipient, else 0
    direct_bulk: np.ndarray  # the same when the class is bulk, else 0
    direct_decayed: np.ndarray
    direct_first: np.ndarray
    direct_last: np.ndarray
    co_src: np.ndarray
    co_dst: np.ndarray
    co_decayed: np.ndarray
    co_first: np.ndarray
    co_last: np.ndarray
    month_pairs: np.ndarray  # distinct (unordered pair, month) keys with a direct message
    month_span: int

    @classmethod
    def of(
        cls, encoded: _EncodedEvents, model: TieModel, reference: float, kept: np.ndarray
    ) -> _Contributions:
        size = encoded.set_size
        group = encoded.recipient_set[kept]
        time = encoded.time[kept]
        # Each recipient's share: the same value the per-recipient sum adds k times.
        weight = model.decay(reference - time) * model.group_share(size[group])
        n_sets = size.size
        key = (encoded.sender[kept] * n_sets + group) * 2 + encoded.bulk[kept]
        class_key, class_of = unique_inverse(key)
        n_in = np.bincount(class_of, minlength=class_key.size)
        # Summed in message order, as a sum over the messages of a pair would be.
        decayed = np.bincount(class_of, weights=weight, minlength=class_key.size)
        first, last = _extremes(class_of, time, time)
        class_set = (class_key // 2) % n_sets
        class_sender = class_key // 2 // n_sets
        rep, member = encoded.expand(class_set)
        count = n_in[rep]
        months = _month_index(time)
        span = int(months.max()) + 1
        seen = unique(class_of * span + months)
        m_rep, m_member = encoded.expand(class_set[seen // span])
        m_sender = class_sender[seen // span][m_rep]
        n = len(encoded.nodes)
        month_pair = np.minimum(m_sender, m_member) * n + np.maximum(m_sender, m_member)
        co = _co_rows(encoded, model, group, time, weight)
        return cls(
            class_sender[rep],
            member,
            count,
            np.where(size[class_set[rep]] == 1, count, 0),
            np.where(class_key[rep] % 2 == 1, count, 0),
            decayed[rep],
            first[rep],
            last[rep],
            *co,
            unique(month_pair * span + (seen % span)[m_rep]),
            span,
        )


def _co_rows(
    encoded: _EncodedEvents,
    model: TieModel,
    group: np.ndarray,
    time: np.ndarray,
    weight: np.ndarray,
) -> tuple[np.ndarray, ...]:
    """Co-participant rows: every ordered pair of recipients of each recipient list used
    by a kept group message, with the list's decayed sum and first and last time."""
    empty_int, empty_float = np.empty(0, dtype=np.int64), np.empty(0)
    if model.co_participant <= 0:
        return empty_int, empty_int.copy(), empty_float, empty_float.copy(), empty_float.copy()
    used, used_of = unique_inverse(group)
    decayed = np.bincount(used_of, weights=weight, minlength=used.size)
    first, last = _extremes(used_of, time, time)
    src, dst, row = _co_participant_pairs(
        encoded.set_member,
        encoded.set_start[used],
        encoded.set_size[used],
        np.arange(used.size),
        model.co_participant_max_group,
    )
    return src, dst, decayed[row], first[row], last[row]


def _pair_table(
    encoded: _EncodedEvents, model: TieModel, parts: _Contributions, counts: dict[str, Any]
) -> TieTable:
    """Reduce the rows to one per pair and apply the model."""
    n_nodes = len(encoded.nodes)
    n_direct = parts.direct_src.size
    keys = np.concatenate(
        [parts.direct_src * n_nodes + parts.direct_dst, parts.co_src * n_nodes + parts.co_dst]
    )
    pair_keys, pair_of = unique_inverse(keys)
    n_pairs = pair_keys.size
    direct_pair = pair_of[:n_direct]

    def total(values: np.ndarray) -> np.ndarray:
        # Counts are summed as floats: exact below 2**53 messages.
        return np.bincount(direct_pair, weights=values, minlength=n_pairs)

    count = total(parts.direct_count).astype(np.int64)
    decayed = total(parts.direct_decayed)
    co_decayed = np.bincount(pair_of[n_direct:], weights=parts.co_decayed, minlength=n_pairs)
    first_seen, last_seen = _extremes(
        pair_of,
        np.concatenate([parts.direct_first, parts.co_first]),
        np.concatenate([parts.direct_last, parts.co_last]),
    )
    source = pair_keys // n_nodes
    target = pair_keys % n_nodes
    # The reverse pair v -> u, found by binary search in the sorted keys.
    back_keys = target * n_nodes + source
    where = np.minimum(np.searchsorted(pair_keys, back_keys), n_pairs - 1)
    has_back = pair_keys[where] == back_keys
    count_back = np.where(has_back, count[where], 0)
    decayed_back = np.where(has_back, decayed[where], 0.0)
    both = decayed + decayed_back
    with np.errstate(invalid="ignore", divide="ignore"):
        balance = np.where(both > 0, 2.0 * np.minimum(decayed, decayed_back) / both, 0.0)
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
        direct=total(parts.direct_one_to_one).astype(np.int64),
        bulk=total(parts.direct_bulk).astype(np.int64),
        active_months=_active_months(parts, source, target, n_nodes),
        n_system=encoded.n_system,
        n_no_recipient=encoded.n_no_recipient,
        **counts,
    )


def _active_months(
    parts: _Contributions, source: np.ndarray, target: np.ndarray, n_nodes: int
) -> np.ndarray:
    """Distinct UTC calendar months with a message either way, for each pair row."""
    if parts.month_pairs.size == 0:
        return np.zeros(source.size, dtype=np.int64)
    pairs, per_pair = np.unique(parts.month_pairs // parts.month_span, return_counts=True)
    wanted = np.minimum(source, target) * n_nodes + np.maximum(source, target)
    where = np.minimum(np.searchsorted(pairs, wanted), pairs.size - 1)
    return np.where(pairs[where] == wanted, per_pair[where], 0).astype(np.int64)
