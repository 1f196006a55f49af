"""Identifiers and identity merging: one person, one node, whatever the source.

Every reader names people by **normalised identifiers**, so that the same person seen in two
exports gets the same string:

=================  ==============================  ========================================
kind               form                            made by
=================  ==============================  ========================================
e-mail             ``ada@example.com``             :func:`normalize_email`
phone              ``+15550100100`` (E.164)        :func:`normalize_phone`
LinkedIn profile   ``linkedin:ada-example-0001``   :func:`linkedin_id` (:func:`linkedin_slug`)
platform account   ``tg:100000001``, ``wa:+1555…`` :func:`platform_id`
scoped name        ``wa-name:bo sample``           :func:`name_id` (a hint, never a join key)
=================  ==============================  ========================================

:func:`merge_identities` then merges the contacts of every source with a union-find over
those identifiers: two records are one person when they share an e-mail address, a phone
number, a profile URL or a platform id. A display name alone joins two records only under
the rules documented on :func:`merge_identities`: a WhatsApp name is the name the owner saved
in their own phone book, so a phone-book record that lists that exact name next to a phone
number links the two; and records of *different* sources with the same full name and no
conflicting identifier are merged with a stated confidence (or, with ``name_merge=False``
or when two people share the name, only listed as probably the same person). An
``--identities`` file (:func:`read_identities`) joins whatever the user says is one person.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from trustgraph.ingest.records import (
    Contact,
    ConversationEvent,
    ExportData,
    NameMerge,
    ProbableDuplicate,
)

__all__ = [
    "IdentityResolver",
    "MergedIdentities",
    "full_name_key",
    "identifier_kind",
    "linkedin_id",
    "linkedin_slug",
    "merge_identities",
    "name_id",
    "normalize_email",
    "normalize_identifier",
    "normalize_phone",
    "platform_id",
    "read_identities",
    "repair_mojibake",
]

# ---------------------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"^[^\s@<>(),;:\"\[\]]+@[^\s@<>(),;:\"\[\]]+\.[^\s@<>(),;:\"\[\]]+$")


def normalize_email(value: str | None) -> str | None:
    """Return the lower-cased, stripped address, or None if `value` is not an address.

    Angle brackets and a ``mailto:`` prefix are removed. The whole address is lower-cased:
    local parts are case-sensitive in theory but not at any provider people use, and
    "Ada@Example.com" and "ada@example.com" must be one person.

    Parameters
    ----------
    value : str or None
        A raw address cell or header fragment.

    Returns
    -------
    str or None
        The normalised address; None for an empty or malformed value (``not-an-email``).

    References
    ----------
    .. [1] P. Resnick (ed.), "Internet Message Format", RFC 5322, 2008 (section 3.4).

    Examples
    --------
    >>> normalize_email("  <Ada@Example.COM> ")
    'ada@example.com'
    >>> normalize_email("mailto:bo@example.org")
    'bo@example.org'
    >>> normalize_email("not-an-email") is None
    True
    """
    if not value:
        return None
    text = value.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    text = text.lower()
    if not _EMAIL_RE.match(text):
        return None
    return text


# ---------------------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------------------

# region -> (country calling code, national trunk prefix dropped before the subscriber
# number). A deliberately small table: national numbers of other regions need a "+" or
# "00" prefix, or the matching default_region. Italy keeps its leading 0 (no trunk prefix).
_REGIONS: dict[str, tuple[str, str]] = {
    "US": ("1", "1"),
    "CA": ("1", "1"),
    "GB": ("44", "0"),
    "IE": ("353", "0"),
    "FR": ("33", "0"),
    "DE": ("49", "0"),
    "AT": ("43", "0"),
    "CH": ("41", "0"),
    "NL": ("31", "0"),
    "BE": ("32", "0"),
    "ES": ("34", ""),
    "PT": ("351", ""),
    "IT": ("39", ""),
    "SE": ("46", "0"),
    "NO": ("47", ""),
    "DK": ("45", ""),
    "FI": ("358", "0"),
    "PL": ("48", ""),
    "TR": ("90", "0"),
    "IN": ("91", "0"),
    "AU": ("61", "0"),
    "NZ": ("64", "0"),
    "BR": ("55", "0"),
    "MX": ("52", ""),
    "AR": ("54", "0"),
    "JP": ("81", "0"),
    "KR": ("82", "0"),
    "CN": ("86", "0"),
    "ZA": ("27", "0"),
}
_PHONE_CHARS_RE = re.compile(r"^[+\d\s().\-/\u00a0\u202f\u2009\u2011]+$")
_EXTENSION_RE = re.compile(r"\s*(?:ext\.?|x|#)\s*\d+\s*$", re.IGNORECASE)


def normalize_phone(
    value: str | None,
    *,
    default_region: str | None = "US",
    default_country_code: str | None = None,
) -> str | None:
    """Return a phone number in E.164 form (``+15550100100``), or None if it is not one.

    Parameters
    ----------
    value : str or None
        A raw number: ``+1 555 010 0100``, ``(555) 010-0100``, ``0044 20 7946 0000``...
    default_region : str or None, default "US"
        ISO 3166 code used for numbers written without an international prefix. ``"US"``
        and ``"CA"`` read the North American Numbering Plan: 10 digits, or 11 starting with
        the trunk prefix 1, and ``011`` as the international prefix. None accepts only
        numbers with a ``+`` or ``00`` prefix.
    default_country_code : str or None
        Alternative to `default_region` for a country missing from the region table: the
        calling code (``"44"``) put in front of a national number after dropping one
        leading trunk ``0``. Takes precedence over `default_region` when given.

    Returns
    -------
    str or None
        ``"+"`` followed by 8 to 15 digits; None when `value` holds letters, too few or too
        many digits, or a national number the region table cannot place.

    Notes
    -----
    This is a small, careful implementation, not a full numbering-plan database: it does
    not check that an area code exists (the fictional ``555 010`` numbers must pass), and
    for regions other than NANP it only drops the trunk prefix listed in a short table.

    References
    ----------
    .. [1] ITU-T Recommendation E.164, "The international public telecommunication
       numbering plan", 2010.

    Examples
    --------
    >>> normalize_phone("+1 555 010 0100")
    '+15550100100'
    >>> normalize_phone("(555) 010-0101")
    '+15550100101'
    >>> normalize_phone("0044 20 7946 0000")
    '+442079460000'
    >>> normalize_phone("020 7946 0000", default_region="GB")
    '+442079460000'
    >>> normalize_phone("Ada Example") is None
    True
    """
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if text[:4].lower() == "tel:":
        text = text[4:].strip()
    text = _EXTENSION_RE.sub("", text)
    if not text or not _PHONE_CHARS_RE.match(text):
        return None
    plus = text.startswith("+")
    if "+" in text[1:]:
        return None
    digits = re.sub(r"\D", "", text)
    if plus:
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif default_country_code:
        national = digits[1:] if digits.startswith("0") else digits
        international = str(default_country_code).lstrip("+") + national
    else:
        region = (default_region or "").upper()
        if region in ("US", "CA") and digits.startswith("011"):
            international = digits[3:]
        elif region in ("US", "CA"):
            if len(digits) == 10:
                international = "1" + digits
            elif len(digits) == 11 and digits.startswith("1"):
                international = digits
            else:
                return None
        elif region in _REGIONS:
            code, trunk = _REGIONS[region]
            national = digits[len(trunk) :] if trunk and digits.startswith(trunk) else digits
            if len(national) < 6:
                return None
            international = code + national
        else:
            return None
    if not 8 <= len(international) <= 15 or international.startswith("0"):
        return None
    return "+" + international


# ---------------------------------------------------------------------------------------
# Platform identifiers and profile URLs
# ---------------------------------------------------------------------------------------

_PREFIX_RE = re.compile(r"^([a-z][a-z0-9_]*(?:-name)?):(.+)$")


def linkedin_slug(url: str | None) -> str | None:
    """Return the profile slug of a LinkedIn profile URL, lower-cased, or None.

    Accepts ``https://www.linkedin.com/in/<slug>/``, country subdomains, missing scheme,
    query strings and percent-encoded slugs. Anything else (``javascript:`` URLs, company
    pages, plain text) gives None.

    Examples
    --------
    >>> linkedin_slug("https://www.linkedin.com/in/Ada-Example-0001/?trk=x")
    'ada-example-0001'
    >>> linkedin_slug("uk.linkedin.com/in/bo-sample-0002")
    'bo-sample-0002'
    >>> linkedin_slug("javascript:alert(1)") is None
    True
    """
    if not url:
        return None
    text = url.strip()
    if "://" not in text:
        if not re.match(r"^(?:[\w-]+\.)*linkedin\.com/", text, re.IGNORECASE):
            return None
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in ("in", "pub"):
        return None
    slug = unquote(segments[1]).strip().lower()
    return slug or None


def linkedin_id(url: str | None) -> str | None:
    """Return ``linkedin:<slug>`` for a profile URL, or None (see :func:`linkedin_slug`).

    Examples
    --------
    >>> linkedin_id("https://www.linkedin.com/in/ada-example-0001")
    'linkedin:ada-example-0001'
    """
    slug = linkedin_slug(url)
    return None if slug is None else f"linkedin:{slug}"


def platform_id(platform: str, value: str | int) -> str:
    """Return a platform-scoped account id such as ``tg:100000001`` or ``slack:U012AB``.

    The platform name is lower-cased; the value is stripped and kept as is (account ids
    are case-sensitive on some platforms).

    Examples
    --------
    >>> platform_id("TG", 100000001)
    'tg:100000001'
    """
    platform = platform.strip().lower()
    text = str(value).strip()
    if not platform or not text:
        raise ValueError("platform_id needs a platform and a non-empty value")
    return f"{platform}:{text}"


def _fold_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return " ".join(text.split()).casefold()


def name_id(platform: str, name: str) -> str:
    """Return a name-based id scoped to one platform, e.g. ``wa-name:bo sample``.

    Used only where a source names people by display name alone (WhatsApp contacts saved
    in the phone, LinkedIn members without a profile URL). Such ids never join across
    sources by themselves: see :func:`merge_identities`.

    Examples
    --------
    >>> name_id("wa", "  Bo   SAMPLE ")
    'wa-name:bo sample'
    """
    folded = _fold_name(name)
    if not folded:
        raise ValueError("name_id needs a non-empty name")
    return f"{platform.strip().lower()}-name:{folded}"


def identifier_kind(identifier: str) -> str:
    """Classify a normalised identifier: ``email``, ``phone``, ``name`` or its platform.

    Examples
    --------
    >>> [identifier_kind(i) for i in ("ada@example.com", "+15550100100", "tg:1",
    ...                               "wa-name:bo sample", "linkedin:ada")]
    ['email', 'phone', 'tg', 'name', 'linkedin']
    """
    if re.fullmatch(r"\+\d{8,15}", identifier):
        return "phone"
    match = _PREFIX_RE.match(identifier)
    if match and "@" not in match.group(1):
        prefix = match.group(1)
        return "name" if prefix.endswith("-name") else prefix
    if "@" in identifier:
        return "email"
    return "other"


def normalize_identifier(value: str, *, default_region: str | None = "US") -> str | None:
    """Normalise one ``--me`` style identifier of unknown kind, or None for a plain name.

    E-mail addresses, phone numbers, LinkedIn profile URLs and already prefixed platform
    ids (``tg:123``) are recognised; anything else is treated as a display name, which is
    not an identifier (readers match names within their own source).

    Examples
    --------
    >>> normalize_identifier("Ada@Example.com")
    'ada@example.com'
    >>> normalize_identifier("+1 (555) 010-0100")
    '+15550100100'
    >>> normalize_identifier("https://www.linkedin.com/in/ada-example-0001")
    'linkedin:ada-example-0001'
    >>> normalize_identifier("Ada Example") is None
    True
    """
    text = value.strip()
    if not text:
        return None
    if "@" in text and " " not in text and not text.startswith("@"):
        return normalize_email(text)
    if "linkedin.com" in text.lower():
        return linkedin_id(text)
    phone = normalize_phone(text, default_region=default_region)
    if phone is not None:
        return phone
    match = _PREFIX_RE.match(text)
    if match and " " not in match.group(1):
        return f"{match.group(1).lower()}:{match.group(2).strip()}"
    return None


# ---------------------------------------------------------------------------------------
# Mojibake repair (UTF-8 bytes decoded as latin-1 / cp1252)
# ---------------------------------------------------------------------------------------

# A UTF-8 lead byte read as latin-1 (Â..ô) followed by a continuation byte read as latin-1
# (U+0080..U+00BF) or as one of the cp1252 specials in 0x80..0x9F.
_MOJIBAKE_RE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _to_bytes_as_read(text: str) -> bytes | None:
    # Undo the wrong decoding: every character back to the single byte it was read from.
    out = bytearray()
    for char in text:
        code = ord(char)
        if code < 0x100:
            out.append(code)
            continue
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            return None
    return bytes(out)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as latin-1/cp1252 (``RenÃ©e`` -> ``Renée``).

    The repair is guarded: it is applied only when the text contains mojibake markers, the
    re-encoded bytes decode as valid UTF-8, and the result has fewer markers. Text that is
    already correct (``Renée``, curly quotes, emoji) is returned unchanged.

    Examples
    --------
    >>> repair_mojibake("RenÃ©e Placeholder")
    'Renée Placeholder'
    >>> repair_mojibake("Renée Placeholder")
    'Renée Placeholder'
    """
    before = len(_MOJIBAKE_RE.findall(text))
    if before == 0:
        return text
    raw = _to_bytes_as_read(text)
    if raw is None:
        return text
    try:
        repaired = raw.decode("utf-8")
    except UnicodeDecodeError:
        return text
    if len(_MOJIBAKE_RE.findall(repaired)) >= before:
        return text
    return repaired


