"""The pyarrow engine of edge list reading: the same columns as the plain reader, faster.

:func:`_arrow_attempt` reads a file with pyarrow when it qualifies (UTF-8, a one-character
delimiter, only source, target and weight columns) and returns None to hand anything else
to the plain reader, so both engines give identical results.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np

from trustgraph.core.compact import in_parallel
from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest.edgeplan import EdgeColumns, _finish, _Plan, _plan
from trustgraph.ingest.edgetokens import _split, _unescaped
from trustgraph.ingest.records import ReadReport

__all__ = []


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
