"""E-mail: mbox files (Gmail / Google Takeout and generic), lone ``.eml`` messages and
Maildir folders (or folders of ``.eml`` files).

Only headers are read (From, To, Cc, Bcc, Resent-To/Cc, Date, Message-ID, In-Reply-To,
References, List-Id, List-Unsubscribe, Precedence, Auto-Submitted, X-Gmail-Labels,
X-GM-THRID, Delivered-To); bodies are skipped line by line and never parsed or stored.

The mbox is **streamed**: it is read line by line in binary. A message starts at a ``From ``
line that follows a blank line, has the shape of an envelope line (``From <sender> <weekday>
<month> <day> <hh:mm>...``) and is followed by a header line; without the blank line before
it, only the full envelope line (``From <sender> <asctime date>``, RFC 4155) followed by a
header line starts one, and the report counts those separators. ``mailbox.mbox`` is not
used because it indexes the whole file first (multi-GB Takeout files exhaust memory) and
splits at any body line starting with ``From `` (FORMATS.md §2.2, cpython #93376). A file
that opens with a header block instead of an envelope line is a lone RFC 822 message (what
mail clients save as ``.eml``), read as one message dated by its Date header.
"""

from __future__ import annotations

import gzip
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import _ZIP_ERRORS
from trustgraph.ingest.mailheaders import MailCollector
from trustgraph.ingest.records import ExportData, ReadReport
from trustgraph.ingest.textio import check_file, open_binary

__all__ = ["read_email", "read_maildir", "read_mbox"]

_WEEKDAYS = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH_NAMES = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# Mailing-list archives (pipermail, hyperkitty) hide addresses as "goran at domain.com",
# in the envelope line and in the headers alike; some mbox writers put the sender's display
# name before its address ("From Ana Sample <ana@example.com> Tue Nov 29 ...").
_ENVELOPE_RE = re.compile(
    rb"^From (?:\S+ at \S+|[^<\r\n]*<[^<>\s]+>|\S*)\s+"
    + _WEEKDAYS
    + rb"\s+"
    + _MONTH_NAMES
    + rb"\s+\d{1,2}\s+\d{1,2}:\d{2}",
    re.IGNORECASE,
)
# The full envelope line (RFC 4155: the sender and an asctime date, with the zone before or
# after the year as Gmail and others write it); only this form starts a message that has no
# blank line before it.
_STRICT_ENVELOPE_RE = re.compile(
    rb"^From (?:\S+ at \S+|\S+) +"
    + _WEEKDAYS
    + rb" +"
    + _MONTH_NAMES
    + rb" +\d{1,2} +\d{1,2}:\d{2}:\d{2}(?: +(?:[+-]\d{4}|[A-Z]{2,5}))? +\d{4}"
    + rb"(?: +[+-]\d{4})?[ \t]*\r?\n?$"
)
_HEADER_LINE_RE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+[ \t]*:")
_BOM_AND_BLANKS = b"\xef\xbb\xbf \t\r\n"
_LONE_VARIANT = "RFC 822 message (.eml, no 'From ' envelope line), headers only"
_MAX_HEADER_BYTES = 1 << 20
_FOLD_STARTS = b" \t"


#: How many bytes ``read_mbox`` reads between two ``progress`` calls: often enough to move a
#: bar smoothly, rarely enough to cost nothing next to header parsing.
_PROGRESS_EVERY = 1 << 20


def _reporting_lines(handle, progress: Callable[[int], None]) -> Iterator[bytes]:
    """Yield the lines of `handle`, calling ``progress(bytes_read)`` every ~MiB and at the end.

    For a gzip file the position in the compressed file is reported, so that it can be
    compared with the file's size on disk.
    """
    raw = handle.fileobj if isinstance(handle, gzip.GzipFile) else None
    consumed = 0
    next_report = _PROGRESS_EVERY
    for line in handle:
        consumed += len(line)
        if consumed >= next_report:
            next_report = consumed + _PROGRESS_EVERY
            progress(raw.tell() if raw is not None else consumed)
        yield line
    progress(raw.tell() if raw is not None else consumed)


def _ends_in_bare_cr(handle) -> bool:
    """Whether the stream's lines end with a lone CR (old Mac OS mail programs): its head
    holds a CR and no LF. Peeking leaves the stream where it was."""
    head = handle.peek(_PROGRESS_EVERY)[:_PROGRESS_EVERY]
    return b"\r" in head and b"\n" not in head


