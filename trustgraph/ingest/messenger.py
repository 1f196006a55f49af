"""Facebook Messenger and Instagram "Download your information" JSON archives.

One folder per thread holds ``message_1.json``, ``message_2.json``, ... (at most 10,000
messages each), under ``messages/inbox/`` (older archives) or
``your_activity_across_facebook/messages/inbox/`` (newer ones). The reader accepts the archive
folder or zip, any folder inside it, one thread folder or one ``message_N.json``.

These exports identify people by **display name only**. Node ids are therefore scoped name ids
made by :func:`~trustgraph.ingest.identity.name_id` (``fb-name:renée placeholder``,
``ig-name:...`` for Instagram): two people with the same name share an id inside one archive,
and the identity layer treats these ids as hints that never join sources by themselves.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import ExportTree, looks_like_html
from trustgraph.ingest.identity import name_id, repair_mojibake
from trustgraph.ingest.jsonsafe import parse_json
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange, utc_from_epoch

__all__ = ["read_messenger"]

_PART = re.compile(r"^message_(\d+)\.json$")
_HTML_PART = re.compile(r"^message_\d+\.html?$")
# Instagram writes reactions and polls as messages (chat-miner's InstagramJsonParser list).
_INSTAGRAM_SYSTEM = ("liked a message", "to your message", "created a poll:", "voted for")
_SYSTEM_TYPES = frozenset({"Subscribe", "Unsubscribe"})

_HTML_ADVICE = (
    "this is the HTML 'Download your information' export; request a new download and choose "
    "Format: JSON (Settings → Download your information → Messages → Format JSON)"
)


def read_messenger(
    path: str | os.PathLike[str], *, me: Iterable[str] = (), platform: str = "auto"
) -> ExportData:
    """Read Messenger or Instagram threads from a "Download your information" JSON export.

    Parameters
    ----------
    path : str or path-like
        The archive (folder or zip, read in place), any folder inside it, one thread folder or
        one ``message_N.json`` file.
    me : iterable of str
        The owner's display name(s) as the export writes them, or ``fb-name:...`` ids. Without
        it the owner is the one participant present in every thread, when there are at least
        two threads and exactly one such participant.
    platform : {"auto", "messenger", "instagram"}
        Chooses the id prefix (``fb-name:`` or ``ig-name:``) and Instagram's system-message
        filter.
        ``"auto"`` says Instagram when a path component contains "instagram".

    Returns
    -------
    ExportData
        One contact per participant name, one event per message (and per reaction), one
        report per thread.

    Raises
    ------
    IngestError
        The HTML export instead of JSON, an unrecognised JSON shape (such as the separate
        end-to-end-encrypted chats download), invalid or truncated JSON (file and line), or no
        message at all.

    Notes
    -----
    * Every string (names, title, content) is repaired with
      :func:`~trustgraph.ingest.identity.repair_mojibake` before use.
    * ``message_2.json``, ... continue ``message_1.json``: parts are merged into one thread and
      a message repeated in two parts (same time, sender and content) is counted once.
    * Recipients are the other participants (``participants`` plus any sender missing from
      it). A thread is a ``"group"`` when it has more than two members or ``thread_type`` is
      ``RegularGroup``, else a ``"dm"``.
    * A thread with a single participant lost its other member (a deleted account): it is kept,
      and the missing person becomes ``<prefix>:unknown@<thread>`` labelled
      "(deleted account)".
    * ``Subscribe``/``Unsubscribe`` messages (joins, leaves) and Instagram's "liked a message"
      style notices are ``is_system``. Photos, stickers, shares and calls have no ``content``
      and count as messages with ``n_chars=None``. Reactions become ``"reaction"`` events from
      the reacting person to the author, dated at the message.
    * ``timestamp_ms`` is UTC epoch milliseconds.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "bo_1"
    >>> folder.mkdir()
    >>> _ = (folder / "message_1.json").write_text(json.dumps({
    ...     "participants": [{"name": "Bo Sample"}, {"name": "Ada Example"}],
    ...     "messages": [{"sender_name": "Bo Sample", "timestamp_ms": 1710407160000,
    ...                   "content": "Ren\\u00c3\\u00a9e says hi"}]}))
    >>> data = read_messenger(folder, me=["Ada Example"])
    >>> e = data.events[0]
    >>> e.sender, e.recipients, e.n_chars
    ('fb-name:bo sample', ('fb-name:ada example',), 13)
    """
    if platform not in ("auto", "messenger", "instagram"):
        raise IngestError(f"platform must be 'auto', 'messenger' or 'instagram', not {platform!r}")
    with ExportTree(path) as tree:
        return _read_tree(tree, list(me), platform)


def _read_tree(tree: ExportTree, me: list[str], platform: str) -> ExportData:
    members = tree.members()
    threads: dict[PurePosixPath, list[tuple[int, str]]] = {}
    for name in members:
        posix = PurePosixPath(name)
        match = _PART.match(posix.name)
        if match:
            threads.setdefault(posix.parent, []).append((int(match.group(1)), name))
    if not threads and tree.kind == "file" and not looks_like_html(tree.read_bytes(members[0])):
        threads[PurePosixPath(".")] = [(1, members[0])]  # one thread file, whatever its name
    if not threads:
        _explain_missing_threads(tree, members)

    if platform == "auto":
        parts = [
            *tree.path.parts,
            *(p for name in members[:50] for p in PurePosixPath(name).parts),
        ]
        platform = "instagram" if any("instagram" in p.lower() for p in parts) else "messenger"
    prefix = "ig" if platform == "instagram" else "fb"
    layout = _layout(members)

    loaded = []
    for folder in sorted(threads):
        parts = [name for _, name in sorted(threads[folder])]
        documents = [(name, _load_thread_part(tree, name)) for name in parts]
        loaded.append((folder, parts, documents))

    owner, owner_note = _resolve_owner(me, loaded, prefix)
    data = ExportData(owner=owner)
    contacts: dict[str, Contact] = {}
    for folder, parts, documents in loaded:
        report = ReadReport(
            path=tree.label(str(folder)) if tree.kind != "file" else tree.label(parts[0]),
            format=f"{platform}-json",
            variant=layout,
        )
        data.events.extend(_read_thread(folder, documents, prefix, platform, report, contacts))
        if len(parts) > 1:
            report.notes.append(
                f"{len(parts)} parts merged: " + ", ".join(PurePosixPath(p).name for p in parts)
            )
        data.reports.append(report)
    if owner_note:
        data.reports[0].notes.append(owner_note)
    data.contacts.extend(contacts.values())
    if not data.events:
        raise IngestError(
            f"recognised as a {platform} export but its {len(loaded)} thread(s) hold no message",
            path=tree.path,
        )
    return data


def _explain_missing_threads(tree: ExportTree, members: list[str]) -> None:
    """No ``message_N.json``: say whether this is HTML, another JSON shape, or nothing."""
    html = [m for m in members if _HTML_PART.match(PurePosixPath(m).name)]
    if html or (tree.kind == "file" and looks_like_html(tree.read_bytes(members[0]))):
        raise IngestError(_HTML_ADVICE, path=tree.label(html[0] if html else members[0]))
    other_json = [m for m in members if m.lower().endswith(".json")]
    if other_json:
        _load_thread_part(tree, other_json[0])  # raises the shape error when it is not a thread
    raise IngestError(
        "no message_1.json thread file found: not a Messenger/Instagram JSON export "
        "(expected messages/inbox/<thread>/message_1.json)",
        path=tree.path,
    )


def _layout(members: list[str]) -> str:
    joined = "\n".join(members[:200])
    if "your_activity_across_facebook/" in joined:
        return "your_activity_across_facebook/messages"
    if "your_instagram_activity/" in joined:
        return "your_instagram_activity/messages"
    if "messages/" in joined:
        return "messages/inbox"
    return "thread folder"


def _load_thread_part(tree: ExportTree, name: str) -> Mapping[str, Any]:
    raw = tree.read_bytes(name)
    label = tree.label(name)
    if looks_like_html(raw):
        raise IngestError(_HTML_ADVICE, path=label)
    document = parse_json(raw, label)
    participants = document.get("participants", []) if isinstance(document, Mapping) else None
    ok = (
        isinstance(document, Mapping)
        and isinstance(participants, list)
        and isinstance(document.get("messages"), list)
        and all(
            (isinstance(p, Mapping) and "name" in p) or isinstance(p, str) for p in participants
        )
    )
    if ok and any(isinstance(p, str) for p in participants):
        # The 2018 layout (message.json) lists participants as plain names.
        document = {
            **document,
            "participants": [{"name": p} if isinstance(p, str) else p for p in participants],
        }
    if ok and document["messages"]:
        ok = any(isinstance(m, Mapping) and "timestamp_ms" in m for m in document["messages"])
    if not ok:
        keys = sorted(document)[:10] if isinstance(document, Mapping) else type(document).__name__
        raise IngestError(
            f"unrecognised Messenger JSON shape (top-level keys: {keys}); this looks like the "
            "separate end-to-end-encrypted chats download, which is not supported yet. Use the "
            "'Download your information' archive in JSON format (participants/messages/"
            "sender_name/timestamp_ms)",
            path=label,
        )
    return document


def _resolve_owner(me: list[str], loaded, prefix: str) -> tuple[tuple[str, ...], str]:
    if me:
        ids = []
        for value in me:
            text = value.strip()
            if text.startswith(f"{prefix}-name:"):
                ids.append(text)
                continue
            try:
                ids.append(name_id(prefix, text))
            except ValueError:  # an empty or punctuation-only value names nobody
                continue
        if ids:
            return tuple(dict.fromkeys(ids)), ""
    if len(loaded) < 2:
        return (), "owner unknown (one thread only): pass me= (your name as the export writes it)"
    common: set[str] | None = None
    for _, _, documents in loaded:
        names = {
            repair_mojibake(name)
            for _, document in documents
            for name in _participant_names(document)
            if isinstance(name, str)
        }
        common = names if common is None else common & names
    if common and len(common) == 1:
        name = next(iter(common))
        return (name_id(prefix, name),), f"owner inferred as {name!r} (in every thread)"
    return (), "owner unknown (no single participant in every thread): pass me="


def _participant_names(document: Mapping[str, Any]) -> list[Any]:
    """The ``participants`` names; for a file without that list (some Instagram and
    third-party exports), the senders of its messages in order of appearance."""
    if "participants" in document:
        return [p["name"] for p in document["participants"]]
    senders = (m.get("sender_name") for m in document["messages"] if isinstance(m, Mapping))
    return list(dict.fromkeys(n for n in senders if isinstance(n, str)))


def _name_node(prefix: str, name: str) -> str | None:
    try:
        return name_id(prefix, name)
    except ValueError:  # a name made of blanks only
        return None


def _thread_members(documents, prefix, report) -> dict[str, str]:
    """Node -> name for the participants of every part of a thread, in order."""
    names: list[str] = []
    for _, document in documents:
        if "participants" not in document:
            report.notes.append("a thread without a participants list: its senders taken")
        for participant in _participant_names(document):
            if not isinstance(participant, str):
                report.skip("participant whose name is not text")
                continue
            name = repair_mojibake(participant)
            if name and name not in names:
                names.append(name)
    return {node: n for n in names if (node := _name_node(prefix, n))}


def _deleted_peer(folder, key, prefix, platform, report, contacts) -> str:
    """The placeholder for the other account of a one-participant thread."""
    placeholder = f"{prefix}:unknown@{folder.name or key}"
    report.notes.append(
        "thread has a single participant (the other account was deleted): kept, the "
        f"missing person is {placeholder}"
    )
    contacts.setdefault(
        placeholder,
        Contact(
            id=placeholder,
            display_name="(deleted account)",
            attributes={"deleted_account": True, "name_only": True},
            source=platform,
        ),
    )
    return placeholder


def _unique_rows(documents, report) -> list[tuple[Mapping[str, Any], str | None, str | None]]:
    """``(message, sender name, content)`` of every part, messages repeated across parts
    skipped."""
    seen: set[tuple[Any, ...]] = set()
    rows = []
    for part, (_, document) in enumerate(documents):
        keys_this_part = set()
        for message in document["messages"]:
            if not isinstance(message, Mapping):
                report.skip("message is not an object")
                continue
            content = message.get("content")
            content = repair_mojibake(content) if isinstance(content, str) else None
            sender_name = message.get("sender_name")
            sender_name = repair_mojibake(sender_name) if isinstance(sender_name, str) else None
            stamp = message.get("timestamp_ms")
            # The duplicate key must be hashable whatever type the file put there.
            stamp = stamp if isinstance(stamp, (int, float, str)) else repr(stamp)
            identity = (stamp, sender_name, content)
            if part and identity in seen:
                report.skip("message repeated in two message_N.json parts")
                continue
            keys_this_part.add(identity)
            rows.append((message, sender_name, content))
        seen |= keys_this_part
    return rows


def _read_thread(folder, documents, prefix, platform, report, contacts):
    first = documents[0][1]
    thread_path = first.get("thread_path")
    key = (
        thread_path if isinstance(thread_path, str) and thread_path else str(folder.name or folder)
    )
    conversation = f"{prefix}:thread:{key}"
    members = _thread_members(documents, prefix, report)
    placeholder = None
    if len(members) == 1:
        placeholder = _deleted_peer(folder, key, prefix, platform, report, contacts)
    rows = _unique_rows(documents, report)
    for _, sender_name, _ in rows:
        sender_node = _name_node(prefix, sender_name) if sender_name else None
        if sender_node is not None and (placeholder is None or sender_node in members):
            members.setdefault(sender_node, sender_name)
    if placeholder is not None:
        members[placeholder] = "(deleted account)"
    everyone = tuple(members)
    channel = "group" if len(everyone) > 2 or first.get("thread_type") == "RegularGroup" else "dm"
    for member_id, name in members.items():
        if member_id != placeholder:
            contacts.setdefault(
                member_id,
                Contact(
                    id=member_id, display_name=name, attributes={"name_only": True},
                    source=platform,
                ),
            )  # fmt: skip
    counts: Counter = Counter()
    events = []
    for message, sender_name, content in rows:
        if sender_name and _name_node(prefix, sender_name) in members:
            sender = _name_node(prefix, sender_name)
        elif placeholder is not None:
            sender = placeholder
        else:
            report.skip("message without sender_name")
            continue
        try:
            when = utc_from_epoch(message["timestamp_ms"], scale=1000)
        except DateOutOfRange:
            report.skip(f"message {OUT_OF_RANGE_REASON}")
            continue
        except (KeyError, ValueError):
            report.skip("message without a readable timestamp_ms")
            continue
        lowered = (content or "").lower()
        kind = message.get("type")
        is_system = (isinstance(kind, str) and kind in _SYSTEM_TYPES) or (
            platform == "instagram" and any(marker in lowered for marker in _INSTAGRAM_SYSTEM)
        )
        events.append(
            ConversationEvent(
                timestamp=when,
                sender=sender,
                recipients=tuple(m for m in everyone if m != sender),
                channel=channel,
                conversation_id=conversation,
                source=platform,
                n_chars=len(content) if content is not None else None,
                is_system=is_system,
            )
        )
        counts["system_events" if is_system else "messages"] += 1
        report.see(when)
        events.extend(_reactions(message, sender, when, conversation, prefix, platform,
                                 report, contacts, counts))  # fmt: skip
    counts["participants"] = len(everyone)
    report.records.update(counts)
    report.records["events"] = len(events)
    return events


def _reactions(message, sender, when, conversation, prefix, platform, report, contacts, counts):
    """One event per reaction to `message`, from its actor to the message's author."""
    reactions = message.get("reactions")
    if reactions is not None and not isinstance(reactions, list):
        report.skip("'reactions' is not a list")
        reactions = None
    events = []
    for reaction in reactions or ():
        actor = reaction.get("actor") if isinstance(reaction, Mapping) else None
        actor_id = _name_node(prefix, repair_mojibake(actor)) if isinstance(actor, str) else None
        if actor_id is None or actor_id == sender:
            report.skip("reaction without actor or by the author")
            continue
        contacts.setdefault(
            actor_id,
            Contact(
                id=actor_id,
                display_name=repair_mojibake(actor),
                attributes={"name_only": True},
                source=platform,
            ),
        )
        events.append(
            ConversationEvent(
                timestamp=when,
                sender=actor_id,
                recipients=(sender,),
                channel="reaction",
                conversation_id=conversation,
                source=platform,
            )
        )
        counts["reactions"] += 1
    return events
