"""Hostile and damaged input files (issue 16: S5, D2, T2, T4, T5, T9, P1, P2, P4).

Every failure must be one :class:`IngestError` naming the file (and the line where there is
one), never a raw traceback, a hang or unbounded memory; through the CLI, ``inspect`` and
``ingest`` exit 1 with one line on stderr. Where the format allows, bad records are skipped
and counted instead.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import signal
import struct
import sys
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import pytest

from trustgraph.cli.app import main
from trustgraph.exceptions import IngestError
from trustgraph.ingest import _exportfiles, textio
from trustgraph.ingest.contacts_csv import read_contacts, read_conversations
from trustgraph.ingest.detect import detect_format, read_graph
from trustgraph.ingest.edgecolumns import read_edge_columns
from trustgraph.ingest.edgelist import read_edgelist
from trustgraph.ingest.exports import detect_export, read_export
from trustgraph.ingest.linkedin import read_linkedin
from trustgraph.ingest.load import detect_source, load_inputs
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON

MiB = 1024 * 1024


# ----------------------------------------------------------------------------- helpers
def cli_error(capsys, *args) -> str:
    """Run the CLI; assert exit 1 with exactly one ``trustgraph: error:`` line; return it."""
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1, err
    assert len(lines) == 1, err
    assert lines[0].startswith("trustgraph: error: "), err
    assert "Traceback" not in err
    return lines[0]


def assert_cli_fails(capsys, tmp_path, path, *words) -> None:
    """``inspect`` and ``ingest`` both fail with one line naming `path` and `words`."""
    out = tmp_path / "cli-out.graphml"
    for args in (["inspect", "-q", path], ["ingest", "-q", path, "-o", out]):
        line = cli_error(capsys, *args)
        assert Path(path).name in line, line
        for word in words:
            assert word.lower() in line.lower(), line
    assert not out.exists()


def slack_members(day=None) -> list[tuple[str, bytes]]:
    users = [{"id": "U1", "real_name": "Ada"}, {"id": "U2", "real_name": "Bo"}]
    messages = [{"type": "message", "user": "U1", "text": "hi", "ts": "1710407112.000100"}]
    return [
        ("users.json", json.dumps(users).encode()),
        ("dms.json", json.dumps([{"id": "D1", "members": ["U1", "U2"]}]).encode()),
        ("D1/2024-03-14.json", json.dumps(messages).encode() if day is None else day),
    ]


def write_zip(path: Path, members, compression=zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name" is what some tests want
        with zipfile.ZipFile(path, "w", compression) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return path


def patch_member(path: Path, member: str, *, flags: int | None = None, method: int | None = None):
    """Rewrite the general-purpose flags or compression method of `member` in place (in the
    local header and the central directory), as an encrypting or Deflate64 zipper would."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    local = info.header_offset
    central = data.find(b"PK\x01\x02" + bytes(data[local + 4 : local + 6]))
    while data[central + 46 : central + 46 + len(member)] != member.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    for offset, value in ((6, flags), (8, method)):
        if value is not None:
            struct.pack_into("<H", data, local + offset, value)
            struct.pack_into("<H", data, central + offset + 2, value)
    path.write_bytes(bytes(data))


