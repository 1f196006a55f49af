"""Plumbing of the Spark backend: sessions, edge readers, seeds, validation, collection.

Nothing here imports pyspark at module import time: :func:`pyspark_modules` imports it on
first use, so that ``import trustgraph`` (and doctest collection) works without the
``[spark]`` extra. The algorithms live in :mod:`trustgraph.backends.spark`.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Hashable, Iterable, Mapping
from types import ModuleType
from typing import Any

from trustgraph.exceptions import GraphError, ParameterError, SeedError

__all__ = [
    "collect_scores",
    "local_session",
    "read_edges",
]

#: Column names recognised as the edge source / target when none is named.
SOURCE_NAMES = ("source", "src", "from", "u")
TARGET_NAMES = ("target", "dst", "to", "v")

_FORMATS = ("csv", "tsv", "parquet")


def pyspark_modules() -> tuple[ModuleType, ModuleType, Any]:
    """``(pyspark.sql.functions, pyspark.sql.types, SparkSession)``, imported on demand.

    Raises
    ------
    ImportError
        pyspark is not installed (with the install command in the message).
    """
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql import functions as F
        from pyspark.sql import types as T
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the Spark backend needs pyspark: pip install 'trustgraph[spark]' "
            "(and a Java runtime, 17 or newer for Spark 4)"
        ) from error
    return F, T, SparkSession


def local_session(
    master: str = "local[2]",
    *,
    app_name: str = "trustgraph",
    shuffle_partitions: int = 4,
    log_level: str = "WARN",
    config: Mapping[str, str] | None = None,
) -> Any:
    """A quiet SparkSession: UI off, few shuffle partitions, log level `log_level`.

    Returns the active session when one exists (Spark allows one per process; its master
    and settings are then kept, except the log level). For a ``local`` master it also turns
    adaptive query execution off (``spark.sql.adaptive.enabled=false``); `config` overrides
    any of these defaults.

    Parameters
    ----------
    master : str, default "local[2]"
        Master URL: ``local[N]``, ``spark://host:7077``, ``yarn``, ``k8s://...``. Under
        ``spark-submit`` the master given there wins.
    app_name : str, default "trustgraph"
    shuffle_partitions : int, default 4
        ``spark.sql.shuffle.partitions``; Spark's default of 200 wastes time on one machine.
        On a cluster use about two or three times the number of executor cores.
    log_level : str, default "WARN"
        Spark's log level (``"ERROR"`` for silence).
    config : mapping, optional
        Further ``spark.*`` settings.

    Returns
    -------
    pyspark.sql.SparkSession

    Examples
    --------
    >>> spark = local_session("local[2]", log_level="ERROR")  # doctest: +SKIP
    >>> spark.conf.get("spark.ui.enabled")  # doctest: +SKIP
    'false'
    """
    _, _, SparkSession = pyspark_modules()
    active = SparkSession.getActiveSession()
    if active is not None:
        active.sparkContext.setLogLevel(log_level)
        return active
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(int(shuffle_partitions)))
        # Arrow would only speed up toPandas, which the backend does not use.
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
    )
    if master.startswith("local"):
        # One machine: stay on the loopback interface, whatever the host name resolves to.
        # Adaptive execution re-plans every stage, which costs more than it saves with a
        # few shuffle partitions on one machine, and may coalesce the partitions the
        # iterations rely on (see docs/spark.md).
        builder = (
            builder.config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.adaptive.enabled", "false")
        )
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(log_level)
    return session


def resolve_session(spark: Any, edges: Any) -> Any:
    """The session to use: the given one, the edges' own, the active one, or a local one."""
    if spark is not None:
        return spark
    owner = getattr(edges, "sparkSession", None)
    if owner is not None:
        return owner
    return local_session()


