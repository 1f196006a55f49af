"""Tests of ``trustgraph rank`` and ``trustgraph explain`` on a tiny GraphML file."""

from __future__ import annotations

import csv
import importlib
import io
import json
import sys
import types

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.algorithms.random_walk import eigentrust, personalized_pagerank, trustrank
from trustgraph.cli.app import main
from trustgraph.cli.common import resolve_node, resolve_nodes
from trustgraph.cli.render import ranked

EDGES = [("A", "B", 3.0), ("A", "C", 1.0), ("B", "C", 1.0), ("C", "A", 1.0), ("C", "D", 1.0)]


def tiny_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(EDGES)
    return G


@pytest.fixture
def graph_file(tmp_path, monkeypatch):
    path = tmp_path / "contacts.graphml"
    nx.write_graphml(tiny_graph(), path)
    try:
        importlib.import_module("trustgraph.ingest.detect")
    except ImportError:
        # The format-detecting reader is written in parallel; until it lands, stand in
        # with networkx's GraphML reader so the command itself is still exercised.
        stub = types.ModuleType("trustgraph.ingest.detect")
        stub.read_graph = lambda p, **options: nx.read_graphml(p)
        monkeypatch.setitem(sys.modules, "trustgraph.ingest.detect", stub)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rank_json_matches_the_library(graph_file, capsys):
    code, out, err = run(capsys, "rank", str(graph_file), "--trusted", "A", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    expected = personalized_pagerank(tiny_graph(), ["A"])
    assert [row["rank"] for row in rows] == [1, 2, 3, 4]
    assert [row["node"] for row in rows] == sorted(expected, key=expected.get, reverse=True)
    for row in rows:
        assert set(row) == {"node", "score", "rank"}
        assert row["score"] == pytest.approx(expected[row["node"]], abs=1e-12)


def test_rank_top_and_csv(graph_file, capsys):
    code, out, _ = run(
        capsys, "rank", str(graph_file), "--trusted", "A", "--top", "2", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["node"] for r in rows] == ["A", "C"]
    assert float(rows[0]["score"]) == pytest.approx(0.368666, abs=5e-7)


def test_rank_table_on_stdout(graph_file, capsys):
    code, out, err = run(capsys, "rank", str(graph_file), "--trusted", "A")
    assert code == 0 and err == ""
    assert "0.368666" in out and "rank" in out
    assert out.index("0.368666") < out.index("0.118198")


@pytest.mark.parametrize(
    ("method", "function"), [("trustrank", trustrank), ("eigentrust", eigentrust)]
)
def test_rank_other_random_walk_methods(graph_file, capsys, method, function):
    code, out, err = run(
        capsys,
        "rank", str(graph_file), "--trusted", "A", "--trusted", "B",
        "--method", method, "--damping", "0.5", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    expected = function(tiny_graph(), ["A", "B"], damping=0.5)
    got = {row["node"]: row["score"] for row in json.loads(out)}
    assert got == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("method", ["sybilrank", "sybilscar"])
def test_rank_sybil_methods(graph_file, capsys, method):
    sybil = pytest.importorskip("trustgraph.algorithms.sybil")
    code, out, err = run(
        capsys, "rank", str(graph_file), "--trusted", "A", "--method", method, "--format", "json"
    )
    assert code == 0, err
    expected = getattr(sybil, method)(tiny_graph(), ["A"])
    got = {row["node"]: row["score"] for row in json.loads(out)}
    assert got == pytest.approx(expected, abs=1e-12)


def test_rank_errors(graph_file, capsys):
    code, _, err = run(capsys, "rank", str(graph_file), "--trusted", "nobody")
    assert code == 1
    assert err.startswith("trustgraph: error:") and "nobody" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, "rank", str(graph_file), "--trusted", "A", "--method", "magic")
    assert code == 2
    code, _, err = run(
        capsys, "rank", str(graph_file), "--trusted", "A", "--method", "sybilrank",
        "--damping", "0.5",
    )  # fmt: skip
    assert code == 2 and "--damping" in err
    code, _, err = run(capsys, "rank", str(graph_file), "--trusted", "A", "--damping", "1.5")
    assert code == 1 and "damping" in err


def test_explain_json(graph_file, capsys):
    code, out, err = run(
        capsys, "explain", str(graph_file), "--trusted", "A", "--target", "D", "--format", "json"
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["target"] == "D"
    assert payload["score"] == pytest.approx(0.118198, abs=5e-7)
    assert sum(c["contribution"] for c in payload["contributions"]) == pytest.approx(
        payload["score"], abs=1e-12
    )
    assert payload["paths"][0] == {"nodes": ["A", "B", "C", "D"], "probability": 0.375}


def test_explain_table_and_unknown_target(graph_file, capsys):
    code, out, _ = run(capsys, "explain", str(graph_file), "--trusted", "A", "--target", "D")
    assert code == 0
    assert "A -> B -> C -> D" in out and "0.118198" in out
    code, _, err = run(capsys, "explain", str(graph_file), "--trusted", "A", "--target", "Q")
    assert code == 1 and "Q" in err


def test_resolve_node_prefers_exact_then_integer():
    ints = nx.Graph([(1, 2), (3, 4)])
    assert resolve_node(ints, "3") == 3 and isinstance(resolve_node(ints, "3"), int)
    assert resolve_node(ints, " 4") == 4
    assert resolve_node(ints, "5") == "5"  # not a node: left for the library to report
    strings = nx.Graph([("1", "2")])
    assert resolve_node(strings, "1") == "1"
    mixed = nx.Graph([("7", 7)])
    assert resolve_node(mixed, "7") == "7"
    assert resolve_nodes(ints, ["1", "x"]) == [1, "x"]


def test_ranked_orders_by_score_then_graph_order():
    assert ranked({"b": 0.2, "a": 0.5, "c": 0.2, "d": 0.1}) == [
        (1, "a", 0.5),
        (2, "b", 0.2),
        (3, "c", 0.2),
        (4, "d", 0.1),
    ]


def test_rank_integer_node_ids_from_an_edge_list(tmp_path, capsys):
    pytest.importorskip("trustgraph.ingest.detect")
    path = tmp_path / "ints.txt"
    path.write_text("1 2 3\n1 3 1\n2 3 1\n3 1 1\n3 4 1\n", encoding="utf-8")
    code, out, err = run(capsys, "rank", str(path), "--trusted", "1", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    # Same graph as the reference, A..D renamed 1..4: JSON keeps the integer ids.
    assert [row["node"] for row in rows] == [1, 3, 2, 4]
    assert rows[0]["score"] == pytest.approx(0.368666, abs=5e-7)


def test_edge_lists_load_compact_and_rank_like_the_networkx_graph(tmp_path, capsys):
    """A CSV goes straight to a CompactGraph; the ranking is the networkx graph's ranking."""
    from trustgraph.cli.common import load_graph
    from trustgraph.core.compact import CompactGraph

    path = tmp_path / "edges.csv"
    path.write_text(
        "source,target,weight\n" + "".join(f"{u},{v},{w}\n" for u, v, w in EDGES),
        encoding="utf-8",
    )
    assert isinstance(load_graph(path), CompactGraph)
    code, out, err = run(capsys, "rank", str(path), "--trusted", "A", "--format", "json")
    assert code == 0, err
    expected = personalized_pagerank(tiny_graph(), ["A"])
    rows = json.loads(out)
    assert [row["node"] for row in rows] == sorted(expected, key=expected.get, reverse=True)
    for row in rows:
        assert row["score"] == pytest.approx(expected[row["node"]], abs=1e-12)


def test_integer_ids_typed_on_the_command_line_find_compact_nodes(tmp_path, capsys):
    path = tmp_path / "edges.tsv"
    path.write_text("1\t2\n2\t3\n3\t1\n3\t4\n", encoding="utf-8")
    code, out, err = run(capsys, "rank", str(path), "--trusted", "1", "--format", "json")
    assert code == 0, err
    assert {row["node"] for row in json.loads(out)} == {1, 2, 3, 4}


def test_ranking_status_draws_nothing_off_a_terminal(graph_file, capsys):
    from trustgraph.cli.rank import ranking_status

    with ranking_status(graph_file) as show:
        show("anything")
    assert capsys.readouterr().err == ""


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, -0.3, 1.0]), min_size=0, max_size=30),
    st.integers(min_value=0, max_value=35),
)
def test_ranked_matches_a_plain_sort_and_top_is_its_prefix(values, top):
    # Oracle: Python's sort by (-score, position in the graph's order).
    scores = {f"n{i}": value for i, value in enumerate(values)}
    positions = {node: i for i, node in enumerate(scores)}
    expected = sorted(scores, key=lambda node: (-scores[node], positions[node]))
    full = ranked(scores)
    assert [node for _, node, _ in full] == expected
    assert [rank for rank, _, _ in full] == list(range(1, len(values) + 1))
    assert all(score == scores[node] for _, node, score in full)
    assert ranked(scores, top) == (full[:top] if top else full)


def test_rank_signed_policy_reaches_eigentrust(tmp_path, capsys):
    # a -> b trusted, a -> c distrusted: eigentrust refuses negative weights by default,
    # and --signed discount gives what the library's go-eigentrust discount gives.
    path = tmp_path / "signed.csv"
    path.write_text("source,target,weight\na,b,2\na,c,-1\nb,a,1\nc,a,1\n", encoding="utf-8")
    code, _, err = run(capsys, "rank", str(path), "--trusted", "a", "--method", "eigentrust")
    assert code == 1 and "negative" in err.lower()
    argv = ["rank", str(path), "--trusted", "a", "--method", "eigentrust", "--format", "json"]
    code, out, err = run(capsys, *argv, "--signed", "discount")
    assert code == 0, err
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 2), ("a", "c", -1), ("b", "a", 1), ("c", "a", 1)])
    expected = eigentrust(G, ["a"], signed="discount")
    assert {row["node"]: row["score"] for row in json.loads(out)} == pytest.approx(expected)
    code, _, err = run(capsys, "rank", str(path), "--trusted", "a", "--signed", "drop")
    assert code == 2 and "--signed does not apply to --method ppr" in err
