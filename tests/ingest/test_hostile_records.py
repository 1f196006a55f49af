"""Hostile records in export and graph files (issue 16: T2, T3, T6, T7, D1, D6).

Every input here once crashed a reader with a raw traceback or lost data silently. Each must
now either be read with the bad record skipped and counted in the report, or fail with one
:class:`IngestError` naming the file. The CLI tests at the end run each input through
``trustgraph inspect`` and ``trustgraph ingest`` as a user would.
"""

from __future__ import annotations

import copy
import gzip
import json
import math
import random
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from trustgraph.cli.app import main
from trustgraph.exceptions import IngestError
from trustgraph.ingest import jsonsafe
from trustgraph.ingest.email_reader import read_mbox
from trustgraph.ingest.graphfiles import read_gexf, read_graphml, read_node_link
from trustgraph.ingest.jsonsafe import MAX_JSON_DEPTH, parse_json
from trustgraph.ingest.messenger import read_messenger
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.slack import read_slack
from trustgraph.ingest.telegram import read_telegram
from trustgraph.ingest.timeparse import DateOutOfRange, as_utc, utc_from_epoch, utc_from_iso
from trustgraph.ingest.twitter import read_twitter
from trustgraph.ingest.whatsapp import read_whatsapp

UTC = timezone.utc
DEEP = "[" * 1000 + "]" * 1000

# ---------------------------------------------------------------------------------------------
# Tiny, valid exports written by hand (FORMATS.md); each test spoils one field.


