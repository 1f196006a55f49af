"""The bundled sample network and the synthetic generators, all in one place.

Three generators live here and nowhere else (DESIGN.md §3, "one home for generators"):

* :func:`sample_network` — a fictional personal network (one owner, about 3,000 declared
  connections, about 150 conversation partners in Dunbar-like layers, friends of friends seen
  in group chats, spam-like broadcasters and a small Sybil-like cluster) with its planted
  truth. :func:`write_sample` writes it as ``contacts.csv``, ``conversations.csv`` and
  ``truth.csv``; :func:`sample_paths` finds the copy bundled with the package;
  :func:`write_sample_exports` (from :mod:`trustgraph.sample_exports`) writes it as a
  LinkedIn export, WhatsApp chats, an mbox and a vCard phone book.
* :func:`powerlaw_graph` — heavy-tailed graphs with planted communities for benchmarks,
  built straight from numpy arrays (no networkx), so a million nodes take seconds.
* :func:`attach_sybil_region` — joins a Sybil region to an honest graph through a chosen
  number of attack edges, the set-up of the Sybil-defence evaluations (ALGORITHMS.md §10.1).

Everything is deterministic given ``seed`` (a ``numpy.random.Generator`` is the only source
of randomness) and nothing is generated at import time.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.core.compact import CompactGraph, _attr_default, as_compact
from trustgraph.exceptions import GraphError, IngestError, ParameterError
from trustgraph.ingest.atomic import atomic_write, check_writable
from trustgraph.ingest.records import Contact, ConversationEvent

__all__ = [
    "EXPORT_OWNER_NAME",
    "EXPORT_OWNER_PHONE",
    "ROLES",
    "SampleExportPlan",
    "SampleNetwork",
    "Truth",
    "attach_sybil_region",
    "export_paths",
    "plan_sample_exports",
    "powerlaw_graph",
    "read_truth",
    "sample_network",
    "sample_owner",
    "sample_paths",
    "write_sample",
    "write_sample_exports",
]

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

#: Column order of the three sample files (FORMATS: the generic contacts/conversations CSV).
CONTACT_COLUMNS = ("id", "name", "email", "company", "position", "connected_on", "source")
CONVERSATION_COLUMNS = ("timestamp", "sender", "recipients", "channel", "conversation_id")
TRUTH_COLUMNS = ("id", "role", "layer", "stale")

_OWNER = "me@example.com"
_SOURCE = "sample"
#: Observation window of the sample, fixed so that the files never depend on today's date.
_START = datetime(2025, 1, 1, tzinfo=timezone.utc)
_DAYS = 365
_DOMAINS = ("example.com", "example.org", "example.net")

# Messages per year (both directions) at the median of each Dunbar layer: a ratio of about
# 3.3 between layers, from "weekly or more" (layer 1) to "a few times a year" (layer 4).
_LAYER_MEDIANS = (150.0, 45.0, 14.0, 4.5)
_LAYER_SIGMA = 0.35  # log-normal spread; adjacent layers overlap by about one person
_LAYER_FLOOR = 3  # an outer-layer partner still exchanges at least 3 messages in the year
_STALE_LAST_DAY = 180  # stale ties fall silent after this day of the 365-day window
# Exchanges and group sessions start at least this many days before the end of the window:
# at most 8 messages with gaps of at most 6 hours (or 20 for the Sybil threads) fit after.
_MARGIN_DAYS = 3
_MAX_EXCHANGE = 8
# Probability that the owner starts an exchange, and that the other side answers, by layer:
# inner layers are balanced, outer ones lean towards the partner writing first.
_OWNER_STARTS = (0.5, 0.5, 0.45, 0.4)
_REPLY_PROB = (0.97, 0.95, 0.88, 0.8)

# fmt: off
_FIRST_NAMES = (
    "Ada", "Alex", "Amara", "Anton", "Aria", "Arjun", "Astrid", "Ben", "Bianca", "Bo", "Caleb",
    "Carmen", "Chen", "Chloe", "Dara", "Dev", "Diego", "Elena", "Elif", "Emil", "Ena", "Eric",
    "Esme", "Farah", "Felix", "Finn", "Freya", "Gabriel", "Greta", "Hana", "Hugo", "Ida",
    "Ines", "Isaac", "Ivo", "Jade", "Jana", "Jonas", "Jules", "Kai", "Kara", "Kenji", "Lara",
    "Leo", "Lina", "Luca", "Lucia", "Malik", "Mara", "Marta", "Mateo", "Maya", "Milo", "Mina",
    "Nadia", "Nico", "Nils", "Noor", "Olga", "Omar", "Otto", "Paz", "Priya", "Quinn", "Rafael",
    "Rania", "Remy", "Rosa", "Ruben", "Sana", "Sara", "Selim", "Sofia", "Tariq", "Tess",
    "Theo", "Uma", "Vera", "Viktor", "Wen", "Yara", "Yusuf", "Zara", "Zoe"
)
_LAST_NAMES = (
    "Abbott", "Adeyemi", "Alvarez", "Andersen", "Baker", "Banerjee", "Becker", "Bianchi",
    "Brennan", "Castillo", "Chowdhury", "Costa", "Dahl", "Dimitrov", "Duarte", "Eriksen",
    "Farouk", "Fischer", "Fontaine", "Garcia", "Gupta", "Haddad", "Hansen", "Hoffmann",
    "Ibarra", "Ivanova", "Jensen", "Kaplan", "Kato", "Keller", "Kim", "Kowalski", "Laine",
    "Larsen", "Lemaire", "Lindqvist", "Lopez", "Marin", "Meyer", "Moreau", "Murphy",
    "Nakamura", "Navarro", "Nguyen", "Novak", "Okafor", "Olsen", "Ortiz", "Park", "Pereira",
    "Petrov", "Quist", "Ramos", "Rao", "Reyes", "Rossi", "Sato", "Schmidt", "Silva",
    "Sorensen", "Suzuki", "Tanaka", "Torres", "Novotny", "Vargas", "Vidal", "Virtanen",
    "Wagner", "Walsh", "Weber", "Yilmaz", "Young", "Zhang", "Ziegler"
)
_COMPANIES = (
    "Acme Analytics", "Amberline Logistics", "Bluefield Labs", "Brightwater Health",
    "Cedar & Stone", "Cobalt Systems", "Copperleaf Studio", "Driftwood Media",
    "Evergreen Capital", "Fernhill Energy", "Foxglove Foods", "Granite Cloud",
    "Harbourview Bank", "Ironbark Consulting", "Juniper Robotics", "Kestrel Aviation",
    "Lakeshore University", "Lanternfish Games", "Maplecrest Insurance", "Meridian Mobility",
    "Northwind Retail", "Oakridge Legal", "Orchid Biotech", "Pinecone Software",
    "Quarry Hill Architects", "Redwood Public Schools", "Saltmarsh Research",
    "Silverbirch Hospital", "Stonebridge Manufacturing", "Sunbeam Solar", "Thistle Design",
    "Tidewater Shipping", "Umber Publishing", "Vantage Telecom", "Willowbrook Clinic",
    "Yellowtail Ventures",
)
_POSITIONS = (
    "Account Manager", "Architect", "Chief Executive Officer", "Consultant", "Data Analyst",
    "Data Scientist", "Designer", "Director of Operations", "Engineering Manager", "Founder",
    "Head of Product", "HR Business Partner", "Lecturer", "Marketing Lead", "Nurse",
    "Operations Analyst", "Product Manager", "Project Manager", "Research Scientist",
    "Sales Director", "Software Engineer", "Senior Software Engineer", "Solutions Engineer",
    "Teacher", "UX Researcher",
)
# fmt: on
_RECRUITER_POSITIONS = ("Talent Partner", "Technical Recruiter", "Growth Marketing Lead")
_SYBIL_COMPANIES = ("Apex Wealth Circle", "Nimbus Growth Network", "Zenith Opportunity Group")
_SYBIL_POSITIONS = ("Investment Advisor", "Crypto Strategist", "Business Opportunity Coach")
_NEWSLETTER_IDS = ("digest@example.org", "offers@example.net", "news@example.com")


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


class _People:
    """Unique fictional names and e-mail ids drawn from one generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._taken: set[str] = {_OWNER, *_NEWSLETTER_IDS}

    def person(self) -> tuple[str, str]:
        """A (name, e-mail) pair whose lower-cased e-mail is new."""
        first = _FIRST_NAMES[int(self._rng.integers(len(_FIRST_NAMES)))]
        last = _LAST_NAMES[int(self._rng.integers(len(_LAST_NAMES)))]
        domain = _DOMAINS[int(self._rng.integers(len(_DOMAINS)))]
        local = f"{first}.{last}".lower()
        email, k = f"{local}@{domain}", 2
        while email in self._taken:
            email, k = f"{local}{k}@{domain}", k + 1
        self._taken.add(email)
        return f"{first} {last}", email

    def slug(self) -> str:
        """A name slug id for someone seen without an e-mail address (a chat member)."""
        first = _FIRST_NAMES[int(self._rng.integers(len(_FIRST_NAMES)))]
        last = _LAST_NAMES[int(self._rng.integers(len(_LAST_NAMES)))]
        base = f"{first}-{last}".lower()
        slug, k = base, 2
        while slug in self._taken:
            slug, k = f"{base}-{k}", k + 1
        self._taken.add(slug)
        return slug


