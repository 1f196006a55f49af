"""GraphML, GEXF and node-link readers: networkx parsing with trustgraph errors."""

from __future__ import annotations

import gzip
import json

import networkx as nx
import pytest

from trustgraph import CompactGraph, IngestError
from trustgraph.ingest.graphfiles import read_gexf, read_graphml, read_node_link
from trustgraph.ingest.records import ReadReport


def sample() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node(1, tier="core")
    G.add_edge(1, 2, weight=0.5, sign=1)
    G.add_edge(2, 3, weight=-2.0, sign=-1)
    G.add_edge(3, 3, weight=1.0, sign=1)
    return G


def test_graphml_reads_ints_back_and_reports(tmp_path):
    path = tmp_path / "g.graphml"
    nx.write_graphml(sample(), path)
    report = ReadReport(path="", format="")
    G = read_graphml(path, report=report)
    assert sorted(G.edges(data="weight")) == [(1, 2, 0.5), (2, 3, -2.0), (3, 3, 1.0)]
    assert G.nodes[1]["tier"] == "core"
    assert report.format == "graphml"
    assert report.records["nodes"] == 3 and report.records["edges"] == 3
    assert report.records["self_loops"] == 1 and report.records["negative_edges"] == 1


def test_graphml_string_ids_stay_strings(tmp_path):
    path = tmp_path / "g.graphml"
    nx.write_graphml(nx.Graph([("ann", "bob"), ("1", "cy")]), path)
    assert set(read_graphml(path)) == {"ann", "bob", "1", "cy"}
    assert set(read_graphml(tmp_path / "g.graphml", nodetype=str)) == {"ann", "bob", "1", "cy"}


def test_graphml_gzip_and_compact(tmp_path):
    path = tmp_path / "g.graphml.gz"
    with gzip.open(path, "wb") as handle:
        nx.write_graphml(sample(), handle)
    cg = read_graphml(path, compact=True)
    assert isinstance(cg, CompactGraph) and cg.n_edges == 3 and cg.directed


def test_malformed_graphml_names_the_line(tmp_path):
    path = tmp_path / "bad.graphml"
    path.write_text(
        '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        '<graph edgedefault="directed">\n<node id="a">\n</graph>\n</graphml>\n'
    )
    with pytest.raises(IngestError, match="not well-formed GraphML") as e:
        read_graphml(path)
    assert e.value.path == str(path) and e.value.line == 5


def test_graphml_without_graph_is_an_error(tmp_path):
    path = tmp_path / "empty.graphml"
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"/>'
    )
    with pytest.raises(IngestError) as e:
        read_graphml(path)
    assert e.value.path == str(path)


def test_gexf_round_trip_and_no_invented_labels(tmp_path):
    path = tmp_path / "g.gexf"
    nx.write_gexf(sample(), path)
    G = read_gexf(path)
    assert sorted(G.edges(data="weight")) == [(1, 2, 0.5), (2, 3, -2.0), (3, 3, 1.0)]
    assert "label" not in G.nodes[2]
    assert G[2][3]["sign"] == -1


def test_truncated_gexf(tmp_path):
    path = tmp_path / "cut.gexf"
    nx.write_gexf(sample(), path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(IngestError, match="GEXF") as e:
        read_gexf(path)
    assert e.value.line is not None and e.value.path == str(path)


@pytest.mark.parametrize("key", ["edges", "links"])
def test_node_link_with_either_edge_key(tmp_path, key):
    data = {
        "directed": True,
        "multigraph": False,
        "graph": {},
        "nodes": [{"id": "ann"}, {"id": "bob", "tier": "core"}],
        key: [{"source": "ann", "target": "bob", "weight": 2.0}],
    }
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data))
    report = ReadReport(path="", format="")
    G = read_node_link(path, report=report)
    assert G.is_directed() and list(G.edges(data="weight")) == [("ann", "bob", 2.0)]
    assert G.nodes["bob"]["tier"] == "core"
    assert report.variant == f"{key} key"


def test_truncated_json_names_the_line(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{\n "nodes": [\n  {"id": 1},\n  {"id": 2}\n ],\n "edges": [\n  {"source": 1,')
    with pytest.raises(IngestError, match="invalid JSON") as e:
        read_node_link(path)
    assert e.value.path == str(path) and e.value.line == 7


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("[1, 2]", "'nodes' list"),
        ('{"nodes": [{"id": 1}]}', "no 'edges' or 'links'"),
        ('{"nodes": [{"name": 1}], "edges": []}', "node #0 has no 'id'"),
        ('{"nodes": [{"id": 1}], "links": [{"source": 1}]}', "link #0 lacks"),
        ('{"nodes": [{"id": 1}], "edges": 3}', "must be a list"),
    ],
)
def test_json_that_is_not_node_link(tmp_path, payload, message):
    path = tmp_path / "g.json"
    path.write_text(payload)
    with pytest.raises(IngestError, match=message) as e:
        read_node_link(path)
    assert e.value.path == str(path)


def test_json_with_bad_bytes_names_the_line(tmp_path):
    path = tmp_path / "g.json"
    path.write_bytes(b'{"nodes": [\n{"id": "ren\xe9e"}], "edges": []}')
    with pytest.raises(IngestError, match="not valid utf-8") as e:
        read_node_link(path)
    assert e.value.line == 2


def test_empty_graph_is_an_error(tmp_path):
    path = tmp_path / "g.json"
    path.write_text('{"nodes": [], "edges": []}')
    with pytest.raises(IngestError, match="no nodes"):
        read_node_link(path)
