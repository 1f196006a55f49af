"""Which conversation of the sample goes to which export, and every identifier used."""

from __future__ import annotations

from dataclasses import dataclass, field

from trustgraph.datasets._export_text import (
    _NEWSLETTER_NAMES,
    _PHONE_BASE,
    _PHONE_LIMIT,
    EXPORT_OWNER_NAME,
    EXPORT_OWNER_PHONE,
    _name_from_id,
    _profile_url,
)
from trustgraph.datasets.sample import SampleNetwork, sample_network
from trustgraph.exceptions import ParameterError
from trustgraph.ingest.records import ConversationEvent


@dataclass(frozen=True)
class SampleExportPlan:
    """Every choice behind the sample exports, from the generator's own records.

    Attributes
    ----------
    network : SampleNetwork
        The network exported.
    conversations : dict of str to list of ConversationEvent
        The network's events grouped by conversation id (time order).
    whatsapp : dict of str to tuple of (str, str)
        Conversation id -> ``(layout, file name)``; layout ``"android"`` or ``"ios"``.
    mail : tuple of str
        Person-to-person conversations written to the mbox.
    newsletters : tuple of str
        Broadcaster conversations written to the mbox as bulk mail (excluded by readers).
    linkedin : tuple of str
        Conversations written to ``messages.csv``.
    names : dict of str to str
        Display name of every exported person (the owner is :data:`EXPORT_OWNER_NAME`).
    profile_urls : dict of str to str
        LinkedIn profile URL of the owner, every connection and every LinkedIn participant.
    phones : dict of str to str
        E.164 phone number of the owner, every phone-book entry and every WhatsApp
        participant who is not in the phone book.
    phonebook : tuple of str
        The people listed in ``contacts.vcf``.
    phonebook_names : dict of str to str
        Their names there (and so in WhatsApp): the display name, with " 2", " 3"... added
        when several entries share it, as people do in their phones.
    shared_emails : frozenset of str
        Connections whose ``Email Address`` cell is filled (they are in the mbox or the
        phone book).
    group_titles : dict of str to str
        Titles of the exported group conversations.
    """

    network: SampleNetwork
    conversations: dict[str, list[ConversationEvent]]
    whatsapp: dict[str, tuple[str, str]]
    mail: tuple[str, ...]
    newsletters: tuple[str, ...]
    linkedin: tuple[str, ...]
    names: dict[str, str]
    profile_urls: dict[str, str]
    phones: dict[str, str]
    phonebook: tuple[str, ...]
    phonebook_names: dict[str, str]
    shared_emails: frozenset[str]
    group_titles: dict[str, str] = field(default_factory=dict)

    @property
    def me(self) -> tuple[str, ...]:
        """The owner's identifiers, one per export, for ``--me`` / ``me=``."""
        owner = self.network.owner
        return (owner, EXPORT_OWNER_PHONE, EXPORT_OWNER_NAME, self.profile_urls[owner])

    def source_of(self, conversation_id: str) -> str | None:
        """``"whatsapp"``, ``"mail"``, ``"newsletter"``, ``"linkedin"`` or None."""
        if conversation_id in self.whatsapp:
            return "whatsapp"
        if conversation_id in self.mail:
            return "mail"
        if conversation_id in self.newsletters:
            return "newsletter"
        if conversation_id in self.linkedin:
            return "linkedin"
        return None

    def members(self, conversation_id: str) -> set[str]:
        """Every node id taking part in a conversation (senders and recipients)."""
        return {
            person
            for event in self.conversations[conversation_id]
            for person in (event.sender, *event.recipients)
        }