# ---------------------------------------------------------------------------------------
# Merging
# ---------------------------------------------------------------------------------------

_KIND_RANK = {"email": 0, "phone": 1, "linkedin": 2, "name": 9, "other": 8}


def _rank(identifier: str) -> int:
    return _KIND_RANK.get(identifier_kind(identifier), 3)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.order: dict[str, int] = {}

    def add(self, item: str) -> None:
        if item not in self.parent:
            self.parent[item] = item
            self.order[item] = len(self.order)

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> bool:
        self.add(a)
        self.add(b)
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        # The earlier-seen root wins so that results do not depend on hashing.
        if self.order[root_b] < self.order[root_a]:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        return True


@dataclass(frozen=True)
class MergedIdentities:
    """The result of :func:`merge_identities`.

    Attributes
    ----------
    contacts : list of Contact
        One contact per person, ``id`` = canonical id, ``identifiers`` = every identifier
        merged into it, ``attributes["sources"]`` = the sources that knew the person.
    events : list of ConversationEvent
        The input events with sender and recipients rewritten to canonical ids.
    owner : tuple of str
        The owner's canonical id first, then all the owner's identifiers; empty when no
        ``me`` identifier was seen.
    canonical : mapping of str to str
        Every identifier seen -> its canonical id.
    notes : list of str
        What was merged and why (counts only, no names).
    merged_by_name : list of NameMerge
        People merged because records of different sources share their full name.
    probable_duplicates : list of ProbableDuplicate
        People who are probably one person but were not merged.
    """

    contacts: list[Contact]
    events: list[ConversationEvent]
    owner: tuple[str, ...]
    canonical: Mapping[str, str]
    notes: list[str] = field(default_factory=list)
    merged_by_name: list[NameMerge] = field(default_factory=list)
    probable_duplicates: list[ProbableDuplicate] = field(default_factory=list)

    def as_export_data(self) -> ExportData:
        """Return the merged records as an :class:`ExportData` (without read reports)."""
        return ExportData(list(self.contacts), list(self.events), [], tuple(self.owner))


