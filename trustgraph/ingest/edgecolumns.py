"""Edge list files as typed column arrays: the file-to-arrays step of edge list reading.

:func:`read_edge_columns` tokenises a CSV/TSV/whitespace edge list (detecting delimiter and
header, skipping comments, decoding strictly) and returns :class:`EdgeColumns`: node ids,
weights, signs, timestamps and extra columns as numpy arrays, with the line number of every
row for error messages (computed on demand when the rows are consecutive lines). It is the
one place a faster engine (pyarrow) needs to replace;
:func:`~trustgraph.ingest.edgelist.read_edgelist` builds graphs from its output.
"""

from __future__ import annotations

import copy
import csv
import itertools
import os
import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from trustgraph.core.compact import in_parallel
from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest import textio
from trustgraph.ingest.escape import unescape_csv_text
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.textio import csv_problem, read_text_lines
from trustgraph.ingest.timeparse import EARLIEST, LATEST, DateOutOfRange, utc_from_iso

__all__ = ["COLUMN_ALIASES", "EdgeColumns", "read_edge_columns"]

#: Header names (compared case-insensitively) recognised for each column role.
COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "source": ("source", "src", "from", "source_id", "sourceid", "node1", "sender", "u"),
    "target": (
        "target",
        "dst",
        "to",
        "destination",
        "target_id",
        "targetid",
        "node2",
        "recipient",
        "receiver",
        "v",
    ),
    "weight": ("weight", "w", "value", "trust", "trust_value", "rating", "level"),
    "timestamp": ("timestamp", "time", "ts", "date", "unixts", "datetime"),
    "sign": ("sign",),
    "type": ("type",),
}
_ROLE_OF = {alias: role for role, names in COLUMN_ALIASES.items() for alias in names}
# Names that make a first line a header when they open it (Gephi tables start with Id).
_HEADER_OPENERS = {*_ROLE_OF, "id"}
_ROLES = ("source", "target", "weight", "timestamp", "sign")
_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", None: "whitespace"}
_KONECT_HEADER = re.compile(r"^%\s*(sym|asym|bip)\b", re.IGNORECASE)
_DIRECTION_COMMENT = re.compile(r"^#\s*(undirected|directed)\b", re.IGNORECASE)
_SAMPLE_LINES = 50


class EdgeColumns:
    """An edge list file as typed column arrays, one entry per data row.

    Attributes
    ----------
    path : str
    sources, targets : numpy.ndarray
        Node ids: ``int64`` when every id is an integer, otherwise strings (or objects when
        a custom `nodetype` was applied).
    lines : numpy.ndarray
        1-based line number of every row, for error messages. When the rows are
        consecutive lines (the pyarrow path) it is not stored: it is computed from
        `first_line` on each access, so a large file costs no line-number array.
    first_line : int
        Line number of the first row.
    weights : numpy.ndarray or None
        ``float64`` weights; ``None`` when the file has no weight column.
    signs : numpy.ndarray or None
        ``int8`` -1/+1 from a ``sign`` column; ``None`` without one.
    timestamps : numpy.ndarray or None
        Epoch seconds (``float64``); ``None`` without a timestamp column.
    edge_types : numpy.ndarray or None
        Gephi ``Type`` column lower-cased (``directed``/``undirected``/``mixed``).
    extra : dict of str to numpy.ndarray
        Other columns by header name: numbers when every non-empty cell is one (``NaN`` for
        empty cells), otherwise strings.
    header : tuple of str or None
        The header line's names, if the file has one.
    delimiter : str or None
        The delimiter used (``None`` = runs of whitespace).
    directed_hint : bool or None
        What the file says about direction (a KONECT ``% sym``/``% asym`` line, a
        ``# undirected`` comment, or a Gephi ``Type`` column); ``None`` when silent.

    Examples
    --------
    >>> import numpy as np
    >>> cols = EdgeColumns("e.csv", np.array([1, 2]), np.array([2, 3]), first_line=5)
    >>> cols.lines.tolist(), cols.line_of(1), len(cols)
    ([5, 6], 6, 2)
    """

    def __init__(
        self,
        path: str,
        sources: np.ndarray,
        targets: np.ndarray,
        lines: np.ndarray | None = None,
        weights: np.ndarray | None = None,
        signs: np.ndarray | None = None,
        timestamps: np.ndarray | None = None,
        edge_types: np.ndarray | None = None,
        extra: dict[str, np.ndarray] | None = None,
        header: tuple[str, ...] | None = None,
        delimiter: str | None = None,
        directed_hint: bool | None = None,
        *,
        first_line: int | None = None,
    ) -> None:
        self.path = path
        self.sources = sources
        self.targets = targets
        self._lines = None if lines is None else np.asarray(lines, dtype=np.int64)
        if first_line is None:
            first_line = int(self._lines[0]) if self._lines is not None and self._lines.size else 1
        self.first_line = first_line
        self.weights = weights
        self.signs = signs
        self.timestamps = timestamps
        self.edge_types = edge_types
        self.extra = {} if extra is None else extra
        self.header = header
        self.delimiter = delimiter
        self.directed_hint = directed_hint

    @property
    def lines(self) -> np.ndarray:
        """1-based line number of every row (computed when the rows are consecutive)."""
        if self._lines is not None:
            return self._lines
        return np.arange(self.first_line, self.first_line + len(self), dtype=np.int64)

    def line_of(self, row: int) -> int:
        """The line number of row `row` (0-based), without building :attr:`lines`."""
        if self._lines is not None:
            return int(self._lines[row])
        return self.first_line + int(row)

    def __len__(self) -> int:
        return int(self.sources.size)

    def __repr__(self) -> str:
        kind = self.sources.dtype
        return f"<EdgeColumns {self.path!r}: {len(self)} rows, ids {kind}>"


