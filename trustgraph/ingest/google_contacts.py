"""Google Contacts CSV export (legacy "Google CSV", current export, and Outlook CSV).

Contacts become an identity join table: every e-mail address and phone number of a row is one
person. No events. Columns are found by header name, so the number of ``E-mail N`` and
``Phone N`` families may vary from one export to the next, and Outlook's columns may come in
any order or subset (tools that write "Outlook CSV" keep only the columns they fill).

Outlook's column names are those of its English and German exports, as Microsoft's own
importer lists them (Exchange ``OutlookCsvLanguageSelect``, en-US and de-DE, code page 1252
for both) and as Open-Xchange's Outlook CSV importer reads them.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator, Mapping

from trustgraph.exceptions import IngestError
from trustgraph.ingest import textio
from trustgraph.ingest.csvtable import CSV_WRITERS, detect_encoding
from trustgraph.ingest.identifiers import linkedin_id, normalize_email, normalize_identifier
from trustgraph.ingest.phones import DEFAULT_REGION, check_region, place_phone, unplaced_note
from trustgraph.ingest.records import Contact, ExportData, ReadReport
from trustgraph.ingest.textio import csv_problem, encoding_note, read_text_lines

__all__ = [
    "OUTLOOK_COLUMNS",
    "THUNDERBIRD_EMAILS",
    "is_outlook_header",
    "outlook_columns",
    "read_google_contacts",
]

SOURCE = "google-contacts"
_MULTI = re.compile(r"\s*:::\s*")
_FAMILY = re.compile(r"^(E-mail|Phone|Website) (\d+) - Value$", re.IGNORECASE)
_PART = re.compile(r"^(?:E-mail|Phone) \d+ - (Value|Label|Type)$", re.IGNORECASE)
#: Record counting the rows skipped because their only identifiers are unplaced numbers.
UNPLACED_ONLY = "rows_with_unplaced_phones_only"
_OUTLOOK_EMAIL = re.compile(r"^E-mail(?: \d+)? Address$", re.IGNORECASE)
_OUTLOOK_PHONE = re.compile(r"^(?:[\w ]+ )?Phone(?: \d+)?$", re.IGNORECASE)

#: Outlook's e-mail address columns (English, German), lower-cased.
OUTLOOK_EMAILS = frozenset(
    {"e-mail address", "e-mail 2 address", "e-mail 3 address"}
    | {"e-mail-adresse", "e-mail 2: adresse", "e-mail 3: adresse"}
)
#: Outlook's phone columns of the contact's own numbers (faxes, pagers, ISDN, telex, callback
#: and the assistant's phone left out, as in English by ``_OUTLOOK_PHONE``).
OUTLOOK_PHONES = frozenset(
    {"primary phone", "home phone", "home phone 2", "mobile phone", "business phone"}
    | {"business phone 2", "company main phone", "car phone", "radio phone", "other phone"}
    | {"haupttelefon", "telefon privat", "telefon privat 2", "mobiltelefon", "mobiltelefon 2"}
    | {"telefon geschäftlich", "telefon geschäftlich 2", "telefon firma", "autotelefon"}
    | {"weiteres telefon"}
)
#: Columns only Outlook writes, so that a header with a name column and one of these, but no
#: e-mail or phone column, is an Outlook CSV to refuse (``Nachname,Vertraulichkeit``), while
#: ``First Name,Last Name,Company`` is any spreadsheet's.
OUTLOOK_ONLY = frozenset(
    {"sensitivity", "e-mail type", "e-mail display name", "internet free busy"}
    | {"vertraulichkeit", "e-mail-typ", "e-mail: angezeigter name", "internet-frei/gebucht"}
)
#: Thunderbird's address-book export: its e-mail columns, lower-cased; ``Primary Email`` is
#: the column that names it.
THUNDERBIRD_EMAILS = frozenset({"primary email", "secondary email"})
#: Outlook's name columns (English, German).
OUTLOOK_NAMES = frozenset(
    {"first name", "middle name", "last name", "vorname", "weitere vornamen", "nachname"}
)
#: Every Outlook column name this reader knows, lower-cased: the ones above and the other
#: columns of a contact that Outlook writes in both languages.
OUTLOOK_COLUMNS = (
    OUTLOOK_EMAILS
    | OUTLOOK_PHONES
    | OUTLOOK_NAMES
    | OUTLOOK_ONLY
    | {"title", "suffix", "nickname", "company", "department", "job title", "birthday"}
    | {"categories", "notes", "web page", "account", "sensitivity", "e-mail type"}
    | {"e-mail display name", "anniversary", "spouse", "business fax", "pager"}
    | {"anrede", "firma", "abteilung", "position", "geburtstag", "kategorien", "notizen"}
    | {"webseite", "konto", "vertraulichkeit", "e-mail-typ", "e-mail: angezeigter name"}
    | {"jahrestag", "partner", "fax geschäftlich"}
)
# Attribute columns: the first non-empty one of each tuple, Google's names first.
_DISPLAY = ("name", "display name")
_GIVEN = ("given name", "first name", "vorname")
_MIDDLE = ("additional name", "middle name", "weitere vornamen")
_FAMILY_NAME = ("family name", "last name", "nachname")
_ORGANIZATION = ("organization 1 - name", "organization name", "company", "firma")
_TITLE = ("organization 1 - title", "organization title", "job title", "position")
_GROUPS = ("group membership", "labels", "categories", "kategorien")


#: Words naming what a column holds, and the qualifiers an exporter adds to them (``Email
#: Home``, ``Primary Email``, ``Mobile Number``, ``Telefon geschäftlich 2``): a column is an
#: e-mail or phone column when it is made of such words only, so that ``E-mail Type``,
#: ``E-mail Display Name``, ``Home Fax`` and ``Assistant's Phone`` are not.
_EMAIL_WORDS = frozenset({"email"})
_PHONE_WORDS = frozenset(
    {"phone", "telephone", "tel", "mobile", "cell", "cellphone", "telefon", "mobiltelefon"}
    | {"handy", "autotelefon", "haupttelefon"}
)
_QUALIFIERS = frozenset(
    {"home", "work", "business", "other", "personal", "private", "primary", "secondary"}
    | {"main", "company", "car", "radio", "number", "address", "privat", "geschäftlich"}
    | {"firma", "weiteres", "adresse"}
)


def identifier_kind(name: str) -> str | None:
    """``"email"`` or ``"phone"`` when column `name` holds the contact's own e-mail addresses
    or phone numbers, whichever exporter named it; None otherwise.

    Examples
    --------
    >>> [identifier_kind(n) for n in ("Email Home", "E-Mail 2: Adresse", "Mobile Number")]
    ['email', 'email', 'phone']
    >>> [identifier_kind(n) for n in ("E-mail Type", "Home Fax", "Assistant's Phone")]
    [None, None, None]
    """
    words = re.split(r"[\s_:-]+", _key(name).replace("e-mail", "email"))
    words = [word for word in words if word and not word.isdigit()]
    for kind, kind_words in (("email", _EMAIL_WORDS), ("phone", _PHONE_WORDS)):
        if any(w in kind_words for w in words) and all(
            w in kind_words or w in _QUALIFIERS for w in words
        ):
            return kind
    return None


def _key(name: str) -> str:
    """A header name as compared: trimmed, lower-cased, runs of blanks made one space."""
    return " ".join(name.replace("\ufeff", "").split()).lower()


def outlook_columns(header: list[str]) -> tuple[list[int], list[int], list[str]]:
    """Outlook's e-mail columns, phone columns and every Outlook column name in `header`.

    Examples
    --------
    >>> outlook_columns(["Last Name", "E-mail Address", "Birthday", "Mobile Phone"])
    ([1], [3], ['Last Name', 'E-mail Address', 'Birthday', 'Mobile Phone'])
    >>> outlook_columns(["Nachname", "E-Mail 2: Adresse", "source"])
    ([1], [], ['Nachname', 'E-Mail 2: Adresse'])
    """
    keys = [_key(name) for name in header]
    emails = [i for i, key in enumerate(keys) if key in OUTLOOK_EMAILS]
    phones = [i for i, key in enumerate(keys) if key in OUTLOOK_PHONES]
    known = [name.strip() for name, key in zip(header, keys) if key in OUTLOOK_COLUMNS]
    return emails, phones, known


def is_outlook_header(header: list[str]) -> bool:
    """Whether `header` is Outlook's, in any order: two of its column names, one of them an
    e-mail or phone column, or else a name column (``Last Name``, ``Nachname``) and a column
    only Outlook writes (``Sensitivity``, ``Vertraulichkeit``).

    Examples
    --------
    >>> is_outlook_header(["Last Name", "E-mail Address", "Birthday"])
    True
    >>> is_outlook_header(["Nachname", "Vertraulichkeit"])
    True
    >>> is_outlook_header(["First Name", "Last Name", "Company"])
    False
    """
    emails, phones, known = outlook_columns(header)
    if len(known) < 2:
        return False
    keys = {_key(name) for name in known}
    return bool(emails or phones) or bool(keys & OUTLOOK_NAMES and keys & OUTLOOK_ONLY)


def _split(cell: str) -> list[str]:
    """Google joins several values of one cell with ``" ::: "``."""
    return [part.strip() for part in _MULTI.split(cell) if part.strip()]


def _rows(path: str | os.PathLike[str], encoding: str) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with the physical line each one starts on (quoted cells may span lines)."""
    lines = read_text_lines(path, encoding=encoding, max_line_bytes=textio.MAX_LINE_BYTES)
    pending: list[tuple[int, str]] = []

    def feed() -> Iterator[str]:
        for number, text in lines:
            pending.append((number, text))
            yield text + "\n"

    reader = csv.reader(feed(), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = pending[0][0] if pending else None
            raise IngestError(csv_problem(exc), path=path, line=line) from None
        start = pending[0][0] if pending else 0
        pending.clear()
        yield start, row


def read_google_contacts(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] = (),
    default_region: str | None = DEFAULT_REGION,
    encoding: str | None = None,
) -> ExportData:
    """Read a Google Contacts CSV export (``contacts.csv``), or an Outlook CSV.

    Parameters
    ----------
    path : str or path-like
        The CSV file (UTF-8, with or without a byte-order mark, or Windows-1252; gzip
        accepted).
    me : iterable of str
        The owner's identifiers, normalised into :attr:`ExportData.owner`.
    default_region : str or None, default "US"
        Region of phone numbers written without their country code, placed by
        libphonenumber (:func:`~trustgraph.ingest.phones.place_phone`); None keeps only
        numbers written with it. A number that cannot be placed is skipped and counted
        with the reason (``phone number not placed (local number without its area
        code)``); a row whose only identifiers are such numbers is counted again in
        ``records["rows_with_unplaced_phones_only"]``, explained by a note naming the
        region.
    encoding : str or None, default None
        Text encoding, decoded strictly (a bad byte is an error naming its line). None reads
        UTF-8 when the whole file decodes as UTF-8 and otherwise Windows-1252, the code page
        Outlook writes its English and German CSV in, with a note saying so.

    Returns
    -------
    ExportData
        One contact per row with at least one usable e-mail address or phone number; the
        first identifier is the ``id``. Attributes: ``organization``, ``title``, ``labels``
        (``Group Membership`` / ``Labels``, without the ``* `` marker) and ``starred``.

    Raises
    ------
    IngestError
        Not a Google/Outlook contacts header, a header without any e-mail or phone column,
        malformed CSV or bad bytes in an explicit `encoding` (file and line), a UTF-16 file,
        or no row with a usable identifier.
    ValueError
        `default_region` is not a region libphonenumber knows.

    Notes
    -----
    Variants (reported): ``legacy-google-csv`` (``Name``, ``Given Name``, ``E-mail 1 -
    Type``...), ``google-csv`` (the current export: ``First Name``, ``Middle Name``,
    ``Labels``, ``E-mail 1 - Label``, ``E-mail 1 - Value``, ``Phone 1 - Label``...),
    ``outlook-csv`` (two of Outlook's column names in any order, one of them an e-mail or phone
    column: ``Last Name,E-mail Address``, ``First Name,Mobile Phone``..., or the German
    ``Nachname,E-Mail-Adresse``, ``Telefon geschäftlich``...) and ``minimal-google-csv``
    (``Name`` and some ``E-mail N - Value`` / ``Phone N - Value`` columns, as tools keep
    them). Header names are compared without case. Multi-valued cells
    (``a@example.com ::: b@example.com``) are split; ``Website N - Value`` cells holding a
    LinkedIn profile add a ``linkedin:`` identifier. Rows without an identifier and rows with
    more cells than the header are skipped and counted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "contacts.csv"
    >>> _ = f.write_text("\\ufeffFirst Name,Last Name,E-mail 1 - Value,Phone 1 - Value\\n"
    ...                  "Ada,Example,ada@example.com ::: ada@example.org,+1 555 010 0100\\n")
    >>> c = read_google_contacts(f).contacts[0]
    >>> c.identifiers, c.display_name
    (('ada@example.com', 'ada@example.org', '+15550100100'), 'Ada Example')
    """
    default_region = check_region(default_region)
    label = str(path)
    report = ReadReport(path=label, format="google-contacts-csv")
    if encoding is None:
        encoding = detect_encoding(path)
        note = encoding_note(encoding, CSV_WRITERS)
        if note:
            report.notes.append(note)
    rows = _rows(path, encoding)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise IngestError(
            "empty file: expected a Google Contacts CSV header", path=label
        ) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    columns = {_key(name): index for index, name in reversed(list(enumerate(header)))}

    email_cols, phone_cols, web_cols, families = _identifier_columns(header)
    report.variant = _variant(header, columns, families)
    if report.variant is None or not (email_cols or phone_cols):
        raise IngestError(_refusal(report.variant, header), path=label, line=header_line)
    report.notes.append(f"{len(email_cols)} e-mail column(s), {len(phone_cols)} phone column(s)")

    contacts: list[Contact] = []
    report.records["contacts"] = 0  # before the count of rows with unplaced numbers only
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            report.skip("blank row")
            continue
        if len(row) > len(header):
            report.skip("row with more cells than the header")
            report.notes.append(f"line {number}: {len(row)} cells for {len(header)} columns")
            continue
        row = row + [""] * (len(header) - len(row))
        contact = _row_contact(row, columns, email_cols, phone_cols, web_cols, default_region,
                               report)  # fmt: skip
        if contact is not None:
            contacts.append(contact)
    report.records["contacts"] = len(contacts)
    unplaced = unplaced_note(report, UNPLACED_ONLY, "row", default_region)
    if not contacts:
        raise IngestError(
            "recognised as a Google Contacts CSV but no row has a usable e-mail or phone"
            + (f" ({unplaced})" if unplaced else ""),
            path=label,
        )
    owner = tuple(
        dict.fromkeys(
            i for i in (normalize_identifier(m, default_region=default_region) for m in me) if i
        )
    )
    return ExportData(contacts=contacts, reports=[report], owner=owner)


