"""Telegram Desktop JSON reader: every variant of FORMATS.md §2.5 and bad inputs 18-21.

Expected values are read off the hand-written fixtures: epoch strings were chosen so that
``date_unixtime`` and the naive ``date`` agree in UTC (1710407112 = 2024-03-14 09:05:12Z,
since 2024-03-14 00:00Z = 1710374400 and 32712 s = 9 h 05 min 12 s).
"""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.exports import detect_export
from trustgraph.ingest.telegram import read_telegram

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "telegram"
UTC = timezone.utc
ADA, BO, CY, RENEE, GHOST = (f"tg:10000000{i}" for i in (1, 2, 3, 4, 9))


@pytest.fixture(scope="module")
def full():
    return read_telegram(FIXTURES / "full_result.json")


def by_chat(data, chat_id):
    return [e for e in data.events if e.conversation_id == f"tg:chat{chat_id}"]


def test_full_export_counts_and_report(full):
    report = full.reports[0]
    assert report.format == "telegram-json"
    assert report.variant == "full-export+personal_information"
    # 2 personal + 3 book club + 3 climbing + 1 channel + 1 saved + 2 bot
    assert len(full.events) == 12
    assert report.records["events"] == 12
    assert report.records["messages"] == 11
    assert report.records["system_events"] == 1
    assert report.records["conversations"] == 6
    assert report.skipped == {
        "address-book entry without a usable phone number": 1,
        "unknown message type 'unsupported'": 1,
        "message without from_id": 1,
    }
    assert report.first_seen == datetime(2024, 3, 14, 9, 0, tzinfo=UTC)
    assert report.last_seen == datetime(2024, 3, 17, 10, 2, tzinfo=UTC)


def test_owner_from_personal_information_matches_prefixed_from_id(full):
    # FORMATS §4 row 21: user_id 100000001 (int) vs from_id "user100000001" (string).
    assert full.owner == (ADA, "+15550100100")
    outgoing = [e for e in full.events if e.sender == ADA]
    assert len(outgoing) == 5  # personal, book-club service, climbing, saved, bot
    assert {e.conversation_id for e in outgoing} == {
        "tg:chat100000002",
        "tg:chat4000000001",
        "tg:chat4000000002",
        "tg:chat100000001",
        "tg:chat600000001",
    }


def test_personal_chat_direction_and_entity_text(full):
    first, second = by_chat(full, 100000002)
    assert (first.sender, first.recipients, first.channel) == (ADA, (BO,), "dm")
    assert first.timestamp == datetime(2024, 3, 14, 9, 5, 12, tzinfo=UTC)
    assert first.n_chars == len("Running late")
    # FORMATS §4 row 18: [{"type": "bold", "text": "No"}, " worries"] -> "No worries".
    assert (second.sender, second.recipients, second.n_chars) == (BO, (ADA,), 10)
    assert second.timestamp.tzinfo is not None
    assert second.timestamp.utcoffset() == timedelta(0)


def test_group_recipients_are_participants_seen_in_chat(full):
    service, deleted, cy = by_chat(full, 4000000001)
    assert service.is_system and service.sender == ADA and service.n_chars is None
    assert service.recipients == (GHOST, CY)
    # FORMATS §4 row 20: from null -> identity from from_id.
    assert deleted.sender == GHOST and deleted.recipients == (ADA, CY)
    assert cy.recipients == (ADA, GHOST)
    assert {e.channel for e in (service, deleted, cy)} == {"group"}


def test_chat_types_map_to_channel_kinds(full):
    kinds = {e.conversation_id: e.channel for e in full.events}
    assert kinds == {
        "tg:chat100000002": "dm",
        "tg:chat4000000001": "group",
        "tg:chat4000000002": "group",
        "tg:chat5000000001": "channel",
        "tg:chat100000001": "saved",
        "tg:chat600000001": "bot",
    }
    (post,) = by_chat(full, 5000000001)
    assert post.sender == "tg:channel5000000001" and post.recipients == (ADA,)
    (saved,) = by_chat(full, 100000001)
    assert saved.recipients == ()


def test_contacts_address_book_and_rating(full):
    contacts = {c.id: c for c in full.contacts}
    assert list(contacts) == [
        ADA,
        "+15550100101",
        BO,
        GHOST,
        CY,
        RENEE,
        "tg:channel5000000001",
        "tg:600000001",
    ]
    assert contacts[ADA].identifiers == (ADA, "+15550100100")
    assert contacts["+15550100101"].display_name == "Bo Sample"
    assert contacts["+15550100101"].connected_on == datetime(2023, 1, 5, 10, 0, tzinfo=UTC)
    assert contacts[BO].attributes["telegram_rating"] == 12.5
    assert contacts[GHOST].display_name is None
    assert contacts[RENEE].display_name == "Renée Placeholder"


def test_single_personal_chat_infers_its_owner_without_me():
    # The chat id is the peer (Bo); the one other writer is the owner (Ada): inspect needs
    # no --me (issue 15).
    data = read_telegram(FIXTURES / "single_chat.json")
    assert data.owner == (ADA,)
    assert [(e.sender, e.recipients) for e in data.events][:2] == [(ADA, (BO,)), (BO, (ADA,))]
    assert any("owner inferred as tg:100000001" in n for n in data.reports[0].notes)


def _chat_file(tmp_path, chat):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat), encoding="utf-8")
    return path


def _message(number, who, when, *, ids=True, kind="message"):
    message = {"id": number, "type": kind, "date_unixtime": str(when), "text": "x" * number}
    key = "actor" if kind == "service" else "from"
    message[key] = who
    if ids:
        message[key + "_id"] = f"user{abs(hash(who)) % 1000 + 1}"
    return message


