"""Private helpers shared by the export readers (Telegram, Slack, Messenger, X, LinkedIn).

* :class:`ExportTree` reads a folder, a zip archive or a single file **in place** (nothing is
  extracted, nothing is written).
* :func:`is_zip_archive`, :func:`open_zip`, :func:`open_member` and :func:`read_member` read
  zip archives defensively: a damaged archive, a repeated member name, an encrypted member,
  an unsupported compression method, corrupt data and zip bombs (a member larger than
  :data:`~trustgraph.ingest.textio.MAX_MEMBER_BYTES`, or inflating more than
  :data:`~trustgraph.ingest.textio.MAX_COMPRESSION_RATIO` times) each become one
  :class:`~trustgraph.exceptions.IngestError` naming ``archive.zip!member``.
* :func:`parse_json` turns bytes into a JSON document and every failure into a one-line
  :class:`~trustgraph.exceptions.IngestError` naming the file and the line.
* Epoch and ISO times are built by :mod:`trustgraph.ingest.timeparse` (exact, without going
  through floats, and range-checked); :func:`parse_json` is wrapped by
  :mod:`trustgraph.ingest.jsonsafe`, which every reader calls (it limits the nesting).
"""

from __future__ import annotations

import io
import json
import lzma
import os
import struct
import zipfile
import zlib
from collections import Counter
from datetime import timezone, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest import textio
from trustgraph.ingest.textio import check_file, describe_size, open_binary
from trustgraph.ingest.timeparse import utc_from_iso

__all__ = [
    "ExportTree",
    "is_zip_archive",
    "looks_like_html",
    "open_member",
    "open_zip",
    "parse_json",
    "read_member",
    "resolve_timezone",
    "utc_from_iso",
]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_METHOD_NAMES = {6: "Implode", 9: "Deflate64", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES"}
# What a damaged archive or member raises from inside zipfile and the decompressors.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    struct.error,
    lzma.LZMAError,
)


def is_zip_archive(path: str | os.PathLike[str]) -> bool:
    """Whether the regular file `path` is a readable zip archive.

    Raises
    ------
    IngestError
        `path` is not a regular file (a FIFO, a device...), or it starts like a zip archive
        but has no readable central directory (a truncated download).
    """
    p = check_file(path)
    if zipfile.is_zipfile(p):
        return True
    with open(p, "rb") as handle:
        head = handle.read(4)
    if head in _ZIP_MAGIC:
        raise IngestError(
            "truncated or damaged zip archive (its table of contents at the end is missing "
            "or unreadable): download or copy it again",
            path=p,
        )
    return False


def open_zip(path: str | os.PathLike[str]) -> zipfile.ZipFile:
    """Open a zip archive for reading, refusing a damaged one or one with repeated names.

    An archive whose members add up to more than
    :data:`~trustgraph.ingest.textio.MAX_COMPRESSION_RATIO` times its own size (past
    :data:`~trustgraph.ingest.textio.RATIO_MIN_BYTES`) is refused as a zip bomb made of
    many small members, each of which would pass the per-member check of :func:`open_member`.

    Two members with one name make every by-name read ambiguous (zipfile returns the last
    one each time, so the first would never be read and the second counted twice).
    """
    p = Path(path)
    try:
        archive = zipfile.ZipFile(p)
    except _ZIP_ERRORS as exc:
        raise IngestError(f"truncated or damaged zip archive ({exc})", path=p) from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    # Many small members can each stay under the per-member ratio check: cap the whole too.
    unpacked = sum(info.file_size for info in members)
    packed = max(p.stat().st_size, 1)
    if unpacked > textio.RATIO_MIN_BYTES and unpacked > textio.MAX_COMPRESSION_RATIO * packed:
        archive.close()
        largest = max(members, key=lambda info: info.file_size)
        raise IngestError(
            f"the archive would decompress from {describe_size(packed)} to "
            f"{describe_size(unpacked)} ({unpacked // packed} times, more than the "
            f"{textio.MAX_COMPRESSION_RATIO} of MAX_COMPRESSION_RATIO; largest member "
            f"{largest.filename!r}, {describe_size(largest.file_size)}): refusing a likely "
            "zip bomb",
            path=p,
        )
    counts = Counter(info.filename for info in members)
    repeated = [(name, n) for name, n in counts.items() if n > 1]
    if repeated:
        archive.close()
        name, n = repeated[0]
        more = f" (and {len(repeated) - 1} other repeated names)" if len(repeated) > 1 else ""
        raise IngestError(
            f"the archive holds {n} members named {name!r}{more}, so which one is meant is "
            "ambiguous (a service's export never repeats a name): extract it and give the "
            "folder, or download the export again",
            path=p,
        )
    return archive


