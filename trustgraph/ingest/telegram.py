"""Telegram Desktop JSON export (``result.json``): chats become conversation events.

Two shapes are recognised:

* **full export** (Settings → Advanced → Export Telegram data → Machine-readable JSON): the
  root holds ``personal_information`` (the owner), ``contacts``, ``frequent_contacts`` and
  ``chats.list``;
* **single-chat export** (chat menu → Export chat history → JSON): the root *is* one chat
  (``name``, ``type``, ``id``, ``messages``), of any chat type (personal, group,
  supergroup, channel, saved messages, bot), and does not say who the owner is: ``me``
  names it, or for a personal chat it is inferred (the one writer who is not the peer).

Node ids are ``tg:<user id>`` (``tg:channel<id>`` for posts signed by a channel); address-book
entries, which carry a phone number but no user id, become contacts keyed by the E.164 phone.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import looks_like_html, resolve_timezone
from trustgraph.ingest.identity import name_id, normalize_identifier, normalize_phone
from trustgraph.ingest.jsonsafe import parse_json
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
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

_PEER = re.compile(r"^(user|channel|chat)?(\d+)$")
_BY_NAME = "tg-name:"


def _peer_id(raw: Any) -> str | None:
    """``"user123"`` / ``123`` → ``"tg:123"``; ``"channel9"`` → ``"tg:channel9"``."""
    if raw is None or isinstance(raw, bool):
        return None
    match = _PEER.match(str(raw).strip())
    if match is None:
        return None
    kind, digits = match.groups()
    return f"tg:{digits}" if kind in (None, "user") else f"tg:{kind}{digits}"


def _author(
    message: Mapping[str, Any], key_id: str, key_name: str, by_name: bool = False
) -> str | None:
    """The account behind `key_id`; in a file without ids (`by_name`: older exporters and
    third-party tools), the name in `key_name` scoped to Telegram. In a file with ids, a
    message without one is skipped: its name may belong to an account known by id."""
    node = _peer_id(message.get(key_id))
    if node is not None or not by_name:
        return node
    shown = message.get(key_name)
    return _tg_name(shown) if isinstance(shown, str) else None


def _tg_name(name: str) -> str | None:
    try:
        return name_id("tg", name)
    except ValueError:  # a name made of blanks or punctuation only
        return None


def _me_id(value: str) -> str | None:
    """Accept ``tg:123``, ``user123`` or ``123`` as the owner's Telegram id."""
    text = value.strip()
    if text.startswith("tg:"):
        text = text[3:]
    return _peer_id(text)


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
        or a recognised file without a single record.

    Notes
    -----
    * Owner: ``personal_information.user_id`` (an int) is matched against the message
      ``from_id`` string ``"user<id>"``.
    * Sender: ``from_id`` (``actor_id`` for service messages), never the display name, so a
      deleted account (``from: null``) keeps its identity. Files written without ids (old
      versions, third-party exporters) are read by the ``from`` name, scoped to Telegram
      (``tg-name:ada example``), with a note.
    * Recipients: the other participants of the chat. In a ``personal_chat`` they are the
      owner and the chat ``id`` (which is the peer's user id); in groups and channels they
      are the owner plus every account seen as a sender or service actor in that chat, since
      the export has no member list (service ``members`` hold names only).
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
    by_name = _without_ids(chats)
    contacts: dict[str, Contact] = {}
    owner, owner_tg = _profile_owner(root, contacts, report)
    _owner_from_me(me, chats, owner, owner_tg, report)
    if not owner_tg:
        owner_tg |= _inferred_owner(chats, report, by_name)
        owner.extend(sorted(owner_tg))
    _read_address_book(root, contacts, report)
    ratings = _frequent_contacts(root, report)
    names: dict[str, str] = {}
    events, naive_dates = _read_chats(chats, owner_tg, names, local_tz, report, by_name)
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
    owner_id = _peer_id(profile["user_id"])
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


def _owner_from_me(
    me: Iterable[str], chats: list[Any], owner: list[str], owner_tg: set[str], report: ReadReport
) -> None:
    """Add the ``me`` values to `owner` (Telegram ids also to `owner_tg`; display names
    through the one id that carries them)."""
    name_hints: list[str] = []
    for value in me:
        tg = _me_id(value)
        if tg is not None:
            owner_tg.add(tg)
            owner.append(tg)
            continue
        other = normalize_identifier(value)
        if other:
            owner.append(other)
        else:
            name_hints.append(value.strip())
    if name_hints and not owner_tg:
        owner_tg |= _owner_by_name(chats, name_hints, report)
        owner.extend(sorted(owner_tg))


def _without_ids(chats: list[Any]) -> bool:
    """Whether no message of the file carries a ``from_id`` or an ``actor_id``."""
    return not any(
        isinstance(m, Mapping) and (m.get("from_id") or m.get("actor_id"))
        for chat in chats
        if isinstance(chat, Mapping) and isinstance(chat.get("messages"), list)
        for m in chat["messages"]
    )


def _inferred_owner(chats: list[Any], report: ReadReport, by_name: bool) -> set[str]:
    """The owner of an export that does not name one: in a personal chat the chat ``id`` is
    the peer, so the one other account that writes is the owner. Elsewhere the owner stays
    unnamed (the graph has no ego) and the report says so."""
    chat = chats[0] if len(chats) == 1 and isinstance(chats[0], Mapping) else None
    if chat is not None and chat.get("type") in ("personal_chat", "bot_chat"):
        peers = {_peer_id(chat.get("id")), None}
        if isinstance(chat.get("name"), str) and chat["name"].strip():
            peers.add(_tg_name(chat["name"]))  # a peer known by name only
        writers = {
            _author(m, "from_id", "from", by_name) or _author(m, "actor_id", "actor", by_name)
            for m in chat["messages"]
            if isinstance(m, Mapping)
        } - peers
        if len(writers) == 1:
            found = writers.pop()
            assert found is not None
            report.notes.append(f"owner inferred as {found}: the one writer who is not the peer")
            return {found}
    report.notes.append(
        "owner not named (no personal_information): pass --me tg:<your user id> to name it"
    )
    return set()


def _read_chats(
    chats: list[Any],
    owner_tg: set[str],
    names: dict[str, str],
    local_tz: tzinfo,
    report: ReadReport,
    by_name: bool,
) -> tuple[list[ConversationEvent], int]:
    """One event per message of every chat; the count of messages dated from naive times."""
    counts: Counter = Counter()
    events: list[ConversationEvent] = []
    naive_dates = named = 0
    for chat_number, chat in enumerate(chats):
        if not isinstance(chat, Mapping) or not isinstance(chat.get("messages"), list):
            report.skip("chat without a message list")
            continue
        chat_type = chat.get("type") if isinstance(chat.get("type"), str) else ""
        channel = TELEGRAM_CHANNEL_KINDS.get(chat_type)
        if channel is None:
            report.notes.append(f"unknown chat type {chat_type[:40]!r} read as a group chat")
            channel = "group"
        chat_id = chat.get("id")
        if not isinstance(chat_id, (int, str)) or isinstance(chat_id, bool):
            chat_id = chat_number
        conversation = f"tg:chat{chat_id}"
        participants = _participants(chat, chat_type, owner_tg, names, by_name)
        counts["conversations"] += 1
        for message in chat["messages"]:
            event, reason, naive = _event(
                message, channel, conversation, participants, local_tz, by_name
            )
            if event is None:
                report.skip(reason)
                continue
            naive_dates += naive
            named += event.sender.startswith(_BY_NAME)
            events.append(event)
            report.see(event.timestamp)
            counts["system_events" if event.is_system else "messages"] += 1
    report.records.update(counts)
    if named:
        report.notes.append(
            f"{named} messages had no from_id: their senders are known by name only"
        )
    return events, naive_dates


def _owner_by_name(chats: list[Any], hints: list[str], report: ReadReport) -> set[str]:
    """Map display names given as ``me`` to from_ids when each name has exactly one id."""
    seen: dict[str, set[str]] = {}
    for chat in chats:
        if not isinstance(chat, Mapping):
            continue
        messages = chat.get("messages")
        for message in messages if isinstance(messages, list) else ():
            if isinstance(message, Mapping) and isinstance(message.get("from"), str):
                node = _peer_id(message.get("from_id"))
                if node:
                    seen.setdefault(message["from"], set()).add(node)
    found: set[str] = set()
    for hint in hints:
        ids = seen.get(hint, set())
        if len(ids) == 1:
            found |= ids
            report.notes.append(f"owner matched by display name to {next(iter(ids))}")
        elif len(ids) > 1:
            report.notes.append(f"display name {hint!r} is used by {len(ids)} accounts: ignored")
    return found


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
            node = _peer_id(entry.get("id"))
            rating = entry.get("rating")
            if node and isinstance(rating, (int, float)) and not isinstance(rating, bool):
                try:
                    value = float(rating)
                except OverflowError:  # an integer beyond the float range
                    continue
                if math.isfinite(value):
                    ratings[node] = value
    return ratings


def _participants(
    chat: Mapping[str, Any],
    chat_type: str,
    owner_tg: set[str],
    names: dict[str, str],
    by_name: bool,
) -> tuple[str, ...]:
    """Everyone known to be in the chat: the owner, the peer of a personal chat, and every
    account seen as a sender or service actor (the export has no member list)."""
    authors: dict[str, None] = {}
    for message in chat["messages"]:
        if not isinstance(message, Mapping):
            continue
        for key_id, key_name in (("from_id", "from"), ("actor_id", "actor")):
            node = _author(message, key_id, key_name, by_name)
            if node:
                authors[node] = None
                shown = message.get(key_name)
                if isinstance(shown, str) and shown:
                    names[node] = shown
                else:
                    names.setdefault(node, "")
    members: dict[str, None] = dict.fromkeys(sorted(owner_tg))
    title = chat.get("name") if isinstance(chat.get("name"), str) else ""
    peer = _peer_id(chat.get("id"))
    # The peer of a personal chat is the chat id, unless the file knows people by name only
    # and the peer already writes under the chat's name.
    writes_by_name = _tg_name(title) in authors
    if chat_type in ("personal_chat", "bot_chat") and peer and not writes_by_name:
        members[peer] = None
        names.setdefault(peer, title)
    members.update(authors)
    if chat_type == "saved_messages":
        return tuple(sorted(owner_tg))
    return tuple(members)


def _event(
    message: Any,
    channel: str,
    conversation: str,
    participants: tuple[str, ...],
    local_tz: tzinfo,
    by_name: bool,
) -> tuple[ConversationEvent | None, str, bool]:
    if not isinstance(message, Mapping):
        return None, "message is not an object", False
    kind = message.get("type")
    if kind == "message":
        sender = _author(message, "from_id", "from", by_name)
        if sender is None:
            return None, "message without from_id", False
        n_chars = _text_length(message.get("text"))
        is_system = False
    elif kind == "service":
        sender = _author(message, "actor_id", "actor", by_name)
        if sender is None:
            return None, "service message without actor_id", False
        n_chars = None
        is_system = True
    elif isinstance(kind, str):
        return None, f"unknown message type {kind[:40]!r}", False
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