class _Timeline:
    """Collects messages as minute offsets from the start of the window."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.rows: list[tuple[int, str, tuple[str, ...], str, str]] = []

    def moment(self, first_day: int, last_day: int) -> int:
        """A waking-hours minute on a random day in [first_day, last_day)."""
        day = int(self.rng.integers(first_day, last_day))
        return day * 1440 + int(self.rng.integers(8 * 60, 23 * 60))

    def gap(self) -> int:
        """Minutes until the next message of a live exchange (median about 12)."""
        return int(min(360, 1 + self.rng.lognormal(math.log(12.0), 1.0)))

    def add(self, minute: int, sender: str, recipients: Sequence[str], channel: str, key: str):
        self.rows.append((minute, sender, tuple(recipients), channel, key))


def _layer_rates(rng: np.random.Generator, size: int, layer: int) -> np.ndarray:
    """Stratified log-normal message rates: extremes are predictable, order is random.

    One draw per stratum of the layer's log-normal (jittered inside the middle half of the
    stratum) makes the overlap between adjacent layers small and certain for the default
    sizes: the lowest layer-2 partner falls below the highest layer-3 partner, but only by
    about one rank.
    """
    from scipy.special import ndtri  # here, not at import: scipy.special is slow to load

    quantiles = (np.arange(size) + rng.uniform(0.25, 0.75, size)) / size
    rates = _LAYER_MEDIANS[layer - 1] * np.exp(_LAYER_SIGMA * ndtri(quantiles))
    rates = np.maximum(np.round(rates), _LAYER_FLOOR)
    return rng.permutation(rates)


def _dm_thread(
    timeline: _Timeline,
    owner: str,
    partner: str,
    n_messages: int,
    *,
    key: str,
    owner_starts: float,
    reply_prob: float,
    last_day: int,
) -> None:
    """Exactly `n_messages` direct messages in exchanges; the first exchange is answered.

    Exchanges are spread evenly over ``[0, last_day)`` (one per stratum, at a random day
    inside it): an ongoing tie keeps in touch regularly, so recency-weighted tie strengths
    rank partners by their planted rate rather than by the luck of the draw.
    """
    rng = timeline.rng
    lengths: list[int] = []
    while sum(lengths) < n_messages:
        replied = not lengths or rng.random() < reply_prob
        # An answered exchange has the opening message plus 1, 2, 3... alternating replies.
        lengths.append(min(_MAX_EXCHANGE, 1 + int(rng.geometric(0.6))) if replied else 1)
    lengths[-1] -= sum(lengths) - n_messages
    span = last_day / len(lengths)
    for k, length in enumerate(lengths):
        day = int((k + rng.random()) * span)
        minute = day * 1440 + int(rng.integers(8 * 60, 23 * 60))
        speaker = owner if rng.random() < owner_starts else partner
        for _ in range(length):
            other = partner if speaker == owner else owner
            timeline.add(minute, speaker, (other,), "dm", key)
            minute += timeline.gap()
            speaker = other


def _group_sessions(
    timeline: _Timeline,
    members: Sequence[str],
    activity: np.ndarray,
    n_messages: int,
    *,
    key: str,
    first_day: int = 0,
    last_day: int = _DAYS - _MARGIN_DAYS,
) -> None:
    """Group chat: sessions of 2-6 messages, senders drawn by activity, all others receive."""
    rng = timeline.rng
    p = activity / activity.sum()
    sent = 0
    while sent < n_messages:
        minute = timeline.moment(first_day, last_day)
        for _ in range(min(int(rng.integers(2, 7)), n_messages - sent)):
            who = members[int(rng.choice(len(members), p=p))]
            others = sorted(m for m in members if m != who)
            timeline.add(minute, who, others, "group", key)
            minute += timeline.gap()
            sent += 1


def _date_between(rng: np.random.Generator, first: date, last: date) -> date:
    return first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))


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
    if len(layer_sizes) != 4:
        raise ParameterError(f"layer_sizes needs 4 entries, got {layer_sizes!r}")
    counts = {
        "n_declared": n_declared,
        "n_acquaintances": n_acquaintances,
        "n_groups": n_groups,
        "n_fof": n_fof,
        "n_broadcasters": n_broadcasters,
        "n_sybils": n_sybils,
        "n_attack_edges": n_attack_edges,
    }
    for name, value in counts.items():
        if value < 0:
            raise ParameterError(f"{name} must be >= 0, got {value}")
    stale_layers = tuple(int(k) for k in stale_layers)
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
    if n_attack_edges > min(n_sybils, n_acquaintances):
        raise ParameterError(
            f"n_attack_edges ({n_attack_edges}) needs as many Sybils and acquaintances"
        )
    if n_groups and n_fof < 2 * n_groups:
        raise ParameterError(f"n_fof ({n_fof}) must be at least twice n_groups ({n_groups})")
    if n_fof and not n_groups:
        raise ParameterError(f"friends of friends need group chats: n_fof={n_fof}, n_groups=0")
    if n_sybils == 1:
        raise ParameterError("a Sybil cluster needs n_sybils=0 or at least 2")

    rng = np.random.default_rng(seed)
    people = _People(rng)
    timeline = _Timeline(rng)
    truth: dict[str, Truth] = {_OWNER: Truth("owner")}
    names: dict[str, str] = {}
    declared: list[str] = []

    def new_person(role: str, **extra) -> str:
        name, email = people.person()
        names[email] = name
        truth[email] = Truth(role, **extra)
        return email

    # Partners by layer, with stratified rates and a few stale ties.
    partners: list[str] = []
    for layer, size in enumerate(layer_sizes, start=1):
        for rate in _layer_rates(rng, size, layer):
            role = "core" if layer <= 2 else "circle"
            partners.append(new_person(role, layer=layer, rate=float(rate)))
    by_layer = {k: [p for p in partners if truth[p].layer == k] for k in (1, 2, 3, 4)}
    for layer in stale_layers:
        # The most frequent partner of the layer went quiet (moved away, changed jobs): still
        # the layer's strongest tie by volume, but silent for the last half of the year.
        chosen = max(by_layer[layer], key=lambda p: (truth[p].rate, p))
        old = truth[chosen]
        truth[chosen] = Truth(old.role, layer=old.layer, stale=True, rate=old.rate)
    acquaintances = [new_person("acquaintance", rate=2.0) for _ in range(n_acquaintances)]
    for person in partners + acquaintances:
        if rng.random() >= undeclared_partner_share:
            declared.append(person)

    n_newsletters = min(3, n_broadcasters)
    broadcasters = list(_NEWSLETTER_IDS[:n_newsletters])
    for node in broadcasters:
        truth[node] = Truth("broadcaster")
    for _ in range(n_broadcasters - n_newsletters):
        node = new_person("broadcaster")
        broadcasters.append(node)
        declared.append(node)
    sybils = [new_person("sybil") for _ in range(n_sybils)]
    declared.extend(sybils)
    n_strangers = n_declared - len(declared)
    if n_strangers < 0:
        raise ParameterError(
            f"n_declared ({n_declared}) is smaller than the {len(declared)} declared "
            "partners, broadcasters and Sybils"
        )
    declared.extend(new_person("stranger") for _ in range(n_strangers))
    fofs = [people.slug() for _ in range(n_fof)]
    for node in fofs:
        truth[node] = Truth("fof")

    # Conversation keys are numbered after a shuffle, so they reveal nothing about roles.
    threads: list[tuple[str, ...]] = []

    def thread(*members: str) -> str:
        threads.append(members)
        return f"#{len(threads) - 1}"

    for partner in partners:
        t = truth[partner]
        k = t.layer - 1
        _dm_thread(
            timeline,
            _OWNER,
            partner,
            int(t.rate),
            key=thread("dm", partner),
            owner_starts=_OWNER_STARTS[k],
            reply_prob=_REPLY_PROB[k],
            last_day=_STALE_LAST_DAY if t.stale else _DAYS - _MARGIN_DAYS,
        )
    for person in acquaintances:
        minute = timeline.moment(0, _DAYS - _MARGIN_DAYS)
        opener, answerer = (person, _OWNER) if rng.random() < 0.6 else (_OWNER, person)
        key = thread("dm", person)
        timeline.add(minute, opener, (answerer,), "dm", key)
        later = minute + timeline.gap() + 60 * int(rng.integers(0, 24))
        timeline.add(later, answerer, (opener,), "dm", key)

    # Friend groups: a host partner, a few more partners, the host's friends (fof).
    if n_groups:
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
                timeline,
                members,
                activity,
                int(rng.integers(20, 61)),
                key=thread("group", *members),
            )

    # Broadcasters: bursts of unanswered messages a minute or two apart.
    for node in broadcasters:
        key = thread("dm", node)
        remaining = int(rng.integers(30, 91))
        while remaining > 0:
            minute = timeline.moment(0, _DAYS - _MARGIN_DAYS)
            for _ in range(min(int(rng.integers(3, 11)), remaining)):
                timeline.add(minute, node, (_OWNER,), "dm", key)
                minute += int(rng.integers(1, 3))
                remaining -= 1

    # Sybils: one big group and two sub-groups the owner was added to (and never writes in),
    # plus one three-person thread per attack edge where an acquaintance answers once.
    attack_edges: list[tuple[str, str]] = []
    if n_sybils:
        sybil_groups = [list(range(n_sybils))]
        for _ in range(2):
            size = min(n_sybils, max(2, n_sybils // 2))
            sybil_groups.append(sorted(rng.choice(n_sybils, size=size, replace=False).tolist()))
        for members_idx, volume in zip(sybil_groups, (60, 25, 25)):
            members = [_OWNER, *(sybils[i] for i in members_idx)]
            activity = np.ones(len(members))
            activity[0] = 0.0
            _group_sessions(timeline, members, activity, volume, key=thread("group", *members))
        attackers = rng.choice(n_sybils, size=n_attack_edges, replace=False).tolist()
        targets = rng.choice(n_acquaintances, size=n_attack_edges, replace=False).tolist()
        for s, a in zip(attackers, targets):
            sybil, honest = sybils[s], acquaintances[a]
            members = (_OWNER, sybil, honest)
            key = thread("group", *members)
            minute = timeline.moment(30, _DAYS - _MARGIN_DAYS)
            for speaker in (sybil, honest, sybil):
                timeline.add(minute, speaker, sorted(set(members) - {speaker}), "group", key)
                minute += timeline.gap() + 60 * int(rng.integers(0, 20))
            attack_edges.append((sybil, honest))

    # Declared connections: dates and jobs by role (Sybils were all accepted within 10 days).
    contacts: list[Contact] = []
    for node in sorted(declared):
        role = truth[node].role
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
                display_name=names[node],
                attributes={"company": company, "position": position},
                source="linkedin",
                connected_on=datetime(when.year, when.month, when.day, tzinfo=timezone.utc),
                declared=True,
            )
        )

    order = rng.permutation(len(threads))
    width = len(str(len(threads)))
    rename = {}
    for number, index in enumerate(order.tolist(), start=1):
        kind = threads[index][0]
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
        for minute, sender, recipients, channel, key in timeline.rows
    ]
    events.sort(key=lambda e: (e.timestamp, e.conversation_id, e.sender, e.recipients))
    return SampleNetwork(
        owner=_OWNER,
        contacts=contacts,
        events=events,
        truth=dict(sorted(truth.items())),
        attack_edges=tuple(attack_edges),
        start=_START,
        end=_START + timedelta(days=_DAYS),
    )


def _iso_utc(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_sample(
    folder: str | os.PathLike[str],
    network: SampleNetwork | None = None,
    *,
    overwrite: bool = False,
) -> dict[str, Path]:
    """Write a sample network as ``contacts.csv``, ``conversations.csv`` and ``truth.csv``.

    Parameters
    ----------
    folder : path
        Target folder; created (with its parents) when missing.
    network : SampleNetwork, optional
        Defaults to ``sample_network()`` (the bundled sample).
    overwrite : bool, default False
        Replace existing files. Without it nothing is written if any of the three exists.

    Returns
    -------
    dict of str to Path
        ``{"contacts": ..., "conversations": ..., "truth": ...}``.

    Raises
    ------
    IngestError
        If a file exists and `overwrite` is false, or `folder` is a file.

    Notes
    -----
    * ``contacts.csv``: ``id,name,email,company,position,connected_on,source`` with
      ``connected_on`` an ISO date; sorted by id.
    * ``conversations.csv``: ``timestamp,sender,recipients,channel,conversation_id`` with
      ISO 8601 UTC timestamps (``2025-03-04T09:15:00Z``), recipients ``;``-separated and
      channel ``dm`` or ``group``; no message body. Sorted by time, conversation, sender.
    * ``truth.csv``: ``id,role,layer,stale`` (layer empty outside layers 1-4, stale
      ``true``/``false``); sorted by id.

    Every file is written atomically with ``\\n`` line endings, so the same network always
    gives byte-identical files.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sample(tempfile.mkdtemp(), sample_network(seed=1, n_declared=400))
    >>> sorted(paths)
    ['contacts', 'conversations', 'truth']
    >>> paths["contacts"].read_text().splitlines()[0]
    'id,name,email,company,position,connected_on,source'
    """
    if network is None:
        network = sample_network()
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise IngestError("is a file, expected a folder for the sample", path=target)
    target.mkdir(parents=True, exist_ok=True)
    paths = {
        "contacts": target / "contacts.csv",
        "conversations": target / "conversations.csv",
        "truth": target / "truth.csv",
    }
    for path in paths.values():
        check_writable(path, overwrite=overwrite)

    with atomic_write(paths["contacts"], "w", overwrite=overwrite, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CONTACT_COLUMNS)
        for c in sorted(network.contacts, key=lambda c: c.id):
            writer.writerow(
                (
                    c.id,
                    c.display_name or "",
                    next((i for i in c.identifiers if "@" in i), ""),
                    c.attributes.get("company", ""),
                    c.attributes.get("position", ""),
                    c.connected_on.date().isoformat() if c.connected_on else "",
                    c.source,
                )
            )
    with atomic_write(paths["conversations"], "w", overwrite=overwrite, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CONVERSATION_COLUMNS)
        for e in network.events:
            writer.writerow(
                (
                    _iso_utc(e.timestamp),
                    e.sender,
                    ";".join(e.recipients),
                    e.channel,
                    e.conversation_id or "",
                )
            )
    with atomic_write(paths["truth"], "w", overwrite=overwrite, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TRUTH_COLUMNS)
        for node in sorted(network.truth):
            t = network.truth[node]
            layer = "" if t.layer is None else str(t.layer)
            writer.writerow((node, t.role, layer, "true" if t.stale else "false"))
    # atomic_write's temporary files are private (0600); sample files are ordinary ones.
    umask = os.umask(0)
    os.umask(umask)
    for path in paths.values():
        os.chmod(path, 0o666 & ~umask)
    return paths


def sample_paths() -> dict[str, Path]:
    """Paths of the sample bundled inside the installed package.

    Returns
    -------
    dict of str to Path
        ``{"contacts": ..., "conversations": ..., "truth": ..., "readme": ...}`` under
        ``trustgraph/sample_data/``: ``sample_network(seed=7)`` written by
        :func:`write_sample`.

    Raises
    ------
    IngestError
        If the package data is missing (a broken installation).

    Examples
    --------
    >>> paths = sample_paths()
    >>> paths["conversations"].name
    'conversations.csv'
    >>> paths["truth"].read_text().splitlines()[0]
    'id,role,layer,stale'
    """
    folder = resources.files("trustgraph") / "sample_data"
    base = Path(str(folder))
    paths = {
        "contacts": base / "contacts.csv",
        "conversations": base / "conversations.csv",
        "truth": base / "truth.csv",
        "readme": base / "README.md",
    }
    for path in paths.values():
        if not path.is_file():
            raise IngestError("bundled sample file is missing (broken installation?)", path=path)
    return paths


def sample_owner() -> str:
    """The owner's id in the sample network (``--me`` for the bundled files).

    Examples
    --------
    >>> sample_owner()
    'me@example.com'
    """
    return _OWNER


def read_truth(path: str | os.PathLike[str] | None = None) -> dict[str, Truth]:
    """Read a ``truth.csv`` written by :func:`write_sample` (default: the bundled one).

    Parameters
    ----------
    path : path, optional
        Defaults to ``sample_paths()["truth"]``.

    Returns
    -------
    dict of str to Truth
        In file order (sorted by id); ``rate`` is not stored in the file and is ``None``.

    Raises
    ------
    IngestError
        On a missing file, a wrong header or an unknown role, with the line number.

    Examples
    --------
    >>> truth = read_truth()
    >>> truth[sample_owner()]
    Truth(role='owner', layer=None, stale=False, rate=None)
    """
    target = Path(path) if path is not None else sample_paths()["truth"]
    if not target.is_file():
        raise IngestError("file not found", path=target)
    result: dict[str, Truth] = {}
    with open(target, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(header) != TRUTH_COLUMNS:
            raise IngestError(
                f"expected the header {','.join(TRUTH_COLUMNS)}", path=target, line=1
            )
        for line, row in enumerate(reader, start=2):
            if len(row) != 4 or row[1] not in ROLES or row[3] not in ("true", "false"):
                raise IngestError(f"bad truth row {row!r}", path=target, line=line)
            layer = int(row[2]) if row[2] else None
            result[row[0]] = Truth(row[1], layer=layer, stale=row[3] == "true")
    return result


# ---------------------------------------------------------------------------- power laws


def _expected_degrees(rng: np.random.Generator, n: int, exponent: float) -> np.ndarray:
    """Pareto expected-degree sequence with tail exponent `exponent`, cut at its natural max."""
    u = rng.random(n)
    weights = (1.0 - u) ** (-1.0 / (exponent - 1.0))
    return np.minimum(weights, n ** (1.0 / (exponent - 1.0)))


def _positions(cum: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """``searchsorted(cum, queries, side="right")``, sorting the queries first.

    Binary searches for sorted queries walk the array in order and stay in cache; for ten
    million random queries on a million-entry array this is several times faster.
    """
    order = np.argsort(queries)
    positions = np.empty(queries.size, dtype=np.int64)
    positions[order] = np.searchsorted(cum, queries[order], side="right")
    return np.minimum(positions, cum.size - 1)


_CHUNK = 1 << 21  # edges drawn per chunk in _sample_edges


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (an in-place sort: faster than numpy 2's hashing np.unique)."""
    values.sort()
    if values.size == 0:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _sample_edges(
    rng: np.random.Generator,
    weights: np.ndarray,
    community: np.ndarray,
    n_communities: int,
    n_edges: int,
    mixing: float,
    *,
    directed: bool,
) -> np.ndarray:
    """Chung–Lu edge sampling with planted communities, without self-loops or duplicates.

    Each edge picks its source with probability proportional to `weights`; with probability
    ``1 - mixing`` the target is drawn the same way inside the source's community, otherwise
    from the whole graph. Draws repeat in rounds until `n_edges` distinct edges exist, and a
    uniformly random surplus is dropped. Returns the sorted edge keys ``source * n + target``
    (``source < target`` for undirected graphs), i.e. CSR order.
    """
    n = weights.size
    by_community = np.argsort(community, kind="stable")
    cum = np.cumsum(weights[by_community])
    bounds = np.searchsorted(community[by_community], np.arange(n_communities + 1))
    low = np.where(bounds[:-1] > 0, cum[np.maximum(bounds[:-1] - 1, 0)], 0.0)
    high = cum[np.maximum(bounds[1:] - 1, 0)]
    high = np.where(bounds[1:] > bounds[:-1], high, low)
    total = cum[-1]

    keys = np.empty(0, dtype=np.int64)
    for _ in range(64):
        missing = n_edges - keys.size
        if missing <= 0:
            break
        batch = int(missing * 1.1) + 16
        parts = [keys]
        # Chunks bound the temporaries (about ten arrays per chunk) whatever n_edges is.
        for size in [_CHUNK] * (batch // _CHUNK) + [batch % _CHUNK]:
            # Sorted uniforms make the source search cache-friendly; the permutation then
            # pairs sources with independent target draws.
            src_pos = np.searchsorted(cum, np.sort(rng.random(size)) * total, side="right")
            src = by_community[rng.permutation(np.minimum(src_pos, n - 1))]
            inside = rng.random(size) >= mixing
            c = community[src]
            lo = np.where(inside, low[c], 0.0)
            hi = np.where(inside, high[c], total)
            dst = by_community[_positions(cum, lo + rng.random(size) * (hi - lo))]
            keep = src != dst
            src, dst = src[keep], dst[keep]
            if not directed:
                src, dst = np.minimum(src, dst), np.maximum(src, dst)
            parts.append(src.astype(np.int64) * n + dst)
        keys = _sorted_unique(np.concatenate(parts))
        del parts
    else:
        raise ParameterError(
            f"could not draw {n_edges} distinct edges on {n} nodes; the graph is too dense"
        )
    surplus = keys.size - n_edges
    if surplus > 0:
        keys = np.delete(keys, rng.choice(keys.size, size=surplus, replace=False))
    return keys


def _index_dtype(n: int) -> type:
    return np.int32 if n < np.iinfo(np.int32).max else np.int64


def _csr(
    rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n: int
) -> tuple[sp.csr_array, np.ndarray]:
    """CSR array from distinct (row, col) pairs; also returns the permutation applied."""
    order = np.argsort(rows.astype(np.int64) * n + cols)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    matrix = sp.csr_array((data[order], cols[order].astype(_index_dtype(n)), indptr), shape=(n, n))
    return matrix, order


def _csr_from_keys(keys: np.ndarray, data: np.ndarray, n: int, *, directed: bool) -> sp.csr_array:
    """CSR array from sorted distinct edge keys ``u * n + v`` (``u < v`` when undirected)."""
    rows, cols = keys // n, keys % n
    if not directed:
        return _csr(
            np.concatenate([rows, cols]),
            np.concatenate([cols, rows]),
            np.concatenate([data, data]),
            n,
        )[0]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return sp.csr_array((data, cols.astype(_index_dtype(n)), indptr), shape=(n, n))


def powerlaw_graph(
    n_nodes: int,
    n_edges: int,
    *,
    n_communities: int = 10,
    mixing: float = 0.1,
    exponent: float = 2.5,
    seed: int | None = None,
    directed: bool = True,
    weighted: bool = True,
) -> CompactGraph:
    """Heavy-tailed random graph with planted communities, built straight into CSR.

    Expected degrees follow a Pareto law with tail exponent `exponent` (Chung–Lu model); every
    edge picks its endpoints in proportion to them, and with probability ``1 - mixing`` the
    target is drawn inside the source's community. Self-loops and duplicates are redrawn, so
    the graph has exactly `n_nodes` nodes and `n_edges` edges.

    Parameters
    ----------
    n_nodes : int
        Number of nodes, labelled ``0 .. n_nodes - 1``.
    n_edges : int
        Number of distinct edges (undirected edges counted once).
    n_communities : int, default 10
        Planted communities; sizes vary mildly (Dirichlet shares). The label of every node
        is ``node_attrs["community"]``.
    mixing : float, default 0.1
        Probability that an edge ignores communities (the LFR "mixing parameter").
    exponent : float, default 2.5
        Tail exponent of the expected-degree distribution, > 2 for a finite mean.
    seed : int, optional
        Seed of the random generator.
    directed : bool, default True
        Directed edges ``source -> target``; otherwise each edge is stored both ways.
    weighted : bool, default True
        Integer message-count-like weights (geometric, mean 2); otherwise every weight is 1.

    Returns
    -------
    CompactGraph

    Raises
    ------
    ParameterError
        If a size is out of range or `n_edges` exceeds what the node count can hold.

    Notes
    -----
    In Chung & Lu's notation the expected degree ``w_i`` of node ``i`` is our Pareto draw,
    and ``P(i ~ j) ∝ w_i w_j``; sampling a fixed number of edges (rather than each pair
    independently) keeps the cost at O(n_edges log n_nodes) and the memory at a few arrays
    of length ``n_edges``: one million nodes and ten million edges take a few seconds.
    Communities follow the planted-partition idea of the LFR benchmark [2]_, without its
    exact degree matching.

    References
    ----------
    .. [1] F. Chung, L. Lu, "Connected components in random graphs with given expected
       degree sequences", Annals of Combinatorics 6 (2002).
    .. [2] A. Lancichinetti, S. Fortunato, F. Radicchi, "Benchmark graphs for testing
       community detection algorithms", Physical Review E 78 (2008).

    Examples
    --------
    >>> cg = powerlaw_graph(1000, 5000, seed=1)
    >>> cg.n_nodes, cg.n_edges
    (1000, 5000)
    >>> degrees = cg.out_degree() + cg.in_degree()
    >>> bool(degrees.max() > 5 * degrees.mean())
    True
    """
    if n_nodes < 2:
        raise ParameterError(f"n_nodes must be at least 2, got {n_nodes}")
    if n_edges < 0:
        raise ParameterError(f"n_edges must be >= 0, got {n_edges}")
    if not 1 <= n_communities <= n_nodes:
        raise ParameterError(f"n_communities must be in [1, n_nodes], got {n_communities}")
    if not 0.0 <= mixing <= 1.0:
        raise ParameterError(f"mixing must be in [0, 1], got {mixing}")
    if not exponent > 2.0:
        raise ParameterError(f"exponent must be > 2, got {exponent}")
    pairs = n_nodes * (n_nodes - 1) // (1 if directed else 2)
    if n_edges > pairs // 2:
        raise ParameterError(
            f"n_edges ({n_edges}) is more than half of the {pairs} possible edges; "
            "use a denser generator"
        )
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.full(n_communities, 5.0))
    community = rng.choice(n_communities, size=n_nodes, p=shares).astype(np.int64)
    weights = _expected_degrees(rng, n_nodes, exponent)
    keys = _sample_edges(
        rng, weights, community, n_communities, n_edges, mixing, directed=directed
    )
    data = rng.geometric(0.5, keys.size).astype(np.float64) if weighted else np.ones(keys.size)
    matrix = _csr_from_keys(keys, data, n_nodes, directed=directed)
    return CompactGraph(
        range(n_nodes),
        matrix,
        directed=directed,
        node_attrs={"community": community.tolist()},
        graph_attrs={"generator": "powerlaw_graph", "seed": seed},
    )


