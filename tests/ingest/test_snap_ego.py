"""SNAP ego networks from a folder or a tar archive, on tiny hand-made collections."""

from __future__ import annotations

import io
import tarfile

import pytest

from trustgraph import CompactGraph, IngestError
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.snap_ego import is_snap_ego, read_snap_ego

# Two egos, 10 and 20. Ego 10's alters: 1, 2, 3 (1-2 linked); ego 20's alters: 2, 4
# (2-4 linked, and "4 2" repeats it). Hand count: nodes {10, 20, 1, 2, 3, 4} = 6;
# edges 10-1 10-2 10-3 1-2 20-2 20-4 2-4 = 7.
COLLECTION = {
    "net/10.edges": "1 2\n",
    "net/10.feat": "1 0 1\n2 1 0\n3 0 0\n",
    "net/10.circles": "circle0\t1\t2\ncircle1\t3\n",
    "net/10.egofeat": "1 1\n",
    "net/10.featnames": "0 gender;anonymized feature 0\n1 school;anonymized feature 1\n",
    "net/20.edges": "2 4\n4 2\n",
    "net/20.feat": "2 1\n4 0\n",
    "net/20.circles": "friends\t2\t4\n",
}
EXPECTED_EDGES = {
    frozenset(e) for e in [(10, 1), (10, 2), (10, 3), (1, 2), (20, 2), (20, 4), (2, 4)]
}


def make_folder(root, files=COLLECTION):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def make_tar(path, files=COLLECTION):
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture(params=["folder", "tar"])
def collection(request, tmp_path):
    if request.param == "folder":
        return make_folder(tmp_path / "ego")
    return make_tar(tmp_path / "ego.tar.gz")


def test_combined_graph(collection):
    report = ReadReport(path="", format="")
    G = read_snap_ego(collection, report=report)
    assert not G.is_directed()
    assert set(G) == {10, 20, 1, 2, 3, 4}
    assert {frozenset(e) for e in G.edges} == EXPECTED_EDGES
    assert all(w == 1.0 for *_, w in G.edges(data="weight"))
    assert report.records["egos"] == 2 and report.records["circles"] == 3
    assert report.records["nodes"] == 6 and report.records["edges"] == 7


def test_circles_and_membership(collection):
    G = read_snap_ego(collection)
    assert G.graph["circles"] == {10: {"circle0": [1, 2], "circle1": [3]}, 20: {"friends": [2, 4]}}
    assert G.graph["egos"] == [10, 20]
    assert G.nodes[2]["egos"] == (10, 20)
    assert G.nodes[10]["egos"] == (10,)
    assert G.nodes[3]["egos"] == (10,)


def test_compact_and_directed(collection):
    cg = read_snap_ego(collection, compact=True)
    assert isinstance(cg, CompactGraph) and cg.n_edges == 7
    assert cg.graph_attrs["circles"][20] == {"friends": [2, 4]}
    D = read_snap_ego(collection, directed=True)
    # Directed: ego -> alter arcs plus the listed arcs (2 -> 4 and 4 -> 2 are distinct).
    assert D.is_directed() and D.number_of_edges() == 8
    assert D.has_edge(10, 3) and not D.has_edge(3, 10)


def test_detection(tmp_path):
    assert is_snap_ego(make_folder(tmp_path / "f"))
    assert is_snap_ego(make_tar(tmp_path / "t.tar.gz"))
    (tmp_path / "plain.txt").write_text("1 2\n")
    assert not is_snap_ego(tmp_path / "plain.txt")


def test_bad_edges_line_names_member_and_line(tmp_path):
    files = dict(COLLECTION, **{"net/20.edges": "2 4\n2 4 9\n"})
    path = make_tar(tmp_path / "bad.tar.gz", files)
    with pytest.raises(IngestError, match="expected 2 node ids") as e:
        read_snap_ego(path)
    assert e.value.path.endswith("bad.tar.gz:net/20.edges") and e.value.line == 2


def test_missing_feat(tmp_path):
    files = {k: v for k, v in COLLECTION.items() if k != "net/20.feat"}
    with pytest.raises(IngestError, match=r"ego 20 has no 20\.feat"):
        read_snap_ego(make_folder(tmp_path / "f", files))


def test_duplicate_circle(tmp_path):
    files = dict(COLLECTION, **{"net/20.circles": "friends\t2\nfriends\t4\n"})
    with pytest.raises(IngestError, match="listed twice") as e:
        read_snap_ego(make_folder(tmp_path / "f", files))
    assert e.value.line == 2


def test_not_a_collection(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError, match="not a SNAP ego-network"):
        read_snap_ego(tmp_path / "empty")
    with pytest.raises(IngestError, match="no such file"):
        read_snap_ego(tmp_path / "absent.tar.gz")
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    with pytest.raises(IngestError, match="cannot read the archive"):
        read_snap_ego(broken)
