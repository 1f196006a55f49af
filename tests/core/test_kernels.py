"""Kernel options of the power iterations: float32, threads, and the numba paths.

Oracles: the float64 single-threaded scipy iteration (the reference path), networkx's
pagerank, single-source runs for the batch, and the exact solve for the push bound.
"""

from __future__ import annotations

import os
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest
import scipy.sparse

from trustgraph.algorithms.random_walk import (
    pagerank,
    personalized_pagerank,
    personalized_pagerank_matrix,
)
from trustgraph.algorithms.sybil import sybilrank
from trustgraph.core import kernels, matvec, solvers
from trustgraph.core.solvers import MatVec, ppr_power, ppr_push, transition
from trustgraph.datasets import powerlaw_graph
from trustgraph.exceptions import ParameterError

try:
    import numba  # noqa: F401

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_NUMBA = False

needs_numba = pytest.mark.skipif(
    not HAVE_NUMBA, reason="numba not installed (the [fast] extra): compiled path not testable"
)


@pytest.fixture(scope="module")
def graph():
    return powerlaw_graph(3000, 30000, seed=7)


@pytest.fixture
def always_threaded(monkeypatch):
    """Make even small graphs use the thread pool, so the split is exercised."""
    monkeypatch.setattr(solvers, "PARALLEL_MIN_EDGES", 0)
    monkeypatch.setattr(matvec, "PARALLEL_MIN_EDGES", 0)


@pytest.fixture(params=["scipy", "numba"])
def engine(request):
    if request.param == "numba" and not HAVE_NUMBA:
        pytest.skip("numba not installed (the [fast] extra): compiled path not testable")
    previous = kernels.set_enabled(request.param == "numba")
    yield request.param
    kernels.set_enabled(previous)


def as_array(scores, nodes):
    return np.array([scores[v] for v in nodes])


# ------------------------------------------------------------------ float32
def test_float32_matches_float64_within_1e5(graph):
    seeds = [0, 5, 17]
    exact = as_array(personalized_pagerank(graph, seeds, method="power"), graph.nodes)
    single = as_array(
        personalized_pagerank(graph, seeds, method="power", dtype=np.float32), graph.nodes
    )
    assert np.abs(single - exact).max() < 1e-5
    assert abs(single.sum() - 1.0) < 1e-12  # renormalised in float64


def test_float32_tol_is_floored_and_documented(graph):
    walk = transition(graph)
    teleport = np.zeros(graph.n_nodes)
    teleport[0] = 1.0
    # tol=1e-12 is below float32's reach: the solver must stop at FLOAT32_MIN_TOL, not spin.
    result = ppr_power(walk, teleport, damping=0.85, tol=1e-12, max_iter=500, dtype=np.float32)
    assert result.residual < solvers.FLOAT32_MIN_TOL
    assert solvers.effective_tol(1e-12, np.float32) == solvers.FLOAT32_MIN_TOL
    assert solvers.effective_tol(1e-12, np.float64) == 1e-12


def test_float32_sybilrank_matches_float64(graph):
    undirected = graph.to_undirected()
    a = as_array(sybilrank(undirected, [0, 1]), undirected.nodes)
    b = as_array(sybilrank(undirected, [0, 1], dtype=np.float32), undirected.nodes)
    assert np.allclose(a, b, rtol=1e-5, atol=1e-9)


def test_pagerank_float32_agrees_with_networkx():
    G = nx.gnp_random_graph(300, 0.03, seed=3, directed=True)
    ours = pagerank(G, method="power", dtype=np.float32)
    theirs = nx.pagerank(G, alpha=0.85, tol=1e-12)
    assert max(abs(ours[v] - theirs[v]) for v in G) < 1e-5


@pytest.mark.parametrize("bad", ["float16", np.int64, "complex128", object])
def test_bad_dtype_is_a_parameter_error(graph, bad):
    with pytest.raises(ParameterError, match="dtype"):
        personalized_pagerank(graph, [0], method="power", dtype=bad)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_bad_threads_is_a_parameter_error(graph, bad):
    with pytest.raises(ParameterError, match="threads"):
        personalized_pagerank(graph, [0], method="power", threads=bad)


# ------------------------------------------------------------------ threads
@pytest.mark.parametrize("threads", [2, 3, 7])
def test_threaded_matvec_is_bit_identical(graph, always_threaded, threads):
    walk = transition(graph)
    x = np.random.default_rng(1).random(graph.n_nodes)
    one = MatVec(walk.backward, np.float64, 1)(x, np.empty_like(x))
    many = MatVec(walk.backward, np.float64, threads)
    assert len(many.blocks) > 1
    assert np.array_equal(many(x, np.empty_like(x)), one)
    assert np.allclose(one, walk.backward @ x, rtol=1e-14, atol=0)


