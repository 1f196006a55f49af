"""A held-out synthetic person: one user's downloads, with the planted truth of every person.

The bundled sample (:mod:`trustgraph.datasets`, :mod:`trustgraph.sample_exports`) is what the
classes were developed on. :func:`write_synthetic_person` writes a *different* person the way
a real user's downloads look, to measure the report against a truth it was not tuned on
(issue 14): other names, other sizes, other proportions, one folder holding every export::

    linkedin/Connections.csv     ~2,300 declared connections ("Notes:" preamble)
    linkedin/messages.csv        LinkedIn conversations, recruiter and seller InMails
    mail/All mail Including Spam and Trash.mbox
                                 Gmail Takeout: person-to-person mail, cold sales mail and
                                 newsletters with List-Id / List-Unsubscribe / Precedence
    whatsapp/*.txt               one chat per export: 1:1 chats and four groups, the owner
                                 writing under her display name (one phone: one layout)
    contacts.vcf                 the owner's phone book (name, phone, sometimes e-mail)

Planted roles, one per person (:data:`ROLES`), with the behaviour the name promises:

``core`` (about 12)
    Two-way one-to-one WhatsApp chats weekly or more (52 to 85 exchanges a year), recent.
    One of them is the *three-source person*: LinkedIn messages under a profile URL, mail
    under an address and WhatsApp under the phone-book name (equal to the full name), with
    no e-mail or phone linking the three. Two are *linked through the phone book*: their
    card lists name, phone and e-mail, so WhatsApp and mail can be joined.
``circle`` (about 100)
    Two-way exchanges monthly-ish to a few times a year over WhatsApp (3 to 10 a year),
    mail (2 to 5) or LinkedIn (1.5 to 4), the last one recent (within a usual gap and at
    most four months). One is linked through the phone book like the two core above.
``stale`` (about 10)
    Were close (two-way, 12 to 60 exchanges a year) but silent for 2+ years before
    :attr:`SyntheticPerson.as_of`.
``acquaintance`` (about 30)
    A single exchange (one message and its reply) or one message from the owner.
``broadcaster`` (15)
    Five recruiters and sellers sending 100-120 unanswered LinkedIn messages, three cold
    e-mailers sending 100-120 unanswered mails, four newsletters (bulk headers) and three
    senders of only 3-10 unanswered messages.
``group_only`` (about 25)
    Seen only in WhatsApp groups the owner is in, never in a one-to-one conversation.
``stranger`` (about 2,150)
    LinkedIn connections with no conversation.

The truth maps every identifier a reader can produce for a person (e-mail address, E.164
phone, the phone as WhatsApp shows it, profile URL and ``linkedin:`` id, every display name
as written, the ``wa-name:`` id of a WhatsApp author) to ``(person_id, role)``; the
generator refuses to write a folder where one identifier would mean two people.

Identities are fictional: names drawn from lists disjoint from the bundled sample's,
addresses at ``example.com/org/net``, phone numbers ``+1 555 01x 01xx`` (area code 555 is
not in service). Message text is generic filler. The same seed gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime, formataddr
from functools import cached_property
from pathlib import Path

import numpy as np

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest.atomic import write_texts
from trustgraph.ingest.identity import linkedin_id, name_id, normalize_identifier
from trustgraph.sample_exports import (
    _CHAT_PHRASES,
    _CONNECTION_HEADER,
    _CONNECTIONS_NOTE,
    _ENCRYPTION_NOTICE,
    _MAIL_SUBJECTS,
    _MESSAGE_HEADER,
    _RECRUITER_PHRASES,
    _connected_on,
    _conversation_key,
    _envelope_time,
    _gmail_number,
    _linkedin_date,
    _message_id,
    _pick,
    _profile_url,
    _wa_body,
)

__all__ = [
    "AS_OF",
    "OWNER_ID",
    "ROLES",
    "PlantedMessage",
    "PlantedPerson",
    "SyntheticPerson",
    "write_synthetic_person",
]

#: Every planted role (the owner first).
ROLES = (
    "owner",
    "core",
    "circle",
    "stale",
    "acquaintance",
    "broadcaster",
    "group_only",
    "stranger",
)
#: The person id of the owner in the truth.
OWNER_ID = "owner"
#: The date the folder describes: the newest message falls on it.
AS_OF = date(2025, 9, 30)

_OWNER_NAME = "Maren Example"
_OWNER_EMAIL = "maren.example@example.org"
_OWNER_PHONE = "+15550170100"
_OWNER_URL = "https://www.linkedin.com/in/maren-example-5c2e"

_UTC = timezone.utc
_START = datetime(2022, 1, 1, tzinfo=_UTC)  # oldest chat history in the exports
_END = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 21, 30, tzinfo=_UTC)  # newest message
_LATEST_START = _END - timedelta(days=3)  # sessions start before this (they fit in 3 days)
_YEAR = timedelta(days=365.25)
_CONNECTED_FROM = date(2012, 1, 1)
_DOMAINS = ("example.com", "example.org", "example.net")
_MAILBOX = "All mail Including Spam and Trash.mbox"

# fmt: off
# Disjoint from the bundled sample's name lists: the held-out person shares no name with it.
_FIRST_NAMES = (
    "Abel", "Adele", "Agnes", "Aiden", "Akira", "Alma", "Ambrose", "Anika", "Anouk", "Arlo",
    "Asha", "Aurélie", "Aurora", "Basil", "Bastian", "Beatrix", "Björn", "Bram", "Brigid",
    "Calla", "Cassia", "Cedric", "Celeste", "Cosmo", "Dagny", "Dalia", "Damian", "Dario",
    "Delphine", "Dorian", "Eamon", "Edda", "Edith", "Elin", "Elio", "Elodie", "Enzo",
    "Estelle", "Ezra", "Fabian", "Fenna", "Fiona", "Florian", "Gemma", "Gideon", "Greer",
    "Gwen", "Hamish", "Hedda", "Henrik", "Ilse", "Imogen", "Iona", "Isla", "Jasper", "Joelle",
    "Juno", "Jürgen", "Kasimir", "Keira", "Kira", "Lars", "Lennart", "Leona", "Liesel",
    "Lorcan", "Lotte", "Magnus", "Malin", "Marcel", "Mirela", "Moritz", "Nell", "Niamh",
    "Odile", "Orla", "Oskar", "Pavel", "Petra", "Phoebe", "Pia", "Quentin", "Rhea", "Roisin",
    "Rufus", "Runa", "Saskia", "Silas", "Solveig", "Stellan", "Talia", "Tobias", "Ulla",
    "Valentin", "Vesna", "Wilma", "Xavier", "Ylva", "Yves", "Zelda", "Zeno", "Zoë",
)
_LAST_NAMES = (
    "Aalto", "Abernathy", "Albrecht", "Amato", "Arnesen", "Aydin", "Bakshi", "Bergstrom",
    "Blackwood", "Bogdan", "Brandt", "Calloway", "Carvalho", "Castellano", "Cernik", "Dalton",
    "Dekker", "Delacroix", "Donnelly", "Drummond", "Eklund", "Engel", "Esposito", "Everett",
    "Falk", "Ferreira", "Fitzgerald", "Gallo", "Galloway", "Goldberg", "Grimaldi",
    "Halvorsen", "Hartmann", "Holm", "Horvath", "Ingram", "Iversen", "Jakobsen", "Janssen",
    "Jovanovic", "Kaur", "Kessler", "Kristensen", "Kuznetsova", "Lachance", "Lindgren",
    "Lombardi", "Lund", "Maalouf", "MacLeod", "Magnusson", "Mancini", "Marsh", "Mendes",
    "Molnar", "Nakashima", "Nieminen", "Nordin", "O'Brien", "Oyelaran", "Pacheco",
    "Pellegrini", "Pham", "Quintana", "Rahman", "Richter", "Rinaldi", "Rosenberg", "Salo",
    "Santoro", "Schreiber", "Sepulveda", "Sharma", "Sokolova", "Strand", "Svensson",
    "Takahashi", "Thorsen", "Toivonen", "Trujillo", "Ueda", "Ulrich", "Valdez", "Vance",
    "Varga", "Vogel", "Waller", "Westergaard", "Whitfield", "Winther", "Wojcik", "Xu",
    "Yamada", "Yoon", "Zamora", "Zeller", "Zielinski",
)
_COMPANIES = (
    "Alderbank Partners", "Birchway Mobility", "Cloudberry Health", "Coralline Foods",
    "Dunmore Engineering", "Eastgate Finance", "Elmstead Schools", "Fieldfare Software",
    "Glasswing Media", "Hollybrook Clinic", "Inkwell Publishing", "Juniperhill Energy",
    "Kingfisher Freight", "Larchmont Legal", "Moorland Research", "Nettlefield Retail",
    "Oxbow Analytics", "Pebblebrook Design", "Quayside Logistics", "Rowan Street Studio",
    "Sandpiper Telecom", "Thornbury Insurance", "Upland Robotics", "Valemont University",
    "Wrenfield Consulting", "Yarrow Biotech",
)
_POSITIONS = (
    "Account Executive", "Backend Engineer", "Business Analyst", "Clinical Researcher",
    "Controller", "Customer Success Manager", "Data Engineer", "Engineering Lead",
    "Financial Analyst", "Frontend Developer", "Graphic Designer", "Head of Data",
    "Legal Counsel", "Operations Manager", "Physiotherapist", "Product Designer",
    "Program Manager", "QA Engineer", "Recruiting Coordinator", "Research Engineer",
    "Site Reliability Engineer", "Social Worker", "Staff Engineer", "Supply Chain Planner",
    "Technical Writer", "VP Engineering",
)
# fmt: on
_RECRUITER_POSITIONS = ("Senior Talent Acquisition Partner", "Technical Recruiter")
_SELLER_POSITIONS = ("Account Director", "Business Development Representative")
_SELLER_PHRASES = (
    "We help teams like yours cut cloud costs by a third.",
    "Would a short demo next week be useful?",
    "Just bumping this to the top of your inbox.",
    "Happy to share a case study from your industry.",
)
_COLD_SUBJECTS = ("Quick question", "Following up", "Partnership idea", "15 minutes this week?")
_CREDENTIALS = (", PMP", ", MBA", ", PhD", ", CFA")
# (display name, address, bulk headers, Gmail labels): each newsletter its mix of signals.
_NEWSLETTERS = (
    (
        "Morning Briefing",
        "briefing@example.com",
        ("List-Id: <briefing.example.com>", "List-Unsubscribe: <mailto:leave@example.com>"),
        "Inbox,Category Updates",
    ),
    (
        "Deal Finder",
        "deals@example.net",
        ("List-Unsubscribe: <https://example.net/unsubscribe>",),
        "Inbox,Category Promotions",
    ),
    (
        "Field Notes Letter",
        "letters@example.org",
        ("List-Id: <letters.example.org>", "Precedence: bulk"),
        "Inbox,Category Updates",
    ),
    (
        "Community Updates",
        "updates@example.com",
        ("Precedence: bulk",),
        "Inbox,Category Forums",
    ),
)
_NEWSLETTER_SUBJECTS = ("This week in brief", "Five things to read", "Offers ending soon")
_GROUPS = ("Family", "Climbing club", "Book club", "Maple Street neighbours")


@dataclass(frozen=True)
class PlantedPerson:
    """One planted person and everything the files say about them.

    Attributes
    ----------
    id : str
        ``p0001``...; the owner is :data:`OWNER_ID`.
    role : str
        One of :data:`ROLES`.
    kind : str
        Where or how the role shows: ``whatsapp``, ``mail``, ``linkedin``,
        ``three-sources``, ``phonebook-linked`` (core, circle, stale, acquaintance);
        ``heavy-linkedin``, ``heavy-mail``, ``bulk``, ``light`` (broadcasters); the group
        title (group-only members); ``connection`` or ``hidden`` (strangers).
    name : str
        Full name (a newsletter's sender name).
    email, phone, profile_url : str or None
        Address, E.164 number and LinkedIn profile URL, when they exist.
    connection : bool
        A row of ``Connections.csv``; `connection_email` when that row shows the address,
        `connection_name` is the name as written there (credentials included).
    phonebook : bool
        A card of ``contacts.vcf``; `phonebook_email` when the card lists the address.
    whatsapp_name : str or None
        How WhatsApp shows them: the phone-book name, or the number when not saved.
    """

    id: str
    role: str
    kind: str
    name: str
    email: str | None = None
    phone: str | None = None
    profile_url: str | None = None
    connection: bool = False
    connection_email: bool = False
    connection_name: str | None = None
    connected_on: date | None = None
    company: str = ""
    position: str = ""
    phonebook: bool = False
    phonebook_email: bool = False
    whatsapp_name: str | None = None


@dataclass(frozen=True)
class PlantedMessage:
    """One message as the generator planted it (before any file format).

    ``source`` is ``linkedin``, ``mail`` or ``whatsapp``; ``conversation`` the generator's
    conversation key; ``sender`` and ``recipients`` person ids (:data:`OWNER_ID` for the
    owner); ``bulk`` marks newsletter mail.
    """

    timestamp: datetime
    source: str
    conversation: str
    sender: str
    recipients: tuple[str, ...]
    bulk: bool = False


@dataclass(frozen=True)
class _Conversation:
    source: str
    kind: str  # "dm" or "group"
    members: tuple[str, ...]  # every participant, the owner included
    title: str = ""
    creator: str = ""
    created: datetime | None = None


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True)
class SyntheticPerson:
    """What :func:`write_synthetic_person` wrote, and the truth to measure against.

    Attributes
    ----------
    folder : Path
    seed : int
    owner_email, owner_phone, owner_name, owner_url : str
        The owner's identifiers (:attr:`me` lists them for ``--me``).
    as_of : date
        The newest message's date: what the report's "as of" should say.
    truth : dict
        ``{identifier: (person_id, role)}`` for every identifier a reader can produce.
    people : dict
        ``{person_id: PlantedPerson}``, the owner excepted.
    messages : tuple of PlantedMessage
        Every planted message, oldest first.
    files : dict
        ``{key: Path}``: ``connections``, ``messages``, ``mbox``, ``vcard`` and one
        ``whatsapp:<file name>`` per chat.
    chat_files : dict
        ``{conversation: Path}`` of the WhatsApp chats (:attr:`PlantedMessage.conversation`).
    """

    folder: Path
    seed: int
    owner_email: str
    owner_phone: str
    owner_name: str
    owner_url: str
    as_of: date
    truth: dict[str, tuple[str, str]]
    people: dict[str, PlantedPerson] = field(repr=False)
    messages: tuple[PlantedMessage, ...] = field(repr=False)
    files: dict[str, Path] = field(repr=False)
    chat_files: dict[str, Path] = field(repr=False, default_factory=dict)

    @property
    def me(self) -> tuple[str, ...]:
        """The owner's identifiers: e-mail, phone, display name, profile URL."""
        return (self.owner_email, self.owner_phone, self.owner_name, self.owner_url)

    def role_of(self, person_id: str) -> str:
        """The planted role of a person id (``owner`` for :data:`OWNER_ID`)."""
        if person_id == OWNER_ID:
            return "owner"
        if person_id not in self.people:
            raise ParameterError(f"unknown person id {person_id!r}")
        return self.people[person_id].role

    def by_role(self, role: str) -> list[str]:
        """Person ids with a planted role, sorted."""
        if role not in ROLES:
            raise ParameterError(f"role must be one of {ROLES}, got {role!r}")
        if role == "owner":
            return [OWNER_ID]
        return sorted(p for p, person in self.people.items() if person.role == role)

    def trusted_people(self) -> frozenset[str]:
        """Core and circle person ids: whom the owner really trusts now."""
        return frozenset(p for p, x in self.people.items() if x.role in ("core", "circle"))

    def role_counts(self) -> dict[str, int]:
        """People per planted role, in :data:`ROLES` order (the owner excluded)."""
        return {r: len(self.by_role(r)) for r in ROLES[1:]}

    @cached_property
    def _folded(self) -> dict[str, str]:
        return {_fold(k): pid for k, (pid, _) in self.truth.items()}

    def person_of(self, identifier: object) -> str | None:
        """The person id behind a reader's node id, or None when it names nobody planted.

        Tries the identifier as written, then case- and space-folded, then normalised as
        an ``--me`` value would be (address, phone, profile URL), then a scoped name id
        (``wa-name:...``, ``li-name:...``) by its name, then a platform phone id
        (``wa:+1555...``).
        """
        text = str(identifier).strip()
        if text in self.truth:
            return self.truth[text][0]
        folded = self._folded.get(_fold(text))
        if folded is not None:
            return folded
        normal = normalize_identifier(text)
        if normal is not None and normal in self.truth:
            return self.truth[normal][0]
        prefix, sep, rest = text.partition(":")
        if sep and prefix.endswith("-name"):
            return self._folded.get(_fold(rest))
        if sep and rest.startswith("+"):
            return self.person_of(rest)
        return None


# ------------------------------------------------------------------------------ planning


class _Plan:
    """Draws people and messages from one numpy generator, in a fixed order."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = np.random.default_rng([seed, 14])
        self.layout = "android" if seed % 2 == 0 else "ios"
        self.people: dict[str, dict] = {}
        self.messages: list[PlantedMessage] = []
        self.conversations: dict[str, _Conversation] = {}
        n_first, n_last = len(_FIRST_NAMES), len(_LAST_NAMES)
        self._names = iter(self.rng.permutation(n_first * n_last).tolist())
        phones = [
            f"+1555{band:03d}{line:04d}" for band in range(10, 20) for line in range(100, 200)
        ]
        phones.remove(_OWNER_PHONE)
        self._phones = iter(self.rng.permutation(phones).tolist())
        self._emails = {_OWNER_EMAIL}

    # -- identities

    def _name(self) -> str:
        while True:
            index = next(self._names)
            first = _FIRST_NAMES[index // len(_LAST_NAMES)]
            last = _LAST_NAMES[index % len(_LAST_NAMES)]
            name = f"{first} {last}"
            if name != _OWNER_NAME:
                return name

    def _email(self, name: str) -> str:
        first, last = (_ascii(part) for part in name.split(" ", 1))
        domain = _DOMAINS[int(self.rng.integers(len(_DOMAINS)))]
        style = int(self.rng.integers(4))
        local = (f"{first}.{last}", f"{first[0]}{last}", f"{first}{last[0]}", f"{first}_{last}")
        for candidate in (local[style], *local):
            address = f"{candidate}@{domain}"
            if address not in self._emails:
                self._emails.add(address)
                return address
        raise AssertionError(f"no free address for {name}")  # pragma: no cover

    def person(self, role: str, kind: str, **extra) -> str:
        pid = f"p{len(self.people) + 1:04d}"
        name = extra.pop("name", None) or self._name()
        record = {"id": pid, "role": role, "kind": kind, "name": name, **extra}
        self.people[pid] = record
        return pid

    def give(self, pid: str, *, email=False, phone=False, url=False) -> None:
        record = self.people[pid]
        if email and not record.get("email"):
            record["email"] = self._email(record["name"])
        if phone and not record.get("phone"):
            record["phone"] = next(self._phones)
        if url and not record.get("profile_url"):
            record["profile_url"] = _profile_url(f"{pid}@{self.seed}", record["name"])

    def connect(self, pid: str, *, show_email: float = 0.0, before: datetime | None = None):
        """Make `pid` a LinkedIn connection, connected before `before` (or any time)."""
        self.give(pid, url=True)
        record = self.people[pid]
        last = (before or _END).date() - timedelta(days=1)
        span = max((last - _CONNECTED_FROM).days, 1)
        record["connection"] = True
        record["connected_on"] = _CONNECTED_FROM + timedelta(days=int(self.rng.integers(span)))
        company = _COMPANIES[int(self.rng.integers(len(_COMPANIES)))]
        record.setdefault("company", company)
        record.setdefault("position", _POSITIONS[int(self.rng.integers(len(_POSITIONS)))])
        if record.get("email") and self.rng.random() < show_email:
            record["connection_email"] = True

    def save(self, pid: str, *, with_email: bool = False) -> None:
        """Put `pid` in the owner's phone book (WhatsApp then shows the saved name)."""
        self.give(pid, phone=True, email=with_email)
        record = self.people[pid]
        record["phonebook"] = True
        record["phonebook_email"] = with_email
        record["whatsapp_name"] = record["name"]

    # -- time

    def moment(self, lo: datetime, hi: datetime) -> datetime:
        """A daytime minute (07:00-22:59 UTC) on a day drawn uniformly in [lo, hi)."""
        days = max((hi - lo).days, 1)
        day = lo + timedelta(days=int(self.rng.integers(days)))
        when = day.replace(
            hour=int(self.rng.integers(7, 23)),
            minute=int(self.rng.integers(60)),
            second=int(self.rng.integers(60)),
        )
        return min(max(when, lo), hi)

    def sessions(
        self, rate: float, first: datetime, last: datetime, *, recent_days: float | None = None
    ) -> list[datetime]:
        """Start times of a Poisson number of sessions at `rate` a year in [first, last)."""
        years = max((last - first) / _YEAR, 1 / 365)
        n = max(1, int(self.rng.poisson(rate * years)))
        times = sorted(self.moment(first, last) for _ in range(n))
        if recent_days is not None and (last - times[-1]).days > recent_days:
            times.append(self.moment(last - timedelta(days=recent_days), last))
        return times

    # -- messages

    def add(self, when, source, cid, sender, recipients, *, bulk=False) -> None:
        if when > _END:
            raise AssertionError(f"message after the as-of moment: {when}")  # pragma: no cover
        self.messages.append(PlantedMessage(when, source, cid, sender, tuple(recipients), bulk))

    def dm(self, pid: str, source: str) -> str:
        cid = f"{source}-{pid}"
        if cid not in self.conversations:
            self.conversations[cid] = _Conversation(source, "dm", (OWNER_ID, pid))
        return cid

    def dialogue(
        self,
        pid: str,
        source: str,
        starts: Iterable[datetime],
        *,
        owner_starts: float = 0.5,
        sizes: Sequence[int] = (2, 2, 3),
        gap_minutes: tuple[int, int] = (1, 90),
    ) -> None:
        """Two-way sessions: each alternates between the owner and `pid`."""
        cid = self.dm(pid, source)
        for start in starts:
            sender = OWNER_ID if self.rng.random() < owner_starts else pid
            when = start
            for _ in range(int(self.rng.choice(sizes))):
                other = pid if sender == OWNER_ID else OWNER_ID
                self.add(when, source, cid, sender, (other,))
                when += timedelta(minutes=int(self.rng.integers(*gap_minutes)))
                when = min(when, _END)
                sender = other

    def one_way(self, pid: str, source: str, times: Iterable[datetime], *, bulk=False) -> None:
        cid = self.dm(pid, source)
        for when in times:
            self.add(when, source, cid, pid, (OWNER_ID,), bulk=bulk)

    def cadence(self, n: int, last: datetime, every: tuple[int, int]) -> list[datetime]:
        """Machine-like sending: `n` messages every few days at about the same hour,
        the last one on the day of `last`."""
        gaps = self.rng.integers(*every, size=n - 1)
        hour = int(self.rng.integers(8, 11))
        end = last.replace(hour=hour, minute=0, second=0) - timedelta(days=1)
        days = np.concatenate([[0], np.cumsum(gaps[::-1])])[::-1]
        times = []
        for back in days.tolist():
            jitter = timedelta(
                minutes=int(self.rng.integers(6)), seconds=int(self.rng.integers(60))
            )
            times.append(max(end - timedelta(days=back), _START) + jitter)
        return times


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()


def _plan(seed: int) -> _Plan:
    plan = _Plan(seed)
    rng = plan.rng
    recent = _LATEST_START

    def count(mid: int, spread: int) -> int:
        return mid + int(rng.integers(-spread, spread + 1))

    def uniform(lo: float, hi: float) -> float:
        return float(rng.uniform(lo, hi))

    def chat_start(max_days: int) -> datetime:
        return _START + timedelta(days=int(rng.integers(max_days)))

    def since(lo: int, hi: int) -> datetime:
        return _END - timedelta(days=int(rng.integers(lo, hi)))

    # -- core: WhatsApp weekly or more, two-way, recent
    n_core = count(12, 1)
    core = []
    for index in range(n_core):
        kind = "three-sources" if index == 0 else "phonebook-linked" if index <= 2 else "whatsapp"
        pid = plan.person("core", kind)
        core.append(pid)
        plan.save(pid, with_email=kind == "phonebook-linked")
        first = chat_start(730)
        times = plan.sessions(uniform(52, 85), first, recent, recent_days=7)
        plan.dialogue(pid, "whatsapp", times)
        if kind != "whatsapp":
            plan.give(pid, email=True)
            mail = plan.sessions(uniform(4, 10), first, recent, recent_days=60)
            plan.dialogue(pid, "mail", mail, sizes=(2, 3), gap_minutes=(30, 1200))
        if kind == "three-sources":
            plan.connect(pid, before=first)  # the row shows no address
            linked = plan.sessions(uniform(4, 8), first, recent, recent_days=75)
            plan.dialogue(pid, "linkedin", linked, sizes=(2, 3), gap_minutes=(10, 600))
        elif rng.random() < 0.4:
            plan.connect(pid, before=first)
    # The newest message of the folder: a core exchange on the as-of evening.
    newest = plan.dm(core[1], "whatsapp")
    plan.add(_END - timedelta(minutes=7), "whatsapp", newest, OWNER_ID, (core[1],))
    plan.add(_END, "whatsapp", newest, core[1], (OWNER_ID,))

    # -- circle: monthly-ish to a few times a year, two-way, recent
    n_circle = count(100, 5)
    circle = []
    kinds = ["phonebook-linked"] + [
        ("whatsapp", "mail", "linkedin")[int(rng.choice(3, p=(0.4, 0.35, 0.25)))]
        for _ in range(n_circle - 1)
    ]
    for kind in kinds:
        pid = plan.person("circle", kind)
        circle.append(pid)
        first = chat_start(900)
        if kind in ("whatsapp", "phonebook-linked"):
            plan.save(pid, with_email=kind == "phonebook-linked")
            rate = uniform(3, 10)
            times = plan.sessions(rate, first, recent, recent_days=min(120, 365 / rate))
            plan.dialogue(pid, "whatsapp", times, owner_starts=0.45)
            if rng.random() < 0.2:
                plan.connect(pid, before=first)
        if kind in ("mail", "phonebook-linked"):
            plan.give(pid, email=True)
            rate = uniform(2, 5)
            times = plan.sessions(rate, first, recent, recent_days=min(120, 365 / rate))
            plan.dialogue(
                pid, "mail", times, owner_starts=0.45, sizes=(2, 2, 2, 3), gap_minutes=(30, 1200)
            )
            if kind == "mail":
                if rng.random() < 0.35:
                    plan.connect(pid, show_email=0.3, before=first)
                if rng.random() < 0.15:
                    plan.save(pid)  # a card with name and phone only: nothing to join
        if kind == "linkedin":
            plan.connect(pid, before=first)
            rate = uniform(1.5, 4)
            times = plan.sessions(rate, first, recent, recent_days=min(120, 365 / rate))
            plan.dialogue(
                pid, "linkedin", times, owner_starts=0.45, sizes=(2, 2, 3), gap_minutes=(10, 900)
            )
    # One e-mail group thread among four mail friends (group mail: no one-to-one evidence).
    friends = [p for p in circle if plan.people[p]["kind"] == "mail"][:4]
    if len(friends) == 4:
        cid = "mail-group-reunion"
        members = (OWNER_ID, *friends)
        plan.conversations[cid] = _Conversation("mail", "group", members, title="Reunion planning")
        for start in plan.sessions(4, _END - timedelta(days=300), recent):
            when = start
            for _ in range(int(rng.integers(3, 6))):
                sender = members[int(rng.integers(len(members)))]
                plan.add(when, "mail", cid, sender, [m for m in members if m != sender])
                when += timedelta(minutes=int(rng.integers(20, 600)))

    # -- stale: were close, nothing for 2+ years
    n_stale = count(10, 1)
    for index in range(n_stale):
        kind = "whatsapp" if index < round(0.6 * n_stale) else "mail"
        pid = plan.person("stale", kind)
        first = chat_start(180)
        last = datetime.combine(AS_OF, datetime.min.time(), _UTC) - timedelta(
            days=731 + int(rng.integers(10, 300))
        )
        if kind == "whatsapp":
            plan.save(pid)
            plan.dialogue(pid, "whatsapp", plan.sessions(uniform(30, 60), first, last))
        else:
            plan.give(pid, email=True)
            times = plan.sessions(uniform(12, 24), first, last)
            plan.dialogue(pid, "mail", times, sizes=(2, 3), gap_minutes=(30, 1200))
        if rng.random() < 0.3:
            plan.connect(pid, before=first)

    # -- acquaintances: one message and its reply, or one message from the owner
    n_acq = count(30, 3)
    for index in range(n_acq):
        kind = ("linkedin", "mail", "whatsapp")[int(rng.choice(3, p=(0.6, 0.27, 0.13)))]
        pid = plan.person("acquaintance", kind)
        when = plan.moment(_START, recent)
        replied = index % 2 == 0
        if kind == "linkedin":
            plan.connect(pid, before=when)
        elif kind == "mail":
            plan.give(pid, email=True)
            if rng.random() < 0.3:
                plan.connect(pid, before=when)
        else:
            plan.save(pid)
        cid = plan.dm(pid, kind)
        sender = OWNER_ID if (not replied or rng.random() < 0.5) else pid
        other = pid if sender == OWNER_ID else OWNER_ID
        plan.add(when, kind, cid, sender, (other,))
        if replied:
            plan.add(
                when + timedelta(minutes=int(rng.integers(5, 900))), kind, cid, other, (sender,)
            )

    # -- broadcasters
    for index in range(5):  # recruiters and sellers on LinkedIn, 100-120 unanswered
        recruiter = index % 2 == 0
        positions = _RECRUITER_POSITIONS if recruiter else _SELLER_POSITIONS
        pid = plan.person("broadcaster", "heavy-linkedin", position=positions[index % 2])
        times = plan.cadence(int(rng.integers(100, 121)), since(3, 150), (4, 8))
        if index < 3:
            plan.connect(pid, before=times[0])
        else:
            plan.give(pid, url=True)  # InMail: not a connection
        plan.one_way(pid, "linkedin", times)
    for _ in range(3):  # cold e-mail sequences, 100-120 unanswered
        pid = plan.person("broadcaster", "heavy-mail")
        plan.give(pid, email=True)
        times = plan.cadence(int(rng.integers(100, 121)), since(3, 120), (3, 7))
        plan.one_way(pid, "mail", times)
    for name, address, _, _ in _NEWSLETTERS:  # newsletters: bulk headers
        pid = plan.person("broadcaster", "bulk", name=name, email=address)
        plan._emails.add(address)
        times = plan.cadence(int(rng.integers(40, 76)), since(0, 7), (7, 8))
        plan.one_way(pid, "mail", times, bulk=True)
    for index in range(3):  # a handful of unanswered messages
        source = "linkedin" if index < 2 else "mail"
        pid = plan.person("broadcaster", "light")
        times = plan.cadence(int(rng.integers(3, 11)), since(20, 900), (2, 12))
        if source == "mail":
            plan.give(pid, email=True)
        elif index == 0:
            plan.connect(pid, before=times[0])
        else:
            plan.give(pid, url=True)
        plan.one_way(pid, source, times)

    # -- WhatsApp groups: owner, some core and circle, and the group-only members
    n_group_only = count(25, 2)
    shares = (6, 8, 6, 5)
    sizes = [round(n_group_only * s / sum(shares)) for s in shares]
    sizes[-1] = n_group_only - sum(sizes[:-1])
    wa_circle = [p for p in circle if plan.people[p]["kind"] == "whatsapp"]
    insiders = (core[3:5], wa_circle[0:3], [core[5], *wa_circle[3:5]], wa_circle[5:6])
    for number, (title, size, known) in enumerate(zip(_GROUPS, sizes, insiders)):
        only = []
        for _ in range(size):
            pid = plan.person("group_only", title)
            only.append(pid)
            if title == "Family" or rng.random() < 0.4:
                plan.save(pid)
            else:
                plan.give(pid, phone=True)
                phone = plan.people[pid]["phone"]
                plan.people[pid]["whatsapp_name"] = f"+1 555 {phone[5:8]} {phone[8:]}"
            if rng.random() < 0.08:
                plan.connect(pid)
        members = (OWNER_ID, *known, *only)
        created = plan.moment(_START, _START + timedelta(days=365))
        creator = OWNER_ID if number % 2 else (known[0] if known else only[0])
        cid = f"whatsapp-group-{number}"
        plan.conversations[cid] = _Conversation(
            "whatsapp", "group", members, title=title, creator=creator, created=created
        )
        activity = rng.lognormal(0.0, 0.6, size=len(members))
        activity[0] *= 0.5  # the owner reads more than she writes in groups
        p = activity / activity.sum()
        written = set()
        for start in plan.sessions(uniform(20, 35), created + timedelta(days=1), recent):
            when = start
            for _ in range(int(rng.integers(2, 6))):
                sender = members[int(rng.choice(len(members), p=p))]
                written.add(sender)
                plan.add(when, "whatsapp", cid, sender, [m for m in members if m != sender])
                when += timedelta(minutes=int(rng.integers(1, 40)))
        for sender in members:  # everyone speaks at least once, so everyone is visible
            if sender not in written:
                when = plan.moment(created + timedelta(days=1), recent)
                plan.add(when, "whatsapp", cid, sender, [m for m in members if m != sender])

    # -- strangers: connections with no conversation
    n_strangers = count(2150, 60)
    for index in range(n_strangers):
        hidden = index % 700 == 350  # members who hide their name: a row with a URL only
        pid = plan.person("stranger", "hidden" if hidden else "connection")
        if rng.random() < 0.03:
            plan.give(pid, email=True)
        plan.connect(pid, show_email=1.0)
        if hidden:
            plan.people[pid]["connection_name"] = ""
        elif rng.random() < 0.01:
            credential = _CREDENTIALS[int(rng.integers(len(_CREDENTIALS)))]
            plan.people[pid]["connection_name"] = plan.people[pid]["name"] + credential

    plan.messages.sort(key=lambda m: (m.timestamp, m.conversation, m.sender))
    return plan


# ------------------------------------------------------------------------------ files


def _people(plan: _Plan) -> dict[str, PlantedPerson]:
    out = {}
    for pid, record in plan.people.items():
        record = dict(record)
        if record.get("connection") and record.get("connection_name") is None:
            record["connection_name"] = record["name"]
        out[pid] = PlantedPerson(**record)
    return out


def _display(pid: str, people: Mapping[str, PlantedPerson]) -> str:
    return _OWNER_NAME if pid == OWNER_ID else people[pid].name


def _url(pid: str, people: Mapping[str, PlantedPerson]) -> str:
    return _OWNER_URL if pid == OWNER_ID else people[pid].profile_url or ""


def _connections_csv(people: Mapping[str, PlantedPerson]) -> str:
    out = io.StringIO()
    out.write(f'Notes:\n"{_CONNECTIONS_NOTE}"\n\n')
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CONNECTION_HEADER)
    rows = [p for p in people.values() if p.connection]
    rows.sort(key=lambda p: (-p.connected_on.toordinal(), p.profile_url))  # newest first
    for person in rows:
        first, _, last = (person.connection_name or "").partition(" ")
        when = datetime.combine(person.connected_on, datetime.min.time(), _UTC)
        writer.writerow(
            (
                first,
                last,
                person.profile_url,
                person.email if person.connection_email else "",
                person.company,
                person.position,
                _connected_on(when),
            )
        )
    return out.getvalue()


