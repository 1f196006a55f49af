"""Typed, frozen records that every reader produces.

Readers turn files into :class:`Contact` and :class:`ConversationEvent` records plus a
:class:`ReadReport` saying what was parsed and what was skipped. The tie-strength model and
the graph builder only ever see these records, never a file format. Message bodies are not
part of any record: only counts, lengths and timestamps are kept.
"""

from __future__ import annotations

import csv
import io
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "Contact",
    "ConversationEvent",
    "EventStore",
    "ExportData",
    "FoundInput",
    "NameMerge",
    "ProbableDuplicate",
    "ReadReport",
    "SkippedInput",
    "utc_micros",
]


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Contact:
    """A person (or account) known to the owner.

    Parameters
    ----------
    id : str
        The node id this contact becomes in the graph (a normalised identifier, e.g. a
        lower-cased e-mail address or a profile slug).
    identifiers : tuple of str
        Every normalised identifier known for the person (e-mail, phone, profile URL,
        handle); the identity layer merges contacts that share one.
    display_name : str or None
        A hint only: people are never merged on names.
    attributes : mapping
        Free attributes such as ``company`` or ``position``.
    source : str
        Where the record came from (``"contacts-csv"``, ``"linkedin"``, ...).
    connected_on : datetime or None
        When a declared connection was made, if the source says.
    declared : bool
        The record declares a connection (a contacts file, LinkedIn connection, address
        book entry) rather than only describing someone met in conversations. Declared
        contacts the owner never talked with become weight-0 ``declared_only`` edges.
    """

    id: str
    identifiers: tuple[str, ...] = ()
    display_name: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    connected_on: datetime | None = None
    declared: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", _frozen_mapping(self.attributes))
        ids = tuple(dict.fromkeys((self.id, *self.identifiers)))
        object.__setattr__(self, "identifiers", ids)


@dataclass(frozen=True, slots=True)
class ConversationEvent:
    """One message (or call, or e-mail) between people. No body is ever kept.

    Parameters
    ----------
    timestamp : datetime
        Timezone-aware, in UTC.
    sender : str
        Node id of the author.
    recipients : tuple of str
        Node ids of the addressees (for group conversations, every other participant).
    channel : str
        ``"dm"``, ``"group"``, ``"channel"``, ``"email"``, ... A conversation with more than
        one recipient counts as a group in the tie model whatever the channel says.
    conversation_id : str or None
        Groups events into threads or chats.
    source : str
        Where the record came from.
    n_chars : int or None
        Length of the body, when known (the body itself is not kept).
    is_system : bool
        Joins, encryption notices and the like; not authored by a person.
    """

    timestamp: datetime
    sender: str
    recipients: tuple[str, ...]
    channel: str = "dm"
    conversation_id: str | None = None
    source: str = ""
    n_chars: int | None = None
    is_system: bool = False

    def __post_init__(self) -> None:
        if self.timestamp.tzinfo is None:
            object.__setattr__(self, "timestamp", self.timestamp.replace(tzinfo=timezone.utc))
        object.__setattr__(self, "recipients", tuple(self.recipients))

    @property
    def is_group(self) -> bool:
        return len(self.recipients) > 1


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NO_CHARS = -(2**63)  # the n_chars of an event that has none
_new = object.__new__
(
    _set_timestamp,
    _set_sender,
    _set_recipients,
    _set_channel,
    _set_conversation,
    _set_source,
    _set_chars,
    _set_system,
) = (
    ConversationEvent.__dict__[name].__set__
    for name in (
        "timestamp",
        "sender",
        "recipients",
        "channel",
        "conversation_id",
        "source",
        "n_chars",
        "is_system",
    )
)

#: What many events share: (sender, recipients, channel, conversation_id, source,
#: is_system).
Envelope = tuple[str, tuple[str, ...], str, "str | None", str, bool]


def _event(when: datetime, envelope: Envelope, chars: int) -> ConversationEvent:
    # The fields are set as they are stored (already checked once): no __init__ per event.
    sender, recipients, channel, conversation, source, is_system = envelope
    event = _new(ConversationEvent)
    _set_timestamp(event, when)
    _set_sender(event, sender)
    _set_recipients(event, recipients)
    _set_channel(event, channel)
    _set_conversation(event, conversation)
    _set_source(event, source)
    _set_chars(event, None if chars == _NO_CHARS else chars)
    _set_system(event, is_system)
    return event