def telegram_chat(*messages: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Bo", "type": "personal_chat", "id": 2, "messages": list(messages)}


def tg_message(**changes: Any) -> dict[str, Any]:
    message = {
        "id": 1,
        "type": "message",
        "date_unixtime": "1710407112",
        "from": "Ada",
        "from_id": "user1",
        "text": "hi",
    }
    message.update(changes)
    return message


def telegram_full(**changes: Any) -> dict[str, Any]:
    root = {
        "personal_information": {"user_id": 1, "first_name": "Ada", "phone_number": "+1 555 0100"},
        "contacts": {
            "list": [
                {"first_name": "Cy", "phone_number": "+15550100299", "date_unixtime": "1710407112"}
            ]
        },
        "frequent_contacts": {"list": [{"id": 2, "type": "user", "rating": 0.5}]},
        "chats": {"list": [telegram_chat(tg_message(), tg_message(id=2, from_id="user2"))]},
    }
    root.update(changes)
    return root


def write_json(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def messenger_thread(*messages: dict[str, Any]) -> dict[str, Any]:
    return {
        "participants": [{"name": "Bo Sample"}, {"name": "Ada Example"}],
        "messages": list(messages),
        "title": "Bo",
        "thread_path": "inbox/bo_1",
    }


def fb_message(**changes: Any) -> dict[str, Any]:
    message = {
        "sender_name": "Bo Sample",
        "timestamp_ms": 1710407160000,
        "content": "hi",
        "reactions": [{"reaction": "x", "actor": "Ada Example"}],
    }
    message.update(changes)
    return message


def slack_export(root: Path, *, dms: Any = None, day: Any = None, users: Any = None) -> Path:
    write_json(
        root / "users.json",
        users
        if users is not None
        else [
            {"id": "U1", "real_name": "Ada", "profile": {"email": "ada@example.com"}},
            {"id": "U2", "real_name": "Bo"},
        ],
    )
    write_json(
        root / "dms.json", dms if dms is not None else [{"id": "D1", "members": ["U1", "U2"]}]
    )
    write_json(root / "D1" / "2024-03-14.json", day if day is not None else [slack_message()])
    return root


def slack_message(**changes: Any) -> dict[str, Any]:
    message = {
        "type": "message",
        "user": "U1",
        "text": "hi",
        "ts": "1710407112.000100",
        "reactions": [{"name": "+1", "users": ["U2"], "count": 1}],
    }
    message.update(changes)
    return message


def x_message(**changes: Any) -> dict[str, Any]:
    body = {
        "senderId": "2",
        "recipientId": "1",
        "text": "hi",
        "id": "9",
        "createdAt": "2024-03-14T09:05:12.000Z",
    }
    body.update(changes)
    return {"messageCreate": body}


def x_archive(root: Path, conversations: Any) -> Path:
    body = conversations if isinstance(conversations, str) else json.dumps(conversations)
    target = root / "data" / "direct-messages.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("window.YTD.direct_messages.part0 = " + body)
    return root


def x_conversation(*messages: Any, conversation_id: str = "1-2") -> list[Any]:
    return [{"dmConversation": {"conversationId": conversation_id, "messages": list(messages)}}]


def mbox_message(date: str, envelope: str = "Thu Mar 14 09:05:12 +0000 2024") -> str:
    return (
        f"From x@xxx {envelope}\nFrom: Bo <bo@example.org>\nTo: ada@example.com\n"
        f"Date: {date}\n\nbody\n\n"
    )


# ---------------------------------------------------------------------------------------------
# T2: timestamps outside what a datetime can hold are skipped and counted, never a crash.


def test_central_time_helpers_raise_value_errors_only():
    with pytest.raises(DateOutOfRange):
        utc_from_epoch("253402300800")  # 10000-01-01
    with pytest.raises(DateOutOfRange):
        utc_from_epoch(1e30, scale=1000)
    with pytest.raises(DateOutOfRange):
        utc_from_epoch("1e300")
    with pytest.raises(ValueError):
        utc_from_epoch("1e999999999")  # beyond Decimal's exponent range
    with pytest.raises(ValueError):
        utc_from_epoch("nan")
    with pytest.raises(DateOutOfRange):
        utc_from_iso("9999-12-31T23:59:59-12:00")
    with pytest.raises(DateOutOfRange):
        as_utc(datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc))  # no room for a time zone
    assert issubclass(DateOutOfRange, ValueError)
    assert utc_from_epoch("1710407112.000100") == datetime(2024, 3, 14, 9, 5, 12, 100, UTC)
    assert utc_from_epoch(-86400) == datetime(1969, 12, 31, tzinfo=UTC)


def test_telegram_date_out_of_range_is_skipped(tmp_path):
    chat = telegram_chat(tg_message(), tg_message(id=2, date_unixtime="253402300800"))
    data = read_telegram(write_json(tmp_path / "result.json", chat), me=["tg:1"])
    assert len(data.events) == 1
    assert data.reports[0].skipped == {"message dated outside years 1-9999": 1}


def test_telegram_address_book_date_out_of_range_keeps_the_entry(tmp_path):
    book = {"list": [{"first_name": "Cy", "phone_number": "+15550100299", "date_unixtime": 1e300}]}
    data = read_telegram(write_json(tmp_path / "result.json", telegram_full(contacts=book)))
    (cy,) = [c for c in data.contacts if c.id == "+15550100299"]
    assert cy.connected_on is None
    assert data.reports[0].skipped["address-book date unreadable (entry kept)"] == 1


def test_messenger_timestamp_out_of_range_is_skipped(tmp_path):
    thread = messenger_thread(fb_message(), fb_message(timestamp_ms=1e30, content="later"))
    path = write_json(tmp_path / "inbox" / "bo_1" / "message_1.json", thread)
    data = read_messenger(path.parent, me=["Ada Example"])
    assert [e.channel for e in data.events] == ["dm", "reaction"]
    assert data.reports[0].skipped["message dated outside years 1-9999"] == 1


def test_slack_ts_out_of_range_is_skipped(tmp_path):
    root = slack_export(tmp_path, day=[slack_message(), slack_message(ts="1e300")])
    data = read_slack(root, me=["U1"])
    assert [e.channel for e in data.events] == ["dm", "reaction"]
    assert data.reports[1].skipped["message dated outside years 1-9999"] == 1


def test_x_created_at_out_of_range_is_skipped(tmp_path):
    late = x_message(id="10", createdAt="9999-12-31T23:59:59-12:00")
    data = read_twitter(x_archive(tmp_path, x_conversation(x_message(), late)), me=["1"])
    assert len(data.events) == 1
    assert data.reports[0].skipped == {"messageCreate dated outside years 1-9999": 1}


def test_one_mbox_date_out_of_range_does_not_abort_the_mailbox(tmp_path):
    path = tmp_path / "mail.mbox"
    path.write_text(
        mbox_message("Thu, 14 Mar 2024 09:05:12 +0000")
        + mbox_message("Fri, 31 Dec 9999 23:59:59 -1200")
        + mbox_message("Thu, 14 Mar 2024 10:05:12 +0000")
    )
    data = read_mbox(path, me=["ada@example.com"])
    # The unusable Date header is replaced by the envelope date, as for any bad Date.
    assert len(data.events) == 3
    assert data.events[1].timestamp == datetime(2024, 3, 14, 9, 5, 12, tzinfo=UTC)
    assert any("dated from their mbox envelope" in n for n in data.reports[0].notes)


def test_mbox_envelope_out_of_range_too_is_skipped(tmp_path):
    path = tmp_path / "mail.mbox"
    path.write_text(
        mbox_message("Thu, 14 Mar 2024 09:05:12 +0000")
        + mbox_message(
            "Fri, 31 Dec 9999 23:59:59 -1200", envelope="Fri Dec 31 23:59:59 -1200 9999"
        )
    )
    data = read_mbox(path, me=["ada@example.com"])
    assert len(data.events) == 1
    assert data.reports[0].skipped == {"missing or unparseable Date header": 1}


def test_whatsapp_date_out_of_range_after_time_zone_is_skipped(tmp_path):
    path = tmp_path / "WhatsApp Chat with Bo.txt"
    path.write_text("14/03/2024, 09:00 - Ada: hi\n31/12/9999, 23:59 - Bo: ok\n")
    data = read_whatsapp(path, me=["Ada"], tz="Pacific/Honolulu")
    assert len(data.events) == 1
    assert data.reports[0].skipped == {"message dated outside years 1-9999": 1}


# ---------------------------------------------------------------------------------------------
# T3: JSON nested 1,000 deep is a clear error in every JSON reader, never a RecursionError.


def test_parse_json_depth_limit_names_the_line():
    ok = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert parse_json(ok, "ok.json") is not None
    # Brackets inside strings do not count.
    assert parse_json(json.dumps({"a": "[" * 5000, "b": '\\"[[['}), "s.json")["a"] == "[" * 5000
    text = "{\n" + '"a":\n' + "[" * (MAX_JSON_DEPTH + 5) + "]" * (MAX_JSON_DEPTH + 5) + "\n}"
    with pytest.raises(IngestError, match=f"JSON nested deeper than {MAX_JSON_DEPTH} levels") as e:
        parse_json(text.encode(), "deep.json")
    assert e.value.path == "deep.json" and e.value.line == 3


def _naive_excess(body: bytes, limit: int) -> int | None:
    """Oracle: walk the bytes one by one, tracking strings and escapes."""
    depth, in_string, escaped = 0, False, False
    for offset, byte in enumerate(body):
        if in_string:
            if escaped:
                escaped = False
            elif byte == ord("\\"):
                escaped = True
            elif byte == ord('"'):
                in_string = False
        elif byte == ord('"'):
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth > limit:
                return offset
        elif byte in b"]}":
            depth -= 1
    return None


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 24])
def test_depth_scan_agrees_with_a_naive_walk_across_chunk_boundaries(monkeypatch, chunk):
    monkeypatch.setattr(jsonsafe, "_CHUNK", chunk)
    rng = random.Random(chunk)
    pieces = [b"[", b"]", b"{", b"}", b",", b"1"]
    inside = [b"[", b"]", b"{", b"}", b'\\"', b"\\\\", b"a", b"\\\\\\\\", b"\\n"]
    for _ in range(1500):
        tokens = []
        for _ in range(rng.randint(0, 20)):
            if rng.random() < 0.3:
                tokens.append(b'"' + b"".join(rng.choices(inside, k=rng.randint(0, 6))) + b'"')
            else:
                tokens.append(rng.choice(pieces))
        body, limit = b"".join(tokens), rng.randint(0, 4)
        assert jsonsafe._excess_offset(body, limit) == _naive_excess(body, limit), body


