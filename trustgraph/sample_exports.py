"""The sample network written as the personal-data exports a user would download.

:func:`write_sample_exports` turns a :class:`~trustgraph.datasets.SampleNetwork` (by default
``sample_network(seed=7)``, the bundled sample) into a small set of realistic exports, so the
demo runs the exact commands a user runs on their own data::

    linkedin/Connections.csv    every declared connection ("Notes:" preamble, current header)
    linkedin/messages.csv       the conversations assigned to LinkedIn
    mail/sample.mbox            Gmail-Takeout-style mbox: person-to-person mail + newsletters
    whatsapp/*.txt              two 1:1 chats (Android and iOS layouts) and one group chat
    contacts.vcf                the owner's phone book (name, phone, e-mail)

:func:`plan_sample_exports` makes every choice (which conversation goes where, names,
profile URLs, phone numbers) and returns it as a :class:`SampleExportPlan`, so tests derive
their expectations from the generator's records rather than from the files.

Partition (by conversation: every message of a conversation goes to one export or none):

* **WhatsApp**: 1:1 chats with the two busiest non-stale layer-1 partners (the busiest in
  the Android layout, the other in the iOS layout) and the busiest friend group that has a
  core partner in it (the "Family" chat, Android layout).
* **mail**: direct messages with the partners (core or circle) of the Family chat, one more
  friend group as a Cc'd e-mail thread (the quietest friend group sharing no friend of a
  friend with the Family chat), and the newsletters (the broadcasters who are not
  declared connections) as bulk mail.
* **LinkedIn**: direct messages with the acquaintances and with the declared broadcasters
  (recruiter InMails), the Sybil groups except the largest one, and the three-person attack
  threads.
* **not exported**: every other conversation (channels that leave no export: calls, other
  messengers). Writing them all would take the set past 1 MB; this one is about 600 kB.

Identities stay consistent with the CSV sample: mail uses the sample's e-mail addresses,
LinkedIn a profile URL made from the person's name and a hash of their id, WhatsApp the
phone-book name (or, for friends of friends who are not in the phone book, the phone
number ``+1 555 010 01xx``). The cross-source links the identity layer needs are in the
files: a connection shows its e-mail address when the person also appears in the mbox or
the phone book, and ``contacts.vcf`` lists name, phone and e-mail of everyone the owner
chats or mails with in person (friends of friends excepted).

Message text is synthetic filler (short generic phrases picked by a hash) so that readers
see realistic lengths; it says nothing about anyone. Everything is byte-deterministic.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest.atomic import write_texts
from trustgraph.ingest.records import ConversationEvent

if TYPE_CHECKING:  # datasets imports this module at its end; no import cycle at run time
    from trustgraph.datasets import SampleNetwork

__all__ = [
    "EXPORT_OWNER_NAME",
    "EXPORT_OWNER_PHONE",
    "SampleExportPlan",
    "export_paths",
    "plan_sample_exports",
    "write_sample_exports",
]

#: The owner's display name in the exports (WhatsApp author, mail and LinkedIn name).
EXPORT_OWNER_NAME = "Robin Example"
#: The owner's phone number (E.164), in the fictional ``+1 555 010 01xx`` range.
EXPORT_OWNER_PHONE = "+15550100100"

_PHONE_BASE = 100  # +1 555 010 0100 .. 0199: the reserved fictional range
_PHONE_LIMIT = 199
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_NEWSLETTER_NAMES = {
    "digest@example.org": "Weekly Digest",
    "offers@example.net": "Example Offers",
    "news@example.com": "Example News",
}
# Each newsletter carries a different mix of bulk signals, so the reader's counts per
# signal have something to show (List-Id first, then List-Unsubscribe, then Precedence).
_NEWSLETTER_HEADERS = (
    ("List-Id: <{list}>", "List-Unsubscribe: <mailto:unsubscribe@{domain}>", "Precedence: bulk"),
    ("List-Unsubscribe: <mailto:unsubscribe@{domain}>", "Precedence: bulk"),
    ("Precedence: bulk",),
)
_CONNECTIONS_NOTE = (
    "When exporting your connection data, you may notice that some of the email addresses "
    "are missing."
)
_CONNECTION_HEADER = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
_MESSAGE_HEADER = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
    "ATTACHMENTS",
)
# Synthetic filler: short generic phrases, chosen by a hash of (conversation, position).
_CHAT_PHRASES = (
    "Sounds good.",
    "See you then!",
    "Thanks!",
    "On my way.",
    "Running a bit late.",
    "Sure, works for me.",
    "Let me check and get back to you.",
    "Ha, yes.",
    "Good morning!",
    "Talk later.",
    "Any news?",
    "Perfect, thanks.",
    "Call you tonight?",
    "No worries.",
    "Great idea.",
    "Lunch on Friday?",
    "Just got home.",
    "Can you send me the address?",
)
_MAIL_SUBJECTS = (
    "Catching up",
    "Weekend plans",
    "Quick question",
    "Photos",
    "Dinner?",
    "Notes from today",
    "Trip dates",
    "Small favour",
)
_RECRUITER_PHRASES = (
    "Are you open to new roles?",
    "I came across your profile and wanted to reach out.",
    "Following up on my last message.",
    "Do you have time for a short call this week?",
)
_SYBIL_PHRASES = (
    "Welcome to the group!",
    "Limited spots left, reply to join.",
    "Check the link in my profile.",
    "Great opportunity this month.",
)
_NEWSLETTER_SUBJECTS = ("This week's highlights", "New offers inside", "Your monthly update")
_THREAD_GAP = timedelta(hours=12)  # a mail thread ends after half a day of silence


def _hash_int(*parts: str) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _pick(options: Sequence[str], *parts: str) -> str:
    return options[_hash_int(*parts) % len(options)]


def _name_from_id(node: str) -> str:
    """``ada.abbott2@example.com`` -> ``Ada Abbott``; ``jana-becker-2`` -> ``Jana Becker``."""
    local = node.split("@", 1)[0]
    words = [w for w in re.split(r"[.\-]", local) if w and not w.isdigit()]
    return " ".join(re.sub(r"\d+$", "", w).capitalize() for w in words)


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
        from trustgraph.datasets import sample_network

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


def _profile_url(node: str, name: str) -> str:
    slug = "-".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())
    suffix = hashlib.blake2b(node.encode("utf-8"), digest_size=4).hexdigest()
    return f"https://www.linkedin.com/in/{slug}-{suffix}"


# ------------------------------------------------------------------------------ LinkedIn


def _connected_on(when: datetime) -> str:
    # Built by hand: strftime("%b") follows the locale, LinkedIn writes English months.
    return f"{when.day:02d} {_MONTHS[when.month - 1]} {when.year}"


def _linkedin_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") + " UTC"


def _connections_csv(plan: SampleExportPlan) -> str:
    out = io.StringIO()
    out.write(f'Notes:\n"{_CONNECTIONS_NOTE}"\n\n')
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CONNECTION_HEADER)
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    # Newest connection first, like the real export.
    rows = sorted(
        plan.network.contacts,
        key=lambda c: (-((c.connected_on or epoch) - epoch).days, plan.profile_urls[c.id]),
    )
    for contact in rows:
        first, _, last = plan.names[contact.id].partition(" ")
        email = contact.id if contact.id in plan.shared_emails and "@" in contact.id else ""
        writer.writerow(
            (
                first,
                last,
                plan.profile_urls[contact.id],
                email,
                contact.attributes.get("company", ""),
                contact.attributes.get("position", ""),
                _connected_on(contact.connected_on) if contact.connected_on else "",
            )
        )
    return out.getvalue()


def _conversation_key(cid: str) -> str:
    digest = hashlib.blake2b(f"linkedin:{cid}".encode(), digest_size=24).digest()
    return "2-" + base64.b64encode(digest).decode("ascii")


def _messages_csv(plan: SampleExportPlan) -> str:
    truth, owner = plan.network.truth, plan.network.owner
    rows = []
    for cid in plan.linkedin:
        events = plan.conversations[cid]
        people = plan.members(cid)
        roles = {truth[p].role for p in people - {owner}}
        sybil = "sybil" in roles and "acquaintance" not in roles
        recruiter = "broadcaster" in roles
        key = _conversation_key(cid)
        for index, event in enumerate(events):
            if recruiter:
                content = _pick(_RECRUITER_PHRASES, cid, str(index))
            elif "sybil" in roles and truth[event.sender].role == "sybil":
                content = _pick(_SYBIL_PHRASES, cid, str(index))
            else:
                content = _pick(_CHAT_PHRASES, cid, str(index))
            subject = "Opportunity" if recruiter and index == 0 else ""
            rows.append(
                (
                    event.timestamp,
                    key,
                    (
                        key,
                        plan.group_titles.get(cid, ""),
                        plan.names[event.sender],
                        plan.profile_urls[event.sender],
                        ";".join(plan.names[r] for r in event.recipients),
                        ";".join(plan.profile_urls[r] for r in event.recipients),
                        _linkedin_date(event.timestamp),
                        subject,
                        content,
                        "ARCHIVE" if sybil else "INBOX",
                        "",
                    ),
                )
            )
    # Newest message first, as LinkedIn lists them.
    rows.sort(key=lambda row: (row[0], row[1], row[2][3]), reverse=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_MESSAGE_HEADER)
    writer.writerows(row[2] for row in rows)
    return out.getvalue()


# ------------------------------------------------------------------------------ mail


def _envelope_time(when: datetime) -> str:
    # Takeout's envelope line puts the zone before the year (FORMATS.md §2.2).
    w = when.astimezone(timezone.utc)
    return (
        f"{_WEEKDAYS[w.weekday()]} {_MONTHS[w.month - 1]} {w.day:02d} "
        f"{w.hour:02d}:{w.minute:02d}:{w.second:02d} +0000 {w.year}"
    )


def _address(plan: SampleExportPlan, node: str) -> str:
    email = node if "@" in node else f"{node}@example.net"  # friends of friends: no sample mail
    return f"{plan.names[node]} <{email}>"


def _message_id(cid: str, index: int) -> str:
    digest = hashlib.blake2b(f"mail:{cid}:{index}".encode(), digest_size=8).hexdigest()
    return f"<{digest}@mail.example.com>"


def _gmail_number(when: datetime, cid: str, index: int) -> int:
    # Gmail message and thread ids are 19-digit numbers that grow with time.
    millis = int(when.timestamp() * 1000)
    return 1_700_000_000_000_000_000 + millis * 100 + _hash_int(cid, str(index)) % 100


def _mail_messages(plan: SampleExportPlan) -> list[tuple[datetime, str, list[str]]]:
    owner = plan.network.owner
    messages: list[tuple[datetime, str, list[str]]] = []
    for cid in plan.mail:
        events = plan.conversations[cid]
        title = plan.group_titles.get(cid)
        thread_start = 0
        subject = ""
        thread_number = 0
        previous: datetime | None = None
        for index, event in enumerate(events):
            if previous is None or event.timestamp - previous > _THREAD_GAP:
                thread_start = index
                subject = title or _pick(_MAIL_SUBJECTS, cid, str(index))
                thread_number = _gmail_number(event.timestamp, cid, index)
            previous = event.timestamp
            recipients = list(event.recipients)
            to, cc = recipients[:2], recipients[2:]
            labels = "Sent" if event.sender == owner else "Inbox,Opened,Category Personal"
            headers = [
                f"X-GM-THRID: {thread_number}",
                f"X-Gmail-Labels: {labels}",
                f"Date: {format_datetime(event.timestamp)}",
                f"From: {_address(plan, event.sender)}",
                "To: " + ", ".join(_address(plan, r) for r in to),
            ]
            if cc:
                headers.append("Cc: " + ", ".join(_address(plan, r) for r in cc))
            reply = index > thread_start
            headers.append(f"Subject: {'Re: ' if reply else ''}{subject}")
            headers.append(f"Message-ID: {_message_id(cid, index)}")
            if reply:
                headers.append(f"In-Reply-To: {_message_id(cid, index - 1)}")
            body = [_pick(_CHAT_PHRASES, cid, str(index))]
            envelope = f"From {_gmail_number(event.timestamp, cid, index)}@xxx"
            messages.append((event.timestamp, envelope, [*headers, "", *body]))
    for number, cid in enumerate(plan.newsletters):
        sender = _newsletter_sender(plan, cid)
        domain = sender.split("@", 1)[1]
        extra = _NEWSLETTER_HEADERS[number % len(_NEWSLETTER_HEADERS)]
        for index, event in enumerate(plan.conversations[cid]):
            headers = [
                f"X-GM-THRID: {_gmail_number(event.timestamp, cid, index)}",
                "X-Gmail-Labels: Inbox,Category Updates",
                f"Date: {format_datetime(event.timestamp)}",
                f"From: {_address(plan, sender)}",
                "To: " + ", ".join(_address(plan, r) for r in event.recipients),
                f"Subject: {_pick(_NEWSLETTER_SUBJECTS, cid, str(index))}",
                f"Message-ID: {_message_id(cid, index)}",
                *(h.format(list=sender.replace("@", "."), domain=domain) for h in extra),
            ]
            body = [">From the archive: this week's top stories."]
            envelope = f"From {_gmail_number(event.timestamp, cid, index)}@xxx"
            messages.append((event.timestamp, envelope, [*headers, "", *body]))
    messages.sort(key=lambda m: (m[0], m[1]))
    return messages


def _newsletter_sender(plan: SampleExportPlan, cid: str) -> str:
    return plan.conversations[cid][0].sender


def _mbox(plan: SampleExportPlan) -> str:
    lines: list[str] = []
    for when, envelope, block in _mail_messages(plan):
        lines.append(f"{envelope} {_envelope_time(when)}")
        lines.extend(block)
        lines.append("")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ WhatsApp

_ENCRYPTION_NOTICE = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them. Tap to learn more."
)


def _wa_author(plan: SampleExportPlan, node: str) -> str:
    if node == plan.network.owner:
        return EXPORT_OWNER_NAME
    if node in plan.phonebook_names:
        return plan.phonebook_names[node]
    # Not in the owner's phone book: Android shows the number, grouped as dialled.
    phone = plan.phones[node]
    return f"+1 555 010 {phone[-4:]}"


def _wa_body(cid: str, index: int, layout: str, when: datetime) -> list[str]:
    if index % 17 == 5:
        if layout == "ios":
            stamp = when.strftime("%Y-%m-%d-%H-%M-%S")
            return [f"\u200e<attached: {index:08d}-PHOTO-{stamp}.jpg>"]
        return ["<Media omitted>"]
    text = _pick(_CHAT_PHRASES, cid, str(index))
    if index % 23 == 11:
        return [text, _pick(_CHAT_PHRASES, cid, str(index), "more")]  # a multi-line message
    return [text]


def _whatsapp_chat(plan: SampleExportPlan, cid: str, layout: str) -> str:
    events = plan.conversations[cid]
    lines: list[str] = []

    def stamp(when: datetime) -> str:
        w = when.astimezone(timezone.utc)  # the exporting phone's clock is set to UTC
        if layout == "ios":
            return f"[{w:%d/%m/%Y}, {w:%H:%M:%S}] "
        return f"{w:%d/%m/%Y}, {w:%H:%M} - "

    start = events[0].timestamp - timedelta(minutes=1)
    if layout == "android":
        lines.append(stamp(start) + _ENCRYPTION_NOTICE)
        title = plan.group_titles.get(cid)
        if title:
            authors = list(dict.fromkeys(e.sender for e in events))
            creator = next(
                (p for p in authors if plan.network.truth[p].role == "core"), authors[0]
            )
            creator_name = _wa_author(plan, creator)
            lines.append(stamp(start) + f'{creator_name} created group "{title}"')
            added = sorted(plan.members(cid) - {creator, plan.network.owner})
            lines.append(stamp(start) + f"{creator_name} added you")
            for person in added:
                lines.append(stamp(start) + f"{creator_name} added {_wa_author(plan, person)}")
    for index, event in enumerate(events):
        body = _wa_body(cid, index, layout, event.timestamp)
        lines.append(stamp(event.timestamp) + f"{_wa_author(plan, event.sender)}: {body[0]}")
        lines.extend(body[1:])
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ vCard


def _vcard(plan: SampleExportPlan) -> str:
    lines: list[str] = []
    for node in plan.phonebook:
        name = plan.phonebook_names[node]
        given, _, family = name.partition(" ")
        phone = plan.phones[node]
        lines += [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"FN:{name}",
            f"N:{family};{given};;;",
            f"TEL;TYPE=CELL:+1-555-010-{phone[-4:]}",
        ]
        if "@" in node:
            lines.append(f"EMAIL;TYPE=INTERNET,HOME:{node}")
        lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"  # vCard lines end in CRLF (RFC 6350)


# ------------------------------------------------------------------------------ writing


def write_sample_exports(
    folder: str | os.PathLike[str],
    network: SampleNetwork | None = None,
    *,
    overwrite: bool = False,
) -> dict[str, Path]:
    """Write a sample network as a LinkedIn export, WhatsApp chats, an mbox and a vCard file.

    Parameters
    ----------
    folder : path
        Target folder; created (with its parents) when missing.
    network : SampleNetwork, optional
        Defaults to ``sample_network()`` (seed 7, the bundled sample).
    overwrite : bool, default False
        Replace existing files. Without it nothing is written if any target exists.

    Returns
    -------
    dict of str to Path
        ``"connections"``, ``"messages"``, ``"mbox"``, ``"vcard"`` and one
        ``"whatsapp:<file name>"`` entry per chat.

    Raises
    ------
    IngestError
        If a file exists and `overwrite` is false, or `folder` is a file.
    ParameterError
        See :func:`plan_sample_exports`.

    See Also
    --------
    plan_sample_exports : which conversation goes where, and the identifiers used.
    trustgraph.datasets.write_sample : the same network as generic CSV files.

    Notes
    -----
    Layouts follow FORMATS.md: ``Connections.csv`` with the ``Notes:`` preamble and the
    current header, ``Connected On`` as ``15 Mar 2024``; ``messages.csv`` with ``DATE`` as
    ``2025-03-04 09:15:00 UTC``, ``;``-separated recipient URLs and a ``FOLDER`` column
    (``ARCHIVE`` for the Sybil groups); a Google-Takeout-like mbox (envelope with the zone
    before the year, ``X-Gmail-Labels``, ``X-GM-THRID``) where newsletters carry
    ``List-Id`` / ``List-Unsubscribe`` / ``Precedence: bulk``; WhatsApp chats in the
    Android day-first 24-hour layout and the bracketed iOS layout with seconds (times in
    UTC); vCard 3.0. Bodies and ``CONTENT`` cells are synthetic filler phrases. Files are
    written atomically; the same network always gives byte-identical files.

    Examples
    --------
    >>> import tempfile
    >>> from trustgraph.datasets import sample_network
    >>> paths = write_sample_exports(tempfile.mkdtemp(), sample_network(seed=1, n_declared=400))
    >>> sorted(k for k in paths if not k.startswith("whatsapp:"))
    ['connections', 'mbox', 'messages', 'vcard']
    >>> paths["connections"].read_text().splitlines()[0]
    'Notes:'
    """
    plan = plan_sample_exports(network)
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise IngestError("is a file, expected a folder for the sample exports", path=target)
    contents: dict[str, tuple[Path, str]] = {
        "connections": (target / "linkedin" / "Connections.csv", _connections_csv(plan)),
        "messages": (target / "linkedin" / "messages.csv", _messages_csv(plan)),
        "mbox": (target / "mail" / "sample.mbox", _mbox(plan)),
        "vcard": (target / "contacts.vcf", _vcard(plan)),
    }
    for cid, (layout, name) in plan.whatsapp.items():
        contents[f"whatsapp:{name}"] = (
            target / "whatsapp" / name,
            _whatsapp_chat(plan, cid, layout),
        )
    write_texts(contents.values(), overwrite=overwrite)
    return {key: path for key, (path, _) in contents.items()}


def export_paths(folder: str | os.PathLike[str]) -> list[Path]:
    """The inputs to pass to ``load_inputs`` / the CLI for a folder of sample exports.

    Examples
    --------
    >>> import tempfile
    >>> from trustgraph.datasets import sample_network
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_sample_exports(folder, sample_network(seed=1, n_declared=400))
    >>> [p.name for p in export_paths(folder)][:3]
    ['linkedin', 'sample.mbox', 'contacts.vcf']
    """
    root = Path(folder)
    chats = sorted((root / "whatsapp").glob("*.txt"))
    return [root / "linkedin", root / "mail" / "sample.mbox", root / "contacts.vcf", *chats]
