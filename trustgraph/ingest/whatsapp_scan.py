"""The messages of one WhatsApp chat, found a block of lines at a time.

A chat is read in blocks of about a megabyte of whole lines. Each block is decoded and
cleaned once (:func:`~trustgraph.ingest.whatsapp_layouts.clean_text`; the commonest
non-ASCII characters of headers, U+202F and the direction marks, are dealt with on the
bytes, so that a chat written in ASCII decodes as ASCII) and its headers are found by one
multi-line regex (:func:`~trustgraph.ingest.whatsapp_layouts.header_pattern`): the text
between two headers continues the first message. The first header decides whether
Android headers without the dash (``13.06.18 21.25.15: Bo: hi``) are read at all.

What each message is -- author, kind, length of text -- is decided by
:func:`~trustgraph.ingest.whatsapp_lines.classify`, as for
:func:`~trustgraph.ingest.whatsapp_lines.parse_lines`, which reads line by line.
"""

from __future__ import annotations

import os
import re
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from typing import BinaryIO

import numpy as np

from trustgraph.exceptions import IngestError
from trustgraph.ingest import textio
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.whatsapp_arrow import (
    ArrowRules,
    BlockRows,
    arrow_rules,
    read_block,
    release_arrow_memory,
)
from trustgraph.ingest.whatsapp_layouts import LAYOUT_NAMES, clean_text, header_pattern, is_loose
from trustgraph.ingest.whatsapp_lines import GROUP_HINT, KIND_CODE, KINDS, Line, classify

__all__ = ["KINDS", "ChatColumns", "chat_blocks", "iter_messages", "scan_blocks", "scan_columns"]

_BLOCK_BYTES = 1 << 20
_WORKERS = min(2, os.cpu_count() or 1)
#: Lines of a chat read by Python before the kernels take over (what their rules are made of).
_SAMPLE_LINES = 500
# Byte-level forms of what clean_text does to the characters WhatsApp writes in headers:
# replacing them in the bytes is cheap and leaves most chats pure ASCII once decoded.
_BYTE_FIXES = (
    (b"\xe2\x80\xaf", b" "),  # U+202F narrow no-break space, before AM/PM since 2023
    (b"\xc2\xa0", b" "),  # U+00A0 no-break space
    (b"\xe2\x80\x89", b" "),  # U+2009 thin space
    (b"\xe2\x80\x8e", b""),  # U+200E left-to-right mark
    (b"\xe2\x80\x8f", b""),  # U+200F right-to-left mark
)
_STRICT = header_pattern(loose=False)
_LOOSE = header_pattern(loose=True)
_GROUPS = ("ios", "date", "time", "pre", "post", "datet", "timet", "pret", "postt", "rest")


def _decode(block: bytes, fixed: bytes, label: str, first_line: int, encoding_name: str) -> str:
    try:
        return fixed.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # the original bytes, so that the error names the byte and column as they are
        block.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = block.rfind(b"\n", 0, exc.start) + 1
        raise IngestError(
            f"byte 0x{block[exc.start]:02x} at column {exc.start - line_start + 1} is not "
            f"valid {encoding_name}; re-save the file as UTF-8",
            path=label,
            line=first_line + block.count(b"\n", 0, exc.start),
        ) from None
    raise AssertionError("unreachable: only the fixes differ")  # pragma: no cover


def _whole_lines(
    handle: BinaryIO, label: str, limit: int, progress: Callable[[int], None] | None
) -> Iterator[tuple[int, bytes]]:
    """``(number of the first line, bytes)`` of blocks of whole lines, ended by ``\\n``
    (``\\r\\n`` and a lone ``\\r`` become ``\\n``); a line longer than `limit` is refused.
    ``progress(bytes_read)`` is called after each read."""
    pending, number, read = b"", 1, 0
    while True:
        chunk = handle.read(_BLOCK_BYTES)
        if progress is not None:
            read += len(chunk)
            progress(read)
        data = pending + chunk if pending else chunk
        tail = b""
        if chunk and data.endswith(b"\r"):
            data, tail = data[:-1], b"\r"  # may be the first half of "\r\n"
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if not chunk:
            if data:
                yield number, data
            return
        cut = data.rfind(b"\n") + 1
        block, pending = data[:cut], data[cut:] + tail
        if block:
            yield number, block
            number += block.count(b"\n")
        if len(pending) > limit:
            raise IngestError(
                f"line longer than {textio.describe_size(limit)}: not a line-oriented text "
                "file, or a damaged one (MAX_LINE_BYTES)",
                path=label,
                line=number,
            )


