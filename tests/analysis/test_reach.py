"""Trusted reach: hand-computed chains and a brute-force path-product oracle."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from trustgraph.analysis.reach import path_trust_in, trusted_reach
from trustgraph.exceptions import ParameterError


def brute_trust_in(G, ego):
    """Max over simple paths x -> ... -> ego of the product of w / max out-weight."""
    top = {u: max((d["weight"] for _, _, d in G.out_edges(u, data=True)), default=0) for u in G}
    best = {}
    for x in G:
        if x == ego:
            continue
        value = 0.0
        for path in nx.all_simple_paths(G, x, ego):
            product = 1.0
            for u, v in itertools.pairwise(path):
                product *= G[u][v]["weight"] / top[u]
            value = max(value, product)
        best[x] = value
    return best


@pytest.mark.parametrize("seed", range(4))
def test_path_trust_matches_brute_force(seed):
    G = nx.gnp_random_graph(9, 0.3, seed=seed, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = 1.0 + (u * 7 + v * 3) % 5
    ours = path_trust_in(G, [0], answered_only=False)
    for node, value in brute_trust_in(G, 0).items():
        assert ours[node] == pytest.approx(value, abs=1e-9)


def test_hops_contributors_and_fragility_by_hand():
    G = nx.DiGraph()
    # me <-> a (a's only tie: trust 1); b -> a (1); c -> b (1): a chain of three.
    # me <-> d, but d's strongest tie is x (9), so d trusts me 1/9 < 0.25: not reached.
    G.add_weighted_edges_from(
        [
            ("a", "me", 1),
            ("me", "a", 1),
            ("b", "a", 1),
            ("c", "b", 1),
            ("d", "me", 1),
            ("me", "d", 1),
            ("d", "x", 9),
        ]
    )
    r = trusted_reach(G, ["me"], remove_top=(1,))
    assert r.reached == 3 and r.by_hop == {1: 1, 2: 1, 3: 1}
    assert r.contributions == {"a": 3}
    assert r.without_top == {1: 0}
    assert r.connections == 2


def test_one_way_senders_vouch_for_nobody():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("spam", "me", 5), ("fan", "spam", 1)])
    assert trusted_reach(G, ["me"]).reached == 0
    assert trusted_reach(G, ["me"], answered_only=False).reached == 2


def test_threshold_is_validated():
    G = nx.DiGraph([("a", "me")])
    with pytest.raises(ParameterError, match="threshold"):
        trusted_reach(G, ["me"], threshold=0)
