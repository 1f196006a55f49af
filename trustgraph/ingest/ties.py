"""Tie strength: how conversation events become directed edge weights.

No standard formula for tie strength from communication exists (Gilbert & Karahalios 2009
list 74 candidate predictors). Public code converges on three ingredients, which
:class:`TieModel` combines and exposes one by one: message frequency with exponential
recency decay, reciprocity, and a discount for messages addressed to many people. On top
of that, people who share a group conversation get a weak tie between each other, which is
how friends-of-friends become visible in a personal export.

For the pair ``u -> v`` (``u`` wrote to ``v``) the model computes::

    d(t)     = max(0.5 ** ((T - t) / half_life), floor)      recency decay, 1 at time T
    g(k)     = k ** -group_exponent                            per-recipient share, k recipients
    S_uv     = sum over messages u -> v of d(t) * g(k)         the direct part ("decayed")
    C_uv     = sum over group messages where u and v are both
               recipients of d(t) * g(k)                       the co-participant part
    r_uv     = 2 * min(S_uv, S_vu) / (S_uv + S_vu)             balance in [0, 1]
    f_uv     = (1 - reciprocity) + reciprocity * r_uv          reciprocity factor
    strength = f_uv * S_uv + co_participant * C_uv
    weight   = transform(strength)                             log1p by default

:meth:`TieModel.plain_counts` switches every ingredient off, so that ``weight`` is the
number of messages ``u -> v``; :func:`tie_components` returns every intermediate column, so
any other weighting (Onnela's counts, Arnaboldi's contacts per year, ...) can be rebuilt.
The full derivation and a worked example are in ``docs/ties.md``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

import numpy as np

from trustgraph.exceptions import ParameterError
from trustgraph.ingest.records import ConversationEvent

__all__ = ["TRANSFORMS", "TieModel", "TieTable", "tie_components"]

#: Names accepted by ``TieModel(transform=...)``.
TRANSFORMS = ("log1p", "identity")

_SECONDS_PER_DAY = 86_400.0


def _to_epoch(value: datetime | float | int) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    return float(value)


def _finite_number(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ParameterError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ParameterError(f"{name} must be finite, got {value!r}")
    return number


@dataclass(frozen=True)
class TieModel:
    """How conversation events become directed tie strengths (a frozen, hashable value).

    Parameters
    ----------
    half_life_days : float or None, default 90.0
        A message loses half its weight every `half_life_days` before the reference time.
        ``None`` disables decay (every message counts 1).
    decay_floor : float in [0, 1], default 0.1
        The least share of its weight a message keeps however old: decay is bounded, so a
        long two-way friendship is not outweighed by last week's unanswered message (with
        the default half-life the floor is reached after about 300 days). 0 removes it.
    reciprocity : float in [0, 1], default 0.5
        How much a one-sided tie is discounted. With the balance
        ``r = 2 min(S_uv, S_vu) / (S_uv + S_vu)``, the direct part is multiplied by
        ``(1 - reciprocity) + reciprocity * r``: a purely one-way tie keeps
        ``1 - reciprocity`` of its weight, a balanced one keeps all of it. 0 disables.
    group_exponent : float >= 0, default 1.0
        A message to ``k`` recipients gives each of them ``k ** -group_exponent``: 1.0 splits
        one message among its recipients, 0 counts it fully for each.
    co_participant : float >= 0, default 0.25
        Weight, relative to a direct message, of the tie between two recipients of the same
        group message (in both directions; decayed and group-discounted like the rest).
        0 disables co-participant edges.
    co_participant_max_group : int or None, default 50
        Messages with more recipients than this make no co-participant edges (a 500-member
        channel says little about any pair, and would make 250,000 pairs per message).
        ``None`` removes the limit.
    transform : {"log1p", "identity"}, default "log1p"
        Applied to the strength: ``log1p`` damps heavy chatters (ALGORITHMS.md §14),
        ``identity`` keeps the sum.
    reference_time : datetime or float or None, default None
        The time ``T`` decay is measured from (a datetime, naive = UTC, or epoch seconds).
        ``None`` means the newest event. Events after ``T`` are left out, which gives the
        graph "as it stood at T"; their number is ``TieTable.n_after_reference``.

    Raises
    ------
    ParameterError
        A parameter outside its domain, named with the offending value.

    See Also
    --------
    tie_components : every intermediate column per directed pair.
    trustgraph.ingest.build.build_graph : the graph built with a model.

    Notes
    -----
    ALGORITHMS.md §14 proposes ``log(1 + sum d(t)) * r ** beta``. We use the linear mix
    ``(1 - reciprocity) + reciprocity * r`` instead, for two reasons. A power of ``r``
    sends every purely one-way tie to weight 0 for any ``beta > 0`` (so the owner's edge to
    someone who never answered would vanish from propagation), and jumps to 1 at
    ``beta = 0``; the mix degrades smoothly to ``1 - reciprocity``. And the factor scales
    the sum before the transform, with the balance computed from the same decayed,
    group-discounted sums ``S`` it scales, which keeps the weight of ``u -> v``
    non-decreasing in every message ``u -> v`` and non-increasing in its age (with counts
    instead, one old one-way message could lower a balanced tie).

    References
    ----------
    .. [1] E. Gilbert and K. Karahalios, "Predicting tie strength with social media",
       CHI 2009.
    .. [2] J.-P. Onnela et al., "Structure and tie strengths in mobile communication
       networks", PNAS 104(18), 2007.

    Examples
    --------
    >>> TieModel().half_life_days, TieModel().reciprocity
    (90.0, 0.5)
    >>> TieModel.plain_counts().transform
    'identity'
    >>> TieModel(reciprocity=2.0)
    Traceback (most recent call last):
    ...
    trustgraph.exceptions.ParameterError: reciprocity must be in [0, 1], got 2.0
    """

    half_life_days: float | None = 90.0
    decay_floor: float = 0.1
    reciprocity: float = 0.5
    group_exponent: float = 1.0
    co_participant: float = 0.25
    co_participant_max_group: int | None = 50
    transform: str = "log1p"
    reference_time: datetime | float | None = field(default=None)

    def __post_init__(self) -> None:
        if self.half_life_days is not None:
            half_life = _finite_number("half_life_days", self.half_life_days)
            if half_life <= 0:
                raise ParameterError(
                    f"half_life_days must be positive (or None for no decay), "
                    f"got {self.half_life_days!r}"
                )
        floor = _finite_number("decay_floor", self.decay_floor)
        if not 0.0 <= floor <= 1.0:
            raise ParameterError(f"decay_floor must be in [0, 1], got {self.decay_floor!r}")
        reciprocity = _finite_number("reciprocity", self.reciprocity)
        if not 0.0 <= reciprocity <= 1.0:
            raise ParameterError(f"reciprocity must be in [0, 1], got {self.reciprocity!r}")
        if _finite_number("group_exponent", self.group_exponent) < 0:
            raise ParameterError(f"group_exponent must be >= 0, got {self.group_exponent!r}")
        if _finite_number("co_participant", self.co_participant) < 0:
            raise ParameterError(f"co_participant must be >= 0, got {self.co_participant!r}")
        limit = self.co_participant_max_group
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 2
        ):
            raise ParameterError(
                f"co_participant_max_group must be an integer >= 2 or None, got {limit!r}"
            )
        if self.transform not in TRANSFORMS:
            raise ParameterError(f"transform must be one of {TRANSFORMS}, got {self.transform!r}")
        if self.reference_time is not None and not isinstance(self.reference_time, datetime):
            _finite_number("reference_time", self.reference_time)

    @classmethod
    def plain_counts(cls) -> TieModel:
        """The model whose weight is the number of messages ``u -> v``.

        No decay, no reciprocity factor, no group discount, no co-participant edges and the
        identity transform.

        Examples
        --------
        >>> m = TieModel.plain_counts()
        >>> (m.half_life_days, m.reciprocity, m.group_exponent, m.co_participant)
        (None, 0.0, 0.0, 0.0)
        """
        return cls(
            half_life_days=None,
            reciprocity=0.0,
            group_exponent=0.0,
            co_participant=0.0,
            transform="identity",
        )

    def decay(self, age_seconds: np.ndarray | float) -> np.ndarray:
        """Recency factor ``max(0.5 ** (age / half_life), decay_floor)`` of messages.

        Examples
        --------
        >>> TieModel(half_life_days=1).decay([0.0, 86400.0, 172800.0, 864000.0]).tolist()
        [1.0, 0.5, 0.25, 0.1]
        """
        age = np.asarray(age_seconds, dtype=np.float64)
        if self.half_life_days is None:
            return np.ones_like(age)
        halved = np.power(0.5, age / (float(self.half_life_days) * _SECONDS_PER_DAY))
        return np.maximum(halved, float(self.decay_floor))

    def group_share(self, n_recipients: np.ndarray | int) -> np.ndarray:
        """Share ``k ** -group_exponent`` each recipient of a `k`-recipient message gets.

        Examples
        --------
        >>> TieModel().group_share([1, 2, 4]).tolist()
        [1.0, 0.5, 0.25]
        """
        k = np.asarray(n_recipients, dtype=np.float64)
        if self.group_exponent == 0:
            return np.ones_like(k)
        return np.power(k, -float(self.group_exponent))

    def reciprocity_factor(self, balance: np.ndarray | float) -> np.ndarray:
        """``(1 - reciprocity) + reciprocity * balance`` for balances in [0, 1].

        Examples
        --------
        >>> TieModel(reciprocity=0.5).reciprocity_factor([0.0, 0.5, 1.0]).tolist()
        [0.5, 0.75, 1.0]
        """
        r = np.asarray(balance, dtype=np.float64)
        rho = float(self.reciprocity)
        return (1.0 - rho) + rho * r

    def apply_transform(self, strength: np.ndarray | float) -> np.ndarray:
        """The final transform applied to the strength.

        Examples
        --------
        >>> [round(x, 6) for x in TieModel().apply_transform([0.0, 1.0]).tolist()]
        [0.0, 0.693147]
        """
        s = np.asarray(strength, dtype=np.float64)
        if self.transform == "log1p":
            return np.log1p(s)
        return s.copy()

    def describe(self) -> str:
        """A one-line description of the parameters (stored as a graph attribute).

        Examples
        --------
        >>> print(TieModel.plain_counts().describe())  # doctest: +ELLIPSIS
        TieModel(half_life_days=None, decay_floor=0.1, reciprocity=0.0, group_exponent=0.0, ...)
        """
        parts = []
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            parts.append(f"{spec.name}={value!r}")
        return f"TieModel({', '.join(parts)})"


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
    nodes = encoded.nodes
    n_nodes = len(nodes)
    time = encoded.time
    if time.size == 0:
        return _empty_table(nodes, encoded)

    if model.reference_time is None:
        reference = float(time.max())
    else:
        reference = _to_epoch(model.reference_time)
    keep = time <= reference
    n_after = int(time.size - np.count_nonzero(keep))

    sizes = encoded.n_recipients
    starts = np.zeros(sizes.size, dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    # Per-event contribution of one recipient: recency decay times the group share.
    per_recipient = model.decay(reference - time) * model.group_share(sizes)
    kept_events = np.flatnonzero(keep)

    event_of_recipient = np.repeat(np.arange(sizes.size), sizes)
    direct = keep[event_of_recipient]
    direct_event = event_of_recipient[direct]
    direct_src = encoded.sender[direct_event]
    direct_dst = encoded.recipient[direct]

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

    n_direct = direct_src.size
    keys = np.concatenate([direct_src * n_nodes + direct_dst, co_src * n_nodes + co_dst])
    if keys.size == 0:
        return _empty_table(
            nodes,
            encoded,
            reference_time=reference,
            n_events=int(kept_events.size),
            n_after_reference=n_after,
        )
    pair_keys, pair_of = np.unique(keys, return_inverse=True)
    pair_of = pair_of.ravel()
    n_pairs = pair_keys.size
    direct_pair = pair_of[:n_direct]
    count = np.bincount(direct_pair, minlength=n_pairs).astype(np.int64)
    # "direct" here means a u -> v contribution (as opposed to co-participation); the
    # `one_to_one` column counts the subset sent to v alone.
    one_to_one = np.bincount(
        direct_pair, weights=(sizes[direct_event] == 1).astype(np.float64), minlength=n_pairs
    ).astype(np.int64)
    bulk = np.bincount(
        direct_pair, weights=encoded.bulk[direct_event].astype(np.float64), minlength=n_pairs
    ).astype(np.int64)
    decayed = np.bincount(direct_pair, weights=per_recipient[direct_event], minlength=n_pairs)
    co_decayed = np.bincount(
        pair_of[n_direct:], weights=per_recipient[co_event], minlength=n_pairs
    )

    # First and last contribution per pair: sort contributions by pair and reduce runs.
    contribution_time = time[np.concatenate([direct_event, co_event])]
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
        direct_src, direct_dst, time[direct_event], source, target, n_nodes
    )

    total = decayed + decayed_back
    with np.errstate(invalid="ignore", divide="ignore"):
        balance = np.where(total > 0, 2.0 * np.minimum(decayed, decayed_back) / total, 0.0)
    factor = model.reciprocity_factor(balance)
    strength = factor * decayed + float(model.co_participant) * co_decayed
    weight = model.apply_transform(strength)

    return TieTable(
        nodes=tuple(nodes),
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
        weight=weight,
        first_seen=first_seen,
        last_seen=last_seen,
        direct=one_to_one,
        bulk=bulk,
        active_months=active_months,
        reference_time=reference,
        n_events=int(kept_events.size),
        n_system=encoded.n_system,
        n_after_reference=n_after,
        n_no_recipient=encoded.n_no_recipient,
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


def tie_components(events: Iterable[ConversationEvent], model: TieModel | None = None) -> TieTable:
    """Compute every component of the tie model for each directed pair.

    Parameters
    ----------
    events : iterable of ConversationEvent
        Messages; system events are left out, duplicate recipients count once and a
        sender is never their own recipient.
    model : TieModel, optional
        Defaults to ``TieModel()``.

    Returns
    -------
    TieTable
        One row per directed pair ``u -> v`` with at least one direct or co-participant
        contribution: ``count``, ``count_back``, ``decayed``, ``decayed_back``,
        ``co_decayed``, ``reciprocity``, ``reciprocity_factor``, ``strength``, ``weight``,
        ``first_seen``, ``last_seen``, ``direct`` (one-to-one messages) and ``bulk``
        (messages on ``channel="bulk"``).

    See Also
    --------
    TieModel : the formula and its parameters.
    trustgraph.ingest.build.build_graph : turns the table into a graph.

    Notes
    -----
    Runs in ``O(E log E)`` for ``E`` (event, recipient) pairs plus ``k (k - 1)`` pairs
    per group message of ``k <= co_participant_max_group`` recipients: the records are
    turned into arrays once, then pairs are reduced with ``numpy.unique`` and
    ``numpy.bincount``.

    References
    ----------
    .. [1] J.-P. Onnela et al., "Structure and tie strengths in mobile communication
       networks", PNAS 104(18), 2007 (weights as aggregated counts).

    Examples
    --------
    Two messages ada -> bo, 90 days apart, one answer, half-life 90 days:

    >>> from datetime import datetime, timedelta, timezone
    >>> from trustgraph.ingest.records import ConversationEvent as Ev
    >>> T = datetime(2024, 6, 1, tzinfo=timezone.utc)
    >>> events = [Ev(T, "ada", ("bo",)), Ev(T - timedelta(days=90), "ada", ("bo",)),
    ...           Ev(T, "bo", ("ada",))]
    >>> table = tie_components(events)
    >>> row = table.row("ada", "bo")
    >>> row["count"], row["count_back"], row["decayed"], round(row["reciprocity"], 4)
    (2, 1, 1.5, 0.8)
    >>> round(row["strength"], 4), round(row["weight"], 4)
    (1.35, 0.8544)
    >>> tie_components(events, TieModel.plain_counts()).row("ada", "bo")["weight"]
    2.0
    """
    if model is None:
        model = TieModel()
    if not isinstance(model, TieModel):
        raise ParameterError(f"model must be a TieModel, got {type(model).__name__}")
    return _tie_table(events, model)
