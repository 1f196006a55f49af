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

import csv
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from trustgraph.exceptions import IngestError
from trustgraph.ingest import textio
from trustgraph.ingest.identity import linkedin_id, normalize_email, normalize_phone
from trustgraph.ingest.records import Contact, ConversationEvent, ReadReport
from trustgraph.ingest.textio import check_file, csv_problem, read_text_lines
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange, as_utc, utc_from_iso

__all__ = [
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

#: Columns holding message text: never read, in either file.
BODY_COLUMNS = frozenset({"body", "content", "text", "message", "message_body"})

_IDENTIFIER_COLUMNS = ("id", "email", "url", "phone", "identifiers")
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_PHONE = re.compile(r"^\+?[0-9 ().\-]+$")
_EPOCH = re.compile(r"^[+-]?\d+(\.\d*)?$")
# Epoch values this large are milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973.
_EPOCH_MS_THRESHOLD = 1e11


# ----------------------------------------------------------------------------- values


def normalize_cell(value: str, column: str | None = None) -> str:
    """Normalise an identifier cell so one person gets one node id across files and sources.

    Uses the identity layer's rules (:mod:`trustgraph.ingest.identity`): e-mail addresses
    are lower-cased, phone numbers become E.164 (``+15550100101``), LinkedIn profile URLs
    become ``linkedin:<slug>``, other URLs lose a trailing ``/``. In id, sender and
    recipient cells a phone number is recognised only when written with a ``+`` or with
    separators (spaces, dashes, dots, parentheses), so that a bare numeric account id
    stays an id. Anything else is only stripped (ids are case-sensitive). A cell that the
    rule for its column cannot read (a ``phone`` cell without digits) is kept stripped.

    Parameters
    ----------
    value : str
        The raw cell.
    column : {"email", "phone", "url"} or None
        The column the cell comes from; None for ids, senders, recipients and the
        ``identifiers`` list, whose kind is guessed.

    Examples
    --------
    >>> normalize_cell("  Ada.Example@Example.COM ")
    'ada.example@example.com'
    >>> normalize_cell("+1 (555) 010-0101"), normalize_cell("5550100101")
    ('+15550100101', '5550100101')
    >>> normalize_cell("(555) 010-0101", column="phone")
    '+15550100101'
    >>> normalize_cell("https://www.linkedin.com/in/ada-example/")
    'linkedin:ada-example'
    >>> normalize_cell("Ada")
    'Ada'
    """
    text = value.strip()
    if not text:
        return text
    if column == "phone":
        return normalize_phone(text) or text
    if "@" in text and " " not in text and not text.startswith("@"):
        return normalize_email(text) or text
    if "linkedin.com/" in text.lower():
        slug = linkedin_id(text)
        if slug is not None:
            return slug
    if text.lower().startswith(("http://", "https://")):
        return text.rstrip("/")
    if column is None and _PHONE.match(text) and not text.isdigit():
        return normalize_phone(text) or text
    return text


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 date/datetime or epoch seconds/milliseconds into an aware UTC datetime.

    Naive ISO values are taken as UTC. A trailing ``Z`` means UTC. A bare number is epoch
    seconds, or epoch milliseconds when its magnitude is at least ``1e11``.

    Raises
    ------
    ValueError
        The text is none of the above (:class:`~trustgraph.ingest.timeparse.DateOutOfRange`
        when it is a well-formed time outside the supported years, 1 to 9999 in UTC).

    Examples
    --------
    >>> parse_timestamp("2024-03-01T10:00:00+02:00").isoformat()
    '2024-03-01T08:00:00+00:00'
    >>> parse_timestamp("2024-03-01").isoformat()
    '2024-03-01T00:00:00+00:00'
    >>> parse_timestamp("1709287200") == parse_timestamp("1709287200000")
    True
    """
    value = text.strip()
    if not value:
        raise ValueError("empty timestamp")
    if _EPOCH.match(value):
        number = float(value)
        if abs(number) >= _EPOCH_MS_THRESHOLD:
            number /= 1000.0
        try:
            return as_utc(datetime.fromtimestamp(number, tz=timezone.utc))
        except (OverflowError, OSError, ValueError):
            raise DateOutOfRange(f"epoch value {value!r} is out of range") from None
    try:
        return utc_from_iso(value)
    except DateOutOfRange:
        raise
    except OverflowError:  # 9999-12-31T23:59:59-12:00 is in the year 10000 in UTC
        raise DateOutOfRange(f"{value!r} is out of range") from None
    except ValueError:
        raise ValueError(
            f"{value!r} is neither ISO 8601 (2024-03-01T10:00:00Z) nor epoch seconds"
        ) from None


# ----------------------------------------------------------------------------- tables


def _header_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


@dataclass
class _Table:
    """A CSV file opened for reading: detected delimiter, header mapping and row stream."""

    path: Path
    delimiter: str
    header_line: int
    header: list[str]
    columns: dict[str, int]  # canonical name -> column index
    body_columns: list[str]
    other_columns: dict[int, str]  # index -> normalised header name, unknown columns
    rows: Iterator[tuple[int, list[str]]] = field(repr=False)


def _detect_delimiter(header_line: str, aliases: Mapping[str, str]) -> str:
    """The delimiter that splits the header into the most recognised column names."""
    best, best_score = ",", (-1, -1)
    for delimiter in _DELIMITERS:
        # May raise csv.Error (a field over the size limit): the caller names the line.
        names = next(csv.reader([header_line], delimiter=delimiter), [])
        keys = [_header_key(n) for n in names]
        recognised = sum(1 for k in keys if k in aliases or k in BODY_COLUMNS)
        score = (recognised, len(names))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_table(path: str | os.PathLike[str], aliases: Mapping[str, str], encoding: str) -> _Table:
    p = check_file(path)
    lines = read_text_lines(p, encoding=encoding, max_line_bytes=textio.MAX_LINE_BYTES)
    for header_number, header_text in lines:  # noqa: B007 (both are used after the loop)
        if header_text.strip():
            break
    else:
        raise IngestError("empty file; expected a header line with column names", path=p)
    try:
        delimiter = _detect_delimiter(header_text, aliases)
    except csv.Error as exc:
        raise IngestError(
            f"malformed CSV header: {csv_problem(exc)}", path=p, line=header_number
        ) from None
    consumed = [header_number]

    def physical_lines() -> Iterator[str]:
        # csv needs the line ends back to parse quoted fields spanning lines; `consumed`
        # remembers the last physical line handed out, so a record starts one line later.
        yield header_text + "\n"
        for number, text in lines:
            consumed[0] = number
            yield text + "\n"

    # strict: an unterminated quote raises instead of silently swallowing the rest of the file
    reader = csv.reader(physical_lines(), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise IngestError(
            f"malformed CSV header: {csv_problem(exc)}", path=p, line=header_number
        ) from None

    columns: dict[str, int] = {}
    body_columns: list[str] = []
    other: dict[int, str] = {}
    for position, raw in enumerate(header):
        key = _header_key(raw)
        if key in BODY_COLUMNS:
            body_columns.append(raw.strip())
        elif key in aliases:
            meaning = aliases[key]
            if meaning in columns:
                first = header[columns[meaning]].strip()
                raise IngestError(
                    f"columns {first!r} and {raw.strip()!r} both mean {meaning!r}; keep one",
                    path=p,
                    line=header_number,
                )
            columns[meaning] = position
        elif key:
            other[position] = key

    def records() -> Iterator[tuple[int, list[str]]]:
        while True:
            start = consumed[0] + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise IngestError(
                    f"malformed CSV record: {csv_problem(exc)}", path=p, line=start
                ) from None
            if not row:  # a blank line
                continue
            if len(row) > len(header):
                if any(cell.strip() for cell in row[len(header) :]):
                    raise IngestError(
                        f"row has {len(row)} fields but the header has {len(header)} columns; "
                        f"quote fields that contain the delimiter "
                        f"({_DELIMITERS[delimiter]})",
                        path=p,
                        line=start,
                    )
                row = row[: len(header)]
            elif len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            yield start, row

    return _Table(p, delimiter, header_number, header, columns, body_columns, other, records())


def _missing_columns_error(table: _Table, what: str) -> IngestError:
    found = [h.strip() for h in table.header]
    message = f"missing required column(s) {what}; found columns: {found}"
    if len(found) == 1:
        for delimiter, label in (("|", "pipe"), (";", "semicolon"), ("\t", "tab")):
            if delimiter in found[0]:
                message += (
                    f" (a single column containing '{delimiter}': is the file {label}-"
                    f"delimited? use comma, semicolon or tab, and the documented column names)"
                )
                break
    return IngestError(message, path=table.path, line=table.header_line)


def _start_report(report: ReadReport | None, table: _Table, fmt: str) -> ReadReport:
    if report is None:
        report = ReadReport(path=str(table.path), format=fmt)
    report.path = str(table.path)
    report.format = fmt
    report.variant = f"delimiter={_DELIMITERS[table.delimiter]}"
    if table.body_columns:
        report.notes.append(
            f"message body column(s) {table.body_columns} ignored: bodies are never read"
        )
    return report


def _skipped_summary(skipped: Counter) -> str:
    if not skipped:
        return "no data rows after the header"
    reasons = ", ".join(f"{n} {reason}" for reason, n in skipped.most_common())
    return f"every row was skipped ({reasons})"


# ----------------------------------------------------------------------------- contacts


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


def read_contacts(
    path: str | os.PathLike[str],
    *,
    report: ReadReport | None = None,
    source: str = "contacts-csv",
    encoding: str = "utf-8",
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
    encoding : str, default "utf-8"
        Text encoding; decoding is strict (a bad byte is an error naming its line).

    Returns
    -------
    list of Contact
        One per distinct contact id, in order of first appearance.

    Raises
    ------
    IngestError
        Missing, empty or undecodable file; no identifier column; an unparseable
        ``connected_on`` (with its line); a row with more fields than the header; a
        recognised file that yields no contact.

    See Also
    --------
    read_conversations : the companion message file.
    trustgraph.ingest.build.build_graph : contacts and conversations to a graph.

    Notes
    -----
    Columns (any order, case-insensitive, aliases in brackets): ``id`` (contact_id),
    ``name`` (display_name, full_name), ``email``, ``phone``, ``url`` (profile_url),
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
    table = _open_table(path, CONTACT_COLUMNS, encoding)
    columns = table.columns
    if not any(name in columns for name in _IDENTIFIER_COLUMNS):
        raise _missing_columns_error(
            table, "'id' or one of 'email', 'phone', 'url', 'identifiers'"
        )
    report = _start_report(report, table, "contacts-csv")
    if table.other_columns:
        report.notes.append(
            f"extra column(s) {list(table.other_columns.values())} kept as contact attributes"
        )

    def cell(row: list[str], name: str) -> str:
        position = columns.get(name)
        return row[position].strip() if position is not None else ""

    drafts: dict[str, _ContactDraft] = {}
    skipped: Counter = Counter()
    n_rows = 0
    n_merged = 0
    for line, row in table.rows:
        n_rows += 1
        if not any(value.strip() for value in row):
            skipped["empty row"] += 1
            continue
        identifiers = [
            normalize_cell(cell(row, "id")),
            normalize_cell(cell(row, "email"), "email"),
            normalize_cell(cell(row, "url"), "url"),
            normalize_cell(cell(row, "phone"), "phone"),
        ]
        identifiers += [normalize_cell(x) for x in cell(row, "identifiers").split(";")]
        identifiers = [x for x in dict.fromkeys(identifiers) if x]
        if not identifiers:
            skipped["no identifier"] += 1
            continue
        contact_id = identifiers[0]
        connected_text = cell(row, "connected_on")
        connected_on = None
        if connected_text:
            try:
                connected_on = parse_timestamp(connected_text)
            except ValueError as exc:
                raise IngestError(f"connected_on: {exc}", path=table.path, line=line) from None
        attributes = {
            "company": cell(row, "company"),
            "position": cell(row, "position"),
        }
        for position, key in table.other_columns.items():
            attributes[key] = row[position].strip()
        attributes = {k: v for k, v in attributes.items() if v}
        draft = drafts.get(contact_id)
        if draft is None:
            draft = drafts[contact_id] = _ContactDraft(id=contact_id, line=line)
        else:
            n_merged += 1
        draft.merge(identifiers, cell(row, "name"), attributes, cell(row, "source"), connected_on)

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
    contacts = [
        Contact(
            id=draft.id,
            identifiers=tuple(draft.identifiers),
            display_name=draft.display_name or None,
            attributes=draft.attributes,
            source=draft.source or source,
            connected_on=draft.connected_on,
            declared=True,
        )
        for draft in drafts.values()
    ]
    report.records["contacts"] += len(contacts)
    dates = [c.connected_on for c in contacts if c.connected_on is not None]
    if dates:
        report.see(min(dates))
        report.see(max(dates))
    return contacts


# ----------------------------------------------------------------------------- conversations


def read_conversations(
    path: str | os.PathLike[str],
    *,
    report: ReadReport | None = None,
    source: str = "conversations-csv",
    encoding: str = "utf-8",
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
    encoding : str, default "utf-8"
        Text encoding; decoding is strict (a bad byte is an error naming its line).

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
    table = _open_table(path, CONVERSATION_COLUMNS, encoding)
    columns = table.columns
    missing = [name for name in ("timestamp", "sender", "recipients") if name not in columns]
    if missing:
        raise _missing_columns_error(table, str(missing))
    report = _start_report(report, table, "conversations-csv")
    if table.other_columns:
        report.notes.append(f"column(s) {list(table.other_columns.values())} not used and ignored")
    time_at = columns["timestamp"]
    sender_at = columns["sender"]
    recipients_at = columns["recipients"]
    channel_at = columns.get("channel")
    thread_at = columns.get("conversation_id")
    chars_at = columns.get("n_chars")

    # Participants repeat across millions of rows: normalise each distinct cell once.
    normalised: dict[str, str] = {}

    def participant(text: str) -> str:
        value = normalised.get(text)
        if value is None:
            value = normalised[text] = normalize_cell(text)
        return value

    events: list[ConversationEvent] = []
    skipped: Counter = Counter()
    n_rows = 0
    n_self_dropped = 0
    first = last = None
    for line, row in table.rows:
        n_rows += 1
        if not any(value.strip() for value in row):
            skipped["empty row"] += 1
            continue
        stamp_text = row[time_at].strip()
        if not stamp_text:
            raise IngestError("missing timestamp", path=table.path, line=line)
        try:
            timestamp = parse_timestamp(stamp_text)
        except DateOutOfRange:
            skipped[f"timestamp {OUT_OF_RANGE_REASON}"] += 1
            continue
        except ValueError as exc:
            raise IngestError(f"timestamp: {exc}", path=table.path, line=line) from None
        sender = participant(row[sender_at])
        if not sender:
            skipped["empty sender"] += 1
            continue
        recipients = dict.fromkeys(participant(r) for r in row[recipients_at].split(";"))
        recipients.pop("", None)
        if not recipients:
            skipped["no recipients"] += 1
            continue
        if sender in recipients:
            del recipients[sender]
            n_self_dropped += 1
            if not recipients:
                skipped["message to self only"] += 1
                continue
        n_chars = None
        if chars_at is not None and row[chars_at].strip():
            text = row[chars_at].strip()
            if not text.isdigit():
                raise IngestError(
                    f"n_chars must be a whole number >= 0, got {text!r}",
                    path=table.path,
                    line=line,
                )
            n_chars = int(text)
        channel = row[channel_at].strip().lower() if channel_at is not None else ""
        if not channel:
            channel = "group" if len(recipients) > 1 else "dm"
        thread = row[thread_at].strip() if thread_at is not None else ""
        events.append(
            ConversationEvent(
                timestamp=timestamp,
                sender=sender,
                recipients=tuple(recipients),
                channel=channel,
                conversation_id=thread or None,
                source=source,
                n_chars=n_chars,
            )
        )
        if first is None or timestamp < first:
            first = timestamp
        if last is None or timestamp > last:
            last = timestamp

    for reason, count in skipped.items():
        report.skip(reason, count)
    if not events:
        raise IngestError(
            f"no conversation events found: {n_rows} data row(s), {_skipped_summary(skipped)}",
            path=table.path,
        )
    if n_self_dropped:
        report.notes.append(
            f"{n_self_dropped} event(s) listed the sender among the recipients; the sender "
            f"was dropped from them"
        )
    report.records["events"] += len(events)
    if first is not None and last is not None:
        report.see(first)
        report.see(last)
    return events
