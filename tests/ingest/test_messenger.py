"""Messenger / Instagram DYI JSON reader: mojibake, split threads, deleted users, wrong formats.

Counts are read off the hand-written fixtures in tests/fixtures/exports/messenger. Epoch
milliseconds: 1710407112000 = 2024-03-14 09:05:12Z (2024-03-14 00:00Z is 1710374400 s).
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.exports import detect_export
from trustgraph.ingest.identity import repair_mojibake
from trustgraph.ingest.messenger import read_messenger

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "messenger"
UTC = timezone.utc
ADA, BO, CY = "fb-name:ada example", "fb-name:bo sample", "fb-name:cy placeholder"
RENEE = "fb-name:renée placeholder"


@pytest.fixture(scope="module")
def old():
    return read_messenger(FIXTURES / "dyi_old")


def thread(data, name):
    return [e for e in data.events if e.conversation_id == f"fb:thread:inbox/{name}"]


def test_counts_and_owner_inference(old):
    # bookclub 5 (one duplicate dropped), facebookuser 2, quotes 1, renee 3 + 1 reaction.
    assert len(old.events) == 12
    assert old.owner == (ADA,)
    assert any("owner inferred" in note for note in old.reports[0].notes)
    assert [r.variant for r in old.reports] == ["messages/inbox"] * 4
    assert {c.id for c in old.contacts} == {ADA, BO, CY, RENEE, "fb:unknown@facebookuser_333"}


def test_mojibake_repaired_in_names_content_and_reactions(old):
    # FORMATS §4 row 22: sender_name, participants and content are all repaired.
    names = {c.id: c.display_name for c in old.contacts}
    assert names[RENEE] == "Renée Placeholder"
    see_you, reaction, late, photo = thread(old, "reneeplaceholder_1234567890")
    assert see_you.sender == RENEE and see_you.recipients == (ADA,)
    assert see_you.n_chars == len("😀 see you") == 9
    assert (reaction.channel, reaction.sender, reaction.recipients) == ("reaction", ADA, (RENEE,))
    assert late.timestamp == datetime(2024, 3, 14, 9, 5, 12, tzinfo=UTC)
    assert photo.n_chars is None and not photo.is_system


def test_already_correct_text_untouched():
    # FORMATS §4 row 23 (Chatistics #65 crashed on '\u201c').
    assert repair_mojibake("“quoted” café") == "“quoted” café"
    assert repair_mojibake("Ren\u00c3\u00a9e") == "Renée"
    assert repair_mojibake("\u00f0\u009f\u0098\u0080") == "😀"
    assert repair_mojibake("plain") == "plain"


def test_quotes_thread_counts_and_skips(old):
    (quoted,) = thread(old, "quotes_444")
    assert quoted.n_chars == 13  # “ quoted ” space café
    report = next(r for r in old.reports if r.path.endswith("quotes_444"))
    assert report.skipped == {
        "message without sender_name": 1,
        "message without a readable timestamp_ms": 1,
    }


def test_split_thread_merged_without_double_count(old):
    # FORMATS §4 row 24: message_2.json repeats "who read it" from message_1.json.
    events = thread(old, "bookclub_222")
    assert len(events) == 5
    assert sum(e.n_chars == len("who read it") for e in events) == 1
    assert {e.channel for e in events} == {"group"}
    report = next(r for r in old.reports if r.path.endswith("bookclub_222"))
    assert report.skipped == {"message repeated in two message_N.json parts": 1}
    assert report.records["participants"] == 3
    (join,) = [e for e in events if e.is_system]
    assert join.sender == BO and join.timestamp == datetime(2024, 3, 14, 4, 20, tzinfo=UTC)
    assert report.first_seen == datetime(2024, 3, 14, 4, 20, tzinfo=UTC)


def test_single_participant_thread_kept_and_labelled(old):
    # FORMATS §4 row 25.
    mine, theirs = thread(old, "facebookuser_333")
    unknown = "fb:unknown@facebookuser_333"
    assert (mine.sender, mine.recipients, mine.channel) == (ADA, (unknown,), "dm")
    assert (theirs.sender, theirs.recipients) == (unknown, (ADA,))
    contact = next(c for c in old.contacts if c.id == unknown)
    assert contact.display_name == "(deleted account)"
    assert contact.attributes["deleted_account"] is True


def test_new_layout_and_me():
    data = read_messenger(FIXTURES / "dyi_new", me=["Ada Example"])
    assert data.reports[0].variant == "your_activity_across_facebook/messages"
    assert data.owner == (ADA,)
    (event,) = data.events
    assert (event.sender, event.recipients) == (BO, (ADA,))


def test_one_thread_without_me_notes_unknown_owner():
    data = read_messenger(FIXTURES / "dyi_new")
    assert data.owner == ()
    assert any("owner unknown" in note for note in data.reports[0].notes)


def test_zip_archive(tmp_path):
    archive = tmp_path / "facebook-ada.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted((FIXTURES / "dyi_old").rglob("*.json")):
            zf.write(file, file.relative_to(FIXTURES / "dyi_old").as_posix())
    data = read_messenger(archive)
    assert len(data.events) == 12 and data.owner == (ADA,)


def test_instagram_prefix_and_system_notices():
    data = read_messenger(FIXTURES / "instagram", me=["ada.example"])
    assert data.reports[0].format == "instagram-json"
    see_you, liked = data.events
    assert (see_you.sender, see_you.recipients) == ("ig-name:ada.example", ("ig-name:bo.sample",))
    assert liked.is_system and not see_you.is_system


def test_html_export_asks_for_json():
    # FORMATS §4 row 26.
    with pytest.raises(IngestError, match="choose Format: JSON"):
        read_messenger(FIXTURES / "html_export")
    with pytest.raises(IngestError, match="choose Format: JSON"):
        read_messenger(FIXTURES / "html_export" / "messages" / "inbox" / "bosample_555")


def test_encrypted_chat_download_shape_is_a_clear_error():
    with pytest.raises(IngestError, match="end-to-end-encrypted"):
        read_messenger(FIXTURES / "e2ee_chat.json")


def test_truncated_json_names_file_and_line():
    with pytest.raises(IngestError, match=r"truncated_message_1\.json:6: .*truncated"):
        read_messenger(FIXTURES / "truncated_message_1.json")


def test_thread_without_messages_raises():
    with pytest.raises(IngestError, match="hold no message"):
        read_messenger(FIXTURES / "empty_thread.json", me=["Ada Example"])


def test_bad_platform():
    with pytest.raises(IngestError, match="platform"):
        read_messenger(FIXTURES / "dyi_new", platform="myspace")


def test_direction_counts(old):
    out = sum(e.sender == ADA for e in old.events)
    inbound = sum(e.sender != ADA and ADA in e.recipients for e in old.events)
    # out: "who read it", "hi?", the reaction, "Running late", the photo.
    assert (out, inbound, len(old.events) - out - inbound) == (5, 7, 0)


def test_thread_without_participants_is_detected_and_read(tmp_path):
    # Some exports (older Instagram, third-party tools) write no participants list: the
    # senders are the participants (issue 15).
    thread = {
        "messages": [
            {"sender_name": "Bo Sample", "timestamp_ms": 1710407200000, "content": "hello"},
            {"sender_name": "Ada Example", "timestamp_ms": 1710407112000, "content": "hi"},
        ],
        "title": "Bo Sample",
    }
    path = tmp_path / "conversation.json"
    path.write_text(json.dumps(thread), encoding="utf-8")
    assert detect_export(path) == "messenger"
    data = read_messenger(path)
    assert sorted((e.sender, e.recipients) for e in data.events) == [
        ("fb-name:ada example", ("fb-name:bo sample",)),
        ("fb-name:bo sample", ("fb-name:ada example",)),
    ]
    report = data.reports[0]
    assert report.records["participants"] == 2
    assert any("without a participants list" in note for note in report.notes)
