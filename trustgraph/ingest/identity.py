"""Identity merging: one person, one node, whatever the source.

Readers name people by normalised identifiers (:mod:`trustgraph.ingest.identifiers`;
phone numbers through libphonenumber, :mod:`trustgraph.ingest.phones`).
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

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from trustgraph.ingest.identifiers import (
    _fold_name,
    identifier_kind,
    identifier_rank,
    linkedin_id,
    linkedin_slug,
    name_id,
    normalize_email,
    normalize_identifier,
    platform_id,
    repair_mojibake,
)
from trustgraph.ingest.identities_file import read_identities
from trustgraph.ingest.namemerge import _NameMerger, _scoped_name, full_name_key
from trustgraph.ingest.participants import rewrite_events, rewrite_store
from trustgraph.ingest.phones import (
    _NOT_A_NUMBER,
    DEFAULT_REGION,
    PhonePlacement,
    check_region,
    normalize_phone,
    place_phone,
)
from trustgraph.ingest.records import (
    Contact,
    ConversationEvent,
    EventStore,
    ExportData,
    NameMerge,
    ProbableDuplicate,
)
from trustgraph.ingest.unionfind import _UnionFind

__all__ = [
    "IdentityResolver",
    "MergedIdentities",
    "PhonePlacement",
    "full_name_key",
    "identifier_kind",
    "linkedin_id",
    "linkedin_slug",
    "merge_identities",
    "name_id",
    "normalize_email",
    "normalize_identifier",
    "normalize_phone",
    "place_phone",
    "platform_id",
    "read_identities",
    "repair_mojibake",
]


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
    unplaced_phones : tuple of str
        Raw phone numbers of contact records that could not be placed with the default
        region (kept as written, so they join nothing); counted in `notes`.
    """

    contacts: list[Contact]
    events: list[ConversationEvent]
    owner: tuple[str, ...]
    canonical: Mapping[str, str]
    notes: list[str] = field(default_factory=list)
    merged_by_name: list[NameMerge] = field(default_factory=list)
    probable_duplicates: list[ProbableDuplicate] = field(default_factory=list)
    unplaced_phones: tuple[str, ...] = ()

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
    default_region : str or None, default "US"
        Region of national phone numbers that readers left raw (``020 7946 0000``), passed
        to :func:`~trustgraph.ingest.phones.normalize_phone`; None places only numbers
        written with their country code. Numbers it cannot place stay as written and are
        listed in :attr:`MergedIdentities.unplaced_phones`.

    Raises
    ------
    ValueError
        `default_region` is not a region libphonenumber knows.

    Examples
    --------
    >>> r = IdentityResolver()
    >>> r.add_contact(Contact("linkedin:bo-sample-0002", ("bo@example.org",)))
    >>> r.add_contact(Contact("bo@example.org", display_name="Bo Sample"))
    >>> r.canonical("linkedin:bo-sample-0002")
    'bo@example.org'
    """

    def __init__(
        self,
        *,
        link_phonebook_names: bool = True,
        name_merge: bool = True,
        default_region: str | None = DEFAULT_REGION,
    ) -> None:
        self.default_region = check_region(default_region)
        self._unplaced: dict[str, None] = {}
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
            normalised = normalize_identifier(text, default_region=self.default_region)
            if normalised is not None:
                ids.append(self._tidy(normalised))
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
            self._sets.union(first, self._tidy(other))

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
            phones = [
                i for i in map(self._tidy, contact.identifiers) if identifier_kind(i) == "phone"
            ]
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
            best = min(members, key=lambda i: (identifier_rank(i), self._sets.order[i]))
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
        # An EventStore is read per envelope: a large chat is never copied into records.
        if not isinstance(events, EventStore):
            events = list(events)
        self._cache = None
        pairs = (
            ((e[0], e[1]) for e in events.envelopes)
            if isinstance(events, EventStore)
            else dict.fromkeys((e.sender, e.recipients) for e in events)
        )
        for sender, recipients in pairs:
            for identifier in (sender, *recipients):
                self._sets.add(identifier)
        names = _NameMerger(
            self._contacts,
            self._canonical_map(),
            name_merge=self.name_merge,
            order=self._sets.order,
        )
        mapping = names.apply()
        groups: dict[str, list[str]] = {}
        for identifier, canon in mapping.items():
            groups.setdefault(canon, []).append(identifier)
        merged = self._merge_contact_records(mapping)

        def new_person(person: str, event: ConversationEvent) -> None:
            # People seen only in events join `merged`, with the source that named them.
            if person not in merged:
                merged[person] = _entry([person], [event.source] if event.source else [])

        if isinstance(events, EventStore):
            rewritten, self_addressed = rewrite_store(events, mapping, new_person)
        else:
            rewritten, self_addressed = rewrite_events(events, mapping, new_person)
        contacts = [self._person(canon, entry, groups) for canon, entry in merged.items()]
        owner: tuple[str, ...] = ()
        if self._owner:
            canon = mapping[self._owner[0]]
            owner = tuple(dict.fromkeys((canon, *groups.get(canon, []))))
        merges, duplicates = names.results(mapping)
        notes = self._notes(mapping, self_addressed, len(merges), len(duplicates))
        return MergedIdentities(
            contacts,
            rewritten,
            owner,
            mapping,
            notes,
            merges,
            duplicates,
            tuple(self._unplaced),
        )

    def _merge_contact_records(self, mapping: dict[str, str]) -> dict[str, dict]:
        """Fold the contact records of each person into one entry (first name, first
        value of each attribute, earliest connection date, every source)."""
        merged: dict[str, dict] = {}
        for contact in self._contacts:
            canon = mapping[contact.identifiers[0]]
            entry = merged.setdefault(canon, _entry([], []))
            entry["ids"].extend(
                (contact.identifiers[0], *map(self._tidy, contact.identifiers[1:]))
            )
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
        return merged

    def _person(self, canon: str, entry: dict, groups: dict[str, list[str]]) -> Contact:
        members = sorted(
            set(entry["ids"]) | set(groups.get(canon, ())),
            key=lambda i: (identifier_rank(i), self._sets.order.get(i, 0)),
        )
        attrs = dict(entry["attrs"])
        attrs["sources"] = tuple(entry["sources"])
        return Contact(
            canon,
            tuple(members),
            entry["name"],
            attrs,
            "|".join(entry["sources"]),
            entry["connected"],
            declared=entry["declared"],
        )

    def _notes(
        self, mapping: dict[str, str], self_addressed: int, n_merges: int, n_duplicates: int
    ) -> list[str]:
        sizes = Counter(mapping.values())
        n_merged = sum(1 for size in sizes.values() if size > 1)
        notes = list(self._link_notes)
        notes.append(
            f"{len(mapping)} identifiers resolved to {len(sizes)} people "
            f"({n_merged} people carry more than one identifier)"
        )
        if self._unplaced:
            notes.append(
                f"{len(self._unplaced)} phone number(s) could not be placed and were kept as "
                "written (no country code and no default region, or a wrong length); see "
                "unplaced_phones"
            )
        if self_addressed:
            notes.append(
                f"{self_addressed} events addressed a sender's own other identifier; "
                "that recipient was dropped"
            )
        if n_merges:
            notes.append(
                f"{n_merges} people merged by full name across sources (no conflicting "
                "identifier); see merged_by_name"
            )
        if n_duplicates:
            notes.append(
                f"{n_duplicates} groups of records are probably one person each but were "
                "not merged; see probable_duplicates"
            )
        return notes

    def _tidy(self, identifier: str) -> str:
        """:func:`_tidy` with this resolver's region, remembering numbers it cannot place."""
        tidy = _tidy(identifier, default_region=self.default_region)
        if tidy == identifier and identifier_kind(identifier) == "other":
            problem = place_phone(identifier, default_region=self.default_region).problem
            if problem not in (None, _NOT_A_NUMBER):
                self._unplaced[identifier] = None
        return tidy


