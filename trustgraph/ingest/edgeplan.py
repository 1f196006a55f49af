"""Edge list layout: the :class:`EdgeColumns` result, column roles and the sample scan.

:func:`_plan` reads the first lines of a file (comments, KONECT and direction headers,
delimiter, header row) and decides which column is which; both the plain reader and the
pyarrow reader start from its plan.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from trustgraph.exceptions import IngestError
from trustgraph.ingest import textio
from trustgraph.ingest.edgetokens import (
    _DELIMITER_NAMES,
    _DIRECTION_COMMENT,
    _KONECT_HEADER,
    _ROLE_OF,
    _ROLES,
    _SAMPLE_LINES,
    _guess_delimiter,
    _looks_like_header,
    _names_people,
    _split,
)
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.textio import read_text_lines

__all__ = ["EdgeColumns"]


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
    if header is None and _names_people(rows_sample[0]):
        raise IngestError(
            f"a table of people ({', '.join(rows_sample[0])}), not an edge list: no e-mail, "
            "phone or profile URL identifies anyone in it",
            path=name,
            line=buffer[0][0],
        )
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
