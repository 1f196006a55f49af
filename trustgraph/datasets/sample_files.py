"""The sample network as files: write it, find the bundled copy, read its truth back."""

from __future__ import annotations

import csv
import os
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from trustgraph.datasets._sample_parts import _OWNER
from trustgraph.datasets.sample import ROLES, SampleNetwork, Truth, sample_network
from trustgraph.exceptions import IngestError
from trustgraph.ingest.atomic import atomic_write, check_writable

__all__ = [
    "CONTACT_COLUMNS",
    "CONVERSATION_COLUMNS",
    "TRUTH_COLUMNS",
    "read_truth",
    "sample_owner",
    "sample_paths",
    "write_sample",
]

#: Column order of the three sample files (FORMATS: the generic contacts/conversations CSV).
CONTACT_COLUMNS = ("id", "name", "email", "company", "position", "connected_on", "source")
CONVERSATION_COLUMNS = ("timestamp", "sender", "recipients", "channel", "conversation_id")
TRUTH_COLUMNS = ("id", "role", "layer", "stale")


def _iso_utc(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_sample(
    folder: str | os.PathLike[str],
    network: SampleNetwork | None = None,
    *,
    overwrite: bool = False,
) -> dict[str, Path]:
    """Write a sample network as ``contacts.csv``, ``conversations.csv`` and ``truth.csv``.

    Parameters
    ----------
    folder : path
        Target folder; created (with its parents) when missing.
    network : SampleNetwork, optional
        Defaults to ``sample_network()`` (the bundled sample).
    overwrite : bool, default False
        Replace existing files. Without it nothing is written if any of the three exists.

    Returns
    -------
    dict of str to Path
        ``{"contacts": ..., "conversations": ..., "truth": ...}``.

    Raises
    ------
    IngestError
        If a file exists and `overwrite` is false, or `folder` is a file.

    Notes
    -----
    * ``contacts.csv``: ``id,name,email,company,position,connected_on,source`` with
      ``connected_on`` an ISO date; sorted by id.
    * ``conversations.csv``: ``timestamp,sender,recipients,channel,conversation_id`` with
      ISO 8601 UTC timestamps (``2025-03-04T09:15:00Z``), recipients ``;``-separated and
      channel ``dm`` or ``group``; no message body. Sorted by time, conversation, sender.
    * ``truth.csv``: ``id,role,layer,stale`` (layer empty outside layers 1-4, stale
      ``true``/``false``); sorted by id.

    Every file is written atomically with ``\\n`` line endings, so the same network always
    gives byte-identical files.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sample(tempfile.mkdtemp(), sample_network(seed=1, n_declared=400))
    >>> sorted(paths)
    ['contacts', 'conversations', 'truth']
    >>> paths["contacts"].read_text().splitlines()[0]
    'id,name,email,company,position,connected_on,source'
    """
    if network is None:
        network = sample_network()
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise IngestError("is a file, expected a folder for the sample", path=target)
    target.mkdir(parents=True, exist_ok=True)
    paths = {
        "contacts": target / "contacts.csv",
        "conversations": target / "conversations.csv",
        "truth": target / "truth.csv",
    }
    for path in paths.values():
        check_writable(path, overwrite=overwrite)

    with atomic_write(paths["contacts"], "w", overwrite=overwrite, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CONTACT_COLUMNS)
        for c in sorted(network.contacts, key=lambda c: c.id):
            writer.writerow(
                (
                    c.id,
                    c.display_name or "",
                    next((i for i in c.identifiers if "@" in i), ""),
                    c.attributes.get("company", ""),
                    c.attributes.get("position", ""),
                    c.connected_on.date().isoformat() if c.connected_on else "",
                    c.source,
                )
            )
    with atomic_write(paths["conversations"], "w", overwrite=overwrite, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CONVERSATION_COLUMNS)
        for e in network.events:
            writer.writerow(
                (
                    _iso_utc(e.timestamp),
                    e.sender,
                    ";".join(e.recipients),
                    e.channel,
                    e.conversation_id or "",
                )
            )
    with atomic_write(paths["truth"], "w", overwrite=overwrite, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TRUTH_COLUMNS)
        for node in sorted(network.truth):
            t = network.truth[node]
            layer = "" if t.layer is None else str(t.layer)
            writer.writerow((node, t.role, layer, "true" if t.stale else "false"))
    # atomic_write's temporary files are private (0600); sample files are ordinary ones.
    umask = os.umask(0)
    os.umask(umask)
    for path in paths.values():
        os.chmod(path, 0o666 & ~umask)
    return paths


def sample_paths() -> dict[str, Path]:
    """Paths of the sample bundled inside the installed package.

    Returns
    -------
    dict of str to Path
        ``{"contacts": ..., "conversations": ..., "truth": ..., "readme": ...}`` under
        ``trustgraph/sample_data/``: ``sample_network(seed=7)`` written by
        :func:`write_sample`.

    Raises
    ------
    IngestError
        If the package data is missing (a broken installation).

    Examples
    --------
    >>> paths = sample_paths()
    >>> paths["conversations"].name
    'conversations.csv'
    >>> paths["truth"].read_text().splitlines()[0]
    'id,role,layer,stale'
    """
    folder = resources.files("trustgraph") / "sample_data"
    base = Path(str(folder))
    paths = {
        "contacts": base / "contacts.csv",
        "conversations": base / "conversations.csv",
        "truth": base / "truth.csv",
        "readme": base / "README.md",
    }
    for path in paths.values():
        if not path.is_file():
            raise IngestError("bundled sample file is missing (broken installation?)", path=path)
    return paths


def sample_owner() -> str:
    """The owner's id in the sample network (``--me`` for the bundled files).

    Examples
    --------
    >>> sample_owner()
    'me@example.com'
    """
    return _OWNER


def read_truth(path: str | os.PathLike[str] | None = None) -> dict[str, Truth]:
    """Read a ``truth.csv`` written by :func:`write_sample` (default: the bundled one).

    Parameters
    ----------
    path : path, optional
        Defaults to ``sample_paths()["truth"]``.

    Returns
    -------
    dict of str to Truth
        In file order (sorted by id); ``rate`` is not stored in the file and is ``None``.

    Raises
    ------
    IngestError
        On a missing file, a wrong header or an unknown role, with the line number.

    Examples
    --------
    >>> truth = read_truth()
    >>> truth[sample_owner()]
    Truth(role='owner', layer=None, stale=False, rate=None)
    """
    target = Path(path) if path is not None else sample_paths()["truth"]
    if not target.is_file():
        raise IngestError("file not found", path=target)
    result: dict[str, Truth] = {}
    with open(target, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(header) != TRUTH_COLUMNS:
            raise IngestError(
                f"expected the header {','.join(TRUTH_COLUMNS)}", path=target, line=1
            )
        for line, row in enumerate(reader, start=2):
            if len(row) != 4 or row[1] not in ROLES or row[3] not in ("true", "false"):
                raise IngestError(f"bad truth row {row!r}", path=target, line=line)
            layer = int(row[2]) if row[2] else None
            result[row[0]] = Truth(row[1], layer=layer, stale=row[3] == "true")
    return result