def _messages_csv(plan: _Plan, people: Mapping[str, PlantedPerson]) -> str:
    rows = []
    first_of: dict[str, int] = {}
    for message in plan.messages:
        if message.source != "linkedin":
            continue
        cid = message.conversation
        index = first_of.setdefault(cid, 0)
        first_of[cid] = index + 1
        other = plan.conversations[cid].members[1]
        person = people[other]
        if person.role == "broadcaster":
            seller = person.position in _SELLER_POSITIONS
            content = _pick(_SELLER_PHRASES if seller else _RECRUITER_PHRASES, cid, str(index))
            subject = ("Quick intro" if seller else "Opportunity") if index == 0 else ""
        else:
            content, subject = _pick(_CHAT_PHRASES, cid, str(index)), ""
        key = _conversation_key(f"synthetic-{plan.seed}-{cid}")
        row = (
            key,
            "",
            _display(message.sender, people),
            _url(message.sender, people),
            ";".join(_display(r, people) for r in message.recipients),
            ";".join(_url(r, people) for r in message.recipients),
            _linkedin_date(message.timestamp),
            subject,
            content,
            "INBOX",
            "",
        )
        rows.append((message.timestamp, key, row))
    rows.sort(key=lambda r: (r[0], r[1]), reverse=True)  # newest first, as LinkedIn lists them
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_MESSAGE_HEADER)
    writer.writerows(row for _, _, row in rows)
    return out.getvalue()


