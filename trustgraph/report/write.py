"""Writing a report folder: every file complete, the user's own files left alone.

The default output folder (``./trustgraph-report/``) is regenerated on every run. The
report is rendered in memory and written to a hidden temporary folder first, so an error
half-way leaves the previous report intact. A marker file identifies folders that
trustgraph made (an existing folder without it is never written into) and lists the files
the report wrote: on regeneration only those are replaced or removed, and anything the
user put into the folder stays.

Temporary folders are named like every trustgraph temporary
(:func:`~trustgraph.ingest.atomic.temporary_path`), and the ones a killed run left behind
are removed on the next run into the same place.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path

from trustgraph.exceptions import IngestError
from trustgraph.ingest.atomic import (
    REPORT_MARKER,
    atomic_write,
    clean_stale_temporaries,
    temporary_path,
    write_error,
)
from trustgraph.report.model import Report
from trustgraph.report.render import to_csv, to_html, to_json, to_markdown

__all__ = ["MARKER", "report_files", "write_report_file", "write_report_folder"]

MARKER = REPORT_MARKER

FORMATS = {"markdown": to_markdown, "json": to_json, "csv": to_csv}

_MARKER_HEADER = (
    "made by trustgraph; regenerated on every run. The files below are the report's and "
    "are replaced; other files in this folder are left alone.\n"
)
# What a report wrote before the marker listed its files.
_LEGACY_FILES = ("report.html", "report.md", "report.json")


def _render(report: Report, images: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every file of the folder, in memory: rendering fails before anything is written."""
    files = {
        "report.html": to_html(report, images).encode("utf-8"),
        "report.md": to_markdown(report).encode("utf-8"),
        "report.json": to_json(report).encode("utf-8"),
    }
    for name, data in images.items():
        if not _plain_name(name) or name in files:
            raise IngestError(f"cannot write an image named {name!r} into the report folder")
        files[name] = bytes(data)
    return files


def _plain_name(name: str) -> bool:
    """A file name inside the folder: no separator, not hidden, not "." or ".."."""
    return bool(name) and not (
        name.startswith(".") or "/" in name or "\\" in name or "\0" in name or os.sep in name
    )


def report_files(folder: str | os.PathLike[str]) -> list[str]:
    """The files a trustgraph report wrote into `folder`, as its marker lists them.

    A marker from before the list was kept counts ``report.html``, ``report.md`` and
    ``report.json``; a folder without a marker has none. Names that would leave the
    folder are ignored.

    Examples
    --------
    >>> import tempfile
    >>> report_files(tempfile.mkdtemp())
    []
    """
    marker = Path(folder) / MARKER
    try:
        lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise write_error(exc, marker) from None
    names = [line for line in lines[1:] if _plain_name(line)]
    if len(lines) <= 1:
        names = list(_LEGACY_FILES)
    return list(dict.fromkeys(names))


def _write_marker(folder: Path, names: list[str]) -> None:
    with atomic_write(folder / MARKER, overwrite=True) as handle:
        handle.write(_MARKER_HEADER + "".join(f"{name}\n" for name in names))


def _remove_file(path: Path) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        return  # a folder of the user's with a report file's name: not ours to remove
    path.unlink()


def _write_new(target: Path, files: Mapping[str, bytes]) -> None:
    """A folder that does not exist yet: build it aside, rename it into place."""
    staging = temporary_path(target)
    staging.mkdir(mode=0o700)
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        (staging / MARKER).write_text(
            _MARKER_HEADER + "".join(f"{name}\n" for name in files), encoding="utf-8"
        )
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _update(target: Path, files: Mapping[str, bytes]) -> None:
    """Replace the report's files in an existing folder; leave every other file alone."""
    previous = report_files(target)
    clean_stale_temporaries(target)
    staging = temporary_path(target / "report")
    staging.mkdir(mode=0o700)
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        # List old and new files first: if this run is killed mid-way, the next one still
        # knows every file a report wrote.
        _write_marker(target, list(dict.fromkeys([*previous, *files])))
        for name in files:
            os.replace(staging / name, target / name)
        for name in previous:
            if name not in files:
                _remove_file(target / name)
        _write_marker(target, list(files))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_report_folder(
    report: Report, folder: str | os.PathLike[str], images: Mapping[str, bytes]
) -> dict[str, Path]:
    """Write ``report.html``, ``report.md``, ``report.json`` and the PNGs into `folder`.

    Parameters
    ----------
    report : Report
    folder : path
        Created if missing. If it exists it must be empty or hold a previous trustgraph
        report; then the files that report wrote are replaced (or removed when this one
        does not write them) and every other file is kept.
    images : mapping of file name to PNG bytes

    Returns
    -------
    dict
        Written file paths by kind (``html``, ``markdown``, ``json`` and each image name).

    Raises
    ------
    IngestError
        `folder` is a file, a folder trustgraph did not make, or cannot be written (the
        message names `folder`).
    """
    target = Path(folder)
    if target.exists():
        if not target.is_dir():
            raise IngestError("exists and is not a folder; choose another output", path=target)
        if any(target.iterdir()) and not (target / MARKER).exists():
            raise IngestError(
                "exists and was not made by trustgraph; refusing to replace it", path=target
            )
    files = _render(report, images)
    try:
        parent = target.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temporaries(parent)
        if target.is_dir():
            _update(target, files)
        else:
            _write_new(target, files)
    except OSError as exc:
        if exc.errno is None:
            raise
        raise write_error(exc, target) from None
    written = {"html": target / "report.html", "markdown": target / "report.md"}
    written["json"] = target / "report.json"
    written.update({name: target / name for name in images})
    return written


def write_report_file(
    report: Report,
    path: str | os.PathLike[str],
    fmt: str,
    *,
    images: Mapping[str, bytes] | None = None,
    overwrite: bool = False,
) -> Path:
    """Write one report file the user named, atomically; refuse to overwrite without leave."""
    images = images or {}
    if fmt == "html":
        text = to_html(report, images)
    elif fmt == "markdown" and images:
        # A Markdown file carries its figures: written beside it, linked relatively.
        figures = f"{Path(path).stem}-figures"
        text = to_markdown(report, figure_dir=f"{figures}/")
        folder = Path(path).parent / figures
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in images.items():
            with atomic_write(folder / name, "wb", overwrite=True) as handle:
                handle.write(data)
    elif fmt in FORMATS:
        text = FORMATS[fmt](report)
    else:
        raise IngestError(f"cannot write format {fmt!r} to a file", path=path)
    with atomic_write(path, overwrite=overwrite) as handle:
        handle.write(text)
    return Path(path)