def _bare_cr_lines(handle, report: ReadReport) -> Iterator[bytes]:
    """The lines of a stream whose lines end with a lone CR, each ended with LF instead."""
    report.variant += ", lines ended by a bare CR (old Mac OS)"
    held = b""
    while block := handle.read(_PROGRESS_EVERY):
        parts = (held + block).split(b"\r")
        held = parts.pop()
        for part in parts:
            yield part + b"\n"
    if held:
        yield held + b"\n"


def _iter_mbox(handle, path: str, report: ReadReport) -> Iterator[tuple[int, bytes, bytes]]:
    """Yield ``(line, envelope, header_block)`` per message, skipping bodies unread.

    A file that opens with a header block instead of an envelope line is a lone RFC 822
    message (``.eml``): its envelope is empty.
    """
    lines = enumerate(handle, start=1)
    start, envelope = _first_line(lines, path)
    first = envelope
    # loose: the file's own envelope form when line 1 is not an asctime envelope; lone: the
    # first header block has no envelope line (a lone message, checked at its end).
    loose, lone, pending, headers = _opening(lines, start, envelope, path)
    if lone:
        envelope = b""
    fold: bytes | None = None  # a whitespace-only line in a header block, judged next line
    header_bytes = len(headers[0]) if headers else 0
    previous_blank = True
    # Body lines starting with "From " after a blank line that were not separators;
    # separators accepted without a blank line; full envelope lines without one passed over;
    # separators of line 1's own form (line 1 included).
    unsplit = tight = tight_passed = 0
    loose_taken = int(loose is not None)
    for number, line in lines:
        if pending is not None:
            candidate_line, candidate, no_blank = pending
            pending = None
            if _HEADER_LINE_RE.match(line):
                if loose is not None and loose.match(candidate):
                    loose_taken += 1
                else:
                    tight += no_blank
                start, envelope, headers = candidate_line, candidate, [line]
                header_bytes = len(line)
                continue
            if no_blank:
                tight_passed += 1
            else:
                unsplit += 1  # an unescaped "From " line inside a body: not a separator
            previous_blank = False
        if headers is not None:
            # A whitespace-only line followed by a fold or a header line is RFC 5322's
            # obsolete folding, as Python's parser reads it; else it was the blank line.
            ended = fold is not None and not (
                line[0] in _FOLD_STARTS or _HEADER_LINE_RE.match(line)
            )
            if fold is not None and not ended:
                headers.append(fold)
                header_bytes += len(fold)
            fold = None
            # isspace() is strip() == b"" for the non-empty lines a file yields, without
            # allocating a stripped copy of every line.
            if not ended and line.isspace():
                if line[0] in _FOLD_STARTS:
                    fold = line
                    continue
                ended = True
            if ended:
                if lone:
                    lone = _check_lone(headers, start, report, path)
                yield start, envelope, b"".join(headers)
                headers = None
                previous_blank = True
                if line.isspace():
                    continue
            else:
                header_bytes += len(line)
                if header_bytes > _MAX_HEADER_BYTES:
                    report.skip("header block over 1 MiB")
                    headers = None
                    previous_blank = lone = False
                    continue
                headers.append(line)
                continue
        if previous_blank:
            if line.startswith((b"From ", b"from ")):
                if _ENVELOPE_RE.match(line) or (loose is not None and loose.match(line)):
                    pending = (number, line, False)
                    continue
                unsplit += 1
        # Without a blank line before it only the full asctime envelope (or line 1's own
        # form) is a candidate, so that "From here on..." stays body. line[0] (70 is "F") is
        # the cheap test: this runs on every body line, and file lines are never empty.
        elif line[0] == 70 and (
            _STRICT_ENVELOPE_RE.match(line) or (loose is not None and loose.match(line))
        ):
            pending = (number, line, True)
            continue
        previous_blank = line.isspace()
    if headers is not None:
        if lone:
            _check_lone(headers, start, report, path)
        yield start, envelope, b"".join(headers)
    _note_separators(report, unsplit, tight, tight_passed, pending)
    if loose is not None:
        _note_loose(report, loose_taken, first)


def _opening(lines: Iterator[tuple[int, bytes]], start: int, first: bytes, path: str):
    """How line 1 (`first`, numbered `start`) opens the file: ``(loose, lone, pending,
    headers)`` as :func:`_iter_mbox` keeps them."""
    if _ENVELOPE_RE.match(first):
        return None, False, (start, first, False), None  # a separator if a header follows
    if first.startswith(b"From "):
        return _loose_shape(first), False, None, [_header_after(lines, start, path)]
    if _HEADER_LINE_RE.match(first) is None:
        _refuse_start(start, path)
    return None, True, None, [first]


