"""Turning e-mail header blocks into events and contacts, for the mbox and Maildir readers.

:class:`MailCollector` takes one message's header block at a time (bodies are never read),
decides whether it is person-to-person, bulk or unusable (each skip counted in the
report), and at the end returns the :class:`~trustgraph.ingest.records.ExportData`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.parser import HeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from trustgraph.exceptions import IngestError
from trustgraph.ingest.identity import normalize_email, normalize_identifier
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.timeparse import as_utc

__all__ = ["MailCollector", "envelope_date"]


_ENVELOPE_DATE_RE = re.compile(
    r"(?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
    r"(?:\s+(?P<tz1>[+-]\d{4}|[A-Z]{2,5}))?\s+(?P<year>\d{4})(?:\s+(?P<tz2>[+-]\d{4}))?"
)
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

# Mailing-list archives (pipermail, hyperkitty) hide addresses as "goran at domain.com".
_OBFUSCATED_AT = re.compile(r"(?<=[\w.+-]) at (?=[\w-]+(?:\.[\w-]+)+)")
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


def _decode_words(value: str) -> str | None:
    """Decode RFC 2047 encoded words; None when the charset or encoding is broken."""
    try:
        return str(make_header(decode_header(value)))
    except (UnicodeError, LookupError, HeaderParseError, ValueError):
        return None


def envelope_date(envelope: bytes) -> datetime | None:
    """The date of an mbox envelope line (``From sender Thu Mar 14 09:05:12 2024``)."""
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


def _names_unusable(values: list[str]) -> bool:
    """Whether recipient header `values` name someone, but never with a usable address
    (``To: bo <bo.example>``): not a list archive's removed or ``user at domain`` To, nor
    an empty group (``undisclosed-recipients:;``), nor a message to its own sender."""
    plain = [_OBFUSCATED_AT.sub("@", value) for value in values]
    written = [raw for _, raw in getaddresses(plain) if raw]
    return bool(written) and not any(normalize_email(raw, dotless_host=True) for raw in written)


class MailCollector:
    """Turns header blocks into events and contacts, counting every skip and exclusion."""

    def __init__(
        self,
        report: ReadReport,
        me: Iterable[str],
        *,
        include_bulk: bool,
        source: str,
    ) -> None:
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
        out = self._parse_addresses(values)
        if out or not any("=?" in value for value in values):
            return out
        # RFC 2047 forbids encoded words in an addr-spec, but some senders encode the whole
        # header, bare address included (``From: =?UTF-8?B?...?=``): decode, then parse again.
        decoded = [_decode_words(value) for value in values]
        return self._parse_addresses([value for value in decoded if value])

    def _parse_addresses(self, values: list[str]) -> list[tuple[str, str | None]]:
        out = []
        for raw_name, raw_address in getaddresses(values):
            address = normalize_email(raw_address, dotless_host=True)
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
        when = envelope_date(envelope) if envelope is not None else None
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
        if not recipients and _names_unusable(values):
            self.report.skip("recipients without a usable address")
            return
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
            hint = (
                " (keep bulk mail with --include-bulk, or include_bulk=True in Python)"
                if self.bulk_by_sender
                else ""
            )
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
