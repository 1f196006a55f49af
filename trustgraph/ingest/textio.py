"""Opening user files safely: clear errors for missing files, directories, gzip, encodings.

Every reader goes through :func:`read_text_lines` so that a bad byte, an empty file or a
directory given for a file produces the same one-line :class:`IngestError` everywhere.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterator
from pathlib import Path

from trustgraph.exceptions import IngestError

__all__ = ["check_file", "open_binary", "read_text_lines"]

_GZIP_MAGIC = b"\x1f\x8b"


def check_file(path: str | os.PathLike[str]) -> Path:
    """Return `path` as a Path after checking it is an existing, readable, regular file."""
    p = Path(path)
    if not p.exists():
        raise IngestError("no such file", path=p)
    if p.is_dir():
        raise IngestError("is a directory, expected a file", path=p)
    if not os.access(p, os.R_OK):
        raise IngestError("permission denied", path=p)
    return p


def open_binary(path: str | os.PathLike[str]) -> io.BufferedIOBase:
    """Open a file for reading bytes, transparently un-gzipping ``.gz`` or gzip-magic files."""
    p = check_file(path)
    with open(p, "rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.open(p, "rb")  # type: ignore[return-value]
    return open(p, "rb")


def read_text_lines(
    path: str | os.PathLike[str], *, encoding: str = "utf-8"
) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for every line, without line endings.

    Decoding is strict: a byte sequence that is not valid `encoding` raises an
    :class:`IngestError` naming the line and the byte offset within it, instead of silently
    replacing characters. A UTF-8 byte-order mark is dropped; ``\\r\\n`` endings are accepted.

    Raises
    ------
    IngestError
        Missing file, directory, unreadable file, corrupt gzip or undecodable bytes.
    """
    p = check_file(path)
    try:
        with open_binary(p) as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    raise IngestError(
                        f"byte 0x{raw[exc.start]:02x} at column {exc.start + 1} is not valid "
                        f"{encoding}; re-save the file as {encoding} or pass encoding=...",
                        path=p,
                        line=number,
                    ) from None
                if number == 1 and text.startswith("\ufeff"):
                    text = text[1:]
                yield number, text.rstrip("\r\n")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        if isinstance(exc, IngestError):
            raise
        raise IngestError(f"cannot read file: {exc}", path=p) from None
