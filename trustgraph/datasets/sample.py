"""The sample person network and its planted truth (:func:`sample_network`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import numpy as np

from trustgraph.datasets._sample_parts import (
    _COMPANIES,
    _DAYS,
    _MARGIN_DAYS,
    _NEWSLETTER_IDS,
    _OWNER,
    _OWNER_STARTS,
    _POSITIONS,
    _RECRUITER_POSITIONS,
    _REPLY_PROB,
    _SOURCE,
    _STALE_LAST_DAY,
    _START,
    _SYBIL_COMPANIES,
    _SYBIL_POSITIONS,
    _date_between,
    _dm_thread,
    _group_sessions,
    _layer_rates,
    _People,
    _Timeline,
)
from trustgraph.exceptions import ParameterError
from trustgraph.ingest.records import Contact, ConversationEvent

__all__ = ["ROLES", "SampleNetwork", "Truth", "sample_network"]

#: Every role of the planted truth, from the owner outwards (see :class:`Truth`).
ROLES = (
    "owner",
    "core",
    "circle",
    "acquaintance",
    "stranger",
    "fof",
    "broadcaster",
    "sybil",
)


@dataclass(frozen=True)
class Truth:
    """The planted answer for one node of the sample network.

    Parameters
    ----------
    role : str
        One of :data:`ROLES`:

        ``owner``
            the person whose network it is (``me@example.com``); sends and receives.
        ``core``
            Dunbar layers 1 and 2 (5 + 10 people): two-way direct messages weekly or more
            (layer 1) and about monthly or more (layer 2).
        ``circle``
            layers 3 and 4 (35 + 100 people): two-way direct messages a few times to a dozen
            times a year. Core and circle together are the ~150 active partners.
        ``acquaintance``
            a real but rare two-way contact outside the 150: exactly one message and one
            reply in the year.
        ``stranger``
            a declared connection (a ``contacts.csv`` row) with no conversation at all.
        ``fof``
            a friend of a partner, seen only in group chats the owner takes part in; never a
            declared connection, id is a name slug (no e-mail).
        ``broadcaster``
            sends the owner many direct messages in machine-like bursts and never gets a
            reply; some are declared connections, some are not.
        ``sybil``
            one of a densely knit cluster of accounts that post in group chats the owner was
            added to; the owner never writes to them. A few of them reach one honest person
            each (the attack edges, see :attr:`SampleNetwork.attack_edges`).
    layer : int or None
        Dunbar layer 1..4 for ``core`` and ``circle``, else ``None``. Layers are the planted
        *new* members per layer; cumulative sizes are 5, 15, 50, 150.
    stale : bool
        A planted tie that went quiet: every message falls in the first 180 days, so the last
        contact is more than 180 days before the end of the window.
    rate : float or None
        The planted number of direct messages per year (both directions) for ``core``,
        ``circle`` and ``acquaintance``; not written to ``truth.csv``.
    """

    role: str
    layer: int | None = None
    stale: bool = False
    rate: float | None = None


@dataclass(frozen=True)
class SampleNetwork:
    """A generated personal network and its planted truth.

    Attributes
    ----------
    owner : str
        The owner's node id.
    contacts : list of Contact
        The declared connections (the owner is not among them), sorted by id.
    events : list of ConversationEvent
        Every message, sorted by time (then conversation, sender, recipients).
    truth : dict of str to Truth
        A record for every node: the owner, every contact and every event participant.
    attack_edges : tuple of (str, str)
        The planted ``(sybil, honest)`` pairs joining the Sybil cluster to the honest part
        (the owner's silent membership of the Sybil groups is not counted: the owner never
        writes to a Sybil).
    start, end : datetime
        The observation window (UTC); every timestamp lies inside it.
    """

    owner: str
    contacts: list[Contact]
    events: list[ConversationEvent]
    truth: dict[str, Truth]
    attack_edges: tuple[tuple[str, str], ...]
    start: datetime
    end: datetime

    def by_role(self, role: str) -> list[str]:
        """Ids with the given role, sorted."""
        if role not in ROLES:
            raise ParameterError(f"role must be one of {ROLES}, got {role!r}")
        return sorted(node for node, t in self.truth.items() if t.role == role)


# ---------------------------------------------------------------------------- the sample


def sample_network(
    seed: int = 7,
    *,
    n_declared: int = 3000,
    layer_sizes: Sequence[int] = (5, 10, 35, 100),
    stale_layers: Sequence[int] = (1, 3),
    undeclared_partner_share: float = 0.1,
    n_acquaintances: int = 20,
    n_groups: int = 8,
    n_fof: int = 40,
    n_broadcasters: int = 8,
    n_sybils: int = 20,
    n_attack_edges: int = 3,
) -> SampleNetwork:
    """Generate a fictional personal network with a planted truth.

    One owner (``me@example.com``) has `n_declared` LinkedIn-like connections; about 150 of
    the people are conversation partners in four Dunbar-like layers, ranked by how many direct
    messages they exchange with the owner in 2025 (log-normal per layer, medians 150, 45, 14
    and 4.5 messages a year, so that adjacent layers overlap a little). Group chats show the
    partners' own friends (``fof``); spam-like broadcasters write without answer; a dense
    Sybil-like cluster posts in groups the owner was added to and reaches the honest part
    through exactly `n_attack_edges` people. See :class:`Truth` for the exact meaning of every
    role and ``trustgraph/sample_data/README.md`` for the numbers of the bundled sample.

    Parameters
    ----------
    seed : int, default 7
        Seed of the only random generator used; the bundled sample uses 7.
    n_declared : int, default 3000
        Number of declared connections (rows of ``contacts.csv``), strangers included.
    layer_sizes : sequence of 4 int, default (5, 10, 35, 100)
        New members per layer (cumulative 5, 15, 50, 150). Layers 1-2 are ``core``, 3-4
        ``circle``.
    stale_layers : sequence of int, default (1, 3)
        One stale tie per listed layer: the layer's most frequent partner sends and gets
        every message in the first 180 days, so the last contact is more than 180 days
        before the end of the window.
    undeclared_partner_share : float, default 0.1
        Share of partners and acquaintances who are not declared connections (family and
        friends met elsewhere): they appear only in conversations.
    n_acquaintances : int, default 20
        Rare two-way contacts: one message and one reply in the year.
    n_groups : int, default 8
        Group chats of the owner, partners and friends of friends.
    n_fof : int, default 40
        Friends of friends, seen only in those groups (at least two per group).
    n_broadcasters : int, default 8
        Accounts sending bursts of unanswered direct messages (three are newsletters that
        are not declared connections; the others are declared).
    n_sybils : int, default 20
        Size of the Sybil-like cluster (all declared connections, accepted within ten days).
    n_attack_edges : int, default 3
        Honest people (acquaintances) each reached by one Sybil through a three-person
        thread with the owner, where they answer once.

    Returns
    -------
    SampleNetwork

    Raises
    ------
    ParameterError
        If a count is negative, `layer_sizes` does not have four positive entries,
        `n_declared` is smaller than the number of declared non-strangers, there are fewer
        than two friends of friends per group, or exactly one Sybil.

    See Also
    --------
    write_sample : write the network as CSV files.
    sample_paths : the copy bundled with the package (``seed=7``, default sizes).

    Notes
    -----
    Layers follow the Dunbar layers of online ego networks (sizes about 5, 15, 50, 150 with a
    scaling ratio of about 3, Dunbar et al. 2015; Arnaboldi et al. 2012). A "contact" here
    is one direct message in either direction; the planted rate of every partner is
    ``Truth.rate``. Group messages add co-participant edges but are not part of the rate.

    References
    ----------
    .. [1] R. I. M. Dunbar, V. Arnaboldi, M. Conti, A. Passarella, "The structure of online
       social networks mirrors those in the offline world", Social Networks 43 (2015).
    .. [2] V. Arnaboldi, M. Conti, A. Passarella, F. Pezzoni, "Analysis of ego network
       structure in online social networks", SocialCom 2012.

    Examples
    --------
    >>> net = sample_network(seed=1, n_declared=400)
    >>> net.owner
    'me@example.com'
    >>> [len(net.by_role(r)) for r in ("core", "circle", "broadcaster", "sybil")]
    [15, 135, 8, 20]
    >>> len(net.contacts)
    400
    """
    layer_sizes = tuple(int(s) for s in layer_sizes)
    stale_layers = tuple(int(k) for k in stale_layers)
    _check_sizes(
        layer_sizes,
        stale_layers,
        undeclared_partner_share,
        n_declared=n_declared,
        n_acquaintances=n_acquaintances,
        n_groups=n_groups,
        n_fof=n_fof,
        n_broadcasters=n_broadcasters,
        n_sybils=n_sybils,
        n_attack_edges=n_attack_edges,
    )
    draft = _Draft(np.random.default_rng(seed))
    partners, by_layer = draft.partners(layer_sizes, stale_layers)
    acquaintances = draft.acquaintances(n_acquaintances, partners, undeclared_partner_share)
    broadcasters = draft.broadcasters(n_broadcasters)
    sybils = [draft.new_person("sybil") for _ in range(n_sybils)]
    draft.declared.extend(sybils)
    draft.strangers(n_declared)
    fofs = [draft.people.slug() for _ in range(n_fof)]
    for node in fofs:
        draft.truth[node] = Truth("fof")
    draft.direct_messages(partners, acquaintances)
    if n_groups:
        draft.friend_groups(n_groups, fofs, by_layer)
    draft.bursts(broadcasters)
    attack_edges = draft.sybil_groups(sybils, acquaintances, n_attack_edges) if n_sybils else []
    return SampleNetwork(
        owner=_OWNER,
        contacts=draft.contacts(),
        events=draft.events(),
        truth=dict(sorted(draft.truth.items())),
        attack_edges=tuple(attack_edges),
        start=_START,
        end=_START + timedelta(days=_DAYS),
    )


def _check_sizes(
    layer_sizes: tuple[int, ...],
    stale_layers: tuple[int, ...],
    undeclared_partner_share: float,
    **counts: int,
) -> None:
    """Raise ParameterError on sizes :func:`sample_network` cannot honour."""
    if len(layer_sizes) != 4:
        raise ParameterError(f"layer_sizes needs 4 entries, got {layer_sizes!r}")
    for name, value in counts.items():
        if value < 0:
            raise ParameterError(f"{name} must be >= 0, got {value}")
    if any(k not in (1, 2, 3, 4) for k in stale_layers) or len(set(stale_layers)) < len(
        stale_layers
    ):
        raise ParameterError(f"stale_layers must be distinct layers 1..4, got {stale_layers!r}")
    if min(layer_sizes) < 1:
        raise ParameterError(f"every layer needs at least one member, got {layer_sizes!r}")
    if not 0.0 <= undeclared_partner_share < 1.0:
        raise ParameterError(
            f"undeclared_partner_share must be in [0, 1), got {undeclared_partner_share}"
        )
    n_attack_edges, n_sybils = counts["n_attack_edges"], counts["n_sybils"]
    if n_attack_edges > min(n_sybils, counts["n_acquaintances"]):
        raise ParameterError(
            f"n_attack_edges ({n_attack_edges}) needs as many Sybils and acquaintances"
        )
    n_groups, n_fof = counts["n_groups"], counts["n_fof"]
    if n_groups and n_fof < 2 * n_groups:
        raise ParameterError(f"n_fof ({n_fof}) must be at least twice n_groups ({n_groups})")
    if n_fof and not n_groups:
        raise ParameterError(f"friends of friends need group chats: n_fof={n_fof}, n_groups=0")
    if n_sybils == 1:
        raise ParameterError("a Sybil cluster needs n_sybils=0 or at least 2")


class _Draft:
    """The network under construction; each phase draws from the one generator in turn.

    The phases must run in the order :func:`sample_network` calls them: the bundled
    sample's bytes depend on the sequence of draws.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.people = _People(rng)
        self.timeline = _Timeline(rng)
        self.truth: dict[str, Truth] = {_OWNER: Truth("owner")}
        self.names: dict[str, str] = {}
        self.declared: list[str] = []
        # Conversation keys are numbered after a shuffle, so they reveal nothing about roles.
        self.threads: list[tuple[str, ...]] = []

    def new_person(self, role: str, **extra) -> str:
        name, email = self.people.person()
        self.names[email] = name
        self.truth[email] = Truth(role, **extra)
        return email

    def thread(self, *members: str) -> str:
        self.threads.append(members)
        return f"#{len(self.threads) - 1}"

    def partners(
        self, layer_sizes: tuple[int, ...], stale_layers: tuple[int, ...]
    ) -> tuple[list[str], dict[int, list[str]]]:
        """Partners by layer, with stratified rates and a few stale ties."""
        partners: list[str] = []
        for layer, size in enumerate(layer_sizes, start=1):
            for rate in _layer_rates(self.rng, size, layer):
                role = "core" if layer <= 2 else "circle"
                partners.append(self.new_person(role, layer=layer, rate=float(rate)))
        truth = self.truth
        by_layer = {k: [p for p in partners if truth[p].layer == k] for k in (1, 2, 3, 4)}
        for layer in stale_layers:
            # The most frequent partner of the layer went quiet (moved away, changed jobs):
            # still the layer's strongest tie by volume, but silent for the last half year.
            chosen = max(by_layer[layer], key=lambda p: (truth[p].rate, p))
            old = truth[chosen]
            truth[chosen] = Truth(old.role, layer=old.layer, stale=True, rate=old.rate)
        return partners, by_layer

    def acquaintances(self, n: int, partners: list[str], undeclared_share: float) -> list[str]:
        """Rare two-way contacts; then who of the partners and them is a declared contact."""
        acquaintances = [self.new_person("acquaintance", rate=2.0) for _ in range(n)]
        for person in partners + acquaintances:
            if self.rng.random() >= undeclared_share:
                self.declared.append(person)
        return acquaintances

    def broadcasters(self, n: int) -> list[str]:
        """Newsletters (not declared) first, then declared accounts."""
        n_newsletters = min(3, n)
        broadcasters = list(_NEWSLETTER_IDS[:n_newsletters])
        for node in broadcasters:
            self.truth[node] = Truth("broadcaster")
        for _ in range(n - n_newsletters):
            node = self.new_person("broadcaster")
            broadcasters.append(node)
            self.declared.append(node)
        return broadcasters

    def strangers(self, n_declared: int) -> None:
        n_strangers = n_declared - len(self.declared)
        if n_strangers < 0:
            raise ParameterError(
                f"n_declared ({n_declared}) is smaller than the {len(self.declared)} declared "
                "partners, broadcasters and Sybils"
            )
        self.declared.extend(self.new_person("stranger") for _ in range(n_strangers))

    def direct_messages(self, partners: list[str], acquaintances: list[str]) -> None:
        """Each partner's planted number of messages; one answered message per acquaintance."""
        timeline = self.timeline
        for partner in partners:
            t = self.truth[partner]
            k = t.layer - 1
            _dm_thread(
                timeline,
                _OWNER,
                partner,
                int(t.rate),
                key=self.thread("dm", partner),
                owner_starts=_OWNER_STARTS[k],
                reply_prob=_REPLY_PROB[k],
                last_day=_STALE_LAST_DAY if t.stale else _DAYS - _MARGIN_DAYS,
            )
        for person in acquaintances:
            minute = timeline.moment(0, _DAYS - _MARGIN_DAYS)
            opener, answerer = (person, _OWNER) if self.rng.random() < 0.6 else (_OWNER, person)
            key = self.thread("dm", person)
            timeline.add(minute, opener, (answerer,), "dm", key)
            later = minute + timeline.gap() + 60 * int(self.rng.integers(0, 24))
            timeline.add(later, answerer, (opener,), "dm", key)

    def friend_groups(self, n_groups: int, fofs: list[str], by_layer: dict) -> None:
        """Group chats: a few partners and the host's friends (fof)."""
        rng, truth, n_fof = self.rng, self.truth, len(fofs)
        fof_groups = [list(g) for g in np.array_split(rng.permutation(n_fof), n_groups)]
        # Group partners come from the outer layer (plus one core partner in every third
        # group, a family chat), never from a stale tie: group traffic then cannot lift a
        # layer-3 partner into the core or revive a stale tie.
        circle_pool = [p for p in by_layer[4] if not truth[p].stale]
        core_pool = [p for p in by_layer[1] + by_layer[2] if not truth[p].stale]
        for g in range(n_groups):
            extra = rng.choice(n_fof, size=int(rng.integers(0, 3)), replace=False)
            fof_members = sorted({fofs[i] for i in [*fof_groups[g], *extra.tolist()]})
            n_partners = min(int(rng.integers(2, 5)), len(circle_pool))
            chosen = rng.choice(len(circle_pool), size=n_partners, replace=False)
            members_partners = [circle_pool[i] for i in chosen.tolist()]
            if g % 3 == 0 and core_pool:
                members_partners.append(core_pool[int(rng.integers(len(core_pool)))])
            members = [_OWNER, *dict.fromkeys(members_partners), *fof_members]
            activity = rng.lognormal(0.0, 0.6, len(members))
            activity[0] = 0.6 * activity[1:].mean()  # the owner talks less than the friends
            _group_sessions(
                self.timeline,
                members,
                activity,
                int(rng.integers(20, 61)),
                key=self.thread("group", *members),
            )

    def bursts(self, broadcasters: list[str]) -> None:
        """Broadcasters: bursts of unanswered messages a minute or two apart."""
        rng, timeline = self.rng, self.timeline
        for node in broadcasters:
            key = self.thread("dm", node)
            remaining = int(rng.integers(30, 91))
            while remaining > 0:
                minute = timeline.moment(0, _DAYS - _MARGIN_DAYS)
                for _ in range(min(int(rng.integers(3, 11)), remaining)):
                    timeline.add(minute, node, (_OWNER,), "dm", key)
                    minute += int(rng.integers(1, 3))
                    remaining -= 1

    def sybil_groups(
        self, sybils: list[str], acquaintances: list[str], n_attack_edges: int
    ) -> list[tuple[str, str]]:
        """One big group and two sub-groups the owner was added to (and never writes in),
        plus one three-person thread per attack edge where an acquaintance answers once."""
        rng, timeline, n_sybils = self.rng, self.timeline, len(sybils)
        sybil_groups = [list(range(n_sybils))]
        for _ in range(2):
            size = min(n_sybils, max(2, n_sybils // 2))
            sybil_groups.append(sorted(rng.choice(n_sybils, size=size, replace=False).tolist()))
        for members_idx, volume in zip(sybil_groups, (60, 25, 25)):
            members = [_OWNER, *(sybils[i] for i in members_idx)]
            activity = np.ones(len(members))
            activity[0] = 0.0
            _group_sessions(
                timeline, members, activity, volume, key=self.thread("group", *members)
            )
        attackers = rng.choice(n_sybils, size=n_attack_edges, replace=False).tolist()
        targets = rng.choice(len(acquaintances), size=n_attack_edges, replace=False).tolist()
        attack_edges: list[tuple[str, str]] = []
        for s, a in zip(attackers, targets):
            sybil, honest = sybils[s], acquaintances[a]
            members = (_OWNER, sybil, honest)
            key = self.thread("group", *members)
            minute = timeline.moment(30, _DAYS - _MARGIN_DAYS)
            for speaker in (sybil, honest, sybil):
                timeline.add(minute, speaker, sorted(set(members) - {speaker}), "group", key)
                minute += timeline.gap() + 60 * int(rng.integers(0, 20))
            attack_edges.append((sybil, honest))
        return attack_edges

    def contacts(self) -> list[Contact]:
        """Declared connections: dates and jobs by role (Sybils all accepted within 10 days)."""
        rng = self.rng
        contacts: list[Contact] = []
        for node in sorted(self.declared):
            role = self.truth[node].role
            if role == "sybil":
                when = _date_between(rng, date(2025, 2, 10), date(2025, 2, 19))
                company = _SYBIL_COMPANIES[int(rng.integers(len(_SYBIL_COMPANIES)))]
                position = _SYBIL_POSITIONS[int(rng.integers(len(_SYBIL_POSITIONS)))]
            else:
                first = date(2010, 1, 1) if role in ("core", "circle") else date(2012, 1, 1)
                when = _date_between(rng, first, date(2025, 12, 31))
                company = _COMPANIES[int(rng.integers(len(_COMPANIES)))]
                positions = _RECRUITER_POSITIONS if role == "broadcaster" else _POSITIONS
                position = positions[int(rng.integers(len(positions)))]
            contacts.append(
                Contact(
                    id=node,
                    identifiers=(node,),
                    display_name=self.names[node],
                    attributes={"company": company, "position": position},
                    source="linkedin",
                    connected_on=datetime(when.year, when.month, when.day, tzinfo=timezone.utc),
                    declared=True,
                )
            )
        return contacts

    def events(self) -> list[ConversationEvent]:
        """Every message, conversations renamed in a shuffled order, sorted by time."""
        order = self.rng.permutation(len(self.threads))
        width = len(str(len(self.threads)))
        rename = {}
        for number, index in enumerate(order.tolist(), start=1):
            kind = self.threads[index][0]
            rename[f"#{index}"] = f"{kind}-{number:0{width}d}"
        events = [
            ConversationEvent(
                timestamp=_START + timedelta(minutes=minute),
                sender=sender,
                recipients=recipients,
                channel=channel,
                conversation_id=rename[key],
                source=_SOURCE,
            )
            for minute, sender, recipients, channel, key in self.timeline.rows
        ]
        events.sort(key=lambda e: (e.timestamp, e.conversation_id, e.sender, e.recipients))
        return events
