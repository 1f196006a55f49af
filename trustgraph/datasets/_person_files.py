"""The synthetic person's downloads rendered as text, one function per file format."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from email.utils import format_datetime, formataddr

from trustgraph.datasets._export_text import (
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
    _wa_body,
)
from trustgraph.datasets._person_model import (
    _COLD_SUBJECTS,
    _NEWSLETTER_SUBJECTS,
    _NEWSLETTERS,
    _OWNER_EMAIL,
    _OWNER_NAME,
    _OWNER_PHONE,
    _OWNER_URL,
    _SELLER_PHRASES,
    _SELLER_POSITIONS,
    _START,
    _UTC,
    OWNER_ID,
    PlantedMessage,
    PlantedPerson,
)
from trustgraph.datasets._person_plan import _Plan
from trustgraph.ingest.identifiers import linkedin_id, name_id


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
