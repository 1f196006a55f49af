"""Large-graph plumbing: save/load of CompactGraph folders, the pyarrow edge reader, memory.

Oracles: the in-memory graph a folder was saved from, and the plain Python reader (the
reference tokeniser) for the pyarrow path.
"""

from __future__ import annotations

import gzip
import mmap
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from trustgraph.algorithms.random_walk import personalized_pagerank
from trustgraph.core.compact import CompactGraph, _LazyArrays, is_compact_folder
from trustgraph.datasets import powerlaw_graph
from trustgraph.exceptions import GraphError, IngestError
from trustgraph.ingest.detect import detect_format, read_graph
from trustgraph.ingest.edgecolumns import read_edge_columns
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.writers import write_graph

pa = pytest.importorskip("pyarrow", reason="pyarrow not installed (the [io] extra)")


def same_graph(a: CompactGraph, b: CompactGraph) -> None:
    assert a.nodes == b.nodes
    assert a.directed == b.directed
    assert np.array_equal(a.adjacency.indptr, b.adjacency.indptr)
    assert np.array_equal(a.adjacency.indices, b.adjacency.indices)
    assert np.array_equal(a.weights, b.weights)
    assert sorted(a.edge_attrs) == sorted(b.edge_attrs)
    for name in a.edge_attrs:
        assert np.array_equal(a.edge_attrs[name], b.edge_attrs[name])
        assert a.edge_attrs[name].dtype == b.edge_attrs[name].dtype


# ------------------------------------------------------------------ save / load
def backed_by_file(array) -> bool:
    """Whether the array's memory is a file mapping (following view bases)."""
    while array is not None:
        if isinstance(array, (np.memmap, mmap.mmap)):
            return True
        array = getattr(array, "base", None)
    return False


@pytest.mark.parametrize("mmap", [True, False])
def test_round_trip_with_string_labels_and_attributes(tmp_path, mmap):
    cg = CompactGraph.from_edges(
        ["ann@example.com", "bob", "ann@example.com", "ünï"],
        ["bob", "cy", "cy", "ann@example.com"],
        [2.0, 1.0, 0.5, 3.0],
        edge_attrs={"count": [2, 1, 1, 4], "first_seen": [1.0, 2.0, 3.0, 4.0]},
        node_attrs=None,
        graph_attrs={"name": "fixture", "version": np.int64(3)},
    )
    folder = cg.save(tmp_path / "g.tgc")
    assert is_compact_folder(folder)
    back = CompactGraph.load(folder, mmap=mmap)
    same_graph(cg, back)
    assert back.graph_attrs["name"] == "fixture"
    assert back.graph_attrs["version"] == 3


def test_mmap_arrays_are_mapped_read_only_and_attributes_load_on_demand(tmp_path):
    cg = powerlaw_graph(500, 3000, seed=2)
    with_attrs = CompactGraph(
        cg.nodes,
        cg.adjacency,
        edge_attrs={"count": np.arange(cg.n_stored), "sign": np.ones(cg.n_stored, np.int8)},
        node_attrs=cg.node_attrs,
    )
    back = CompactGraph.load(with_attrs.save(tmp_path / "g.tgc"))
    assert isinstance(back.edge_attrs, _LazyArrays)
    assert back.edge_attrs._loaded == {}  # nothing read before it is asked for
    assert backed_by_file(back.adjacency.data) and backed_by_file(back.adjacency.indices)
    assert not back.adjacency.data.flags.writeable
    assert back.edge_attrs["count"].tolist() == list(range(cg.n_stored))
    assert list(back.edge_attrs._loaded) == ["count"]
    assert back.node_attrs["community"] == cg.node_attrs["community"]
    # Algorithms run on the mapped graph and agree with the in-memory one.
    assert personalized_pagerank(back, [0]) == personalized_pagerank(with_attrs, [0])


@pytest.mark.parametrize(
    "labels",
    [
        [10, 20, 30],
        ["line\nbreak", "plain", "x"],  # a line break forces the JSON label file
        [1, "a", 2.5],
    ],
)
def test_label_kinds_round_trip(tmp_path, labels):
    cg = CompactGraph.from_edges(labels[:2], labels[1:], [1.0, 2.0], directed=False)
    back = CompactGraph.load(cg.save(tmp_path / "g.tgc"))
    same_graph(cg, back)
    assert [type(x) for x in back.nodes] == [type(x) for x in cg.nodes]


def test_empty_graph_round_trip(tmp_path):
    cg = CompactGraph.from_edges([], [], nodes=["lonely"])
    back = CompactGraph.load(cg.save(tmp_path / "g.tgc"))
    assert back.nodes == ("lonely",) and back.n_edges == 0


