"""``trustgraph rank``: rank every node of a graph by trust from the nodes you trust."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from trustgraph.cli.app import app, fail
from trustgraph.cli.options import (
    AnonymizeKeyOption,
    AnonymizeOption,
    TrustedOption,
    pseudonymizer_for,
)
from trustgraph.exceptions import GraphError
from trustgraph.ingest.escape import csv_cell, terminal_text


class RankMethod(str, Enum):
    ppr = "ppr"
    trustrank = "trustrank"
    eigentrust = "eigentrust"
    sybilrank = "sybilrank"
    sybilscar = "sybilscar"


class Engine(str, Enum):
    local = "local"
    spark = "spark"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


_RANDOM_WALK = (RankMethod.ppr, RankMethod.trustrank, RankMethod.eigentrust)
_SPARK_METHODS = (*_RANDOM_WALK, RankMethod.sybilrank)

GraphArgument = Annotated[
    Path, typer.Argument(help="Graph file (edge list, GraphML, GEXF, node-link JSON...).")
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="table (readable), json or csv.")
]
DampingOption = Annotated[
    float | None,
    typer.Option(
        "--damping",
        help="Probability of following an edge, in [0, 1) (ppr, trustrank, eigentrust; "
        "default 0.85).",
    ),
]
EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="local: this machine (any graph format). spark: Apache Spark (pip install "
        "'trustgraph[spark]'; CSV/TSV edge lists or Parquet; ppr, trustrank, eigentrust, "
        "sybilrank).",
    ),
]
SparkMasterOption = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        help="Spark master URL for --engine spark (default local[*]; e.g. local[2], "
        "spark://host:7077). On a cluster GRAPH must be on shared storage.",
    ),
]
WeightOption = Annotated[
    str,
    typer.Option(
        "--weight", help="Edge attribute with the tie strength; 'none' for unit weights."
    ),
]


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


def load_graph(path: Path) -> Any:
    """Read a graph file with the format-detecting reader (imported only when needed).

    Edge lists load straight into a :class:`~trustgraph.CompactGraph` (no networkx graph:
    a ten-million-edge file loads in seconds); other formats are read as networkx graphs,
    and a ``.tgc`` folder opens memory-mapped.
    """
    from trustgraph.ingest.detect import detect_format, read_graph

    if detect_format(path) == "edgelist":
        return read_graph(path, compact=True)
    return read_graph(path)


@contextmanager
def ranking_status(graph: Path) -> Iterator[Callable[[str], None]]:
    """A spinner with a status line on stderr while the graph is read and ranked.

    Yields a function that replaces the status text. Nothing is drawn (the function does
    nothing) when stderr is not a terminal, so pipes and CI logs stay clean.
    """
    from trustgraph.cli.inputs import progress_console

    console = progress_console()
    if console is None:
        yield lambda text: None
        return
    with console.status(f"reading {terminal_text(graph.name)}") as status:
        yield lambda text: status.update(terminal_text(text))


def ranked(scores: dict[Hashable, float], top: int = 0) -> list[tuple[int, Hashable, float]]:
    """``(rank, node, score)`` by decreasing score; ties keep the graph's node order.

    Only the `top` rows are built when `top` is positive (a stable sort of the scores as
    one array, so a million-node ranking takes a fraction of a second).

    Examples
    --------
    >>> ranked({"b": 0.2, "a": 0.5, "c": 0.2}, top=2)
    [(1, 'a', 0.5), (2, 'b', 0.2)]
    """
    import numpy as np

    nodes = list(scores)
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(nodes))
    order = np.argsort(-values, kind="stable")
    if top > 0:
        order = order[:top]
    return [(rank, nodes[i], float(values[i])) for rank, i in enumerate(order.tolist(), start=1)]


def json_node(node: Hashable) -> Any:
    """A node as a JSON value: strings, integers and floats as they are, others as text."""
    if isinstance(node, (str, int, float)) and not isinstance(node, bool):
        return node
    return str(node)


def render_ranking(
    rows: Sequence[tuple[int, Hashable, float]], output_format: OutputFormat, title: str
) -> None:
    """Print ranked rows on stdout in the chosen format.

    Node ids come from other people's data: CSV cells get the spreadsheet formula escape
    (:func:`~trustgraph.ingest.escape.csv_cell`; ranks and scores stay numbers) and the
    table shows control characters and rich markup as text
    (:func:`~trustgraph.ingest.escape.terminal_text`).
    """
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
        from rich.console import Console
        from rich.table import Table

        table = Table(title=terminal_text(title))
        table.add_column("rank", justify="right")
        table.add_column("node")
        table.add_column("score", justify="right")
        for rank, node, score in rows:
            table.add_row(str(rank), terminal_text(node), f"{score:.6f}")
        Console(highlight=False, emoji=False).print(table)


def anonymized_rows(
    rows: Sequence[tuple[int, Hashable, float]], pseudonymizer: Any
) -> list[tuple[int, Hashable, float]]:
    """The rows with every node replaced by its keyed pseudonym (``--anonymize``)."""
    names = pseudonymizer.map_many(str(node) for _, node, _ in rows)
    return [(rank, names[str(node)], score) for rank, node, score in rows]


def _scorer(method: RankMethod, damping: float | None) -> Callable[..., dict[Hashable, float]]:
    if method in _RANDOM_WALK:
        from trustgraph.algorithms import random_walk

        function = {
            RankMethod.ppr: random_walk.personalized_pagerank,
            RankMethod.trustrank: random_walk.trustrank,
            RankMethod.eigentrust: random_walk.eigentrust,
        }[method]
        extra = {} if damping is None else {"damping": damping}
        return lambda G, seeds, weight, progress: function(
            G, seeds, weight=weight, progress=progress, **extra
        )
    from trustgraph.algorithms import sybil

    function = sybil.sybilrank if method is RankMethod.sybilrank else sybil.sybilscar
    # A fixed, logarithmic number of steps: fast enough to need no per-step report.
    return lambda G, seeds, weight, progress: function(G, seeds, weight=weight)


@app.command("rank")
def rank(
    graph: GraphArgument,
    trusted: TrustedOption,
    method: Annotated[
        RankMethod, typer.Option("--method", help="Trust algorithm.")
    ] = RankMethod.ppr,
    top: Annotated[int, typer.Option("--top", min=0, help="Show this many nodes (0: all).")] = 20,
    output_format: FormatOption = OutputFormat.table,
    damping: DampingOption = None,
    weight: WeightOption = "weight",
    engine: EngineOption = Engine.local,
    spark_master: SparkMasterOption = None,
    anonymize: AnonymizeOption = False,
    anonymize_key: AnonymizeKeyOption = None,
) -> None:
    """Rank the nodes of GRAPH by the trust that flows from the --trusted nodes."""
    if not trusted:
        raise fail("give at least one --trusted node", code=2)
    pseudonymizer = pseudonymizer_for(anonymize, anonymize_key)

    def show(rows: list[tuple[int, Hashable, float]], seeds: Iterable[Hashable]) -> None:
        seeds = [str(seed) for seed in seeds]
        if pseudonymizer is not None:
            rows = anonymized_rows(rows, pseudonymizer)
            seeds = list(pseudonymizer.map_many(seeds).values())
        render_ranking(rows, output_format, title=f"{method.value} from {', '.join(seeds)}")

    if damping is not None and method not in _RANDOM_WALK:
        raise fail(f"--damping does not apply to --method {method.value}", code=2)
    if engine is Engine.spark:
        if method not in _SPARK_METHODS:
            supported = ", ".join(m.value for m in _SPARK_METHODS)
            raise fail(
                f"--engine spark does not support --method {method.value} (it runs {supported})",
                code=2,
            )
        with ranking_status(graph) as status:
            rows = spark_ranking(
                graph, trusted, method, damping, weight, spark_master, top, status=status
            )
        show(rows, trusted)
        return
    if spark_master is not None:
        raise fail("--spark-master needs --engine spark", code=2)
    scorer = _scorer(method, damping)
    with ranking_status(graph) as status:
        G = load_graph(graph)
        seeds = resolve_nodes(G, trusted)
        status(f"{method.value}: preparing the walk")

        def report(iteration: int, change: float) -> None:
            status(f"{method.value}: iteration {iteration}, L1 change {change:.1e}")

        with naming_the_file(graph):
            scores = scorer(G, seeds, None if weight.lower() == "none" else weight, report)
    show(ranked(scores, top), trusted)


def spark_path(graph: Path) -> str:
    """The path as Spark wants it: ``Path`` turns ``hdfs://host/x`` into ``hdfs:/host/x``.

    Examples
    --------
    >>> spark_path(Path("hdfs://namenode/graphs/edges.parquet"))
    'hdfs://namenode/graphs/edges.parquet'
    >>> spark_path(Path("edges.csv"))
    'edges.csv'
    """
    text = str(graph)
    scheme, separator, rest = text.partition(":/")
    if separator and scheme.isalnum() and len(scheme) > 1 and not rest.startswith("/"):
        return f"{scheme}://{rest}"
    return text


def spark_ranking(
    graph: Path,
    trusted: Sequence[str],
    method: RankMethod,
    damping: float | None,
    weight: str,
    master: str | None,
    top: int,
    status: Callable[[str], None] = lambda text: None,
) -> list[tuple[int, Hashable, float]]:
    """Rank on Spark; the top rows are picked by Spark, so only they reach the driver.

    `status` receives a line for each stage: the session's start, the set-up job, every
    iteration of a random walk and the final collection."""
    try:
        from trustgraph.backends import spark as spark_backend
        from trustgraph.backends._spark_support import pyspark_modules

        F, _, SparkSession = pyspark_modules()
        from pyspark.errors import PySparkException
    except ImportError as error:
        raise fail(str(error), code=2) from None
    created = SparkSession.getActiveSession() is None
    status(f"starting Spark ({master or 'local[*]'})")
    session = spark_backend.local_session(master or "local[*]", log_level="ERROR")
    try:
        weight_column = None if weight.lower() == "none" else weight
        edges = spark_backend.read_edges(spark_path(graph), spark=session, weight=weight_column)
        status(f"{method.value}: reading {graph.name} and checking it")
        if method is RankMethod.sybilrank:
            scores = spark_backend.sybilrank(edges, list(trusted))
        else:
            function = {
                RankMethod.ppr: spark_backend.personalized_pagerank,
                RankMethod.trustrank: spark_backend.trustrank,
                RankMethod.eigentrust: spark_backend.eigentrust,
            }[method]
            extra = {} if damping is None else {"damping": damping}

            def report(iteration: int, change: float) -> None:
                status(f"{method.value}: iteration {iteration}, L1 change {change:.1e}")

            # A recovered failure (a lost executor) comes as a warning: one line, no source.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RuntimeWarning)
                scores = function(edges, list(trusted), progress=report, **extra)
            for warning in caught:
                typer.echo(f"trustgraph: warning: {warning.message}", err=True)
        ordered = scores.orderBy(F.col("score").desc(), F.col("node").asc())
        if top:
            ordered = ordered.limit(top)
        status(f"{method.value}: collecting the {'top ' + str(top) if top else 'ranking'}")
        collected = ordered.collect()
    except PySparkException as error:
        # e.g. a missing path: Spark's message, first line only (no Java stack trace).
        raise fail(f"Spark: {str(error).strip().splitlines()[0]}") from None
    finally:
        if created:
            session.stop()
    return [(rank, row["node"], float(row["score"])) for rank, row in enumerate(collected, 1)]
