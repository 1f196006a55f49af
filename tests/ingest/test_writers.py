"""Writers: round trips, sanitising, atomicity, overwrite protection, Gephi tables."""

from __future__ import annotations

import csv
import gzip
from datetime import datetime, timezone

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustgraph import CompactGraph, IngestError, ParameterError
from trustgraph.ingest import writers
from trustgraph.ingest.detect import read_graph
from trustgraph.ingest.edgelist import read_edgelist
from trustgraph.ingest.writers import sanitize_graph, write_gephi_csv, write_graph

EXTENSIONS = [".csv", ".tsv", ".csv.gz", ".graphml", ".gexf", ".json", ".json.gz"]


def signed_graph(directed: bool = True) -> nx.Graph:
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_edge("ann", "bob", weight=3.0, sign=1)
    G.add_edge("bob", "cy", weight=-1.5, sign=-1)
    G.add_edge("cy", "cy", weight=0.25, sign=1)
    return G


def edge_set(G: nx.Graph) -> set:
    if G.is_directed():
        return {(u, v, d["weight"], d.get("sign")) for u, v, d in G.edges(data=True)}
    return {(frozenset((u, v)), d["weight"], d.get("sign")) for u, v, d in G.edges(data=True)}


# ---------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("extension", EXTENSIONS)
@pytest.mark.parametrize("directed", [True, False])
def test_round_trip_keeps_nodes_edges_weights_signs(tmp_path, extension, directed):
    G = signed_graph(directed)
    path = write_graph(G, tmp_path / f"g{extension}")
    H = read_graph(path)
    assert H.is_directed() == directed
    assert set(H) == set(G)
    assert edge_set(H) == edge_set(G)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edges=st.dictionaries(
        st.tuples(st.integers(0, 15), st.integers(0, 15)),
        st.tuples(
            st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).filter(lambda w: w != 0),
            st.integers(1, 50),
        ),
        min_size=1,
        max_size=20,
    ),
    extension=st.sampled_from([".csv", ".graphml", ".gexf", ".json"]),
)
def test_random_graphs_round_trip(tmp_path, edges, extension):
    G = nx.DiGraph()
    for (u, v), (w, count) in edges.items():
        G.add_edge(u, v, weight=w, sign=int(np.sign(w)), count=count)
    path = write_graph(G, tmp_path / f"r{extension}", overwrite=True)
    H = read_graph(path)
    assert set(H) == set(G)
    assert {(u, v): (d["weight"], d["sign"], d["count"]) for u, v, d in H.edges(data=True)} == {
        (u, v): (d["weight"], d["sign"], d["count"]) for u, v, d in G.edges(data=True)
    }


def test_temporal_attributes_survive_an_edge_list_round_trip(tmp_path):
    G = nx.DiGraph()
    G.add_edge(1, 2, weight=3.0, count=3, first_seen=10.0, last_seen=30.0)
    H = read_edgelist(write_graph(G, tmp_path / "t.csv"))
    assert H[1][2] == {"weight": 3.0, "count": 3, "first_seen": 10.0, "last_seen": 30.0}


def test_declared_only_flags_survive_an_edge_list_round_trip(tmp_path):
    G = nx.DiGraph()
    G.add_edge("me", "ann", weight=0.0, declared_only=True)
    G.add_edge("me", "bob", weight=2.0, declared_only=False)
    H = read_edgelist(write_graph(G, tmp_path / "d.csv"))
    assert H["me"]["ann"] == {"weight": 0.0, "declared_only": True}
    assert H["me"]["bob"]["declared_only"] is False


def test_compact_graph_input(tmp_path):
    cg = CompactGraph.from_edges(["ann", "bob"], ["bob", "cy"], [2.0, 0.5])
    H = read_graph(write_graph(cg, tmp_path / "c.graphml"))
    assert sorted(H.edges(data="weight")) == [("ann", "bob", 2.0), ("bob", "cy", 0.5)]


