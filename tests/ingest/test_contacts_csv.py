"""Generic contacts.csv / conversations.csv readers: happy paths and every bad input."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.contacts_csv import (
    normalize_cell,
    parse_timestamp,
    read_contacts,
    read_conversations,
)
from trustgraph.ingest.load import read_records
from trustgraph.ingest.records import ReadReport


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def new_report() -> ReadReport:
    return ReadReport(path="", format="")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-04T09:15:00Z", utc(2025, 3, 4, 9, 15)),
        ("2025-03-04T09:15:00", utc(2025, 3, 4, 9, 15)),  # naive = UTC
        ("2025-03-04 11:15:00+02:00", utc(2025, 3, 4, 9, 15)),
        ("2025-03-04T04:15:00-05:00", utc(2025, 3, 4, 9, 15)),
        ("2025-03-04", utc(2025, 3, 4)),
        ("1741079700", utc(2025, 3, 4, 9, 15)),  # epoch seconds
        ("1741079700000", utc(2025, 3, 4, 9, 15)),  # epoch milliseconds
        ("1741079700.5", utc(2025, 3, 4, 9, 15, 0, 500000)),
    ],
)
def test_parse_timestamp(text, expected):
    assert parse_timestamp(text) == expected
    assert parse_timestamp(text).tzinfo is not None


@pytest.mark.parametrize("text", ["", "yesterday", "04/03/2025", "2025-13-01"])
def test_parse_timestamp_rejects(text):
    with pytest.raises(ValueError):
        parse_timestamp(text)


def test_normalize_cell():
    assert normalize_cell(" Bo.Sample@Example.ORG ") == "bo.sample@example.org"
    assert normalize_cell("+1 555 010 0102") == "+15550100102"
    assert normalize_cell("5550100102") == "5550100102"  # a bare number stays an id
    assert normalize_cell("555-010-0102", column="phone") == "+15550100102"
    assert normalize_cell("https://example.com/people/cy/") == "https://example.com/people/cy"
    assert normalize_cell("CyP") == "CyP"


# ----------------------------------------------------------------------------- contacts

SAMPLE_CONTACTS = (
    "id,name,email,company,position,connected_on,source\n"
    "ada@example.com,Ada Example,ada@example.com,Example Ltd,Engineer,2023-05-01,linkedin\n"
    "bo@example.org,Bo Sample,bo@example.org,,,2024-01-15,\n"
)


def test_sample_generator_contact_columns_read_cleanly(tmp_path):
    path = write(tmp_path, "contacts.csv", SAMPLE_CONTACTS)
    report = new_report()
    contacts = read_contacts(path, report=report)
    assert [c.id for c in contacts] == ["ada@example.com", "bo@example.org"]
    ada, bo = contacts
    assert ada.display_name == "Ada Example"
    assert dict(ada.attributes) == {"company": "Example Ltd", "position": "Engineer"}
    assert ada.source == "linkedin"
    assert bo.source == "contacts-csv"  # the reader's default for an empty cell
    assert ada.connected_on == utc(2023, 5, 1)
    assert report.path == str(path)
    assert report.format == "contacts-csv"
    assert report.variant == "delimiter=comma"
    assert report.records["contacts"] == 2
    assert not report.skipped
    assert report.notes == []
    assert (report.first_seen, report.last_seen) == (utc(2023, 5, 1), utc(2024, 1, 15))


def test_contact_aliases_case_and_order(tmp_path):
    text = (
        "Full Name;E-Mail;Profile URL;Phone Number;Contact_ID;Identifiers\n"
        "Cy Placeholder;CY@Example.NET;https://www.linkedin.com/in/cy-placeholder/;"
        '+1 555 010 0103;;"cy-alt@example.net; tg:100000003"\n'
    )
    report = new_report()
    (cy,) = read_contacts(write(tmp_path, "c.csv", text), report=report)
    assert report.variant == "delimiter=semicolon"
    # No id: the first non-empty of id, email, url, phone names the contact
    assert cy.id == "cy@example.net"
    assert cy.identifiers == (
        "cy@example.net",
        "linkedin:cy-placeholder",
        "+15550100103",
        "cy-alt@example.net",
        "tg:100000003",
    )
    assert cy.display_name == "Cy Placeholder"


def test_contact_id_falls_back_to_url_then_phone(tmp_path):
    text = "name,url,phone\nAda,https://example.com/ada/,\nBo,,+1 555 010 0102\n"
    contacts = read_contacts(write(tmp_path, "c.csv", text))
    assert [c.id for c in contacts] == ["https://example.com/ada", "+15550100102"]


def test_tab_delimited_and_gzip(tmp_path):
    raw = b"id\tname\nada\tAda Example\n"
    path = tmp_path / "contacts.tsv.gz"
    path.write_bytes(gzip.compress(raw))
    report = new_report()
    (ada,) = read_contacts(path, report=report)
    assert (ada.id, ada.display_name, report.variant) == ("ada", "Ada Example", "delimiter=tab")


def test_extra_columns_become_attributes_and_body_is_ignored(tmp_path):
    text = "id,Team Name,message,notes\nada,Blue,SECRET-BODY-TEXT,likes tea\n"
    report = new_report()
    (ada,) = read_contacts(write(tmp_path, "c.csv", text), report=report)
    assert dict(ada.attributes) == {"team_name": "Blue", "notes": "likes tea"}
    assert "SECRET-BODY-TEXT" not in repr(ada)
    assert any("['message'] ignored" in note for note in report.notes)
    assert any("team_name" in note for note in report.notes)


def test_duplicate_contact_ids_are_merged(tmp_path):
    text = (
        "id,name,email,company,position,connected_on\n"
        "ada,,ada@example.com,Example Ltd,,2024-02-01\n"
        "bo,Bo Sample,,,,\n"
        "ada,Ada Example,ada.work@example.com,Other Ltd,Engineer,2023-02-01\n"
    )
    report = new_report()
    contacts = read_contacts(write(tmp_path, "c.csv", text), report=report)
    assert [c.id for c in contacts] == ["ada", "bo"]
    ada = contacts[0]
    assert ada.identifiers == ("ada", "ada@example.com", "ada.work@example.com")
    assert ada.display_name == "Ada Example"  # first non-empty name
    # first non-empty value per attribute: company from row 1, position from row 3
    assert dict(ada.attributes) == {"company": "Example Ltd", "position": "Engineer"}
    assert ada.connected_on == utc(2023, 2, 1)  # earliest
    assert report.records["contacts"] == 2
    assert any("1 row(s) repeated an earlier contact id" in note for note in report.notes)


def test_rows_without_identifier_are_skipped_and_counted(tmp_path):
    text = "id,name,email\n,Nameless Person,\n,,\nada,Ada,\n\n"
    report = new_report()
    contacts = read_contacts(write(tmp_path, "c.csv", text), report=report)
    assert [c.id for c in contacts] == ["ada"]
    assert report.skipped == {"no identifier": 1, "empty row": 1}


def test_contacts_epoch_connected_on_and_blank_lines_before_header(tmp_path):
    text = "\n\nid,connected_on\nada,1700000000\n"
    (ada,) = read_contacts(write(tmp_path, "c.csv", text))
    assert ada.connected_on == datetime.fromtimestamp(1700000000, tz=timezone.utc)


# ----------------------------------------------------------------------------- conversations

SAMPLE_CONVERSATIONS = (
    "timestamp,sender,recipients,channel,conversation_id\n"
    "2025-03-04T09:15:00Z,me@example.com,ada@example.com,dm,dm-1\n"
    "2025-03-04T09:20:00Z,ada@example.com,me@example.com;bo@example.org,group,g-1\n"
)


def test_sample_generator_conversation_columns_read_cleanly(tmp_path):
    path = write(tmp_path, "conversations.csv", SAMPLE_CONVERSATIONS)
    report = new_report()
    events = read_conversations(path, report=report)
    first, second = events
    assert first.timestamp == utc(2025, 3, 4, 9, 15)
    assert (first.sender, first.recipients, first.channel) == (
        "me@example.com",
        ("ada@example.com",),
        "dm",
    )
    assert first.conversation_id == "dm-1"
    assert first.source == "conversations-csv"
    assert second.recipients == ("me@example.com", "bo@example.org")
    assert second.channel == "group"
    assert report.format == "conversations-csv"
    assert report.records["events"] == 2
    assert report.first_seen == utc(2025, 3, 4, 9, 15)
    assert report.last_seen == utc(2025, 3, 4, 9, 20)
    assert not report.skipped and report.notes == []


def test_conversation_aliases_defaults_and_ignored_columns(tmp_path):
    text = (
        "From,To,Date,Thread_ID,N_Chars,Body,Subject\n"
        "Ada@Example.com,bo@example.org,2025-01-02 10:00,t1,42,hello there,Re: tea\n"
        "bo@example.org,ada@example.com; cy@example.net ;,1735812000,,,hi,\n"
    )
    report = new_report()
    events = read_conversations(write(tmp_path, "m.csv", text), report=report)
    assert events[0].sender == "ada@example.com"
    assert events[0].channel == "dm"
    assert events[0].conversation_id == "t1"
    assert events[0].n_chars == 42
    assert events[1].recipients == ("ada@example.com", "cy@example.net")
    assert events[1].channel == "group"  # default for more than one recipient
    assert events[1].conversation_id is None
    assert events[1].n_chars is None
    assert events[1].timestamp == datetime.fromtimestamp(1735812000, tz=timezone.utc)
    assert "hello" not in repr(events)
    assert any("['Body'] ignored" in note for note in report.notes)
    assert any("['subject'] not used" in note for note in report.notes)


def test_self_recipient_dropped_and_reported(tmp_path):
    text = (
        "timestamp,sender,recipients\n"
        "2025-01-01,ada,ada;bo\n"
        "2025-01-02,ada,ada\n"
        "2025-01-03,,bo\n"
        "2025-01-04,bo,\n"
        "2025-01-05,bo,ada;ada\n"
    )
    report = new_report()
    events = read_conversations(write(tmp_path, "m.csv", text), report=report)
    assert [(e.sender, e.recipients) for e in events] == [("ada", ("bo",)), ("bo", ("ada",))]
    assert events[0].channel == "dm"
    assert report.skipped == {
        "message to self only": 1,
        "empty sender": 1,
        "no recipients": 1,
    }
    assert any("2 event(s) listed the sender among the recipients" in n for n in report.notes)


def test_quoted_newlines_keep_physical_line_numbers(tmp_path):
    text = (
        "timestamp,sender,recipients,body\n"
        '2025-01-01,ada,bo,"line one\nline two\nline three"\n'  # lines 2-4
        "2025-01-02,bo,ada,fine\n"  # line 5
        "not-a-time,bo,ada,bad\n"  # line 6
    )
    path = write(tmp_path, "m.csv", text)
    with pytest.raises(IngestError) as info:
        read_conversations(path)
    assert info.value.line == 6
    assert str(info.value).startswith(f"{path}:6: timestamp:")


def test_error_in_multiline_record_names_its_first_line(tmp_path):
    text = (
        "timestamp,sender,recipients,body\n"
        "2025-01-01,ada,bo,ok\n"  # line 2
        'yesterday,bo,ada,"spans\nthree\nlines"\n'  # lines 3-5
        "2025-01-02,bo,ada,fine\n"
    )
    with pytest.raises(IngestError, match="timestamp") as info:
        read_conversations(write(tmp_path, "m.csv", text))
    assert info.value.line == 3


def test_quoted_recipient_list_in_semicolon_file(tmp_path):
    text = 'timestamp;sender;recipients\n2025-01-01;ada;"bo;cy"\n'
    (event,) = read_conversations(write(tmp_path, "m.csv", text))
    assert event.recipients == ("bo", "cy")


def test_trailing_empty_fields_are_tolerated(tmp_path):
    text = "timestamp,sender,recipients\n2025-01-01,ada,bo,,\n2025-01-02,bo\n2025-01-03,bo,ada\n"
    report = new_report()
    events = read_conversations(write(tmp_path, "m.csv", text), report=report)
    assert len(events) == 2
    assert report.skipped == {"no recipients": 1}


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("reader", [read_contacts, read_conversations])
def test_missing_file(tmp_path, reader):
    path = tmp_path / "absent.csv"
    with pytest.raises(IngestError, match="no such file") as info:
        reader(path)
    assert info.value.path == str(path)


@pytest.mark.parametrize("reader", [read_contacts, read_conversations])
def test_directory(tmp_path, reader):
    with pytest.raises(IngestError, match="directory") as info:
        reader(tmp_path)
    assert info.value.path == str(tmp_path)


@pytest.mark.parametrize("reader", [read_contacts, read_conversations])
def test_empty_file(tmp_path, reader):
    path = write(tmp_path, "e.csv", "\n\n")
    with pytest.raises(IngestError, match="empty file") as info:
        reader(path)
    assert info.value.path == str(path)


@pytest.mark.parametrize(
    ("reader", "header"),
    [(read_contacts, "id,name\n"), (read_conversations, "timestamp,sender,recipients\n")],
)
def test_header_only_file_is_an_error(tmp_path, reader, header):
    path = write(tmp_path, "h.csv", header)
    with pytest.raises(IngestError, match="no data rows after the header") as info:
        reader(path)
    assert info.value.path == str(path)


def test_all_rows_skipped_is_an_error_with_reasons(tmp_path):
    path = write(tmp_path, "m.csv", "timestamp,sender,recipients\n2025-01-01,,bo\n2025-01-01,a,\n")
    with pytest.raises(IngestError, match=r"every row was skipped \(1 empty sender, 1 no rec"):
        read_conversations(path)


def test_contacts_missing_identifier_columns(tmp_path):
    path = write(tmp_path, "c.csv", "name,company\nAda,Example Ltd\n")
    with pytest.raises(IngestError) as info:
        read_contacts(path)
    message = str(info.value)
    assert message.startswith(f"{path}:1: missing required column(s)")
    assert "'id' or one of" in message
    assert "found columns: ['name', 'company']" in message


def test_conversations_missing_required_columns(tmp_path):
    path = write(tmp_path, "m.csv", "\nwhen,sender,body\n2025-01-01,a,hi\n")
    with pytest.raises(IngestError) as info:
        read_conversations(path)
    assert info.value.line == 2  # the header line, after a blank line
    message = str(info.value)
    assert "['timestamp', 'recipients']" in message
    assert "found columns: ['when', 'sender', 'body']" in message


def test_wrong_delimiter_hint(tmp_path):
    path = write(tmp_path, "m.csv", "timestamp|sender|recipients\n2025-01-01|a|b\n")
    with pytest.raises(IngestError, match="pipe-delimited") as info:
        read_conversations(path)
    assert info.value.line == 1


def test_non_utf8_names_line(tmp_path):
    text = "id,name\nada,Ada\nrenee,Ren\xe9e Placeholder\n"
    path = write(tmp_path, "c.csv", text, encoding="latin-1")
    # Asked for UTF-8, the file is refused at the line of its first bad byte.
    with pytest.raises(IngestError, match="not valid utf-8") as info:
        read_contacts(path, encoding="utf-8")
    assert info.value.line == 3
    assert info.value.path == str(path)
    # the hint in the message works: the same file read as latin-1
    contacts = read_contacts(path, encoding="latin-1")
    assert contacts[1].display_name == "Renée Placeholder"
    # By default a file that is not UTF-8 is read in the Windows code page (é is the same
    # byte in Latin-1 and Windows-1252).
    assert read_contacts(path)[1].display_name == "Renée Placeholder"


def test_unparseable_timestamp_names_line(tmp_path):
    text = "timestamp,sender,recipients\n2025-01-01,a,b\n31/12/2025,a,b\n"
    path = write(tmp_path, "m.csv", text)
    with pytest.raises(IngestError, match="neither ISO 8601") as info:
        read_conversations(path)
    assert (info.value.path, info.value.line) == (str(path), 3)


def test_missing_timestamp_names_line(tmp_path):
    path = write(tmp_path, "m.csv", "timestamp,sender,recipients\n,a,b\n")
    with pytest.raises(IngestError, match="missing timestamp") as info:
        read_conversations(path)
    assert info.value.line == 2


def test_bad_connected_on_names_line(tmp_path):
    path = write(tmp_path, "c.csv", "id,connected_on\nada,2024-01-01\nbo,last spring\n")
    with pytest.raises(IngestError, match="connected_on") as info:
        read_contacts(path)
    assert info.value.line == 3


def test_bad_n_chars_names_line(tmp_path):
    path = write(tmp_path, "m.csv", "timestamp,sender,recipients,n_chars\n2025-01-01,a,b,-3\n")
    with pytest.raises(IngestError, match="n_chars") as info:
        read_conversations(path)
    assert info.value.line == 2


def test_unquoted_delimiter_in_field_names_line(tmp_path):
    text = "id,name,company\nada,Ada,Example Ltd\nbo,Bo,Example, Inc.\n"
    path = write(tmp_path, "c.csv", text)
    with pytest.raises(IngestError, match="4 fields but the header has 3") as info:
        read_contacts(path)
    assert info.value.line == 3


def test_two_columns_with_one_meaning(tmp_path):
    path = write(tmp_path, "c.csv", "email,E-Mail\nada@example.com,ada@example.com\n")
    with pytest.raises(IngestError, match="both mean 'email'") as info:
        read_contacts(path)
    assert info.value.line == 1


def test_stray_quote_is_an_error_not_a_silent_merge(tmp_path):
    text = 'timestamp,sender,recipients\n2025-01-01,a,b\n2025-01-02,"a"x,b\n'
    path = write(tmp_path, "m.csv", text)
    with pytest.raises(IngestError, match="malformed CSV record") as info:
        read_conversations(path)
    assert info.value.line == 3


def test_unterminated_quote_names_start_line(tmp_path):
    # csv in strict mode: an unterminated quote at EOF is "unexpected end of data"
    text = 'timestamp,sender,recipients,body\n2025-01-01,a,b,ok\n2025-01-02,a,b,"never closed\n'
    path = write(tmp_path, "m.csv", text)
    with pytest.raises(IngestError, match="malformed CSV record") as info:
        read_conversations(path)
    assert info.value.line == 3


def test_phone_cells_are_placed_in_the_default_region(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("name,phone\nDee Sample,020 7946 0018\n")
    placed = read_contacts(path, default_region="GB")
    assert placed[0].id == "+442079460018"
    # Without a region a national number cannot be placed: kept as written, never guessed.
    assert read_contacts(path, default_region=None)[0].id == "020 7946 0018"
    chats = tmp_path / "conversations.csv"
    chats.write_text("timestamp,sender,recipients\n2024-03-01,020 7946 0018,+44 20 7946 0019\n")
    event = read_conversations(chats, default_region="GB")[0]
    assert (event.sender, event.recipients) == ("+442079460018", ("+442079460019",))


@pytest.mark.parametrize("codec", ["cp1252", "utf-16", "utf-16-le"])
def test_record_csvs_in_windows_encodings_are_recognised_and_read(tmp_path, codec):
    # Excel on Windows saves "CSV" in the ANSI code page or as "Unicode text" (UTF-16);
    # the names and timestamps below are the oracle, written by hand.
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("name,email\nZoë Müller,zoe@example.com\n", encoding=codec)
    talks = tmp_path / "conversations.csv"
    talks.write_text(
        "timestamp,sender,recipients,thread\n"
        "2024-01-01T10:00:00,zoe@example.com,bo@example.org,Café\n",
        encoding=codec,
    )
    people = read_records(contacts)
    assert [(c.id, c.display_name) for c in people.contacts] == [("zoe@example.com", "Zoë Müller")]
    events = read_records(talks).events
    assert [(e.sender, e.recipients) for e in events] == [("zoe@example.com", ("bo@example.org",))]
    assert events[0].timestamp == datetime(2024, 1, 1, 10, tzinfo=timezone.utc)
    for data in (people, read_records(talks)):
        assert any(
            ("UTF-16" if "16" in codec else "Windows-1252") in n for n in data.reports[0].notes
        )


def test_conversations_with_an_explicit_encoding_stay_strict(tmp_path):
    talks = tmp_path / "conversations.csv"
    talks.write_bytes("timestamp,sender,recipients\n2024-01-01,Zoë,bo\n".encode("cp1252"))
    with pytest.raises(IngestError, match="not valid utf-8"):
        read_conversations(talks, encoding="utf-8")


def test_a_semicolon_contacts_file_with_first_and_last_names_is_recognised(tmp_path):
    # Excel's "CSV" in a comma-decimal locale: ';' between cells, a byte-order mark, CR LF;
    # the names are the oracle, written by hand.
    path = tmp_path / "subscribers.csv"
    text = (
        "Email;First name;Last name\r\nana@example.org;Noël;Bäcker-Weiß\r\nbo@example.org;;Þór\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    data = read_records(path)
    assert data.reports[0].format == "contacts-csv"
    assert data.reports[0].variant == "delimiter=semicolon"
    assert [(c.id, c.display_name) for c in data.contacts] == [
        ("ana@example.org", "Noël Bäcker-Weiß"),
        ("bo@example.org", "Þór"),
    ]


def test_camel_case_headers_are_read_as_their_words(tmp_path):
    # Tools that name columns in camel case (ProfileURL, FirstName, LastName, EmailAddress).
    path = tmp_path / "people.csv"
    path.write_text(
        "FirstName,LastName,ProfileURL,EmailAddress\n"
        "Ana,Lima,https://www.linkedin.com/in/ana-lima-1/,\n"
        "Bo,,,bo@example.org\n",
        encoding="utf-8",
    )
    data = read_records(path)
    assert [(c.id, c.display_name) for c in data.contacts] == [
        ("linkedin:ana-lima-1", "Ana Lima"),
        ("bo@example.org", "Bo"),
    ]
