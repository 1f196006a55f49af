"""Identities files: one person a row, that person's identifiers in its cells."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

from trustgraph.exceptions import IngestError
from trustgraph.ingest.identifiers import normalize_identifier
from trustgraph.ingest.textio import MAX_LINE_BYTES, csv_problem, read_text_lines
from trustgraph.ingest.vcard import read_vcard

__all__ = ["read_identities"]

_HEADER_CELL = re.compile(
    r"^(?:e-?mail|mail|address|phone|mobile|cell|tel(?:ephone)?|number|name|display[ _]?name|"
    r"full[ _]?name|url|profile(?:[ _]?url)?|linkedin|whatsapp|telegram|slack|id|identifiers?|"
    r"alias(?:es)?|handle|account|other)(?:[ _]?\d+)?$",
    re.IGNORECASE,
)


def read_identities(path: str | os.PathLike[str]) -> list[tuple[str, ...]]:
    """Read an identities file: one person a row, that person's identifiers in its cells.

    Parameters
    ----------
    path : path-like
        A CSV file (comma, semicolon or tab separated; any number of columns; an optional
        header row of words such as ``email,phone,name``) whose cells are e-mail addresses,
        phone numbers, profile URLs, prefixed ids (``wa-name:bo sample``, as the report
        lists them) or display names; or a vCard file (``.vcf``), one card a person.

    Returns
    -------
    list of tuple of str
        The non-empty cells of each row, for ``merge_identities(aliases=...)``.

    Raises
    ------
    IngestError
        Missing or unreadable file, a CSV problem, or a file without any identifier.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "aliases.csv"
    >>> _ = f.write_text("email,phone\\nbo@example.org,+1 555 010 0101\\n")
    >>> read_identities(f)
    [('bo@example.org', '+1 555 010 0101')]
    """
    p = Path(path)
    if not p.exists():
        raise IngestError("no such file", path=p)
    if p.suffix.lower() == ".vcf":
        rows = [
            tuple(dict.fromkeys((*c.identifiers, *([c.display_name] if c.display_name else []))))
            for c in read_vcard(p).contacts
        ]
    else:
        lines = [text for _, text in read_text_lines(p, max_line_bytes=MAX_LINE_BYTES)]
        sample = "\n".join(lines[:20])
        delimiter = max(",;\t", key=sample.count) if sample else ","
        rows = []
        try:
            for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
                row = tuple(c.strip() for c in cells if c.strip())
                if row and not (number == 1 and _is_header(row)):
                    rows.append(row)
        except csv.Error as exc:
            raise IngestError(csv_problem(exc), path=p) from None
    if not rows:
        raise IngestError(
            "no identifier in this identities file (one person a row: e-mail addresses, "
            "phone numbers, profile URLs or names in its cells)",
            path=p,
        )
    return rows


def _is_header(row: tuple[str, ...]) -> bool:
    return all(normalize_identifier(cell) is None and _HEADER_CELL.match(cell) for cell in row)
