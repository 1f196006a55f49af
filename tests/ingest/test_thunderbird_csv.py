"""Thunderbird's address-book CSV export (`Primary Email`, `Secondary Email`, `Work Phone`,
`Mobile Number`, ...) is read as a contacts file: held-out set 12's run found it refused."""

from __future__ import annotations

import csv

import phonenumbers

from trustgraph.ingest.google_contacts import read_google_contacts
from trustgraph.ingest.load import load_inputs

HEADER = (
    "First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,"
    "Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,Organization,Notes"
)
ROWS = [
    "Ada,Example,Ada Example,,ada@example.com,ada@work.example.org,,,,,,+1 202 555 0143,Acme,",
    "Bo,Sample,Bo Sample,,,,,,,+1 202 555 0100,,,,fax only",
    "Cy,Placeholder,Cy Placeholder,,,,,,+1 202 555 0199,,,,,",
]


def test_a_thunderbird_address_book_reads_as_contacts(tmp_path):
    path = tmp_path / "thunderbird.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    with open(path, newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))

    # The oracle: rows with an e-mail or a placeable number of the person (faxes are not).
    def placeable(number: str) -> bool:
        return bool(number) and phonenumbers.is_valid_number(phonenumbers.parse(number, "US"))

    want = [
        r
        for r in table
        if r["Primary Email"]
        or r["Secondary Email"]
        or any(placeable(r[c]) for c in ("Work Phone", "Home Phone", "Mobile Number"))
    ]
    loaded = load_inputs([path])
    report = loaded.reports[0]
    assert report.variant == "thunderbird-csv"
    assert report.records["contacts"] == len(want) == 2
    names = {c.display_name for c in read_google_contacts(path).contacts}
    assert {"Ada Example", "Cy Placeholder"} <= names and "Bo Sample" not in names


def test_a_lone_primary_email_column(tmp_path):
    path = tmp_path / "emails.csv"
    path.write_text("Primary Email\nada@example.com\nbo@example.org\n", encoding="utf-8")
    assert load_inputs([path]).reports[0].records["contacts"] == 2
