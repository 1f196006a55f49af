"""Generic hypothesis strategies for fuzzing the readers.

Building blocks only (no reader is imported here): hostile text and numbers, JSON
documents with wrong types at any level, CSV files with hostile cells and line ends,
byte-level mutation (the containers readers look through are in ``archives``).

A generated input is a :class:`Case`: files under a fresh folder plus the path(s) handed
to the reader, the ``me`` identifiers and reader options. Nothing here runs at import
time beyond building strategy objects.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "HOSTILE_NUMBERS",
    "HOSTILE_TEXT",
    "Case",
    "Deep",
    "csv_bytes",
    "dump_json",
    "encode_text",
    "hostile_json",
    "hostile_number",
    "hostile_text",
    "lines_bytes",
    "mutate_bytes",
    "mutate_json",
    "mutated_case",
    "random_bytes_case",
    "timestamp_text",
    "with_me",
    "with_options",
]


# ----------------------------------------------------------------------------- the case
@dataclass(frozen=True)
class Case:
    """Files to write (relative POSIX path -> bytes) and what to hand to the reader.

    ``entries`` are relative paths passed to the reader ("" is the folder itself);
    ``me`` the owner identifiers; ``options`` extra keyword arguments.
    """

    files: tuple[tuple[str, bytes], ...]
    entries: tuple[str, ...]
    me: tuple[str, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()
    folders: tuple[str, ...] = field(default=())

    def write(self, root: Path) -> list[Path]:
        """Write the files under `root` and return the reader's path(s)."""
        for folder in self.folders:
            (root / folder).mkdir(parents=True, exist_ok=True)
        for rel, data in self.files:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return [root / entry if entry else root for entry in self.entries]

    def replace_file(self, rel: str, data: bytes) -> Case:
        files = tuple((r, data if r == rel else d) for r, d in self.files)
        return Case(files, self.entries, self.me, self.options, self.folders)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))  # hypothesis prints dataclasses field by field otherwise

    def __repr__(self) -> str:  # what hypothesis prints as the falsifying example
        shown = ", ".join(f"{rel!r}: {_short(data)}" for rel, data in self.files)
        extra = f", me={self.me!r}" if self.me else ""
        extra += f", options={dict(self.options)!r}" if self.options else ""
        return f"Case(files={{{shown}}}, entries={self.entries!r}{extra})"


def _short(data: bytes, limit: int = 600) -> str:
    if len(data) <= limit:
        return repr(data)
    return f"{data[: limit // 2]!r} ...<{len(data)} bytes>... {data[-limit // 4 :]!r}"


# ----------------------------------------------------------------------------- hostile values
#: Text that has broken parsers: blanks, controls, direction marks, quotes, markup,
#: formula starts, mojibake, lone surrogates, lookalike digits, very long values.
HOSTILE_TEXT: tuple[str, ...] = (
    "",
    " ",
    "\t",
    "\x00",
    "\r",
    "\n",
    "\r\n",
    "\x0b\x0c",
    "\x1b]0;title\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u202f",
    "\u00a0",
    "\ufeff",
    "\ufffd",
    "\udcff",
    "\ud800",
    "~",
    "~\u202f",
    "\u200e~ ",
    ",",
    ";",
    ":",
    ": ",
    " - ",
    '"',
    '""',
    "'",
    "\\",
    "\\u0000",
    "#",
    "%",
    "[/b]",
    "[link=file:///etc/passwd]x[/link]",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "Ã©",
    "Ã",
    "\u00c3\u00a9",
    "\U0001f600",
    "\U0001d504da",
    "İ",
    "ß",
    "Ⅻ",
    "１２３",
    "١٢٣",
    "²",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "=?utf-8?Q?=C3=A9?=",
    "=?x-bogus?B?####?=",
    "a" * 300,
    "é" * 700,
)

#: Numbers as text: non-finite, huge, tiny, signed zero, exotic digits, out-of-range epochs
#: and calendar dates.
HOSTILE_NUMBERS: tuple[str, ...] = (
    "0",
    "-0",
    "-1",
    "1",
    "0.5",
    "NaN",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1e309",
    "1e308",
    "1e300",
    "1e-320",
    "5e-324",
    "1e30",
    "1e19",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "99999999999999999999",
    "9" * 400,
    "253402300800",
    "253402300799999",
    "-62135596801",
    "-62135596800",
    "1710407112.000100",
    "1710407112000",
    "1e300.5",
    "0x1F",
    "1_000",
    "1,5",
    "+",
    "-",
    ".",
    "e5",
    "１２",
    "٣",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "0000-00-00",
    "2024-02-30",
    "2024-13-01",
    "2024-03-14T24:00:00",
    "2024-03-14 09:05:12 UTC",
    "10000-01-01",
    "T",
    "Z",
)


