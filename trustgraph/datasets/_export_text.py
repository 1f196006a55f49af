"""The vocabulary of the export generators: filler text, headers and date formats.

Shared by :mod:`trustgraph.datasets.sample_exports` and
:mod:`trustgraph.datasets.synthetic_person`, so that both write the exact layouts of
FORMATS.md with one implementation.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

#: The owner's display name in the exports (WhatsApp author, mail and LinkedIn name).
EXPORT_OWNER_NAME = "Robin Example"
#: The owner's phone number (E.164), in the fictional ``+1 555 010 01xx`` range.
EXPORT_OWNER_PHONE = "+15550100100"

_PHONE_BASE = 100  # +1 555 010 0100 .. 0199: the reserved fictional range
_PHONE_LIMIT = 199
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_NEWSLETTER_NAMES = {
    "digest@example.org": "Weekly Digest",
    "offers@example.net": "Example Offers",
    "news@example.com": "Example News",
}
# Each newsletter carries a different mix of bulk signals, so the reader's counts per
# signal have something to show (List-Id first, then List-Unsubscribe, then Precedence).
_NEWSLETTER_HEADERS = (
    ("List-Id: <{list}>", "List-Unsubscribe: <mailto:unsubscribe@{domain}>", "Precedence: bulk"),
    ("List-Unsubscribe: <mailto:unsubscribe@{domain}>", "Precedence: bulk"),
    ("Precedence: bulk",),
)
_CONNECTIONS_NOTE = (
    "When exporting your connection data, you may notice that some of the email addresses "
    "are missing."
)
_CONNECTION_HEADER = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
_MESSAGE_HEADER = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
    "ATTACHMENTS",
)
# Synthetic filler: short generic phrases, chosen by a hash of (conversation, position).
_CHAT_PHRASES = (
    "Sounds good.",
    "See you then!",
    "Thanks!",
    "On my way.",
    "Running a bit late.",
    "Sure, works for me.",
    "Let me check and get back to you.",
    "Ha, yes.",
    "Good morning!",
    "Talk later.",
    "Any news?",
    "Perfect, thanks.",
    "Call you tonight?",
    "No worries.",
    "Great idea.",
    "Lunch on Friday?",
    "Just got home.",
    "Can you send me the address?",
)
_MAIL_SUBJECTS = (
    "Catching up",
    "Weekend plans",
    "Quick question",
    "Photos",
    "Dinner?",
    "Notes from today",
    "Trip dates",
    "Small favour",
)
_RECRUITER_PHRASES = (
    "Are you open to new roles?",
    "I came across your profile and wanted to reach out.",
    "Following up on my last message.",
    "Do you have time for a short call this week?",
)
_SYBIL_PHRASES = (
    "Welcome to the group!",
    "Limited spots left, reply to join.",
    "Check the link in my profile.",
    "Great opportunity this month.",
)
_NEWSLETTER_SUBJECTS = ("This week's highlights", "New offers inside", "Your monthly update")
_THREAD_GAP = timedelta(hours=12)  # a mail thread ends after half a day of silence


def _hash_int(*parts: str) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _pick(options: Sequence[str], *parts: str) -> str:
    return options[_hash_int(*parts) % len(options)]


def _name_from_id(node: str) -> str:
    """``ada.abbott2@example.com`` -> ``Ada Abbott``; ``jana-becker-2`` -> ``Jana Becker``."""
    local = node.split("@", 1)[0]
    words = [w for w in re.split(r"[.\-]", local) if w and not w.isdigit()]
    return " ".join(re.sub(r"\d+$", "", w).capitalize() for w in words)


def _profile_url(node: str, name: str) -> str:
    slug = "-".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())
    suffix = hashlib.blake2b(node.encode("utf-8"), digest_size=4).hexdigest()
    return f"https://www.linkedin.com/in/{slug}-{suffix}"


# ------------------------------------------------------------------------------ LinkedIn


def _connected_on(when: datetime) -> str:
    # Built by hand: strftime("%b") follows the locale, LinkedIn writes English months.
    return f"{when.day:02d} {_MONTHS[when.month - 1]} {when.year}"


def _linkedin_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") + " UTC"


def _conversation_key(cid: str) -> str:
    digest = hashlib.blake2b(f"linkedin:{cid}".encode(), digest_size=24).digest()
    return "2-" + base64.b64encode(digest).decode("ascii")


def _envelope_time(when: datetime) -> str:
    # Takeout's envelope line puts the zone before the year (FORMATS.md §2.2).
    w = when.astimezone(timezone.utc)
    return (
        f"{_WEEKDAYS[w.weekday()]} {_MONTHS[w.month - 1]} {w.day:02d} "
        f"{w.hour:02d}:{w.minute:02d}:{w.second:02d} +0000 {w.year}"
    )


def _message_id(cid: str, index: int) -> str:
    digest = hashlib.blake2b(f"mail:{cid}:{index}".encode(), digest_size=8).hexdigest()
    return f"<{digest}@mail.example.com>"


def _gmail_number(when: datetime, cid: str, index: int) -> int:
    # Gmail message and thread ids are 19-digit numbers that grow with time.
    millis = int(when.timestamp() * 1000)
    return 1_700_000_000_000_000_000 + millis * 100 + _hash_int(cid, str(index)) % 100


_ENCRYPTION_NOTICE = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them. Tap to learn more."
)


def _wa_body(cid: str, index: int, layout: str, when: datetime) -> list[str]:
    if index % 17 == 5:
        if layout == "ios":
            stamp = when.strftime("%Y-%m-%d-%H-%M-%S")
            return [f"\u200e<attached: {index:08d}-PHOTO-{stamp}.jpg>"]
        return ["<Media omitted>"]
    text = _pick(_CHAT_PHRASES, cid, str(index))
    if index % 23 == 11:
        return [text, _pick(_CHAT_PHRASES, cid, str(index), "more")]  # a multi-line message
    return [text]