def test_threaded_block_product_matches_scipy(graph, always_threaded):
    walk = transition(graph)
    x = np.random.default_rng(2).random((graph.n_nodes, 5))
    out = MatVec(walk.backward, np.float64, 2)(x, np.empty_like(x))
    assert np.allclose(out, walk.backward @ x, rtol=1e-13, atol=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_threaded_ppr_equals_single_threaded(graph, always_threaded, dtype):
    # Seeds at both ends of the node order: each row block restarts its own part.
    seeds = {3: 1.0, 9: 2.0, 2990: 0.5}
    one = personalized_pagerank(graph, seeds, method="power", threads=1, dtype=dtype)
    for threads in (2, 3, 7):
        assert (
            personalized_pagerank(graph, seeds, method="power", threads=threads, dtype=dtype)
            == one
        )


def test_threaded_matrix_iteration_equals_single_threaded(graph, always_threaded):
    """The scipy batch path (an (n, k) teleport) split over row blocks."""
    walk = transition(graph)
    teleport = np.zeros((graph.n_nodes, 3))
    teleport[[0, 1500, 2999], [0, 1, 2]] = 1.0
    one = ppr_power(walk, teleport, damping=0.85, tol=1e-10, max_iter=1000, threads=1)
    many = ppr_power(walk, teleport, damping=0.85, tol=1e-10, max_iter=1000, threads=3)
    assert one.iterations == many.iterations
    assert np.array_equal(one.scores, many.scores)
    # and each column is the single-source solve of its own source
    for column, source in enumerate([0, 1500, 2999]):
        single = np.zeros(graph.n_nodes)
        single[source] = 1.0
        alone = ppr_power(walk, single, damping=0.85, tol=1e-10, max_iter=1000, threads=3)
        assert np.abs(many.scores[:, column] - alone.scores).max() < 1e-9


def test_threaded_sybilrank_equals_single_threaded(graph, always_threaded):
    undirected = graph.to_undirected()
    assert sybilrank(undirected, [0], threads=1) == sybilrank(undirected, [0], threads=2)


def test_buffers_are_reused(graph, monkeypatch):
    """The iteration writes products into its two buffers instead of allocating."""
    walk = transition(graph)
    product = walk.matvec(np.float64, 1)
    seen = []
    original = MatVec.block

    def spy(self, bounds, x, out):
        seen.append(id(out))
        return original(self, bounds, x, out)

    monkeypatch.setattr(MatVec, "block", spy)
    teleport = np.zeros(graph.n_nodes)
    teleport[0] = 1.0
    ppr_power(walk, teleport, damping=0.85, tol=1e-10, max_iter=1000, threads=1)
    assert len(seen) > 10 and len(set(seen)) == 2
    assert walk.matvec(np.float64, 1) is product  # cached per dtype and thread count


# ------------------------------------------------------------------ numba vs scipy
def test_batch_rows_equal_single_runs(graph, engine):
    sources = [0, 11, 11, 250, 2999]
    batch = personalized_pagerank_matrix(graph, sources, method="power", tol=1e-12)
    for row, source in enumerate(sources):
        single = as_array(
            personalized_pagerank(graph, [source], method="power", tol=1e-12), graph.nodes
        )
        assert np.abs(batch.matrix[row] - single).max() < 1e-11


def test_batch_float32_matches_float64(graph, engine):
    sources = [1, 2, 3]
    a = personalized_pagerank_matrix(graph, sources, method="power").matrix
    b = personalized_pagerank_matrix(graph, sources, method="power", dtype=np.float32).matrix
    assert np.abs(a - b).max() < 1e-5


@needs_numba
def test_numba_and_scipy_batches_agree(graph):
    sources = list(range(0, 3000, 97))
    previous = kernels.set_enabled(False)
    try:
        scipy_rows = personalized_pagerank_matrix(graph, sources, method="power").matrix
    finally:
        kernels.set_enabled(True)
    try:
        numba_rows = personalized_pagerank_matrix(graph, sources, method="power").matrix
    finally:
        kernels.set_enabled(previous)
    assert np.abs(numba_rows - scipy_rows).max() < 1e-12


@needs_numba
@pytest.mark.parametrize(
    ("enabled", "dtype", "widths"),
    [
        (True, np.float64, [4, 4]),  # 24 n bytes per source: two blocks and the result
        (True, np.float32, [6, 2]),  # 16 n bytes per source
        (False, np.float64, [2, 2, 2, 2]),  # scipy's path: about 48 n bytes per source
    ],
)
def test_batch_chunks_follow_the_memory_each_path_needs(graph, enabled, dtype, widths):
    walk = transition(graph)
    previous = kernels.set_enabled(enabled)
    try:
        blocks = solvers.iter_ppr_batch(
            walk,
            np.arange(8),
            damping=0.85,
            tol=1e-8,
            max_iter=1000,
            method="power",
            memory_budget_bytes=96 * walk.n,
            dtype=dtype,
        )
        assert [block.shape[0] for _, block, _ in blocks] == widths
    finally:
        kernels.set_enabled(previous)


@pytest.mark.parametrize("enabled", [True, False])
def test_narrow_batches_on_large_graphs_are_solved_one_by_one(enabled, monkeypatch):
    """Below BATCH_MIN_WIDTH sources a blocked step costs more per source than a single
    solve on a graph this size: each source gets its own solve, with the same scores."""
    if enabled and not kernels.enabled():
        pytest.skip("numba is not installed")
    cg = powerlaw_graph(20_000, solvers.PARALLEL_MIN_EDGES, seed=1)
    walk = transition(cg)
    sources = np.arange(0, 20_000, 1000)  # 20 sources
    options = dict(damping=0.85, tol=1e-10, max_iter=1000, method="power")
    previous = kernels.set_enabled(enabled)
    try:
        wide, _ = solvers.ppr_batch(walk, sources, memory_budget_bytes=10**9, **options)
        solves: list[int] = []
        real_power = solvers.ppr_power
        monkeypatch.setattr(
            solvers, "ppr_power", lambda *a, **k: solves.append(1) or real_power(*a, **k)
        )
        # A budget for 5 sources at a time: four narrow chunks, twenty single solves.
        budget = 5 * (24 if enabled else 48) * cg.n_nodes
        narrow, _ = solvers.ppr_batch(walk, sources, memory_budget_bytes=budget, **options)
    finally:
        kernels.set_enabled(previous)
    assert len(solves) == sources.size
    # A block stops when its worst column meets tol, a single solve at its own column: both
    # lie within damping / (1 - damping) * tol of the fixed point in L1.
    assert np.abs(narrow - wide).sum(axis=1).max() < 2 * 0.85 / 0.15 * 1e-10


@needs_numba
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("k", [5, 1, 70])  # rows of x under one, and over eight cache lines
def test_fused_batch_step_matches_numpy_reference(dtype, k):
    """One fused step against the same step written as separate numpy operations."""
    rng = np.random.default_rng(3)
    n = 40
    dense = rng.random((n, n)) * (rng.random((n, n)) < 0.15)
    dense[7] = 0.0  # an empty row: the product leaves it at zero
    matrix = scipy.sparse.csr_array(dense)
    x = rng.random((n, k)).astype(dtype)
    out = np.full_like(x, np.nan)  # the kernel must overwrite every entry
    sources = np.resize([3, 9, 3, 20, 39], k)  # node 3 restarts two columns (k > 2)
    by_row = np.argsort(sources, kind="stable")
    pointer = np.concatenate([[0], np.cumsum(np.bincount(sources, minlength=n))])
    comeback = np.linspace(0.1, 0.5, k)
    is_dangling = rng.random(n) < 0.3
    change, dangling = kernels.batch_power_step(
        matrix.indptr,
        matrix.indices,
        matrix.data.astype(dtype),
        x,
        out,
        0.85,
        (pointer, by_row, comeback[by_row]),
        is_dangling,
        2,
    )
    expected = 0.85 * (dense @ x.astype(np.float64))
    expected[sources, np.arange(k)] += comeback
    tolerance = 1e-12 if dtype is np.float64 else 1e-5
    assert np.abs(out - expected).max() < tolerance
    assert np.allclose(change, np.abs(out - x).sum(axis=0, dtype=np.float64), atol=tolerance)
    assert np.allclose(dangling, out[is_dangling].sum(axis=0, dtype=np.float64), atol=tolerance)


@needs_numba
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_normalised_transpose_matches_numpy(dtype):
    rng = np.random.default_rng(5)
    x = (rng.random((1000, 6)) - 0.1).astype(dtype)  # some negative rounding-noise entries
    x[:, 2] = 0.0  # a zero column stays zero (no division by zero)
    clipped = np.maximum(x.astype(np.float64), 0.0)
    totals = clipped.sum(axis=0)
    expected = (clipped / np.where(totals > 0, totals, 1.0)).T
    out = kernels.normalised_transpose(x, 2)
    assert out.shape == (6, 1000) and out.dtype == np.float64 and out.flags.c_contiguous
    assert np.allclose(out, expected, rtol=1e-12, atol=0)
    assert np.all(out[2] == 0.0)


@needs_numba
def test_numba_and_python_push_agree_exactly(graph):
    walk = transition(graph)
    teleport = np.zeros(graph.n_nodes)
    teleport[[4, 40]] = [0.25, 0.75]
    results = {}
    for flag in (False, True):
        previous = kernels.set_enabled(flag)
        try:
            results[flag] = ppr_push(walk, teleport, damping=0.85, epsilon=1e-6)
        finally:
            kernels.set_enabled(previous)
    # Same FIFO order and the same arithmetic: the same pushes and the same numbers.
    assert results[True].iterations == results[False].iterations
    assert np.allclose(results[True].scores, results[False].scores, rtol=1e-12, atol=1e-15)


def test_push_ignores_zero_weight_edges_like_the_matrix_walk(engine):
    """Zero weights: a row of only zeros is dangling, zero entries carry no mass.

    The reference is the same graph with the zero-weight edges removed, where the push
    and the power iteration agree within the push's own bound.
    """
    from trustgraph.core.compact import CompactGraph

    rng = np.random.default_rng(11)
    n, m = 300, 2400
    sources, targets = rng.integers(0, n, m), rng.integers(0, n, m)
    weights = rng.random(m) + 0.1
    weights[rng.random(m) < 0.2] = 0.0
    weights[sources == 5] = 0.0  # node 5 keeps its out-edges, all of weight zero
    with_zeros = CompactGraph.from_edges(sources, targets, weights, nodes=range(n))
    keep = weights > 0
    without = CompactGraph.from_edges(sources[keep], targets[keep], weights[keep], nodes=range(n))
    walk, clean_walk = transition(with_zeros), transition(without)
    assert walk.dangling[5] and walk.positive_degree[5] == 0
    assert np.array_equal(walk.positive_degree, np.diff(clean_walk.forward.indptr))
    teleport = np.zeros(n)
    teleport[[5, 17]] = [0.5, 0.5]
    pushed = ppr_push(walk, teleport, damping=0.85, epsilon=1e-8)
    clean = ppr_push(clean_walk, teleport, damping=0.85, epsilon=1e-8)
    assert pushed.iterations == clean.iterations
    assert np.allclose(pushed.scores, clean.scores, rtol=1e-12, atol=1e-15)
    exact = ppr_power(clean_walk, teleport, damping=0.85, tol=1e-13, max_iter=2000).scores
    assert np.abs(pushed.scores - exact).sum() <= 2 * pushed.residual + 1e-12


def test_push_builds_no_transition_matrix(graph):
    walk = transition(graph)
    teleport = np.zeros(graph.n_nodes)
    teleport[3] = 1.0
    ppr_push(walk, teleport, damping=0.85, epsilon=1e-6)
    assert "forward" not in vars(walk) and "backward" not in vars(walk)


def test_push_meets_its_bound_against_the_exact_solution(graph, engine):
    walk = transition(graph)
    teleport = np.zeros(graph.n_nodes)
    teleport[7] = 1.0
    exact = ppr_power(walk, teleport, damping=0.85, tol=1e-13, max_iter=2000).scores
    pushed = ppr_push(walk, teleport, damping=0.85, epsilon=1e-7)
    assert np.abs(pushed.scores - exact).sum() <= 2 * pushed.residual + 1e-12


def test_push_handles_dangling_seed_mass(engine):
    # A -> B, B dangling: B's mass returns to the seed A. Exact PPR (damping d):
    # pi_A = (1 - d) + d * pi_B and pi_B = d * pi_A give pi_A = 1 / (1 + d).
    G = nx.DiGraph([("A", "B")])
    scores = personalized_pagerank(G, ["A"], method="push", epsilon=1e-10)
    assert abs(scores["A"] - 1 / 1.85) < 1e-8


def test_set_enabled_round_trip():
    previous = kernels.set_enabled(False)
    try:
        assert kernels.enabled() is False
    finally:
        kernels.set_enabled(previous)


def test_importing_trustgraph_does_not_import_numba():
    code = "import sys, trustgraph; print('numba' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"


@needs_numba
def test_a_new_process_loads_the_kernels_from_numbas_cache(tmp_path):
    """The first process compiles and writes the cache; the second only reads it."""
    code = (
        "import numpy as np, scipy.sparse as sp\n"
        "from trustgraph.core import kernels\n"
        "A = sp.csr_array(np.array([[0.0, 1.0], [1.0, 0.0]]))\n"
        "x = np.eye(2)\n"
        "restart = (np.array([0, 1, 2]), np.array([0, 1]), np.array([0.5, 0.5]))\n"
        "kernels.batch_power_step(A.indptr, A.indices, A.data, x, np.empty_like(x), 0.5,\n"
        "                         restart, np.array([False, True]), 1)\n"
        "stats = kernels._compiled()['power_step'].stats\n"
        "print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))\n"
    )
    environment = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    command = [sys.executable, "-c", code]
    counts = [
        subprocess.run(
            command, capture_output=True, text=True, check=True, env=environment
        ).stdout.split()
        for _ in range(2)
    ]
    assert counts == [["0", "1"], ["1", "0"]]