def corrupt_member(path: Path, member: str) -> None:
    """Overwrite the start of `member`'s deflate stream with an invalid block type."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    data[start : start + 4] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (a FIFO blocks ``open`` until a writer comes)."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def peak_memory(function, *args, **kwargs):
    """(result or exception, peak bytes allocated by Python while calling `function`)."""
    tracemalloc.start()
    try:
        try:
            outcome = function(*args, **kwargs)
        except Exception as exc:
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ----------------------------------------------------------------------------- S5 zip bombs
@pytest.fixture(scope="module")
def slack_bomb(tmp_path_factory) -> Path:
    """A Slack zip of ~200 KB whose day file inflates to 200 MB of blanks."""
    path = tmp_path_factory.mktemp("bomb") / "slack.zip"
    write_zip(path, slack_members()[:2])
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("D1/2024-03-14.json", "w", force_zip64=True) as sink,
    ):
        sink.write(b"[")
        block = b" " * MiB
        for _ in range(200):
            sink.write(block)
        sink.write(b"]")
    assert path.stat().st_size < 2 * MiB
    return path


def test_zip_bomb_is_refused_quickly_without_inflating(slack_bomb):
    outcome, peak = peak_memory(read_export, slack_bomb)
    assert isinstance(outcome, IngestError), outcome
    assert "D1/2024-03-14.json" in str(outcome)
    assert outcome.path == str(slack_bomb)
    assert "compress" in str(outcome)
    assert peak < 32 * MiB


def test_zip_bomb_through_the_cli(capsys, tmp_path, slack_bomb):
    assert_cli_fails(capsys, tmp_path, slack_bomb, "2024-03-14.json")


def test_member_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "MAX_MEMBER_BYTES", 50)
    path = write_zip(tmp_path / "slack.zip", slack_members())
    with pytest.raises(IngestError, match=r"slack\.zip!users\.json: .*larger than"):
        read_export(path)


def test_many_small_members_bomb(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "RATIO_MIN_BYTES", MiB)
    day = b"[" + b" " * 200_000 + b"]"
    members = slack_members()[:2] + [(f"D1/2024-03-{i:02d}.json", day) for i in range(1, 29)]
    path = write_zip(tmp_path / "slack.zip", members)
    with pytest.raises(IngestError, match=r"slack\.zip: the archive would decompress"):
        read_export(path)


def test_ratio_cap_spares_small_members(tmp_path):
    # Tiny, very repetitive JSON files compress far beyond the ratio: they are fine.
    day = json.dumps(
        [
            {"type": "message", "user": "U1", "text": "", "ts": "1710407112.000100"},
            {"type": "message", "user": "U2", "text": " " * 60_000, "ts": "1710407113.0"},
        ]
    ).encode()
    data = read_export(write_zip(tmp_path / "slack.zip", slack_members(day)))
    assert len(data.events) == 2


def test_gzip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "RATIO_MIN_BYTES", 64 * 1024)
    path = tmp_path / "edges.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" + b" " * 4 * MiB))
    with pytest.raises(IngestError, match="compress"):
        read_graph(path)


def test_linkedin_zip_bomb(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "RATIO_MIN_BYTES", 64 * 1024)
    header = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    row = b"Ada,Example,https://www.linkedin.com/in/ada-example,,Acme,CTO,15 Mar 2024\n"
    path = write_zip(tmp_path / "linkedin.zip", [("Connections.csv", header + row * 50_000)])
    with pytest.raises(IngestError, match=r"linkedin\.zip: .*compress.*'Connections\.csv'"):
        read_linkedin(path)
    # With an incompressible photo beside it the archive as a whole looks ordinary: the
    # member itself is refused before it is inflated.
    photo = ("photo.jpg", random.Random(0).randbytes(4 * MiB))
    path = write_zip(path, [("Connections.csv", header + row * 50_000), photo])
    with pytest.raises(IngestError, match=r"linkedin\.zip!Connections\.csv: .*compress"):
        read_linkedin(path)


# ----------------------------------------------------------------------------- D2 duplicates
def test_duplicate_member_names_are_never_read_twice(tmp_path):
    second = json.dumps(
        [{"type": "message", "user": "U2", "text": "yo", "ts": "1710407200.000100"}]
    ).encode()
    path = write_zip(tmp_path / "slack.zip", [*slack_members(), ("D1/2024-03-14.json", second)])
    with pytest.raises(IngestError, match=r"2 members named 'D1/2024-03-14\.json'") as info:
        read_export(path)
    assert info.value.path == str(path)


def test_duplicate_member_names_linkedin(tmp_path):
    header = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    row = b"Ada,Example,https://www.linkedin.com/in/ada-example,,Acme,CTO,15 Mar 2024\n"
    path = write_zip(
        tmp_path / "linkedin.zip", [("Connections.csv", header + row), ("Connections.csv", header)]
    )
    with pytest.raises(IngestError, match=r"2 members named 'Connections\.csv'"):
        read_linkedin(path)


def test_duplicate_members_through_the_cli(capsys, tmp_path):
    path = write_zip(tmp_path / "slack.zip", [*slack_members(), *slack_members()[2:]])
    assert_cli_fails(capsys, tmp_path, path, "2 members named")


# ----------------------------------------------------------------------------- T5 bad members
def test_corrupt_member(tmp_path, capsys):
    path = write_zip(tmp_path / "slack.zip", slack_members())
    corrupt_member(path, "D1/2024-03-14.json")
    with pytest.raises(IngestError, match=r"slack\.zip!D1/2024-03-14\.json: .*corrupt"):
        read_export(path)
    assert_cli_fails(capsys, tmp_path, path, "2024-03-14.json", "corrupt")


def test_encrypted_member(tmp_path, capsys):
    path = write_zip(tmp_path / "slack.zip", slack_members())
    patch_member(path, "users.json", flags=0x1)
    with pytest.raises(IngestError, match=r"slack\.zip!users\.json: .*encrypted"):
        read_export(path)
    assert_cli_fails(capsys, tmp_path, path, "users.json", "encrypted")


def test_unsupported_compression(tmp_path, capsys):
    path = write_zip(tmp_path / "slack.zip", slack_members(), zipfile.ZIP_STORED)
    patch_member(path, "dms.json", method=9)  # Deflate64, which Windows uses
    with pytest.raises(IngestError, match=r"slack\.zip!dms\.json: .*compression method"):
        read_export(path)
    assert_cli_fails(capsys, tmp_path, path, "dms.json", "compression method")


def test_bad_linkedin_member(tmp_path):
    header = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    path = write_zip(tmp_path / "linkedin.zip", [("Connections.csv", header * 20)])
    corrupt_member(path, "Connections.csv")
    with pytest.raises(IngestError, match=r"linkedin\.zip!Connections\.csv: .*corrupt"):
        read_linkedin(path)
    patch_member(path, "Connections.csv", flags=0x1)
    with pytest.raises(IngestError, match="encrypted"):
        read_linkedin(path)


@pytest.mark.parametrize("name", ["slack.zip", "export"])
def test_truncated_zip(tmp_path, capsys, name):
    whole = write_zip(tmp_path / "whole.zip", slack_members())
    path = tmp_path / name
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(IngestError, match="truncated or damaged zip") as info:
        detect_source(path)
    assert info.value.path == str(path)
    for reader in (read_export, read_linkedin, detect_export, detect_format):
        with pytest.raises(IngestError, match="truncated or damaged zip"):
            reader(path)
    assert_cli_fails(capsys, tmp_path, path, "truncated or damaged zip")


# ----------------------------------------------------------------------------- P1 gzip
def truncated_gzip(path: Path, text: bytes) -> Path:
    packed = gzip.compress(text * 2000)
    path.write_bytes(packed[: len(packed) // 2])
    return path


TRUNCATED = {
    "edges.csv.gz": b"a,b\n",
    "contacts.csv.gz": b"id,name\nada,Ada\n",
    "conversations.csv.gz": b"timestamp,sender,recipients\n2024-03-01T10:00:00Z,ada,bo\n",
    "chat.txt.gz": b"12/03/2024, 09:15 - Ada Example: hi\n",
    "inbox.mbox.gz": b"From a@example.com Thu Mar 14 09:00:00 2024\nFrom: a@example.com\n"
    b"To: b@example.org\nDate: Thu, 14 Mar 2024 09:00:00 +0000\n\nhello\n\n",
    "contacts.vcf.gz": b"BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEMAIL:ada@example.com\nEND:VCARD\n",
    "graph.graphml.gz": b'<?xml version="1.0"?><graphml><graph edgedefault="directed">'
    + b'<node id="a"/>' * 50,
    "graph.json.gz": b'{"directed": true, "nodes": [' + b'{"id": 1}, ' * 50,
    "result.json.gz": b'{"personal_information": {"user_id": 1}, "chats": {"list": [' * 5,
}


@pytest.mark.parametrize("name", sorted(TRUNCATED))
def test_truncated_gzip(tmp_path, capsys, name):
    path = truncated_gzip(tmp_path / name, TRUNCATED[name])
    assert_cli_fails(capsys, tmp_path, path, "truncated gzip")


def test_truncated_gzip_in_the_library(tmp_path):
    path = truncated_gzip(tmp_path / "edges.csv.gz", b"a,b\n")
    for call in (read_graph, read_edgelist, detect_source):
        with pytest.raises(IngestError, match="truncated gzip") as info:
            call(path)
        assert info.value.path == str(path)
    with pytest.raises(IngestError, match="truncated gzip"):
        read_edge_columns(path, engine="python")
    contacts = truncated_gzip(tmp_path / "contacts.csv.gz", b"id,name\nada,Ada\n")
    with pytest.raises(IngestError, match="truncated gzip"):
        read_contacts(contacts)


def test_corrupt_gzip(tmp_path):
    packed = bytearray(gzip.compress(b"a,b\n" * 5000))
    packed[20:24] = b"\xff\xff\xff\xff"
    path = tmp_path / "edges.csv.gz"
    path.write_bytes(bytes(packed))
    with pytest.raises(IngestError, match="corrupt gzip"):
        read_graph(path)


# ----------------------------------------------------------------------------- P4 FIFOs
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
@pytest.mark.parametrize("name", ["x.csv", "chat.txt", "export.zip", "graph"])
def test_fifo_is_refused_up_front(tmp_path, capsys, name):
    path = tmp_path / name
    os.mkfifo(path)
    with deadline(20):
        for call in (detect_source, read_graph, read_export, read_contacts, read_linkedin):
            with pytest.raises(IngestError, match="named pipe") as info:
                call(path)
            assert info.value.path == str(path)
        with pytest.raises(IngestError, match="named pipe"):
            load_inputs([path])
        assert_cli_fails(capsys, tmp_path, path, "not a regular file")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_device_is_refused(capsys, tmp_path):
    with pytest.raises(IngestError, match="character device"):
        read_edgelist("/dev/null")
    assert_cli_fails(capsys, tmp_path, "/dev/null", "not a regular file")


# ----------------------------------------------------------------------------- T4 CR-only
def test_cr_only_edge_list(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_bytes(b"source,target,weight\ra,b,1\rb,c,2.5\r")
    for engine in ("python", "auto"):
        columns = read_edge_columns(path, engine=engine)
        assert columns.sources.tolist() == ["a", "b"]
        assert columns.weights.tolist() == [1.0, 2.5]
        assert columns.lines.tolist() == [2, 3]
    graph = read_graph(path)
    assert sorted(graph.edges(data="weight")) == [("a", "b", 1.0), ("b", "c", 2.5)]


def test_cr_only_integer_edge_list(tmp_path):
    path = tmp_path / "edges.txt"
    path.write_bytes(b"# comment\r1 2\r2 3\r3 1")
    graph = read_graph(path)
    assert sorted(graph.edges) == [(1, 2), (2, 3), (3, 1)]


def test_cr_only_contacts(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(b'id,name,email\rada,"Ada, Example",ada@example.com\rbo,Bo,bo@example.org\r')
    assert detect_source(path) == "contacts-csv"
    report = ReadReport(path="", format="")
    contacts = read_contacts(path, report=report)
    assert [(c.id, c.display_name) for c in contacts] == [
        ("ada", "Ada, Example"),
        ("bo", "Bo"),
    ]


def test_cr_only_conversations(tmp_path, capsys):
    path = tmp_path / "conversations.csv"
    path.write_bytes(
        b"timestamp,sender,recipients\r2024-03-01T10:00:00Z,ada,bo\r2024-03-02T10:00:00Z,bo,ada\r"
    )
    assert detect_source(path) == "conversations-csv"
    events = read_conversations(path)
    assert [(e.sender, e.recipients) for e in events] == [("ada", ("bo",)), ("bo", ("ada",))]
    assert main(["inspect", "-q", str(path)]) == 0


def test_mixed_line_ends_count_lines(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_bytes(b"source,target\r\na,b\rb,c\nc,d\r\nd,x,y\n")
    with pytest.raises(IngestError, match="found 3 columns") as info:
        read_edge_columns(path, engine="python")
    assert info.value.line == 5


def test_line_numbers_unchanged_for_ordinary_files():
    lines = list(textio.read_text_lines(Path(__file__)))
    assert len(lines) == len(Path(__file__).read_text().splitlines())


# ----------------------------------------------------------------------------- T9 huge lines
def test_overlong_line_is_refused_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "MAX_LINE_BYTES", 64 * 1024)
    path = tmp_path / "edges.txt"
    with path.open("wb") as sink:
        sink.write(b"1 2\n")
        for _ in range(32):
            sink.write(b"7 " * (MiB // 2))
    outcome, peak = peak_memory(read_graph, path)
    assert isinstance(outcome, IngestError), outcome
    assert outcome.line == 2
    assert "longer than" in outcome.problem
    assert peak < 8 * MiB


def test_overlong_line_through_the_cli(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(textio, "MAX_LINE_BYTES", 1024)
    path = tmp_path / "edges.csv"
    path.write_bytes(b"source,target\na,b\n" + b"c," + b"d" * 5000 + b"\n")
    assert_cli_fails(capsys, tmp_path, path, ":3:", "longer than")
    contacts = tmp_path / "contacts.csv"
    contacts.write_bytes(b"id,name\nada," + b"A" * 5000 + b"\n")
    with pytest.raises(IngestError, match="longer than") as info:
        read_contacts(contacts)
    assert info.value.line == 2


def test_cr_only_file_is_split_before_the_line_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "MAX_LINE_BYTES", 1024)
    path = tmp_path / "edges.txt"
    path.write_bytes(b"".join(b"%d %d\r" % (i, i + 1) for i in range(2000)))
    assert read_graph(path).number_of_edges() == 2000


@pytest.mark.parametrize("where", ["header", "row"])
def test_overlong_csv_field(tmp_path, capsys, where):
    field = '"' + "x" * 200_000 + '"'
    path = tmp_path / "contacts.csv"
    if where == "header":
        path.write_text(f"id,name,{field}\nada,Ada,1\n")
        line = 1
    else:
        path.write_text(f"id,name\nada,Ada\nbo,{field}\n")
        line = 3
    with pytest.raises(IngestError, match="field longer than") as info:
        read_contacts(path)
    assert info.value.line == line
    assert_cli_fails(capsys, tmp_path, path, f":{line}:", "field longer than")


def test_overlong_quoted_field_in_edge_list(tmp_path, capsys):
    path = tmp_path / "edges.csv"
    path.write_text('source,target\na,b\n"' + "x" * 200_000 + '",b\n')
    with pytest.raises(IngestError, match="field longer than") as info:
        read_edge_columns(path, engine="python")
    assert info.value.line == 3
    assert_cli_fails(capsys, tmp_path, path, ":3:", "field longer than")


def test_multiline_field_spanning_the_file(tmp_path):
    path = tmp_path / "conversations.csv"
    path.write_text(
        'timestamp,sender,recipients\n2024-03-01T10:00:00Z,ada,"bo\n' + "x\n" * 100_000
    )
    with pytest.raises(IngestError, match="field longer than") as info:
        read_conversations(path)
    assert info.value.line == 2


# ----------------------------------------------------------------------------- T2 timestamps
def test_out_of_range_conversation_rows_are_skipped_and_counted(tmp_path, capsys):
    path = tmp_path / "conversations.csv"
    path.write_text(
        "timestamp,sender,recipients\n"
        "2024-03-01T10:00:00Z,ada,bo\n"
        "9999-12-31T23:59:59-12:00,bo,ada\n"
        "0001-01-01T00:00:00+01:00,bo,ada\n"
        "99999999999999999999,bo,ada\n"
    )
    report = ReadReport(path="", format="")
    events = read_conversations(path, report=report)
    assert len(events) == 1
    assert report.skipped == {f"timestamp {OUT_OF_RANGE_REASON}": 3}
    assert main(["inspect", "-q", str(path)]) == 0
    out = tmp_path / "g.graphml"
    assert main(["ingest", "-q", str(path), "-o", str(out), "--me", "ada"]) == 0


def test_year_9999_conversation_still_builds(tmp_path):
    path = tmp_path / "conversations.csv"
    path.write_text(
        "timestamp,sender,recipients\n2024-03-01T10:00:00Z,ada,bo\n"
        "9999-12-29T23:59:59Z,bo,ada\n0001-01-03T00:00:00Z,ada,bo\n"
    )
    assert len(read_conversations(path)) == 3
    out = tmp_path / "g.graphml"
    assert main(["ingest", "-q", str(path), "-o", str(out), "--me", "ada"]) == 0


def test_out_of_range_connected_on(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("id,connected_on\nada,2024-03-01\nbo,9999-12-31T23:59:59-12:00\n")
    with pytest.raises(IngestError, match="out of range") as info:
        read_contacts(path)
    assert info.value.line == 3


@pytest.mark.parametrize(
    "stamp", ["12345678901234567890", "-99999999999999", "9999-12-31T23:59:59-12:00"]
)
def test_out_of_range_edge_timestamp(tmp_path, capsys, stamp):
    path = tmp_path / "edges.csv"
    path.write_text(f"source,target,weight,timestamp\na,b,1,1700000000\nb,a,1,{stamp}\n")
    with pytest.raises(IngestError, match="out of range") as info:
        read_edgelist(path)
    assert info.value.line == 3
    assert_cli_fails(capsys, tmp_path, path, ":3:", "out of range")


# ----------------------------------------------------------------------------- P2 detection
def test_cjk_whatsapp_chat_is_not_an_edge_list(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "2024/1/13 下午9:03 - Ada: hello there\n2024/1/13 下午9:04 - Bo: hi\n", encoding="utf-8"
    )
    assert detect_source(path) == "whatsapp"
    data = read_export(path, me=["Ada"])
    assert len(data.events) == 2
    assert data.events[0].timestamp.hour == 21


@pytest.mark.parametrize(
    "lines",
    [
        ["13.01.2024 um 21:03 - Ada: hello there", "13.01.2024 um 21:04 - Bo: hi"],
        ["2024-01-13 21:03:12 Ada Example: hello", "2024-01-13 21:04:00 Bo: hi there"],
        ["1/13/24 9:03 PM: Ada: hello", "1/13/24 9:04 PM: Bo: hi", "and more"],
    ],
)
@pytest.mark.parametrize("name", ["chat.txt", "chat.log", "chat.csv"])
def test_unsupported_chat_layout_is_named(tmp_path, capsys, lines, name):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match="looks like a chat export"):
        read_graph(path)
    assert_cli_fails(capsys, tmp_path, path, "looks like a chat export")


def test_signal_chat_md(tmp_path, capsys):
    folder = tmp_path / "Bo Sample"
    folder.mkdir()
    path = folder / "chat.md"
    path.write_text("[2024-03-14 09:05:12] Me: Running late\n[2024-03-14 09:06:00] Bo: ok\n")
    assert_cli_fails(capsys, tmp_path, path, "Signal")
    line = cli_error(capsys, "inspect", "-q", folder)
    assert "Signal" in line


@pytest.mark.parametrize("name", ["message_1.html", "messages/inbox/bo_1/message_1.html"])
def test_messenger_html_export(tmp_path, capsys, name):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<!DOCTYPE html><html><head><title>Bo</title></head><body>hi</body></html>")
    assert detect_export(path) == "messenger"
    assert detect_export(tmp_path) == "messenger"
    assert_cli_fails(capsys, tmp_path, path, "JSON")
    assert_cli_fails(capsys, tmp_path, tmp_path, "JSON")


def test_html_page_is_not_called_xml(tmp_path, capsys):
    path = tmp_path / "page.html"
    path.write_text("<!doctype html><html><body>my contacts</body></html>")
    assert_cli_fails(capsys, tmp_path, path, "HTML")


@pytest.mark.parametrize(
    "text",
    [
        "time,source,target\n2024-01-13 21:03:00,ann,bob\n2024-01-13 21:04:00,bob,ann\n",
        "source target time\nann bob 2024-01-13T21:03:00\nbob ann 2024-01-13T21:04:00\n",
        "a b 1\nb c 2\n",
        "source,target,url\nann,bob,http://example.org/x\n",
    ],
)
def test_edge_lists_with_dates_stay_edge_lists(tmp_path, text):
    path = tmp_path / "edges.txt"
    path.write_text(text)
    assert detect_format(path) == "edgelist"
    read_graph(path)


def test_cli_run_in_a_subprocess_has_no_traceback(tmp_path):
    """The console script itself (click's own EOFError handling prints "Aborted.")."""
    import subprocess

    path = truncated_gzip(tmp_path / "edges.csv.gz", b"a,b\n")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from trustgraph.cli.app import main; raise SystemExit(main())",
            "inspect",
            "-q",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert "truncated gzip" in done.stderr


def test_member_limits_are_module_constants():
    assert textio.MAX_MEMBER_BYTES == 2 * 1024**3
    assert textio.MAX_COMPRESSION_RATIO == 200
    assert 1 * MiB <= textio.RATIO_MIN_BYTES <= 64 * MiB
    assert _exportfiles.read_member is not None