def test_parse_json_truncated_deep_file_still_says_truncated():
    with pytest.raises(IngestError, match=r"nested deeper|truncated"):
        parse_json(DEEP[:1500], "cut.json")
    with pytest.raises(IngestError, match="truncated"):
        parse_json('{"a": [1, 2', "cut.json")


def test_parse_json_huge_integer_is_an_ingest_error():
    with pytest.raises(IngestError, match="digits"):
        parse_json("[" + "9" * 5000 + "]", "big.json")


@pytest.mark.parametrize("reader", ["telegram", "messenger", "slack", "twitter", "node-link"])
def test_deep_json_is_a_clear_error(tmp_path, reader):
    if reader == "telegram":
        call = lambda: read_telegram(write_json(tmp_path / "result.json", DEEP), me=["1"])  # noqa: E731
        name = "result.json"
    elif reader == "messenger":
        folder = tmp_path / "inbox" / "bo_1"
        write_json(folder / "message_1.json", DEEP)
        call = lambda: read_messenger(folder, me=["Ada"])  # noqa: E731
        name = "message_1.json"
    elif reader == "slack":
        root = slack_export(tmp_path, dms=DEEP)
        call = lambda: read_slack(root)  # noqa: E731
        name = "dms.json"
    elif reader == "twitter":
        root = x_archive(tmp_path, DEEP)
        call = lambda: read_twitter(root, me=["1"])  # noqa: E731
        name = "direct-messages.js"
    else:
        path = write_json(tmp_path / "g.json", '{"nodes": ' + DEEP + ', "links": []}')
        call = lambda: read_node_link(path)  # noqa: E731
        name = "g.json"
    with pytest.raises(IngestError, match="JSON nested deeper than") as e:
        call()
    assert e.value.path.endswith(name) and e.value.line == 1


