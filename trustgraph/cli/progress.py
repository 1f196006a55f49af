"""Progress on stderr: bars and spinners drawn only when stderr is a terminal.

Pipes, files and CI logs stay clean: every helper here yields a callback that is None (or
does nothing) when nothing may be drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from trustgraph.ingest.escape import terminal_text

if TYPE_CHECKING:
    from trustgraph.ingest.load import ProgressCallback

__all__ = ["counted_progress", "job_progress", "progress_console", "read_progress", "spinner"]


def progress_console() -> Console | None:
    """A stderr console for progress, only when stderr is a terminal (never in pipes/CI)."""
    console = Console(stderr=True)
    return console if console.is_terminal else None


@contextmanager
def read_progress(
    *, quiet: bool = False, console: Console | None = None
) -> Iterator[ProgressCallback | None]:
    """A byte progress bar on stderr while inputs are read.

    Yields a ``progress(done_bytes, total_bytes, label)`` callback for
    :func:`~trustgraph.ingest.load.load_inputs` that drives a rich bar (bytes done/total,
    speed, time remaining), or None, so that nothing is drawn, when `quiet` is set or the
    console (stderr by default) is not a terminal: pipes, files and CI logs stay clean.
    """
    with job_progress(quiet=quiet, console=console) as (progress, _):
        yield progress


@contextmanager
def job_progress(
    *, quiet: bool = False, console: Console | None = None
) -> Iterator[tuple[ProgressCallback | None, Callable[[str], None] | None]]:
    """:func:`read_progress` plus a status line for the steps after reading.

    Yields ``(progress, status)``: the byte callback of :func:`read_progress` and
    ``status(text)``, which turns the same line into a spinner with `text` (ranking,
    analysing, drawing...). Both are None when nothing may be drawn.
    """
    console = console if console is not None else Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None, None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("inputs", total=None)

        def update(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        def status(text: str) -> None:
            # total=None makes the bar a pulsing spinner: the step has no byte count.
            bar.update(task, completed=0, total=None, description=text)

        yield update, status


@contextmanager
def spinner(first: str) -> Iterator[Callable[[str], None]]:
    """A spinner with a status line on stderr, starting with the text `first`.

    Yields a function that replaces the status text. Nothing is drawn (the function does
    nothing) when stderr is not a terminal.
    """
    console = progress_console()
    if console is None:
        yield lambda text: None
        return
    with console.status(terminal_text(first)) as status:
        yield lambda text: status.update(terminal_text(text))


@contextmanager
def counted_progress(description: str) -> Iterator[Callable[[int, int], None] | None]:
    """A bar of ``done`` out of ``total`` steps on stderr, or None when it is not a terminal.

    Yields the ``progress(done, total)`` callback the evaluation protocols take.
    """
    console = progress_console()
    if console is None:
        yield None
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
