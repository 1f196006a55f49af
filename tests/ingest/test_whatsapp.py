"""WhatsApp "Export chat" reader (FORMATS.md §2.4, §4 rows 10-17).

Expected values are read off the hand-written fixtures in tests/fixtures/exports/whatsapp.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest.whatsapp import read_whatsapp

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "whatsapp"
BO_CHAT = FIXTURES / "WhatsApp Chat with Bo Sample.txt"
BOOK_CLUB = FIXTURES / "WhatsApp Chat with Book club.txt"
ADA, BO = "wa-name:ada example", "wa-name:bo sample"
ME = ["Ada Example"]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def timeline(data):
    return [(e.timestamp, e.sender) for e in data.events]


def test_android_one_to_one_day_first():
    data = read_whatsapp(BO_CHAT, me=ME)
    assert [(e.timestamp, e.sender, e.recipients, e.channel) for e in data.events] == [
        (utc(2024, 3, 14, 9, 5), ADA, (BO,), "dm"),
        (utc(2024, 3, 14, 9, 6), BO, (ADA,), "dm"),
        (utc(2024, 3, 14, 21, 40), BO, (ADA,), "dm"),
        (utc(2024, 3, 15, 8, 0), ADA, (BO,), "dm"),
    ]
    assert data.owner == (ADA,)
    assert sum(e.sender in data.owner for e in data.events) == 2
    assert {c.id: c.display_name for c in data.contacts} == {ADA: "Ada Example", BO: "Bo Sample"}
    assert {e.conversation_id for e in data.events} == {"whatsapp:WhatsApp Chat with Bo Sample"}
    report = data.reports[0]
    assert report.variant == "android, dmy (day-first (inferred)), 24-hour clock"
    assert dict(report.records) == {
        "messages": 4,
        "events": 4,
        "system": 2,  # encryption notice, "You deleted this message"
        "media": 1,
        "participants": 2,
        "contacts": 2,
    }


def test_multiline_message_and_colons_in_body():  # §4 rows 13, 14
    events = read_whatsapp(BO_CHAT, me=ME).events
    # "Running 10 min late," + newline + the continuation line with "12/12/19" mid-line.
    continuation = "sorry — bus broke down. Same as on 12/12/19, remember?"
    assert events[0].n_chars == len("Running 10 min late,") + 1 + len(continuation)
    assert events[1].n_chars == 0  # <Media omitted>
    assert events[2].n_chars == len("time: 10:30 : ok?")  # split on the first ": "


def test_group_with_system_lines_phone_dash_and_emoji_authors():  # §4 rows 14, 16
    data = read_whatsapp(BOOK_CLUB, me=ME)
    phone, dash, emoji = "wa:+15550100199", "wa-name:bo-bo sample", "wa-name:🌻 cy"
    assert timeline(data) == [
        (utc(2024, 3, 14, 9, 5), ADA),
        (utc(2024, 3, 14, 9, 7), phone),
        (utc(2024, 3, 14, 9, 8), dash),
        (utc(2024, 3, 14, 9, 9), emoji),
        (utc(2024, 3, 14, 9, 10), dash),
    ]
    assert {e.channel for e in data.events} == {"group"}
    assert data.events[1].recipients == (ADA, dash, emoji)
    report = data.reports[0]
    assert report.records["system"] == 3  # encryption, created group, added
    assert report.records["participants"] == 4
    assert any("1 deleted messages" in n for n in report.notes)
    contacts = {c.id: c for c in data.contacts}
    # A phone-number author carries the bare E.164 number as a joinable identifier.
    assert contacts[phone].identifiers == (phone, "+15550100199")
    assert contacts[phone].display_name is None


def test_us_12_hour_with_narrow_no_break_space():  # §4 row 10
    data = read_whatsapp(FIXTURES / "us_12h_nnbsp.txt", me=ME)
    assert timeline(data) == [
        (utc(2024, 3, 14, 21, 5), ADA),  # 9:05 PM
        (utc(2024, 3, 14, 21, 7), BO),
        (utc(2024, 3, 15, 0, 10), BO),  # 12:10 AM is just after midnight
        (utc(2024, 3, 15, 12, 30), ADA),  # 12:30 PM is just after noon
    ]
    assert data.reports[0].variant == "android, mdy (month-first (inferred)), 12-hour clock"


def test_dotted_am_pm_markers():  # §4 row 11
    data = read_whatsapp(FIXTURES / "spanish_dotted.txt", me=ME)
    assert [e.timestamp for e in data.events] == [
        utc(2024, 3, 14, 9, 5),  # 9:05 a. m.
        utc(2024, 3, 14, 13, 15),  # 1:15 p.<NBSP>m.
        utc(2024, 3, 14, 0, 0),  # 12:00 a.m.
    ]


def test_cjk_marker_and_year_first():  # §4 row 11
    data = read_whatsapp(FIXTURES / "android_ymd_cjk.txt", me=ME)
    assert timeline(data) == [(utc(2024, 3, 14, 9, 5), ADA), (utc(2024, 3, 14, 21, 5), BO)]
    assert data.reports[0].variant.startswith("android, ymd (year-first)")


def test_ambiguous_dates_reported_and_override_honoured():  # §4 row 12
    default = read_whatsapp(FIXTURES / "ambiguous.txt", me=ME)
    assert "ambiguous" in default.reports[0].variant
    assert [e.timestamp for e in default.events] == [
        utc(2024, 2, 1, 10, 0),  # 01/02/2024 read day-first
        utc(2024, 4, 3, 11, 0),
    ]
    forced = read_whatsapp(FIXTURES / "ambiguous.txt", me=ME, date_format="mdy")
    assert "date_format='mdy' given" in forced.reports[0].variant
    assert [e.timestamp for e in forced.events] == [utc(2024, 1, 2, 10, 0), utc(2024, 3, 4, 11, 0)]


def test_ios_bracketed_attachments_and_tilde_names():  # §4 row 15
    data = read_whatsapp(FIXTURES / "ios" / "_chat.txt", me=ME)
    cy = "wa-name:~ cy"
    assert timeline(data) == [
        (utc(2024, 3, 14, 9, 5, 12), ADA),
        (utc(2024, 3, 14, 9, 6, 40), BO),
        (utc(2024, 3, 14, 9, 7, 2), cy),
        (utc(2024, 3, 14, 9, 8, 0), BO),  # line starting with U+200E
        (utc(2024, 3, 14, 21, 15, 30), ADA),
    ]
    report = data.reports[0]
    assert report.variant == "ios, dmy (day-first (inferred)), 24-hour clock"
    assert report.records["media"] == 2  # <attached: ...> and "image omitted"
    assert [e.n_chars for e in data.events][1:4:2] == [0, 0]
    assert {c.id: c.display_name for c in data.contacts}[cy] == "Cy"
    assert {e.channel for e in data.events} == {"group"}  # three authors


def test_ios_year_first_without_space_after_colon():  # §4 row 17
    data = read_whatsapp(FIXTURES / "ios_ymd_nospace.txt", me=ME)
    assert timeline(data) == [
        (utc(2026, 7, 9, 2, 28, 9), "wa-name:bob"),
        (utc(2026, 7, 9, 2, 29, 10), ADA),
    ]
    assert data.events[0].n_chars == 2


def test_turkish_dotted_dates_and_localised_group_line():  # §4 row 16
    data = read_whatsapp(FIXTURES / "turkish_dotted.txt", me=ME)
    assert timeline(data) == [(utc(2017, 5, 5, 18, 1, 12), ADA), (utc(2017, 5, 25, 9, 30), BO)]
    assert data.reports[0].records["system"] == 1
    # Two authors, but "grubunu oluşturdu" (created group) makes it a group.
    assert {e.channel for e in data.events} == {"group"}


def test_subject_change_quoting_a_colon_is_a_system_line(tmp_path):  # §4 row 16
    path = tmp_path / "chat.txt"
    path.write_text(
        '14/03/2024, 09:00 - Ada Example changed the subject from "Books" to "Books: 2024"\n'
        "14/03/2024, 09:01 - Ada Example: a\n14/03/2024, 09:02 - Bo Sample: b\n",
        encoding="utf-8",
    )
    data = read_whatsapp(path, me=ME)
    assert data.reports[0].records["system"] == 1
    assert [e.sender for e in data.events] == [ADA, BO]
    assert {e.channel for e in data.events} == {"group"}


def test_time_zone_option_converts_local_times():
    data = read_whatsapp(BO_CHAT, me=ME, tz="Europe/Paris")
    # 14 March 2024 is winter time in Paris: UTC+1.
    assert data.events[0].timestamp == utc(2024, 3, 14, 8, 5)
    with pytest.raises(ParameterError, match="unknown time zone"):
        read_whatsapp(BO_CHAT, tz="Mars/Olympus_Mons")


def test_owner_by_phone_and_inferred_across_chats(tmp_path):
    by_phone = read_whatsapp(BOOK_CLUB, me=["+1 (555) 010-0199"])
    assert by_phone.owner == ("wa:+15550100199", "+15550100199")
    shutil.copy(BO_CHAT, tmp_path)
    shutil.copy(BOOK_CLUB, tmp_path)
    data = read_whatsapp(tmp_path)
    assert data.owner == (ADA,)  # the one author of both chats
    assert len(data.reports) == 2 and len(data.events) == 9
    assert any("owner detected" in n for n in data.reports[0].notes)


def test_folder_passes_over_other_text_files(tmp_path):
    shutil.copy(BO_CHAT, tmp_path)
    (tmp_path / "README.txt").write_text("how I exported these\n", encoding="utf-8")
    data = read_whatsapp(tmp_path, me=ME)
    assert len(data.reports) == 1 and len(data.events) == 4
    assert any("1 .txt files are not WhatsApp chats" in n for n in data.reports[0].notes)
    (tmp_path / BO_CHAT.name).unlink()
    (tmp_path / "notes.txt").write_text("more notes\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"none of the 2 \.txt files is a WhatsApp chat"):
        read_whatsapp(tmp_path)


def test_single_author_chat_gets_the_other_party_from_the_file_name(tmp_path):
    path = tmp_path / "WhatsApp Chat with Bo Sample.txt"
    path.write_text("14/03/2024, 09:05 - Ada Example: anyone there?\n", encoding="utf-8")
    data = read_whatsapp(path, me=ME)
    assert [(e.sender, e.recipients, e.channel) for e in data.events] == [(ADA, (BO,), "dm")]


def test_ios_zip_read_in_place(tmp_path):
    archive = tmp_path / "WhatsApp Chat - Book club.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FIXTURES / "ios" / "_chat.txt", "_chat.txt")
        zf.writestr("00000012-PHOTO-2024-03-14-09-06-40.jpg", b"\xff\xd8")
    data = read_whatsapp(archive, me=ME)
    assert len(data.events) == 5
    assert data.events[0].conversation_id == "whatsapp:WhatsApp Chat - Book club"
    assert data.reports[0].path == f"{archive}!_chat.txt"
    assert sorted(p.name for p in tmp_path.iterdir()) == [archive.name]


# --- bad input -------------------------------------------------------------------------


def test_not_a_chat_is_an_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\nmilk\n", encoding="utf-8")
    with pytest.raises(IngestError, match="0 messages parsed: no line starts with a WhatsApp"):
        read_whatsapp(path)


def test_only_system_lines_is_an_error(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "14/03/2024, 09:00 - Messages and calls are end-to-end encrypted.\n"
        "14/03/2024, 09:01 - You were added\n",
        encoding="utf-8",
    )
    with pytest.raises(IngestError, match="0 messages parsed: 2 system lines"):
        read_whatsapp(path)


def test_forced_order_that_does_not_fit_names_the_line():
    with pytest.raises(IngestError) as info:
        read_whatsapp(BO_CHAT, date_format="mdy")
    assert str(info.value) == (
        f"{BO_CHAT}:1: date is not valid when read as mdy (day 03, month 14); "
        "try date_format='dmy'"
    )


def test_mixed_orders_is_an_error(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "14/03/2024, 09:00 - Ada Example: a\n03/14/2024, 09:01 - Bo Sample: b\n", "utf-8"
    )
    with pytest.raises(IngestError, match=r"day-first \(line 1\) and month-first \(line 2\)"):
        read_whatsapp(path)


def test_unknown_date_format_option():
    with pytest.raises(ParameterError, match="date_format must be one of"):
        read_whatsapp(BO_CHAT, date_format="dd/mm")


def test_text_before_first_header_is_counted(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "stray line\n14/03/2024, 09:00 - Ada Example: a\n14/03/2024, 09:01 - Bo Sample: b\n",
        encoding="utf-8",
    )
    data = read_whatsapp(path, me=ME)
    assert data.reports[0].skipped["text before the first message header"] == 1
    assert len(data.events) == 2


def test_single_author_chat_is_read_and_me_gives_its_events(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "14/03/2024, 09:00 - Ada Example: a\n14/03/2024, 09:01 - Ada Example: b\n", "utf-8"
    )
    # Only one side wrote: the messages and their author are read, the silent side is
    # unknown, so there is no recipient and no event -- and no refusal (issue 15).
    data = read_whatsapp(path)
    report = data.reports[0]
    assert data.events == []
    assert [c.id for c in data.contacts] == [ADA]
    assert report.records["messages"] == 2 and report.records["participants"] == 1
    assert report.first_seen == utc(2024, 3, 14, 9, 0)
    assert any(ADA in note and "never wrote" in note for note in report.notes)
    # The owner never wrote here but receives every message.
    data = read_whatsapp(path, me=["Bo Sample"])
    assert [(e.sender, e.recipients) for e in data.events] == [(ADA, (BO,)), (ADA, (BO,))]


def test_undecodable_bytes_name_the_line(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes(b"14/03/2024, 09:00 - Ada Example: a\n14/03/2024, 09:01 - Bo \xff: b\n")
    with pytest.raises(IngestError) as info:
        read_whatsapp(path)
    assert info.value.line == 2


def test_inputs_are_not_modified():
    before = {p: p.read_bytes() for p in FIXTURES.rglob("*.txt")}
    for path in before:
        read_whatsapp(path, me=ME)
    assert {p: p.read_bytes() for p in FIXTURES.rglob("*.txt")} == before
