"""Per-contact evidence and graph statistics against hand counts and networkx."""

from __future__ import annotations

from datetime import datetime, timezone

import networkx as nx
import pytest

from trustgraph.analysis.contacts import contact_evidence
from trustgraph.analysis.stats import graph_statistics
from trustgraph.exceptions import SeedError


def owner_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_edge("me", "ann", weight=2.0, count=5, first_seen=100.0, last_seen=900.0)
    G.add_edge("ann", "me", weight=1.0, count=2, first_seen=200.0, last_seen=1000.0)
    G.add_edge("spam", "me", weight=0.5, count=9, first_seen=50.0, last_seen=60.0)
    G.add_edge("me", "bob", weight=0.0, count=0, declared_only=True)
    G.add_edge("ann", "cy", weight=3.0, count=4)  # not the owner's tie: no evidence row
    return G


def test_counts_each_way_and_declared_flag():
    ev = contact_evidence(owner_graph(), ["me"])
    assert set(ev) == {"ann", "spam", "bob"}
    ann, spam, bob = ev["ann"], ev["spam"], ev["bob"]
    assert (ann.messages_out, ann.messages_in, ann.reciprocal) == (5, 2, True)
    assert (ann.tie_out, ann.tie_in) == (2.0, 1.0)
    assert (spam.messages_out, spam.messages_in, spam.reciprocal) == (0, 9, False)
    assert (bob.declared, bob.conversed) == (True, False)
    assert ann.first_contact == datetime.fromtimestamp(100.0, tz=timezone.utc)
    assert ann.last_contact == datetime.fromtimestamp(1000.0, tz=timezone.utc)
    assert bob.last_contact is None


def test_several_owner_identities_pool_their_edges():
    G = owner_graph()
    G.add_edge("me@work", "ann", weight=1.0, count=3)
    ev = contact_evidence(G, ["me", "me@work"])
    assert ev["ann"].messages_out == 8
    assert "me@work" not in ev


def test_edges_without_counts_count_once():
    G = nx.DiGraph([("me", "a"), ("a", "me"), ("me", "b")])
    ev = contact_evidence(G, ["me"])
    assert (ev["a"].messages_out, ev["a"].messages_in) == (1, 1)


def test_unknown_owner_is_an_error():
    with pytest.raises(SeedError, match="'nobody'"):
        contact_evidence(owner_graph(), ["nobody"])
    with pytest.raises(SeedError, match="--me"):
        contact_evidence(owner_graph(), [])


@pytest.mark.parametrize("directed", [True, False])
def test_statistics_match_networkx(directed):
    G = nx.gnp_random_graph(60, 0.05, seed=3, directed=directed)
    for u, v in G.edges:
        G[u][v]["weight"] = (u + v) % 4
    G.add_edge(5, 5, weight=1.0)
    s = graph_statistics(G)
    assert (s.nodes, s.edges) == (G.number_of_nodes(), G.number_of_edges())
    assert s.density == pytest.approx(nx.density(G))
    assert s.self_loops == nx.number_of_selfloops(G)
    degrees = dict(G.out_degree(weight="weight") if directed else G.degree(weight="weight"))
    assert s.average_weighted_degree == pytest.approx(sum(degrees.values()) / len(G))
    if directed:
        assert s.weakly_connected_components == nx.number_weakly_connected_components(G)
        assert s.strongly_connected_components == nx.number_strongly_connected_components(G)
    else:
        assert s.weakly_connected_components == nx.number_connected_components(G)
    zero = sum(1 for *_, w in G.edges(data="weight") if w == 0)
    assert s.zero_weight_edges == zero


def test_statistics_of_empty_graph():
    s = graph_statistics(nx.DiGraph())
    assert (s.nodes, s.edges, s.density, s.weakly_connected_components) == (0, 0, 0.0, 0)


def test_clustering_and_modularity_match_networkx():
    G = nx.karate_club_graph()
    for u, v in G.edges:
        G[u][v]["weight"] = 1.0
    s = graph_statistics(G, seed=1)
    assert s.average_clustering == pytest.approx(nx.average_clustering(G))
    found = nx.community.louvain_communities(G, weight="weight", seed=1)
    assert s.modularity == pytest.approx(nx.community.modularity(G, found))
    assert s.communities == len(found)
    # Two disjoint triangles: clustering 1, two communities, modularity 1/2 (hand count:
    # each triangle holds half the edges and half the degree, 2 * (1/2 - 1/4) = 1/2).
    two = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)])
    t = graph_statistics(two)
    assert (t.average_clustering, t.communities) == (1.0, 2)
    assert t.modularity == pytest.approx(0.5)
    assert graph_statistics(two, structure=False).modularity is None


def test_tree_like_graphs_get_label_propagation_communities_quickly():
    # A 20,000-node path took networkx's Louvain 183 s; the statistic names its method and
    # its modularity is that of the communities it reports (networkx's modularity, oracle).
    import networkx as nx

    from trustgraph.analysis.stats import graph_statistics

    path = nx.path_graph(20_001)
    stats = graph_statistics(path, seed=0)
    assert stats.community_method == "label propagation"
    assert 0.5 < stats.modularity < 1.0 and stats.communities > 100
    dense = graph_statistics(nx.karate_club_graph(), seed=0)
    assert dense.community_method == "Louvain"
    found = nx.community.louvain_communities(nx.karate_club_graph(), weight="weight", seed=0)
    assert dense.communities == len(found)
