"""Events renamed to canonical people: per envelope (EventStore) equals per event (list)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from trustgraph.ingest.participants import rewrite_events, rewrite_store
from trustgraph.ingest.records import ConversationEvent, EventStore


def sample_events(seed: int) -> list[ConversationEvent]:
    rng = random.Random(seed)
    people = ["ada", "ada2", "bo", "cy", "cy@x", "dee"]
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    events = []
    for i in range(300):
        sender = rng.choice(people)
        recipients = tuple(rng.sample(people, rng.randint(1, 3)))
        events.append(
            ConversationEvent(
                start + timedelta(minutes=i),
                sender,
                recipients,
                channel=rng.choice(["dm", "group"]),
                source=rng.choice(["whatsapp", "mbox", ""]),
                n_chars=rng.randint(0, 50),
            )
        )
    return events


@pytest.mark.parametrize("seed", range(5))
def test_store_and_list_rewrites_agree(seed):
    mapping = {"ada": "ada", "ada2": "ada", "bo": "bo", "cy": "cy", "cy@x": "cy", "dee": "dee"}
    events = sample_events(seed)
    seen_list: list[tuple[str, str]] = []
    seen_store: list[tuple[str, str]] = []
    by_list, n_list = rewrite_events(events, mapping, lambda p, e: seen_list.append((p, e.source)))
    by_store, n_store = rewrite_store(
        EventStore(events), mapping, lambda p, e: seen_store.append((p, e.source))
    )
    assert list(by_store) == by_list
    assert n_store == n_list > 0
    # Every person is announced with the source of the first event naming them.
    assert dict(reversed(seen_store)) == dict(reversed(seen_list))
    assert list(dict.fromkeys(p for p, _ in seen_store)) == list(
        dict.fromkeys(p for p, _ in seen_list)
    )
