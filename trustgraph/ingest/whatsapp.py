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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
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
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange, as_utc
from trustgraph.ingest.whatsapp_layouts import (
    AMBIGUOUS_ORDER,
    DateOrderConflict,
    clock,
    date_fields,
    day_month_year,
    describe_whatsapp_miss,
    infer_order,
    resolve_date,
    score_whatsapp,
)
from trustgraph.ingest.whatsapp_lines import Line
from trustgraph.ingest.whatsapp_scan import chat_blocks, scan_blocks

__all__ = ["describe_whatsapp_miss", "read_whatsapp", "score_whatsapp"]

DATE_FORMATS = ("dmy", "mdy", "ymd")
#: Used when every day and month in a file is <= 12 (the choice of chat-miner: most of the
#: world writes the day first). Reported as "ambiguous"; override with date_format=.
DEFAULT_AMBIGUOUS_ORDER = AMBIGUOUS_ORDER

_PHONE_AUTHOR_RE = re.compile(r"^\+?[\d\s()\-]{7,}$")
_NOT_A_CHAT = "0 messages parsed: no line starts with a WhatsApp date-time header"
_FILE_NAME_PARTY_RE = re.compile(r"^WhatsApp Chat (?:with|-) (.+?)(?: \(\d+\))?$", re.I)


def _author_id(author: str) -> tuple[str, tuple[str, ...], str | None, bool] | None:
    """Return (id, extra identifiers, display name, non-contact) for a header author, or
    None when the author is empty (nothing but blanks, direction marks or a tilde)."""
    non_contact = author.startswith("~")
    name = author.lstrip("~").strip()
    if not name:
        return None
    if _PHONE_AUTHOR_RE.match(name):
        phone = normalize_phone(name, default_region=None)
        if phone is not None:
            return f"wa:{phone}", (phone,), None, non_contact
    # "~ Cy" is the profile name the person chose, not a phone-book name: keep the tilde
    # in the id so the phone-book link of the identity layer never applies to it.
    try:
        key = name_id("wa", ("~ " if non_contact else "") + name)
    except ValueError:  # only marks name_id folds away
        return None
    return key, (), name, non_contact


def _chat_messages(source: Path, member: str | None, report: ReadReport) -> list[Line]:
    """The messages of a chat file or of a zip member, read a block of lines at a time.

    Zip members go through the archive guards (encrypted or corrupt member, unknown
    compression, size cap); lines longer than :data:`~trustgraph.ingest.textio.MAX_LINE_BYTES`
    are refused in both cases, so memory stays bounded.
    """
    if member is None:
        path = textio.check_file(source)
        try:
            with textio.open_binary(path) as handle:
                return scan_blocks(chat_blocks(handle, str(path)), report)
        except (OSError, EOFError) as exc:
            raise IngestError(f"cannot read file: {exc}", path=path) from None
    label = f"{source}!{member}"
    with open_zip(source) as archive, open_member(archive, member, label) as raw:
        return scan_blocks(chat_blocks(raw, label, utf8_name="UTF-8"), report)


def _order(messages: list[Line], date_format: str | None, label: str) -> tuple[str, str]:
    """The chat's date order and how it was decided (see :func:`infer_order`)."""
    if date_format is not None:
        return date_format, f"date_format={date_format!r} given"
    first_line = {}
    for message in messages:
        first_line.setdefault(message.date, message.line)
    fields = {date_fields(text): line for text, line in first_line.items()}
    try:
        return infer_order(list(fields))
    except DateOrderConflict as exc:
        raise IngestError(
            f"dates are both day-first (line {fields[exc.day_first]}) and month-first (line "
            f"{fields[exc.month_first]}); pass date_format='dmy' or 'mdy'",
            path=label,
        ) from None


def _wrong_order(message: Line, order: str, label: str) -> IngestError:
    day, month, _ = day_month_year(date_fields(message.date), order)
    other = "mdy" if order == "dmy" else "dmy"
    return IngestError(
        f"date is not valid when read as {order} (day {day}, month {month}); "
        f"try date_format={other!r}",
        path=label,
        line=message.line,
    )


