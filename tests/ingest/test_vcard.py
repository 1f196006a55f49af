"""vCard reader: folding, 2.1 quoted-printable soft breaks, empty parameters, empty cards.

Expected identifiers are written by hand from tests/fixtures/exports/vcard/contacts.vcf; the
2.1 card's QP bytes decode to "Renée Example" (FORMATS.md §2.10, checked there with quopri).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.vcard import read_vcard

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "vcard"


@pytest.fixture(scope="module")
def book():
    return read_vcard(FIXTURES / "contacts.vcf")


def test_counts_versions_and_skips(book):
    report = book.reports[0]
    assert report.format == "vcard"
    assert report.variant == "2.1+3.0+4.0"
    assert report.records["cards"] == 6
    assert report.records["contacts"] == 4
    assert report.records["unfolded_lines"] == 1
    assert report.skipped == {
        "unusable e-mail value": 1,
        "empty card": 1,  # FORMATS §4 row 35
        "unusable phone number (no country code? see default_region)": 1,
        "card without e-mail or phone": 1,
    }
    assert book.events == []


def test_multiple_emails_phones_and_linkedin(book):
    ada = book.contacts[0]
    assert ada.id == "ada@example.com"
    assert ada.identifiers == (
        "ada@example.com",
        "ada.work@example.org",  # item1. group prefix, lower-cased
        "+15550100100",
        "+15550100102",  # national number read in the default region (US)
        "linkedin:ada-example-0001",
    )
    assert ada.display_name == "Ada Example"
    assert ada.attributes["labels"] == ("friends", "book club")
    assert ada.attributes["organization"] == "Acme Ltd"


def test_quoted_printable_soft_break_on_unindented_line(book):
    # FORMATS §4 row 34.
    renee = book.contacts[1]
    assert (renee.id, renee.display_name) == ("+15550100101", "Renée Example")


def test_version_4_tel_uri_and_folded_photo(book):
    bo = book.contacts[2]
    assert bo.identifiers == ("bo@example.com", "+15550100103")


def test_empty_parameter_tolerated(book):
    # FORMATS §4 row 35: TEL;:+1-555-010-0199.
    cy = book.contacts[3]
    assert (cy.id, cy.display_name) == ("+15550100199", "Cy Placeholder")


def test_default_region_none_keeps_only_international_numbers():
    data = read_vcard(FIXTURES / "contacts.vcf", default_region=None)
    assert "+15550100102" not in data.contacts[0].identifiers
    reason = "unusable phone number (no country code? see default_region)"
    assert data.reports[0].skipped[reason] == 2


def test_me_is_normalised_into_owner():
    data = read_vcard(FIXTURES / "contacts.vcf", me=["Ada@Example.com", "+1 555 010 0100"])
    assert data.owner == ("ada@example.com", "+15550100100")


def test_no_usable_card_raises():
    with pytest.raises(IngestError, match="none has a usable"):
        read_vcard(FIXTURES / "no_identifiers.vcf")


def test_not_a_vcard():
    with pytest.raises(IngestError, match="no BEGIN:VCARD"):
        read_vcard(FIXTURES / "not_a_vcard.vcf")


def test_bad_bytes_name_the_line():
    with pytest.raises(IngestError, match=r"latin1\.vcf:5: .*not valid utf-8"):
        read_vcard(FIXTURES / "latin1.vcf")
    data = read_vcard(FIXTURES / "latin1.vcf", encoding="latin-1")
    assert data.contacts[0].id == "ada@example.com"