def _check_member(info: zipfile.ZipInfo, label: str) -> None:
    """Refuse, before inflating anything, a member that cannot or should not be read."""
    if info.flag_bits & 0x1:
        raise IngestError(
            "the member is encrypted (a password-protected zip): extract it with its "
            "password and give the folder, or export again without a password",
            path=label,
        )
    if info.compress_type not in _READABLE_METHODS:
        method = _METHOD_NAMES.get(info.compress_type, "unknown")
        raise IngestError(
            f"the member uses compression method {info.compress_type} ({method}), which "
            "Python cannot read: extract the archive with your system's tool and give the "
            "folder, or re-zip it with standard Deflate",
            path=label,
        )
    size = info.file_size
    if size > textio.MAX_MEMBER_BYTES:
        raise IngestError(
            f"the member is {describe_size(size)} uncompressed, larger than the "
            f"{describe_size(textio.MAX_MEMBER_BYTES)} limit (MAX_MEMBER_BYTES): a zip bomb, "
            "or too large to read",
            path=label,
        )
    packed = max(info.compress_size, 1)
    if size > textio.RATIO_MIN_BYTES and size > textio.MAX_COMPRESSION_RATIO * packed:
        raise IngestError(
            f"the member would decompress from {describe_size(packed)} to "
            f"{describe_size(size)} ({size // packed} times, more than the "
            f"{textio.MAX_COMPRESSION_RATIO} of MAX_COMPRESSION_RATIO): refusing a likely "
            "zip bomb",
            path=label,
        )


class _GuardedMember(io.RawIOBase):
    """A zip member's bytes with errors turned into IngestError and its size capped."""

    def __init__(self, stream: Any, label: str) -> None:
        self._stream = stream
        self._label = label
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._stream.read(len(buffer))
        except _ZIP_ERRORS as exc:
            raise IngestError(
                f"corrupt archive member ({exc}): download or copy the archive again",
                path=self._label,
            ) from None
        n = len(data)
        buffer[:n] = data
        self._read += n
        if self._read > textio.MAX_MEMBER_BYTES:  # zipfile stops at the declared size anyway
            raise IngestError(
                f"the member is larger than {describe_size(textio.MAX_MEMBER_BYTES)} "
                "(MAX_MEMBER_BYTES)",
                path=self._label,
            )
        return n

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


def open_member(archive: zipfile.ZipFile, member: str, label: str) -> io.BufferedReader:
    """Open `member` of `archive` for streaming reads (`label` names it in errors).

    Raises
    ------
    IngestError
        No such member; an encrypted member; an unsupported compression method; a member
        over :data:`~trustgraph.ingest.textio.MAX_MEMBER_BYTES` or inflating more than
        :data:`~trustgraph.ingest.textio.MAX_COMPRESSION_RATIO` times; and, while reading,
        corrupt data.
    """
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise IngestError("no such member in the archive", path=label) from None
    _check_member(info, label)
    try:
        stream = archive.open(info)
    except _ZIP_ERRORS as exc:
        raise IngestError(
            f"corrupt archive member ({exc}): download or copy the archive again", path=label
        ) from None
    return io.BufferedReader(_GuardedMember(stream, label), buffer_size=1 << 16)