def _times(
    messages: list[Line], order: str, zone: tzinfo, label: str, report: ReadReport
) -> list[datetime | None]:
    """Each message's time in UTC, None for a line skipped (and counted in `report`).

    A date that does not exist in `order` skips its line; when it is most of the
    file's lines, the order is wrong and the file is refused, naming the first line.
    Dates and clock readings repeat, so each is worked out once.
    """
    days: dict[str, tuple[int, int, int] | None] = {}
    clocks: dict[tuple[str, str | None], tuple[int, int, int] | None] = {}
    times: list[datetime | None] = []
    bad_dates: list[Line] = []
    # A UTC time needs no conversion, and only years 1 and 9999 can leave the range.
    utc = zone is timezone.utc or str(zone) in ("UTC", "Etc/UTC")
    for message in messages:
        if message.date not in days:
            try:
                day_ = resolve_date(date_fields(message.date), order)
                days[message.date] = (day_.year, day_.month, day_.day)
            except ValueError:
                days[message.date] = None
        key = (message.time, message.mark)
        if key not in clocks:
            try:
                clocks[key] = clock(message.time, message.mark)
            except ValueError:
                clocks[key] = None
        day, hms, when = days[message.date], clocks[key], None
        if day is None:
            bad_dates.append(message)
        elif hms is None:
            report.skip("time that does not exist or that its AM/PM marker contradicts")
        elif utc and 1 < day[0] < 9999:
            when = datetime(*day, *hms, tzinfo=timezone.utc)
        else:
            try:
                when = as_utc(datetime(*day, *hms, tzinfo=zone))
            except DateOutOfRange:
                report.skip(f"message {OUT_OF_RANGE_REASON}")
        times.append(when)
    if 2 * len(bad_dates) > len(messages):
        raise _wrong_order(bad_dates[0], order, label)
    if bad_dates:
        report.skip(f"date that does not exist when read as {order}", len(bad_dates))
    return times


def _variant(messages: list[Line], order: str, note: str) -> tuple[str, str | None]:
    """The report's variant (family, order, clock) and a note when layouts are mixed."""
    layouts = Counter(m.layout for m in messages)
    family = layouts.most_common(1)[0][0].split(" ")[0]
    if "time-first" in layouts.most_common(1)[0][0]:
        family += " time-first"
    twelve_hour = any(m.mark for m in messages)
    variant = f"{family}, {order} ({note}), {'12-hour' if twelve_hour else '24-hour'} clock"
    families = Counter(name.split(" ")[0] for name in layouts.elements())
    mixed = f"mixed header layouts: {dict(families)}" if len(families) > 1 else None
    return variant, mixed


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


@dataclass
class _Chat:
    """One chat parsed, before the owner is known."""

    label: str
    report: ReadReport
    conversation: str
    authored: list[tuple[datetime, str, Line]]
    contacts: dict[str, Contact]
    group_hint: bool
    counts: Counter
    party: tuple[str, str] | None = None  # (id, name) of the person a file name names
    authors: list[str] = field(default_factory=list)


