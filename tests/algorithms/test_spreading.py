"""Appleseed (Ziegler & Lausen 2005)."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.algorithms.spreading import appleseed
from trustgraph.exceptions import ConvergenceError, GraphError, ParameterError, SeedError


def graph(edges) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(edges)
    return G


def naive_appleseed(G, source, energy=200.0, d=0.85, tc=0.01, max_iter=1000):
    """The paper's loop with dicts: nodes are discovered as energy reaches them, and each
    discovered node gets its back-edge to the source at that moment."""
    # Positive weights only; self-loops carry nothing.
    out = {x: {y: a["weight"] for y, a in G[x].items() if a["weight"] > 0 and y != x} for x in G}
    discovered = {source}
    incoming = {source: energy}
    trust = {source: 0.0}
    for _ in range(max_iter):
        new_in = dict.fromkeys(discovered, 0.0)
        only_at_source = incoming.get(source, 0.0) > 0 and not any(
            incoming.get(x, 0.0) > 0 for x in discovered if x != source
        )
        gains = {}
        for x in list(discovered):
            e = incoming.get(x, 0.0)
            keep = 0.0 if x == source else (1 - d) * e
            gains[x] = keep
            trust[x] = trust.get(x, 0.0) + keep
            targets = dict(out[x])
            if x != source:
                targets[source] = 1.0  # the back-edge replaces any edge to the source
            total = sum(targets.values())
            if total == 0:
                continue
            for y, w in targets.items():
                if y not in discovered:
                    discovered.add(y)
                    new_in[y] = 0.0
                    trust.setdefault(y, 0.0)
                new_in[y] = new_in.get(y, 0.0) + (e - keep) * w / total
        incoming = new_in
        if max(gains.values()) <= tc and not only_at_source:
            return {v: trust.get(v, 0.0) for v in G}
    raise AssertionError("naive appleseed did not converge")


def test_reference_values_of_the_reference_implementation():
    # appleseed-metric@1.0.1: in0 = 200, d = 0.85, Tc = 0.01, source a (76 iterations).
    G = graph([("a", "b", 0.8), ("a", "c", 0.8), ("b", "d", 0.8), ("x", "y", 0.8)])
    scores = appleseed(G, "a", energy=200, damping=0.85, tol=0.01)
    assert scores["b"] == pytest.approx(84.0131, abs=5e-5)
    assert scores["c"] == pytest.approx(84.0131, abs=5e-5)
    assert scores["d"] == pytest.approx(31.7348, abs=5e-5)
    assert scores["x"] == scores["y"] == 0.0
    assert scores["a"] == 0.0  # the source keeps no energy
    assert list(scores) == list(G.nodes)


def test_single_edge_returns_all_energy_to_its_target():
    # s -> a plus the back-edge a -> s. Energy ping-pongs: a keeps 15% of each visit,
    # s passes everything back, so a's trust is 30 * (1 + 0.85 + 0.85^2 + ...) -> 200.
    # The loop stops once a gains <= tol, i.e. with < tol * 0.85 / 0.15 still in flight.
    scores = appleseed(graph([("s", "a", 5.0)]), "s", tol=1e-6)
    assert scores["a"] == pytest.approx(200.0, abs=1e-5)
    # By hand with tol 29: a's first visit keeps 0.15 * 200 = 30 (> tol, go on); the next
    # step only the source holds energy (170), which does not count; a's second visit
    # keeps 0.15 * 170 = 25.5 <= tol: stop at 30 + 25.5.
    assert appleseed(graph([("s", "a", 5.0)]), "s", tol=29.0)["a"] == pytest.approx(55.5)


def test_linear_normalisation_and_back_edges_by_hand():
    # s -> a (3), s -> b (1); after one spread a holds 150, b 50, each keeps 15%.
    scores = appleseed(graph([("s", "a", 3.0), ("s", "b", 1.0)]), "s", tol=23.0)
    assert scores == pytest.approx({"s": 0.0, "a": 22.5, "b": 7.5})
    # Over the long run the shares stay 3:1 (each back-edge sends energy home, which is
    # spread 3:1 again), and all the energy ends up kept.
    scores = appleseed(graph([("s", "a", 3.0), ("s", "b", 1.0)]), "s", tol=1e-9)
    assert scores["a"] / scores["b"] == pytest.approx(3.0)
    assert scores["a"] + scores["b"] == pytest.approx(200.0, abs=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_matches_naive_paper_loop(seed):
    G = nx.gnp_random_graph(15, 0.2, seed=seed, directed=True)
    for k, (u, v) in enumerate(G.edges):
        G[u][v]["weight"] = 0.1 + (k * 37 % 10) / 10
    expected = naive_appleseed(G, 0)
    got = appleseed(G, 0)
    assert got == pytest.approx(expected, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        # Weights of comparable size: with a 1e-100 edge the paper's stopping rule (largest
        # trust gain <= tol) fires while energy still bounces at the source, by design.
        st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([0.0, 0.3, 1.0, 4.0])),
        min_size=1,
        max_size=25,
    )
)
def test_energy_is_conserved(edges):
    G = graph(edges)
    source = edges[0][0]
    scores = appleseed(G, source, tol=1e-9, max_iter=100_000)
    assert all(v >= 0 for v in scores.values())
    total = sum(scores.values())
    assert total <= 200.0 + 1e-6
    has_out = any(w > 0 and v != source for _, v, w in G.out_edges(source, data="weight"))
    # Energy that leaves the source is eventually kept by someone; otherwise none moves.
    assert total == pytest.approx(200.0 if has_out else 0.0, abs=1e-5)


def test_signed_graphs_need_an_explicit_policy():
    G = graph([("a", "b", 0.8), ("a", "c", -0.8)])
    with pytest.raises(GraphError):
        appleseed(G, "a")
    dropped = appleseed(G, "a", signed="drop")
    assert dropped["c"] == 0.0 and dropped["b"] > 0
    rescaled = appleseed(G, "a", signed="rescale")  # weights 0.9 and 0.1
    assert rescaled["b"] / rescaled["c"] == pytest.approx(9.0)


def test_errors():
    G = graph([("a", "b", 1.0)])
    with pytest.raises(SeedError):
        appleseed(G, "zed")
    with pytest.raises(ParameterError):
        appleseed(G, "a", damping=1.0)
    with pytest.raises(ParameterError):
        appleseed(G, "a", energy=0)
    with pytest.raises(ConvergenceError) as info:
        appleseed(G, "a", max_iter=3)
    assert info.value.iterations == 3
