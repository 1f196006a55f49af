"""Slack export reader: folder and zip, every conversation list, subtypes, threads, reactions.

Expected values are counted by hand from tests/fixtures/exports/slack/workspace: general holds
4 + 2 messages (one without ts), secret-project 1, two DMs 2 + 1, the group DM 2.
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.slack import read_slack

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "slack"
UTC = timezone.utc
ADA, BO, CY = "slack:U0ADA0001", "slack:U0BO00002", "slack:U0CY00003"


@pytest.fixture(scope="module")
def workspace():
    return read_slack(FIXTURES / "workspace", me=["ada@example.com"])


def events_of(data, conversation):
    return [e for e in data.events if e.conversation_id == f"slack:{conversation}"]


def test_counts_and_reports(workspace):
    # general: post, join, reply, reaction(Ada->Bo), bot, reply, reaction(Bo->Cy) = 7;
    # secret-project 1; D0DM00001 2; D0DM00002 1; mpim 2.
    assert len(workspace.events) == 13
    main = workspace.reports[0]
    assert main.variant == "channels.json:2+groups.json:1+dms.json:2+mpims.json:1"
    assert main.records["conversations"] == 5
    assert main.records["conversations_without_messages"] == 1  # random: no folder
    assert main.skipped == {"conversation folder not listed in channels/groups/dms/mpims.json": 1}
    assert [r.variant for r in workspace.reports[1:]] == [
        "public-channel",
        "private-channel",
        "dm",
        "dm",
        "mpim",
    ]
    general = workspace.reports[1]
    assert general.skipped == {
        "reaction by a member the export does not list": 1,
        "reaction to one's own message": 1,
        "message without a readable ts": 1,
    }
    assert main.first_seen == datetime(2024, 3, 14, 9, 5, 12, 100, tzinfo=UTC)
    assert main.last_seen == datetime(2024, 3, 16, 0, 0, 0, 100, tzinfo=UTC)
    assert not any("DM layer" in note for note in main.notes)


def test_owner_from_email_via_users_json(workspace):
    assert workspace.owner == (ADA, "ada@example.com")


def test_users_become_contacts_with_emails(workspace):
    contacts = {c.id: c for c in workspace.contacts}
    assert contacts[ADA].identifiers == (ADA, "ada@example.com")  # e-mail lower-cased
    assert contacts[CY].display_name == "Cy Placeholder"  # from profile.real_name
    assert contacts["slack:U0RE00004"].attributes["deleted"] is True
    assert contacts["slack:B0BOT0001"].display_name == "Deploybot"
    assert len(contacts) == 6


def test_channel_posts_threads_subtypes_and_reactions(workspace):
    post, join, reply, reaction, bot, late, reaction2 = events_of(workspace, "C0GEN0001")
    assert (post.sender, post.recipients, post.channel) == (ADA, (BO, CY), "channel")
    # ts "1710407112.000100" parsed exactly: 100 microseconds survive.
    assert post.timestamp == datetime(2024, 3, 14, 9, 5, 12, 100, tzinfo=UTC)
    assert join.is_system and join.sender == CY
    assert (reply.sender, reply.recipients, reply.is_system) == (BO, (ADA,), False)
    assert (reaction.sender, reaction.recipients, reaction.channel) == (ADA, (BO,), "reaction")
    assert bot.is_system and bot.sender == "slack:B0BOT0001" and bot.n_chars == 0
    # A reply found in a later day file still reaches the parent's author.
    assert (late.sender, late.recipients) == (CY, (ADA,))
    assert (reaction2.sender, reaction2.recipients) == (BO, (CY,))


def test_dms_and_group_dms(workspace):
    first, second = events_of(workspace, "D0DM00001")
    assert (first.sender, first.recipients, first.channel) == (ADA, (BO,), "dm")
    assert second.timestamp == datetime(2024, 3, 14, 9, 12, 40, 123456, tzinfo=UTC)
    (ping,) = events_of(workspace, "D0DM00002")
    assert (ping.sender, ping.recipients) == (CY, (ADA,))
    lunch, yes = events_of(workspace, "G0MPIM001")
    assert (lunch.channel, lunch.recipients) == ("group", (ADA, CY))
    assert yes.recipients == (BO, CY)
    (private,) = events_of(workspace, "G0PRIV001")
    assert (private.channel, private.recipients) == ("channel", (ADA,))


def test_zip_archive_read_in_place(tmp_path):
    archive = tmp_path / "acme Slack export.zip"
    root = FIXTURES / "workspace"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(root.rglob("*.json")):
            zf.write(file, "acme/" + file.relative_to(root).as_posix())
    data = read_slack(archive, me=["U0ADA0001"])
    assert len(data.events) == 13
    assert data.owner == (ADA, "ada@example.com")
    assert data.reports[1].path.endswith(".zip!acme/general")


def test_free_plan_export_warns_dm_layer_missing():
    # FORMATS §4 row 37.
    data = read_slack(FIXTURES / "free_plan")
    main = data.reports[0]
    assert main.variant == "channels.json:1 (public channels only)"
    assert any("DM layer" in note and "missing" in note for note in main.notes)
    assert any("owner unknown" in note for note in main.notes)
    assert len(data.events) == 2


def test_truncated_day_file_names_file_and_line():
    with pytest.raises(IngestError, match=r"general/2024-03-14\.json:3: .*truncated"):
        read_slack(FIXTURES / "broken")


def test_export_without_messages_raises():
    with pytest.raises(IngestError, match="no conversation folder holds a message"):
        read_slack(FIXTURES / "empty")


def test_single_file_is_rejected():
    with pytest.raises(IngestError, match="whole Slack export folder"):
        read_slack(FIXTURES / "workspace" / "users.json")


def test_folder_that_is_not_slack(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(IngestError, match="not a Slack export"):
        read_slack(tmp_path)


def test_direction_counts(workspace):
    counts = {"out": 0, "in": 0, "other": 0}
    for event in workspace.events:
        if event.sender in workspace.owner:
            counts["out"] += 1
        elif set(event.recipients) & set(workspace.owner):
            counts["in"] += 1
        else:
            counts["other"] += 1
    # out: post, reaction to Bo, DM "hi Bo", mpim "yes"; other: Bo's reaction to Cy's reply.
    assert counts == {"out": 4, "in": 8, "other": 1}


def test_thread_reply_by_the_threads_own_author_is_a_thread_reply(tmp_path):
    # Ada starts a thread, Bo answers, Ada answers back in the thread: her reply goes to
    # Bo (the thread), not to every member of the channel (issue 15).
    users = [{"id": u, "name": u.lower()} for u in ("U1", "U2", "U3", "U4")]
    (tmp_path / "users.json").write_text(json.dumps(users))
    channels = [{"id": "C1", "name": "general", "members": ["U1", "U2", "U3", "U4"]}]
    (tmp_path / "channels.json").write_text(json.dumps(channels))
    (tmp_path / "general").mkdir()
    day = [
        {"type": "message", "user": "U1", "ts": "1710407112.000100", "text": "q?",
         "thread_ts": "1710407112.000100"},
        {"type": "message", "user": "U2", "ts": "1710407200.000100", "text": "a",
         "thread_ts": "1710407112.000100"},
        {"type": "message", "user": "U1", "ts": "1710407300.000100", "text": "thanks",
         "thread_ts": "1710407112.000100"},
        {"type": "message", "user": "U3", "ts": "1710407400.000100", "text": "hello all"},
    ]  # fmt: skip
    (tmp_path / "general" / "2024-03-14.json").write_text(json.dumps(day))
    data = read_slack(tmp_path, me=["U1"])
    assert [(e.sender, e.recipients) for e in data.events] == [
        ("slack:U1", ("slack:U2", "slack:U3", "slack:U4")),  # the thread's start: everyone
        ("slack:U2", ("slack:U1",)),
        ("slack:U1", ("slack:U2",)),  # own reply: to the thread, not the channel
        ("slack:U3", ("slack:U1", "slack:U2", "slack:U4")),
    ]
    assert data.reports[1].records["thread_replies"] == 2