def _address(pid: str, people: Mapping[str, PlantedPerson]) -> str:
    if pid == OWNER_ID:
        return formataddr((_OWNER_NAME, _OWNER_EMAIL))
    person = people[pid]
    return formataddr((person.name, person.email or ""), charset="utf-8")


def _mbox(plan: _Plan, people: Mapping[str, PlantedPerson]) -> str:
    lines: list[str] = []
    state: dict[str, tuple[int, int, str, datetime]] = {}  # cid -> index, thread, subject, last
    newsletters = {address: (headers, labels) for _, address, headers, labels in _NEWSLETTERS}
    for message in plan.messages:
        if message.source != "mail":
            continue
        cid = f"synthetic-{plan.seed}-{message.conversation}"
        conversation = plan.conversations[message.conversation]
        index, thread, subject, previous = state.get(cid, (-1, 0, "", _START))
        index += 1
        other = people[conversation.members[1]]
        extra: Sequence[str] = ()
        reply = False
        if message.bulk:
            extra, labels = newsletters[other.email or ""]
            thread = _gmail_number(message.timestamp, cid, index)
            subject = _pick(_NEWSLETTER_SUBJECTS, cid, str(index))
            body = ">From the archive: this week's top stories."
        elif other.kind == "heavy-mail":
            # Sequences pretend to follow up on a thread that never was.
            thread = _gmail_number(message.timestamp, cid, index)
            subject = ("Re: " if index else "") + _pick(_COLD_SUBJECTS, cid, str(index))
            labels = "Inbox,Category Personal"
            body = _pick(_SELLER_PHRASES, cid, str(index))
        else:
            reply = message.timestamp - previous <= timedelta(hours=36)
            if not reply:
                thread = _gmail_number(message.timestamp, cid, index)
                subject = conversation.title or _pick(_MAIL_SUBJECTS, cid, str(index))
            if message.sender == OWNER_ID:
                labels = "Sent"
            elif other.role == "core":
                labels = "Inbox,Important,Opened,Category Personal"
            else:
                labels = "Inbox,Opened,Category Personal"
            body = _pick(_CHAT_PHRASES, cid, str(index))
        state[cid] = (index, thread, subject, message.timestamp)
        recipients = [_address(r, people) for r in message.recipients]
        block = [
            f"From {_gmail_number(message.timestamp, cid, index)}@xxx "
            + _envelope_time(message.timestamp),
            f"X-GM-THRID: {thread}",
            f"X-Gmail-Labels: {labels}",
            f"Date: {format_datetime(message.timestamp)}",
            f"From: {_address(message.sender, people)}",
            "To: " + ", ".join(recipients[:2]),
        ]
        if recipients[2:]:
            block.append("Cc: " + ", ".join(recipients[2:]))
        block.append(f"Subject: {'Re: ' if reply else ''}{subject}")
        block.append(f"Message-ID: {_message_id(cid, index)}")
        if reply:
            block.append(f"In-Reply-To: {_message_id(cid, index - 1)}")
        lines += [*block, *extra, "", body, ""]
    return "\n".join(lines) + "\n"


