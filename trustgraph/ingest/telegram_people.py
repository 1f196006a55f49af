"""Who is who in a Telegram Desktop JSON export: authors, the owner and a personal chat's peer.

Used by :mod:`trustgraph.ingest.telegram`. Accounts are ``tg:<user id>`` (``tg:channel<id>``
for posts signed by a channel); in a file without any id (old versions, third-party
exporters) people are known by name, scoped to Telegram (``tg-name:ada example``).

A personal chat has two members, the owner and the peer, and Telegram writes the peer's user
id as the chat's ``id``: when the peer wrote, its messages carry ``from_id: "user<id>"``.
:func:`participants` follows that rule, with one exception for files that break it (written
by hand or by other tools): when the chat id is no writer's and the writers, with the owner
when known, are exactly two accounts, those two are the members and the chat id is not added
as a third person. When fewer accounts write (the peer never wrote) the chat id is the peer;
when more do, the file is no pair anyway and the chat id is kept as Telegram defines it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from trustgraph.ingest.identity import name_id, normalize_identifier
from trustgraph.ingest.records import ReadReport

__all__ = [
    "BY_NAME",
    "Authors",
    "inferred_owner",
    "owner_from_me",
    "participants",
    "peer_id",
    "sender_id",
    "tg_name",
]

_PEER = re.compile(r"^(user|channel|chat)?(\d+)$")
BY_NAME = "tg-name:"
#: Node id prefix of a sender whose ``from_id`` is not Telegram's ``user<digits>`` form.
OTHER_ID = "tg:id:"
_PAIR_CHATS = ("personal_chat", "bot_chat")


def peer_id(raw: Any) -> str | None:
    """``"user123"`` / ``123`` → ``"tg:123"``; ``"channel9"`` → ``"tg:channel9"``."""
    if raw is None or isinstance(raw, bool):
        return None
    match = _PEER.match(str(raw).strip())
    if match is None:
        return None
    kind, digits = match.groups()
    return f"tg:{digits}" if kind in (None, "user") else f"tg:{kind}{digits}"


def sender_id(raw: Any) -> str | None:
    """The account behind a ``from_id`` or ``actor_id`` value.

    Telegram's own forms keep their ids (:func:`peer_id`: ``"user123"`` → ``"tg:123"``).
    Any other non-empty string or integer, as third-party tools write them
    (``"sample_participant_01"``, a negative chat number), still names one sender:
    ``"tg:id:<value>"``, which never equals an id of Telegram's forms.

    >>> sender_id("user42"), sender_id("sample_participant_01"), sender_id(" "), sender_id(-7)
    ('tg:42', 'tg:id:sample_participant_01', None, 'tg:id:-7')
    """
    node = peer_id(raw)
    if node is not None or isinstance(raw, bool):
        return node
    if isinstance(raw, int):
        return f"{OTHER_ID}{raw}"
    if isinstance(raw, str) and raw.strip():
        return f"{OTHER_ID}{raw.strip()}"
    return None


def tg_name(name: str) -> str | None:
    """A person known by display name only, scoped to Telegram; None for a blank name."""
    try:
        return name_id("tg", name)
    except ValueError:  # a name made of blanks or punctuation only
        return None


def _me_id(value: str) -> str | None:
    """Accept ``tg:123``, ``user123``, ``123`` or ``tg:id:<from_id>`` as the owner's id."""
    text = value.strip()
    if text.startswith(OTHER_ID) and len(text) > len(OTHER_ID):
        return sender_id(text[len(OTHER_ID) :])
    if text.startswith("tg:"):
        text = text[3:]
    return peer_id(text)


def _messages(chats: list[Any]) -> Iterable[Mapping[str, Any]]:
    for chat in chats:
        if isinstance(chat, Mapping) and isinstance(chat.get("messages"), list):
            yield from (m for m in chat["messages"] if isinstance(m, Mapping))


