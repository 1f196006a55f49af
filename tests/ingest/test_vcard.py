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
        "phone number not placed (too short for its country)": 1,  # TEL:12
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
    # "(555) 010-0102" has no country code; "12" neither, and is too short anyway.
    reason = "phone number not placed (no country code and no default region)"
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
    # Asked for UTF-8, a file that is not names the line of the first bad byte.
    with pytest.raises(IngestError, match=r"latin1\.vcf:5: .*not valid utf-8"):
        read_vcard(FIXTURES / "latin1.vcf", encoding="utf-8")
    data = read_vcard(FIXTURES / "latin1.vcf", encoding="latin-1")
    assert data.contacts[0].id == "ada@example.com"
    # By default such a file is read in the Windows code page, and a note says so.
    default = read_vcard(FIXTURES / "latin1.vcf")
    assert default.contacts[0].id == "ada@example.com"
    assert any("Windows-1252" in note for note in default.reports[0].notes)


def _card(tmp_path, *lines):
    path = tmp_path / "card.vcf"
    path.write_text("\n".join(["BEGIN:VCARD", "VERSION:4.0", "FN:Cy Placeholder", *lines,
                               "END:VCARD", ""]))  # fmt: skip
    return read_vcard(path, default_region=None)


def test_tel_uri_with_extension_reads_as_the_number(tmp_path):
    # Issue 15: RFC 3966 URI with an extension parameter. libphonenumber reads the
    # extension apart; E.164 has none, so the id is the number itself.
    data = _card(tmp_path, "TEL;VALUE=uri:tel:+1-418-656-9254;ext=102")
    assert [c.identifiers for c in data.contacts] == [("+14186569254",)]
    assert not data.reports[0].skipped


def test_tel_with_written_extension_and_national_number(tmp_path):
    path = tmp_path / "card.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Dee Sample\nTEL:020 7946 0018 ext. 12\n"
        "TEL;TYPE=work:+44 (0)20 7946 0019\nEND:VCARD\n"
    )
    data = read_vcard(path, default_region="GB")
    # Ofcom's drama range 020 7946 0xxx; the "(0)" trunk prefix is dropped after +44.
    assert data.contacts[0].identifiers == ("+442079460018", "+442079460019")


def test_unknown_region_is_refused_before_reading(tmp_path):
    with pytest.raises(ValueError, match="'UK'"):
        read_vcard(tmp_path / "missing.vcf", default_region="UK")


def test_grouped_begin_and_end_are_a_card(tmp_path):
    # RFC 2426 section 4: "vcard = [group "."] "BEGIN" ":" "VCARD" ...", so a group may prefix
    # BEGIN and END; l0b0/vcard's tests/missing_group.vcf is built that way.
    path = tmp_path / "grouped.vcf"
    path.write_text(
        "G1.BEGIN:VCARD\r\nG1.VERSION:3.0\r\nFN:Ada Example\r\n"
        "G1.EMAIL:ada@example.org\r\nG1.END:VCARD\r\n",
        encoding="utf-8",
    )
    data = read_vcard(path)
    assert data.reports[0].records["cards"] == 1
    assert data.reports[0].skipped == {}
    assert [c.identifiers for c in data.contacts] == [("ada@example.org",)]