def chat_blocks(
    handle: BinaryIO,
    label: str,
    *,
    limit: int = textio.MAX_LINE_BYTES,
    utf8_name: str = "utf-8",
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, str]]:
    """``(number of the first line, text)`` of the cleaned blocks of whole lines of a chat;
    ``progress(bytes_read)``, when given, is called as each block (about a MiB) is read.

    Raises
    ------
    IngestError
        Bytes that are not UTF-8 (naming the line and column) or a line longer than
        `limit` bytes.
    """
    first = True
    for number, block in _whole_lines(handle, label, limit, progress):
        fixed = block
        if b"\xe2\x80" in fixed or b"\xc2\xa0" in fixed:
            for old, new in _BYTE_FIXES:
                if old in fixed:
                    fixed = fixed.replace(old, new)
        text = _decode(block, fixed, label, number, utf8_name)
        if first:
            text, first = text.removeprefix("\ufeff"), False
        yield number, clean_text(text)


def _layout(groups: tuple[str | None, ...]) -> tuple[str, str, str | None, str]:
    """``(date, time, marker, layout name)`` of a header's groups (ios, date-first four,
    time-first four)."""
    ios, date, time, pre, post, date_t, time_t, pre_t, post_t = groups[:9]
    time_first = date is None
    if time_first:
        date, time, pre, post = date_t, time_t, pre_t, post_t
    name = LAYOUT_NAMES[ios is not None, time_first, pre is not None, post is not None]
    return date, time, pre or post, name  # type: ignore[return-value]


def scan_blocks(blocks: Iterable[tuple[int, str]], report: ReadReport) -> list[Line]:
    """The messages and system lines of a chat, from its cleaned blocks of whole lines.

    Non-blank lines before the first header are skipped and counted in `report`.
    """
    return list(iter_messages(blocks, report))


def iter_messages(blocks: Iterable[tuple[int, str]], report: ReadReport) -> Iterator[Line]:
    """:func:`scan_blocks` one message at a time: a message is yielded once the next
    header (or the end) shows where its text ends, so no more than a block is held."""
    open_line: Line | None = None
    pattern = None
    open_end = 0  # where the open message's first line ends, counted over all blocks
    offset = 0  # where the block starts, counted over all blocks
    ends_with_newline = True
    for first_line, text in blocks:
        start = 0
        if pattern is None:
            found = _first_header(text, report)
            if found is None:
                offset += len(text)
                continue
            pattern = _LOOSE if is_loose(found) else _STRICT
            start = found.start()
        line, at = first_line + text.count("\n", 0, start), start
        for match in pattern.finditer(text, start):
            here = match.start()
            if open_line is not None:
                open_line.body_chars += offset + here - open_end - 1
                yield open_line
            line += text.count("\n", at, here)
            at = here
            groups = match.group(*_GROUPS)
            date, time, mark, layout = _layout(groups)
            author, chars, kind, group = classify(groups[9], groups[0] is not None)
            open_line = Line(line, date, time, mark, layout, author, chars, kind, group)
            open_end = offset + match.end()
        offset += len(text)
        ends_with_newline = text.endswith("\n")
    if open_line is not None:
        open_line.body_chars += offset - open_end - ends_with_newline
        yield open_line


@dataclass
class ChatColumns:
    """The messages of a chat as numbers: text fields interned, one array item each.

    ``dates``, ``clocks`` and ``authors`` number the distinct date texts, ``(time,
    marker)`` readings and header authors (None: a system line) in order of first
    appearance; ``date_of``, ``clock_of``, ``author_of``, ``chars`` and ``kind`` hold, per
    message, those numbers, the length of its text and its kind code (:data:`KINDS`).
    """

    dates: dict[str, int] = field(default_factory=dict)
    date_lines: list[int] = field(default_factory=list)  # the line each date is first on
    clocks: dict[tuple[str, str | None], int] = field(default_factory=dict)
    authors: dict[str | None, int] = field(default_factory=dict)
    layouts: dict[str, int] = field(default_factory=dict)  # messages per layout name
    date_of: array = field(default_factory=lambda: array("i"))
    clock_of: array = field(default_factory=lambda: array("i"))
    author_of: array = field(default_factory=lambda: array("i"))
    chars: array = field(default_factory=lambda: array("q"))
    kind: array = field(default_factory=lambda: array("b"))