def _wa_author(pid: str, people: Mapping[str, PlantedPerson]) -> str:
    return _OWNER_NAME if pid == OWNER_ID else people[pid].whatsapp_name or ""


def _chat_file_name(layout: str, title: str) -> str:
    return (
        f"WhatsApp Chat with {title}.txt"
        if layout == "android"
        else f"WhatsApp Chat - {title}.txt"
    )


def _whatsapp_chats(
    plan: _Plan, people: Mapping[str, PlantedPerson]
) -> dict[str, tuple[str, str]]:
    """``{conversation: (file name, text)}`` of every WhatsApp chat."""
    layout = plan.layout

    def stamp(when: datetime) -> str:
        if layout == "ios":
            return f"[{when:%d/%m/%Y}, {when:%H:%M:%S}] "
        return f"{when:%d/%m/%Y}, {when:%H:%M} - "

    by_chat: dict[str, list[PlantedMessage]] = {}
    for message in plan.messages:
        if message.source == "whatsapp":
            by_chat.setdefault(message.conversation, []).append(message)
    files = {}
    for cid, messages in by_chat.items():
        conversation = plan.conversations[cid]
        lines = []
        if conversation.kind == "group":
            title = conversation.title
            if layout == "android":
                created = conversation.created or messages[0].timestamp
                lines.append(stamp(created) + _ENCRYPTION_NOTICE)
                creator = conversation.creator
                who = "You" if creator == OWNER_ID else _wa_author(creator, people)
                lines.append(stamp(created) + f'{who} created group "{title}"')
                if creator != OWNER_ID:
                    lines.append(stamp(created) + f"{who} added you")
                for member in conversation.members:
                    if member not in (OWNER_ID, creator):
                        lines.append(stamp(created) + f"{who} added {_wa_author(member, people)}")
        else:
            title = people[conversation.members[1]].whatsapp_name or ""
            if layout == "android":
                lines.append(
                    stamp(messages[0].timestamp - timedelta(minutes=1)) + _ENCRYPTION_NOTICE
                )
        for index, message in enumerate(messages):
            body = _wa_body(f"synthetic-{plan.seed}-{cid}", index, layout, message.timestamp)
            lines.append(
                stamp(message.timestamp) + f"{_wa_author(message.sender, people)}: {body[0]}"
            )
            lines.extend(body[1:])
        files[cid] = (_chat_file_name(layout, title), "\n".join(lines) + "\n")
    return dict(sorted(files.items(), key=lambda item: item[1][0]))


