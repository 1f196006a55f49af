"""The messages of a block of WhatsApp chat lines, read with Arrow's string kernels.

The line scanner (:func:`~trustgraph.ingest.whatsapp_scan.scan_columns`) spends a few
microseconds of Python per message. Here each step runs once over all the lines of a block
(about a MiB), in Arrow's compiled kernels and their regular-expression engine, RE2: which
lines start a message, the date, time and marker of each header, the author, the length of
the body. The results are the line scanner's, item for item, because only what the kernels
settle exactly is taken from them:

- which lines are headers: RE2 runs the line scanner's own header pattern
  (:func:`~trustgraph.ingest.whatsapp_layouts.arrow_patterns`), in blocks whose digits are
  all ASCII (RE2's ``\\d`` is ASCII, Python's is any decimal digit);
- a header is read by the kernels only when it has the chat's family, order and markers and
  an author before ``": "``, and its line holds no marker word of any language
  (:data:`~trustgraph.ingest.whatsapp_lines.MARKER_WORDS`) and no character whose case
  folding is more than one character (RE2 folds case one character at a time, Python's
  ``casefold`` does not).

Every other header -- a system line, a media or deleted message, another layout -- goes
through :func:`~trustgraph.ingest.whatsapp_lines.classify` one line at a time, as in the line
scanner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trustgraph.ingest.whatsapp_layouts import (
    LAYOUT_NAMES,
    arrow_patterns,
    header_parts,
    header_pattern,
)
from trustgraph.ingest.whatsapp_lines import (
    GROUP_HINT,
    KIND_CODE,
    MARKER_WORDS,
    classify,
    is_system_author,
)

__all__ = [
    "ArrowRules",
    "BlockRows",
    "arrow_rules",
    "has_other_digits",
    "read_block",
    "release_arrow_memory",
]

_STRICT = header_pattern(loose=False)
#: Layout code: 8 * iOS + 4 * time first + 2 * marker before + marker after.
_LAYOUT_BY_CODE = {8 * a + 4 * b + 2 * c + d: name for (a, b, c, d), name in LAYOUT_NAMES.items()}
_LAYOUT_CODE = {name: code for code, name in _LAYOUT_BY_CODE.items()}
# Python's white space and multi-character case foldings are all in the Basic Multilingual
# Plane (a test checks this against every code point).
_BMP = [chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000]
_SPACE = "".join(c for c in _BMP if c.isspace())
_OTHER_DIGIT_RE = re.compile(r"[^\D0-9]")


def _code_point(char: str) -> str:
    return f"\\x{{{ord(char):x}}}"


_ASCII_MARKERS = "(?i:" + "|".join(re.escape(w) for w in MARKER_WORDS if w.isascii()) + ")"
# For non-ASCII bodies: the ASCII words were already looked for in every body.
_UNSETTLED = (
    "(?i:"
    + "|".join(re.escape(word) for word in MARKER_WORDS if not word.isascii())
    + ")|["
    + "".join(_code_point(c) for c in _BMP if len(c.casefold()) > 1)
    + "]"
)


@dataclass(frozen=True)
class ArrowRules:
    """The RE2 patterns of one chat: any strict header, and the rows the kernels read."""

    any_header: str
    row: str
    ios: bool
    time_first: bool


def arrow_rules(
    layout: str, marks: tuple[str, ...], dates: Iterable[str] = (), sample: str = ""
) -> ArrowRules | None:
    """The rules for a chat whose commonest layout is `layout` (a :data:`LAYOUT_NAMES`
    value) with the markers `marks`, the dates `dates` and the first lines `sample`;
    None for a layout the kernels do not read."""
    key = next((k for k, name in LAYOUT_NAMES.items() if name == layout), None)
    if key is None or key[2]:  # a marker before the time: left to the line scanner
        return None
    ios, time_first = key[0], key[1]
    any_header, row = arrow_patterns(ios, time_first, marks, dates, sample)
    return ArrowRules(any_header, row, ios, time_first)


def has_other_digits(text: str) -> bool:
    """Whether `text` holds a decimal digit other than 0-9 (then RE2 cannot stand in for
    Python's ``\\d``)."""
    return not text.isascii() and _OTHER_DIGIT_RE.search(text) is not None


@dataclass
class BlockRows:
    """The messages that start in one block, one array item each.

    Each text field is ``(codes, values)``: ``values[codes[i]]`` is message ``i``'s, and
    values come in order of first appearance. ``carried`` is the characters of the lines
    before the block's first header, which continue the message before the block.
    """

    line: np.ndarray
    date: tuple[np.ndarray, list]
    clock: tuple[np.ndarray, list]
    author: tuple[np.ndarray, list]
    layout: tuple[np.ndarray, list]
    chars: np.ndarray
    kind: np.ndarray
    carried: int


def _lines(text: str) -> pa.LargeStringArray:
    """The lines of `text`, each with its ``\\n`` (one added at the end if missing)."""
    data = text.encode("utf-8")
    if not data.endswith(b"\n"):
        data += b"\n"
    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + 1
    offsets = np.concatenate(([0], ends)).astype(np.int64)
    return pa.LargeStringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(data))


