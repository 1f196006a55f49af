"""The readers under fuzz, the property they must hold, and the two run sizes.

The property: a reader handed any file (random bytes, a near-valid file with byte edits, a
structure-aware document with hostile values and wrong JSON types, or the same packed in a
damaged archive) either returns or raises :class:`~trustgraph.TrustGraphError`. Anything
else (``KeyError``, ``TypeError``, ``RecursionError``, ``OverflowError``,
``UnicodeError``, ``zlib.error``, ...) is a crash site the CLI would print as a traceback.

:data:`TARGETS` maps each public reader to how it is called and its strategies (random
bytes, structured, mutated, and archive for readers that look inside zip, gzip or tar).
The tests are split in two files of about equal cost, :data:`EXPORT_READERS` and the rest,
because the suite distributes whole files to xdist workers (``--dist loadfile``).

A failure prints the falsifying :class:`~fuzz.strategies.Case` (the files and the reader's
path) and the original traceback: the innermost trustgraph frame is the crash site.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from trustgraph import (
    TrustGraphError,
    load_inputs,
    read_contacts,
    read_conversations,
    read_edgelist,
    read_export,
    read_graph,
    read_node_labels,
    read_snap_ego,
)
from trustgraph.ingest.email_reader import read_email, read_maildir, read_mbox
from trustgraph.ingest.google_contacts import read_google_contacts
from trustgraph.ingest.graphfiles import read_gexf, read_graphml, read_node_link
from trustgraph.ingest.linkedin import read_linkedin
from trustgraph.ingest.messenger import read_messenger
from trustgraph.ingest.slack import read_slack
from trustgraph.ingest.telegram import read_telegram
from trustgraph.ingest.twitter import read_twitter
from trustgraph.ingest.vcard import read_vcard
from trustgraph.ingest.whatsapp import read_whatsapp

from . import formats as f
from .archives import archive_case
from .strategies import (
    Case,
    mutated_case,
    random_bytes_case,
    with_me,
    with_options,
)

# ----------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """A public reader, how to call it on a :class:`Case`, and its input strategies."""

    call: Callable[[list[Path], Case], Any]
    strategies: dict[str, st.SearchStrategy[Case]]


def _one(reader: Callable[..., Any], *, me: bool = True) -> Callable[[list[Path], Case], Any]:
    def call(paths: list[Path], case: Case) -> Any:
        kwargs = dict(case.options)
        if me:
            kwargs["me"] = case.me
        return reader(paths[0], **kwargs)

    call.__name__ = reader.__name__
    return call


def _load_inputs(paths: list[Path], case: Case) -> Any:
    return load_inputs(paths, me=case.me, **dict(case.options))


def _family(
    structured: st.SearchStrategy[Case],
    bytes_name: str,
    *,
    archive: tuple[str, str] | None = None,
    bytes_base: st.SearchStrategy[Case] | None = None,
    me: tuple[str, ...] = (),
    **options: st.SearchStrategy[Any],
) -> dict[str, st.SearchStrategy[Case]]:
    """The strategies of one reader: random bytes (in the file the reader expects, beside
    the valid files of `bytes_base` when given), the structure-aware documents, those with
    byte edits, and (for readers that look inside archives) the same in a damaged archive.
    """
    if bytes_base is None:
        raw = random_bytes_case(bytes_name)
    else:
        raw = bytes_base.flatmap(lambda base: random_bytes_case(bytes_name, base=base))
    found = {
        "bytes": raw,
        "structured": structured,
        "mutated": mutated_case(structured),
    }
    if archive is not None:
        kind, name = archive
        found["archive"] = archive_case(structured, kind, name)
    for name, strategy in found.items():
        if me:
            strategy = with_me(strategy, me)
        if options:
            strategy = with_options(strategy, **options)
        found[name] = strategy
    return found


_DIRECTED = st.sampled_from((None, True, False))
_COMPACT = st.booleans()
_DATE_FORMATS = st.sampled_from((None, None, "dmy", "mdy", "ymd"))
_TZ = st.sampled_from((None, "UTC", "Europe/Paris", "Pacific/Kiritimati", "Etc/GMT+12"))


@functools.cache
def _any_export() -> st.SearchStrategy[Case]:
    return st.one_of(
        f.whatsapp_case(),
        f.telegram_case(),
        f.messenger_case(),
        f.slack_case(),
        f.twitter_case(),
        f.mbox_case(),
        f.maildir_case(),
        f.vcard_case(),
        f.linkedin_case(),
        f.google_contacts_case(),
    )


@functools.cache
def _any_graph() -> st.SearchStrategy[Case]:
    return st.one_of(
        f.edgelist_case(),
        f.graphml_case(),
        f.gexf_case(),
        f.node_link_case(),
        f.snap_ego_case(),
        f.compact_case(),
    )


def _renamed(cases: st.SearchStrategy[Case]) -> st.SearchStrategy[Case]:
    """Single-file cases under a misleading or missing extension (detection by content)."""
    names = st.sampled_from(("data", "graph.txt", "graph.csv", "export.json", "x.gz", "chat.md"))

    def rename(case: Case, name: str) -> Case:
        if len(case.files) != 1 or case.entries != (case.files[0][0],):
            return case
        return Case(((name, case.files[0][1]),), (name,), case.me, case.options)

    return st.builds(rename, cases, names)


@functools.cache
def _any_input() -> st.SearchStrategy[Case]:
    return st.one_of(_any_export(), f.contacts_case(), f.conversations_case(), _any_graph())


@st.composite
def _several_inputs(draw: st.DrawFn) -> Case:
    """One to three inputs for load_inputs, each a record source or a graph file."""
    cases = draw(st.lists(_any_input(), min_size=1, max_size=3))
    files: list[tuple[str, bytes]] = []
    entries: list[str] = []
    folders: list[str] = []
    for index, case in enumerate(cases):
        files += [(f"in{index}/{rel}", data) for rel, data in case.files]
        entries += [f"in{index}/{entry}" if entry else f"in{index}" for entry in case.entries]
        folders += [f"in{index}/{folder}" for folder in case.folders]
        folders.append(f"in{index}")
    return Case(tuple(files), tuple(entries), folders=tuple(folders))


def _targets() -> dict[str, Target]:
    me_chat = ("Ada Example", "You", "+1 555 010 0100")
    return {
        "read_whatsapp": Target(
            _one(read_whatsapp),
            _family(
                f.whatsapp_case(),
                "WhatsApp Chat with Bo Sample.txt",
                archive=("zip", "chat.zip"),
                me=me_chat,
                date_format=_DATE_FORMATS,
                tz=_TZ,
            ),
        ),
        "read_telegram": Target(
            _one(read_telegram),
            _family(
                f.telegram_case(),
                "result.json",
                archive=("gzip", "result.json.gz"),
                me=("tg:100000001", "user100000001", "100000001", "Ada Example"),
                tz=_TZ,
            ),
        ),
        "read_messenger": Target(
            _one(read_messenger),
            _family(
                f.messenger_case(),
                "messages/inbox/bo_1/message_1.json",
                archive=("zip", "facebook.zip"),
                me=("Ada Example", "fb-name:ada example"),
                platform=st.sampled_from(("auto", "messenger", "instagram")),
            ),
        ),
        "read_slack": Target(
            _one(read_slack),
            _family(
                f.slack_case(),
                "general/2024-03-14.json",
                archive=("zip", "slack.zip"),
                bytes_base=f.slack_case(),
                me=("U0ADA0001", "slack:U0ADA0001", "ada@example.com"),
            ),
        ),
        "read_twitter": Target(
            _one(read_twitter),
            _family(
                f.twitter_case(),
                "data/direct-messages.js",
                archive=("zip", "twitter.zip"),
                me=("x:222000111", "222000111"),
            ),
        ),
        "read_mbox": Target(
            _one(read_mbox),
            _family(
                f.mbox_case(),
                "inbox.mbox",
                archive=("gzip", "inbox.mbox.gz"),
                me=("ada@example.com",),
                include_bulk=st.booleans(),
            ),
        ),
        "read_maildir": Target(
            _one(read_maildir),
            _family(
                f.maildir_case(),
                "cur/1710407000.M1P100.host:2,S",
                bytes_base=f.maildir_case(),
                me=("ada@example.com",),
                include_bulk=st.booleans(),
            ),
        ),
        "read_email": Target(
            _one(read_email),
            _family(
                st.one_of(f.mbox_case(), f.maildir_case()),
                "mail.mbox",
                archive=("gzip", "inbox.mbox.gz"),
                me=("ada@example.com",),
            ),
        ),
        "read_vcard": Target(
            _one(read_vcard),
            _family(
                f.vcard_case(),
                "contacts.vcf",
                archive=("gzip", "contacts.vcf.gz"),
                me=("ada@example.com",),
                default_region=st.sampled_from((None, "US", "GB", "ZZ")),
            ),
        ),
        "read_linkedin": Target(
            _one(read_linkedin),
            _family(
                f.linkedin_case(),
                "messages.csv",
                archive=("zip", "linkedin.zip"),
                me=("https://www.linkedin.com/in/ada-example-0001", "linkedin:ada-example-0001"),
            ),
        ),
        "read_google_contacts": Target(
            _one(read_google_contacts),
            _family(
                f.google_contacts_case(),
                "contacts.csv",
                archive=("gzip", "contacts.csv.gz"),
                me=("ada@example.com",),
            ),
        ),
        "read_contacts": Target(
            _one(read_contacts, me=False),
            _family(f.contacts_case(), "contacts.csv", archive=("gzip", "contacts.csv.gz")),
        ),
        "read_conversations": Target(
            _one(read_conversations, me=False),
            _family(
                f.conversations_case(),
                "conversations.csv",
                archive=("gzip", "conversations.csv.gz"),
            ),
        ),
        "read_edgelist": Target(
            _one(read_edgelist, me=False),
            _family(
                f.edgelist_case(),
                "edges.csv",
                archive=("gzip", "edges.csv.gz"),
                directed=_DIRECTED,
                compact=_COMPACT,
                duplicates=st.sampled_from((None, "sum", "max", "first", "error")),
                signed=_DIRECTED,
                header=_DIRECTED,
                delimiter=st.sampled_from((None, None, ",", " ", "\t", ";")),
            ),
        ),
        "read_graphml": Target(
            _one(read_graphml, me=False),
            _family(
                f.graphml_case(),
                "graph.graphml",
                archive=("gzip", "graph.graphml.gz"),
                compact=_COMPACT,
            ),
        ),
        "read_gexf": Target(
            _one(read_gexf, me=False),
            _family(
                f.gexf_case(), "graph.gexf", archive=("gzip", "graph.gexf.gz"), compact=_COMPACT
            ),
        ),
        "read_node_link": Target(
            _one(read_node_link, me=False),
            _family(
                f.node_link_case(),
                "graph.json",
                archive=("gzip", "graph.json.gz"),
                compact=_COMPACT,
            ),
        ),
        "read_snap_ego": Target(
            _one(read_snap_ego, me=False),
            _family(
                f.snap_ego_case(),
                "0.edges",
                archive=("tar", "facebook.tar.gz"),
                bytes_base=f.snap_ego_case(),
                directed=st.booleans(),
                compact=_COMPACT,
            ),
        ),
        "read_node_labels": Target(
            _one(read_node_labels, me=False),
            _family(
                f.node_labels_case(),
                "labels.txt",
                archive=("gzip", "labels.txt.gz"),
                header=_DIRECTED,
                delimiter=st.sampled_from((None, None, ",", " ", "\t", ";")),
            ),
        ),
        "read_graph": Target(
            _one(read_graph, me=False),
            _family(st.one_of(_any_graph(), _renamed(_any_graph())), "graph", compact=_COMPACT),
        ),
        "read_graph[tgc]": Target(
            _one(read_graph, me=False),
            _family(f.compact_case(), "g.tgc/meta.json", bytes_base=f.compact_case()),
        ),
        "read_export": Target(
            _one(read_export),
            _family(
                st.one_of(_any_export(), _renamed(_any_export())),
                "export.json",
                archive=("zip", "export.zip"),
                me=("Ada Example", "ada@example.com"),
            ),
        ),
        "load_inputs": Target(
            _load_inputs,
            _family(_several_inputs(), "input.csv", me=("Ada Example", "ada@example.com")),
        ),
    }


TARGETS = _targets()

#: Chat, social and mail exports (about half the fuzzing cost); the other readers are
#: contacts, CSV and graph files.
EXPORT_READERS = (
    "read_whatsapp",
    "read_telegram",
    "read_messenger",
    "read_slack",
    "read_twitter",
    "read_mbox",
    "read_maildir",
    "read_email",
    "read_export",
)


def pairs(*, exports: bool) -> list[tuple[str, str]]:
    """The (reader, strategy) pairs of the export readers, or of all the others."""
    return [
        (reader, strategy)
        for reader, target in TARGETS.items()
        if (reader in EXPORT_READERS) == exports
        for strategy in target.strategies
    ]


# ----------------------------------------------------------------------------- the property
class ReaderHang(Exception):
    """A reader ran longer than :data:`HANG_SECONDS` on one small input."""


#: Inputs are at most a few hundred KiB: a reader still busy after this long is hanging.
HANG_SECONDS = 30


@contextlib.contextmanager
def _hang_guard(seconds: float) -> Iterator[None]:
    """Raise :class:`ReaderHang` in the reader after `seconds` (main thread, POSIX only)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        raise ReaderHang(f"the reader was still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_reader(name: str, case: Case, workdir: Path) -> None:
    """Write `case` under a fresh folder of `workdir` and run the reader `name` on it.

    Returns when the reader returns or raises TrustGraphError; any other exception
    propagates unchanged, so hypothesis tells crash sites apart by type and location.
    """
    root = Path(tempfile.mkdtemp(dir=workdir))
    try:
        paths = case.write(root)
        # TrustGraphError is the only exception allowed out of a reader.
        with _hang_guard(HANG_SECONDS), contextlib.suppress(TrustGraphError):
            TARGETS[name].call(paths, case)
    finally:
        shutil.rmtree(root, ignore_errors=True)


_HEALTH = [
    HealthCheck.function_scoped_fixture,
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]

#: Default suite: a few derandomised examples per pair (under 20 s for every pair in one
#: process). No shrinking: shrinking a damaged archive takes minutes; the nightly run
#: shrinks.
QUICK = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=_HEALTH,
    print_blob=False,
)


#: ``pytest -m fuzz``: the nightly size, fresh random examples every run (2,000 per pair,
#: about 10 minutes on two cores; ``TRUSTGRAPH_FUZZ_EXAMPLES`` changes the number).
NIGHTLY = settings(
    max_examples=int(os.environ.get("TRUSTGRAPH_FUZZ_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=_HEALTH,
    print_blob=True,
)


def run(reader: str, strategy: str, workdir: Path, config: settings) -> None:
    """Run the property for one (reader, strategy) pair under the settings `config`."""

    @config
    @given(case=TARGETS[reader].strategies[strategy])
    def property_(case: Case) -> None:
        check_reader(reader, case, workdir)

    property_()
