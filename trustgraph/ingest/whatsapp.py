"""WhatsApp "Export chat" text files (Android and iOS layouts, every observed locale form).

A message starts at a line that begins with a date-time header; any other line continues
the previous message. The twelve header layouts, the AM/PM words, eras and native digits
are in :mod:`~trustgraph.ingest.whatsapp_layouts`; the markers of 15 languages (media left
out, deleted and edited messages, encryption notices) are data tables in
:mod:`~trustgraph.ingest.whatsapp_locales`; :mod:`~trustgraph.ingest.whatsapp_lines`
splits authors from bodies. This module turns one or more chats into records: the day/month
order is inferred over the whole file and reported (FORMATS.md §2.4), a line whose date or
time cannot exist is skipped and counted, and the owner is found across chats. Only
counts, lengths and timestamps are kept, never the text.

:func:`score_whatsapp` and :func:`describe_whatsapp_miss` are the hooks of format
detection (re-exported from :mod:`~trustgraph.ingest.whatsapp_layouts`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import tzinfo
from pathlib import Path

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest import textio
from trustgraph.ingest._exportfiles import (
    is_zip_archive,
    open_member,
    open_zip,
    resolve_timezone,
)
from trustgraph.ingest.identity import name_id, normalize_identifier, normalize_phone
from trustgraph.ingest.records import Contact, ExportData, ReadReport
from trustgraph.ingest.whatsapp_chat import NOT_A_CHAT, Chat, author_id, chat_events, parse_chat
from trustgraph.ingest.whatsapp_layouts import (
    AMBIGUOUS_ORDER,
    describe_whatsapp_miss,
    score_whatsapp,
)
from trustgraph.ingest.whatsapp_scan import ChatColumns, chat_blocks, scan_columns

__all__ = ["describe_whatsapp_miss", "read_whatsapp", "score_whatsapp"]

DATE_FORMATS = ("dmy", "mdy", "ymd")
#: Used when every day and month in a file is <= 12 (the choice of chat-miner: most of the
#: world writes the day first). Reported as "ambiguous"; override with date_format=.
DEFAULT_AMBIGUOUS_ORDER = AMBIGUOUS_ORDER

_FILE_NAME_PARTY_RE = re.compile(r"^WhatsApp Chat (?:with|-) (.+?)(?: \(\d+\))?$", re.I)
#: Kept for callers of the old private name.
_NOT_A_CHAT = NOT_A_CHAT


def _chat_columns(
    source: Path, member: str | None, report: ReadReport, progress: Callable[[int], None] | None
) -> ChatColumns:
    """The messages of a chat file or of a zip member as columns, found a block of lines
    at a time (:func:`~trustgraph.ingest.whatsapp_scan.scan_columns`).

    Zip members go through the archive guards (encrypted or corrupt member, unknown
    compression, size cap); lines longer than :data:`~trustgraph.ingest.textio.MAX_LINE_BYTES`
    are refused in both cases, so memory stays bounded. ``progress(bytes_read)`` is
    called as blocks are read (for a zip member, in compressed bytes, prorated).
    """
    if member is None:
        path = textio.check_file(source)
        try:
            with textio.open_binary(path) as handle:
                return scan_columns(chat_blocks(handle, str(path), progress=progress), report)
        except (OSError, EOFError) as exc:
            raise IngestError(f"cannot read file: {exc}", path=path) from None
    label = f"{source}!{member}"
    with open_zip(source) as archive, open_member(archive, member, label) as raw:
        if progress is not None:
            info = archive.getinfo(member)
            progress = _prorated(progress, info.compress_size / max(info.file_size, 1))
        blocks = chat_blocks(raw, label, utf8_name="UTF-8", progress=progress)
        return scan_columns(blocks, report)


def _prorated(
    progress: Callable[[int], None], ratio: float, offset: int = 0
) -> Callable[[int], None]:
    return lambda done: progress(offset + int(done * ratio))


def _size_on_disk(source: Path, member: str | None) -> int:
    """The bytes a chat takes in the input: a file's size, a zip member's compressed
    size (what a progress bar over the inputs' sizes counts)."""
    if member is None:
        return source.stat().st_size
    with open_zip(source) as archive:
        return archive.getinfo(member).compress_size


def _parse_chat(
    source: Path,
    member: str | None,
    *,
    date_format: str | None,
    zone: tzinfo,
    progress: Callable[[int], None] | None = None,
) -> Chat:
    label = str(source) if member is None else f"{source}!{member}"
    report = ReadReport(label, "whatsapp")
    stem = Path(member if member is not None else source.name).stem
    if stem == "_chat" and member is not None:
        stem = source.stem
    columns = _chat_columns(source, member, report, progress)
    chat = parse_chat(columns, report, f"whatsapp:{stem}", date_format=date_format, zone=zone)
    party = _FILE_NAME_PARTY_RE.match(stem)
    party_author = author_id(party.group(1)) if party else None
    if party and party_author:
        chat.party = (party_author[0], party.group(1).strip())
    return chat


def _owner_ids(me: Iterable[str]) -> tuple[list[str], list[str]]:
    """Return (WhatsApp ids for `me`, other normalised identifiers to pass through)."""
    local, others = [], []
    for value in me:
        text = value.strip()
        if not text:
            continue
        if text.startswith(("wa:", "wa-name:")):
            local.append(text)
            continue
        phone = normalize_phone(text, default_region=None)
        if phone is not None:
            local.append(f"wa:{phone}")
            others.append(phone)
            continue
        normalised = normalize_identifier(text)
        if normalised is not None:
            others.append(normalised)
            continue
        try:
            local.append(name_id("wa", text))
        except ValueError:  # only marks or blanks: names nobody
            continue
    return local, others


def _detect_owner(chats: Sequence[Chat]) -> tuple[str | None, int]:
    """The one author present in every chat that has two or more authors, leaving out the
    people chats are named after (the other party of a one-to-one export); with the number
    of chats that decided it. ``(None, n)`` when no single author qualifies.

    Chats with a single author say nothing: the owner may be that author or the silent
    one.
    """
    informative = [set(chat.authors) for chat in chats if len(chat.authors) >= 2]
    if not informative:
        return None, 0
    named_after = {chat.party[0] for chat in chats if chat.party is not None}
    common = set.intersection(*informative) - named_after
    if len(common) == 1:
        return next(iter(common)), len(informative)
    return None, len(informative)


def _chat_members(path: Path) -> list[tuple[Path, str | None]]:
    if path.is_dir():
        files = sorted(f for f in path.rglob("*.txt") if f.is_file())
        if not files:
            raise IngestError("no .txt chat export in this folder", path=path)
        chats: list[tuple[Path, str | None]] = []
        for file in files:
            chats.extend(_chat_members(file))
        return chats
    if path.exists() and is_zip_archive(path):  # a damaged zip raises here, by name
        with open_zip(path) as archive:
            members = [
                info.filename
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(".txt")
            ]
        if not members:
            raise IngestError("no .txt chat inside this zip archive", path=path)
        return [(path, member) for member in sorted(members)]
    return [(path, None)]


def read_whatsapp(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    me: Iterable[str] = (),
    date_format: str | None = None,
    tz: str | tzinfo | None = "UTC",
    progress: Callable[[int], None] | None = None,
) -> ExportData:
    """Read WhatsApp "Export chat" files: a ``.txt``, an iOS ``.zip`` or a folder of them.

    Parameters
    ----------
    path : path-like or sequence of path-like
        ``WhatsApp Chat with Bo Sample.txt`` (Android), the iOS zip holding ``_chat.txt``
        (read in place, through the archive guards), a folder searched recursively for
        ``.txt`` exports, or a list of such files and zips read together (the owner is
        found across all of them).
    me : iterable of str
        The owner's identifiers: the display name as it appears in the chats, a phone
        number, or others (e-mail, profile URL) passed through to ``ExportData.owner``.
        When none of them is an author of the chats and no name is given, the owner is
        found by the chats themselves (see Notes).
    date_format : {"dmy", "mdy", "ymd"} or None
        Force the order of the date fields; by default it is inferred from the whole file:
        the order under which fewer dates are impossible (a day above 12), else the one
        under which the dates go back in time less often, else "ambiguous", read
        day-first (:func:`~trustgraph.ingest.whatsapp_layouts.infer_order`).
    tz : str or tzinfo or None, default "UTC"
        Time zone of the exporting phone: WhatsApp writes naive local times. The default
        treats them as UTC; pass e.g. ``"Europe/Paris"`` to get true UTC instants.
    progress : callable, optional
        Called as ``progress(bytes_read)`` with the bytes of the input read so far (over
        all its chats; a zip member's compressed bytes, prorated), about every MiB, so a
        progress bar moves while a large chat is read.

    Returns
    -------
    ExportData
        One event per authored message (``dm`` or ``group``; ``n_chars`` = text length,
        0 for media), one contact per author and the owner's ids. System lines (encryption
        notice, "created group", "added"...) are counted in the report, never authored.

    Raises
    ------
    IngestError
        No line with a WhatsApp header, contradictory day/month orders, a forced order
        under which most dates do not exist (naming the first such line), no authored
        message, or a damaged, encrypted or oversized zip member. A single line whose
        date or time cannot exist is skipped and counted in the report instead.
    ParameterError
        Unknown `date_format` or time zone.

    Notes
    -----
    Some Android locales write a 24-hour time with an AM/PM word (``06/20/2020, 00:08
    a. m. - ``): a marker that agrees with the hour (0 with a morning word, 13-23 with an
    afternoon word) is read on the 24-hour clock, so that line is 00:08; a marker that
    contradicts it (``0:05 PM``, ``14:00 AM``) skips the line
    (:func:`~trustgraph.ingest.whatsapp_layouts.clock`).

    Authors are display names (the names saved in the exporting phone) or phone numbers.
    A phone-number author gets the id ``wa:+15550100199`` and the identifier
    ``+15550100199``, which joins other sources; a named author gets ``wa-name:bo sample``,
    a hint only: :func:`~trustgraph.ingest.identity.merge_identities` links it to a
    phone-book contact (vCard, Google Contacts) that lists that exact name with a phone
    number. A group chat has more than two participants or a group system line; its
    recipients are every other author (silent members are not listed in the export).

    The owner writes under their own display name, which no other identifier reveals.
    When `me` names no author (an e-mail address, a phone number the chats never show)
    and holds no display name, the owner is the one author present in every chat with
    two or more authors, other than the person a one-to-one export is named after
    ("WhatsApp Chat with Bo Sample"); this is Chatistics' ``infer_own_name`` rule, and
    the report says so. A display name given in `me` is always trusted: the owner may
    have written in none of the chats.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "WhatsApp Chat with Bo Sample.txt"
    >>> _ = f.write_text("14/03/2024, 09:05 - Ada Example: Running late\\n"
    ...                  "14/03/2024, 09:06 - Bo Sample: ok\\n", encoding="utf-8")
    >>> data = read_whatsapp(f, me=["Ada Example"])
    >>> [(e.sender, e.recipients) for e in data.events][0]
    ('wa-name:ada example', ('wa-name:bo sample',))
    >>> data.reports[0].variant
    'android, dmy (day-first (inferred)), 24-hour clock'
    >>> read_whatsapp(f, me=["ada@example.com"]).owner  # found: Bo is who the chat is with
    ('wa-name:ada example', 'ada@example.com')
    """
    if date_format is not None and date_format not in DATE_FORMATS:
        raise ParameterError(f"date_format must be one of {DATE_FORMATS}, got {date_format!r}")
    zone = resolve_timezone(tz)
    roots = [Path(p) for p in path] if _is_sequence(path) else [Path(path)]  # type: ignore[union-attr]
    if not roots:
        raise IngestError("no WhatsApp chat given")
    for root in roots:
        if not root.exists():
            raise IngestError("no such file or folder", path=root)
    label = roots[0] if len(roots) == 1 else Path(os.path.commonpath(roots))
    me_local, me_other = _owner_ids(me)
    members = [member for root in roots for member in _chat_members(root)]
    chats: list[Chat] = []
    not_chats: list[str] = []
    done = 0
    for source, member in members:
        step = None if progress is None else _prorated(progress, 1.0, done)
        done += _size_on_disk(source, member)
        try:
            chats.append(
                _parse_chat(source, member, date_format=date_format, zone=zone, progress=step)
            )
        except IngestError as exc:
            # In a folder or archive of several files, a .txt that is not a chat export
            # (a README, notes) is reported and passed over; a single file must be a chat.
            if len(members) == 1 or not exc.problem.startswith(_NOT_A_CHAT):
                raise
            not_chats.append(exc.path or str(source))
    if not chats:
        raise IngestError(f"none of the {len(members)} .txt files is a WhatsApp chat", path=label)
    owner_local, note = _resolve_owner(chats, me_local, given=bool(me_local or me_other))
    data = ExportData()
    contacts: dict[str, Contact] = {}
    for chat in chats:
        chat_events(chat, owner_local, data.events)  # type: ignore[arg-type]
        data.reports.append(chat.report)
        for key, contact in chat.contacts.items():
            contacts.setdefault(key, contact)
    if not_chats:
        data.reports[0].notes.append(
            f"{len(not_chats)} .txt files are not WhatsApp chats and were passed over: "
            + ", ".join(Path(p).name for p in not_chats)
        )
    if note:
        data.reports[0].notes.append(note)
    data.contacts = list(contacts.values())
    data.owner = tuple(dict.fromkeys([*owner_local, *me_other]))
    return data


def _is_sequence(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _resolve_owner(
    chats: Sequence[Chat], me_local: list[str], *, given: bool
) -> tuple[list[str], str | None]:
    """The owner's WhatsApp ids (the detected author first) and the note to report."""
    authors = {a for chat in chats for a in chat.authors}
    named = any(m.startswith("wa-name:") for m in me_local)
    if named or any(m in authors for m in me_local):
        return me_local, None
    found, n_chats = _detect_owner(chats)
    if found is not None:
        why = "; your --me values match no WhatsApp author" if given else ""
        return [found, *me_local], (
            f"owner detected: the one author present in all {n_chats} chats with two or "
            f"more authors, other than the person a one-to-one chat is named after{why}"
        )
    if me_local:
        return me_local, None
    if given:
        return [], (
            "owner not found in the chats: no --me value is a WhatsApp author and no single "
            "author is in every chat; pass me=<your WhatsApp display name>"
        )
    return [], "owner unknown: pass me=<your display name or phone> to get directions"
