"""mbox / Maildir reader (FORMATS.md §2.2-2.3, §4 rows 27-31).

Expected values are read off the hand-written fixtures in tests/fixtures/exports/email:
takeout.mbox holds 12 messages (see the comments of each test for which is which).
"""

from __future__ import annotations

import gzip
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.email_reader import read_email, read_maildir, read_mbox
from trustgraph.ingest.exports import detect_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "email"
MBOX = FIXTURES / "takeout.mbox"
MAILDIR = FIXTURES / "maildir"
ADA, BO, CY = "ada@example.com", "bo@example.org", "cy@example.com"
RENEE, EVE = "renee@example.net", "eve@example.com"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_takeout_events_timestamps_and_directions():
    data = read_mbox(MBOX, me=[ADA])
    got = [(e.timestamp, e.sender, e.recipients) for e in data.events]
    assert got == [
        # 1: Ada to Bo and Renée, Cc Cy (co-recipients are recipients too).
        (utc(2024, 3, 14, 9, 5, 12), ADA, (BO, RENEE, CY)),
        # 2: "Sample, Bo" <Bo@Example.org>, Date 10:20 -0500 = 15:20 UTC.
        (utc(2024, 3, 14, 15, 20, 0), BO, (ADA,)),
        # 6: no Date header; envelope "Sat Mar 16 10:00:00 +0000 2024" (zone before year).
        (utc(2024, 3, 16, 10, 0, 0), BO, (ADA,)),
        # 7: Date 13:00 +0100 = 12:00 UTC.
        (utc(2024, 3, 17, 12, 0, 0), EVE, (ADA,)),
        # 8: broken charset in the display name; the address still counts.
        (utc(2024, 3, 17, 13, 0, 0), CY, (ADA,)),
        # 12: Date 10:00, envelope says 23:59:59: the Date header wins.
        (utc(2024, 3, 18, 10, 0, 0), CY, (ADA,)),
    ]
    assert data.owner == (ADA,)
    out = [e for e in data.events if e.sender in data.owner]
    assert len(out) == 1 and len(data.events) - len(out) == 5
    assert {e.channel for e in data.events} == {"email"}
    assert all(e.n_chars is None for e in data.events)  # bodies are never read
    # 1 and 2 share Gmail's thread id; the others fall back to Message-ID.
    assert data.events[0].conversation_id == data.events[1].conversation_id
    assert data.events[3].conversation_id == "<e1.fake@example.com>"


def test_takeout_report_counts():
    report = read_mbox(MBOX).reports[0]
    assert report.format == "mbox"
    assert report.variant.startswith("Gmail / Google Takeout mbox")
    assert report.records["messages"] == 12
    assert report.records["events"] == 6
    assert report.records["contacts"] == 5
    assert dict(report.skipped) == {
        "bulk mail (List-Id)": 1,
        "bulk mail (no-reply sender)": 1,
        "bulk mail (Precedence)": 1,
        "bulk mail (Auto-Submitted)": 1,
        "no valid From address": 1,
        "duplicate Message-ID": 1,
    }
    assert report.first_seen == utc(2024, 3, 14, 9, 5, 12)
    assert report.last_seen == utc(2024, 3, 18, 10, 0, 0)


def test_unescaped_from_line_in_body_does_not_split():  # §4 row 27
    # Message 2's body holds "From the top of the hill..." and a full envelope-shaped
    # "From ada@example.com Thu Mar 14 09:05:12 2024" after blank lines; neither starts a
    # message (the second is not followed by a header line).
    report = read_mbox(MBOX).reports[0]
    assert report.records["messages"] == 12
    assert any(n.startswith("2 body lines starting with 'From '") for n in report.notes)


def test_envelope_with_zone_before_year_is_not_used_when_date_exists():  # §4 row 28
    data = read_mbox(MBOX)
    assert utc(2024, 3, 18, 23, 59, 59) not in {e.timestamp for e in data.events}
    assert any("1 messages without a usable Date" in n for n in data.reports[0].notes)


def test_rfc2047_display_names_decoded():  # §4 row 29
    names = {c.id: c.display_name for c in read_mbox(MBOX).contacts}
    assert names == {
        ADA: "Ada Example",
        BO: "Bo Sample",
        RENEE: "Renée Placeholder",
        CY: "Cy Placeholder",
        EVE: "Ève Sample",
    }
    assert any(
        "1 header values could not be decoded" in n for n in read_mbox(MBOX).reports[0].notes
    )


