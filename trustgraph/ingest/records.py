"""Typed, frozen records that every reader produces.

Readers turn files into :class:`Contact` and :class:`ConversationEvent` records plus a
:class:`ReadReport` saying what was parsed and what was skipped. The tie-strength model and
the graph builder only ever see these records, never a file format. Message bodies are not
part of any record: only counts, lengths and timestamps are kept.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "Contact",
    "ConversationEvent",
    "ExportData",
    "FoundInput",
    "NameMerge",
    "ProbableDuplicate",
    "ReadReport",
    "SkippedInput",
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


@dataclass(frozen=True)
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
    events : list of ConversationEvent
    reports : list of ReadReport
        One per file read, with counts, skips and the detected variant.
    owner : tuple of str
        The owner's ("me") identifiers, given with ``--me`` or detected from the export.
    """

    contacts: list[Contact] = field(default_factory=list)
    events: list[ConversationEvent] = field(default_factory=list)
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
