"""Edge list files as typed column arrays: the file-to-arrays step of edge list reading.

:func:`read_edge_columns` tokenises a CSV/TSV/whitespace edge list (detecting delimiter and
header, skipping comments, decoding strictly) and returns :class:`EdgeColumns`: node ids,
weights, signs, timestamps and extra columns as numpy arrays, with the line number of every
row for error messages (computed on demand when the rows are consecutive lines). It is the
one place a faster engine (pyarrow) needs to replace;
:func:`~trustgraph.ingest.edgelist.read_edgelist` builds graphs from its output.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest.edgearrow import _arrow_attempt
from trustgraph.ingest.edgearrow import _exact_ints as _exact_ints  # re-exported
from trustgraph.ingest.edgearrow import _to_numpy as _to_numpy  # re-exported
from trustgraph.ingest.edgeplan import EdgeColumns, _finish, _plan
from trustgraph.ingest.edgetokens import (
    _DELIMITER_NAMES,
    COLUMN_ALIASES,
    _extra_column,
    _floats,
    _node_ids,
    _signs,
    _split,
    _timestamps,
)
from trustgraph.ingest.records import ReadReport

__all__ = ["COLUMN_ALIASES", "EdgeColumns", "read_edge_columns"]


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
