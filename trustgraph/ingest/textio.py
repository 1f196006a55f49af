"""Opening user files safely: clear errors for missing files, directories, gzip, encodings.

Every reader goes through :func:`check_file`, :func:`open_binary` or :func:`read_text_lines`
so that a bad byte, an empty file, a directory or a named pipe given for a file, or a
truncated gzip produces the same one-line :class:`IngestError` everywhere.

The limits below defend against hostile or damaged inputs; they are module constants so that
an application (or a test) can change them.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trustgraph.exceptions import IngestError

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_LINE_BYTES",
    "MAX_MEMBER_BYTES",
    "RATIO_MIN_BYTES",
    "check_file",
    "csv_problem",
    "describe_size",
    "detect_encoding",
    "encoding_note",
    "head_encoding",
    "open_binary",
    "read_text_lines",
    "utf16_encoding",
]

#: Longest physical line a line-oriented reader accepts (``max_line_bytes=`` of
#: :func:`read_text_lines`). Edge lists, CSV tables, vCards and chats have short lines; a
#: longer one means a wrong or damaged file, and reading it whole could exhaust memory.
MAX_LINE_BYTES = 16 * 1024 * 1024
#: Largest uncompressed size of one archive member that is read (zip-bomb defence).
MAX_MEMBER_BYTES = 2 * 1024**3
#: Largest ratio of uncompressed to compressed size accepted for an archive member or a gzip
#: stream once it has produced more than :data:`RATIO_MIN_BYTES`. Text and JSON exports
#: compress 3 to 30 times; a zip bomb thousands of times.
MAX_COMPRESSION_RATIO = 200
#: Members and gzip streams smaller than this are exempt from the ratio cap (a small file of
#: repeated keys compresses extremely well and costs nothing to read).
RATIO_MIN_BYTES = 8 * 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_BLOCK_BYTES = 1 << 20

_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def describe_size(n_bytes: int) -> str:
    """A byte count for messages: ``"512 bytes"``, ``"64 KiB"``, ``"2 GiB"``, ``"1.5 MiB"``.

    >>> describe_size(2 * 1024**3), describe_size(1536 * 1024), describe_size(100)
    ('2 GiB', '1.5 MiB', '100 bytes')
    """
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n_bytes >= size:
            return f"{n_bytes / size:.3g} {unit}"
    return f"{n_bytes} bytes"


def csv_problem(exc: Exception) -> str:
    """What a ``csv.Error`` means, worded for an :class:`IngestError` message.

    >>> csv_problem(csv.Error("field larger than field limit (131072)"))[:40]
    'a field longer than 131072 characters (t'
    """
    if "field larger than field limit" in str(exc):
        return (
            f"a field longer than {csv.field_size_limit()} characters (the CSV field size "
            "limit): a wrong file, or a quote that is never closed"
        )
    return f"malformed CSV ({exc})"


def check_file(path: str | os.PathLike[str]) -> Path:
    """Return `path` as a Path after checking it is an existing, readable, regular file.

    Named pipes, devices and sockets are refused before anything opens them: reading a FIFO
    waits for a writer that may never come, and a device never ends.
    """
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise IngestError("no such file", path=p) from None
    except PermissionError:
        raise IngestError("permission denied", path=p) from None
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}", path=p) from None
    if stat.S_ISDIR(mode):
        raise IngestError("is a directory, expected a file", path=p)
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
        raise IngestError(
            f"is {kind}, not a regular file; save the data to a file and give that", path=p
        )
    if not os.access(p, os.R_OK):
        raise IngestError("permission denied", path=p)
    return p


class _GuardedGzip(gzip.GzipFile):
    """A gzip reader whose failures are one-line :class:`IngestError`s naming the file.

    A truncated stream (``EOFError``), corrupt data (``zlib.error``, a CRC mismatch) and a
    stream inflating more than :data:`MAX_COMPRESSION_RATIO` times its size once past
    :data:`RATIO_MIN_BYTES` (a gzip bomb) all stop reading at once.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(filename=str(path), mode="rb")
        self._label = str(path)
        self._packed = max(os.fstat(self.fileobj.fileno()).st_size, 1)  # type: ignore[union-attr]
        self._unpacked = 0

    def _guard(self, method: Any, *args: Any) -> Any:
        try:
            data = method(*args)
        except EOFError:
            raise IngestError(
                "truncated gzip file: the compressed data ends early; download or copy it again",
                path=self._label,
            ) from None
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise IngestError(f"corrupt gzip file ({exc})", path=self._label) from None
        self._count(len(data))
        return data

    def _count(self, n_bytes: int) -> None:
        self._unpacked += n_bytes
        if (
            self._unpacked > RATIO_MIN_BYTES
            and self._unpacked > MAX_COMPRESSION_RATIO * self._packed
        ):
            raise IngestError(
                f"decompresses to more than {MAX_COMPRESSION_RATIO} times its size "
                f"({describe_size(self._packed)} compressed, over "
                f"{describe_size(self._unpacked)} so far): refusing a likely gzip bomb",
                path=self._label,
            )

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size >= 0:
            return self._guard(super().read, size)
        # Read in blocks so that a bomb is stopped before it fills memory.
        out = io.BytesIO()
        while block := self._guard(super().read, _BLOCK_BYTES):
            out.write(block)
        return out.getvalue()

    def read1(self, size: int = -1) -> bytes:
        return self._guard(super().read1, size)

    def peek(self, n: int) -> bytes:
        try:
            return super().peek(n)
        except EOFError:
            return b""  # the next read says it properly

    def readline(self, size: int | None = -1) -> bytes:
        if size is not None and size >= 0:
            return self._guard(super().readline, size)
        parts = []
        while True:
            part = self._guard(super().readline, _BLOCK_BYTES)
            parts.append(part)
            if not part or part.endswith(b"\n"):
                return b"".join(parts)