def read_edges(
    path: str | os.PathLike[str],
    *,
    spark: Any = None,
    format: str | None = None,
    source: str | None = None,
    target: str | None = None,
    weight: str | None = "weight",
    header: bool | None = None,
    sep: str | None = None,
) -> Any:
    """Read an edge list (CSV/TSV, gzip too) or a Parquet data set into a Spark DataFrame.

    The path is any path Spark reads: a local file in local mode, and on a cluster a path
    every executor sees (``hdfs://``, ``s3a://``, ``gs://``, ``abfss://``, or a shared
    mount). Directories of part files, as Spark writes them, work too.

    Parameters
    ----------
    path : str or path-like
    spark : SparkSession, optional
        Default: the active session, else :func:`local_session`.
    format : {"csv", "tsv", "parquet"}, optional
        From the extension when omitted (``.parquet``/``.pq`` Parquet, ``.tsv``/``.tab``
        TSV, anything else delimited text).
    source, target : str, optional
        Column names; the first of ``source, src, from, u`` (``target, dst, to, v``)
        present, else the first (second) column.
    weight : str or None, default "weight"
        Weight column; when absent (or ``None``) every edge weighs 1. Without a header the
        third column, if any, is the weight.
    header : bool, optional
        Text files only. Detected when omitted: the first line is a header when it names a
        known source column.
    sep : str, optional
        Text files only: the delimiter. Tab for TSV; for other text the first line decides
        (tab, comma, semicolon, else a space). Lines starting with ``#`` are comments.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``src``, ``dst`` (node ids as read: strings from text, the stored type from
        Parquet) and ``weight`` (double).

    Raises
    ------
    ParameterError
        Unknown format or column.

    Examples
    --------
    >>> edges = read_edges("edges.csv", spark=spark)  # doctest: +SKIP
    >>> edges.columns  # doctest: +SKIP
    ['src', 'dst', 'weight']
    """
    F, T, _ = pyspark_modules()
    text_path = os.fspath(path)
    session = resolve_session(spark, None)
    kind = _detect_format(text_path, format)
    if kind == "parquet":
        frame = session.read.parquet(text_path)
    else:
        first = _first_line(session, text_path)
        delimiter = sep if sep is not None else _detect_delimiter(kind, first)
        has_header = header if header is not None else _looks_like_header(first, delimiter)
        frame = session.read.csv(
            text_path, sep=delimiter, header=has_header, comment="#", inferSchema=False
        )
        if not has_header:
            names = ["src", "dst", "weight"][: len(frame.columns)]
            frame = frame.select(
                *[F.col(old).alias(new) for old, new in zip(frame.columns, names)]
            )
            source, target = "src", "dst"
            weight = "weight" if weight is not None and len(frame.columns) >= 3 else None
    columns = frame.columns
    source_column = _pick_column(columns, source, SOURCE_NAMES, 0, "source")
    target_column = _pick_column(columns, target, TARGET_NAMES, 1, "target")
    if weight is not None and weight in columns:
        weight_value = F.col(weight).cast(T.DoubleType())
    else:
        weight_value = F.lit(1.0).cast(T.DoubleType())
    return frame.select(
        F.col(source_column).alias("src"),
        F.col(target_column).alias("dst"),
        weight_value.alias("weight"),
    )


def _detect_format(path: str, format: str | None) -> str:
    if format is not None:
        if format not in _FORMATS:
            raise ParameterError(f"format must be one of {_FORMATS}, got {format!r}")
        return format
    name = path.rstrip("/").lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".tsv", ".tab")):
        return "tsv"
    return "csv"


def _first_line(session: Any, path: str) -> str:
    for row in session.read.text(path).limit(50).collect():
        line = row[0]
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    raise GraphError(f"{path}: no edges (the file is empty or only comments)")


def _detect_delimiter(kind: str, first: str) -> str:
    if kind == "tsv" or "\t" in first:
        return "\t"
    for candidate in (",", ";"):
        if candidate in first:
            return candidate
    return " "


def _looks_like_header(first: str, delimiter: str) -> bool:
    tokens = {token.strip().strip('"').lower() for token in first.split(delimiter)}
    return bool(tokens & set(SOURCE_NAMES))


def _pick_column(
    columns: list[str], chosen: str | None, names: tuple[str, ...], position: int, role: str
) -> str:
    if chosen is not None:
        if chosen not in columns:
            raise ParameterError(f"no {role} column {chosen!r}; columns are {columns}")
        return chosen
    lowered = {column.lower(): column for column in columns}
    for name in names:
        if name in lowered:
            return lowered[name]
    if len(columns) <= position:
        raise ParameterError(f"an edge table needs at least two columns, got {columns}")
    return columns[position]


def edge_frame(edges: Any, spark: Any, source: str, target: str, weight: str | None) -> Any:
    """``(src, dst, weight double)`` from a DataFrame or a path (read with :func:`read_edges`)."""
    F, T, _ = pyspark_modules()
    if isinstance(edges, (str, os.PathLike)):
        return read_edges(edges, spark=spark, weight=weight)
    if not hasattr(edges, "sparkSession"):
        raise GraphError(
            f"edges must be a Spark DataFrame or a path, got {type(edges).__name__}; "
            "for networkx graphs use trustgraph's own functions"
        )
    for column in (source, target):
        if column not in edges.columns:
            raise ParameterError(f"no column {column!r} in the edges; columns are {edges.columns}")
    if weight is None:
        weight_value = F.lit(1.0)
    elif weight in edges.columns:
        weight_value = F.col(weight)
    else:
        raise ParameterError(f"no weight column {weight!r}; columns are {edges.columns}")
    return edges.select(
        F.col(source).alias("src"),
        F.col(target).alias("dst"),
        weight_value.cast(T.DoubleType()).alias("weight"),
    )


def first_bad_edge(weights: tuple[str, ...] = ("weight",)) -> Any:
    """An aggregate column: the first edge with a null endpoint or a bad weight, else null.

    A weight is bad when it is null, NaN, infinite or negative. Being an aggregate, the
    check runs inside a job that computes other things too (see :func:`raise_for_bad_edge`).
    """
    F, _, _ = pyspark_modules()
    bad = F.col("src").isNull() | F.col("dst").isNull()
    for name in weights:
        value = F.col(name)
        bad = bad | value.isNull() | F.isnan(value) | (value < 0) | (F.abs(value) == math.inf)
    row = F.struct(F.col("src"), F.col("dst"), *[F.col(name) for name in weights])
    return F.first(F.when(bad, row), ignorenulls=True)


