"""Helpers the commands share: reading the graph a command names, naming nodes typed on the
command line, the ``--weight`` and ``--anonymize`` flags, and writing an output file."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from trustgraph.cli.errors import fail
from trustgraph.exceptions import GraphError
from trustgraph.ingest.atomic import atomic_write
from trustgraph.ingest.detect import detect_format, read_graph
from trustgraph.ingest.escape import printable_text
from trustgraph.ingest.pseudonym import Pseudonymizer

__all__ = [
    "announce_new_key",
    "load_graph",
    "naming_the_file",
    "pseudonymizer_for",
    "resolve_node",
    "resolve_nodes",
    "weight_attribute",
    "write_output",
]


def load_graph(path: Path) -> Any:
    """Read a graph file with the format-detecting reader.

    Edge lists load straight into a :class:`~trustgraph.CompactGraph` (no networkx graph:
    a ten-million-edge file loads in seconds); other formats are read as networkx graphs,
    and a ``.tgc`` folder opens memory-mapped.
    """
    if detect_format(path) == "edgelist":
        return read_graph(path, compact=True)
    return read_graph(path)


@contextmanager
def naming_the_file(graph: Path) -> Iterator[None]:
    """A graph error of an algorithm ("edge 'a' -> 'b' has weight nan") names the file."""
    try:
        yield
    except GraphError as exc:
        raise fail(f"{graph}: {exc}") from None


def resolve_node(graph: Any, text: str) -> Hashable:
    """Map a node id typed on the command line to a node of `graph`.

    The text itself wins when it is a node; otherwise, when it parses as an integer that is
    a node (graphs read with integer ids), the integer is used. Anything else is returned
    unchanged, so that the library reports it as an unknown node.

    Examples
    --------
    >>> import networkx as nx
    >>> resolve_node(nx.Graph([(1, 2)]), "2"), resolve_node(nx.Graph([("1", "2")]), "2")
    (2, '2')
    >>> resolve_node(nx.Graph([(1, 2)]), "alice")
    'alice'
    """
    if text in graph:
        return text
    try:
        number = int(text.strip())
    except ValueError:
        return text
    return number if number in graph else text


def resolve_nodes(graph: Any, texts: Iterable[str]) -> list[Hashable]:
    """:func:`resolve_node` for each id, keeping order."""
    return [resolve_node(graph, text) for text in texts]


def weight_attribute(weight: str) -> str | None:
    """The edge attribute of ``--weight``: ``none`` (any case) means unit weights.

    Examples
    --------
    >>> weight_attribute("weight"), weight_attribute("None")
    ('weight', None)
    """
    return None if weight.lower() == "none" else weight


def write_output(text: str, output: Path | None, force: bool) -> None:
    """Print `text` on stdout, or write it atomically to `output` (``--force`` to replace)."""
    if output is None:
        typer.echo(text, nl=False)
        return
    with atomic_write(output, "w", overwrite=force) as handle:
        handle.write(text)


def announce_new_key(pseudonymizer: Pseudonymizer) -> None:
    """Say once, on stderr, that a new pseudonym key file was just created, and where."""
    created = pseudonymizer.created_secret
    if created is not None:
        typer.echo(
            f"trustgraph: note: created a new pseudonym key {printable_text(created)} "
            "(keep it private; the same key gives the same pseudonyms next time)",
            err=True,
        )


def pseudonymizer_for(anonymize: bool, key: Path | None) -> Pseudonymizer | None:
    """The pseudonymiser of ``--anonymize [--anonymize-key FILE]``, or None without it.

    A new key file is announced (:func:`announce_new_key`); ``--anonymize-key`` without
    ``--anonymize`` is a usage error.
    """
    if not anonymize:
        if key is not None:
            raise fail("--anonymize-key needs --anonymize", code=2)
        return None
    pseudonymizer = Pseudonymizer(secret_path=key)
    announce_new_key(pseudonymizer)
    return pseudonymizer
