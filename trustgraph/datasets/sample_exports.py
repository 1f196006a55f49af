"""The sample network written as the personal-data exports a user would download.

:func:`write_sample_exports` turns a :class:`~trustgraph.datasets.SampleNetwork` (by default
``sample_network(seed=7)``, the bundled sample) into a small set of realistic exports, so the
demo runs the exact commands a user runs on their own data::

    linkedin/Connections.csv    every declared connection ("Notes:" preamble, current header)
    linkedin/messages.csv       the conversations assigned to LinkedIn
    mail/sample.mbox            Gmail-Takeout-style mbox: person-to-person mail + newsletters
    whatsapp/*.txt              two 1:1 chats (Android and iOS layouts) and one group chat
    contacts.vcf                the owner's phone book (name, phone, e-mail)

:func:`plan_sample_exports` makes every choice (which conversation goes where, names,
profile URLs, phone numbers) and returns it as a :class:`SampleExportPlan`, so tests derive
their expectations from the generator's records rather than from the files.

Partition (by conversation: every message of a conversation goes to one export or none):

* **WhatsApp**: 1:1 chats with the two busiest non-stale layer-1 partners (the busiest in
  the Android layout, the other in the iOS layout) and the busiest friend group that has a
  core partner in it (the "Family" chat, Android layout).
* **mail**: direct messages with the partners (core or circle) of the Family chat, one more
  friend group as a Cc'd e-mail thread (the quietest friend group sharing no friend of a
  friend with the Family chat), and the newsletters (the broadcasters who are not
  declared connections) as bulk mail.
* **LinkedIn**: direct messages with the acquaintances and with the declared broadcasters
  (recruiter InMails), the Sybil groups except the largest one, and the three-person attack
  threads.
* **not exported**: every other conversation (channels that leave no export: calls, other
  messengers). Writing them all would take the set past 1 MB; this one is about 600 kB.

Identities stay consistent with the CSV sample: mail uses the sample's e-mail addresses,
LinkedIn a profile URL made from the person's name and a hash of their id, WhatsApp the
phone-book name (or, for friends of friends who are not in the phone book, the phone
number ``+1 555 010 01xx``). The cross-source links the identity layer needs are in the
files: a connection shows its e-mail address when the person also appears in the mbox or
the phone book, and ``contacts.vcf`` lists name, phone and e-mail of everyone the owner
chats or mails with in person (friends of friends excepted).

Message text is synthetic filler (short generic phrases picked by a hash) so that readers
see realistic lengths; it says nothing about anyone. Everything is byte-deterministic.
"""

from __future__ import annotations

import os
from pathlib import Path

from trustgraph.datasets._export_files import (
    _connections_csv,
    _mbox,
    _messages_csv,
    _vcard,
    _whatsapp_chat,
)
from trustgraph.datasets._export_plan import SampleExportPlan, plan_sample_exports
from trustgraph.datasets._export_text import EXPORT_OWNER_NAME, EXPORT_OWNER_PHONE
from trustgraph.datasets.sample import SampleNetwork
from trustgraph.exceptions import IngestError
from trustgraph.ingest.atomic import write_texts

__all__ = [
    "EXPORT_OWNER_NAME",
    "EXPORT_OWNER_PHONE",
    "SampleExportPlan",
    "export_paths",
    "plan_sample_exports",
    "write_sample_exports",
]


def write_sample_exports(
    folder: str | os.PathLike[str],
    network: SampleNetwork | None = None,
    *,
    overwrite: bool = False,
) -> dict[str, Path]:
    """Write a sample network as a LinkedIn export, WhatsApp chats, an mbox and a vCard file.

    Parameters
    ----------
    folder : path
        Target folder; created (with its parents) when missing.
    network : SampleNetwork, optional
        Defaults to ``sample_network()`` (seed 7, the bundled sample).
    overwrite : bool, default False
        Replace existing files. Without it nothing is written if any target exists.

    Returns
    -------
    dict of str to Path
        ``"connections"``, ``"messages"``, ``"mbox"``, ``"vcard"`` and one
        ``"whatsapp:<file name>"`` entry per chat.

    Raises
    ------
    IngestError
        If a file exists and `overwrite` is false, or `folder` is a file.
    ParameterError
        See :func:`plan_sample_exports`.

    See Also
    --------
    plan_sample_exports : which conversation goes where, and the identifiers used.
    trustgraph.datasets.write_sample : the same network as generic CSV files.

    Notes
    -----
    Layouts follow FORMATS.md: ``Connections.csv`` with the ``Notes:`` preamble and the
    current header, ``Connected On`` as ``15 Mar 2024``; ``messages.csv`` with ``DATE`` as
    ``2025-03-04 09:15:00 UTC``, ``;``-separated recipient URLs and a ``FOLDER`` column
    (``ARCHIVE`` for the Sybil groups); a Google-Takeout-like mbox (envelope with the zone
    before the year, ``X-Gmail-Labels``, ``X-GM-THRID``) where newsletters carry
    ``List-Id`` / ``List-Unsubscribe`` / ``Precedence: bulk``; WhatsApp chats in the
    Android day-first 24-hour layout and the bracketed iOS layout with seconds (times in
    UTC); vCard 3.0. Bodies and ``CONTENT`` cells are synthetic filler phrases. Files are
    written atomically; the same network always gives byte-identical files.

    Examples
    --------
    >>> import tempfile
    >>> from trustgraph.datasets import sample_network
    >>> paths = write_sample_exports(tempfile.mkdtemp(), sample_network(seed=1, n_declared=400))
    >>> sorted(k for k in paths if not k.startswith("whatsapp:"))
    ['connections', 'mbox', 'messages', 'vcard']
    >>> paths["connections"].read_text().splitlines()[0]
    'Notes:'
    """
    plan = plan_sample_exports(network)
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise IngestError("is a file, expected a folder for the sample exports", path=target)
    contents: dict[str, tuple[Path, str]] = {
        "connections": (target / "linkedin" / "Connections.csv", _connections_csv(plan)),
        "messages": (target / "linkedin" / "messages.csv", _messages_csv(plan)),
        "mbox": (target / "mail" / "sample.mbox", _mbox(plan)),
        "vcard": (target / "contacts.vcf", _vcard(plan)),
    }
    for cid, (layout, name) in plan.whatsapp.items():
        contents[f"whatsapp:{name}"] = (
            target / "whatsapp" / name,
            _whatsapp_chat(plan, cid, layout),
        )
    write_texts(contents.values(), overwrite=overwrite)
    return {key: path for key, (path, _) in contents.items()}


def export_paths(folder: str | os.PathLike[str]) -> list[Path]:
    """The inputs to pass to ``load_inputs`` / the CLI for a folder of sample exports.

    Examples
    --------
    >>> import tempfile
    >>> from trustgraph.datasets import sample_network
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_sample_exports(folder, sample_network(seed=1, n_declared=400))
    >>> [p.name for p in export_paths(folder)][:3]
    ['linkedin', 'sample.mbox', 'contacts.vcf']
    """
    root = Path(folder)
    chats = sorted((root / "whatsapp").glob("*.txt"))
    return [root / "linkedin", root / "mail" / "sample.mbox", root / "contacts.vcf", *chats]
