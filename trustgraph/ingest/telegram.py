"""Telegram Desktop JSON export (``result.json``): chats become conversation events.

Two shapes are recognised:

* **full export** (Settings → Advanced → Export Telegram data → Machine-readable JSON): the
  root holds ``personal_information`` (the owner), ``contacts``, ``frequent_contacts`` and
  ``chats.list``;
* **single-chat export** (chat menu → Export chat history → JSON): the root *is* one chat
  (``name``, ``type``, ``id``, ``messages``), of any chat type (personal, group,
  supergroup, channel, saved messages, bot), and does not say who the owner is: ``me``
  names it, or for a personal chat it is inferred (the one writer who is not the peer).

A personal chat's ``id`` is the peer's user id (Telegram writes it so; a peer who wrote
appears as ``from_id: "user<id>"``). When the id is no writer's while the writers, with the
owner when known, are exactly two accounts (files written by hand or by other tools), those
two are the chat's members and the id is not added as a third person; see
:mod:`trustgraph.ingest.telegram_people`. Records lacking ``date``, ``from_id`` or ``type``
are read when they can be dated and attributed, and skipped and counted one by one otherwise.

Node ids are ``tg:<user id>`` (``tg:channel<id>`` for posts signed by a channel); any other
non-empty string or integer ``from_id``/``actor_id`` (third-party tools write
``"sample_participant_01"``) still names one sender, ``tg:id:<value>``, which no id of
Telegram's own forms can equal. Address-book entries, which carry a phone number but no user
id, become contacts keyed by the E.164 phone.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import looks_like_html, resolve_timezone
from trustgraph.ingest.identity import normalize_phone
from trustgraph.ingest.jsonsafe import parse_json
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.telegram_people import (
    BY_NAME,
    Authors,
    inferred_owner,
    owner_from_me,
    participants,
    peer_id,
    sender_id,
)
from trustgraph.ingest.textio import check_file, open_binary
from trustgraph.ingest.timeparse import (
    OUT_OF_RANGE_REASON,
    DateOutOfRange,
    utc_from_epoch,
    utc_from_iso,
)

__all__ = ["TELEGRAM_CHANNEL_KINDS", "read_telegram"]

SOURCE = "telegram"

#: Telegram chat ``type`` → :attr:`ConversationEvent.channel`.
TELEGRAM_CHANNEL_KINDS: Mapping[str, str] = {
    "personal_chat": "dm",
    "private_group": "group",
    "private_supergroup": "group",
    "public_supergroup": "group",
    "private_channel": "channel",
    "public_channel": "channel",
    "saved_messages": "saved",
    "bot_chat": "bot",
}


def _full_name(entry: Mapping[str, Any]) -> str:
    """``first_name last_name`` from the parts that are text (other types are ignored)."""
    return " ".join(
        entry[k].strip()
        for k in ("first_name", "last_name")
        if isinstance(entry.get(k), str) and entry[k].strip()
    )


def _list_of(block: Any, what: str, report: ReadReport) -> list[Any]:
    """``block["list"]`` when `block` is an object holding a list; else [] (counted when the
    list is there but of another type)."""
    if not isinstance(block, Mapping) or block.get("list") is None:
        return []
    entries = block["list"]
    if not isinstance(entries, list):
        report.skip(f"{what}.list is not a list")
        return []
    return entries


def _text_length(text: Any) -> int | None:
    """Length of a ``text`` field: a string, or a list of strings and ``{type, text}`` dicts."""
    if isinstance(text, str):
        return len(text)
    if isinstance(text, list):
        total = 0
        for part in text:
            if isinstance(part, str):
                total += len(part)
            elif isinstance(part, Mapping) and isinstance(part.get("text"), str):
                total += len(part["text"])
        return total
    return None


def _timestamp(message: Mapping[str, Any], local_tz: tzinfo) -> tuple[datetime, bool]:
    """The message time and whether it came from the naive local ``date`` field."""
    if message.get("date_unixtime") not in (None, ""):
        return utc_from_epoch(message["date_unixtime"]), False
    return utc_from_iso(message["date"], naive_tz=local_tz), True


def read_telegram(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] = (),
    tz: tzinfo | str | None = None,
) -> ExportData:
    """Read a Telegram Desktop JSON export (full account or one chat).

    Parameters
    ----------
    path : str or path-like
        ``result.json`` (gzip accepted).
    me : iterable of str
        The owner's Telegram user id (``tg:123``, ``user123`` or ``123``); a display name is
        accepted for a single-chat export when exactly one sender carries it. Without it
        and without ``personal_information``, the owner of a personal chat is the one
        writer who is not the peer (the chat ``id``); elsewhere the owner stays unnamed
        and the report says so. Phone numbers and e-mails are kept in
        :attr:`ExportData.owner` as given (normalised).
    tz : tzinfo or str, optional
        Time zone of the naive ``date`` field, used only by old exports without
        ``date_unixtime`` (default UTC, with a note in the report).

    Returns
    -------
    ExportData
        Contacts (the owner, every sender and actor seen, address-book entries keyed by phone),
        one event per message (service messages are ``is_system``), one report.

    Raises
    ------
    IngestError
        Invalid or truncated JSON (file and line), the HTML export, an unrecognised shape,
        a recognised file without a single record, or one whose only records are service
        records (no message and no address book).

    Notes
    -----
    * Owner: ``personal_information.user_id`` (an int) is matched against the message
      ``from_id`` string ``"user<id>"``.
    * Sender: ``from_id`` (``actor_id`` for service messages), never the display name, so a
      deleted account (``from: null``) keeps its identity; a value not of Telegram's
      ``user<id>`` form is the node ``tg:id:<value>``. Files written without ids (old
      versions, third-party exporters) are read by the ``from`` name, scoped to Telegram
      (``tg-name:ada example``), with a note.
    * Recipients: the other participants of the chat. In a ``personal_chat`` they are the
      owner and the chat ``id`` (which is the peer's user id; unless the id is no writer's
      and the writers, with the owner, are already two: then those two); in groups and
      channels they are the owner plus every account seen as a sender or service actor in
      that chat, since the export has no member list (service ``members`` hold names only).
    * Channel: from the chat ``type`` through :data:`TELEGRAM_CHANNEL_KINDS`; ``saved``
      events have no recipient and ``bot`` chats talk to a bot.
    * Time: ``date_unixtime`` (UTC epoch); old exports only have the naive local ``date``.
    * The whole file is parsed in memory (``json``); multi-gigabyte exports need as much RAM.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> chat = {"name": "Bo", "type": "personal_chat", "id": 2, "messages": [
    ...     {"id": 1, "type": "message", "date_unixtime": "1710407112",
    ...      "from": "Ada", "from_id": "user1", "text": "hi"}]}
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "result.json"
    >>> _ = file.write_text(json.dumps(chat))
    >>> data = read_telegram(file, me=["tg:1"])
    >>> event = data.events[0]
    >>> event.sender, event.recipients, event.channel, event.n_chars
    ('tg:1', ('tg:2',), 'dm', 2)
    """
    file = check_file(path)
    label = str(file)
    with open_binary(file) as handle:
        raw = handle.read()
    if looks_like_html(raw):
        raise IngestError(
            "this is Telegram's HTML export; export again with Format: 'Machine-readable JSON'",
            path=label,
        )
    root = parse_json(raw, label)
    local_tz = resolve_timezone(tz)
    report = ReadReport(path=label, format="telegram-json")
    chats = _chat_list(root, label, report)
    authors = Authors(chats)
    contacts: dict[str, Contact] = {}
    owner, owner_tg = _profile_owner(root, contacts, report)
    owner_from_me(me, chats, owner, owner_tg, report)
    if not owner_tg:
        owner_tg |= inferred_owner(chats, report, authors)
        owner.extend(sorted(owner_tg))
    _read_address_book(root, contacts, report)
    ratings = _frequent_contacts(root, report)
    names: dict[str, str] = {}
    events, naive_dates = _read_chats(chats, owner_tg, names, local_tz, report, authors)
    for node, display in names.items():
        if node in contacts:
            continue
        attributes = {"telegram_rating": ratings[node]} if node in ratings else {}
        contacts[node] = Contact(
            id=node, display_name=display or None, attributes=attributes, source=SOURCE
        )
    if naive_dates:
        zone = getattr(local_tz, "key", None) or str(local_tz)
        report.notes.append(
            f"{naive_dates} messages had no date_unixtime: their local 'date' was read as {zone}"
        )
    report.records["contacts"] = len(contacts)
    report.records["events"] = len(events)
    if not events and not report.records["address_book"]:
        raise IngestError(
            "recognised as a Telegram export but it holds no message and no contact "
            "(was the export limited to media or to an empty date range?)",
            path=label,
        )
    services = report.records.get("system_events", 0)
    if not report.records.get("messages") and services and not report.records["address_book"]:
        # Service records alone (a channel's creation, a join) tie nobody to anybody: refused
        # as the WhatsApp reader refuses a chat of system lines only.
        raise IngestError(f"0 messages: {services} service records and no message", path=label)
    return ExportData(
        contacts=list(contacts.values()),
        events=events,
        reports=[report],
        owner=tuple(dict.fromkeys(owner)),
    )


def _chat_list(root: Any, label: str, report: ReadReport) -> list[Any]:
    """The chats of a full export, or the one chat of a single-chat export."""
    if isinstance(root, Mapping) and isinstance(root.get("chats"), Mapping):
        chats = root["chats"].get("list")
        report.variant = "full-export"
    elif isinstance(root, Mapping) and isinstance(root.get("messages"), list):
        chats = [root]
        kind = root.get("type") if isinstance(root.get("type"), str) else "untyped"
        report.variant = f"single-chat ({kind[:40]})"
    else:
        keys = sorted(root)[:8] if isinstance(root, Mapping) else type(root).__name__
        raise IngestError(
            f"not a Telegram Desktop JSON export (no 'chats' or 'messages'; found {keys})",
            path=label,
        )
    if not isinstance(chats, list):
        raise IngestError("'chats.list' is not a list", path=label)
    return chats


def _profile_owner(
    root: Mapping[str, Any], contacts: dict[str, Contact], report: ReadReport
) -> tuple[list[str], set[str]]:
    """The owner named by ``personal_information`` (id and phone), added to `contacts`."""
    owner: list[str] = []
    owner_tg: set[str] = set()
    profile = root.get("personal_information")
    if not isinstance(profile, Mapping) or profile.get("user_id") is None:
        return owner, owner_tg
    report.variant += "+personal_information"
    owner_id = peer_id(profile["user_id"])
    if owner_id is None:
        return owner, owner_tg
    owner.append(owner_id)
    owner_tg.add(owner_id)
    raw_phone = profile.get("phone_number")
    if raw_phone is not None and not isinstance(raw_phone, str):
        report.skip("personal_information phone_number is not text")
        raw_phone = None
    phone = normalize_phone(raw_phone or "")
    ids = (owner_id, phone) if phone else (owner_id,)
    owner.extend(ids[1:])
    contacts[owner_id] = Contact(
        id=owner_id,
        identifiers=ids,
        display_name=_full_name(profile) or None,
        attributes={"is_me": True},
        source=SOURCE,
    )
    return owner, owner_tg


def _read_chats(
    chats: list[Any],
    owner_tg: set[str],
    names: dict[str, str],
    local_tz: tzinfo,
    report: ReadReport,
    authors: Authors,
) -> tuple[list[ConversationEvent], int]:
    """One event per message of every chat; the count of messages dated from naive times."""
    counts: Counter = Counter()
    events: list[ConversationEvent] = []
    naive_dates = named = by_name_of_id = 0
    for chat_number, chat in enumerate(chats):
        if not isinstance(chat, Mapping) or not isinstance(chat.get("messages"), list):
            report.skip("chat without a message list")
            continue
        chat_type = chat.get("type") if isinstance(chat.get("type"), str) else ""
        channel = TELEGRAM_CHANNEL_KINDS.get(chat_type)
        if channel is None:
            what = (
                f"unknown chat type {chat_type[:40]!r}" if chat_type else "a chat without a type"
            )
            report.notes.append(f"{what} read as a group chat")
            channel = "group"
        chat_id = chat.get("id")
        if not isinstance(chat_id, (int, str)) or isinstance(chat_id, bool):
            chat_id = chat_number
        conversation = f"tg:chat{chat_id}"
        members = participants(chat, chat_type, owner_tg, names, authors, report)
        counts["conversations"] += 1
        for message in chat["messages"]:
            event, reason, naive = _event(
                message, channel, conversation, members, local_tz, authors
            )
            if event is None:
                report.skip(reason)
                continue
            naive_dates += naive
            named += event.sender.startswith(BY_NAME)
            key = "actor_id" if event.is_system else "from_id"
            by_name_of_id += not authors.by_name and sender_id(message.get(key)) is None
            events.append(event)
            report.see(event.timestamp)
            counts["system_events" if event.is_system else "messages"] += 1
    report.records.update(counts)
    if named:
        report.notes.append(
            f"{named} messages had no from_id: their senders are known by name only"
        )
    if by_name_of_id:
        report.notes.append(
            f"{by_name_of_id} records had no from_id (or actor_id): each was given to the one "
            "account whose id its name carries elsewhere in the file"
        )
    return events, naive_dates


def _read_address_book(
    root: Mapping[str, Any], contacts: dict[str, Contact], report: ReadReport
) -> None:
    """``contacts.list``: phone-book entries (phone and name, no Telegram id)."""
    for entry in _list_of(root.get("contacts"), "contacts", report):
        if not isinstance(entry, Mapping):
            report.skip("address-book entry is not an object")
            continue
        raw_phone = entry.get("phone_number")
        phone = normalize_phone(raw_phone) if isinstance(raw_phone, str) else None
        if not phone:
            report.skip("address-book entry without a usable phone number")
            continue
        display = _full_name(entry)
        added = None
        try:
            if entry.get("date_unixtime") not in (None, ""):
                added = utc_from_epoch(entry["date_unixtime"])
        except ValueError:
            report.skip("address-book date unreadable (entry kept)")
        if phone in contacts:
            report.skip("address-book duplicate phone")
            continue
        contacts[phone] = Contact(
            id=phone,
            display_name=display or None,
            attributes={"telegram_address_book": True},
            source=SOURCE,
            connected_on=added,
            declared=True,
        )
        report.records["address_book"] += 1


def _frequent_contacts(root: Mapping[str, Any], report: ReadReport) -> dict[str, float]:
    """Telegram's own "top peers" rating per user id (a free prior for tie strength)."""
    ratings: dict[str, float] = {}
    for entry in _list_of(root.get("frequent_contacts"), "frequent_contacts", report):
        if isinstance(entry, Mapping) and entry.get("type", "user") == "user":
            node = peer_id(entry.get("id"))
            rating = entry.get("rating")
            if node and isinstance(rating, (int, float)) and not isinstance(rating, bool):
                try:
                    value = float(rating)
                except OverflowError:  # an integer beyond the float range
                    continue
                if math.isfinite(value):
                    ratings[node] = value
    return ratings


