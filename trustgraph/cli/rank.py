"""``trustgraph rank``: rank every node of a graph by trust from the nodes you trust.

The methods offered are the registry's metrics that take a set of seeds and return a score
per node (:func:`~trustgraph.algorithms.registry.method_names`); ``--engine spark`` offers
those the Spark backend implements.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Collection, Hashable, Sequence
from contextlib import AbstractContextManager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from trustgraph.algorithms.registry import get_method, method_names
from trustgraph.cli.common import (
    load_graph,
    naming_the_file,
    pseudonymizer_for,
    resolve_nodes,
    weight_attribute,
)
from trustgraph.cli.errors import fail
from trustgraph.cli.options import (
    AnonymizeKeyOption,
    AnonymizeOption,
    FormatOption,
    GraphArgument,
    OutputFormat,
    TrustedOption,
    WeightOption,
    choice_enum,
)
from trustgraph.cli.progress import spinner
from trustgraph.cli.render import Row, anonymized_rows, ranked, render_ranking

__all__ = [
    "Engine",
    "RankMethod",
    "rank",
    "ranked",
    "ranking_status",
    "spark_path",
    "spark_ranking",
]


#: The metrics ``rank`` runs: seeded, one score per node.
RANK_METHODS = method_names(seeds="many", output="scores")
#: The metrics ``rank --engine spark`` runs.
SPARK_METHODS = tuple(name for name in method_names(spark=True) if name in RANK_METHODS)
#: The metrics ``--damping`` applies to: those with a damping tunable.
DAMPED_METHODS = tuple(
    name for name in RANK_METHODS if "damping" in {t.name for t in get_method(name).tunables}
)

#: The metrics ``--signed`` applies to: those whose function takes a ``signed=`` policy.
SIGNED_METHODS = tuple(
    name
    for name in RANK_METHODS
    if "signed" in inspect.signature(get_method(name).function).parameters
)

RankMethod = choice_enum("RankMethod", RANK_METHODS)


class Engine(str, Enum):
    local = "local"
    spark = "spark"


MethodOption = Annotated[
    RankMethod,  # type: ignore[valid-type]
    typer.Option(
        "--method",
        help="Trust algorithm (anti_trustrank propagates distrust from the given nodes).",
    ),
]
TopOption = Annotated[int, typer.Option("--top", min=0, help="Show this many nodes (0: all).")]
DampingOption = Annotated[
    float | None,
    typer.Option(
        "--damping",
        help=f"Probability of following an edge, in [0, 1) ({', '.join(DAMPED_METHODS)}; "
        "default 0.85).",
    ),
]
RankSignedOption = Annotated[
    str | None,
    typer.Option(
        "--signed",
        help="What to do with negative weights: error (default) or drop; eigentrust also "
        "takes discount (go-eigentrust's distrust discount), advogato rescale. "
        f"For {', '.join(SIGNED_METHODS)}.",
    ),
]
EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="local: this machine (any graph format). spark: Apache Spark (pip install "
        f"'trustgraph\\[spark]'; CSV/TSV edge lists or Parquet; {', '.join(SPARK_METHODS)}).",
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


def ranking_status(graph: Path) -> AbstractContextManager[Callable[[str], None]]:
    """A spinner with a status line on stderr while `graph` is read and ranked.

    Yields a function that replaces the status text; nothing is drawn when stderr is not
    a terminal, so pipes and CI logs stay clean.
    """
    return spinner(f"reading {graph.name}")


def _check_flags(
    method: str, damping: float | None, signed: str | None, engine: Engine, master: str | None
) -> None:
    """Usage errors (exit 2): a flag that does not apply to the chosen method or engine."""
    if damping is not None and method not in DAMPED_METHODS:
        raise fail(f"--damping does not apply to --method {method}", code=2)
    if signed is not None and (method not in SIGNED_METHODS or engine is Engine.spark):
        raise fail(f"--signed does not apply to --method {method} --engine {engine.value}", code=2)
    if engine is Engine.spark and method not in SPARK_METHODS:
        supported = ", ".join(SPARK_METHODS)
        raise fail(
            f"--engine spark does not support --method {method} (it runs {supported})", code=2
        )
    if engine is Engine.local and master is not None:
        raise fail("--spark-master needs --engine spark", code=2)


def local_scores(
    method: str,
    G: Any,
    seeds: Sequence[Hashable],
    weight: str | None,
    damping: float | None,
    status: Callable[[str], None],
    signed: str | None = None,
) -> dict[Hashable, float]:
    """Run the registry's `method` on `G`; iterative walks report each step to `status`."""
    function = get_method(method).function
    extra: dict[str, Any] = {} if damping is None else {"damping": damping}
    if signed is not None:
        extra["signed"] = signed
    status(f"{method}: preparing the walk")
    if "progress" in inspect.signature(function).parameters:

        def report(iteration: int, change: float) -> None:
            status(f"{method}: iteration {iteration}, L1 change {change:.1e}")

        extra["progress"] = report
    # SybilRank's fixed log n steps and Advogato's single flow need no per-step report.
    return function(G, seeds, weight=weight, **extra)


