"""Atomic file writing: write to a temporary file beside the target, then rename.

A crash or an error half-way never leaves a truncated file, and an existing file the user
named is only replaced when the caller allows it.

Temporary files and folders carry a recognisable name,
``.<target>.trustgraph-<host>-<pid>-<random>.tmp``, so that what a killed run (``kill -9``,
a power cut) leaves behind can be told apart from everything else in the folder. They may
hold personal data, so the next write into the same folder removes the stale ones: those
of a process that no longer runs, and any older than a day. See
:func:`clean_stale_temporaries`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import socket
import stat
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO

from trustgraph.exceptions import IngestError

__all__ = [
    "REPORT_MARKER",
    "STALE_AFTER",
    "OutputExistsError",
    "atomic_write",
    "check_writable",
    "clean_stale_temporaries",
    "temporary_path",
    "write_error",
    "write_texts",
]

#: File that marks a folder made by ``trustgraph report`` (and lists what it wrote).
REPORT_MARKER = ".trustgraph-report"
#: Seconds after which a temporary is stale even if its process seems to run (pid reuse).
STALE_AFTER = 24 * 3600.0
# Names written before temporaries were tagged (mkstemp/mkdtemp with 8 random characters)
# carry no pid: they count as stale after an hour.
_LEGACY_AFTER = 3600.0
_TEMPORARY = re.compile(
    r"^\.(?P<target>.+)\.trustgraph-(?P<host>[0-9a-f]{6})-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$"
)
_LEGACY_RANDOM = r"[a-z0-9_]{8}"
# CompactGraph.save builds a .tgc folder as ".<name>.partial-<pid>" beside it.
_COMPACT_PARTIAL = re.compile(r"^\.(?P<target>.+)\.partial-(?P<pid>\d+)$")
_COMPACT_FILE = re.compile(r"^[\w.-]+\.(npy|json|txt)$")
_LEGACY_REPORT = re.compile(rf"^\.(?P<target>.+?)\.(?:old\.)?{_LEGACY_RANDOM}$")
# Room for the tag in a 255-byte file name.
_MAX_TARGET_CHARS = 120


class OutputExistsError(IngestError):
    """The file to write exists and replacing it was not allowed (``overwrite=False``).

    The CLI turns it into "already exists; add --force to replace it"; ``path`` is the
    file.
    """


def check_writable(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Refuse to replace an existing file unless `overwrite` (the CLI's ``--force``).

    Raises
    ------
    OutputExistsError
        `path` exists and `overwrite` is false.
    IngestError
        `path` is a folder, or its folder does not exist.
    """
    p = Path(path)
    if p.is_dir():
        raise IngestError("is a directory, expected a file name to write", path=p)
    if p.exists() and not overwrite:
        raise OutputExistsError("already exists; pass overwrite=True to replace it", path=p)
    if not p.parent.exists():
        raise IngestError(f"folder {str(p.parent)!r} does not exist", path=p)
    return p


def write_error(exc: OSError, target: str | os.PathLike[str]) -> IngestError:
    """An OS error met while writing `target`, as an error that names `target` itself.

    The temporary file's hidden name means nothing to the user ("Permission denied:
    '.g.csv.trustgraph-….tmp'"); the file they asked for does.
    """
    reason = exc.strerror or str(exc) or type(exc).__name__
    return IngestError(f"cannot write: {reason}", path=target)


@lru_cache(maxsize=1)
def _host_tag() -> str:
    # Only this machine's pids can be checked; a folder may be shared over the network.
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def temporary_path(target: str | os.PathLike[str], *, pid: int | None = None) -> Path:
    """A fresh, recognisable name for a temporary file or folder beside `target`.

    ``.<target name>.trustgraph-<host>-<pid>-<random>.tmp``: hidden, tagged with the
    machine and the process that owns it, so :func:`clean_stale_temporaries` can tell
    when it was left behind.

    Examples
    --------
    >>> temporary_path("out/g.csv", pid=42).name.startswith(".g.csv.trustgraph-")
    True
    """
    p = Path(target)
    owner = os.getpid() if pid is None else pid
    name = p.name[:_MAX_TARGET_CHARS]
    return p.with_name(f".{name}.trustgraph-{_host_tag()}-{owner}-{secrets.token_hex(4)}.tmp")


def _process_alive(pid: int) -> bool:
    if pid <= 0 or os.name == "nt":  # os.kill(pid, 0) would terminate it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _holds_report_marker(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name == REPORT_MARKER:
                    return True
                if entry.is_dir(follow_symlinks=False) and os.path.isfile(
                    os.path.join(entry.path, REPORT_MARKER)
                ):
                    return True  # a previous report moved aside (".name.old.XXXXXXXX/name/")
    except OSError:
        return False
    return False


