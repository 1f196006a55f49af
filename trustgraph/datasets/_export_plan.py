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
    owner, truth = network.owner, network.truth
    conversations: dict[str, list[ConversationEvent]] = {}
    for event in network.events:
        conversations.setdefault(event.conversation_id or "", []).append(event)

    def members(cid: str) -> set[str]:
        return {p for e in conversations[cid] for p in (e.sender, *e.recipients)}

    dms: dict[str, str] = {}  # partner -> conversation id
    groups: list[str] = []
    for cid in sorted(conversations):
        people = members(cid) - {owner}
        if conversations[cid][0].channel == "dm" and len(people) == 1:
            dms[next(iter(people))] = cid
        else:
            groups.append(cid)
    size = {cid: len(events) for cid, events in conversations.items()}
    declared = {c.id for c in network.contacts}

    def role(node: str) -> str:
        return truth[node].role

    friend_groups = [g for g in groups if any(role(p) == "fof" for p in members(g))]
    family = [g for g in friend_groups if any(role(p) == "core" for p in members(g))]
    wa_group = max(family or friend_groups, key=lambda g: (size[g], g), default=None)
    wa_group_members = members(wa_group) if wa_group else set()

    layer1 = [p for p in dms if truth[p].layer == 1 and not truth[p].stale]
    busiest = sorted(layer1, key=lambda p: (-size[dms[p]], p))
    first, second = [*busiest, None, None][:2]
    whatsapp_people = [p for p in (first, second) if p is not None]

    mail: list[str] = []
    linkedin: list[str] = []
    newsletters: list[str] = []
    for partner, cid in sorted(dms.items(), key=lambda item: item[1]):
        t = truth[partner]
        if partner in whatsapp_people:
            continue
        if t.role in ("core", "circle") and partner in wa_group_members:
            mail.append(cid)
        elif t.role == "acquaintance":
            linkedin.append(cid)
        elif t.role == "broadcaster":
            (linkedin if partner in declared else newsletters).append(cid)
    wa_fofs = {p for p in wa_group_members if role(p) == "fof"}
    quiet = [
        g
        for g in friend_groups
        if g != wa_group and not ({p for p in members(g) if role(p) == "fof"} & wa_fofs)
    ]
    mail_group = min(quiet, key=lambda g: (size[g], g), default=None)
    if mail_group is not None:
        mail.append(mail_group)
    group_titles: dict[str, str] = {}
    sybil_groups = [g for g in groups if any(role(p) == "sybil" for p in members(g))]
    # The largest Sybil group (every Sybil) is left out: it alone would double the size
    # of messages.csv, and the sub-groups and attack threads tell the same story.
    big = sorted(
        (g for g in sybil_groups if len(members(g)) > 3),
        key=lambda g: (-len(members(g)), -size[g], g),
    )
    for number, cid in enumerate(big[1:]):
        group_titles[cid] = ("Growth Circle", "Opportunity Network", "Wealth Club")[number % 3]
    linkedin.extend(g for g in sybil_groups if g not in big[:1])
    whatsapp: dict[str, tuple[str, str]] = {}

    names: dict[str, str] = {owner: EXPORT_OWNER_NAME}
    names.update({c.id: c.display_name or _name_from_id(c.id) for c in network.contacts})
    everyone = sorted({p for cid in conversations for p in members(cid)})
    for node in everyone:
        if node not in names:
            names[node] = _NEWSLETTER_NAMES.get(node) or _name_from_id(node)
    if wa_group:
        core_name = next((names[p] for p in sorted(wa_group_members) if role(p) == "core"), "")
        group_titles[wa_group] = "Family" if core_name else "Weekend crew"
        whatsapp[wa_group] = ("android", f"WhatsApp Chat with {group_titles[wa_group]}.txt")
    if mail_group:
        group_titles[mail_group] = "Hiking trip"

    # Phone book: everyone the owner chats or mails with in person, friends of friends
    # excepted. Names must be unique there, because WhatsApp shows the phone-book name.
    personal = set(whatsapp_people) | wa_group_members
    for cid in mail:
        personal |= members(cid)
    phonebook = sorted(
        {p for p in personal if role(p) in ("core", "circle", "acquaintance")},
        key=lambda p: (names[p], p),
    )
    # Two people with one name get "Name 2" in the phone book (and so in WhatsApp) only.
    book_names: dict[str, str] = {}
    taken: dict[str, int] = {}
    for node in phonebook:
        base = names[node]
        taken[base] = taken.get(base, 0) + 1
        book_names[node] = base if taken[base] == 1 else f"{base} {taken[base]}"
    phones = {owner: EXPORT_OWNER_PHONE}
    needing = [*phonebook, *sorted(wa_fofs)]
    if _PHONE_BASE + len(needing) > _PHONE_LIMIT:
        raise ParameterError(
            f"{len(needing)} phone numbers needed; the fictional range +1 555 010 0101..0199 "
            "holds 99"
        )
    for offset, node in enumerate(needing, start=1):
        phones[node] = f"+1555010{_PHONE_BASE + offset:04d}"
    for layout, person in (("android", first), ("ios", second)):
        if person is None:
            continue
        separator = "with" if layout == "android" else "-"
        whatsapp[dms[person]] = (layout, f"WhatsApp Chat {separator} {book_names[person]}.txt")

    in_mail = {p for cid in mail for p in members(cid)}
    shared = frozenset((in_mail | set(phonebook)) & declared)
    on_linkedin = declared | {p for cid in linkedin for p in members(cid)} | {owner}
    profile_urls = {node: _profile_url(node, names[node]) for node in sorted(on_linkedin)}
    return SampleExportPlan(
        network=network,
        conversations=conversations,
        whatsapp=dict(sorted(whatsapp.items())),
        mail=tuple(sorted(mail)),
        newsletters=tuple(sorted(newsletters)),
        linkedin=tuple(sorted(linkedin)),
        names=names,
        profile_urls=profile_urls,
        phones=phones,
        phonebook=tuple(phonebook),
        phonebook_names=book_names,
        shared_emails=shared,
        group_titles=group_titles,
    )