@pytest.mark.parametrize(
    ("chat_type", "channel"),
    [
        ("private_supergroup", "group"),
        ("private_group", "group"),
        ("public_supergroup", "group"),
        ("public_channel", "channel"),
    ],
)
def test_single_group_chat_of_any_type_is_detected_and_read(tmp_path, chat_type, channel):
    chat = {"name": "Ops", "type": chat_type, "id": 77, "messages": [
        _message(1, "Ada", 1710407112), _message(2, "Bo", 1710407200),
        _message(3, "Cy", 1710407300)]}  # fmt: skip
    path = _chat_file(tmp_path, chat)
    assert detect_export(path) == "telegram"  # not the node-link graph reader
    data = read_telegram(path)
    assert [e.channel for e in data.events] == [channel] * 3
    # Without an owner, every writer still reaches the two others.
    assert [len(e.recipients) for e in data.events] == [2, 2, 2]
    assert data.owner == ()
    assert any("owner not named" in n for n in data.reports[0].notes)
    assert data.reports[0].variant == f"single-chat ({chat_type})"


def test_file_without_from_id_is_read_by_name(tmp_path):
    chat = {"name": "Bo", "type": "personal_chat", "id": 9, "messages": [
        _message(1, "Ada", 1710407112, ids=False), _message(2, "Bo", 1710407200, ids=False),
        _message(3, "Ada", 1710407300, ids=False)]}  # fmt: skip
    data = read_telegram(_chat_file(tmp_path, chat))
    assert [(e.sender, e.recipients) for e in data.events] == [
        ("tg-name:ada", ("tg-name:bo",)),
        ("tg-name:bo", ("tg-name:ada",)),
        ("tg-name:ada", ("tg-name:bo",)),
    ]
    assert data.owner == ("tg-name:ada",)  # the writer who is not the chat's name
    assert any("known by name only" in n for n in data.reports[0].notes)


@pytest.mark.parametrize("me", ["tg:100000001", "user100000001", "100000001"])
def test_single_chat_with_me(me):
    data = read_telegram(FIXTURES / "single_chat.json", me=[me])
    assert data.reports[0].variant == "single-chat (personal_chat)"
    assert data.owner == (ADA,)
    assert [(e.sender, e.recipients) for e in data.events] == [
        (ADA, (BO,)),
        (BO, (ADA,)),
        (BO, (ADA,)),
    ]
    # "No" + " worries " + "example.com"; a photo with empty caption counts with 0 chars.
    assert [e.n_chars for e in data.events] == [12, 22, 0]


def test_single_chat_me_by_display_name_is_a_noted_hint():
    data = read_telegram(FIXTURES / "single_chat.json", me=["Ada Example"])
    assert data.owner == (ADA,)
    assert any("display name" in note for note in data.reports[0].notes)


def test_old_export_without_unixtime_uses_tz_and_counts_bad_date():
    data = read_telegram(FIXTURES / "old_no_unixtime.json", me=["tg:100000001"], tz="Europe/Paris")
    (event,) = data.events
    # 10:05:12 in Paris in March (CET, UTC+1) is 09:05:12 UTC.
    assert event.timestamp == datetime(2024, 3, 14, 9, 5, 12, tzinfo=UTC)
    report = data.reports[0]
    assert report.skipped == {"message without a readable date": 1}
    assert any("Europe/Paris" in note for note in report.notes)


def test_gzip_input_is_read(tmp_path):
    target = tmp_path / "result.json.gz"
    with open(FIXTURES / "full_result.json", "rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert len(read_telegram(target).events) == 12


def test_truncated_json_names_file_and_line():
    with pytest.raises(IngestError, match=r"truncated\.json:8: .*truncated") as info:
        read_telegram(FIXTURES / "truncated.json", me=["tg:100000001"])
    assert info.value.line == 8


def test_html_export_is_rejected_with_advice():
    with pytest.raises(IngestError, match="Machine-readable JSON"):
        read_telegram(FIXTURES / "messages.html")


def test_other_json_is_not_telegram():
    with pytest.raises(IngestError, match="not a Telegram Desktop JSON export"):
        read_telegram(FIXTURES / "not_telegram.json")


def test_recognised_but_empty_raises():
    with pytest.raises(IngestError, match="holds no message"):
        read_telegram(FIXTURES / "empty_chat.json", me=["tg:100000001"])


def test_input_file_is_not_modified():
    before = (FIXTURES / "full_result.json").read_bytes()
    read_telegram(FIXTURES / "full_result.json")
    assert (FIXTURES / "full_result.json").read_bytes() == before


def direction(event, owner):
    """FORMATS.md §1: out when the sender is me, in when I am a recipient, else other."""
    if event.sender in owner:
        return "out"
    return "in" if set(event.recipients) & set(owner) else "other"


def test_direction_counts(full):
    counts = {"out": 0, "in": 0, "other": 0}
    for event in full.events:
        counts[direction(event, full.owner)] += 1
    # out: personal, service, climbing, saved, bot; in: every other event reaches Ada.
    assert counts == {"out": 5, "in": 7, "other": 0}


def test_invalid_json_reports_line_and_column(tmp_path):
    bad = tmp_path / "result.json"
    bad.write_text('{\n "chats": {"list": [\n   {"name": "x",, "type": "personal_chat"}\n ]}\n}\n')
    with pytest.raises(IngestError, match=r"result\.json:3: invalid JSON at column 17") as info:
        read_telegram(bad)
    assert info.value.line == 3