# ---------------------------------------------------------------------------------------------
# T6: wrong JSON types are validated at the boundary: skipped and counted.


def test_slack_members_not_a_list_is_skipped(tmp_path):
    root = slack_export(tmp_path, dms=[{"id": "D1", "members": True}])
    data = read_slack(root, me=["U1"])
    assert data.reports[0].skipped == {"dms.json entry whose 'members' is not a list": 1}
    # The conversation itself is still read; its members come from the authors seen.
    assert [e.channel for e in data.events] == ["dm", "reaction"]


def test_slack_reactions_and_thread_ts_of_wrong_types(tmp_path):
    day = [
        slack_message(reactions=True),
        slack_message(
            ts="1710407113", thread_ts=["x"], reactions=[{"name": "+1", "users": {"U2": 1}}]
        ),
    ]
    data = read_slack(slack_export(tmp_path, day=day), me=["U1"])
    assert len(data.events) == 2
    assert data.reports[1].skipped == {
        "'reactions' is not a list": 1,
        "reaction whose 'users' is not a list": 1,
    }


def test_telegram_wrong_types_are_skipped(tmp_path):
    root = telegram_full(
        personal_information={"user_id": 1, "first_name": "Ada", "phone_number": 15550100},
        contacts={"list": {"a": 1}},
        frequent_contacts={"list": 7},
    )
    data = read_telegram(write_json(tmp_path / "result.json", root))
    report = data.reports[0]
    assert len(data.events) == 2
    assert report.skipped == {
        "personal_information phone_number is not text": 1,
        "contacts.list is not a list": 1,
        "frequent_contacts.list is not a list": 1,
    }
    assert data.owner == ("tg:1",)


def test_telegram_address_book_phone_as_integer_is_skipped(tmp_path):
    book = {"list": [{"first_name": "Cy", "phone_number": 15550100299}]}
    data = read_telegram(write_json(tmp_path / "result.json", telegram_full(contacts=book)))
    assert data.reports[0].skipped == {"address-book entry without a usable phone number": 1}


def test_x_messages_not_a_list_and_user_ids_object(tmp_path):
    join = {
        "participantsJoin": {
            "initiatingUserId": None,
            "userIds": {"a": "3"},
            "createdAt": "2024-03-14T09:05:12.000Z",
        }
    }
    conversations = [
        {"dmConversation": {"conversationId": "1-3", "messages": 5}},
        *x_conversation(x_message(), join, conversation_id="77"),
    ]
    data = read_twitter(x_archive(tmp_path, conversations), me=["1"])
    assert len(data.events) == 1
    assert data.reports[0].skipped == {
        "dmConversation whose 'messages' is not a list": 1,
        "participantsJoin whose 'userIds' is not a list": 1,
        "participantsJoin without an account id": 1,
    }


def test_messenger_reactions_not_a_list_is_skipped(tmp_path):
    thread = messenger_thread(fb_message(reactions=True), fb_message(type=["x"], timestamp_ms=[1]))
    path = write_json(tmp_path / "inbox" / "bo_1" / "message_1.json", thread)
    data = read_messenger(path.parent, me=["Ada Example"])
    assert [e.channel for e in data.events] == ["dm"]
    assert data.reports[0].skipped == {
        "'reactions' is not a list": 1,
        "message without a readable timestamp_ms": 1,
    }


