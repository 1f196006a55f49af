"""LinkedIn "Get a copy of your data": ``Connections.csv`` and ``messages.csv``.

Connections are declared ties without evidence of conversation (the strangers trustgraph
separates from the trusted core); messages are conversation events between profile URLs.
Columns are found by header name, never by position, because LinkedIn reorders, adds and
drops columns between exports (FORMATS.md §2.1).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trustgraph.exceptions import IngestError
from trustgraph.ingest._exportfiles import is_zip_archive, open_member, open_zip
from trustgraph.ingest.identifiers import (
    normalize_identifier,
)
from trustgraph.ingest.linkedin_rows import (
    _read_connections_rows,
    _read_message_rows,
    _rows,
)
from trustgraph.ingest.records import Contact, ExportData, ReadReport
from trustgraph.ingest.textio import check_file, open_binary

__all__ = ["read_linkedin", "read_linkedin_connections", "read_linkedin_messages"]


@contextmanager
def _open_text(path: Path, member: str | None = None) -> Iterator[io.TextIOBase]:
    try:
        if member is None:
            raw = open_binary(path)
            with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
                yield text
        else:
            # Zip members are streamed through the archive guards (damaged archive,
            # repeated names, encryption, unknown compression, zip bombs, corrupt data).
            with (
                open_zip(path) as archive,
                open_member(archive, member, _label(path, member)) as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
            ):
                yield text
    except (OSError, zipfile.BadZipFile) as exc:
        raise IngestError(f"cannot read file: {exc}", path=path) from None


def _label(path: Path, member: str | None) -> str:
    return str(path) if member is None else f"{path}!{member}"


def read_linkedin_connections(
    path: str | os.PathLike[str], *, _member: str | None = None
) -> ExportData:
    """Read a LinkedIn ``Connections.csv``: one contact per connection, no events.

    Parameters
    ----------
    path : path-like
        The CSV file (or, with the private `_member`, the zip holding it).

    Returns
    -------
    ExportData
        Contacts with id ``linkedin:<slug>``, the e-mail address (when the member shares
        it) as a second identifier, ``company``/``position`` attributes and `connected_on`.

    Raises
    ------
    IngestError
        No header row in the first 20 rows, or no connection parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "Connections.csv"
    >>> _ = f.write_text("Notes:\\n\\"Some emails are missing.\\"\\n\\n"
    ...     "First Name,Last Name,URL,Email Address,Company,Position,Connected On\\n"
    ...     "Ada,Example,https://www.linkedin.com/in/ada-example-0001,,Acme,CTO,15 Mar 2024\\n")
    >>> data = read_linkedin_connections(f)
    >>> data.contacts[0].id, data.contacts[0].connected_on.date().isoformat()
    ('linkedin:ada-example-0001', '2024-03-15')
    """
    p = Path(path)
    label = _label(p, _member)
    report = ReadReport(label, "linkedin-connections")
    with _open_text(p, _member) as handle:
        contacts = _read_connections_rows(_rows(handle, label), label, report)
    return ExportData(contacts=contacts, reports=[report])


def read_linkedin_messages(
    path: str | os.PathLike[str],
    *,
    me: tuple[str, ...] | list[str] = (),
    _member: str | None = None,
) -> ExportData:
    """Read a LinkedIn ``messages.csv``: one event per message, no bodies kept.

    Parameters
    ----------
    path : path-like
        The CSV file.
    me : iterable of str
        The owner's profile URL(s) or ``linkedin:`` ids. When absent, the owner is the
        only profile present in every conversation (reported); if that is ambiguous the
        owner stays unknown and the report says so.

    Returns
    -------
    ExportData
        Events (``dm`` or ``group``; ``n_chars`` = length of CONTENT), one contact per
        participant with the (mojibake-repaired) name, and the owner.

    Raises
    ------
    IngestError
        Missing required columns, undecodable bytes, or no message parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "messages.csv"
    >>> _ = f.write_text("CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    ...     "DATE,CONTENT\\n"
    ...     "c1,Ada Example,https://www.linkedin.com/in/ada,Bo Sample,"
    ...     "https://www.linkedin.com/in/bo,2024-03-14 09:05:12 UTC,hi\\n")
    >>> event = read_linkedin_messages(f, me=["https://www.linkedin.com/in/ada"]).events[0]
    >>> event.sender, event.recipients, event.timestamp.isoformat()
    ('linkedin:ada', ('linkedin:bo',), '2024-03-14T09:05:12+00:00')
    """
    p = Path(path)
    label = _label(p, _member)
    report = ReadReport(label, "linkedin-messages")
    with _open_text(p, _member) as handle:
        contacts, events, participants = _read_message_rows(_rows(handle, label), label, report)
    owner = _owner(me, participants, report)
    return ExportData(contacts=contacts, events=events, reports=[report], owner=owner)


def _owner(
    me: tuple[str, ...] | list[str], participants: dict[str, set[str]], report: ReadReport
) -> tuple[str, ...]:
    given = [i for i in (normalize_identifier(m) for m in me) if i]
    if any(i.startswith("linkedin:") for i in given):
        return tuple(dict.fromkeys(given))
    common = set.intersection(*participants.values()) if participants else set()
    if len(common) == 1:
        owner = next(iter(common))
        report.notes.append(
            f"owner detected: the one profile present in all {len(participants)} conversations"
        )
        return tuple(dict.fromkeys((*given, owner)))
    report.notes.append(
        "owner not detected: "
        + (
            f"{len(common)} profiles are in every conversation"
            if common
            else "no profile is in every conversation"
        )
        + "; pass me=<your profile URL>"
    )
    return tuple(dict.fromkeys(given))


def _find_members(names: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in names:
        base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if base in ("connections.csv", "messages.csv") and base not in found:
            found[base] = name
    return found


def _sniff(path: Path) -> str | None:
    try:
        with _open_text(path) as handle:
            head = handle.read(8192).lower()
    except UnicodeDecodeError:
        return None  # a truncated gzip, say, is reported as such
    if "conversation id" in head and "sender profile url" in head:
        return "messages.csv"
    if "first name" in head and "last name" in head:
        return "connections.csv"
    return None


def read_linkedin(
    path: str | os.PathLike[str], *, me: tuple[str, ...] | list[str] = ()
) -> ExportData:
    """Read a LinkedIn data export: the folder, the zip archive, or one of its CSV files.

    Parameters
    ----------
    path : path-like
        ``Basic_/Complete_LinkedInDataExport_*.zip`` (read in place), the folder it was
        extracted to (searched recursively), ``Connections.csv`` or ``messages.csv``.
    me : iterable of str
        The owner's profile URL(s); see :func:`read_linkedin_messages`.

    Returns
    -------
    ExportData
        Connections (declared-only ties: contacts with `connected_on`, no events) and
        message events, with one report per CSV read.

    Raises
    ------
    IngestError
        Neither CSV found, or a CSV that is recognised but yields nothing.

    See Also
    --------
    read_linkedin_connections, read_linkedin_messages

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "Connections.csv").write_text(
    ...     "First Name,Last Name,URL,Email Address,Company,Position,Connected On\\n"
    ...     "Bo,Sample,https://www.linkedin.com/in/bo-sample-0002,bo@example.org,,,01-Jul-25\\n")
    >>> [c.identifiers for c in read_linkedin(folder).contacts]
    [('linkedin:bo-sample-0002', 'bo@example.org')]
    """
    p = Path(path)
    if not p.exists():
        raise IngestError("no such file or folder", path=p)
    data = ExportData()
    if p.is_dir():
        found = _find_members(sorted(str(f.relative_to(p)) for f in p.rglob("*.csv")))
        targets = [(p / rel, None, base) for base, rel in found.items()]
    elif is_zip_archive(p):  # a FIFO, a device or a damaged zip raise here
        with open_zip(p) as archive:
            found = _find_members(archive.namelist())
        targets = [(p, member, base) for base, member in found.items()]
    else:
        check_file(p)
        kind = _sniff(p)
        if kind is None:
            raise IngestError(
                "not a LinkedIn Connections.csv or messages.csv (no known header)", path=p
            )
        targets = [(p, None, kind)]
    if not targets:
        raise IngestError(
            "no Connections.csv or messages.csv found; point trustgraph at the LinkedIn "
            "export zip or the folder it was extracted to",
            path=p,
        )
    for file_path, member, kind in sorted(targets, key=lambda t: t[2]):
        if kind == "connections.csv":
            data.extend(read_linkedin_connections(file_path, _member=member))
        else:
            data.extend(read_linkedin_messages(file_path, me=me, _member=member))
    # A member both connected and messaged keeps one record: the connection (it carries
    # the e-mail address, company and date); the message record only adds a name.
    first: dict[str, Contact] = {}
    for contact in data.contacts:
        first.setdefault(contact.id, contact)
    data.contacts = list(first.values())
    return data
