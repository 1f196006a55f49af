"""vCard (``.vcf``) address books: contacts as an identity join table, no events.

A small, tolerant reader of our own (vobject fails on several real Android and Google
exports): it unfolds RFC 6350 continuation lines, joins quoted-printable soft line breaks that
continue on an *unindented* line (vCard 2.1), appends stray unfolded lines to the previous
value, and accepts empty parameters such as ``TEL;:+1-555-010-0199``. Versions 2.1, 3.0 and 4.0
may be mixed in one file.
"""

from __future__ import annotations

import os
import quopri
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from trustgraph.exceptions import IngestError
from trustgraph.ingest import textio
from trustgraph.ingest.identifiers import linkedin_id, normalize_email, normalize_identifier
from trustgraph.ingest.phones import DEFAULT_REGION, check_region, place_phone, unplaced_note
from trustgraph.ingest.records import Contact, ExportData, ReadReport
from trustgraph.ingest.textio import describe_size, read_text_lines

__all__ = ["read_vcard"]

SOURCE = "vcard"
#: The record counting the cards without a contact whose only identifiers were phone numbers
#: that could not be placed (a subset of the skipped "card without e-mail or phone").
UNPLACED_ONLY = "cards_with_unplaced_phones_only"
_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$", re.DOTALL)
# RFC 2426 section 4 lets BEGIN and END carry a group ("item1.BEGIN:VCARD") like any line.
_GROUP = re.compile(r"^[A-Za-z0-9-]+\.")
_QP = re.compile(r"(?:^|;)\s*(?:ENCODING\s*=\s*)?QUOTED-PRINTABLE\s*(?:;|$)", re.IGNORECASE)


@dataclass
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line: int


@dataclass
class _Card:
    line: int
    properties: list[_Property] = field(default_factory=list)


def _too_long(text: str, start: int, number: int, path) -> IngestError | None:
    if len(text) <= textio.MAX_LINE_BYTES:
        return None
    # Folding spreads a value over many short lines: cap the value as a whole.
    return IngestError(
        f"a property longer than {describe_size(textio.MAX_LINE_BYTES)}, folded over lines "
        f"{start} to {number - 1}: a damaged file (MAX_LINE_BYTES)",
        path=path,
        line=start,
    )


def _unfolded(path: str | os.PathLike[str], encoding: str):
    """Yield ``(line_number, text)`` of physical lines joined with their RFC 6350 folds.

    A fold may split a property anywhere, inside its name or a parameter (``FBURL;MEDIA`` /
    `` TYPE=...``), so it is joined before anything judges whether a line is a property.
    Empty lines between a line and its fold are skipped; other empty lines are kept (as
    ``""``) for the quoted-printable join, which ends at one."""
    lines = read_text_lines(path, encoding=encoding, max_line_bytes=textio.MAX_LINE_BYTES)
    pending: tuple[int, str] | None = None
    blanks: list[tuple[int, str]] = []
    for number, line in lines:
        if pending is not None and line[:1] in (" ", "\t"):
            error = _too_long(pending[1], pending[0], number, path)
            if error:
                raise error
            pending, blanks = (pending[0], pending[1] + line[1:]), []  # drop the one blank
            continue
        if not line.strip():
            blanks.append((number, ""))
            continue
        if pending is not None:
            yield pending
        yield from blanks
        pending, blanks = (number, line), []
    if pending is not None:
        yield pending
    yield from blanks


def _logical_lines(path: str | os.PathLike[str], encoding: str, report: ReadReport):
    """Yield ``(line_number, text)`` of unfolded logical lines."""
    current: str | None = None
    start = 0
    for number, line in _unfolded(path, encoding):
        error = _too_long(current, start, number, path) if current is not None else None
        if error:
            raise error
        if current is not None and current.endswith("=") and _is_qp(current):
            current = current[:-1] + line  # quoted-printable soft break (vCard 2.1)
            continue
        if not line.strip():
            continue
        if current is not None and not _PROPERTY.match(line):
            # A value continued without folding (Google Contacts Android export).
            current += "\n" + line
            report.records["unfolded_lines"] += 1
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _is_qp(logical: str) -> bool:
    match = _PROPERTY.match(logical)
    return bool(match and _QP.search(match.group(2)))