def test_edge_list_layout(tmp_path):
    G = nx.DiGraph()
    G.add_edge("ann", "Sample, Bo", weight=1.0, channel="dm", sign=1)
    text = write_graph(G, tmp_path / "e.csv").read_text()
    assert text.splitlines() == ["source,target,weight,sign,channel", 'ann,"Sample, Bo",1.0,1,dm']
    tab = write_graph(G, tmp_path / "e.tsv").read_text()
    assert tab.splitlines()[0] == "source\ttarget\tweight\tsign\tchannel"


def test_gzip_output_is_reproducible(tmp_path):
    first = write_graph(signed_graph(), tmp_path / "a.csv.gz")
    second = write_graph(signed_graph(), tmp_path / "b.csv.gz")
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()).startswith(b"source,target,weight")


# ---------------------------------------------------------------------------- sanitising
def awkward_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_node("ann", sources=["linkedin", "whatsapp"], nickname=None, score=np.float64(0.5))
    G.add_node("bob", sources=("mbox",), first=datetime(2024, 3, 14, 9, 5, tzinfo=timezone.utc))
    G.add_edge("ann", "bob", weight=np.float32(2.0), channels={"dm", "group"}, note=None)
    G.graph["circles"] = {0: {"circle0": [1, 2]}}
    G.graph["missing"] = None
    return G


@pytest.mark.parametrize("plain_writer", [nx.write_graphml, nx.write_gexf])
def test_plain_networkx_writers_fail_on_awkward_attributes(tmp_path, plain_writer):
    # The failures our sanitiser exists for (networkx #878, #3572, #1490).
    with pytest.raises((nx.NetworkXError, ValueError, TypeError, KeyError)):
        plain_writer(awkward_graph(), tmp_path / "plain.out")


@pytest.mark.parametrize("extension", [".graphml", ".gexf", ".json", ".csv"])
def test_awkward_attributes_are_written(tmp_path, extension):
    H = read_graph(write_graph(awkward_graph(), tmp_path / f"a{extension}"))
    assert H.number_of_edges() == 1 and H["ann"]["bob"]["weight"] == 2.0
    if extension in (".graphml", ".gexf"):
        assert H.nodes["ann"]["sources"] == "linkedin|whatsapp"
        assert "nickname" not in H.nodes["ann"]
        assert H.nodes["bob"]["first"] == "2024-03-14T09:05:00+00:00"
        assert H["ann"]["bob"]["channels"] == "dm|group"
    if extension == ".json":
        assert H.nodes["ann"]["sources"] == ["linkedin", "whatsapp"]
        assert H.graph["circles"] == {"0": {"circle0": [1, 2]}}
    if extension == ".graphml":
        assert H.graph["circles"] == '{"0": {"circle0": [1, 2]}}'


def test_sanitize_rules():
    H = sanitize_graph(awkward_graph())
    assert H.nodes["ann"] == {"sources": "linkedin|whatsapp", "score": 0.5}
    assert type(H.nodes["ann"]["score"]) is float
    assert H["ann"]["bob"] == {"weight": 2.0, "channels": "dm|group"}
    assert "missing" not in H.graph


def test_mixed_attribute_types_are_harmonised():
    G = nx.Graph()
    G.add_node("a", size=1)
    G.add_node("b", size=2.5)
    G.add_node("c", code=7)
    G.add_node("d", code="x")
    H = sanitize_graph(G)
    assert H.nodes["a"]["size"] == 1.0 and type(H.nodes["a"]["size"]) is float
    assert H.nodes["c"]["code"] == "7"


def test_sanitize_leaves_the_input_untouched():
    G = awkward_graph()
    sanitize_graph(G)
    assert G.nodes["ann"]["sources"] == ["linkedin", "whatsapp"]


