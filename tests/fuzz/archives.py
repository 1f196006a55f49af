"""Containers the readers look through (zip, gzip, tar), built from a case and damaged:
encrypted or unsupported-method zip members, repeated and escaping member names, byte
edits, truncation, trailing garbage, links in tar archives."""

from __future__ import annotations

import gzip
import io
import tarfile
import warnings
import zipfile
from collections.abc import Sequence

from hypothesis import strategies as st

from .strategies import Case, mutate_bytes

__all__ = ["archive_case", "gzip_bytes", "tar_bytes", "zip_bytes"]


# ----------------------------------------------------------------------------- archives
_LOCAL, _CENTRAL = b"PK\x03\x04", b"PK\x01\x02"


def _patch_zip(data: bytes, *, flag: int = 0, method: int | None = None) -> bytes:
    """Set general-purpose flag bits and/or the compression method in every local and
    central header (an encrypted member, an unsupported method)."""
    buf = bytearray(data)
    for magic, flag_at, method_at in ((_LOCAL, 6, 8), (_CENTRAL, 8, 10)):
        start = 0
        while (at := buf.find(magic, start)) != -1 and at + method_at + 2 <= len(buf):
            current = int.from_bytes(buf[at + flag_at : at + flag_at + 2], "little")
            buf[at + flag_at : at + flag_at + 2] = (current | flag).to_bytes(2, "little")
            if method is not None:
                buf[at + method_at : at + method_at + 2] = method.to_bytes(2, "little")
            start = at + 4
    return bytes(buf)


@st.composite
def zip_bytes(draw: st.DrawFn, files: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip of `files` (maybe under one top folder, maybe with a repeated member), then
    maybe damaged: encrypted flag, unsupported method, byte edits, truncation."""
    top = draw(st.sampled_from(("", "", "export/", "a/b/")))
    method = draw(
        st.sampled_from(
            (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for rel, data in files:
            archive.writestr(top + rel, data)
        if files and draw(st.integers(0, 5)) == 0:
            rel, data = draw(st.sampled_from(list(files)))
            with warnings.catch_warnings():  # zipfile warns about the duplicate name
                warnings.simplefilter("ignore")
                archive.writestr(top + rel, data)
        if draw(st.integers(0, 5)) == 0:
            archive.writestr(
                draw(
                    st.sampled_from(
                        ("../escape.json", "/abs.json", "x/", "a\x00b.json", "users.json/")
                    )
                ),
                b"[]",
            )
    data = buffer.getvalue()
    damage = draw(st.sampled_from(("none", "none", "encrypted", "method", "edits", "truncate")))
    if damage == "encrypted":
        data = _patch_zip(data, flag=0x1)
    elif damage == "method":
        data = _patch_zip(data, method=draw(st.sampled_from((1, 6, 9, 97, 98, 99, 65535))))
    elif damage == "edits":
        data = draw(mutate_bytes(data))
    elif damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def gzip_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` gzip-compressed, maybe truncated or edited after the header."""
    packed = gzip.compress(data, mtime=0)
    damage = draw(st.sampled_from(("none", "none", "truncate", "edits", "concat")))
    if damage == "truncate":
        packed = packed[: draw(st.integers(0, len(packed)))]
    elif damage == "edits":
        packed = packed[:10] + draw(mutate_bytes(packed[10:]))
    elif damage == "concat":
        packed += draw(st.binary(min_size=1, max_size=32))
    return packed


@st.composite
def tar_bytes(draw: st.DrawFn, files: Sequence[tuple[str, bytes]]) -> bytes:
    """A tar (plain or gzip) of `files`, maybe with a link member, truncated or edited."""
    mode = draw(st.sampled_from(("w", "w:gz", "w:bz2")))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for rel, data in files:
            info = tarfile.TarInfo(rel)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if files and draw(st.integers(0, 5)) == 0:
            info = tarfile.TarInfo("link.edges")
            info.type = draw(st.sampled_from((tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.FIFOTYPE)))
            info.linkname = draw(st.sampled_from(("/etc/passwd", "../x", files[0][0], "")))
            archive.addfile(info)
    data = buffer.getvalue()
    damage = draw(st.sampled_from(("none", "none", "truncate", "edits")))
    if damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "edits":
        data = draw(mutate_bytes(data))
    return data


@st.composite
def archive_case(draw: st.DrawFn, cases: st.SearchStrategy[Case], kind: str, name: str) -> Case:
    """A structured case packed into one archive file `name` handed to the reader.

    ``kind="zip"`` zips every file of the case (tree readers), ``"gzip"`` compresses its
    single entry file (``name`` should end in ``.gz``), ``"tar"`` tars the files.
    """
    case = draw(cases)
    if kind == "gzip":
        files = dict(case.files)
        if case.entries[0] not in files:  # a folder: nothing to compress
            return case
        entry = files[case.entries[0]]
        data = draw(gzip_bytes(entry))
    elif kind == "zip":
        data = draw(zip_bytes(case.files))
    elif kind == "tar":
        data = draw(tar_bytes(case.files))
    else:  # pragma: no cover - a typo in a target table
        raise ValueError(kind)
    return Case(((name, data),), (name,), case.me, case.options)
