"""`read_export`: one entry point for every personal-data export, with format detection.

A path may be a single exported file, an export's unpacked folder, or its zip archive
(read in place). Detection looks at file names first (``Connections.csv``, ``result.json``,
``users.json``, ``direct-messages.js``, ``message_1.json``, ``*.mbox``, ``*.vcf``, a Maildir's
``cur``/``new`` folders) and then at content (a WhatsApp date header, an mbox ``From ``
line, a Google Contacts header, the messages of a Slack day file when a Slack export has
neither ``users.json`` nor ``channels.json``). ``format=`` skips detection.

:func:`scan_folder` searches a folder for every export it holds (a user's downloads: a
LinkedIn folder, an mbox, WhatsApp chats, a phone book side by side, or nested) and says
why each other file is not read.
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
from trustgraph.ingest.records import Contact, ExportData, FoundInput, SkippedInput
from trustgraph.ingest.slack import DAY_FILE, find_channel_root, read_slack
from trustgraph.ingest.sniff import best_fit, describe_misses, rank_file
from trustgraph.ingest.telegram import read_telegram
from trustgraph.ingest.twitter import read_twitter
from trustgraph.ingest.vcard import read_vcard
from trustgraph.ingest.whatsapp import read_whatsapp

__all__ = [
    "EXPORT_FORMATS",
    "detect_export",
    "explain_miss",
    "read_export",
    "read_found",
    "scan_folder",
]

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
    if "users.json" in basenames and (
        basenames & _SLACK_LISTS
        or any(len(n.parts) > 1 and DAY_FILE.fullmatch(n.name) for n in names)
    ):
        return "slack"
    if "result.json" in basenames:
        return "telegram"
    if any(b.startswith("direct-messages") and b.endswith(".js") for b in basenames) or (
        "manifest.js" in basenames
    ):
        return "twitter"
    if any(_MESSAGE_FILE.fullmatch(b) for b in basenames):
        return "messenger"  # an HTML download too: the reader explains how to get JSON
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
    if any(len(n.parts) > 1 and DAY_FILE.fullmatch(n.name) for n in names):
        # Checked last, and by content: day files are all such an export has to show.
        with ExportTree(path) as tree:
            if find_channel_root(tree.members(), tree.read_bytes) is not None:
                return "slack"
    return None


def _detect_file(path: Path) -> str | None:
    return best_fit(rank_file(path))


def explain_miss(path: str | os.PathLike[str]) -> str:
    """One line with what each plausible export reader saw in the file at `path` (empty
    when none is plausible), for an error message when nothing fits.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "chat.txt"
    >>> _ = f.write_text("Ada: hi\\nBo: hello\\n")
    >>> explain_miss(f).startswith("WhatsApp: no line starts with a")
    True
    """
    p = Path(path)
    if not p.is_file():
        return ""
    return describe_misses(rank_file(p))


def detect_export(path: str | os.PathLike[str]) -> str | None:
    """Name the export format at `path`, or None when it is not a recognised export.

    A folder is named by the one export :func:`scan_folder` finds in it; a folder holding
    several exports (or none) gives None.

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
    if p.is_dir():
        found, _ = scan_folder(p)
        return found[0].format if len(found) == 1 else None
    if is_zip_archive(p):  # a FIFO, a device or a damaged zip raise here
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
        An exported file, the export's unpacked folder or its zip archive. A folder is
        searched (:func:`scan_folder`) and must hold one export; a folder holding several
        is read by :func:`~trustgraph.ingest.load.load_inputs`.
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
        Not a recognised export, a folder holding several, or the reader's own errors
        (file and line).

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
    if format is None and p.is_dir():
        found, _ = scan_folder(p)
        if len(found) > 1:
            raise IngestError(
                f"a folder holding several exports ({', '.join(f.format for f in found)}); "
                "read it with load_inputs (the trustgraph commands read every export of a "
                "folder), or give one export",
                path=p,
            )
        if found:
            return read_found(found[0], me=me, progress=progress, **options)
        raise IngestError(
            "not a recognised export (LinkedIn, e-mail, WhatsApp, Telegram, Slack, "
            "Messenger, X, vCard, Google Contacts); pass format=... to force one",
            path=p,
        )
    if format is None:
        format = detect_export(p)
        if format is None:
            if not p.exists():
                raise IngestError("no such file or folder", path=p)
            saw = explain_miss(p)
            raise IngestError(
                "not a recognised export (LinkedIn, e-mail, WhatsApp, Telegram, Slack, "
                "Messenger, X, vCard, Google Contacts); pass format=... to force one"
                + (f" ({saw})" if saw else ""),
                path=p,
            )
    return _read(p, format, me=me, progress=progress, options=options)


