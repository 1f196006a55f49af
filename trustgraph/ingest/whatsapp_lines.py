"""The messages of one WhatsApp chat file: headers, authors, and what each body is.

:func:`parse_lines` turns the physical lines of an export into :class:`Line` records:
a header starts a message (:mod:`~trustgraph.ingest.whatsapp_layouts`), any other line
continues the previous one. The body is classified with the tables of
:mod:`~trustgraph.ingest.whatsapp_locales` -- media left out of the export, a deleted
message, a disappearing-message placeholder, a system notice -- and only its length is
kept, never the text.

Author/body split (FORMATS.md §2.4): on the first ``": "``. Without one, the line is a
system line (``Ada created group "Book club"``), except two forms found in both header
families and read the same in both:

- ``Name:`` or ``Name:.`` alone: an empty or disappearing message (chat-miner reads
  ``Name:.`` as a disappearing-message placeholder): a message of `Name` with no text;
- ``Bob:Hi`` (iOS only, ChatLab #281): a message with no space after the colon.

A body that is the end-to-end encryption notice or a security-code notice is a system
line even when iOS writes it with the contact's or the group's name as author.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.whatsapp_layouts import clean, header_parts, is_loose, match_header
from trustgraph.ingest.whatsapp_locales import MARKERS

__all__ = [
    "GROUP_HINT",
    "KINDS",
    "KIND_CODE",
    "MARKER_WORDS",
    "Line",
    "body_kind",
    "classify",
    "is_system_author",
    "parse_lines",
]


#: Message kinds by code (``ChatColumns.kind``); a system line that says it is a group's
#: has :data:`GROUP_HINT` added to its code.
KINDS = ("text", "media", "deleted", "disappearing", "system")
GROUP_HINT = 8
KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}


def _all(key: str) -> list[str]:
    return [word for table in MARKERS.values() for word in table.get(key, ())]


def _fold(word: str) -> str:
    return word.casefold().rstrip(".。")


_MEDIA = frozenset(map(_fold, _all("media")))
_DELETED = frozenset(map(_fold, _all("deleted")))
_DOCUMENT = tuple(map(_fold, _all("document")))
_EDITED = tuple(word.casefold() for word in _all("edited"))
_ENCRYPTION = tuple(word.casefold() for word in _all("encryption"))
_SECURITY = tuple(word.casefold() for word in _all("security"))
# The markers an ASCII body can hold: most bodies are ASCII, and testing them against the
# other languages' markers is most of the time a body takes.
_ASCII_DOCUMENT = tuple(w for w in _DOCUMENT if w.isascii())
_ASCII_ENCRYPTION = tuple(w for w in _ENCRYPTION if w.isascii())
_ASCII_SECURITY = tuple(w for w in _SECURITY if w.isascii())
#: Every marker word :func:`body_kind` looks for, casefolded: a body holding none of them
#: (and no attachment word) is text.
MARKER_WORDS = tuple(
    sorted({*_MEDIA, *_DELETED, *_DOCUMENT, *_EDITED, *_ENCRYPTION, *_SECURITY, *_all("attached")})
)
_ATTACHED = "|".join(re.escape(w) for w in sorted(set(_all("attached")), key=len, reverse=True))
_ATTACHED_RE = re.compile(rf"(?:<(?:{_ATTACHED}): [^>]*>|\((?:{_ATTACHED})\))$", re.IGNORECASE)


def _word(word: str) -> str:
    # Latin and Cyrillic words must stand alone ("added", not "padded"); CJK and Thai
    # words are written without spaces around them.
    left = r"(?<!\w)" if word[0].isalpha() and word[0] < "\u0e00" else ""
    right = r"(?!\w)" if word[-1].isalpha() and word[-1] < "\u0e00" else ""
    return left + re.escape(word) + right


_GROUP_RE = re.compile("|".join(map(_word, _all("group"))), re.IGNORECASE)
# System lines that quote user text can contain ": " ('... changed the subject to "a: b"');
# the part before the first ": " then reads like a sentence, not a name.
_SYSTEM_IN_AUTHOR_RE = re.compile(
    r"\b(?:changed the (?:subject|group)|changed this group|created group|pinned a message)\b"
    r"|\"",
    re.IGNORECASE,
)
_SYSTEM_AUTHORS = frozenset(word.casefold() for word in _all("system_author"))
_NO_SPACE_RE = re.compile(r"^([^:]{1,80}):(\S.*)$")


@dataclass(slots=True)
class Line:
    """One message (or system line) of a chat file, without its text."""

    line: int
    date: str
    time: str
    mark: str | None
    layout: str
    author: str | None
    body_chars: int
    kind: str  # text, media, deleted, disappearing or system
    group_hint: bool = False


@functools.lru_cache(maxsize=4096)
def is_system_author(author: str) -> bool:
    """Whether the part of a line before its first ``": "`` is not a person: a system
    sentence that quotes text (``Ada changed the subject to "a``), or the pseudo-author
    some tools write before system lines (``System``, ``Système``, ``Sistema``)."""
    # The same few authors write most lines: decided once per author.
    if author.casefold() in _SYSTEM_AUTHORS:
        return True
    return bool(_SYSTEM_IN_AUTHOR_RE.search(author)) and len(author.split()) > 2


def split_author(rest: str, ios: bool) -> tuple[str | None, str | None]:
    """``(author, body)`` of what follows a header; `author` None for a system line, and
    `body` None for a message with no text (``Name:``, ``Name:.``)."""
    author, separator, body = rest.partition(": ")
    if separator:
        return (None, rest) if is_system_author(author) else (author, body)
    head, colon, tail = rest.rpartition(":")
    if colon and tail in ("", ".") and head and ":" not in head:
        return head, None
    if ios:
        match = _NO_SPACE_RE.match(rest)  # "Bob:Hi" (ChatLab #281)
        if match and not _SYSTEM_IN_AUTHOR_RE.search(match.group(1)):
            return match.group(1), match.group(2)
    return None, rest


def body_kind(body: str) -> tuple[str, int]:
    """``(kind, characters of text)`` of an authored message body.

    >>> body_kind("<Multimedia omitido>"), body_kind("Notes.pdf • 2 pages document omitted")
    (('media', 0), ('media', 0))
    >>> body_kind("Diese Nachricht wurde gelöscht."), body_kind("ok <This message was edited>")
    (('deleted', 0), ('text', 2))
    >>> body_kind("Messages and calls are end-to-end encrypted. No one outside of this chat")
    ('system', 0)
    """
    low = body.casefold()
    folded = low.rstrip(".。")
    ascii_ = low.isascii()
    if folded in _MEDIA or folded.endswith(_ASCII_DOCUMENT if ascii_ else _DOCUMENT):
        return "media", 0
    if folded in _DELETED:
        return "deleted", 0
    if low[-1:] in (">", ")") and _ATTACHED_RE.search(low):
        return "media", 0
    if low.startswith(_ASCII_ENCRYPTION if ascii_ else _ENCRYPTION):
        return "system", 0
    for notice in _ASCII_SECURITY if ascii_ else _SECURITY:
        if notice in low:
            return "system", 0
    if low.endswith(_EDITED):
        edited = next(e for e in _EDITED if low.endswith(e))
        return "text", len(body[: -len(edited)].rstrip())
    return "text", len(body)


def classify(rest: str, ios: bool) -> tuple[str | None, int, str, bool]:
    """``(author, characters of text, kind, group hint)`` of what follows a header; the
    author is None for a system line."""
    author, body = split_author(rest, ios)
    if author is None:
        text = (body or "").strip()
        return None, len(text), "system", bool(_GROUP_RE.search(text))
    if body is None:
        return author, 0, "disappearing", False
    kind, chars = body_kind(body.strip())
    return (None if kind == "system" else author), chars, kind, False


def parse_lines(lines: Iterable[tuple[int, str]], report: ReadReport) -> list[Line]:
    """The messages and system lines of a chat, from its numbered physical lines.

    Line by line; the reader itself goes a block at a time
    (:func:`~trustgraph.ingest.whatsapp_scan.scan_blocks`), with the same results.
    """
    messages: list[Line] = []
    loose = None
    for number, raw_line in lines:
        line = clean(raw_line)
        match = match_header(line, loose is not False)
        if match is not None and loose is None:
            loose = is_loose(match)
        if match is None:
            if messages:
                messages[-1].body_chars += 1 + len(line)  # continuation of a message
            elif line.strip():
                report.skip("text before the first message header")
            continue
        date, time, mark, layout = header_parts(match)
        author, chars, kind, group = classify(match["rest"], line[:1] == "[")
        messages.append(Line(number, date, time, mark, layout, author, chars, kind, group))
    return messages