def _parse_property(line: int, text: str) -> _Property | None:
    match = _PROPERTY.match(text)
    if match is None:
        return None
    name, raw_params, value = match.groups()
    params: dict[str, list[str]] = {}
    for piece in raw_params.split(";"):
        piece = piece.strip()
        if not piece:
            continue  # the empty parameter of "TEL;:..." is tolerated
        if "=" in piece:
            key, _, values = piece.partition("=")
            params.setdefault(key.strip().upper(), []).extend(
                v.strip().strip('"') for v in values.split(",") if v.strip()
            )
        elif piece.upper() in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT"):
            params.setdefault("ENCODING", []).append(piece)
        else:
            params.setdefault("TYPE", []).append(piece)  # vCard 2.1 bare type (CELL, HOME)
    return _Property(name.upper(), params, value, line)


def _decode_value(prop: _Property) -> str:
    """Undo quoted-printable (with its charset) and vCard 3/4 backslash escapes."""
    encodings = {e.upper() for e in prop.params.get("ENCODING", [])}
    value = prop.value
    if "QUOTED-PRINTABLE" in encodings:
        charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
        value = quopri.decodestring(value.encode("latin-1", "replace")).decode(charset)
    return re.sub(r"\\([,;:\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def read_vcard(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] = (),
    default_region: str | None = DEFAULT_REGION,
    encoding: str | None = None,
) -> ExportData:
    """Read a ``.vcf`` file (one or many cards, versions 2.1, 3.0 and 4.0).

    Parameters
    ----------
    path : str or path-like
        The ``.vcf`` file (gzip accepted).
    me : iterable of str
        The owner's identifiers (e-mail, phone...), normalised into :attr:`ExportData.owner`;
        an address book does not say whose it is.
    default_region : str or None, default "US"
        Region of phone numbers written without their country code, placed by
        libphonenumber (:func:`~trustgraph.ingest.phones.place_phone`); None keeps only
        numbers written with it. ``TEL`` values may be RFC 3966 URIs
        (``tel:+1-418-656-9254;ext=102``); the extension is not part of the E.164 id.
    encoding : str, optional
        File encoding (quoted-printable values use their own ``CHARSET``). By default
        UTF-8, or Windows-1252 when the file is not valid UTF-8 (Outlook writes vCard 2.1
        files in the Windows code page), with a note saying so.

    Returns
    -------
    ExportData
        One contact per card with at least one e-mail address, phone number or LinkedIn URL:
        ``id`` is the first of them, ``identifiers`` all of them (e-mails lower-cased, phones in
        E.164), ``display_name`` from ``FN`` (or ``N``); attributes hold ``organization``,
        ``title`` and ``labels`` (``CATEGORIES``). No events: an address book is a join
        table between sources, not evidence of trust.

    Raises
    ------
    IngestError
        Undecodable bytes (file and line), no ``BEGIN:VCARD`` at all, or no card with a usable
        identifier.
    ValueError
        `default_region` is not a region libphonenumber knows.

    Notes
    -----
    Counted skips: empty cards, cards without an identifier, unusable e-mail values, phone
    numbers that cannot be placed (with the reason), lines outside a card, cards without
    ``END:VCARD``. A card whose only identifiers are numbers that cannot be placed (a bare
    ``123456`` is a number in some country, which `default_region` names) is one of the
    cards without an identifier, also counted in
    ``records["cards_with_unplaced_phones_only"]`` and explained by a note naming the
    region. ``PHOTO`` and other properties are ignored.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.vcf"
    >>> _ = f.write_text("BEGIN:VCARD\\nVERSION:3.0\\nFN:Ada Example\\n"
    ...                  "EMAIL:Ada@Example.com\\nTEL;:+1-555-010-0100\\nEND:VCARD\\n")
    >>> c = read_vcard(f).contacts[0]
    >>> c.id, c.identifiers, c.display_name
    ('ada@example.com', ('ada@example.com', '+15550100100'), 'Ada Example')
    """
    default_region = check_region(default_region)
    label = str(path)
    report = ReadReport(path=label, format="vcard")
    if encoding is None:
        encoding = textio.detect_encoding(path)
        note = textio.encoding_note(encoding, "Outlook writes vCard 2.1 in")
        if note:
            report.notes.append(note)
    cards: list[_Card] = []
    card: _Card | None = None
    saw_begin = False
    for number, text in _logical_lines(path, encoding, report):
        upper = _GROUP.sub("", text.strip()).upper()
        if upper == "BEGIN:VCARD":
            saw_begin = True
            if card is not None:
                report.skip("card without END:VCARD (kept)")
                cards.append(card)
            card = _Card(line=number)
        elif upper == "END:VCARD":
            if card is None:
                report.skip("END:VCARD without BEGIN")
            else:
                cards.append(card)
                card = None
        elif card is None:
            report.skip("line outside a card")
        else:
            prop = _parse_property(number, text)
            if prop is None:
                report.skip("unreadable property line")
            else:
                card.properties.append(prop)
    if card is not None:
        report.skip("card without END:VCARD (kept)")
        cards.append(card)
    if not saw_begin:
        raise IngestError("not a vCard file: no BEGIN:VCARD line", path=label)

    versions: Counter = Counter()
    contacts: list[Contact] = []
    report.records["cards"] = len(cards)
    report.records["contacts"] = 0  # before the count of cards with unplaced numbers only
    for card in cards:
        contact = _card_contact(card, report, versions, default_region, label)
        if contact is not None:
            contacts.append(contact)
    report.variant = "+".join(sorted(versions)) or "unknown version"
    report.records["cards"] = len(cards)
    report.records["contacts"] = len(contacts)
    unplaced = unplaced_note(report, UNPLACED_ONLY, "card", default_region)
    if not contacts:
        raise IngestError(
            f"{len(cards)} vCard(s) read but none has a usable e-mail address or phone number"
            + (f" ({unplaced})" if unplaced else ""),
            path=label,
        )
    owner = tuple(
        dict.fromkeys(
            i for i in (normalize_identifier(m, default_region=default_region) for m in me) if i
        )
    )
    return ExportData(contacts=contacts, reports=[report], owner=owner)


