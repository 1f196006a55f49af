"""Slack workspace export (admin export or ``slackdump``): a folder or a zip, read in place.

Layout::

    users.json  channels.json  groups.json  dms.json  mpims.json
    <channel name>/<YYYY-MM-DD>.json     one JSON array of messages per conversation per day
    <DM id>/<YYYY-MM-DD>.json

Exports without the conversation lists (``users.json`` and the channel folders only, as
Slack importers' fixtures ship them) are read with each folder of day files as a channel
named by its folder.

Node ids are ``slack:<user id>`` (``slack:<bot id>`` for bot posts); ``users.json`` adds each
member's e-mail address as a second identifier, which joins Slack with mail and contacts.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import ExportTree
from trustgraph.ingest.identity import normalize_email
from trustgraph.ingest.jsonsafe import parse_json
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange, utc_from_epoch

__all__ = ["DAY_FILE", "SLACK_HUMAN_SUBTYPES", "read_slack"]

SOURCE = "slack"
#: The name of a day file of a conversation folder (``2024-03-14.json``).
DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")

#: Message subtypes written by a person; every other subtype (``channel_join``,
#: ``channel_leave``, ``bot_message``, ``channel_topic``, ...) is read as ``is_system``.
SLACK_HUMAN_SUBTYPES = frozenset({"", "thread_broadcast", "file_share", "me_message"})

# conversation list file -> (channel kind, report variant, folder key)
_LISTS = (
    ("channels.json", "channel", "public-channel", "name"),
    ("groups.json", "channel", "private-channel", "name"),
    ("dms.json", "dm", "dm", "id"),
    ("mpims.json", "group", "mpim", "name"),
)


@dataclass
class _Conversation:
    conversation_id: str
    folder: str
    channel: str
    variant: str
    members: list[str] = field(default_factory=list)


def _node(user: Any) -> str | None:
    if isinstance(user, str) and user.strip():
        return f"slack:{user.strip()}"
    return None


def _text(value: Any) -> str | None:
    """`value` when it is non-empty text, else None (names of other JSON types are ignored)."""
    return value if isinstance(value, str) and value else None


def _list(value: Any, what: str, report: ReadReport) -> list[Any]:
    """`value` when it is a list; a missing value is an empty list, any other type is
    counted as skipped and read as an empty list."""
    if value is None:
        return []
    if not isinstance(value, list):
        report.skip(f"{what} is not a list")
        return []
    return value


def read_slack(path: str | os.PathLike[str], *, me: Iterable[str] = ()) -> ExportData:
    """Read a Slack workspace export folder or zip archive.

    Parameters
    ----------
    path : str or path-like
        The export folder, or the ``.zip`` Slack delivers (read in place, not extracted).
    me : iterable of str
        The owner's Slack member id (``U0ADA0001`` or ``slack:U0ADA0001``) or e-mail address,
        matched against ``users.json``. Slack exports do not record who exported them.

    Returns
    -------
    ExportData
        One contact per ``users.json`` member (and per unknown author), one event per message
        and per reaction, a report for ``users.json`` (export-wide notes) and one per
        conversation folder.

    Raises
    ------
    IngestError
        Not a Slack export, invalid or truncated JSON (file and line), a day file that is not
        an array, or an export without a single message.

    Notes
    -----
    * Channel: ``dms.json`` → ``"dm"``; ``mpims.json`` → ``"group"``; ``channels.json`` and
      ``groups.json`` (private channels) → ``"channel"``; each reaction → ``"reaction"``.
    * Recipients: in DMs and group DMs, the other members. In channels a plain post goes to
      every other member (a broadcast: the listed ``members`` plus every author seen), while a
      thread reply (``thread_ts`` ≠ ``ts``) goes to the parent's author only. A reaction is
      an event from the reacting member to the message author, dated at the message (the
      export has no reaction time); reactions beyond the listed ``users`` are counted as
      skipped.
    * Subtypes outside :data:`SLACK_HUMAN_SUBTYPES` (joins, leaves, bot posts, topic
      changes) are ``is_system`` events.
    * ``ts`` is a UTC epoch string, parsed exactly (no float rounding).
    * Free-plan exports hold only public channels: the report then warns that the DM layer,
      the strongest trust signal, is missing.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "users.json").write_text(json.dumps([{"id": "U1", "real_name": "Ada"},
    ...                                                  {"id": "U2", "real_name": "Bo"}]))
    >>> _ = (root / "dms.json").write_text(json.dumps([{"id": "D1", "members": ["U1", "U2"]}]))
    >>> (root / "D1").mkdir()
    >>> _ = (root / "D1" / "2024-03-14.json").write_text(json.dumps(
    ...     [{"type": "message", "user": "U1", "text": "hi", "ts": "1710407112.000100"}]))
    >>> data = read_slack(root, me=["U1"])
    >>> e = data.events[0]
    >>> e.sender, e.recipients, e.channel, e.timestamp.isoformat()
    ('slack:U1', ('slack:U2',), 'dm', '2024-03-14T09:05:12.000100+00:00')
    """
    with ExportTree(path) as tree:
        return _read_tree(tree, me)


def _read_tree(tree: ExportTree, me: Iterable[str]) -> ExportData:
    if tree.kind == "file":
        raise IngestError(
            "give the whole Slack export folder or its .zip archive, not a single file",
            path=tree.path,
        )
    members = tree.members()
    base = _find_base(members)
    if base is None:
        raise IngestError(
            "not a Slack export: no users.json, channels.json or dms.json found", path=tree.path
        )

    def member(name: str) -> str:
        return str(base / name) if str(base) != "." else name

    present = set(members)
    main = ReadReport(path=tree.label(member("users.json")), format="slack-export")

    contacts, emails = _read_users(tree, member("users.json"), present, main)
    conversations, lists_found = _read_lists(tree, member, present, main)
    day_files = _day_files(members, base)
    main.variant = "+".join(lists_found) or "no conversation lists"
    if not lists_found:
        conversations, day_files = _folders_as_channels(day_files)
        main.variant = "channel folders without channels.json"
        main.notes.append(
            "no channels.json, groups.json, dms.json or mpims.json: each folder of "
            "YYYY-MM-DD.json day files is read as a channel named by its folder, whose "
            "members are the authors seen in it"
        )
    has_private = any(c.variant in ("dm", "mpim") for c in conversations.values())
    if not has_private:
        main.variant += " (public channels only)"
        main.notes.append(
            "no direct messages in this export (a free-plan or public-only export): the DM "
            "layer, the strongest trust signal, is missing; ties come from channels only"
        )

    owner, owner_notes = _resolve_me(me, contacts, emails)
    main.notes.extend(owner_notes)

    data = ExportData(owner=owner)
    data.reports.append(main)
    for folder in sorted(set(day_files) - set(conversations)):
        main.skip("conversation folder not listed in channels/groups/dms/mpims.json")
        main.notes.append(f"folder {folder!r} is not listed in any conversation file: skipped")
    for folder, conversation in conversations.items():
        files = sorted(
            day_files.get(folder) or day_files.get(conversation.conversation_id[6:], [])
        )
        if not files:
            main.records["conversations_without_messages"] += 1
            continue
        report = ReadReport(
            path=tree.label(member(folder)), format="slack-export", variant=conversation.variant
        )
        data.events.extend(_read_conversation(tree, files, conversation, report, contacts))
        data.reports.append(report)

    main.records["contacts"] = len(contacts)
    main.records["conversations"] = len(data.reports) - 1
    main.records["events"] = len(data.events)
    if not data.events:
        raise IngestError(
            "recognised as a Slack export but no conversation folder holds a message",
            path=tree.label(member("users.json")),
        )
    for event in data.events:
        main.see(event.timestamp)
    data.contacts.extend(contacts.values())
    return data


def _read_users(
    tree: ExportTree, name: str, present: set[str], main: ReadReport
) -> tuple[dict[str, Contact], dict[str, str]]:
    """Contacts from ``users.json`` and the map from their e-mail addresses to node ids."""
    contacts: dict[str, Contact] = {}
    emails: dict[str, str] = {}
    if name not in present:
        main.notes.append("no users.json: names and e-mail addresses are unknown")
        return contacts, emails
    for user in _load_list(tree, name):
        contact = _user_contact(user)
        if contact is None:
            main.skip("user entry without an id")
            continue
        contacts[contact.id] = contact
        for identifier in contact.identifiers[1:]:
            emails[identifier] = contact.id
    return contacts, emails


def _read_lists(
    tree: ExportTree, member: Callable[[str], str], present: set[str], main: ReadReport
) -> tuple[dict[str, _Conversation], list[str]]:
    """Every conversation listed in channels/groups/dms/mpims.json, by folder name."""
    conversations: dict[str, _Conversation] = {}
    lists_found: list[str] = []
    for list_name, channel, variant, folder_key in _LISTS:
        if member(list_name) not in present:
            continue
        entries = _load_list(tree, member(list_name))
        lists_found.append(f"{list_name}:{len(entries)}")
        for entry in entries:
            if not isinstance(entry, Mapping) or not _text(entry.get("id")):
                main.skip(f"{list_name} entry without an id")
                continue
            folder = _text(entry.get(folder_key)) or entry["id"]
            people = _list(entry.get("members"), f"{list_name} entry whose 'members'", main)
            listed = [n for n in map(_node, people) if n]
            conversations[folder] = _Conversation(
                conversation_id=f"slack:{entry['id']}",
                folder=folder,
                channel=channel,
                variant=variant,
                members=listed,
            )
    return conversations, lists_found


def _day_files(members: list[str], base: PurePosixPath) -> dict[str, list[str]]:
    """Conversation folder -> its day files (``<folder>/<date>.json``)."""
    day_files: dict[str, list[str]] = {}
    for name in members:
        relative = PurePosixPath(name)
        if str(base) != ".":
            try:
                relative = relative.relative_to(base)
            except ValueError:
                continue
        if len(relative.parts) == 2 and relative.suffix == ".json":
            day_files.setdefault(relative.parts[0], []).append(name)
    return day_files


def _folders_as_channels(
    day_files: dict[str, list[str]],
) -> tuple[dict[str, _Conversation], dict[str, list[str]]]:
    """Channels named by their folders, for an export without conversation lists (Slack's
    importers and older exports ship ``users.json`` and the folders only); a folder counts
    when it holds day files, and only its day files are read."""
    conversations: dict[str, _Conversation] = {}
    kept: dict[str, list[str]] = {}
    for folder, files in sorted(day_files.items()):
        days = [f for f in files if DAY_FILE.fullmatch(PurePosixPath(f).name)]
        if days:
            kept[folder] = days
            conversations[folder] = _Conversation(
                conversation_id=f"slack:#{folder}",
                folder=folder,
                channel="channel",
                variant="public-channel",
            )
    return conversations, kept


def _find_base(members: list[str]) -> PurePosixPath | None:
    """The folder holding users.json (zips often wrap everything in one top folder)."""
    markers = ("users.json", "channels.json", "dms.json")
    candidates = [PurePosixPath(m).parent for m in members if PurePosixPath(m).name in markers]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (len(p.parts), str(p)))


def _load_list(tree: ExportTree, name: str) -> list[Any]:
    document = parse_json(tree.read_bytes(name), tree.label(name))
    if not isinstance(document, list):
        raise IngestError(
            f"expected a JSON array, found {type(document).__name__}", path=tree.label(name)
        )
    return document


def _user_contact(user: Any) -> Contact | None:
    if not isinstance(user, Mapping) or not _node(user.get("id")):
        return None
    profile = user.get("profile") if isinstance(user.get("profile"), Mapping) else {}
    email = normalize_email(_text(profile.get("email")) or _text(user.get("email")) or "")
    display = (
        _text(user.get("real_name"))
        or _text(profile.get("real_name"))
        or _text(profile.get("display_name"))
        or _text(user.get("name"))
    )
    attributes = {
        "slack_name": _text(user.get("name")),
        "is_bot": bool(user.get("is_bot")),
        "deleted": bool(user.get("deleted")),
    }
    return Contact(
        id=_node(user["id"]),
        identifiers=(email,) if email else (),
        display_name=display,
        attributes=attributes,
        source=SOURCE,
    )


def _resolve_me(
    me: Iterable[str], contacts: Mapping[str, Contact], emails: Mapping[str, str]
) -> tuple[tuple[str, ...], list[str]]:
    owner: list[str] = []
    notes: list[str] = []
    for value in me:
        text = value.strip()
        email = normalize_email(text)
        node = emails.get(email) if email else None
        if node is None and not email:
            node = text if text.startswith("slack:") else f"slack:{text}"
        if node in contacts:
            owner.extend(contacts[node].identifiers)
        elif email:
            owner.append(email)
            notes.append(f"me={value!r} matches no member of users.json")
        else:
            owner.append(node)
            notes.append(f"me={value!r} matches no member of users.json")
    if not owner:
        notes.append("owner unknown: pass me= (your Slack member id or e-mail) for direction")
    return tuple(dict.fromkeys(owner)), notes


def _is_system(message: Mapping[str, Any]) -> bool:
    """Whether a post is a system event: a subtype outside :data:`SLACK_HUMAN_SUBTYPES`, or
    a bot's post (an app's post carries a ``bot_id`` and often no subtype)."""
    subtype = message.get("subtype") or ""
    if not isinstance(subtype, str) or subtype not in SLACK_HUMAN_SUBTYPES:
        return True
    return message.get("bot_id") is not None


def _read_conversation(
    tree: ExportTree,
    files: list[str],
    conversation: _Conversation,
    report: ReadReport,
    contacts: dict[str, Contact],
) -> list[ConversationEvent]:
    messages: list[Mapping[str, Any]] = []
    for name in files:
        for message in _load_list(tree, name):
            if isinstance(message, Mapping):
                messages.append(message)
            else:
                report.skip("message is not an object")
    report.notes.append(f"{len(files)} day files")

    everyone, authors_by_ts, thread_authors = _authorship(messages, conversation.members)

    events: list[ConversationEvent] = []
    counts: Counter = Counter()
    for message in messages:
        kind = message.get("type", "message")
        if kind != "message":
            shown = repr(kind[:40]) if isinstance(kind, str) else "that is not text"
            report.skip(f"item of type {shown}")
            continue
        try:
            when = utc_from_epoch(message["ts"])
        except DateOutOfRange:
            report.skip(f"message {OUT_OF_RANGE_REASON}")
            continue
        except (KeyError, ValueError):
            report.skip("message without a readable ts")
            continue
        author = _node(message.get("user")) or _node(message.get("bot_id"))
        if author is None:
            report.skip("message without user or bot_id")
            continue
        if author not in contacts:
            shown = _text(message.get("username")) or _text(message.get("user_name"))
            contacts[author] = Contact(
                id=author,
                display_name=shown,
                attributes={"is_bot": author[6:].startswith("B")},
                source=SOURCE,
            )
        is_system = _is_system(message)
        parent = _text(message.get("thread_ts"))
        parent_author = authors_by_ts.get(parent) if parent and parent != message["ts"] else None
        if conversation.channel == "channel" and parent_author:
            # A reply goes to the thread's author; the author's own reply goes to the
            # others who wrote in the thread, never to the whole channel.
            others = thread_authors.get(parent or "", {})
            recipients: tuple[str, ...] = (
                (parent_author,)
                if parent_author != author
                else tuple(m for m in others if m != author)
            )
            counts["thread_replies"] += 1
        else:
            recipients = tuple(m for m in everyone if m != author)
        text = message.get("text")
        events.append(
            ConversationEvent(
                timestamp=when,
                sender=author,
                recipients=recipients,
                channel=conversation.channel,
                conversation_id=conversation.conversation_id,
                source=SOURCE,
                n_chars=len(text) if isinstance(text, str) else None,
                is_system=is_system,
            )
        )
        counts["system_events" if is_system else "messages"] += 1
        report.see(when)
        events.extend(_reactions(message, author, when, conversation, report, counts))
    report.records.update(counts)
    report.records["events"] = len(events)
    return events


def _authorship(
    messages: list[Mapping[str, Any]], listed: list[str]
) -> tuple[tuple[str, ...], dict[str, str], dict[str, dict[str, None]]]:
    """Everyone in a conversation (its listed members, then every author), the author of
    each message ``ts``, and the authors of each thread (by ``thread_ts``)."""
    authors_by_ts: dict[str, str] = {}
    thread_authors: dict[str, dict[str, None]] = {}
    members = dict.fromkeys(listed)
    for message in messages:
        author = _node(message.get("user"))
        if not author:
            continue
        if isinstance(message.get("ts"), str):
            authors_by_ts[message["ts"]] = author
        members[author] = None
        thread = _text(message.get("thread_ts"))
        if thread:
            thread_authors.setdefault(thread, {})[author] = None
    return tuple(members), authors_by_ts, thread_authors


def _reactions(message, author, when, conversation, report, counts):
    for reaction in _list(message.get("reactions"), "'reactions'", report):
        if not isinstance(reaction, Mapping):
            report.skip("reaction is not an object")
            continue
        listed = _list(reaction.get("users"), "reaction whose 'users'", report)
        users = [n for n in map(_node, listed) if n]
        count = reaction.get("count")
        if isinstance(count, int) and count > len(users):
            report.skip("reaction by a member the export does not list", count - len(users))
        for reactor in users:
            if reactor == author:
                report.skip("reaction to one's own message")
                continue
            counts["reactions"] += 1
            yield ConversationEvent(
                timestamp=when,
                sender=reactor,
                recipients=(author,),
                channel="reaction",
                conversation_id=conversation.conversation_id,
                source=SOURCE,
            )
