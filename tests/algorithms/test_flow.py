"""The Advogato trust metric (Levien): node-split maximum flow.

Oracles: a node-split flow network built independently with networkx, hand-worked cases,
and Levien's published behaviour on the Advogato dump (799 accounts per level with his
seeds and capacities).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from trustgraph.algorithms.flow import ADVOGATO_CAPACITIES, ADVOGATO_LEVELS, advogato
from trustgraph.exceptions import GraphError, ParameterError, SeedError


def split_network(G, seeds, capacities, certified=None):
    """The Advogato flow network built independently with networkx.

    With `certified`, only those nodes get a unit edge to the sink: the maximum flow then
    equals ``len(certified)`` exactly when that set can be certified together.
    """
    distance = nx.multi_source_dijkstra_path_length(
        nx.DiGraph((u, v) for u, v, w in G.edges(data="weight", default=1) if w > 0 and u != v),
        set(seeds),
        weight=lambda u, v, d: 1,
    )
    F = nx.DiGraph()
    for x, k in distance.items():
        cap = capacities[min(k, len(capacities) - 1)]
        F.add_edge(("-", x), ("+", x), capacity=cap - 1)
        if certified is None or x in certified:
            F.add_edge(("-", x), "sink", capacity=1)
    for u, v, w in G.edges(data="weight", default=1):
        if w > 0 and u != v and u in distance:
            F.add_edge(("+", u), ("-", v))  # no capacity attribute: unbounded
    for s in seeds:
        F.add_edge("source", ("-", s), capacity=capacities[0])
    F.add_node("sink")
    return F


VIRTUAL_ROOT = ("virtual", "root")  # a node name no test graph uses


def with_virtual_root(G, seeds):
    """``G`` plus Levien's virtual root, with an edge to every seed."""
    H = nx.DiGraph(G)
    H.add_edges_from((VIRTUAL_ROOT, s) for s in seeds)
    return H


def test_bottleneck_property_by_hand():
    # r (distance 0, capacity 20) -> x (distance 1, capacity 4) -> y0..y9 (capacity 1).
    # Everything certified behind x crosses x- -> x+, of capacity 4 - 1 = 3, so exactly
    # 3 of the 10 ys are certified, whichever the solver picks.
    G = nx.DiGraph([("r", "x")] + [("x", f"y{i}") for i in range(10)])
    scores = advogato(G, ["r"], capacities=(20, 4, 1), root="seeds")
    assert scores["r"] == 1.0 and scores["x"] == 1.0
    assert sum(scores[f"y{i}"] for i in range(10)) == 3.0


def test_attack_region_behind_one_confused_node():
    # Honest ring of 6 around the seed; honest node h3 (distance 1 here, capacity 5 with
    # capacities (50, 5, 5, 1)) certifies a 40-node Sybil clique. At most 5 - 1 = 4 Sybils
    # can be certified: all flow into the region crosses h3- -> h3+.
    honest = [f"h{i}" for i in range(6)]
    G = nx.DiGraph()
    G.add_edges_from(("seed", h) for h in honest)
    G.add_edges_from((honest[i], honest[(i + 1) % 6]) for i in range(6))
    sybils = [f"s{i}" for i in range(40)]
    G.add_edges_from((a, b) for a in sybils for b in sybils if a != b)
    G.add_edges_from(("h3", s) for s in sybils)
    scores = advogato(G, ["seed"], capacities=(50, 5, 5, 1), root="seeds")
    assert sum(scores[s] for s in sybils) <= 4.0
    assert all(scores[h] == 1.0 for h in honest)


def test_last_capacity_repeats():
    # Chain s -> a -> b -> c -> d with capacities (5, 3): s passes 4 to a; a keeps 1 and
    # passes 3 - 1 = 2; b (distance 2, beyond the list: capacity 3 again) keeps 1 and
    # passes 1; c keeps it; d gets nothing. Were far nodes given capacity 1, b would pass
    # nothing and c would not be certified.
    G = nx.DiGraph([("s", "a"), ("a", "b"), ("b", "c"), ("c", "d")])
    assert advogato(G, ["s"], capacities=(5, 3), root="seeds") == {
        "s": 1.0,
        "a": 1.0,
        "b": 1.0,
        "c": 1.0,
        "d": 0.0,
    }
    assert advogato(G, ["s"], capacities=(5, 3, 1), root="seeds")["c"] == 0.0


def test_levels_by_hand():
    # s -> a master (1.0), a -> b journeyer (0.8), s -> c apprentice (0.6).
    # Level 0.6 uses every edge: a, b, c certified. Level 0.8 drops s -> c: a, b.
    # Level 1.0 keeps s -> a only: a. Highest level: a 1.0, b 0.8, c 0.6.
    G = nx.DiGraph()
    G.add_weighted_edges_from([("s", "a", 1.0), ("a", "b", 0.8), ("s", "c", 0.6)])
    G.add_node("loner")
    scores = advogato(G, ["s"], levels=(0.6, 0.8, 1.0))
    assert scores == {"s": 1.0, "a": 1.0, "b": 0.8, "c": 0.6, "loner": 0.0}
    assert advogato(G, ["s"]) == {"s": 1.0, "a": 1.0, "b": 1.0, "c": 1.0, "loner": 0.0}