def _card_contact(
    card: _Card,
    report: ReadReport,
    versions: Counter,
    default_region: str | None,
    label: str,
) -> Contact | None:
    values: dict[str, list[str]] = {}
    identifiers: list[str] = []
    content = unplaced = 0
    for prop in card.properties:
        if prop.name == "VERSION":
            versions[prop.value.strip()] += 1
            continue
        content += 1
        if prop.name == "PHOTO":
            continue
        try:
            value = _decode_value(prop).strip()
        except (UnicodeDecodeError, LookupError):
            report.skip(f"{prop.name} value not decodable")
            continue
        if prop.name == "EMAIL":
            email = normalize_email(value)
            if email:
                identifiers.append(email)
            else:
                report.skip("unusable e-mail value")
        elif prop.name == "TEL":
            placed = place_phone(value, default_region=default_region)
            if placed.number:
                identifiers.append(placed.number)
            else:
                unplaced += 1
                report.skip(f"phone number not placed ({placed.problem})")
        elif prop.name in ("URL", "X-SOCIALPROFILE"):
            profile = linkedin_id(value)
            if profile:
                identifiers.append(profile)
        else:
            values.setdefault(prop.name, []).append(value)
    if content == 0:
        report.skip("empty card")
        return None
    if not identifiers:
        report.skip("card without e-mail or phone")
        if unplaced:
            report.records[UNPLACED_ONLY] += 1
        return None
    display = (values.get("FN") or [""])[0] or _name_from_n(values.get("N"))
    attributes = {}
    if values.get("ORG"):
        attributes["organization"] = values["ORG"][0].replace(";", " ").strip()
    if values.get("TITLE"):
        attributes["title"] = values["TITLE"][0]
    labels = [x.strip() for v in values.get("CATEGORIES", []) for x in v.split(",") if x.strip()]
    if labels:
        attributes["labels"] = tuple(dict.fromkeys(labels))
    unique = list(dict.fromkeys(identifiers))
    return Contact(
        id=unique[0],
        identifiers=tuple(unique),
        display_name=display or None,
        attributes=attributes,
        source=SOURCE,
        declared=True,
    )


def _name_from_n(values: list[str] | None) -> str:
    """``N:Family;Given;Additional;Prefix;Suffix`` → "Given Additional Family"."""
    if not values:
        return ""
    parts = [*values[0].split(";"), "", "", ""][:3]
    family, given, additional = (p.strip() for p in parts)
    return " ".join(p for p in (given, additional, family) if p)
