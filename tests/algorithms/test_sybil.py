"""SybilRank, SybilSCAR and community seeds.

Oracles: the reference values of DESIGN.md section 6 (reproduced there with the SybilRank
reference C++), hand derivations written out in comments, the loop-by-loop implementations
in ``naive_sybil.py``, dense numpy eigenvalues, and attack simulations scored with an AUC
helper written here.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata

from trustgraph.algorithms.sybil import (
    community_seeds,
    sybilrank,
    sybilscar,
    sybilscar_weight_bound,
)
from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ConvergenceError, GraphError, ParameterError, SeedError

try:
    from naive_sybil import (
        naive_sybilrank,
        naive_sybilscar,
        naive_sybilscar_accumulate,
        naive_symmetrise,
    )
except ImportError:  # tests/algorithms collected as a package
    from .naive_sybil import (
        naive_sybilrank,
        naive_sybilscar,
        naive_sybilscar_accumulate,
        naive_symmetrise,
    )

RULES = ("sum", "max", "min", "mean")


# --------------------------------------------------------------------------- fixtures
def toy_attack_graph() -> nx.Graph:
    """DESIGN.md section 6: honest 0..5, Sybil clique 6..9, attack edge 5-6."""
    honest = [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (3, 4), (4, 5), (3, 5), (2, 4)]
    sybil = [(6, 7), (6, 8), (6, 9), (7, 8), (7, 9), (8, 9)]
    G = nx.Graph()
    G.add_nodes_from(range(10))
    G.add_edges_from([*honest, *sybil, (5, 6)])
    return G


def dense_spectral_radius(G: nx.Graph, weight: str | None = "weight") -> float:
    matrix = nx.to_numpy_array(G, weight=weight)
    return float(np.max(np.abs(np.linalg.eigvalsh(matrix)))) if matrix.size else 0.0


def auc(scores: dict, honest, sybils) -> float:
    """P(random honest node scores above a random Sybil), ties counting one half.

    Mann-Whitney statistic from midranks: rank all scores together (ties get the mean rank),
    then the honest rank sum minus its minimum, over the number of pairs.
    """
    honest, sybils = list(honest), list(sybils)
    values = [scores[u] for u in honest] + [scores[u] for u in sybils]
    ranks = rankdata(values)  # average ranks for ties
    honest_rank_sum = float(np.sum(ranks[: len(honest)]))
    n_h, n_s = len(honest), len(sybils)
    return (honest_rank_sum - n_h * (n_h + 1) / 2) / (n_h * n_s)


def two_region_graph(attack_edges: int = 5, seed: int = 7) -> tuple[nx.Graph, list, list]:
    """Honest random 10-regular graph on 300 nodes, Sybil ER graph on 200, g attack edges."""
    rng = np.random.default_rng(seed)
    honest = nx.random_regular_graph(10, 300, seed=seed)
    sybil = nx.gnp_random_graph(200, 0.05, seed=seed + 1)
    G = nx.union(honest, sybil, rename=("h", "s"))
    honest_nodes = [f"h{i}" for i in range(300)]
    sybil_nodes = [f"s{i}" for i in range(200)]
    for _ in range(attack_edges):
        G.add_edge(f"h{rng.integers(300)}", f"s{rng.integers(200)}")
    return G, honest_nodes, sybil_nodes


def test_auc_helper_on_hand_cases():
    # Perfect separation, full inversion, all tied, and one tie among 2 x 2 pairs (3.5/4).
    assert auc({"a": 2, "b": 3, "x": 0, "y": 1}, "ab", "xy") == 1.0
    assert auc({"a": 0, "b": 1, "x": 2, "y": 3}, "ab", "xy") == 0.0
    assert auc({"a": 1, "b": 1, "x": 1, "y": 1}, "ab", "xy") == 0.5
    assert auc({"a": 1, "b": 3, "x": 0, "y": 1}, "ab", "xy") == 0.875


# hypothesis strategy: small undirected weighted graphs with self-loops and zero weights.
WEIGHTS = st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.25])


@st.composite
def small_graphs(draw, directed: bool = False):
    n = draw(st.integers(1, 9))
    edges = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), WEIGHTS), max_size=20)
    )
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(edges)
    seeds = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True))
    return G, seeds


# --------------------------------------------------------------------------- SybilRank
def test_sybilrank_reference_values_design_section_6():
    # Hand derivation of the first step. Degrees: 0:2, 1:3, 2:4, 3:4, 4:3, 5:3, 6:4, 7-9:3.
    # Seed 0 holds trust 1 and splits it over its two neighbours: T1(1) = T1(2) = 1/2.
    # Step 2: T2(0) = 1/2/3 + 1/2/4 = 7/24, T2(1) = 1/2/4 = 1/8, T2(2) = 1/2/3 = 1/6,
    #   T2(3) = 1/2/3 + 1/2/4 = 7/24, T2(4) = 1/2/4 = 1/8 (sum 1).
    # Step 3, node 0: T3(0) = T2(1)/3 + T2(2)/4 = 1/24 + 1/24 = 1/12; 1/12 / deg 2 = 0.041667.
    expected = [0.041667, 0.086806, 0.075521, 0.031250, 0.038194, 0.038194, 0, 0, 0, 0]
    scores = sybilrank(toy_attack_graph(), [0], n_steps=3)
    assert list(scores) == list(range(10))
    np.testing.assert_allclose(list(scores.values()), expected, atol=5e-7)


def test_sybilrank_first_steps_by_hand():
    G = toy_attack_graph()
    one = sybilrank(G, [0], n_steps=1, normalize=False)
    assert one == pytest.approx({0: 0, 1: 0.5, 2: 0.5, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0})
    two = sybilrank(G, [0], n_steps=2, normalize=False)
    assert [two[u] for u in range(6)] == pytest.approx([7 / 24, 1 / 8, 1 / 6, 7 / 24, 1 / 8, 0])


def test_sybilrank_default_steps_are_ceil_log2_n():
    G = toy_attack_graph()  # 10 nodes: ceil(log2 10) = 4
    default = sybilrank(G, [0])
    assert default == pytest.approx(sybilrank(G, [0], n_steps=4), abs=1e-15)
    assert default != pytest.approx(sybilrank(G, [0], n_steps=3), abs=1e-6)


def test_sybilrank_zero_steps_is_the_seed_distribution_over_degree():
    scores = sybilrank(toy_attack_graph(), {0: 1, 1: 3}, n_steps=0)
    # Trust 1/4 and 3/4 divided by degrees 2 and 3.
    assert scores[0] == pytest.approx(0.125) and scores[1] == pytest.approx(0.25)
    assert sum(scores.values()) == pytest.approx(0.375)


def test_sybilrank_weighted_walk_by_hand():
    # Path a -(3)- b -(1)- c, seed b: b has weighted degree 4, sends 3/4 to a, 1/4 to c.
    G = nx.Graph()
    G.add_edge("a", "b", weight=3.0)
    G.add_edge("b", "c", weight=1.0)
    raw = sybilrank(G, ["b"], n_steps=1, normalize=False)
    assert raw == pytest.approx({"a": 0.75, "b": 0.0, "c": 0.25})
    # Normalised by weighted degree: a 0.75 / 3, c 0.25 / 1.
    assert sybilrank(G, ["b"], n_steps=1) == pytest.approx({"a": 0.25, "b": 0.0, "c": 0.25})
    # weight=None: every tie weighs 1, trust splits evenly.
    assert sybilrank(G, ["b"], n_steps=1, weight=None, normalize=False) == pytest.approx(
        {"a": 0.5, "b": 0.0, "c": 0.5}
    )


@settings(max_examples=60, deadline=None)
@given(graph=small_graphs(), n_steps=st.integers(0, 6), weighted=st.booleans())
def test_sybilrank_matches_naive(graph, n_steps, weighted):
    G, seeds = graph
    weight = "weight" if weighted else None
    fast = sybilrank(G, seeds, n_steps=n_steps, weight=weight)
    slow = naive_sybilrank(G, seeds, n_steps, weight=weight)
    assert list(fast) == list(G)
    assert max(abs(fast[u] - slow[u]) for u in G) < 1e-12


@settings(max_examples=40, deadline=None)
@given(graph=small_graphs(directed=True), rule=st.sampled_from(RULES))
def test_sybilrank_directed_graph_matches_naive_symmetrised(graph, rule):
    D, seeds = graph
    fast = sybilrank(D, seeds, n_steps=3, directed_rule=rule)
    slow = naive_sybilrank(naive_symmetrise(D, rule), seeds, 3)
    assert max(abs(fast[u] - slow[u]) for u in D) < 1e-12


@settings(max_examples=60, deadline=None)
@given(graph=small_graphs(), n_steps=st.integers(0, 8))
def test_sybilrank_conserves_total_trust(graph, n_steps):
    G, seeds = graph
    raw = sybilrank(G, seeds, n_steps=n_steps, normalize=False)
    assert sum(raw.values()) == pytest.approx(1.0, abs=1e-12)
    assert all(value >= 0 for value in raw.values())


@settings(max_examples=40, deadline=None)
@given(graph=small_graphs(), data=st.data())
def test_sybilrank_relabelling_permutes_scores(graph, data):
    G, seeds = graph
    order = data.draw(st.permutations(list(G)))
    mapping = {u: f"n{order[u]}" for u in G}
    # Relabel and reinsert in a different order, so the node index changes too.
    H = nx.Graph()
    H.add_nodes_from(sorted(mapping.values()))
    H.add_edges_from((mapping[u], mapping[v], d) for u, v, d in G.edges(data=True))
    original = sybilrank(G, seeds, n_steps=4)
    relabelled = sybilrank(H, [mapping[s] for s in seeds], n_steps=4)
    for u in G:
        assert relabelled[mapping[u]] == pytest.approx(original[u], abs=1e-13)


def test_sybilrank_isolated_nodes_and_zero_weight_edges():
    G = nx.Graph()
    G.add_edges_from([(0, 1), (1, 2)], weight=1.0)
    G.add_edge(2, 3, weight=0.0)  # declared-only tie: carries no trust
    G.add_node(4)
    scores = sybilrank(G, [0, 4], n_steps=2, normalize=False)
    # Isolated seed 4 keeps its half; 0's half goes to 1 then back to 0 and on to 2.
    assert scores == pytest.approx({0: 0.25, 1: 0.0, 2: 0.25, 3: 0.0, 4: 0.5})
    normalised = sybilrank(G, [0, 4], n_steps=2)
    assert normalised[4] == 0.0 and normalised[3] == 0.0
    without = nx.Graph([(0, 1), (1, 2)])
    without.add_nodes_from([3, 4])
    assert normalised == pytest.approx(sybilrank(without, [0, 4], n_steps=2))


def test_sybilrank_single_node_and_compact_input():
    G = nx.Graph()
    G.add_node("me")
    assert sybilrank(G, ["me"]) == {"me": 0.0}
    toy = toy_attack_graph()
    compact = CompactGraph.from_networkx(toy)
    assert sybilrank(compact, [0], n_steps=3) == pytest.approx(sybilrank(toy, [0], n_steps=3))


@pytest.mark.parametrize(
    ("seeds", "message"), [([], "empty"), (["nobody"], "not in the graph"), ({0: 0}, "zero")]
)
def test_sybilrank_bad_seeds(seeds, message):
    with pytest.raises(SeedError, match=message):
        sybilrank(toy_attack_graph(), seeds)


def test_sybilrank_bad_graph_and_parameters():
    G = toy_attack_graph()
    G[0][1]["weight"] = -1.0
    with pytest.raises(GraphError, match="negative"):
        sybilrank(G, [0])
    D = nx.DiGraph([(0, 1, {"weight": -2.0}), (1, 0, {"weight": 5.0})])
    with pytest.raises(GraphError, match="negative"):  # not hidden by summing directions
        sybilrank(D, [0])
    with pytest.raises(GraphError, match="empty"):
        sybilrank(nx.Graph(), [])
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(ParameterError, match="n_steps"):
            sybilrank(toy_attack_graph(), [0], n_steps=bad)
    with pytest.raises(ParameterError, match="directed_rule"):
        sybilrank(toy_attack_graph(), [0], directed_rule="either")


def test_sybilrank_ranks_toy_sybils_last():
    scores = sybilrank(toy_attack_graph(), [0], n_steps=3)
    assert min(scores[u] for u in range(6)) > max(scores[u] for u in range(6, 10))


# --------------------------------------------------------------------------- community seeds
def ring_of_cliques(n_cliques: int = 4, size: int = 6) -> nx.Graph:
    """Clique i holds nodes i*size .. (i+1)*size - 1; one tie links each clique to the next,
    so every clique has exactly two bridge nodes (degree size, the others size - 1)."""
    G = nx.ring_of_cliques(n_cliques, size)
    assert sorted(d for _, d in G.degree) == [size - 1] * (n_cliques * (size - 2)) + [size] * (
        2 * n_cliques
    )
    return G


def clique_of(node: int, size: int = 6) -> int:
    return node // size


def test_community_seeds_hit_every_community_with_its_best_connected_nodes():
    G = ring_of_cliques()
    seeds = community_seeds(G, per_community=2, seed=3)
    assert len(seeds) == 8
    assert sorted(clique_of(s) for s in seeds) == [0, 0, 1, 1, 2, 2, 3, 3]
    # Each clique has exactly two bridge nodes (degree 6 against 5): those are picked.
    assert all(G.degree[s] == 6 for s in seeds)
    assert community_seeds(G, per_community=2, seed=3) == seeds


def test_community_seeds_random_pick_is_deterministic_and_spread():
    G = ring_of_cliques()
    first = community_seeds(G, per_community=3, seed=11, pick="random")
    assert first == community_seeds(G, per_community=3, seed=11, pick="random")
    assert sorted(clique_of(s) for s in first) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert len(set(first)) == 12


def test_community_seeds_respect_candidates_and_skip_isolated():
    G = ring_of_cliques()
    G.add_node("loner")
    candidates = [0, 1, 2, 7, "loner"]  # cliques 0 and 1 only; the loner has no ties
    seeds = community_seeds(G, per_community=5, seed=0, candidates=candidates)
    assert set(seeds) == {0, 1, 2, 7}
    with pytest.raises(SeedError, match="zero weighted degree"):
        community_seeds(G, seed=0, candidates=["loner"])
    with pytest.raises(SeedError, match="not in the graph"):
        community_seeds(G, seed=0, candidates=["ghost"])


def test_community_seeds_bad_parameters():
    G = ring_of_cliques()
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ParameterError, match="per_community"):
            community_seeds(G, per_community=bad)
    with pytest.raises(ParameterError, match="pick"):
        community_seeds(G, pick="best")
    with pytest.raises(SeedError, match="empty"):
        community_seeds(nx.Graph())


# --------------------------------------------------------------------------- SybilSCAR
def test_sybilscar_two_nodes_by_hand():
    # a - b, a labelled benign, theta 0.9 (q̂_a = -0.4), ŵ = 0.2 (coupling 2ŵ = 0.4).
    # p̂_a = -0.4 + 0.4 p̂_b and p̂_b = 0.4 p̂_a  =>  p̂_a = -0.4 / 0.84, p̂_b = 0.4 p̂_a.
    # Benign probability 0.5 - p̂: a 0.5 + 0.4/0.84, b 0.5 + 0.16/0.84. rho = 1, bound 0.5.
    scores = sybilscar(nx.Graph([("a", "b")]), ["a"], weight_hat=0.2, tol=1e-14)
    assert scores["a"] == pytest.approx(0.5 + 0.4 / 0.84, abs=1e-12)
    assert scores["b"] == pytest.approx(0.5 + 0.16 / 0.84, abs=1e-12)


def test_sybilscar_unreached_and_isolated_nodes():
    G = nx.Graph([("a", "b")])
    G.add_nodes_from(["lonely", "known_fake"])
    scores = sybilscar(G, ["a"], sybils=["known_fake"], theta=0.8, tol=1e-12)
    assert scores["lonely"] == 0.5  # no label reaches it
    assert scores["known_fake"] == pytest.approx(0.2)  # isolated: keeps its prior 1 - theta
    assert set(scores) == set(G)


@settings(max_examples=60, deadline=None)
@given(graph=small_graphs(), fraction=st.sampled_from([0.3, 0.5, 0.9]), data=st.data())
def test_sybilscar_matches_naive(graph, fraction, data):
    G, seeds = graph
    others = [u for u in G if u not in seeds]
    sybils = (
        data.draw(st.lists(st.sampled_from(others), unique=True, max_size=3)) if others else []
    )
    rho = dense_spectral_radius(G)
    weight_hat = fraction / (2 * rho) if rho > 0 else 0.3
    fast = sybilscar(G, seeds, sybils=sybils, weight_hat=weight_hat, tol=1e-14, max_iter=5000)
    slow = naive_sybilscar(G, set(seeds), set(sybils), weight_hat, tol=1e-14, max_iter=5000)
    assert max(abs(fast[u] - slow[u]) for u in G) < 1e-12
    assert all(0.0 <= value <= 1.0 for value in fast.values())


@settings(max_examples=60, deadline=None)
@given(
    graph=small_graphs(),
    weight_hat=st.sampled_from([0.01, 0.1, 0.4, 2.0]),
    n_steps=st.integers(0, 25),
    data=st.data(),
)
def test_sybilscar_accumulate_matches_the_authors_update(graph, weight_hat, n_steps, data):
    # The authors' C++ rule, node by node (tests/algorithms/naive_sybil.py); no bound on
    # weight_hat applies, as the variant runs a fixed number of steps.
    G, seeds = graph
    others = [u for u in G if u not in seeds]
    sybils = (
        data.draw(st.lists(st.sampled_from(others), unique=True, max_size=3)) if others else []
    )
    fast = sybilscar(
        G, seeds, sybils=sybils, weight_hat=weight_hat, variant="accumulate", n_steps=n_steps
    )
    slow = naive_sybilscar_accumulate(G, set(seeds), set(sybils), weight_hat, n_steps=n_steps)
    assert max(abs(fast[u] - slow[u]) for u in G) < 1e-12


def test_sybilscar_variants_by_hand():
    # Path a - b - c with a benign (theta 0.9: residual -0.4) and w_hat 0.25. One step of
    # either rule from p = q: b gets 2 * 0.25 * (-0.4) = -0.2 (benign 0.7). The second
    # step differs: the paper's rule recomputes b = q_b + 2 w (p_a + p_c) = -0.2 + ...,
    # the authors' rule adds to b's previous -0.2.
    G = nx.path_graph(["a", "b", "c"])
    one = sybilscar(G, ["a"], weight_hat=0.25, variant="accumulate", n_steps=1)
    assert one["b"] == pytest.approx(0.7) and one["c"] == pytest.approx(0.5)
    # Step 1 also took a to clip(-0.4 - 0.4) = -0.5. Step 2 (accumulate): a stays -0.5;
    # b = -0.2 + 0 + 0.5 * (-0.5 + 0) = -0.45; c = 0 + 0.5 * (-0.2) = -0.1.
    two = sybilscar(G, ["a"], weight_hat=0.25, variant="accumulate", n_steps=2)
    assert two == pytest.approx({"a": 1.0, "b": 0.95, "c": 0.6})
    # Zero steps leave the prior.
    assert sybilscar(G, ["a"], weight_hat=0.25, variant="accumulate", n_steps=0) == (
        pytest.approx({"a": 0.9, "b": 0.5, "c": 0.5})
    )
    # The paper's rule converges to a point inside (0, 1); the authors' saturates.
    paper = sybilscar(G, ["a"], weight_hat=0.25, tol=1e-12)
    saturated = sybilscar(G, ["a"], weight_hat=0.25, variant="accumulate", n_steps=50)
    assert 0.5 < paper["c"] < 1.0 and saturated["c"] == 1.0


def test_sybilscar_variant_errors():
    G = nx.path_graph(3)
    with pytest.raises(ParameterError, match="variant"):
        sybilscar(G, [0], variant="cpp")
    with pytest.raises(ParameterError, match="n_steps"):
        sybilscar(G, [0], n_steps=5)
    with pytest.raises(ParameterError, match="n_steps"):
        sybilscar(G, [0], variant="accumulate", n_steps=-1)
    # The convergence bound (1/(2*rho) = 1/(2*sqrt(2))) binds only the paper's rule.
    with pytest.raises(ParameterError, match="bound"):
        sybilscar(G, [0], weight_hat=0.5)
    assert sybilscar(G, [0], weight_hat=0.5, variant="accumulate")[2] == 1.0


@settings(max_examples=30, deadline=None)
@given(graph=small_graphs(directed=True), rule=st.sampled_from(RULES))
def test_sybilscar_directed_graph_matches_naive_symmetrised(graph, rule):
    D, seeds = graph
    H = naive_symmetrise(D, rule)
    rho = dense_spectral_radius(H)
    weight_hat = 0.5 / (2 * rho) if rho > 0 else 0.1
    fast = sybilscar(D, seeds, weight_hat=weight_hat, directed_rule=rule, tol=1e-14)
    slow = naive_sybilscar(H, set(seeds), set(), weight_hat, tol=1e-14)
    assert max(abs(fast[u] - slow[u]) for u in D) < 1e-12


def test_sybilscar_clipping_keeps_posteriors_in_unit_interval():
    # K6 with five labelled Sybils at theta = 1 and ŵ at 0.98 of the bound: the unclipped
    # Eq. 16 fixed point (I - 2ŵA)^-1 q̂ leaves [0, 1]; the clipped iteration must not.
    G = nx.complete_graph(6)
    rho = 5.0  # K6: largest adjacency eigenvalue n - 1
    weight_hat = 0.98 / (2 * rho)
    prior = np.array([0.0, 0.5, 0.5, 0.5, 0.5, 0.5])
    unclipped = np.linalg.solve(np.eye(6) - 2 * weight_hat * nx.to_numpy_array(G), prior)
    assert unclipped.max() > 0.5  # i.e. P(Sybil) above one without clipping
    scores = sybilscar(G, [0], sybils=[1, 2, 3, 4, 5], theta=1.0, weight_hat=weight_hat, tol=1e-13)
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    slow = naive_sybilscar(G, {0}, {1, 2, 3, 4, 5}, weight_hat, theta=1.0, tol=1e-13)
    assert max(abs(scores[u] - slow[u]) for u in G) < 1e-12


def test_sybilscar_convergence_bound_is_enforced():
    G = toy_attack_graph()
    bound = 1 / (2 * dense_spectral_radius(G))
    assert sybilscar_weight_bound(G) == pytest.approx(bound, rel=1e-12)
    with pytest.raises(ParameterError, match=r"1/\(2\*rho\(A\)\) = 0\.1"):
        sybilscar(G, [0], weight_hat=bound * 1.01)
    # A 10-regular graph has rho = 10, so the bound is 1/20 and the paper's Facebook
    # setting weight_hat = 0.1 breaks it.
    regular = nx.random_regular_graph(10, 40, seed=2)
    assert sybilscar_weight_bound(regular) == pytest.approx(0.05, rel=1e-12)
    with pytest.raises(ParameterError, match="bound"):
        sybilscar(regular, [0], weight_hat=0.1)
    with pytest.raises(ParameterError, match="bound"):
        sybilscar(regular, [0], weight_hat=0.05)  # the bound itself is excluded
    sybilscar(G, [0], weight_hat=bound * 0.99, tol=1e-6, max_iter=100_000)  # accepted
    with pytest.raises(ParameterError, match="weight_hat"):
        sybilscar(G, [0], weight_hat=-0.01)


def test_sybilscar_default_weight_hat_is_nine_tenths_of_the_bound():
    G = toy_attack_graph()
    bound = 1 / (2 * dense_spectral_radius(G))
    default = sybilscar(G, [0], sybils=[9], tol=1e-10)
    explicit = sybilscar(G, [0], sybils=[9], weight_hat=0.9 * bound, tol=1e-10)
    other = sybilscar(G, [0], sybils=[9], weight_hat=0.5 * bound, tol=1e-10)
    assert default == pytest.approx(explicit, abs=1e-9)
    assert default != pytest.approx(other, abs=1e-4)


def test_spectral_radius_of_large_graphs_uses_sparse_solver_correctly():
    # Over 256 nodes the bound comes from ARPACK; a bipartite graph also has eigenvalue -rho.
    weighted = nx.gnm_random_graph(400, 1600, seed=5)
    for i, (u, v) in enumerate(weighted.edges()):
        weighted[u][v]["weight"] = 1.0 + (i % 7) / 3
    bipartite = nx.grid_2d_graph(20, 20)
    for G in (weighted, bipartite):
        expected = 1 / (2 * dense_spectral_radius(G))
        assert sybilscar_weight_bound(G) == pytest.approx(expected, rel=1e-8)
    assert sybilscar_weight_bound(nx.empty_graph(3)) == math.inf


def test_sybilscar_raises_convergence_error_when_tol_not_met():
    G = toy_attack_graph()
    with pytest.raises(ConvergenceError) as caught:
        sybilscar(G, [0], sybils=[9], tol=1e-12, max_iter=3)
    assert caught.value.iterations == 3
    assert caught.value.residual > 1e-12


def test_sybilscar_labelled_sybils_rank_low_on_toy_graph():
    scores = sybilscar(toy_attack_graph(), [0], sybils=[8], tol=1e-10)
    assert scores[8] < 0.5 < scores[0]
    assert min(scores[u] for u in range(6)) > max(scores[u] for u in range(6, 10))


@settings(max_examples=30, deadline=None)
@given(graph=small_graphs(), data=st.data())
def test_sybilscar_relabelling_permutes_scores(graph, data):
    G, seeds = graph
    order = data.draw(st.permutations(list(G)))
    mapping = {u: ("node", order[u]) for u in G}
    H = nx.relabel_nodes(G, mapping)
    original = sybilscar(G, seeds, tol=1e-12)
    relabelled = sybilscar(H, [mapping[s] for s in seeds], tol=1e-12)
    for u in G:
        assert relabelled[mapping[u]] == pytest.approx(original[u], abs=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"seeds": []}, SeedError, "empty"),
        ({"seeds": ["ghost"]}, SeedError, "not in the graph"),
        ({"seeds": [0], "sybils": ["ghost"]}, SeedError, "sybils not in the graph"),
        ({"seeds": [0, 7], "sybils": [7]}, SeedError, "both"),
        ({"seeds": [0], "theta": 0.5}, ParameterError, "theta"),
        ({"seeds": [0], "theta": 1.2}, ParameterError, "theta"),
        ({"seeds": [0], "tol": 0}, ParameterError, "tol"),
        ({"seeds": [0], "max_iter": 0}, ParameterError, "max_iter"),
    ],
)
def test_sybilscar_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        sybilscar(toy_attack_graph(), **kwargs)


def test_sybilscar_rejects_negative_weights_and_empty_graph():
    G = toy_attack_graph()
    G[2][3]["weight"] = -0.5
    with pytest.raises(GraphError, match="negative"):
        sybilscar(G, [0])
    with pytest.raises(GraphError, match="empty"):
        sybilscar(nx.Graph(), [])


def test_sybilscar_empty_sybil_mapping_is_no_labels():
    G = toy_attack_graph()
    assert sybilscar(G, [0], sybils={}, tol=1e-10) == sybilscar(G, [0], tol=1e-10)


# --------------------------------------------------------------------------- attack simulation
@pytest.fixture(scope="module")
def attacked():
    G, honest, sybil = two_region_graph(attack_edges=5, seed=7)
    # As in DESIGN.md section 6: two seeds from each Louvain community of the honest graph.
    seeds = community_seeds(G.subgraph(honest), per_community=2, seed=0)
    return G, honest, sybil, seeds


def test_attack_simulation_sybilrank_auc(attacked):
    G, honest, sybil, seeds = attacked
    assert len(seeds) >= 6 and set(seeds) <= set(honest)
    scores = sybilrank(G, seeds)  # ceil(log2 500) = 9 steps
    assert auc(scores, honest, sybil) >= 0.95


def test_attack_simulation_sybilscar_auc(attacked):
    G, honest, sybil, seeds = attacked
    known_sybils = sybil[:5]
    scores = sybilscar(G, seeds, sybils=known_sybils)
    unlabelled_honest = [u for u in honest if u not in seeds]
    assert auc(scores, unlabelled_honest, sybil[5:]) >= 0.95
    assert max(scores[u] for u in known_sybils) < 0.5


def test_attack_simulation_spread_seeds_cover_the_region_sooner(attacked):
    # Seeds must matter: after 2 steps trust from one honest node has reached only its
    # 2-hop ball (at most 1 + 10 + 90 of 300 honest nodes), so the rest tie with the Sybils
    # at zero, whereas seeds in every community already cover the region.
    G, honest, sybil, seeds = attacked
    spread = auc(sybilrank(G, seeds, n_steps=2), honest, sybil)
    single = auc(sybilrank(G, [honest[0]], n_steps=2), honest, sybil)
    assert single < 0.75 < 0.95 <= spread
