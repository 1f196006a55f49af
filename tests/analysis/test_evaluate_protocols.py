"""Each evaluation protocol on small synthetic graphs, against direct computations."""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pytest

from trustgraph.algorithms.flow import advogato
from trustgraph.algorithms.paths import tidaltrust
from trustgraph.algorithms.signed import fairness_goodness
from trustgraph.analysis.evaluate import (
    EvaluationResult,
    auc,
    evaluate_circles,
    evaluate_core,
    evaluate_edge_weight,
    evaluate_fraud,
    evaluate_levels,
    evaluate_sybil,
    leave_one_out_fairness_goodness,
)
from trustgraph.exceptions import GraphError, ParameterError


def signed_graph(seed: int = 0, n: int = 16, p: float = 0.25) -> nx.DiGraph:
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.integers(-10, 11) or 3)
    return G


def rows_by_method(result: EvaluationResult) -> dict:
    return {row["method"]: row for row in result.results}


# ------------------------------------------------------------------ edge-weight
def test_edge_weight_leave_one_out_agrees_with_the_fast_routine():
    G = signed_graph(1)
    result = evaluate_edge_weight(G, methods=("Fairness x Goodness", "Goodness"))
    loo = leave_one_out_fairness_goodness(G)
    rows = rows_by_method(result)
    for name in ("Fairness x Goodness", "Goodness"):
        assert rows[name]["rmse"] == pytest.approx(loo.rmse[name])
        assert rows[name]["pearson"] == pytest.approx(loo.pearson[name])
        assert rows[name]["coverage"] == 1.0
    assert result.parameters["protocol_variant"] == "leave-one-out"


def test_edge_weight_holdout_refits_on_training_edges_only():
    # Oracle: remove the held-out edges from a copy and run fairness_goodness on the rest.
    G = signed_graph(2, n=20)
    result = evaluate_edge_weight(
        G, holdout=0.2, methods=("Fairness x Goodness",), seed=5, sample=None
    )
    m = G.number_of_edges()
    rng = np.random.default_rng(5)
    test = np.sort(rng.choice(m, size=round(0.2 * m), replace=False))
    from trustgraph.core.compact import as_compact

    cg = as_compact(G)
    rows, cols = cg.edge_arrays()
    scale = max(abs(w) for *_, w in G.edges(data="weight"))
    held = [(cg.nodes[rows[e]], cg.nodes[cols[e]]) for e in test]
    H = G.copy()
    H.remove_edges_from(held)
    fit = fairness_goodness(H, scale=scale, tol=1e-9, max_iter=10_000)
    predicted = np.array([fit.fairness[u] * fit.goodness[v] for u, v in held])
    actual = np.array([G[u][v]["weight"] / scale for u, v in held])
    row = result.results[0]
    assert row["rmse"] == pytest.approx(np.sqrt(((predicted - actual) ** 2).mean()), abs=1e-5)
    assert result.parameters["held_out_edges"] == len(held)


def test_edge_weight_reciprocal_by_hand():
    # Weights /2: a->b 1, b->a .5, c->b 1, a->c -.5. Reciprocal predictions: .5, 1, then the
    # mean of the other three weights (1/3 and 5/6). Errors .5, .5, 2/3, 4/3.
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 2), ("b", "a", 1), ("c", "b", 2), ("a", "c", -1)])
    row = evaluate_edge_weight(G, methods=("Reciprocal edge",)).results[0]
    expected = math.sqrt((0.25 + 0.25 + (2 / 3) ** 2 + (4 / 3) ** 2) / 4)
    assert row["rmse"] == pytest.approx(expected)


def test_edge_weight_tidaltrust_prediction_matches_the_metric_without_the_edge():
    # Non-negative weights in [0, 1]: prediction = TidalTrust on the graph minus the edge.
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        [(1, 2, 1.0), (1, 3, 0.8), (2, 4, 0.9), (3, 4, 0.5), (1, 4, 0.6), (4, 1, 0.7)]
    )
    result = evaluate_edge_weight(G, methods=("TidalTrust",), sample=None)
    row = result.results[0]
    predicted, actual = [], []
    for u, v, w in G.edges(data="weight"):
        H = G.copy()
        H.remove_edge(u, v)
        t = tidaltrust(H, u, v)
        if t > 0:
            predicted.append(t)
            actual.append(w)
    assert row["coverage"] == pytest.approx(len(predicted) / G.number_of_edges())
    assert row["rmse"] == pytest.approx(
        math.sqrt(np.mean((np.array(predicted) - np.array(actual)) ** 2))
    )