def _encode(values: pa.Array) -> tuple[np.ndarray, list]:
    encoded = pc.dictionary_encode(values, null_encoding="encode")
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()


def _merged_codes(fast: pa.Array, slow: np.ndarray, values: list) -> tuple[np.ndarray, list]:
    """``(codes, values)`` of `fast` with its rows `slow` replaced by `values`, numbered
    in order of first appearance."""
    codes, table = _encode(fast)
    if len(slow):
        number = {value: code for code, value in enumerate(table)}
        for value in values:
            if value not in number:
                number[value] = len(table)
                table.append(value)
        codes = codes.astype(np.int64)
        codes[slow] = [number[value] for value in values]
    renumbered, first = _first_order(codes)
    return renumbered, [table[codes[i]] for i in first]


def _first_order(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`codes` renumbered 0, 1, ... in order of first appearance, and the position of
    each new number's first appearance."""
    if not len(codes):
        return codes, codes
    first = np.full(int(codes.max()) + 1, len(codes))
    np.minimum.at(first, codes, np.arange(len(codes)))
    present = np.flatnonzero(first < len(codes))
    order = present[np.argsort(first[present])]
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], first[order]


def _length(values: pa.Array) -> np.ndarray:
    return pc.utf8_length(values).to_numpy(zero_copy_only=False).astype(np.int64)


def _split_once(values: pa.Array, separator: str) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """``(before, after, found)``: `values` cut at the first `separator`; where it is not
    found, ``after`` repeats the value."""
    parts = pc.split_pattern(values, separator, max_splits=1)
    offsets = parts.offsets.to_numpy()
    found = np.diff(offsets) == 2
    starts = offsets[:-1]
    pieces = parts.values
    return pieces.take(pa.array(starts)), pieces.take(pa.array(starts + found)), found


def _fast_rows(
    heads: pa.Array, rules: ArrowRules
) -> tuple[pa.StructArray, pa.Array, np.ndarray, np.ndarray]:
    """The kernels' reading of the header lines: ``(date and time groups, authors,
    characters of text, which rows it settles)``."""
    when, rest, settled = _split_once(heads, "] " if rules.ios else " - ")
    author, body, found = _split_once(rest, ": ")
    settled &= found
    rows = pc.extract_regex(when, rules.row)
    settled &= ~rows.is_null().to_numpy(zero_copy_only=False)
    settled &= ~_matches(body, _ASCII_MARKERS)
    other = np.flatnonzero(~pc.string_is_ascii(body).to_numpy(zero_copy_only=False))
    if len(other):  # a non-ASCII marker cannot match an ASCII body, even ignoring case
        settled[other] &= ~_matches(body.take(pa.array(other)), _UNSETTLED)
    codes, names = _encode(author)
    not_person = np.array([n is not None and is_system_author(n) for n in names] + [False])
    settled &= ~not_person[codes]
    chars = _length(pc.utf8_trim(body, characters=_SPACE))
    return rows, author, chars, settled


