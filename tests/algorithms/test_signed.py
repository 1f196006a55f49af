"""Fairness/goodness (Kumar et al. 2016), Guha et al. trust/distrust, and the signed-input
policy of non-negative metrics."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from trustgraph.algorithms.signed import (
    FairnessGoodness,
    apply_signed_policy,
    fairness_goodness,
    predict_edge_weight,
    trust_distrust,
)
from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ConvergenceError, GraphError, ParameterError

REFERENCE_EDGES = [
    ("a", "b", 1.0),
    ("c", "b", 1.0),
    ("d", "b", -1.0),
    ("a", "c", 0.5),
    ("b", "c", 0.5),
    ("d", "c", -0.5),
    ("a", "d", -1.0),
    ("b", "d", -1.0),
]


def signed_graph(edges) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(edges)
    return G


def naive_fairness_goodness(edges, tol=1e-12, max_iter=10_000):
    """The authors' loop order with plain dicts: goodness of every node from the current
    fairness, then fairness of every node from the new goodness (Gauss-Seidel per block)."""
    nodes = list(dict.fromkeys([u for u, _, _ in edges] + [v for _, v, _ in edges]))
    scale = max(abs(w) for _, _, w in edges)
    incoming = {v: [] for v in nodes}
    outgoing = {v: [] for v in nodes}
    for u, v, w in edges:
        incoming[v].append((u, w / scale))
        outgoing[u].append((v, w / scale))
    fairness = dict.fromkeys(nodes, 1.0)
    goodness = {
        v: (sum(w for _, w in incoming[v]) / len(incoming[v]) if incoming[v] else 0.0)
        for v in nodes
    }
    for _ in range(max_iter):
        change = 0.0
        for v in nodes:
            new = (
                sum(fairness[u] * w for u, w in incoming[v]) / len(incoming[v])
                if incoming[v]
                else 0.0
            )
            change += abs(new - goodness[v])
            goodness[v] = new
        for u in nodes:
            new = (
                1 - sum(abs(w - goodness[v]) for v, w in outgoing[u]) / (2 * len(outgoing[u]))
                if outgoing[u]
                else 1.0
            )
            change += abs(new - fairness[u])
            fairness[u] = new
        if change < tol:
            return fairness, goodness
    raise AssertionError("naive fairness/goodness did not converge")


# ------------------------------------------------------------------ fairness / goodness
def test_reference_values_design_section_6():
    result = fairness_goodness(signed_graph(REFERENCE_EDGES))
    expected_f = {"a": 0.813433, "b": 0.888060, "c": 0.664179, "d": 0.492537}
    expected_g = {"a": 0.0, "b": 0.328358, "c": 0.201493, "d": -0.850746}
    for node in expected_f:
        assert result.fairness[node] == pytest.approx(expected_f[node], abs=2e-6)
        assert result.goodness[node] == pytest.approx(expected_g[node], abs=2e-6)
    assert result.scale == 1.0
    # ALGORITHMS.md §12.1: predicted a -> b = 0.267097.
    assert predict_edge_weight(result, "a", "b") == pytest.approx(0.267097, abs=2e-6)


def test_hand_derived_fixed_point_in_elevenths():
    # a->b 4, c->b 2, a->c -2; default scale 4 gives W = 1, 0.5, -0.5.
    # Guess f(a) = f(c) = 10/11. Then g(c) = f(a) * -0.5 = -5/11,
    # g(b) = (f(a) * 1 + f(c) * 0.5) / 2 = 15/22,
    # f(c) = 1 - |0.5 - 15/22| / 2 = 1 - (4/22) / 2 = 10/11          (consistent)
    # f(a) = 1 - (|1 - 15/22| + |-0.5 + 5/11|) / 4 = 1 - (8/22) / 4 = 10/11 (consistent)
    # b rates nobody: fairness 1; a is rated by nobody: goodness 0.
    G = signed_graph([("a", "b", 4), ("c", "b", 2), ("a", "c", -2)])
    result = fairness_goodness(G, tol=1e-12)
    assert result.scale == 4.0
    assert result.fairness == pytest.approx({"a": 10 / 11, "b": 1.0, "c": 10 / 11}, abs=1e-10)
    assert result.goodness == pytest.approx({"a": 0.0, "b": 15 / 22, "c": -5 / 11}, abs=1e-10)
    assert predict_edge_weight(result, "c", "b") == pytest.approx(150 / 242, abs=1e-10)
    assert predict_edge_weight(result, "c", "b", unscaled=True) == pytest.approx(
        4 * 150 / 242, abs=1e-9
    )


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_matches_naive_dict_iteration_on_random_signed_graphs(seed):
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(25, 0.15, seed=seed, directed=True)
    edges = [(u, v, float(rng.integers(-10, 11) or 1)) for u, v in G.edges]
    expected_f, expected_g = naive_fairness_goodness(edges)
    result = fairness_goodness(signed_graph(edges), tol=1e-12, max_iter=10_000)
    assert result.scale == max(abs(w) for _, _, w in edges)
    for node in expected_f:
        assert result.fairness[node] == pytest.approx(expected_f[node], abs=1e-9)
        assert result.goodness[node] == pytest.approx(expected_g[node], abs=1e-9)


def test_cold_start_values_and_bounds():
    G = signed_graph(REFERENCE_EDGES)
    G.add_node("loner")
    result = fairness_goodness(G)
    assert result.fairness["loner"] == 1.0 and result.goodness["loner"] == 0.0
    assert result.goodness["a"] == 0.0  # no in-edges
    assert all(0.0 <= f <= 1.0 for f in result.fairness.values())
    assert all(-1.0 <= g <= 1.0 for g in result.goodness.values())
    assert list(result.fairness) == list(G.nodes)


def test_scale_is_reported_and_results_are_scale_free():
    base = fairness_goodness(signed_graph(REFERENCE_EDGES))
    tenfold = fairness_goodness(signed_graph([(u, v, 10 * w) for u, v, w in REFERENCE_EDGES]))
    assert tenfold.scale == 10.0
    assert tenfold.fairness == pytest.approx(base.fairness)
    assert tenfold.goodness == pytest.approx(base.goodness)
    explicit = fairness_goodness(signed_graph(REFERENCE_EDGES), scale=2.0)
    assert explicit.scale == 2.0
    assert explicit.goodness["b"] != pytest.approx(base.goodness["b"])


def test_result_is_frozen_and_errors():
    result = fairness_goodness(signed_graph(REFERENCE_EDGES))
    assert isinstance(result, FairnessGoodness)
    with pytest.raises(AttributeError):
        result.scale = 3.0
    with pytest.raises(GraphError):
        fairness_goodness(signed_graph(REFERENCE_EDGES), scale=0.5)
    with pytest.raises(ParameterError):
        fairness_goodness(signed_graph(REFERENCE_EDGES), scale=-1)
    with pytest.raises(GraphError):
        fairness_goodness(nx.Graph([(1, 2)]))
    with pytest.raises(GraphError):
        fairness_goodness(signed_graph([("a", "b", float("nan"))]))
    with pytest.raises(ConvergenceError) as info:
        fairness_goodness(signed_graph(REFERENCE_EDGES), max_iter=2)
    assert info.value.iterations == 2 and info.value.residual > 1e-6
    with pytest.raises(GraphError):
        predict_edge_weight(result, "a", "zed")


def test_accepts_compact_graph_and_no_edges():
    cg = CompactGraph.from_edges(
        [u for u, _, _ in REFERENCE_EDGES],
        [v for _, v, _ in REFERENCE_EDGES],
        [w for _, _, w in REFERENCE_EDGES],
    )
    assert fairness_goodness(cg).fairness == pytest.approx(
        fairness_goodness(signed_graph(REFERENCE_EDGES)).fairness
    )
    empty = nx.DiGraph()
    empty.add_nodes_from("xy")
    result = fairness_goodness(empty)
    assert result.fairness == {"x": 1.0, "y": 1.0} and result.scale == 1.0


# ------------------------------------------------------------------ signed policy
def test_signed_policy():
    cg = CompactGraph.from_edges(["a", "a", "b"], ["b", "c", "c"], [0.5, -1.0, 0.0])
    with pytest.raises(GraphError, match="negative"):
        apply_signed_policy(cg, "error")
    dropped = apply_signed_policy(cg, "drop")
    assert sorted(dropped.to_networkx().edges(data="weight")) == [
        ("a", "b", 0.5),
        ("b", "c", 0.0),  # a zero-weight tie is not distrust: it stays
    ]
    assert dropped.nodes == cg.nodes
    assert apply_signed_policy(cg, "rescale").weights.tolist() == [0.75, 0.0, 0.5]
    with pytest.raises(GraphError):
        apply_signed_policy(CompactGraph.from_edges(["a"], ["b"], [-3.0]), "rescale")
    with pytest.raises(ParameterError):
        apply_signed_policy(cg, "abs")


# ------------------------------------------------------------------ Guha et al.
GUHA_EDGES = [
    ("a", "b", 1.0),
    ("b", "c", 1.0),
    ("c", "a", 1.0),
    ("a", "d", -1.0),
    ("d", "c", -1.0),
    ("b", "d", 1.0),
]


def dense_guha(edges, nodes, model, alpha, iteration, n_steps, gamma):
    """Direct numpy transcription of ALGORITHMS.md §11 with dense matrices."""
    index = {v: i for i, v in enumerate(nodes)}
    T = np.zeros((len(nodes), len(nodes)))
    D = np.zeros_like(T)
    for u, v, w in edges:
        if w > 0:
            T[index[u], index[v]] = w
        else:
            D[index[u], index[v]] = -w
    B = T if model in ("trust_only", "one_step") else T - D
    C = alpha[0] * B + alpha[1] * B.T @ B + alpha[2] * B.T + alpha[3] * B @ B.T
    steps = []
    for k in range(1, n_steps + 1):
        P = np.linalg.matrix_power(C, k)
        steps.append(P @ (T - D) if model == "one_step" else P)
    if iteration == "eig":
        return steps[-1]
    return sum(gamma**k * P for k, P in enumerate(steps, start=1))


@pytest.mark.parametrize("model", ["trust_only", "one_step", "propagated"])
@pytest.mark.parametrize("iteration", ["eig", "wlc"])
def test_guha_matches_dense_numpy(model, iteration):
    G = signed_graph(GUHA_EDGES)
    alpha = (0.4, 0.4, 0.1, 0.1)
    result = trust_distrust(G, model=model, iteration=iteration, n_steps=3, gamma=0.9)
    expected = dense_guha(GUHA_EDGES, list(G.nodes), model, alpha, iteration, 3, 0.9)
    assert result.nodes == tuple(G.nodes)
    np.testing.assert_allclose(result.matrix.toarray(), expected, atol=1e-12)
    assert result.belief("a", "c") == pytest.approx(expected[0, 2])


def test_guha_atomic_propagations_by_hand():
    G = signed_graph([("a", "b", 1.0), ("b", "c", 1.0), ("x", "c", 1.0)])
    # Direct propagation, two steps: a trusts b, b trusts c, so a trusts c (B^2).
    direct = trust_distrust(G, propagation_weights=(1, 0, 0, 0), n_steps=2, model="trust_only")
    assert direct.belief("a", "c") == 1.0 and direct.belief("a", "b") == 0.0
    # Transpose, one step: a trusts b, so b trusts a.
    transpose = trust_distrust(G, propagation_weights=(0, 0, 1, 0), n_steps=1)
    assert transpose.belief("b", "a") == 1.0 and transpose.belief("a", "b") == 0.0
    # Trust coupling (B B^T), one step: b and x both trust c, so b trusts x and x trusts b.
    coupling = trust_distrust(G, propagation_weights=(0, 0, 0, 1), n_steps=1)
    assert coupling.belief("b", "x") == 1.0 and coupling.belief("x", "b") == 1.0
    # Co-citation (B^T B), one step: c is trusted by b and x: (B^T B)[c, c] = 2.
    cocitation = trust_distrust(G, propagation_weights=(0, 1, 0, 0), n_steps=1)
    assert cocitation.belief("c", "c") == 2.0 and cocitation.belief("b", "b") == 1.0


def test_guha_distrust_models_by_hand():
    # a trusts b, b distrusts c. Propagated distrust (B = T - D), direct, two steps:
    # F = B^2, F[a, c] = 1 * -1 = -1: a distrusts whom b distrusts.
    G = signed_graph([("a", "b", 1.0), ("b", "c", -1.0)])
    propagated = trust_distrust(G, propagation_weights=(1, 0, 0, 0), n_steps=2, model="propagated")
    assert propagated.belief("a", "c") == -1.0
    # One-step distrust: P(1) = C (T - D) = T (T - D): the same -1 via one trust step.
    one_step = trust_distrust(G, propagation_weights=(1, 0, 0, 0), n_steps=1, model="one_step")
    assert one_step.belief("a", "c") == -1.0
    # Trust only ignores the distrust edge entirely.
    trust_only = trust_distrust(G, propagation_weights=(1, 0, 0, 0), n_steps=2, model="trust_only")
    assert trust_only.belief("a", "c") == 0.0


def test_guha_rounding_rules():
    G = signed_graph(GUHA_EDGES)
    result = trust_distrust(G, model="propagated", n_steps=2)
    values = result.matrix.data
    # 4 of 6 edges are trust: global rounding puts a share 4/6 of stored beliefs at +1.
    assert result.trust_fraction == pytest.approx(4 / 6)
    index = result.index
    predicted = [
        result.predict_sign(u, v)
        for u in result.nodes
        for v in result.nodes
        if result.matrix[index[u], index[v]] != 0
    ]
    assert predicted.count(1) == round(4 / 6 * values.size)
    # Local rounding with d's own share: d rated one node, with distrust -> share 0: all -1.
    assert all(result.predict_sign("d", v, rounding="local") == -1 for v in result.nodes)
    # Majority rounding with one neighbour copies the sign of the nearest known rating.
    for u, v, w in GUHA_EDGES:
        assert result.predict_sign(u, v, rounding="majority", n_neighbors=1) == math.copysign(1, w)
    with pytest.raises(ParameterError):
        result.predict_sign("a", "b", rounding="median")
    with pytest.raises(GraphError):
        result.belief("a", "zed")


def test_guha_parameter_errors():
    G = signed_graph(GUHA_EDGES)
    with pytest.raises(ParameterError):
        trust_distrust(G, model="none")
    with pytest.raises(ParameterError):
        trust_distrust(G, iteration="power")
    with pytest.raises(ParameterError):
        trust_distrust(G, propagation_weights=(1, 0, 0))
    with pytest.raises(ParameterError, match="not both"):
        trust_distrust(G, propagation_weights=(1, 0, 0, 0), alpha=(0, 1, 0, 0))


def test_trust_distrust_old_alpha_name_warns_and_still_works():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 1), ("b", "c", 1), ("a", "d", -1)])
    with pytest.warns(DeprecationWarning, match="propagation_weights"):
        old = trust_distrust(G, alpha=(0, 0, 1, 0), n_steps=1)
    new = trust_distrust(G, propagation_weights=(0, 0, 1, 0), n_steps=1)
    assert old.belief("b", "a") == new.belief("b", "a") == 1.0
    with pytest.raises(ParameterError):
        trust_distrust(G, n_steps=0)
    with pytest.raises(ParameterError):
        trust_distrust(G, gamma=0.0)
    with pytest.raises(GraphError):
        trust_distrust(nx.Graph([(1, 2)]))
