"""Spark backend: start-up cost and per-iteration time of personalized PageRank.

Run ``python benchmarks/bench_spark.py`` (1M edges, ``local[2]``) or
``python benchmarks/bench_spark.py --edges 100000`` for a quick run. Needs the ``[spark]``
extra and Java. Prints the session start-up time, the fixed cost of one call (validation,
node table, seeds) and the time per power iteration, plus the per-edge cost per iteration
that ``docs/spark.md`` uses for its projections.

The graph comes from :func:`trustgraph.datasets.powerlaw_graph`, is written as a text edge
list and converted to Parquet in a temporary directory by Spark itself (untimed), then read
back from Parquet for every timed run. ``benchmarks/run.py`` may call :func:`bench_spark`.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from trustgraph.datasets import powerlaw_graph


def bench_spark(
    n_edges: int = 1_000_000,
    *,
    n_nodes: int | None = None,
    master: str = "local[2]",
    iterations: tuple[int, int] = (1, 6),
    seed: int = 0,
    shuffle_partitions: int = 4,
    java_options: str | None = None,
    workdir: str | None = None,
    stop: bool = True,
) -> dict[str, Any]:
    """Measure Spark start-up and per-iteration cost; returns the numbers as a dict.

    Per-iteration time is ``(t(k2) - t(k1)) / (k2 - k1)`` for two runs with ``n_iter`` k1
    and k2 (so the fixed cost of a call cancels out); the fixed cost is ``t(k1)`` minus k1
    iterations, both after one untimed warm-up call. Start-up is the time to create the
    session and run a first trivial job. `java_options` go to the driver JVM
    (``spark.driver.extraJavaOptions``, e.g. ``"-XX:TieredStopAtLevel=1"``). The Spark jobs
    of each timed call are counted too.
    """
    from trustgraph.backends import spark as backend

    n_nodes = n_nodes or max(10, n_edges // 10)
    cg = powerlaw_graph(n_nodes, n_edges, seed=seed)
    rows, cols = cg.edge_arrays()
    results: dict[str, Any] = {"n_nodes": n_nodes, "n_edges": int(rows.size), "master": master}

    start = time.perf_counter()
    config = {"spark.driver.extraJavaOptions": java_options} if java_options else None
    spark = backend.local_session(
        master, shuffle_partitions=shuffle_partitions, log_level="ERROR", config=config
    )
    spark.range(1).count()
    results["startup_s"] = time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="trustgraph-bench-spark-", dir=workdir) as tmp:
        text_path = Path(tmp) / "edges.tsv"
        table = np.column_stack([rows, cols, cg.weights]).astype(np.int64)
        np.savetxt(text_path, table, fmt="%d", delimiter="\t", header="src\tdst\tweight")
        parquet_path = str(Path(tmp) / "edges.parquet")
        spark.read.csv(str(text_path), sep="\t", header=True, schema=_schema()).write.parquet(
            parquet_path
        )
        spark.sparkContext.setCheckpointDir(str(Path(tmp) / "checkpoints"))
        seeds = [0, 1, 2]
        # An untimed warm-up call: the JVM compiles Spark's code paths on first use, which
        # would otherwise land in the first timed call and bias the per-iteration estimate.
        warm = backend.personalized_pagerank(
            backend.read_edges(parquet_path, spark=spark), seeds, n_iter=1
        )
        warm.agg({"score": "sum"}).first()
        timings, jobs = {}, {}
        context = spark.sparkContext
        for n_iter in iterations:
            group = f"trustgraph-bench-{n_iter}"
            context.setJobGroup(group, f"personalized_pagerank n_iter={n_iter}")
            begin = time.perf_counter()
            edges = backend.read_edges(parquet_path, spark=spark)
            scores = backend.personalized_pagerank(edges, seeds, n_iter=n_iter)
            scores.agg({"score": "sum"}).first()
            timings[n_iter] = time.perf_counter() - begin
            jobs[n_iter] = len(context.statusTracker().getJobIdsForGroup(group))
        context.setJobGroup("", "")
    low, high = iterations
    per_iteration = (timings[high] - timings[low]) / (high - low)
    results["call_s"] = {str(k): v for k, v in timings.items()}
    results["call_jobs"] = {str(k): v for k, v in jobs.items()}
    results["per_iteration_s"] = per_iteration
    results["fixed_cost_s"] = timings[low] - low * per_iteration
    results["ns_per_edge_iteration"] = per_iteration / results["n_edges"] * 1e9
    if stop:
        spark.stop()
    results.update(csr_per_iteration(cg, iterations=(1, 21)))
    return results


def csr_per_iteration(cg: Any, *, iterations: tuple[int, int] = (1, 21)) -> dict[str, float]:
    """Per-iteration time of the single-machine core's power iteration on the same graph.

    Runs ``trustgraph.personalized_pagerank(method="power")`` with an unreachable `tol` and
    ``max_iter`` k1 and k2, timing until the ConvergenceError, so the difference is k2 - k1
    iterations whatever the core's internals.
    """
    from trustgraph import personalized_pagerank
    from trustgraph.exceptions import ConvergenceError

    timings = {}
    for max_iter in iterations:
        begin = time.perf_counter()
        with contextlib.suppress(ConvergenceError):
            personalized_pagerank(cg, [0, 1, 2], method="power", tol=1e-300, max_iter=max_iter)
        timings[max_iter] = time.perf_counter() - begin
    low, high = iterations
    per_iteration = (timings[high] - timings[low]) / (high - low)
    return {
        "csr_per_iteration_s": per_iteration,
        "csr_ns_per_edge_iteration": per_iteration / cg.n_stored * 1e9,
    }


def _schema() -> str:
    return "src long, dst long, weight double"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000, help="edges to generate")
    parser.add_argument("--nodes", type=int, default=None, help="nodes (default edges / 10)")
    parser.add_argument("--master", default="local[2]", help="Spark master URL")
    parser.add_argument("--partitions", type=int, default=4, help="shuffle partitions")
    parser.add_argument(
        "--java-options", default=None, help="driver JVM options, e.g. -XX:TieredStopAtLevel=1"
    )
    args = parser.parse_args()
    results = bench_spark(
        args.edges,
        n_nodes=args.nodes,
        master=args.master,
        shuffle_partitions=args.partitions,
        java_options=args.java_options,
    )
    print(f"graph: {results['n_nodes']:,} nodes, {results['n_edges']:,} edges, {args.master}")
    print(f"start-up (session + first job): {results['startup_s']:.1f} s")
    print(
        f"fixed cost of one call (validation, node table, seeds): {results['fixed_cost_s']:.1f} s"
    )
    print(f"per iteration: {results['per_iteration_s']:.2f} s")
    print(f"seconds per call: {results['call_s']}; Spark jobs per call: {results['call_jobs']}")
    print(f"per edge and iteration: {results['ns_per_edge_iteration']:.0f} ns")
    print(
        f"single-machine CSR core, per iteration: {results['csr_per_iteration_s'] * 1e3:.1f} ms"
        f" ({results['csr_ns_per_edge_iteration']:.1f} ns per edge)"
    )


if __name__ == "__main__":
    main()
