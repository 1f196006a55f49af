"""CompactGraph: construction, conversions and derived graphs against networkx."""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import GraphError


def random_digraph(draw_edges: list[tuple[int, int, float]]) -> nx.DiGraph:
    G = nx.DiGraph()
    for u, v, w in draw_edges:
        G.add_edge(u, v, weight=w)
    return G


edge_lists = st.lists(
    st.tuples(
        st.integers(0, 12),
        st.integers(0, 12),
        st.floats(0, 10, allow_nan=False, allow_infinity=False),
    ),
    max_size=40,
)


def test_from_edges_orders_nodes_by_first_appearance():
    cg = CompactGraph.from_edges(["zed", "amy", "zed"], ["amy", "bob", "cat"], [1, 2, 3])
    assert cg.nodes == ("zed", "amy", "bob", "cat")
    assert cg.index["bob"] == 2


def test_from_edges_keeps_isolated_nodes_given_explicitly():
    cg = CompactGraph.from_edges([1], [2], nodes=[5, 1, 2])
    assert cg.nodes == (5, 1, 2)
    assert cg.out_degree().tolist() == [0, 1, 0]


def test_duplicates_sum_by_default_and_attributes_merge_by_rule():
    cg = CompactGraph.from_edges(
        ["a", "a", "a"],
        ["b", "b", "c"],
        [1.0, 2.5, 4.0],
        edge_attrs={
            "count": [1, 2, 1],
            "first_seen": [10.0, 5.0, 7.0],
            "last_seen": [10.0, 5.0, 7.0],
            "declared_only": [True, False, True],
        },
    )
    G = cg.to_networkx()
    assert G["a"]["b"]["weight"] == 3.5
    assert G["a"]["b"]["count"] == 3
    assert (G["a"]["b"]["first_seen"], G["a"]["b"]["last_seen"]) == (5.0, 10.0)
    assert G["a"]["b"]["declared_only"] is False
    assert G["a"]["c"]["declared_only"] is True
    assert cg.graph_attrs["duplicates_merged"] == 1


@pytest.mark.parametrize(("rule", "expected"), [("max", 2.5), ("min", 1.0), ("first", 1.0)])
def test_duplicate_rules(rule, expected):
    cg = CompactGraph.from_edges(["a", "a"], ["b", "b"], [1.0, 2.5], duplicates=rule)
    assert cg.weights.tolist() == [expected]


def test_duplicate_error_rule_raises():
    with pytest.raises(GraphError, match="duplicate"):
        CompactGraph.from_edges(["a", "a"], ["b", "b"], duplicates="error")


def test_zero_weight_edges_are_stored():
    cg = CompactGraph.from_edges(["me"], ["x"], [0.0], edge_attrs={"declared_only": [True]})
    assert cg.n_edges == 1
    assert cg.to_networkx()["me"]["x"] == {"weight": 0.0, "declared_only": True}


def test_mixed_label_types_are_not_coerced_to_strings():
    cg = CompactGraph.from_edges([1, "1"], ["1", (2, 3)])
    assert cg.nodes == (1, "1", (2, 3))


def test_undirected_counts_each_edge_once_and_merges_both_orientations():
    cg = CompactGraph.from_edges([1, 2, 3], [2, 1, 3], [1.0, 2.0, 5.0], directed=False)
    assert cg.n_edges == 2
    assert cg.n_self_loops == 1
    assert cg.adjacency[[0], [1]].tolist() == [3.0]
    assert cg.adjacency[[1], [0]].tolist() == [3.0]


@settings(max_examples=60, deadline=None)
@given(edge_lists)
def test_networkx_round_trip(edges):
    G = random_digraph(edges)
    back = CompactGraph.from_networkx(G).to_networkx()
    assert list(back.nodes) == list(G.nodes)
    assert nx.utils.edges_equal(back.edges(data="weight"), G.edges(data="weight"))


@settings(max_examples=60, deadline=None)
@given(edge_lists)
def test_adjacency_matches_networkx_matrix(edges):
    G = random_digraph(edges)
    cg = CompactGraph.from_networkx(G)
    expected = nx.to_numpy_array(G, nodelist=list(G.nodes), weight="weight")
    np.testing.assert_allclose(cg.adjacency.toarray(), expected)
    np.testing.assert_allclose(cg.out_strength(), expected.sum(axis=1))
    np.testing.assert_allclose(cg.in_strength(), expected.sum(axis=0))