def test_rfc2047_labels_decoded_before_split(tmp_path):  # §4 row 29
    path = tmp_path / "labels.mbox"
    path.write_bytes(
        b"From 1@xxx Thu Mar 14 09:05:12 +0000 2024\n"
        b"X-Gmail-Labels: =?UTF-8?Q?Inbox,Category_Promotions,=C3=85pnet?=\n"
        b"From: Shop <shop@example.com>\nTo: ada@example.com\n"
        b"Date: Thu, 14 Mar 2024 09:05:12 +0000\n\nSale.\n\n"
        b"From 2@xxx Thu Mar 14 09:06:12 +0000 2024\n"
        b"From: bo@example.org\nTo: ada@example.com\n"
        b"Date: Thu, 14 Mar 2024 09:06:12 +0000\n\nHi.\n"
    )
    report = read_mbox(path).reports[0]
    assert report.skipped["bulk mail (Gmail category label)"] == 1
    assert report.records["events"] == 1


def test_bulk_mail_excluded_and_reported_per_sender():  # §4 row 31
    notes = read_mbox(MBOX).reports[0].notes
    bulk = next(n for n in notes if "bulk messages" in n)
    assert bulk.startswith("4 bulk messages excluded from 4 senders")
    for sender in ("news@example.net", "no-reply@example.com", "digest@example.org", BO):
        assert f"{sender} (1)" in bulk


def test_include_bulk_keeps_them_on_a_bulk_channel():
    data = read_mbox(MBOX, me=[ADA], include_bulk=True)
    bulk = [e for e in data.events if e.channel == "bulk"]
    assert len(data.events) == 10 and len(bulk) == 4
    assert sorted(e.sender for e in bulk) == sorted(
        ["news@example.net", "no-reply@example.com", "digest@example.org", BO]
    )
    assert len(data.contacts) == 8
    assert "kept on channel 'bulk'" in next(n for n in data.reports[0].notes if "bulk" in n)


def test_gzip_mbox_is_read_transparently(tmp_path):
    packed = tmp_path / "mail.mbox.gz"
    packed.write_bytes(gzip.compress(MBOX.read_bytes()))
    assert len(read_mbox(packed).events) == 6


def test_undecodable_8bit_header_is_counted(tmp_path):
    path = tmp_path / "legacy.mbox"
    path.write_bytes(
        b"From - Thu Mar 14 09:05:12 2024\n"
        b"From: Ren\xe9e Placeholder <renee@example.net>\nTo: ada@example.com\n"
        b"Date: Thu, 14 Mar 2024 09:05:12 +0000\n\nbody\n"
    )
    data = read_mbox(path)
    assert [e.sender for e in data.events] == [RENEE]
    assert any("1 header values could not be decoded" in n for n in data.reports[0].notes)


def test_garbage_or_missing_date_falls_back_to_the_envelope(tmp_path):
    path = tmp_path / "nodate.mbox"
    path.write_bytes(
        b"From - Thu Mar 14 09:05:12 2024\nFrom: bo@example.org\nTo: ada@example.com\n"
        b"Date: someday\n\nok\n\n"
        b"From - Thu Mar 14 09:05:12 2024\nFrom: bo@example.org\nTo: ada@example.com\n\nx\n"
    )
    data = read_mbox(path)
    # A garbage Date falls back to the envelope (asctime form, UTC) like a missing one.
    assert [e.timestamp for e in data.events] == [utc(2024, 3, 14, 9, 5, 12)] * 2


def test_not_an_mbox_names_line_one():
    with pytest.raises(IngestError) as info:
        read_mbox(FIXTURES / "not_an_mbox.txt")
    assert str(info.value) == (
        f"{FIXTURES / 'not_an_mbox.txt'}:1: not an mbox file: line 1 is not a 'From ' "
        "separator line"
    )


def test_all_bulk_is_an_error_with_a_hint(tmp_path):
    path = tmp_path / "news.mbox"
    path.write_bytes(
        b"From - Thu Mar 14 09:05:12 2024\nFrom: news@example.net\nTo: ada@example.com\n"
        b"List-Id: <news.example.net>\nDate: Thu, 14 Mar 2024 09:05:12 +0000\n\nx\n"
    )
    with pytest.raises(IngestError, match="0 person-to-person messages out of 1") as info:
        read_mbox(path)
    assert "include_bulk=True" in str(info.value)
    assert "--include-bulk" in str(info.value)  # the CLI's spelling, for inspect and ingest
    assert len(read_mbox(path, include_bulk=True).events) == 1