def _extend(column: array, values: Iterable[int]) -> None:
    dtype = getattr(values, "dtype", None)  # a numpy array: copied as bytes, not per item
    if dtype is not None:
        column.frombytes(values.astype(column.typecode).tobytes())  # type: ignore[attr-defined]
    else:
        column.extend(values)


def utc_micros(when: datetime) -> int:
    """Microseconds from 1970-01-01 UTC to the aware datetime `when` (exact).

    >>> utc_micros(datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=timezone.utc))
    1000005
    """
    return (when - _EPOCH) // timedelta(microseconds=1)


class EventStore(Sequence[ConversationEvent]):
    """:class:`ConversationEvent` records kept as columns: an append-only list.

    An event is three numbers: its time (microseconds since 1970 UTC), the index of its
    *envelope* (what it shares with other events of a chat: sender, recipients, channel,
    conversation, source, system flag) and its length; about 20 bytes where a
    ConversationEvent with its datetime takes about 130. A chat of millions of messages
    has a few envelopes. Indexing and iterating give ConversationEvent records made on
    the fly, equal to those stored; a timestamp in a zone other than UTC, or of a
    datetime subclass, is kept as given. ``len``, slices (lists), ``==`` with a list,
    ``append`` and ``extend`` work as on a list.

    Examples
    --------
    >>> t = datetime(2024, 6, 1, 9, 30, tzinfo=timezone.utc)
    >>> store = EventStore([ConversationEvent(t, "ada", ["bo"], n_chars=5)])
    >>> chat = store.envelope("bo", ("ada",), conversation_id="whatsapp:chat")
    >>> store.append_row(utc_micros(t) + 60_000_000, chat, 2)
    >>> len(store), store[1].timestamp.minute, store[1].recipients, store[1].n_chars
    (2, 31, ('ada',), 2)
    >>> store == [ConversationEvent(t, "ada", ("bo",), n_chars=5), store[1]]
    True
    """

    __slots__ = ("_chars", "_envelopes", "_index", "_kinds", "_micros", "_odd")

    def __init__(self, events: Iterable[ConversationEvent] = ()) -> None:
        self._micros = array("q")
        self._kinds = array("i")
        self._chars = array("q")
        self._envelopes: list[Envelope] = []
        self._index: dict[Envelope, int] = {}
        self._odd: dict[int, datetime] = {}  # row -> a timestamp not in UTC, kept as given
        self.extend(events)

    def envelope(
        self,
        sender: str,
        recipients: tuple[str, ...],
        channel: str = "dm",
        conversation_id: str | None = None,
        source: str = "",
        is_system: bool = False,
    ) -> int:
        """The index of an envelope (made once), for :meth:`append_row`."""
        key = (sender, tuple(recipients), channel, conversation_id, source, is_system)
        kind = self._index.get(key)
        if kind is None:
            kind = self._index[key] = len(self._envelopes)
            self._envelopes.append(key)
        return kind

    def append_row(self, micros: int, envelope: int, n_chars: int | None) -> None:
        """Append an event by its UTC time in microseconds and its envelope's index."""
        self._micros.append(micros)
        self._kinds.append(envelope)
        self._chars.append(_NO_CHARS if n_chars is None else n_chars)

    def extend_rows(
        self, micros: Iterable[int], envelopes: Iterable[int], n_chars: Iterable[int]
    ) -> None:
        """Append many events at once (columns of one length; no None lengths)."""
        _extend(self._micros, micros)
        _extend(self._kinds, envelopes)
        _extend(self._chars, n_chars)
        if not len(self._micros) == len(self._kinds) == len(self._chars):
            raise ValueError("extend_rows needs columns of one length")

    def append(self, event: ConversationEvent) -> None:
        when = event.timestamp
        if when.tzinfo is not timezone.utc or type(when) is not datetime:
            self._odd[len(self._micros)] = when
        kind = self.envelope(
            event.sender,
            event.recipients,
            event.channel,
            event.conversation_id,
            event.source,
            event.is_system,
        )
        self.append_row(utc_micros(when), kind, event.n_chars)

    def extend(self, events: Iterable[ConversationEvent]) -> None:
        if not isinstance(events, EventStore):
            for event in events:
                self.append(event)
            return
        kinds = [self.envelope(*envelope) for envelope in events._envelopes]
        offset = len(self._micros)
        self._odd.update({offset + row: when for row, when in events._odd.items()})
        same = kinds == list(range(len(kinds)))
        self.extend_rows(
            events._micros,
            events._kinds if same else map(kinds.__getitem__, events._kinds),
            events._chars,
        )

    def __iadd__(self, events: Iterable[ConversationEvent]) -> EventStore:
        self.extend(events)
        return self

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self._micros)

    def _at(self, row: int) -> ConversationEvent:
        when = self._odd.get(row)
        if when is None:
            when = _EPOCH + timedelta(microseconds=self._micros[row])
        return _event(when, self._envelopes[self._kinds[row]], self._chars[row])

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self._at(row) for row in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("event index out of range")
        return self._at(index)

    def __iter__(self) -> Iterator[ConversationEvent]:
        envelopes, odd = self._envelopes, self._odd
        rows = zip(self._micros, self._kinds, self._chars)
        for row, (micros, kind, chars) in enumerate(rows):
            when = odd.get(row) if odd else None
            if when is None:
                when = _EPOCH + timedelta(microseconds=micros)
            yield _event(when, envelopes[kind], chars)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EventStore({len(self)} events, {len(self._envelopes)} envelopes)"

    @property
    def envelopes(self) -> tuple[Envelope, ...]:
        """The distinct envelopes, by index: what a pass over who talks to whom needs
        (identity merging, participants) without making a record per event.

        >>> t = datetime(2024, 6, 1, tzinfo=timezone.utc)
        >>> EventStore([ConversationEvent(t, "a", ("b",))] * 3).envelopes
        (('a', ('b',), 'dm', None, '', False),)
        """
        return tuple(self._envelopes)

    def columns(self) -> tuple[array, array, array, list[Envelope]]:
        """Copies of the columns, for code that works on arrays rather than records:
        ``(UTC microseconds, envelope index, n_chars, envelopes)``, an n_chars of None
        stored as ``-2**63``. Per-envelope work (who talks to whom) is then done once per
        envelope, and ``numpy.frombuffer`` reads the columns without a copy.

        >>> t = datetime(2024, 6, 1, tzinfo=timezone.utc)
        >>> store = EventStore([ConversationEvent(t, "a", ("b",))])
        >>> micros, kinds, chars, envelopes = store.columns()
        >>> micros[0] == utc_micros(t), list(kinds), envelopes[0][:2]
        (True, [0], ('a', ('b',)))
        """
        return (
            array("q", self._micros),
            array("i", self._kinds),
            array("q", self._chars),
            list(self._envelopes),
        )

    def with_participants(
        self, rewrite: Callable[[str, tuple[str, ...]], tuple[str, tuple[str, ...]]]
    ) -> EventStore:
        """A copy whose senders and recipients are ``rewrite(sender, recipients)``,
        called once per envelope (not per event): how identity merging renames people
        in millions of events at the cost of a few.

        >>> t = datetime(2024, 6, 1, tzinfo=timezone.utc)
        >>> store = EventStore([ConversationEvent(t, "ada2", ("bo",))])
        >>> store.with_participants(lambda s, r: ("ada", r))[0].sender
        'ada'
        """
        out = EventStore()
        kinds = []
        for sender, recipients, *rest in self._envelopes:
            new_sender, new_recipients = rewrite(sender, recipients)
            kinds.append(out.envelope(new_sender, new_recipients, *rest))
        same = kinds == list(range(len(kinds)))
        out.extend_rows(
            self._micros,
            self._kinds if same else map(kinds.__getitem__, self._kinds),
            self._chars,
        )
        out._odd = dict(self._odd)
        return out


