"""The sample network's building blocks: fictional names, the time line, message threads.

Private to :mod:`trustgraph.datasets.sample`; every draw comes from the generator passed in,
so the order of calls fixes the bytes of the bundled sample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

import numpy as np

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
