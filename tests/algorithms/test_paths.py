"""TidalTrust (Golbeck 2005) and MoleTrust (Massa & Avesani 2005)."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from trustgraph.algorithms.paths import moletrust, tidaltrust, tidaltrust_all
from trustgraph.exceptions import GraphError, ParameterError, SeedError

# Veracitor's unit-test graph (ALGORITHMS.md §8).
VERACITOR = [
    (1, 2, 10),
    (1, 3, 8),
    (1, 4, 9),
    (2, 5, 9),
    (3, 5, 10),
    (3, 6, 10),
    (4, 5, 8),
    (4, 6, 9),
    (5, 7, 8),
    (6, 7, 6),
]


def graph(edges) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(edges)
    return G


def brute_force_tidaltrust(G, source, sink):
    """Enumerate every shortest path, then apply Golbeck's recursion with dicts."""
    try:
        paths = list(nx.all_shortest_paths(G, source, sink))
    except nx.NetworkXNoPath:
        return 0.0
    if len(paths[0]) == 2:
        return G[source][sink]["weight"]
    # Strength of a path: its weakest edge, not counting the final edge into the sink.
    threshold = max(
        min(G[a][b]["weight"] for a, b in itertools.pairwise(path[:-1])) for path in paths
    )
    children = {}
    for path in paths:
        for a, b in itertools.pairwise(path):
            children.setdefault(a, set()).add(b)

    def rating(node):
        if sink in children[node]:
            return G[node][sink]["weight"]
        parts = [(G[node][j]["weight"], rating(j)) for j in children[node]]
        parts = [(w, r) for w, r in parts if w >= threshold and r is not None]
        if not parts:
            return None
        return sum(w * r for w, r in parts) / sum(w for w, _ in parts)

    return rating(source)


def naive_moletrust(G, source, horizon, threshold):
    depth = nx.single_source_shortest_path_length(G, source, cutoff=horizon)
    trust = {source: 1.0}
    for k in range(1, horizon + 1):
        for u in [v for v, d in depth.items() if d == k]:
            preds = [
                p
                for p in G.predecessors(u)
                if depth.get(p) == k - 1 and p in trust and (p == source or trust[p] >= threshold)
            ]
            if preds:
                trust[u] = sum(trust[p] * G[p][u]["weight"] for p in preds) / sum(
                    trust[p] for p in preds
                )
    trust.pop(source)
    return {v: trust.get(v, 0.0) for v in G}


# ------------------------------------------------------------------ TidalTrust
def test_tidaltrust_reference_value():
    # (10 * 8 + 9 * 6) / 19 with max = 9 (ALGORITHMS.md §8, Veracitor's unit test).
    assert tidaltrust(graph(VERACITOR), 1, 7) == 7.052631578947368


def test_tidaltrust_hand_derivation_of_the_reference():
    # Shortest paths 1 -> 7 have length 3. Path strengths up to 7's predecessors:
    # 1-2-5: min(10, 9) = 9; 1-3-5: 8; 1-3-6: 8; 1-4-5: 8; 1-4-6: min(9, 9) = 9. max = 9.
    # t(5, 7) = 8, t(6, 7) = 6 (direct ratings).
    # t(2) = 8 (edge 2->5 is 9 >= 9); t(4) = 6 (4->5 = 8 < 9 drops 5; 4->6 = 9 keeps 6);
    # t(1) = (w(1,2) t(2) + w(1,4) t(4)) / (10 + 9) = (80 + 54) / 19; 1->3 = 8 < 9 drops 3.
    assert tidaltrust(graph(VERACITOR), 1, 7) == pytest.approx(134 / 19, abs=1e-15)
    scores = tidaltrust_all(graph(VERACITOR), 1)
    # 5: paths via 2 (strength 10), 3 (8), 4 (9): max 10 keeps only 2, whose rating is 9.
    # 6: via 3 (8) and 4 (9): max 9 keeps only 4, rating 9.
    assert scores == pytest.approx({1: 0.0, 2: 10, 3: 8, 4: 9, 5: 9, 6: 9, 7: 134 / 19})