def _kind(message: Mapping[str, Any]) -> Any:
    """The record's ``type``; a record without one (some third-party tools drop it) is a
    message when it names a sender and a service record when it names an actor."""
    kind = message.get("type")
    if kind is None:
        if "from_id" in message or "from" in message:
            return "message"
        if "actor_id" in message or "actor" in message:
            return "service"
    return kind


def _event(
    message: Any,
    channel: str,
    conversation: str,
    participants: tuple[str, ...],
    local_tz: tzinfo,
    authors: Authors,
) -> tuple[ConversationEvent | None, str, bool]:
    if not isinstance(message, Mapping):
        return None, "message is not an object", False
    kind = _kind(message)
    if kind == "message":
        sender = authors.of(message, "from_id", "from")
        if sender is None:
            return None, "message without from_id", False
        n_chars = _text_length(message.get("text"))
        is_system = False
    elif kind == "service":
        sender = authors.of(message, "actor_id", "actor")
        if sender is None:
            return None, "service message without actor_id", False
        n_chars = None
        is_system = True
    elif isinstance(kind, str):
        return None, f"unknown message type {kind[:40]!r}", False
    elif kind is None:
        return None, "record without a type, a sender or an actor", False
    else:
        return None, "message type is not text", False
    try:
        when, naive = _timestamp(message, local_tz)
    except DateOutOfRange:
        return None, f"message {OUT_OF_RANGE_REASON}", False
    except (KeyError, ValueError, TypeError):
        return None, "message without a readable date", False
    recipients = tuple(p for p in participants if p != sender)
    return (
        ConversationEvent(
            timestamp=when,
            sender=sender,
            recipients=recipients,
            channel=channel,
            conversation_id=conversation,
            source=SOURCE,
            n_chars=n_chars,
            is_system=is_system,
        ),
        "",
        naive,
    )
