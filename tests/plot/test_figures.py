"""Spread, scores, explanation and overview figures: their models as arrays, then drawing."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from matplotlib.figure import Figure

from trustgraph import explain_trust
from trustgraph.analysis.ego import analyze_ego, positive_hops
from trustgraph.core.compact import as_compact
from trustgraph.datasets import powerlaw_graph
from trustgraph.exceptions import ParameterError
from trustgraph.plot.explain import explanation_layout, plot_explanation
from trustgraph.plot.overview import overview_model, plot_overview
from trustgraph.plot.scores import agreement_matrix, plot_agreement, plot_score_ranks
from trustgraph.plot.spread import plot_trust_by_hop, plot_trusted_reach, reach_curve


def chain_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        [
            ("me", "a", 3),
            ("me", "b", 1),
            ("a", "c", 1),
            ("b", "c", 2),
            ("c", "d", 1),
            ("x", "me", 1),
        ]
    )
    return G


def test_positive_hops_match_networkx_bfs_over_positive_edges():
    G = chain_graph()
    G.add_edge("me", "declared", weight=0.0)  # a declared-only tie carries no trust: no hop
    positive = nx.DiGraph((u, v) for u, v, w in G.edges(data="weight") if w > 0)
    expected = nx.single_source_shortest_path_length(positive, "me")
    got = positive_hops(as_compact(G), ["me"])
    assert {n: h for n, h in got.items() if h is not None} == expected
    assert got["x"] is None and got["declared"] is None


def test_analysis_scores_are_personalized_pagerank_with_the_given_damping():
    G = chain_graph()
    for damping in (0.85, 0.5):
        a = analyze_ego(G, ["me"], n_null=0, damping=damping)
        # independent oracle: networkx PageRank with all restart mass on the ego; dangling d
        # returns to the ego (dangling= personalization), alpha = damping
        oracle = nx.pagerank(
            G,
            alpha=damping,
            personalization={"me": 1},
            dangling={"me": 1},
            tol=1e-13,
            max_iter=10_000,
        )
        for node, value in oracle.items():
            assert a.scores[node] == pytest.approx(value, abs=1e-8)


def test_reach_curve_counts_people_at_or_above_each_threshold():
    scores = {"me": 0.9, "a": 0.3, "b": 0.05, "c": 0.05, "d": 0.0}
    t, n = reach_curve(scores, exclude={"me"}, n_points=7)
    brute = [
        sum(1 for k, v in scores.items() if k != "me" and v >= thr * (1 - 1e-12)) for thr in t
    ]
    assert n.tolist() == brute
    assert t[0] == pytest.approx(0.05) and t[-1] == pytest.approx(0.3)


def test_spread_panels_draw_their_data():
    G = chain_graph()
    a = analyze_ego(G, ["me"], n_null=0)
    scores, hops = a.scores, a.hops
    ax = plot_trust_by_hop(hops, scores, ax=Figure().add_subplot())
    heights = [p.get_height() for p in ax.patches]
    total = sum(scores.values())
    by_hop = [sum(v for k, v in scores.items() if hops[k] == h) / total for h in range(4)]
    np.testing.assert_allclose(heights, by_hop)
    ax = plot_trusted_reach(
        {"ppr": scores, "flat": dict.fromkeys(scores, 0.1)},
        exclude=["me"],
        threshold=0.05,
        ax=Figure().add_subplot(),
    )
    assert len(ax.get_legend().get_texts()) == 2 and ax.get_xscale() == "log"


def test_agreement_matches_the_rank_correlation_formulas():
    # no ties: Spearman rho = 1 - 6 sum d^2 / (n (n^2 - 1)); Kendall tau = (C - D) / pairs
    a = {i: float(v) for i, v in enumerate([5, 3, 4, 1, 2])}
    b = {i: float(v) for i, v in enumerate([4, 5, 3, 2, 1])}
    ra = np.argsort(np.argsort([a[i] for i in range(5)]))
    rb = np.argsort(np.argsort([b[i] for i in range(5)]))
    rho = 1 - 6 * np.sum((ra - rb) ** 2) / (5 * 24)
    pairs = list(itertools.combinations(range(5), 2))
    concordant = sum(np.sign(a[i] - a[j]) == np.sign(b[i] - b[j]) for i, j in pairs)
    tau = (2 * concordant - len(pairs)) / len(pairs)
    s = {"A": a, "B": b}
    assert agreement_matrix(s)[0, 1] == pytest.approx(rho)
    assert agreement_matrix(s, method="kendall")[0, 1] == pytest.approx(tau)
    with pytest.raises(ParameterError):
        agreement_matrix(s, method="pearson")
    # a constant method has no ranking: n/a
    flat = agreement_matrix({"A": a, "C": dict.fromkeys(a, 1.0)})
    assert np.isnan(flat[0, 1])


def test_score_plots_draw_one_line_and_one_cell_each():
    s = {"A": {1: 0.5, 2: 0.3, 3: 0.0}, "B": {1: 0.1, 2: 0.2, 3: 0.7}}
    ax = plot_score_ranks(s, ax=Figure().add_subplot())
    assert [line.get_ydata().tolist() for line in ax.lines] == [[0.5, 0.3], [0.7, 0.2, 0.1]]
    ax = plot_agreement(s, ax=Figure().add_subplot())
    assert len(ax.texts) == 4 and "Spearman" in ax.get_title()


def test_explanation_rows_start_at_a_seed_and_end_at_the_target():
    G = chain_graph()
    why = explain_trust(G, ["me"], "d", top_paths=3)
    m = explanation_layout(why)
    assert m["probability"].size == len(why.paths) == 2  # me-a-c-d and me-b-c-d
    for r, path in enumerate(why.paths):
        row = m["nodes"][m["node_row"] == r].tolist()
        assert row == list(path.nodes) and row[0] == "me" and row[-1] == "d"
    np.testing.assert_allclose(m["share"].sum(), 1.0)
    # me->a is 3/4 of me's weight, me->b 1/4; both continue with probability 1: 0.75 / 0.25
    np.testing.assert_allclose(m["share"], [0.75, 0.25])
    ax = plot_explanation(why, label=lambda n: f"P-{n}", ax=Figure().add_subplot())
    texts = {t.get_text() for t in ax.texts}
    assert {"P-me", "P-a", "P-d"} <= texts
    assert not texts & {"me", "a", "d"}


def test_overview_model_draws_the_weighted_core_and_collapses_communities():
    cg = powerlaw_graph(2000, 12000, n_communities=4, seed=2)
    m = overview_model(cg, max_core=150, max_edges=400)
    assert m["pos"].shape == (2000, 2) and np.isfinite(m["pos"]).all()
    assert 0 < m["core"].sum() <= 150
    # every drawn edge joins two drawn nodes (segment ends are their positions)
    core_points = {tuple(p) for p in m["pos"][m["core"]].round(12)}
    ends = m["edges"].reshape(-1, 2).round(12)
    assert all(tuple(p) in core_points for p in ends)
    assert len(m["edges"]) <= 400
    # centroids are the mean position of each planted community
    community = np.array(cg.node_attrs["community"])
    for j, cid in enumerate(m["community_id"]):
        np.testing.assert_allclose(m["centroid"][j], m["pos"][community == cid].mean(axis=0))
        assert m["community_size"][j] == np.sum(community == cid)
    again = overview_model(cg, max_core=150, max_edges=400)
    np.testing.assert_array_equal(m["pos"], again["pos"])


def test_overview_with_an_ego_draws_its_strongest_neighbours():
    G = nx.star_graph(30)
    for i in range(1, 31):
        G.edges[0, i]["weight"] = float(i)
    m = overview_model(G, ego=[0], communities=None, max_core=6)
    assert np.flatnonzero(m["core"]).tolist() == [0, 26, 27, 28, 29, 30]
    ax = plot_overview(G, ego=[0], communities=None, max_core=6, ax=Figure().add_subplot())
    assert any(t.get_text() == "you" for t in ax.get_legend().get_texts())


def test_plot_functions_leave_global_rcparams_alone():
    import matplotlib

    before = dict(matplotlib.rcParams)
    plot_score_ranks({"A": {1: 1.0, 2: 0.5}})
    after = dict(matplotlib.rcParams)
    assert before == after
