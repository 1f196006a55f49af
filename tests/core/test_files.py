"""Safe text reading and atomic writing."""

from __future__ import annotations

import gzip

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.atomic import atomic_write
from trustgraph.ingest.textio import read_text_lines


def test_reads_plain_gzip_bom_and_crlf(tmp_path):
    plain = tmp_path / "a.txt"
    plain.write_bytes(b"\xef\xbb\xbfone\r\ntwo\n")
    packed = tmp_path / "a.txt.gz"
    packed.write_bytes(gzip.compress(b"one\ntwo\n"))
    assert list(read_text_lines(plain)) == [(1, "one"), (2, "two")]
    assert list(read_text_lines(packed)) == [(1, "one"), (2, "two")]


def test_bad_bytes_name_file_line_and_column(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("a,b\nRen\xe9e,x\n".encode("latin-1"))
    with pytest.raises(IngestError) as info:
        list(read_text_lines(path))
    assert str(info.value).startswith(f"{path}:2: byte 0xe9 at column 4 is not valid utf-8")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        list(read_text_lines(tmp_path / "nope.txt"))
    with pytest.raises(IngestError, match="is a directory"):
        list(read_text_lines(tmp_path))


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "bad.gz"
    path.write_bytes(b"\x1f\x8b" + b"garbage" * 3)
    with pytest.raises(IngestError, match="corrupt gzip file"):
        list(read_text_lines(path))


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("precious")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_refuses_to_overwrite_without_permission(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("precious")
    with (
        pytest.raises(IngestError, match="already exists; pass overwrite=True"),
        atomic_write(target, overwrite=False) as handle,
    ):
        handle.write("new")
    assert target.read_text() == "precious"


def test_atomic_write_gives_normal_permissions_and_keeps_existing_mode(tmp_path):
    import os

    fresh = tmp_path / "fresh.txt"
    with atomic_write(fresh) as handle:
        handle.write("x")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    private = tmp_path / "private.txt"
    private.write_text("old")
    private.chmod(0o600)
    with atomic_write(private) as handle:
        handle.write("new")
    assert private.stat().st_mode & 0o777 == 0o600