def plan_sample_exports(network: SampleNetwork | None = None) -> SampleExportPlan:
    """Decide which conversation goes to which export, and every identifier used.

    Parameters
    ----------
    network : SampleNetwork, optional
        Defaults to ``sample_network()`` (seed 7, the bundled sample).

    Returns
    -------
    SampleExportPlan

    Raises
    ------
    ParameterError
        If the phone book needs more than the 99 fictional numbers ``+1 555 010 0101..0199``.

    See Also
    --------
    write_sample_exports : write the files.

    Notes
    -----
    The partition is described in the module docstring; it depends only on the planted
    roles and on message counts, so it is deterministic.

    Examples
    --------
    >>> from trustgraph.datasets import sample_network
    >>> plan = plan_sample_exports(sample_network(seed=1, n_declared=400))
    >>> sorted({layout for layout, _ in plan.whatsapp.values()})
    ['android', 'ios']
    >>> plan.me[:3]
    ('me@example.com', '+15550100100', 'Robin Example')
    """
    if network is None:
        network = sample_network()
    view = _View(network)
    routes = _Routes.of(view)
    names = _names(view)
    titles = routes.group_titles
    whatsapp: dict[str, tuple[str, str]] = {}
    if routes.wa_group:
        members = sorted(routes.wa_group_members)
        core_name = next((names[p] for p in members if view.role(p) == "core"), "")
        titles[routes.wa_group] = "Family" if core_name else "Weekend crew"
        whatsapp[routes.wa_group] = (
            "android",
            f"WhatsApp Chat with {titles[routes.wa_group]}.txt",
        )
    if routes.mail_group:
        titles[routes.mail_group] = "Hiking trip"
    phonebook, book_names = _phonebook(view, routes, names)
    phones = _phones(network.owner, [*phonebook, *sorted(routes.wa_fofs)])
    for layout, person in (("android", routes.first), ("ios", routes.second)):
        if person is None:
            continue
        separator = "with" if layout == "android" else "-"
        file_name = f"WhatsApp Chat {separator} {book_names[person]}.txt"
        whatsapp[routes.dms[person]] = (layout, file_name)
    declared = view.declared
    in_mail = {p for cid in routes.mail for p in view.members(cid)}
    on_linkedin = declared | {p for cid in routes.linkedin for p in view.members(cid)}
    on_linkedin.add(network.owner)
    return SampleExportPlan(
        network=network,
        conversations=view.conversations,
        whatsapp=dict(sorted(whatsapp.items())),
        mail=tuple(sorted(routes.mail)),
        newsletters=tuple(sorted(routes.newsletters)),
        linkedin=tuple(sorted(routes.linkedin)),
        names=names,
        profile_urls={node: _profile_url(node, names[node]) for node in sorted(on_linkedin)},
        phones=phones,
        phonebook=tuple(phonebook),
        phonebook_names=book_names,
        shared_emails=frozenset((in_mail | set(phonebook)) & declared),
        group_titles=titles,
    )


class _View:
    """The sample's conversations, with members, sizes and roles at hand."""

    def __init__(self, network: SampleNetwork) -> None:
        self.network = network
        self.conversations: dict[str, list[ConversationEvent]] = {}
        for event in network.events:
            self.conversations.setdefault(event.conversation_id or "", []).append(event)
        self.size = {cid: len(events) for cid, events in self.conversations.items()}
        self.declared = {c.id for c in network.contacts}

    def members(self, cid: str) -> set[str]:
        return {p for e in self.conversations[cid] for p in (e.sender, *e.recipients)}

    def role(self, node: str) -> str:
        return self.network.truth[node].role


