"""The sample exports rendered as text, one function per file format."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from trustgraph.datasets._export_plan import SampleExportPlan
from trustgraph.datasets._export_text import (
    _CHAT_PHRASES,
    _CONNECTION_HEADER,
    _CONNECTIONS_NOTE,
    _ENCRYPTION_NOTICE,
    _MAIL_SUBJECTS,
    _MESSAGE_HEADER,
    _NEWSLETTER_HEADERS,
    _NEWSLETTER_SUBJECTS,
    _RECRUITER_PHRASES,
    _SYBIL_PHRASES,
    _THREAD_GAP,
    EXPORT_OWNER_NAME,
    _connected_on,
    _conversation_key,
    _envelope_time,
    _gmail_number,
    _linkedin_date,
    _message_id,
    _pick,
    _wa_body,
)


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


def _address(plan: SampleExportPlan, node: str) -> str:
    email = node if "@" in node else f"{node}@example.net"  # friends of friends: no sample mail
    return f"{plan.names[node]} <{email}>"


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


def _wa_author(plan: SampleExportPlan, node: str) -> str:
    if node == plan.network.owner:
        return EXPORT_OWNER_NAME
    if node in plan.phonebook_names:
        return plan.phonebook_names[node]
    # Not in the owner's phone book: Android shows the number, grouped as dialled.
    phone = plan.phones[node]
    return f"+1 555 010 {phone[-4:]}"


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
