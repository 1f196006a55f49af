"""Mail layouts beyond a plain mbox (issue 15): a lone ``.eml`` message, a folder of them, and
mbox separators without a blank line before them.

Expected values come from Python's own parsers (``email`` for header fields, ``mailbox`` for
where an mbox splits), never from trustgraph's output.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import mailbox
from email import message_from_bytes
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pytest

from trustgraph.cli.app import main
from trustgraph.exceptions import IngestError
from trustgraph.ingest.email_reader import read_email, read_maildir, read_mbox
from trustgraph.ingest.exports import detect_export
from trustgraph.ingest.sniff import rank_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail_variants"
LONE = FIXTURES / "lone_message.eml"
NO_BLANK = FIXTURES / "no_blank_before_from.mbox"
FOLDER = FIXTURES / "eml_folder"


def inspect_json(path: Path) -> list[dict]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["inspect", "--json", str(path)])
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def oracle_people(raw: bytes) -> set[str]:
    """The distinct addresses of From, To and Cc, as the standard library reads them."""
    message = message_from_bytes(raw)
    values = [v for name in ("From", "To", "Cc") for v in message.get_all(name, [])]
    return {address.lower() for _, address in getaddresses(values) if address}


def test_lone_message_through_inspect_matches_the_email_package():
    raw = LONE.read_bytes()
    date = parsedate_to_datetime(message_from_bytes(raw)["Date"])
    (report,) = inspect_json(LONE)
    assert report["format"] == "mbox"
    assert report["variant"].startswith("RFC 822 message")
    assert report["records"]["messages"] == 1
    assert report["records"]["contacts"] == len(oracle_people(raw)) == 4
    assert report["first_seen"] == date.isoformat()


def test_lone_message_event_has_every_recipient_once():
    raw = LONE.read_bytes()
    data = read_mbox(LONE)
    (event,) = data.events
    message = message_from_bytes(raw)
    (sender,) = [a for _, a in getaddresses(message.get_all("From"))]
    assert event.sender == sender
    assert set(event.recipients) == oracle_people(raw) - {sender}
    assert len(event.recipients) == len(set(event.recipients))
    assert event.timestamp == parsedate_to_datetime(message["Date"])


def test_lone_message_is_detected_by_content_whatever_its_name():
    text = LONE.read_text(encoding="utf-8")
    for name in ("lone_message.eml", "saved message", "message.txt"):
        best = rank_text(name, text)[0]
        assert (best.format, best.score) == ("mbox", 0.9), name
    assert detect_export(LONE) == "mbox"


def test_body_lines_of_a_lone_message_never_start_a_message():
    report = read_mbox(LONE).reports[0]
    assert report.records["messages"] == 1
    # "From here on" and "From the archive" follow a blank line; the envelope-shaped line
    # without a blank line before it has no header after it.
    assert any(n.startswith("2 body lines starting with 'From '") for n in report.notes)
    assert any(n.startswith("1 full envelope lines") for n in report.notes)


def test_header_block_without_a_date_is_not_a_message(tmp_path):
    path = FIXTURES / "lone_no_date.eml"
    assert rank_text(path.name, path.read_text(encoding="utf-8"))[0].format != "whatsapp"
    with pytest.raises(IngestError, match="line 1 is not a 'From ' separator line"):
        read_mbox(path)
    other = tmp_path / "notes.txt"
    other.write_text("Topic: lunch\nWhere: the usual place\n\nbring cake\n")
    assert rank_text(other.name, other.read_text())[0].format != "mbox"


def test_lone_message_after_blank_lines_and_a_bom(tmp_path):
    path = tmp_path / "m.eml"
    path.write_bytes(b"\n\n\xef\xbb\xbf" + LONE.read_bytes())
    report = read_mbox(path).reports[0]
    assert report.records["messages"] == 1
    assert report.first_seen.isoformat() == "2026-03-16T10:00:00+00:00"


def _real_records(path: Path) -> list[mailbox.mboxMessage]:
    """mailbox splits at every line starting with "From "; the records that carry a Date
    header are the file's messages, the others are body lines it split at."""
    return [m for m in mailbox.mbox(path, create=False) if m["Date"]]


def test_separator_without_blank_line_matches_mailbox():
    data = read_mbox(NO_BLANK)
    expected = _real_records(NO_BLANK)
    assert data.reports[0].records["messages"] == len(expected) == 4
    assert [e.timestamp for e in data.events] == [
        parsedate_to_datetime(m["Date"]) for m in expected
    ]


def test_separators_without_blank_line_are_counted_in_the_report():
    notes = read_mbox(NO_BLANK).reports[0].notes
    # Messages 2 and 4 (pipermail's "user at domain" envelope) have no blank line before.
    assert any(n.startswith("2 message separators had no blank line before them") for n in notes)
    assert any(n.startswith("1 full envelope lines without a blank line") for n in notes)