def _holds_arrays(folder: str) -> bool:
    """Only what CompactGraph.save writes: .npy arrays, meta.json, nodes.txt/json."""
    try:
        return all(_COMPACT_FILE.match(name) for name in os.listdir(folder))
    except OSError:
        return False


def _is_stale(
    entry: os.DirEntry[str], info: os.stat_result, now: float, target: str | None
) -> bool:
    age = now - info.st_mtime
    tagged = _TEMPORARY.match(entry.name)
    if tagged:
        if age > STALE_AFTER:
            return True
        if tagged["host"] != _host_tag():
            return False
        pid = int(tagged["pid"])
        return pid != os.getpid() and not _process_alive(pid)
    if age <= _LEGACY_AFTER:
        return False
    if stat.S_ISDIR(info.st_mode):
        partial = _COMPACT_PARTIAL.match(entry.name)
        if partial:
            # No host in the name: only old, and only if no such process runs here.
            pid = int(partial["pid"])
            return pid != os.getpid() and not _process_alive(pid) and _holds_arrays(entry.path)
        return bool(_LEGACY_REPORT.match(entry.name)) and _holds_report_marker(entry.path)
    return target is not None and bool(
        re.fullmatch(rf"\.{re.escape(target)}\.{_LEGACY_RANDOM}\.tmp", entry.name)
    )


def clean_stale_temporaries(
    folder: str | os.PathLike[str], *, target: str | os.PathLike[str] | None = None
) -> list[Path]:
    """Remove the temporaries a killed trustgraph run left in `folder`; return them.

    Removed: tagged temporaries (see :func:`temporary_path`) whose process has ended on
    this machine, or that are older than :data:`STALE_AFTER`; older than an hour, the
    untagged ones: report folders of earlier versions (``.<name>.XXXXXXXX/`` holding the
    report marker), ``.tgc`` folders :meth:`CompactGraph.save
    <trustgraph.CompactGraph.save>` was building (``.<name>.partial-<pid>/``, process
    ended) and, for `target`, its earlier-style ``.<target>.XXXXXXXX.tmp`` files.
    Only entries owned by the current user are considered; nothing else is touched, and
    a failure to remove one is ignored (the write goes on).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> clean_stale_temporaries(folder)
    []
    """
    base = Path(folder)
    name = None if target is None else Path(target).name
    now = time.time()
    uid = os.getuid() if hasattr(os, "getuid") else None
    removed: list[Path] = []
    try:
        with os.scandir(base) as scan:
            entries = [e for e in scan if e.name.startswith(".")]
    except OSError:
        return removed
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if uid is not None and info.st_uid != uid:
            continue
        if stat.S_ISLNK(info.st_mode) or not _is_stale(entry, info, now, name):
            continue
        try:
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(base / entry.name)
    return removed


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    mode: str = "w",
    *,
    overwrite: bool = True,
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO]:
    """Context manager yielding a handle whose content replaces `path` only on success.

    Stale temporaries of earlier, killed runs in the same folder are removed first (see
    :func:`clean_stale_temporaries`). An OS error while writing (permission denied, disk
    full) is raised as an :class:`~trustgraph.IngestError` naming `path`, not the
    temporary file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as handle:
    ...     _ = handle.write("hello")
    >>> target.read_text()
    'hello'
    """
    p = check_writable(path, overwrite=overwrite)
    clean_stale_temporaries(p.parent, target=p)
    binary = "b" in mode
    tmp = temporary_path(p)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise write_error(exc, p) from None
    try:
        # Created owner-only; give the result the mode a plain open() would (the umask's),
        # or keep the mode of the file being replaced.
        os.chmod(tmp, _target_mode(p))
        with os.fdopen(
            fd,
            mode,
            encoding=None if binary else encoding,
            newline=None if binary else newline,
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, p)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        # Our own failures (open, write, fsync, rename); another file's error stays as it is.
        if isinstance(exc, OSError) and exc.errno is not None and exc.filename in (None, str(tmp)):
            raise write_error(exc, p) from None
        raise


def _target_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_texts(files: Iterable[tuple[Path, str]], *, overwrite: bool) -> None:
    """Write several UTF-8 text files, each atomically, after checking every target first.

    A refusal (an existing file without `overwrite`, a folder in the way) therefore leaves
    the folder untouched; missing parent folders are created.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_texts([(folder / "a" / "x.txt", "one"), (folder / "y.txt", "two")], overwrite=False)
    >>> (folder / "a" / "x.txt").read_text(), (folder / "y.txt").read_text()
    ('one', 'two')
    """
    files = list(files)
    for path, _ in files:
        if path.is_dir() or (path.exists() and not overwrite):
            check_writable(path, overwrite=overwrite)
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, "wb", overwrite=overwrite) as handle:
            handle.write(text.encode("utf-8"))
