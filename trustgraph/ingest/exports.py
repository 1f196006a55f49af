"""`read_export`: one entry point for every personal-data export, with format detection.

A path may be a single exported file, an export's unpacked folder, or its zip archive
(read in place). Detection looks at file names first (``Connections.csv``, ``result.json``,
``users.json``, ``direct-messages.js``, ``message_1.json``, ``*.mbox``, ``*.vcf``, a Maildir's
``cur``/``new`` folders) and then at content (a WhatsApp date header, an mbox ``From ``
line, a Google Contacts header). ``format=`` skips detection.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest._exportfiles import ExportTree, is_zip_archive
from trustgraph.ingest.email_reader import read_maildir, read_mbox
from trustgraph.ingest.google_contacts import read_google_contacts
from trustgraph.ingest.linkedin import read_linkedin
from trustgraph.ingest.messenger import read_messenger
from trustgraph.ingest.records import ExportData
from trustgraph.ingest.slack import read_slack
from trustgraph.ingest.telegram import read_telegram
from trustgraph.ingest.twitter import read_twitter
from trustgraph.ingest.vcard import read_vcard
from trustgraph.ingest.whatsapp import read_whatsapp

__all__ = ["EXPORT_FORMATS", "detect_export", "read_export"]

#: Export format name -> reader. Every reader takes ``(path, *, me=...)`` and returns
#: :class:`~trustgraph.ingest.records.ExportData`.
EXPORT_FORMATS: dict[str, Callable[..., ExportData]] = {
    "linkedin": read_linkedin,
    "mbox": read_mbox,
    "maildir": read_maildir,
    "whatsapp": read_whatsapp,
    "telegram": read_telegram,
    "slack": read_slack,
    "messenger": read_messenger,
    "twitter": read_twitter,
    "vcard": read_vcard,
    "google-contacts": read_google_contacts,
}

# The WhatsApp reader's two header layouts (Android "date, time - ", iOS "[date, time] "),
# with the AM/PM words it knows before or after the time ("2024/1/13 下午9:03 - ").
_MARK = r"(?:[AaPp]\.?\s?[Mm]\.?|上午|下午|午前|午後|오전|오후)"
_WHEN = (
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s"
    rf"(?:{_MARK}\s?)?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?"
)
_WHATSAPP_HEADER = re.compile(
    rf"^[\u200e\u200f]?(?:\[{_WHEN}(?:\s?{_MARK})?\]|{_WHEN}(?:\s?{_MARK})?\s[-–]\s)"
)
_MESSENGER_HTML = re.compile(r"message_\d+\.html?")
_PEEK_BYTES = 65536


def _names_in(path: Path) -> list[PurePosixPath]:
    with ExportTree(path) as tree:
        return [PurePosixPath(m) for m in tree.members()]


def _detect_tree(path: Path) -> str | None:
    if path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir():
        return "maildir"
    names = _names_in(path)
    basenames = {n.name.lower() for n in names}
    if "connections.csv" in basenames or (
        "messages.csv" in basenames and "profile.csv" in basenames
    ):
        return "linkedin"
    if "users.json" in basenames and basenames & {"channels.json", "dms.json", "mpims.json"}:
        return "slack"
    if "result.json" in basenames:
        return "telegram"
    if any(b.startswith("direct-messages") and b.endswith(".js") for b in basenames) or (
        "manifest.js" in basenames
    ):
        return "twitter"
    if any(re.fullmatch(r"message_\d+\.json", b) for b in basenames):
        return "messenger"
    if any(_MESSENGER_HTML.fullmatch(b) for b in basenames):
        return "messenger"  # an HTML download: the reader explains how to get JSON
    if any(b.endswith(".mbox") for b in basenames):
        return "mbox"
    if any(b.endswith(".vcf") for b in basenames):
        return "vcard"
    if path.is_dir() and any(n.parent.name in ("cur", "new") for n in names):
        return "maildir"
    chats = [n for n in names if n.suffix.lower() == ".txt"]
    if any(n.name == "_chat.txt" or n.name.lower().startswith("whatsapp chat") for n in chats):
        return "whatsapp"
    if path.is_dir() and chats and all(_detect_file(path / n) == "whatsapp" for n in chats):
        return "whatsapp"
    return None


def _peek(path: Path) -> str:
    from trustgraph.ingest.textio import open_binary

    with open_binary(path) as handle:
        return handle.read(_PEEK_BYTES).decode("utf-8", errors="replace")


def _detect_file(path: Path) -> str | None:
    name = path.name.lower()
    suffix = name.removesuffix(".gz").rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "mbox":
        return "mbox"
    if suffix == "vcf":
        return "vcard"
    if name in ("connections.csv", "messages.csv"):
        return "linkedin"
    if _MESSENGER_HTML.fullmatch(name):
        return "messenger"  # an HTML download: the reader explains how to get JSON
    head = _peek(path)
    stripped = head.lstrip("\ufeff \r\n\t")
    if suffix == "js" and "window.YTD." in head[:2000]:
        return "twitter"
    if suffix == "json":
        if '"personal_information"' in head or re.search(r'"type"\s*:\s*"personal_chat"', head):
            return "telegram"
        if '"chats"' in head and '"list"' in head:
            return "telegram"
        if '"participants"' in head and '"messages"' in head:
            return "messenger"
        return None
    if stripped.startswith("BEGIN:VCARD"):
        return "vcard"
    if stripped.startswith("From ") and re.search(r"^(Date|Message-ID|From):", head, re.M | re.I):
        return "mbox"
    lines = stripped.splitlines()[:25]
    if suffix == "csv" and lines:
        header_text = "\n".join(lines).lower()
        if "conversation id" in header_text and "sender profile url" in header_text:
            return "linkedin"
        if (
            "first name" in header_text
            and "last name" in header_text
            and ("connected on" in header_text or "notes:" in header_text)
        ):
            return "linkedin"
        if "e-mail 1 - value" in header_text or "given name" in lines[0].lower():
            return "google-contacts"
        return None
    if suffix == "txt" and sum(bool(_WHATSAPP_HEADER.match(line)) for line in lines) >= 1:
        return "whatsapp"
    return None


def detect_export(path: str | os.PathLike[str]) -> str | None:
    """Name the export format at `path`, or None when it is not a recognised export.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> chat = pathlib.Path(tempfile.mkdtemp()) / "chat.txt"
    >>> _ = chat.write_text("12/03/2024, 09:15 - Ada Example: hi\\n", encoding="utf-8")
    >>> detect_export(chat)
    'whatsapp'
    >>> detect_export(chat.with_name("missing.txt")) is None
    True
    """
    p = Path(path)
    if not p.exists():
        return None
    if p.is_dir() or is_zip_archive(p):  # a FIFO, a device or a damaged zip raise here
        return _detect_tree(p)
    return _detect_file(p)


def read_export(
    path: str | os.PathLike[str],
    *,
    me: Iterable[str] = (),
    format: str | None = None,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> ExportData:
    """Read a personal-data export into records, detecting its format.

    Parameters
    ----------
    path : path
        An exported file, the export's unpacked folder or its zip archive.
    me : iterable of str
        The owner's identifiers (e-mail, phone, profile URL, platform id). Exports that
        name their owner (Telegram, X) add it to ``ExportData.owner``.
    format : str, optional
        One of :data:`EXPORT_FORMATS`; detected when omitted.
    **options
        Passed to the reader (e.g. ``date_format="dmy"`` for WhatsApp, ``include_bulk=True``
        for e-mail). An option the reader does not take raises :class:`ParameterError`.
    progress : callable, optional
        ``progress(bytes_read)`` for readers that stream and report it (the mbox reader);
        ignored by the others, since a progress hint is not a reading option.

    Returns
    -------
    ExportData
        Contacts, events, one :class:`ReadReport` per file read, and the owner.

    Raises
    ------
    IngestError
        Not a recognised export, or the reader's own errors (file and line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> chat = pathlib.Path(tempfile.mkdtemp()) / "chat.txt"
    >>> _ = chat.write_text(
    ...     "12/03/2024, 09:15 - Ada Example: hi\\n"
    ...     "13/03/2024, 10:00 - Bo Sample: hello\\n", encoding="utf-8")
    >>> data = read_export(chat, me=["Ada Example"])
    >>> len(data.events), data.reports[0].format
    (2, 'whatsapp')
    """
    p = Path(path)
    if format is None:
        format = detect_export(p)
        if format is None:
            if not p.exists():
                raise IngestError("no such file or folder", path=p)
            raise IngestError(
                "not a recognised export (LinkedIn, e-mail, WhatsApp, Telegram, Slack, "
                "Messenger, X, vCard, Google Contacts); pass format=... to force one",
                path=p,
            )
    reader = EXPORT_FORMATS.get(format)
    if reader is None:
        raise ParameterError(
            f"unknown export format {format!r}; expected one of {', '.join(EXPORT_FORMATS)}"
        )
    accepted = inspect.signature(reader).parameters
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise ParameterError(
            f"the {format} reader takes no option {', '.join(unknown)}; it takes "
            + ", ".join(name for name in accepted if name not in ("path", "me", "progress"))
        )
    if progress is not None and "progress" in accepted:
        options["progress"] = progress
    return reader(p, me=tuple(me), **options)