class IdentityResolver:
    """Union-find over normalised identifiers, fed with contacts, events and ``me``.

    Use :func:`merge_identities` for the one-call version; the class exists for callers
    that add records source by source.

    Parameters
    ----------
    link_phonebook_names : bool, default True
        Link a scoped WhatsApp name id (``wa-name:bo sample``) to a contact record that has
        a phone number and exactly that display name, when that name belongs to one phone
        book entry only. WhatsApp shows the name the owner saved in their phone, so such a
        record (vCard, Google Contacts, Telegram contact list) is evidence, not a guess.
    name_merge : bool, default True
        Merge people whose records come from different sources and share a full name, when
        no identifier conflicts (see :func:`merge_identities`); False only lists them as
        probable duplicates. Applied by :meth:`resolve` (not by :meth:`canonical`).

    Examples
    --------
    >>> r = IdentityResolver()
    >>> r.add_contact(Contact("linkedin:bo-sample-0002", ("bo@example.org",)))
    >>> r.add_contact(Contact("bo@example.org", display_name="Bo Sample"))
    >>> r.canonical("linkedin:bo-sample-0002")
    'bo@example.org'
    """

    def __init__(self, *, link_phonebook_names: bool = True, name_merge: bool = True) -> None:
        self._sets = _UnionFind()
        self._contacts: list[Contact] = []
        self._owner: list[str] = []
        self._aliases: list[tuple[list[str], list[str]]] = []
        self.link_phonebook_names = link_phonebook_names
        self.name_merge = name_merge
        self._link_notes: list[str] = []
        self._cache: dict[str, str] | None = None

    def add_alias(self, cells: Iterable[str]) -> None:
        """Declare that the identifiers of one row of an identities file are one person.

        Each cell is an e-mail address, a phone number, a profile URL, a prefixed id
        (``wa-name:bo sample``) or a display name; a display name stands for every scoped
        name id with that name (``wa-name:``, ``linkedin-name:``...). Identifiers the other
        records never mention are ignored: an identities file links people, it adds none.
        """
        ids, names = [], []
        for cell in cells:
            text = cell.strip()
            if not text:
                continue
            normalised = normalize_identifier(text)
            if normalised is not None:
                ids.append(_tidy(normalised))
            else:
                names.append(_fold_name(text).removeprefix("~ "))
        if len(ids) + len(names) > 0:
            self._aliases.append((ids, names))
            self._cache = None

    def add_contact(self, contact: Contact) -> None:
        """Record a contact: all its identifiers are the same person.

        Identifiers a reader left raw (``+1 555 010 0199``, ``Bo@Example.org``) are
        normalised first, so that they can meet their normalised twins.
        """
        self._contacts.append(contact)
        self._cache = None
        first = contact.identifiers[0]
        self._sets.add(first)
        for other in contact.identifiers[1:]:
            self._sets.union(first, _tidy(other))

    def add_identifier(self, identifier: str) -> None:
        """Record an identifier seen only in events (a person without a contact record)."""
        self._cache = None
        self._sets.add(identifier)

    def add_owner(self, identifiers: Iterable[str]) -> None:
        """Declare identifiers as the owner's: they are all merged into one person."""
        ids = [i for i in identifiers if i]
        self._cache = None
        for identifier in ids:
            self._sets.add(identifier)
            self._owner.append(identifier)
        for identifier in ids[1:]:
            self._sets.union(ids[0], identifier)

    def _link_names(self) -> None:
        # Idempotent (unions only), so it runs again whenever new ids arrived.
        self._link_notes = []
        if not self.link_phonebook_names:
            return
        wa_names = {i for i in self._sets.parent if i.startswith("wa-name:")}
        if not wa_names:
            return
        candidates: dict[str, set[str]] = {}
        for contact in self._contacts:
            if not contact.display_name or not contact.display_name.strip():
                continue
            if contact.id.startswith("wa"):
                continue
            phones = [i for i in map(_tidy, contact.identifiers) if identifier_kind(i) == "phone"]
            key = name_id("wa", contact.display_name)
            if phones and key in wa_names:
                self._sets.add(phones[0])
                candidates.setdefault(key, set()).add(self._sets.find(phones[0]))
        linked = ambiguous = 0
        for key, roots in candidates.items():
            if len(roots) == 1:
                self._sets.union(next(iter(roots)), key)
                linked += 1
            else:
                ambiguous += 1
        if linked:
            self._link_notes.append(
                f"{linked} WhatsApp name(s) linked to a phone-book contact with that name"
            )
        if ambiguous:
            self._link_notes.append(
                f"{ambiguous} WhatsApp name(s) left unlinked: several phone-book contacts "
                "share the name"
            )

    def _apply_aliases(self) -> int:
        """Union the identifiers of every identities row; return how many rows joined two
        or more known records."""
        if not self._aliases:
            return 0
        by_name: dict[str, list[str]] = {}
        for identifier in self._sets.parent:
            scoped = _scoped_name(identifier)
            if scoped is not None:
                by_name.setdefault(scoped, []).append(identifier)
        joined = 0
        for ids, names in self._aliases:
            known = [i for i in ids if i in self._sets.parent]
            known += [i for name in names for i in by_name.get(name, ())]
            roots = {self._sets.find(i) for i in known}
            for other in known[1:]:
                self._sets.union(known[0], other)
            joined += len(roots) > 1
        return joined

    def _canonical_map(self) -> dict[str, str]:
        if self._cache is not None:
            return self._cache
        self._link_names()
        joined = self._apply_aliases()
        if self._aliases:
            self._link_notes.append(
                f"identities file: {len(self._aliases)} rows, {joined} joined records that "
                "share no identifier"
            )
        groups: dict[str, list[str]] = {}
        for identifier in self._sets.parent:
            groups.setdefault(self._sets.find(identifier), []).append(identifier)
        mapping: dict[str, str] = {}
        for members in groups.values():
            best = min(members, key=lambda i: (_rank(i), self._sets.order[i]))
            for member in members:
                mapping[member] = best
        self._cache = mapping
        return mapping

    def canonical(self, identifier: str) -> str:
        """Return the canonical id of `identifier` (itself if never seen)."""
        if identifier not in self._sets.parent:
            return identifier
        return self._canonical_map()[identifier]

    def resolve(self, events: Iterable[ConversationEvent] = ()) -> MergedIdentities:
        """Merge everything added so far and rewrite `events` to canonical ids."""
        events = list(events)
        self._cache = None
        for event in events:
            self._sets.add(event.sender)
            for recipient in event.recipients:
                self._sets.add(recipient)
        mapping = self._canonical_map()
        names = _NameMerger(self, mapping)
        mapping = names.apply()
        groups: dict[str, list[str]] = {}
        for identifier, canon in mapping.items():
            groups.setdefault(canon, []).append(identifier)
        merged: dict[str, dict] = {}
        for contact in self._contacts:
            canon = mapping[contact.identifiers[0]]
            entry = merged.setdefault(
                canon,
                {
                    "ids": [],
                    "name": None,
                    "attrs": {},
                    "sources": [],
                    "connected": None,
                    "declared": False,
                },
            )
            entry["ids"].extend((contact.identifiers[0], *map(_tidy, contact.identifiers[1:])))
            if entry["name"] is None and contact.display_name:
                entry["name"] = contact.display_name
            entry["declared"] = entry["declared"] or contact.declared
            for key, value in contact.attributes.items():
                entry["attrs"].setdefault(key, value)
            if contact.source and contact.source not in entry["sources"]:
                entry["sources"].append(contact.source)
            if contact.connected_on is not None and (
                entry["connected"] is None or contact.connected_on < entry["connected"]
            ):
                entry["connected"] = contact.connected_on
        rewritten: list[ConversationEvent] = []
        self_addressed = 0
        for event in events:
            sender = mapping[event.sender]
            recipients = [mapping[r] for r in event.recipients]
            kept = tuple(dict.fromkeys(r for r in recipients if r != sender))
            if len(kept) < len(set(recipients)):
                self_addressed += 1
            rewritten.append(_replace_participants(event, sender, kept))
            for person in (sender, *kept):
                if person not in merged:
                    merged[person] = {
                        "ids": [person],
                        "name": None,
                        "attrs": {},
                        "sources": [event.source] if event.source else [],
                        "connected": None,
                        "declared": False,
                    }
        contacts = []
        for canon, entry in merged.items():
            members = sorted(
                set(entry["ids"]) | set(groups.get(canon, ())),
                key=lambda i: (_rank(i), self._sets.order.get(i, 0)),
            )
            attrs = dict(entry["attrs"])
            attrs["sources"] = tuple(entry["sources"])
            contacts.append(
                Contact(
                    canon,
                    tuple(members),
                    entry["name"],
                    attrs,
                    "|".join(entry["sources"]),
                    entry["connected"],
                    declared=entry["declared"],
                )
            )
        owner: tuple[str, ...] = ()
        if self._owner:
            canon = mapping[self._owner[0]]
            members = groups.get(canon, [])
            owner = tuple(dict.fromkeys((canon, *members)))
        sizes = Counter(mapping.values())
        n_merged = sum(1 for size in sizes.values() if size > 1)
        notes = list(self._link_notes)
        notes.append(
            f"{len(mapping)} identifiers resolved to {len(sizes)} people "
            f"({n_merged} people carry more than one identifier)"
        )
        if self_addressed:
            notes.append(
                f"{self_addressed} events addressed a sender's own other identifier; "
                "that recipient was dropped"
            )
        merges, duplicates = names.results(mapping)
        if merges:
            notes.append(
                f"{len(merges)} people merged by full name across sources (no conflicting "
                "identifier); see merged_by_name"
            )
        if duplicates:
            notes.append(
                f"{len(duplicates)} groups of records are probably one person each but were "
                "not merged; see probable_duplicates"
            )
        return MergedIdentities(contacts, rewritten, owner, mapping, notes, merges, duplicates)


