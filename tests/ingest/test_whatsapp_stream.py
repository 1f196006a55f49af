"""The WhatsApp reader in bounded memory (issue 18 item 4): columns, not records per message.

The oracle is the reader as it was before it kept chats as columns: every message a
record in a list (read line by line with
:func:`~trustgraph.ingest.whatsapp_lines.parse_lines`), its time resolved one message at a
time, then one ConversationEvent per message. It is kept here, shortened, and both must
give the same events, reports, contacts and owner on every WhatsApp fixture and on the
sample exports, with and without ``me``, in UTC and in a zone with summer time, and under
a forced date order.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.datasets import sample_network, write_sample_exports
from trustgraph.exceptions import IngestError
from trustgraph.ingest import whatsapp_scan
from trustgraph.ingest._exportfiles import resolve_timezone
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.records import Contact, ConversationEvent, EventStore, ReadReport
from trustgraph.ingest.textio import read_text_lines
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange, as_utc
from trustgraph.ingest.whatsapp import _owner_ids, _resolve_owner, read_whatsapp
from trustgraph.ingest.whatsapp_chat import author_id
from trustgraph.ingest.whatsapp_layouts import (
    clock,
    date_fields,
    infer_order,
    resolve_date,
)
from trustgraph.ingest.whatsapp_lines import parse_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _fixture_chats() -> list[Path]:
    found = []
    for folder in ("whatsapp", "heldout", "heldout2", "foreign", "exports/whatsapp"):
        found += sorted((FIXTURES / folder).glob("*.txt"))
    return found


CHATS = _fixture_chats()
OPTIONS = {
    "none": {},
    "me": {"me": ["Ada Example", "Ada"]},
    "paris": {"tz": "Europe/Paris", "me": ["+15550100"]},
    "mdy": {"date_format": "mdy"},
}


# ------------------------------------------------------------------ the list-based oracle
class _OldChat:
    def __init__(self, label, report, conversation):
        self.label, self.report, self.conversation = label, report, conversation
        self.authored, self.contacts, self.group_hint = [], {}, False
        self.counts, self.party, self.authors = Counter(), None, []


def _old_times(messages, order, zone, label, report):
    times, bad = [], []
    for m in messages:
        try:
            day = resolve_date(date_fields(m.date), order)
        except ValueError:
            bad.append(m)
            times.append(None)
            continue
        try:
            hms = clock(m.time, m.mark)
        except ValueError:
            report.skip("time that does not exist or that its AM/PM marker contradicts")
            times.append(None)
            continue
        try:
            times.append(as_utc(datetime(day.year, day.month, day.day, *hms, tzinfo=zone)))
        except DateOutOfRange:
            report.skip(f"message {OUT_OF_RANGE_REASON}")
            times.append(None)
    if 2 * len(bad) > len(messages):
        raise IngestError("date is not valid", path=label, line=bad[0].line)
    if bad:
        report.skip(f"date that does not exist when read as {order}", len(bad))
    return times


def _old_parse(path: Path, date_format, zone) -> _OldChat:
    report = ReadReport(str(path), "whatsapp")
    messages = parse_lines(read_text_lines(path), report)
    if not messages:
        raise IngestError("0 messages parsed: no line starts with a WhatsApp header")
    if date_format is None:
        dates = list(dict.fromkeys(date_fields(m.date) for m in messages))
        order, note = infer_order(dates)
    else:
        order, note = date_format, f"date_format={date_format!r} given"
    layouts = Counter(m.layout for m in messages)
    top = layouts.most_common(1)[0][0]
    family = top.split(" ")[0] + (" time-first" if "time-first" in top else "")
    clock_kind = "12-hour" if any(m.mark for m in messages) else "24-hour"
    report.variant = f"{family}, {order} ({note}), {clock_kind} clock"
    families = Counter(name.split(" ")[0] for name in layouts.elements())
    if len(families) > 1:
        report.notes.append(f"mixed header layouts: {dict(families)}")
    chat = _OldChat(str(path), report, f"whatsapp:{path.stem}")
    times = _old_times(messages, order, zone, str(path), report)
    seen = [t for t in times if t is not None]
    if seen:
        report.see(min(seen))
        report.see(max(seen))
    for m, when in zip(messages, times):
        if when is None:
            continue
        if m.author is None:
            chat.counts["system"] += 1
            chat.group_hint = chat.group_hint or m.group_hint
            continue
        who = author_id(m.author)
        if who is None:
            report.skip("message with an empty author")
            continue
        chat.counts["non_contact"] += who[3]
        chat.counts[m.kind] += 1
        chat.contacts.setdefault(who[0], Contact(who[0], who[1], who[2], {}, "whatsapp"))
        chat.authored.append((when, who[0], m.body_chars))
    chat.authors = list(dict.fromkeys(a for _, a, _ in chat.authored))
    return chat


def _old_events(chat: _OldChat, owner) -> list[ConversationEvent]:
    participants = list(chat.authors)
    if owner and not any(m in chat.contacts for m in owner):
        participants.append(owner[0])
    channel = "group" if len(set(participants)) > 2 or chat.group_hint else "dm"
    events = []
    for when, sender, chars in chat.authored:
        recipients = tuple(p for p in participants if p != sender)
        if not recipients:
            chat.report.skip("message with no other participant known (pass me=)")
            continue
        events.append(
            ConversationEvent(
                when, sender, recipients, channel, chat.conversation, "whatsapp", chars
            )
        )
    chat.report.records.update(messages=len(chat.authored), events=len(events))
    chat.report.records.update(system=chat.counts["system"], media=chat.counts["media"])
    return events


def _oracle(path: Path, me=(), date_format=None, tz="UTC"):
    chat = _old_parse(path, date_format, resolve_timezone(tz))
    if not chat.authored:
        raise IngestError("0 messages parsed: no authored message")
    me_local, me_other = _owner_ids(me)
    owner, _ = _resolve_owner([chat], me_local, given=bool(me_local or me_other))
    events = _old_events(chat, owner)
    return events, chat.report, list(chat.contacts.values())


# ------------------------------------------------------------------------------ the tests
def _outcome(reader, path, options):
    try:
        return reader(path, **options)
    except IngestError as exc:
        return exc.line


def _new(path, **options):
    data = read_whatsapp(path, **options)
    return list(data.events), data.reports[0], data.contacts


@pytest.mark.parametrize("options", OPTIONS.values(), ids=list(OPTIONS))
@pytest.mark.parametrize("path", CHATS, ids=[p.name for p in CHATS])
def test_the_columnar_reader_agrees_with_the_list_reader(path, options):
    old, new = _outcome(_oracle, path, options), _outcome(_new, path, options)
    if not isinstance(old, tuple):  # refused: both, on the same line
        assert not isinstance(new, tuple) and new == old
        return
    (events, report, contacts), (new_events, new_report, new_contacts) = old, new
    assert new_events == events
    assert [e.timestamp.tzinfo for e in new_events] == [e.timestamp.tzinfo for e in events]
    assert new_contacts[: len(contacts)] == contacts
    for key in ("messages", "events", "system", "media"):
        assert new_report.records[key] == report.records[key], key
    assert new_report.skipped == report.skipped
    assert new_report.variant == report.variant
    assert (new_report.first_seen, new_report.last_seen) == (
        report.first_seen,
        report.last_seen,
    )


def test_the_sample_exports_read_as_before(tmp_path):
    paths = write_sample_exports(tmp_path, sample_network(seed=7))
    chats = [p for key, p in paths.items() if key.startswith("whatsapp:")]
    assert len(chats) >= 3
    for path in chats:
        for options in OPTIONS.values():
            old, new = _outcome(_oracle, path, options), _outcome(_new, path, options)
            assert isinstance(old, tuple) == isinstance(new, tuple)
            if isinstance(old, tuple):
                assert new[0] == old[0] and new[1].skipped == old[1].skipped


def test_events_are_kept_as_columns(tmp_path):
    path = tmp_path / "WhatsApp Chat with Bo.txt"
    lines = [
        f"14/03/2024, 09:{i % 60:02d} - {'Ada' if i % 3 else 'Bo'}: hi {i}" for i in range(500)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = read_whatsapp(path, me=["Ada"])
    assert isinstance(data.events, EventStore) and len(data.events) == 500
    # Two authors in one chat: two envelopes, whatever the number of messages.
    assert repr(data.events) == "EventStore(500 events, 2 envelopes)"
    assert data.events[-1].n_chars == len("hi 499")


def test_progress_moves_as_blocks_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(whatsapp_scan, "_BLOCK_BYTES", 1000)
    path = tmp_path / "chat.txt"
    text = "".join(f"14/03/2024, 09:{i % 60:02d} - Ada: message {i}\n" for i in range(400))
    path.write_text(text, encoding="utf-8")
    calls: list[int] = []
    read_whatsapp(path, me=["Bo"], progress=calls.append)
    size = path.stat().st_size
    assert len(calls) >= size // 1000 and calls == sorted(calls)
    assert calls[0] == 1000 and calls[-1] == size
    # A zip member reports compressed bytes, prorated, and never passes the archive's size.
    archive = tmp_path / "chat.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("_chat.txt", text)
    calls.clear()
    read_whatsapp(archive, me=["Bo"], progress=calls.append)
    assert calls == sorted(calls) and 0 < calls[-1] <= archive.stat().st_size
    # Several chats: the offsets add up, file after file.
    second = tmp_path / "more" / "chat2.txt"
    second.parent.mkdir()
    second.write_text(text, encoding="utf-8")
    calls.clear()
    read_whatsapp([path, second], me=["Bo"], progress=calls.append)
    assert calls == sorted(calls) and calls[-1] == 2 * size


def test_messages_are_yielded_before_the_file_is_read_whole(monkeypatch):
    monkeypatch.setattr(whatsapp_scan, "_BLOCK_BYTES", 64)
    text = "".join(f"14/03/2024, 09:{i:02d} - Ada: message {i}\n" for i in range(50)).encode()
    handle = io.BytesIO(text)
    report = ReadReport("chat.txt", "whatsapp")
    messages = whatsapp_scan.iter_messages(whatsapp_scan.chat_blocks(handle, "chat"), report)
    first = next(messages)
    assert first.author == "Ada" and first.body_chars == len("message 0")
    assert handle.tell() < len(text) // 4  # only the first blocks were read
    assert len(list(messages)) == 49


def test_time_zone_with_summer_time_and_utc_agree_with_as_utc(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "30/03/2024, 23:30 - Ada: a\n31/03/2024, 03:30 - Bo: b\n27/10/2024, 02:30 - Ada: c\n",
        encoding="utf-8",
    )
    data = read_whatsapp(path, tz="Europe/Paris", me=["Ada"])
    hours = [(e.timestamp.day, e.timestamp.hour) for e in data.events]
    assert hours == [(30, 22), (31, 1), (27, 0)]  # UTC+1, then UTC+2 (summer), then fold
    assert all(e.timestamp.tzinfo is timezone.utc for e in data.events)


def _columns_as_lines(path: Path) -> tuple[list[tuple], dict]:
    report = ReadReport(str(path), "whatsapp")
    with open(path, "rb") as handle:
        got = whatsapp_scan.scan_columns(whatsapp_scan.chat_blocks(handle, str(path)), report)
    dates, clocks, authors = (list(table) for table in (got.dates, got.clocks, got.authors))
    rows = [
        (dates[d], *clocks[c], authors[a], chars, whatsapp_scan.KINDS[k % 8], k >= 8)
        for d, c, a, chars, k in zip(got.date_of, got.clock_of, got.author_of, got.chars, got.kind)
    ]
    return rows, dict(report.skipped), got


@pytest.mark.parametrize("path", CHATS, ids=[p.name for p in CHATS])
def test_the_column_scanner_agrees_with_the_line_reader(path, monkeypatch):
    report = ReadReport(str(path), "whatsapp")
    lines = parse_lines(read_text_lines(path), report)
    expected = [
        (m.date, m.time, m.mark, m.author, m.body_chars, m.kind, m.group_hint) for m in lines
    ]
    first_lines = {}
    for m in lines:
        first_lines.setdefault(m.date, m.line)
    for block in (whatsapp_scan._BLOCK_BYTES, 7):  # a few bytes: cuts anywhere
        monkeypatch.setattr(whatsapp_scan, "_BLOCK_BYTES", block)
        rows, skipped, got = _columns_as_lines(path)
        assert rows == expected and skipped == dict(report.skipped)
        assert dict(zip(got.dates, got.date_lines)) == first_lines
        assert got.layouts == dict(Counter(m.layout for m in lines))


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Australia/Lord_Howe"])
def test_days_with_a_clock_change_agree_with_the_list_reader(tmp_path, zone):
    # Every half hour over the days around each change of 2024, gap and fold included:
    # a day with one UTC offset is converted at once, the others time by time.
    days = ["06/04/2024", "07/04/2024", "10/03/2024", "31/03/2024", "03/11/2024", "06/10/2024"]
    days += ["27/10/2024", "15/06/2024"]
    lines = [
        f"{day}, {hour:02d}:{minute:02d} - {'Ada' if hour % 2 else 'Bo'}: at {hour}"
        for day in days
        for hour in range(24)
        for minute in (0, 30)
    ]
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events, report, _ = _oracle(path, me=["Ada"], tz=zone)
    data = read_whatsapp(path, me=["Ada"], tz=zone)
    assert list(data.events) == events and len(events) == len(lines)
    assert data.reports[0].first_seen == report.first_seen


def test_progress_moves_through_load_inputs(tmp_path, monkeypatch):
    # Issue 18: the progress bar stood at 0 while a large chat was read.
    monkeypatch.setattr(whatsapp_scan, "_BLOCK_BYTES", 1000)
    path = tmp_path / "WhatsApp Chat with Bo.txt"
    lines = [
        f"14/03/2024, 09:{i % 60:02d} - {'Ada' if i % 2 else 'Bo'}: hi {i}" for i in range(300)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    load_inputs([path], me=["Ada"], progress=lambda done, total, _: calls.append((done, total)))
    total = path.stat().st_size
    inside = [done for done, _ in calls if 0 < done < total]
    assert len(inside) >= total // 1000 - 1 and inside == sorted(inside)