def _matches(values: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)


def _line_rows(heads: pa.Array, where: np.ndarray) -> list[tuple] | None:
    """The line scanner's reading of the header lines at `where`; None when one of them
    is not a header for Python (the kernels and Python disagree: the caller falls back)."""
    out = []
    for line in heads.take(pa.array(where)).to_pylist():
        match = _STRICT.match(line[:-1])
        if match is None:
            return None
        date, time, mark, layout = header_parts(match)
        author, chars, kind, group = classify(match["rest"], line[:1] == "[")
        code = KIND_CODE[kind] + (GROUP_HINT if group else 0)
        out.append((date, time, mark, _LAYOUT_CODE[layout], author, chars, code))
    return out


def read_block(text: str, rules: ArrowRules) -> BlockRows | None:
    """The messages that start in the cleaned block of whole lines `text`; None when the
    block has to go through the line scanner.

    Examples
    --------
    >>> rules = arrow_rules("android 12-hour", ("PM",))
    >>> rows = read_block(
    ...     "more of the last message\\n"
    ...     "3/14/24, 9:05 PM - Ada: hi there\\n"
    ...     "second line\\n"
    ...     "3/14/24, 9:06 PM - Bo: <Media omitted>\\n",
    ...     rules,
    ... )
    >>> rows.carried, rows.line.tolist(), rows.author[1], rows.clock[1]
    (25, [1, 3], ['Ada', 'Bo'], [('9:05', 'PM'), ('9:06', 'PM')])
    >>> rows.chars.tolist(), rows.kind.tolist()  # "hi there" + "\\nsecond line"; media
    ([20, 0], [0, 1])
    """
    if has_other_digits(text):
        return None
    lines = _lines(text)
    is_head = pc.match_substring_regex(lines, rules.any_header).to_numpy(zero_copy_only=False)
    where = np.flatnonzero(is_head)
    widths = np.where(is_head, 0, _length(lines))  # a continuation line and its "\n"
    total = np.concatenate(([0], np.cumsum(widths)))
    carried = int(total[where[0]] if len(where) else total[-1])
    following = total[np.append(where[1:], len(lines))] - total[where + 1]
    heads = lines.take(pa.array(where))
    rows, fast_author, body, settled = _fast_rows(heads, rules)
    slow = np.flatnonzero(~settled)
    by_line = _line_rows(heads, slow)
    if by_line is None:
        return None
    date, time, mark, layout, author, chars, kind = (
        [list(column) for column in zip(*by_line)] if by_line else [[]] * 7
    )
    pre, post = rows.field("pre"), rows.field("post")
    fast_mark = pc.if_else(pc.not_equal(pre, ""), pre, post)
    time_codes, times = _merged_codes(rows.field("time"), slow, time)
    mark_codes, marks = _merged_codes(fast_mark, slow, [m or "" for m in mark])
    marks = [m or None for m in marks]
    clock, first = _first_order(time_codes.astype(np.int64) * len(marks) + mark_codes)
    clocks = [(times[time_codes[i]], marks[mark_codes[i]]) for i in first]
    fast_layout = (
        8 * rules.ios + 4 * rules.time_first + 2 * (_length(pre) > 0) + (_length(post) > 0)
    )
    fast_layout[slow] = layout
    layouts, first = _first_order(fast_layout)
    body[slow] = chars
    kinds = np.zeros(len(where), dtype=np.int8)
    kinds[slow] = kind
    return BlockRows(
        line=where,
        date=_merged_codes(rows.field("date"), slow, date),
        clock=(clock, clocks),
        author=_merged_codes(fast_author, slow, author),
        layout=(layouts, [_LAYOUT_BY_CODE[int(fast_layout[i])] for i in first]),
        chars=body + following,
        kind=kinds,
        carried=carried,
    )


def release_arrow_memory() -> None:
    """Give the memory Arrow's allocator keeps for reuse back to the system (the blocks
    are read; what follows the reader is numpy's)."""
    pa.default_memory_pool().release_unused()
