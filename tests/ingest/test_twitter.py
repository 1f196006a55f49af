"""X / Twitter archive reader: owner files, 1:1 and group DMs, snowflake ids, bad inputs.

Values are read off the hand-written fixtures in tests/fixtures/exports/twitter.
"""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.twitter import read_twitter, read_ytd_js

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "twitter"
UTC = timezone.utc
ADA = "x:1400000000000000001"  # > 2**53: a float would turn it into ...000000
BO, CY, RENEE, DEE = "x:222000111", "x:333000222", "x:444000333", "x:555000444"


@pytest.fixture(scope="module")
def archive():
    return read_twitter(FIXTURES / "archive")


def conversation(data, cid):
    return [e for e in data.events if e.conversation_id == f"x:dm:{cid}"]


def test_owner_from_manifest_and_counts(archive):
    assert archive.owner == (ADA,)
    assert len(archive.events) == 10  # group file 2 + 4, one-to-one file 3 + 1
    group_report, dm_report = archive.reports
    assert (group_report.variant, dm_report.variant) == ("group", "one-to-one")
    assert group_report.records["conversations"] == 2
    assert group_report.records["system_events"] == 4
    assert group_report.skipped == {"unknown item kind 'mysteryItem'": 1}
    assert dm_report.skipped == {"messageCreate without a readable createdAt": 1}
    assert dm_report.records["reactions"] == 1
    assert any("manifest.js" in note for note in group_report.notes)
    owner = next(c for c in archive.contacts if c.id == ADA)
    assert owner.display_name == "Ada Example"
    assert "ada@example.com" not in str(owner)  # account.js e-mail is never read
    assert {c.id for c in archive.contacts} == {ADA, BO, CY, RENEE, DEE}
    # inspect shows the people like every other reader does (the first report holds them)
    assert group_report.records["contacts"] == 5


def test_one_to_one_direction_ids_and_time(archive):
    reply, reaction, late = conversation(archive, "222000111-1400000000000000001")
    assert (late.sender, late.recipients, late.channel) == (ADA, (BO,), "dm")
    assert late.timestamp == datetime(2024, 3, 14, 9, 5, 12, tzinfo=UTC)
    assert (reply.sender, reply.recipients, reply.n_chars) == (BO, (ADA,), len("no worries"))
    assert (reaction.channel, reaction.sender, reaction.recipients) == ("reaction", BO, (ADA,))
    (hello,) = conversation(archive, "1400000000000000001-444000333")
    assert hello.timestamp == datetime(2024, 3, 20, 18, 0, 0, 500000, tzinfo=UTC)
    assert hello.n_chars == len("hello from Renée")


def test_group_with_snapshot(archive):
    agenda, join = conversation(archive, "1612345678901234567")
    assert (agenda.sender, set(agenda.recipients), agenda.channel) == (CY, {ADA, BO}, "group")
    assert join.is_system and join.sender == BO and set(join.recipients) == {ADA, CY}
    assert agenda.timestamp == datetime(2024, 3, 6, 9, 15, 0, 120000, tzinfo=UTC)


def test_group_with_only_participants_join_recovers_members(archive):
    # FORMATS §4 row 33: no snapshot; members come from participantsJoin / Leave / senders.
    rename, message, joined, left = conversation(archive, "1612345678901234999")
    assert (message.sender, set(message.recipients)) == (RENEE, {ADA, BO, DEE})
    assert rename.is_system and joined.is_system and left.is_system
    assert left.sender == DEE and set(left.recipients) == {ADA, BO, RENEE}


def test_owner_from_account_js_and_multiline_prefix():
    data = read_twitter(FIXTURES / "account_only")
    assert data.owner == (ADA,)
    (event,) = data.events
    assert (event.sender, event.recipients) == (ADA, (BO,))
    assert any("account.js" in note for note in data.reports[0].notes)


def test_single_file_needs_me_for_owner():
    data = read_twitter(FIXTURES / "archive" / "data" / "direct-messages.js")
    assert data.owner == ()
    assert any("owner unknown" in note for note in data.reports[0].notes)
    data = read_twitter(FIXTURES / "archive" / "data" / "direct-messages.js", me=[ADA])
    assert data.owner == (ADA,)


def test_zip_archive(tmp_path):
    target = tmp_path / "twitter-2024.zip"
    with zipfile.ZipFile(target, "w") as zf:
        for file in sorted((FIXTURES / "archive").rglob("*.js")):
            zf.write(file, file.relative_to(FIXTURES / "archive").as_posix())
    data = read_twitter(target)
    assert data.owner == (ADA,) and len(data.events) == 10


def test_prefix_on_same_line_as_bracket():
    # FORMATS §4 row 32.
    data = b'window.YTD.tweets.part0 = [ {\n  "tweet" : {"id_str": "1"}\n} ]'
    parsed = read_ytd_js(data, "t.js")
    assert parsed == [{"tweet": {"id_str": "1"}}]


def test_ids_never_become_floats():
    parsed = read_ytd_js(b'window.YTD.x.part0 = [ {"id": 1400000000000000001} ]', "t.js")
    assert parsed[0]["id"] == 1400000000000000001 and isinstance(parsed[0]["id"], int)


def test_bad_me_is_rejected():
    with pytest.raises(IngestError, match="not an X account id"):
        read_twitter(FIXTURES / "archive", me=["@ada_example"])


def test_truncated_file_names_line():
    with pytest.raises(IngestError, match=r"direct-messages\.js:13: .*truncated"):
        read_twitter(FIXTURES / "truncated")


def test_not_an_assignment():
    with pytest.raises(IngestError, match="not an X archive file"):
        read_twitter(FIXTURES / "not_js")


def test_no_dm_file():
    with pytest.raises(IngestError, match=r"no direct-messages\.js"):
        read_twitter(FIXTURES / "archive" / "data" / "manifest.js")


def test_empty_dm_file_raises():
    with pytest.raises(IngestError, match="hold no message"):
        read_twitter(FIXTURES / "empty")


def test_direction_counts(archive):
    out = sum(e.sender == ADA for e in archive.events)
    inbound = sum(e.sender != ADA and ADA in e.recipients for e in archive.events)
    assert (out, inbound) == (1, 9)  # the owner is a member of every group


def test_group_whose_only_entry_is_participants_join_is_no_conversation(tmp_path):
    # Added to a group, nobody ever wrote (issue 15): no conversation, no event.
    body = (
        'window.YTD.direct_messages_group.part0 = [{"dmConversation": {'
        '"conversationId": "1700000000000000001", "messages": [{"participantsJoin": {'
        '"initiatingUserId": "222000111", "userIds": ["333000222"], '
        '"createdAt": "2024-03-14T09:05:12.000Z"}}]}}, {"dmConversation": {'
        '"conversationId": "1700000000000000002", "messages": [{"messageCreate": {'
        '"id": "9", "senderId": "222000111", "text": "hi", '
        '"createdAt": "2024-03-14T10:00:00.000Z"}}]}}]'
    )
    path = tmp_path / "direct-messages-group.js"
    path.write_text(body, encoding="utf-8")
    data = read_twitter(path, me=[ADA])
    assert [e.conversation_id for e in data.events] == ["x:dm:1700000000000000002"]
    report = data.reports[0]
    assert report.records["conversations"] == 1
    assert report.skipped["conversation with system entries only (participants joining)"] == 1
