"""Google Contacts CSV reader: legacy, current and Outlook headers, ' ::: ' cells, BOM.

Expected identifiers are written by hand from tests/fixtures/exports/google/*.csv.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.google_contacts import identifier_kind, read_google_contacts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "google"


def test_legacy_export_with_bom_multi_values_and_email_3():
    # FORMATS §4 row 36.
    assert (FIXTURES / "legacy.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    data = read_google_contacts(FIXTURES / "legacy.csv")
    report = data.reports[0]
    assert report.variant == "legacy-google-csv"
    assert report.records["contacts"] == 3
    assert report.skipped == {
        "blank row": 1,
        "row without e-mail or phone": 1,
        "unusable e-mail value": 1,
        "row with more cells than the header": 1,
    }
    assert "line 8: 22 cells for 21 columns" in report.notes
    ada, bo, cy = data.contacts
    assert ada.identifiers == (
        "ada@example.com",
        "ada.work@example.org",
        "ada.old@example.net",  # from E-mail 3 - Value
        "+15550100100",
        "linkedin:ada-example-0001",
    )
    assert ada.display_name == "Ada Example"
    assert ada.attributes["labels"] == ("myContacts", "starred")
    assert ada.attributes["starred"] is True
    # A quoted Notes cell spanning two lines does not break the row.
    assert bo.identifiers == ("bo@example.com", "+15550100101", "+15550100105")
    assert (cy.id, cy.display_name) == ("+15550100106", "Cy Placeholder")
    assert data.events == []


def test_current_export():
    data = read_google_contacts(FIXTURES / "current.csv")
    assert data.reports[0].variant == "google-csv"
    ada, renee = data.contacts
    assert ada.identifiers == ("ada@example.com", "ada.work@example.org", "+15550100100")
    assert ada.attributes["labels"] == ("myContacts", "Book club")
    assert (renee.id, renee.display_name) == ("+15550100101", "Renée")  # from Nickname


def test_outlook_export():
    data = read_google_contacts(FIXTURES / "outlook.csv")
    assert data.reports[0].variant == "outlook-csv"
    (bo,) = data.contacts
    assert bo.identifiers == ("bo@example.com", "+15550100101")
    assert bo.attributes["organization"] == "Acme Ltd"


def test_owner_from_me():
    data = read_google_contacts(FIXTURES / "current.csv", me=["ADA@example.com"])
    assert data.owner == ("ada@example.com",)


def test_malformed_csv_names_line():
    with pytest.raises(IngestError, match=r"broken\.csv:2: malformed CSV"):
        read_google_contacts(FIXTURES / "broken.csv")


def test_other_csv_is_rejected():
    with pytest.raises(IngestError, match="not a Google Contacts CSV"):
        read_google_contacts(FIXTURES / "not_google.csv")


def test_no_usable_row_raises():
    with pytest.raises(IngestError, match="no row has a usable"):
        read_google_contacts(FIXTURES / "no_identifiers.csv")


def test_empty_file(tmp_path):
    empty = tmp_path / "contacts.csv"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="empty file"):
        read_google_contacts(empty)


def test_columns_named_by_other_exporters_are_read(tmp_path):
    # An exporter's own names (Roundcube's "Email Home", "Home Mobile") beside Outlook's
    # columns; the expected identifiers are the cells' own values, lower-cased by hand.
    path = tmp_path / "others.csv"
    header = "First Name,Last Name,Email Home,Email Work,E-mail Type,Home Mobile,Home Fax,Pager"
    row = "Ana,Lima,ana@example.com,ANA@work.example.org,SMTP,+1 415 555 0134,+1 415 555 0199,7"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    data = read_google_contacts(path)
    (contact,) = data.contacts
    assert data.reports[0].variant == "outlook-csv"
    assert set(contact.identifiers) == {"ana@example.com", "ana@work.example.org", "+14155550134"}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        *[("Primary Email", "email"), ("Email Other", "email"), ("E-mail 3 Address", "email")],
        *[("Mobiltelefon 2", "phone"), ("Company Main Phone", "phone"), ("Cell", "phone")],
        *[("E-mail Display Name", None), ("Business Fax", None), ("Phone Video", None)],
        *[("Email Home Street", None), ("Home Street", None), ("Notes", None)],
    ],
)
def test_identifier_kind_takes_only_words_of_a_kind_and_their_qualifiers(name, kind):
    assert identifier_kind(name) == kind