# ---------------------------------------------------------------------------- tokenising
def _split(
    line: str, delimiter: str | None, path: str | None = None, number: int | None = None
) -> list[str]:
    """The cells of `line`; `path` and `number` locate a CSV error in its message."""
    if delimiter is None:
        return line.split()
    if '"' in line:
        # Quoted cells may hold the delimiter ("Sample, PMP"); let csv unquote them.
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except csv.Error as exc:
            raise IngestError(csv_problem(exc), path=path, line=number) from None
        return [cell.strip() for cell in cells]
    return [cell.strip() for cell in line.split(delimiter)]


def _guess_delimiter(
    first_line: str, path: str | None = None, number: int | None = None
) -> str | None:
    """Tab, comma or semicolon when the first data (or header) line splits on it.

    Only the first line decides: a later row that does not split the same way is then
    reported as a wrong delimiter instead of being silently re-guessed.
    """
    for candidate in ("\t", ",", ";"):
        if candidate in first_line and len(_split(first_line, candidate, path, number)) >= 2:
            return candidate
    return None


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _is_int(token: str) -> bool:
    try:
        int(token)
    except ValueError:
        return False
    return True


def _looks_like_header(first: list[str], following: list[list[str]]) -> bool:
    """Decide whether the first data line names the columns.

    A header opens with two known column names, or holds a non-number in a column that is
    numeric in the following lines (``alice bob weight`` over ``alice bob 2``), or has
    non-integer ids over integer ids.
    """
    if len(first) >= 2 and all(t.lower() in _HEADER_OPENERS for t in first[:2]):
        return True
    if not following:
        return False
    for position in range(2, len(first)):
        if not _is_number(first[position]) and all(
            position < len(row) and _is_number(row[position]) for row in following
        ):
            return True
    return not any(_is_int(t) for t in first[:2]) and all(
        len(row) >= 2 and _is_int(row[0]) and _is_int(row[1]) for row in following
    )


# ---------------------------------------------------------------------------- typing
def _first_bad(tokens: Sequence[str], test: Callable[[str], bool]) -> int:
    for i, token in enumerate(tokens):
        if not test(token):
            return i
    return 0


def _floats(tokens: list[str], lines: np.ndarray, what: str, path: str) -> np.ndarray:
    try:
        values = np.array(tokens, dtype=np.str_).astype(np.float64)
    except (ValueError, OverflowError):
        i = _first_bad(tokens, _is_number)
        shown = tokens[i] if tokens[i] else "an empty cell"
        raise IngestError(
            f"{what} {shown!r} is not a number", path=path, line=int(lines[i])
        ) from None
    finite = np.isfinite(values)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise IngestError(
            f"{what} {tokens[i]!r} is not a finite number", path=path, line=int(lines[i])
        )
    return values


def _parse_when(token: str) -> float:
    """Epoch seconds from a number or an ISO 8601 date; naive dates are taken as UTC."""
    try:
        return float(token)
    except ValueError:
        pass
    return utc_from_iso(token).timestamp()


#: Epoch seconds of the first and last instant readers accept (years 1 to 9999).
_EPOCH_RANGE = (EARLIEST.timestamp(), LATEST.timestamp())


def _out_of_range(token: str, path: str, line: int) -> IngestError:
    return IngestError(
        f"timestamp {token!r} is out of range (years 1 to 9999; epoch timestamps must be "
        "in seconds, not milliseconds or nanoseconds)",
        path=path,
        line=line,
    )


def _timestamps(tokens: list[str], lines: np.ndarray, path: str) -> np.ndarray:
    try:
        values = np.array(tokens, dtype=np.str_).astype(np.float64)
    except (ValueError, OverflowError):
        parsed: dict[str, float] = {}
        values = np.empty(len(tokens), dtype=np.float64)
        for i, token in enumerate(tokens):
            if token not in parsed:
                try:
                    parsed[token] = _parse_when(token)
                except (DateOutOfRange, OverflowError):  # a date outside years 1-9999
                    raise _out_of_range(token, path, int(lines[i])) from None
                except ValueError:
                    raise IngestError(
                        f"timestamp {token!r} is neither epoch seconds nor an ISO 8601 date",
                        path=path,
                        line=int(lines[i]),
                    ) from None
            values[i] = parsed[token]
    finite = np.isfinite(values)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise IngestError(
            f"timestamp {tokens[i]!r} is not a finite number", path=path, line=int(lines[i])
        )
    low, high = _EPOCH_RANGE
    outside = (values < low) | (values > high)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise _out_of_range(tokens[i], path, int(lines[i]))
    return values


