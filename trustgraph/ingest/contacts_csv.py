"""Generic ``contacts.csv`` and ``conversations.csv`` readers.

Two plain CSV formats any user can produce from a spreadsheet or a script, documented in
``docs/conversations.md``:

* ``contacts.csv``: one row per person (``id``, ``name``, ``email``, ``phone``, ``url``,
  ``identifiers``, ``company``, ``position``, ``connected_on``, ``source``, any extra column);
* ``conversations.csv``: one row per message (``timestamp``, ``sender``, ``recipients``,
  ``channel``, ``conversation_id``, ``n_chars``).

Columns are matched by header name (case-insensitive, spaces and hyphens read as ``_``,
with aliases), in any order. The delimiter (comma, semicolon or tab) is detected from the
header. Message bodies are never read: a ``body``/``content``/``text``/``message`` column
is skipped and the report says so.

Both readers return the records and fill an optional :class:`ReadReport` passed as
``report=``; every problem that makes the file unusable raises :class:`IngestError` naming
the file and the physical line where the offending record starts.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from trustgraph.exceptions import IngestError
from trustgraph.ingest.csvtable import (
    BODY_COLUMNS,
    CSV_WRITERS,
    _missing_columns_error,
    _open_table,
    _skipped_summary,
    _start_report,
    _Table,
    detect_encoding,
    normalize_cell,
    parse_timestamp,
)
from trustgraph.ingest.phones import DEFAULT_REGION
from trustgraph.ingest.records import Contact, ConversationEvent, ReadReport
from trustgraph.ingest.textio import encoding_note
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange

__all__ = [
    "BODY_COLUMNS",
    "CONTACT_COLUMNS",
    "CONVERSATION_COLUMNS",
    "normalize_cell",
    "parse_timestamp",
    "read_contacts",
    "read_conversations",
]

#: Accepted header names (after lower-casing, spaces/hyphens -> "_") and their meaning.
CONTACT_COLUMNS: Mapping[str, str] = {
    "id": "id",
    "contact_id": "id",
    "name": "name",
    "display_name": "name",
    "full_name": "name",
    "first_name": "given_name",
    "given_name": "given_name",
    "last_name": "family_name",
    "family_name": "family_name",
    "surname": "family_name",
    "email": "email",
    "e_mail": "email",
    "email_address": "email",
    "phone": "phone",
    "phone_number": "phone",
    "url": "url",
    "profile_url": "url",
    "identifiers": "identifiers",
    "company": "company",
    "position": "position",
    "connected_on": "connected_on",
    "source": "source",
}

#: Accepted header names of ``conversations.csv`` and their meaning.
CONVERSATION_COLUMNS: Mapping[str, str] = {
    "timestamp": "timestamp",
    "time": "timestamp",
    "date": "timestamp",
    "datetime": "timestamp",
    "sender": "sender",
    "from": "sender",
    "recipients": "recipients",
    "recipient": "recipients",
    "to": "recipients",
    "channel": "channel",
    "conversation_id": "conversation_id",
    "conversation": "conversation_id",
    "thread": "conversation_id",
    "thread_id": "conversation_id",
    "n_chars": "n_chars",
}

_IDENTIFIER_COLUMNS = ("id", "email", "url", "phone", "identifiers")


@dataclass
class _ContactDraft:
    id: str
    line: int
    identifiers: dict[str, None] = field(default_factory=dict)
    display_name: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    source: str = ""
    connected_on: datetime | None = None

    def merge(
        self,
        identifiers: list[str],
        name: str,
        attributes: dict[str, str],
        source: str,
        connected_on: datetime | None,
    ) -> None:
        for identifier in identifiers:
            self.identifiers.setdefault(identifier, None)
        if not self.display_name and name:
            self.display_name = name
        for key, value in attributes.items():
            if value and not self.attributes.get(key):
                self.attributes[key] = value
        if not self.source and source:
            self.source = source
        if connected_on is not None and (
            self.connected_on is None or connected_on < self.connected_on
        ):
            self.connected_on = connected_on

    def contact(self, source: str) -> Contact:
        return Contact(
            id=self.id,
            identifiers=tuple(self.identifiers),
            display_name=self.display_name or None,
            attributes=self.attributes,
            source=self.source or source,
            connected_on=self.connected_on,
            declared=True,
        )


def read_contacts(
    path: str | os.PathLike[str],
    *,
    report: ReadReport | None = None,
    source: str = "contacts-csv",
    encoding: str | None = None,
    default_region: str | None = DEFAULT_REGION,
) -> list[Contact]:
    """Read a generic ``contacts.csv`` into :class:`Contact` records.

    Parameters
    ----------
    path : str or path-like
        The CSV file (comma, semicolon or tab delimited; gzip is read transparently).
    report : ReadReport, optional
        Filled with the detected delimiter, counts, skipped rows by reason and notes.
    source : str, default "contacts-csv"
        Recorded on contacts whose row has no ``source`` cell.
    encoding : str or None, default None
        Text encoding, decoded strictly (a bad byte is an error naming its line). None reads
        UTF-8 when the whole file decodes as UTF-8 and otherwise Windows-1252 (what Excel
        and Outlook on Windows write), with a note saying so.
    default_region : str or None, default "US"
        Region of phone numbers written without their country code (see
        :func:`normalize_cell`); a number that cannot be placed is kept as written.

    Returns
    -------
    list of Contact
        One per distinct contact id, in order of first appearance.

    Raises
    ------
    IngestError
        Missing, empty or UTF-16 file, or bad bytes in an explicit `encoding`; no identifier
        column; an unparseable
        ``connected_on`` (with its line); a row with more fields than the header; a
        recognised file that yields no contact.

    See Also
    --------
    read_conversations : the companion message file.
    trustgraph.ingest.build.build_graph : contacts and conversations to a graph.

    Notes
    -----
    Columns (any order, case-insensitive, aliases in brackets): ``id`` (contact_id),
    ``name`` (display_name, full_name; else ``first_name``/``given_name`` and
    ``last_name``/``family_name``/``surname`` joined), ``email``, ``phone``, ``url`` (profile_url),
    ``identifiers`` (``;``-separated), ``company``, ``position``, ``connected_on``
    (ISO 8601 or epoch seconds), ``source``. At least ``id`` or one identifier column is
    required. The contact id is the first non-empty of id, email, url, phone and the
    extra identifiers, normalised by :func:`normalize_cell`. Every other column
    becomes an attribute, except message-body columns, which are ignored.

    Rows sharing a contact id are merged: identifiers and attributes are unioned (the first
    non-empty value of an attribute wins), the display name and source are the first
    non-empty ones, ``connected_on`` is the earliest. Rows without any identifier are
    skipped and counted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "contacts.csv").write_text(
    ...     "id,name,email,company\\n"
    ...     "ada,Ada Example,Ada@Example.com,Example Ltd\\n"
    ...     ",Bo Sample,bo@example.org,\\n")
    >>> report = ReadReport(path="", format="")
    >>> contacts = read_contacts(folder / "contacts.csv", report=report)
    >>> [(c.id, c.display_name) for c in contacts]
    [('ada', 'Ada Example'), ('bo@example.org', 'Bo Sample')]
    >>> contacts[0].identifiers, dict(contacts[0].attributes)
    (('ada', 'ada@example.com'), {'company': 'Example Ltd'})
    >>> report.records["contacts"], report.variant
    (2, 'delimiter=comma')
    """
    guessed = detect_encoding(path) if encoding is None else encoding
    table = _open_table(path, CONTACT_COLUMNS, guessed)
    if not any(name in table.columns for name in _IDENTIFIER_COLUMNS):
        raise _missing_columns_error(
            table, "'id' or one of 'email', 'phone', 'url', 'identifiers'"
        )
    report = _start_report(report, table, "contacts-csv")
    note = encoding_note(guessed, CSV_WRITERS) if encoding is None else None
    if note:
        report.notes.append(note)
    if table.other_columns:
        report.notes.append(
            f"extra column(s) {list(table.other_columns.values())} kept as contact attributes"
        )
    drafts: dict[str, _ContactDraft] = {}
    skipped: Counter = Counter()
    n_rows = 0
    n_merged = 0
    for line, row in table.rows:
        n_rows += 1
        if not any(value.strip() for value in row):
            skipped["empty row"] += 1
            continue
        identifiers = _row_identifiers(table, row, default_region)
        if not identifiers:
            skipped["no identifier"] += 1
            continue
        draft = drafts.get(identifiers[0])
        if draft is None:
            draft = drafts[identifiers[0]] = _ContactDraft(id=identifiers[0], line=line)
        else:
            n_merged += 1
        draft.merge(
            identifiers,
            _row_name(table, row),
            _row_attributes(table, row),
            _cell(table, row, "source"),
            _connected_on(table, row, line),
        )
    for reason, count in skipped.items():
        report.skip(reason, count)
    if not drafts:
        raise IngestError(
            f"no contacts found: {n_rows} data row(s), {_skipped_summary(skipped)}",
            path=table.path,
        )
    if n_merged:
        report.notes.append(
            f"{n_merged} row(s) repeated an earlier contact id and were merged into it "
            f"(identifiers and attributes unioned, first non-empty name kept)"
        )
    contacts = [draft.contact(source) for draft in drafts.values()]
    report.records["contacts"] += len(contacts)
    dates = [c.connected_on for c in contacts if c.connected_on is not None]
    if dates:
        report.see(min(dates))
        report.see(max(dates))
    return contacts


def _cell(table: _Table, row: list[str], name: str) -> str:
    position = table.columns.get(name)
    return row[position].strip() if position is not None else ""


def _row_name(table: _Table, row: list[str]) -> str:
    """The ``name`` cell, else the given and family names joined (``First name``,
    ``Last name`` as mailing tools and spreadsheets write them)."""
    parts = (_cell(table, row, key) for key in ("given_name", "family_name"))
    return _cell(table, row, "name") or " ".join(part for part in parts if part)


def _row_identifiers(table: _Table, row: list[str], region: str | None) -> list[str]:
    """The row's identifiers, normalised and deduplicated; the first is the contact id."""
    identifiers = [
        normalize_cell(_cell(table, row, "id"), default_region=region),
        normalize_cell(_cell(table, row, "email"), "email", default_region=region),
        normalize_cell(_cell(table, row, "url"), "url", default_region=region),
        normalize_cell(_cell(table, row, "phone"), "phone", default_region=region),
    ]
    identifiers += [
        normalize_cell(x, default_region=region)
        for x in _cell(table, row, "identifiers").split(";")
    ]
    return [x for x in dict.fromkeys(identifiers) if x]