def test_edge_weight_sampled_methods_report_intervals_and_coverage():
    G = signed_graph(3, n=25, p=0.3)
    result = evaluate_edge_weight(
        G, methods=("MoleTrust", "Appleseed", "PPR"), sample=30, n_bootstrap=200, seed=1
    )
    for row in result.results:
        assert row["n"] == 30
        assert 0.0 <= row["coverage"] <= 1.0
        if row["coverage"] > 0.2:
            assert row["rmse_low"] <= row["rmse"] <= row["rmse_high"]
    assert result.parameters["sampled_edges"] == 30


def test_edge_weight_rejects_what_it_cannot_evaluate():
    with pytest.raises(GraphError, match="no weights to predict"):
        evaluate_edge_weight(nx.DiGraph([(1, 2), (2, 3)]))
    with pytest.raises(GraphError, match="directed"):
        evaluate_edge_weight(nx.Graph([(1, 2, {"weight": 2}), (2, 3, {"weight": 1})]))
    with pytest.raises(ParameterError):
        evaluate_edge_weight(signed_graph(0), holdout=1.5)
    with pytest.raises(ParameterError):
        evaluate_edge_weight(signed_graph(0), methods=("Magic",))


# ------------------------------------------------------------------ levels
def level_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        [("a", "b", 1.0), ("b", "c", 0.6), ("a", "c", 0.6), ("c", "a", 1.0), ("b", "a", 0.6)]
    )
    return G


def test_levels_by_hand():
    # Leave each of the 5 certifications out. Mean incoming level: a->b none (uncovered),
    # b->c .6 (ok), a->c .6 (ok), c->a .6 vs 1 (.4), b->a 1 vs .6 (.4): MAE .2, coverage .8.
    # MoleTrust (threshold .6): a->b unreachable, b->c via a .6 (ok), a->c via b .6 (ok),
    # c->a no other path, b->a via c 1.0 vs .6 (.4): MAE .4/3, coverage .6.
    G = level_graph()
    G.add_edge("a", "a", weight=1.0)  # a self-certification: excluded
    result = evaluate_levels(G, methods=("MoleTrust", "Mean incoming level"), sample=None)
    rows = rows_by_method(result)
    assert rows["Mean incoming level"]["mae"] == pytest.approx(0.2)
    assert rows["Mean incoming level"]["coverage"] == pytest.approx(0.8)
    assert rows["MoleTrust"]["mae"] == pytest.approx(0.4 / 3)
    assert rows["MoleTrust"]["coverage"] == pytest.approx(0.6)
    assert result.parameters["self_certifications_excluded"] == 1
    assert result.parameters["levels"] == [0.6, 1.0]


def test_levels_advogato_matches_the_metric_without_the_edge():
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        [
            ("r", "a", 1.0),
            ("r", "b", 0.8),
            ("a", "b", 1.0),
            ("b", "c", 0.8),
            ("a", "c", 0.6),
            ("c", "r", 0.6),
        ]
    )
    result = evaluate_levels(G, methods=("Advogato",), sample=None)
    errors = []
    for u, v, w in G.edges(data="weight"):
        H = G.copy()
        H.remove_edge(u, v)
        level = advogato(H, [u], levels=[0.6, 0.8, 1.0])[v]
        if level > 0:
            errors.append(abs(level - w))
    row = result.results[0]
    assert row["coverage"] == pytest.approx(len(errors) / G.number_of_edges())
    assert row["mae"] == pytest.approx(np.mean(errors))


def test_levels_needs_a_level_scale():
    with pytest.raises(GraphError, match="no certification levels"):
        evaluate_levels(nx.DiGraph([(1, 2), (2, 3)]))


# ------------------------------------------------------------------ sybil
def test_sybil_on_a_caveman_graph():
    honest = nx.connected_caveman_graph(5, 8)
    result = evaluate_sybil(
        honest, attack_edges=(2, 20), repetitions=2, methods=("SybilRank", "SybilSCAR"), seed=3
    )
    rows = {(r["method"], r["attack_edges"]): r for r in result.results}
    assert set(rows) == {(m, g) for m in ("SybilRank", "SybilSCAR") for g in (2, 20)}
    assert rows[("SybilRank", 2)]["auc"] > 0.95
    # More attack edges never make the separation easier here (a weak, honest check).
    assert rows[("SybilRank", 20)]["auc"] <= rows[("SybilRank", 2)]["auc"] + 1e-9
    for row in result.results:
        assert 0.0 <= row["auc"] <= 1.0 and row["auc_std"] >= 0.0
    again = evaluate_sybil(
        honest, attack_edges=(2, 20), repetitions=2, methods=("SybilRank", "SybilSCAR"), seed=3
    )
    assert again.results == result.results


def test_sybil_random_seeds_and_all_methods_run():
    honest = nx.connected_caveman_graph(3, 6)
    result = evaluate_sybil(
        honest,
        attack_edges=(3,),
        repetitions=1,
        seeding="random",
        n_seeds=3,
        region="random",
        targeting="degree",
        seed=0,
    )
    assert [r["method"] for r in result.results] == [
        "SybilRank",
        "SybilSCAR",
        "TrustRank",
        "EigenTrust",
        "Appleseed",
    ]
    assert result.parameters["seeds_per_repetition"] == [3]


