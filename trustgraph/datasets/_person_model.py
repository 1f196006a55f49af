"""The held-out synthetic person's planted truth: roles, people, messages (private)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path

from trustgraph.exceptions import ParameterError
from trustgraph.ingest.identifiers import normalize_identifier

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
