"""Identifier normalisers and cross-source identity merging."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustgraph.ingest.email_reader import read_mbox
from trustgraph.ingest.identity import (
    IdentityResolver,
    identifier_kind,
    linkedin_id,
    linkedin_slug,
    merge_identities,
    name_id,
    normalize_email,
    normalize_identifier,
    normalize_phone,
    platform_id,
    repair_mojibake,
)
from trustgraph.ingest.linkedin import read_linkedin
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData
from trustgraph.ingest.whatsapp import read_whatsapp

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
T0 = datetime(2024, 3, 14, tzinfo=timezone.utc)


# --- normalisers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ada@example.com", "ada@example.com"),
        ("  Ada@Example.COM ", "ada@example.com"),
        ("<bo@example.org>", "bo@example.org"),
        ("MAILTO:bo@example.org", "bo@example.org"),
        ("not-an-email", None),
        ("ada@localhost", None),
        ("a b@example.com", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_email(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+1 555 010 0100", "US", "+15550100100"),
        ("+1 (555) 010-0100", None, "+15550100100"),
        ("(555) 010-0101", "US", "+15550100101"),
        ("1-555-010-0101", "US", "+15550100101"),
        ("555.010.0101 ext. 12", "US", "+15550100101"),
        ("011 44 20 7946 0000", "US", "+442079460000"),
        ("0044 20 7946 0000", "DE", "+442079460000"),  # 00 is Germany's exit code
        ("0044 20 7946 0000", "US", None),  # the US one is 011: libphonenumber refuses
        ("020 7946 0000", "GB", "+442079460000"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("06 12 34 56 78", "IT", "+390612345678"),  # Italy keeps its leading 0
        ("tel:+15550100100", "US", "+15550100100"),
        ("+1\u202f555\u00a0010 0100", "US", "+15550100100"),
        ("555 0100", "US", None),  # 7 digits: not a NANP number
        ("(555) 010-0101", None, None),  # national number without a region
        ("+12 34", "US", None),  # too short
        ("+1234567890123456", "US", None),  # 16 digits: longer than E.164
        ("Ada Example", "US", None),
        ("+1 555 010 0100 +1", "US", None),
        ("", "US", None),
    ],
)
def test_normalize_phone(raw, region, expected):
    assert normalize_phone(raw, default_region=region) == expected


def test_normalize_phone_country_code_is_deprecated_for_the_region():
    with pytest.warns(DeprecationWarning, match="default_region"):
        assert normalize_phone("07946 000018", default_country_code="44") == "+447946000018"


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://www.linkedin.com/in/ada-example-0001", "ada-example-0001"),
        ("https://www.linkedin.com/in/Ada-Example-0001/", "ada-example-0001"),
        ("http://uk.linkedin.com/in/bo-sample-0002?trk=profile", "bo-sample-0002"),
        ("www.linkedin.com/in/ren%C3%A9e-placeholder", "renée-placeholder"),
        ("linkedin.com/pub/cy-placeholder/1/2/3", "cy-placeholder"),
        ("https://www.linkedin.com/company/acme", None),
        ("https://linkedin.com.example.com/in/ada", None),
        ("javascript:alert(1)", None),
        ('=HYPERLINK("x")', None),
        ("", None),
    ],
)
def test_linkedin_slug(url, slug):
    assert linkedin_slug(url) == slug
    assert linkedin_id(url) == (None if slug is None else f"linkedin:{slug}")


def test_platform_and_name_ids():
    assert platform_id("Slack", " U012AB ") == "slack:U012AB"
    assert name_id("wa", "Bo\u200e  Sample") == "wa-name:bo sample"
    with pytest.raises(ValueError, match="non-empty"):
        platform_id("tg", " ")
    with pytest.raises(ValueError, match="non-empty"):
        name_id("wa", "  ")


def test_identifier_kinds():
    assert identifier_kind("ada@example.com") == "email"
    assert identifier_kind("+15550100100") == "phone"
    assert identifier_kind("linkedin:ada") == "linkedin"
    assert identifier_kind("tg:100000001") == "tg"
    assert identifier_kind("wa:+15550100199") == "wa"
    assert identifier_kind("linkedin-name:dee sample | acme") == "name"
    assert identifier_kind("+1 555 010 0100") == "other"


def test_normalize_identifier_for_me_values():
    assert normalize_identifier(" Ada@Example.com ") == "ada@example.com"
    assert normalize_identifier("+1 555 010 0100") == "+15550100100"
    assert normalize_identifier("linkedin.com/in/ada-example-0001") == "linkedin:ada-example-0001"
    assert normalize_identifier("tg:100000001") == "tg:100000001"
    assert normalize_identifier("wa-name:ada example") == "wa-name:ada example"
    assert normalize_identifier("Ada Example") is None
    assert normalize_identifier("   ") is None


# --- mojibake --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("RenÃ©e Placeholder", "Renée Placeholder"),
        ("Itâ€™s", "It’s"),  # cp1252 specials
        ("Â£10", "£10"),
        ("Renée Placeholder", "Renée Placeholder"),  # already correct
        ("“quoted” — fine", "“quoted” — fine"),
        ("SÃO PAULO", "SÃO PAULO"),  # a real Ã, not a marker
        ("Bo Sample 🌻", "Bo Sample 🌻"),
        ("Ã©\udcff", "Ã©\udcff"),  # cannot be re-encoded: untouched
    ],
)
def test_repair_mojibake(raw, fixed):
    assert repair_mojibake(raw) == fixed


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30))
def test_repair_undoes_a_latin1_misreading(text):
    garbled = text.encode("utf-8").decode("latin-1")
    assert repair_mojibake(garbled) == text


# --- merging ---------------------------------------------------------------------------


def read_all_fixtures() -> ExportData:
    data = ExportData()
    data.extend(read_linkedin(EXPORTS / "linkedin"))
    data.extend(read_mbox(EXPORTS / "email" / "takeout.mbox", me=["ada@example.com"]))
    whatsapp = EXPORTS / "whatsapp"
    for chat in ("WhatsApp Chat with Bo Sample.txt", "WhatsApp Chat with Book club.txt"):
        data.extend(read_whatsapp(whatsapp / chat, me=["Ada Example"]))
    # Phone-book cards (as a vCard / Google Contacts reader would give them): the join
    # between e-mail and WhatsApp. Eve's number is left raw on purpose.
    data.contacts.append(Contact("bo@example.org", ("+15550100101",), "Bo Sample", {}, "vcard"))
    data.contacts.append(Contact("eve@example.com", ("+1 555 010 0199",), "Eve", {}, "vcard"))
    return data


def test_same_person_across_linkedin_email_and_whatsapp_is_one_node():
    data = read_all_fixtures()
    merged = merge_identities(data.contacts, data.events, me=data.owner)
    people = {c.id: c for c in merged.contacts}
    bo = people["bo@example.org"]
    # LinkedIn (connection with e-mail + messages by URL), mbox (address), WhatsApp (name,
    # linked through the phone-book card that lists it with a phone number).
    assert set(bo.identifiers) == {
        "bo@example.org",
        "+15550100101",
        "linkedin:bo-sample-0002",
        "wa-name:bo sample",
    }
    assert set(bo.attributes["sources"]) == {"linkedin", "mbox", "whatsapp", "vcard"}
    assert bo.connected_on == datetime(2023, 2, 2, tzinfo=timezone.utc)
    # Eve: e-mail in the mbox, phone-number author in the WhatsApp group, one card.
    eve = people["eve@example.com"]
    assert set(eve.identifiers) == {"eve@example.com", "+15550100199", "wa:+15550100199"}
    # The owner's LinkedIn URL, address and WhatsApp name are one node.
    assert merged.owner[0] == "ada@example.com"
    assert set(merged.owner) == {
        "ada@example.com",
        "linkedin:ada-example-0001",
        "wa-name:ada example",
    }
    sent = [e for e in merged.events if e.sender == "bo@example.org"]
    received = [e for e in merged.events if "bo@example.org" in e.recipients]
    # Sent: LinkedIn 1, mbox 2 (the auto-reply is bulk), WhatsApp 2.
    # Received: LinkedIn 4 (two dm, two group), mbox 1, WhatsApp 2.
    assert (len(sent), len(received)) == (5, 7)
    assert sum(e.sender == "ada@example.com" for e in merged.events) == 3 + 1 + 2 + 1
    assert {e.sender for e in merged.events if e.source == "whatsapp"} >= {"eve@example.com"}
    # Every identifier is gone from the events in favour of canonical ids.
    canon = set(merged.canonical.values())
    assert all(p in canon for e in merged.events for p in (e.sender, *e.recipients))


def test_shared_display_name_does_not_merge_when_name_merging_is_off():
    data = read_all_fixtures()
    merged = merge_identities(data.contacts, data.events, me=data.owner, name_merge=False)
    people = {c.id: c for c in merged.contacts}
    # LinkedIn "Cy Placeholder" and the mbox's "Cy Placeholder" share no identifier.
    assert people["linkedin:cy-placeholder-0003"].display_name == "Cy Placeholder"
    assert people["cy@example.com"].display_name == "Cy Placeholder"
    assert merged.canonical["linkedin:cy-placeholder-0003"] != merged.canonical["cy@example.com"]
    # Same for Renée, and the WhatsApp-only "🌻 Cy" stays alone.
    assert merged.canonical["renee@example.net"] == "renee@example.net"
    assert merged.canonical["linkedin:renee-placeholder-0004"] == "linkedin:renee-placeholder-0004"
    assert people["wa-name:🌻 cy"].identifiers == ("wa-name:🌻 cy",)
    assert not merged.merged_by_name
    listed = {frozenset(d.nodes) for d in merged.probable_duplicates}
    assert frozenset({"linkedin:cy-placeholder-0003", "cy@example.com"}) in listed


def test_shared_full_name_across_sources_merges_and_says_so():
    data = read_all_fixtures()
    merged = merge_identities(data.contacts, data.events, me=data.owner)
    # LinkedIn and mail, the same full name, no conflicting identifier: one person.
    assert merged.canonical["linkedin:cy-placeholder-0003"] == "cy@example.com"
    assert merged.canonical["linkedin:renee-placeholder-0004"] == "renee@example.net"
    by_kept = {m.kept: m for m in merged.merged_by_name}
    assert by_kept["cy@example.com"].merged == ("linkedin:cy-placeholder-0003",)
    assert by_kept["cy@example.com"].confidence == "medium"
    assert by_kept["cy@example.com"].sources == ("linkedin", "mail")
    # A first name alone ("🌻 Cy" in WhatsApp) never merges.
    assert merged.canonical["wa-name:🌻 cy"] == "wa-name:🌻 cy"


def test_two_contacts_same_name_different_ids_stay_two():
    a = Contact("cy@example.com", display_name="Cy Placeholder")
    b = Contact("cy@example.org", display_name="Cy Placeholder")
    merged = merge_identities([a, b])
    assert [c.id for c in merged.contacts] == ["cy@example.com", "cy@example.org"]


def test_phonebook_name_link_needs_a_unique_name():
    events = [ConversationEvent(T0, "wa-name:bo sample", ("wa-name:ada example",))]
    cards = [
        Contact("+15550100101", (), "Bo Sample", {}, "vcard"),
        Contact("+15550100102", (), "Bo Sample", {}, "vcard"),
    ]
    merged = merge_identities(cards, events)
    assert merged.canonical["wa-name:bo sample"] == "wa-name:bo sample"
    assert any("left unlinked" in n for n in merged.notes)
    single = merge_identities(cards[:1], events)
    assert single.canonical["wa-name:bo sample"] == "+15550100101"
    off = merge_identities(cards[:1], events, link_phonebook_names=False)
    assert off.canonical["wa-name:bo sample"] == "wa-name:bo sample"


def test_tilde_names_are_never_linked_to_the_phonebook():
    events = [ConversationEvent(T0, "wa-name:~ cy", ("wa-name:ada example",))]
    merged = merge_identities([Contact("+15550100103", (), "Cy", {}, "vcard")], events)
    assert merged.canonical["wa-name:~ cy"] == "wa-name:~ cy"


def test_chains_merge_transitively_and_canonical_prefers_email():
    contacts = [
        Contact("linkedin:bo", ("+15550100101",)),
        Contact("tg:42", ("+15550100101",)),
        Contact("tg:42", ("bo@example.org",)),
    ]
    merged = merge_identities(contacts)
    assert [c.id for c in merged.contacts] == ["bo@example.org"]
    assert merged.contacts[0].identifiers == (
        "bo@example.org",
        "+15550100101",
        "linkedin:bo",
        "tg:42",
    )


def test_events_rewritten_and_self_addressed_recipient_dropped():
    contacts = [Contact("ada@example.com", ("ada.work@example.org",))]
    events = [
        ConversationEvent(
            T0, "ada.work@example.org", ("ada@example.com", "bo@example.org", "bo@example.org")
        )
    ]
    merged = merge_identities(contacts, events, me=["Ada@Example.com"])
    assert merged.events[0].sender == "ada@example.com"
    assert merged.events[0].recipients == ("bo@example.org",)
    assert merged.owner == ("ada@example.com", "ada.work@example.org")
    assert any("own other identifier" in n for n in merged.notes)
    assert [c.id for c in merged.contacts] == ["ada@example.com", "bo@example.org"]


def test_owner_identifiers_are_merged_even_without_records():
    merged = merge_identities([], me=["ada@example.com", "+1 555 010 0100", "Ada Example"])
    # The plain name is not an identifier and is dropped; the two others are one person.
    assert merged.owner == ("ada@example.com", "+15550100100")


def test_result_does_not_depend_on_hash_order():
    data = read_all_fixtures()
    first = merge_identities(data.contacts, data.events, me=data.owner)
    second = merge_identities(list(data.contacts), list(data.events), me=data.owner)
    assert [c.id for c in first.contacts] == [c.id for c in second.contacts]
    assert first.as_export_data().owner == first.owner


def test_resolver_links_names_that_arrive_after_a_lookup():
    resolver = IdentityResolver()
    resolver.add_contact(Contact("+15550100101", (), "Bo Sample", {}, "vcard"))
    assert resolver.canonical("+15550100101") == "+15550100101"
    merged = resolver.resolve([ConversationEvent(T0, "wa-name:bo sample", ("wa:+15550100100",))])
    assert merged.events[0].sender == "+15550100101"
    assert merged.notes[0] == "1 WhatsApp name(s) linked to a phone-book contact with that name"