# ---------------------------------------------------------------------------- safety
def test_refuses_to_overwrite(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("keep me")
    with pytest.raises(IngestError, match="already exists") as e:
        write_graph(signed_graph(), path)
    assert e.value.path == str(path) and path.read_text() == "keep me"
    write_graph(signed_graph(), path, overwrite=True)
    assert path.read_text().startswith("source,target,weight")


def test_failure_mid_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "g.graphml"
    path.write_text("old content")

    def broken_writer(G, handle, **kwargs):
        handle.write(b"<?xml version='1.0'?><graphml>")  # half a file, then a crash
        raise OSError("disk full")

    monkeypatch.setattr(writers.nx, "write_graphml", broken_writer)
    with pytest.raises(OSError, match="disk full"):
        write_graph(signed_graph(), path, overwrite=True)
    assert path.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.graphml"]  # no temp file left


def test_failure_mid_edge_list_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "new.csv"

    def boom(value):
        raise RuntimeError("cannot format")

    monkeypatch.setattr(writers, "_cell", boom)
    with pytest.raises(RuntimeError):
        write_graph(signed_graph(), path)
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_and_extension(tmp_path):
    with pytest.raises(ParameterError, match="cannot tell the output format"):
        write_graph(signed_graph(), tmp_path / "g.xyz")
    with pytest.raises(ParameterError, match="unknown output format"):
        write_graph(signed_graph(), tmp_path / "g.csv", format="pajek")
    path = write_graph(signed_graph(), tmp_path / "g.xyz", format="json")
    assert read_graph(path, format="node-link").number_of_edges() == 3


def test_missing_folder(tmp_path):
    with pytest.raises(IngestError, match="does not exist"):
        write_graph(signed_graph(), tmp_path / "nowhere" / "g.csv")


def test_rejects_non_graphs(tmp_path):
    with pytest.raises(ParameterError, match="networkx graph or a CompactGraph"):
        write_graph({"a": "b"}, tmp_path / "g.csv")


# ---------------------------------------------------------------------------- Gephi
def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_gephi_tables(tmp_path):
    G = nx.Graph()
    G.add_node("p1", label="Ada Example", tier="core", sources=["linkedin", "whatsapp"])
    G.add_node("p2", name="Bo Sample")
    G.add_edge("p1", "p2", weight=0.82, messages_out=41)
    nodes, edges = write_gephi_csv(G, tmp_path / "nodes.csv", tmp_path / "edges.csv")
    assert read_rows(nodes) == [
        ["Id", "Label", "tier", "sources", "name"],
        ["p1", "Ada Example", "core", "linkedin|whatsapp", ""],
        ["p2", "Bo Sample", "", "", "Bo Sample"],
    ]
    assert read_rows(edges) == [
        ["Source", "Target", "Type", "Weight", "messages_out"],
        ["p1", "p2", "Undirected", "0.82", "41"],
    ]
    # Our own edge list reader understands Gephi's table (Type column = undirected).
    H = read_edgelist(edges)
    assert not H.is_directed() and H["p1"]["p2"]["weight"] == 0.82


@pytest.mark.parametrize("hostile", ["=HYPERLINK(1)", "+SUM(A1)", "-2+3", "@cmd", "\tx"])
def test_gephi_cells_are_escaped_against_formulas(tmp_path, hostile):
    G = nx.DiGraph()
    G.add_node("ann", company=hostile)
    G.add_edge("ann", hostile, weight=-3.0, note=hostile)
    nodes, edges = write_gephi_csv(G, tmp_path / "n.csv", tmp_path / "e.csv")
    node_rows, edge_rows = read_rows(nodes), read_rows(edges)
    assert node_rows[1] == ["ann", "ann", "'" + hostile]
    assert node_rows[2][:2] == ["'" + hostile, "'" + hostile]
    assert edge_rows[1] == ["ann", "'" + hostile, "Directed", "-3.0", "'" + hostile]


def test_gephi_refuses_existing_files_before_writing_either(tmp_path):
    (tmp_path / "edges.csv").write_text("keep")
    with pytest.raises(IngestError, match="already exists"):
        write_gephi_csv(signed_graph(), tmp_path / "nodes.csv", tmp_path / "edges.csv")
    assert not (tmp_path / "nodes.csv").exists()
    assert (tmp_path / "edges.csv").read_text() == "keep"


def test_gephi_paths_must_differ(tmp_path):
    with pytest.raises(ParameterError):
        write_gephi_csv(signed_graph(), tmp_path / "x.csv", tmp_path / "x.csv")