class Authors:
    """The account behind a message's ``from_id`` (or ``actor_id``), else behind its name.

    In a file without any id every author is known by name (``tg-name:``). In a file with
    ids, a message without one (third-party tools drop it on some records) is the account
    whose id the same name carries elsewhere in the file. A name that no id carries, or that
    several do, gives None and the message is skipped and counted: the name may belong to
    an account known by id (a deleted account keeps its id and loses its name).
    """

    def __init__(self, chats: list[Any]) -> None:
        ids: dict[str, set[str]] = {}
        for message in _messages(chats):
            for key_id, key_name in (("from_id", "from"), ("actor_id", "actor")):
                node, shown = sender_id(message.get(key_id)), message.get(key_name)
                if node is not None and isinstance(shown, str):
                    ids.setdefault(shown, set()).add(node)
        self.by_name = not any(m.get("from_id") or m.get("actor_id") for m in _messages(chats))
        self.name_ids = {name: next(iter(s)) if len(s) == 1 else None for name, s in ids.items()}

    def of(self, message: Mapping[str, Any], key_id: str, key_name: str) -> str | None:
        node = sender_id(message.get(key_id))
        if node is not None:
            return node
        shown = message.get(key_name)
        if not isinstance(shown, str):
            return None
        if not self.by_name:
            return self.name_ids.get(shown)
        return tg_name(shown)

    def writer(self, message: Mapping[str, Any]) -> str | None:
        return self.of(message, "from_id", "from") or self.of(message, "actor_id", "actor")


def owner_from_me(
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


def _owner_by_name(chats: list[Any], hints: list[str], report: ReadReport) -> set[str]:
    """Map display names given as ``me`` to from_ids when each name has exactly one id."""
    seen: dict[str, set[str]] = {}
    for message in _messages(chats):
        if isinstance(message.get("from"), str):
            node = sender_id(message.get("from_id"))
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


def inferred_owner(chats: list[Any], report: ReadReport, authors: Authors) -> set[str]:
    """The owner of an export that does not name one: in a personal chat the chat ``id`` is
    the peer, so the one other account that writes is the owner; when the chat id is no
    writer's, the peer is the one writer shown under the chat's name. Elsewhere the owner
    stays unnamed (the graph has no ego) and the report says so."""
    chat = chats[0] if len(chats) == 1 and isinstance(chats[0], Mapping) else None
    if chat is not None and chat.get("type") in _PAIR_CHATS:
        title = chat["name"].strip() if isinstance(chat.get("name"), str) else ""
        peers = {peer_id(chat.get("id")), None}
        if title:
            peers.add(tg_name(title))  # a peer known by name only
        messages = [m for m in chat["messages"] if isinstance(m, Mapping)]
        writers = {authors.writer(m) for m in messages} - peers
        if len(writers) == 2 and title:
            # The chat id is no writer's: the peer is the writer shown under the chat's name.
            named = {authors.writer(m) for m in messages if m.get("from") == title}
            writers -= named if len(named) == 1 else set()
        if len(writers) == 1:
            found = writers.pop()
            assert found is not None
            report.notes.append(f"owner inferred as {found}: the one writer who is not the peer")
            return {found}
    report.notes.append(
        "owner not named (no personal_information): pass --me tg:<your user id> to name it"
    )
    return set()


def participants(
    chat: Mapping[str, Any],
    chat_type: str,
    owner_tg: set[str],
    names: dict[str, str],
    authors: Authors,
    report: ReadReport,
) -> tuple[str, ...]:
    """Everyone known to be in the chat: the owner, the peer of a personal chat, and every
    account seen as a sender or service actor (the export has no member list)."""
    seen: dict[str, None] = {}
    for message in chat["messages"]:
        if not isinstance(message, Mapping):
            continue
        for key_id, key_name in (("from_id", "from"), ("actor_id", "actor")):
            node = authors.of(message, key_id, key_name)
            if node:
                seen[node] = None
                shown = message.get(key_name)
                if isinstance(shown, str) and shown:
                    names[node] = shown
                else:
                    names.setdefault(node, "")
    if chat_type == "saved_messages":
        return tuple(sorted(owner_tg))
    members: dict[str, None] = dict.fromkeys(sorted(owner_tg))
    title = chat.get("name") if isinstance(chat.get("name"), str) else ""
    peer = peer_id(chat.get("id"))
    # The peer of a personal chat is the chat id, unless the file knows people by name only
    # and the peer already writes under the chat's name, or the writers already make the pair.
    if chat_type in _PAIR_CHATS and peer and tg_name(title) not in seen:
        pair = peer not in seen and len(set(seen) | owner_tg) == 2
        if pair:
            report.notes.append(
                f"the {chat_type} id {peer} is not among its two writers (Telegram writes the "
                "peer's user id there): the two writers are taken as its members"
            )
        else:
            members[peer] = None
            names.setdefault(peer, title)
    members.update(seen)
    return tuple(members)