def _first_header(text: str, report: ReadReport) -> re.Match[str] | None:
    """The first header of a block, counting the non-blank lines before it."""
    found = _LOOSE.search(text)
    before = text if found is None else text[: found.start()]
    skipped = sum(1 for line in before.split("\n") if line.strip())
    if skipped:
        report.skip("text before the first message header", skipped)
    return found


def scan_columns(
    blocks: Iterable[tuple[int, str]], report: ReadReport, *, engine: str = "auto"
) -> ChatColumns:
    """:func:`scan_blocks` into :class:`ChatColumns`: the same messages, about 20 bytes
    each instead of a record, and no per-message object on the way (the reader's path).

    With ``engine="auto"`` the blocks after the first go through Arrow's string kernels
    where they can (:mod:`~trustgraph.ingest.whatsapp_arrow`), with the same results;
    ``engine="python"`` reads every block with the regular expressions of :mod:`re`.
    """
    if engine not in ("auto", "python"):
        raise ValueError(f"engine must be 'auto' or 'python', not {engine!r}")
    scanner = _ColumnScanner(report, kernels=engine == "auto")
    pending: deque[tuple[int, str, Future]] = deque()
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        for first_line, text in _sampled(blocks, engine == "auto"):
            if scanner.rules is None:
                scanner.feed(first_line, text)
                continue
            # Arrow's kernels release the GIL: the next blocks are read while one is merged.
            pending.append((first_line, text, pool.submit(read_block, text, scanner.rules)))
            if len(pending) > _WORKERS:
                first, block, rows = pending.popleft()
                scanner.feed(first, block, rows.result())
        while pending:
            first, block, rows = pending.popleft()
            scanner.feed(first, block, rows.result())
    if scanner.rules is not None:
        release_arrow_memory()  # Arrow's allocator keeps freed blocks for reuse otherwise
    return scanner.finish()


def _sampled(blocks: Iterable[tuple[int, str]], cut: bool) -> Iterator[tuple[int, str]]:
    """`blocks`, the first cut after :data:`_SAMPLE_LINES` lines when `cut`: the regular
    expressions of :mod:`re` read the sample, from which the kernels' rules are made,
    and the kernels the rest."""
    iterator = iter(blocks)
    first = next(iterator, None)
    if first is None:
        return
    first_line, text = first
    at = -1
    for _ in range(_SAMPLE_LINES if cut else 0):
        at = text.find("\n", at + 1)
        if at < 0:
            break
    if 0 <= at < len(text) - 1:
        yield first_line, text[: at + 1]
        yield first_line + _SAMPLE_LINES, text[at + 1 :]
    else:
        yield first_line, text
    yield from iterator