def _identifier_columns(header: list[str]) -> tuple[list[int], list[int], list[int], set[str]]:
    """The e-mail, phone and website columns of `header`, and the part names (``value``,
    ``label``, ``type``) of Google's ``E-mail N`` / ``Phone N`` families found in it."""
    email_cols: list[int] = []
    phone_cols: list[int] = []
    web_cols: list[int] = []
    families: set[str] = set()
    for index, name in enumerate(header):
        part = _PART.match(name)
        if part:
            families.add(part.group(1).lower())
        family = _FAMILY.match(name)
        if family:
            kind = family.group(1).lower()
            target = {"e-mail": email_cols, "phone": phone_cols, "website": web_cols}[kind]
            target.append(index)
        elif _OUTLOOK_EMAIL.match(name) or identifier_kind(name) == "email":
            email_cols.append(index)
        elif _OUTLOOK_PHONE.match(name) or identifier_kind(name) == "phone":
            phone_cols.append(index)
    return email_cols, phone_cols, web_cols, families


def _variant(header: list[str], columns: Mapping[str, int], families: set[str]) -> str | None:
    """Which Google (or Outlook) export wrote this header; None when neither did."""
    if "given name" in columns or "group membership" in columns or "type" in families:
        return "legacy-google-csv"
    if not families and "primary email" in columns:
        return "thunderbird-csv"
    if not families and is_outlook_header(header):
        return "outlook-csv"
    if "first name" in columns or "labels" in columns or "label" in families:
        return "google-csv"
    if "value" in families:
        # Tools and spreadsheets keep only "Name" and the value columns of Google's header.
        return "minimal-google-csv"
    return None