@dataclass
class _Routes:
    """Which conversation goes to which export (the module docstring's partition)."""

    dms: dict[str, str]  # partner -> conversation id
    wa_group: str | None
    wa_group_members: set[str]
    first: str | None  # the two WhatsApp 1:1 partners (Android, iOS)
    second: str | None
    mail: list[str]
    linkedin: list[str]
    newsletters: list[str]
    mail_group: str | None
    wa_fofs: set[str]
    group_titles: dict[str, str]

    @classmethod
    def of(cls, view: _View) -> _Routes:
        owner, truth, role = view.network.owner, view.network.truth, view.role
        dms: dict[str, str] = {}
        groups: list[str] = []
        for cid in sorted(view.conversations):
            people = view.members(cid) - {owner}
            if view.conversations[cid][0].channel == "dm" and len(people) == 1:
                dms[next(iter(people))] = cid
            else:
                groups.append(cid)
        friend_groups = [g for g in groups if any(role(p) == "fof" for p in view.members(g))]
        family = [g for g in friend_groups if any(role(p) == "core" for p in view.members(g))]
        wa_group = max(family or friend_groups, key=lambda g: (view.size[g], g), default=None)
        wa_group_members = view.members(wa_group) if wa_group else set()
        layer1 = [p for p in dms if truth[p].layer == 1 and not truth[p].stale]
        busiest = sorted(layer1, key=lambda p: (-view.size[dms[p]], p))
        first, second = [*busiest, None, None][:2]
        routes = cls(dms, wa_group, wa_group_members, first, second, [], [], [], None, set(), {})
        routes._direct(view)
        routes.wa_fofs = {p for p in wa_group_members if role(p) == "fof"}
        routes._friend_mail(view, friend_groups)
        routes._sybils(view, groups)
        return routes

    def _direct(self, view: _View) -> None:
        """One-to-one conversations: mail, LinkedIn or newsletters by role."""
        whatsapp_people = [p for p in (self.first, self.second) if p is not None]
        for partner, cid in sorted(self.dms.items(), key=lambda item: item[1]):
            role = view.role(partner)
            if partner in whatsapp_people:
                continue
            if role in ("core", "circle") and partner in self.wa_group_members:
                self.mail.append(cid)
            elif role == "acquaintance":
                self.linkedin.append(cid)
            elif role == "broadcaster":
                (self.linkedin if partner in view.declared else self.newsletters).append(cid)

    def _friend_mail(self, view: _View, friend_groups: list[str]) -> None:
        """The quietest friend group sharing no friend of a friend with the WhatsApp one."""
        quiet = [
            g
            for g in friend_groups
            if g != self.wa_group
            and not ({p for p in view.members(g) if view.role(p) == "fof"} & self.wa_fofs)
        ]
        self.mail_group = min(quiet, key=lambda g: (view.size[g], g), default=None)
        if self.mail_group is not None:
            self.mail.append(self.mail_group)

    def _sybils(self, view: _View, groups: list[str]) -> None:
        sybil_groups = [g for g in groups if any(view.role(p) == "sybil" for p in view.members(g))]
        # The largest Sybil group (every Sybil) is left out: it alone would double the size
        # of messages.csv, and the sub-groups and attack threads tell the same story.
        big = sorted(
            (g for g in sybil_groups if len(view.members(g)) > 3),
            key=lambda g: (-len(view.members(g)), -view.size[g], g),
        )
        for number, cid in enumerate(big[1:]):
            title = ("Growth Circle", "Opportunity Network", "Wealth Club")[number % 3]
            self.group_titles[cid] = title
        self.linkedin.extend(g for g in sybil_groups if g not in big[:1])


def _names(view: _View) -> dict[str, str]:
    """Display name of everyone exported: the owner, every contact, every participant."""
    network = view.network
    names: dict[str, str] = {network.owner: EXPORT_OWNER_NAME}
    names.update({c.id: c.display_name or _name_from_id(c.id) for c in network.contacts})
    everyone = sorted({p for cid in view.conversations for p in view.members(cid)})
    for node in everyone:
        if node not in names:
            names[node] = _NEWSLETTER_NAMES.get(node) or _name_from_id(node)
    return names


def _phonebook(
    view: _View, routes: _Routes, names: dict[str, str]
) -> tuple[list[str], dict[str, str]]:
    """Everyone the owner chats or mails with in person, friends of friends excepted.

    Names must be unique there, because WhatsApp shows the phone-book name: two people
    with one name get "Name 2" in the phone book (and so in WhatsApp) only.
    """
    personal = {p for p in (routes.first, routes.second) if p is not None}
    personal |= routes.wa_group_members
    for cid in routes.mail:
        personal |= view.members(cid)
    phonebook = sorted(
        {p for p in personal if view.role(p) in ("core", "circle", "acquaintance")},
        key=lambda p: (names[p], p),
    )
    book_names: dict[str, str] = {}
    taken: dict[str, int] = {}
    for node in phonebook:
        base = names[node]
        taken[base] = taken.get(base, 0) + 1
        book_names[node] = base if taken[base] == 1 else f"{base} {taken[base]}"
    return phonebook, book_names


def _phones(owner: str, needing: list[str]) -> dict[str, str]:
    """The owner's number, then one fictional number each, in order."""
    phones = {owner: EXPORT_OWNER_PHONE}
    if _PHONE_BASE + len(needing) > _PHONE_LIMIT:
        raise ParameterError(
            f"{len(needing)} phone numbers needed; the fictional range +1 555 010 0101..0199 "
            "holds 99"
        )
    for offset, node in enumerate(needing, start=1):
        phones[node] = f"+1555010{_PHONE_BASE + offset:04d}"
    return phones