def test_sybil_validates():
    honest = nx.cycle_graph(6)
    with pytest.raises(ParameterError):
        evaluate_sybil(honest, attack_edges=(0,))
    with pytest.raises(ParameterError):
        evaluate_sybil(honest, seeding="oracle")
    with pytest.raises(GraphError):
        evaluate_sybil(nx.empty_graph(3))


# ------------------------------------------------------------------ core
def test_core_recovers_caves_and_global_pagerank_does_not():
    # Five disjoint caves: PPR from a member reaches only its own cave (AUC 1,
    # R-precision 1); global PageRank is flat on this symmetric graph (every score equal up
    # to rounding noise, so its AUC is near 1/2: it ignores who asks).
    G = nx.DiGraph(nx.caveman_graph(5, 5))
    groups = {v: v // 5 for v in G}
    result = evaluate_core(G, groups, n_sources=10, methods=("PPR", "PageRank (global)"))
    rows = rows_by_method(result)
    ppr = rows["personalized PageRank"]  # "PPR" is a registry name of the metric
    assert ppr["auc"] == pytest.approx(1.0)
    assert ppr["precision_at_k"] == pytest.approx(1.0)
    assert abs(rows["PageRank (global)"]["auc"] - 0.5) < 0.1
    joined = nx.DiGraph(nx.connected_caveman_graph(5, 5))
    linked = evaluate_core(joined, groups, n_sources=10, methods=("PPR",)).results[0]
    assert 0.9 < linked["auc"] <= 1.0
    with pytest.raises(GraphError, match="group"):
        evaluate_core(G, {})


def test_circles_protocol():
    G = nx.star_graph(6)
    G.add_edges_from([(1, 2), (2, 3), (1, 3)])
    result = evaluate_circles(G, {0: {"friends": [1, 2, 3]}, 99: {"x": [1]}})
    rows = rows_by_method(result)
    assert rows["personalized PageRank (from ego)"]["auc"] == 1.0
    classifier = rows["Classifier (personalized PageRank strength)"]
    for key in ("trusted_share_circle", "trusted_share_other", "core_share_circle"):
        assert 0.0 <= classifier[key] <= 1.0
    with pytest.raises(GraphError):
        evaluate_circles(G, {0: {"all": [1, 2, 3, 4, 5, 6]}})


# ------------------------------------------------------------------ fraud
def fraud_graph():
    # Honest raters 0..9 rate each other +8..+10; fraudsters 10..13 rate honest users -10
    # and each other +10; honest users rate fraudsters -10.
    rng = np.random.default_rng(4)
    G = nx.DiGraph()
    for u in range(10):
        for v in rng.choice(10, size=4, replace=False):
            if u != v:
                G.add_edge(u, int(v), weight=float(rng.integers(8, 11)))
        G.add_edge(u, 10 + u % 4, weight=-10.0)
    for f in range(10, 14):
        G.add_edge(f, (f + 1 - 10) % 4 + 10, weight=10.0)
        G.add_edge(f, int(rng.integers(0, 10)), weight=-10.0)
    labels = {u: True for u in range(10)} | {f: False for f in range(10, 14)}
    return G, labels


def test_fraud_against_direct_scores():
    G, labels = fraud_graph()
    result = evaluate_fraud(G, labels | {"ghost": True})
    rows = rows_by_method(result)
    fit = fairness_goodness(G)
    nodes = list(labels)
    good = np.array([labels[x] for x in nodes])
    assert rows["Fairness"]["auc"] == pytest.approx(auc([fit.fairness[x] for x in nodes], good))
    assert rows["Goodness"]["auc"] == pytest.approx(auc([fit.goodness[x] for x in nodes], good))
    assert rows["Goodness"]["auc"] == 1.0  # every fraudster gets mostly -10
    assert rows["Goodness"]["average_precision"] == 1.0
    assert result.parameters["labelled_not_in_graph"] == 1
    with pytest.raises(GraphError, match="good and bad"):
        evaluate_fraud(G, {0: True, 1: True})


def test_result_json_form():
    G, labels = fraud_graph()
    payload = evaluate_fraud(G, labels, dataset="toy").to_dict()
    text = json.dumps(payload)
    assert set(payload) >= {"protocol", "dataset", "parameters", "results"}
    assert payload["protocol"] == "fraud" and payload["dataset"] == "toy"
    assert {"method", "auc", "average_precision"} <= set(payload["results"][0])
    assert "NaN" not in text
    nan_row = EvaluationResult("x", "d", {}, [{"method": "m", "auc": float("nan")}])
    assert nan_row.to_dict()["results"][0]["auc"] is None
    assert "n/a" in nan_row.to_markdown()