def _first_line(lines: Iterator[tuple[int, bytes]], path: str) -> tuple[int, bytes]:
    """The first line that is not blank (blank lines before the first envelope are skipped,
    as ``mailbox`` does), without its byte-order mark."""
    for number, line in lines:
        if line.strip(_BOM_AND_BLANKS):
            return number, line.lstrip(b"\xef\xbb\xbf")
    raise IngestError("empty file (or only blank lines), expected an mbox", path=path)


def _loose_shape(line: bytes) -> re.Pattern[bytes]:
    """The envelope form of a line 1 that starts with ``From `` but has no asctime date.

    Mozilla writes ``From - `` with nothing after the dash, Takeout-like tools ``From
    <id>@xxx`` with no date. A later line of the same form (the same ``-`` or the same
    ``@host``, else the same sender word; nothing after it when line 1 has nothing) followed
    by a header line is a separator, with or without a blank line before it; other ``From ``
    body lines stay body, unlike ``mailbox.mbox``, which splits at all of them.
    """
    sender, _, rest = line[5:].strip().partition(b" ")
    if b"@" in sender[:-1]:
        form = rb"\S*@" + re.escape(sender.rsplit(b"@", 1)[1])
    else:
        form = re.escape(sender)
    tail = rb"[ \t]+\S" if rest.strip() else rb"[ \t]*\r?\n?$"
    return re.compile(rb"^From " + form + tail)


def _header_after(lines: Iterator[tuple[int, bytes]], first: int, path: str) -> bytes:
    """The line after a ``From `` line 1 without an asctime date: it must be a header
    line, else the file is no mbox (a text that opens with "From the desk of ...")."""
    for _number, line in lines:
        if _HEADER_LINE_RE.match(line):
            return line
        break
    _refuse_start(first, path)
    raise AssertionError("unreachable: _refuse_start raises")


def _refuse_start(number: int, path: str) -> None:
    raise IngestError(
        f"not an mbox file: line {number} is not a 'From ' separator line",
        path=path,
        line=number,
    )


_LONE_FIELDS = re.compile(rb"^(from|date)[ \t]*:", re.IGNORECASE | re.MULTILINE)


def _check_lone(headers: list[bytes], start: int, report: ReadReport, path: str) -> bool:
    """Accept a first header block without an envelope line as a lone message when it has
    a From and a Date field (without a Date nothing could date it); refuse it otherwise."""
    found = {m.lower() for m in _LONE_FIELDS.findall(b"".join(headers))}
    if found != {b"from", b"date"}:
        _refuse_start(start, path)
    report.variant = _LONE_VARIANT
    return False


def _note_separators(
    report: ReadReport, unsplit: int, tight: int, passed: int, last: tuple | None
) -> None:
    """Say which ``From `` lines were or were not separators; `last` is a candidate line
    the file ended after, passed over as the others are."""
    if last is not None:
        passed += last[2]
        unsplit += not last[2]
    if unsplit:
        report.notes.append(
            f"{unsplit} body lines starting with 'From ' after a blank line were not taken "
            "as message separators (no envelope shape or no header after them)"
        )
    if tight:
        report.notes.append(
            f"{tight} message separators had no blank line before them (accepted: a full "
            "envelope line 'From <sender> <asctime date>' followed by a header line)"
        )
    if passed:
        report.notes.append(
            f"{passed} full envelope lines without a blank line before them were left in "
            "the body (no header line after them)"
        )


def _note_loose(report: ReadReport, taken: int, first: bytes) -> None:
    shown = first.decode("latin-1").strip()[:60]
    report.notes.append(
        f"{taken} message separators were envelope lines without an asctime date, of the "
        f"form of line 1 ({shown!r}), each followed by a header line"
    )


