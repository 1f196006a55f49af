"""Sybil-like clusters: the planted sample cluster, hand cases and networkx oracles."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import networkx as nx
import pytest

from trustgraph.analysis.ego import analyze_ego
from trustgraph.analysis.sybil_like import sybil_like_clusters
from trustgraph.datasets import read_truth, sample_network, sample_owner, sample_paths
from trustgraph.exceptions import ParameterError
from trustgraph.ingest.build import build_graph
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.records import ConversationEvent


@pytest.fixture(scope="module")
def sample_analysis():
    paths = sample_paths()
    loaded = load_inputs([paths["contacts"], paths["conversations"]], me=[sample_owner()])
    return analyze_ego(loaded.graph, list(loaded.owner), n_null=0)


def test_sample_sybils_and_attack_edges_are_recovered(sample_analysis):
    # truth.csv and the planted attack edges come from the generator, not the detector.
    truth = read_truth()
    planted = {n for n, t in truth.items() if t.role == "sybil"}
    found = set(sample_analysis.sybil_like)
    hit = len(found & planted)
    assert found and hit / len(found) >= 0.9 and hit / len(planted) >= 0.9
    reported = set(sample_analysis.attack_edges)
    assert set(sample_network().attack_edges) <= reported
    # Every reported attack edge starts in the flagged cluster and never touches the owner.
    assert all(u in found and v not in found for u, v in reported)
    assert all(sample_owner() not in edge for edge in reported)
    flagged = [c for c in sample_analysis.sybil_clusters if c.flagged]
    assert flagged and flagged[0].honest_edges == len(reported)


def test_honest_sample_without_sybils_has_no_flags():
    net = sample_network(seed=3, n_declared=400, n_sybils=0, n_attack_edges=0)
    G = build_graph(net.contacts, net.events, me=net.owner)
    analysis = analyze_ego(G, [net.owner], n_null=0)
    assert analysis.sybil_like == frozenset() and analysis.attack_edges == ()


T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _group_chat(members, speakers, n_rounds, start_day=0):
    events = []
    for k in range(n_rounds):
        for i, who in enumerate(speakers):
            when = T0 + timedelta(days=start_day + k, minutes=i)
            events.append(ConversationEvent(when, who, tuple(m for m in members if m != who)))
    return events


def test_a_dense_friend_group_the_owner_talks_to_is_not_flagged():
    friends = ["f1@example.com", "f2@example.com", "f3@example.com", "f4@example.com"]
    members = ["me@example.com", *friends]
    # The owner writes in the group chat too: a real friend group, as dense as a clique.
    events = _group_chat(members, members, n_rounds=20)
    # Same shape, but the owner never speaks: that one is Sybil-like.
    bots = [f"bot{i}@example.org" for i in range(4)]
    events += _group_chat(["me@example.com", *bots], bots, n_rounds=20)
    # One bot reaches one friend, once each way.
    events.append(ConversationEvent(T0 + timedelta(days=40), bots[0], (friends[0],)))
    events.append(ConversationEvent(T0 + timedelta(days=41), friends[0], (bots[0],)))
    # A one-to-one partner, so that the owner has a layered tie.
    for day in range(12):
        events.append(ConversationEvent(T0 + timedelta(days=day), "me@example.com", ("p@x.com",)))
        events.append(
            ConversationEvent(T0 + timedelta(days=day, hours=1), "p@x.com", ("me@example.com",))
        )
    G = build_graph((), events, me="me@example.com")
    analysis = analyze_ego(G, ["me@example.com"], n_null=0)
    assert not set(friends) & analysis.sybil_like
    assert analysis.sybil_like == frozenset(bots)
    assert analysis.attack_edges == ((bots[0], friends[0]),)


def _two_regions(seed: int):
    honest = nx.connected_watts_strogatz_graph(60, 6, 0.2, seed=seed)
    G = nx.relabel_nodes(honest, {i: f"h{i}" for i in honest})
    sybil = nx.gnp_random_graph(15, 0.6, seed=seed)
    G.add_edges_from((f"s{u}", f"s{v}") for u, v in sybil.edges)
    attack = [("s0", "h3"), ("s7", "h40")]
    G.add_edges_from(attack)
    return G, [f"h{i}" for i in honest], [f"s{i}" for i in sybil], attack


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_region_graph_matches_networkx_measures(seed):
    G, honest, sybils, attack = _two_regions(seed)
    found = sybil_like_clusters(G, honest)
    assert found.flagged == frozenset(sybils)
    assert set(found.attack_edges) == set(attack)
    (cluster,) = found.clusters
    # Oracles: networkx's density and conductance (cut / min(vol S, vol rest)).
    assert cluster.density == pytest.approx(nx.density(G.subgraph(sybils)))
    assert cluster.conductance == pytest.approx(nx.conductance(G, sybils))
    # Each undirected edge weighs 1 + 1 in the symmetrised graph: volumes double alike.
    assert cluster.cut_weight == pytest.approx(2 * nx.cut_size(G, sybils))
    assert cluster.honest_edges == cluster.trusted_edges == len(attack)
    assert cluster.trust_ratio is not None and cluster.trust_ratio < 1.0


def test_honest_region_alone_has_no_flags():
    G, honest, _, _ = _two_regions(4)
    H = G.subgraph(honest).copy()
    # Half the honest nodes trusted, the other half candidates: a ring lattice with
    # shortcuts is neither dense nor cut off.
    found = sybil_like_clusters(H, honest[:30])
    assert found.flagged == frozenset() and found.attack_edges == ()
    assert all(not c.flagged for c in found.clusters)


def test_hand_computed_cluster():
    # Triangle x-y-z (weights 1) hanging off trusted t by one edge x-t of weight 2,
    # t also linked to u (weight 1). Symmetrised: vol(S) = 2*(3*1*2)/... computed:
    # degrees in W = w + w^T: x: 2+2+4 = 8, y: 4, z: 4 -> vol 16; cut = 4; rest: t 4+2, u 2
    # -> vol 8; conductance = 4 / min(16, 8) = 0.5, density 1.
    G = nx.DiGraph()
    for u, v in [("x", "y"), ("y", "z"), ("z", "x")]:
        G.add_edge(u, v, weight=1.0)
        G.add_edge(v, u, weight=1.0)
    G.add_edge("x", "t", weight=2.0)
    G.add_edge("t", "x", weight=2.0)
    G.add_edge("t", "u", weight=1.0)
    G.add_edge("u", "t", weight=1.0)
    found = sybil_like_clusters(G, ["t", "u"])
    (cluster,) = found.clusters
    assert cluster.members == ("x", "y", "z")
    assert (cluster.volume, cluster.cut_weight, cluster.conductance) == (16.0, 4.0, 0.5)
    assert cluster.density == 1.0 and not cluster.flagged
    loose = sybil_like_clusters(G, ["t", "u"], max_conductance=0.5)
    assert loose.flagged == {"x", "y", "z"} and loose.attack_edges == (("x", "t"),)
    # Excluding t (as the owner would be) leaves the triangle with no cut at all.
    alone = sybil_like_clusters(G, ["u"], exclude=["t"])
    assert alone.flagged == {"x", "y", "z"} and alone.clusters[0].conductance == 0.0
    assert alone.attack_edges == ()


def test_sparse_component_is_split_and_small_groups_skipped():
    # Two 5-cliques of candidates joined by a path of length 3 form one sparse component;
    # Louvain splits it, each clique is tested alone. A lone candidate pair is skipped.
    G = nx.complete_graph(["a0", "a1", "a2", "a3", "a4"])
    G.add_edges_from(nx.complete_graph(["b0", "b1", "b2", "b3", "b4"]).edges)
    G.add_edges_from([("a0", "m"), ("m", "b0")])
    G.add_edges_from(nx.complete_graph([f"t{i}" for i in range(8)]).edges)
    G.add_edges_from([("a1", "t0"), ("p", "q"), ("q", "t1")])
    trusted = [f"t{i}" for i in range(8)]
    found = sybil_like_clusters(G, trusted)
    # The component has 22 edges among 11 nodes: density 22 / 55 = 0.4, below 0.5.
    for cluster in found.clusters:
        sides = {str(m)[0] for m in cluster.members} - {"m"}
        assert len(sides) == 1  # never both cliques in one cluster
        assert cluster.size >= 3
    # The b clique (with or without m) is cut off by one edge: conductance <= 2 / 42.
    assert {"b0", "b1", "b2", "b3", "b4"} <= found.flagged
    assert not {"p", "q"} & {m for c in found.clusters for m in c.members}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_size": 1},
        {"min_size": True},
        {"min_density": 1.5},
        {"max_conductance": -0.1},
        {"max_trust_ratio": -1.0},
    ],
)
def test_bad_parameters(kwargs):
    with pytest.raises(ParameterError):
        sybil_like_clusters(nx.path_graph(3), [0], **kwargs)


def test_trust_ratio_can_veto_a_flag():
    G, honest, sybils, _ = _two_regions(5)
    assert sybil_like_clusters(G, honest, max_trust_ratio=1e-12).flagged == frozenset()
    assert sybil_like_clusters(G, honest, max_trust_ratio=1.0).flagged == frozenset(sybils)


def test_old_trusted_keyword_warns_and_gives_the_same_clusters():
    G = nx.complete_graph(["s1", "s2", "s3", "s4"])
    G.add_edges_from([("t", "u"), ("u", "v"), ("t", "v"), ("v", "s1")])
    new = sybil_like_clusters(G, seeds=["t", "u", "v"])
    with pytest.warns(DeprecationWarning, match="seeds="):
        old = sybil_like_clusters(G, trusted=["t", "u", "v"])
    assert [c.members for c in old.clusters] == [c.members for c in new.clusters]
    assert new.clusters and set(new.clusters[0].members) == {"s1", "s2", "s3", "s4"}
    with pytest.raises(ParameterError, match="not both"):
        sybil_like_clusters(G, ["t"], trusted=["u"])
