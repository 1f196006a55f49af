"""Draws the synthetic person's people and messages from one generator, role by role."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import numpy as np

from trustgraph.datasets._export_text import (
    _profile_url,
)
from trustgraph.datasets._person_model import (
    _COMPANIES,
    _CONNECTED_FROM,
    _CREDENTIALS,
    _DOMAINS,
    _END,
    _FIRST_NAMES,
    _GROUPS,
    _LAST_NAMES,
    _LATEST_START,
    _NEWSLETTERS,
    _OWNER_EMAIL,
    _OWNER_NAME,
    _OWNER_PHONE,
    _POSITIONS,
    _RECRUITER_POSITIONS,
    _SELLER_POSITIONS,
    _START,
    _UTC,
    _YEAR,
    AS_OF,
    OWNER_ID,
    PlantedMessage,
    _Conversation,
)

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

    # -- draws

    def count(self, mid: int, spread: int) -> int:
        """A size drawn uniformly in ``mid ± spread``."""
        return mid + int(self.rng.integers(-spread, spread + 1))

    def uniform(self, lo: float, hi: float) -> float:
        return float(self.rng.uniform(lo, hi))

    def chat_start(self, max_days: int) -> datetime:
        """The first message of a history, within `max_days` of the oldest chat."""
        return _START + timedelta(days=int(self.rng.integers(max_days)))

    def since(self, lo: int, hi: int) -> datetime:
        """A moment between `lo` and `hi` days before the newest message."""
        return _END - timedelta(days=int(self.rng.integers(lo, hi)))

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
    """Every person and message of one synthetic person, role by role (order matters:
    each phase draws from the one generator in turn)."""
    plan = _Plan(seed)
    core = _plant_core(plan)
    circle = _plant_circle(plan)
    _plant_mail_group(plan, circle)
    _plant_stale(plan)
    _plant_acquaintances(plan)
    _plant_broadcasters(plan)
    _plant_groups(plan, core, circle)
    _plant_strangers(plan)
    plan.messages.sort(key=lambda m: (m.timestamp, m.conversation, m.sender))
    return plan


def _plant_core(plan: _Plan) -> list[str]:
    """Core: WhatsApp weekly or more, two-way, recent; the newest message of the folder."""
    rng = plan.rng
    recent = _LATEST_START
    n_core = plan.count(12, 1)
    core = []
    for index in range(n_core):
        kind = "three-sources" if index == 0 else "phonebook-linked" if index <= 2 else "whatsapp"
        pid = plan.person("core", kind)
        core.append(pid)
        plan.save(pid, with_email=kind == "phonebook-linked")
        first = plan.chat_start(730)
        times = plan.sessions(plan.uniform(52, 85), first, recent, recent_days=7)
        plan.dialogue(pid, "whatsapp", times)
        if kind != "whatsapp":
            plan.give(pid, email=True)
            mail = plan.sessions(plan.uniform(4, 10), first, recent, recent_days=60)
            plan.dialogue(pid, "mail", mail, sizes=(2, 3), gap_minutes=(30, 1200))
        if kind == "three-sources":
            plan.connect(pid, before=first)  # the row shows no address
            linked = plan.sessions(plan.uniform(4, 8), first, recent, recent_days=75)
            plan.dialogue(pid, "linkedin", linked, sizes=(2, 3), gap_minutes=(10, 600))
        elif rng.random() < 0.4:
            plan.connect(pid, before=first)
    # The newest message of the folder: a core exchange on the as-of evening.
    newest = plan.dm(core[1], "whatsapp")
    plan.add(_END - timedelta(minutes=7), "whatsapp", newest, OWNER_ID, (core[1],))
    plan.add(_END, "whatsapp", newest, core[1], (OWNER_ID,))
    return core


def _plant_circle(plan: _Plan) -> list[str]:
    """Circle: monthly-ish to a few times a year, two-way, recent."""
    rng = plan.rng
    recent = _LATEST_START
    n_circle = plan.count(100, 5)
    circle = []
    kinds = ["phonebook-linked"] + [
        ("whatsapp", "mail", "linkedin")[int(rng.choice(3, p=(0.4, 0.35, 0.25)))]
        for _ in range(n_circle - 1)
    ]
    for kind in kinds:
        pid = plan.person("circle", kind)
        circle.append(pid)
        first = plan.chat_start(900)
        if kind in ("whatsapp", "phonebook-linked"):
            plan.save(pid, with_email=kind == "phonebook-linked")
            rate = plan.uniform(3, 10)
            times = plan.sessions(rate, first, recent, recent_days=min(120, 365 / rate))
            plan.dialogue(pid, "whatsapp", times, owner_starts=0.45)
            if rng.random() < 0.2:
                plan.connect(pid, before=first)
        if kind in ("mail", "phonebook-linked"):
            plan.give(pid, email=True)
            rate = plan.uniform(2, 5)
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
            rate = plan.uniform(1.5, 4)
            times = plan.sessions(rate, first, recent, recent_days=min(120, 365 / rate))
            plan.dialogue(
                pid, "linkedin", times, owner_starts=0.45, sizes=(2, 2, 3), gap_minutes=(10, 900)
            )
    return circle


def _plant_mail_group(plan: _Plan, circle: list[str]) -> None:
    """One e-mail group thread among four mail friends (no one-to-one evidence)."""
    rng = plan.rng
    recent = _LATEST_START
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


def _plant_stale(plan: _Plan) -> None:
    """Stale: were close, nothing for 2+ years."""
    rng = plan.rng
    n_stale = plan.count(10, 1)
    for index in range(n_stale):
        kind = "whatsapp" if index < round(0.6 * n_stale) else "mail"
        pid = plan.person("stale", kind)
        first = plan.chat_start(180)
        last = datetime.combine(AS_OF, datetime.min.time(), _UTC) - timedelta(
            days=731 + int(rng.integers(10, 300))
        )
        if kind == "whatsapp":
            plan.save(pid)
            plan.dialogue(pid, "whatsapp", plan.sessions(plan.uniform(30, 60), first, last))
        else:
            plan.give(pid, email=True)
            times = plan.sessions(plan.uniform(12, 24), first, last)
            plan.dialogue(pid, "mail", times, sizes=(2, 3), gap_minutes=(30, 1200))
        if rng.random() < 0.3:
            plan.connect(pid, before=first)


def _plant_acquaintances(plan: _Plan) -> None:
    """Acquaintances: one message and its reply, or one message from the owner."""
    rng = plan.rng
    recent = _LATEST_START
    n_acq = plan.count(30, 3)
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


def _plant_broadcasters(plan: _Plan) -> None:
    """Recruiters and sellers, cold mailers, newsletters and a few light senders."""
    rng = plan.rng
    for index in range(5):  # recruiters and sellers on LinkedIn, 100-120 unanswered
        recruiter = index % 2 == 0
        positions = _RECRUITER_POSITIONS if recruiter else _SELLER_POSITIONS
        pid = plan.person("broadcaster", "heavy-linkedin", position=positions[index % 2])
        times = plan.cadence(int(rng.integers(100, 121)), plan.since(3, 150), (4, 8))
        if index < 3:
            plan.connect(pid, before=times[0])
        else:
            plan.give(pid, url=True)  # InMail: not a connection
        plan.one_way(pid, "linkedin", times)
    for _ in range(3):  # cold e-mail sequences, 100-120 unanswered
        pid = plan.person("broadcaster", "heavy-mail")
        plan.give(pid, email=True)
        times = plan.cadence(int(rng.integers(100, 121)), plan.since(3, 120), (3, 7))
        plan.one_way(pid, "mail", times)
    for name, address, _, _ in _NEWSLETTERS:  # newsletters: bulk headers
        pid = plan.person("broadcaster", "bulk", name=name, email=address)
        plan._emails.add(address)
        times = plan.cadence(int(rng.integers(40, 76)), plan.since(0, 7), (7, 8))
        plan.one_way(pid, "mail", times, bulk=True)
    for index in range(3):  # a handful of unanswered messages
        source = "linkedin" if index < 2 else "mail"
        pid = plan.person("broadcaster", "light")
        times = plan.cadence(int(rng.integers(3, 11)), plan.since(20, 900), (2, 12))
        if source == "mail":
            plan.give(pid, email=True)
        elif index == 0:
            plan.connect(pid, before=times[0])
        else:
            plan.give(pid, url=True)
        plan.one_way(pid, source, times)


def _plant_groups(plan: _Plan, core: list[str], circle: list[str]) -> None:
    """WhatsApp groups: the owner, some core and circle, and the group-only members."""
    rng = plan.rng
    recent = _LATEST_START
    n_group_only = plan.count(25, 2)
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
        for start in plan.sessions(plan.uniform(20, 35), created + timedelta(days=1), recent):
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


def _plant_strangers(plan: _Plan) -> None:
    """Strangers: connections with no conversation, a few hiding their name."""
    rng = plan.rng
    n_strangers = plan.count(2150, 60)
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