def raise_for_bad_edge(problem: Any, weights: tuple[str, ...] = ("weight",)) -> None:
    """GraphError describing the row found by :func:`first_bad_edge`; nothing for None."""
    if problem is None:
        return
    if problem["src"] is None or problem["dst"] is None:
        raise GraphError(f"edge with a missing endpoint: {problem['src']!r} -> {problem['dst']!r}")
    shown = ", ".join(repr(problem[name]) for name in weights)
    raise GraphError(
        f"edge {problem['src']!r} -> {problem['dst']!r} has weight {shown}; weights "
        "must be finite and >= 0 (a missing or non-numeric weight reads as None)"
    )


def check_edges(edges: Any, weights: tuple[str, ...] = ("weight",)) -> None:
    """GraphError for a null endpoint, or a null, NaN, infinite or negative weight (one job)."""
    raise_for_bad_edge(edges.agg(first_bad_edge(weights)).first()[0], weights)


def seed_rows(seeds: Any, node_type: Any) -> list[tuple[Any, float]]:
    """``(node, probability)`` pairs, validated like :func:`trustgraph.core.vectors.seed_vector`.

    Membership in the graph is checked later, against the node table.
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, (Iterable, Mapping)):
        seeds = [seeds]
    if isinstance(seeds, Mapping):
        items = list(seeds.items())
    else:
        items = [(node, 1.0) for node in dict.fromkeys(seeds)]
    if not items:
        raise SeedError("seeds is empty; give at least one node")
    merged: dict[Any, float] = {}
    for node, weight in items:
        try:
            value = float(weight)
        except (TypeError, ValueError):
            raise SeedError(f"seeds: weight of {node!r} is not a number: {weight!r}") from None
        if not math.isfinite(value) or value < 0:
            raise SeedError(f"seeds: weight of {node!r} must be finite and >= 0, got {weight!r}")
        key = coerce_node(node, node_type)
        merged[key] = merged.get(key, 0.0) + value
    total = sum(merged.values())
    if total <= 0:
        raise SeedError("seeds weights sum to zero")
    return [(node, value / total) for node, value in merged.items()]


def coerce_node(node: Hashable, node_type: Any) -> Any:
    """A node id typed by the caller, converted to the type of the node column.

    Text files give string ids, so ``5`` becomes ``"5"``; integer columns accept ``"5"``.
    A value that cannot be converted stays as it is and is reported as unknown.
    """
    _, T, _ = pyspark_modules()
    if isinstance(node_type, T.StringType):
        return node if isinstance(node, str) else str(node)
    if isinstance(node_type, T.IntegralType) and not isinstance(node, bool):
        try:
            return int(str(node).strip()) if not isinstance(node, int) else node
        except ValueError:
            return node
    return node


def checkpoint_directory(spark: Any, checkpoint_dir: str | os.PathLike[str] | None) -> None:
    """Set the context's checkpoint directory: the given one, the existing one, or a temp dir."""
    context = spark.sparkContext
    if checkpoint_dir is not None:
        context.setCheckpointDir(os.fspath(checkpoint_dir))
    elif context.getCheckpointDir() is None:
        # Under $TMPDIR, which the caller can point elsewhere; on a cluster pass a shared path.
        context.setCheckpointDir(tempfile.mkdtemp(prefix="trustgraph-spark-checkpoints-"))


def collect_scores(scores: Any, *, max_rows: int = 5_000_000) -> dict[Hashable, float]:
    """Collect a ``(node, score)`` DataFrame into a dict, for graphs that fit on the driver.

    Parameters
    ----------
    scores : pyspark.sql.DataFrame
        As returned by the functions of :mod:`trustgraph.backends.spark`.
    max_rows : int, default 5,000,000
        Refuse to collect more rows than this (the driver would run out of memory first).

    Returns
    -------
    dict
        Node -> score, ordered by node id (Spark has no input order to keep).

    Raises
    ------
    ParameterError
        More than `max_rows` rows.

    Examples
    --------
    >>> collect_scores(personalized_pagerank(edges, ["A"]))  # doctest: +SKIP
    {'A': 0.368666..., 'B': 0.235024..., 'C': 0.278112..., 'D': 0.118198...}
    """
    rows = scores.limit(int(max_rows) + 1).collect()
    if len(rows) > max_rows:
        raise ParameterError(
            f"more than max_rows={max_rows} scores; write them out with "
            "scores.write.parquet(...) instead of collecting them"
        )
    pairs = [(row["node"], float(row["score"])) for row in rows]
    with contextlib.suppress(TypeError):  # mixed id types: keep Spark's order
        pairs.sort(key=lambda pair: pair[0])
    return dict(pairs)