def _entry(ids: list[str], sources: list[str]) -> dict:
    return {
        "ids": ids,
        "name": None,
        "attrs": {},
        "sources": sources,
        "connected": None,
        "declared": False,
    }


def _tidy(identifier: str, *, default_region: str | None = DEFAULT_REGION) -> str:
    """Normalise an identifier a reader left raw; keep it as written when it is no kind."""
    kind = identifier_kind(identifier)
    if kind == "email":
        return normalize_email(identifier) or identifier
    if kind == "other":
        return normalize_identifier(identifier, default_region=default_region) or identifier
    return identifier


def merge_identities(
    contacts: Iterable[Contact],
    events: Iterable[ConversationEvent] = (),
    *,
    me: Iterable[str] = (),
    default_region: str | None = DEFAULT_REGION,
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
        Region of phone numbers written without their country code, in `me`, in `aliases`
        and in contact identifiers that readers left raw (see
        :func:`~trustgraph.ingest.phones.normalize_phone`). None places only numbers
        written with their country code; a number that cannot be placed is kept as written
        and listed in ``unplaced_phones``.
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
        merges made on names, the probable duplicates left apart and the phone numbers
        that could not be placed.

    Raises
    ------
    ValueError
        `default_region` is not a region libphonenumber knows.

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
    resolver = IdentityResolver(
        link_phonebook_names=link_phonebook_names,
        name_merge=name_merge,
        default_region=default_region,
    )
    for row in aliases:
        resolver.add_alias(row)
    for contact in contacts:
        resolver.add_contact(contact)
    owner_ids = []
    for value in me:
        normalised = normalize_identifier(value, default_region=resolver.default_region)
        if normalised is not None:
            owner_ids.append(normalised)
    resolver.add_owner(owner_ids)
    return resolver.resolve(events)
