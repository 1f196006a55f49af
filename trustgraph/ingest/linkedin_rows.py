"""LinkedIn's CSV rows: finding the header, reading connections and messages row by row.

:mod:`trustgraph.ingest.linkedin` opens the files (a folder or the zip LinkedIn sends)
and hands their rows here.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone

from trustgraph.exceptions import IngestError
from trustgraph.ingest.identifiers import (
    linkedin_id,
    name_id,
    normalize_email,
    repair_mojibake,
)
from trustgraph.ingest.records import Contact, ConversationEvent, ReadReport
from trustgraph.ingest.textio import csv_problem

__all__: list[str] = []

_HEADER_SCAN_ROWS = 20
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_SYSTEM_CONTENT = {
    "message request accepted",
    "a linkedin member left the conversation.",
    "a linkedin member left the conversation",
}
_CONNECTION_COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "url",
    "profile url": "url",
    "email address": "email",
    "e-mail address": "email",
    "company": "company",
    "position": "position",
    "connected on": "connected_on",
}
_MESSAGE_COLUMNS = {
    "conversation id": "conversation",
    "conversation title": "title",
    "from": "from",
    "sender profile url": "sender_url",
    "to": "to",
    "recipient profile urls": "recipient_urls",
    "date": "date",
    "subject": "subject",
    "content": "content",
    "folder": "folder",
}


def _csv_error(exc: Exception, path: str, line: int) -> IngestError:
    if isinstance(exc, UnicodeDecodeError):
        return IngestError(
            f"byte 0x{exc.object[exc.start]:02x} is not valid UTF-8; re-save the file as UTF-8",
            path=path,
            line=line,
        )
    return IngestError(csv_problem(exc), path=path, line=line)


def _rows(handle: io.TextIOBase, path: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, row)``; the line number is where the row starts."""
    reader = csv.reader(handle)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _csv_error(exc, path, reader.line_num + 1) from None
        yield start, row
        start = reader.line_num + 1


def _parse_connected_on(text: str) -> datetime | None:
    value = text.strip()
    match = re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{2}|\d{4})", value)
    if match:
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return None
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        try:
            return datetime(full_year, month, int(day), tzinfo=timezone.utc)
        except ValueError:
            return None
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return datetime(*map(int, match.groups()), tzinfo=timezone.utc)
        except ValueError:
            return None
    return None


def _parse_message_date(text: str) -> datetime | None:
    value = text.strip()
    match = re.fullmatch(
        r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:UTC|Z|\+00:?00)?",
        value,
    )
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return datetime(*parts, tzinfo=timezone.utc)
    except ValueError:
        return None


