"""Format detection, dispatch by read_graph, and inspect_graph reports."""

from __future__ import annotations

import gzip
import io
import json
import tarfile

import networkx as nx
import pytest

from trustgraph import CompactGraph, IngestError, ParameterError
from trustgraph.ingest.detect import detect_format, inspect_graph, read_graph


@pytest.fixture
def files(tmp_path):
    G = nx.DiGraph([(1, 2, {"weight": 0.5})])
    made = {}
    made["graphml"] = tmp_path / "g.graphml"
    nx.write_graphml(G, made["graphml"])
    made["gexf"] = tmp_path / "g.gexf"
    nx.write_gexf(G, made["gexf"])
    made["node-link"] = tmp_path / "g.json"
    made["node-link"].write_text(json.dumps(nx.node_link_data(G, edges="links")))
    made["csv"] = tmp_path / "g.csv"
    made["csv"].write_text("source,target,weight\n1,2,0.5\n")
    made["gz"] = tmp_path / "g.txt.gz"
    made["gz"].write_bytes(gzip.compress(b"1 2 0.5\n"))
    made["konect"] = tmp_path / "out.example"
    made["konect"].write_text("% asym positive\n1 2 0.5\n")
    made["ego"] = tmp_path / "ego"
    made["ego"].mkdir()
    (made["ego"] / "1.edges").write_text("2 3\n")
    (made["ego"] / "1.feat").write_text("2 0\n3 1\n")
    made["tar"] = tmp_path / "ego.tar.gz"
    with tarfile.open(made["tar"], "w:gz") as archive:
        for name in ("1.edges", "1.feat"):
            data = (made["ego"] / name).read_bytes()
            info = tarfile.TarInfo(f"x/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return made


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("graphml", "graphml"),
        ("gexf", "gexf"),
        ("node-link", "node-link"),
        ("csv", "edgelist"),
        ("gz", "edgelist"),
        ("konect", "edgelist"),
        ("ego", "snap-ego"),
        ("tar", "snap-ego"),
    ],
)
def test_detect_by_extension_and_layout(files, key, expected):
    assert detect_format(files[key]) == expected


@pytest.mark.parametrize(
    ("source", "expected"), [("graphml", "graphml"), ("gexf", "gexf"), ("node-link", "node-link")]
)
def test_detect_by_content_without_extension(files, tmp_path, source, expected):
    bare = tmp_path / "mystery"
    bare.write_bytes(files[source].read_bytes())
    assert detect_format(bare) == expected
    zipped = tmp_path / "mystery.gz"
    zipped.write_bytes(gzip.compress(files[source].read_bytes()))
    assert detect_format(zipped) == expected
    assert read_graph(zipped).number_of_edges() == 1


def test_plain_text_without_extension_is_an_edge_list(tmp_path):
    path = tmp_path / "edges"
    path.write_text("ann bob\n")
    assert detect_format(path) == "edgelist"


@pytest.mark.parametrize("key", ["graphml", "gexf", "node-link", "csv", "gz", "konect"])
def test_read_graph_dispatches(files, key):
    G = read_graph(files[key])
    assert list(G.edges(data="weight")) == [(1, 2, 0.5)]


def test_read_graph_snap_ego(files):
    for key in ("ego", "tar"):
        G = read_graph(files[key])
        assert {frozenset(e) for e in G.edges} == {frozenset(e) for e in [(1, 2), (1, 3), (2, 3)]}


def test_format_forces_the_reader(files, tmp_path):
    odd = tmp_path / "graph.data"
    odd.write_bytes(files["node-link"].read_bytes())
    assert read_graph(odd, format="json").number_of_edges() == 1
    with pytest.raises(IngestError):
        read_graph(files["csv"], format="graphml")


def test_options_pass_through_and_are_checked(files):
    cg = read_graph(files["csv"], compact=True, directed=False)
    assert isinstance(cg, CompactGraph) and not cg.directed
    with pytest.raises(ParameterError, match="delimiter"):
        read_graph(files["graphml"], delimiter=",")
    with pytest.raises(ParameterError, match="unknown graph format"):
        read_graph(files["csv"], format="pajek")


def test_detect_errors(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        detect_format(tmp_path / "absent.csv")
    (tmp_path / "folder").mkdir()
    with pytest.raises(IngestError, match=r"without <ego>\.edges"):
        detect_format(tmp_path / "folder")
    empty = tmp_path / "empty"
    empty.write_text("")
    with pytest.raises(IngestError, match="empty"):
        detect_format(empty)
    xml = tmp_path / "other"
    xml.write_text("<?xml version='1.0'?><svg/>")
    with pytest.raises(IngestError, match="neither GraphML nor GEXF"):
        detect_format(xml)
    archive = tmp_path / "a.tar"
    with tarfile.open(archive, "w") as handle:
        info = tarfile.TarInfo("readme.txt")
        handle.addfile(info, io.BytesIO(b""))
    with pytest.raises(IngestError, match="archive without"):
        detect_format(archive)


def test_inspect_graph_reports(files):
    report = inspect_graph(files["konect"])
    assert report.format == "edgelist" and report.variant.startswith("konect")
    assert report.records["edges"] == 1 and report.skipped["comment line"] == 1
    assert report.as_dict()["path"] == str(files["konect"])
    ego = inspect_graph(files["tar"])
    assert ego.format == "snap-ego" and ego.records["egos"] == 1


def test_inspect_fails_loudly_on_bad_files(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source,target,weight\na,b,x\n")
    with pytest.raises(IngestError, match=":2:"):
        inspect_graph(path)


@pytest.mark.parametrize(
    "line",
    [
        "[06/2018/13, 21:25:15] Wilma: hello",  # the year in the middle (Pustur's format10)
        "13. 6. 2018. 21:25:15 Wilma: hello",  # a space after each dot (Pustur's format6)
    ],
)
def test_a_chat_line_is_never_read_as_an_edge_list(tmp_path, line):
    # Before, the first line read as a 2-node edge list: a chat silently became a graph.
    path = tmp_path / "chat.txt"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"looks like a chat export|not a graph file"):
        read_graph(path)