# A structure-aware sweep: every field of a valid export replaced by every JSON type. The
# reader may read the file (skipping what it must) or reject it, but only with IngestError.
HOSTILE_VALUES: list[Any] = [None, True, -1, 1e30, "1e300", "", "x", [], [1, [2]], {}, {"a": {}}]


def _paths(document: Any, prefix: tuple[Any, ...] = ()):
    yield prefix
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _paths(value, (*prefix, index))


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    spoiled = copy.deepcopy(document)
    target = spoiled
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return spoiled


def _sweep(base: Any, write, read) -> int:
    cases = 0
    for path in _paths(base):
        for value in HOSTILE_VALUES:
            cases += 1
            root = write(_replaced(base, path, value))
            try:
                read(root)
            except IngestError:
                pass
            except Exception as exc:  # pragma: no cover - the failure message says it all
                pytest.fail(f"{type(exc).__name__} at {path!r} = {value!r}: {exc}")
    return cases


def test_telegram_every_field_every_type(tmp_path):
    counter = iter(range(10**6))

    def write(document):
        return write_json(tmp_path / str(next(counter)) / "result.json", document)

    assert _sweep(telegram_full(), write, lambda p: read_telegram(p, me=["tg:1", "Ada"])) > 300


def test_messenger_every_field_every_type(tmp_path):
    counter = iter(range(10**6))
    base = messenger_thread(fb_message(), fb_message(sender_name="Ada Example", reactions=[]))

    def write(document):
        path = write_json(tmp_path / str(next(counter)) / "bo_1" / "message_1.json", document)
        return path.parent

    assert _sweep(base, write, lambda p: read_messenger(p, me=["Ada Example"])) > 200


def test_slack_every_field_every_type(tmp_path):
    counter = iter(range(10**6))
    base = {
        "users": [
            {
                "id": "U1",
                "name": "ada",
                "real_name": "Ada",
                "profile": {"email": "ada@example.com"},
            },
            {"id": "U2"},
        ],
        "dms": [{"id": "D1", "members": ["U1", "U2"]}],
        "day": [slack_message(), slack_message(user="U2", ts="2", thread_ts="1710407112.000100")],
    }

    def write(document):
        root = tmp_path / str(next(counter))
        if not isinstance(document, dict):
            document = {"users": document, "dms": [], "day": []}
        return slack_export(
            root,
            users=document.get("users", []),
            dms=document.get("dms", []),
            day=document.get("day", []),
        )

    assert _sweep(base, write, lambda p: read_slack(p, me=["U1", "ada@example.com"])) > 300


def test_twitter_every_field_every_type(tmp_path):
    counter = iter(range(10**6))
    join = {
        "participantsJoin": {
            "initiatingUserId": "2",
            "userIds": ["3"],
            "createdAt": "2024-03-14T09:05:12.000Z",
        }
    }
    react = {
        "reactionCreate": {
            "senderId": "1",
            "eventId": "9",
            "reactionKey": "like",
            "createdAt": "2024-03-14T09:06:12.000Z",
        }
    }
    base = x_conversation(x_message(), react, join, conversation_id="77")

    def write(document):
        root = x_archive(tmp_path / str(next(counter)), document)
        manifest = {"userInfo": {"accountId": "1", "userName": "ada", "displayName": "Ada"}}
        (root / "data" / "manifest.js").write_text(
            "window.__THAR_CONFIG = " + json.dumps(manifest)
        )
        return root

    assert _sweep(base, write, lambda p: read_twitter(p)) > 200


# ---------------------------------------------------------------------------------------------
# T7 and D1: WhatsApp lines with an empty author; CR-only line ends.


@pytest.mark.parametrize("author", ["", "\u200e", "~", " \u200e "])
def test_whatsapp_empty_author_is_skipped(tmp_path, author):
    path = tmp_path / "WhatsApp Chat with Bo.txt"
    path.write_text(
        f"14/03/2024, 09:00 - Ada: hi\n14/03/2024, 09:01 - {author}: hi\n"
        "14/03/2024, 09:02 - Bo: ok\n",
        encoding="utf-8",
    )
    data = read_whatsapp(path, me=["Ada"])
    assert len(data.events) == 2
    assert data.reports[0].skipped == {"message with an empty author": 1}


