"""Tests of explain_trust: seed contributions (linearity) and the strongest trust paths."""

from __future__ import annotations

import dataclasses
import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.algorithms.random_walk import personalized_pagerank
from trustgraph.analysis.explain import explain_trust
from trustgraph.exceptions import ParameterError, SeedError


def reference_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        [("A", "B", 3), ("A", "C", 1), ("B", "C", 1), ("C", "A", 1), ("C", "D", 1)]
    )
    return G


def naive_contributions(G: nx.DiGraph, seeds: dict, target, damping: float) -> dict:
    """Dense renewal decomposition: y_i = (1-d)(I - d P^T)^-1 e_i with dangling rows empty."""
    nodes = list(G)
    A = nx.to_numpy_array(G, nodelist=nodes, weight="weight")
    A[A < 0] = 0
    strength = A.sum(axis=1)
    P = np.divide(A, strength[:, None], out=np.zeros_like(A), where=strength[:, None] > 0)
    system = np.eye(len(nodes)) - damping * P.T
    total = sum(seeds.values())
    visits = {}
    for seed in seeds:
        e = np.zeros(len(nodes))
        e[nodes.index(seed)] = 1.0
        visits[seed] = (1 - damping) * np.linalg.solve(system, e)
    norm = sum(seeds[s] / total * visits[s].sum() for s in seeds)
    t = nodes.index(target)
    return {s: seeds[s] / total * visits[s][t] / norm for s in seeds}


def naive_paths(G: nx.DiGraph, seeds, target, max_length: int) -> list[float]:
    """Probabilities of every simple seed->target path of at most max_length edges."""
    strength = dict(G.out_degree(weight="weight"))
    found = []
    for seed in seeds:
        if seed == target:
            found.append(1.0)
            continue
        for path in nx.all_simple_paths(G, seed, target, cutoff=max_length):
            probability = 1.0
            for u, v in itertools.pairwise(path):
                # A zero-weight edge is not a trust path (and its source may be dangling).
                weight = G[u][v]["weight"]
                probability *= weight / strength[u] if weight > 0 else 0.0
            if probability > 0:
                found.append(probability)
    return sorted(found, reverse=True)


@st.composite
def cases(draw):
    n = draw(st.integers(2, 7))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for u, v in draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n)
    ):
        G.add_edge(u, v, weight=draw(st.sampled_from([0.0, 1.0, 2.0, 5.0])))
    seeds = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True))
    weights = {s: draw(st.sampled_from([1.0, 2.0, 0.5])) for s in seeds}
    target = draw(st.integers(0, n - 1))
    damping = draw(st.sampled_from([0.3, 0.85]))
    return G, weights, target, damping


@settings(max_examples=60, deadline=None)
@given(cases())
def test_contributions_sum_to_the_ppr_score_and_match_naive(case):
    G, seeds, target, damping = case
    why = explain_trust(G, seeds, target, damping=damping, top_paths=0)
    expected_score = personalized_pagerank(G, seeds, damping=damping)[target]
    assert why.score == pytest.approx(expected_score, abs=1e-10)
    assert sum(why.contributions.values()) == pytest.approx(expected_score, abs=1e-10)
    naive = naive_contributions(G, seeds, target, damping)
    for seed, value in naive.items():
        assert why.contributions[seed] == pytest.approx(value, abs=1e-10)


@settings(max_examples=60, deadline=None)
@given(cases(), st.integers(1, 4), st.integers(1, 4))
def test_paths_are_the_top_k_simple_paths(case, k, max_length):
    G, seeds, target, _ = case
    why = explain_trust(G, seeds, target, top_paths=k, max_length=max_length)
    expected = naive_paths(G, seeds, target, max_length)[:k]
    assert why.paths_complete
    assert [p.probability for p in why.paths] == pytest.approx(expected, abs=1e-12)
    for path in why.paths:
        assert path.nodes[0] in seeds and path.nodes[-1] == target
        assert len(set(path.nodes)) == len(path.nodes) <= max_length + 1


def test_without_dangling_nodes_contributions_are_seed_weight_times_single_seed_ppr():
    # Linearity in the seed vector: pi_s = sum_i s_i pi_{e_i} when no mass is lost.
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        [("a", "b", 1), ("b", "c", 2), ("b", "a", 1), ("c", "a", 1), ("c", "d", 1), ("d", "b", 3)]
    )
    seeds = {"a": 1.0, "c": 3.0}
    why = explain_trust(G, seeds, "d")
    for seed, weight in seeds.items():
        alone = nx.pagerank(G, personalization={seed: 1}, tol=1e-15, max_iter=10_000)["d"]
        assert why.contributions[seed] == pytest.approx(weight / 4 * alone, abs=1e-10)


def test_reference_graph_paths_by_hand():
    # P(A->B) = 3/4, P(A->C) = 1/4, P(B->C) = 1, P(C->D) = 1/2.
    why = explain_trust(reference_graph(), ["A"], "D")
    assert [(p.nodes, p.probability) for p in why.paths] == [
        (("A", "B", "C", "D"), 0.375),
        (("A", "C", "D"), 0.125),
    ]
    assert why.contributions == {"A": pytest.approx(0.118198, abs=5e-7)}
    short = explain_trust(reference_graph(), ["A"], "D", max_length=2)
    assert [p.nodes for p in short.paths] == [("A", "C", "D")]


def test_seed_that_is_the_target_and_unreachable_seed():
    G = nx.DiGraph([("a", "b"), ("c", "c2")])
    why = explain_trust(G, ["a", "c"], "a")
    assert why.paths[0].nodes == ("a",) and why.paths[0].probability == 1.0
    assert why.contributions["c"] == 0.0
    assert list(why.contributions) == ["a", "c"]  # largest first


def test_expansion_bound_marks_paths_incomplete():
    G = nx.complete_graph(8, create_using=nx.DiGraph)
    why = explain_trust(G, [0], 7, top_paths=50, max_length=6, max_expansions=5)
    assert not why.paths_complete
    assert len(why.paths) < 50


def test_result_is_frozen_and_errors():
    why = explain_trust(reference_graph(), ["A"], "C")
    with pytest.raises(dataclasses.FrozenInstanceError):
        why.score = 1.0  # type: ignore[misc]
    with pytest.raises(SeedError):
        explain_trust(reference_graph(), ["A"], "Z")
    with pytest.raises(SeedError):
        explain_trust(reference_graph(), ["Z"], "A")
    with pytest.raises(ParameterError):
        explain_trust(reference_graph(), ["A"], "C", method="push")
    with pytest.raises(ParameterError):
        explain_trust(reference_graph(), ["A"], "C", top_paths=-1)
