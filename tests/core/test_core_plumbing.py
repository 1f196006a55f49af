"""Plumbing of the compact core: scipy's public CSR calls, thread pools, the kernel choice and
the compact.py facade.

Oracles: numpy's stable sorts (for the CSR conversion and the per-row sort), dense matrix
products, and ``threading.enumerate`` for the pools' workers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from trustgraph.core import build, compact, kernels, matvec, solvers, threads
from trustgraph.core.csr import row_block
from trustgraph.core.solvers import MatVec, ppr_power, transition
from trustgraph.datasets import powerlaw_graph
from trustgraph.exceptions import ParameterError


def workers() -> list[threading.Thread]:
    prefix = threads.THREAD_NAME_PREFIX + "_"
    return [t for t in threading.enumerate() if t.name.startswith(prefix) and t.is_alive()]


# ------------------------------------------------------------------ public scipy calls
def test_no_private_scipy_module_is_imported_by_the_core():
    core = Path(compact.__file__).parent
    offenders = [p.name for p in core.glob("*.py") if "scipy.sparse._" in p.read_text("utf-8")]
    assert offenders == []


def test_coo_to_csr_keeps_every_edge_in_input_order_within_rows():
    """Repeated (row, column) pairs must survive: scipy's tocsr would add them up."""
    rng = np.random.default_rng(2)
    rows = rng.integers(0, 6, 200).astype(np.int32)
    cols = rng.integers(0, 6, 200).astype(np.int32)
    positions = np.arange(200, dtype=np.int32)
    indptr, indices, payload = build._coo_tocsr(6, rows, cols, positions)
    order = np.argsort(rows, kind="stable")  # the oracle: a stable sort by row
    assert np.array_equal(payload, order)
    assert np.array_equal(indices, cols[order])
    assert np.array_equal(indptr, np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=6))]))


