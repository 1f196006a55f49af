"""Checks and sinks shared by the graph writers: refuse what a format cannot hold, open
the atomic (optionally gzip-compressed) output, keep carriage returns in XML.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import math
import numbers
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from trustgraph.exceptions import GraphError, IngestError
from trustgraph.ingest.atomic import atomic_write
from trustgraph.ingest.escape import csv_cell

__all__: list[str] = []

# Characters XML 1.0 cannot hold, not even as character references: most C0 controls,
# lone surrogates and the two non-characters U+FFFE, U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# The edge list reader reads line by line and keeps ids as numpy strings (which drop a
# trailing NUL): these characters cannot round-trip through an edge list cell.
_EDGELIST_INVALID = re.compile("[\n\r\x00\ud800-\udfff]")
_CHAR_NAMES = {"\x00": "NUL", "\n": "a line break", "\r": "a carriage return"}


def _char_name(char: str) -> str:
    """``U+0007``, with a word for the usual suspects (``U+000A, a line break``)."""
    code = f"U+{ord(char):04X}"
    return f"{code} ({_CHAR_NAMES[char]})" if char in _CHAR_NAMES else code


def _check_weight(u: Any, v: Any, w: Any) -> None:
    if w is None:
        return
    if isinstance(w, bool) or not isinstance(w, numbers.Real):
        raise GraphError(f"edge {u!r} -> {v!r} has weight {w!r}; weights must be numbers")
    if not math.isfinite(w):
        raise GraphError(
            f"edge {u!r} -> {v!r} has weight {float(w)!r}; a graph file cannot keep a "
            "non-finite weight"
        )


def _check_xml_text(text: str, where: str, path: Path, fmt: str) -> None:
    bad = _XML_INVALID.search(text)
    if bad:
        raise IngestError(
            f"{where} holds the character {_char_name(bad.group())}, which {fmt} (XML 1.0) "
            "cannot store; write node-link JSON (.json), which holds any text, or remove "
            "the character",
            path=path,
        )


def _edgelist_text(value: Any, where: str, path: Path) -> str:
    """A text cell of an edge list: formula-escaped, or refused when it cannot round-trip."""
    cell = csv_cell(value)
    if not isinstance(value, str):
        return cell
    bad = _EDGELIST_INVALID.search(value)
    if bad:
        problem = f"holds {_char_name(bad.group())}"
    elif cell != cell.strip():
        problem = "starts or ends with white space (U+0020, tab...), which is not kept"
    else:
        return cell
    raise IngestError(
        f"{where} {problem}; an edge list cannot hold it: write GraphML (.graphml) or "
        "node-link JSON (.json) instead",
        path=path,
    )


def _quote(cell: str, delimiter: str) -> str:
    """Quote a cell as CSV does, and also one starting with a comment sign (# or %)."""
    if delimiter in cell or '"' in cell or cell[:1] in ("#", "%"):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@contextlib.contextmanager
def _open_text(path: Path, overwrite: bool, errors: str = "strict") -> Iterator[IO[str]]:
    """Open `path` atomically for UTF-8 text, gzip-compressing when it ends in ``.gz``."""
    with atomic_write(path, "wb", overwrite=overwrite) as raw, _maybe_gzip(path, raw) as sink:
        text = io.TextIOWrapper(sink, encoding="utf-8", errors=errors, newline="")
        yield text
        text.flush()
        # Detach so that closing the wrapper never closes the atomic handle under us.
        text.detach()


@contextlib.contextmanager
def _maybe_gzip(path: Path, raw: IO[bytes]) -> Iterator[IO[bytes]]:
    if path.suffix.lower() != ".gz":
        yield raw
        return
    # mtime=0 and no file name keep the compressed bytes reproducible.
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as compressed:
        yield compressed  # type: ignore[misc]


class _CarriageReturnRefs:
    """A byte sink writing every carriage return as ``&#13;``.

    An XML parser turns a raw CR (or CR LF) inside text into LF; ElementTree escapes CR
    only in attribute values. The serialiser writes CR nowhere but in data, so replacing
    the byte is exact, and the parser gives the CR back.
    """

    def __init__(self, sink: IO[bytes]) -> None:
        self._sink = sink

    def write(self, data: bytes) -> int:
        self._sink.write(bytes(data).replace(b"\r", b"&#13;"))
        return len(data)


def _check_distinct_texts(G: Iterable[Any], path: Path, spell: Any = str) -> None:
    """Text formats store ids as text: ``1`` and ``"1"`` would become one node."""
    if len({type(n) for n in G}) < 2:
        return
    seen: dict[str, Any] = {}
    for node in G:
        text = spell(node)
        if text in seen:
            raise IngestError(
                f"nodes {seen[text]!r} and {node!r} are written as the same text {text!r}; "
                "write node-link JSON (.json), which keeps number and text ids apart",
                path=path,
            )
        seen[text] = node