@pytest.mark.parametrize("seed", range(6))
def test_tidaltrust_matches_path_enumeration_on_random_dags(seed):
    rng = np.random.default_rng(seed)
    G = nx.DiGraph()
    G.add_nodes_from(range(10))
    for u, v in itertools.combinations(range(10), 2):
        if rng.random() < 0.35:
            G.add_edge(u, v, weight=float(rng.integers(1, 11)))
    all_scores = tidaltrust_all(G, 0)
    for sink in range(1, 10):
        expected = brute_force_tidaltrust(G, 0, sink)
        assert tidaltrust(G, 0, sink) == pytest.approx(expected, abs=1e-12), sink
        assert all_scores[sink] == pytest.approx(expected, abs=1e-12), sink


def test_tidaltrust_edge_cases():
    G = graph([("s", "a", 7), ("a", "b", 5), ("c", "s", 3)])
    G.add_edge("a", "z", weight=0.0)  # declared-only: ignored by propagation
    assert tidaltrust(G, "s", "a") == 7.0  # direct rating
    assert tidaltrust(G, "s", "b") == 5.0
    assert tidaltrust(G, "s", "c") == 0.0  # unreachable
    assert tidaltrust(G, "s", "z") == 0.0
    with pytest.raises(ParameterError):
        tidaltrust(G, "s", "s")
    with pytest.raises(SeedError):
        tidaltrust(G, "s", "nobody")
    with pytest.raises(SeedError):
        tidaltrust_all(G, "nobody")
    signed = graph([("s", "a", 7), ("s", "b", -5), ("b", "a", 9)])
    with pytest.raises(GraphError):
        tidaltrust(signed, "s", "a")
    assert tidaltrust_all(signed, "s", signed="drop")["b"] == 0.0


# ------------------------------------------------------------------ MoleTrust
def test_moletrust_reference_values():
    G = graph([(u, v, w / 10) for u, v, w in VERACITOR])
    scores = moletrust(G, 1, horizon=3, threshold=0.6)
    assert scores[5] == pytest.approx(0.896296, abs=5e-7)
    assert scores[6] == pytest.approx(0.947059, abs=5e-7)
    assert scores[7] == pytest.approx(0.697246, abs=5e-7)
    # By hand: depth 1 gets the source's statements; 5 = (1*.9 + .8*1 + .9*.8) / 2.7.
    assert scores[2] == 1.0 and scores[3] == 0.8 and scores[4] == 0.9
    assert scores[5] == pytest.approx(2.42 / 2.7)
    assert scores[1] == 0.0


def test_moletrust_horizon_and_threshold_by_hand():
    G = graph([(u, v, w / 10) for u, v, w in VERACITOR])
    assert moletrust(G, 1, horizon=2)[7] == 0.0  # 7 is at depth 3
    # Threshold 0.85 drops 3 (0.8) as a predecessor: 5 = (1*.9 + .9*.8) / 1.9,
    # 6 = (.9 * .9) / .9 = .9.
    strict = moletrust(G, 1, horizon=3, threshold=0.85)
    assert strict[5] == pytest.approx(1.62 / 1.9)
    assert strict[6] == pytest.approx(0.9)
    # A threshold above every trust value leaves only the source's statements.
    assert moletrust(G, 1, threshold=1.5)[5] == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_moletrust_matches_naive_levels(seed):
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(20, 0.15, seed=seed, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.uniform(0.05, 1.0))
    for horizon, threshold in [(1, 0.6), (3, 0.6), (4, 0.3)]:
        expected = naive_moletrust(G, 0, horizon, threshold)
        got = moletrust(G, 0, horizon=horizon, threshold=threshold)
        assert got == pytest.approx(expected, abs=1e-12)


def test_moletrust_errors_and_signed():
    G = graph([("s", "a", 0.5), ("s", "b", -0.5)])
    with pytest.raises(GraphError):
        moletrust(G, "s")
    assert moletrust(G, "s", signed="rescale") == pytest.approx({"s": 0.0, "a": 0.75, "b": 0.25})
    with pytest.raises(ParameterError):
        moletrust(G, "s", horizon=0, signed="drop")
    with pytest.raises(SeedError):
        moletrust(G, "nobody", signed="drop")