def _row_attributes(table: _Table, row: list[str]) -> dict[str, str]:
    attributes = {
        "company": _cell(table, row, "company"),
        "position": _cell(table, row, "position"),
    }
    for position, key in table.other_columns.items():
        attributes[key] = row[position].strip()
    return {k: v for k, v in attributes.items() if v}


def _connected_on(table: _Table, row: list[str], line: int) -> datetime | None:
    text = _cell(table, row, "connected_on")
    if not text:
        return None
    try:
        return parse_timestamp(text)
    except ValueError as exc:
        raise IngestError(f"connected_on: {exc}", path=table.path, line=line) from None


# ----------------------------------------------------------------------------- conversations


def read_conversations(
    path: str | os.PathLike[str],
    *,
    report: ReadReport | None = None,
    source: str = "conversations-csv",
    encoding: str | None = None,
    default_region: str | None = DEFAULT_REGION,
) -> list[ConversationEvent]:
    """Read a generic ``conversations.csv`` (one row per message) into events.

    Parameters
    ----------
    path : str or path-like
        The CSV file (comma, semicolon or tab delimited; gzip is read transparently).
    report : ReadReport, optional
        Filled with the detected delimiter, counts, skipped rows by reason, ignored
        columns and the date range.
    source : str, default "conversations-csv"
        Recorded on every event.
    encoding : str or None, default None
        Text encoding, decoded strictly (a bad byte is an error naming its line). None
        detects it as :func:`read_contacts` does (UTF-8, UTF-16, else Windows-1252), with a
        note when it is not UTF-8.
    default_region : str or None, default "US"
        Region of phone numbers written without their country code (see
        :func:`normalize_cell`); a number that cannot be placed is kept as written.

    Returns
    -------
    list of ConversationEvent
        In file order, timestamps in UTC, no message bodies.

    Raises
    ------
    IngestError
        Missing, empty or undecodable file; missing ``timestamp``/``sender``/``recipients``
        column (the columns found are listed); a missing or unparseable timestamp or a bad
        ``n_chars`` (with its line); a row with more fields than the header; a recognised
        file that yields no event.

    See Also
    --------
    read_contacts : the companion contact file.
    trustgraph.ingest.ties.TieModel : how events become edge weights.

    Notes
    -----
    Columns (any order, case-insensitive, aliases in brackets): ``timestamp`` (time, date,
    datetime), ``sender`` (from), ``recipients`` (recipient, to; ``;``-separated),
    ``channel`` (default ``dm`` for one recipient, ``group`` for more),
    ``conversation_id`` (conversation, thread, thread_id), ``n_chars``. Timestamps are ISO
    8601 with or without offset (naive = UTC) or epoch seconds or milliseconds. Other
    columns are ignored and listed in the report; body columns are never read.

    A well-formed timestamp outside the supported years (1 to 9999 in UTC, see
    :mod:`~trustgraph.ingest.timeparse`) skips its row, counted by that reason.
    Identifiers are normalised by :func:`normalize_cell`. Duplicate recipients count once.
    A sender listed among their own recipients is dropped from them (the event is kept,
    and counted in the report); a row left with no recipient, an empty sender or no
    recipients is skipped and counted by reason.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "conversations.csv").write_text(
    ...     "timestamp,sender,recipients,body\\n"
    ...     "2024-03-01T10:00:00Z,ada@example.com,bo@example.org,hello\\n"
    ...     "2024-03-02 09:30,bo@example.org,ada@example.com;cy@example.net,hi\\n")
    >>> report = ReadReport(path="", format="")
    >>> events = read_conversations(folder / "conversations.csv", report=report)
    >>> [(e.sender, e.recipients, e.channel) for e in events]  # doctest: +NORMALIZE_WHITESPACE
    [('ada@example.com', ('bo@example.org',), 'dm'),
     ('bo@example.org', ('ada@example.com', 'cy@example.net'), 'group')]
    >>> report.records["events"], report.notes[0]
    (2, "message body column(s) ['body'] ignored: bodies are never read")
    """
    guessed = detect_encoding(path) if encoding is None else encoding
    table = _open_table(path, CONVERSATION_COLUMNS, guessed)
    missing = [name for name in ("timestamp", "sender", "recipients") if name not in table.columns]
    if missing:
        raise _missing_columns_error(table, str(missing))
    report = _start_report(report, table, "conversations-csv")
    note = encoding_note(guessed, CSV_WRITERS) if encoding is None else None
    if note:
        report.notes.append(note)
    if table.other_columns:
        report.notes.append(f"column(s) {list(table.other_columns.values())} not used and ignored")
    rows = _MessageRows(table, source, default_region)
    events: list[ConversationEvent] = []
    n_rows = 0
    for line, row in table.rows:
        n_rows += 1
        event = rows.event(line, row)
        if event is not None:
            events.append(event)
    for reason, count in rows.skipped.items():
        report.skip(reason, count)
    if not events:
        raise IngestError(
            f"no conversation events found: {n_rows} data row(s), "
            f"{_skipped_summary(rows.skipped)}",
            path=table.path,
        )
    if rows.n_self_dropped:
        report.notes.append(
            f"{rows.n_self_dropped} event(s) listed the sender among the recipients; the "
            f"sender was dropped from them"
        )
    report.records["events"] += len(events)
    report.see(min(e.timestamp for e in events))
    report.see(max(e.timestamp for e in events))
    return events


