"""LinkedIn "Get a copy of your data": ``Connections.csv`` and ``messages.csv``.

Connections are declared ties without evidence of conversation (the strangers trustgraph
separates from the trusted core); messages are conversation events between profile URLs.
Columns are found by header name, never by position, because LinkedIn reorders, adds and
drops columns between exports (FORMATS.md §2.1).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import is_zip_archive, open_member, open_zip
from trustgraph.ingest.identity import (
    linkedin_id,
    name_id,
    normalize_email,
    normalize_identifier,
    repair_mojibake,
)
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.textio import check_file, csv_problem, open_binary

__all__ = ["read_linkedin", "read_linkedin_connections", "read_linkedin_messages"]

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
    preamble = 0
    columns: dict[str, int] = {}
    header_line = 0
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
    contacts: dict[str, Contact] = {}
    bad_email = bad_date = bad_url = 0
    for _line, row in rows:
        if not any(cell.strip() for cell in row):
            report.skip("empty row (only commas)")
            continue
        first, last = _cell(row, columns, "first"), _cell(row, columns, "last")
        name = " ".join(f"{first} {last}".split())
        if not name:
            report.skip("row with empty First Name and Last Name")
            continue
        identifiers: list[str] = []
        profile = linkedin_id(_cell(row, columns, "url"))
        company = _cell(row, columns, "company")
        raw_url = _cell(row, columns, "url")
        if profile is None:
            # Hidden members, hand-edited files and hostile cells (javascript: URLs) keep
            # the connection, keyed by name and company; the cell is kept as text only.
            if raw_url:
                bad_url += 1
            profile = name_id("linkedin", f"{name} | {company}")
        raw_email = _cell(row, columns, "email")
        email = normalize_email(raw_email)
        if email:
            identifiers.append(email)
        elif raw_email:
            bad_email += 1
        raw_date = _cell(row, columns, "connected_on")
        connected = _parse_connected_on(raw_date) if raw_date else None
        if raw_date and connected is None:
            bad_date += 1
        if profile in contacts:
            report.skip("duplicate profile URL")
            continue
        attributes = {"company": company, "position": _cell(row, columns, "position")}
        if raw_email and not email:
            attributes["email_text"] = raw_email
        if raw_url and not profile.startswith("linkedin:"):
            attributes["url_text"] = raw_url
        contacts[profile] = Contact(
            profile,
            tuple(identifiers),
            name,
            {k: v for k, v in attributes.items() if v},
            "linkedin",
            connected,
            declared=True,
        )
        if connected is not None:
            report.see(connected)
    if bad_url:
        report.notes.append(
            f"{bad_url} URL cells are not LinkedIn profile URLs; those connections are keyed "
            "by name and company and the cell is kept as text"
        )
    if bad_email:
        report.notes.append(f"{bad_email} Email Address cells are not addresses; kept as text")
    if bad_date:
        report.notes.append(
            f"{bad_date} Connected On cells not in '15 Mar 2024' or '01-Jul-25' form; "
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


def _read_message_rows(
    rows: Iterator[tuple[int, list[str]]], path: str, report: ReadReport
) -> tuple[list[Contact], list[ConversationEvent], dict[str, set[str]]]:
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
    names: dict[str, str] = {}
    repaired = 0
    raw_events: list[tuple[datetime, str, tuple[str, ...], str, int]] = []
    participants: dict[str, set[str]] = {}
    folders: Counter = Counter()
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            report.skip("empty row")
            continue
        content = _cell(row, columns, "content")
        if content.lower() in _SYSTEM_CONTENT:
            report.skip("system row (request accepted / member left)")
            continue
        sender = linkedin_id(_cell(row, columns, "sender_url"))
        if sender is None:
            report.skip("row without a sender profile URL")
            continue
        when = _parse_message_date(_cell(row, columns, "date"))
        if when is None:
            report.skip("DATE not in 'YYYY-MM-DD HH:MM:SS UTC' form")
            continue
        conversation = _cell(row, columns, "conversation") or f"line-{line}"
        urls = [u for u in re.split(r"[;,]", _cell(row, columns, "recipient_urls")) if u.strip()]
        recipients = [r for r in (linkedin_id(u) for u in urls) if r and r != sender]
        if not recipients:
            report.skip("row without a recipient profile URL")
            continue
        sender_name = _cell(row, columns, "from")
        fixed = repair_mojibake(sender_name)
        if fixed != sender_name:
            repaired += 1
        if fixed:
            names.setdefault(sender, fixed)
        to_names = [n.strip() for n in _cell(row, columns, "to").split(";")]
        if len(to_names) == len(urls):
            for url, to_name in zip(urls, to_names):
                rid = linkedin_id(url)
                if rid and to_name:
                    fixed_to = repair_mojibake(to_name)
                    repaired += fixed_to != to_name
                    names.setdefault(rid, fixed_to)
        folders[_cell(row, columns, "folder") or "(none)"] += 1
        participants.setdefault(conversation, set()).update((sender, *recipients))
        raw_events.append(
            (when, sender, tuple(dict.fromkeys(recipients)), conversation, len(content))
        )
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
    if repaired:
        report.notes.append(f"{repaired} names repaired from mojibake (latin-1 read of UTF-8)")
    if folders:
        report.notes.append(
            "messages per FOLDER: " + ", ".join(f"{k} {v}" for k, v in sorted(folders.items()))
        )
    report.records["events"] = len(events)
    report.records["conversations"] = len(participants)
    if not events:
        reasons = ", ".join(f"{n} {r}" for r, n in report.skipped.most_common()) or "no rows"
        raise IngestError(f"0 messages parsed ({reasons})", path=path)
    seen = dict.fromkeys(p for ids in participants.values() for p in sorted(ids))
    contacts = [Contact(pid, (), names.get(pid), {}, "linkedin") for pid in seen]
    report.records["contacts"] = len(contacts)
    return contacts, events, participants


@contextmanager
def _open_text(path: Path, member: str | None = None) -> Iterator[io.TextIOBase]:
    try:
        if member is None:
            raw = open_binary(path)
            with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
                yield text
        else:
            # Zip members are streamed through the archive guards (damaged archive,
            # repeated names, encryption, unknown compression, zip bombs, corrupt data).
            with (
                open_zip(path) as archive,
                open_member(archive, member, _label(path, member)) as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
            ):
                yield text
    except (OSError, zipfile.BadZipFile) as exc:
        raise IngestError(f"cannot read file: {exc}", path=path) from None


def _label(path: Path, member: str | None) -> str:
    return str(path) if member is None else f"{path}!{member}"


def read_linkedin_connections(
    path: str | os.PathLike[str], *, _member: str | None = None
) -> ExportData:
    """Read a LinkedIn ``Connections.csv``: one contact per connection, no events.

    Parameters
    ----------
    path : path-like
        The CSV file (or, with the private `_member`, the zip holding it).

    Returns
    -------
    ExportData
        Contacts with id ``linkedin:<slug>``, the e-mail address (when the member shares
        it) as a second identifier, ``company``/``position`` attributes and `connected_on`.

    Raises
    ------
    IngestError
        No header row in the first 20 rows, or no connection parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "Connections.csv"
    >>> _ = f.write_text("Notes:\\n\\"Some emails are missing.\\"\\n\\n"
    ...     "First Name,Last Name,URL,Email Address,Company,Position,Connected On\\n"
    ...     "Ada,Example,https://www.linkedin.com/in/ada-example-0001,,Acme,CTO,15 Mar 2024\\n")
    >>> data = read_linkedin_connections(f)
    >>> data.contacts[0].id, data.contacts[0].connected_on.date().isoformat()
    ('linkedin:ada-example-0001', '2024-03-15')
    """
    p = Path(path)
    label = _label(p, _member)
    report = ReadReport(label, "linkedin-connections")
    with _open_text(p, _member) as handle:
        contacts = _read_connections_rows(_rows(handle, label), label, report)
    return ExportData(contacts=contacts, reports=[report])


def read_linkedin_messages(
    path: str | os.PathLike[str],
    *,
    me: tuple[str, ...] | list[str] = (),
    _member: str | None = None,
) -> ExportData:
    """Read a LinkedIn ``messages.csv``: one event per message, no bodies kept.

    Parameters
    ----------
    path : path-like
        The CSV file.
    me : iterable of str
        The owner's profile URL(s) or ``linkedin:`` ids. When absent, the owner is the
        only profile present in every conversation (reported); if that is ambiguous the
        owner stays unknown and the report says so.

    Returns
    -------
    ExportData
        Events (``dm`` or ``group``; ``n_chars`` = length of CONTENT), one contact per
        participant with the (mojibake-repaired) name, and the owner.

    Raises
    ------
    IngestError
        Missing required columns, undecodable bytes, or no message parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "messages.csv"
    >>> _ = f.write_text("CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    ...     "DATE,CONTENT\\n"
    ...     "c1,Ada Example,https://www.linkedin.com/in/ada,Bo Sample,"
    ...     "https://www.linkedin.com/in/bo,2024-03-14 09:05:12 UTC,hi\\n")
    >>> event = read_linkedin_messages(f, me=["https://www.linkedin.com/in/ada"]).events[0]
    >>> event.sender, event.recipients, event.timestamp.isoformat()
    ('linkedin:ada', ('linkedin:bo',), '2024-03-14T09:05:12+00:00')
    """
    p = Path(path)
    label = _label(p, _member)
    report = ReadReport(label, "linkedin-messages")
    with _open_text(p, _member) as handle:
        contacts, events, participants = _read_message_rows(_rows(handle, label), label, report)
    owner = _owner(me, participants, report)
    return ExportData(contacts=contacts, events=events, reports=[report], owner=owner)


def _owner(
    me: tuple[str, ...] | list[str], participants: dict[str, set[str]], report: ReadReport
) -> tuple[str, ...]:
    given = [i for i in (normalize_identifier(m) for m in me) if i]
    if any(i.startswith("linkedin:") for i in given):
        return tuple(dict.fromkeys(given))
    common = set.intersection(*participants.values()) if participants else set()
    if len(common) == 1:
        owner = next(iter(common))
        report.notes.append(
            f"owner detected: the one profile present in all {len(participants)} conversations"
        )
        return tuple(dict.fromkeys((*given, owner)))
    report.notes.append(
        "owner not detected: "
        + (
            f"{len(common)} profiles are in every conversation"
            if common
            else "no profile is in every conversation"
        )
        + "; pass me=<your profile URL>"
    )
    return tuple(dict.fromkeys(given))


def _find_members(names: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in names:
        base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if base in ("connections.csv", "messages.csv") and base not in found:
            found[base] = name
    return found


def _sniff(path: Path) -> str | None:
    try:
        with _open_text(path) as handle:
            head = handle.read(8192).lower()
    except UnicodeDecodeError:
        return None  # a truncated gzip, say, is reported as such
    if "conversation id" in head and "sender profile url" in head:
        return "messages.csv"
    if "first name" in head and "last name" in head:
        return "connections.csv"
    return None


def read_linkedin(
    path: str | os.PathLike[str], *, me: tuple[str, ...] | list[str] = ()
) -> ExportData:
    """Read a LinkedIn data export: the folder, the zip archive, or one of its CSV files.

    Parameters
    ----------
    path : path-like
        ``Basic_/Complete_LinkedInDataExport_*.zip`` (read in place), the folder it was
        extracted to (searched recursively), ``Connections.csv`` or ``messages.csv``.
    me : iterable of str
        The owner's profile URL(s); see :func:`read_linkedin_messages`.

    Returns
    -------
    ExportData
        Connections (declared-only ties: contacts with `connected_on`, no events) and
        message events, with one report per CSV read.

    Raises
    ------
    IngestError
        Neither CSV found, or a CSV that is recognised but yields nothing.

    See Also
    --------
    read_linkedin_connections, read_linkedin_messages

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "Connections.csv").write_text(
    ...     "First Name,Last Name,URL,Email Address,Company,Position,Connected On\\n"
    ...     "Bo,Sample,https://www.linkedin.com/in/bo-sample-0002,bo@example.org,,,01-Jul-25\\n")
    >>> [c.identifiers for c in read_linkedin(folder).contacts]
    [('linkedin:bo-sample-0002', 'bo@example.org')]
    """
    p = Path(path)
    if not p.exists():
        raise IngestError("no such file or folder", path=p)
    data = ExportData()
    if p.is_dir():
        found = _find_members(sorted(str(f.relative_to(p)) for f in p.rglob("*.csv")))
        targets = [(p / rel, None, base) for base, rel in found.items()]
    elif is_zip_archive(p):  # a FIFO, a device or a damaged zip raise here
        with open_zip(p) as archive:
            found = _find_members(archive.namelist())
        targets = [(p, member, base) for base, member in found.items()]
    else:
        check_file(p)
        kind = _sniff(p)
        if kind is None:
            raise IngestError(
                "not a LinkedIn Connections.csv or messages.csv (no known header)", path=p
            )
        targets = [(p, None, kind)]
    if not targets:
        raise IngestError(
            "no Connections.csv or messages.csv found; point trustgraph at the LinkedIn "
            "export zip or the folder it was extracted to",
            path=p,
        )
    for file_path, member, kind in sorted(targets, key=lambda t: t[2]):
        if kind == "connections.csv":
            data.extend(read_linkedin_connections(file_path, _member=member))
        else:
            data.extend(read_linkedin_messages(file_path, me=me, _member=member))
    # A member both connected and messaged keeps one record: the connection (it carries
    # the e-mail address, company and date); the message record only adds a name.
    first: dict[str, Contact] = {}
    for contact in data.contacts:
        first.setdefault(contact.id, contact)
    data.contacts = list(first.values())
    return data