@functools.cache  # built once: hypothesis validates each new strategy
def hostile_text(*, realistic: Sequence[str] = ()) -> st.SearchStrategy[str]:
    """Text cells: a realistic value, a hostile one, random text, or a pair joined."""
    pool = st.sampled_from(HOSTILE_TEXT)
    parts: list[st.SearchStrategy[str]] = []
    if realistic:
        parts.append(st.sampled_from(tuple(realistic)))
    parts += [pool, st.text(max_size=12), st.builds(lambda a, b: a + b, pool, pool)]
    if realistic:
        parts.append(st.builds(lambda a, b: a + b, st.sampled_from(tuple(realistic)), pool))
    return st.one_of(*parts)


@functools.cache  # built once: hypothesis validates each new strategy
def hostile_number() -> st.SearchStrategy[str]:
    """Numeric cells as text."""
    return st.one_of(
        st.sampled_from(HOSTILE_NUMBERS),
        st.integers().map(str),
        st.floats().map(repr),
        st.integers(-(10**30), 10**30).map(lambda n: f"{n}e{n % 700 - 350}"),
    )


#: Realistic epoch seconds (2000-2030) as ints.
EPOCHS = st.integers(946_684_800, 1_900_000_000)


@functools.cache  # built once: hypothesis validates each new strategy
def timestamp_text() -> st.SearchStrategy[str]:
    """Timestamps as text: realistic epochs and ISO dates, or hostile numbers."""
    return st.one_of(
        EPOCHS.map(str),
        EPOCHS.map(_iso),
        hostile_number(),
    )


def _iso(seconds: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_text(text: str, encoding: str = "utf-8") -> bytes:
    """`text` as bytes; lone surrogates become invalid UTF-8 (CESU) rather than an error."""
    if encoding == "utf-8":
        return text.encode("utf-8", errors="surrogatepass")
    return text.encode(encoding, errors="replace")


ENCODINGS = st.sampled_from(("utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"))


# ----------------------------------------------------------------------------- JSON
@dataclass(frozen=True)
class Deep:
    """A JSON value nested `depth` times, written verbatim (json.dumps would recurse)."""

    depth: int
    kind: str = "["

    def text(self) -> str:
        if self.kind == "[":
            return "[" * self.depth + "]" * self.depth
        return '{"a":' * self.depth + "1" + "}" * self.depth


_DEEP = st.builds(
    Deep, st.sampled_from((64, 99, 101, 900, 1001, 3000, 40_000)), st.sampled_from(("[", "{"))
)

_HOSTILE_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from((0, -1, 1, 2**31, 2**63, -(2**63) - 1, 2**64, 10**30, 10**400, 253402300800)),
    st.sampled_from((0.0, -0.0, 1e308, 1e-320, 1e30, float("nan"), float("inf"), -float("inf"))),
    st.integers(),
    st.floats(),
    hostile_text(),
    hostile_number(),
)


@functools.cache  # built once: hypothesis validates each new strategy
def hostile_json() -> st.SearchStrategy[Any]:
    """A JSON value of any type, wrong for whatever the reader expected there."""
    return st.one_of(
        _HOSTILE_SCALARS,
        st.lists(_HOSTILE_SCALARS, max_size=3),
        st.dictionaries(
            hostile_text(realistic=("id", "name", "text", "type")), _HOSTILE_SCALARS, max_size=3
        ),
        _DEEP,
    )


