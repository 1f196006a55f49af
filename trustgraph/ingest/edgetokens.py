"""Edge list cells: splitting lines, guessing the delimiter and header, and typing columns.

Each function turns the tokens of one column into a numpy array (node ids, weights, signs,
timestamps, extra values) or raises :class:`~trustgraph.exceptions.IngestError` naming the
file and line of the first bad token.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np

from trustgraph.exceptions import IngestError
from trustgraph.ingest.escape import unescape_csv_text
from trustgraph.ingest.textio import csv_problem
from trustgraph.ingest.timeparse import EARLIEST, LATEST, DateOutOfRange, utc_from_iso

__all__ = ["COLUMN_ALIASES"]

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


#: Column names of a table of people (an address book or spreadsheet), never of an edge list.
_PERSON_COLUMNS = frozenset(
    {"first name", "last name", "middle name", "given name", "family name", "surname", "name"}
    | {"full name", "display name", "nickname", "company", "position", "title", "job title"}
    | {"organization", "department", "notes", "birthday"}
)


def _names_people(first: list[str]) -> bool:
    """Whether a first line is the header of a table of people (``First Name,Last Name``),
    whose rows a header-less edge list would read as ties between a first and a last name.

    Examples
    --------
    >>> _names_people(["First Name", "Last_Name"]), _names_people(["alice", "bob"])
    (True, False)
    """
    keys = [" ".join(cell.replace("_", " ").split()).lower() for cell in first]
    return len(keys) >= 2 and all(key in _PERSON_COLUMNS for key in keys)


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