@dataclass
class ReadReport:
    """What a reader parsed and skipped, for ``trustgraph inspect`` and the report inventory.

    Attributes
    ----------
    path : str
        The file read.
    format : str
        Detected format (``"edgelist"``, ``"contacts-csv"``, ``"graphml"``, ...).
    variant : str or None
        Detected variant (delimiter, header or not, locale...).
    records : Counter
        Parsed records by kind (``"edges"``, ``"contacts"``, ``"events"``, ``"nodes"``).
    skipped : Counter
        Skipped lines by reason.
    notes : list of str
        Things a user should know (self-loops kept, duplicates merged and how, ...).
    first_seen, last_seen : datetime or None
        Date range of timestamped records.
    """

    path: str
    format: str
    variant: str | None = None
    records: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count

    def see(self, when: datetime) -> None:
        if self.first_seen is None or when < self.first_seen:
            self.first_seen = when
        if self.last_seen is None or when > self.last_seen:
            self.last_seen = when

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "variant": self.variant,
            "records": dict(self.records),
            "skipped": dict(self.skipped),
            "notes": list(self.notes),
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


@dataclass
class ExportData:
    """What one export (or any mix of record sources) yields.

    Attributes
    ----------
    contacts : list of Contact
    events : EventStore or list of ConversationEvent
        An :class:`EventStore` unless a list was given: millions of messages are kept in
        a few bytes each, and read as ConversationEvent records.
    reports : list of ReadReport
        One per file read, with counts, skips and the detected variant.
    owner : tuple of str
        The owner's ("me") identifiers, given with ``--me`` or detected from the export.
    """

    contacts: list[Contact] = field(default_factory=list)
    events: EventStore | list[ConversationEvent] = field(default_factory=lambda: EventStore())
    reports: list[ReadReport] = field(default_factory=list)
    owner: tuple[str, ...] = ()

    def extend(self, other: ExportData) -> None:
        self.contacts.extend(other.contacts)
        self.events.extend(other.events)
        self.reports.extend(other.reports)
        self.owner = tuple(dict.fromkeys((*self.owner, *other.owner)))


