"""Every WhatsApp layout and locale form of tests/fixtures/whatsapp, read two ways.

The expected counts are the table of tests/fixtures/whatsapp/README.md (worked out by hand
from the files); each row is checked through the public reader and through
``trustgraph inspect --json`` without ``--me``. Then the behaviours those fixtures exist
for: system lines authored by a contact or a group, skipped lines, the 12-hour edge
cases, ``Name:.`` in both families, and the detection hook.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trustgraph.cli.app import main
from trustgraph.exceptions import IngestError
from trustgraph.ingest.whatsapp import describe_whatsapp_miss, read_whatsapp, score_whatsapp
from trustgraph.ingest.whatsapp_layouts import LAYOUTS, clean, clock, match_header
from trustgraph.ingest.whatsapp_locales import MARKERS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "whatsapp"
ME = ["Ada Example"]


def _table() -> list[tuple[str, int, int, str, str]]:
    rows = []
    for line in (FIXTURES / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].endswith(".txt"):
            name, _, messages, participants, first, variant = cells
            rows.append((name, int(messages), int(participants), first, variant))
    return rows


ROWS = _table()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_the_table_lists_every_fixture():
    assert len(ROWS) >= 15
    assert sorted(r[0] for r in ROWS) == sorted(p.name for p in FIXTURES.glob("*.txt"))


@pytest.mark.parametrize(("name", "messages", "participants", "first", "variant"), ROWS)
def test_counts_through_the_reader(name, messages, participants, first, variant):
    report = read_whatsapp(FIXTURES / name).reports[0]
    assert report.records["messages"] == messages
    assert report.records["participants"] == participants
    assert report.first_seen.date().isoformat() == first
    assert report.variant.startswith(variant)


@pytest.mark.parametrize(("name", "messages", "participants", "first", "variant"), ROWS)
def test_counts_through_inspect_json(name, messages, participants, first, variant, capsys):
    assert main(["inspect", str(FIXTURES / name), "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["format"] == "whatsapp"
    assert report["records"]["messages"] == messages
    assert report["records"]["participants"] == participants
    assert report["first_seen"].startswith(first)
    assert report["variant"].startswith(variant)


def test_encryption_notice_authored_by_the_group_is_a_system_line():
    data = read_whatsapp(FIXTURES / "ios_time_first_group.txt", me=ME)
    people = {c.id for c in data.contacts}
    assert "wa-name:book club" not in people
    assert people == {"wa-name:ada example", "wa-name:bo sample", "wa-name:~ cy"}
    assert data.reports[0].records["system"] == 1
    assert data.events[2].n_chars == 0  # Cy's <attached: ...> is media, not text


def test_encryption_and_security_notices_authored_by_the_contact():
    data = read_whatsapp(FIXTURES / "ios_buddhist_era.txt", me=ME)
    report = data.reports[0]
    assert report.records["system"] == 2
    assert report.records["media"] == 2  # image omitted, "Notes.pdf • 2 pages document omitted"
    bo = [e for e in data.events if e.sender == "wa-name:bo sample"]
    assert [e.timestamp for e in bo] == [utc(2022, 3, 27, 21, 54, 45), utc(2023, 1, 7, 23, 32, 30)]


def test_japanese_eras_cross_from_heisei_to_reiwa():
    data = read_whatsapp(FIXTURES / "ios_japanese_era.txt", me=ME)
    assert [e.timestamp for e in data.events] == [
        utc(2019, 4, 30, 9, 0, 0),  # H31
        utc(2019, 5, 1, 0, 0, 10),  # R1
        utc(2022, 3, 18, 14, 56, 1),  # R4
        utc(2023, 1, 12, 2, 5, 44),  # R5
    ]


@pytest.mark.parametrize(
    ("name", "times"),  # (day, hour, minute) in March 2022, UTC
    [
        ("android_ar_digits.txt", [(18, 14, 56), (18, 14, 58), (19, 9, 10)]),
        ("android_th_digits.txt", [(18, 14, 56), (18, 14, 57), (19, 8, 0)]),
        ("android_hi_devanagari.txt", [(18, 14, 56), (18, 14, 57), (19, 9, 0)]),
        ("android_ko_dotted.txt", [(18, 14, 56), (18, 14, 57), (19, 0, 5)]),
        ("android_ja_marker_first.txt", [(18, 14, 56), (18, 14, 57), (19, 0, 30)]),
        ("android_hu_marker_first.txt", [(18, 14, 56), (18, 14, 57), (19, 9, 0)]),
    ],
)
def test_native_digits_and_clock_words(name, times):
    data = read_whatsapp(FIXTURES / name, me=ME)
    assert [e.timestamp for e in data.events] == [utc(2022, 3, *t) for t in times]


def test_localised_media_deleted_and_edited_markers():
    spanish = read_whatsapp(FIXTURES / "android_es_midnight.txt", me=ME)
    assert [e.n_chars for e in spanish.events] == [len("Hola a todos"), 0, 0, len("Nos vemos")]
    assert spanish.reports[0].records["media"] == 1
    german = read_whatsapp(FIXTURES / "android_de_24h.txt", me=ME)
    assert [e.n_chars for e in german.events] == [5, 0, 0, len("Bis später")]
    assert german.reports[0].records["system"] == 1  # German encryption notice


def test_hour_zero_with_a_morning_marker_is_accepted():
    # "06/20/2020, 00:08 a. m. - ... creó el grupo": a 24-hour time with a marker that
    # agrees with it; WhatsApp means eight minutes past midnight.
    report = read_whatsapp(FIXTURES / "android_es_midnight.txt").reports[0]
    assert report.first_seen == utc(2020, 6, 20, 0, 8)
    assert not report.skipped


def test_bad_lines_are_skipped_and_counted_not_the_file():
    data = read_whatsapp(FIXTURES / "android_bad_lines.txt", me=ME)
    report = data.reports[0]
    assert dict(report.skipped) == {
        "time that does not exist or that its AM/PM marker contradicts": 2,  # 14:00 AM, 0:05 PM
        "date that does not exist when read as mdy": 1,  # 2/30/22
    }
    assert [e.timestamp for e in data.events] == [
        utc(2022, 3, 18, 14, 56),
        utc(2022, 3, 18, 15, 1),
        utc(2022, 3, 19, 0, 8),
    ]


def test_chronology_decides_an_order_the_days_leave_open():
    data = read_whatsapp(FIXTURES / "android_ambiguous_chronology.txt", me=ME)
    assert [e.timestamp.date() for e in data.events][:3] == [
        utc(2022, 1, 11).date(),
        utc(2022, 1, 12).date(),
        utc(2022, 2, 1).date(),
    ]
    forced = read_whatsapp(FIXTURES / "android_ambiguous_chronology.txt", date_format="dmy")
    assert forced.events[0].timestamp == utc(2022, 11, 1, 10, 0)


def test_disappearing_placeholder_reads_the_same_in_both_families():
    android = read_whatsapp(FIXTURES / "android_disappearing.txt", me=ME)
    ios = read_whatsapp(FIXTURES / "ios_disappearing.txt", me=ME)
    for data in (android, ios):
        assert [(e.sender, e.n_chars) for e in data.events] == [
            ("wa-name:bo sample", 0),
            ("wa-name:ada example", 2),
        ]
        assert data.reports[0].records["system"] == 1


def test_most_lines_invalid_in_a_forced_order_refuse_the_file():
    with pytest.raises(IngestError, match=r"date is not valid when read as dmy"):
        read_whatsapp(FIXTURES / "us_12h_group.txt", date_format="dmy")


def test_every_language_table_has_the_same_keys():
    assert len(MARKERS) >= 15
    keys = {frozenset(table) for table in MARKERS.values()}
    assert len(keys) == 1
    for language, table in MARKERS.items():
        assert table["media"] and table["deleted"] and table["encryption"], language


def test_twelve_layouts_each_recognised_by_its_example():
    assert len(LAYOUTS) == 12
    for name, example in LAYOUTS.items():
        match = match_header(clean(example + "Ada: hi"))
        assert match is not None, name
        assert match["rest"] == "Ada: hi"


@pytest.mark.parametrize(
    ("time", "mark", "expected"),
    [("12:00", "AM", (0, 0, 0)), ("12:00", "PM", (12, 0, 0)), ("1:15", "p. m.", (13, 15, 0)),
     ("2:56", "م", (14, 56, 0)), ("9:00", "de.", (9, 0, 0)), ("2:56", "du.", (14, 56, 0)),
     ("13:05", "p. m.", (13, 5, 0)), ("00:08", "a. m.", (0, 8, 0))],
)  # fmt: skip
def test_clock_words(time, mark, expected):
    assert clock(time, mark) == expected


@pytest.mark.parametrize(("time", "mark"), [("0:05", "PM"), ("14:00", "AM"), ("24:00", None)])
def test_clock_contradictions(time, mark):
    with pytest.raises(ValueError):
        clock(time, mark)


def test_detection_hook():
    head = (FIXTURES / "us_12h_group.txt").read_text(encoding="utf-8")
    assert score_whatsapp(head) == pytest.approx(8 / 9)  # one continuation line of nine
    assert score_whatsapp("") == 0.0
    assert score_whatsapp("First Name,Last Name\nAda,Example\n") == 0.0
    miss = describe_whatsapp_miss("First Name,Last Name\nAda,Example\n")
    assert miss.startswith("WhatsApp: no line starts with a date-time header in the 12 layouts")
    assert "8 of 9" in describe_whatsapp_miss(head)


def test_a_chinese_ios_chat_counts_the_notice_as_system_and_the_placeholder_as_media(tmp_path):
    # iOS in a Chinese locale: year first, the encryption notice under the first author's
    # name; counts written by hand from the four lines.
    path = tmp_path / "_chat.txt"
    path.write_text(
        "[2023/8/14 06:20:31] 米拉: 消息和通话已进行端到端加密。只有此聊天中的成员可以查看。\n"
        "[2023/8/14 06:21:00] 米拉: 你好\n"
        "[2023/8/14 06:22:00] 托马斯: <省略影音内容>\n"
        "[2023/8/14 06:23:00] 托马斯: 这条消息已删除\n",
        encoding="utf-8",
    )
    records = read_whatsapp(path).reports[0].records
    assert (records["messages"], records["system"], records["media"]) == (3, 1, 1)
    assert records["participants"] == 2