@pytest.mark.parametrize("ending", [b"\r", b"\r\n", b"\n"])
def test_whatsapp_every_line_ending_reads_every_message(tmp_path, ending):
    lines = [
        b"14/03/2024, 09:00 - Ada: hi",
        b"14/03/2024, 09:01 - Bo: yo",
        b"more",
        b"14/03/2024, 09:02 - Ada: ok",
    ]
    path = tmp_path / "WhatsApp Chat with Bo.txt"
    path.write_bytes(ending.join(lines) + ending)
    data = read_whatsapp(path, me=["Ada"])
    assert [e.sender for e in data.events] == ["wa-name:ada", "wa-name:bo", "wa-name:ada"]
    assert data.events[1].n_chars == len("yo") + 1 + len("more")


def test_whatsapp_cr_only_keeps_line_numbers(tmp_path):
    path = tmp_path / "WhatsApp Chat with Bo.txt"
    # Month-first is forced, so the first impossible date (month 14) is on line 2: the
    # error must count CR-only line ends as line ends.
    path.write_bytes(
        b"03/12/2024, 09:00 - Ada: hi\r14/03/2024, 10:00 - Bo: yo\r15/03/2024, 10:01 - Bo: ok\r"
    )
    with pytest.raises(IngestError) as e:
        read_whatsapp(path, me=["Ada"], date_format="mdy")
    assert e.value.line == 2


# ---------------------------------------------------------------------------------------------
# D6 and T8: weights of graph files must be finite numbers.


def node_link(weight: Any) -> str:
    graph = {
        "directed": True,
        "nodes": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
        "links": [
            {"source": "a", "target": "b", "weight": 1.0},
            {"source": "b", "target": "c", "weight": weight},
        ],
    }
    return json.dumps(graph)


@pytest.mark.parametrize(
    ("weight", "shown"),
    [
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        ("x", "'x'"),
        (True, "True"),
        (None, "None"),
        ([1], "[1]"),
        (10**400, "not a finite number"),
    ],
)
def test_node_link_weight_must_be_a_finite_number(tmp_path, weight, shown):
    path = write_json(tmp_path / "g.json", node_link(weight))
    with pytest.raises(IngestError, match="finite number") as e:
        read_node_link(path)
    assert e.value.path == str(path)
    assert "'b' -> 'c'" in e.value.problem and shown in e.value.problem


def test_node_link_numeric_text_weight_is_read_as_a_number(tmp_path):
    report = ReadReport(path="", format="")
    G = read_node_link(write_json(tmp_path / "g.json", node_link("0.25")), report=report)
    assert G["b"]["c"]["weight"] == 0.25
    assert any("written as text" in note for note in report.notes)


@pytest.mark.parametrize("weight", [1e-320, 1e308, -1e308])
def test_extreme_finite_weights_are_kept_and_noted(tmp_path, weight):
    report = ReadReport(path="", format="")
    G = read_node_link(write_json(tmp_path / "g.json", node_link(weight)), report=report)
    assert G["b"]["c"]["weight"] == weight and math.isfinite(G["b"]["c"]["weight"])
    assert any("outside 1e-300" in note for note in report.notes)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("weight", [float("nan"), float("inf"), float("-inf")])
def test_xml_graph_weight_must_be_finite(tmp_path, fmt, weight):
    G = nx.DiGraph([("a", "b", {"weight": 1.0}), ("b", "c", {"weight": weight})])
    path = tmp_path / f"g.{fmt}"
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(G, path)
    reader = read_graphml if fmt == "graphml" else read_gexf
    with pytest.raises(IngestError, match="finite number") as e:
        reader(path)
    assert e.value.path == str(path) and "'b' -> 'c'" in e.value.problem


def test_graphml_weight_as_text_attribute(tmp_path):
    G = nx.DiGraph([("a", "b", {"weight": "0.5"}), ("b", "c", {"weight": "heavy"})])
    path = tmp_path / "g.graphml.gz"
    with gzip.open(path, "wb") as handle:
        nx.write_graphml(G, handle)
    with pytest.raises(IngestError, match="'heavy' is not a finite number"):
        read_graphml(path)