def test_save_refuses_to_overwrite_unless_asked(tmp_path):
    cg = CompactGraph.from_edges(["a"], ["b"])
    folder = cg.save(tmp_path / "g.tgc")
    with pytest.raises(GraphError, match="exists"):
        cg.save(folder)
    other = CompactGraph.from_edges(["x"], ["y"], [5.0])
    other.save(folder, overwrite=True)
    assert CompactGraph.load(folder).nodes == ("x", "y")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "keep.txt").write_text("mine")
    with pytest.raises(GraphError, match="not a saved CompactGraph"):
        cg.save(tmp_path / "data", overwrite=True)
    assert (tmp_path / "data" / "keep.txt").read_text() == "mine"


def test_load_rejects_other_folders_and_damage(tmp_path):
    with pytest.raises(GraphError, match="not a folder written"):
        CompactGraph.load(tmp_path)
    folder = CompactGraph.from_edges(["a", "b"], ["b", "c"]).save(tmp_path / "g.tgc")
    np.save(folder / "indices.npy", np.zeros(5, dtype=np.int32))
    with pytest.raises(GraphError, match="do not match"):
        CompactGraph.load(folder)


def test_read_graph_and_write_graph_use_the_folder_format(tmp_path):
    G = nx.DiGraph()
    G.add_edge("ann", "bob", weight=2.0, count=3)
    written = write_graph(G, tmp_path / "trust.tgc")
    assert detect_format(written) == "compact"
    report = ReadReport(path="", format="")
    cg = read_graph(written, report=report)
    assert isinstance(cg, CompactGraph)
    assert cg.nodes == ("ann", "bob") and cg.weights.tolist() == [2.0]
    assert cg.edge_attrs["count"].tolist() == [3]
    assert report.format == "compact" and report.records["edges"] == 1
    with pytest.raises(IngestError):
        write_graph(G, tmp_path / "trust.tgc")


def test_resident_bytes_per_edge_at_most_16():
    cg = powerlaw_graph(20_000, 200_000, seed=3)
    a = cg.adjacency
    assert a.indices.dtype == np.int32 and a.indptr.dtype == np.int32
    per_edge = (a.data.nbytes + a.indices.nbytes + a.indptr.nbytes) / cg.n_stored
    assert per_edge <= 16


def test_int64_index_arrays_are_narrowed():
    import scipy.sparse as sp

    m = sp.csr_array(
        (np.ones(2), np.array([1, 0], dtype=np.int64), np.array([0, 1, 2], dtype=np.int64)),
        shape=(2, 2),
    )
    cg = CompactGraph(["a", "b"], m)
    assert cg.adjacency.indices.dtype == np.int32
    assert cg.adjacency.toarray().tolist() == [[0.0, 1.0], [1.0, 0.0]]


# ------------------------------------------------------------------ pyarrow reader
def write(path: Path, text: str, gz: bool = False) -> Path:
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def random_rows(n_rows: int, strings: bool, seed: int = 0) -> list[tuple[str, str, str]]:
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 300, n_rows)
    v = rng.integers(0, 300, n_rows)
    w = rng.geometric(0.3, n_rows) / 4
    name = (lambda i: f"person{i}@example.com") if strings else str
    return [(name(a), name(b), repr(float(c))) for a, b, c in zip(u, v, w)]


def both_engines(path: Path, **options):
    fast_report = ReadReport(path="", format="")
    plain_report = ReadReport(path="", format="")
    fast = read_edge_columns(path, engine="pyarrow", report=fast_report, **options)
    plain = read_edge_columns(path, engine="python", report=plain_report, **options)
    return fast, plain, fast_report, plain_report


@pytest.mark.parametrize("strings", [False, True])
@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_pyarrow_and_plain_readers_give_the_same_graph(tmp_path, strings, header, gz, delimiter):
    rows = random_rows(2000, strings)
    lines = [delimiter.join(row) for row in rows]
    if header:
        lines.insert(0, delimiter.join(["source", "target", "weight"]))
    text = "# generated fixture\n% second comment\n" + "\n".join(lines) + "\n"
    path = write(tmp_path / ("e.csv.gz" if gz else "e.csv"), text, gz=gz)
    fast, plain, fast_report, plain_report = both_engines(path)
    assert fast.sources.dtype == plain.sources.dtype
    assert np.array_equal(fast.sources, plain.sources)
    assert np.array_equal(fast.targets, plain.targets)
    assert np.array_equal(fast.weights, plain.weights)
    assert np.array_equal(fast.lines, plain.lines)
    assert fast.header == plain.header and fast.delimiter == plain.delimiter
    assert fast_report.as_dict() == plain_report.as_dict()
    a = CompactGraph.from_edges(fast.sources, fast.targets, fast.weights)
    b = CompactGraph.from_edges(plain.sources, plain.targets, plain.weights)
    same_graph(a, b)


