"""Writing a report folder: every file complete or none, and never someone else's folder.

The default output folder (``./trustgraph-report/``) is regenerated on every run. It is
built beside the target under a temporary name and swapped in at the end, so an error
half-way leaves the previous report intact. A marker file identifies folders that
trustgraph made; an existing folder without it is never replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from trustgraph.exceptions import IngestError
from trustgraph.ingest.atomic import atomic_write
from trustgraph.report.model import Report
from trustgraph.report.render import to_csv, to_html, to_json, to_markdown

__all__ = ["MARKER", "write_report_file", "write_report_folder"]

MARKER = ".trustgraph-report"

FORMATS = {"markdown": to_markdown, "json": to_json, "csv": to_csv}


def write_report_folder(
    report: Report, folder: str | os.PathLike[str], images: Mapping[str, bytes]
) -> dict[str, Path]:
    """Write ``report.html``, ``report.md``, ``report.json`` and the PNGs into `folder`.

    Parameters
    ----------
    report : Report
    folder : path
        Created if missing; replaced if it holds a previous trustgraph report.
    images : mapping of file name to PNG bytes

    Returns
    -------
    dict
        Written file paths by kind (``html``, ``markdown``, ``json`` and each image name).
    """
    target = Path(folder)
    if target.exists():
        if not target.is_dir():
            raise IngestError("exists and is not a folder; choose another output", path=target)
        if any(target.iterdir()) and not (target / MARKER).exists():
            raise IngestError(
                "exists and was not made by trustgraph; refusing to replace it", path=target
            )
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        (staging / MARKER).write_text("made by trustgraph; regenerated on every run\n")
        (staging / "report.html").write_text(to_html(report, images), encoding="utf-8")
        (staging / "report.md").write_text(to_markdown(report), encoding="utf-8")
        (staging / "report.json").write_text(to_json(report), encoding="utf-8")
        for name, data in images.items():
            (staging / name).write_bytes(data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
        os.replace(target, old / target.name)
    try:
        os.replace(staging, target)
    except BaseException:
        if old is not None:
            os.replace(old / target.name, target)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
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