@settings(max_examples=60, deadline=None)
@given(edge_lists)
def test_reverse_matches_networkx_reverse(edges):
    G = random_digraph(edges)
    cg = CompactGraph.from_networkx(G)
    expected = nx.to_numpy_array(G.reverse(), nodelist=list(G.nodes), weight="weight")
    np.testing.assert_allclose(cg.reverse().adjacency.toarray(), expected)


@settings(max_examples=40, deadline=None)
@given(edge_lists)
def test_to_undirected_rules(edges):
    G = random_digraph(edges)
    cg = CompactGraph.from_networkx(G)
    A = nx.to_numpy_array(G, nodelist=list(G.nodes), weight="weight")
    present = nx.to_numpy_array(G, nodelist=list(G.nodes), weight=None) > 0
    summed = A + A.T
    np.fill_diagonal(summed, np.diag(A))
    np.testing.assert_allclose(cg.to_undirected(rule="sum").adjacency.toarray(), summed)
    np.testing.assert_allclose(
        cg.to_undirected(rule="max").adjacency.toarray(),
        np.where(present | present.T, np.maximum(A, A.T), 0),
    )
    n_present = present.astype(int) + present.T.astype(int)
    np.fill_diagonal(n_present, np.diag(present).astype(int))
    mean = np.divide(summed, n_present, out=np.zeros_like(summed), where=n_present > 0)
    np.testing.assert_allclose(cg.to_undirected(rule="mean").adjacency.toarray(), mean)


def test_reverse_carries_attributes_with_their_edges():
    cg = CompactGraph.from_edges(["a", "b", "c"], ["b", "c", "a"], edge_attrs={"count": [1, 2, 3]})
    R = cg.reverse().to_networkx()
    assert R["b"]["a"]["count"] == 1
    assert R["c"]["b"]["count"] == 2
    assert R["a"]["c"]["count"] == 3


def test_subgraph_is_induced():
    G = nx.gnp_random_graph(20, 0.3, seed=1, directed=True)
    keep = [3, 1, 7, 12, 19]
    cg = CompactGraph.from_networkx(G).subgraph(keep)
    assert cg.nodes == tuple(sorted(keep, key=list(G.nodes).index))
    assert set(cg.to_networkx().edges) == set(G.subgraph(keep).edges)


def test_as_compact_selects_weight_attribute():
    G = nx.DiGraph()
    G.add_edge("a", "b", weight=2.0, count=7)
    G.add_edge("b", "c")
    assert as_compact(G).weights.tolist() == [2.0, 1.0]
    assert as_compact(G, weight=None).weights.tolist() == [1.0, 1.0]
    cg = as_compact(G)
    assert as_compact(cg, weight="count").weights.tolist() == [7.0, 1.0]
    with pytest.raises(GraphError, match="no edge attribute 'nope'"):
        as_compact(cg, weight="nope")


def test_multigraph_parallel_edges_add_up():
    M = nx.MultiDiGraph([("a", "b", {"weight": 1.0}), ("a", "b", {"weight": 2.0})])
    assert as_compact(M).weights.tolist() == [3.0]


def test_arrays_are_read_only():
    cg = CompactGraph.from_edges([0], [1])
    with pytest.raises(ValueError):
        cg.weights[0] = 5.0


def test_large_graph_from_arrays_without_networkx():
    rng = np.random.default_rng(0)
    src = rng.integers(0, 50_000, 500_000)
    dst = rng.integers(0, 50_000, 500_000)
    cg = CompactGraph.from_edges(src, dst, rng.random(500_000))
    expected_pairs = np.unique(src.astype(np.int64) * 50_000 + dst).size
    assert cg.n_edges == expected_pairs
    assert cg.adjacency.indices.dtype == np.int32
    assert cg.graph_attrs["duplicates_merged"] == 500_000 - expected_pairs


def test_shape_mismatches_raise():
    with pytest.raises(GraphError, match="2 sources but 1 targets"):
        CompactGraph.from_edges([1, 2], [3])
    with pytest.raises(GraphError, match="1 weights for 2 edges"):
        CompactGraph.from_edges([1, 2], [3, 4], [1.0])