def _parse_chat(
    source: Path, member: str | None, *, date_format: str | None, zone: tzinfo
) -> _Chat:
    label = str(source) if member is None else f"{source}!{member}"
    report = ReadReport(label, "whatsapp")
    messages = _chat_messages(source, member, report)
    if not messages:
        raise IngestError(
            f"{_NOT_A_CHAT} such as "
            "'14/03/2024, 09:05 - ' or '[14/03/2024, 09:05:12] '; is this a chat export?",
            path=label,
        )
    order, order_note = _order(messages, date_format, label)
    report.variant, mixed = _variant(messages, order, order_note)
    if mixed:
        report.notes.append(mixed)
    stem = Path(member if member is not None else source.name).stem
    if stem == "_chat" and member is not None:
        stem = source.stem
    chat = _Chat(label, report, f"whatsapp:{stem}", [], {}, False, Counter())
    ids: dict[str, tuple[str, tuple[str, ...], str | None, bool] | None] = {}
    times = _times(messages, order, zone, label, report)
    seen = [when for when in times if when is not None]
    if seen:
        report.see(min(seen))
        report.see(max(seen))
    kinds: list[str] = []
    for message, when in zip(messages, times):
        if when is None:
            continue
        if message.author is None:
            kinds.append("system")
            chat.group_hint = chat.group_hint or message.group_hint
            continue
        if message.author not in ids:  # name_id normalises: once per author, not per line
            ids[message.author] = _author_id(message.author)
        author = ids[message.author]
        if author is None:
            report.skip("message with an empty author")
            continue
        author_id, extra, display, non_contact = author
        if non_contact:
            kinds.append("non_contact")
        kinds.append(message.kind)
        if author_id not in chat.contacts:
            chat.contacts[author_id] = Contact(author_id, extra, display, {}, "whatsapp")
        chat.authored.append((when, author_id, message))
    chat.counts.update(kinds)
    chat.authors = list(dict.fromkeys(a for _, a, _ in chat.authored))
    party = _FILE_NAME_PARTY_RE.match(stem)
    party_author = _author_id(party.group(1)) if party else None
    if party and party_author:
        chat.party = (party_author[0], party.group(1).strip())
    return chat


def _chat_events(chat: _Chat, owner: Sequence[str]) -> list[ConversationEvent]:
    """The chat's events once the owner's ids are known; fills in the chat's report."""
    report, contacts = chat.report, chat.contacts
    participants = list(chat.authors)
    if owner and not any(m in contacts for m in owner):
        # The owner may never have written in this chat; they still receive every message.
        participants.append(owner[0])
    if len(participants) == 1 and chat.party is not None:
        other, name = chat.party
        if other not in participants:
            participants.append(other)
            contacts.setdefault(other, Contact(other, (), name, {}, "whatsapp"))
    is_group = len(set(participants)) > 2 or chat.group_hint
    channel = "group" if is_group else "dm"
    events = []
    others: dict[str, tuple[str, ...]] = {}
    for when, author_id, message in chat.authored:
        if author_id not in others:
            others[author_id] = tuple(p for p in participants if p != author_id)
        recipients = others[author_id]
        if not recipients:
            report.skip("message with no other participant known (pass me=)")
            continue
        events.append(
            ConversationEvent(
                when,
                author_id,
                recipients,
                channel,
                chat.conversation,
                "whatsapp",
                message.body_chars,
            )
        )
    counts = chat.counts
    report.records["messages"] = len(chat.authored)
    report.records["events"] = len(events)
    report.records["system"] = counts["system"]
    report.records["media"] = counts["media"]
    report.records["participants"] = len(set(participants))
    report.records["contacts"] = len(contacts)
    if counts["deleted"]:
        report.notes.append(f"{counts['deleted']} deleted messages counted as messages")
    if counts["disappearing"]:
        report.notes.append(
            f"{counts['disappearing']} disappearing or empty messages ('Name:.') counted "
            "as messages"
        )
    if counts["non_contact"]:
        report.notes.append(
            f"{counts['non_contact']} messages from '~ ' non-contacts (self-chosen names)"
        )
    report.notes.append(f"{'group' if is_group else 'one-to-one'} chat")
    if not events and chat.authored:
        # Still a chat: its messages are counted and its author is a contact; only the
        # silent side, who would receive them, is unknown.
        report.notes.append(
            f"every message is by one author ({participants[0]}); the other side never "
            "wrote and is unknown, so no event: pass me=<your display name or phone>"
        )
    if not chat.authored:
        raise IngestError(
            f"0 messages parsed: {counts['system']} system lines and no authored message",
            path=chat.label,
        )
    return events


def _detect_owner(chats: Sequence[_Chat]) -> tuple[str | None, int]:
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
    chats: list[_Chat] = []
    not_chats: list[str] = []
    for source, member in members:
        try:
            chats.append(_parse_chat(source, member, date_format=date_format, zone=zone))
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
        data.events.extend(_chat_events(chat, owner_local))
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
    chats: Sequence[_Chat], me_local: list[str], *, given: bool
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
