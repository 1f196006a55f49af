"""Slack workspace export (admin export or ``slackdump``): a folder or a zip, read in place.

Layout::

    users.json  channels.json  groups.json  dms.json  mpims.json
    <channel name>/<YYYY-MM-DD>.json     one JSON array of messages per conversation per day
    <DM id>/<YYYY-MM-DD>.json

Exports without the conversation lists (as Slack importers' fixtures and some backup tools
write them, even without ``users.json``) read each folder of day files as a channel. Node ids
are ``slack:<user id>`` (``slack:<bot id>`` for bot posts); ``users.json`` adds each member's
e-mail address as a second identifier, which joins Slack with mail and contacts. Bots are not
people: no contact, their posts are system events, their number is reported.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import ExportTree
from trustgraph.ingest.identity import normalize_email
from trustgraph.ingest.jsonsafe import parse_json
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange, utc_from_epoch

__all__ = ["DAY_FILE", "SLACK_HUMAN_SUBTYPES", "find_channel_root", "is_message_day", "read_slack"]

SOURCE = "slack"
#: The name of a day file of a conversation folder (``2024-03-14.json``).
DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")

#: Message subtypes written by a person; every other subtype (``channel_join``,
#: ``channel_leave``, ``bot_message``, ``channel_topic``, ...) is read as ``is_system``.
SLACK_HUMAN_SUBTYPES = frozenset({"", "thread_broadcast", "file_share", "me_message"})

# Slack's user object: "Slackbot is special, so is_bot will be false for it"; its id is the
# same in every workspace. (`is_app_user` marks a person who authorised an app, not a bot.)
_SLACKBOT = "USLACKBOT"
_TS = re.compile(r"\d+(?:\.\d+)?")

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


@dataclass
class _People:
    """Contacts by node id, e-mail -> node id, the bots of ``users.json`` (member and
    ``profile.bot_id`` nodes; `listed` of them) and the authors of bot posts."""

    contacts: dict[str, Contact] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    bots: set[str] = field(default_factory=set)
    listed: int = 0
    bot_authors: set[str] = field(default_factory=set)


def _node(user: Any) -> str | None:
    return f"slack:{user.strip()}" if isinstance(user, str) and user.strip() else None


def _text(value: Any) -> str | None:
    """`value` when it is non-empty text, else None (names of other JSON types are ignored)."""
    return value if isinstance(value, str) and value else None


def _list(value: Any, what: str, report: ReadReport) -> list[Any]:
    """`value` when it is a list; missing, an empty list; any other type, a counted skip."""
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
        One contact per person (member of ``users.json`` or author of a post), one event
        per message and per reaction, a report with export-wide notes and counts (``bots``
        among them) and one per conversation folder.

    Raises
    ------
    IngestError
        Not a Slack export, invalid or truncated JSON (file and line), a day file that is not
        an array, or an export without a single message.

    Notes
    -----
    * Channel: ``dms.json`` → ``"dm"``; ``mpims.json`` → ``"group"``; ``channels.json``,
      ``groups.json`` and folders without a list → ``"channel"``; reactions → ``"reaction"``.
    * Recipients: in DMs and group DMs, the other members. In channels a post goes to every
      other member (listed ``members`` and authors seen), a thread reply (``thread_ts`` ≠
      ``ts``) to the parent's author only. A reaction goes from the reacting member to the
      author, dated at the message; reactions beyond the listed ``users`` are skipped.
    * Subtypes outside :data:`SLACK_HUMAN_SUBTYPES` and posts with a ``bot_id`` are
      ``is_system``. Bots (``is_bot`` or Slackbot in ``users.json``, authors of ``bot_id``
      posts only) are no contacts and no recipients; reactions to or by them are skipped.
    * ``ts`` is a UTC epoch string, parsed exactly. Without a DM the report warns that the
      DM layer, the strongest trust signal, is missing (free-plan exports).

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
    base = _find_base(tree, members)
    if base is None:
        raise IngestError(
            "not a Slack export: no users.json, channels.json or dms.json, and no folder of "
            "YYYY-MM-DD.json day files holding Slack messages",
            path=tree.path,
        )

    def member(name: str) -> str:
        return str(base / name) if str(base) != "." else name

    present = set(members)
    users = member("users.json")
    label = tree.label(users if users in present else str(base)).removesuffix("!.")
    main = ReadReport(path=label, format="slack-export")
    people = _read_users(tree, users, present, main)
    conversations, day_files = _conversations(tree, member, present, members, base, main)

    owner, owner_notes = _resolve_me(me, people.contacts, people.emails)
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
        data.events.extend(_read_conversation(tree, files, conversation, report, people))
        data.reports.append(report)
    if not data.events:
        raise IngestError(
            "recognised as a Slack export but no conversation folder holds a message",
            path=label,
        )
    main.records["contacts"] = len(people.contacts)
    main.records["conversations"] = len(data.reports) - 1
    main.records["events"] = len(data.events)
    bots = people.listed + len(people.bot_authors - people.bots - set(people.contacts))
    if bots:  # counted, so that leaving them out of the people is never silent
        main.records["bots"] = bots
        main.notes.append(
            f"{bots} bots (is_bot or Slackbot in users.json, authors of bot_id "
            "posts only) are not people: their posts are system events"
        )
    for event in data.events:
        main.see(event.timestamp)
    data.contacts.extend(people.contacts.values())
    return data


def _conversations(
    tree: ExportTree,
    member: Callable[[str], str],
    present: set[str],
    members: list[str],
    base: PurePosixPath,
    main: ReadReport,
) -> tuple[dict[str, _Conversation], dict[str, list[str]]]:
    """The conversations (by folder) and every folder's files; the report's variant."""
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
    if not any(c.variant in ("dm", "mpim") for c in conversations.values()):
        main.variant += " (public channels only)"
        main.notes.append(
            "no direct messages in this export (a free-plan or public-only export): the DM "
            "layer, the strongest trust signal, is missing; ties come from channels only"
        )
    return conversations, day_files


def _read_users(tree: ExportTree, name: str, present: set[str], main: ReadReport) -> _People:
    """People from ``users.json`` (their contacts and e-mail addresses), and its bots."""
    people = _People()
    if name not in present:
        main.notes.append(
            "no users.json: e-mail addresses are unknown (Slack does not join mail or address "
            "books); the people are the posts' authors, named from their user_profile"
        )
        return people
    for user in _load_list(tree, name):
        contact = _user_contact(user)
        if contact is None:
            main.skip("user entry without an id")
        elif contact.attributes["is_bot"]:
            people.listed += 1
            profile = user.get("profile") if isinstance(user.get("profile"), Mapping) else {}
            people.bots.update(filter(None, (contact.id, _node(profile.get("bot_id")))))
        else:
            people.contacts[contact.id] = contact
            for identifier in contact.identifiers[1:]:
                people.emails[identifier] = contact.id
    return people


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
                f"slack:{entry['id']}", folder, channel, variant, listed
            )
    return conversations, lists_found


def _day_files(members: list[str], base: PurePosixPath) -> dict[str, list[str]]:
    """Conversation folder -> its day files (``<folder>/<date>.json``)."""
    day_files: dict[str, list[str]] = {}
    for name in members:
        path = PurePosixPath(name)
        relative = path.relative_to(base) if path.is_relative_to(base) else None
        if relative and len(relative.parts) == 2 and relative.suffix == ".json":
            day_files.setdefault(relative.parts[0], []).append(name)
    return day_files


def _folders_as_channels(
    day_files: dict[str, list[str]],
) -> tuple[dict[str, _Conversation], dict[str, list[str]]]:
    """Channels named by their folders, for an export without conversation lists; a folder
    counts when it holds day files, and only its day files are read."""
    conversations: dict[str, _Conversation] = {}
    kept: dict[str, list[str]] = {}
    for folder, files in sorted(day_files.items()):
        days = [f for f in files if DAY_FILE.fullmatch(PurePosixPath(f).name)]
        if days:
            kept[folder] = days
            conversations[folder] = _Conversation(
                f"slack:#{folder}", folder, "channel", "public-channel"
            )
    return conversations, kept


def _find_base(tree: ExportTree, members: list[str]) -> PurePosixPath | None:
    """The folder holding users.json (zips often wrap everything in one top folder), else
    the folder of channel folders whose day files hold Slack messages."""
    markers = ("users.json", "channels.json", "dms.json")
    candidates = [PurePosixPath(m).parent for m in members if PurePosixPath(m).name in markers]
    if candidates:
        return min(candidates, key=lambda p: (len(p.parts), str(p)))
    return find_channel_root(members, tree.read_bytes)


def find_channel_root(
    members: Iterable[str], read: Callable[[str], bytes]
) -> PurePosixPath | None:
    """The shallowest folder (``.`` for the root) of channel folders of Slack day files.

    An export without ``users.json`` or ``channels.json`` has only its day files to be told
    by: a folder counts when its first day file passes :func:`is_message_day`. `members`
    are POSIX paths; ``read(member) -> bytes`` (a member it cannot read does not count).

    Examples
    --------
    >>> day, other = "general/2024-01-01.json", "notes/2024-01-01.json"
    >>> files = {day: b'[{"user": "U1", "ts": "1"}]', other: b"[1]"}
    >>> find_channel_root(files, files.get), find_channel_root([other], files.get)
    (PurePosixPath('.'), None)
    """
    first_days: dict[PurePosixPath, str] = {}
    for name in sorted(members):
        path = PurePosixPath(name)
        if len(path.parts) >= 2 and DAY_FILE.fullmatch(path.name):
            first_days.setdefault(path.parent, name)
    for folder in sorted(first_days, key=lambda p: (len(p.parts), str(p))):
        try:
            data = read(first_days[folder])
        except (IngestError, OSError):
            continue
        if is_message_day(data):
            return folder.parent
    return None


def is_message_day(data: bytes) -> bool:
    """Whether `data` is a Slack day file: a non-empty JSON array of objects, each with a
    Slack ``ts`` and ``type`` ``"message"`` (or none, as some backup tools write it and the
    reader takes it), at least one naming its ``user`` or ``bot_id``.

    Examples
    --------
    >>> is_message_day(b'[{"user": "U1", "ts": "1.2"}]'), is_message_day(b'[{"type": "x"}]')
    (True, False)
    """
    try:
        document = parse_json(data, "day file")
    except IngestError:
        return False
    if not isinstance(document, list) or not document:
        return False
    for item in document:
        if not isinstance(item, Mapping) or item.get("type", "message") != "message":
            return False
        if not isinstance(item.get("ts"), str) or not _TS.fullmatch(item["ts"]):
            return False
    return any(_node(item.get("user")) or _node(item.get("bot_id")) for item in document)


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
    email = normalize_email(_first_text(profile.get("email"), user.get("email")) or "")
    name = user.get("name")
    attributes = {
        "slack_name": _text(name),
        "is_bot": user.get("is_bot") is True or user["id"].strip() == _SLACKBOT,
        "deleted": bool(user.get("deleted")),
    }
    return Contact(
        id=_node(user["id"]),
        identifiers=(email,) if email else (),
        display_name=_first_text(user.get("real_name"), *_names(profile), name),
        attributes=attributes,
        source=SOURCE,
    )


def _names(profile: Any) -> tuple[Any, ...]:
    """A profile's names, best first (``user_profile`` of a post has ``name`` too)."""
    if not isinstance(profile, Mapping):
        return ()
    return profile.get("real_name"), profile.get("display_name"), profile.get("name")