def test_undirected_duplicate_count():
    # 1-2 given three times (two merges), loop 3-3 twice (one merge), 4-5 once.
    cg = CompactGraph.from_edges([1, 2, 1, 3, 3, 4], [2, 1, 2, 3, 3, 5], directed=False)
    assert cg.graph_attrs["duplicates_merged"] == 3
    assert cg.n_edges == 3


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.integers(-5, 5), st.text("ab", max_size=2)), max_size=30))
def test_interning_matches_first_appearance_order(labels):
    from trustgraph.core.compact import _intern

    for group in (
        [x for x in labels if isinstance(x, int)],
        [x for x in labels if isinstance(x, str)],
    ):
        uniques, codes = _intern(np.asarray(group) if group else np.asarray([], dtype=int))
        expected = list(dict.fromkeys(group))
        assert uniques == expected
        assert [expected[c] for c in codes.tolist()] == group


def test_message_counts_survive_networkx_snapshots_and_add_up_on_merge():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", count=3, direct=2, bulk=1)
    G.add_edge("a", "b", count=4, direct=1, bulk=0)
    G.add_edge("b", "a", count=1)  # no direct/bulk recorded: counted as none
    cg = as_compact(G)
    back = cg.to_networkx()
    assert (back["a"]["b"]["count"], back["a"]["b"]["direct"], back["a"]["b"]["bulk"]) == (7, 3, 1)
    assert (back["b"]["a"]["direct"], back["b"]["a"]["bulk"]) == (0, 0)


def test_from_index_arrays_sorts_with_attributes_and_refuses_repeats():
    rows = np.array([2, 0, 0, 1])
    cols = np.array([0, 2, 1, 1])
    cg = CompactGraph.from_index_arrays(
        ["a", "b", "c"],
        rows,
        cols,
        np.array([1.0, 0.0, 3.0, 4.0]),
        edge_attrs={"count": np.array([10, 20, 30, 40])},
    )
    G = cg.to_networkx()
    assert G["a"]["c"] == {"weight": 0.0, "count": 20}  # stored zero kept
    assert G["a"]["b"]["count"] == 30 and G["c"]["a"]["count"] == 10
    with pytest.raises(GraphError, match="'a' -> 'b' is given twice"):
        CompactGraph.from_index_arrays(
            ["a", "b"], np.array([0, 0]), np.array([1, 1]), np.array([1.0, 2.0])
        )


def test_same_column_across_a_row_boundary_is_no_repeat():
    # Interned in first-appearance order a, x, b, c, y: row a ends with column c and row b
    # starts with it, so the sorted columns repeat across the row boundary without any
    # repeated pair. b -> c comes first in the input: were the two taken for a repeated
    # pair, restoring "input order" inside it would swap their weights.
    cg = CompactGraph.from_edges(
        ["a", "b", "a", "b"], ["x", "c", "c", "y"], [1.0, 2.0, 3.0, 4.0], duplicates="error"
    )
    assert cg.graph_attrs["duplicates_merged"] == 0
    assert sorted(cg.to_networkx().edges(data="weight")) == [
        ("a", "c", 3.0),
        ("a", "x", 1.0),
        ("b", "c", 2.0),
        ("b", "y", 4.0),
    ]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=60),
    st.sampled_from(["sum", "max", "min", "first", "last"]),
)
def test_duplicate_rules_match_a_dictionary_oracle(pairs, rule):
    # Weights are the row positions, so "first"/"last" reveal which row was kept.
    weights = np.arange(len(pairs), dtype=np.float64) + 1
    expected: dict[tuple[int, int], list[float]] = {}
    for (u, v), w in zip(pairs, weights.tolist()):
        expected.setdefault((u, v), []).append(w)
    combine = {
        "sum": sum,
        "max": max,
        "min": min,
        "first": lambda x: x[0],
        "last": lambda x: x[-1],
    }
    cg = CompactGraph.from_edges(
        [u for u, _ in pairs], [v for _, v in pairs], weights, duplicates=rule
    )
    got = {(u, v): w for u, v, w in cg.to_networkx().edges(data="weight")}
    assert got == {pair: combine[rule](ws) for pair, ws in expected.items()}
    assert cg.graph_attrs["duplicates_merged"] == len(pairs) - len(expected)