def _vcard(people: Mapping[str, PlantedPerson]) -> str:
    lines: list[str] = []
    cards = sorted((p for p in people.values() if p.phonebook), key=lambda p: (p.name, p.id))
    for number, person in enumerate(cards):
        given, _, family = person.name.partition(" ")
        phone = person.phone or ""
        written = (
            f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"
            if number % 3 == 2
            else f"+1 {phone[2:5]}-{phone[5:8]}-{phone[8:]}"
        )
        lines += [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"FN:{person.name}",
            f"N:{family};{given};;;",
            f"TEL;TYPE=CELL:{written}",
        ]
        if person.phonebook_email:
            lines.append(f"EMAIL;TYPE=INTERNET,HOME:{person.email}")
        lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def _truth(people: Mapping[str, PlantedPerson], whatsapp_authors: set[str]) -> dict:
    truth: dict[str, tuple[str, str]] = {}

    def put(key: str | None, pid: str, role: str) -> None:
        if not key:
            return
        if truth.setdefault(key, (pid, role)) != (pid, role):
            raise AssertionError(f"{key!r} would name two planted people")  # pragma: no cover

    owner_keys = (_OWNER_EMAIL, _OWNER_PHONE, _OWNER_NAME, _OWNER_URL, linkedin_id(_OWNER_URL))
    for key in (*owner_keys, name_id("wa", _OWNER_NAME)):
        put(key, OWNER_ID, "owner")
    for pid, person in people.items():
        keys = [person.name, person.email, person.phone, person.profile_url]
        keys += [person.connection_name, linkedin_id(person.profile_url)]
        if person.whatsapp_name:
            keys.append(person.whatsapp_name)
            if person.whatsapp_name in whatsapp_authors or person.phonebook:
                keys.append(name_id("wa", person.whatsapp_name))
        for key in keys:
            put(key, pid, person.role)
    return truth


