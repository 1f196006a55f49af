"""The block scanner of the WhatsApp reader and the layouts the held-out set added (issue 15).

The scanner reads a chat a block of lines at a time; the line-by-line
:func:`~trustgraph.ingest.whatsapp_lines.parse_lines` is its oracle: both must give the
same messages for every fixture, whatever the block size. The layouts are those of
tests/fixtures/heldout (Pustur's formats 3, 6 and 10), each checked by hand-worked dates.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.ingest import whatsapp_scan
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.textio import read_text_lines
from trustgraph.ingest.whatsapp import describe_whatsapp_miss, read_whatsapp, score_whatsapp
from trustgraph.ingest.whatsapp_lines import parse_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CHATS = sorted(
    [
        *(FIXTURES / "whatsapp").glob("*.txt"),
        *(FIXTURES / "heldout").glob("*.txt"),
        *(FIXTURES / "exports" / "whatsapp").glob("*.txt"),
    ]
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def _scan(path: Path) -> tuple[list[tuple], dict]:
    report = ReadReport(str(path), "whatsapp")
    with open(path, "rb") as handle:
        lines = whatsapp_scan.scan_blocks(whatsapp_scan.chat_blocks(handle, str(path)), report)
    return [astuple(line) for line in lines], dict(report.skipped)


def _per_line(path: Path) -> tuple[list[tuple], dict]:
    report = ReadReport(str(path), "whatsapp")
    lines = parse_lines(read_text_lines(path), report)
    return [astuple(line) for line in lines], dict(report.skipped)


@pytest.mark.parametrize("path", CHATS, ids=[p.name for p in CHATS])
def test_block_scanner_agrees_with_the_line_reader(path, monkeypatch):
    expected = _per_line(path)
    assert _scan(path) == expected
    # Blocks of a few bytes cut messages, CRLF pairs and UTF-8 characters anywhere.
    monkeypatch.setattr(whatsapp_scan, "_BLOCK_BYTES", 7)
    assert _scan(path) == expected


def test_continuation_lengths_line_endings_and_text_before_the_first_header(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes(
        b"notes\r\n\r\n14/03/2024, 09:00 - Ada: hi\r\nsecond\r\n\r\n"
        b"14/03/2024, 09:01 - Bo: ok\rlast"
    )
    lines, skipped = _scan(path)
    # "hi" + "\nsecond" + "\n" (the blank line); "ok" + "\nlast" (no final newline)
    assert [(line[0], line[5], line[6]) for line in lines] == [(3, "Ada", 10), (6, "Bo", 7)]
    assert skipped == {"text before the first message header": 1}


def test_android_header_with_a_colon_after_the_time(tmp_path):  # Pustur format 3
    path = tmp_path / "chat.txt"
    path.write_text(
        "13.06.18 21.25.15: Ada: hello\n14.06.18 08.00.00: Bo: hi\n"
        '14.06.18 08.01.00: Bo created group "x"\n',
        encoding="utf-8",
    )
    data = read_whatsapp(path, me=["Ada"])
    assert [(e.timestamp, e.sender) for e in data.events] == [
        (utc(2018, 6, 13, 21, 25, 15), "wa-name:ada"),
        (utc(2018, 6, 14, 8, 0), "wa-name:bo"),
    ]
    assert data.reports[0].records["system"] == 1


def test_android_header_with_spaces_after_the_dots_and_no_separator(tmp_path):  # format 6
    path = tmp_path / "chat.txt"
    path.write_text(
        "13. 6. 2018. 21:25:15 Ada: hello\nsee you at\n1. 7. 2018. 9:05:00 Bo: ok\n",
        encoding="utf-8",
    )
    data = read_whatsapp(path, me=["Ada"])
    assert [(e.timestamp, e.sender, e.n_chars) for e in data.events] == [
        (utc(2018, 6, 13, 21, 25, 15), "wa-name:ada", len("hello\nsee you at")),
        (utc(2018, 7, 1, 9, 5), "wa-name:bo", 2),
    ]


def test_dashless_headers_are_read_only_when_the_first_header_is_dashless(tmp_path):
    # In a chat of " - " headers, a message quoting a date, a time and "Name: " continues.
    path = tmp_path / "chat.txt"
    path.write_text(
        "14/03/2024, 09:00 - Ada: the log says\n13.06.18 21.25.15: Bo: hello\n"
        "14/03/2024, 09:01 - Bo: ok\n",
        encoding="utf-8",
    )
    data = read_whatsapp(path, me=["Ada"])
    assert [(e.sender, e.n_chars) for e in data.events] == [
        ("wa-name:ada", len("the log says\n13.06.18 21.25.15: Bo: hello")),
        ("wa-name:bo", 2),
    ]
    assert score_whatsapp("14/03/2024, 09:00 - Ada: a\n13.06.18 21.25.15: Bo: b\n") == 0.5
    assert score_whatsapp("13.06.18 21.25.15: Bo: b\n14/03/2024, 09:00 - Ada: a\n") == 1.0
    # Only after a dotted date: these are logs, not a WhatsApp layout (test_hostile_files).
    assert score_whatsapp("1/13/24 9:03 PM: Ada: hello\n") == 0.0
    assert score_whatsapp("2024-01-13 21:03:12 Ada Example: hello\n") == 0.0


@pytest.mark.parametrize(
    ("first", "order"), [("[06/2018/13, 21:25:15]", "mdy"), ("[13/2018/06, 21:25:15]", "dmy")]
)
def test_year_in_the_middle(tmp_path, first, order):  # Pustur format 10
    path = tmp_path / "chat.txt"
    path.write_text(f"{first} Ada: hello\n[07/2018/01, 09:00:00] Bo: ok\n", encoding="utf-8")
    data = read_whatsapp(path, me=["Ada"])
    second = utc(2018, 7, 1, 9) if order == "mdy" else utc(2018, 1, 7, 9)
    assert [e.timestamp for e in data.events] == [utc(2018, 6, 13, 21, 25, 15), second]
    assert f"ios, {order}" in data.reports[0].variant


def test_a_miss_is_described_without_quoting_the_file():
    secret = "Meet me at the back door, bring the money; 9pm"
    saw = describe_whatsapp_miss(f"{secret}\nmore\n")
    assert saw.startswith("WhatsApp: no line starts with a date-time header")
    for word in ("Meet", "door", "money", "9pm"):
        assert word not in saw
    assert f"{len(secret)} characters" in saw and "2 comma-separated fields" in saw


@pytest.mark.parametrize(
    ("first", "second", "when"),
    [
        ("09/12/2012 17:02:35", "15/12/2012 10:04:37", (2012, 12, 9, 17, 2, 35)),
        ("30-01-16 12:51:20", "01-02-16 08:00:00", (2016, 1, 30, 12, 51, 20)),
    ],
)
def test_slash_or_dash_date_a_space_and_a_colon_after_the_time(tmp_path, first, second, when):
    # nmoya/whatsapp-parser and Voles/node-whatsapp-parser: "date time: Name: text".
    path = tmp_path / "chat.txt"
    path.write_text(
        f"{first}: Ada: hello\nsecond line\n{second}: Bo: ok\n{second}: Bo left\n",
        encoding="utf-8",
    )
    data = read_whatsapp(path, me=["Ada"])
    assert [(e.timestamp, e.sender, e.n_chars) for e in data.events] == [
        (utc(*when), "wa-name:ada", len("hello\nsecond line")),
        (data.events[1].timestamp, "wa-name:bo", 2),
    ]
    # The day/month order is decided over the whole file: the second date shows it.
    assert data.events[1].timestamp.day in (15, 1) and "dmy" in data.reports[0].variant
    assert data.reports[0].records["system"] == 1
    assert score_whatsapp(f"{first}: Ada: hello\n") == 1.0


def test_colon_after_the_time_is_a_quotation_in_a_dash_chat(tmp_path):
    path = tmp_path / "chat.txt"
    quoted = "the log says\n09/12/2012 17:02:35: Bo: hello\n30-01-16 12:51:20: Bo: hi"
    path.write_text(
        f"14/03/2024, 09:00 - Ada: {quoted}\n14/03/2024, 09:01 - Bo: ok\n", encoding="utf-8"
    )
    data = read_whatsapp(path, me=["Ada"])
    assert [(e.sender, e.n_chars) for e in data.events] == [
        ("wa-name:ada", len(quoted)),
        ("wa-name:bo", 2),
    ]
    # Neither a 12-hour time, nor a time without seconds, nor a year-first date.
    for line in (
        "1/13/24 9:03 PM: Ada: hi",
        "1/13/24 21:03: Ada: hi",
        "2024-01-13 21:03:12: A: b",
    ):
        assert score_whatsapp(line + "\n") == 0.0