# ---------------------------------------------------------------------------- Sybil regions

_REGIONS = ("copy", "powerlaw", "random")
_TARGETING = ("random", "degree", "seeds")


def attach_sybil_region(
    G: nx.Graph | CompactGraph,
    *,
    n_attack_edges: int,
    region: str = "copy",
    n_sybils: int | None = None,
    targeting: str = "random",
    seeds: Iterable[Hashable] | None = None,
    attack_weight: float = 1.0,
    weight: str | None = "weight",
    seed: int | None = None,
) -> tuple[CompactGraph, list[str], list[tuple[Hashable, str]]]:
    """Join a Sybil region to an honest graph through exactly `n_attack_edges` edges.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        The honest region.
    n_attack_edges : int
        Number ``g`` of distinct (honest, Sybil) pairs joined by an attack edge.
    region : {"copy", "powerlaw", "random"}, default "copy"
        ``copy``: the Sybil region is a copy of the honest graph (same edges and weights;
        Sybil ``sybil-i`` copies honest node number ``i``), as in the ego-facebook
        experiment. ``powerlaw``: :func:`powerlaw_graph` with the honest edge count and one
        community. ``random``: a uniform random graph with the honest edge count.
    n_sybils : int, optional
        Size of a ``powerlaw`` or ``random`` region (default: the honest node count). A copy
        always has the honest size.
    targeting : {"random", "degree", "seeds"}, default "random"
        How the attacker picks honest endpoints: uniformly, in proportion to degree (popular
        people), or among `seeds` (the trusted nodes themselves: a targeted attack).
    seeds : iterable of nodes, optional
        Honest nodes for ``targeting="seeds"``.
    attack_weight : float, default 1.0
        Weight of every attack edge.
    weight : str or None, default "weight"
        Edge attribute of a networkx `G` used as weight (see :func:`as_compact`).
    seed : int, optional
        Seed of the random generator.

    Returns
    -------
    graph : CompactGraph
        Honest nodes first (in their order), then the Sybils; ``node_attrs["sybil"]`` is
        ``True`` for Sybils. Honest edge attributes are kept; Sybil-region and attack edges
        get the attribute's neutral value (``count`` 1, ``declared_only`` False, times NaN),
        except that a copy copies them.
    sybil_nodes : list of str
        ``["sybil-0", "sybil-1", ...]``.
    attack_edges : list of (honest, sybil)
        The planted pairs. On a directed graph each is stored in both directions (the
        honest person trusts the Sybil back), so ``2 g`` stored entries are added.

    Raises
    ------
    ParameterError
        On an unknown `region` or `targeting`, missing `seeds`, or more attack edges than
        possible pairs.
    GraphError
        If an honest node is already labelled ``sybil-<i>``.

    Notes
    -----
    The attack model of SybilGuard, SybilLimit, SybilRank and SybilSCAR (ALGORITHMS.md
    §10.1): a fast-mixing honest region, a Sybil region of any shape, and ``g`` attack edges
    between them; detectors are scored by AUC against ``g``.

    References
    ----------
    .. [1] Q. Cao, M. Sirivianos, X. Yang, T. Pregueiro, "Aiding the detection of fake
       accounts in large scale social online services", NSDI 2012.
    .. [2] B. Wang, L. Zhang, N. Z. Gong, "SybilSCAR: Sybil detection in online social
       networks via local rule based propagation", INFOCOM 2017.

    Examples
    --------
    >>> import networkx as nx
    >>> honest = nx.karate_club_graph()
    >>> graph, sybils, attack = attach_sybil_region(honest, n_attack_edges=3, seed=1)
    >>> graph.n_nodes, len(sybils), len(attack)
    (68, 34, 3)
    >>> graph.n_edges == 2 * honest.number_of_edges() + 3
    True
    """
    if region not in _REGIONS:
        raise ParameterError(f"region must be one of {_REGIONS}, got {region!r}")
    if targeting not in _TARGETING:
        raise ParameterError(f"targeting must be one of {_TARGETING}, got {targeting!r}")
    if n_attack_edges < 0:
        raise ParameterError(f"n_attack_edges must be >= 0, got {n_attack_edges}")
    honest = as_compact(G, weight=weight)
    n = honest.n_nodes
    if n == 0:
        raise GraphError("the honest graph has no nodes")
    rng = np.random.default_rng(seed)

    h_rows, h_cols = honest.edge_arrays()
    h_rows, h_cols = h_rows.astype(np.int64), h_cols.astype(np.int64)
    h_attrs = dict(honest.edge_attrs)
    if region == "copy":
        s = n
        s_rows, s_cols, s_data = h_rows, h_cols, honest.weights
        s_attrs = h_attrs
    else:
        s = n if n_sybils is None else int(n_sybils)
        if s < 2:
            raise ParameterError(f"n_sybils must be at least 2, got {s}")
        if region == "powerlaw":
            sybil_graph = powerlaw_graph(
                s,
                honest.n_edges,
                n_communities=1,
                seed=int(rng.integers(2**63)),
                directed=honest.directed,
                weighted=False,
            )
        else:
            sybil_graph = _random_graph(rng, s, honest.n_edges, directed=honest.directed)
        s_rows, s_cols = sybil_graph.edge_arrays()
        s_rows, s_cols = s_rows.astype(np.int64), s_cols.astype(np.int64)
        s_data = sybil_graph.weights
        s_attrs = {name: _neutral(name, values, s_rows.size) for name, values in h_attrs.items()}

    sybil_labels = [f"sybil-{i}" for i in range(s)]
    clash = next((label for label in sybil_labels if label in honest.index), None)
    if clash is not None:
        raise GraphError(f"honest node {clash!r} already uses a Sybil label")

    if targeting == "seeds":
        if seeds is None:
            raise ParameterError('targeting="seeds" needs seeds')
        seed_list = list(dict.fromkeys(seeds))
        if not seed_list:
            raise ParameterError('targeting="seeds" needs at least one seed')
        unknown = [x for x in seed_list if x not in honest]
        if unknown:
            raise ParameterError(f"seed {unknown[0]!r} is not an honest node")
        candidates = np.array([honest.index[x] for x in seed_list], dtype=np.int64)
        probs = None
    elif targeting == "degree":
        degree = (honest.out_degree() + honest.in_degree()).astype(np.float64)
        if degree.sum() == 0:
            raise GraphError("targeting='degree' needs an honest graph with edges")
        # Isolated nodes cannot be drawn; leaving them out keeps the pair count below honest.
        candidates = np.flatnonzero(degree)
        probs = degree[candidates] / degree.sum()
    else:
        candidates, probs = np.arange(n), None
    if n_attack_edges > candidates.size * s:
        raise ParameterError(
            f"n_attack_edges ({n_attack_edges}) exceeds the {candidates.size * s} possible pairs"
        )
    keys = np.empty(0, dtype=np.int64)
    while keys.size < n_attack_edges:
        batch = 2 * (n_attack_edges - keys.size) + 8
        h = candidates[rng.choice(candidates.size, size=batch, p=probs)]
        y = rng.integers(0, s, size=batch)
        merged = np.concatenate([keys, h * s + y])
        _, first = np.unique(merged, return_index=True)
        keys = merged[np.sort(first)][:n_attack_edges]
    a_honest, a_sybil = keys // s, keys % s

    total = n + s
    a_rows = np.concatenate([a_honest, a_sybil + n])
    a_cols = np.concatenate([a_sybil + n, a_honest])
    rows = np.concatenate([h_rows, s_rows + n, a_rows])
    cols = np.concatenate([h_cols, s_cols + n, a_cols])
    data = np.concatenate(
        [honest.weights, s_data, np.full(a_rows.size, float(attack_weight))]
    ).astype(np.float64)
    matrix, order = _csr(rows, cols, data, total)
    attrs = {
        name: np.concatenate([values, s_attrs[name], _neutral(name, values, a_rows.size)])[order]
        for name, values in h_attrs.items()
    }
    columns = {name: [*values, *([None] * s)] for name, values in honest.node_attrs.items()}
    columns["sybil"] = [False] * n + [True] * s
    graph = CompactGraph(
        (*honest.nodes, *sybil_labels),
        matrix,
        directed=honest.directed,
        edge_attrs=attrs,
        node_attrs=columns,
        graph_attrs={**honest.graph_attrs, "sybil_region": region, "attack_edges": n_attack_edges},
    )
    honest_nodes = honest.nodes
    attack = [
        (honest_nodes[h], sybil_labels[y]) for h, y in zip(a_honest.tolist(), a_sybil.tolist())
    ]
    return graph, sybil_labels, attack


def _neutral(name: str, like: np.ndarray, size: int) -> np.ndarray:
    """An attribute column of `size` neutral values with the dtype of `like`."""
    value = _attr_default(name)
    if like.dtype.kind in "iub" and isinstance(value, float) and math.isnan(value):
        value = 0
    return np.full(size, value, dtype=like.dtype)


def _random_graph(rng: np.random.Generator, n: int, m: int, *, directed: bool) -> CompactGraph:
    """Uniform random graph with exactly `m` distinct edges (G(n, m)), unit weights."""
    community = np.zeros(n, dtype=np.int64)
    keys = _sample_edges(rng, np.ones(n), community, 1, m, 0.0, directed=directed)
    matrix = _csr_from_keys(keys, np.ones(keys.size), n, directed=directed)
    return CompactGraph(range(n), matrix, directed=directed)


# ---------------------------------------------------------------------------- exports
# The export writers live in their own module (this one is long enough); they are
# re-exported here so that every sample generator is found in trustgraph.datasets.
from trustgraph.sample_exports import (  # noqa: E402
    EXPORT_OWNER_NAME,
    EXPORT_OWNER_PHONE,
    SampleExportPlan,
    export_paths,
    plan_sample_exports,
    write_sample_exports,
)