def test_leading_zero_ids_stay_strings(tmp_path):
    path = write(tmp_path / "e.csv", "source,target\n007,7\n8,9\n")
    fast, plain, _, _ = both_engines(path)
    assert fast.sources.tolist() == plain.sources.tolist() == ["007", "8"]
    assert fast.targets.dtype.kind == plain.targets.dtype.kind == "U"


@pytest.mark.parametrize(
    "text",
    [
        "a,b,1\n# a comment in the middle\nb,c,2\n",  # comment mid-file: plain reader
        "a,b,1\n\nb,c,2\n",  # blank line mid-file
        "a,b,1\n b ,c,2\n",  # cells with spaces are stripped by the plain reader
        "# c\na,b,1\nb,c,2\n#,x,3\n",  # a comment row of the right width
    ],
)
def test_files_pyarrow_cannot_read_exactly_fall_back(tmp_path, text):
    path = write(tmp_path / "e.csv", text)
    fast, plain, fast_report, plain_report = both_engines(path)
    assert fast.sources.tolist() == plain.sources.tolist()
    assert fast.lines.tolist() == plain.lines.tolist()
    assert fast_report.as_dict() == plain_report.as_dict()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("source,target,weight\na,b,1\nb,c,heavy\n", "not a number"),
        ("source,target,weight\na,b,1\nb,c\n", "found 2 columns"),
        ("source,target,weight\na,b,1\nb,c,inf\n", "not a finite number"),
        ("source,target,weight\na,b,1\n,c,1\n", "empty node id"),
    ],
)
def test_bad_input_gets_the_plain_readers_message(tmp_path, text, message):
    path = write(tmp_path / "e.csv", text)
    errors = []
    for engine in ("pyarrow", "python"):
        with pytest.raises(IngestError, match=message) as caught:
            read_edge_columns(path, engine=engine)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_unknown_engine_is_rejected(tmp_path):
    from trustgraph.exceptions import ParameterError

    path = write(tmp_path / "e.csv", "a,b\n")
    with pytest.raises(ParameterError, match="engine"):
        read_edge_columns(path, engine="fast")


# ------------------------------------------------------------------ fast construction paths
@pytest.mark.parametrize("rule", ["sum", "first", "last", "max"])
@pytest.mark.parametrize("strings", [False, True])
def test_hashed_intern_and_compiled_sort_match_the_reference_paths(monkeypatch, rule, strings):
    """pyarrow interning and scipy's COO->CSR sort give the graph the lexsort path gives."""
    from trustgraph.core import build, intern

    rng = np.random.default_rng(5)
    m = 150_000
    u = rng.integers(0, 400, m)  # few nodes: many repeated pairs exercise the run fix-up
    v = rng.integers(0, 400, m)
    if strings:
        u = np.char.add("n", u.astype(str))
        v = np.char.add("n", v.astype(str))
    weights = rng.random(m)
    attrs = {"count": np.arange(m), "first_seen": rng.random(m)}
    fast = CompactGraph.from_edges(u, v, weights, edge_attrs=attrs, duplicates=rule)
    monkeypatch.setattr(intern, "_HASH_INTERN_MIN", 10**12)
    monkeypatch.setattr(build, "_coo_tocsr", None)
    reference = CompactGraph.from_edges(u, v, weights, edge_attrs=attrs, duplicates=rule)
    same_graph(fast, reference)
    same_graph(fast.reverse(), reference.reverse())
    assert fast.graph_attrs["duplicates_merged"] == reference.graph_attrs["duplicates_merged"]