def test_streaming_memory_is_bounded_by_headers_not_file_size(tmp_path):  # §4 row 30
    path = tmp_path / "big.mbox"
    body = b"lorem ipsum dolor sit amet, consectetur adipiscing elit\n" * 4000  # ~224 kB
    with open(path, "wb") as handle:
        for i in range(16):  # ~3.6 MB in all
            handle.write(
                b"From - Thu Mar 14 09:05:12 2024\nFrom: bo@example.org\nTo: ada@example.com\n"
                b"Date: Thu, 14 Mar 2024 09:05:12 +0000\nMessage-ID: <%d@example.org>\n\n" % i
            )
            handle.write(body + b"\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        data = read_mbox(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(data.events) == 16
    assert peak < size / 4, (peak, size)


# --- Maildir ---------------------------------------------------------------------------


def test_maildir_events_and_owner_from_sent_folder():
    data = read_maildir(MAILDIR)
    assert [(e.timestamp, e.sender, e.recipients) for e in data.events] == [
        (utc(2024, 3, 14, 9, 3, 20), BO, (ADA,)),  # cur/
        (utc(2024, 3, 14, 10, 0, 0), ADA, (BO, EVE)),  # .Sent/cur/, 11:00 +0100
    ]
    assert data.owner == (ADA,)
    report = data.reports[0]
    assert report.variant == "Maildir, 2 folder(s)"
    assert report.records["messages"] == 4  # tmp/ ignored
    assert dict(report.skipped) == {
        "bulk mail (List-Id)": 1,
        "missing or unparseable Date header": 1,
    }


def test_maildir_me_overrides_detection():
    data = read_maildir(MAILDIR, me=["Ada@Example.com"])
    assert data.owner == (ADA,)
    assert not any("owner detected" in n for n in data.reports[0].notes)


def test_other_me_identifiers_pass_through_to_the_owner():
    data = read_mbox(MBOX, me=["Ada@Example.com", "+1 555 010 0100"])
    assert data.owner == (ADA, "+15550100100")
    # Without an address among them, the Sent label still finds the mailbox owner.
    assert read_maildir(MAILDIR, me=["+1 555 010 0100"]).owner == ("+15550100100", ADA)


def test_read_email_dispatches():
    assert read_email(MAILDIR).reports[0].format == "maildir"
    assert read_email(MBOX).reports[0].format == "mbox"


def test_maildir_errors(tmp_path):
    with pytest.raises(IngestError, match="no cur/ or new/ folder"):
        read_maildir(tmp_path)
    with pytest.raises(IngestError, match="not a folder"):
        read_maildir(MBOX)


def test_inputs_are_not_modified():
    before = MBOX.read_bytes()
    listing = sorted(p.name for p in MAILDIR.rglob("*"))
    read_mbox(MBOX)
    read_maildir(MAILDIR)
    assert MBOX.read_bytes() == before
    assert sorted(p.name for p in MAILDIR.rglob("*")) == listing


# ----------------------------------------------------------------------------- progress


def _write_big_mbox(path: Path, n_messages: int, body_bytes: int = 1000) -> None:
    body = (b"lorem ipsum " * (body_bytes // 12 + 1))[:body_bytes] + b"\n"
    with open(path, "wb") as handle:
        for i in range(n_messages):
            handle.write(
                b"From ada@example.com Thu Mar 14 09:05:12 2024\n"
                b"From: Ada Example <ada@example.com>\n"
                b"To: bo@example.org\n"
                b"Date: Thu, 14 Mar 2024 09:05:12 +0000\n"
                + f"Message-ID: <big{i}@example.com>\n\n".encode()
                + body
                + b"\n"
            )


def test_mbox_progress_moves_within_a_file_larger_than_the_interval(tmp_path):
    # ~3.2 MB, more than three of the reader's ~1 MiB reporting intervals.
    path = tmp_path / "big.mbox"
    _write_big_mbox(path, 3000)
    size = path.stat().st_size
    assert size > 3 * (1 << 20)
    seen: list[int] = []
    data = read_mbox(path, me=[ADA], progress=seen.append)
    assert len(data.events) == 3000
    assert len(seen) >= 3, "a multi-MiB mbox must report before it is done"
    assert seen == sorted(seen)
    assert 0 < seen[0] < size  # an intermediate report, not only the final one
    assert seen[-1] == size
    # Far fewer calls than messages: the hook costs nothing per message.
    assert len(seen) < 20


def test_mbox_progress_of_a_gzip_file_counts_compressed_bytes(tmp_path, monkeypatch):
    import trustgraph.ingest.email_reader as email_reader

    monkeypatch.setattr(email_reader, "_PROGRESS_EVERY", 4096)
    plain = tmp_path / "plain.mbox"
    _write_big_mbox(plain, 200)
    packed = tmp_path / "mail.mbox.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    seen: list[int] = []
    read_mbox(packed, me=[ADA], progress=seen.append)
    assert len(seen) > 1
    assert seen == sorted(seen)
    # Positions in the compressed file, comparable with its size on disk.
    assert seen[-1] == packed.stat().st_size
    assert max(seen) <= packed.stat().st_size


def test_mbox_without_progress_reads_the_same(tmp_path):
    path = tmp_path / "small.mbox"
    _write_big_mbox(path, 5)
    with_hook = read_mbox(path, me=[ADA], progress=lambda _: None)
    assert with_hook.events == read_mbox(path, me=[ADA]).events


def test_read_export_passes_progress_to_mbox_and_still_checks_options(tmp_path):
    from trustgraph.exceptions import ParameterError
    from trustgraph.ingest.exports import read_export

    path = tmp_path / "small.mbox"
    _write_big_mbox(path, 5)
    seen: list[int] = []
    read_export(path, me=[ADA], progress=seen.append)
    assert seen[-1] == path.stat().st_size
    with pytest.raises(ParameterError, match="date_format"):
        read_export(path, me=[ADA], progress=seen.append, date_format="dmy")


PIPERMAIL = (
    b"From ada at example.com  Sat Nov 14 21:29:28 2015\n"
    b"From: ada at example.com (Ada Example)\n"
    b"Date: Sat, 14 Nov 2015 21:29:28 +0100\n"
    b"Subject: [list] first post\n"
    b"Message-ID: <1@example.com>\n\n"
    b"Body.\n\n"
    b"From bo at example.org  Sun Nov 15 23:43:49 2015\n"
    b"From: bo at example.org (Bo Sample)\n"
    b"Date: Sun, 15 Nov 2015 23:43:49 +0100\n"
    b"Subject: Re: [list] first post\n"
    b"In-Reply-To: <1@example.com>\n"
    b"Message-ID: <2@example.com>\n\n"
    b"Reply.\n"
)


def test_mailing_list_archive_is_an_mbox_without_ties(tmp_path):
    # pipermail hides addresses ("ada at example.com") and removes To/Cc (issue 15): the
    # file is an mbox, its posters are read, and the report says why there is no event.
    path = tmp_path / "2015-November.txt"
    path.write_bytes(PIPERMAIL)
    assert detect_export(path) == "mbox"
    data = read_mbox(path)
    assert data.events == []
    assert [(c.id, c.display_name) for c in data.contacts] == [
        ("ada@example.com", "Ada Example"),
        ("bo@example.org", "Bo Sample"),
    ]
    report = data.reports[0]
    assert report.records["messages"] == 2
    assert "mailing-list archive" in report.variant
    assert any("0 person-to-person events" in note for note in report.notes)
    # 21:29:28 at +0100 is 20:29:28 UTC.
    assert report.first_seen == datetime(2015, 11, 14, 20, 29, 28, tzinfo=timezone.utc)


def test_archive_with_a_recipient_is_read_as_mail(tmp_path):
    path = tmp_path / "list.mbox"
    path.write_bytes(
        PIPERMAIL.replace(b"Subject: [list] first post\n", b"To: cy@example.net\n", 1)
    )
    data = read_mbox(path)
    assert [(e.sender, e.recipients) for e in data.events] == [
        ("ada@example.com", ("cy@example.net",))
    ]
    assert data.reports[0].skipped == {"no recipient address": 1}


def test_mbox_inside_a_zip_is_read_without_extracting(tmp_path):
    # groups.io ships a list's archive as messages.zip holding messages.mbox (perceval's
    # tests/data/groupsio/messages.zip); before, its zip bytes were refused as "not an mbox".
    import zipfile

    mbox = (
        b"From x@example.io Tue Sep 23 10:25:50 2014\nFrom: ada@example.io\n"
        b"To: list@example.io\nDate: Tue, 23 Sep 2014 10:25:15 -0700\n\nhi\n"
    )
    path = tmp_path / "messages.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("messages.mbox", mbox)
    data = read_mbox(path)
    assert [(e.sender, e.recipients) for e in data.events] == [
        ("ada@example.io", ("list@example.io",))
    ]
    assert data.events[0].timestamp.isoformat() == "2014-09-23T17:25:15+00:00"


def test_blank_lines_before_the_first_envelope_are_skipped(tmp_path):
    # Python's mailbox and other mbox readers skip them (held-out set 3, emx-mbox).
    path = tmp_path / "lead.mbox"
    path.write_bytes(
        b"\n\r\nFrom ada@example.org Mon Jan  1 10:00:00 2024\nFrom: Ada <ada@example.org>\n"
        b"To: Bo <bo@example.org>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nhello\n"
    )
    data = read_mbox(path)
    assert data.reports[0].records["messages"] == 1 and len(data.events) == 1
    only_blank = tmp_path / "blank.mbox"
    only_blank.write_bytes(b"\n\n")
    with pytest.raises(IngestError, match="only blank lines"):
        read_mbox(only_blank)
    not_mail = tmp_path / "text.mbox"
    not_mail.write_bytes(b"\nhello\n")
    with pytest.raises(IngestError, match="line 2 is not a 'From ' separator") as error:
        read_mbox(not_mail)
    assert error.value.line == 2
