"""Rendering rows of results as a rich table, JSON records or CSV.

Node ids come from other people's data: CSV cells get the spreadsheet formula escape
(:func:`~trustgraph.ingest.escape.csv_cell`; numbers stay numbers) and tables show control
characters and rich markup as text (:func:`~trustgraph.ingest.escape.terminal_text`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from trustgraph.cli.common import write_output
from trustgraph.cli.options import OutputFormat
from trustgraph.ingest.escape import csv_cell, printable_text, terminal_text
from trustgraph.ingest.pseudonym import Pseudonymizer

__all__ = [
    "anonymized_rows",
    "json_node",
    "plain_table",
    "ranked",
    "render_ranking",
    "render_rows",
]

Row = tuple[int, Hashable, float]


def ranked(scores: dict[Hashable, float], top: int = 0) -> list[Row]:
    """``(rank, node, score)`` by decreasing score; ties keep the graph's node order.

    Only the `top` rows are built when `top` is positive (a stable sort of the scores as
    one array, so a million-node ranking takes a fraction of a second).

    Examples
    --------
    >>> ranked({"b": 0.2, "a": 0.5, "c": 0.2}, top=2)
    [(1, 'a', 0.5), (2, 'b', 0.2)]
    """
    nodes = list(scores)
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(nodes))
    order = np.argsort(-values, kind="stable")
    if top > 0:
        order = order[:top]
    return [(rank, nodes[i], float(values[i])) for rank, i in enumerate(order.tolist(), start=1)]


def json_node(node: Hashable) -> Any:
    """A node as a JSON value: strings, integers and floats as they are, others as text.

    Examples
    --------
    >>> json_node("a"), json_node(3), json_node(True), json_node(("a", 1))
    ('a', 3, 'True', "('a', 1)")
    """
    if isinstance(node, (str, int, float)) and not isinstance(node, bool):
        return node
    return str(node)


def anonymized_rows(rows: Sequence[Row], pseudonymizer: Pseudonymizer) -> list[Row]:
    """The rows with every node replaced by its keyed pseudonym (``--anonymize``)."""
    names = pseudonymizer.map_many(str(node) for _, node, _ in rows)
    return [(rank, names[str(node)], score) for rank, node, score in rows]


def plain_table(table: Table, width: int) -> str:
    """A rich table as plain text of `width` columns (no colour codes), for files."""
    buffer = io.StringIO()
    Console(file=buffer, highlight=False, width=width, color_system=None).print(table)
    return buffer.getvalue()


def render_ranking(rows: Sequence[Row], output_format: OutputFormat, title: str) -> None:
    """Print ranked ``(rank, node, score)`` rows on stdout in the chosen format."""
    if output_format is OutputFormat.json:
        payload = [
            {"node": json_node(node), "score": score, "rank": rank} for rank, node, score in rows
        ]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif output_format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["rank", "node", "score"])
        for rank, node, score in rows:
            writer.writerow([rank, csv_cell(node), repr(score)])
        typer.echo(buffer.getvalue(), nl=False)
    else:
        table = Table(title=terminal_text(title))
        table.add_column("rank", justify="right")
        table.add_column("node")
        table.add_column("score", justify="right")
        for rank, node, score in rows:
            table.add_row(str(rank), terminal_text(node), f"{score:.6f}")
        Console(highlight=False, emoji=False).print(table)


def _rows_table(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str) -> Table:
    table = Table(title=Text(printable_text(title)))
    for name, value in zip(header, rows[0] if rows else header):
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        table.add_column(name, justify="right" if numeric else "left")
    for row in rows:
        cells = (f"{v:.6f}" if isinstance(v, float) else printable_text(v) for v in row)
        table.add_row(*(Text(cell) for cell in cells))
    return table


def render_rows(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output_format: OutputFormat,
    title: str,
    output: Path | None,
    force: bool,
) -> None:
    """Render rows as a rich table, JSON records or CSV; to stdout or to `output`."""
    if output_format is OutputFormat.json:
        records = [{name: json_node(value) for name, value in zip(header, row)} for row in rows]
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    elif output_format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([csv_cell(v) for v in row] for row in rows)
        text = buffer.getvalue()
    else:
        table = _rows_table(header, rows, title)
        if output is None:
            Console(highlight=False, emoji=False).print(table)
            return
        text = plain_table(table, width=100)
    write_output(text, output, force)
