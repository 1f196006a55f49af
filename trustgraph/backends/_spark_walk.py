"""The engine of the Spark backend: set-up checks, the walk with restart and its helpers.

The public functions live in :mod:`trustgraph.backends.spark`; this module holds what they
share. pyspark is imported on first use (through
:func:`~trustgraph.backends._spark_support.pyspark_modules`), never at import time.
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

import numpy as np

from trustgraph.backends._spark_support import (
    check_edges,
    checkpoint_directory,
    coerce_node,
    edge_frame,
    first_bad_edge,
    pyspark_modules,
    raise_for_bad_edge,
    resolve_session,
    seed_rows,
)
from trustgraph.core.validate import check_damping, check_max_iter, check_tol
from trustgraph.exceptions import ConvergenceError, GraphError, ParameterError, SeedError

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, Row, SparkSession

__all__ = [
    "EdgesLike",
    "ExtraNodes",
    "Seeds",
    "check_count",
    "check_interval",
    "hashed",
    "local_trust_from_counts",
    "node_table",
    "persisted",
    "random_walk",
    "reliable_checkpoint",
    "report",
    "seed_table",
    "symmetrised",
    "with_own_rows",
]

Seeds = Iterable[Hashable] | Mapping[Hashable, float]
#: A Spark DataFrame of edges, or a path Spark can read (see ``read_edges``).
EdgesLike = Union["DataFrame", str, os.PathLike]
#: Extra (e.g. isolated) nodes: a DataFrame whose first column holds ids, or an iterable.
ExtraNodes = Union["DataFrame", Iterable[Hashable], None]
Progress = Callable[[int, float], None]

_STORAGE = "MEMORY_AND_DISK"
#: Times a walk sets up again after losing a local checkpoint before it gives up.
_MAX_RECOVERIES = 3


@dataclass
class _Walk:
    """What one call of :func:`random_walk` keeps between set-ups (inputs of the iteration)."""

    all_edges: DataFrame
    positive: DataFrame
    strength: DataFrame
    nodes: DataFrame
    teleport: DataFrame
    persist: Callable[[DataFrame], DataFrame]

    def prepare(self) -> tuple[DataFrame, DataFrame, float]:
        """The start vector, the routes and the first dangling mass (one job)."""
        F, _, _ = pyspark_modules()
        base = (
            self.nodes.join(self.strength.withColumnRenamed("src", "node"), "node", "left")
            .join(self.teleport, "node", "left")
            .select(
                "node",
                F.coalesce(F.col("seed"), F.lit(0.0)).alias("seed"),
                F.col("strength").isNull().alias("dangling"),
                "strength",
            )
            .localCheckpoint(eager=False)
        )
        # One job: the base table, the edge and seed checks, the first dangling mass.
        row = report(
            base, self.all_edges, self.teleport, F.sum(F.when(F.col("dangling"), F.col("seed")))
        )
        # Transition probability = weight * (1 / out-strength), the core's order.
        walk = self.positive.join(
            base.where(~F.col("dangling")).select(F.col("node").alias("src"), "strength"),
            "src",
        ).select("src", "dst", (F.col("weight") * (F.lit(1.0) / F.col("strength"))).alias("p"))
        # Each node also reaches itself through an own-row carrying its state, so the state
        # is read once per iteration and the plan grows linearly between checkpoints.
        routes = self.persist(with_own_rows(walk, base, "p"))
        start = base.select("node", "seed", "dangling", F.col("seed").alias("x"))
        return start, routes, _sum_or_zero(row["extra"])


@dataclass
class _Outcome:
    state: DataFrame
    residual: float
    positive_total: float
    converged: bool


def random_walk(
    edges: EdgesLike,
    seeds: Seeds,
    *,
    damping: float,
    tol: float,
    max_iter: int,
    n_iter: int | None,
    source: str,
    target: str,
    weight: str | None,
    directed: bool,
    nodes: ExtraNodes,
    spark: SparkSession | None,
    checkpoint_interval: int | None,
    checkpoint_dir: str | os.PathLike[str] | None,
    progress: Progress | None = None,
) -> DataFrame:
    """Power iteration of the walk with restart; mirrors ``core.solvers.ppr_power``."""
    F, _, _ = pyspark_modules()
    damping = check_damping(damping)
    if n_iter is None:
        tol, max_iter = check_tol(tol), check_max_iter(max_iter)
    rounds = max_iter if n_iter is None else check_count(n_iter, "n_iter")
    interval = check_interval(checkpoint_interval)
    session = resolve_session(spark, edges)
    all_edges = edge_frame(edges, session, source, target, weight)
    if not directed:
        all_edges = all_edges.unionByName(
            all_edges.where(F.col("src") != F.col("dst")).select(
                F.col("dst").alias("src"), F.col("src").alias("dst"), "weight"
            )
        )
    with persisted() as persist:
        # Read by the checks, the node table, the out-strengths and the walk: read it once.
        all_edges = persist(all_edges)
        positive = all_edges.where(F.col("weight") > 0)
        table = node_table(session, all_edges, nodes)
        walk = _Walk(
            all_edges,
            positive,
            positive.groupBy("src").agg(F.sum("weight").alias("strength")),
            table,
            seed_table(session, table, seeds),
            persist,
        )
        if interval and rounds >= interval:
            checkpoint_directory(session, checkpoint_dir)
        outcome = _iterate(walk, damping, tol, rounds, n_iter is None, interval, progress)
        if n_iter is None and not outcome.converged:
            raise ConvergenceError(
                f"power iteration did not reach tol={tol!r} within max_iter={max_iter} "
                f"(last L1 change {outcome.residual:.3e}); raise max_iter or lower damping",
                iterations=max_iter,
                residual=outcome.residual,
            )
        # The core's final clean-up: max(x, 0) / sum(max(x, 0)).
        total = outcome.positive_total
        scale = F.lit(total if total > 0 else 1.0)
        return outcome.state.select(
            "node", (F.greatest(F.col("x"), F.lit(0.0)) / scale).alias("score")
        )


def _iterate(
    walk: _Walk,
    damping: float,
    tol: float,
    rounds: int,
    stop_on_tol: bool,
    interval: int,
    progress: Progress | None,
) -> _Outcome:
    """Run the iterations, resuming from the last reliable checkpoint if Spark loses one."""
    state, routes, dangling_mass = walk.prepare()
    outcome = _Outcome(state, math.inf, 1.0, False)
    first, iteration, recoveries = 1, 0, 0
    # (iteration, reliably checkpointed state, dangling mass after it)
    saved: tuple[int, DataFrame, float] | None = None
    while True:
        try:
            for iteration in range(first, rounds + 1):
                updated, totals = _walk_step(routes, state, damping, dangling_mass)
                if iteration == 1:
                    walk.all_edges.unpersist()  # the routes are cached now
                outcome.residual = _sum_or_zero(totals["residual"])
                dangling_mass = _sum_or_zero(totals["dangling"])
                outcome.positive_total = _sum_or_zero(totals["positive"])
                state = reliable_checkpoint(updated.drop("previous"), iteration, interval)
                outcome.state = state
                if interval and iteration % interval == 0:
                    saved = (iteration, state, dangling_mass)
                if progress is not None:
                    progress(iteration, outcome.residual)
                if stop_on_tol and outcome.residual < tol:
                    outcome.converged = True
                    break
            return outcome
        except Exception as error:
            if not _lost_local_checkpoint(error) or recoveries >= _MAX_RECOVERIES:
                raise
            recoveries += 1
            # Local checkpoints live on the executors and cannot be recomputed: set up again
            # from the edges and go on from the last reliable checkpoint.
            state, routes, dangling_mass = walk.prepare()
            first = 1
            if saved is not None:
                first, state, dangling_mass = saved[0] + 1, saved[1], saved[2]
            outcome.state = state
            warnings.warn(
                f"Spark lost a local checkpoint (an executor's blocks) during iteration "
                f"{iteration}; resuming after iteration {first - 1} "
                f"({'the last reliable checkpoint' if saved else 'the start'})",
                RuntimeWarning,
                stacklevel=4,
            )


def symmetrised(edges: DataFrame, rule: str) -> DataFrame:
    """One row ``(lo, hi, weight)`` per undirected tie, merged by `rule` (not for "sum").

    As ``CompactGraph.to_undirected``: duplicates of one direction add up first, then the
    two directions merge; zero weights take part (they are filtered out afterwards).
    """
    F, _, _ = pyspark_modules()
    if rule == "sum":
        return edges  # a sum needs no merging: every row adds to its tie
    directed = edges.groupBy("src", "dst").agg(F.sum("weight").alias("weight"))
    pairs = directed.select(
        F.least("src", "dst").alias("src"), F.greatest("src", "dst").alias("dst"), "weight"
    )
    merge = {"max": F.max, "min": F.min, "mean": F.avg}[rule]
    return pairs.groupBy("src", "dst").agg(merge("weight").alias("weight"))


def report(base: DataFrame, all_edges: DataFrame, teleport: DataFrame, extra: Column) -> Row:
    """Run the set-up checks in one job; raise GraphError / SeedError; return the row.

    The row holds ``nodes`` (the node count) and ``extra`` (the aggregate `extra` over
    `base`). The job also computes `base` and so fills its local checkpoint: the edges are
    read, the node table built and the out-strengths summed once per call.
    """
    F, _, _ = pyspark_modules()
    edge_check = all_edges.agg(first_bad_edge().alias("bad_edge"))
    unknown = teleport.join(base.select("node"), "node", "left_anti").agg(
        F.count(F.lit(1)).alias("unknown"),
        F.slice(F.collect_list("node"), 1, 5).alias("unknown_examples"),
    )
    summary = base.agg(F.count(F.lit(1)).alias("nodes"), extra.alias("extra"))
    report = edge_check.crossJoin(unknown).crossJoin(summary).first()
    raise_for_bad_edge(report["bad_edge"])
    if report["unknown"]:
        shown = ", ".join(repr(node) for node in report["unknown_examples"])
        more = report["unknown"] - len(report["unknown_examples"])
        raise SeedError(f"seeds not in the graph: {shown}" + (f" and {more} more" if more else ""))
    if report["nodes"] == 0:  # pragma: no cover - unknown seeds are reported first
        raise GraphError("the graph is empty: it has no nodes")
    return report


def hashed(state: DataFrame) -> DataFrame:
    """Join hint: build a hash table of the (small) vector, stream the (large) edge table.

    Both sides are partitioned by the join key already (the routes by ``src``, the vector
    by node after the aggregation), so no side is shuffled for the join, and the edges
    are never sorted.
    """
    return state.hint("shuffle_hash")


def with_own_rows(edges: DataFrame, node_table: DataFrame, value: str) -> DataFrame:
    """Edges ``(src, dst, value, own=False)`` plus one ``(v, v, null, own=True)`` per node."""
    F, T, _ = pyspark_modules()
    own_rows = node_table.select(
        F.col("node").alias("src"),
        F.col("node").alias("dst"),
        F.lit(None).cast(T.DoubleType()).alias(value),
        F.lit(True).alias("own"),
    )
    # Partitioned by source as the vector is by node, so the per-iteration join of the two
    # moves neither (the cached edges never move again). An explicit partition count, so
    # that adaptive execution cannot coalesce it: if the counts differ, only the vector moves.
    partitions = int(edges.sparkSession.conf.get("spark.sql.shuffle.partitions"))
    return (
        edges.select("src", "dst", value, F.lit(False).alias("own"))
        .unionByName(own_rows)
        .repartition(partitions, "src")
    )


def node_table(session: SparkSession, edges: DataFrame, extra: ExtraNodes) -> DataFrame:
    """Every endpoint (zero-weight edges included) plus the extra nodes, once each."""
    F, T, _ = pyspark_modules()
    table = edges.select(F.col("src").alias("node")).unionByName(
        edges.select(F.col("dst").alias("node"))
    )
    if extra is not None:
        node_type = table.schema["node"].dataType
        if hasattr(extra, "sparkSession"):
            frame = extra.select(F.col(extra.columns[0]).cast(node_type).alias("node"))
        else:
            schema = T.StructType([T.StructField("node", node_type)])
            frame = session.createDataFrame(
                [(coerce_node(node, node_type),) for node in extra], schema
            )
        table = table.unionByName(frame)
    return table.distinct()


def seed_table(session: SparkSession, node_table: DataFrame, seeds: Seeds) -> DataFrame:
    """``(node, seed)`` probabilities (membership in the graph is checked by :func:`_report`)."""
    F, T, _ = pyspark_modules()
    node_type = node_table.schema["node"].dataType
    rows = seed_rows(seeds, node_type)
    schema = T.StructType(
        [T.StructField("node", node_type), T.StructField("seed", T.DoubleType(), False)]
    )
    try:
        frame = session.createDataFrame(rows, schema)
    except (TypeError, ValueError):
        shown = ", ".join(repr(node) for node, _ in rows[:5])
        raise SeedError(f"seeds not in the graph (wrong id type?): {shown}") from None
    return F.broadcast(frame)


def local_trust_from_counts(
    edges: EdgesLike, satisfied: str, unsatisfied: str, source: str, target: str
) -> DataFrame:
    F, T, _ = pyspark_modules()
    if not hasattr(edges, "sparkSession"):
        raise ParameterError("satisfied=/unsatisfied= need a DataFrame of edges, not a path")
    for column in (source, target, satisfied, unsatisfied):
        if column not in edges.columns:
            raise ParameterError(f"no column {column!r} in the edges; columns are {edges.columns}")
    counts = edges.select(
        F.col(source).alias("src"),
        F.col(target).alias("dst"),
        F.col(satisfied).cast(T.DoubleType()).alias("sat"),
        F.col(unsatisfied).cast(T.DoubleType()).alias("unsat"),
    )
    check_edges(counts, ("sat", "unsat"))  # one job for both columns
    return counts.select(
        "src", "dst", F.greatest(F.col("sat") - F.col("unsat"), F.lit(0.0)).alias("weight")
    )


def _walk_step(
    routes: DataFrame, state: DataFrame, damping: float, dangling_mass: float
) -> tuple[DataFrame, Row]:
    """One iteration of :func:`_random_walk` and its one job.

    Returns the new vector (a local checkpoint, with the old value as ``previous``) and the
    row of what the next iteration and the stopping rule need, computed in the same pass:
    the L1 change, the mass on dangling nodes and the total of the positive scores.
    """
    F, _, _ = pyspark_modules()
    comeback = (1.0 - damping) + damping * dangling_mass
    own = F.col("own")
    updated = (
        routes.join(hashed(state.withColumnRenamed("node", "src")), "src")
        .groupBy("dst")
        .agg(
            F.sum(F.when(~own, F.col("x") * F.col("p"))).alias("received"),
            F.max(F.when(own, F.col("seed"))).alias("seed"),
            F.max(F.when(own, F.col("dangling"))).alias("dangling"),
            F.max(F.when(own, F.col("x"))).alias("previous"),
        )
        .select(
            F.col("dst").alias("node"),
            "seed",
            "dangling",
            (
                F.lit(damping) * F.coalesce(F.col("received"), F.lit(0.0))
                + F.lit(comeback) * F.col("seed")
            ).alias("x"),
            "previous",
        )
        .localCheckpoint(eager=False)
    )
    totals = updated.agg(
        F.sum(F.abs(F.col("x") - F.col("previous"))).alias("residual"),
        F.sum(F.when(F.col("dangling"), F.col("x")).otherwise(F.lit(0.0))).alias("dangling"),
        F.sum(F.greatest(F.col("x"), F.lit(0.0))).alias("positive"),
    ).first()
    return updated, totals


def _lost_local_checkpoint(error: BaseException) -> bool:
    """Whether a failed Spark job lost a local checkpoint's blocks (an executor died, or
    its cached blocks were dropped): the one failure that setting up again can mend."""
    text = str(error)
    return "CHECKPOINT_RDD_BLOCK_ID_NOT_FOUND" in text or "Checkpoint block" in text


def reliable_checkpoint(frame: DataFrame, iteration: int, interval: int) -> DataFrame:
    """Every `interval` iterations, copy the (locally checkpointed) vector to the checkpoint dir.

    Iterative DataFrame code must cut its plan every iteration: Spark's optimiser works on
    the whole plan, and its cost grows with every iteration the plan spans. Each iteration's
    vector is therefore a local checkpoint (executor memory and disk), filled by the
    iteration's own job. A local checkpoint cannot be recomputed, so every `interval`
    iterations the vector is also written to the reliable checkpoint directory (two small
    jobs that read the cached vector, not a recomputation).
    """
    if interval and iteration % interval == 0:
        return frame.checkpoint(eager=True)
    return frame


@contextlib.contextmanager
def persisted() -> Iterator[Callable[[DataFrame], DataFrame]]:
    """``persist(frame)`` for the duration of a computation, unpersisted however it ends."""
    from pyspark import StorageLevel

    frames: list[DataFrame] = []

    def persist(frame: DataFrame) -> DataFrame:
        frames.append(frame.persist(getattr(StorageLevel, _STORAGE)))
        return frames[-1]

    try:
        yield persist
    finally:
        for frame in frames:
            frame.unpersist()


def _sum_or_zero(value: float | None) -> float:
    return 0.0 if value is None else float(value)


def check_count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ParameterError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def check_interval(value: int | None) -> int:
    if value is None:
        return 0
    return check_count(value, "checkpoint_interval")
