"""Slack export reader: folder and zip, every conversation list, subtypes, threads, reactions.

Expected values are counted by hand from tests/fixtures/exports/slack/workspace: general holds
4 + 2 messages (one without ts), secret-project 1, two DMs 2 + 1, the group DM 2.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustgraph.cli.app import main
from trustgraph.exceptions import IngestError
from trustgraph.ingest.exports import detect_export, read_export, scan_folder
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
    assert contacts["slack:U0RE00004"].attributes["deleted"] is True  # deleted: still a person
    # The people are users.json's members that are not bots; the bots (Deploybot's member
    # U0BOT0005 and the bot id B0BOT0001 of its post) are counted, not made contacts.
    users = json.loads((FIXTURES / "workspace" / "users.json").read_text(encoding="utf-8"))
    assert set(contacts) == {f"slack:{u['id']}" for u in users if not u["is_bot"]}
    assert workspace.reports[0].records["bots"] == 2


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


@pytest.mark.parametrize(("bot_id", "people_posts"), [("", 2), ("   ", 2), (None, 2), ("B1", 1)])
def test_an_empty_bot_id_is_no_bot_id(tmp_path, bot_id, people_posts):
    # Exporters that serialise every field (Mattermost's mmetl fixtures) write "bot_id": ""
    # on people's posts; only a non-empty id marks an app's post.
    users = [{"id": "U1", "name": "ada"}, {"id": "U2", "name": "bo"}]
    (tmp_path / "users.json").write_text(json.dumps(users))
    channels = [{"id": "C1", "name": "general", "members": ["U1", "U2"]}]
    (tmp_path / "channels.json").write_text(json.dumps(channels))
    (tmp_path / "general").mkdir()
    day = [
        {"type": "message", "user": "U1", "ts": "1710407112.000100", "text": "hi"},
        {"type": "message", "user": "U2", "ts": "1710407200.000100", "text": "hello"},
    ]
    if bot_id is not None:
        day[1]["bot_id"] = bot_id
    day[0]["bot_id"] = ""
    (tmp_path / "general" / "2024-03-14.json").write_text(json.dumps(day))
    data = read_slack(tmp_path)
    assert sum(not e.is_system for e in data.events) == people_posts


# ------------------------------------------- exports without users.json or channels.json

HELDOUT11 = FIXTURES.parents[1] / "heldout11" / "tircorder_slack_export"
HUMAN = {None, "thread_broadcast", "file_share", "me_message"}  # docs/exports.md, Slack


def _records(root: Path) -> list[dict]:
    """Every record of every day file under `root`, read with the json module."""
    days = sorted(root.glob("*/????-??-??.json"))
    return [record for day in days for record in json.loads(day.read_text(encoding="utf-8"))]


def _inspect(path: Path) -> tuple[int, list[dict] | str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["inspect", "--json", str(path)])
    return code, json.loads(out.getvalue()) if code == 0 else err.getvalue()


def _write_day(folder: Path, name: str, records: list) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(records), encoding="utf-8")


def test_heldout11_folder_without_users_or_channels_json_reads_as_its_row_says():
    # The row of tests/fixtures/heldout11/README.md: 2 messages, 2 participants, 2021-01-07
    # (U123's two posts; U123 and the joining U234; not the bot B123).
    records = _records(HELDOUT11)
    posts = [r for r in records if r.get("subtype") in HUMAN and not r.get("bot_id")]
    people = {r["user"] for r in records if r.get("user") and not r.get("bot_id")}
    first = min(datetime.fromtimestamp(float(r["ts"]), tz=UTC) for r in records)
    assert (len(posts), len(people), first.date().isoformat()) == (2, 2, "2021-01-07")

    assert detect_export(HELDOUT11) == "slack"
    code, reports = _inspect(HELDOUT11)
    assert code == 0, reports
    main_report = reports[0]
    assert sum(r["records"].get("messages", 0) for r in reports) == len(posts)
    assert main_report["records"]["contacts"] == len(people)
    assert main_report["records"]["bots"] == len({r["bot_id"] for r in records if "bot_id" in r})
    assert main_report["first_seen"][:10] == first.date().isoformat()
    assert any("no users.json" in n and "e-mail" in n for n in main_report["notes"])
    data = read_export(HELDOUT11)
    assert {c.id for c in data.contacts} == {f"slack:{u}" for u in people}
    assert {e.conversation_id for e in data.events} == {"slack:#general"}


def test_heldout11_folder_zipped_and_inside_a_downloads_folder(tmp_path):
    archive = tmp_path / "backup.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(HELDOUT11.rglob("*")):
            if file.is_file():
                zf.write(file, "backup/" + file.relative_to(HELDOUT11).as_posix())
    assert detect_export(archive) == "slack"
    assert len(read_export(archive).events) == len(_records(HELDOUT11))
    shutil.copytree(HELDOUT11, tmp_path / "downloads" / "slack")
    (tmp_path / "downloads" / "notes.txt").write_text("not an export\n", encoding="utf-8")
    found, _ = scan_folder(tmp_path / "downloads")
    assert [(f.format, f.path.name) for f in found] == [("slack", "slack")]


def test_heldout5_users_json_without_channels_json_reads_as_its_row_says():
    # The row of tests/fixtures/heldout5/README.md: 9 messages, 4 people, 2017-06-25.
    root = FIXTURES.parents[1] / "heldout5" / "zulip_slack_importer"
    users = json.loads((root / "users.json").read_text(encoding="utf-8"))
    records = _records(root)
    posts = sum(r.get("subtype") in HUMAN and not r.get("bot_id") for r in records)
    first = min(datetime.fromtimestamp(float(r["ts"]), tz=UTC) for r in records)
    code, reports = _inspect(root)
    assert code == 0, reports
    assert sum(r["records"].get("messages", 0) for r in reports) == posts == 9
    assert reports[0]["records"]["contacts"] == len(users) == 4
    assert reports[0]["first_seen"][:10] == first.date().isoformat() == "2017-06-25"


def test_people_are_named_from_user_profile(tmp_path):
    profile = {"real_name": "Ada Example", "display_name": "ada", "name": "ada.e"}
    day = [
        {"type": "message", "user": "U1", "ts": "1704103200.000100", "text": "hi"},
        {"type": "message", "user": "U1", "ts": "1704103260.000100", "user_profile": profile},
        {"type": "message", "user": "U2", "ts": "1704103320.000100",
         "user_profile": {"display_name": "bo"}},
        {"type": "message", "user": "U3", "ts": "1704103380.000100"},
    ]  # fmt: skip
    _write_day(tmp_path / "general", "2024-01-01.json", day)
    contacts = {c.id: c.display_name for c in read_slack(tmp_path).contacts}
    assert contacts == {"slack:U1": "Ada Example", "slack:U2": "bo", "slack:U3": None}


@pytest.mark.parametrize(
    "records",
    [
        {"type": "message", "user": "U1", "ts": "1704103200.000100"},  # an object, no list
        [],
        [1, 2],
        [{"type": "note", "user": "U1", "ts": "1704103200.000100"}],
        [{"type": "message", "user": "U1", "time": "1704103200.000100"}],
        [{"type": "message", "user": "U1", "ts": "2024-01-01T10:00:00Z"}],
        [{"type": "message", "text": "nobody", "ts": "1704103200.000100"}],
        [{"type": "message", "user": "U1", "ts": "1704103200.1"}, "not an object"],
    ],
    ids=["object", "empty", "numbers", "type", "no-ts", "iso-ts", "no-author", "mixed"],
)
def test_dated_json_that_is_not_slack_messages_is_not_slack(tmp_path, records):
    _write_day(tmp_path / "export" / "logs", "2024-01-01.json", records)
    assert detect_export(tmp_path / "export") is None
    assert scan_folder(tmp_path / "export")[0] == []
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(tmp_path / "export" / "logs" / "2024-01-01.json", "logs/2024-01-01.json")
    assert detect_export(archive) is None


def test_other_exports_beside_day_folders_keep_their_format(tmp_path):
    # A Telegram export holding a dated folder of Slack-like files stays Telegram: the Slack
    # rule without users.json is the last one tried.
    (tmp_path / "result.json").write_text(
        json.dumps({"name": "Bo", "type": "personal_chat", "id": 1, "messages": []}), "utf-8"
    )
    _write_day(tmp_path / "general", "2024-01-01.json", [{"user": "U1", "ts": "1.1"}])
    found, _ = scan_folder(tmp_path)
    assert [(f.format, f.path) for f in found] == [("telegram", tmp_path)]


_MESSAGE = st.fixed_dictionaries(
    {
        "type": st.just("message"),
        "user": st.sampled_from(["U1", "U2", "U3"]),
        "ts": st.integers(1_000_000_000, 2_000_000_000).map(lambda n: f"{n}.000100"),
    },
    optional={
        "subtype": st.sampled_from(["channel_join", "file_share", "bot_message", "me_message"]),
        "bot_id": st.just("B1"),
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_MESSAGE, min_size=1, max_size=6), min_size=1, max_size=3))
def test_any_day_folders_read_with_counts_from_the_json(days):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for number, day in enumerate(days, start=1):
            _write_day(root / "general", f"2024-01-{number:02d}.json", day)
        records = [r for day in days for r in day]
        assert detect_export(root) == "slack"
        data = read_export(root)
        people = {f"slack:{r['user']}" for r in records if "bot_id" not in r}
        posts = [r for r in records if r.get("subtype") in HUMAN and "bot_id" not in r]
        assert {c.id for c in data.contacts} == people
        assert data.reports[1].records.get("messages", 0) == len(posts)
        assert len(data.events) == len(records)
        bots = {r["user"] for r in records if "bot_id" in r} - {p[6:] for p in people}
        assert data.reports[0].records.get("bots", 0) == len(bots)
        for event in data.events:
            assert set(event.recipients) <= people


def test_malformed_later_day_file_is_one_line_naming_file_and_line(tmp_path):
    _write_day(tmp_path / "general", "2024-01-01.json", [{"user": "U1", "ts": "1704103200.1"}])
    (tmp_path / "general" / "2024-01-02.json").write_text(
        '[{"type": "message", "user": "U2",\n "ts": "1704189600.1"\n', encoding="utf-8"
    )
    code, err = _inspect(tmp_path)
    assert code == 1 and err.startswith("trustgraph: error: ") and err.count("\n") <= 1, err
    assert "general/2024-01-02.json:3: " in err and "Traceback" not in err


def test_a_folder_with_only_a_malformed_day_file_is_refused_in_one_line(tmp_path):
    (tmp_path / "general").mkdir()
    (tmp_path / "general" / "2024-01-01.json").write_text('[{"user": "U1",', encoding="utf-8")
    code, err = _inspect(tmp_path)
    assert code == 1 and err.count("\n") <= 1 and "2024-01-01.json" in err, err
    with pytest.raises(IngestError, match="not a Slack export"):
        read_slack(tmp_path)


# ------------------------------------------------------------------------------- bots


def _bot_workspace(root: Path) -> list[dict]:
    users = [
        {"id": "U1", "name": "ada", "real_name": "Ada"},
        {"id": "U2", "name": "bo", "real_name": "Bo", "deleted": True},  # still a person
        {"id": "U3", "name": "cy", "real_name": "Cy", "is_app_user": True},  # a person
        {"id": "U4", "name": "ci", "is_bot": True, "profile": {"bot_id": "B4"}},
        {"id": "USLACKBOT", "name": "slackbot", "is_bot": False, "real_name": "Slackbot"},
    ]
    (root / "users.json").write_text(json.dumps(users), encoding="utf-8")
    channels = [{"id": "C1", "name": "general", "members": ["U1", "U2", "U3", "U4"]}]
    (root / "channels.json").write_text(json.dumps(channels), encoding="utf-8")
    day = [
        {"type": "message", "user": "U1", "ts": "1704103200.000100", "text": "deploy?",
         "reactions": [{"name": "+1", "users": ["U3", "U4"], "count": 2}]},
        {"type": "message", "user": "U4", "bot_id": "B4", "ts": "1704103260.000100",
         "text": "done", "reactions": [{"name": "tada", "users": ["U1"], "count": 1}]},
        {"type": "message", "user": "USLACKBOT", "ts": "1704103320.000100", "text": "tip"},
        {"type": "message", "user": "U3", "ts": "1704103380.000100", "text": "thanks",
         "thread_ts": "1704103260.000100"},
        {"type": "message", "user": "U1", "ts": "1704103440.000100", "text": "ok",
         "thread_ts": "1704103260.000100"},
    ]  # fmt: skip
    _write_day(root / "general", "2024-01-01.json", day)
    return users


def test_bots_of_users_json_are_counted_not_people(tmp_path):
    users = _bot_workspace(tmp_path)
    data = read_slack(tmp_path)
    bots = [u for u in users if u.get("is_bot") is True or u["id"] == "USLACKBOT"]
    people = {f"slack:{u['id']}" for u in users} - {f"slack:{u['id']}" for u in bots}
    assert {c.id for c in data.contacts} == people == {"slack:U1", "slack:U2", "slack:U3"}
    assert data.reports[0].records["bots"] == len(bots) == 2
    assert any("bots" in note for note in data.reports[0].notes)
    by_sender = {e.sender for e in data.events if not e.is_system}
    assert by_sender <= people  # the bots' posts (B4's, Slackbot's) are system events
    assert all(set(e.recipients) <= people for e in data.events if not e.is_system)
    general = data.reports[1]
    assert general.records["messages"] == 3 and general.records["system_events"] == 2
    # U3's +1 goes to Ada; the bot's +1 and Ada's reaction to the bot's post are skipped.
    assert [(e.sender, e.recipients) for e in data.events if e.channel == "reaction"] == [
        ("slack:U3", ("slack:U1",))
    ]
    assert general.skipped["reaction to or by a bot"] == 2


def test_replies_under_a_bots_post_go_to_the_threads_people(tmp_path):
    _bot_workspace(tmp_path)
    replies = [e for e in read_slack(tmp_path).events if e.timestamp.minute in (3, 4)]
    # Cy thanks the bot, then Ada answers in the thread: each reaches the thread's other
    # people (those who write in it), never the bot and never the whole channel (Bo).
    assert [(e.sender, e.recipients) for e in replies] == [
        ("slack:U3", ("slack:U1",)),
        ("slack:U1", ("slack:U3",)),
    ]