# ---------------------------------------------------------------------------------------------
# Through the CLI: exit 1 with one line on stderr, or exit 0 with the skip counted.


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def _cli_inputs(root: Path) -> dict[str, tuple[Path, str, str | None]]:
    """name -> (input path, --me, expected error text or None for 'read, skip counted')."""
    cases: dict[str, tuple[Path, str, str | None]] = {}
    chat = telegram_chat(tg_message(), tg_message(id=2, date_unixtime="253402300800"))
    cases["tg-date"] = (write_json(root / "tg1" / "result.json", chat), "tg:1", None)
    cases["tg-deep"] = (write_json(root / "tg2" / "result.json", DEEP), "tg:1", "nested deeper")
    types = telegram_full(
        contacts={"list": 3}, personal_information={"user_id": 1, "phone_number": 1}
    )
    cases["tg-types"] = (write_json(root / "tg3" / "result.json", types), "tg:1", None)
    folder = root / "fb1" / "inbox" / "bo_1"
    write_json(
        folder / "message_1.json",
        messenger_thread(fb_message(), fb_message(timestamp_ms=1e30), fb_message(reactions=True)),
    )
    cases["fb"] = (folder, "Ada Example", None)
    deep = root / "fb2" / "inbox" / "bo_1"
    write_json(deep / "message_1.json", DEEP)
    cases["fb-deep"] = (deep, "Ada Example", "nested deeper")
    day = [slack_message(), slack_message(ts="1e300")]
    cases["slack"] = (
        slack_export(root / "sl1", day=day, dms=[{"id": "D1", "members": True}]),
        "U1",
        None,
    )
    cases["slack-deep"] = (slack_export(root / "sl2", dms=DEEP), "U1", "nested deeper")
    x_conversations = [
        {"dmConversation": {"conversationId": "1-3", "messages": 5}},
        *x_conversation(x_message()),
    ]
    cases["x"] = (x_archive(root / "x1", x_conversations), "1", None)
    cases["x-deep"] = (x_archive(root / "x2", DEEP), "1", "nested deeper")
    mbox = root / "mail.mbox"
    mbox.write_text(
        mbox_message("Thu, 14 Mar 2024 09:05:12 +0000")
        + mbox_message(
            "Fri, 31 Dec 9999 23:59:59 -1200", envelope="Fri Dec 31 23:59:59 -1200 9999"
        )
    )
    cases["mbox"] = (mbox, "ada@example.com", None)
    wa = root / "WhatsApp Chat with Bo.txt"
    wa.write_bytes(
        b"14/03/2024, 09:00 - Ada: hi\r14/03/2024, 09:01 - : x\r14/03/2024, 09:02 - Bo: ok\r"
    )
    cases["whatsapp"] = (wa, "Ada", None)
    cases["nl-nan"] = (write_json(root / "nan.json", node_link(float("nan"))), "a", "finite")
    cases["nl-text"] = (write_json(root / "text.json", node_link("x")), "a", "finite")
    cases["nl-deep"] = (
        write_json(root / "deep.json", '{"nodes": ' + DEEP + ', "links": []}'),
        "a",
        "nested deeper",
    )
    return cases


CLI_CASES = [
    "tg-date",
    "tg-deep",
    "tg-types",
    "fb",
    "fb-deep",
    "slack",
    "slack-deep",
    "x",
    "x-deep",
    "mbox",
    "whatsapp",
    "nl-nan",
    "nl-text",
    "nl-deep",
]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_reads_or_fails_in_one_line(in_tmp, capsys, case):
    path, me, error = _cli_inputs(in_tmp)[case]
    code = main(["inspect", str(path), "--me", me, "--json"])
    captured = capsys.readouterr()
    if error is None:
        assert code == 0, captured.err
        (found, *_) = json.loads(captured.out)
        assert sum(found["skipped"].values()) >= 1
    else:
        assert code == 1
        assert captured.err.startswith("trustgraph: error: ") and captured.err.count("\n") == 1
        assert error in captured.err and path.name in captured.err
    out = in_tmp / "out.graphml"
    code = main(["ingest", str(path), "--me", me, "-o", str(out), "-q", "--force"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if error is None:
        assert code == 0, captured.err
        assert out.exists()
    else:
        assert code == 1 and captured.err.count("\n") == 1 and error in captured.err