def _refusal(variant: str | None, header: list[str]) -> str:
    """Why a header is refused, naming only columns it lacks."""
    found = f"found {header[:6]}{'...' if len(header) > 6 else ''}"
    if variant is None:
        known = outlook_columns(header)[2]
        outlook = (
            f"of Outlook's column names only {known}, no e-mail or phone column"
            if known
            else "none of Outlook's column names ('E-mail Address', 'Last Name', ...)"
        )
        return (
            "not a Google Contacts CSV (nor Outlook's): no 'E-mail N - Value' or 'Phone N - "
            f"Value' column, no 'Given Name', and {outlook} ({found})"
        )
    return (
        f"{'an Outlook' if variant == 'outlook-csv' else 'a Google Contacts'} header "
        f"({variant}) without any e-mail or phone column (no 'E-mail N - Value', "
        "'Phone N - Value', 'E-mail Address', 'E-Mail-Adresse', '... Phone' or 'Telefon "
        f"...'): nothing joins its rows to other sources ({found})"
    )


def _cell(row: list[str], columns: Mapping[str, int], names: tuple[str, ...]) -> str:
    for name in names:
        if name in columns and row[columns[name]].strip():
            return row[columns[name]].strip()
    return ""


def _row_contact(row, columns, email_cols, phone_cols, web_cols, default_region, report):
    identifiers: list[str] = []
    for index in email_cols:
        for value in _split(row[index]):
            email = normalize_email(value)
            if email:
                identifiers.append(email)
            else:
                report.skip("unusable e-mail value")
    unplaced = 0
    for index in phone_cols:
        for value in _split(row[index]):
            placed = place_phone(value, default_region=default_region)
            if placed.number:
                identifiers.append(placed.number)
            else:
                unplaced += 1
                report.skip(f"phone number not placed ({placed.problem})")
    for index in web_cols:
        for value in _split(row[index]):
            profile = linkedin_id(value)
            if profile:
                identifiers.append(profile)
    if not identifiers:
        report.skip("row without e-mail or phone")
        if unplaced:
            report.records[UNPLACED_ONLY] += 1
        return None
    parts = (_cell(row, columns, names) for names in (_GIVEN, _MIDDLE, _FAMILY_NAME))
    display = _cell(row, columns, _DISPLAY) or " ".join(part for part in parts if part)
    display = display or _cell(row, columns, ("nickname", "file as"))
    attributes: dict[str, object] = {}
    organization = _cell(row, columns, _ORGANIZATION)
    title = _cell(row, columns, _TITLE)
    if organization:
        attributes["organization"] = organization
    if title:
        attributes["title"] = title
    groups = _split(_cell(row, columns, _GROUPS))
    labels = tuple(dict.fromkeys(g.lstrip("*").strip() for g in groups if g.lstrip("*").strip()))
    if labels:
        attributes["labels"] = labels
        attributes["starred"] = "starred" in labels
    unique = tuple(dict.fromkeys(identifiers))
    return Contact(
        id=unique[0],
        identifiers=unique,
        display_name=display or None,
        attributes=attributes,
        source=SOURCE,
        declared=True,
    )
