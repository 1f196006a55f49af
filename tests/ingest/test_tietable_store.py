"""The tie table of an EventStore, built on its columns, is identical to the one built
event by event from the equal list of events (issue 18, heavy exports).

Identical means every column bit for bit, floats included: the store's fast path gives
the same per-event arrays (times, sender and recipient-list codes, bulk flags) in the
same order as the per-event pass, so every sum after that is the same sum.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from test_tie_streaming import _generated_events

from trustgraph.datasets import write_sample_exports, write_synthetic_person
from trustgraph.ingest.identity import merge_identities
from trustgraph.ingest.load import plan_inputs, read_input
from trustgraph.ingest.records import ConversationEvent, EventStore, ExportData
from trustgraph.ingest.ties import TieModel
from trustgraph.ingest.tietable import TieTable, _encode_store, _tie_table
from trustgraph.ingest.whatsapp import read_whatsapp

WHATSAPP = Path(__file__).resolve().parents[1] / "fixtures" / "whatsapp"
MODELS = {
    "default": TieModel(),
    "plain": TieModel.plain_counts(),
    "small-groups": TieModel(co_participant_max_group=3, co_participant=0.5),
    "reference": TieModel(reference_time=datetime(2023, 3, 1, tzinfo=timezone.utc)),
}
SCALARS = ("reference_time", "n_events", "n_system", "n_after_reference", "n_no_recipient")


def _assert_identical(new: TieTable, old: TieTable) -> None:
    assert new.nodes == old.nodes
    for name in ("source", "target", *TieTable.COLUMNS):
        a, b = getattr(new, name), getattr(old, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)
    for name in SCALARS:
        assert getattr(new, name) == getattr(old, name), name


def _both_ways(store: EventStore, model: TieModel, **options) -> None:
    assert isinstance(store, EventStore)
    events = list(store)
    assert store == events
    fast = _encode_store(store, {}, None)
    assert (fast is None) == (len(store) > 0 and store[0].timestamp.year > 2200)
    _assert_identical(_tie_table(store, model, **options), _tie_table(events, model, **options))


@pytest.mark.parametrize("model", list(MODELS), ids=list(MODELS))
@pytest.mark.parametrize("seed", [0, 1])
def test_generated_group_chat(model, seed):
    store = EventStore(_generated_events(seed))
    options = {"node_order": ["p5", "p3"], "alias": {"p24": "p23", "p0": "p0"}}
    _both_ways(store, MODELS[model], **options)
    _both_ways(store, MODELS[model])


def _export_store(folder: Path) -> EventStore:
    planned, _ = plan_inputs([folder])
    data = ExportData()
    for _, item, _ in planned:
        data.extend(read_input(item, me=(), options={}))
    return merge_identities(data.contacts, data.events, me=data.owner).events


@pytest.fixture(scope="module")
def export_folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("exports")
    sample = base / "sample"
    write_sample_exports(sample)
    return {
        "sample-exports": sample,
        "synthetic-person": write_synthetic_person(base / "p").folder,
    }


@pytest.mark.parametrize("name", ["sample-exports", "synthetic-person"])
def test_exports(export_folders, name):
    store = _export_store(export_folders[name])
    assert len(store) > 100
    for model in MODELS.values():
        _both_ways(store, model)


@pytest.mark.parametrize("path", sorted(WHATSAPP.glob("*.txt")), ids=lambda p: p.name)
def test_whatsapp_fixtures(path):
    store = read_whatsapp(path).events
    for model in (TieModel(), TieModel.plain_counts()):
        _both_ways(store, model)


def test_whatsapp_fixtures_together():
    store = EventStore()
    for path in sorted(WHATSAPP.glob("*.txt")):
        store.extend(read_whatsapp(path).events)
    _both_ways(store, TieModel(), node_order=["Ada Example"])


def test_envelopes_made_before_use_and_unused():
    # Envelope indices in another order than first use, some never used: nodes and
    # recipient lists still get the indices of the per-event pass.
    t = datetime(2024, 1, 1, tzinfo=timezone.utc)
    store = EventStore()
    late = store.envelope("zed", ("amy", "bob"), "group")
    store.envelope("never", ("seen",))
    system = store.envelope("", (), "group", is_system=True)
    alone = store.envelope("amy", ("amy",))
    early = store.envelope("bob", ("amy",), "bulk")
    rng = random.Random(3)
    for i, kind in enumerate(
        [system, alone, early, late]
        + [rng.choice([late, early, alone, system]) for _ in range(200)]
    ):
        store.append_row(1_704_067_200_000_000 + i * 61_000_000, kind, None)
    store.append(ConversationEvent(t.astimezone(timezone(timedelta(hours=5))), "bob", ("zed",)))
    for model in MODELS.values():
        _both_ways(store, model)
        table = _tie_table(store, model)
        assert table.nodes[:3] == ("amy", "bob", "zed")


@pytest.mark.parametrize("rows", [[], [("", (), True)], [("amy", ("amy",), False)]])
def test_stores_with_no_usable_event(rows):
    t = datetime(2024, 1, 1, tzinfo=timezone.utc)
    store = EventStore(ConversationEvent(t, s, r, is_system=sys_) for s, r, sys_ in rows)
    _both_ways(store, TieModel(), node_order=["me"])


def test_times_far_from_1970_take_the_per_event_path():
    far = datetime(9000, 1, 1, 0, 0, 0, 123457, tzinfo=timezone.utc)
    store = EventStore([ConversationEvent(far, "a", ("b",)), ConversationEvent(far, "b", ("a",))])
    _both_ways(store, TieModel())