@dataclass(frozen=True)
class FoundInput:
    """One export (or record file) found while searching a folder.

    Attributes
    ----------
    format : str
        The reader that reads it (an export name, ``"contacts-csv"``, ...).
    path : Path
        What to show the user: the export's folder, file or archive.
    files : tuple of Path
        The files read when they are not the whole of `path` (the LinkedIn CSVs of a
        folder, WhatsApp chats gathered from several places); empty when the reader is
        given `path` itself.
    """

    format: str
    path: Path
    files: tuple[Path, ...] = ()

    def describe(self) -> str:
        """One line for ``inspect``: ``whatsapp (3 chats)``, ``linkedin (Connections.csv,
        messages.csv)``, ``mbox``."""
        if self.format == "whatsapp" and self.files:
            n = len(self.files)
            return f"whatsapp ({n} chat{'s' if n != 1 else ''})"
        if self.files:
            return f"{self.format} ({', '.join(f.name for f in self.files)})"
        return self.format

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "path": str(self.path),
            "files": [str(f) for f in self.files],
        }


@dataclass(frozen=True)
class SkippedInput:
    """A file (or folder) of a searched folder that was not read, and why.

    Attributes
    ----------
    path : Path
    reason : str
        Why: not a recognised export, a photo, a hidden file, or the reader's own error.
    format : str or None
        The format it was recognised as when reading it failed (a damaged mbox); None when
        nothing recognised it. Recognised-but-unreadable inputs deserve a warning.
    """

    path: Path
    reason: str
    format: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "reason": self.reason, "format": self.format}


@dataclass(frozen=True)
class NameMerge:
    """People of several sources merged into one because they share a full name.

    Attributes
    ----------
    kept : str
        The node id of the merged person.
    merged : tuple of str
        The identifiers merged into `kept` (those of the records that had no identifier in
        common with it).
    reason : str
        One line, without names or identifiers: the sources, the absence of a conflicting
        identifier and the confidence.
    confidence : {"high", "medium"}
        ``high`` when three or more sources agree or the name has three or more words;
        ``medium`` for two sources agreeing on a two-word name.
    name : str
        The shared name as first written (for display; anonymise it like any name).
    sources : tuple of str
        The sources that named the person.
    """

    kept: str
    merged: tuple[str, ...]
    reason: str
    confidence: str
    name: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProbableDuplicate:
    """People who are probably one person but were not merged.

    Attributes
    ----------
    nodes : tuple of str
        Their node ids.
    reason : str
        Why they were not merged (a conflicting identifier, several people with that name,
        ``--no-name-merge``) and how to confirm: a line of an ``--identities`` file.
    name : str
        The shared name (for display).
    """

    nodes: tuple[str, ...]
    reason: str
    name: str = ""

    @property
    def identities_row(self) -> str:
        """The line of an ``--identities`` CSV file that merges them (CSV-quoted).

        >>> ProbableDuplicate(("bo@example.org", "wa-name:bo, sample"), "").identities_row
        'bo@example.org,"wa-name:bo, sample"'
        """
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(self.nodes)
        return out.getvalue()