def rank(
    graph: GraphArgument,
    trusted: TrustedOption,
    method: MethodOption = RankMethod.ppr,  # type: ignore[attr-defined]
    top: TopOption = 20,
    output_format: FormatOption = OutputFormat.table,
    damping: DampingOption = None,
    signed: RankSignedOption = None,
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
    name = method.value
    _check_flags(name, damping, signed, engine, spark_master)
    with ranking_status(graph) as status:
        if engine is Engine.spark:
            rows = spark_ranking(graph, trusted, name, damping, weight, spark_master, top, status)
        else:
            G = load_graph(graph)
            with naming_the_file(graph):
                nodes = resolve_nodes(G, trusted)
                scores = local_scores(
                    name, G, nodes, weight_attribute(weight), damping, status, signed
                )
            rows = ranked(scores, top)
    seeds = [str(seed) for seed in trusted]
    if pseudonymizer is not None:
        rows = anonymized_rows(rows, pseudonymizer)
        seeds = list(pseudonymizer.map_many(seeds).values())
    render_ranking(rows, output_format, title=f"{name} from {', '.join(seeds)}")


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


def _spark_scores(
    backend: Any, edges: Any, method: str, trusted: list[str], damping: float | None, status: Any
) -> Any:
    """Run the backend's function of the same name as the library's (one registry entry)."""
    local = get_method(method).function
    function = getattr(backend, local.__name__)
    if "progress" not in inspect.signature(local).parameters:
        return function(edges, trusted)
    extra = {} if damping is None else {"damping": damping}

    def report(iteration: int, change: float) -> None:
        status(f"{method}: iteration {iteration}, L1 change {change:.1e}")

    # A recovered failure (a lost executor) comes as a warning: one line, no source.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        scores = function(edges, trusted, progress=report, **extra)
    for warning in caught:
        typer.echo(f"trustgraph: warning: {warning.message}", err=True)
    return scores


#: Graph formats the Spark engine does not read (it reads delimited text and Parquet).
_NOT_FOR_SPARK = {".graphml", ".gexf", ".json", ".gml", ".tgc", ".xml"}


def _first_line(error: Exception) -> str:
    """The first non-empty line of a Spark or Java error, without the stack trace."""
    text = getattr(error, "java_exception", None) or error
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def spark_ranking(
    graph: Path,
    trusted: Collection[str],
    method: str | Enum,
    damping: float | None,
    weight: str,
    master: str | None,
    top: int,
    status: Callable[[str], None] = lambda text: None,
) -> list[Row]:
    """Rank on Spark; the top rows are picked by Spark, so only they reach the driver.

    `status` receives a line for each stage: the session's start, the set-up job, every
    iteration of a random walk and the final collection."""
    try:
        from trustgraph.backends import spark as spark_backend
        from trustgraph.backends._spark_support import pyspark_modules

        F, _, SparkSession = pyspark_modules()
        from py4j.protocol import Py4JJavaError
        from pyspark.errors import PySparkException
    except ImportError as error:
        raise fail(str(error), code=2) from None
    if graph.suffix.lower() in _NOT_FOR_SPARK:
        raise fail(
            f"{graph}: --engine spark reads CSV/TSV edge lists or Parquet, not "
            f"{graph.suffix.lstrip('.').upper()} (convert it with trustgraph ingest -o x.csv)",
            code=2,
        )
    name = method.value if isinstance(method, Enum) else method
    created = SparkSession.getActiveSession() is None
    status(f"starting Spark ({master or 'local[*]'})")
    session = spark_backend.local_session(master or "local[*]", log_level="ERROR")
    try:
        edges = spark_backend.read_edges(
            spark_path(graph), spark=session, weight=weight_attribute(weight)
        )
        status(f"{name}: reading {graph.name} and checking it")
        scores = _spark_scores(spark_backend, edges, name, list(trusted), damping, status)
        ordered = scores.orderBy(F.col("score").desc(), F.col("node").asc())
        if top:
            ordered = ordered.limit(top)
        status(f"{name}: collecting the {'top ' + str(top) if top else 'ranking'}")
        collected = ordered.collect()
    except (PySparkException, Py4JJavaError) as error:
        # e.g. a missing path or an unreadable value: Spark's message, first line only
        # (no Java stack trace).
        raise fail(f"{graph}: Spark: {_first_line(error)}") from None
    finally:
        if created:
            session.stop()
    return [(rank, row["node"], float(row["score"])) for rank, row in enumerate(collected, 1)]
