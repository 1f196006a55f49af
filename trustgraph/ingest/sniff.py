"""Detection of a single export file by its content, ranked.

Each export reader has a scorer here that looks at the file's name and its first 64 KiB and
says how well the file fits it, from 0 (certainly not) to 1 (certainly), and in one line what
it saw. :func:`rank_file` runs every scorer; the best fit at or above :data:`FIT_THRESHOLD`
wins, ties going to the reader met first in :data:`SCORE_ORDER`. When nothing fits,
:func:`describe_misses` gives one line with what each plausible reader saw, for the error
message ("WhatsApp: no line starts with a date-time header ...; Telegram: ...").

Scores are coarse on purpose: 1.0 for a marker only that export writes (``window.YTD.``,
``BEGIN:VCARD``, Telegram's ``personal_information``), about 0.9 for a shape that only that
reader expects (a Telegram chat ``type`` beside a ``messages`` list, Messenger's
``sender_name`` and ``timestamp_ms``), 0.6 for a telling file name whose content the reader
will judge, and 0 otherwise. A scorer that returns ``saw=None`` found the file not of its
kind at all (a JSON reader on plain text) and is left out of the explanation.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trustgraph.ingest import whatsapp as _whatsapp
from trustgraph.ingest.google_contacts import (
    THUNDERBIRD_EMAILS,
    is_outlook_header,
    outlook_columns,
)
from trustgraph.ingest.textio import head_encoding, open_binary

__all__ = [
    "FIT_THRESHOLD",
    "SCORE_ORDER",
    "Fit",
    "best_fit",
    "describe_misses",
    "label_of",
    "rank_file",
    "rank_text",
]

#: The score a file needs for its best reader to be chosen without ``format=``.
FIT_THRESHOLD = 0.5
PEEK_BYTES = 65536


@dataclass(frozen=True)
class Fit:
    """How well one export reader fits a file.

    Attributes
    ----------
    format : str
        The export format (a key of ``EXPORT_FORMATS``).
    score : float
        0 (not this format) to 1 (certainly this format).
    saw : str or None
        One line saying what the scorer saw; None when the file is not of its kind at all.
    """

    format: str
    score: float
    saw: str | None = None


TELEGRAM_CHAT_TYPES = (
    "personal_chat",
    "private_group",
    "private_supergroup",
    "public_supergroup",
    "private_channel",
    "public_channel",
    "saved_messages",
    "bot_chat",
)
_TELEGRAM_TYPE = re.compile(r'"type"\s*:\s*"(' + "|".join(TELEGRAM_CHAT_TYPES) + r')"')
# A Telegram message object whose first keys include "date" and "from" (in either order).
_TELEGRAM_MESSAGE = re.compile(
    r'\{[^{}]{0,400}?"date"\s*:\s*"[^"]{0,40}"[^{}]{0,400}?"from"\s*:'
    r'|\{[^{}]{0,400}?"from"\s*:[^{}]{0,400}?"date"\s*:\s*"'
)
_MESSENGER_HTML = re.compile(r"message_\d+\.html?")
# An mbox envelope line; mailing-list archives (pipermail, hyperkitty) write the sender as
# "goran at domain.com" to hide it from harvesters.
MBOX_ENVELOPE = re.compile(
    r"^From (?:\S+ at \S+|\S*)\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{1,2}:\d{2}",
    re.IGNORECASE,
)
_JSON_START = re.compile(r'\ufeff?\s*(?:\{|\[\s*[{\["\]])')
_MAIL_HEADER = re.compile(r"^(Date|Message-ID|From|Subject|To):", re.M | re.I)


def _suffix(name: str) -> str:
    name = name.lower().removesuffix(".gz")
    return name.rsplit(".", 1)[-1] if "." in name else ""


def _is_json(suffix: str, text: str) -> bool:
    # "[14/03/2024, 09:05:12] Ada: hi" (an iOS WhatsApp chat) starts with a bracket too.
    return suffix == "json" or _JSON_START.match(text) is not None


def score_whatsapp(name: str, text: str) -> Fit:
    suffix = _suffix(name)
    if _is_json(suffix, text):
        return Fit("whatsapp", 0.0)
    if suffix == "md":  # signal-export writes chat.md with "[2024-03-14 09:05:12] Me: hi"
        return Fit("whatsapp", 0.0, "a Markdown file, not a WhatsApp .txt chat")
    # The share of header lines: long multi-line messages lower it, yet one header in a
    # .txt file is a chat (a CSV or a log needs more before it is taken for one).
    share = float(_whatsapp.score_whatsapp(text))
    score = 0.6 + 0.4 * share if share and (suffix in ("txt", "") or share >= 0.3) else 0.0
    saw = _whatsapp.describe_whatsapp_miss(text) if score < FIT_THRESHOLD else "a chat"
    return Fit("whatsapp", score, saw.removeprefix("WhatsApp: "))


def score_telegram(name: str, text: str) -> Fit:
    if not _is_json(_suffix(name), text):
        return Fit("telegram", 0.0)
    if '"personal_information"' in text or ('"chats"' in text and '"list"' in text):
        return Fit("telegram", 1.0, "a full account export")
    has_messages = '"messages"' in text
    if has_messages and _TELEGRAM_TYPE.search(text):
        return Fit("telegram", 0.95, "a single-chat export")
    if has_messages and ('"from_id"' in text or '"text_entities"' in text):
        return Fit("telegram", 0.8, "a chat without a 'type'")
    if has_messages and '"date_unixtime"' in text:
        return Fit("telegram", 0.8, "a chat without a 'type' or ids")
    if has_messages and _TELEGRAM_MESSAGE.search(text):
        # Third-party tools write messages with a sender name and a date, nothing more.
        return Fit("telegram", 0.6, "messages with 'from' and 'date' but no 'type' or ids")
    return Fit("telegram", 0.0, "no 'chats' list and no chat 'type' beside 'messages'")


def score_messenger(name: str, text: str) -> Fit:
    if _MESSENGER_HTML.fullmatch(name.lower()):
        return Fit("messenger", 1.0, "an HTML thread")  # the reader explains how to get JSON
    if not _is_json(_suffix(name), text):
        return Fit("messenger", 0.0)
    if '"participants"' in text and '"messages"' in text and '"sender_name"' in text:
        return Fit("messenger", 0.95, "a thread")
    if '"sender_name"' in text and '"timestamp_ms"' in text:
        return Fit("messenger", 0.85, "messages without a 'participants' list")
    if '"participants"' in text and '"messages"' in text:
        return Fit("messenger", 0.7, "a thread without messages")
    return Fit("messenger", 0.0, "no message with 'sender_name' and 'timestamp_ms'")


def score_twitter(name: str, text: str) -> Fit:
    if "window.YTD." in text[:2000]:
        return Fit("twitter", 1.0, "an archive data file")
    if _suffix(name) == "js":
        return Fit("twitter", 0.0, "no 'window.YTD.' assignment")
    return Fit("twitter", 0.0)


def score_mbox(name: str, text: str) -> Fit:
    body = text.lstrip("\ufeff \r\n\t")
    first = body.split("\n", 1)[0]
    if MBOX_ENVELOPE.match(first):
        return Fit("mbox", 1.0 if _MAIL_HEADER.search(text) else 0.7, "a mailbox")
    fields = _message_fields(body)
    eml = _suffix(name) == "eml"
    # The reader needs a From and a Date to make a message of it; three of the five fields
    # tell a message from other "Name: value" text.
    fields = fields if fields is not None and {"from", "date"} <= fields else set()
    if fields and (eml or len(fields & _MESSAGE_FIELDS) >= 3):
        return Fit("mbox", 0.9, "a lone e-mail message")
    if _suffix(name) == "mbox" or eml:
        return Fit("mbox", 0.6, f"an .{_suffix(name)} name")  # the reader says what line 1 is
    if first.startswith("From "):
        rest = body.split("\n", 2)[1:2]
        if rest and _FIELD_NAME.match(rest[0]):  # Thunderbird's "From - " folders, no name
            return Fit("mbox", 0.8, "a 'From ' line 1 without a date, then a header line")
        return Fit("mbox", 0.0, "line 1 starts with 'From ' but has no envelope date")
    return Fit("mbox", 0.0)


# A lone RFC 822 message (.eml, what mail clients save): a header block, each field a name
# of printable ASCII but the colon, folded lines starting with a blank, then a blank line.
_HEADER_BLOCK = re.compile(
    r"(?:[!-9;-~]+[ \t]*:[^\r\n]*(?:\r?\n|\Z)(?:[ \t][^\r\n]*(?:\r?\n|\Z))*)+"
)
_FIELD_NAME = re.compile(r"^([!-9;-~]+)[ \t]*:", re.M)
_MESSAGE_FIELDS = frozenset({"from", "date", "to", "subject", "message-id"})


def _message_fields(text: str) -> set[str] | None:
    """The lower-cased field names of the header block `text` opens with, or None when it
    does not open with one ended by a blank line (or by the end of the peek)."""
    block = _HEADER_BLOCK.match(text)
    if block is None:
        return None
    rest = text[block.end() :]
    if rest and not rest.startswith(("\n", "\r\n")) and len(text) < PEEK_BYTES:
        return None
    return {name.lower() for name in _FIELD_NAME.findall(block.group())}


# A group may prefix BEGIN (RFC 2426 section 4: "item1.BEGIN:VCARD").
_VCARD_BEGIN = re.compile(r"(?:[A-Za-z0-9-]+\.)?BEGIN:VCARD", re.IGNORECASE)


def score_vcard(name: str, text: str) -> Fit:
    if _VCARD_BEGIN.match(text.lstrip("\ufeff \r\n\t")):
        return Fit("vcard", 1.0, "a vCard")
    if _suffix(name) == "vcf":
        return Fit("vcard", 0.6, "a .vcf name")
    return Fit("vcard", 0.0)


def _csv_head(name: str, text: str) -> list[str] | None:
    if _suffix(name) != "csv":
        return None
    return [line for line in text.lstrip("\ufeff").splitlines()[:25]]


def _csv_rows(lines: list[str]) -> list[list[str]]:
    """The CSV rows of a file's head, cell names trimmed; a quoted cell left open by the
    peek (or a stray quote) ends the rows there."""
    rows: list[list[str]] = []
    try:
        for row in csv.reader(lines):
            rows.append([cell.strip() for cell in row])
    except csv.Error:
        pass
    return rows


def _names(row: list[str]) -> set[str]:
    return {" ".join(cell.replace("\ufeff", "").split()).lower() for cell in row}


# LinkedIn writes the profile URL as https://www.linkedin.com/in/<slug>; hand-edited files
# drop the scheme or the www.
_LINKEDIN_PROFILE = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/[^/\s]+", re.I)
_LINKEDIN_URL_COLUMNS = ("url", "profile url")
_LINKEDIN_OTHER_COLUMNS = ("company", "position", "email address")
_NAMED = "a 'First Name'/'Last Name' header"


def score_linkedin(name: str, text: str) -> Fit:
    if name.lower() in ("connections.csv", "messages.csv"):
        return Fit("linkedin", 1.0, "a LinkedIn file name")
    lines = _csv_head(name, text)
    if lines is None:
        return Fit("linkedin", 0.0)
    joined = "\n".join(lines).lower()
    if "conversation id" in joined and "sender profile url" in joined:
        return Fit("linkedin", 0.95, "messages")
    rows = _csv_rows(lines)
    # The header sits below a "Notes:" preamble of a few rows (the reader searches 20).
    at = next(
        (i for i, r in enumerate(rows[:20]) if {"first name", "last name"} <= _names(r)), None
    )
    if at is None:
        return Fit("linkedin", 0.0, "no 'First Name' and 'Last Name' header row")
    header = [" ".join(cell.split()).lower() for cell in rows[at]]
    if "connected on" in header or "notes:" in joined:
        return Fit("linkedin", 0.95, "connections")
    url_at = next((header.index(c) for c in _LINKEDIN_URL_COLUMNS if c in header), None)
    if url_at is None:
        return Fit("linkedin", 0.0, f"{_NAMED} without 'URL' or 'Connected On'")
    cells = [r[url_at] for r in rows[at + 1 :] if len(r) > url_at and r[url_at]]
    if any(_LINKEDIN_PROFILE.match(cell) for cell in cells):
        return Fit("linkedin", 0.9, "connections without 'Connected On' (linkedin.com/in/ URLs)")
    if not cells and set(header) & set(_LINKEDIN_OTHER_COLUMNS):
        # A header-only file, or hidden members only: LinkedIn's column names, no URL to
        # contradict them (the reader says there is no connection).
        return Fit("linkedin", 0.6, "LinkedIn's connection columns, no profile URL")
    return Fit("linkedin", 0.0, f"{_NAMED} whose URL column holds no linkedin.com/in/ URL")


# Google's repeated families: "E-mail 1 - Value", "Phone 2 - Label" (current export), "E-mail 1
# - Type" (legacy export).
_GOOGLE_FAMILY = re.compile(r"^(e-mail|phone) \d+ - (value|label|type)$")
_NOT_GOOGLE = "no 'E-mail N - Value', 'Phone N - Value' or 'Given Name' column"


def score_google_contacts(name: str, text: str) -> Fit:
    lines = _csv_head(name, text)
    if not lines:
        return Fit("google-contacts", 0.0)
    rows = _csv_rows([line for line in lines if line.strip()][:1])
    header = _names(rows[0]) if rows else set()
    families = {m.group(1, 2) for m in map(_GOOGLE_FAMILY.match, header) if m}
    if any(part == "value" for _, part in families):
        return Fit("google-contacts", 0.95, "a Google Contacts header")
    if families or "given name" in header or "group membership" in header:
        # Google's own column names without any value column: the reader refuses it,
        # saying that no column holds an e-mail address or a phone number.
        return Fit("google-contacts", 0.8, "Google's column names, no e-mail or phone value")
    if header & THUNDERBIRD_EMAILS:
        return Fit("google-contacts", 0.9, "a Thunderbird address-book header")
    cells = rows[0] if rows else []
    if is_outlook_header(cells):
        emails, phones, known = outlook_columns(cells)
        if emails or phones:
            return Fit("google-contacts", 0.9, "an Outlook CSV header")
        # A name column and a column only Outlook writes, no e-mail or phone: the reader
        # refuses it, saying so, rather than a graph reader taking names for edges.
        # LinkedIn's header-only file (0.6) wins.
        return Fit("google-contacts", 0.55, f"Outlook's columns {known}, no e-mail or phone")
    known = outlook_columns(cells)[2]
    if known:
        return Fit("google-contacts", 0.0, f"{_NOT_GOOGLE}; of Outlook's columns only {known}")
    return Fit("google-contacts", 0.0, f"{_NOT_GOOGLE} and none of Outlook's")


#: Every file scorer, in the order that breaks ties.
SCORE_ORDER: tuple[tuple[str, Callable[[str, str], Fit]], ...] = (
    ("twitter", score_twitter),
    ("telegram", score_telegram),
    ("messenger", score_messenger),
    ("mbox", score_mbox),
    ("vcard", score_vcard),
    ("linkedin", score_linkedin),
    ("google-contacts", score_google_contacts),
    ("whatsapp", score_whatsapp),
)
_LABELS = {
    "twitter": "X",
    "telegram": "Telegram",
    "messenger": "Messenger/Instagram",
    "mbox": "mbox",
    "vcard": "vCard",
    "linkedin": "LinkedIn",
    "google-contacts": "Google Contacts",
    "whatsapp": "WhatsApp",
}


def label_of(format: str) -> str:
    """The name people know an export format by (``"twitter"`` -> ``"X"``)."""
    return _LABELS.get(format, format)


def peek(path: Path) -> str:
    """The first 64 KiB of `path` (gzip looked through) as text: UTF-8, or Windows-1252 when
    the head is not UTF-8 (as the contact and vCard readers read such files), bad bytes
    replaced."""
    with open_binary(path) as handle:
        head = handle.read(PEEK_BYTES)
    # final=False: the peek may cut a multi-byte character at its end.
    decoder = codecs.getincrementaldecoder(head_encoding(head))(errors="replace")
    return decoder.decode(head, final=False)


def rank_text(name: str, text: str) -> list[Fit]:
    """Every scorer's fit for a file called `name` whose head is `text`, best first.

    Examples
    --------
    >>> fits = rank_text("chat.json", '{"name": "Ops", "type": "private_supergroup",'
    ...                  ' "messages": []}')
    >>> fits[0].format, fits[0].score
    ('telegram', 0.95)
    >>> rank_text("x.txt", "12/03/2024, 09:15 - Ada: hi")[0].format
    'whatsapp'
    """
    fits = [scorer(name, text) for _, scorer in SCORE_ORDER]
    order = {fmt: i for i, (fmt, _) in enumerate(SCORE_ORDER)}
    return sorted(fits, key=lambda f: (-f.score, order[f.format]))


def rank_file(path: Path) -> list[Fit]:
    """:func:`rank_text` on the file at `path`."""
    return rank_text(path.name, peek(path))


def best_fit(fits: list[Fit]) -> str | None:
    """The winning format of a ranking, or None when no fit reaches the threshold."""
    return fits[0].format if fits and fits[0].score >= FIT_THRESHOLD else None


def describe_misses(fits: list[Fit]) -> str:
    """One line with what each plausible reader saw (readers of another kind left out).

    Examples
    --------
    >>> describe_misses(rank_text("notes.json", '{"title": "x"}'))
    "Telegram: no 'chats' list and no chat 'type' beside 'messages'; Messenger/Instagram: \
no message with 'sender_name' and 'timestamp_ms'"
    """
    return "; ".join(f"{_LABELS[f.format]}: {f.saw}" for f in fits if f.saw is not None)
