"""Trust propagation on Apache Spark: PPR / TrustRank, EigenTrust and SybilRank as DataFrames.

The same algorithms and conventions as the single-machine CSR core
(:func:`trustgraph.personalized_pagerank`, :func:`trustgraph.eigentrust`,
:func:`trustgraph.sybilrank`), for edge lists too big for one machine: the graph is a
DataFrame of edges ``(src, dst, weight)`` (or a CSV/TSV/Parquet path Spark can read) and the
result is a DataFrame ``(node, score)`` with a row for every node. A call runs one Spark job
to set up and check, then each iteration is one job: a join of the cached edges with the
current vector (partitioned alike, so without a shuffle) and one ``groupBy`` of the targets.

Conventions (as in the core): graph first, seeds second, everything else keyword-only;
``damping`` is the probability of following an edge; dangling nodes (no out-edge of positive
weight) send their mass back to the seeds; zero-weight edges are ignored (their endpoints
still get a score); negative, NaN or missing weights raise
:class:`~trustgraph.GraphError`; ``tol`` is an absolute L1 change and running past
``max_iter`` raises :class:`~trustgraph.ConvergenceError`. Duplicate edges add up.

Numbers: the update mirrors the core's order of operations (weights times the inverse
out-strength, ``damping`` times the propagated mass, then the restart and dangling mass added
to the seeds, all in double precision), so results agree with the core to about 1e-15;
only the order of the sums differs. ``pyspark`` is imported on first use, never by
``import trustgraph``. See ``docs/spark.md`` for costs, checkpointing and ``spark-submit``.
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from trustgraph.backends._spark_support import (
    check_edges,
    checkpoint_directory,
    coerce_node,
    collect_scores,
    edge_frame,
    first_bad_edge,
    local_session,
    pyspark_modules,
    raise_for_bad_edge,
    read_edges,
    resolve_session,
    seed_rows,
)
from trustgraph.core.validate import check_damping, check_max_iter, check_tol
from trustgraph.exceptions import ConvergenceError, GraphError, ParameterError, SeedError

__all__ = [
    "collect_scores",
    "eigentrust",
    "local_session",
    "personalized_pagerank",
    "read_edges",
    "sybilrank",
    "trustrank",
]

Seeds = Iterable[Hashable] | Mapping[Hashable, float]
#: A Spark DataFrame of edges, or a path Spark can read (see :func:`read_edges`).
EdgesLike = Any

_STORAGE = "MEMORY_AND_DISK"
#: SybilRank's ways to merge ``u -> v`` and ``v -> u`` (as ``trustgraph.sybilrank``).
_SYMMETRISE_RULES = ("sum", "max", "min", "mean")


def personalized_pagerank(
    edges: EdgesLike,
    seeds: Seeds,
    *,
    damping: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 1000,
    n_iter: int | None = None,
    source: str = "src",
    target: str = "dst",
    weight: str | None = "weight",
    directed: bool = True,
    nodes: Any = None,
    spark: Any = None,
    checkpoint_interval: int | None = 10,
    checkpoint_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> Any:
    """Personalized PageRank (random walk with restart) from trusted seeds, on Spark.

    The walker follows an out-edge with probability `damping`, picking it in proportion to
    its weight, and otherwise jumps back to a seed. Trust propagates *along* edges. Dangling
    nodes (no out-edge of positive weight) send their mass back to the seeds; zero-weight
    edges are ignored.

    Parameters
    ----------
    edges : pyspark.sql.DataFrame or path
        Edge ``u -> v`` means u trusts v. A DataFrame with columns `source`, `target` and
        `weight`; or a CSV/TSV/Parquet path read with :func:`read_edges`.
    seeds : iterable of nodes or mapping of node to non-negative weight
        The teleport distribution (normalised to sum to one). Ids are converted to the node
        column's type (``5`` matches ``"5"`` in a text file).
    damping : float, default 0.85
        Probability of following an edge, in [0, 1).
    tol : float, default 1e-10
        Absolute L1 change between iterations at which to stop.
    max_iter : int, default 1000
        Iterations allowed before :class:`~trustgraph.ConvergenceError`.
    n_iter : int, optional
        Run exactly this many iterations instead (no convergence test, `tol` and
        `max_iter` unused), as the TrustRank paper's fixed ``M_B = 20``.
    source, target, weight : str
        Column names in `edges` (a DataFrame); ``weight=None`` gives every edge weight 1.
    directed : bool, default True
        ``False`` reads each edge as a tie in both directions (a self-loop once).
    nodes : DataFrame or iterable, optional
        Extra nodes (isolated ones); a DataFrame's first column holds the ids.
    spark : SparkSession, optional
        Default: the session of `edges`, else the active one, else :func:`local_session`.
    checkpoint_interval : int or None, default 10
        Every iteration's vector is a local checkpoint (which cuts the plan and lineage);
        every this many iterations it is also copied to a reliable checkpoint in the
        checkpoint directory (``None`` or 0: never; two small jobs each time). When a
        lost executor takes local checkpoint blocks with it, the walk sets up again and
        resumes from the last reliable copy (or the start), with a ``RuntimeWarning``.
    checkpoint_dir : str or path, optional
        Checkpoint directory. Default: the context's own, else a new directory under the
        system temp dir (``$TMPDIR``). On a cluster give a shared path (``hdfs://...``).
    progress : callable, optional
        Called on the driver as ``progress(iteration, l1_change)`` after every iteration
        (each one a Spark job, seconds apiece on large graphs), as in the core.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``node`` and ``score`` (double), one row per node, scores summing to one.
        The scores are already computed (held as a local checkpoint on the executors);
        write them out, or turn a small result into a dict with :func:`collect_scores`.

    Raises
    ------
    SeedError
        Empty or unknown seeds, negative or zero-sum seed weights.
    GraphError
        A negative, NaN, infinite or missing weight, or a missing endpoint.
    ParameterError
        `damping` outside [0, 1), bad `tol`, `max_iter`, `n_iter`, `checkpoint_interval` or
        column names.
    ConvergenceError
        `tol` not met within `max_iter` iterations (``.iterations``, ``.residual``).

    See Also
    --------
    trustgraph.personalized_pagerank : the single-machine version (same numbers).
    trustrank, eigentrust, collect_scores

    Notes
    -----
    Iterates ``x <- damping (x P) + (1 - damping + damping * sum(x[dangling])) s`` from
    ``x = s``, ``P`` the weights divided by the out-strength, then returns
    ``max(x, 0) / sum(max(x, 0))`` (the core's final clean-up). One Spark job sets up
    (checks, node table, out-strengths, seeds); then one job per iteration: a join of the
    ``m`` cached edges with the ``n``-row vector (both partitioned by node, so neither
    moves), one shuffle to sum by target, and in the same pass the L1 change and the
    dangling mass. networkx's ``alpha`` is our `damping`.

    References
    ----------
    .. [1] L. Page, S. Brin, R. Motwani, T. Winograd, "The PageRank citation ranking:
       bringing order to the web", Stanford InfoLab, 1999.

    Examples
    --------
    >>> spark = local_session("local[2]", log_level="ERROR")  # doctest: +SKIP
    >>> edges = spark.createDataFrame(
    ...     [("A", "B", 3.0), ("A", "C", 1.0), ("B", "C", 1.0), ("C", "A", 1.0),
    ...      ("C", "D", 1.0)], ["src", "dst", "weight"])  # doctest: +SKIP
    >>> scores = collect_scores(personalized_pagerank(edges, ["A"]))  # doctest: +SKIP
    >>> {node: round(value, 6) for node, value in scores.items()}  # doctest: +SKIP
    {'A': 0.368666, 'B': 0.235024, 'C': 0.278112, 'D': 0.118198}
    """
    return _random_walk(
        edges,
        seeds,
        damping=damping,
        tol=tol,
        max_iter=max_iter,
        n_iter=n_iter,
        source=source,
        target=target,
        weight=weight,
        directed=directed,
        nodes=nodes,
        spark=spark,
        checkpoint_interval=checkpoint_interval,
        checkpoint_dir=checkpoint_dir,
        progress=progress,
    )


def trustrank(edges: EdgesLike, seeds: Seeds, **options: Any) -> Any:
    """TrustRank on Spark: personalized PageRank from oracle-approved good seeds.

    Parameters
    ----------
    edges : pyspark.sql.DataFrame or path
    seeds : iterable of nodes or mapping of node to weight
        The good seeds.
    **options
        Keyword-only options of :func:`personalized_pagerank` (``damping``, ``tol``,
        ``max_iter``, ``n_iter``, column names, checkpointing).

    Returns
    -------
    pyspark.sql.DataFrame
        ``(node, score)``, one row per node, summing to one.

    Raises
    ------
    SeedError, GraphError, ParameterError, ConvergenceError
        As in :func:`personalized_pagerank`.

    See Also
    --------
    trustgraph.trustrank, personalized_pagerank

    Notes
    -----
    The paper's ``alpha_B`` is `damping`; its fixed ``M_B = 20`` iterations are
    ``n_iter=20``.

    References
    ----------
    .. [1] Z. Gyöngyi, H. Garcia-Molina, J. Pedersen, "Combating web spam with TrustRank",
       VLDB 2004.

    Examples
    --------
    >>> edges = spark.createDataFrame([("good", "a", 1.0), ("a", "b", 1.0),
    ...     ("spam", "b", 1.0)], ["src", "dst", "weight"])  # doctest: +SKIP
    >>> collect_scores(trustrank(edges, ["good"], n_iter=20))["spam"]  # doctest: +SKIP
    0.0
    """
    return personalized_pagerank(edges, seeds, **options)


def eigentrust(
    edges: EdgesLike,
    seeds: Seeds,
    *,
    damping: float = 0.85,
    satisfied: str | None = None,
    unsatisfied: str | None = None,
    **options: Any,
) -> Any:
    """EigenTrust global trust with pre-trusted peers, on Spark.

    Local trust is the non-negative `weight` column, or ``max(sat - unsat, 0)`` when both
    `satisfied` and `unsatisfied` name columns of `edges`. Rows are normalised; peers
    without positive local trust (dangling) fall back to the pre-trust vector.

    Parameters
    ----------
    edges : pyspark.sql.DataFrame or path
        Edge ``i -> j`` carries i's local trust in j.
    seeds : iterable of nodes or mapping of node to weight
        The pre-trusted peers (``p`` in the paper).
    damping : float, default 0.85
        ``1 - a`` in the paper's notation.
    satisfied, unsatisfied : str, optional
        Columns counting satisfactory and unsatisfactory transactions (a DataFrame
        `edges` only). Give both or neither; negative or missing counts raise GraphError.
    **options
        The other keyword-only options of :func:`personalized_pagerank`.

    Returns
    -------
    pyspark.sql.DataFrame
        ``(node, score)``, one row per node, summing to one.

    Raises
    ------
    SeedError, GraphError, ParameterError, ConvergenceError
        As in :func:`personalized_pagerank`.

    See Also
    --------
    trustgraph.eigentrust, personalized_pagerank

    Notes
    -----
    The paper's ``t(k+1) = (1 - a) C^T t(k) + a p`` is personalized PageRank with
    ``damping = 1 - a``, teleport ``p`` (`seeds`) and dangling mass to ``p``.

    References
    ----------
    .. [1] S. D. Kamvar, M. T. Schlosser, H. Garcia-Molina, "The EigenTrust algorithm for
       reputation management in P2P networks", WWW 2003.

    Examples
    --------
    The go-eigentrust README example (a = 0.5): ek 28/129, sd 13/43, vm 62/129.

    >>> edges = spark.createDataFrame([("ek", "sd", 100.0), ("vm", "sd", 100.0),
    ...     ("ek", "vm", 75.0)], ["src", "dst", "weight"])  # doctest: +SKIP
    >>> scores = collect_scores(eigentrust(edges, {"ek": 50, "vm": 100}, damping=0.5))
    ... # doctest: +SKIP
    >>> {peer: round(value, 6) for peer, value in scores.items()}  # doctest: +SKIP
    {'ek': 0.217054, 'sd': 0.302326, 'vm': 0.48062}
    """
    if (satisfied is None) != (unsatisfied is None):
        raise ParameterError("give both satisfied= and unsatisfied= columns, or neither")
    if satisfied is not None:
        edges = _local_trust_from_counts(edges, satisfied, unsatisfied, options)
        options = {**options, "weight": "weight", "source": "src", "target": "dst"}
    return personalized_pagerank(edges, seeds, damping=damping, **options)


def sybilrank(
    edges: EdgesLike,
    seeds: Seeds,
    *,
    n_steps: int | None = None,
    source: str = "src",
    target: str = "dst",
    weight: str | None = "weight",
    directed_rule: str = "sum",
    normalize: bool = True,
    nodes: Any = None,
    spark: Any = None,
    checkpoint_interval: int | None = 10,
    checkpoint_dir: str | os.PathLike[str] | None = None,
) -> Any:
    """SybilRank on Spark: trust from verified seeds, spread by an early-terminated walk.

    The seeds share a total trust of one; each step every node hands its trust to its
    neighbours in proportion to the tie weights; after `n_steps` steps each node is scored by
    its trust per unit of weighted degree.

    Parameters
    ----------
    edges : pyspark.sql.DataFrame or path
        Social ties, read as directed edges ``u -> v`` (duplicates add up) and merged into
        undirected ties by `directed_rule`. With the default ``"sum"`` each row adds its
        weight to the tie ``{u, v}``: list an undirected tie once.
    seeds : iterable of nodes or mapping of node to non-negative weight
        Verified honest nodes.
    n_steps : int, optional
        Steps of the walk; ``ceil(log2(n))`` for ``n`` nodes by default.
    source, target, weight : str
        Column names; ``weight=None`` counts every tie as 1 (the paper's walk).
    directed_rule : {"sum", "max", "min", "mean"}, default "sum"
        Weight of the tie ``{u, v}`` from the weights of ``u -> v`` and ``v -> u``, as
        :meth:`trustgraph.CompactGraph.to_undirected` (a missing direction contributes
        nothing; ``"mean"`` averages the directions present; a zero-weight direction
        counts, so ``"min"`` of 0 and 3 is no tie).
    normalize : bool, default True
        Divide trust by weighted degree (the paper's ranking score); ``False`` returns the
        raw trust, which sums to one.
    nodes, spark, checkpoint_interval, checkpoint_dir
        As in :func:`personalized_pagerank` (checkpoints every that many steps).

    Returns
    -------
    pyspark.sql.DataFrame
        ``(node, score)``, one row per node; nodes the trust did not reach, and nodes of zero
        weighted degree, score 0.0 (an isolated seed keeps its raw trust). Already computed.

    Raises
    ------
    SeedError
        Seeds empty, unknown, negative or summing to zero.
    GraphError
        No nodes, or a NaN, infinite, negative or missing weight.
    ParameterError
        `n_steps` not a non-negative integer, an unknown `directed_rule`, or bad column
        names.

    See Also
    --------
    trustgraph.sybilrank : the single-machine version (same numbers).

    Notes
    -----
    ``T_i(v) = sum_u T_{i-1}(u) w(u, v) / deg_w(u)``; the paper's total trust ``|V|`` is
    scaled to one and its ``O(log n)`` iterations are `n_steps`.

    References
    ----------
    .. [1] Q. Cao, M. Sirivianos, X. Yang and T. Pregueiro, "Aiding the Detection of Fake
       Accounts in Large Scale Social Online Services", NSDI 2012.

    Examples
    --------
    >>> edges = spark.createDataFrame([(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0),
    ...     (2, 7, 1.0), (7, 8, 1.0)], ["src", "dst", "weight"])  # doctest: +SKIP
    >>> scores = collect_scores(sybilrank(edges, [0], n_steps=2))  # doctest: +SKIP
    >>> {node: round(value, 6) for node, value in scores.items()}  # doctest: +SKIP
    {0: 0.208333, 1: 0.083333, 2: 0.083333, 7: 0.083333, 8: 0.0}
    """
    F, _, _ = pyspark_modules()
    if n_steps is not None:
        n_steps = _check_count(n_steps, "n_steps")
    if directed_rule not in _SYMMETRISE_RULES:
        raise ParameterError(
            f"directed_rule must be one of {_SYMMETRISE_RULES}, got {directed_rule!r}"
        )
    interval = _check_interval(checkpoint_interval)
    session = resolve_session(spark, edges)
    frame = edge_frame(edges, session, source, target, weight)
    with _persisted() as persist:
        all_edges = persist(frame)
        positive = _symmetrised(all_edges, directed_rule).where(F.col("weight") > 0)
        # One row per direction; a self-loop stays a single row (it counts once in the degree).
        ties = positive.unionByName(
            positive.where(F.col("src") != F.col("dst")).select(
                F.col("dst").alias("src"), F.col("src").alias("dst"), "weight"
            )
        )
        node_table = _node_table(session, all_edges, nodes)
        strength = ties.groupBy("src").agg(F.sum("weight").alias("strength"))
        start = _seed_table(session, node_table, seeds)
        base = (
            node_table.join(strength.withColumnRenamed("src", "node"), "node", "left")
            .join(start, "node", "left")
            .select(
                "node",
                F.col("strength").isNotNull().alias("has_degree"),
                F.coalesce(F.col("strength"), F.lit(0.0)).alias("strength"),
                F.coalesce(F.col("seed"), F.lit(0.0)).alias("x"),
            )
            .localCheckpoint(eager=False)
        )
        # One job: the node table with degrees, the edge check, the seed check, the node count.
        count = _report(base, all_edges, start, F.lit(None))["nodes"]
        steps = math.ceil(math.log2(count)) if n_steps is None else n_steps
        if interval and steps >= interval:
            checkpoint_directory(session, checkpoint_dir)
        # Each node also "sends to itself" through an own-row, so the state is read once per
        # step and the plan grows linearly between checkpoints (reading it twice doubles it).
        routes = persist(_with_own_rows(ties.select("src", "dst", "weight"), base, "weight"))
        state = base
        for step in range(1, steps + 1):
            # The core divides trust by degree, then multiplies by each tie weight; so here.
            per_unit = F.when(F.col("has_degree"), F.col("x") / F.col("strength")).otherwise(0.0)
            # Nodes without degree have nowhere to send trust: they keep it.
            kept = F.when(F.col("has_degree"), F.lit(0.0)).otherwise(F.col("x"))
            updated = (
                routes.join(_hashed(state.withColumnRenamed("node", "src")), "src")
                .groupBy("dst")
                .agg(
                    F.sum(F.when(~F.col("own"), F.col("weight") * per_unit)).alias("received"),
                    F.max(F.when(F.col("own"), F.col("has_degree"))).alias("has_degree"),
                    F.max(F.when(F.col("own"), F.col("strength"))).alias("strength"),
                    F.max(F.when(F.col("own"), kept)).alias("kept"),
                )
                .select(
                    F.col("dst").alias("node"),
                    "has_degree",
                    "strength",
                    (F.coalesce(F.col("received"), F.lit(0.0)) + F.col("kept")).alias("x"),
                )
                .localCheckpoint(eager=False)
            )
            # No job per step: the steps run as one chain of stages when a job needs them
            # (a reliable checkpoint, or the count below).
            state = _reliable_checkpoint(updated, step, interval)
        state.count()
        score = F.col("x")
        if normalize:
            score = F.when(F.col("has_degree"), F.col("x") / F.col("strength")).otherwise(0.0)
        return state.select("node", score.alias("score"))


# ---------------------------------------------------------------------------- internals
def _random_walk(
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
    nodes: Any,
    spark: Any,
    checkpoint_interval: int | None,
    checkpoint_dir: str | os.PathLike[str] | None,
    progress: Callable[[int, float], None] | None = None,
) -> Any:
    """Power iteration of the walk with restart; mirrors ``core.solvers.ppr_power``."""
    F, _, _ = pyspark_modules()
    damping = check_damping(damping)
    if n_iter is None:
        tol, max_iter = check_tol(tol), check_max_iter(max_iter)
        rounds = max_iter
    else:
        rounds = _check_count(n_iter, "n_iter")
    interval = _check_interval(checkpoint_interval)
    session = resolve_session(spark, edges)
    all_edges = edge_frame(edges, session, source, target, weight)
    if not directed:
        all_edges = all_edges.unionByName(
            all_edges.where(F.col("src") != F.col("dst")).select(
                F.col("dst").alias("src"), F.col("src").alias("dst"), "weight"
            )
        )
    with _persisted() as persist:
        # Read by the checks, the node table, the out-strengths and the walk: read it once.
        all_edges = persist(all_edges)
        positive = all_edges.where(F.col("weight") > 0)
        strength = positive.groupBy("src").agg(F.sum("weight").alias("strength"))
        node_table = _node_table(session, all_edges, nodes)
        teleport = _seed_table(session, node_table, seeds)

        def prepare() -> tuple[Any, Any, float]:
            """The node table with seeds and out-strengths, the routes, the dangling mass."""
            base = (
                node_table.join(strength.withColumnRenamed("src", "node"), "node", "left")
                .join(teleport, "node", "left")
                .select(
                    "node",
                    F.coalesce(F.col("seed"), F.lit(0.0)).alias("seed"),
                    F.col("strength").isNull().alias("dangling"),
                    "strength",
                )
                .localCheckpoint(eager=False)
            )
            # One job: the base table, the edge and seed checks, the first dangling mass.
            report = _report(
                base, all_edges, teleport, F.sum(F.when(F.col("dangling"), F.col("seed")))
            )
            # Transition probability = weight * (1 / out-strength), the core's order.
            walk = positive.join(
                base.where(~F.col("dangling")).select(F.col("node").alias("src"), "strength"),
                "src",
            ).select("src", "dst", (F.col("weight") * (F.lit(1.0) / F.col("strength"))).alias("p"))
            # Each node also reaches itself through an own-row carrying its state, so the
            # state is read once per iteration and the plan grows linearly between
            # checkpoints.
            routes = persist(_with_own_rows(walk, base, "p"))
            start = base.select("node", "seed", "dangling", F.col("seed").alias("x"))
            return start, routes, _sum_or_zero(report["extra"])

        state, routes, dangling_mass = prepare()
        if interval and rounds >= interval:
            checkpoint_directory(session, checkpoint_dir)
        residual = math.inf
        positive_total = 1.0
        converged = False
        first = 1
        # (iteration, reliably checkpointed state, dangling mass after it)
        saved: tuple[int, Any, float] | None = None
        recoveries = 0
        while True:
            try:
                for iteration in range(first, rounds + 1):
                    updated, totals = _walk_step(routes, state, damping, dangling_mass)
                    if iteration == 1:
                        all_edges.unpersist()  # the routes are cached now
                    residual = _sum_or_zero(totals["residual"])
                    dangling_mass = _sum_or_zero(totals["dangling"])
                    positive_total = _sum_or_zero(totals["positive"])
                    state = _reliable_checkpoint(updated.drop("previous"), iteration, interval)
                    if interval and iteration % interval == 0:
                        saved = (iteration, state, dangling_mass)
                    if progress is not None:
                        progress(iteration, residual)
                    if n_iter is None and residual < tol:
                        converged = True
                        break
                break
            except Exception as error:
                if not _lost_local_checkpoint(error) or recoveries >= _MAX_RECOVERIES:
                    raise
                recoveries += 1
                # Local checkpoints live on the executors and cannot be recomputed: set up
                # again from the edges and go on from the last reliable checkpoint.
                state, routes, dangling_mass = prepare()
                first = 1
                if saved is not None:
                    first, state, dangling_mass = saved[0] + 1, saved[1], saved[2]
                warnings.warn(
                    f"Spark lost a local checkpoint (an executor's blocks) during iteration "
                    f"{iteration}; resuming after iteration {first - 1} "
                    f"({'the last reliable checkpoint' if saved else 'the start'})",
                    RuntimeWarning,
                    stacklevel=3,
                )
        if n_iter is None and not converged:
            raise ConvergenceError(
                f"power iteration did not reach tol={tol!r} within max_iter={max_iter} "
                f"(last L1 change {residual:.3e}); raise max_iter or lower damping",
                iterations=max_iter,
                residual=residual,
            )
        # The core's final clean-up: max(x, 0) / sum(max(x, 0)).
        scale = F.lit(positive_total if positive_total > 0 else 1.0)
        return state.select("node", (F.greatest(F.col("x"), F.lit(0.0)) / scale).alias("score"))


def _symmetrised(edges: Any, rule: str) -> Any:
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


def _report(base: Any, all_edges: Any, teleport: Any, extra: Any) -> Any:
    """Run the set-up checks in one job; raise GraphError / SeedError; return the row.

    The row holds ``nodes`` (the node count) and ``extra`` (the aggregate `extra` over
    `base`). The job also computes `base` and so fills its local checkpoint: the edges are
    read, the node table built and the out-strengths summed once per call.
    """
    """Run the set-up checks in one job; raise GraphError / SeedError; return the row.

    The row has ``nodes`` (the node count) and ``extra`` (the aggregate `extra` over
    `base`). Computing `base` here also fills its (local) checkpoint.
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


def _hashed(state: Any) -> Any:
    """Join hint: build a hash table of the (small) vector, stream the (large) edge table.

    Both sides are partitioned by the join key already (the routes by ``src``, the vector
    by node after the aggregation), so no side is shuffled for the join, and the edges
    are never sorted.
    """
    return state.hint("shuffle_hash")


def _with_own_rows(edges: Any, node_table: Any, value: str) -> Any:
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


def _node_table(session: Any, edges: Any, extra: Any) -> Any:
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


def _seed_table(session: Any, node_table: Any, seeds: Seeds) -> Any:
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


def _local_trust_from_counts(
    edges: Any, satisfied: str, unsatisfied: str, options: Mapping[str, Any]
) -> Any:
    F, T, _ = pyspark_modules()
    if not hasattr(edges, "sparkSession"):
        raise ParameterError("satisfied=/unsatisfied= need a DataFrame of edges, not a path")
    source, target = options.get("source", "src"), options.get("target", "dst")
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


def _walk_step(routes: Any, state: Any, damping: float, dangling_mass: float) -> tuple[Any, Any]:
    """One iteration of :func:`_random_walk` and its one job.

    Returns the new vector (a local checkpoint, with the old value as ``previous``) and the
    row of what the next iteration and the stopping rule need, computed in the same pass:
    the L1 change, the mass on dangling nodes and the total of the positive scores.
    """
    F, _, _ = pyspark_modules()
    comeback = (1.0 - damping) + damping * dangling_mass
    own = F.col("own")
    updated = (
        routes.join(_hashed(state.withColumnRenamed("node", "src")), "src")
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


#: Times a walk sets up again after losing a local checkpoint before it gives up.
_MAX_RECOVERIES = 3


def _lost_local_checkpoint(error: BaseException) -> bool:
    """Whether a failed Spark job lost a local checkpoint's blocks (an executor died, or
    its cached blocks were dropped): the one failure that setting up again can mend."""
    text = str(error)
    return "CHECKPOINT_RDD_BLOCK_ID_NOT_FOUND" in text or "Checkpoint block" in text


def _reliable_checkpoint(frame: Any, iteration: int, interval: int) -> Any:
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
def _persisted() -> Iterator[Callable[[Any], Any]]:
    """``persist(frame)`` for the duration of a computation, unpersisted however it ends."""
    from pyspark import StorageLevel

    frames: list[Any] = []

    def persist(frame: Any) -> Any:
        frames.append(frame.persist(getattr(StorageLevel, _STORAGE)))
        return frames[-1]

    try:
        yield persist
    finally:
        for frame in frames:
            frame.unpersist()


def _sum_or_zero(value: Any) -> float:
    return 0.0 if value is None else float(value)


def _check_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ParameterError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def _check_interval(value: int | None) -> int:
    if value is None:
        return 0
    return _check_count(value, "checkpoint_interval")