def _map_header(row: list[str], known: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    extra: list[str] = []
    for index, cell in enumerate(row):
        name = " ".join(cell.replace("\ufeff", "").split()).lower()
        key = known.get(name)
        if key is None:
            if name:
                extra.append(cell.strip())
        elif key not in columns:
            columns[key] = index
    return columns, extra


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _read_connections_rows(
    rows: Iterator[tuple[int, list[str]]], path: str, report: ReadReport
) -> list[Contact]:
    columns, header_line = _connections_header(rows, path, report)
    contacts: dict[str, Contact] = {}
    bad: Counter = Counter()
    for _line, row in rows:
        if not any(cell.strip() for cell in row):
            report.skip("empty row (only commas)")
            continue
        contact = _connection(row, columns, bad)
        if contact is None:
            report.skip("row with empty First Name and Last Name")
            continue
        if contact.id in contacts:
            report.skip("duplicate profile URL")
            continue
        contacts[contact.id] = contact
        if contact.connected_on is not None:
            report.see(contact.connected_on)
    if bad["url"]:
        report.notes.append(
            f"{bad['url']} URL cells are not LinkedIn profile URLs; those connections are "
            "keyed by name and company and the cell is kept as text"
        )
    if bad["email"]:
        report.notes.append(f"{bad['email']} Email Address cells are not addresses; kept as text")
    if bad["date"]:
        report.notes.append(
            f"{bad['date']} Connected On cells not in '15 Mar 2024' or '01-Jul-25' form; "
            "those connections have no date"
        )
    report.records["contacts"] = len(contacts)
    if not contacts:
        raise IngestError(
            f"0 connections parsed (header on line {header_line}); every row was empty or "
            "had no name",
            path=path,
        )
    return list(contacts.values())


def _connections_header(
    rows: Iterator[tuple[int, list[str]]], path: str, report: ReadReport
) -> tuple[dict[str, int], int]:
    """Find the header row below LinkedIn's preamble; describe the variant in `report`."""
    preamble = 0
    columns: dict[str, int] = {}
    header_line = 0
    extra: list[str] = []
    for line, row in rows:
        lowered = {" ".join(c.replace("\ufeff", "").split()).lower() for c in row}
        if "first name" in lowered and "last name" in lowered:
            columns, extra = _map_header(row, _CONNECTION_COLUMNS)
            header_line = line
            break
        preamble += 1
        if preamble >= _HEADER_SCAN_ROWS:
            break
    if not columns:
        raise IngestError(
            f"no header row with 'First Name' and 'Last Name' in the first {_HEADER_SCAN_ROWS} "
            "rows; is this a LinkedIn Connections.csv?",
            path=path,
        )
    missing = [c for c in ("url", "connected_on", "position") if c not in columns]
    report.variant = (
        "current header" if not missing else f"old header (no {', '.join(missing)})"
    ) + (f", {preamble}-line preamble before the header" if preamble else ", no preamble")
    if extra:
        report.notes.append(f"columns not used: {', '.join(extra)}")
    if "url" not in columns:
        report.notes.append(
            "no URL column: connections are keyed by name and company, which cannot be joined "
            "with messages or other sources"
        )
    return columns, header_line


def _connection(row: list[str], columns: dict[str, int], bad: Counter) -> Contact | None:
    """The contact of one connection row (None without a name); unreadable URL, e-mail
    and date cells are counted in `bad` and kept as text."""
    first, last = _cell(row, columns, "first"), _cell(row, columns, "last")
    name = " ".join(f"{first} {last}".split())
    if not name:
        return None
    company = _cell(row, columns, "company")
    raw_url = _cell(row, columns, "url")
    profile = linkedin_id(raw_url)
    if profile is None:
        # Hidden members, hand-edited files and hostile cells (javascript: URLs) keep
        # the connection, keyed by name and company; the cell is kept as text only.
        if raw_url:
            bad["url"] += 1
        profile = name_id("linkedin", f"{name} | {company}")
    raw_email = _cell(row, columns, "email")
    email = normalize_email(raw_email)
    if raw_email and not email:
        bad["email"] += 1
    raw_date = _cell(row, columns, "connected_on")
    connected = _parse_connected_on(raw_date) if raw_date else None
    if raw_date and connected is None:
        bad["date"] += 1
    attributes = {"company": company, "position": _cell(row, columns, "position")}
    if raw_email and not email:
        attributes["email_text"] = raw_email
    if raw_url and not profile.startswith("linkedin:"):
        attributes["url_text"] = raw_url
    return Contact(
        profile,
        (email,) if email else (),
        name,
        {k: v for k, v in attributes.items() if v},
        "linkedin",
        connected,
        declared=True,
    )


def _read_message_rows(
    rows: Iterator[tuple[int, list[str]]], path: str, report: ReadReport
) -> tuple[list[Contact], list[ConversationEvent], dict[str, set[str]]]:
    columns = _messages_header(rows, path, report)
    names = _Names()
    raw_events: list[tuple[datetime, str, tuple[str, ...], str, int]] = []
    participants: dict[str, set[str]] = {}
    folders: Counter = Counter()
    for line, row in rows:
        message = _message(line, row, columns, names, report)
        if message is None:
            continue
        folders[_cell(row, columns, "folder") or "(none)"] += 1
        participants.setdefault(message[3], set()).update((message[1], *message[2]))
        raw_events.append(message)
    events = []
    for when, sender, recipients, conversation, n_chars in raw_events:
        group = len(participants[conversation]) > 2 or len(recipients) > 1
        events.append(
            ConversationEvent(
                when,
                sender,
                recipients,
                "group" if group else "dm",
                conversation,
                "linkedin",
                n_chars,
            )
        )
        report.see(when)
    if names.repaired:
        report.notes.append(
            f"{names.repaired} names repaired from mojibake (latin-1 read of UTF-8)"
        )
    if folders:
        report.notes.append(
            "messages per FOLDER: " + ", ".join(f"{k} {v}" for k, v in sorted(folders.items()))
        )
    # "messages" as every chat reader names them (each row is one message and one event).
    report.records["messages"] = len(events)
    report.records["events"] = len(events)
    report.records["conversations"] = len(participants)
    if not events:
        reasons = ", ".join(f"{n} {r}" for r, n in report.skipped.most_common()) or "no rows"
        raise IngestError(f"0 messages parsed ({reasons})", path=path)
    seen = dict.fromkeys(p for ids in participants.values() for p in sorted(ids))
    contacts = [Contact(pid, (), names.names.get(pid), {}, "linkedin") for pid in seen]
    report.records["contacts"] = len(contacts)
    return contacts, events, participants


def _messages_header(
    rows: Iterator[tuple[int, list[str]]], path: str, report: ReadReport
) -> dict[str, int]:
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise IngestError("empty file, expected a messages.csv header", path=path) from None
    columns, extra = _map_header(header, _MESSAGE_COLUMNS)
    required = ("conversation", "sender_url", "recipient_urls", "date")
    missing = [k for k in required if k not in columns]
    if missing:
        column_names = {key: name.upper() for name, key in _MESSAGE_COLUMNS.items()}
        raise IngestError(
            "not a LinkedIn messages.csv header: missing "
            + ", ".join(column_names[k] for k in missing),
            path=path,
            line=header_line,
        )
    report.variant = "columns by name" + (f", extra columns: {', '.join(extra)}" if extra else "")
    return columns


class _Names:
    """The first display name seen for each profile, repaired from mojibake."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.repaired = 0

    def see(self, profile: str, name: str) -> None:
        fixed = repair_mojibake(name)
        self.repaired += fixed != name
        if fixed:
            self.names.setdefault(profile, fixed)


def _message(
    line: int, row: list[str], columns: dict[str, int], names: _Names, report: ReadReport
) -> tuple[datetime, str, tuple[str, ...], str, int] | None:
    """(time, sender, recipients, conversation, length) of one row, or None when skipped."""
    if not any(cell.strip() for cell in row):
        report.skip("empty row")
        return None
    content = _cell(row, columns, "content")
    if content.lower() in _SYSTEM_CONTENT:
        report.skip("system row (request accepted / member left)")
        return None
    sender = linkedin_id(_cell(row, columns, "sender_url"))
    if sender is None:
        report.skip("row without a sender profile URL")
        return None
    when = _parse_message_date(_cell(row, columns, "date"))
    if when is None:
        report.skip("DATE not in 'YYYY-MM-DD HH:MM:SS UTC' form")
        return None
    conversation = _cell(row, columns, "conversation") or f"line-{line}"
    urls = [u for u in re.split(r"[;,]", _cell(row, columns, "recipient_urls")) if u.strip()]
    recipients = [r for r in (linkedin_id(u) for u in urls) if r and r != sender]
    if not recipients:
        report.skip("row without a recipient profile URL")
        return None
    names.see(sender, _cell(row, columns, "from"))
    to_names = [n.strip() for n in _cell(row, columns, "to").split(";")]
    if len(to_names) == len(urls):
        for url, to_name in zip(urls, to_names):
            rid = linkedin_id(url)
            if rid and to_name:
                names.see(rid, to_name)
    return when, sender, tuple(dict.fromkeys(recipients)), conversation, len(content)