class _ColumnScanner:
    """The state of :func:`scan_columns` between blocks."""

    def __init__(self, report: ReadReport, kernels: bool) -> None:
        self.out, self.report = ChatColumns(), report
        self.pattern: re.Pattern[str] | None = None
        self.pick: Callable | None = None
        self.rules: ArrowRules | None = None
        self.undecided = kernels  # whether the kernels' rules are still to be made
        self.open_end = self.offset = 0  # as in iter_messages
        self.ends_with_newline = True

    def feed(self, first_line: int, text: str, rows: BlockRows | None = None) -> None:
        """Add a block's messages; `rows` is what :func:`read_block` made of it, if
        anything (None: the regular expressions of :mod:`re` read it)."""
        if rows is None or not len(rows.line):
            self._scan(first_line, text)
            if self.undecided and self.pattern is _STRICT:
                self.undecided = False  # from the first block with a header
                self.rules = _rules_of(self.out, text)
            return
        out = self.out
        out.chars[-1] += self.offset + rows.carried - self.open_end - 1
        _extend(
            out.dates,
            out.date_of,
            rows.date,
            lambda i: first_line + int(rows.line[i]),
            out.date_lines,
        )
        for codes_values, table, column in (
            (rows.clock, out.clocks, out.clock_of),
            (rows.author, out.authors, out.author_of),
        ):
            _extend(table, column, codes_values)
        codes, names = rows.layout
        for name, count in zip(names, np.bincount(codes, minlength=len(names))):
            out.layouts[name] = out.layouts.get(name, 0) + int(count)
        out.chars.frombytes(rows.chars.astype(np.int64).tobytes())
        out.kind.frombytes(rows.kind.astype(np.int8).tobytes())
        self.ends_with_newline = text.endswith("\n")
        self.offset += len(text)
        self.open_end = self.offset - self.ends_with_newline

    def finish(self) -> ChatColumns:
        if self.out.chars:
            self.out.chars[-1] += self.offset - self.open_end - self.ends_with_newline
        return self.out

    def _scan(self, first_line: int, text: str) -> None:
        """One block through the regular expressions of :mod:`re`, a match at a time."""
        out = self.out
        dates, clocks, authors, layouts = out.dates, out.clocks, out.authors, out.layouts
        date_of, clock_of, author_of, chars, kind = (
            out.date_of,
            out.clock_of,
            out.author_of,
            out.chars,
            out.kind,
        )
        pattern, pick, codes, names = self.pattern, self.pick, KIND_CODE, LAYOUT_NAMES
        open_end, offset = self.open_end, self.offset
        start = 0
        if pattern is None:
            found = _first_header(text, self.report)
            if found is None:
                self.offset += len(text)
                self.ends_with_newline = text.endswith("\n")
                return
            pattern = self.pattern = _LOOSE if is_loose(found) else _STRICT
            start = found.start()
            # groups() and one itemgetter: several times cheaper than group(*names)
            pick = self.pick = itemgetter(*(pattern.groupindex[name] - 1 for name in _GROUPS))
        line, at = first_line, 0  # lines are counted only up to a new date's first line
        for match in pattern.finditer(text, start):
            here = match.start()
            if chars:
                chars[-1] += offset + here - open_end - 1
            ios, date, time, pre, post, date_t, time_t, pre_t, post_t, rest = pick(match.groups())
            layout = names[
                ios is not None,
                date is None,
                (pre or pre_t) is not None,
                (post or post_t) is not None,
            ]
            if date is None:
                date, time, pre, post = date_t, time_t, pre_t, post_t
            layouts[layout] = layouts.get(layout, 0) + 1
            number = dates.get(date)
            if number is None:
                number = dates[date] = len(dates)
                line += text.count("\n", at, here)
                at = here
                out.date_lines.append(line)
            date_of.append(number)
            key = (time, pre or post)
            number = clocks.get(key)
            if number is None:
                number = clocks[key] = len(clocks)
            clock_of.append(number)
            author, length, what, group = classify(rest, ios is not None)
            number = authors.get(author)
            if number is None:
                number = authors[author] = len(authors)
            author_of.append(number)
            chars.append(length)
            kind.append(codes[what] + (GROUP_HINT if group else 0))
            open_end = offset + match.end()
        self.open_end, self.offset = open_end, offset + len(text)
        self.ends_with_newline = text.endswith("\n")


def _rules_of(out: ChatColumns, sample: str) -> ArrowRules | None:
    """The kernels' rules for a chat, from the layout, markers and text of its first
    block."""
    if not out.layouts:
        return None
    layout = max(out.layouts, key=out.layouts.__getitem__)
    marks = tuple(sorted({mark for _, mark in out.clocks if mark}))
    return arrow_rules(layout, marks, out.dates, sample)


def _extend(
    table: dict,
    column: array,
    codes_values: tuple[np.ndarray, list],
    first_line_of: Callable[[int], int] | None = None,
    lines: list[int] | None = None,
) -> None:
    """Append a block's codes to `column`, numbering its new values in `table`."""
    codes, values = codes_values
    numbers = np.empty(len(values), dtype=np.int32)
    firsts = None
    for index, value in enumerate(values):
        number = table.get(value)
        if number is None:
            number = table[value] = len(table)
            if first_line_of is not None:
                if firsts is None:
                    firsts = np.unique(codes, return_index=True)[1]
                lines.append(first_line_of(int(firsts[index])))
        numbers[index] = number
    column.frombytes(numbers[codes].astype(np.int32).tobytes())