def test_integer_labels_stay_one_array_until_read(tmp_path):
    rng = np.random.default_rng(5)
    src = rng.integers(1000, 40_000, 60_000)
    dst = rng.integers(1000, 40_000, 60_000)
    cg = CompactGraph.from_edges(src, dst)
    assert isinstance(cg._nodes, np.ndarray)  # no tuple of Python ints yet
    assert not cg._nodes.flags.writeable
    expected = list(dict.fromkeys(np.column_stack([src, dst]).ravel().tolist()))
    assert cg.n_nodes == len(expected)
    derived = cg.reverse().unit_weights()
    assert isinstance(derived._nodes, np.ndarray)  # derived graphs share the array
    cg.save(tmp_path / "g.tgc")
    assert isinstance(cg._nodes, np.ndarray)  # saving does not build the tuple
    assert list(CompactGraph.load(tmp_path / "g.tgc").nodes) == expected
    assert list(cg.nodes) == expected and type(cg.nodes[0]) is int
    assert isinstance(cg._nodes, tuple) and cg.index[expected[3]] == 3
    assert list(derived.nodes) == expected


@pytest.mark.parametrize("repeats", [False, True])
@pytest.mark.parametrize("path", ["threads", "compiled"])
def test_threaded_and_compiled_construction_match_the_serial_one(monkeypatch, path, repeats):
    from trustgraph.core import build, intern, kernels, threads

    rng = np.random.default_rng(11)
    # 60,000 edges: enough endpoints for the dense integer interning.
    src = rng.integers(-20, 3_000, 60_000)
    dst = rng.integers(-20, 3_000, 60_000)
    if not repeats:  # distinct pairs only: the weights ride along the sort
        pairs = np.unique(np.column_stack([src, dst]), axis=0)
        order = rng.permutation(len(pairs))
        src, dst = pairs[order, 0], pairs[order, 1]
    weights = rng.random(src.size)
    count = {"count": np.arange(src.size)}
    serial = [
        CompactGraph.from_edges(src, dst, weights, duplicates=rule, edge_attrs=attrs)
        for rule, attrs in (("sum", None), ("first", count))
    ]
    if path == "threads":
        monkeypatch.setattr(threads, "_PARALLEL_MIN_SIZE", 10)
        # numba may be loaded by other tests in this process: keep the numpy interning.
        monkeypatch.setattr(intern, "_compiled_intern_available", lambda: False)
    else:
        pytest.importorskip("numba")
        if not kernels.enabled():
            pytest.skip("numba switched off (TRUSTGRAPH_NUMBA=0)")
        monkeypatch.setattr(intern, "_compiled_intern_available", lambda: True)
    monkeypatch.setattr(intern, "_COMPILED_INTERN_MIN", 10)
    calls = []
    for home, name in ((intern, "_intern_pairs_compiled"), (build, "_sort_row_indices")):
        original = getattr(home, name)

        def spy(*args, _original=original, _name=name):
            calls.append(_name)
            return _original(*args)

        monkeypatch.setattr(home, name, spy)
    other = [
        CompactGraph.from_edges(src, dst, weights, duplicates=rule, edge_attrs=attrs)
        for rule, attrs in (("sum", None), ("first", count))
    ]
    for a, b in zip(serial, other):
        assert a.nodes == b.nodes
        for name in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(a.adjacency, name), getattr(b.adjacency, name))
        assert a.edge_attrs.keys() == b.edge_attrs.keys()
        for key in a.edge_attrs:
            assert np.array_equal(a.edge_attrs[key], b.edge_attrs[key])
        assert a.graph_attrs == b.graph_attrs
    assert ("_intern_pairs_compiled" in calls) == (path == "compiled")
    assert "_sort_row_indices" in calls


@pytest.mark.parametrize("size", [10, 10**7])  # below and above the threading threshold
def test_in_parallel_returns_results_in_task_order(size):
    from trustgraph.core.compact import in_parallel

    # The first task finishes last when threads run: order must come from the tasks.
    tasks = [lambda i=i: (time.sleep(0.02 * (3 - i)), i)[1] for i in range(3)]
    assert in_parallel(tasks, size=size) == [0, 1, 2]