def _read(
    target: Path | list[Path],
    format: str,
    *,
    me: Iterable[str],
    progress: Callable[[int], None] | None,
    options: dict[str, Any],
) -> ExportData:
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
        options = {**options, "progress": progress}
    return reader(target, me=tuple(me), **options)


# ------------------------------------------------------------------------ folder search

# A folder holding the marker files of a Maildir, Slack, Telegram, X or Messenger export is
# read whole: its reader searches it, and every file in it belongs to the export (media,
# HTML pages, the archive's other JSON files).
_MESSENGER_BOXES = {
    "inbox",
    "archived_threads",
    "message_requests",
    "filtered_threads",
    "e2ee_cutover",
}
_META_FOLDERS = {
    "your_activity_across_facebook",
    "your_facebook_activity",
    "your_instagram_activity",
}
_MESSAGE_FILE = re.compile(r"message_\d+\.(?:json|html?)")
_SLACK_LISTS = {"channels.json", "groups.json", "dms.json", "mpims.json"}
_MEDIA_SUFFIXES = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff", ".svg",
    ".mp4", ".mov", ".avi", ".mkv", ".webm", ".3gp",
    ".opus", ".mp3", ".m4a", ".aac", ".ogg", ".wav", ".amr",
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf",
}  # fmt: skip
_GRAPH_SUFFIXES = {".graphml", ".gexf", ".gml", ".edges", ".edgelist", ".net", ".tgc"}
_NOT_RECOGNISED = (
    "not a recognised export, contacts or conversations file (trustgraph reads LinkedIn, "
    "e-mail, WhatsApp, Telegram, Slack, Messenger, X, vCard and Google Contacts exports)"
)
_LINKEDIN_OTHER = (
    "part of the LinkedIn export; trustgraph reads Connections.csv and messages.csv only"
)


def _tree_root(folder: Path, files: set[str], dirs: set[str]) -> str | None:
    """The export `folder` is the root of, judged from what it holds directly."""
    lower = {f.lower() for f in files}
    if "cur" in dirs and "new" in dirs:
        return "maildir"
    shown = [f for f in lower if not f.startswith(".")]
    if shown and all(f.endswith(".eml") for f in shown):
        return "maildir"  # saved messages, one per file: one mailbox, as a Maildir reads
    if "users.json" in lower and (lower & _SLACK_LISTS or _has_day_folder(folder, dirs)):
        return "slack"
    if "result.json" in lower:
        return "telegram"
    if "manifest.js" in lower or any(
        f.startswith("direct-messages") and f.endswith(".js") for f in lower
    ):
        return "twitter"
    if "data" in dirs and _tree_root(folder / "data", *_listing(folder / "data")) == "twitter":
        return "twitter"
    if any(_MESSAGE_FILE.fullmatch(f) for f in lower):
        return "messenger"  # a thread folder
    if folder.name.lower() == "messages" and dirs & _MESSENGER_BOXES:
        return "messenger"
    if "messages" in dirs and _listing(folder / "messages")[1] & _MESSENGER_BOXES:
        return "messenger"
    for meta in sorted(dirs & _META_FOLDERS):  # a Facebook or Instagram archive's root
        if _tree_root(folder / meta, *_listing(folder / meta)) == "messenger":
            return "messenger"
    if _holds_slack_channels(folder, dirs):
        return "slack"  # without users.json and channels.json: checked last, by content
    return None