def _signs(tokens: list[str], lines: np.ndarray, path: str) -> np.ndarray:
    mapped = ["1" if t == "+" else "-1" if t == "-" else t for t in tokens]
    values = _floats(mapped, lines, "sign", path)
    bad = (values != 1) & (values != -1) & (values != 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise IngestError(f"sign {tokens[i]!r} must be -1, 0 or +1", path=path, line=int(lines[i]))
    return values.astype(np.int8)


def _node_ids(
    tokens: list[str],
    lines: np.ndarray,
    nodetype: Callable[[str], Hashable] | None,
    path: str,
) -> np.ndarray:
    if not all(tokens):
        i = tokens.index("")
        raise IngestError("empty node id", path=path, line=int(lines[i]))
    tokens = _unescaped(tokens)
    text = np.array(tokens, dtype=np.str_)
    if nodetype is None or nodetype is int:
        try:
            ints = text.astype(np.int64)
        except (ValueError, OverflowError):
            ints = None
        # "007" and "7" are different identifiers: only exact integer spellings become ints.
        if ints is not None and (nodetype is int or bool(np.all(ints.astype(np.str_) == text))):
            return ints
        if nodetype is int:
            i = _first_bad(tokens, _is_int)
            raise IngestError(
                f"node id {tokens[i]!r} is not an integer (nodetype=int)",
                path=path,
                line=int(lines[i]),
            )
        return text
    if nodetype is str:
        return text
    converted: dict[str, Hashable] = {}
    out = np.empty(len(tokens), dtype=object)
    for i, token in enumerate(tokens):
        if token not in converted:
            try:
                converted[token] = nodetype(token)
            except (TypeError, ValueError) as exc:
                raise IngestError(
                    f"node id {token!r} rejected by nodetype: {exc}",
                    path=path,
                    line=int(lines[i]),
                ) from None
        out[i] = converted[token]
    return out


def _unescaped(tokens: list[str]) -> list[str]:
    """Undo the spreadsheet-safe quote our writers put before ``= + - @`` (OWASP rule)."""
    return [unescape_csv_text(t) if t[:1] == "'" else t for t in tokens]


def _extra_column(tokens: list[str]) -> np.ndarray:
    tokens = _unescaped(tokens)
    filled = [t for t in tokens if t != ""]
    if filled and len(filled) == len(tokens) and {t.lower() for t in filled} <= {"true", "false"}:
        return np.array([t.lower() == "true" for t in tokens], dtype=bool)
    if filled and all(_is_number(t) for t in filled):
        values = np.array([t if t != "" else "nan" for t in tokens], dtype=np.str_).astype(
            np.float64
        )
        if np.isfinite(values).all() and np.all(values == np.round(values)):
            return values.astype(np.int64)
        return values
    return np.array(tokens, dtype=np.str_)


# ---------------------------------------------------------------------------- columns
def _assign_roles(
    names: list[str],
    columns: Mapping[str, str | int] | None,
    path: str,
    header_line: int | None,
) -> tuple[dict[str, int], dict[str, int]]:
    """Map each role to a column index; other columns become extra attributes by name."""
    roles: dict[str, int] = {}
    if columns is not None:
        unknown_roles = sorted(set(columns) - set(_ROLES))
        if unknown_roles:
            raise IngestError(
                f"columns= has unknown roles {unknown_roles}; use {list(_ROLES)}", path=path
            )
        lowered = [n.lower() for n in names]
        missing = []
        for role, wanted in columns.items():
            if isinstance(wanted, int) and not isinstance(wanted, bool):
                if not 0 <= wanted < len(names):
                    missing.append(str(wanted))
                else:
                    roles[role] = wanted
            elif str(wanted).lower() in lowered:
                roles[role] = lowered.index(str(wanted).lower())
            else:
                missing.append(repr(wanted))
        if missing:
            raise IngestError(
                f"columns= names {', '.join(missing)} not found; the file's columns are {names}",
                path=path,
                line=header_line,
            )
    for index, name in enumerate(names):
        role = _ROLE_OF.get(name.lower())
        if role is not None and role not in roles and index not in roles.values():
            roles[role] = index
    absent = [r for r in ("source", "target") if r not in roles]
    if absent:
        raise IngestError(
            f"missing required column(s) {', '.join(absent)}: the header has {names}; "
            "name the columns 'source' and 'target' in the header (in Python, columns= "
            "maps other names)",
            path=path,
            line=header_line,
        )
    used = set(roles.values())
    if "type" in roles:
        used.add(roles["type"])
    extra = {names[i]: i for i in range(len(names)) if i not in used}
    return roles, extra


def _positional_names(width: int) -> list[str]:
    """Names of header-less columns: SNAP/KONECT order source, target, weight, timestamp."""
    base = ["source", "target", "weight", "timestamp"]
    return base[:width] + [f"column_{i + 1}" for i in range(len(base), width)]


class _LineScanner:
    """Iterate ``(line number, text)`` over data lines, counting what is skipped.

    The first comment line, when it precedes every data line, may state the direction:
    KONECT's ``% sym`` / ``% asym`` / ``% bip`` or a ``# undirected`` / ``# directed`` line
    (written by :func:`~trustgraph.ingest.writers.write_graph`).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        encoding: str,
        prefixes: tuple[str, ...],
        report: ReadReport,
    ) -> None:
        self.path, self.encoding, self.prefixes, self.report = path, encoding, prefixes, report
        self.directed_hint: bool | None = None

    def __iter__(self) -> Iterator[tuple[int, str]]:
        report, prefixes = self.report, self.prefixes
        first_comment, seen_data = True, False
        lines = read_text_lines(
            self.path, encoding=self.encoding, max_line_bytes=textio.MAX_LINE_BYTES
        )
        for number, text in lines:
            stripped = text.strip()
            if not stripped:
                report.skip("blank line")
                continue
            if prefixes and stripped.startswith(prefixes):
                report.skip("comment line")
                if first_comment and not seen_data:
                    self._read_hint(stripped)
                first_comment = False
                continue
            first_comment, seen_data = False, True
            yield number, text

    def _read_hint(self, comment: str) -> None:
        konect = _KONECT_HEADER.match(comment)
        if konect:
            kind = konect.group(1).lower()
            self.directed_hint = kind == "asym"
            self.report.notes.append(f"KONECT header {comment!r}")
            self.report.variant = "konect"
            if kind == "bip":
                self.report.notes.append(
                    "bipartite KONECT file: left and right ids share one namespace"
                )
            return
        hint = _DIRECTION_COMMENT.match(comment)
        if hint:
            self.directed_hint = hint.group(1).lower() == "directed"


@dataclass
class _Plan:
    """What the sample of the first lines decided: delimiter, header, columns and roles."""

    scan: _LineScanner
    lines_iter: Iterator[tuple[int, str]]
    buffer: list[tuple[int, str]]
    delimiter: str | None
    header_names: tuple[str, ...] | None
    header_line: int | None
    width: int
    names: list[str]
    roles: dict[str, int]
    extra: dict[str, int]


def _plan(
    path: str | os.PathLike[str],
    delimiter: str | None,
    header: bool | None,
    columns: Sequence[str] | Mapping[str, str | int] | None,
    comments: Sequence[str],
    encoding: str,
    report: ReadReport,
) -> _Plan:
    name = str(path)
    if delimiter is not None and not delimiter.strip():
        delimiter = None  # " " means runs of whitespace, as in SNAP files
    scan = _LineScanner(path, encoding, tuple(comments), report)
    lines_iter = iter(scan)
    # Only a sample is buffered to decide delimiter and header; the rest streams.
    buffer = list(itertools.islice(lines_iter, _SAMPLE_LINES + 1))
    if not buffer:
        raise IngestError("no edges: the file is empty or holds only comments", path=name)
    if delimiter is None:
        delimiter = _guess_delimiter(buffer[0][1], name, buffer[0][0])
    rows_sample = [_split(text, delimiter, name, number) for number, text in buffer]
    if header is None:
        header = _looks_like_header(rows_sample[0], rows_sample[1:])
    header_names: tuple[str, ...] | None = None
    header_line: int | None = None
    if header:
        header_names = tuple(rows_sample[0])
        header_line = buffer[0][0]
        buffer = buffer[1:]
        report.skip("header line")
        if not buffer:
            raise IngestError(
                "no edges: the file holds only a header line", path=name, line=header_line
            )
    width = len(header_names) if header_names else len(_split(buffer[0][1], delimiter))
    if width < 2:
        raise IngestError(
            "found one column; an edge list needs a source and a target column "
            f"(delimiter {_DELIMITER_NAMES.get(delimiter, repr(delimiter))})",
            path=name,
            line=header_line or buffer[0][0],
        )

    if isinstance(columns, Mapping):
        names = list(header_names) if header_names else _positional_names(width)
        if header_names is None:
            named = [k for k, v in columns.items() if not isinstance(v, int)]
            if named:
                raise IngestError(
                    f"columns= names {named} cannot be matched: the file has no header; "
                    "give 0-based column numbers instead",
                    path=name,
                )
        roles, extra = _assign_roles(names, columns, name, header_line)
    else:
        if columns is not None:
            names = [str(c) for c in columns]
            if len(names) != width:
                raise IngestError(
                    f"columns= gives {len(names)} names but the file has {width} columns",
                    path=name,
                    line=header_line or buffer[0][0],
                )
        else:
            names = list(header_names) if header_names else _positional_names(width)
        roles, extra = _assign_roles(names, None, name, header_line)

    return _Plan(
        scan, lines_iter, buffer, delimiter, header_names, header_line, width, names, roles, extra
    )


def read_edge_columns(
    path: str | os.PathLike[str],
    *,
    delimiter: str | None = None,
    header: bool | None = None,
    columns: Sequence[str] | Mapping[str, str | int] | None = None,
    comments: Sequence[str] = ("#", "%"),
    nodetype: Callable[[str], Hashable] | None = None,
    encoding: str = "utf-8",
    report: ReadReport | None = None,
    engine: str = "auto",
) -> EdgeColumns:
    """Turn an edge list file into typed column arrays (the step a fast engine replaces).

    Parameters are those of :func:`read_edgelist` with the same names and meaning, plus

    engine : {"auto", "pyarrow", "python"}, default "auto"
        ``"auto"`` tokenises with pyarrow's multi-threaded CSV reader (the ``[io]`` extra)
        when it is installed and the file is one it reads exactly as the plain reader
        does, and with the plain Python reader otherwise; ``"pyarrow"`` insists on
        pyarrow when installed (still falling back for files it cannot read);
        ``"python"`` always uses the plain reader. Both give the same arrays, and bad
        input gets the plain reader's message (the fast path hands such files over).

    Notes
    -----
    The pyarrow path takes files with a single-character delimiter (comma, tab,
    semicolon), UTF-8 text, and only source, target and weight columns. Comment and blank
    lines are fine before the first row; a comment, blank line, empty cell, cell with
    surrounding spaces, or row of another width further down hands the file to the plain
    reader, as do whitespace-separated files, timestamp, sign or extra columns and a
    custom `nodetype`. Files ending in ``.gz`` (or starting with the gzip magic) are
    decompressed by pyarrow.

    When the sampled first rows have integer ids spelled canonically (``7``, ``-3``; not
    ``007``, ``+7`` or ``-0``), an uncompressed file with ``\n`` line breaks is read with
    ``int64`` id columns straight away. pyarrow's integer parsing is laxer than the plain
    reader (it takes ``007`` as 7), so the result is kept only when the file's size equals
    the summed lengths of the canonical spellings, the weights' text, the delimiters and
    the line breaks: every odd spelling is longer than the canonical one, so any of them
    (or a quoted or padded cell) breaks the equality and the file is read again with
    string ids. The line numbers of such rows (consecutive lines) are not stored:
    :attr:`EdgeColumns.lines` computes them from the first row's line when asked.

    Returns
    -------
    EdgeColumns

    Raises
    ------
    IngestError
        Empty or header-only file, rows whose column count differs from the first row,
        unknown or missing columns, non-numeric or non-finite weights, unparseable or
        out-of-range timestamps, bad signs, undecodable bytes, a line longer than
        :data:`~trustgraph.ingest.textio.MAX_LINE_BYTES` or a CSV field over the field size
        limit. The message names the file and line.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "trust.csv"
    >>> _ = p.write_text("source,target,weight\\nann,bob,2\\nbob,cy,0.5\\n")
    >>> cols = read_edge_columns(p)
    >>> cols.sources.tolist(), cols.weights.tolist(), cols.lines.tolist()
    (['ann', 'bob'], [2.0, 0.5], [2, 3])
    """
    name = str(path)
    if report is None:
        report = ReadReport(path=name, format="edgelist")
    if engine not in ("auto", "pyarrow", "python"):
        raise ParameterError(f"engine must be 'auto', 'pyarrow' or 'python', got {engine!r}")
    if engine != "python":
        fast = _arrow_attempt(
            path, delimiter, header, columns, comments, nodetype, encoding, report, engine
        )
        if fast is not None:
            return fast
    plan = _plan(path, delimiter, header, columns, comments, encoding, report)
    scan, lines_iter, buffer = plan.scan, plan.lines_iter, plan.buffer
    delimiter, header_names, header_line = plan.delimiter, plan.header_names, plan.header_line
    width, names, roles, extra = plan.width, plan.names, plan.roles, plan.extra
    cells: list[list[str]] = [[] for _ in range(width)]
    raw_lines: list[int] = []
    for number, text in itertools.chain(buffer, lines_iter):
        tokens = _split(text, delimiter, name, number)
        if len(tokens) != width:
            where = f"the header (line {header_line})" if header_line else "the first row"
            raise IngestError(
                f"found {len(tokens)} columns but {where} has {width} "
                f"(delimiter: {_DELIMITER_NAMES.get(delimiter, repr(delimiter))}); "
                "wrong delimiter or a broken row?",
                path=name,
                line=number,
            )
        for column, token in zip(cells, tokens):
            column.append(token)
        raw_lines.append(number)
    lines = np.asarray(raw_lines, dtype=np.int64)

    result = EdgeColumns(
        path=name,
        sources=_node_ids(cells[roles["source"]], lines, nodetype, name),
        targets=_node_ids(cells[roles["target"]], lines, nodetype, name),
        lines=lines,
        header=header_names,
        delimiter=delimiter,
        directed_hint=scan.directed_hint,
    )
    if result.sources.dtype != result.targets.dtype:
        # One side all integers, the other not: ids are strings throughout.
        result.sources = np.array(cells[roles["source"]], dtype=np.str_)
        result.targets = np.array(cells[roles["target"]], dtype=np.str_)
    if "weight" in roles:
        result.weights = _floats(cells[roles["weight"]], lines, "weight", name)
    if "sign" in roles:
        result.signs = _signs(cells[roles["sign"]], lines, name)
    if "timestamp" in roles:
        result.timestamps = _timestamps(cells[roles["timestamp"]], lines, name)
    type_index = roles.get("type")
    if type_index is not None:
        kinds = np.char.lower(np.array(cells[type_index], dtype=np.str_))
        if set(np.unique(kinds).tolist()) <= {"directed", "undirected", "mixed"}:
            result.edge_types = kinds
            if result.directed_hint is None:
                result.directed_hint = not bool(np.all(kinds == "undirected"))
        else:
            extra[names[type_index]] = type_index  # not Gephi's Type: an ordinary column
    for column_name, index in extra.items():
        values = _extra_column(cells[index])
        if column_name in ("first_seen", "last_seen") and values.dtype.kind in "iu":
            values = values.astype(np.float64)
        result.extra[column_name] = values

    return _finish(result, report)


def _finish(result: EdgeColumns, report: ReadReport) -> EdgeColumns:
    """Record format, variant and row count of a read in `report`."""
    report.path = result.path
    report.format = "edgelist"
    variant = [f"delimiter={_DELIMITER_NAMES.get(result.delimiter, repr(result.delimiter))}"]
    variant.append("header" if result.header else "no header")
    if result.timestamps is not None:
        variant.append("temporal")
    if report.variant == "konect":
        variant.insert(0, "konect")
    report.variant = ", ".join(variant)
    report.records["rows"] += len(result)
    if result.header:
        report.notes.append(f"header columns: {', '.join(result.header)}")
    return result


# ---------------------------------------------------------------------------- pyarrow
def _arrow_attempt(
    path: str | os.PathLike[str],
    delimiter: str | None,
    header: bool | None,
    columns: Sequence[str] | Mapping[str, str | int] | None,
    comments: Sequence[str],
    nodetype: Callable[[str], Hashable] | None,
    encoding: str,
    report: ReadReport,
    engine: str,
) -> EdgeColumns | None:
    """Read with pyarrow when the file qualifies; ``None`` hands it to the plain reader.

    A scratch copy of `report` collects what the sample scan skipped; it replaces
    `report`'s content only on success, so a hand-over never counts a line twice.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        if engine == "pyarrow":
            raise ParameterError(
                "engine='pyarrow' needs pyarrow (pip install trustgraph[io])"
            ) from None
        return None
    if encoding.lower().replace("_", "-") not in ("utf-8", "utf8") or nodetype not in (
        None,
        int,
        str,
    ):
        return None
    scratch = copy.deepcopy(report)
    try:
        plan = _plan(path, delimiter, header, columns, comments, encoding, scratch)
    except IngestError:
        return None  # the plain reader raises it again, with the real report
    try:
        result = _arrow_columns(path, plan, tuple(comments), nodetype)
    finally:
        close = getattr(plan.lines_iter, "close", None)
        if close is not None:
            close()
    if result is None:
        return None
    result.directed_hint = plan.scan.directed_hint
    report.__dict__.update(scratch.__dict__)
    return _finish(result, report)


def _arrow_columns(
    path: str | os.PathLike[str],
    plan: _Plan,
    comments: tuple[str, ...],
    nodetype: Callable[[str], Hashable] | None,
) -> EdgeColumns | None:
    import pyarrow as pa

    if plan.delimiter is None or set(plan.roles) - {"source", "target", "weight"}:
        return None
    if plan.extra or len(plan.delimiter) != 1:
        return None
    first = plan.buffer[0][0]
    numbers = [number for number, _ in plan.buffer]
    if numbers != list(range(first, first + len(numbers))):
        return None  # a comment or blank line between the first rows
    if plan.buffer[0][1].startswith("\ufeff") or (
        plan.header_line is not None and plan.header_line != first - 1
    ):
        return None
    names = [f"c{i}" for i in range(plan.width)]
    id_names = (names[plan.roles["source"]], names[plan.roles["target"]])
    weight_name = names[plan.roles["weight"]] if "weight" in plan.roles else None
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if nodetype is not str and not gzipped:
        typed = _arrow_typed_ids(path, plan, names, id_names, weight_name)
        if typed is not None:
            return typed
    # Imported only here: 6 MB of resident memory the int64 path does without.
    import pyarrow.compute as pc

    types = dict.fromkeys(id_names, pa.string())
    if weight_name is not None:
        types[weight_name] = pa.float64()
    table = _arrow_table(path, plan, names, types, gzipped)
    if table is None or table.num_rows == 0:
        return None
    ids = []
    for id_name in id_names:
        column = table.column(id_name).combine_chunks()
        ints = _exact_ints(column) if nodetype is not str else None
        if ints is None:
            if nodetype is int:
                return None  # the plain reader reports the first non-integer id
            if pc.any(pc.equal(pc.utf8_length(column), 0)).as_py():
                return None
            pattern = "^(" + "|".join(map(re.escape, comments)) + ")|^\\s|\\s$"
            if comments and pc.any(pc.match_substring_regex(column, pattern)).as_py():
                return None  # a comment line further down, or cells with spaces
            if not comments and pc.any(pc.match_substring_regex(column, r"^\s|\s$")).as_py():
                return None
        ids.append((column, ints))
    weights = None
    if weight_name is not None:
        column = table.column(weight_name)
        if column.null_count:
            return None
        weights = column.to_numpy()
        if not np.isfinite(weights).all():
            return None
    if all(ints is not None for _, ints in ids):
        sources, targets = (ints for _, ints in ids)
    else:
        # One side all integers, the other not: ids are strings throughout.
        sources, targets = (_arrow_strings(column) for column, _ in ids)
    return EdgeColumns(
        path=str(path),
        sources=sources,
        targets=targets,
        weights=weights,
        header=plan.header_names,
        delimiter=plan.delimiter,
        first_line=first,
    )


def _arrow_table(
    path: str | os.PathLike[str],
    plan: _Plan,
    names: list[str],
    types: dict[str, Any],
    gzipped: bool,
) -> Any:
    """The data rows as a pyarrow table of the `types` columns; ``None`` when pyarrow fails."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        stream = pa.input_stream(str(path), compression="gzip" if gzipped else None)
        return pcsv.read_csv(
            stream,
            read_options=pcsv.ReadOptions(skip_rows=plan.buffer[0][0] - 1, column_names=names),
            parse_options=pcsv.ParseOptions(
                delimiter=plan.delimiter, ignore_empty_lines=False, newlines_in_values=False
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=types,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                include_columns=list(types),
            ),
        )
    except (pa.ArrowException, OSError, EOFError):
        return None  # bad rows, undecodable bytes...: the plain reader names the line


_CANONICAL_INT = re.compile(r"-?[1-9][0-9]*|0")


def _arrow_typed_ids(
    path: str | os.PathLike[str],
    plan: _Plan,
    names: list[str],
    id_names: tuple[str, str],
    weight_name: str | None,
    as_text: bool = False,
) -> EdgeColumns | None:
    """Read integer ids straight as ``int64``; ``None`` unless every spelling is canonical.

    pyarrow's integer conversion also takes ``007``, ``-0``, ``0x7`` and cells with spaces,
    which the plain reader keeps as strings. Each of those is longer than the canonical
    spelling of its value (``str(int(cell))``), and every cell, delimiter and line break
    takes at least its canonical length in the file. So when the data bytes of the file
    add up to exactly the canonical lengths of the ids, plus the weights' text (read as
    strings: their exact lengths come from the offsets), one delimiter between cells and
    one ``\\n`` per line, every id is canonical and no cell is quoted or padded: a count of
    digits per id replaces a string column, a cast and a spelling check per id column.
    Any difference hands the file to the string path. Uncompressed files with ``\\n`` line
    breaks only, chosen when the sampled first rows all have canonical integer ids.
    """
    import pyarrow as pa

    source, target = plan.roles["source"], plan.roles["target"]
    weight = plan.roles.get("weight")
    canonical = _CANONICAL_INT.fullmatch
    integral_weights = weight is not None and not as_text
    for _, text in plan.buffer:
        cells = _split(text, plan.delimiter)
        if len(cells) != plan.width or not (canonical(cells[source]) and canonical(cells[target])):
            return None
        integral_weights = integral_weights and bool(canonical(cells[weight]))
    start = _data_offset(path, plan.buffer[0][0] - 1)
    if start is None:
        return None
    types = dict.fromkeys(id_names, pa.int64())
    if weight_name is not None:
        # Integer weights (message counts) are parsed by the reader's threads and their
        # spelled length counted like the ids'; other weights are read as text, whose
        # length is known exactly, and cast afterwards.
        types[weight_name] = pa.float64() if integral_weights else pa.string()
    table = _arrow_table(path, plan, names, types, gzipped=False)
    if table is None or table.num_rows == 0:
        return None
    m = table.num_rows
    id_columns = [table.column(id_name) for id_name in id_names]
    if any(column.null_count for column in id_columns):
        return None  # empty cells
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(size - 1)
        ends_with_newline = handle.read(1) == b"\n"
    # The delimiters and one line break per row (none after the last row without one).
    expected = plan.width * m - (0 if ends_with_newline else 1)

    weight_column = None if weight_name is None else table.column(weight_name)
    del table
    if integral_weights and weight_column.null_count:
        return None  # empty or "nan" cells: the plain reader names the line
    # pyarrow's chunks become numpy arrays on two threads: the copies release the GIL and
    # their page faults overlap. The checks stay on this thread: temporaries freed on a
    # worker stay resident in glibc's per-thread arenas (measured +1.5 bytes per edge).
    columns = [*id_columns, weight_column] if integral_weights else id_columns
    arrays = in_parallel([partial(_to_numpy, column) for column in columns], size=m)
    del id_columns, columns
    sources, targets = arrays[0], arrays[1]
    if _beyond_hex_safety(sources) or _beyond_hex_safety(targets):
        return None
    expected += _spelled_length(sources)
    if expected > size - start:
        return None
    expected += _spelled_length(targets)
    weights = None
    if integral_weights:
        weights = _integral_weights(arrays[2])
        if weights is None:
            # Fractional weights past the sample: read them as text instead.
            del weight_column, sources, targets, arrays
            return _arrow_typed_ids(path, plan, names, id_names, weight_name, as_text=True)
        expected += _spelled_length(weights)
    elif weight_column is not None:
        expected += sum(_text_bytes(chunk) for chunk in weight_column.chunks)
    del arrays
    if expected != size - start:
        return None
    if weight_column is not None and weights is None:
        import pyarrow.compute as pc

        try:
            weights = pc.cast(weight_column, pa.float64()).to_numpy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        if not np.isfinite(weights).all():
            return None
    del weight_column
    return EdgeColumns(
        path=str(path),
        sources=sources,
        targets=targets,
        weights=weights,
        header=plan.header_names,
        delimiter=plan.delimiter,
        first_line=plan.buffer[0][0],
    )


def _to_numpy(column: Any) -> np.ndarray:
    """A chunked pyarrow column as one numpy array, joined by numpy (whose allocation
    goes back to the system when freed, unlike what pyarrow's pool keeps)."""
    chunks = column.chunks
    if len(chunks) == 1:
        return chunks[0].to_numpy()
    if not chunks:
        return column.to_numpy()
    return np.concatenate([chunk.to_numpy() for chunk in chunks])


def _integral_weights(weights: np.ndarray) -> np.ndarray | None:
    """`weights` (``float64``) when each is a whole number whose canonical spelling is
    the shortest text that parses to it, else ``None``.

    That holds for whole numbers below 2**53 in magnitude (each one a double of its own)
    that are not a non-zero multiple of 1000: a shorter text would need an exponent
    (``"1e3"`` for 1000), and an exponent only saves characters over three or more
    trailing zeros. Fractions, NaN and infinities give ``None`` too.
    """
    if weights.size == 0:
        return weights
    low, high = float(weights.min()), float(weights.max())  # NaN and inf show up here
    if not (low > -(2.0**53) and high < 2.0**53) or not np.array_equal(np.trunc(weights), weights):
        return None
    if max(high, -low) >= 1000:
        thousands = np.fmod(weights, 1000.0) == 0
        if bool(np.any(thousands & (weights != 0))):
            return None
    return weights


def _data_offset(path: str | os.PathLike[str], skipped_lines: int) -> int | None:
    """Byte offset of line ``skipped_lines + 1``; ``None`` when a carriage return shows up
    before it or in it (pyarrow counts a lone ``\\r`` as a line break, and ``\\r\\n`` line
    breaks would spoil the byte count of :func:`_arrow_typed_ids`)."""
    remaining = skipped_lines
    offset = 0
    with open(path, "rb") as handle:
        while True:
            block = handle.read(1 << 16)
            if not block:
                return None
            position = 0
            while remaining:
                found = block.find(b"\n", position)
                if found < 0:
                    break
                position, remaining = found + 1, remaining - 1
            if b"\r" in block[: position if remaining == 0 else len(block)]:
                return None
            if remaining == 0:
                end = block.find(b"\n", position)
                if b"\r" in block[position : end if end >= 0 else len(block)]:
                    return None
                return offset + position
            offset += len(block)


def _text_bytes(chunk: Any) -> int:
    """UTF-8 bytes held by a pyarrow string array (from its offsets, no pass over the data)."""
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)
    return int(offsets[chunk.offset + len(chunk)] - offsets[chunk.offset])


