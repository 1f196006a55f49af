"""The Spark backend against independent oracles and the single-machine core.

Oracle: a plain scipy power loop written here (not the core's solver), run for the same
number of iterations as Spark; agreement to 1e-12. The converged Spark results are also
compared with ``trustgraph.personalized_pagerank`` / ``eigentrust`` / ``sybilrank``.
One local Spark session serves every Spark test (``tests/conftest.py``); the graphs are
small, so what a test costs is mostly Spark's fixed cost per job and iteration.
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest
import scipy.sparse as sp

pytest.importorskip("pyspark", reason="the Spark backend needs pyspark (extra [spark])")
if shutil.which("java") is None:
    pytest.skip(
        "the Spark backend needs a Java runtime (java not on PATH)", allow_module_level=True
    )

from trustgraph import eigentrust as core_eigentrust
from trustgraph import personalized_pagerank as core_ppr
from trustgraph import sybilrank as core_sybilrank
from trustgraph.backends import spark as tgs
from trustgraph.core.compact import CompactGraph
from trustgraph.datasets import powerlaw_graph
from trustgraph.exceptions import (
    ConvergenceError,
    GraphError,
    ParameterError,
    SeedError,
)

N_NODES = 400
N_EDGES = 2500


@pytest.fixture(scope="module")
def graph():
    """A weighted power-law graph with zero-weight edges, dangling and isolated nodes."""
    cg = powerlaw_graph(N_NODES, N_EDGES, seed=7)
    rows, cols = cg.edge_arrays()
    weights = cg.weights.astype(np.float64).copy()
    weights[::13] = 0.0  # declared-only ties: ignored by the walk, endpoints still scored
    labels = np.asarray(cg.nodes)
    return labels[rows], labels[cols], weights, list(cg.nodes)


@pytest.fixture(scope="module")
def edges(spark, graph):
    sources, targets, weights, _ = graph
    rows = [(int(u), int(v), float(w)) for u, v, w in zip(sources, targets, weights)]
    return spark.createDataFrame(rows, "src long, dst long, weight double")


def oracle_ppr(graph, seeds: dict, damping: float, n_iter: int) -> dict:
    """Plain scipy power loop: x <- d P^T x + (1 - d + d * dangling mass) s, n_iter times."""
    sources, targets, weights, nodes = graph
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    rows = np.array([index[u] for u in sources])
    cols = np.array([index[v] for v in targets])
    matrix = sp.csr_array((weights, (rows, cols)), shape=(n, n))
    matrix.eliminate_zeros()
    strength = np.asarray(matrix.sum(axis=1)).ravel()
    dangling = strength == 0
    inverse = np.zeros(n)
    inverse[~dangling] = 1.0 / strength[~dangling]
    transition_t = (sp.diags_array(inverse) @ matrix).T.tocsr()
    teleport = np.zeros(n)
    for node, weight in seeds.items():
        teleport[index[node]] = weight
    teleport /= teleport.sum()
    x = teleport.copy()
    for _ in range(n_iter):
        x = damping * (transition_t @ x) + (1 - damping + damping * x[dangling].sum()) * teleport
    x = np.maximum(x, 0)
    return dict(zip(nodes, (x / x.sum()).tolist()))


def assert_close(actual: dict, expected: dict, atol: float) -> None:
    assert set(actual) == set(expected)
    worst = max(abs(actual[node] - expected[node]) for node in expected)
    assert worst <= atol, f"largest difference {worst:.3e} > {atol:.0e}"


def test_ppr_twenty_iterations_match_scipy_oracle(edges, graph):
    nodes = graph[3]
    seeds = {0: 1.0, 5: 1.0, 17: 1.0}
    scores = tgs.collect_scores(
        tgs.personalized_pagerank(
            edges, list(seeds), n_iter=20, nodes=nodes, checkpoint_interval=7
        )
    )
    assert_close(scores, oracle_ppr(graph, seeds, 0.85, 20), atol=1e-12)
    assert math.isclose(sum(scores.values()), 1.0, abs_tol=1e-12)


def drop_cached_blocks(session) -> None:
    """What an executor's death does to its blocks: every persisted RDD is dropped, and
    with it the blocks behind the local checkpoints."""
    rdds = session.sparkContext._jsc.getPersistentRDDs()
    for key in list(rdds.keySet().toArray()):
        rdds.get(key).unpersist(True)


def test_ppr_survives_losing_its_local_checkpoints(spark):
    """Blocks lost after iteration 5: the walk resumes from its reliable checkpoint of
    iteration 3 (``checkpoint_interval=3``) and ends where an unbroken run ends."""
    rows = [("A", "B", 3.0), ("A", "C", 1.0), ("B", "C", 1.0), ("C", "A", 1.0), ("C", "D", 1.0)]
    edges = spark.createDataFrame(rows, ["src", "dst", "weight"])
    steps: list[int] = []

    def progress(iteration: int, change: float) -> None:
        steps.append(iteration)
        if len(steps) == 5:
            drop_cached_blocks(spark)

    with pytest.warns(RuntimeWarning, match="resuming after iteration 3 "):
        frame = tgs.personalized_pagerank(
            edges, ["A"], n_iter=8, checkpoint_interval=3, progress=progress
        )
    assert steps == [1, 2, 3, 4, 5, 4, 5, 6, 7, 8]
    graph = (*map(np.array, zip(*rows)), ["A", "B", "C", "D"])
    assert_close(tgs.collect_scores(frame), oracle_ppr(graph, {"A": 1.0}, 0.85, 8), atol=1e-12)


def test_eigentrust_from_parquet_converges_like_the_core(spark, graph, tmp_path):
    sources, targets, weights, nodes = graph
    path = str(tmp_path / "edges.parquet")
    frame = spark.createDataFrame(
        [(int(u), int(v), float(w)) for u, v, w in zip(sources, targets, weights)],
        "source long, target long, weight double",
    )
    frame.write.parquet(path)
    pretrust = {3: 50.0, 11: 100.0}
    # Same start, update and stopping rule as the core's power iteration, so both stop at
    # the same round and agree to rounding (damping 0.3 keeps the rounds few).
    converged = tgs.collect_scores(
        tgs.eigentrust(path, pretrust, damping=0.3, tol=1e-6, nodes=nodes)
    )
    cg = CompactGraph.from_edges(sources, targets, weights, nodes=nodes)
    expected = core_eigentrust(cg, pretrust, damping=0.3, tol=1e-6, method="power")
    assert_close(converged, expected, atol=1e-12)


def test_eigentrust_local_trust_from_transaction_counts(spark):
    # Local trust max(sat - unsat, 0): ek->sd 100, vm->sd 100, ek->vm 75 (the go-eigentrust
    # README graph) and vm->ek 0 (more complaints than good transactions: ignored).
    counts = [("ek", "sd", 110, 10), ("vm", "sd", 100, 0), ("ek", "vm", 80, 5), ("vm", "ek", 2, 9)]
    frame = spark.createDataFrame(counts, ["from", "to", "good", "bad"])
    scores = tgs.collect_scores(
        tgs.eigentrust(
            frame, {"ek": 50, "vm": 100}, damping=0.5, satisfied="good", unsatisfied="bad",
            source="from", target="to", n_iter=4,
        )
    )  # fmt: skip
    trust = [(u, v, max(good - bad, 0.0)) for u, v, good, bad in counts]
    graph = (*map(np.array, zip(*trust)), ["ek", "sd", "vm"])
    assert_close(scores, oracle_ppr(graph, {"ek": 50, "vm": 100}, 0.5, 4), atol=1e-12)
    negative = spark.createDataFrame([("ek", "sd", 3, -1)], ["src", "dst", "good", "bad"])
    with pytest.raises(GraphError, match=r"-1\.0"):
        tgs.eigentrust(negative, ["ek"], satisfied="good", unsatisfied="bad", n_iter=1)


def test_converged_trustrank_matches_core(spark):
    # The DESIGN.md section 6 graph (reference A 0.368666 ... at damping 0.85).
    rows = [("A", "B", 3.0), ("A", "C", 1.0), ("B", "C", 1.0), ("C", "A", 1.0), ("C", "D", 1.0)]
    edges = spark.createDataFrame(rows, ["src", "dst", "weight"])
    # Both stop at the same round (about 10 here), so they agree to rounding; each reports
    # every iteration's L1 change on the way.
    spark_steps, core_steps = [], []
    scores = tgs.collect_scores(
        tgs.trustrank(
            edges, ["A"], damping=0.5, tol=1e-3, progress=lambda *step: spark_steps.append(step)
        )
    )
    cg = CompactGraph.from_edges(*zip(*rows))
    expected = core_ppr(
        cg, ["A"], damping=0.5, tol=1e-3, method="power", progress=lambda *s: core_steps.append(s)
    )
    assert_close(scores, expected, atol=1e-12)
    assert (
        [k for k, _ in spark_steps]
        == [k for k, _ in core_steps]
        == list(range(1, len(core_steps) + 1))
    )
    assert np.allclose([c for _, c in spark_steps], [c for _, c in core_steps], rtol=0, atol=1e-12)
    assert spark_steps[-1][1] < 1e-3 <= spark_steps[-2][1]  # it stopped at the first pass


def test_sybilrank_matches_reference_and_core(spark, graph):
    # DESIGN.md section 6: honest 0..5, sybil clique 6..9, attack edge 5-6, seed 0, 3 steps.
    ties = [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (3, 4), (4, 5), (3, 5), (2, 4), (5, 6)]
    ties += [(a, b) for a in range(6, 10) for b in range(a + 1, 10)]
    frame = spark.createDataFrame([(a, b) for a, b in ties], ["src", "dst"])
    scores = tgs.collect_scores(tgs.sybilrank(frame, [0], n_steps=3, weight=None))
    expected = [0.041667, 0.086806, 0.075521, 0.031250, 0.038194, 0.038194, 0, 0, 0, 0]
    assert_close(scores, dict(enumerate(expected)), atol=5e-7)
    # Weighted directed power-law graph, default step count: the core with rule "sum".
    sources, targets, weights, nodes = graph
    edges = spark.createDataFrame(
        [(int(u), int(v), float(w)) for u, v, w in zip(sources, targets, weights)],
        "src long, dst long, weight double",
    )
    spark_scores = tgs.collect_scores(tgs.sybilrank(edges, [0, 9], nodes=nodes))
    cg = CompactGraph.from_edges(sources, targets, weights, nodes=nodes)
    assert_close(spark_scores, core_sybilrank(cg, [0, 9]), atol=1e-12)


def test_sybilrank_symmetrisation_rules_match_core(spark):
    # Both directions of a tie, unequal (0-1, 2-3), one of them zero (1-2, 3-4: min gives
    # no tie), a duplicated direction (2->3 twice adds up first), a one-way edge and a
    # self-loop: every rule gives different ties.
    rows = [(0, 1, 2.0), (1, 0, 3.0), (1, 2, 1.0), (2, 1, 0.0), (2, 3, 4.0), (3, 2, 1.0)]
    rows += [(2, 3, 2.0), (0, 3, 5.0), (4, 4, 2.0), (3, 4, 1.0), (4, 3, 0.0), (4, 5, 1.0)]
    frame = spark.createDataFrame(rows, "src long, dst long, weight double")
    cg = CompactGraph.from_edges(*zip(*rows))
    for rule in ("max", "min", "mean"):
        scores = tgs.collect_scores(tgs.sybilrank(frame, [0], n_steps=3, directed_rule=rule))
        expected = core_sybilrank(cg, [0], n_steps=3, directed_rule=rule)
        assert_close(scores, expected, atol=1e-12)
    with pytest.raises(ParameterError, match="directed_rule"):
        tgs.sybilrank(frame, [0], directed_rule="product")


def test_text_edge_list_and_undirected_ties(spark, tmp_path):
    path = tmp_path / "ties.tsv"
    path.write_text("# a comment\nsource\ttarget\tweight\nann\tbob\t2\nbob\tcy\t1\ncy\tdee\t0\n")
    edges = tgs.read_edges(str(path), spark=spark)
    assert edges.columns == ["src", "dst", "weight"]
    scores = tgs.collect_scores(
        tgs.personalized_pagerank(edges, ["ann"], directed=False, n_iter=3, damping=0.5)
    )
    # Undirected: ann-bob (2), bob-cy (1); dee only has a zero-weight tie, so it is dangling
    # and unreachable. By hand, d = 0.5: P(ann->bob) = 1, P(bob->ann) = 2/3,
    # P(bob->cy) = 1/3, P(cy->bob) = 1; no dangling mass ever reaches dee.
    x = {"ann": 1.0, "bob": 0.0, "cy": 0.0, "dee": 0.0}
    for _ in range(3):
        x = {
            "ann": 0.5 * (x["bob"] * 2 / 3) + 0.5,
            "bob": 0.5 * (x["ann"] + x["cy"]),
            "cy": 0.5 * (x["bob"] / 3),
            "dee": 0.0,
        }
    total = sum(x.values())
    assert_close(scores, {k: v / total for k, v in x.items()}, atol=1e-12)


def test_errors(spark):
    edges = spark.createDataFrame([("a", "b", 1.0), ("b", "c", -2.0)], ["src", "dst", "weight"])
    with pytest.raises(GraphError, match=r"-2\.0"):
        tgs.personalized_pagerank(edges, ["a"], n_iter=1)
    good = spark.createDataFrame([("a", "b", 1.0), ("b", "a", 1.0)], ["src", "dst", "weight"])
    with pytest.raises(SeedError, match="'zed'"):
        tgs.personalized_pagerank(good, ["a", "zed"], n_iter=1)
    with pytest.raises(SeedError, match="empty"):
        tgs.personalized_pagerank(good, [], n_iter=1)
    with pytest.raises(ParameterError, match="damping"):
        tgs.personalized_pagerank(good, ["a"], damping=1.0)
    with pytest.raises(ParameterError, match="n_iter"):
        tgs.personalized_pagerank(good, ["a"], n_iter=-1)
    with pytest.raises(ConvergenceError) as caught:
        tgs.personalized_pagerank(good, ["a"], tol=1e-14, max_iter=2)
    assert caught.value.iterations == 2 and caught.value.residual > 1e-14
    # Every call caches its edges for its own duration only, however it ends (this module's
    # calls so far included). Spark's cache manager is internal: reached through the JVM.
    assert spark._jsparkSession.sharedState().cacheManager().isEmpty()
