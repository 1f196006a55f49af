"""E-mail: mbox files (Gmail / Google Takeout and generic) and Maildir folders.

Only headers are read (From, To, Cc, Bcc, Resent-To/Cc, Date, Message-ID, In-Reply-To,
References, List-Id, List-Unsubscribe, Precedence, Auto-Submitted, X-Gmail-Labels,
X-GM-THRID, Delivered-To); bodies are skipped line by line and never parsed or stored.

The mbox is **streamed**: it is read line by line in binary, a message starts at a ``From ``
line that follows a blank line, has the shape of an envelope line (``From <sender> <weekday>
<month> <day> <hh:mm>...``) and is followed by a header line. ``mailbox.mbox`` is not used
because it indexes the whole file first (multi-GB Takeout files exhaust memory) and splits
at any body line starting with ``From `` (FORMATS.md §2.2, cpython #93376).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.parser import HeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from trustgraph.exceptions import IngestError
from trustgraph.ingest.identity import normalize_email, normalize_identifier
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.textio import check_file, open_binary
from trustgraph.ingest.timeparse import as_utc

__all__ = ["read_email", "read_maildir", "read_mbox"]

_WEEKDAYS = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH_NAMES = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# Mailing-list archives (pipermail, hyperkitty) hide addresses as "goran at domain.com",
# in the envelope line and in the headers alike.
_ENVELOPE_RE = re.compile(
    rb"^From (?:\S+ at \S+|\S*)\s+"
    + _WEEKDAYS
    + rb"\s+"
    + _MONTH_NAMES
    + rb"\s+\d{1,2}\s+\d{1,2}:\d{2}",
    re.IGNORECASE,
)
_ENVELOPE_DATE_RE = re.compile(
    r"(?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
    r"(?:\s+(?P<tz1>[+-]\d{4}|[A-Z]{2,5}))?\s+(?P<year>\d{4})(?:\s+(?P<tz2>[+-]\d{4}))?"
)
_OBFUSCATED_AT = re.compile(r"(?<=[\w.+-]) at (?=[\w-]+(?:\.[\w-]+)+)")
_HEADER_LINE_RE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+[ \t]*:")
_MAX_HEADER_BYTES = 1 << 20
_NOREPLY_RE = re.compile(
    r"^(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?)(?:[+._-].*)?@",
    re.IGNORECASE,
)
_PRECEDENCE_BULK = {"bulk", "list", "junk"}
_GMAIL_CATEGORIES = {
    "category promotions",
    "category updates",
    "category social",
    "category forums",
}
_RECIPIENT_HEADERS = ("To", "Cc", "Bcc", "Resent-To", "Resent-Cc")
_MONTH_ABBREVIATIONS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]
_MONTHS = {name: number for number, name in enumerate(_MONTH_ABBREVIATIONS, start=1)}


def _decode_words(value: str) -> str | None:
    """Decode RFC 2047 encoded words; None when the charset or encoding is broken."""
    try:
        return str(make_header(decode_header(value)))
    except (UnicodeError, LookupError, HeaderParseError, ValueError):
        return None


def _envelope_date(envelope: bytes) -> datetime | None:
    # Gmail/Groups write the zone before the year ("Thu Apr 16 09:53:04 +0000 2015"),
    # other producers after it or not at all (then it is UTC by convention).
    match = _ENVELOPE_DATE_RE.search(envelope.decode("latin-1"))
    if not match:
        return None
    month = _MONTHS.get(match["mon"].lower())
    if month is None:
        return None
    parts = [int(p) for p in match["time"].split(":")] + [0]
    zone = match["tz1"] or match["tz2"] or "+0000"
    offset = 0
    if zone[0] in "+-" and zone[1:].isdigit():
        offset = (int(zone[1:3]) * 60 + int(zone[3:5])) * (1 if zone[0] == "+" else -1)
    try:
        naive = datetime(
            int(match["year"]), month, int(match["day"]), parts[0], parts[1], parts[2]
        )
        return as_utc(naive - timedelta(minutes=offset))
    except (ValueError, OverflowError):  # no such day, or outside the years datetime holds
        return None


class _MailCollector:
    """Turns header blocks into events and contacts, counting every skip and exclusion."""

    def __init__(self, report: ReadReport, me: Iterable[str], *, include_bulk: bool,
                 source: str) -> None:  # fmt: skip
        self.report = report
        self.source = source
        self.include_bulk = include_bulk
        # Every normalised `me` identifier is passed through to ExportData.owner (the
        # identity layer merges them); only addresses matter inside a mailbox.
        self.me = tuple(dict.fromkeys(m for m in (normalize_identifier(x) for x in me) if m))
        self.events: list[ConversationEvent] = []
        self.names: dict[str, str | None] = {}
        self.seen_ids: set[bytes] = set()
        self.bulk_by_sender: Counter = Counter()
        self.bulk_reasons: Counter = Counter()
        self.sent_senders: Counter = Counter()
        self.undecodable = 0
        self.envelope_dates = 0
        self.obfuscated = 0
        # Senders of messages without a recipient (a list archive's posts), for the note.
        self.recipientless: dict[str, str | None] = {}
        self.recipientless_span: tuple[datetime, datetime] | None = None
        self.messages = 0
        self._intern: dict[str, str] = {}
        self._parser = HeaderParser(policy=compat32)

    def _id(self, address: str) -> str:
        return self._intern.setdefault(address, address)

    def _addresses(self, values: list[str]) -> list[tuple[str, str | None]]:
        out = []
        for raw_name, raw_address in getaddresses(values):
            address = normalize_email(raw_address)
            if address is None:
                continue
            name = _decode_words(raw_name) if raw_name else None
            if raw_name and name is None:
                self.undecodable += 1
            out.append((address, name.strip() if name else None))
        return out

    def _bulk_reason(self, headers, sender: str, labels: list[str]) -> str | None:
        if headers.get("List-Id"):
            return "List-Id"
        if headers.get("List-Unsubscribe"):
            return "List-Unsubscribe"
        if (headers.get("Precedence") or "").strip().lower() in _PRECEDENCE_BULK:
            return "Precedence"
        auto = (headers.get("Auto-Submitted") or "").strip().lower()
        if auto and auto != "no":
            return "Auto-Submitted"
        if _NOREPLY_RE.match(sender):
            return "no-reply sender"
        lowered = {label.lower() for label in labels}
        if lowered & _GMAIL_CATEGORIES:
            return "Gmail category label"
        if "spam" in lowered:
            return "Spam label"
        return None

    def _labels(self, headers) -> list[str]:
        raw_labels = headers.get("X-Gmail-Labels")
        if not raw_labels:
            return []
        decoded = _decode_words(raw_labels)
        if decoded is None:
            self.undecodable += 1
            decoded = raw_labels
        return [label.strip() for label in decoded.split(",") if label.strip()]

    def _date(self, headers, envelope: bytes | None) -> datetime | None:
        raw_date = headers.get("Date")
        if raw_date:
            try:
                # A date outside years 1-9999 (after its offset) is as unusable as a
                # malformed one: the envelope date stands in, else the message is skipped.
                return as_utc(parsedate_to_datetime(raw_date.strip()))
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
        when = _envelope_date(envelope) if envelope is not None else None
        self.envelope_dates += when is not None
        return when

    def _senders(self, headers) -> list[tuple[str, str | None]]:
        values = headers.get_all("From", [])
        senders = self._addresses(values)
        if not senders and any(" at " in v and "@" not in v for v in values):
            senders = self._addresses([_OBFUSCATED_AT.sub("@", v) for v in values])
            self.obfuscated += bool(senders)
        return senders

    def add(self, block: bytes, envelope: bytes | None, *, sent_folder: bool = False) -> None:
        self.messages += 1
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            # 8-bit headers in a legacy charset: keep going, the addresses are ASCII.
            text = block.decode("latin-1")
            self.undecodable += 1
        headers = self._parser.parsestr(text)
        senders = self._senders(headers)
        if not senders:
            self.report.skip("no valid From address")
            return
        sender, sender_name = senders[0]
        labels = self._labels(headers)
        if sent_folder or any(label.lower() == "sent" for label in labels):
            self.sent_senders[sender] += 1
        message_id = (headers.get("Message-ID") or "").strip()
        if message_id:
            digest = hashlib.blake2b(message_id.encode("utf-8", "replace"), digest_size=12)
            key = digest.digest()
            if key in self.seen_ids:
                self.report.skip("duplicate Message-ID")
                return
            self.seen_ids.add(key)
        when = self._date(headers, envelope)
        if when is None:
            self.report.skip("missing or unparseable Date header")
            return
        values: list[str] = []
        for name in _RECIPIENT_HEADERS:
            values.extend(headers.get_all(name, []))
        recipients = [(a, n) for a, n in self._addresses(values) if a != sender]
        if not recipients:
            delivered = normalize_email(headers.get("Delivered-To"))
            if delivered and delivered != sender:
                recipients = [(delivered, None)]
        if not recipients:
            self.report.skip("no recipient address")
            if sender_name or sender not in self.recipientless:
                self.recipientless[sender] = sender_name
            span = self.recipientless_span or (when, when)
            self.recipientless_span = (min(span[0], when), max(span[1], when))
            return
        reason = self._bulk_reason(headers, sender, labels)
        if reason is not None:
            self.bulk_by_sender[sender] += 1
            self.bulk_reasons[reason] += 1
            if not self.include_bulk:
                self.report.skip(f"bulk mail ({reason})")
                return
        for address, name in [(sender, sender_name), *recipients]:
            if name and not self.names.get(address):
                self.names[address] = name
            else:
                self.names.setdefault(address, None)
        thread = (headers.get("X-GM-THRID") or "").strip()
        if not thread:
            references = (headers.get("References") or "").split()
            thread = (references[0] if references else "") or (
                headers.get("In-Reply-To") or message_id
            ).strip()
        self.events.append(
            ConversationEvent(
                timestamp=when,
                sender=self._id(sender),
                recipients=tuple(dict.fromkeys(self._id(a) for a, _ in recipients)),
                channel="bulk" if reason is not None else "email",
                conversation_id=thread or None,
                source=self.source,
            )
        )
        self.report.see(when)

    def finish(self, path: str) -> ExportData:
        report = self.report
        if self.messages == 0:
            raise IngestError("no message found", path=path)
        if self.undecodable:
            report.notes.append(
                f"{self.undecodable} header values could not be decoded (broken RFC 2047 "
                "charset or 8-bit bytes); the addresses were still read"
            )
        if self.envelope_dates:
            report.notes.append(
                f"{self.envelope_dates} messages without a usable Date header were dated "
                "from their mbox envelope line"
            )
        if self.bulk_by_sender:
            top = ", ".join(f"{s} ({n})" for s, n in self.bulk_by_sender.most_common(10))
            action = "kept on channel 'bulk'" if self.include_bulk else "excluded"
            report.notes.append(
                f"{sum(self.bulk_by_sender.values())} bulk messages {action} from "
                f"{len(self.bulk_by_sender)} senders; top senders: {top}; signals: "
                + ", ".join(f"{r} {n}" for r, n in self.bulk_reasons.most_common())
            )
        owner = self.me
        has_address = any("@" in m and ":" not in m for m in owner)
        if not has_address and self.sent_senders:
            detected = tuple(sorted(self.sent_senders))
            owner = (*owner, *detected)
            report.notes.append(
                f"owner detected from the Sent label/folder: {len(detected)} address(es); "
                "pass me= to override"
            )
        elif not has_address:
            report.notes.append("owner unknown: pass me=<your addresses> to get directions")
        report.records["messages"] = self.messages
        report.records["events"] = len(self.events)
        if self.obfuscated:
            report.notes.append(
                f"{self.obfuscated} message(s) with the sender written 'user at domain' (as "
                "mailing-list archives hide addresses): read as user@domain"
            )
        if not self.events and self._list_archive():
            return self._archive_without_ties(owner)
        if not self.events:
            reasons = ", ".join(f"{n} {r}" for r, n in report.skipped.most_common())
            hint = " (pass include_bulk=True to keep bulk mail)" if self.bulk_by_sender else ""
            raise IngestError(
                f"0 person-to-person messages out of {self.messages}: {reasons}{hint}", path=path
            )
        contacts = [
            Contact(address, (), name, {}, self.source) for address, name in self.names.items()
        ]
        report.records["contacts"] = len(contacts)
        return ExportData(contacts, self.events, [report], owner)

    def _list_archive(self) -> bool:
        """Whether every message read lacks only a recipient: a mailing-list archive, whose
        posts went to the list (pipermail and hyperkitty remove To and Cc)."""
        skipped = self.report.skipped
        benign = skipped["no recipient address"] + skipped["duplicate Message-ID"]
        return bool(self.recipientless) and benign == sum(skipped.values())

    def _archive_without_ties(self, owner: tuple[str, ...]) -> ExportData:
        """A list archive's result: its posters as contacts, no event, and a note why."""
        report = self.report
        n = self.messages - report.skipped["duplicate Message-ID"]
        report.variant += ", mailing-list archive"
        report.notes.append(
            f"0 person-to-person events: none of the {n} messages names a recipient (a "
            "mailing-list archive: each post went to the list, which is not a person, and "
            "the archive removes To and Cc); its posters are listed as contacts only"
        )
        assert self.recipientless_span is not None
        for when in self.recipientless_span:
            report.see(when)
        contacts = [
            Contact(address, (), name, {}, self.source)
            for address, name in self.recipientless.items()
        ]
        report.records["contacts"] = len(contacts)
        return ExportData(contacts, [], [report], owner)


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