class _MessageRows:
    """Turns the rows of a ``conversations.csv`` into events, counting what it skips."""

    def __init__(self, table: _Table, source: str, region: str | None) -> None:
        columns = table.columns
        self.path = table.path
        self.source = source
        self.region = region
        self.time_at = columns["timestamp"]
        self.sender_at = columns["sender"]
        self.recipients_at = columns["recipients"]
        self.channel_at = columns.get("channel")
        self.thread_at = columns.get("conversation_id")
        self.chars_at = columns.get("n_chars")
        # Participants repeat across millions of rows: normalise each distinct cell once.
        self.normalised: dict[str, str] = {}
        self.skipped: Counter = Counter()
        self.n_self_dropped = 0

    def participant(self, text: str) -> str:
        value = self.normalised.get(text)
        if value is None:
            value = self.normalised[text] = normalize_cell(text, default_region=self.region)
        return value

    def event(self, line: int, row: list[str]) -> ConversationEvent | None:
        """The row's event, or None for a row skipped and counted by reason."""
        if not any(value.strip() for value in row):
            self.skipped["empty row"] += 1
            return None
        stamp_text = row[self.time_at].strip()
        if not stamp_text:
            raise IngestError("missing timestamp", path=self.path, line=line)
        try:
            timestamp = parse_timestamp(stamp_text)
        except DateOutOfRange:
            self.skipped[f"timestamp {OUT_OF_RANGE_REASON}"] += 1
            return None
        except ValueError as exc:
            raise IngestError(f"timestamp: {exc}", path=self.path, line=line) from None
        sender = self.participant(row[self.sender_at])
        if not sender:
            self.skipped["empty sender"] += 1
            return None
        recipients = dict.fromkeys(self.participant(r) for r in row[self.recipients_at].split(";"))
        recipients.pop("", None)
        if not recipients:
            self.skipped["no recipients"] += 1
            return None
        if sender in recipients:
            del recipients[sender]
            self.n_self_dropped += 1
            if not recipients:
                self.skipped["message to self only"] += 1
                return None
        channel = row[self.channel_at].strip().lower() if self.channel_at is not None else ""
        thread = row[self.thread_at].strip() if self.thread_at is not None else ""
        return ConversationEvent(
            timestamp=timestamp,
            sender=sender,
            recipients=tuple(recipients),
            channel=channel or ("group" if len(recipients) > 1 else "dm"),
            conversation_id=thread or None,
            source=self.source,
            n_chars=self.n_chars(line, row),
        )

    def n_chars(self, line: int, row: list[str]) -> int | None:
        if self.chars_at is None or not row[self.chars_at].strip():
            return None
        text = row[self.chars_at].strip()
        if not text.isdigit():
            raise IngestError(
                f"n_chars must be a whole number >= 0, got {text!r}", path=self.path, line=line
            )
        return int(text)
