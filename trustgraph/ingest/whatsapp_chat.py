"""One WhatsApp chat as columns of numbers, from its messages to its events.

:func:`parse_chat` consumes the messages of a chat as
:func:`~trustgraph.ingest.whatsapp_scan.iter_messages` finds them and keeps each in about
20 bytes: the indexes of its date text, of its clock reading and of its author, the
length of its text and its kind. Only when the whole file is read is the day/month order
decided (it is inferred over the whole file), so dates and clock readings are resolved
once each and the UTC time of every message is computed from them as arrays.
:func:`chat_events` appends the chat's events to an
:class:`~trustgraph.ingest.records.EventStore` once the owner is known: one envelope per
author, not one record per message.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

import numpy as np

from trustgraph.exceptions import IngestError
from trustgraph.ingest.identity import name_id, normalize_phone
from trustgraph.ingest.records import Contact, EventStore, ReadReport, utc_micros
from trustgraph.ingest.timeparse import OUT_OF_RANGE_REASON, DateOutOfRange, as_utc
from trustgraph.ingest.whatsapp_layouts import (
    DateOrderConflict,
    clock,
    date_fields,
    day_month_year,
    infer_order,
    resolve_date,
)
from trustgraph.ingest.whatsapp_lines import GROUP_HINT, KINDS
from trustgraph.ingest.whatsapp_scan import ChatColumns

__all__ = ["NOT_A_CHAT", "Chat", "author_id", "chat_events", "parse_chat"]

_PHONE_AUTHOR_RE = re.compile(r"^\+?[\d\s()\-]{7,}$")
#: What the reader says of a file with no header; a folder passes over such files.
NOT_A_CHAT = "0 messages parsed: no line starts with a WhatsApp date-time header"
_BAD_CLOCK = "time that does not exist or that its AM/PM marker contradicts"
_SYSTEM = KINDS.index("system")
_DAY_US = 86_400_000_000
_EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def author_id(author: str) -> tuple[str, tuple[str, ...], str | None, bool] | None:
    """``(id, extra identifiers, display name, non-contact)`` of a header author, or None
    when the author is empty (nothing but blanks, direction marks or a tilde)."""
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


@dataclass
class Chat:
    """One chat parsed, before the owner is known: its authored messages as arrays."""

    label: str
    report: ReadReport
    conversation: str
    micros: np.ndarray  # UTC time of each authored message, microseconds since 1970
    author_index: np.ndarray  # index into `authors`
    chars: np.ndarray
    authors: list[str]  # ids, in the order of their first message
    contacts: dict[str, Contact]
    group_hint: bool
    counts: Counter
    party: tuple[str, str] | None = None  # (id, name) of the person a file name names


def _order(columns: ChatColumns, date_format: str | None, label: str) -> tuple[str, str]:
    """The chat's date order and how it was decided (see :func:`infer_order`)."""
    if date_format is not None:
        return date_format, f"date_format={date_format!r} given"
    fields: dict[tuple[str, str, str], int] = {}
    for text, line in zip(columns.dates, columns.date_lines):
        fields.setdefault(date_fields(text), line)
    try:
        return infer_order(list(fields))
    except DateOrderConflict as exc:
        raise IngestError(
            f"dates are both day-first (line {fields[exc.day_first]}) and month-first (line "
            f"{fields[exc.month_first]}); pass date_format='dmy' or 'mdy'",
            path=label,
        ) from None


def _wrong_order(text: str, line: int, order: str, label: str) -> IngestError:
    day, month, _ = day_month_year(date_fields(text), order)
    other = "mdy" if order == "dmy" else "dmy"
    return IngestError(
        f"date is not valid when read as {order} (day {day}, month {month}); "
        f"try date_format={other!r}",
        path=label,
        line=line,
    )


def _resolve_tables(columns: ChatColumns, order: str) -> tuple[list, list]:
    """Each date's ``(year, month, day)`` and each clock reading's ``(h, m, s)``, None
    where it cannot exist: each is worked out once, however often it repeats."""
    days: list[tuple[int, int, int] | None] = []
    for text in columns.dates:
        try:
            day = resolve_date(date_fields(text), order)
            days.append((day.year, day.month, day.day))
        except ValueError:
            days.append(None)
    clocks: list[tuple[int, int, int] | None] = []
    for time, mark in columns.clocks:
        try:
            clocks.append(clock(time, mark))
        except ValueError:
            clocks.append(None)
    return days, clocks


#: Times of day at which a day's UTC offset is checked: equal at all of them, the day
#: has no clock change (no time zone changes its clock twice in a day and back).
_CHECKED_HOURS = (0, 6, 12, 18, 23)