def _iter_mbox(handle, path: str, report: ReadReport) -> Iterator[tuple[int, bytes, bytes]]:
    """Yield ``(line, envelope, header_block)`` per message, skipping bodies unread."""
    previous_blank = True
    pending: tuple[int, bytes] | None = None
    headers: list[bytes] | None = None
    header_bytes = 0
    start, envelope = 0, b""
    unsplit = 0
    number = 0
    for number, line in enumerate(handle, start=1):
        if number == 1 and not _ENVELOPE_RE.match(line.lstrip(b"\xef\xbb\xbf")):
            raise IngestError(
                "not an mbox file: line 1 is not a 'From ' separator line", path=path, line=1
            )
        if pending is not None:
            candidate_line, candidate = pending
            pending = None
            if _HEADER_LINE_RE.match(line):
                start, envelope, headers, header_bytes = (
                    candidate_line,
                    candidate,
                    [line],
                    len(line),
                )
                continue
            unsplit += 1  # an unescaped "From " line inside a body: not a separator
        if headers is not None:
            if line.strip() == b"":
                yield start, envelope, b"".join(headers)
                headers = None
                previous_blank = True
                continue
            header_bytes += len(line)
            if header_bytes > _MAX_HEADER_BYTES:
                report.skip("header block over 1 MiB")
                headers = None
                previous_blank = False
                continue
            headers.append(line)
            continue
        if previous_blank and line.startswith((b"From ", b"from ")):
            if _ENVELOPE_RE.match(line):
                pending = (number, line)
                continue
            unsplit += 1
        previous_blank = line.strip() == b""
    if headers is not None:
        yield start, envelope, b"".join(headers)
    if pending is not None:
        unsplit += 1
    if unsplit:
        report.notes.append(
            f"{unsplit} body lines starting with 'From ' after a blank line were not taken "
            "as message separators (no envelope shape or no header after them)"
        )
    if number == 0:
        raise IngestError("empty file, expected an mbox", path=path)


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
        The file does not start with a ``From `` separator, is empty, or yields no
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
    collector = _MailCollector(report, me, include_bulk=include_bulk, source="mbox")
    gmail = 0
    try:
        with open_binary(p) as handle:
            lines = handle if progress is None else _reporting_lines(handle, progress)
            for _line, envelope, block in _iter_mbox(lines, str(p), report):
                if b"\nX-Gmail-Labels:" in block or block.startswith(b"X-Gmail-Labels:"):
                    gmail += 1
                collector.add(block, envelope)
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc}", path=p) from None
    if gmail:
        report.variant = "Gmail / Google Takeout mbox (X-Gmail-Labels), headers only, streamed"
    return collector.finish(str(p))


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
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip() == b"":
                break
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

    Parameters
    ----------
    path : path-like
        The Maildir root. ``tmp/`` is ignored (messages still being delivered).
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
        Not a folder, no ``cur``/``new`` folder, or no person-to-person message.

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
    if not folders:
        raise IngestError("no cur/ or new/ folder: not a Maildir", path=root)
    report = ReadReport(str(root), "maildir", variant=f"Maildir, {len(folders)} folder(s)")
    collector = _MailCollector(report, me, include_bulk=include_bulk, source="maildir")
    for folder in folders:
        sent = "sent" in folder.name.lower() and folder != root
        for sub in ("cur", "new"):
            directory = folder / sub
            if not directory.is_dir():
                continue
            for message in sorted(directory.iterdir()):
                if not message.is_file():
                    continue
                try:
                    block = _read_header_block(message)
                except OSError as exc:
                    raise IngestError(f"cannot read file: {exc}", path=message) from None
                collector.add(block, None, sent_folder=sent)
    return collector.finish(str(root))


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
