"""Atomic file writing: write to a temporary file beside the target, then rename.

A crash or an error half-way never leaves a truncated file, and an existing file the user
named is only replaced when the caller allows it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from trustgraph.exceptions import IngestError

__all__ = ["atomic_write", "check_writable"]


def check_writable(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Refuse to replace an existing file unless `overwrite` (the CLI's ``--force``)."""
    p = Path(path)
    if p.is_dir():
        raise IngestError("is a directory, expected a file name to write", path=p)
    if p.exists() and not overwrite:
        raise IngestError("already exists; pass --force (overwrite=True) to replace it", path=p)
    if not p.parent.exists():
        raise IngestError(f"folder {str(p.parent)!r} does not exist", path=p)
    return p


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
    binary = "b" in mode
    fd, tmp_name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    # mkstemp creates the file owner-only; give the result the mode a plain open() would
    # (the umask's), or keep the mode of the file being replaced.
    os.chmod(tmp_name, _target_mode(p))
    try:
        with os.fdopen(
            fd,
            mode,
            encoding=None if binary else encoding,
            newline=None if binary else newline,
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, p)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _target_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
