"""The public datasets in ../shared/data read with the exact counts their READMEs state.

Each expected number comes from the dataset's README (measured independently of this
code and matching the publisher's statistics), never from this reader's output.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from trustgraph.ingest.detect import detect_format, inspect_graph, read_graph
from trustgraph.ingest.edgelist import read_edgelist
from trustgraph.ingest.labels import read_node_labels
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.snap_ego import read_snap_ego

pytestmark = pytest.mark.data


def dataset(shared_data: Path, *parts: str) -> Path:
    path = shared_data.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


def test_bitcoin_otc_signed(shared_data):
    path = dataset(shared_data, "bitcoin-otc", "soc-sign-bitcoinotc.csv.gz")
    report = ReadReport(path="", format="")
    G = read_graph(path, report=report)
    assert G.is_directed()
    assert G.number_of_nodes() == 5_881 and G.number_of_edges() == 35_592
    signs = [d["sign"] for *_, d in G.edges(data=True)]
    assert signs.count(-1) == 3_563 and signs.count(1) == 32_029
    assert all(-10 <= w <= 10 and w != 0 for *_, w in G.edges(data="weight"))
    assert nx.number_of_selfloops(G) == 0
    # SNAP: ratings span 2010-11-08 .. 2016-01-25.
    assert report.first_seen.date().isoformat() == "2010-11-08"
    assert report.last_seen.date().isoformat() == "2016-01-25"
    assert report.records["negative_edges"] == 3_563
    assert "delimiter=comma" in report.variant


def test_advogato_header_self_loops_and_levels(shared_data):
    path = dataset(shared_data, "advogato", "out.advogato")
    assert detect_format(path) == "edgelist"
    report = inspect_graph(path)
    assert report.skipped["header line"] == 1
    assert "source_id, target_id, trust_value" in " ".join(report.notes)
    assert report.records["edges"] == 51_127 and report.records["nodes"] == 6_539
    assert report.records["self_loops"] == 3_992
    G = read_edgelist(path)
    levels = [w for *_, w in G.edges(data="weight")]
    assert (levels.count(0.6), levels.count(0.8), levels.count(1.0)) == (10_554, 22_570, 18_003)
    assert nx.number_of_selfloops(G) == 3_992


def test_email_eu_core_with_departments(shared_data):
    edges = dataset(shared_data, "email-eu-core", "email-Eu-core.txt.gz")
    labels_path = dataset(shared_data, "email-eu-core", "email-Eu-core-department-labels.txt")
    G = read_graph(edges)
    assert G.number_of_nodes() == 1_005 and G.number_of_edges() == 25_571
    assert nx.number_of_selfloops(G) == 642
    assert b"\r\n" in labels_path.read_bytes()[:20]  # the CRLF copy the README describes
    labels = read_node_labels(labels_path)
    assert len(labels) == 1_005 and len(set(labels.values())) == 42
    assert set(labels) == set(G)
    assert all(isinstance(v, int) for v in labels.values())
    # SNAP's statistics: largest weakly connected component 986 nodes.
    assert max(len(c) for c in nx.weakly_connected_components(G)) == 986


def test_college_msg_temporal_pairs(shared_data):
    path = dataset(shared_data, "college-msg", "CollegeMsg.txt")
    report = ReadReport(path="", format="")
    cg = read_graph(path, compact=True, report=report)
    assert report.skipped["header line"] == 1
    assert report.records["rows"] == 59_835
    assert cg.directed and cg.n_nodes == 1_899 and cg.n_edges == 20_296
    assert cg.weights.sum() == 59_835 and cg.edge_attrs["count"].sum() == 59_835
    assert cg.n_self_loops == 0
    span_days = (report.last_seen - report.first_seen).total_seconds() / 86_400
    assert 193 < span_days < 194  # README: 193.7 days
    G = read_edgelist(path)
    assert sum(w for *_, w in G.edges(data="weight")) == 59_835
    # SNAP / SuiteSparse: 601 strongly connected components.
    assert nx.number_strongly_connected_components(G) == 601


def test_ego_facebook_from_the_archive(shared_data):
    path = dataset(shared_data, "ego-facebook", "facebook.tar.gz")
    assert detect_format(path) == "snap-ego"
    G = read_snap_ego(path)
    assert not G.is_directed()
    assert G.number_of_nodes() == 4_039 and G.number_of_edges() == 88_234
    circles = G.graph["circles"]
    per_ego = {ego: len(c) for ego, c in circles.items()}
    assert per_ego == {
        0: 24, 107: 9, 348: 14, 414: 7, 686: 14, 698: 13, 1684: 17, 1912: 46, 3437: 32, 3980: 17
    }  # fmt: skip
    assert sum(per_ego.values()) == 193
    assert all(0 in G.nodes[n]["egos"] for n in G[0])
