"""Phone numbers placed by libphonenumber: national forms, trunk and exit prefixes,
extensions, and what is refused.

Expected values are worked out by hand from each country's numbering plan as
libphonenumber documents it (trunk prefix dropped after the country code, exit code of the
default region, extension kept apart), on fictional or reserved numbers: NANP's
555-01xx, Ofcom's drama range 020 7946 0xxx, ACMA's 0491 570 xxx and (02) 5550 xxxx.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from trustgraph.ingest.identity import IdentityResolver, merge_identities
from trustgraph.ingest.phones import check_region, normalize_phone, place_phone
from trustgraph.ingest.records import Contact, ConversationEvent


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        # United States: NANP fictional range, with and without the trunk prefix 1.
        ("(212) 555-0123", "US", "+12125550123"),
        ("1 212 555 0123", "US", "+12125550123"),
        ("+1 212 555 0123", None, "+12125550123"),
        # United Kingdom: trunk prefix 0 dropped; "(0)" after +44 dropped too.
        ("020 7946 0018", "GB", "+442079460018"),
        ("+44 (0)20 7946 0018", None, "+442079460018"),
        ("00 44 20 7946 0018", "GB", "+442079460018"),  # GB exit code 00
        ("011 44 20 7946 0018", "US", "+442079460018"),  # US exit code 011
        # Australia: trunk 0 dropped, mobile and Sydney fictional ranges.
        ("0491 570 156", "AU", "+61491570156"),
        ("(02) 5550 1234", "AU", "+61255501234"),
        # France, Germany, Japan: trunk 0; Russia: trunk 8; Italy keeps its leading 0.
        ("01 99 00 12 34", "FR", "+33199001234"),
        ("030 1234567", "DE", "+49301234567"),
        ("03-1234-5678", "JP", "+81312345678"),
        ("8 (495) 123-45-67", "RU", "+74951234567"),
        ("06 1234 5678", "IT", "+390612345678"),
        # The same national number means a different person in another region.
        ("06 12 34 56 78", "FR", "+33612345678"),
        # Digits of other scripts are digits; narrow and no-break spaces are spaces.
        ("+٤٤ ٢٠ ٧٩٤٦ ٠٠١٨", None, "+442079460018"),
        ("+1\u202f212\u00a0555 0123", None, "+12125550123"),
    ],
)
def test_numbers_are_placed(raw, region, expected):
    placed = place_phone(raw, default_region=region)
    assert (placed.number, placed.problem) == (expected, None)
    assert normalize_phone(raw, default_region=region) == expected


@pytest.mark.parametrize(
    ("raw", "region", "number", "extension"),
    [
        ("tel:+1-418-656-9254;ext=102", None, "+14186569254", "102"),  # RFC 3966
        ("(212) 555-0123 ext. 45", "US", "+12125550123", "45"),
        ("020 7946 0018 x 12", "GB", "+442079460018", "12"),
        ("+1 212 555 0123 #7", None, "+12125550123", "7"),
    ],
)
def test_extensions_are_read_apart_from_the_number(raw, region, number, extension):
    placed = place_phone(raw, default_region=region)
    assert (placed.number, placed.extension) == (number, extension)


@pytest.mark.parametrize(
    ("raw", "region", "problem"),
    [
        ("020 7946 0018", None, "no country code and no default region"),
        ("(212) 555-0123", None, "no country code and no default region"),
        ("555-0123", "US", "local number without its area code"),
        ("0044 20 7946 0018", "US", "too long for its country"),  # 00 is not the US exit
        ("+1 212 555 01234", None, "too long for its country"),
        ("+1 212 555", None, "too short for its country"),
        ("+44 20 79", None, "local number without its area code"),
        ("+999 1234 5678", "US", "unknown country code"),
        ("Ada Example", "US", "not a phone number"),
        ("1-800-FLOWERS", "US", "not a phone number"),  # vanity letters: a name, not a number
        ("Mum +44 20 7946 0018", None, "not a phone number"),
        ("212 555 0123 Ada", "US", "not a phone number"),
        ("+1 212 555 0123 +1", None, "not a phone number"),
        ("", "US", "not a phone number"),
        (None, "US", "not a phone number"),
    ],
)
def test_unplaced_numbers_say_why_and_are_never_guessed(raw, region, problem):
    placed = place_phone(raw, default_region=region)
    assert (placed.number, placed.extension, placed.problem) == (None, None, problem)
    assert normalize_phone(raw, default_region=region) is None


def test_regions():
    assert check_region(" gb ") == "GB"
    assert check_region("ZZ") is None  # libphonenumber's unknown region
    with pytest.raises(ValueError, match="'UK'"):
        check_region("UK")
    with pytest.raises(ValueError, match="'UK'"):
        normalize_phone("020 7946 0018", default_region="UK")


def _raw_phone_contacts():
    card = Contact("dee@example.org", ("020 7946 0018",), "Dee Sample", source="vcard")
    chat = Contact("+442079460018", (), "Dee", source="whatsapp")
    return [card, chat]


def test_merging_places_raw_numbers_with_the_region():
    merged = merge_identities(_raw_phone_contacts(), default_region="GB", name_merge=False)
    assert [c.id for c in merged.contacts] == ["dee@example.org"]
    assert merged.canonical["+442079460018"] == "dee@example.org"
    assert merged.unplaced_phones == ()


def test_merging_reports_numbers_it_cannot_place():
    merged = merge_identities(_raw_phone_contacts(), default_region=None, name_merge=False)
    assert sorted(c.id for c in merged.contacts) == ["+442079460018", "dee@example.org"]
    assert merged.unplaced_phones == ("020 7946 0018",)
    assert any(note.startswith("1 phone number(s) could not be placed") for note in merged.notes)


def test_region_reaches_owner_and_aliases():
    t0 = datetime(2024, 3, 14, tzinfo=timezone.utc)
    event = ConversationEvent(t0, "+442079460099", ("+442079460018",), source="whatsapp")
    merged = merge_identities(
        _raw_phone_contacts(),
        [event],
        me=["020 7946 0099"],
        default_region="GB",
        aliases=[("020 7946 0018", "dee.work@example.net")],
    )
    assert merged.owner[0] == "+442079460099"
    resolver = IdentityResolver(default_region="GB")
    resolver.add_alias(["020 7946 0018", "dee@example.org"])
    for contact in _raw_phone_contacts():
        resolver.add_contact(contact)
    assert resolver.canonical("+442079460018") == "dee@example.org"
