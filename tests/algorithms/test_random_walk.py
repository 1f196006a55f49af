"""Tests of the random-walk family against published values, networkx and hand derivations."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.algorithms.random_walk import (
    anti_trustrank,
    eigentrust,
    inverse_pagerank,
    pagerank,
    personalized_pagerank,
    personalized_pagerank_matrix,
    trustrank,
)
from trustgraph.core.compact import CompactGraph
from trustgraph.core.solvers import (
    lazy_to_nonlazy_damping,
    ppr_exact,
    ppr_power,
    ppr_push,
    transition,
)
from trustgraph.core.vectors import seed_vector
from trustgraph.exceptions import ConvergenceError, GraphError, ParameterError, SeedError

# DESIGN.md section 6 / ALGORITHMS.md section 3 (networkx and igraph agree to 6 d.p.).
REFERENCE_EDGES = [("A", "B", 3), ("A", "C", 1), ("B", "C", 1), ("C", "A", 1), ("C", "D", 1)]
REFERENCE_PPR = {"A": 0.368666, "B": 0.235024, "C": 0.278112, "D": 0.118198}
REFERENCE_PAGERANK = {"A": 0.223421, "B": 0.227408, "C": 0.325750, "D": 0.223421}


def reference_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(REFERENCE_EDGES)
    return G


def nx_ppr(G: nx.DiGraph, seeds: dict, damping: float = 0.85) -> dict:
    """networkx oracle with dangling mass sent to the seeds (trustgraph's convention).

    networkx stops when the L1 change is below ``N * tol``; 1e-13 keeps that far below
    the 1e-9 comparisons while staying above the rounding floor, where a tighter tol made
    networkx oscillate without converging at damping 0.95.
    """
    return nx.pagerank(
        G, alpha=damping, personalization=seeds, dangling=seeds, tol=1e-13, max_iter=100_000
    )


def assert_close(got: dict, expected: dict, atol: float) -> None:
    assert list(got) == list(expected) or set(got) == set(expected)
    worst = max(abs(got[k] - expected[k]) for k in expected)
    assert worst <= atol, (worst, got, expected)


# ------------------------------------------------------------------ reference values
@pytest.mark.parametrize("method", ["auto", "power", "exact"])
def test_ppr_reference_values(method):
    scores = personalized_pagerank(reference_graph(), ["A"], method=method)
    assert list(scores) == ["A", "B", "C", "D"]
    assert_close(scores, REFERENCE_PPR, 5e-7)


@pytest.mark.parametrize("method", ["power", "exact"])
def test_global_pagerank_reference_values(method):
    assert_close(pagerank(reference_graph(), method=method), REFERENCE_PAGERANK, 5e-7)


def test_ppr_reference_by_hand():
    # Stationary equations with d = 0.85, D dangling (its mass returns to A):
    #   B = d*3/4 A, C = d*(A/4 + B), D = d*C/2, A = (1-d) + d*(C/2 + D).
    # Substituting: C = d*A*(1/4 + 3d/4), D = d*C/2, A = (1-d) / (1 - d*(C/A)/2*(1 + d)).
    d = 0.85
    c_over_a = d * (0.25 + 0.75 * d)
    a = (1 - d) / (1 - d * c_over_a / 2 * (1 + d))
    expected = {"A": a, "B": 0.75 * d * a, "C": c_over_a * a, "D": d * c_over_a * a / 2}
    assert_close(personalized_pagerank(reference_graph(), ["A"]), expected, 1e-12)


def test_eigentrust_go_eigentrust_example():
    # go-eigentrust README: a = 0.5; the dangling peer sd redistributes by pre-trust.
    G = nx.DiGraph()
    G.add_weighted_edges_from([("ek", "sd", 100), ("vm", "sd", 100), ("ek", "vm", 75)])
    scores = eigentrust(G, {"ek": 50, "vm": 100}, damping=0.5)
    assert_close(scores, {"ek": 28 / 129, "sd": 13 / 43, "vm": 62 / 129}, 1e-12)


def test_eigentrust_from_satisfaction_counts():
    # s_ij = sat - unsat clipped at 0: a->b 5-1=4, a->c 2-1=1, b->c 1-3<0 -> 0 (b has no
    # positive local trust, so it falls back to pre-trust), c->a 3-0=3.
    G = nx.DiGraph()
    G.add_edge("a", "b", sat=5, unsat=1)
    G.add_edge("a", "c", sat=2, unsat=1)
    G.add_edge("b", "c", sat=1, unsat=3)
    G.add_edge("c", "a", sat=3, unsat=0)
    got = eigentrust(G, ["a"], satisfied="sat", unsatisfied="unsat", damping=0.6)
    # Hand solution, d = 0.6, pre-trust p = e_a, b dangling:
    #   b = d*4/5 a, c = d*a/5, a = (1-d) + d*(c + b)  ->  a = (1-d) / (1 - d*d*(4/5 + 1/5)).
    d = 0.6
    a = (1 - d) / (1 - d * d)
    assert_close(got, {"a": a, "b": d * 0.8 * a, "c": d * 0.2 * a}, 1e-12)
    clipped = nx.DiGraph()
    clipped.add_weighted_edges_from([("a", "b", 4), ("a", "c", 1), ("b", "c", 0), ("c", "a", 3)])
    assert_close(got, nx_ppr(clipped, {"a": 1}, damping=0.6), 1e-10)


def test_eigentrust_counts_need_both_and_present():
    G = nx.DiGraph()
    G.add_edge("a", "b", sat=1)
    with pytest.raises(ParameterError):
        eigentrust(G, ["a"], satisfied="sat")
    with pytest.raises(GraphError, match="unsat"):
        eigentrust(G, ["a"], satisfied="sat", unsatisfied="unsat")
    G.add_edge("b", "a", sat=-1, unsat=0)
    G["a"]["b"]["unsat"] = 0
    with pytest.raises(GraphError, match="negative"):
        eigentrust(G, ["a"], satisfied="sat", unsatisfied="unsat")


def test_eigentrust_counts_on_compact_graph():
    cg = CompactGraph.from_edges(
        ["a", "b"], ["b", "a"], [1.0, 1.0], edge_attrs={"sat": [4, 1], "unsat": [1, 1]}
    )
    # b's row clips to zero: b is dangling and returns to the pre-trusted a.
    got = eigentrust(cg, ["a"], satisfied="sat", unsatisfied="unsat", damping=0.5)
    # a = 0.5 + 0.5 b, b = 0.5 a  ->  a = 2/3, b = 1/3.
    assert_close(got, {"a": 2 / 3, "b": 1 / 3}, 1e-12)


# ------------------------------------------------------------------ networkx oracle
@st.composite
def weighted_digraphs(draw, max_nodes: int = 7):
    n = draw(st.integers(1, max_nodes))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    for u, v in pairs:
        G.add_edge(u, v, weight=draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.7])))
    seeds = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    damping = draw(st.sampled_from([0.0, 0.3, 0.5, 0.85, 0.95]))
    return G, seeds, damping


@settings(max_examples=60, deadline=None)
@given(weighted_digraphs())
def test_seeded_family_matches_networkx(case):
    G, seeds, damping = case
    uniform = {s: 1.0 for s in seeds}
    expected = nx_ppr(G, uniform, damping)
    for method in ("power", "exact"):
        assert_close(
            personalized_pagerank(G, seeds, damping=damping, method=method), expected, 1e-9
        )
    assert_close(trustrank(G, seeds, damping=damping), expected, 1e-9)
    reversed_expected = nx_ppr(G.reverse(), uniform, damping)
    assert_close(anti_trustrank(G, seeds, damping=damping), reversed_expected, 1e-9)


@settings(max_examples=40, deadline=None)
@given(weighted_digraphs())
def test_global_pagerank_matches_networkx(case):
    G, _, damping = case
    expected = nx.pagerank(G, alpha=damping, tol=1e-13, max_iter=100_000)
    assert_close(pagerank(G, damping=damping), expected, 1e-9)
    expected_inverse = nx.pagerank(G.reverse(), alpha=damping, tol=1e-13, max_iter=100_000)
    assert_close(inverse_pagerank(G, damping=damping), expected_inverse, 1e-9)


@settings(max_examples=40, deadline=None)
@given(weighted_digraphs(), st.data())
def test_eigentrust_matches_networkx_on_normalised_trust(case, data):
    G, seeds, damping = case
    pretrust = {s: data.draw(st.sampled_from([0.5, 1.0, 4.0])) for s in seeds}
    # The oracle is networkx on c_ij (rows normalised by hand, zero rows left empty).
    normalised = nx.DiGraph()
    normalised.add_nodes_from(G)
    for u in G:
        total = sum(w for _, _, w in G.out_edges(u, data="weight"))
        for _, v, w in G.out_edges(u, data="weight"):
            if total > 0 and w > 0:
                normalised.add_edge(u, v, weight=w / total)
    expected = nx_ppr(normalised, pretrust, damping)
    assert_close(eigentrust(G, pretrust, damping=damping), expected, 1e-9)


@settings(max_examples=40, deadline=None)
@given(weighted_digraphs())
def test_exact_power_and_batch_agree(case):
    G, seeds, damping = case
    exact = personalized_pagerank_matrix(G, damping=damping, method="exact")
    power = personalized_pagerank_matrix(G, damping=damping, method="power", memory_budget_bytes=1)
    assert np.abs(exact.matrix - power.matrix).max() <= 1e-9
    for source in seeds:
        single = personalized_pagerank(G, [source], damping=damping, method="power")
        assert max(abs(exact[source, v] - single[v]) for v in G) <= 1e-9


# ------------------------------------------------------------------ push
@settings(max_examples=40, deadline=None)
@given(weighted_digraphs(), st.sampled_from([1e-2, 1e-3, 1e-5]))
def test_push_within_its_stated_bound(case, epsilon):
    G, seeds, damping = case
    cg = CompactGraph.from_networkx(G)
    walk = transition(cg)
    teleport = seed_vector(cg, seeds)
    exact = ppr_exact(walk, teleport, damping=damping).scores
    pushed = ppr_push(walk, teleport, damping=damping, epsilon=epsilon)
    assert math.isclose(pushed.scores.sum(), 1.0, rel_tol=1e-12)
    assert np.abs(pushed.scores - exact).sum() <= 2 * pushed.residual + 1e-12
    out_degree = np.diff(walk.forward.indptr)
    assert pushed.residual < epsilon * np.maximum(out_degree, 1).sum() + 1e-15
    # Work bound: each push removes at least (1 - d) * epsilon * max(deg, 1) residual mass.
    assert pushed.iterations <= 1 / (epsilon * (1 - damping)) + 1


def test_push_is_local_on_a_large_graph():
    # A small community hanging off a 20,000-node cycle: push from inside the community
    # should touch few nodes, whatever the size of the rest.
    big = nx.DiGraph()
    nx.add_cycle(big, range(20_000))
    nx.add_cycle(big, ["s", "t", "u"])
    big.add_edge("u", 0, weight=0.01)
    epsilon = 1e-4
    scores = personalized_pagerank(big, ["s"], method="push", epsilon=epsilon)
    touched = sum(1 for value in scores.values() if value > 0)
    assert touched < 200
    exact = personalized_pagerank(big, ["s"], method="power")
    assert sum(abs(scores[k] - exact[k]) for k in big) < 2 * epsilon * 3 * 2 + 1e-3


def test_push_reference_values():
    scores = personalized_pagerank(reference_graph(), ["A"], method="push", epsilon=1e-10)
    assert_close(scores, REFERENCE_PPR, 1e-6)


def test_lazy_walk_conversion_on_karate_club():
    # ALGORITHMS.md section 3: networkit's lazy-walk ACL PPR (alpha 0.15) on the karate club.
    G = nx.karate_club_graph()
    damping = lazy_to_nonlazy_damping(0.15)
    assert damping == pytest.approx(0.7391304, abs=1e-7)
    scores = personalized_pagerank(G, [0], damping=damping, weight=None)
    published = {0: 0.362568, 1: 0.059817, 2: 0.047504, 3: 0.043731, 5: 0.035949}
    assert max(abs(scores[k] - v) for k, v in published.items()) < 5e-7
    # And the identity itself against a naive lazy-walk solve: pi = a s + (1-a) pi (I+P)/2.
    A = nx.to_numpy_array(G, weight=None)
    P = A / A.sum(axis=1, keepdims=True)
    lazy = (np.eye(len(G)) + P) / 2
    s = np.zeros(len(G))
    s[0] = 1.0
    naive = np.linalg.solve((np.eye(len(G)) - 0.85 * lazy).T, 0.15 * s)
    assert np.abs(naive - np.array([scores[k] for k in G])).max() < 1e-12
    with pytest.raises(ParameterError):
        lazy_to_nonlazy_damping(0.0)


# ------------------------------------------------------------------ conventions
def test_declared_only_zero_weight_edge_makes_node_dangling():
    # B's only out-edge has weight 0: B is dangling and its mass goes back to the seed A.
    G = nx.DiGraph()
    G.add_edge("A", "B", weight=1.0)
    G.add_edge("B", "C", weight=0.0, declared_only=True)
    G.add_edge("C", "A", weight=1.0)
    got = personalized_pagerank(G, ["A"], damping=0.5)
    # A = 0.5 + 0.5 B (dangling) ; B = 0.5 A ; C = 0 -> A = 2/3, B = 1/3.
    assert_close(got, {"A": 2 / 3, "B": 1 / 3, "C": 0.0}, 1e-12)


def test_zero_weight_edges_are_ignored():
    G = reference_graph()
    H = G.copy()
    H.add_edge("B", "D", weight=0.0)
    H.add_edge("D", "B", weight=0.0)
    assert_close(personalized_pagerank(H, ["A"]), personalized_pagerank(G, ["A"]), 1e-14)


def test_weight_none_means_unit_weights():
    G = reference_graph()
    unit = nx.DiGraph(list(G.edges()))
    assert_close(personalized_pagerank(G, ["A"], weight=None), nx_ppr(unit, {"A": 1.0}), 1e-10)


def test_other_weight_attribute():
    G = nx.DiGraph()
    G.add_edge("a", "b", weight=1, count=3)
    G.add_edge("a", "c", weight=1, count=1)
    scores = personalized_pagerank(G, ["a"], weight="count", damping=0.5)
    # b and c get d * a * 3/4 and d * a * 1/4.
    assert scores["b"] == pytest.approx(3 * scores["c"], rel=1e-12)


def test_undirected_graph_walks_both_ways():
    G = nx.Graph([("a", "b"), ("b", "c")])
    expected = nx_ppr(G.to_directed(), {"c": 1.0})
    assert_close(personalized_pagerank(G, ["c"]), expected, 1e-10)
    assert personalized_pagerank(G, ["c"])["a"] > 0


def test_compact_graph_input_matches_networkx_input():
    G = reference_graph()
    cg = CompactGraph.from_networkx(G)
    assert_close(personalized_pagerank(cg, ["A"]), personalized_pagerank(G, ["A"]), 1e-15)


def test_seed_mapping_weights_the_teleport():
    G = reference_graph()
    got = personalized_pagerank(G, {"A": 1, "B": 3})
    assert_close(got, nx_ppr(G, {"A": 0.25, "B": 0.75}), 1e-10)


def test_negative_and_nan_weights_raise():
    G = reference_graph()
    G["A"]["B"]["weight"] = -1.0
    for function in (personalized_pagerank, trustrank, anti_trustrank, eigentrust):
        with pytest.raises(GraphError, match="negative"):
            function(G, ["A"])
    with pytest.raises(GraphError):
        pagerank(G)
    G["A"]["B"]["weight"] = float("nan")
    with pytest.raises(GraphError):
        personalized_pagerank(G, ["A"])


@pytest.mark.parametrize("damping", [1.0, -0.1, 1.5, float("nan")])
def test_damping_outside_unit_interval_raises(damping):
    with pytest.raises(ParameterError):
        personalized_pagerank(reference_graph(), ["A"], damping=damping)
    with pytest.raises(ParameterError):
        pagerank(reference_graph(), damping=damping)


def test_damping_zero_returns_the_seed_vector():
    assert personalized_pagerank(reference_graph(), {"A": 1, "C": 1}, damping=0.0) == {
        "A": 0.5,
        "B": 0.0,
        "C": 0.5,
        "D": 0.0,
    }


def test_power_iteration_raises_convergence_error_with_diagnostics():
    with pytest.raises(ConvergenceError) as info:
        personalized_pagerank(reference_graph(), ["A"], method="power", max_iter=2)
    assert info.value.iterations == 2
    assert info.value.residual > 1e-10
    assert isinstance(info.value, RuntimeError)


def test_power_iteration_stops_on_absolute_l1_change():
    cg = CompactGraph.from_networkx(reference_graph())
    walk = transition(cg)
    teleport = seed_vector(cg, ["A"])
    loose = ppr_power(walk, teleport, damping=0.85, tol=1e-3, max_iter=1000)
    tight = ppr_power(walk, teleport, damping=0.85, tol=1e-12, max_iter=1000)
    assert loose.residual < 1e-3 and tight.residual < 1e-12
    assert loose.iterations < tight.iterations
    # With contraction factor d the error after the stop is at most residual * d / (1 - d).
    error = np.abs(loose.scores - tight.scores).sum()
    assert error <= loose.residual * 0.85 / 0.15 + 1e-12


def test_bad_method_tol_max_iter_epsilon_raise():
    G = reference_graph()
    with pytest.raises(ParameterError):
        personalized_pagerank(G, ["A"], method="magic")
    with pytest.raises(ParameterError):
        personalized_pagerank(G, ["A"], tol=0)
    with pytest.raises(ParameterError):
        personalized_pagerank(G, ["A"], max_iter=0)
    with pytest.raises(ParameterError):
        personalized_pagerank(G, ["A"], method="push", epsilon=0)
    with pytest.raises(ParameterError):
        pagerank(G, method="push")


def test_inverse_pagerank_ranks_wide_reach_first():
    G = nx.DiGraph([("hub", x) for x in "abcd"] + [("a", "b")])
    scores = inverse_pagerank(G)
    assert max(scores, key=scores.get) == "hub"
    assert_close(scores, nx.pagerank(G.reverse(), tol=1e-13, max_iter=10_000), 1e-9)


def test_anti_trustrank_flows_against_edges():
    # u -> spam: u trusts spam, so distrust from spam reaches u, not spam's own targets.
    G = nx.DiGraph([("u", "spam"), ("spam", "w"), ("x", "u")])
    scores = anti_trustrank(G, ["spam"])
    assert scores["w"] == 0.0
    assert scores["u"] > scores["x"] > 0


# ------------------------------------------------------------------ batch
def test_matrix_rows_are_single_source_ppr_and_chunking_is_invisible():
    G = nx.gnp_random_graph(40, 0.1, directed=True, seed=7)
    sources = [3, 1, 3, 0]
    whole = personalized_pagerank_matrix(G, sources, method="power")
    chunked = personalized_pagerank_matrix(G, sources, method="power", memory_budget_bytes=40 * 32)
    assert whole.sources == (3, 1, 3, 0)
    assert whole.nodes == tuple(G.nodes)
    assert whole.matrix.shape == (4, 40)
    # Chunks stop when their own worst column meets tol, so they agree to about tol.
    assert np.abs(whole.matrix - chunked.matrix).max() <= 1e-9
    np.testing.assert_allclose(whole.matrix.sum(axis=1), 1.0, atol=1e-12)
    for source in set(sources):
        expected = nx_ppr(G, {source: 1.0})
        assert max(abs(whole.scores(source)[v] - expected[v]) for v in G) <= 1e-9


def test_matrix_push_is_approximate_and_default_sources_are_all_nodes():
    G = reference_graph()
    pushed = personalized_pagerank_matrix(G, method="push", epsilon=1e-9)
    exact = personalized_pagerank_matrix(G)
    assert pushed.sources == ("A", "B", "C", "D") and exact.method == "exact"
    assert np.abs(pushed.matrix - exact.matrix).max() < 1e-6
    assert round(exact["A", "B"], 6) == REFERENCE_PPR["B"]


def test_matrix_bad_sources_raise():
    G = reference_graph()
    with pytest.raises(SeedError):
        personalized_pagerank_matrix(G, ["A", "Z"])
    with pytest.raises(SeedError):
        personalized_pagerank_matrix(G, [])
    with pytest.raises(ParameterError):
        personalized_pagerank_matrix(G, ["A"], memory_budget_bytes=0)
    with pytest.raises(SeedError):
        personalized_pagerank_matrix(G, ["A"]).scores("B")


def test_matrix_sparse_threshold_keeps_large_entries_only():
    G = nx.gnp_random_graph(30, 0.1, directed=True, seed=2)
    dense = personalized_pagerank_matrix(G, [0, 4, 9], method="power")
    sparse = personalized_pagerank_matrix(
        G, [0, 4, 9], method="power", sparse_threshold=0.02, memory_budget_bytes=30 * 32
    )
    assert sp.issparse(sparse.matrix) and sparse.matrix.shape == (3, 30)
    expected = np.where(dense.matrix >= 0.02, dense.matrix, 0.0)
    assert np.abs(sparse.matrix.toarray() - expected).max() <= 1e-9
    assert sparse.matrix.nnz == np.count_nonzero(expected)
    assert sparse[4, 4] == pytest.approx(dense[4, 4], abs=1e-9)
    with pytest.raises(ParameterError):
        personalized_pagerank_matrix(G, [0], sparse_threshold=-1.0)


def test_progress_is_called_once_per_power_iteration():
    G = nx.gnp_random_graph(60, 0.08, seed=4, directed=True)
    calls = []
    scores = personalized_pagerank(
        G, [0], method="power", tol=1e-9, progress=lambda i, change: calls.append((i, change))
    )
    assert [i for i, _ in calls] == list(range(1, len(calls) + 1))
    assert calls[-1][1] < 1e-9 <= calls[-2][1]  # it stops at the first change under tol
    assert scores == personalized_pagerank(G, [0], method="power", tol=1e-9)
    exact_calls = []
    personalized_pagerank(G, [0], method="exact", progress=lambda *a: exact_calls.append(a))
    assert exact_calls == []


@pytest.mark.parametrize("function", [pagerank, inverse_pagerank, eigentrust, trustrank])
def test_every_walk_reports_progress(function):
    G = nx.gnp_random_graph(40, 0.1, seed=5, directed=True)
    calls = []
    args = () if function in (pagerank, inverse_pagerank) else ([0],)
    function(G, *args, method="power", progress=lambda i, change: calls.append(i))
    assert calls and calls == list(range(1, len(calls) + 1))


# ------------------------------------------------------------------ signed EigenTrust
def test_eigentrust_discount_step_matches_go_eigentrust_unit_test():
    # go-eigentrust pkg/basic/eigentrust_test.go TestDiscountTrustVector (commit 1be1bce):
    # global trust t and canonical distrust rows; peer 1 has zero trust, so its distrust
    # does not count.
    from trustgraph.algorithms._eigentrust import discount

    rows = [1, 1, 2, 2, 3, 3]
    cols = [2, 3, 0, 4, 2, 4]
    values = [0.5, 0.5, 0.25, 0.75, 0.5, 0.5]
    distrust = CompactGraph.from_edges(rows, cols, values, nodes=range(5))
    t = np.array([0.25, 0.0, 0.5, 0.25, 0.0])
    expected = [0.25 - 0.25 * 0.5, 0.0, 0.5 - 0.5 * 0.25, 0.25, -0.75 * 0.5 - 0.5 * 0.25]
    np.testing.assert_allclose(discount(t, distrust), expected)


def test_eigentrust_signed_discount_by_hand():
    # a -> b 1, a -> c -1, pre-trust a, damping 0.5. Positive part: b and c dangling, so
    # t_a = 0.5 + 0.5 (t_b + t_c), t_b = 0.5 t_a, t_c = 0: t = (2/3, 1/3, 0). Then a's
    # distrust row (c: 1) takes t_a from c: c = -2/3.
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 1.0), ("a", "c", -1.0)])
    scores = eigentrust(G, ["a"], damping=0.5, signed="discount")
    assert scores == pytest.approx({"a": 2 / 3, "b": 1 / 3, "c": -2 / 3}, abs=1e-12)
    dropped = eigentrust(G, ["a"], damping=0.5, signed="drop")
    assert dropped == pytest.approx({"a": 2 / 3, "b": 1 / 3, "c": 0.0}, abs=1e-12)
    with pytest.raises(GraphError):
        eigentrust(G, ["a"], damping=0.5)
    with pytest.raises(ParameterError, match="signed"):
        eigentrust(G, ["a"], signed="rescale")


def test_eigentrust_discount_from_counts_uses_the_negative_difference():
    G = nx.DiGraph()
    G.add_edge("a", "b", sat=3, unsat=1)
    G.add_edge("a", "c", sat=0, unsat=2)
    clipped = eigentrust(G, ["a"], damping=0.5, satisfied="sat", unsatisfied="unsat")
    discounted = eigentrust(
        G, ["a"], damping=0.5, satisfied="sat", unsatisfied="unsat", signed="discount"
    )
    assert clipped["c"] == 0.0
    assert discounted["c"] == pytest.approx(-clipped["a"])
    assert discounted["b"] == pytest.approx(clipped["b"])


def test_eigentrust_discount_without_distrust_is_plain_eigentrust():
    G = reference_graph()
    assert eigentrust(G, ["A"], signed="discount") == eigentrust(G, ["A"])


# ------------------------------------------------------------------ PPRMatrix lookups
def test_matrix_lookup_by_label_with_repeats_and_sparse():
    G = reference_graph()
    dense = personalized_pagerank_matrix(G, ["C", "A", "C"])
    sparse = personalized_pagerank_matrix(G, ["C", "A", "C"], sparse_threshold=0.0)
    for result in (dense, sparse):
        for source in ("A", "C"):
            expected = personalized_pagerank(G, [source])
            for node, value in expected.items():
                assert result[source, node] == pytest.approx(value, abs=1e-9)
        np.testing.assert_allclose(result.row("C"), dense.matrix[0])
    with pytest.raises(SeedError):
        dense["D", "A"]
    with pytest.raises(KeyError):
        dense["A", "nobody"]


# ------------------------------------------------------------------ one docstring source
@pytest.mark.parametrize(
    "function",
    [
        personalized_pagerank,
        pagerank,
        inverse_pagerank,
        trustrank,
        anti_trustrank,
        eigentrust,
        personalized_pagerank_matrix,
    ],
)
def test_docstrings_document_every_parameter_and_have_no_markers(function):
    import inspect
    import re

    doc = function.__doc__
    assert not re.search(r"^\s*\{[a-z_]+(:[^}]*)?\}\s*$", doc, re.M)
    for name in inspect.signature(function).parameters:
        assert re.search(rf"^\s+(\w+, )*{name}(, \w+)* : ", doc, re.M), name
    for section in ("Parameters", "Returns", "Raises", "Notes", "References", "Examples"):
        assert f"\n    {section}\n    {'-' * len(section)}\n" in doc
    assert "Self-loops are walk edges" in doc