def _first_text(*values: Any) -> str | None:
    return next((v for v in values if _text(v)), None)


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
        else:
            owner.append(email or node)
            notes.append(f"me={value!r} matches no member of users.json")
    if not owner:
        notes.append("owner unknown: pass me= (your Slack member id or e-mail) for direction")
    return tuple(dict.fromkeys(owner)), notes


def _is_system(message: Mapping[str, Any]) -> bool:
    """Whether a post is a system event: a subtype outside :data:`SLACK_HUMAN_SUBTYPES`, or
    a bot's post (an app's post carries a ``bot_id`` and often no subtype)."""
    subtype = message.get("subtype") or ""
    human = isinstance(subtype, str) and subtype in SLACK_HUMAN_SUBTYPES
    return not human or _node(message.get("bot_id")) is not None


def _by_bot(message: Mapping[str, Any], author: str, people: _People) -> bool:
    """Whether a post is a bot's: by a bot of ``users.json``, or with a ``bot_id`` by no known
    person (an app posting for a person leaves the post the person's, a system event)."""
    bot_post = _node(message.get("bot_id")) is not None and author not in people.contacts
    return bot_post or author in people.bots


def _add_person(contacts: dict[str, Contact], author: str, message: Mapping[str, Any]) -> None:
    """Make `author` a contact, named by the post (``user_profile``) if nothing named them."""
    known = contacts.get(author) or Contact(id=author, source=SOURCE)
    if known.display_name is None:
        names = _names(message.get("user_profile"))
        name = _first_text(*names, message.get("username"), message.get("user_name"))
        known = replace(known, display_name=name) if name else known
    contacts[author] = known


