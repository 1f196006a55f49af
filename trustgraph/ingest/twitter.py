"""X / Twitter archive: direct messages (1:1 and group) from ``data/direct-messages*.js``.

Every archive file is a JavaScript assignment, ``window.YTD.<kind>.part<N> = [ ... ]``, whose
right-hand side is JSON. Node ids are ``x:<account id>``; account ids are snowflakes larger
than 2**53, so they are kept as strings and never go through a float.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import ExportTree, is_zip_archive
from trustgraph.ingest.jsonsafe import parse_json
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange, utc_from_iso

__all__ = ["read_twitter", "read_ytd_js"]

SOURCE = "x"
_DM_FILE = re.compile(r"^direct[-_]messages(?P<group>[-_]group)?(?:[-_]part\d+)?\.js$")
_YTD_DM = re.compile(rb"window\.YTD\.direct_messages(?P<group>_group)?\.part\d+\s*=")
_TARGET = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+")
_SYSTEM_KINDS = frozenset({"joinConversation", "participantsJoin", "participantsLeave",
                           "conversationNameUpdate"})  # fmt: skip


def _x(raw: Any) -> str | None:
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 10**40:
        raw = str(raw)
    if not isinstance(raw, str):
        return None  # a float id has already lost digits: never trust it
    text = raw.strip()
    return f"x:{text}" if text.isascii() and text.isdigit() else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def read_ytd_js(data: bytes, label: str) -> Any:
    """Parse one archive ``.js`` file: the JSON after the first ``=``.

    The global name changes between archive versions and the opening bracket may sit on the
    first line (``= [ {``), so neither is relied upon.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    label : str
        File name for error messages.

    Raises
    ------
    IngestError
        No assignment, invalid or truncated JSON (with the line of the file).

    Examples
    --------
    >>> read_ytd_js(b'window.YTD.follower.part0 = [ {"follower": {"accountId": "4"}} ]', "f.js")
    [{'follower': {'accountId': '4'}}]
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise IngestError("not valid UTF-8", path=label, line=line) from None
    equals = text.find("=")
    if equals < 0 or not _TARGET.fullmatch(text[:equals].strip()):
        raise IngestError(
            "not an X archive file: expected 'window.YTD.<name>.part0 = [ ... ]'", path=label
        )
    return parse_json(text, label, start=equals + 1, first_line=text.count("\n", 0, equals) + 1)


def read_twitter(path: str | os.PathLike[str], *, me: Iterable[str] = ()) -> ExportData:
    """Read the direct messages of an X (Twitter) archive.

    Parameters
    ----------
    path : str or path-like
        The archive zip or folder (read in place), its ``data`` folder, or one
        ``direct-messages*.js`` file.
    me : iterable of str
        The owner's account id (``x:123`` or ``123``). Normally unnecessary: the owner comes
        from ``manifest.js`` (``userInfo.accountId``) or ``account.js`` (``accountId``).

    Returns
    -------
    ExportData
        One contact per account seen (ids only; the owner also gets the display name and
        user name), one event per message, reaction and membership change, one report per
        ``direct-messages*.js`` file.

    Raises
    ------
    IngestError
        No direct-message file, a file that is not a ``window.YTD`` assignment, invalid or
        truncated JSON (file and line), or no event at all.

    Notes
    -----
    * 1:1 versus group: a 1:1 ``conversationId`` is two account ids joined by ``-``; group
      ids have no hyphen (and live in ``direct-messages-group.js``).
    * Participants of a group: the owner plus the union of every ``senderId``,
      ``participantsSnapshot``, ``userIds`` of ``participantsJoin``/``participantsLeave``
      and ``initiatingUserId``, so a group seen only through ``participantsJoin`` keeps its
      members. Recipients of a group message are all other participants.
    * ``joinConversation``, ``participantsJoin``, ``participantsLeave`` and
      ``conversationNameUpdate`` are ``is_system`` events by their initiator (the leaving
      user for a leave); ``reactionCreate`` is a ``"reaction"`` event toward the author of
      the message it reacts to.
    * ``createdAt`` is ISO 8601 UTC. The e-mail address in ``account.js`` is personal data
      and is not read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "direct-messages.js"
    >>> _ = file.write_text('window.YTD.direct_messages.part0 = [ {"dmConversation": {'
    ...     '"conversationId": "2-1400000000000000001", "messages": [{"messageCreate": {'
    ...     '"senderId": "2", "recipientId": "1400000000000000001", "text": "hi",'
    ...     '"id": "9", "createdAt": "2024-03-14T09:05:12.000Z"}}]}} ]')
    >>> data = read_twitter(file, me=["1400000000000000001"])
    >>> e = data.events[0]
    >>> e.sender, e.recipients, e.channel
    ('x:2', ('x:1400000000000000001',), 'dm')
    """
    with ExportTree(path) as tree:
        return _read_tree(tree, list(me))


def _dm_files(tree: ExportTree, members: list[str]) -> dict[str, bool]:
    """The direct-message files of an archive, each with whether it holds group chats.

    In an archive they are found by name; a single file given on its own is judged by
    its content (``window.YTD.direct_messages[_group].part<N>``), whatever it is called.
    """
    found = {}
    for name in members:
        match = _DM_FILE.match(PurePosixPath(name).name.lower())
        if match:
            found[name] = bool(match.group("group"))
    if not found and tree.path.is_file() and not is_zip_archive(tree.path):
        head = tree.read_bytes(members[0])[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
        kind = _YTD_DM.match(head)
        if kind:
            found[members[0]] = bool(kind.group("group"))
    return found


def _read_tree(tree: ExportTree, me: list[str]) -> ExportData:
    members = tree.members()
    dm_files = _dm_files(tree, members)
    if not dm_files:
        raise IngestError(
            "no direct-messages.js found: not an X/Twitter archive "
            "(expected data/direct-messages.js or direct-messages-group.js)",
            path=tree.path,
        )
    owner_ids, owner_contact, owner_note = _owner(tree, members, me)
    contacts: dict[str, Contact] = {}
    if owner_contact is not None:
        contacts[owner_contact.id] = owner_contact
    data = ExportData(owner=tuple(owner_ids))
    for name in dm_files:
        label = tree.label(name)
        report = ReadReport(path=label, format="x-archive-js")
        document = read_ytd_js(tree.read_bytes(name), label)
        if not isinstance(document, list):
            raise IngestError("expected a list of dmConversation objects", path=label)
        group_file = dm_files[name]
        report.variant = "group" if group_file else "one-to-one"
        for item in document:
            conversation = item.get("dmConversation") if isinstance(item, Mapping) else None
            if not isinstance(conversation, Mapping):
                report.skip("item without dmConversation")
                continue
            data.events.extend(_conversation(conversation, group_file, owner_ids, report))
        data.reports.append(report)
    for event in data.events:
        for person in (event.sender, *event.recipients):
            contacts.setdefault(person, Contact(id=person, source=SOURCE))
    if owner_note:
        data.reports[0].notes.append(owner_note)
    data.contacts.extend(contacts.values())
    data.reports[0].records["contacts"] = len(contacts)
    if not data.events:
        raise IngestError(
            "recognised as an X archive but its direct-message files hold no message",
            path=tree.label(next(iter(dm_files))),
        )
    return data


def _owner(
    tree: ExportTree, members: list[str], me: list[str]
) -> tuple[list[str], Contact | None, str]:
    ids = []
    for value in me:
        node = _x(value.strip().removeprefix("x:"))
        if node is None:
            raise IngestError(f"me={value!r} is not an X account id (digits, or x:<digits>)")
        ids.append(node)
    by_name = {PurePosixPath(m).name.lower(): m for m in sorted(members, key=len, reverse=True)}
    found: dict[str, Any] = {}
    if "manifest.js" in by_name:
        manifest = read_ytd_js(
            tree.read_bytes(by_name["manifest.js"]), tree.label(by_name["manifest.js"])
        )
        info = manifest.get("userInfo") if isinstance(manifest, Mapping) else None
        if isinstance(info, Mapping):
            found = {"id": info.get("accountId"), "username": info.get("userName"),
                     "name": info.get("displayName"), "from": "manifest.js"}  # fmt: skip
    if not _x(found.get("id")) and "account.js" in by_name:
        account = read_ytd_js(
            tree.read_bytes(by_name["account.js"]), tree.label(by_name["account.js"])
        )
        first = account[0] if isinstance(account, list) and account else None
        entry = first.get("account") if isinstance(first, Mapping) else None
        if isinstance(entry, Mapping):  # the e-mail address is deliberately not read
            found = {"id": entry.get("accountId"), "username": entry.get("username"),
                     "name": entry.get("accountDisplayName"), "from": "account.js"}  # fmt: skip
    detected = _x(found.get("id"))
    contact = None
    note = ""
    if detected:
        ids.insert(0, detected)
        contact = Contact(
            id=detected,
            display_name=_text(found.get("name")),
            attributes={"username": _text(found.get("username")), "is_me": True},
            source=SOURCE,
        )
        note = f"owner {detected} from {found['from']}"
    elif not ids:
        note = "owner unknown (no manifest.js or account.js): pass me=<your account id>"
    return list(dict.fromkeys(ids)), contact, note


def _conversation(
    conversation: Mapping[str, Any], group_file: bool, owner_ids: list[str], report: ReadReport
) -> list[ConversationEvent]:
    raw_id = conversation.get("conversationId")
    conversation_id = raw_id if isinstance(raw_id, str) else str(_x(raw_id) or "")[2:]
    is_group = group_file or (bool(conversation_id) and "-" not in conversation_id)
    messages = conversation.get("messages")
    if messages is not None and not isinstance(messages, list):
        report.skip("dmConversation whose 'messages' is not a list")
        messages = None
    items = [m for m in messages or () if isinstance(m, Mapping)]
    if items and all(set(item) <= _SYSTEM_KINDS for item in items):
        # A group one was added to and never wrote in (only participantsJoin and the like):
        # nobody talked, so it is no conversation.
        report.skip("conversation with system entries only (participants joining)")
        return []
    everyone, authors = _people(items, conversation_id, is_group, owner_ids)
    channel = "group" if is_group else "dm"
    cid = f"x:dm:{conversation_id}"
    report.records["conversations"] += 1
    counts: Counter = Counter()
    events = []
    for item in items:
        if len(item) != 1:
            report.skip("item with several kinds")
            continue
        ((kind, body),) = item.items()
        if not isinstance(body, Mapping):
            report.skip(f"{kind[:40]} is not an object")
            continue
        event = _item_event(kind, body, is_group, everyone, authors, report)
        if event is None:
            continue
        sender, recipients, n_chars, is_system = event
        try:
            when = utc_from_iso(body["createdAt"])
        except DateOutOfRange:
            report.skip(f"{kind} {OUT_OF_RANGE_REASON}")
            continue
        except (KeyError, ValueError, TypeError):
            report.skip(f"{kind} without a readable createdAt")
            continue
        events.append(
            ConversationEvent(
                timestamp=when,
                sender=sender,
                recipients=recipients,
                channel="reaction" if kind == "reactionCreate" else channel,
                conversation_id=cid,
                source=SOURCE,
                n_chars=n_chars,
                is_system=is_system,
            )
        )
        report.see(when)
        kinds = "reactions" if kind == "reactionCreate" else "messages"
        counts["system_events" if is_system else kinds] += 1
    report.records.update(counts)
    report.records["events"] += len(events)
    return events


def _people(
    items: list[Mapping[str, Any]], conversation_id: str, is_group: bool, owner_ids: list[str]
) -> tuple[tuple[str, ...], dict[str, str]]:
    """Everyone in a conversation (the owner, the ids of a one-to-one conversation id and
    every account its items name) and the author of each message id."""
    people: dict[str, None] = dict.fromkeys(owner_ids[:1])
    if not is_group:
        for part in conversation_id.split("-"):
            if _x(part):
                people[_x(part)] = None
    authors: dict[str, str] = {}
    for item in items:
        for kind, body in item.items():
            if not isinstance(body, Mapping):
                continue
            for key in ("senderId", "recipientId", "initiatingUserId"):
                if _x(body.get(key)):
                    people[_x(body[key])] = None
            for key in ("participantsSnapshot", "userIds"):
                values = body.get(key)
                for value in values if isinstance(values, list) else ():
                    if _x(value):
                        people[_x(value)] = None
            if kind == "messageCreate" and _x(body.get("senderId")):
                authors[str(body.get("id"))] = _x(body["senderId"])
    return tuple(people), authors


def _item_event(
    kind: str,
    body: Mapping[str, Any],
    is_group: bool,
    everyone: tuple[str, ...],
    authors: Mapping[str, str],
    report: ReadReport,
) -> tuple[str, tuple[str, ...], int | None, bool] | None:
    """``(sender, recipients, n_chars, is_system)`` of one item, or None (skip counted)."""
    n_chars = None
    is_system = kind in _SYSTEM_KINDS
    if kind == "messageCreate":
        sender = _x(body.get("senderId"))
        recipient = _x(body.get("recipientId"))
        if recipient and not is_group:
            recipients: tuple[str, ...] = (recipient,)
        else:
            recipients = tuple(p for p in everyone if p != sender)
        text = body.get("text")
        n_chars = len(text) if isinstance(text, str) else None
    elif kind == "reactionCreate":
        sender = _x(body.get("senderId"))
        author = authors.get(str(body.get("eventId")))
        if author is None or author == sender:
            report.skip("reaction to an unknown or own message")
            return None
        recipients = (author,)
    elif is_system:
        user_ids = body.get("userIds")
        if user_ids is not None and not isinstance(user_ids, list):
            report.skip(f"{kind} whose 'userIds' is not a list")
            user_ids = None
        sender = _x(body.get("initiatingUserId") or (user_ids or [None])[0])
        recipients = tuple(p for p in everyone if p != sender)
    else:
        report.skip(f"unknown item kind {kind[:40]!r}")
        return None
    if sender is None:
        report.skip(f"{kind} without an account id")
        return None
    return sender, recipients, n_chars, is_system
