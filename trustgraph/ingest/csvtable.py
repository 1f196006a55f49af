"""CSV tables of records, shared by ``contacts.csv`` and ``conversations.csv``.

A table is opened with its delimiter detected from the header (comma, semicolon or tab),
its header names mapped to meanings through an alias table, message-body columns set
aside unread, and its rows streamed with the physical line where each record starts.
Cells are normalised by :func:`normalize_cell` and times parsed by
:func:`parse_timestamp`, so one person gets one node id across files and sources.
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
from trustgraph.ingest.identifiers import linkedin_id, normalize_email
from trustgraph.ingest.phones import DEFAULT_REGION, normalize_phone
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.textio import (
    check_file,
    csv_problem,
    detect_encoding,
    read_text_lines,
)
from trustgraph.ingest.timeparse import DateOutOfRange, as_utc, utc_from_iso

__all__ = [
    "BODY_COLUMNS",
    "CSV_WRITERS",
    "detect_encoding",
    "normalize_cell",
    "parse_timestamp",
]

#: Columns holding message text: never read, in either file.
BODY_COLUMNS = frozenset({"body", "content", "text", "message", "message_body"})

_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_PHONE = re.compile(r"^\+?[0-9 ().\-]+$")
_EPOCH = re.compile(r"^[+-]?\d+(\.\d*)?$")
# Epoch values this large are milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973.
_EPOCH_MS_THRESHOLD = 1e11


# ----------------------------------------------------------------------------- values


def normalize_cell(
    value: str, column: str | None = None, *, default_region: str | None = DEFAULT_REGION
) -> str:
    """Normalise an identifier cell so one person gets one node id across files and sources.

    Uses the identity layer's rules (:mod:`trustgraph.ingest.identifiers`): e-mail addresses
    are lower-cased, phone numbers become E.164 (``+15550100101``, placed by libphonenumber
    in `default_region`), LinkedIn profile URLs
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
    default_region : str or None, default "US"
        Region of phone numbers written without their country code
        (:func:`~trustgraph.ingest.phones.normalize_phone`); a number that cannot be placed
        is kept as written.

    Examples
    --------
    >>> normalize_cell("  Ada.Example@Example.COM ")
    'ada.example@example.com'
    >>> normalize_cell("+1 (555) 010-0101"), normalize_cell("5550100101")
    ('+15550100101', '5550100101')
    >>> normalize_cell("(555) 010-0101", column="phone")
    '+15550100101'
    >>> normalize_cell("020 7946 0018", column="phone", default_region="GB")
    '+442079460018'
    >>> normalize_cell("https://www.linkedin.com/in/ada-example/")
    'linkedin:ada-example'
    >>> normalize_cell("Ada")
    'Ada'
    """
    text = value.strip()
    if not text:
        return text
    if column == "phone":
        return normalize_phone(text, default_region=default_region) or text
    if "@" in text and " " not in text and not text.startswith("@"):
        return normalize_email(text) or text
    if "linkedin.com/" in text.lower():
        slug = linkedin_id(text)
        if slug is not None:
            return slug
    if text.lower().startswith(("http://", "https://")):
        return text.rstrip("/")
    if column is None and _PHONE.match(text) and not text.isdigit():
        return normalize_phone(text, default_region=default_region) or text
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


# ----------------------------------------------------------------------------- encoding

#: The programs whose Windows-1252 CSV files a contact reader's note names.
CSV_WRITERS = "Outlook and Excel on Windows write CSV in"


# ----------------------------------------------------------------------------- tables


def _header_key(name: str) -> str:
    """A header name as matched against aliases: words joined by ``_``, lower-cased, a
    camel-case name split into its words (``ProfileURL``, ``FirstName`` as some tools write).

    Examples
    --------
    >>> [_header_key(n) for n in ("Profile URL", "ProfileURL", "e-mail", " Display-Name ")]
    ['profile_url', 'profile_url', 'e_mail', 'display_name']
    """
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.strip())
    return re.sub(r"[\s\-]+", "_", words.lower())


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