def _read_conversation(
    tree: ExportTree,
    files: list[str],
    conversation: _Conversation,
    report: ReadReport,
    people: _People,
) -> list[ConversationEvent]:
    items = [item for name in files for item in _load_list(tree, name)]
    messages = [item for item in items if isinstance(item, Mapping)]
    if len(messages) < len(items):
        report.skip("message is not an object", len(items) - len(messages))
    report.notes.append(f"{len(files)} day files")

    threads = _authorship(messages, conversation.members, people)
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
        by_bot = _by_bot(message, author, people)
        if by_bot:
            people.bot_authors.add(author)
        else:
            _add_person(people.contacts, author, message)
        is_system = by_bot or _is_system(message)
        recipients, reply = _recipients(message, author, conversation.channel, *threads)
        counts["thread_replies"] += reply
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
        events.extend(_reactions(message, author, by_bot, when, conversation, report, people))
    counts["reactions"] += sum(e.channel == "reaction" for e in events)
    report.records.update(+counts)
    report.records["events"] = len(events)
    return events


def _recipients(message, author, channel, everyone, starters, thread_people):
    """A post's recipients, and whether it is a thread reply in a channel: to the thread's
    author; the author's own reply or one under a bot's post, to the thread's other people."""
    parent = _text(message.get("thread_ts"))
    if channel == "channel" and parent and parent != message["ts"] and parent in starters:
        starter = starters[parent]
        if starter is not None and starter != author:
            return (starter,), True
        return tuple(m for m in thread_people.get(parent, {}) if m != author), True
    return tuple(m for m in everyone if m != author), False


