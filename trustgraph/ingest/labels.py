"""Node label files: one ``node label`` pair per line (communities, departments, circles)."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Sequence

from trustgraph.exceptions import IngestError
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.textio import read_text_lines

__all__ = ["read_node_labels"]

_ID_HEADERS = {"id", "node", "node_id", "nodeid", "user", "user_id", "vertex", "name"}


def _is_int(token: str) -> bool:
    try:
        int(token)
    except ValueError:
        return False
    return str(int(token)) == token


def _split(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        for candidate in ("\t", ",", ";"):
            if candidate in line:
                delimiter = candidate
                break
    if delimiter is None:
        return line.split(maxsplit=1)
    return [cell.strip() for cell in line.split(delimiter, 1)]


def read_node_labels(
    path: str | os.PathLike[str],
    *,
    delimiter: str | None = None,
    header: bool | None = None,
    comments: Sequence[str] = ("#", "%"),
    nodetype: Callable[[str], Hashable] | None = None,
    labeltype: Callable[[str], Hashable] | None = None,
    encoding: str = "utf-8",
    report: ReadReport | None = None,
) -> dict[Hashable, Hashable]:
    """Read ``node label`` lines into a mapping, e.g. email-Eu-core's departments.

    Parameters
    ----------
    path : str or path-like
        Text file (``.gz`` accepted). Lines are ``id<sep>label`` with a tab, comma,
        semicolon or whitespace separator; the label is everything after the first
        separator. CRLF endings, a BOM, blank lines and comment lines are tolerated.
    delimiter : str or None, default None
        ``None`` picks tab, comma or semicolon when the line holds one, else whitespace.
    header : bool or None, default None
        ``None`` treats the first line as a header when its first token is a known id
        column name (``id``, ``node``, ``user``, ...) or is not an integer while the next
        line's is.
    comments : sequence of str, default ("#", "%")
    nodetype, labeltype : callable, optional
        ``None`` gives ``int`` when every value is written as an integer, ``str``
        otherwise (the same rule as :func:`~trustgraph.ingest.edgelist.read_edgelist`, so
        ids match the graph's nodes).
    encoding : str, default "utf-8"
    report : ReadReport, optional
        Filled in place (``records["labels"]``, skipped lines, distinct labels).

    Returns
    -------
    dict
        Node id to label, in file order.

    Raises
    ------
    IngestError
        A node listed twice (naming both lines), a line without a label, an empty file.

    References
    ----------
    .. [1] H. Yin, A. R. Benson, J. Leskovec, D. F. Gleich, "Local Higher-order Graph
       Clustering", KDD 2017 (the email-Eu-core department labels).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "departments.txt"
    >>> _ = p.write_bytes(b"0 1\\r\\n1 1\\r\\n2 21\\r\\n")
    >>> read_node_labels(p)
    {0: 1, 1: 1, 2: 21}
    """
    name = str(path)
    if report is None:
        report = ReadReport(path=name, format="node-labels")
    report.path, report.format = name, "node-labels"
    prefixes = tuple(comments)
    rows: list[tuple[list[str], int]] = []
    for number, text in read_text_lines(path, encoding=encoding):
        stripped = text.strip()
        if not stripped:
            report.skip("blank line")
            continue
        if prefixes and stripped.startswith(prefixes):
            report.skip("comment line")
            continue
        rows.append((_split(stripped, delimiter), number))
    if not rows:
        raise IngestError("no labels: the file is empty or holds only comments", path=name)
    if header is None:
        first = rows[0][0]
        header = first[0].lower() in _ID_HEADERS or (
            len(rows) > 1
            and (
                len(first) == 1  # a one-word title such as "user_name"
                or (not _is_int(first[0]) and _is_int(rows[1][0][0]))
            )
        )
    if header:
        rows = rows[1:]
        report.skip("header line")
        if not rows:
            raise IngestError("no labels: the file holds only a header line", path=name)
    pairs: list[tuple[str, str, int]] = []
    for tokens, number in rows:
        if len(tokens) < 2 or not tokens[1]:
            raise IngestError("expected 'node label', found no label", path=name, line=number)
        pairs.append((tokens[0], tokens[1], number))

    def converter(values: list[str], given: Callable[[str], Hashable] | None) -> Callable:
        if given is not None:
            return given
        return int if all(_is_int(v) for v in values) else str

    to_node = converter([p[0] for p in pairs], nodetype)
    to_label = converter([p[1] for p in pairs], labeltype)
    labels: dict[Hashable, Hashable] = {}
    first_line: dict[Hashable, int] = {}
    for node_text, label_text, number in pairs:
        try:
            node, label = to_node(node_text), to_label(label_text)
        except (TypeError, ValueError) as exc:
            raise IngestError(
                f"cannot convert {node_text!r}: {exc}", path=name, line=number
            ) from None
        if node in labels:
            raise IngestError(
                f"node {node!r} is listed twice (first on line {first_line[node]})",
                path=name,
                line=number,
            )
        labels[node] = label
        first_line[node] = number
    report.records["labels"] += len(labels)
    report.notes.append(f"{len(set(labels.values()))} distinct labels")
    return labels
