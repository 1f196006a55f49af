"""LinkedIn export reader: Connections.csv and messages.csv (FORMATS.md §2.1, §4 rows 1-9).

Expected values are read off the hand-written fixtures in tests/fixtures/exports/linkedin.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.linkedin import (
    read_linkedin,
    read_linkedin_connections,
    read_linkedin_messages,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "linkedin"
CONNECTIONS = FIXTURES / "Connections.csv"
MESSAGES = FIXTURES / "messages.csv"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def by_id(contacts):
    return {c.id: c for c in contacts}


# --- Connections.csv -------------------------------------------------------------------


def test_connections_with_notes_preamble():  # §4 row 1
    data = read_linkedin_connections(CONNECTIONS)
    contacts = by_id(data.contacts)
    # 9 data rows: Bo, Cy, hidden member (no name), commas, Renée, Dee, Eli, commas.
    assert list(contacts) == [
        "linkedin:bo-sample-0002",
        "linkedin:cy-placeholder-0003",
        "linkedin:renee-placeholder-0004",
        "linkedin-name:dee sample | acme ltd",
        "linkedin:eli-example-0005",
    ]
    assert data.events == []
    report = data.reports[0]
    assert report.format == "linkedin-connections"
    assert "3-line preamble" in report.variant and "current header" in report.variant
    assert report.records["contacts"] == 5


def test_connection_fields_and_identifiers():
    contacts = by_id(read_linkedin_connections(CONNECTIONS).contacts)
    bo = contacts["linkedin:bo-sample-0002"]
    assert bo.identifiers == ("linkedin:bo-sample-0002", "bo@example.org")
    assert bo.display_name == "Bo Sample, PMP"
    assert bo.attributes["company"] == "Widgets, Inc."
    assert bo.connected_on == utc(2023, 2, 2)
    # Upper-case slug and e-mail are normalised; the UK subdomain is accepted.
    eli = contacts["linkedin:eli-example-0005"]
    assert eli.identifiers == ("linkedin:eli-example-0005", "eli@example.com")


def test_both_connected_on_formats():  # §4 row 4
    contacts = by_id(read_linkedin_connections(CONNECTIONS).contacts)
    assert contacts["linkedin:cy-placeholder-0003"].connected_on == utc(2025, 7, 1)  # 01-Jul-25
    assert contacts["linkedin:eli-example-0005"].connected_on == utc(2019, 12, 31)  # 31 Dec 2019
    report = read_linkedin_connections(CONNECTIONS).reports[0]
    assert report.first_seen == utc(2019, 12, 31)
    assert report.last_seen == utc(2025, 7, 1)


def test_comma_rows_and_empty_names_counted():  # §4 row 5
    report = read_linkedin_connections(CONNECTIONS).reports[0]
    assert report.skipped["empty row (only commas)"] == 2
    assert report.skipped["row with empty First Name and Last Name"] == 1


def test_hostile_cells_are_kept_as_text():  # §4 row 6
    contacts = by_id(read_linkedin_connections(CONNECTIONS).contacts)
    renee = contacts["linkedin:renee-placeholder-0004"]
    assert renee.attributes["company"] == '=HYPERLINK("http://example.com","click")'
    assert renee.attributes["position"] == "+SUM(A1)"
    assert renee.attributes["email_text"] == "not-an-email"
    assert renee.identifiers == ("linkedin:renee-placeholder-0004",)  # not an address
    dee = contacts["linkedin-name:dee sample | acme ltd"]
    assert dee.attributes["url_text"] == "javascript:alert(1)"


def test_preamble_stripped_by_hand(tmp_path):  # §4 row 2
    lines = CONNECTIONS.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER)
    stripped = tmp_path / "Connections.csv"
    stripped.write_text("\n".join(lines[start:]) + "\n", encoding="utf-8")
    data = read_linkedin_connections(stripped)
    assert len(data.contacts) == 5
    assert "no preamble" in data.reports[0].variant


def test_long_preamble_is_scanned(tmp_path):
    path = tmp_path / "Connections.csv"
    preamble = "Notes:\n" + "\n".join(f'"note line {i}"' for i in range(7)) + "\n\n"
    path.write_text(
        preamble + HEADER + "\nAda,Example,https://www.linkedin.com/in/ada,,,,15 Mar 2024\n",
        encoding="utf-8",
    )
    data = read_linkedin_connections(path)
    assert [c.id for c in data.contacts] == ["linkedin:ada"]
    assert "9-line preamble" in data.reports[0].variant


def test_header_beyond_scan_window_is_an_error(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text("x\n" * 25 + HEADER + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no header row with 'First Name'"):
        read_linkedin_connections(path)


def test_old_header_without_url():  # §4 row 3
    data = read_linkedin_connections(FIXTURES / "Connections_old_header.csv")
    report = data.reports[0]
    assert report.variant == "old header (no url), no preamble"
    assert any("no URL column" in note for note in report.notes)
    contacts = by_id(data.contacts)
    assert list(contacts) == [
        "linkedin-name:ada example | acme ltd",
        "linkedin-name:bo sample | widgets, inc.",
        "linkedin-name:cy placeholder | ghost co",
    ]
    assert contacts["linkedin-name:bo sample | widgets, inc."].identifiers[1] == "bo@example.org"
    assert contacts["linkedin-name:bo sample | widgets, inc."].connected_on == utc(2025, 7, 1)
    # "not a date" keeps the connection without a date and is reported.
    assert contacts["linkedin-name:cy placeholder | ghost co"].connected_on is None
    assert any("1 Connected On cells" in note for note in report.notes)


def test_zero_connections_is_an_error_not_a_silent_success(tmp_path):  # §4 row 9
    path = tmp_path / "Connections.csv"
    path.write_text("Notes:\n\n" + HEADER + "\n,,,,,,\n,,,,,,\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        read_linkedin_connections(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "0 connections parsed" in message
    assert "\n" not in message


# --- messages.csv ----------------------------------------------------------------------


def test_messages_events_directions_and_groups():
    data = read_linkedin_messages(MESSAGES)
    ada, bo = "linkedin:ada-example-0001", "linkedin:bo-sample-0002"
    renee, eli = "linkedin:renee-placeholder-0004", "linkedin:eli-example-0005"
    got = [(e.timestamp, e.sender, e.recipients, e.channel) for e in data.events]
    assert got == [
        (utc(2024, 3, 14, 9, 5, 12), ada, (bo,), "dm"),
        (utc(2024, 3, 14, 11, 40, 2), bo, (ada,), "dm"),
        (utc(2024, 3, 15, 8, 0, 0), ada, (bo,), "dm"),
        (utc(2024, 2, 1, 17, 30, 0), renee, (ada,), "dm"),
        (utc(2024, 4, 1, 12, 0, 0), ada, (bo, eli), "group"),
        (utc(2024, 4, 1, 13, 15, 0), eli, (ada, bo), "group"),
    ]
    assert data.owner == (ada,)
    outgoing = sum(e.sender in data.owner for e in data.events)
    assert (outgoing, len(data.events) - outgoing) == (3, 3)
    assert {e.conversation_id for e in data.events} == {"2-Y29udi1h", "2-Y29udi1i", "2-Y29udi1j"}
    assert {c.id for c in data.contacts} == {ada, bo, renee, eli}
    report = data.reports[0]
    assert report.records["events"] == 6 and report.records["conversations"] == 3


def test_message_bodies_are_not_kept_only_lengths():
    events = read_linkedin_messages(MESSAGES).events
    # "Coffee next week?" has 17 characters; the multi-line reply 17 + 1 + 37.
    assert events[0].n_chars == 17
    assert events[1].n_chars == len("Sure — Tuesday?\nI can do 10, or 11, at the usual place.")
    assert not any(hasattr(e, "content") or hasattr(e, "body") for e in events)


def test_system_rows_and_bad_dates_counted():
    report = read_linkedin_messages(MESSAGES).reports[0]
    assert report.skipped["system row (request accepted / member left)"] == 2
    assert report.skipped["DATE not in 'YYYY-MM-DD HH:MM:SS UTC' form"] == 1


def test_mojibake_name_repaired():  # §4 row 8
    data = read_linkedin_messages(MESSAGES)
    names = {c.id: c.display_name for c in data.contacts}
    assert names["linkedin:renee-placeholder-0004"] == "Renée Placeholder"
    assert names["linkedin:bo-sample-0002"] == "Bo Sample"  # correct text untouched
    assert any("1 names repaired" in note for note in data.reports[0].notes)


def test_reordered_and_extra_columns():  # §4 row 7
    data = read_linkedin_messages(
        FIXTURES / "messages_reordered.csv", me=["https://www.linkedin.com/in/ada-example-0001"]
    )
    ada, bo = "linkedin:ada-example-0001", "linkedin:bo-sample-0002"
    assert [(e.sender, e.recipients, e.timestamp) for e in data.events] == [
        (bo, (ada,), utc(2024, 5, 1, 10, 0, 0)),
        (ada, (bo,), utc(2024, 5, 1, 10, 30, 0)),
    ]
    assert "IS MESSAGE DRAFT" in data.reports[0].variant
    assert data.owner == (ada,)


def test_owner_ambiguous_with_a_single_conversation():
    data = read_linkedin_messages(FIXTURES / "messages_reordered.csv")
    assert data.owner == ()
    assert any("owner not detected: 2 profiles" in n for n in data.reports[0].notes)


def test_only_system_rows_is_an_error():  # §4 row 9
    path = FIXTURES / "messages_system_only.csv"
    with pytest.raises(IngestError, match=r"0 messages parsed \(1 system row"):
        read_linkedin_messages(path)


def test_missing_required_columns_names_the_header_line(tmp_path):
    path = tmp_path / "messages.csv"
    path.write_text("CONVERSATION ID,FROM,DATE\nc,Ada,2024-01-01 00:00:00 UTC\n", "utf-8")
    with pytest.raises(IngestError) as info:
        read_linkedin_messages(path)
    assert str(info.value).startswith(f"{path}:1: ")
    assert str(info.value).endswith("missing SENDER PROFILE URL, RECIPIENT PROFILE URLS")


def test_undecodable_bytes_name_the_line(tmp_path):
    path = tmp_path / "messages.csv"
    good = MESSAGES.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([*good[:2], b"2-x,,Bo \xff Sample,u,,u,2024,,x,INBOX,"]))
    with pytest.raises(IngestError, match="not valid UTF-8") as info:
        read_linkedin_messages(path)
    assert info.value.line is not None


# --- whole export: folder, zip, single file --------------------------------------------


def test_folder_reads_both_files_and_keeps_declared_only_connections():
    data = read_linkedin(FIXTURES)
    assert [r.format for r in data.reports] == ["linkedin-connections", "linkedin-messages"]
    assert len(data.events) == 6
    contacts = by_id(data.contacts)
    # 5 connections + the owner (seen only in messages); Bo keeps his connection record.
    assert len(contacts) == 6
    assert contacts["linkedin:bo-sample-0002"].connected_on == utc(2023, 2, 2)
    messaged = {p for e in data.events for p in (e.sender, *e.recipients)}
    declared_only = {c for c, rec in contacts.items() if rec.connected_on and c not in messaged}
    assert declared_only == {
        "linkedin:cy-placeholder-0003",
        "linkedin-name:dee sample | acme ltd",
    }


def test_zip_read_in_place(tmp_path):
    archive = tmp_path / "Complete_LinkedInDataExport_03-14-2024.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(CONNECTIONS, "Connections.csv")
        zf.write(MESSAGES, "messages.csv")
        zf.writestr("Profile.csv", "First Name,Last Name\nAda,Example\n")
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    data = read_linkedin(archive)
    assert len(data.events) == 6 and len(data.contacts) == 6
    assert data.reports[0].path == f"{archive}!Connections.csv"
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [archive.name]  # nothing extracted


def test_single_csv_is_sniffed(tmp_path):
    renamed = tmp_path / "my connections export.csv"
    shutil.copy(CONNECTIONS, renamed)
    assert read_linkedin(renamed).reports[0].format == "linkedin-connections"
    assert read_linkedin(MESSAGES).reports[0].format == "linkedin-messages"


def test_unrelated_inputs_are_errors(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not a LinkedIn"):
        read_linkedin(other)
    with pytest.raises(IngestError, match=r"no Connections\.csv or messages\.csv"):
        read_linkedin(tmp_path)
    with pytest.raises(IngestError, match="no such file"):
        read_linkedin(tmp_path / "missing.zip")


def test_inputs_are_not_modified():
    before = {p.name: p.read_bytes() for p in FIXTURES.iterdir()}
    read_linkedin(FIXTURES)
    assert {p.name: p.read_bytes() for p in FIXTURES.iterdir()} == before