def _authorship(
    messages: list[Mapping[str, Any]], listed: list[str], people: _People
) -> tuple[tuple[str, ...], dict[str, str | None], dict[str, dict[str, None]]]:
    """Everyone in a conversation (listed members, then authors; no bot), the author of each
    ``ts`` (None for a bot's post), and the people of each thread (by ``thread_ts``)."""
    starters: dict[str, str | None] = {}
    thread_people: dict[str, dict[str, None]] = {}
    members = dict.fromkeys(m for m in listed if m not in people.bots)
    for message in messages:
        author = _node(message.get("user")) or _node(message.get("bot_id"))
        if not author:
            continue
        person = not _by_bot(message, author, people)
        if isinstance(message.get("ts"), str):
            starters[message["ts"]] = author if person else None
        if not person:
            continue
        members[author] = None
        thread = _text(message.get("thread_ts"))
        if thread:
            thread_people.setdefault(thread, {})[author] = None
    return tuple(members), starters, thread_people


def _reactions(message, author, by_bot, when, conversation, report, people):
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
            elif by_bot or reactor in people.bots:
                # A bot is no person: a reaction to or by one ties nobody to anybody.
                report.skip("reaction to or by a bot")
            else:
                yield ConversationEvent(
                    timestamp=when,
                    sender=reactor,
                    recipients=(author,),
                    channel="reaction",
                    conversation_id=conversation.conversation_id,
                    source=SOURCE,
                )