@pytest.mark.parametrize("seed", range(5))
def test_matches_networkx_maximum_flow(seed):
    G = nx.gnp_random_graph(30, 0.12, seed=seed, directed=True)
    nx.set_edge_attributes(G, 1.0, "weight")
    seeds = [0, 1]
    capacities = (60, 4, 2, 1)
    scores = advogato(G, seeds, capacities=capacities, root="seeds")
    certified = {v for v, x in scores.items() if x == 1.0}
    # The count is the maximum flow value of the independent networkx construction...
    flow_value = nx.maximum_flow_value(split_network(G, seeds, capacities), "source", "sink")
    assert len(certified) == flow_value
    # ...and the certified set is feasible: a flow can certify exactly these nodes.
    restricted = split_network(G, seeds, capacities, certified=certified)
    assert nx.maximum_flow_value(restricted, "source", "sink") == len(certified)


@pytest.mark.parametrize("seed", range(5))
def test_virtual_root_matches_networkx_maximum_flow(seed):
    # Levien's construction: the virtual root is the one source; it keeps one unit of
    # flow for itself, so the certified nodes of G number the flow value minus one.
    G = nx.gnp_random_graph(30, 0.12, seed=seed, directed=True)
    nx.set_edge_attributes(G, 1.0, "weight")
    seeds, capacities = [0, 1], (60, 8, 3, 1)
    scores = advogato(G, seeds, capacities=capacities)
    certified = {v for v, x in scores.items() if x == 1.0}
    H = with_virtual_root(G, seeds)
    flow_value = nx.maximum_flow_value(
        split_network(H, [VIRTUAL_ROOT], capacities), "source", "sink"
    )
    assert len(certified) == flow_value - 1
    feasible = split_network(H, [VIRTUAL_ROOT], capacities, certified=certified | {VIRTUAL_ROOT})
    assert nx.maximum_flow_value(feasible, "source", "sink") == len(certified) + 1


def test_virtual_root_by_hand():
    # The toy case, worked from mod_virgule's rules: the root (capacity 10) passes
    # 9 units to the seed; the seed (distance 1, capacity 3) keeps one and passes 2 to
    # ann; ann (distance 2, capacity 1) keeps one and passes none: {seed, ann}.
    G = nx.DiGraph([("seed", "ann"), ("ann", "bob"), ("ann", "cy"), ("ann", "dee")])
    scores = advogato(G, ["seed"], capacities=(10, 3, 1))
    assert {v for v, x in scores.items() if x} == {"seed", "ann"}
    # A root too small to pass anything on certifies nobody (the seed is not certified by
    # definition, as in mod_virgule).
    assert not any(advogato(G, ["seed"], capacities=(1, 3, 1)).values())


@pytest.mark.parametrize("seed", range(3))
def test_virtual_root_with_a_wide_root_is_the_seed_placement_shifted(seed):
    # Invariant: a root that can feed every seed fully, followed by capacities C, gives
    # what the seed placement gives with C (seeds then sit at distance 0 with C[0]).
    G = nx.gnp_random_graph(40, 0.08, seed=seed, directed=True)
    seeds, capacities = [0, 5, 9], (6, 3, 2, 1)
    wide = 1 + len(seeds) * capacities[0]
    shifted = advogato(G, seeds, capacities=(wide, *capacities), weight=None)
    placed = advogato(G, seeds, capacities=capacities, weight=None, root="seeds")
    assert sum(shifted.values()) == sum(placed.values())


ADVOGATO = Path(__file__).resolve().parents[3] / "shared" / "data" / "advogato"


@pytest.mark.skipif(not ADVOGATO.is_dir(), reason="../shared/data/advogato is not present")
def test_levien_seeds_certify_799_accounts_per_level():
    # Levien's mod_virgule with seeds raph, alan, wsanchez, rasmus and capacities
    # (800, 200, 200, 50, 12, 4, 2, 1) certifies 799 accounts in each of the three level
    # runs: the root's 800 units minus its own. (The union over levels is larger: which
    # 799 a run certifies is not unique.)
    names = (ADVOGATO / "ent.advogato.user.name").read_text(encoding="utf-8").split("\n")[1:]
    edges = np.loadtxt(ADVOGATO / "out.advogato", skiprows=1)
    G = nx.DiGraph()
    G.add_nodes_from(names[: int(edges[:, :2].max())])
    G.add_weighted_edges_from(
        (names[int(a) - 1], names[int(b) - 1], w) for a, b, w in edges.tolist()
    )
    seeds = ["raph", "alan", "wsanchez", "rasmus"]
    for level in ADVOGATO_LEVELS:
        scores = advogato(G, seeds, capacities=ADVOGATO_CAPACITIES, levels=[level])
        assert sum(1 for x in scores.values() if x == level) == 799
    # The old placement let each seed pass 799 units: several times as many accounts.
    placed = advogato(G, seeds, capacities=ADVOGATO_CAPACITIES, root="seeds")
    assert sum(placed.values()) > 799


def test_errors_and_signed_input():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("s", "a", 1.0), ("s", "b", -1.0)])
    with pytest.raises(GraphError):
        advogato(G, ["s"])
    assert advogato(G, ["s"], signed="drop") == {"s": 1.0, "a": 1.0, "b": 0.0}
    with pytest.raises(SeedError):
        advogato(G, ["nobody"], signed="drop")
    with pytest.raises(SeedError):
        advogato(G, [], signed="drop")
    with pytest.raises(ParameterError):
        advogato(G, ["s"], capacities=(10, 0), signed="drop")
    with pytest.raises(ParameterError):
        advogato(G, ["s"], capacities=(10, 2.5), signed="drop")
    with pytest.raises(ParameterError):
        advogato(G, ["s"], levels=(0.5, -1), signed="drop")
    with pytest.raises(ParameterError, match="root"):
        advogato(G, ["s"], signed="drop", root="super")