def read_mbox(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] = (),
    include_bulk: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ExportData:
    """Stream an mbox file (plain or gzip) and return one event per person-to-person mail.

    Parameters
    ----------
    path : path-like
        The mbox, e.g. Takeout's ``All mail Including Spam and Trash.mbox``.
    me : iterable of str
        The owner's addresses. When absent, senders of messages labelled ``Sent``
        (``X-Gmail-Labels``) are taken as the owner, and the report says so.
    include_bulk : bool, default False
        Keep mailing-list, newsletter and automated mail as events on ``channel="bulk"``
        (for broadcaster analysis) instead of excluding them.
    progress : callable, optional
        Called as ``progress(bytes_read)`` with the bytes of the file read so far (of the
        compressed file for a ``.gz``), about every MiB and once at the end, so a progress
        bar can follow a multi-gigabyte mailbox. It must not raise; it never changes the
        result.

    Returns
    -------
    ExportData
        Events (``channel="email"``; sender = From, recipients = To, Cc, Bcc and
        Resent-To/Cc; timestamp from the Date header; ``n_chars`` is None because bodies
        are not read), one contact per address with the decoded display name, the owner.

    Raises
    ------
    IngestError
        The file starts with neither a ``From `` separator nor a header field (a lone
        ``.eml`` message), is empty, or yields no
        person-to-person message (the message says how many were bulk or undated). A
        mailing-list archive (pipermail, hyperkitty: senders written ``user at domain``,
        no To or Cc) whose messages lack only a recipient is not an error: it gives its
        posters as contacts, no event, and a note that says why.

    Notes
    -----
    Bulk signals: ``List-Id``, ``List-Unsubscribe``, ``Precedence: bulk|list|junk``,
    ``Auto-Submitted`` other than ``no``, no-reply/mailer-daemon/postmaster senders, the
    Gmail labels ``Category Promotions/Updates/Social/Forums`` and ``Spam``. Counts per
    signal and the ten top bulk senders go to the report notes. A message without a
    usable Date header is dated from its envelope line (Gmail's zone-before-year form
    included), else skipped and counted. Duplicate Message-IDs are counted and skipped.
    Memory stays bounded by the largest header block, whatever the file size.

    References
    ----------
    .. [1] E. Hall, "The application/mbox Media Type", RFC 4155, 2005.
    .. [2] K. Moore, "MIME Part Three: Message Header Extensions for Non-ASCII Text",
       RFC 2047, 1996.
    .. [3] P. Resnick (ed.), "Internet Message Format", RFC 5322, 2008.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mail.mbox"
    >>> _ = f.write_bytes(b"From x@xxx Thu Mar 14 09:05:12 +0000 2024\\n"
    ...     b"From: Ada Example <ada@example.com>\\nTo: bo@example.org\\n"
    ...     b"Date: Thu, 14 Mar 2024 09:05:12 +0000\\n\\nFrom the top.\\n")
    >>> event = read_mbox(f, me=["ada@example.com"]).events[0]
    >>> event.sender, event.recipients, event.timestamp.isoformat()
    ('ada@example.com', ('bo@example.org',), '2024-03-14T09:05:12+00:00')
    """
    p = check_file(path)
    report = ReadReport(str(p), "mbox", variant="mbox (headers only, streamed)")
    collector = MailCollector(report, me, include_bulk=include_bulk, source="mbox")
    gmail = 0
    try:
        for label, handle in _mbox_handles(p, report):
            with handle:
                source = _bare_cr_lines(handle, report) if _ends_in_bare_cr(handle) else handle
                lines = source if progress is None else _reporting_lines(source, progress)
                for _line, envelope, block in _iter_mbox(lines, label, report):
                    if b"\nX-Gmail-Labels:" in block or block.startswith(b"X-Gmail-Labels:"):
                        gmail += 1
                    collector.add(block, envelope)
    except IngestError:
        raise  # an IngestError is a ValueError: keep it from the zip clause below
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc}", path=p) from None
    except _ZIP_ERRORS as exc:  # a damaged, encrypted or Deflate64 member of a zip
        raise IngestError(f"cannot read the zip archive: {exc}", path=p) from None
    if gmail:
        report.variant = "Gmail / Google Takeout mbox (X-Gmail-Labels), headers only, streamed"
    return collector.finish(str(p))


def _mbox_handles(path: Path, report: ReadReport) -> Iterator[tuple[str, BinaryIO]]:
    """The mbox streams of `path`: the file itself, or each ``.mbox`` member of a zip (as
    groups.io and some archive downloads ship a list's mbox), read without extracting."""
    if not zipfile.is_zipfile(path):
        yield str(path), open_binary(path)
        return
    with zipfile.ZipFile(path) as archive:
        members = sorted(n for n in archive.namelist() if n.lower().endswith(".mbox"))
        if not members:
            raise IngestError("a zip archive that holds no .mbox file", path=path)
        report.variant += f", {len(members)} mbox file(s) in a zip"
        for name in members:
            yield f"{path}:{name}", archive.open(name)


def _maildir_folders(root: Path) -> list[Path]:
    folders = []
    if (root / "cur").is_dir() or (root / "new").is_dir():
        folders.append(root)
    for child in sorted(root.iterdir()):
        if (
            child.is_dir()
            and child.name.startswith(".")
            and ((child / "cur").is_dir() or (child / "new").is_dir())
        ):
            folders.append(child)
    return folders


