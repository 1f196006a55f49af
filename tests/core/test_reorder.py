"""Locality orderings and the CSR renumbering (trustgraph.core.reorder)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from trustgraph.core import matvec
from trustgraph.core.graph import CompactGraph
from trustgraph.core.reorder import ORDERINGS, locality_order, permute_csr
from trustgraph.core.solvers import ppr_exact, ppr_power, transition
from trustgraph.exceptions import ParameterError


def random_csr(n: int, density: float, seed: int, index=np.int32) -> sp.csr_array:
    rng = np.random.default_rng(seed)
    dense = (rng.random((n, n)) < density) * rng.integers(1, 5, (n, n)).astype(float)
    matrix = sp.csr_array(dense)
    # A stored zero must survive the renumbering (declared-only ties are stored zeros).
    if matrix.nnz:
        matrix.data[0] = 0.0
    matrix.indices = matrix.indices.astype(index)
    matrix.indptr = matrix.indptr.astype(index)
    return matrix


def bandwidth(matrix: sp.csr_array) -> int:
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return int(np.abs(rows - matrix.indices).max()) if matrix.nnz else 0


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("index", [np.int32, np.int64])
def test_permute_csr_is_dense_fancy_indexing(seed, index):
    matrix = random_csr(40, 0.1, seed, index)
    order = np.random.default_rng(seed + 100).permutation(40)
    permuted = permute_csr(matrix, order)
    dense = matrix.toarray()
    assert np.array_equal(permuted.toarray(), dense[order][:, order])
    assert permuted.nnz == matrix.nnz  # stored zeros kept
    assert permuted.has_sorted_indices
    assert np.all(np.diff(permuted.indices[permuted.indptr[0] : permuted.indptr[1]]) > 0)
    assert permuted.indices.dtype == index


def test_permute_csr_back_and_forth():
    matrix = random_csr(30, 0.2, 7)
    order = np.random.default_rng(1).permutation(30)
    inverse = np.empty(30, dtype=np.int64)
    inverse[order] = np.arange(30)
    again = permute_csr(permute_csr(matrix, order), inverse)
    assert np.array_equal(again.indptr, matrix.indptr)
    assert np.array_equal(again.indices, matrix.indices)
    assert np.array_equal(again.data, matrix.data)


@pytest.mark.parametrize("name", ["degree", "rcm"])
def test_orders_are_permutations(name):
    matrix = random_csr(50, 0.05, 3)
    order = locality_order(matrix, name)
    assert sorted(order.tolist()) == list(range(50))


def test_degree_order_puts_larger_degrees_first_ties_in_node_order():
    matrix = random_csr(60, 0.05, 4)
    # Stored entries count, zeros included: the pattern, not the values.
    pattern = sp.csr_array((np.ones(matrix.nnz), matrix.indices, matrix.indptr), shape=(60, 60))
    degree = pattern.toarray().sum(axis=0) + pattern.toarray().sum(axis=1)
    order = locality_order(matrix, "degree")
    assert np.all(np.diff(degree[order]) <= 0)
    for value in np.unique(degree):
        tied = order[degree[order] == value]
        assert np.all(np.diff(tied) > 0)


def test_rcm_recovers_the_band_of_a_shuffled_path():
    # A path has bandwidth 1 in its own order; shuffled it is wide, and Cuthill-McKee's
    # breadth-first levels number a path end to end again.
    n = 200
    path = sp.csr_array((np.ones(n - 1), (np.arange(n - 1), np.arange(1, n))), shape=(n, n))
    shuffle = np.random.default_rng(0).permutation(n)
    shuffled = permute_csr(path, shuffle)
    assert bandwidth(shuffled) > 10
    ordered = permute_csr(shuffled, locality_order(shuffled, "rcm"))
    assert bandwidth(ordered) == 1


def test_none_and_unknown_orderings():
    matrix = random_csr(5, 0.3, 0)
    assert ORDERINGS[0] == "none"
    assert locality_order(matrix, "none") is None
    assert locality_order(matrix, None) is None
    with pytest.raises(ParameterError, match="'rabbit'"):
        locality_order(matrix, "rabbit")


# ------------------------------------------------------------------ the walk's option
def random_graph(seed: int) -> CompactGraph:
    """Random weighted digraph with dangling nodes, zero weights and self-loops."""
    rng = np.random.default_rng(seed)
    n, m = 60, 300
    sources, targets = rng.integers(0, n - 5, m), rng.integers(0, n, m)  # 5+ dangling
    weights = rng.integers(0, 4, m).astype(float)  # zeros: declared-only ties
    return CompactGraph.from_edges(
        [f"v{i}" for i in sources], [f"v{i}" for i in targets], weights, duplicates="sum"
    )


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", ["degree", "rcm"])
@pytest.mark.parametrize("threads", [1, 2])
def test_reordered_power_iteration_gives_the_same_scores_in_graph_order(
    monkeypatch, seed, name, threads
):
    monkeypatch.setattr(matvec, "PARALLEL_MIN_EDGES", 0)  # exercise the row blocks too
    cg = random_graph(seed)
    teleport = np.zeros(cg.n_nodes)
    teleport[[0, 3, 7]] = [0.5, 0.25, 0.25]
    options = {"damping": 0.85, "tol": 1e-13, "max_iter": 2000, "threads": threads}
    plain = ppr_power(transition(cg), teleport, **options)
    walk = transition(cg, reorder=name)
    ordered = ppr_power(walk, teleport, **options)
    assert walk.order is not None and sorted(walk.order.tolist()) == list(range(cg.n_nodes))
    assert not np.array_equal(walk.order, np.arange(cg.n_nodes))  # a real renumbering
    assert np.allclose(ordered.scores, plain.scores, rtol=0, atol=1e-12)
    # Independent oracle in the graph's own numbering: the dense linear system.
    exact = ppr_exact(transition(cg), teleport, damping=0.85).scores
    assert np.allclose(ordered.scores, exact, rtol=0, atol=1e-11)
    # The same walk still serves solvers that want P.T in the graph's numbering.
    assert np.allclose(ppr_exact(walk, teleport, damping=0.85).scores, exact, atol=1e-14)


def test_reordered_walk_solves_a_block_of_teleport_columns():
    cg = random_graph(9)
    teleport = np.zeros((cg.n_nodes, 3))
    teleport[[1, 4, 8], [0, 1, 2]] = 1.0
    options = {"damping": 0.85, "tol": 1e-13, "max_iter": 2000}
    plain = ppr_power(transition(cg), teleport, **options).scores
    ordered = ppr_power(transition(cg, reorder="rcm"), teleport, **options).scores
    assert ordered.shape == plain.shape
    assert np.allclose(ordered, plain, rtol=0, atol=1e-12)


def test_walks_are_not_reordered_by_default_and_bad_names_fail_early():
    cg = random_graph(1)
    assert transition(cg).order is None
    assert transition(cg, reorder="none").order is None
    with pytest.raises(ParameterError, match="'hilbert'"):
        transition(cg, reorder="hilbert")