@pytest.mark.parametrize(
    ("envelope", "splits"),
    [
        (b"From bo@example.org Thu Jan  1 10:30:00 2015", True),
        (b"From bo@example.org Thu Jan  1 10:30:00 +0000 2015", True),  # Gmail
        (b"From bo@example.org Thu Jan  1 10:30:00 2015 +0000", True),
        (b"From bo at example.org  Thu Jan  1 10:30:00 2015", True),  # pipermail
        (b"From - Thu Jan  1 10:30:00 2015", True),  # Thunderbird
        (b"From bo@example.org Thu Jan  1 10:30 2015", False),  # no seconds
        (b"From bo@example.org Thu Jan  1 10:30:00", False),  # no year
        (b"From bo@example.org Thu Jan  1 10:30:00 2015 and more", False),
        (b"From the report: Thu Jan  1 10:30:00 2015", False),
        (b"from bo@example.org Thu Jan  1 10:30:00 2015", False),
        (b">From bo@example.org Thu Jan  1 10:30:00 2015", False),  # mboxrd escape
    ],
)
def test_only_a_full_envelope_line_splits_without_a_blank_line(tmp_path, envelope, splits):
    path = tmp_path / "m.mbox"
    path.write_bytes(
        b"From ada@example.com Thu Jan  1 09:00:00 2015\n"
        b"From: ada@example.com\nTo: bo@example.org\n"
        b"Date: Thu, 01 Jan 2015 09:00:00 +0000\n\nbody\n"
        + envelope
        + b"\nFrom: bo@example.org\nTo: ada@example.com\n"
        b"Date: Thu, 01 Jan 2015 10:30:00 +0000\n\nbody\n"
    )
    report = read_mbox(path).reports[0]
    assert report.records["messages"] == (2 if splits else 1)
    tight = [n for n in report.notes if "had no blank line before them" in n]
    assert len(tight) == int(splits)


def test_crlf_separator_without_blank_line(tmp_path):
    path = tmp_path / "crlf.mbox"
    text = NO_BLANK.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(text)
    assert read_mbox(path).reports[0].records["messages"] == 4


def test_folder_of_eml_files_is_one_mailbox():
    data = read_maildir(FOLDER)
    (report,) = data.reports
    files = sorted(FOLDER.glob("*.eml"))
    people = set().union(*(oracle_people(f.read_bytes()) for f in files))
    assert report.variant == "folder of .eml messages"
    assert report.records["messages"] == len(files) == 3
    assert {c.id for c in data.contacts} == people
    assert read_email(FOLDER).reports[0].records["messages"] == 3


