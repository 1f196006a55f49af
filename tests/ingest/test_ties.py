"""Tie-strength model: hand-computed weights, a naive oracle, and invariants."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.exceptions import ParameterError
from trustgraph.ingest.records import ConversationEvent
from trustgraph.ingest.ties import TieModel, tie_components

T = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)

# No decay, identity transform: isolates one ingredient at a time.
FLAT = TieModel(half_life_days=None, transform="identity")


def ev(when: datetime, sender: str, *recipients: str, system: bool = False) -> ConversationEvent:
    return ConversationEvent(when, sender, recipients, is_system=system)


# ----------------------------------------------------------------------------- hand-computed


def test_two_messages_half_life_apart_decay_to_one_and_a_half():
    # 0.5 ** (0 / 90) + 0.5 ** (90 / 90) = 1 + 0.5 = 1.5
    table = tie_components([ev(T, "a", "b"), ev(T - 90 * DAY, "a", "b")], TieModel())
    row = table.row("a", "b")
    assert row["count"] == 2
    assert row["decayed"] == pytest.approx(1.5)
    # One-way tie: balance 0, factor (1 - 0.5) + 0.5 * 0 = 0.5; strength 0.75
    assert row["reciprocity"] == 0.0
    assert row["reciprocity_factor"] == pytest.approx(0.5)
    assert row["strength"] == pytest.approx(0.75)
    assert row["weight"] == pytest.approx(math.log(1.75))


def test_quarter_after_two_half_lives():
    # 180 days with half-life 90: 0.5 ** 2 = 0.25, plus the reference message 1.0
    table = tie_components([ev(T, "a", "b"), ev(T - 180 * DAY, "a", "b")], TieModel())
    assert table.row("a", "b")["decayed"] == pytest.approx(1.25)


def test_reciprocity_three_against_one():
    # S_ab = 3, S_ba = 1 (no decay); balance r = 2 * min(3, 1) / (3 + 1) = 0.5
    # factor = (1 - 0.5) + 0.5 * 0.5 = 0.75; strength a->b = 0.75 * 3, b->a = 0.75 * 1
    events = [ev(T - i * DAY, "a", "b") for i in range(3)] + [ev(T, "b", "a")]
    table = tie_components(events, FLAT)
    ab, ba = table.row("a", "b"), table.row("b", "a")
    assert (ab["count"], ab["count_back"], ba["count"], ba["count_back"]) == (3, 1, 1, 3)
    assert ab["reciprocity"] == pytest.approx(0.5) == ba["reciprocity"]
    assert ab["reciprocity_factor"] == pytest.approx(0.75)
    assert ab["weight"] == pytest.approx(2.25)
    assert ba["weight"] == pytest.approx(0.75)


def test_reciprocity_parameter_extremes():
    # One-way tie of 2 messages: reciprocity 0 keeps 2, reciprocity 1 gives 0
    events = [ev(T, "a", "b"), ev(T, "a", "b")]
    none = TieModel(half_life_days=None, reciprocity=0.0, transform="identity")
    assert tie_components(events, none).row("a", "b")["weight"] == pytest.approx(2.0)
    full = TieModel(half_life_days=None, reciprocity=1.0, transform="identity")
    assert tie_components(events, full).row("a", "b")["weight"] == 0.0
    # Balanced 2 vs 2 keeps everything whatever the reciprocity
    balanced = [*events, ev(T, "b", "a"), ev(T, "b", "a")]
    assert tie_components(balanced, full).row("a", "b")["weight"] == pytest.approx(2.0)


def test_group_message_three_recipients():
    # a -> {b, c, d}: each recipient gets 3 ** -1 = 1/3; one-way factor 0.5 -> 1/6.
    # Co-participants: every ordered pair of {b, c, d} gets C = 1/3, strength 0.25 / 3.
    table = tie_components([ev(T, "a", "b", "c", "d")], FLAT)
    for v in "bcd":
        row = table.row("a", v)
        assert row["count"] == 1
        assert row["decayed"] == pytest.approx(1 / 3)
        assert row["weight"] == pytest.approx(1 / 6)
    co_pairs = [(u, v) for u in "bcd" for v in "bcd" if u != v]
    for u, v in co_pairs:
        row = table.row(u, v)
        assert row["count"] == 0
        assert row["decayed"] == 0.0
        assert row["co_decayed"] == pytest.approx(1 / 3)
        assert row["weight"] == pytest.approx(0.25 / 3)
    assert len(table) == 3 + 6


def test_group_exponent_half():
    # k = 4 recipients, exponent 0.5: share 4 ** -0.5 = 0.5 each
    model = TieModel(
        half_life_days=None,
        group_exponent=0.5,
        reciprocity=0.0,
        co_participant=0.0,
        transform="identity",
    )
    table = tie_components([ev(T, "a", "b", "c", "d", "e")], model)
    assert table.row("a", "e")["weight"] == pytest.approx(0.5)
    assert len(table) == 4


def test_co_participant_edges_decay_and_add_up():
    # Two group messages with b and c as co-recipients: at T (k = 2, share 1/2) and at
    # T - 90 days (k = 2, share 1/2, decay 1/2): C_bc = 0.5 + 0.25 = 0.75; weight 0.25 * 0.75
    model = TieModel(transform="identity")
    table = tie_components([ev(T, "a", "b", "c"), ev(T - 90 * DAY, "d", "c", "b")], model)
    row = table.row("b", "c")
    assert row["co_decayed"] == pytest.approx(0.75)
    assert row["weight"] == pytest.approx(0.1875)
    assert table.row("c", "b")["weight"] == pytest.approx(0.1875)
    assert row["first_seen"] == (T - 90 * DAY).timestamp()
    assert row["last_seen"] == T.timestamp()


def test_co_participant_adds_to_direct_part():
    # b -> c directly once at T (one-way: factor 0.5, strength 0.5), plus both received a
    # group message from a at T (k = 2, C = 0.5, times 0.25): strength 0.5 + 0.125
    model = TieModel(transform="identity")
    table = tie_components([ev(T, "b", "c"), ev(T, "a", "b", "c")], model)
    assert table.row("b", "c")["strength"] == pytest.approx(0.625)
    # c -> b has only the co-participant part; count 0, count_back 1
    row = table.row("c", "b")
    assert (row["count"], row["count_back"]) == (0, 1)
    assert row["strength"] == pytest.approx(0.125)


def test_co_participant_limits():
    events = [ev(T, "a", "b", "c", "d", "e")]  # 4 recipients
    limited = TieModel(co_participant_max_group=3)
    assert len(tie_components(events, limited)) == 4  # direct edges only
    unlimited = TieModel(co_participant_max_group=None)
    assert len(tie_components(events, unlimited)) == 4 + 12
    off = TieModel(co_participant=0.0)
    assert len(tie_components(events, off)) == 4


def test_log1p_transform_default():
    # Balanced single messages: factor 1, strength 1, weight log(2)
    table = tie_components([ev(T, "a", "b"), ev(T, "b", "a")])
    assert table.row("a", "b")["weight"] == pytest.approx(math.log(2))


def test_reference_time_defaults_to_newest_event():
    events = [ev(T - 10 * DAY, "a", "b"), ev(T, "c", "d"), ev(T - 5 * DAY, "b", "a")]
    table = tie_components(events)
    assert table.reference_time == T.timestamp()
    # a -> b is 10 days old: decay 0.5 ** (10 / 90)
    assert table.row("a", "b")["decayed"] == pytest.approx(0.5 ** (10 / 90))


def test_explicit_reference_time_and_later_events_left_out():
    later = T + 30 * DAY
    model = TieModel(reference_time=later)
    table = tie_components([ev(T, "a", "b"), ev(later + DAY, "a", "b")], model)
    assert table.reference_time == later.timestamp()
    assert table.n_after_reference == 1
    assert table.n_events == 1
    row = table.row("a", "b")
    assert row["count"] == 1
    assert row["decayed"] == pytest.approx(0.5 ** (30 / 90))
    # Epoch seconds are accepted too, and give the same table
    epoch = tie_components(
        [ev(T, "a", "b"), ev(later + DAY, "a", "b")], TieModel(reference_time=later.timestamp())
    )
    assert epoch.row("a", "b") == row


def test_system_self_and_duplicate_recipients():
    events = [
        ev(T, "a", "b", "b", "a"),  # duplicate b counts once, a never its own recipient
        ev(T, "a", "a"),  # only to self: left out
        ev(T, "sys", "a", system=True),
    ]
    table = tie_components(events, TieModel.plain_counts())
    assert table.pairs() == [("a", "b")]
    assert table.row("a", "b")["count"] == 1
    assert (table.n_events, table.n_no_recipient, table.n_system) == (1, 1, 1)


def test_empty_input():
    table = tie_components([])
    assert len(table) == 0
    assert table.reference_time is None
    assert table.as_dict()["weight"].size == 0


def test_row_of_absent_pair_raises_key_error():
    table = tie_components([ev(T, "a", "b")])
    with pytest.raises(KeyError):
        table.row("b", "a")
    with pytest.raises(KeyError):
        table.row("a", "zed")


def test_first_and_last_seen_and_as_dict():
    events = [ev(T - 3 * DAY, "a", "b"), ev(T, "a", "b"), ev(T - 1 * DAY, "a", "b")]
    table = tie_components(events)
    row = table.row("a", "b")
    assert row["first_seen"] == (T - 3 * DAY).timestamp()
    assert row["last_seen"] == T.timestamp()
    columns = table.as_dict()
    assert columns["source"].tolist() == ["a"]
    assert columns["target"].tolist() == ["b"]
    assert set(TieModel.__dataclass_fields__) >= {"half_life_days", "reciprocity"}


def test_plain_counts_model():
    model = TieModel.plain_counts()
    assert model.half_life_days is None
    assert model.reciprocity == 0.0
    assert model.group_exponent == 0.0
    assert model.co_participant == 0.0
    assert model.transform == "identity"
    events = [ev(T - i * DAY, "a", "b", "c") for i in range(5)] + [ev(T, "b", "a")]
    table = tie_components(events, model)
    assert table.row("a", "b")["weight"] == 5.0
    assert table.row("a", "c")["weight"] == 5.0
    assert table.row("b", "a")["weight"] == 1.0
    assert len(table) == 3


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"half_life_days": 0}, "half_life_days"),
        ({"decay_floor": 1.5}, "decay_floor"),
        ({"decay_floor": -0.1}, "decay_floor"),
        ({"half_life_days": -1.0}, "half_life_days"),
        ({"half_life_days": float("nan")}, "half_life_days"),
        ({"reciprocity": -0.1}, "reciprocity"),
        ({"reciprocity": 1.5}, "reciprocity"),
        ({"group_exponent": -1}, "group_exponent"),
        ({"co_participant": -0.5}, "co_participant"),
        ({"co_participant_max_group": 1}, "co_participant_max_group"),
        ({"co_participant_max_group": 2.5}, "co_participant_max_group"),
        ({"transform": "sqrt"}, "transform"),
        ({"reference_time": "yesterday"}, "reference_time"),
        ({"reciprocity": True}, "reciprocity"),
    ],
)
def test_invalid_parameters(kwargs, fragment):
    with pytest.raises(ParameterError, match=fragment):
        TieModel(**kwargs)


def test_model_is_a_hashable_value():
    assert TieModel() == TieModel()
    assert hash(TieModel()) == hash(TieModel())
    with pytest.raises(AttributeError):
        TieModel().reciprocity = 0.1  # type: ignore[misc]
    with pytest.raises(ParameterError):
        tie_components([], model="log1p")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- naive oracle

NAMES = ["ann", "bo", "cy", "dee", "eli"]


def naive_ties(events, model: TieModel):
    """Per-pair Python loops, written straight from the formula in docs/ties.md."""
    live = [e for e in events if not e.is_system]
    cleaned = []
    for e in live:
        recipients = list(dict.fromkeys(r for r in e.recipients if r != e.sender))
        if recipients:
            cleaned.append((e.timestamp.timestamp(), e.sender, recipients))
    if not cleaned:
        return {}
    if model.reference_time is None:
        ref = max(t for t, _, _ in cleaned)
    else:
        ref = model.reference_time.timestamp()
    direct = defaultdict(float)
    count = defaultdict(int)
    co = defaultdict(float)
    for t, sender, recipients in cleaned:
        if t > ref:
            continue
        k = len(recipients)
        if model.half_life_days is None:
            d = 1.0
        else:
            d = max(0.5 ** ((ref - t) / (model.half_life_days * 86400)), model.decay_floor)
        share = d * k ** (-model.group_exponent)
        for r in recipients:
            direct[sender, r] += share
            count[sender, r] += 1
        if (
            model.co_participant > 0
            and k >= 2
            and (model.co_participant_max_group is None or k <= model.co_participant_max_group)
        ):
            for x in recipients:
                for y in recipients:
                    if x != y:
                        co[x, y] += share
    out = {}
    for pair in set(direct) | set(co):
        s_uv = direct.get(pair, 0.0)
        s_vu = direct.get((pair[1], pair[0]), 0.0)
        r = 2 * min(s_uv, s_vu) / (s_uv + s_vu) if s_uv + s_vu > 0 else 0.0
        strength = ((1 - model.reciprocity) + model.reciprocity * r) * s_uv
        strength += model.co_participant * co.get(pair, 0.0)
        weight = math.log1p(strength) if model.transform == "log1p" else strength
        out[pair] = (count.get(pair, 0), weight)
    return out


events_strategy = st.lists(
    st.builds(
        lambda days, sender, recipients: ev(T - days * DAY, sender, *recipients),
        st.integers(0, 400),
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(NAMES), min_size=1, max_size=5),
    ),
    max_size=40,
)

models_strategy = st.builds(
    TieModel,
    half_life_days=st.one_of(st.none(), st.floats(1, 400)),
    reciprocity=st.floats(0, 1),
    group_exponent=st.floats(0, 2),
    co_participant=st.floats(0, 1),
    co_participant_max_group=st.one_of(st.none(), st.integers(2, 4)),
    transform=st.sampled_from(["log1p", "identity"]),
)


@settings(max_examples=60, deadline=None)
@given(events=events_strategy)
def test_plain_counts_match_naive_count(events):
    counts = defaultdict(int)
    for e in events:
        for r in set(e.recipients):
            if r != e.sender:
                counts[e.sender, r] += 1
    table = tie_components(events, TieModel.plain_counts())
    got = dict(zip(table.pairs(), table.weight.tolist()))
    assert got == {pair: float(n) for pair, n in counts.items()}
    assert table.count.tolist() == table.weight.astype(int).tolist()


@settings(max_examples=60, deadline=None)
@given(events=events_strategy, model=models_strategy)
def test_vectorised_matches_naive_oracle(events, model):
    expected = naive_ties(events, model)
    table = tie_components(events, model)
    got = {
        pair: (c, w)
        for pair, c, w in zip(table.pairs(), table.count.tolist(), table.weight.tolist())
    }
    assert set(got) == set(expected)
    for pair, (count, weight) in expected.items():
        assert got[pair][0] == count
        assert got[pair][1] == pytest.approx(weight, rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    events=events_strategy,
    model=models_strategy,
    age=st.integers(0, 400),
    sender=st.sampled_from(NAMES),
    recipient=st.sampled_from(NAMES),
)
def test_weight_monotone_in_message_count(events, model, age, sender, recipient):
    if sender == recipient:
        recipient = NAMES[(NAMES.index(sender) + 1) % len(NAMES)]
    model = replace(model, reference_time=T)
    before = tie_components(events, model)
    after = tie_components([*events, ev(T - age * DAY, sender, recipient)], model)
    try:
        old = before.row(sender, recipient)["weight"]
    except KeyError:
        old = 0.0
    assert after.row(sender, recipient)["weight"] >= old - 1e-12


@settings(max_examples=60, deadline=None)
@given(
    events=events_strategy,
    model=models_strategy,
    age=st.integers(0, 300),
    extra=st.integers(1, 100),
    sender=st.sampled_from(NAMES),
    recipients=st.lists(st.sampled_from(NAMES), min_size=1, max_size=3),
)
def test_weight_non_increasing_with_age(events, model, age, extra, sender, recipients):
    recipients = [r for r in recipients if r != sender] or [
        NAMES[(NAMES.index(sender) + 1) % len(NAMES)]
    ]
    model = replace(model, reference_time=T)
    young = tie_components([*events, ev(T - age * DAY, sender, *recipients)], model)
    old = tie_components([*events, ev(T - (age + extra) * DAY, sender, *recipients)], model)
    for r in recipients:
        assert old.row(sender, r)["weight"] <= young.row(sender, r)["weight"] + 1e-12


# ----------------------------------------------------------------------------- real data

COLLEGE_MSG = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "college-msg"


@pytest.mark.data
def test_college_msg_plain_counts_match_published_statistics():
    path = COLLEGE_MSG / "CollegeMsg.txt"
    if not path.exists():
        pytest.skip(f"dataset folder absent: {COLLEGE_MSG}")
    rows = np.loadtxt(path, skiprows=1, dtype=np.int64)
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    events = [
        ConversationEvent(epoch + timedelta(seconds=int(t)), str(s), (str(d),))
        for s, d, t in rows.tolist()
    ]
    table = tie_components(events, TieModel.plain_counts())
    # README: 1,899 users, 59,835 messages, 20,296 distinct directed pairs, no self-messages
    assert len(table.nodes) == 1899
    assert len(table) == 20296
    assert int(table.count.sum()) == 59835
    assert table.weight.sum() == 59835.0
    # Reciprocated pairs are those whose count_back > 0: README reciprocity 0.636
    assert np.count_nonzero(table.count_back > 0) / len(table) == pytest.approx(0.636, abs=5e-4)
    # The default model: every weight finite and positive, one-way pairs discounted
    default = tie_components(events)
    assert np.all(np.isfinite(default.weight)) and np.all(default.weight > 0)
    assert default.reference_time == float(rows[:, 2].max())


def test_every_event_after_reference_time_gives_an_empty_table():
    model = TieModel(reference_time=datetime(2024, 1, 1))  # naive = UTC
    table = tie_components([ev(T, "a", "b", "c")], model)
    assert len(table) == 0
    assert (table.n_after_reference, table.n_events) == (1, 0)
    assert table.reference_time == datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()


# ------------------------------------------------------------------- direct and bulk counts


def test_direct_and_bulk_split_the_count():
    # ada -> bo: one message to bo alone, one to bo and cy (group), one bulk mail to bo
    # alone, and one to bo twice over (duplicates count once: still one-to-one).
    events = [
        ev(T, "ada", "bo"),
        ev(T - DAY, "ada", "bo", "cy"),
        ConversationEvent(T - 2 * DAY, "ada", ("bo",), channel="bulk"),
        ev(T - 3 * DAY, "ada", "bo", "bo"),
        ev(T - 4 * DAY, "bo", "ada"),
    ]
    table = tie_components(events, FLAT)
    ab = table.row("ada", "bo")
    # count: all four; direct: the three with a single recipient; bulk: one.
    assert (ab["count"], ab["direct"], ab["bulk"]) == (4, 3, 1)
    assert (table.row("ada", "cy")["count"], table.row("ada", "cy")["direct"]) == (1, 0)
    assert table.row("bo", "ada")["direct"] == 1 and table.row("bo", "ada")["bulk"] == 0
    # Co-participant rows (bo <-> cy, both recipients of one group message) carry nothing.
    assert (table.row("bo", "cy")["count"], table.row("bo", "cy")["direct"]) == (0, 0)
    assert {"direct", "bulk"} <= set(table.as_dict())


def test_sender_among_recipients_still_one_to_one():
    # The sender is never their own recipient: ("ada", "bo") leaves bo alone.
    table = tie_components([ev(T, "ada", "ada", "bo")], FLAT)
    assert table.row("ada", "bo")["direct"] == 1


def test_empty_table_has_direct_and_bulk_columns():
    table = tie_components([], FLAT)
    assert table.direct.size == 0 and table.bulk.size == 0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcd"),
            st.lists(st.sampled_from("abcd"), min_size=1, max_size=3),
            st.booleans(),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_direct_and_bulk_never_exceed_count(messages):
    events = [
        ConversationEvent(T - k * DAY, s, tuple(r), channel="bulk" if b else "dm")
        for k, (s, r, b) in enumerate(messages)
    ]
    table = tie_components(events, FLAT)
    assert np.all(table.direct <= table.count) and np.all(table.bulk <= table.count)
    assert np.all(table.direct >= 0) and np.all(table.bulk >= 0)
    # Naive oracle: one-to-one messages per pair counted by hand.
    expected = defaultdict(int)
    for s, r, _ in messages:
        targets = set(r) - {s}
        if len(targets) == 1:
            expected[(s, targets.pop())] += 1
    got = {pair: int(d) for pair, d in zip(table.pairs(), table.direct) if d}
    assert got == {k: v for k, v in expected.items() if v}


def test_active_months_count_distinct_months_either_way():
    # a->b in Jan and Mar, b->a in Mar and May, a->c once in Jan; co-participation between
    # b and c in a group message does not count as their conversation.
    def at(month: int, day: int = 5) -> datetime:
        return datetime(2025, month, day, 12, tzinfo=timezone.utc)

    events = [
        ConversationEvent(at(1), "a", ("b",)),
        ConversationEvent(at(3), "a", ("b",)),
        ConversationEvent(at(3, 20), "b", ("a",)),
        ConversationEvent(at(5), "b", ("a",)),
        ConversationEvent(at(1), "a", ("c",)),
        ConversationEvent(at(6), "a", ("b", "c")),
    ]
    table = tie_components(events, TieModel.plain_counts())
    rows = {pair: i for i, pair in enumerate(table.pairs())}
    months = table.active_months
    assert months[rows[("a", "b")]] == months[rows[("b", "a")]] == 4  # Jan, Mar, May, Jun
    assert months[rows[("a", "c")]] == 2  # Jan and the June group message


def test_decay_is_bounded_so_an_old_friendship_outweighs_a_fresh_unanswered_pair():
    # The case: a friend of years (twenty exchanges, all a year or more old) against
    # two unanswered messages from last week. Without the floor, 0.5 ** (365 / 90) leaves
    # each old message 6% of its weight and the spammer's edge weighs more.
    events = []
    for k in range(10):
        events.append(ev(T - (400 + 20 * k) * DAY, "me", "friend"))
        events.append(ev(T - (401 + 20 * k) * DAY, "friend", "me"))
    events += [ev(T - 7 * DAY, "spam", "me"), ev(T - 6 * DAY, "spam", "me")]
    events.append(ev(T, "me", "other"))
    floored = tie_components(events, TieModel(reference_time=T))
    unfloored = tie_components(events, TieModel(reference_time=T, decay_floor=0.0))
    assert floored.row("friend", "me")["weight"] > floored.row("spam", "me")["weight"]
    assert unfloored.row("friend", "me")["weight"] < unfloored.row("spam", "me")["weight"]