#: pyarrow also parses hexadecimal ids (``0xe8d4a51000``); from 13 decimal digits on, a
#: hexadecimal spelling can be *shorter* than the decimal one and so could hide a longer
#: odd spelling elsewhere from the byte count. Ids this large take the string path.
_HEX_SAFE_LIMIT = 10**12


def _beyond_hex_safety(ids: np.ndarray) -> bool:
    """Whether any id has 13 or more decimal digits (see :data:`_HEX_SAFE_LIMIT`)."""
    return bool(ids.size) and (
        int(ids.max()) >= _HEX_SAFE_LIMIT or int(ids.min()) <= -_HEX_SAFE_LIMIT
    )


def _spelled_length(values: np.ndarray) -> int:
    """Characters of ``str(int(v))`` summed over `values` (integers, or whole numbers
    as floats): digits plus minus signs.

    Non-negative values below four times their count are tallied in one ``bincount``
    pass; others take one comparison pass per decimal digit of the extreme values (no
    absolute values, so the smallest int64 is counted right too).
    """
    if values.size == 0:
        return 0
    low, high = int(values.min()), int(values.max())
    if values.dtype.kind in "iu" and low >= 0 and high < 4 * values.size:
        tally = np.cumsum(np.bincount(values)[::-1])[::-1]  # tally[k]: values >= k
        total, power = int(tally[0]), 10
        while power <= high:
            total += int(tally[power])
            power *= 10
        return total
    total = values.size
    power = 10
    while power <= high:
        total += int(np.count_nonzero(values >= power))
        power *= 10
    if low < 0:
        total += int(np.count_nonzero(values < 0))
        power = 10
        while -power >= low:
            total += int(np.count_nonzero(values <= -power))
            power *= 10
    return total