@pytest.mark.parametrize("m", [50, 5000])  # one block, and two blocks
def test_row_sort_sorts_the_given_arrays_in_place(monkeypatch, m):
    monkeypatch.setattr(threads, "_PARALLEL_MIN_SIZE", 10)  # two threads even when small
    rng = np.random.default_rng(4)
    n = 40
    rows = np.sort(rng.integers(0, n, m))
    cols = rng.permutation(np.tile(np.arange(n), m // n + 1))[:m].astype(np.int32)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int32)
    values = np.arange(m, dtype=np.int32)
    columns = cols.copy()
    build._sort_row_indices(indptr, columns, values)
    key = np.lexsort((cols, rows))
    assert np.array_equal(columns, cols[key])
    assert np.array_equal(cols[values], columns)  # the values moved with their columns


def test_row_block_shares_memory_even_for_a_small_slice():
    dense = np.arange(100.0).reshape(10, 10) % 7
    A = sp.csr_array(dense)
    block = row_block(A.indptr, A.indices, A.data, (8, 10), 10)
    assert np.shares_memory(block.data, A.data) and np.shares_memory(block.indices, A.indices)
    x = np.linspace(0, 1, 10)
    assert np.allclose(block @ x, dense[8:10] @ x)


@pytest.mark.parametrize("k", [None, 3])
def test_threaded_matvec_matches_the_dense_product(monkeypatch, k):
    monkeypatch.setattr(solvers, "PARALLEL_MIN_EDGES", 0)
    monkeypatch.setattr(matvec, "PARALLEL_MIN_EDGES", 0)
    rng = np.random.default_rng(6)
    dense = rng.random((300, 300)) * (rng.random((300, 300)) < 0.05)
    x = rng.random(300) if k is None else rng.random((300, k))
    product = MatVec(sp.csr_array(dense), np.float64, 3)
    assert len(product.blocks) == 3
    assert np.allclose(product(x, np.empty_like(x)), dense @ x, rtol=1e-12, atol=0)


# ------------------------------------------------------------------ thread pools
def test_shutdown_hook_leaves_no_worker_thread(monkeypatch):
    monkeypatch.setattr(solvers, "PARALLEL_MIN_EDGES", 0)
    monkeypatch.setattr(matvec, "PARALLEL_MIN_EDGES", 0)
    cg = powerlaw_graph(2000, 20000, seed=3)
    walk = transition(cg)
    teleport = np.zeros(cg.n_nodes)
    teleport[0] = 1.0
    first = ppr_power(walk, teleport, damping=0.85, tol=1e-10, max_iter=1000, threads=2)
    assert workers()  # the threaded solve used the shared pool
    threads.shutdown_pools()
    assert workers() == []
    again = ppr_power(walk, teleport, damping=0.85, tol=1e-10, max_iter=1000, threads=2)
    assert np.array_equal(first.scores, again.scores)  # a later solve starts a new pool
    threads.shutdown_pools()
    assert workers() == []


def test_shared_pool_is_reused_per_thread_count():
    try:
        assert threads.shared_pool(2) is threads.shared_pool(2)
        assert threads.shared_pool(3) is not threads.shared_pool(2)
    finally:
        threads.shutdown_pools()


# ------------------------------------------------------------------ the kernel choice
def test_compiled_argument_overrides_the_process_default():
    previous = kernels.set_enabled(False)
    try:
        assert kernels.use_compiled() is False
        assert kernels.use_compiled(False) is False
        if kernels.numba_available():
            assert kernels.use_compiled(True) is True
        else:
            with pytest.raises(ParameterError, match="numba"):
                kernels.use_compiled(True)
    finally:
        kernels.set_enabled(previous)


@pytest.mark.parametrize("bad", ["yes", 1, 0.0])
def test_compiled_must_be_a_bool_or_none(bad):
    with pytest.raises(ParameterError, match="compiled"):
        kernels.use_compiled(bad)
    with pytest.raises(ParameterError, match="compiled"):
        kernels.set_enabled(bad)


def test_set_enabled_true_without_numba_is_refused():
    if kernels.numba_available():
        pytest.skip("numba is installed")
    with pytest.raises(ParameterError, match="numba"):
        kernels.set_enabled(True)
    assert kernels.enabled() is False


def test_environment_is_read_once_at_the_first_decision():
    code = (
        "import os\n"
        "from trustgraph.core import kernels\n"
        "first = kernels.enabled(), kernels._environment_allows()\n"
        "os.environ['TRUSTGRAPH_NUMBA'] = '1'\n"
        "print(*first, kernels.enabled(), kernels._environment_allows())\n"
    )
    environment = {**os.environ, "TRUSTGRAPH_NUMBA": "0"}
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
    ).stdout
    assert output.split() == ["False", "False", "False", "False"]


def test_compiled_false_takes_the_scipy_batch_path_whatever_the_default():
    cg = powerlaw_graph(3000, 30000, seed=7)
    walk = transition(cg)
    blocks = solvers.iter_ppr_batch(
        walk,
        np.arange(8),
        damping=0.85,
        tol=1e-8,
        max_iter=1000,
        method="power",
        memory_budget_bytes=96 * walk.n,  # two sources at 48 bytes per node and source
        compiled=False,
    )
    assert [block.shape[0] for _, block, _ in blocks] == [2, 2, 2, 2]


def test_push_by_argument_matches_the_default_push():
    cg = powerlaw_graph(500, 4000, seed=2)
    walk = transition(cg)
    teleport = np.zeros(cg.n_nodes)
    teleport[[1, 9]] = 0.5
    options = dict(damping=0.85, tol=1e-10, max_iter=100, method="push", epsilon=1e-7)
    numpy_loop = solvers.solve_ppr(walk, teleport, compiled=False, **options)
    default = solvers.solve_ppr(walk, teleport, **options)
    assert numpy_loop.iterations == default.iterations
    assert np.allclose(numpy_loop.scores, default.scores, rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------ the compact.py facade


def test_compact_still_offers_every_name_imported_from_it():
    # The public names, and the private ones other modules of the package import from here.
    names = [
        "COMPACT_FORMAT",
        "KNOWN_EDGE_ATTRS",
        "CompactGraph",
        "as_compact",
        "is_compact_folder",
        "in_parallel",
        "_LazyArrays",
        "_attr_default",
        "_intern",
    ]
    assert [name for name in names if not hasattr(compact, name)] == []


def test_hashed_interning_of_a_chunked_conversion(monkeypatch):
    # pyarrow converts a big numpy string array (millions of labels) into a ChunkedArray;
    # the interning must still give one numbering in order of first appearance.
    pa = pytest.importorskip("pyarrow")
    from trustgraph.core import intern

    labels = np.array(["b", "a", "b", "c", "a", "d"])
    real_array = pa.array

    def chunked(values, *args, **kwargs):
        whole = real_array(values, *args, **kwargs)
        return pa.chunked_array([whole.slice(0, 3), whole.slice(3)])

    monkeypatch.setattr(pa, "array", chunked)
    names, codes = intern._intern_hashed(labels)
    assert names == ["b", "a", "c", "d"]
    assert codes.tolist() == [0, 1, 0, 2, 1, 3]