def read_member(archive: zipfile.ZipFile, member: str, label: str) -> bytes:
    """All bytes of `member`, read in blocks after the checks of :func:`open_member`."""
    out = io.BytesIO()
    with open_member(archive, member, label) as stream:
        while block := stream.read(1 << 20):
            out.write(block)
    return out.getvalue()


class ExportTree:
    """A folder, a zip archive or a single file, listed and read in place.

    Member names are POSIX paths relative to the root (for a single file: its name). Labels
    used in error messages are real paths, or ``archive.zip!member`` for zip members. Zip
    archives are read defensively (see :func:`open_zip` and :func:`open_member`).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise IngestError("no such file or folder", path=self.path)
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_dir():
            self.kind = "folder"
            self._members = sorted(
                PurePosixPath(p.relative_to(self.path).as_posix()).as_posix()
                for p in self.path.rglob("*")
                if p.is_file()
            )
        elif is_zip_archive(self.path):
            self.kind = "zip"
            self._zip = open_zip(self.path)
            self._members = sorted(
                info.filename for info in self._zip.infolist() if not info.is_dir()
            )
        else:
            self.kind = "file"
            self._members = [self.path.name]

    def members(self) -> list[str]:
        """All member names, sorted."""
        return list(self._members)

    def label(self, member: str) -> str:
        """A human-readable location for `member`, used in errors and reports."""
        if self.kind == "zip":
            return f"{self.path}!{member}"
        if self.kind == "file":
            return str(self.path)
        return str(self.path / member)

    def read_bytes(self, member: str) -> bytes:
        """The bytes of `member` (gzip is undone transparently for plain files)."""
        if self._zip is not None:
            return read_member(self._zip, member, self.label(member))
        target = self.path if self.kind == "file" else self.path / member
        try:
            with open_binary(target) as handle:
                return handle.read()
        except OSError as exc:  # unreadable file and friends
            raise IngestError(f"cannot read file: {exc}", path=target) from None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> ExportTree:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def looks_like_html(data: bytes) -> bool:
    """True when `data` starts like an HTML page (an export downloaded in the wrong format)."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta"))


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise IngestError(
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8; JSON exports are UTF-8",
            path=label,
            line=line,
        ) from None


def parse_json(data: bytes | str, label: str, *, start: int = 0, first_line: int = 1) -> Any:
    """Parse a JSON document, turning errors into ``IngestError(path=label, line=...)``.

    Parameters
    ----------
    data : bytes or str
        The whole file.
    label : str
        The file name used in messages.
    start : int
        Character offset where the JSON document begins (X archives prefix an assignment).
    first_line : int
        Line number of the character at `start` (so reported lines are lines of the file).

    Notes
    -----
    Integers stay Python ints (``json`` never turns them into floats), so 64-bit ids keep
    every digit; readers still convert ids to strings at once.
    """
    text = data if isinstance(data, str) else _decode(data, label)
    body = text[start:]
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        line = first_line + exc.lineno - 1
        column = exc.colno + (start - (text.rfind("\n", 0, start) + 1) if exc.lineno == 1 else 0)
        unterminated = exc.msg.startswith("Unterminated string") and '"' not in body[exc.pos + 1 :]
        if exc.pos >= len(body.rstrip()) or unterminated:
            problem = (
                f"JSON ends early ({exc.msg}, column {column}): the file looks truncated; "
                "download or copy it again"
            )
        else:
            problem = f"invalid JSON at column {column}: {exc.msg}"
        raise IngestError(problem, path=label, line=line) from None


def resolve_timezone(tz: tzinfo | str | None) -> tzinfo:
    """The time zone of naive local timestamps: an IANA name, a tzinfo, or None for UTC."""
    if tz is None:
        return timezone.utc
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParameterError(
            f"unknown time zone {tz!r}; use an IANA name such as 'Europe/Paris'"
        ) from None
