"""Private helpers shared by the JSON export readers (Telegram, Slack, Messenger, X).

* :class:`ExportTree` reads a folder, a zip archive or a single file **in place** (nothing is
  extracted, nothing is written).
* :func:`parse_json` turns bytes into a JSON document and every failure into a one-line
  :class:`~trustgraph.exceptions.IngestError` naming the file and the line.
* :func:`utc_from_epoch` and :func:`utc_from_iso` build timezone-aware UTC datetimes without
  going through floats (Slack ``ts`` strings and X snowflakes must not lose digits).
"""

from __future__ import annotations

import json
import os
import zipfile
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest.textio import check_file, open_binary
from trustgraph.ingest.timeparse import utc_from_iso

__all__ = [
    "ExportTree",
    "looks_like_html",
    "parse_json",
    "resolve_timezone",
    "utc_from_epoch",
    "utc_from_iso",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class ExportTree:
    """A folder, a zip archive or a single file, listed and read in place.

    Member names are POSIX paths relative to the root (for a single file: its name). Labels
    used in error messages are real paths, or ``archive.zip!member`` for zip members.
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
        elif zipfile.is_zipfile(self.path):
            self.kind = "zip"
            try:
                self._zip = zipfile.ZipFile(self.path)
                self._members = sorted(
                    info.filename for info in self._zip.infolist() if not info.is_dir()
                )
            except (zipfile.BadZipFile, OSError) as exc:
                raise IngestError(f"cannot read zip archive: {exc}", path=self.path) from None
        else:
            check_file(self.path)
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
            try:
                return self._zip.read(member)
            except (zipfile.BadZipFile, OSError, KeyError) as exc:
                raise IngestError(
                    f"cannot read archive member: {exc}", path=self.label(member)
                ) from None
        target = self.path if self.kind == "file" else self.path / member
        try:
            with open_binary(target) as handle:
                return handle.read()
        except OSError as exc:  # corrupt gzip and friends
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


def utc_from_epoch(value: Any, *, scale: int = 1) -> datetime:
    """A UTC datetime from an epoch number or numeric string, exact to the microsecond.

    `scale` is the number of units per second (1000 for milliseconds). Decimal arithmetic
    keeps strings such as ``"1710407112.000100"`` exact.

    Raises
    ------
    ValueError
        When `value` is not a finite number.

    >>> utc_from_epoch("1710407112.000100").isoformat()
    '2024-03-14T09:05:12.000100+00:00'
    >>> utc_from_epoch(1710407160000, scale=1000).isoformat()
    '2024-03-14T09:06:00+00:00'
    """
    if isinstance(value, bool):
        raise ValueError(f"not an epoch time: {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not an epoch time: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not an epoch time: {value!r}")
    micros = int((number * 1_000_000 / scale).to_integral_value())
    return _EPOCH + timedelta(microseconds=micros)


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