# ------------------------------------------------------------------ fast id paths (issue 9)
@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["+5", "6"], ["+5", "6"]),  # a plus sign is part of the identifier
        (["-0", "1"], ["-0", "1"]),
        (["-05", "1"], ["-05", "1"]),
        (["0x10", "1"], ["0x10", "1"]),  # pyarrow casts "0x10" to 16: must stay text
        (["007", "7"], ["007", "7"]),
        (["0", "10"], [0, 10]),  # a lone zero is an exact integer
        (["-3", "-12"], [-3, -12]),  # negative ids
        ([str(2**53 + 1), str(2**63 - 1)], [2**53 + 1, 2**63 - 1]),  # beyond float64
        (["9223372036854775808", "1"], ["9223372036854775808", "1"]),  # beyond int64
    ],
)
def test_integer_id_spellings_match_the_plain_reader(tmp_path, cells, expected):
    # The second column is always plain integers so only the first decides the type.
    rows = [f"{cell},{i + 100},1" for i, cell in enumerate(cells)]
    path = write(tmp_path / "e.csv", "source,target,weight\n" + "\n".join(rows) + "\n")
    fast, plain, _, _ = both_engines(path)
    assert fast.sources.dtype == plain.sources.dtype
    assert fast.sources.tolist() == plain.sources.tolist()
    assert fast.targets.tolist() == plain.targets.tolist()
    # Mixed columns (one side text) make both sides text, as in the plain reader.
    as_text = [str(x) for x in expected]
    assert fast.sources.tolist() in (expected, as_text)
    assert (fast.sources.dtype.kind == "U") == any(isinstance(x, str) for x in expected)


def test_mixed_integer_and_text_ids_are_text_on_both_sides(tmp_path):
    path = write(tmp_path / "e.csv", "source,target\nann,7\n8,9\n")
    fast, plain, _, _ = both_engines(path)
    assert fast.sources.tolist() == plain.sources.tolist() == ["ann", "8"]
    assert fast.targets.tolist() == plain.targets.tolist() == ["7", "9"]


def test_exact_int_check_reads_sliced_arrow_buffers():
    """The buffer check must honour an array's offset (a slice starts mid-buffer)."""
    pa = pytest.importorskip("pyarrow")
    from trustgraph.ingest.edgecolumns import _exact_ints

    whole = pa.array(["007", "+1", "-0", "5", "-12", "0"])
    assert _exact_ints(whole) is None
    assert _exact_ints(whole.slice(3)).tolist() == [5, -12, 0]
    assert _exact_ints(whole.slice(2)) is None  # "-0" first
    assert _exact_ints(whole.slice(0, 1)) is None


def naive_intern(labels):
    ids: dict = {}
    codes = [ids.setdefault(label, len(ids)) for label in labels]
    return list(ids), codes


@pytest.mark.parametrize(
    "make",
    [
        lambda rng: rng.integers(-500, 500, 200_000),  # negative ids: the table is shifted
        lambda rng: rng.integers(2**53, 2**53 + 1000, 200_000),  # beyond float64 precision
        lambda rng: rng.integers(-128, 128, 200_000).astype(np.int8),  # span overflows int8
        lambda rng: rng.integers(0, 2**62, 200_000),  # too sparse for a table: hashing
        lambda rng: np.array([2**63 + 3, 5, 2**64 - 1] * 70_000, dtype=np.uint64),
    ],
)
def test_integer_interning_keeps_first_appearance_order(make):
    from trustgraph.core.compact import _intern

    labels = make(np.random.default_rng(11))
    uniques, codes = _intern(labels)
    expected_uniques, expected_codes = naive_intern(labels.tolist())
    assert uniques == expected_uniques
    assert all(type(u) is int for u in uniques)
    assert np.array_equal(codes, expected_codes)


def test_constant_edge_attribute_is_copied_not_frozen_in_place():
    counts = np.ones(4, dtype=np.int64)
    cg = CompactGraph.from_edges([3, 1, 2, 1], [1, 2, 3, 3], edge_attrs={"count": counts})
    assert counts.flags.writeable  # the caller's array is not the graph's
    counts[0] = 9
    assert cg.edge_attrs["count"].tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize("shift", [0, -(2**40), 2**53])
@pytest.mark.parametrize("directed", [True, False])
def test_integer_endpoint_interning_matches_the_reference_path(monkeypatch, shift, directed):
    """Sources and targets interned in place give the interleaved lexsort path's graph."""
    from trustgraph.core import intern

    rng = np.random.default_rng(8)
    m = 60_000
    u = rng.integers(0, 3000, m) + shift
    v = rng.integers(0, 3000, m) + shift
    weights = rng.random(m)
    fast = CompactGraph.from_edges(u, v, weights, directed=directed)
    monkeypatch.setattr(intern, "_HASH_INTERN_MIN", 10**12)
    reference = CompactGraph.from_edges(u, v, weights, directed=directed)
    same_graph(fast, reference)
    # Node order is first appearance in u0, v0, u1, v1, ...
    assert list(fast.nodes) == naive_intern(np.column_stack([u, v]).ravel().tolist())[0]
