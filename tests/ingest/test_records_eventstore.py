"""EventStore: events kept as columns read back as the ConversationEvent records stored.

The oracle is a plain list of the same records: every list use the rest of the package
makes of ``ExportData.events`` (len, iteration, indexing, slices, ==, append, extend) must
give what the list gives.
"""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from trustgraph.ingest.records import ConversationEvent, EventStore, ExportData, utc_micros

T = datetime(2024, 3, 14, 9, 5, 12, 345678, tzinfo=timezone.utc)


def _events() -> list[ConversationEvent]:
    paris = ZoneInfo("Europe/Paris")
    return [
        ConversationEvent(T, "ada", ("bo",), "dm", "chat", "whatsapp", 12),
        ConversationEvent(T + timedelta(seconds=1), "bo", ["ada"], "dm", "chat", "whatsapp", 0),
        ConversationEvent(T, "ada", ("bo", "cy"), "group", None, "mbox", None, False),
        ConversationEvent(datetime(2024, 3, 14, 10, 5), "cy", ("ada",)),  # naive: UTC
        ConversationEvent(datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=paris), "cy", ("bo",)),
        ConversationEvent(datetime(1969, 7, 20, 20, 17, tzinfo=timezone.utc), "ada", ("bo",)),
        ConversationEvent(T, "sys", ("ada",), is_system=True, n_chars=2**40),
    ]


def test_a_store_reads_back_what_a_list_holds():
    events = _events()
    store = EventStore(events)
    assert len(store) == len(events)
    assert list(store) == events and store == events and events == store
    assert [store[i] for i in range(-len(events), len(events))] == events + events
    assert store[1:5] == events[1:5] and store[::-2] == events[::-2]
    for got, want in zip(store, events):
        # Equal is not enough for a datetime: the zone and the fold are kept as given.
        assert got.timestamp.tzinfo is want.timestamp.tzinfo
        assert got.timestamp.fold == want.timestamp.fold
        assert got.timestamp.isoformat() == want.timestamp.isoformat()
        assert type(got.recipients) is tuple and got.is_group == want.is_group
    with pytest.raises(IndexError):
        store[len(events)]
    assert store != events[:-1] and EventStore() == [] and not EventStore()


def test_append_extend_and_envelopes():
    events = _events()
    store = EventStore()
    for event in events[:3]:
        store.append(event)
    store.extend(EventStore(events[3:]))  # envelopes renumbered into this store
    assert store == events
    store += events[:2]
    assert store == events + events[:2]
    # Rows by number: one envelope for many events.
    chat = store.envelope("bo", ("ada",), "dm", "chat", "whatsapp")
    assert chat == store.envelope("bo", ["ada"], "dm", "chat", "whatsapp")
    store.extend_rows([utc_micros(T)] * 2, [chat, chat], [3, 4])
    assert store[-1] == ConversationEvent(T, "bo", ("ada",), "dm", "chat", "whatsapp", 4)
    with pytest.raises(ValueError):
        store.extend_rows([1], [chat, chat], [1])
    store.clear()
    assert len(store) == 0


def test_numpy_columns_and_renaming_people():
    np = pytest.importorskip("numpy")
    store = EventStore()
    ada = store.envelope("ada", ("bo",), conversation_id="chat", source="whatsapp")
    bo = store.envelope("bo", ("ada",), conversation_id="chat", source="whatsapp")
    micros = np.array([utc_micros(T) + i * 60_000_000 for i in range(4)])
    store.extend_rows(micros, np.array([ada, bo, ada, bo], dtype=np.int32), np.arange(4))
    assert [(e.sender, e.timestamp.minute, e.n_chars) for e in store] == [
        ("ada", 5, 0),
        ("bo", 6, 1),
        ("ada", 7, 2),
        ("bo", 8, 3),
    ]
    mapping = {"ada": "person:1", "bo": "person:1"}  # one person under two ids
    renamed = store.with_participants(lambda s, r: (mapping[s], tuple(mapping[p] for p in r)))
    oracle = [
        ConversationEvent(
            e.timestamp,
            mapping[e.sender],
            tuple(mapping[p] for p in e.recipients),
            e.channel,
            e.conversation_id,
            e.source,
            e.n_chars,
        )
        for e in store
    ]
    assert renamed == oracle and repr(renamed) == "EventStore(4 events, 1 envelopes)"
    assert store[0].sender == "ada"  # the original is left as it was


def test_export_data_events_are_a_store_and_pickle():
    data = ExportData()
    assert isinstance(data.events, EventStore)
    data.extend(ExportData(events=_events()))
    data.extend(ExportData(events=EventStore(_events())))
    assert data.events == _events() + _events()
    assert pickle.loads(pickle.dumps(data.events)) == data.events
    assert pickle.loads(pickle.dumps(_events()[0])) == _events()[0]
    with pytest.raises(TypeError):
        hash(data.events)
