"""The tie table aggregated per message class equals the one built per message (issue 18).

The oracle is the previous implementation, kept in ``reference_tietable.py``: one
contribution per (message, recipient) and per (message, co-recipient pair). Integer
columns and times must be equal; decayed sums equal to rounding (the new code sums a
pair's messages class by class, which may group the additions differently when a pair's
messages fall in several classes).
"""

from __future__ import annotations

import random
import tracemalloc
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from reference_tietable import reference_tie_table

from trustgraph.datasets import write_sample_exports, write_synthetic_person
from trustgraph.ingest.identity import merge_identities
from trustgraph.ingest.load import plan_inputs, read_input
from trustgraph.ingest.records import ConversationEvent, ExportData
from trustgraph.ingest.ties import TieModel
from trustgraph.ingest.tietable import TieTable, _tie_table

EXACT = ("source", "target", "count", "count_back", "direct", "bulk", "active_months")
EXACT += ("first_seen", "last_seen")
ROUNDED = ("decayed", "decayed_back", "co_decayed", "reciprocity", "strength", "weight")
MODELS = {
    "default": TieModel(),
    "plain": TieModel.plain_counts(),
    "small-groups": TieModel(co_participant_max_group=3, co_participant=0.5),
    "reference": TieModel(reference_time=datetime(2023, 3, 1, tzinfo=timezone.utc)),
}


def _assert_same(new: TieTable, old: TieTable) -> None:
    assert new.nodes == old.nodes
    assert len(new) == len(old)
    for name in EXACT:
        np.testing.assert_array_equal(getattr(new, name), getattr(old, name), err_msg=name)
    for name in ROUNDED:
        np.testing.assert_allclose(
            getattr(new, name), getattr(old, name), rtol=1e-12, atol=1e-300, err_msg=name
        )
    for name in ("reference_time", "n_events", "n_system", "n_after_reference"):
        assert getattr(new, name) == getattr(old, name), name
    assert new.n_no_recipient == old.n_no_recipient


def _generated_events(seed: int, n: int = 3000) -> list[ConversationEvent]:
    """Group chats whose membership changes, one-to-one chats, bulk mail, e-mail with
    varied copy lists, duplicate and self-addressed recipients and system lines."""
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(25)]
    start = datetime(2022, 1, 1, tzinfo=timezone.utc)
    events = []
    for i in range(n):
        when = start + timedelta(minutes=rng.randrange(600_000))
        kind = rng.random()
        members = people[: 20 if i < n // 2 else 18] + (["p24"] if i % 7 == 0 else [])
        sender = rng.choice(members)
        if kind < 0.5:
            recipients = tuple(p for p in members if p != sender)
            channel = "group"
        elif kind < 0.75:
            recipients, channel = (rng.choice(people),), "dm"
        elif kind < 0.9:
            recipients = (*rng.sample(people, rng.randint(1, 6)), sender)
            channel = "bulk" if rng.random() < 0.3 else "email"
        else:
            recipients, channel = (rng.choice(people), rng.choice(people)), "email"
        events.append(ConversationEvent(when, sender, recipients, channel, is_system=kind > 0.98))
    return events


@pytest.mark.parametrize("model", list(MODELS), ids=list(MODELS))
@pytest.mark.parametrize("seed", [0, 1])
def test_generated_chats_give_the_same_table(model, seed):
    events = _generated_events(seed)
    alias = {"p24": "p23", "p0": "p0"}
    order = ["p5", "p3"]
    new = _tie_table(iter(events), MODELS[model], node_order=order, alias=alias)
    old = reference_tie_table(events, MODELS[model], node_order=order, alias=alias)
    _assert_same(new, old)


def test_one_class_per_pair_is_bit_identical():
    # A group chat of constant membership: each pair's direct messages are one class, so
    # the direct sums are the same additions in the same order as before. (Co-participant
    # sums add per recipient list, one list per sender: equal to rounding only.)
    events = _generated_events(3, 2000)
    group = [e for e in events if e.channel == "group" and "p24" not in e.recipients]
    members = set(group[0].recipients) | {group[0].sender}
    group = [e for e in group if set(e.recipients) | {e.sender} == members]
    model = TieModel(co_participant=0)
    new, old = _tie_table(group, model), reference_tie_table(group, model)
    assert len(new) == 20 * 19
    for name in ("decayed", "decayed_back", "reciprocity", "strength", "weight"):
        np.testing.assert_array_equal(getattr(new, name), getattr(old, name), err_msg=name)


def _export_events(folder, me=()):
    planned, _ = plan_inputs([folder])
    data = ExportData(owner=tuple(me))
    for _, item, _ in planned:
        data.extend(read_input(item, me=me, options={}))
    merged = merge_identities(data.contacts, data.events, me=data.owner)
    return merged.events


@pytest.fixture(scope="module")
def export_folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("exports")
    person = write_synthetic_person(base / "person", seed=0)
    sample = base / "sample"
    write_sample_exports(sample)
    return {"synthetic-person": person.folder, "sample-exports": sample}


@pytest.mark.parametrize("name", ["synthetic-person", "sample-exports"])
def test_exports_give_the_same_table(export_folders, name):
    events = _export_events(export_folders[name])
    assert len(events) > 100
    for model in (TieModel(), TieModel.plain_counts()):
        _assert_same(_tie_table(events, model), reference_tie_table(events, model))


def test_fixture_exports_give_the_same_table():
    from pathlib import Path

    root = Path(__file__).parent.parent / "fixtures" / "exports"
    events = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            events += _export_events(folder)
        except Exception:  # a fixture meant to be refused, or one without an owner
            continue
    assert len(events) > 20
    _assert_same(_tie_table(events, TieModel()), reference_tie_table(events, TieModel()))


def test_group_chat_memory_does_not_grow_with_group_size_squared():
    # 20 members, 20,000 messages: per message and co-recipient pair this was 6.8M
    # contributions (hundreds of MB of index arrays); per class it is a few hundred rows.
    members = [f"m{i:02d}" for i in range(20)]
    others = {m: tuple(p for p in members if p != m) for m in members}
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    rng = random.Random(7)

    def stream():
        for i in range(20_000):
            sender = rng.choice(members)
            yield ConversationEvent(start + timedelta(minutes=i), sender, others[sender], "group")

    tracemalloc.start()
    try:
        table = _tie_table(stream(), TieModel())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(table) == 20 * 19
    assert int(table.count.sum()) == 20_000 * 19
    # The events' own arrays are 20,000 x 25 bytes; everything else is per class.
    assert peak < 8_000_000, peak