def _read_header_block(path: Path) -> bytes:
    lines = []
    size = 0
    fold = None  # a whitespace-only line: a fold when a fold or a header line follows
    with open(path, "rb") as handle:
        for line in handle:
            if fold is not None:
                if line[0] not in _FOLD_STARTS and not _HEADER_LINE_RE.match(line):
                    break
                lines.append(fold)
                fold = None
            if line.isspace():
                if line[0] not in _FOLD_STARTS:
                    break
                fold = line
                continue
            size += len(line)
            if size > _MAX_HEADER_BYTES:
                break
            lines.append(line)
    return b"".join(lines)


def read_maildir(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] = (),
    include_bulk: bool = False,
) -> ExportData:
    """Read a Maildir (``cur/``, ``new/``, Maildir++ ``.Folder`` subfolders), headers only.

    A folder without ``cur/`` and ``new/`` that holds ``.eml`` files (messages saved one per
    file by a mail client) is read the same way, as one mailbox.

    Parameters
    ----------
    path : path-like
        The Maildir root, or a folder of ``.eml`` files. ``tmp/`` is ignored (messages still
        being delivered).
    me : iterable of str
        The owner's addresses; when absent, senders of messages in a folder whose name
        contains "sent" (``.Sent``, ``.Sent Items``) are taken as the owner.
    include_bulk : bool, default False
        See :func:`read_mbox`.

    Returns
    -------
    ExportData
        As :func:`read_mbox`. A message without a Date header is skipped and counted
        (Maildir has no envelope line to fall back on).

    Raises
    ------
    IngestError
        Not a folder, no ``cur``/``new`` folder and no ``.eml`` file, or no
        person-to-person message.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for sub in ("cur", "new", "tmp"):
    ...     (root / sub).mkdir()
    >>> _ = (root / "cur" / "1.host:2,S").write_bytes(b"From: bo@example.org\\n"
    ...     b"To: ada@example.com\\nDate: Thu, 14 Mar 2024 09:05:12 +0000\\n\\nhi\\n")
    >>> read_maildir(root, me=["ada@example.com"]).events[0].sender
    'bo@example.org'
    """
    root = Path(path)
    if not root.is_dir():
        raise IngestError("not a folder; a Maildir is a folder with cur/ and new/", path=root)
    folders = _maildir_folders(root)
    saved = [] if folders else _eml_files(root)
    if not folders and not saved:
        raise IngestError("no cur/ or new/ folder and no .eml file: not a Maildir", path=root)
    variant = f"Maildir, {len(folders)} folder(s)" if folders else "folder of .eml messages"
    report = ReadReport(str(root), "maildir", variant=variant)
    collector = MailCollector(report, me, include_bulk=include_bulk, source="maildir")
    messages = [(m, False) for m in saved]
    for folder in folders:
        sent = "sent" in folder.name.lower() and folder != root
        for sub in ("cur", "new"):
            directory = folder / sub
            if directory.is_dir():
                # Maildir readers ignore dot files (.gitkeep, editors' and sync tools').
                messages.extend(
                    (m, sent)
                    for m in sorted(directory.iterdir())
                    if m.is_file() and not m.name.startswith(".")
                )
    for message, sent in messages:
        try:
            block = _read_header_block(message)
        except OSError as exc:
            raise IngestError(f"cannot read file: {exc}", path=message) from None
        envelope = None
        if block.startswith(b"From "):  # saved from an mbox: the envelope dates it if need be
            line, end, block = block.partition(b"\n")
            envelope = line + end
        collector.add(block, envelope, sent_folder=sent)
    return collector.finish(str(root))


def _eml_files(root: Path) -> list[Path]:
    """The ``.eml`` files `root` holds directly (messages saved one per file)."""
    return sorted(
        child
        for child in root.iterdir()
        if child.suffix.lower() == ".eml" and child.is_file() and not child.name.startswith(".")
    )


def read_email(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] = (),
    include_bulk: bool = False,
) -> ExportData:
    """Read an mbox file or a Maildir folder, whichever `path` is.

    See :func:`read_mbox` and :func:`read_maildir` for the parameters.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mail.mbox"
    >>> _ = f.write_bytes(b"From - Thu Mar 14 09:05:12 2024\\nFrom: ada@example.com\\n"
    ...     b"To: bo@example.org\\nDate: Thu, 14 Mar 2024 09:05:12 +0000\\n\\n")
    >>> read_email(f).reports[0].format
    'mbox'
    """
    p = Path(path)
    if p.is_dir():
        return read_maildir(p, me=me, include_bulk=include_bulk)
    return read_mbox(p, me=me, include_bulk=include_bulk)
