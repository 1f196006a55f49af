"""JSON loading with a nesting limit, for every reader of JSON files.

Python's ``json`` parser recurses once per nesting level, so a file nested a thousand levels
deep (``[[[[...]]]]``) raises ``RecursionError``, and anything that walks the parsed document
recursively fails later in the same way. No export is nested more than a dozen levels, so
:func:`parse_json` refuses documents deeper than :data:`MAX_JSON_DEPTH` with a one-line
:class:`~trustgraph.exceptions.IngestError` naming the file and the line, before any
recursion happens.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trustgraph.exceptions import IngestError
from trustgraph.ingest import _exportfiles

__all__ = ["MAX_JSON_DEPTH", "check_json_depth", "parse_json"]

#: Deepest nesting of arrays and objects accepted. Telegram, Slack, Messenger and X exports
#: stay under 10; node-link graphs under 5.
MAX_JSON_DEPTH = 100

_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENING = (ord("["), ord("{"))
_CLOSING = (ord("]"), ord("}"))
_CHUNK = 1 << 24


def _escaped(backslash: np.ndarray, pending: int) -> tuple[np.ndarray, int]:
    """Positions escaped by an odd run of backslashes, and the run still open at the end.

    `pending` is the length of the run of backslashes that ended the previous chunk.
    """
    edges = np.diff(backslash.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    lengths = ends - starts
    escaped = []
    if pending:
        if starts.size and starts[0] == 0:
            lengths[0] += pending  # the run goes on across the chunk boundary
        elif pending % 2:
            escaped.append(np.zeros(1, dtype=np.intp))  # the first byte is escaped
    escaped.append(ends[lengths % 2 == 1])
    open_run = int(lengths[-1]) if ends.size and ends[-1] == backslash.size else 0
    return np.concatenate(escaped), open_run


def _excess_offset(body: bytes, limit: int) -> int | None:
    """Offset of the first bracket nested deeper than `limit`, or None.

    Vectorised and chunked: quotes escaped by an odd run of backslashes are dropped, the
    parity of the remaining quotes before each bracket says whether it sits in a string,
    and the running sum of the others is the nesting depth.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return None  # too few brackets to nest that deep: the common case costs two scans
    data = np.frombuffer(body, dtype=np.uint8)
    depth = quotes_before = pending = 0
    for begin in range(0, data.size, _CHUNK):
        part = data[begin : begin + _CHUNK]
        quote = part == _QUOTE
        escaped, pending = _escaped(part == _BACKSLASH, pending)
        quote[escaped[escaped < part.size]] = False
        quotes = np.flatnonzero(quote)
        opening = (part == _OPENING[0]) | (part == _OPENING[1])
        brackets = np.flatnonzero(opening | (part == _CLOSING[0]) | (part == _CLOSING[1]))
        outside = (quotes_before + np.searchsorted(quotes, brackets)) % 2 == 0
        brackets = brackets[outside]
        quotes_before += quotes.size
        if not brackets.size:
            continue
        steps = np.where(opening[brackets], 1, -1).astype(np.int64)
        running = np.cumsum(steps) + depth
        deeper = np.flatnonzero(running > limit)
        if deeper.size:
            return begin + int(brackets[deeper[0]])
        depth = int(running[-1])
    return None


def check_json_depth(
    data: str | bytes,
    label: str,
    *,
    start: int = 0,
    first_line: int = 1,
    limit: int = MAX_JSON_DEPTH,
) -> None:
    """Raise when the JSON document in ``data[start:]`` nests deeper than `limit`.

    Brackets inside strings do not count. The cost is a few vectorised passes over the
    bytes, in chunks (under a fifth of the time ``json`` takes to parse them).

    Raises
    ------
    IngestError
        ``JSON nested deeper than 100 levels``, with the line where the limit is crossed.

    Examples
    --------
    >>> check_json_depth('{"a": [[1]], "b": "[[[[["}', "f.json", limit=3)
    >>> check_json_depth("[[[[1]]]]", "f.json", limit=3)
    Traceback (most recent call last):
    ...
    trustgraph.exceptions.IngestError: f.json:1: JSON nested deeper than 3 levels; ...
    """
    line = _excess_line(data, start, first_line, limit)
    if line is not None:
        raise _too_deep(label, line, limit)


def _excess_line(data: str | bytes, start: int, first_line: int, limit: int) -> int | None:
    text = data[start:]
    body = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    offset = _excess_offset(body, limit)
    if offset is None:
        return None
    return first_line + body.count(b"\n", 0, offset)


def _too_deep(label: str, line: int, limit: int) -> IngestError:
    return IngestError(
        f"JSON nested deeper than {limit} levels; no export is, so the file is damaged or hostile",
        path=label,
        line=line,
    )


def _parse(data: str | bytes, label: str, start: int, first_line: int, limit: int) -> Any:
    try:
        return _exportfiles.parse_json(data, label, start=start, first_line=first_line)
    except RecursionError:
        raise _too_deep(label, first_line, limit) from None
    except IngestError:
        raise
    except ValueError as exc:  # an integer of more than 4,300 digits (CPython's str limit)
        problem = (
            "JSON holds a number of more than 4,300 digits"
            if "digits" in str(exc)
            else f"unreadable JSON value: {exc}"
        )
        raise IngestError(problem, path=label) from None


def parse_json(
    data: bytes | str,
    label: str,
    *,
    start: int = 0,
    first_line: int = 1,
    limit: int = MAX_JSON_DEPTH,
) -> Any:
    """Parse a JSON document no deeper than `limit`; every failure is an IngestError.

    Parameters
    ----------
    data : bytes or str
        The whole file.
    label : str
        The file name used in messages.
    start : int
        Character offset where the JSON document begins (X archives prefix an assignment).
    first_line : int
        Line number of the character at `start`.
    limit : int
        Deepest nesting accepted (:data:`MAX_JSON_DEPTH`).

    Returns
    -------
    The document (integers stay Python ints, so 64-bit ids keep every digit).

    Raises
    ------
    IngestError
        Invalid or truncated JSON, bytes that are not UTF-8, a number too long to read, or
        nesting deeper than `limit` (whichever comes first in the file), with the line.

    Examples
    --------
    >>> parse_json(b'{"a": [1, 2]}', "f.json")
    {'a': [1, 2]}
    """
    excess = _excess_line(data, start, first_line, limit)
    if excess is None:
        return _parse(data, label, start, first_line, limit)
    # A syntax error before the excess (a file cut short inside a string, where brackets
    # of the text look like structure) is the real problem: report it instead.
    try:
        _exportfiles.parse_json(data, label, start=start, first_line=first_line)
    except IngestError as exc:
        if exc.line is not None and exc.line < excess:
            raise
    except (RecursionError, ValueError):
        pass
    raise _too_deep(label, excess, limit)