def test_empty_folder_is_not_a_mailbox(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing\n")
    with pytest.raises(IngestError, match=r"no \.eml file"):
        read_maildir(tmp_path)


def _folded_over_blank_looking_lines(ending: bytes) -> bytes:
    # To folded over a line of only a tab (and a line of only spaces), then a header after a
    # whitespace-only line, as mikel/mail's new_line_in_to_header fixture has it.
    lines = [
        b"From: Ana <ana@example.com>",
        b"To: bo@example.org,",
        b"\t cy@example.net,",
        b"\t",
        b"\tdi@example.com,",
        b"   ",
        b" ed@example.org",
        b"Cc: fay@example.net",
        b"\t",
        b"Subject: folded",
        b"Date: Wed, 13 Oct 2010 07:53:04 -0700",
        b"",
        b"Body: not a header",
        b"",
    ]
    return ending.join(lines)


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
def test_headers_folded_over_whitespace_only_lines_match_the_email_package(tmp_path, ending):
    raw = _folded_over_blank_looking_lines(ending)
    expected = oracle_people(raw)
    assert len(expected) == 6  # the oracle sees every address of the folded To and the Cc
    (tmp_path / "one.eml").write_bytes(raw)
    for path in (tmp_path / "one.eml", tmp_path):  # the lone-message reader and a folder
        data = read_email(path)
        people = {c.id for c in data.contacts}
        assert people == expected, path
        assert len(data.events) == 1


def test_a_whitespace_only_line_before_a_body_line_ends_the_header_block(tmp_path):
    raw = (
        b"From: ana@example.com\nTo: bo@example.org\n"
        b"Date: Wed, 13 Oct 2010 07:53:04 -0700\n \nDear Bo,\nCc: zed@example.com\n"
    )
    expected = oracle_people(raw)
    assert expected == {"ana@example.com", "bo@example.org"}  # the Cc line is body
    path = tmp_path / "one.eml"
    path.write_bytes(raw)
    assert {c.id for c in read_email(path).contacts} == expected


@pytest.mark.parametrize("compress", [False, True])
def test_an_mbox_with_bare_cr_line_ends_matches_mailbox(tmp_path, compress):
    text = (
        b"From ana@example.com Tue Jan  7 12:09:16 2003\n"
        b"From: ana@example.com\nTo: bo@example.org, cy@example.net\n"
        b"Date: Tue, 07 Jan 2003 12:08:10 -0000\n\nhello\n\n"
        b"From bo@example.org Wed Jan  8 01:15:57 2003\n"
        b"From: bo@example.org\nTo: ana@example.com\n"
        b"Date: Wed, 8 Jan 2003 01:15:57 +0100\n\nbody\n"
    )
    lf = tmp_path / "lf.mbox"
    lf.write_bytes(text)
    expected = [(m["From"], m["To"]) for m in mailbox.mbox(lf)]
    assert len(expected) == 2
    old_mac = text.replace(b"\n", b"\r")
    path = tmp_path / ("mac.mbox.gz" if compress else "mac.mbox")
    path.write_bytes(gzip.compress(old_mac) if compress else old_mac)
    data = read_mbox(path)
    assert [(e.sender, ", ".join(e.recipients)) for e in data.events] == expected
    assert "bare CR" in data.reports[0].variant


def test_addresses_on_local_hosts_are_people_as_the_email_package_reads_them(tmp_path):
    # Mutt on a machine without a domain writes "ana@laptop"; the oracle is getaddresses.
    raw = (
        b"From ana@laptop Mon Sep 16 00:27:03 2013\n"
        b"From: Ana Sample <ana@laptop>\nTo: Bo <bo@example.org>, cy@printer-2\n"
        b"Cc: not-an-address, dee@-bad-\nDate: Mon, 16 Sep 2013 00:27:03 +0000\n\nhi\n"
    )
    path = tmp_path / "local.mbox"
    path.write_bytes(raw)
    expected = {"ana@laptop", "bo@example.org", "cy@printer-2"}
    assert expected <= oracle_people(raw)
    (event,) = read_mbox(path).events
    assert {event.sender, *event.recipients} == expected  # "dee@-bad-" is no host name


def test_a_maildir_message_saved_with_its_envelope_line_is_dated_by_it(tmp_path):
    for box in ("cur", "new", "tmp"):
        (tmp_path / box).mkdir()
    raw = b"From nobody Fri Mar  7 15:17:43 2014\nFrom: ana@example.com\nTo: bo@example.org\n\nx\n"
    (tmp_path / "cur" / "1394205463.1.host:2,S").write_bytes(raw)
    lf = tmp_path.parent / "same.mbox"
    lf.write_bytes(raw)
    (message,) = mailbox.mbox(lf)  # the oracle: the envelope mailbox reads, with no Date
    assert message["Date"] is None and message.get_from().startswith("nobody Fri Mar  7")
    (event,) = read_maildir(tmp_path).events
    assert event.timestamp.isoformat() == "2014-03-07T15:17:43+00:00"


@pytest.mark.parametrize(
    ("to", "archive"),
    [("bo <ybo.example>", False), ("list at lists.example.org", True), ("", True)],
)
def test_recipients_without_a_usable_address_are_not_a_list_archive(tmp_path, to, archive):
    # The oracle for "no usable address": getaddresses names something that is no address.
    header = f"To: {to}\n" if to else ""
    raw = (
        "From ana@example.com Sun Dec 25 21:33:37 2011\nFrom: ana <ana@example.com>\n"
        f"{header}Date: Sun, 25 Dec 2011 21:33:37 +0800\n\nbody\n"
    ).encode()
    path = tmp_path / "one.mbox"
    path.write_bytes(raw)
    written = [a for _, a in getaddresses([to]) if a]
    assert bool(written) == bool(to) and "@" not in "".join(written)
    if archive:
        data = read_mbox(path)  # posts to the list, To removed or hidden: an archive
        assert data.events == [] and [c.id for c in data.contacts] == ["ana@example.com"]
    else:
        with pytest.raises(IngestError, match="1 recipients without a usable address"):
            read_mbox(path)


def test_envelope_lines_with_a_display_name_split_as_mailbox_splits_them(tmp_path):
    # "From Name <address> asctime" envelopes (a website's mbox writer), after blank lines.
    raw = b"".join(
        b"From %s <%s> %s\nFrom: %s <%s>\nTo: bo@example.org\nDate: %s\n\nbody\n\n"
        % (name, address, envelope, name, address, date)
        for name, address, envelope, date in [
            (b"Rae Sample", b"rae@example.com", b"Tue Nov 29 17:36:46 2022",
             b"Tue, 29 Nov 2022 17:36:46 +0000"),
            (b"Ida Mock", b"ida@example.net", b"Sat May 07 17:36:46 2022",
             b"Sat, 07 May 2022 17:36:46 +0000"),
        ]
    )  # fmt: skip
    path = tmp_path / "site.mbox"
    path.write_bytes(raw)
    expected = [m["From"] for m in mailbox.mbox(path)]
    assert len(expected) == 2
    senders = [e.sender for e in read_mbox(path).events]
    assert senders == [getaddresses([f])[0][1] for f in expected]