def _day_offsets(days: list[tuple[int, int, int] | None], zone: tzinfo) -> list[int | None]:
    """Each date's UTC offset in microseconds, when one offset holds all day and the
    instants cannot leave the range; None where each time is converted on its own (a
    day with a clock change, years 1 and 9999, a date that does not exist)."""
    utc = zone is timezone.utc or str(zone) in ("UTC", "Etc/UTC")
    offsets: list[int | None] = []
    for day in days:
        if day is None or not 1 < day[0] < 9999:
            offsets.append(None)
        elif utc:
            offsets.append(0)
        else:
            seen = {
                datetime(*day, hour, 59, 59, tzinfo=zone).utcoffset() for hour in _CHECKED_HOURS
            }
            seen.add(datetime(*day, tzinfo=zone).utcoffset())
            only = seen.pop() if len(seen) == 1 else None
            offsets.append(None if only is None else only // timedelta(microseconds=1))
    return offsets


def _times(
    columns: ChatColumns, order: str, zone: tzinfo, label: str, report: ReadReport
) -> tuple[np.ndarray, np.ndarray]:
    """Each message's UTC time in microseconds, and whether it is kept: a line whose
    date, time or instant cannot exist is skipped and counted in `report`.

    A date that does not exist in `order` skips its line; when it is most of the file's
    lines, the order is wrong and the file is refused, naming the first such line.
    """
    days, clocks = _resolve_tables(columns, order)
    date_of = np.frombuffer(columns.date_of, dtype=np.int32)
    clock_of = np.frombuffer(columns.clock_of, dtype=np.int32)
    bad_date = ~np.array([d is not None for d in days], dtype=bool)[date_of]
    bad_clock = ~bad_date & ~np.array([c is not None for c in clocks], dtype=bool)[clock_of]
    n_bad = int(bad_date.sum())
    if 2 * n_bad > len(date_of):
        first = int(date_of[int(np.argmax(bad_date))])
        text = next(t for t, i in columns.dates.items() if i == first)
        raise _wrong_order(text, columns.date_lines[first], order, label)
    offsets = _day_offsets(days, zone)
    plain = np.array([offset is not None for offset in offsets], dtype=bool)
    day_us = [
        (date(*d).toordinal() - _EPOCH_ORDINAL) * _DAY_US - (offset or 0) if d else 0
        for d, offset in zip(days, offsets)
    ]
    clock_us = [(c[0] * 3600 + c[1] * 60 + c[2]) * 1_000_000 if c else 0 for c in clocks]
    micros = np.array(day_us, dtype=np.int64)[date_of] + np.array(clock_us, np.int64)[clock_of]
    kept = ~bad_date & ~bad_clock
    out_of_range = []
    for row in np.flatnonzero(kept & ~plain[date_of]).tolist():
        day, hms = days[date_of[row]], clocks[clock_of[row]]
        try:
            micros[row] = utc_micros(as_utc(datetime(*day, *hms, tzinfo=zone)))  # type: ignore[misc]
        except DateOutOfRange:
            kept[row] = False
            out_of_range.append(row)
    # Counted in the order the reasons first occur in the file, as a line reader would.
    n_clock = int(bad_clock.sum())
    reasons = [
        (int(np.argmax(bad_clock)), n_clock, _BAD_CLOCK),
        (
            out_of_range[0] if out_of_range else 0,
            len(out_of_range),
            f"message {OUT_OF_RANGE_REASON}",
        ),
    ]
    for _, count, reason in sorted(r for r in reasons if r[1]):
        report.skip(reason, count)
    if n_bad:
        report.skip(f"date that does not exist when read as {order}", n_bad)
    return micros, kept


def _variant(columns: ChatColumns, order: str, note: str) -> tuple[str, str | None]:
    """The report's variant (family, order, clock) and a note when layouts are mixed."""
    layouts = Counter(columns.layouts)
    top = layouts.most_common(1)[0][0]
    family = top.split(" ")[0] + (" time-first" if "time-first" in top else "")
    twelve_hour = any(mark for _, mark in columns.clocks)
    variant = f"{family}, {order} ({note}), {'12-hour' if twelve_hour else '24-hour'} clock"
    families: Counter = Counter()
    for name, count in layouts.items():
        families[name.split(" ")[0]] += count
    mixed = f"mixed header layouts: {dict(families)}" if len(families) > 1 else None
    return variant, mixed


def parse_chat(
    columns: ChatColumns,
    report: ReadReport,
    conversation: str,
    *,
    date_format: str | None,
    zone: tzinfo,
) -> Chat:
    """The :class:`Chat` of a chat's messages as
    :func:`~trustgraph.ingest.whatsapp_scan.scan_columns` gives them.

    Raises
    ------
    IngestError
        No message header (:data:`NOT_A_CHAT`), contradictory day/month orders, or a
        forced order under which most dates do not exist.
    """
    label = report.path
    if not columns.kind:
        raise IngestError(
            f"{NOT_A_CHAT} such as "
            "'14/03/2024, 09:05 - ' or '[14/03/2024, 09:05:12] '; is this a chat export?",
            path=label,
        )
    order, order_note = _order(columns, date_format, label)
    report.variant, mixed = _variant(columns, order, order_note)
    if mixed:
        report.notes.append(mixed)
    micros, kept = _times(columns, order, zone, label, report)
    if kept.any():
        for when in (micros[kept].min(), micros[kept].max()):
            report.see(_EPOCH + timedelta(microseconds=int(when)))
    return _authored(columns, micros, kept, report, conversation)


def _authored(
    columns: ChatColumns,
    micros: np.ndarray,
    kept: np.ndarray,
    report: ReadReport,
    conversation: str,
) -> Chat:
    """The chat's authored messages, its authors and contacts, and its message counts."""
    kind = np.frombuffer(columns.kind, dtype=np.int8)
    system = kept & (kind % GROUP_HINT == _SYSTEM)
    counts: Counter = Counter({"system": int(system.sum())})
    group_hint = bool((system & (kind >= GROUP_HINT)).any())
    # Raw author -> index into `ids` (-1: empty, skipped); None is the system lines'.
    ids: dict[str, int] = {}
    found: list[tuple[str, tuple[str, ...], str | None, bool]] = []
    raw_to: list[int] = []
    for raw in columns.authors:
        who = author_id(raw) if raw is not None else None
        if who is not None and who[0] not in ids:
            ids[who[0]] = len(found)
            found.append(who)
        raw_to.append(-1 if who is None else ids[who[0]])
    author = np.array(raw_to, dtype=np.int64)[np.frombuffer(columns.author_of, np.int32)]
    rows = kept & ~system
    empty = rows & (author < 0)
    if empty.any():
        report.skip("message with an empty author", int(empty.sum()))
    rows &= author >= 0
    author, row_kind = author[rows], kind[rows]
    for code, count in enumerate(np.bincount(row_kind, minlength=len(KINDS))[:_SYSTEM]):
        counts[KINDS[code]] = int(count)
    non_contact = np.array([who[3] for who in found], dtype=bool)
    counts["non_contact"] = int(non_contact[author].sum()) if len(found) else 0
    # Authors (and their contacts) in the order of their first authored message.
    present, first = np.unique(author, return_index=True)
    by_first = present[np.argsort(first)].tolist()
    renumber = np.full(max(len(found), 1), -1, dtype=np.int64)
    renumber[by_first] = np.arange(len(by_first))
    contacts = {}
    for index in by_first:
        key, extra, display, _ = found[index]
        contacts[key] = Contact(key, extra, display, {}, "whatsapp")
    return Chat(
        report.path,
        report,
        conversation,
        micros[rows],
        renumber[author] if len(author) else author,
        np.frombuffer(columns.chars, dtype=np.int64)[rows],
        list(contacts),
        contacts,
        group_hint,
        counts,
    )


def chat_events(chat: Chat, owner: Sequence[str], store: EventStore) -> None:
    """Append the chat's events to `store` once the owner's ids are known; fills in the
    chat's report. One envelope per author: every message of an author in a chat has
    the same sender, recipients, channel and conversation."""
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
    envelopes = []
    for author in chat.authors:
        recipients = tuple(p for p in participants if p != author)
        envelopes.append(
            store.envelope(author, recipients, channel, chat.conversation, "whatsapp")
            if recipients
            else -1
        )
    envelope = np.array(envelopes, dtype=np.int64)[chat.author_index]
    sent = envelope >= 0
    n_events = int(sent.sum())
    if n_events < len(sent):
        report.skip("message with no other participant known (pass me=)", len(sent) - n_events)
    store.extend_rows(chat.micros[sent], envelope[sent].astype(np.int32), chat.chars[sent])
    _fill_report(chat, participants, is_group, n_events)


def _fill_report(chat: Chat, participants: list[str], is_group: bool, n_events: int) -> None:
    report, counts, n_messages = chat.report, chat.counts, len(chat.micros)
    report.records["messages"] = n_messages
    report.records["events"] = n_events
    report.records["system"] = counts["system"]
    report.records["media"] = counts["media"]
    report.records["participants"] = len(set(participants))
    report.records["contacts"] = len(chat.contacts)
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
    if not n_events and n_messages:
        # Still a chat: its messages are counted and its author is a contact; only the
        # silent side, who would receive them, is unknown.
        report.notes.append(
            f"every message is by one author ({participants[0]}); the other side never "
            "wrote and is unknown, so no event: pass me=<your display name or phone>"
        )
    if not n_messages:
        raise IngestError(
            f"0 messages parsed: {counts['system']} system lines and no authored message",
            path=chat.label,
        )