def write_synthetic_person(
    folder: str | os.PathLike[str], *, seed: int = 0, overwrite: bool = False
) -> SyntheticPerson:
    """Write one synthetic person's downloads into `folder` and return the planted truth.

    Parameters
    ----------
    folder : path
        Target folder; created (with its parents) when missing.
    seed : int, default 0
        Randomness of the people, their sizes and every message. Even seeds write the
        WhatsApp chats in the Android layout, odd seeds in the iOS layout (one phone, one
        layout).
    overwrite : bool, default False
        Replace existing files. Without it nothing is written if any target exists.

    Returns
    -------
    SyntheticPerson
        The owner's identifiers, the as-of date, the truth and the generator's records.

    Raises
    ------
    IngestError
        If a file exists and `overwrite` is false, or `folder` is a file.

    See Also
    --------
    trustgraph.sample_exports.write_sample_exports : the bundled sample as exports.

    Notes
    -----
    The roles, their sizes and behaviour are listed in the module docstring. Layouts
    follow FORMATS.md (and the writing helpers of :mod:`trustgraph.sample_exports`):
    Connections.csv with the ``Notes:`` preamble, a few rows with a hidden name or with
    credentials after the last name and a few with the address shown; messages.csv newest
    first; a Takeout mbox (envelope with the zone before the year, ``X-Gmail-Labels``,
    RFC 2047 names); WhatsApp day-first; vCard 3.0 with CRLF line ends. The folder is
    about 1.6 MB; the same seed gives byte-identical files.

    Examples
    --------
    >>> import tempfile
    >>> person = write_synthetic_person(tempfile.mkdtemp(), seed=3)
    >>> person.me[2], person.as_of.isoformat()
    ('Maren Example', '2025-09-30')
    >>> person.role_counts()["core"] in (11, 12, 13)
    True
    >>> pid = person.by_role("core")[0]
    >>> person.role_of(pid), pid in person.trusted_people()
    ('core', True)
    """
    plan = _plan(int(seed))
    people = _people(plan)
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise IngestError("is a file, expected a folder for the synthetic exports", path=target)
    contents: dict[str, tuple[Path, str]] = {
        "connections": (target / "linkedin" / "Connections.csv", _connections_csv(people)),
        "messages": (target / "linkedin" / "messages.csv", _messages_csv(plan, people)),
        "mbox": (target / "mail" / _MAILBOX, _mbox(plan, people)),
        "vcard": (target / "contacts.vcf", _vcard(people)),
    }
    chats = _whatsapp_chats(plan, people)
    for name, text in chats.values():
        contents[f"whatsapp:{name}"] = (target / "whatsapp" / name, text)
    write_texts(contents.values(), overwrite=overwrite)
    authors = {m.sender for m in plan.messages if m.source == "whatsapp"}
    whatsapp_names = {people[p].whatsapp_name or "" for p in authors if p != OWNER_ID}
    return SyntheticPerson(
        folder=target,
        seed=int(seed),
        owner_email=_OWNER_EMAIL,
        owner_phone=_OWNER_PHONE,
        owner_name=_OWNER_NAME,
        owner_url=_OWNER_URL,
        as_of=AS_OF,
        truth=_truth(people, whatsapp_names),
        people=people,
        messages=tuple(plan.messages),
        files={key: path for key, (path, _) in contents.items()},
        chat_files={cid: target / "whatsapp" / name for cid, (name, _) in chats.items()},
    )
