"""How far reading has got: input sizes on disk and the progress of several inputs.

:class:`ReadProgress` turns the reading of several inputs (each a file, a folder or an
archive) into ``progress(done_bytes, total_bytes, label)`` calls for a progress bar.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["ProgressCallback", "ReadProgress", "input_size"]

#: ``progress(done_bytes, total_bytes, label)``: how far :func:`load_inputs` has read.
ProgressCallback = Callable[[int, int, str], None]


def input_size(path: str | os.PathLike[str]) -> int:
    """Bytes on disk behind an input: a file's size, the summed sizes of a folder's files
    (recursively), 0 for a path that does not exist (reading it will say why).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_bytes(b"12345")
    >>> _ = (folder / "b.csv").write_bytes(b"123")
    >>> input_size(folder), input_size(folder / "a.csv"), input_size(folder / "none")
    (8, 5, 0)
    """
    p = Path(path)
    try:
        if p.is_dir():
            return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        return p.stat().st_size if p.is_file() else 0
    except OSError:
        return 0


class ReadProgress:
    """Turn the reading of several inputs into ``progress(done, total, label)`` calls.

    `total` is the summed :func:`input_size` of the inputs. Reading input ``i`` moves
    `done` from the sizes of the inputs before it to those plus its own; a streaming reader
    may report bytes in between through the callable :meth:`start` returns. `done` never
    goes back and never passes `total`. Nothing is printed: the callback decides.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_bytes(b"x" * 10)
    >>> _ = (folder / "b.csv").write_bytes(b"x" * 30)
    >>> calls = []
    >>> tracker = ReadProgress([folder / "a.csv", folder / "b.csv"],
    ...                        lambda done, total, label: calls.append((done, total, label)))
    >>> tracker.finish(0)
    >>> within = tracker.start(1)
    >>> within(12)
    >>> tracker.finish(1)
    >>> calls
    [(10, 40, 'a.csv'), (10, 40, 'b.csv'), (22, 40, 'b.csv'), (40, 40, 'b.csv')]
    """

    def __init__(
        self, paths: Sequence[str | os.PathLike[str]], progress: ProgressCallback
    ) -> None:
        self._progress = progress
        self._labels = [Path(p).name or str(p) for p in paths]
        self.sizes = [input_size(p) for p in paths]
        self.total = sum(self.sizes)
        self._offsets = [sum(self.sizes[:i]) for i in range(len(self.sizes))]
        self.done = 0

    def report(self, done: int, label: str) -> None:
        """Call the callback with `done` (kept non-decreasing and at most the total)."""
        self.done = min(max(self.done, done), self.total)
        self._progress(self.done, self.total, label)

    def start(self, index: int) -> Callable[[int], None]:
        """Announce input `index`; return ``within(bytes_read_in_that_input)``."""
        base, size, label = self._offsets[index], self.sizes[index], self._labels[index]
        self.report(base, label)

        def within(bytes_read: int) -> None:
            self.report(base + min(bytes_read, size), label)

        return within

    def finish(self, index: int) -> None:
        """Input `index` has been read: count all of its bytes."""
        self.report(self._offsets[index] + self.sizes[index], self._labels[index])