def open_binary(path: str | os.PathLike[str]) -> io.BufferedIOBase:
    """Open a file for reading bytes, transparently un-gzipping ``.gz`` or gzip-magic files.

    Reading a truncated or corrupt gzip file raises :class:`IngestError` (not ``EOFError``
    or ``zlib.error``), as does one that decompresses like a gzip bomb.
    """
    p = check_file(path)
    with open(p, "rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC:
        return _GuardedGzip(p)
    return open(p, "rb")


def _physical_lines(handle: Any, limit: int | None, label: str) -> Iterator[tuple[int, bytes]]:
    """``(number, bytes)`` of each line, ended by ``\\n``, ``\\r\\n`` or a lone ``\\r``.

    Reads blocks, so a line longer than `limit` is refused once `limit` bytes of it are
    held, without reading the rest.
    """
    number = 0
    pending: list[bytes] = []
    pending_size = 0
    held = b""
    while True:
        chunk = handle.read(_BLOCK_BYTES)
        block = held + chunk if held else chunk
        held = b""
        if chunk and block.endswith(b"\r"):
            held, block = b"\r", block[:-1]  # may be the first half of "\r\n"
        if not block:
            if chunk:
                continue
            break
        if b"\r" in block:
            block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        parts = block.split(b"\n")
        last = parts.pop()
        if parts:
            if pending:
                pending.append(parts[0])
                parts[0] = b"".join(pending)
                pending, pending_size = [], 0
            for line in parts:
                number += 1
                if limit is not None and len(line) > limit:
                    _too_long(label, number, limit)
                yield number, line
        if last:
            pending.append(last)
            pending_size += len(last)
            if limit is not None and pending_size > limit:
                _too_long(label, number + 1, limit)
    if pending:
        yield number + 1, b"".join(pending)


def _too_long(label: str, number: int, limit: int) -> None:
    raise IngestError(
        f"line longer than {describe_size(limit)}: not a line-oriented text file, or a "
        "damaged one (MAX_LINE_BYTES)",
        path=label,
        line=number,
    )


def read_text_lines(
    path: str | os.PathLike[str],
    *,
    encoding: str = "utf-8",
    max_line_bytes: int | None = None,
) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for every line, without line endings.

    Line ends are universal: ``\\n``, ``\\r\\n`` and a lone ``\\r`` (old Mac and some
    spreadsheet exports) each end a line, and lines are numbered accordingly. Decoding is
    strict: a byte sequence that is not valid `encoding` raises an :class:`IngestError`
    naming the line and the byte offset within it, instead of silently replacing
    characters. A UTF-8 byte-order mark is dropped.

    Parameters
    ----------
    path : str or path-like
        The file (gzip is undone transparently).
    encoding : str, default "utf-8"
    max_line_bytes : int, optional
        Refuse a line longer than this many bytes (line-oriented readers pass
        :data:`MAX_LINE_BYTES`); reading stops there, so memory stays bounded.

    Raises
    ------
    IngestError
        Missing file, directory or special file, unreadable file, truncated or corrupt
        gzip, undecodable bytes, a line longer than `max_line_bytes`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "old-mac.csv"
    >>> _ = p.write_bytes(b"a,b\\rb,c\\r\\nc,d")
    >>> list(read_text_lines(p))
    [(1, 'a,b'), (2, 'b,c'), (3, 'c,d')]
    """
    p = check_file(path)
    try:
        with open_binary(p) as handle:
            if encoding.lower().replace("_", "-").startswith("utf-16"):
                handle, encoding = _Utf8FromWide(handle, encoding, str(p)), "utf-8"
            for number, raw in _physical_lines(handle, max_line_bytes, str(p)):
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    raise IngestError(
                        f"byte 0x{raw[exc.start]:02x} at column {exc.start + 1} is not valid "
                        f"{encoding}; re-save the file as {encoding.upper()}",
                        path=p,
                        line=number,
                    ) from None
                if number == 1 and text.startswith("\ufeff"):
                    text = text[1:]
                yield number, text
    except (OSError, EOFError) as exc:
        raise IngestError(f"cannot read file: {exc}", path=p) from None


def utf16_encoding(head: bytes) -> str | None:
    """The UTF-16 codec that decodes a file starting with `head`, or None when it is not
    UTF-16: ``"utf-16"`` after a byte-order mark, else ``"utf-16-le"``/``"utf-16-be"`` when
    at least 30% of the first 4 KiB's even (or odd) bytes are zero and none of the other
    bytes of the same 16-bit units are, as in text of Latin letters written by a program that
    left the mark out (macOS Contacts, some Windows address books).

    Examples
    --------
    >>> utf16_encoding("BEGIN:VCARD".encode("utf-16")), utf16_encoding(b"B\\x00E\\x00G\\x00")
    ('utf-16', 'utf-16-le')
    >>> utf16_encoding("Zürich".encode("utf-8")) is None
    True
    """
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = head[:4096]
    sample = sample[: len(sample) // 2 * 2]
    units = len(sample) // 2
    if units < 2:
        return None
    for zeros, other, codec in ((sample[1::2], sample[0::2], "utf-16-le"),
                                (sample[0::2], sample[1::2], "utf-16-be")):  # fmt: skip
        if zeros.count(0) >= 0.3 * units and other.count(0) == 0:
            return codec
    return None


def head_encoding(head: bytes) -> str:
    """The encoding to read a file's first lines in, judged from its first bytes `head`
    alone: UTF-16 (see :func:`utf16_encoding`), UTF-8 when `head` decodes as UTF-8 (a
    character cut at its end allowed), else Windows-1252.

    Examples
    --------
    >>> [head_encoding(t) for t in (b"a,b", "Stra\xdfe".encode("cp1252"), "ab".encode("utf-16"))]
    ['utf-8', 'cp1252', 'utf-16']
    """
    wide = utf16_encoding(head)
    if wide is not None:
        return wide
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_encoding(path: str | os.PathLike[str]) -> str:
    """``"utf-8"`` when the whole file decodes as UTF-8, a UTF-16 codec when it is UTF-16
    (see :func:`utf16_encoding`), else ``"cp1252"``.

    Windows programs (Outlook's contact export, Excel's "CSV" without "UTF-8") write the
    ANSI code page, Windows-1252 in Western Europe and the Americas; a UTF-8 file of any
    length is rarely also valid in it by accident, the other way round almost never.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_bytes("Nachname,Stra\\xdfe\\n".encode("cp1252"))
    >>> detect_encoding(f), f.read_bytes().decode(detect_encoding(f)) == "Nachname,Stra\\xdfe\\n"
    ('cp1252', True)
    >>> _ = f.write_text("Nachname,Stra\\xdfe\\n", encoding="utf-8")
    >>> detect_encoding(f)
    'utf-8'
    >>> _ = f.write_text("Nachname,Stra\\xdfe\\n", encoding="utf-16")
    >>> detect_encoding(f), list(read_text_lines(f, encoding=detect_encoding(f)))
    ('utf-16', [(1, 'Nachname,Stra\\xdfe')])
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open_binary(check_file(path)) as handle:
        chunk = handle.read(1 << 20)
        wide = utf16_encoding(chunk)
        if wide is not None:
            return wide
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = handle.read(1 << 20)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def encoding_note(encoding: str, windows_writers: str) -> str | None:
    """What a reader says of the encoding :func:`detect_encoding` found (None for UTF-8);
    `windows_writers` names the programs that write Windows-1252 files of this kind.

    Examples
    --------
    >>> encoding_note("cp1252", "Outlook and Excel on Windows write CSV in")
    'not UTF-8: read as Windows-1252, the code page Outlook and Excel on Windows write CSV in'
    >>> encoding_note("utf-16-le", "")
    'read as UTF-16 (little-endian, without a byte-order mark)'
    """
    if encoding == "cp1252":
        return f"not UTF-8: read as Windows-1252, the code page {windows_writers}"
    if encoding == "utf-16":
        return "read as UTF-16 (byte-order mark)"
    if encoding.startswith("utf-16-"):
        order = "little" if encoding.endswith("le") else "big"
        return f"read as UTF-16 ({order}-endian, without a byte-order mark)"
    return None


class _Utf8FromWide:
    """A binary handle's UTF-16 text re-read as UTF-8 bytes, so that lines are split on
    whole characters by the same code as every other file."""

    def __init__(self, handle: Any, encoding: str, label: str) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._encoding, self._label = encoding, label
        self._line_ends = 0  # for the line number of a bad byte

    def read(self, size: int) -> bytes:
        chunk = self._handle.read(size)
        try:
            text = self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            before = exc.object[: exc.start].decode(self._encoding, errors="ignore")
            raise IngestError(
                f"bytes that are not valid {self._encoding} ({exc.reason}); re-save the file "
                "as UTF-8",
                path=self._label,
                line=self._line_ends + before.count("\n") + 1,
            ) from None
        self._line_ends += text.count("\n")
        return text.encode("utf-8")