def _exact_ints(column: Any) -> np.ndarray | None:
    """``int64`` ids when every cell is an exact integer spelling ("7", "-3"), else None.

    "007", "+7" and "-0" are distinct identifiers to the plain reader, so they stay text.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        ints = pc.cast(column, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    odd_spelling = _odd_int_spellings(column)
    if odd_spelling is not None:
        return None if odd_spelling else ints.to_numpy()
    leading_zero = pc.and_(pc.starts_with(column, "0"), pc.greater(pc.utf8_length(column), 1))
    odd = pc.or_(leading_zero, pc.or_(pc.starts_with(column, "+"), pc.starts_with(column, "-0")))
    if pc.any(odd).as_py():
        return None
    return ints.to_numpy()


def _odd_int_spellings(column: Any) -> bool | None:
    """Whether some cell is spelled "0…", "+…" or "-0…" (read from the raw buffers).

    One numpy pass over the first bytes of the cells replaces several pyarrow compute
    passes over the whole strings. Called only after the cells cast to int64, so every
    cell is non-empty. ``None`` when the column is not a plain (non-large) string array.
    """
    import pyarrow as pa

    if column.type != pa.string() or column.null_count or len(column) == 0:
        return None  # cells cast to int64 are non-empty, so every first byte exists
    _, offsets_buffer, data_buffer = column.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)
    offsets = offsets[column.offset : column.offset + len(column) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    starts = offsets[:-1]
    first = data[starts]
    if bool(np.any(first == ord("+"))):
        return True
    # Lengths only where the first byte is "0" (rare), not a full diff of the offsets.
    zeros = np.flatnonzero(first == ord("0"))
    if bool(np.any(offsets[zeros + 1] - offsets[zeros] > 1)):
        return True
    negative = np.flatnonzero(first == ord("-"))
    return bool(negative.size) and bool(np.any(data[starts[negative] + 1] == ord("0")))


def _arrow_strings(column: Any) -> np.ndarray:
    """A numpy string array; distinct labels are converted once, rows index them."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column)
    labels = np.asarray(_unescaped(encoded.dictionary.to_pylist()), dtype=np.str_)
    return labels[encoded.indices.to_numpy()]
