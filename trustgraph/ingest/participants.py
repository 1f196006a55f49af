"""Events rewritten to canonical participants once identities are merged.

A chat repeats the same (sender, recipients) pair in every message of one author, so each
distinct pair is rewritten once, and an event whose participants do not change is kept as
it is (events are frozen): merging identities never holds a second copy of a large export.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from trustgraph.ingest.records import ConversationEvent, EventStore

__all__ = ["rewrite_events", "rewrite_store"]


def rewrite_events(
    events: Iterable[ConversationEvent],
    mapping: Mapping[str, str],
    new_person: Callable[[str, ConversationEvent], None],
) -> tuple[list[ConversationEvent], int]:
    """Events with canonical participants, and how many addressed a sender's own id.

    Parameters
    ----------
    events : iterable of ConversationEvent
    mapping : mapping of str to str
        Every identifier -> its canonical id.
    new_person : callable
        Called as ``new_person(canonical_id, event)`` for every canonical participant, in
        order of first appearance (at least once each; it must be idempotent).

    Returns
    -------
    (list of ConversationEvent, int)
        The events, a sender's own other ids dropped from the recipients and recipients
        de-duplicated (unchanged events are the same objects), and the number of events
        that had such a self-addressed recipient.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2024, 6, 1, tzinfo=timezone.utc)
    >>> a = ConversationEvent(t, "ada", ("bo", "ada2"))
    >>> b = ConversationEvent(t, "bo", ("ada",))
    >>> seen = {}
    >>> out, n = rewrite_events([a, b], {"ada": "ada", "ada2": "ada", "bo": "bo"},
    ...                         lambda p, e: seen.setdefault(p, e.sender))
    >>> out[0].recipients, out[1] is b, n, list(seen)
    (('bo',), True, 1, ['ada', 'bo'])
    """
    rewritten: list[ConversationEvent] = []
    self_addressed = 0
    done: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...], bool]] = {}
    for event in events:
        key = (event.sender, event.recipients)
        hit = done.get(key)
        if hit is None:
            sender = mapping[event.sender]
            recipients = [mapping[r] for r in event.recipients]
            kept = tuple(dict.fromkeys(r for r in recipients if r != sender))
            if kept == event.recipients:
                kept = event.recipients
            hit = done[key] = (sender, kept, len(kept) < len(set(recipients)))
            for person in (sender, *kept):
                new_person(person, event)
        sender, kept, flagged = hit
        self_addressed += flagged
        if sender == event.sender and kept is event.recipients:
            rewritten.append(event)
        else:
            rewritten.append(_replace_participants(event, sender, kept))
    return rewritten, self_addressed


def _replace_participants(
    event: ConversationEvent, sender: str, recipients: tuple[str, ...]
) -> ConversationEvent:
    return ConversationEvent(
        timestamp=event.timestamp,
        sender=sender,
        recipients=recipients,
        channel=event.channel,
        conversation_id=event.conversation_id,
        source=event.source,
        n_chars=event.n_chars,
        is_system=event.is_system,
    )


def rewrite_store(
    store: EventStore,
    mapping: Mapping[str, str],
    new_person: Callable[[str, ConversationEvent], None],
) -> tuple[EventStore, int]:
    """:func:`rewrite_events` for an :class:`EventStore`, once per envelope, not per event.

    A chat of millions of messages has a few envelopes (sender, recipients, channel...):
    each is rewritten once and the events keep their columns, so no record is made per
    event. `new_person` gets one event of the envelope (its first), as
    :func:`rewrite_events` gives the first event with those participants.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2024, 6, 1, tzinfo=timezone.utc)
    >>> store = EventStore([ConversationEvent(t, "ada", ("bo", "ada2"))] * 3)
    >>> out, n = rewrite_store(store, {"ada": "ada", "ada2": "ada", "bo": "bo"},
    ...                        lambda p, e: None)
    >>> out[2].recipients, n
    (('bo',), 3)
    """
    _, kinds, _, envelopes = store.columns()
    per_envelope = np.bincount(
        np.frombuffer(kinds, dtype=kinds.typecode), minlength=len(envelopes)
    )
    first = _first_positions(np.frombuffer(kinds, dtype=kinds.typecode), len(envelopes))
    flagged = np.zeros(len(envelopes), dtype=bool)
    renamed: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}
    for number, (sender, recipients, *_rest) in enumerate(envelopes):
        canon = mapping[sender]
        named = [mapping[r] for r in recipients]
        kept = tuple(dict.fromkeys(r for r in named if r != canon))
        flagged[number] = len(kept) < len(set(named))
        renamed[(sender, recipients)] = (canon, kept)
        if first[number] >= 0:
            for person in (canon, *kept):
                new_person(person, store[int(first[number])])
    rewritten = store.with_participants(lambda s, r: renamed[(s, r)])
    return rewritten, int(per_envelope[flagged].sum())


def _first_positions(kinds: np.ndarray, n: int) -> np.ndarray:
    """The first position of each envelope among the events (-1 for an unused one)."""
    first = np.full(n, -1, dtype=np.int64)
    positions = np.arange(kinds.size - 1, -1, -1)
    first[kinds[::-1]] = positions  # later writes win: the earliest position stays
    return first
