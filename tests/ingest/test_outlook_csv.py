"""Outlook contact CSVs: headers in any order, German headers, Windows-1252 (issue 15).

Held-out set 10 found Outlook CSVs whose header starts ``Last Name,E-mail Address`` refused,
German Outlook CSVs in Windows-1252 refused as not UTF-8, and a names-and-flags CSV read as a
graph edge list. The oracles are Python's csv module (rows, cells) and phonenumbers (E.164),
never the reader's own output.
"""

from __future__ import annotations

import csv
from pathlib import Path

import phonenumbers
import pytest
from test_foreign_fixtures import run_inspect

from trustgraph.exceptions import IngestError
from trustgraph.ingest.contacts_csv import read_contacts
from trustgraph.ingest.csvtable import detect_encoding
from trustgraph.ingest.exports import detect_export
from trustgraph.ingest.google_contacts import read_google_contacts
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.sniff import rank_file

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "outlook_csv"
HELDOUT10 = Path(__file__).resolve().parents[1] / "fixtures" / "heldout10"


def _rows(path: Path, encoding: str) -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as handle:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(handle)
        ]


def _e164(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _expected(path: Path, encoding: str, emails: tuple[str, ...], phones: tuple[str, ...]):
    """Per row with an identifier: its e-mails (lower-cased) then its placed phones."""
    out = []
    for row in _rows(path, encoding):
        ids = [row[c].lower() for c in emails if row.get(c)]
        ids += [n for n in (_e164(row[c]) for c in phones if row.get(c)) if n]
        if ids:
            out.append(tuple(dict.fromkeys(ids)))
    return out


def test_english_header_in_another_order_reads_every_identifier():
    path = HERE / "english_reordered.csv"
    data = read_google_contacts(path)
    want = _expected(path, "utf-8", ("E-mail Address",), ("Mobile Phone",))
    assert [c.identifiers for c in data.contacts] == want
    assert len(want) == 2  # the third row has no identifier
    assert data.reports[0].variant == "outlook-csv"
    assert data.reports[0].skipped["row without e-mail or phone"] == 1
    assert data.contacts[0].display_name == "Ada Example"
    assert data.contacts[0].attributes["organization"] == "Example Ltd"
    assert data.contacts[0].attributes["labels"] == ("Friends",)


def test_german_windows_1252_is_read_with_a_note():
    path = HERE / "german_cp1252.csv"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the fixture really is not UTF-8
    data = read_google_contacts(path)
    emails = ("E-Mail-Adresse", "E-Mail 2: Adresse")
    phones = ("Telefon geschäftlich", "Mobiltelefon")
    want = _expected(path, "cp1252", emails, phones)
    assert [c.identifiers for c in data.contacts] == want and len(want) == 2
    names = [f"{r['Vorname']} {r['Nachname']}" for r in _rows(path, "cp1252")]
    assert [c.display_name for c in data.contacts] == names
    assert data.contacts[0].attributes["organization"] == "Bäckerei Süß"
    report = data.reports[0]
    assert report.variant == "outlook-csv"
    assert any("Windows-1252" in note for note in report.notes)


def test_an_explicit_encoding_stays_strict():
    path = HERE / "german_cp1252.csv"
    with pytest.raises(IngestError, match="not valid utf-8") as info:
        read_google_contacts(path, encoding="utf-8")
    assert info.value.line == 1
    data = read_google_contacts(path, encoding="cp1252")
    assert not any("Windows-1252" in note for note in data.reports[0].notes)


def test_generic_contacts_csv_in_windows_1252():
    path = HERE / "generic_cp1252.csv"
    assert detect_encoding(path) == "cp1252"
    rows = _rows(path, "cp1252")
    report = ReadReport(path="", format="")
    contacts = read_contacts(path, report=report)
    assert [(c.id, c.display_name) for c in contacts] == [
        (r["email"].lower(), r["name"]) for r in rows
    ]
    assert any("Windows-1252" in note for note in report.notes)
    with pytest.raises(IngestError, match="not valid utf-8"):
        read_contacts(path, encoding="utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read_with_or_without_its_byte_order_mark(tmp_path, codec):
    path = tmp_path / "c.csv"
    text = "Last Name,E-mail Address\nMüller,ada@example.com\nDoe,bo@example.org\n"
    path.write_text(text, encoding=codec)
    data = read_google_contacts(path)
    assert [c.id for c in data.contacts] == ["ada@example.com", "bo@example.org"]
    assert data.contacts[0].display_name == "Müller"
    assert any("UTF-16" in note for note in data.reports[0].notes)


def test_names_and_sensitivity_are_refused_not_read_as_edges():
    path = HERE / "names_sensitivity.csv"
    assert detect_export(path) == "google-contacts"
    code, out, err = run_inspect(path)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "without any e-mail or phone column" in err
    header = next(csv.reader(path.open(encoding="utf-8")))
    missing = err.split("(no ", 1)[1].split(")", 1)[0]
    assert not any(f"'{name}'" in missing for name in header)  # a present column never missing


@pytest.mark.parametrize(
    "name", ["english_reordered.csv", "german_cp1252.csv", "names_sensitivity.csv"]
)
def test_detected_without_input_format(name):
    fits = rank_file(HERE / name)
    assert fits[0].format == "google-contacts" and fits[0].score >= 0.5, fits[0]


def test_spreadsheet_names_are_not_taken_for_outlook(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("First Name,Last Name,Company\nAda,Example,Example Ltd\n")
    fit = {f.format: f for f in rank_file(path)}["google-contacts"]
    assert fit.score == 0.0
    # Said as found, not as missing: the three are Outlook's names, but not enough to tell.
    assert "only ['First Name', 'Last Name', 'Company']" in fit.saw
    with pytest.raises(IngestError) as info:
        read_google_contacts(path)
    assert "none of Outlook's" not in str(info.value)


@pytest.mark.parametrize(
    ("name", "contacts"),
    [
        ("ox_outlook_import_one.csv", 1),
        ("ox_outlook_bug7105.csv", 1),
        ("ox_outlook_bug7552.csv", 1),
        ("ox_outlook_bug9367_german.csv", 1),
        ("ox_outlook_bug7710.csv", None),
    ],
)
def test_heldout10_outlook_files(name, contacts):
    code, out, err = run_inspect(HELDOUT10 / name)
    if contacts is None:
        assert code == 1 and err.startswith("trustgraph: error: ") and err.count("\n") == 1
        return
    assert code == 0, err
    assert '"contacts": 1' in out