def _paths(doc: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _paths(value, (*prefix, index))


def _get(doc: Any, path: tuple) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def mutate_json(draw: st.DrawFn, doc: Any, max_mutations: int = 3) -> Any:
    """`doc` with up to `max_mutations` edits at any level: a value replaced by another
    type, a key deleted, a value wrapped in a list or an object, or deep nesting."""
    doc = json.loads(json.dumps(doc, default=_deep_default))  # a private copy
    for _ in range(draw(st.integers(0, max_mutations))):
        path = draw(st.sampled_from(list(_paths(doc))))
        op = draw(st.sampled_from(("replace", "replace", "replace", "delete", "wrap", "append")))
        value = _get(doc, path)
        if op == "append" and isinstance(value, list):
            value.append(draw(hostile_json()))
            continue
        if op == "append" and isinstance(value, dict):
            value[draw(hostile_text(realistic=("id", "type", "messages", "list")))] = draw(
                hostile_json()
            )
            continue
        if op == "wrap":
            new = draw(st.sampled_from(("list", "dict")))
            replacement: Any = [value] if new == "list" else {"value": value}
        else:
            replacement = draw(hostile_json())
        if not path:
            doc = replacement
            continue
        parent = _get(doc, path[:-1])
        if op == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = replacement
    return doc


def _deep_default(value: Any) -> Any:
    if isinstance(value, Deep):
        return {"__deep__": [value.depth, value.kind]}
    raise TypeError(type(value).__name__)


def _is_deep_marker(marker: Any) -> bool:
    return (
        isinstance(marker, list)
        and len(marker) == 2
        and type(marker[0]) is int
        and 0 < marker[0] <= 100_000
        and marker[1] in ("[", "{")
    )


@st.composite
def dump_json(draw: st.DrawFn, doc: Any) -> bytes:
    """Serialise `doc` (NaN and Infinity allowed, as Python writes them), with or without
    ASCII escapes (a lone surrogate then reaches the reader as ``\\udcff`` or as bytes)."""
    deep: list[Deep] = []

    def swap(value: Any) -> Any:
        if isinstance(value, Deep):
            deep.append(value)
            return f"\x00deep{len(deep) - 1}\x00"
        if isinstance(value, dict):
            marker = value.get("__deep__")
            if len(value) == 1 and _is_deep_marker(marker):
                return swap(Deep(*marker))
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    ascii_only = draw(st.booleans())
    text = json.dumps(swap(doc), ensure_ascii=ascii_only, indent=draw(st.sampled_from((None, 1))))
    for index, value in enumerate(deep):
        text = text.replace(json.dumps(f"\x00deep{index}\x00"), value.text(), 1)
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return encode_text(text)


@st.composite
def json_file(draw: st.DrawFn, documents: st.SearchStrategy[Any], max_mutations: int = 3) -> bytes:
    """A document drawn from `documents`, mutated, then serialised."""
    return draw(dump_json(draw(mutate_json(draw(documents), max_mutations))))


# ----------------------------------------------------------------------------- CSV and lines
LINE_ENDS = st.sampled_from(("\n", "\n", "\r\n", "\r", "mixed"))


@st.composite
def lines_bytes(draw: st.DrawFn, lines: Sequence[str], *, bom: bool = True) -> bytes:
    """Join `lines` with one line end (LF, CRLF, CR-only or a mix), maybe with a BOM, a
    missing final newline and a non-UTF-8 encoding."""
    end = draw(LINE_ENDS)
    if end == "mixed":
        ends = [draw(st.sampled_from(("\n", "\r\n", "\r"))) for _ in lines]
    else:
        ends = [end] * len(lines)
    if lines and draw(st.booleans()):
        ends[-1] = ""
    text = "".join(line + e for line, e in zip(lines, ends))
    encoding = draw(ENCODINGS) if bom else "utf-8"
    return encode_text(text, encoding)


def _quote(cell: str, delimiter: str, style: str) -> str:
    if style == "raw":
        return cell
    needs = (
        style == "all"
        or any(c in cell for c in (delimiter, '"', "\n", "\r"))
        or cell != (cell.strip())
    )
    if not needs:
        return cell
    if style == "broken":
        return '"' + cell  # an unbalanced quote
    return '"' + cell.replace('"', '""') + '"'


@st.composite
def csv_bytes(
    draw: st.DrawFn,
    columns: Sequence[tuple[str, st.SearchStrategy[str]]],
    *,
    delimiters: Sequence[str] = (",", ",", ";", "\t"),
    header: bool | None = None,
    preamble: Sequence[str] = (),
    max_rows: int = 6,
    extra_columns: bool = True,
) -> bytes:
    """A CSV file: a header from `columns` (names and the strategy of each column's cells),
    rows with hostile cells, ragged rows, quoting right, missing or broken, any line end."""
    picked = list(columns)
    if extra_columns and draw(st.booleans()):
        picked = draw(st.permutations(picked))
        picked = picked[: draw(st.integers(1, len(picked)))]
    if extra_columns and draw(st.integers(0, 3)) == 0:
        picked.append(
            (draw(hostile_text(realistic=("content", "notes", "extra"))), hostile_text())
        )
    delimiter = draw(st.sampled_from(tuple(delimiters)))
    style = draw(st.sampled_from(("minimal", "minimal", "minimal", "all", "raw", "broken")))
    lines: list[str] = list(preamble[: draw(st.integers(0, len(preamble)))])
    with_header = draw(st.booleans()) if header is None else header
    if with_header:
        lines.append(delimiter.join(_quote(name, delimiter, style) for name, _ in picked))
    for _ in range(draw(st.integers(0, max_rows))):
        cells = [draw(strategy) for _, strategy in picked]
        if cells and draw(st.integers(0, 24)) == 0:  # past the csv module's field limit
            cells[draw(st.integers(0, len(cells) - 1))] = "x" * 140_000
        shape = draw(st.integers(0, 9))
        if shape == 0:
            cells = cells[: draw(st.integers(0, len(cells)))]
        elif shape == 1:
            cells.append(draw(hostile_text()))
        elif shape == 2:
            lines.append(draw(st.sampled_from(("", " ", "#", "% comment", delimiter * 4))))
        lines.append(delimiter.join(_quote(c, delimiter, style) for c in cells))
    return draw(lines_bytes(lines))


# ----------------------------------------------------------------------------- bytes
@st.composite
def mutate_bytes(draw: st.DrawFn, data: bytes, max_edits: int = 4) -> bytes:
    """`data` with a few byte edits: flip, insert, delete, truncate, duplicate."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, max_edits))):
        op = draw(
            st.sampled_from(("flip", "insert", "delete", "truncate", "duplicate", "interesting"))
        )
        pos = draw(st.integers(0, len(buf)))
        if op == "flip" and pos < len(buf):
            buf[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            buf[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "interesting":
            buf[pos:pos] = draw(
                st.sampled_from(
                    (
                        b"\x00",
                        b"\xff",
                        b"\xc3",
                        b"\xed\xa0\x80",
                        b"\r",
                        b'"',
                        b"\\",
                        b"{",
                        b"[",
                        b"<",
                        b"&",
                        b"]]>",
                        b"\xef\xbb\xbf",
                        b"=",
                        b";",
                        b",",
                        b":",
                        b"\t",
                    )
                )
            )
        elif op == "delete":
            del buf[pos : pos + draw(st.integers(1, 16))]
        elif op == "truncate":
            del buf[pos:]
        elif op == "duplicate":
            end = min(len(buf), pos + draw(st.integers(1, 64)))
            buf[end:end] = buf[pos:end]
    return bytes(buf)


def random_bytes_case(
    rel: str, entry: str | None = None, *, base: Case | None = None, max_size: int = 2048
) -> st.SearchStrategy[Case]:
    """Random bytes written to `rel` (with the reader's usual name and extension).

    With `base`, the other files of `base` stay as they are, so the random file is read in
    its usual place (a Slack ``users.json`` beside valid day files, say).
    """

    def build(data: bytes) -> Case:
        if base is not None:
            files = (*((r, d) for r, d in base.files if r != rel), (rel, data))
            return Case(files, base.entries, base.me, base.options, base.folders)
        return Case(((rel, data),), (rel if entry is None else entry,))

    return st.one_of(
        st.binary(max_size=max_size),
        st.text(max_size=max_size // 4).map(encode_text),
    ).map(build)


@st.composite
def mutated_case(draw: st.DrawFn, cases: st.SearchStrategy[Case]) -> Case:
    """A structured case with byte edits in one of its files (truncated JSON, a broken
    UTF-8 sequence in a CSV cell, a cut XML tag...)."""
    case = draw(cases)
    if not case.files:
        return case
    rel, data = draw(st.sampled_from(case.files))
    return case.replace_file(rel, draw(mutate_bytes(data)))


def with_me(cases: st.SearchStrategy[Case], identities: Sequence[str]) -> st.SearchStrategy[Case]:
    """Give each case an owner drawn from realistic `identities` and hostile text."""
    me = st.lists(hostile_text(realistic=identities), max_size=2).map(tuple)

    def build(case: Case, owner: tuple[str, ...]) -> Case:
        return Case(case.files, case.entries, owner, case.options, case.folders)

    return st.builds(build, cases, me)


def with_options(
    cases: st.SearchStrategy[Case], **choices: st.SearchStrategy[Any]
) -> st.SearchStrategy[Case]:
    """Give each case reader options drawn from `choices` (None values are left out)."""
    options = st.fixed_dictionaries(choices)

    def build(case: Case, drawn: dict[str, Any]) -> Case:
        kept = tuple((k, v) for k, v in drawn.items() if v is not None)
        return Case(case.files, case.entries, case.me, case.options + kept, case.folders)

    return st.builds(build, cases, options)