def _has_day_folder(folder: Path, dirs: set[str]) -> bool:
    """Whether a sub-folder of `folder` holds Slack day files (``2024-03-14.json``): an
    export without channels.json is ``users.json`` beside its channel folders."""
    return any(
        any(DAY_FILE.fullmatch(f) for f in _listing(folder / d)[0])
        for d in sorted(dirs)
        if not d.startswith(".")
    )


def _holds_slack_channels(folder: Path, dirs: set[str]) -> bool:
    """Whether a sub-folder of `folder` is a Slack channel folder by content: its first
    ``YYYY-MM-DD.json`` is a list of Slack messages (an export that some backup tools write
    without users.json and channels.json has nothing else to be told by)."""
    days = [
        f"{d}/{f}"
        for d in sorted(dirs)
        if not d.startswith(".")
        for f in _listing(folder / d)[0]
        if DAY_FILE.fullmatch(f)
    ]
    root = find_channel_root(days, lambda member: (folder / member).read_bytes())
    return root == PurePosixPath(".")


def _listing(folder: Path) -> tuple[set[str], set[str]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return set(), set()
    files = {e.name for e in entries if e.is_file()}
    dirs = {e.name for e in entries if e.is_dir(follow_symlinks=False)}
    return files, dirs


def _skip_reason(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _MEDIA_SUFFIXES:
        return "a photo, video, audio or document file (attachments are not read)"
    if suffix in _GRAPH_SUFFIXES:
        return "a graph file: give it on its own (graph files are not combined with exports)"
    return _NOT_RECOGNISED


def scan_folder(
    folder: str | os.PathLike[str],
    *,
    classify: Callable[[Path], str | None] | None = None,
) -> tuple[list[FoundInput], list[SkippedInput]]:
    """Search `folder` for every export it holds; list the files nothing reads and why.

    Parameters
    ----------
    folder : path
        A folder: one export's, or a user's downloads holding several exports side by side
        or in sub-folders.
    classify : callable, optional
        ``classify(file) -> format or None`` for files no export reader recognises
        (:func:`~trustgraph.ingest.load.load_inputs` passes its detector of generic
        contacts and conversations CSV files).

    Returns
    -------
    found : list of FoundInput
        One per export, in the order met (sorted walk, a folder's files before its
        sub-folders): a folder holding an export's marker files (a Maildir's ``cur`` and
        ``new``, Slack's ``users.json`` or channel folders of message day files, Telegram's
        ``result.json``, an X archive's ``data/*.js``, Messenger threads) is read whole; a
        LinkedIn export is the ``Connections.csv`` and ``messages.csv`` of one folder; every
        WhatsApp chat of the folder (``.txt`` files and iOS zips, wherever they are) is one
        input, so the owner is found across all chats; any other file or zip is an input of
        its own.
    skipped : list of SkippedInput
        Every other file with the reason: not a recognised export, a photo or document, a
        graph file, a hidden file, a damaged archive, or, for the other CSV files beside a
        LinkedIn export's, that trustgraph reads only those two.

    Notes
    -----
    Symbolic links to folders are not followed. Nothing is read beyond the first 64 KiB
    of a file (format detection), except the first day file of a channel folder of a Slack
    export without ``users.json`` (read whole: its messages are all that tells such an
    export); reading is the caller's job (:func:`read_found`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "chats").mkdir()
    >>> _ = (folder / "chats" / "WhatsApp Chat with Bo.txt").write_text(
    ...     "12/03/2024, 09:15 - Ada: hi\\n", encoding="utf-8")
    >>> _ = (folder / "book.vcf").write_text("BEGIN:VCARD\\nFN:Bo\\nEND:VCARD\\n")
    >>> _ = (folder / "photo.jpg").write_bytes(b"\\xff\\xd8")
    >>> found, skipped = scan_folder(folder)
    >>> [(f.format, f.path.name) for f in found]
    [('vcard', 'book.vcf'), ('whatsapp', 'chats')]
    >>> [s.path.name for s in skipped]
    ['photo.jpg']
    """
    root = Path(folder)
    if not root.is_dir():
        raise IngestError("not a folder", path=root)
    found: list[FoundInput | None] = []
    skipped: list[SkippedInput] = []
    linkedin: dict[Path, list[Path]] = {}
    whatsapp: list[Path] = []
    slots: dict[str | Path, int] = {}  # where a grouped input takes its place in `found`

    def add_to_group(key: str | Path, path: Path) -> None:
        if key not in slots:
            slots[key] = len(found)
            found.append(None)
        (whatsapp if key == "whatsapp" else linkedin.setdefault(path.parent, [])).append(path)

    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames.sort()
        tree = _tree_root(here, set(filenames), set(dirnames))
        if tree is not None:
            files = (here / _result_json(filenames),) if tree == "telegram" else ()
            found.append(FoundInput(tree, here, files))
            dirnames[:] = []
            continue
        hidden = [d for d in dirnames if d.startswith(".") or d == "__MACOSX"]
        for name in hidden:
            skipped.append(SkippedInput(here / name, "hidden folder"))
        dirnames[:] = [d for d in dirnames if d not in hidden]
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                skipped.append(SkippedInput(path, "hidden file"))
                continue
            try:
                kind = _classify_file(path, classify)
            except IngestError as exc:
                skipped.append(SkippedInput(path, exc.problem))
                continue
            if kind is None:
                skipped.append(SkippedInput(path, _skip_reason(path)))
            elif kind == "whatsapp":
                add_to_group("whatsapp", path)
            elif kind == "linkedin" and not is_zip_archive(path):
                add_to_group(here, path)
            else:
                found.append(FoundInput(kind, path))
    for key, slot in slots.items():
        if key == "whatsapp":
            files = tuple(whatsapp)
            parent = Path(os.path.commonpath([f.parent for f in files]))
            found[slot] = FoundInput("whatsapp", parent, files)
        else:
            found[slot] = FoundInput("linkedin", Path(key), tuple(linkedin[Path(key)]))
    linkedin_folders = set(linkedin)
    skipped = [
        SkippedInput(s.path, _LINKEDIN_OTHER)
        if s.path.parent in linkedin_folders
        and s.path.suffix.lower() == ".csv"
        and s.reason == _NOT_RECOGNISED
        else s
        for s in skipped
    ]
    return [f for f in found if f is not None], skipped


def _result_json(filenames: Iterable[str]) -> str:
    return next(f for f in sorted(filenames) if f.lower() == "result.json")


def _classify_file(path: Path, classify: Callable[[Path], str | None] | None) -> str | None:
    if path.suffix.lower() in _MEDIA_SUFFIXES | _GRAPH_SUFFIXES:
        return None
    if is_zip_archive(path):  # a damaged zip raises: skipped with the reason
        return _detect_tree(path)
    kind = _detect_file(path)
    if kind is None and classify is not None:
        kind = classify(path)
    return kind


def read_found(
    item: FoundInput,
    *,
    me: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> ExportData:
    """Read one export found by :func:`scan_folder` (its files, or its folder whole).

    Parameters
    ----------
    item : FoundInput
        An export format (generic CSV formats are the caller's to read).
    me, progress, **options
        As for :func:`read_export`.

    Returns
    -------
    ExportData
    """
    if not item.files:
        return _read(item.path, item.format, me=me, progress=progress, options=options)
    if item.format == "whatsapp":
        return _read(list(item.files), "whatsapp", me=me, progress=progress, options=options)
    data = ExportData()
    for file in item.files:
        data.extend(_read(file, item.format, me=me, progress=progress, options=options))
    if item.format == "linkedin":
        # As the reader does for a folder: a member both connected and messaged keeps one
        # record, the connection's (it carries the e-mail address, company and date).
        first: dict[str, Contact] = {}
        for contact in data.contacts:
            first.setdefault(contact.id, contact)
        data.contacts = list(first.values())
    return data