# ---------------------------------------------------------------------------------------
# Names: probable duplicates across sources
# ---------------------------------------------------------------------------------------

_CREDENTIALS = {
    "phd", "md", "mba", "pmp", "cfa", "cpa", "esq", "jr", "sr", "ii", "iii", "iv", "msc",
    "bsc", "ma", "ba", "mphil", "dds", "rn", "pe", "ceng", "frcs", "obe", "mbe",
}  # fmt: skip
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"}
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\"[^\"]*\"|“[^”]*”")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
# Accounts a person often holds several of (work and private addresses): two records with
# different ones are not merged on a name but listed, while two phone numbers or profiles
# of one platform mean two people.
_SOFT_KINDS = ("email",)


def _fold_letters(text: str) -> str:
    """Case-folded, accents removed (``Aurélie`` and ``Aurelie`` fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def full_name_key(name: str | None) -> str | None:
    """The comparison key of a full name, or None when it is not a full name.

    Case, accents, punctuation, honorifics (``Dr``), bracketed or quoted nicknames and
    trailing credentials (``Rao, PMP``) are dropped; ``Sample, Bo`` reads as ``Bo
    Sample``. At least two words of two or more letters are needed: a first name alone, an
    address or a phone number is not a full name.

    Examples
    --------
    >>> full_name_key("Farah Rao, PMP"), full_name_key("DR. farah  RAO")
    ('farah rao', 'farah rao')
    >>> full_name_key("Sample, Bo"), full_name_key("Aurélie (Lili) Salo")
    ('bo sample', 'aurelie salo')
    >>> full_name_key("Bo") is None, full_name_key("bo@example.org") is None
    (True, True)
    """
    if not name or "@" in name:
        return None
    text = _BRACKETED.sub(" ", unicodedata.normalize("NFKC", name))
    if "," in text:
        head, _, tail = text.partition(",")
        tail_words = _PUNCTUATION.sub(" ", _fold_letters(tail)).split()
        head_words = head.split()
        if all(w in _CREDENTIALS for w in tail_words):
            text = head
        elif len(head_words) == 1 and 1 <= len(tail_words) <= 2:
            text = f"{tail} {head}"  # "Last, First"
        else:
            text = text.replace(",", " ")
    words = _PUNCTUATION.sub(" ", _fold_letters(text).replace("'", "")).split()
    while words and words[0] in _HONORIFICS:
        words = words[1:]
    while words and words[-1] in _CREDENTIALS:
        words = words[:-1]
    if sum(len(w) >= 2 and not w.isdigit() for w in words) < 2:
        return None
    return " ".join(words)


def _scoped_name(identifier: str) -> str | None:
    """The folded name inside a scoped name id (``wa-name:bo sample`` -> ``bo sample``;
    ``linkedin-name:bo sample | acme`` -> ``bo sample``), else None."""
    prefix, sep, rest = identifier.partition(":")
    if not sep or not prefix.endswith("-name"):
        return None
    return rest.split(" | ", 1)[0].strip().removeprefix("~ ") or None


def _account_kind(identifier: str) -> str:
    """The kind of account an identifier names: one person has at most one of each
    (except e-mail addresses); scoped names count per platform."""
    kind = identifier_kind(identifier)
    if kind == "name":
        return identifier.partition(":")[0]
    return kind


class _NameMerger:
    """Find records of one person that share no identifier but a full name.

    Works on the identifier groups of the resolver (after identifiers, phone-book names and
    the identities file have joined what they can) and merges them in an overlay, so the
    identifier unions stay as they are.

    How much a shared name proves depends on how often names repeat in these inputs. The
    namesakes *within* one source (two LinkedIn connections called Ada Ziegler are two
    people) estimate the number of distinct names people are drawn from: ``n`` records
    with ``k`` namesake pairs suggest ``N = n**2 / (2 k)`` names (the birthday problem),
    pooled over the sources and smoothed by a prior worth a thousand records drawn from a
    million names. The chance that a record's name is shared by an unrelated person of a
    source holding ``m`` records is then about ``m / N``.
    """

    #: Above this chance of a coincidental namesake, a shared name is not enough to merge.
    MAX_COINCIDENCE = 0.05
    #: At or below this chance (and with three sources or a three-word name): "high".
    HIGH_COINCIDENCE = 0.01
    _PRIOR_RECORDS, _PRIOR_NAMES = 1_000, 1_000_000

    def __init__(self, resolver: IdentityResolver, mapping: dict[str, str]) -> None:
        self.resolver = resolver
        self.base = mapping
        self.members: dict[str, set[str]] = {}
        for identifier, canon in mapping.items():
            self.members.setdefault(canon, set()).add(identifier)
        self.sources: dict[str, set[str]] = {}
        self.names: dict[str, dict[str, str]] = {}  # canon -> {key: name as written}
        by_source: dict[str, dict[str, set[str]]] = {}  # source -> key -> canons
        for contact in resolver._contacts:
            canon = mapping[contact.identifiers[0]]
            families = {_source_family(s) for s in contact.source.split("|") if s}
            self.sources.setdefault(canon, set()).update(families)
            key = full_name_key(contact.display_name)
            if key is None:
                continue
            self.names.setdefault(canon, {}).setdefault(key, contact.display_name or "")
            for family in families:
                by_source.setdefault(family, {}).setdefault(key, set()).add(canon)
        self.named = {s: sum(map(len, keys.values())) for s, keys in by_source.items()}
        pairs = sum(
            len(c) * (len(c) - 1) / 2 for keys in by_source.values() for c in keys.values()
        )
        squares = sum(n * n for n in self.named.values())
        prior_pairs = self._PRIOR_RECORDS**2 / (2 * self._PRIOR_NAMES)
        self.namespace = (squares + self._PRIOR_RECORDS**2) / (2 * (pairs + prior_pairs))
        self.overlay = _UnionFind()
        self.merges: list[tuple[list[str], str, str, str, tuple[str, ...], float]] = []
        self.listed: list[tuple[list[str], str, str]] = []

    def coincidence(self, sources: Iterable[str]) -> float:
        """The chance that an unrelated person of the largest of `sources` has the name."""
        largest = max((self.named.get(s, 0) for s in sources), default=0)
        return min(1.0, largest / self.namespace)

    def _conflict(
        self, a: set[str], b: set[str], sources_a: set[str], sources_b: set[str]
    ) -> str | None:
        """Why records `a` and `b` cannot be one person, or None."""
        if sources_a & sources_b:
            return f"both from {sorted(sources_a & sources_b)[0]}"
        kinds_a = {_account_kind(i) for i in a} - {"other"}
        kinds_b = {_account_kind(i) for i in b} - {"other"}
        common = sorted(kinds_a & kinds_b)
        hard = [k for k in common if k not in _SOFT_KINDS]
        if hard:
            return f"different {_KIND_WORDS.get(hard[0], hard[0] + ' accounts')}"
        if common:
            return "different e-mail addresses"
        return None

    def apply(self) -> dict[str, str]:
        """Merge (or list) same-name records; return the final identifier -> canonical map."""
        buckets: dict[str, list[str]] = {}
        for canon, keys in self.names.items():
            for key in keys:
                buckets.setdefault(key, []).append(canon)
        parts = {c: (set(ids), set(self.sources.get(c, ()))) for c, ids in self.members.items()}
        for canon in self.members:
            self.overlay.add(canon)
        for key in sorted(buckets):
            roots = list(dict.fromkeys(self.overlay.find(c) for c in buckets[key]))
            if len(roots) < 2:
                continue
            conflicts = []
            for i, r in enumerate(roots):
                for q in roots[i + 1 :]:
                    why = self._conflict(parts[r][0], parts[q][0], parts[r][1], parts[q][1])
                    if why is not None:
                        conflicts.append(why)
            # Show the plainest spelling ("Farah Rao" rather than "Farah Rao, PMP").
            written = {self.names[c][key] for c in buckets[key]}
            name = min(written, key=lambda n: (bool(re.search(r"[,(\[\"“]", n)), len(n), n))
            sources = tuple(sorted(set().union(*(parts[r][1] for r in roots))))
            chance = self.coincidence(sources)
            if conflicts:
                if len(conflicts) < len(roots) * (len(roots) - 1) // 2:
                    self.listed.append(
                        (
                            roots,
                            name,
                            f"{len(roots)} records share this full name and some cannot be "
                            f"one person ({conflicts[0]}): probably the same person, but "
                            "which is unclear",
                        )
                    )
                continue
            if chance > self.MAX_COINCIDENCE:
                self.listed.append(
                    (
                        roots,
                        name,
                        f"same full name in {_and(sources)}, no conflicting identifier, but "
                        f"names repeat often in these inputs (an unrelated namesake about "
                        f"{_one_in(chance)}): probably the same person, not merged",
                    )
                )
                continue
            if not self.resolver.name_merge:
                self.listed.append(
                    (
                        roots,
                        name,
                        f"same full name in {_and(sources)}, no conflicting identifier: "
                        "probably the same person (not merged: name merging is off)",
                    )
                )
                continue
            ids, merged_sources = set(), set()
            for root in roots:
                ids |= parts[root][0]
                merged_sources |= parts[root][1]
                self.overlay.union(roots[0], root)
            parts[self.overlay.find(roots[0])] = (ids, merged_sources)
            strong = len(sources) >= 3 or len(key.split()) >= 3
            confidence = "high" if strong and chance <= self.HIGH_COINCIDENCE else "medium"
            self.merges.append((roots, key, name, confidence, sources, chance))
        mapping: dict[str, str] = {}
        final: dict[str, list[str]] = {}
        for identifier, canon in self.base.items():
            final.setdefault(self.overlay.find(canon), []).append(identifier)
        order = self.resolver._sets.order
        for members in final.values():
            best = min(members, key=lambda i: (_rank(i), order[i]))
            for member in members:
                mapping[member] = best
        return mapping

    def results(self, mapping: dict[str, str]) -> tuple[list[NameMerge], list[ProbableDuplicate]]:
        merges = []
        for roots, _key, name, confidence, sources, chance in self.merges:
            kept = mapping[roots[0]]
            absorbed = sorted(
                {i for r in roots if kept not in self.members[r] for i in self.members[r]},
                key=lambda i: (_rank(i), i),
            )
            reason = (
                f"same full name in {_and(sources)}, no conflicting identifier "
                f"(confidence: {confidence}; an unrelated namesake about {_one_in(chance)})"
            )
            merges.append(NameMerge(kept, tuple(absorbed), reason, confidence, name, sources))
        listed = []
        for roots, name, why in self.listed:
            nodes = tuple(dict.fromkeys(mapping[r] for r in roots))
            if len(nodes) > 1:
                reason = f"{why}; to merge them, put their ids on one line of an --identities file"
                listed.append(ProbableDuplicate(nodes, reason, name))
        return merges, listed


def _one_in(chance: float) -> str:
    """``'1 in 2,700'`` for 0.00037."""
    if chance <= 0:
        return "never"
    n = 1 / chance
    n = round(n, -len(str(int(n))) + 2) if n >= 100 else round(n)
    return f"1 in {int(n):,}"


_KIND_WORDS = {
    "phone": "phone numbers",
    "linkedin": "LinkedIn profiles",
    "wa-name": "WhatsApp names",
    "linkedin-name": "LinkedIn members",
}
_SOURCE_FAMILIES = {
    "mbox": "mail",
    "maildir": "mail",
    "google-contacts": "phone book",
    "vcard": "phone book",
}


def _source_family(source: str) -> str:
    """Sources that hold one kind of record: two mailboxes are one mail source."""
    return _SOURCE_FAMILIES.get(source, source)


def _and(items: Iterable[str]) -> str:
    words = list(items)
    if len(words) <= 1:
        return "".join(words) or "one source"
    return ", ".join(words[:-1]) + " and " + words[-1]


def _tidy(identifier: str) -> str:
    kind = identifier_kind(identifier)
    if kind == "email":
        return normalize_email(identifier) or identifier
    if kind == "other":
        return normalize_identifier(identifier) or identifier
    return identifier


def _replace_participants(
    event: ConversationEvent, sender: str, recipients: tuple[str, ...]
) -> ConversationEvent:
    return ConversationEvent(
        timestamp=event.timestamp,
        sender=sender,
        recipients=recipients,
        channel=event.channel,
        conversation_id=event.conversation_id,
        source=event.source,
        n_chars=event.n_chars,
        is_system=event.is_system,
    )


def merge_identities(
    contacts: Iterable[Contact],
    events: Iterable[ConversationEvent] = (),
    *,
    me: Iterable[str] = (),
    default_region: str | None = "US",
    link_phonebook_names: bool = True,
    name_merge: bool = True,
    aliases: Iterable[Iterable[str]] = (),
) -> MergedIdentities:
    """Merge people across sources on shared identifiers and find the owner.

    Parameters
    ----------
    contacts : iterable of Contact
        Contacts of every source; each contact's identifiers are one person.
    events : iterable of ConversationEvent
        Events whose sender and recipients are rewritten to canonical ids.
    me : iterable of str
        The owner's identifiers (e-mail, phone, profile URL, platform id, or a reader's
        scoped id such as ``wa-name:ada example``), e.g. ``ExportData.owner`` or ``--me``
        values. Raw values are normalised; they are all merged into one person.
    default_region : str or None, default "US"
        Region for national phone numbers in `me` (see :func:`normalize_phone`).
    link_phonebook_names : bool, default True
        See :class:`IdentityResolver`.
    name_merge : bool, default True
        Merge records of different sources that share a full name and no conflicting
        identifier (see Notes); False lists them in ``probable_duplicates`` instead.
    aliases : iterable of iterable of str
        Rows of an identities file (:func:`read_identities`): the identifiers (or display
        names) in one row are one person.

    Returns
    -------
    MergedIdentities
        Merged contacts, rewritten events, the owner, the identifier -> canonical map, the
        merges made on names and the probable duplicates left apart.

    Notes
    -----
    Two records are one person when they share a normalised identifier, directly or through
    a chain (union-find), or when a row of `aliases` says so. The canonical id of a person
    is their first-seen e-mail address, else phone number, else LinkedIn id, else platform
    id, else scoped name id, so results do not depend on hashing.

    Names come last, on what identifiers could not join. Records whose display names give
    the same full name (:func:`full_name_key`: case, accents, punctuation, honorifics,
    nicknames and credentials aside; two words at least) are merged when

    * they come from different sources (two LinkedIn connections, two mail correspondents
      or two phone-book cards with one name are two accounts, so two people), and
    * no identifier conflicts: they hold no two different phone numbers, LinkedIn
      profiles, platform accounts or e-mail addresses.

    The merge is reported in ``merged_by_name`` with a confidence: ``high`` when three or
    more sources agree or the name has three or more words, else ``medium``. When some of
    the records sharing a name conflict (two LinkedIn members called Cy Placeholder and a
    mail correspondent of that name), nothing is merged and the group is listed in
    ``probable_duplicates``, with the line of an identities file that would merge it; so
    is every would-be merge when `name_merge` is False. A first name alone never merges.

    msgvault (kenn-io/msgvault) makes the owner's identifier set an explicit set-up step
    and refuses to merge on display names alone; here a name is a join key only across
    sources, never against a conflicting identifier, and every such merge is listed and
    can be turned off (FORMATS.md §0).

    References
    ----------
    .. [1] R. E. Tarjan, "Efficiency of a good but not linear set union algorithm",
       Journal of the ACM 22(2), 1975 (union-find with path compression).

    Examples
    --------
    >>> linked = Contact("linkedin:bo-sample-0002", ("bo@example.org",), "Bo Sample")
    >>> card = Contact("bo@example.org", ("+15550100101",), "Bo Sample", source="vcard")
    >>> other = Contact("cy@example.com", display_name="Bo Sample")
    >>> merged = merge_identities([linked, card, other], me=["ada@example.com"])
    >>> sorted(c.id for c in merged.contacts)
    ['bo@example.org', 'cy@example.com']
    >>> merged.canonical["+15550100101"]
    'bo@example.org'
    >>> merged.owner
    ('ada@example.com',)

    The same full name in two sources, with no conflicting identifier, is one person:

    >>> wa = Contact("wa-name:farah rao", (), "Farah Rao", {}, "whatsapp")
    >>> mail = Contact("farah@example.net", (), "Farah Rao", {}, "mbox")
    >>> merged = merge_identities([wa, mail])
    >>> [c.id for c in merged.contacts], merged.merged_by_name[0].confidence
    (['farah@example.net'], 'medium')
    """
    resolver = IdentityResolver(link_phonebook_names=link_phonebook_names, name_merge=name_merge)
    for row in aliases:
        resolver.add_alias(row)
    for contact in contacts:
        resolver.add_contact(contact)
    owner_ids = []
    for value in me:
        normalised = normalize_identifier(value, default_region=default_region)
        if normalised is not None:
            owner_ids.append(normalised)
    resolver.add_owner(owner_ids)
    return resolver.resolve(events)


# ---------------------------------------------------------------------------------------
# Identities files
# ---------------------------------------------------------------------------------------

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
    import csv

    from trustgraph.exceptions import IngestError
    from trustgraph.ingest.textio import MAX_LINE_BYTES, csv_problem, read_text_lines

    p = Path(path)
    if not p.exists():
        raise IngestError("no such file", path=p)
    if p.suffix.lower() == ".vcf":
        from trustgraph.ingest.vcard import read_vcard  # vcard imports this module

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
