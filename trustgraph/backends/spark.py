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

import math
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from trustgraph.algorithms.registry import Method, get_method, method_names
from trustgraph.backends._spark_support import (
    checkpoint_directory,
    collect_scores,
    edge_frame,
    local_session,
    pyspark_modules,
    read_edges,
    resolve_session,
)
from trustgraph.backends._spark_walk import (
    EdgesLike,
    ExtraNodes,
    Seeds,
    check_count,
    check_interval,
    hashed,
    local_trust_from_counts,
    node_table,
    persisted,
    random_walk,
    reliable_checkpoint,
    report,
    seed_table,
    symmetrised,
    with_own_rows,
)
from trustgraph.exceptions import ParameterError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "METHODS",
    "backend_function",
    "collect_scores",
    "eigentrust",
    "local_session",
    "personalized_pagerank",
    "rank",
    "read_edges",
    "sybilrank",
    "trustrank",
]

#: The registry's methods this backend implements (``method_names(spark=True)``).
METHODS: tuple[str, ...] = method_names(spark=True)
#: SybilRank's ways to merge ``u -> v`` and ``v -> u`` (as ``trustgraph.sybilrank``).
_SYMMETRISE_RULES = ("sum", "max", "min", "mean")
Progress = Callable[[int, float], None]


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
    nodes: ExtraNodes = None,
    spark: SparkSession | None = None,
    checkpoint_interval: int | None = 10,
    checkpoint_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> DataFrame:
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
    return random_walk(
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


def trustrank(
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
    nodes: ExtraNodes = None,
    spark: SparkSession | None = None,
    checkpoint_interval: int | None = 10,
    checkpoint_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> DataFrame:
    """TrustRank on Spark: personalized PageRank from oracle-approved good seeds.

    Parameters
    ----------
    edges : pyspark.sql.DataFrame or path
    seeds : iterable of nodes or mapping of node to weight
        The good seeds.
    damping, tol, max_iter, n_iter, source, target, weight, directed, nodes, spark
        As in :func:`personalized_pagerank`.
    checkpoint_interval, checkpoint_dir, progress
        As in :func:`personalized_pagerank`.

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
    return random_walk(
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


def eigentrust(
    edges: EdgesLike,
    seeds: Seeds,
    *,
    damping: float = 0.85,
    satisfied: str | None = None,
    unsatisfied: str | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    n_iter: int | None = None,
    source: str = "src",
    target: str = "dst",
    weight: str | None = "weight",
    directed: bool = True,
    nodes: ExtraNodes = None,
    spark: SparkSession | None = None,
    checkpoint_interval: int | None = 10,
    checkpoint_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> DataFrame:
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
    tol, max_iter, n_iter, source, target, weight, directed, nodes, spark
        As in :func:`personalized_pagerank`; `weight` is unused with counts.
    checkpoint_interval, checkpoint_dir, progress
        As in :func:`personalized_pagerank`.

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
    Negative local trust raises GraphError here: the go-eigentrust discount of
    ``trustgraph.eigentrust(..., signed="discount")`` is not implemented on Spark.

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
    if satisfied is not None and unsatisfied is not None:
        edges = local_trust_from_counts(edges, satisfied, unsatisfied, source, target)
        source, target, weight = "src", "dst", "weight"
    return random_walk(
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
    nodes: ExtraNodes = None,
    spark: SparkSession | None = None,
    checkpoint_interval: int | None = 10,
    checkpoint_dir: str | os.PathLike[str] | None = None,
) -> DataFrame:
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
        n_steps = check_count(n_steps, "n_steps")
    if directed_rule not in _SYMMETRISE_RULES:
        raise ParameterError(
            f"directed_rule must be one of {_SYMMETRISE_RULES}, got {directed_rule!r}"
        )
    interval = check_interval(checkpoint_interval)
    session = resolve_session(spark, edges)
    frame = edge_frame(edges, session, source, target, weight)
    with persisted() as persist:
        all_edges = persist(frame)
        positive = symmetrised(all_edges, directed_rule).where(F.col("weight") > 0)
        # One row per direction; a self-loop stays a single row (it counts once in the degree).
        ties = positive.unionByName(
            positive.where(F.col("src") != F.col("dst")).select(
                F.col("dst").alias("src"), F.col("src").alias("dst"), "weight"
            )
        )
        table = node_table(session, all_edges, nodes)
        strength = ties.groupBy("src").agg(F.sum("weight").alias("strength"))
        start = seed_table(session, table, seeds)
        base = (
            table.join(strength.withColumnRenamed("src", "node"), "node", "left")
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
        count = report(base, all_edges, start, F.lit(None))["nodes"]
        steps = math.ceil(math.log2(count)) if n_steps is None else n_steps
        if interval and steps >= interval:
            checkpoint_directory(session, checkpoint_dir)
        # Each node also "sends to itself" through an own-row, so the state is read once per
        # step and the plan grows linearly between checkpoints (reading it twice doubles it).
        routes = persist(with_own_rows(ties.select("src", "dst", "weight"), base, "weight"))
        state = base
        for step in range(1, steps + 1):
            # The core divides trust by degree, then multiplies by each tie weight; so here.
            per_unit = F.when(F.col("has_degree"), F.col("x") / F.col("strength")).otherwise(0.0)
            # Nodes without degree have nowhere to send trust: they keep it.
            kept = F.when(F.col("has_degree"), F.lit(0.0)).otherwise(F.col("x"))
            updated = (
                routes.join(hashed(state.withColumnRenamed("node", "src")), "src")
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
            state = reliable_checkpoint(updated, step, interval)
        state.count()
        score = F.col("x")
        if normalize:
            score = F.when(F.col("has_degree"), F.col("x") / F.col("strength")).otherwise(0.0)
        return state.select("node", score.alias("score"))


def rank(edges: EdgesLike, method: str, seeds: Seeds, **options: object) -> DataFrame:
    """Run a registered method by name on Spark (names and aliases as the registry's).

    Parameters
    ----------
    edges : pyspark.sql.DataFrame or path
    method : str
        A name :func:`trustgraph.algorithms.registry.get_method` accepts, of a method in
        :data:`METHODS`.
    seeds : iterable of nodes or mapping of node to weight
    **options
        Keyword options of that method's function here (e.g. ``damping``, ``n_steps``).

    Returns
    -------
    pyspark.sql.DataFrame
        ``(node, score)``, one row per node.

    Raises
    ------
    ParameterError
        An unknown method, or one this backend does not implement (the message lists
        :data:`METHODS`); and whatever the method raises.

    Examples
    --------
    >>> backend_function("personalized PageRank").__name__
    'personalized_pagerank'
    """
    return backend_function(method)(edges, seeds, **options)


def backend_function(method: str | Method) -> Callable[..., DataFrame]:
    """This module's function for a registered method (by name, alias or :class:`Method`).

    Raises
    ------
    ParameterError
        Unknown, or not implemented on Spark (the message lists :data:`METHODS`).
    """
    found = method if isinstance(method, Method) else get_method(method)
    if not found.spark:
        raise ParameterError(
            f"{found.name!r} does not run on Spark; choose from {', '.join(METHODS)}"
        )
    function: Callable[..., DataFrame] = globals()[found.function.__name__]
    return function
