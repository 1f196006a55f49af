"""Edge list reader: layouts, header and delimiter detection, temporal and signed lists,
duplicates, self-loops, and one test per bad input (each naming the file and line)."""

from __future__ import annotations

import gzip
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph import CompactGraph, IngestError, ParameterError
from trustgraph.ingest.edgelist import read_edge_columns, read_edgelist
from trustgraph.ingest.records import ReadReport


def write(tmp_path: Path, text: str, name: str = "edges.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def fresh_report() -> ReadReport:
    return ReadReport(path="", format="")


# ---------------------------------------------------------------------------- layouts
@pytest.mark.parametrize(
    ("text", "delimiter_name"),
    [
        ("source,target,weight\nann,bob,2\nbob,cy,0.5\n", "comma"),
        ("source\ttarget\tweight\nann\tbob\t2\nbob\tcy\t0.5\n", "tab"),
        ("source;target;weight\nann;bob;2\nbob;cy;0.5\n", "semicolon"),
        ("source target weight\nann bob 2\nbob   cy 0.5\n", "whitespace"),
    ],
)
def test_delimiters_are_detected_and_reported(tmp_path, text, delimiter_name):
    report = fresh_report()
    G = read_edgelist(write(tmp_path, text), report=report)
    assert isinstance(G, nx.DiGraph)
    assert sorted(G.edges(data="weight")) == [("ann", "bob", 2.0), ("bob", "cy", 0.5)]
    assert f"delimiter={delimiter_name}" in report.variant
    assert "header" in report.variant and "no header" not in report.variant
    assert report.skipped["header line"] == 1


def test_headerless_column_counts_follow_snap_layout(tmp_path):
    two = read_edgelist(write(tmp_path, "1 2\n2 3\n", "two.txt"))
    assert all(w == 1.0 for *_, w in two.edges(data="weight"))
    three = read_edgelist(write(tmp_path, "1 2 0.8\n2 3 0.6\n", "three.txt"))
    assert three[1][2]["weight"] == 0.8 and "count" not in three[1][2]
    four = read_edgelist(write(tmp_path, "1,2,-3,1289241911.5\n", "four.csv"))
    assert four[1][2] == {
        "weight": -3.0,
        "count": 1,
        "first_seen": 1289241911.5,
        "last_seen": 1289241911.5,
        "sign": -1,
    }


@pytest.mark.parametrize(
    "first_line",
    [
        "Source,Target,Weight",  # Gephi
        "src,dst,w",
        "from,to,trust",
        "source_id,target_id,trust_value",  # the Advogato copy in ../shared/data
        "Id,Source,Target,Weight",  # a Gephi edge table with edge ids
        "node1,node2,rating",
    ],
)
def test_known_header_names_are_detected(tmp_path, first_line):
    row = "7,1,2,0.5" if first_line.startswith("Id") else "1,2,0.5"
    G = read_edgelist(write(tmp_path, f"{first_line}\n{row}\n", "h.csv"))
    assert list(G.edges(data="weight")) == [(1, 2, 0.5)]


def test_header_detected_from_a_non_numeric_third_column(tmp_path):
    # "strength" is not an alias, but it is text above numbers: a header. Its first two
    # names are unknown too, so the reader must say which roles it could not find.
    path = write(tmp_path, "a b strength\n1 2 3\n")
    with pytest.raises(IngestError, match=r"missing required column\(s\) source, target") as e:
        read_edgelist(path)
    assert e.value.line == 1 and e.value.path == str(path)
    G = read_edgelist(path, columns={"source": "a", "target": "b", "weight": "strength"})
    assert G[1][2]["weight"] == 3.0


def test_string_ids_without_header_are_not_mistaken_for_a_header(tmp_path):
    G = read_edgelist(write(tmp_path, "ann bob\nbob cy\n"))
    assert sorted(G.edges) == [("ann", "bob"), ("bob", "cy")]


def test_header_forced_off_and_on(tmp_path):
    path = write(tmp_path, "x y\n1 2\n")
    # As data, "x y" makes the ids non-integer, so every id is a string.
    assert set(read_edgelist(path, header=False)) == {"x", "y", "1", "2"}
    with pytest.raises(IngestError, match="missing required"):
        read_edgelist(path, header=True)


def test_comments_blank_lines_crlf_and_bom(tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes(b"\xef\xbb\xbf# made up\r\n% konect style\r\n\r\n1 2\r\n2 3\r\n")
    report = fresh_report()
    G = read_edgelist(path, report=report)
    assert sorted(G.edges) == [(1, 2), (2, 3)]
    assert report.skipped["comment line"] == 2 and report.skipped["blank line"] == 1


def test_gzip_is_transparent(tmp_path):
    path = tmp_path / "e.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("source,target,weight\nann,bob,1.5\n")
    assert list(read_edgelist(path).edges(data="weight")) == [("ann", "bob", 1.5)]


def test_quoted_cells_may_hold_the_delimiter(tmp_path):
    G = read_edgelist(write(tmp_path, 'source,target\n"Sample, Bo",ann\n', "q.csv"))
    assert list(G.edges) == [("Sample, Bo", "ann")]


# ---------------------------------------------------------------------------- node ids
def test_ids_are_ints_only_when_every_id_is_an_integer(tmp_path):
    assert set(read_edgelist(write(tmp_path, "1 2\n3 4\n", "a.txt"))) == {1, 2, 3, 4}
    mixed = read_edgelist(write(tmp_path, "1 2\n3 x\n", "b.txt"))
    assert set(mixed) == {"1", "2", "3", "x"}
    # "007" and "7" are different identifiers: zero-padded ids stay strings.
    padded = read_edgelist(write(tmp_path, "007 7\n", "c.txt"))
    assert set(padded) == {"007", "7"}


def test_nodetype_overrides(tmp_path):
    path = write(tmp_path, "1 2\n")
    assert set(read_edgelist(path, nodetype=str)) == {"1", "2"}
    assert set(read_edgelist(path, nodetype=float)) == {1.0, 2.0}
    with pytest.raises(IngestError, match="not an integer") as e:
        read_edgelist(write(tmp_path, "1 2\n3 x\n", "bad.txt"), nodetype=int)
    assert e.value.line == 2


def test_node_order_follows_first_appearance(tmp_path):
    G = read_edgelist(write(tmp_path, "cy ann\nbob cy\n"))
    assert list(G) == ["cy", "ann", "bob"]


# ---------------------------------------------------------------------------- temporal
def test_temporal_rows_aggregate_into_pairs(tmp_path):
    # Hand computation: pair (1, 2) has rows at t=10, 30, 20 -> count 3, weight 3
    # (unit rows), first_seen 10, last_seen 30; (2, 1) one row at 40.
    text = "Source Destination Timestamp\n1 2 10\n1 2 30\n2 1 40\n1 2 20\n"
    report = fresh_report()
    G = read_edgelist(write(tmp_path, text), report=report)
    assert G[1][2] == {"weight": 3.0, "count": 3, "first_seen": 10.0, "last_seen": 30.0}
    assert G[2][1] == {"weight": 1.0, "count": 1, "first_seen": 40.0, "last_seen": 40.0}
    assert report.records["rows"] == 4 and report.records["edges"] == 2
    assert report.records["duplicates_merged"] == 2
    assert report.first_seen.timestamp() == 10 and report.last_seen.timestamp() == 40
    assert "temporal" in report.variant


def test_temporal_with_weights_sums_row_weights(tmp_path):
    text = "src,dst,weight,time\na,b,2,100\na,b,0.5,50\n"
    G = read_edgelist(write(tmp_path, text, "t.csv"))
    assert G["a"]["b"] == {"weight": 2.5, "count": 2, "first_seen": 50.0, "last_seen": 100.0}


def test_iso_timestamps(tmp_path):
    text = "source,target,date\nann,bob,2024-03-14T09:05:12Z\nann,bob,2024-03-15 10:00:00\n"
    G = read_edgelist(write(tmp_path, text, "iso.csv"))
    # 2024-03-14T09:05:12Z = 1710407112 s; a naive time is taken as UTC.
    assert G["ann"]["bob"]["first_seen"] == 1710407112.0
    assert G["ann"]["bob"]["last_seen"] == 1710496800.0


# ---------------------------------------------------------------------------- signed
def test_signed_list_keeps_weight_and_adds_sign(tmp_path):
    report = fresh_report()
    G = read_edgelist(write(tmp_path, "1 2 -10\n2 3 4\n3 1 -1\n"), report=report)
    assert [(u, v, d["weight"], d["sign"]) for u, v, d in sorted(G.edges(data=True))] == [
        (1, 2, -10.0, -1),
        (2, 3, 4.0, 1),
        (3, 1, -1.0, -1),
    ]
    assert report.records["negative_edges"] == 2


def test_unsigned_list_has_no_sign_unless_asked(tmp_path):
    path = write(tmp_path, "1 2 3\n")
    assert "sign" not in read_edgelist(path)[1][2]
    assert read_edgelist(path, signed=True)[1][2]["sign"] == 1


def test_sign_column_applies_to_the_weight(tmp_path):
    text = "source,target,weight,sign\na,b,3,-1\nb,c,2,+\n"
    G = read_edgelist(write(tmp_path, text, "s.csv"))
    assert G["a"]["b"]["weight"] == -3.0 and G["a"]["b"]["sign"] == -1
    assert G["b"]["c"]["weight"] == 2.0 and G["b"]["c"]["sign"] == 1


def test_negative_weights_rejected_on_request(tmp_path):
    path = write(tmp_path, "1 2 1\n2 3 -0.5\n")
    with pytest.raises(IngestError, match="negative weight") as e:
        read_edgelist(path, allow_negative=False)
    assert e.value.line == 2 and e.value.path == str(path)


# ---------------------------------------------------------------------------- merging
@pytest.mark.parametrize(
    ("rule", "expected"), [("sum", 6.0), ("max", 3.0), ("min", 1.0), ("first", 2.0), ("last", 3.0)]
)
def test_duplicate_rules(tmp_path, rule, expected):
    report = fresh_report()
    G = read_edgelist(write(tmp_path, "a b 2\na b 1\na b 3\n"), duplicates=rule, report=report)
    assert G["a"]["b"]["weight"] == expected
    assert G["a"]["b"]["count"] == 3
    assert report.records["duplicates_merged"] == 2


def test_duplicates_error_names_the_line(tmp_path):
    path = write(tmp_path, "a b\nb c\nc a\na b\n")
    with pytest.raises(IngestError, match="repeated edge") as e:
        read_edgelist(path, duplicates="error")
    assert e.value.line == 4


def test_undirected_merges_both_directions(tmp_path):
    G = read_edgelist(write(tmp_path, "a b 1\nb a 2\n"), directed=False)
    assert isinstance(G, nx.Graph) and not G.is_directed()
    assert G.number_of_edges() == 1 and G["a"]["b"]["weight"] == 3.0


@pytest.mark.parametrize("first", ["% sym unweighted", "# undirected graph"])
def test_file_can_declare_itself_undirected(tmp_path, first):
    report = fresh_report()
    G = read_edgelist(write(tmp_path, f"{first}\n1 2\n2 1\n"), report=report)
    assert not G.is_directed() and G.number_of_edges() == 1
    assert read_edgelist(write(tmp_path, f"{first}\n1 2\n", "d.txt"), directed=True).is_directed()


def test_konect_asym_header_is_reported(tmp_path):
    report = fresh_report()
    G = read_edgelist(write(tmp_path, "% asym positive\n% 2 3 3\n1 2 1\n2 3 1\n"), report=report)
    assert G.is_directed()
    assert report.variant.startswith("konect")


def test_self_loops_kept_by_default_and_counted(tmp_path):
    path = write(tmp_path, "1 1\n1 2\n2 2\n")
    report = fresh_report()
    G = read_edgelist(path, report=report)
    assert nx.number_of_selfloops(G) == 2 and report.records["self_loops"] == 2
    report = fresh_report()
    H = read_edgelist(path, drop_self_loops=True, report=report)
    assert nx.number_of_selfloops(H) == 0 and H.number_of_edges() == 1
    assert report.skipped["self-loop dropped"] == 2


def test_gephi_type_column_decides_direction(tmp_path):
    undirected = "Source,Target,Type,Weight\na,b,Undirected,1\nb,a,Undirected,2\n"
    G = read_edgelist(write(tmp_path, undirected, "u.csv"))
    assert not G.is_directed() and G["a"]["b"]["weight"] == 3.0
    mixed = "Source,Target,Type,Weight\na,b,Directed,1\nb,c,Undirected,2\n"
    H = read_edgelist(write(tmp_path, mixed, "m.csv"))
    assert H.is_directed() and sorted(H.edges) == [("a", "b"), ("b", "c"), ("c", "b")]


def test_extra_columns_become_edge_attributes(tmp_path):
    text = "source,target,weight,channel,messages_out\na,b,1,dm,41\nb,c,1,,7\n"
    G = read_edgelist(write(tmp_path, text, "x.csv"))
    assert G["a"]["b"]["channel"] == "dm" and G["a"]["b"]["messages_out"] == 41
    assert G["b"]["c"]["messages_out"] == 7


def test_columns_sequence_names_headerless_columns(tmp_path):
    path = write(tmp_path, "5,ann,bob\n")
    G = read_edgelist(path, columns=["weight", "source", "target"])
    assert list(G.edges(data="weight")) == [("ann", "bob", 5.0)]


def test_columns_mapping_by_index_without_header(tmp_path):
    G = read_edgelist(
        write(tmp_path, "x 1 2 9\n"), columns={"source": 1, "target": 2, "weight": 3}
    )
    assert list(G.edges(data="weight")) == [(1, 2, 9.0)]


# ---------------------------------------------------------------------------- compact
def test_compact_output_matches_networkx_output(tmp_path):
    text = "src dst ts\n1 2 10\n1 2 30\n2 3 40\n3 3 41\n"
    path = write(tmp_path, text)
    G = read_edgelist(path)
    cg = read_edgelist(path, compact=True)
    assert isinstance(cg, CompactGraph)
    oracle = CompactGraph.from_networkx(G)
    assert cg.nodes == oracle.nodes
    assert (cg.adjacency != oracle.adjacency).nnz == 0
    for name in ("count", "first_seen", "last_seen"):
        np.testing.assert_array_equal(cg.edge_attrs[name], oracle.edge_attrs[name])


def test_compact_drops_count_when_nothing_merged(tmp_path):
    cg = read_edgelist(write(tmp_path, "1 2 0.5\n"), compact=True)
    assert "count" not in cg.edge_attrs and cg.weights.tolist() == [0.5]


# ---------------------------------------------------------------------------- oracles
edge_lists = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(-5, 5)), min_size=1, max_size=30
)


@settings(max_examples=40, deadline=None)
@given(rows=edge_lists)
def test_merging_matches_a_naive_dictionary(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("h") / "e.txt"
    path.write_text("".join(f"{u} {v} {w}\n" for u, v, w in rows))
    expected: dict[tuple[int, int], float] = defaultdict(float)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for u, v, w in rows:
        expected[u, v] += w
        counts[u, v] += 1
    G = read_edgelist(path)
    assert {(u, v): d["weight"] for u, v, d in G.edges(data=True)} == dict(expected)
    assert G.number_of_nodes() == len({x for u, v, _ in rows for x in (u, v)})
    if len(expected) < len(rows):
        assert {(u, v): d["count"] for u, v, d in G.edges(data=True)} == dict(counts)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 20), st.floats(0.01, 100)),
        min_size=1,
        max_size=25,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_agrees_with_networkx_read_edgelist(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("h") / "e.txt"
    path.write_text("".join(f"{u} {v} {w!r}\n" for u, v, w in rows))
    oracle = nx.read_edgelist(
        path, nodetype=int, data=[("weight", float)], create_using=nx.DiGraph
    )
    G = read_edgelist(path)
    assert set(G.nodes) == set(oracle.nodes)
    assert sorted(G.edges(data="weight")) == sorted(oracle.edges(data="weight"))


# ---------------------------------------------------------------------------- bad input
def assert_located(exc: IngestError, path: Path, line: int | None) -> None:
    assert exc.path == str(path)
    assert exc.line == line
    assert str(path) in str(exc)
    if line is not None:
        assert f":{line}:" in str(exc)


def test_empty_file(tmp_path):
    path = write(tmp_path, "")
    with pytest.raises(IngestError, match="no edges") as e:
        read_edgelist(path)
    assert_located(e.value, path, None)


def test_comments_only_file(tmp_path):
    path = write(tmp_path, "# nothing here\n% nor here\n\n")
    with pytest.raises(IngestError, match="no edges"):
        read_edgelist(path)


def test_header_only_file(tmp_path):
    path = write(tmp_path, "# a comment\nsource,target,weight\n", "h.csv")
    with pytest.raises(IngestError, match="only a header") as e:
        read_edgelist(path)
    assert_located(e.value, path, 2)


def test_wrong_delimiter_names_the_line(tmp_path):
    # Comma header, then a row written with semicolons: 1 column instead of 3.
    path = write(tmp_path, "source,target,weight\na,b,1\nc;d;2\n", "w.csv")
    with pytest.raises(IngestError, match="found 1 columns but the header") as e:
        read_edgelist(path)
    assert_located(e.value, path, 3)


def test_ragged_rows_without_header(tmp_path):
    path = write(tmp_path, "1 2\n2 3\n3 4 5\n")
    with pytest.raises(IngestError, match="found 3 columns but the first row has 2") as e:
        read_edgelist(path)
    assert_located(e.value, path, 3)


def test_unknown_column_names_are_named(tmp_path):
    path = write(tmp_path, "source,target,weight\na,b,1\n", "c.csv")
    with pytest.raises(IngestError, match="'stars'") as e:
        read_edgelist(path, columns={"weight": "stars"})
    assert "source" in str(e.value) and e.value.line == 1


def test_unknown_column_role(tmp_path):
    path = write(tmp_path, "source,target\na,b\n", "c.csv")
    with pytest.raises(IngestError, match="unknown roles"):
        read_edgelist(path, columns={"colour": "source"})


def test_column_names_need_a_header(tmp_path):
    path = write(tmp_path, "1 2\n")
    with pytest.raises(IngestError, match="no header"):
        read_edgelist(path, columns={"source": "from"})


def test_missing_target_column(tmp_path):
    path = write(tmp_path, "source,weight\na,1\n", "m.csv")
    with pytest.raises(IngestError, match="missing required column\\(s\\) target") as e:
        read_edgelist(path)
    assert_located(e.value, path, 1)


def test_single_column_file(tmp_path):
    path = write(tmp_path, "1\n2\n")
    with pytest.raises(IngestError, match="one column") as e:
        read_edgelist(path)
    assert_located(e.value, path, 1)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("heavy", "is not a number"),
        ("nan", "not a finite"),
        ("inf", "not a finite"),
        ("", "empty"),
    ],
)
def test_bad_weights(tmp_path, cell, message):
    path = write(tmp_path, f"source,target,weight\na,b,1\nb,c,{cell}\n", "w.csv")
    with pytest.raises(IngestError, match=message) as e:
        read_edgelist(path)
    assert_located(e.value, path, 3)


def test_bad_timestamp(tmp_path):
    path = write(tmp_path, "source,target,timestamp\na,b,1700000000\nb,c,yesterday\n", "t.csv")
    with pytest.raises(IngestError, match="'yesterday' is neither epoch") as e:
        read_edgelist(path)
    assert_located(e.value, path, 3)


def test_bad_sign(tmp_path):
    path = write(tmp_path, "source,target,sign\na,b,2\n", "s.csv")
    with pytest.raises(IngestError, match="must be -1, 0 or \\+1") as e:
        read_edgelist(path)
    assert_located(e.value, path, 2)


def test_empty_node_id(tmp_path):
    path = write(tmp_path, "source,target\na,b\n,c\n", "n.csv")
    with pytest.raises(IngestError, match="empty node id") as e:
        read_edgelist(path)
    assert_located(e.value, path, 3)


def test_non_utf8_bytes(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"ann bob\nren\xe9e ann\n")
    with pytest.raises(IngestError, match="not valid utf-8") as e:
        read_edgelist(path)
    assert_located(e.value, path, 2)
    assert set(read_edgelist(path, encoding="latin-1")) == {"ann", "bob", "renée"}


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        read_edgelist(tmp_path / "absent.txt")
    with pytest.raises(IngestError, match="is a directory"):
        read_edgelist(tmp_path)


def test_bad_duplicates_rule(tmp_path):
    with pytest.raises(ParameterError, match="duplicates must be one of"):
        read_edgelist(write(tmp_path, "1 2\n"), duplicates="average")


def test_read_edge_columns_keeps_line_numbers(tmp_path):
    cols = read_edge_columns(write(tmp_path, "# c\n1 2 0.5\n\n3 4 1\n"))
    assert cols.lines.tolist() == [2, 4]
    assert cols.sources.dtype == np.int64 and cols.weights.tolist() == [0.5, 1.0]
    assert cols.timestamps is None and cols.header is None


# ---------------------------------------------------------------------------- node labels
def test_node_labels_separators_and_types(tmp_path):
    from trustgraph.ingest.labels import read_node_labels

    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"0 1\r\n1 1\r\n2 21\r\n")
    assert read_node_labels(crlf) == {0: 1, 1: 1, 2: 21}
    tabs = write(tmp_path, "ann\tBook club\nbob\twork\n", "tabs.tsv")
    assert read_node_labels(tabs) == {"ann": "Book club", "bob": "work"}
    commas = write(tmp_path, "id,department\n7,sales\n8,legal\n", "c.csv")
    report = fresh_report()
    assert read_node_labels(commas, report=report) == {7: "sales", 8: "legal"}
    assert report.skipped["header line"] == 1 and report.records["labels"] == 2
    assert read_node_labels(crlf, labeltype=str) == {0: "1", 1: "1", 2: "21"}


def test_node_labels_errors_name_the_line(tmp_path):
    from trustgraph.ingest.labels import read_node_labels

    twice = write(tmp_path, "1 a\n2 b\n1 c\n", "twice.txt")
    with pytest.raises(IngestError, match="listed twice \\(first on line 1\\)") as e:
        read_node_labels(twice)
    assert_located(e.value, twice, 3)
    missing = write(tmp_path, "1 a\n2\n", "missing.txt")
    with pytest.raises(IngestError, match="no label") as e:
        read_node_labels(missing)
    assert_located(e.value, missing, 2)
    with pytest.raises(IngestError, match="empty"):
        read_node_labels(write(tmp_path, "# nothing\n", "empty.txt"))
    with pytest.raises(IngestError, match="only a header"):
        read_node_labels(write(tmp_path, "id label\n", "header.txt"))


# ---------------------------------------------------------------------------- pyarrow paths
def integer_rows(n_rows: int, seed: int = 0, weights: str = "int") -> list[list[str]]:
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 500, n_rows).tolist()
    v = rng.integers(-50, 500, n_rows).tolist()
    if weights == "int":
        w = [str(x) for x in rng.integers(0, 9, n_rows).tolist()]
    else:
        w = [repr(x / 4) for x in rng.integers(1, 40, n_rows).tolist()]
    return [[str(a), str(b), c] for a, b, c in zip(u, v, w)]


def as_text(rows: list[list[str]], header: str = "", ending: str = "\n") -> str:
    return header + "".join(",".join(row) + ending for row in rows)


def same_columns(path: Path, **options) -> tuple:
    """Columns of both engines (asserted identical), with the fast path's."""
    pytest.importorskip("pyarrow")
    fast_report, plain_report = fresh_report(), fresh_report()
    fast = read_edge_columns(path, engine="pyarrow", report=fast_report, **options)
    plain = read_edge_columns(path, engine="python", report=plain_report, **options)
    assert fast.sources.dtype == plain.sources.dtype
    assert fast.sources.tolist() == plain.sources.tolist()
    assert fast.targets.tolist() == plain.targets.tolist()
    assert (fast.weights is None) == (plain.weights is None)
    if fast.weights is not None:
        assert fast.weights.tolist() == plain.weights.tolist()
    assert fast.lines.tolist() == plain.lines.tolist()
    assert fast_report.as_dict() == plain_report.as_dict()
    return fast, plain


@pytest.fixture
def typed_path_only(monkeypatch):
    """Make the string-column path fail loudly: reads must take the int64 path."""
    from trustgraph.ingest import edgearrow

    def refuse(*args, **kwargs):
        raise AssertionError("the string-column path was taken")

    monkeypatch.setattr(edgearrow, "_exact_ints", refuse)
    monkeypatch.setattr(edgearrow, "_arrow_strings", refuse)


@pytest.mark.parametrize("weights", ["int", "fraction"])
@pytest.mark.parametrize("trailing_newline", [True, False])
def test_canonical_integer_ids_are_read_typed(
    tmp_path, typed_path_only, weights, trailing_newline
):
    rows = integer_rows(300, weights=weights)
    text = as_text(rows, header="# comment\nsource,target,weight\n")
    if not trailing_newline:
        text = text[:-1]
    fast, _ = same_columns(write(tmp_path, text, "e.csv"))
    assert fast.sources.dtype == np.int64 and fast.first_line == 3
    assert fast._lines is None  # consecutive rows: no stored line-number array
    assert fast.lines.tolist() == list(range(3, 303))


def test_chunked_columns_join_in_order():
    pa = pytest.importorskip("pyarrow")
    from trustgraph.ingest.edgecolumns import _to_numpy

    chunked = pa.chunked_array([[1, 2], [], [3], [4, 5, 6]], type=pa.int64())
    assert _to_numpy(chunked).tolist() == [1, 2, 3, 4, 5, 6]
    assert _to_numpy(pa.chunked_array([[7.5]])).tolist() == [7.5]
    assert _to_numpy(pa.chunked_array([], type=pa.int64())).tolist() == []


def test_fractional_weights_after_the_sample_are_read_as_text(tmp_path, typed_path_only):
    rows = integer_rows(200)
    rows[150][2] = "2.5"
    fast, _ = same_columns(write(tmp_path, as_text(rows), "e.csv"))
    assert fast.weights[150] == 2.5


@pytest.mark.parametrize(
    ("spelling", "kind"),
    [
        *[("007", "U"), ("-0", "U"), ("0x7", "U"), ("+7", "U"), ("00", "U")],
        # The plain reader strips spaces and quotes: these become the integer 7 there too.
        *[(" 7", "i"), ("7 ", "i"), ('"7"', "i")],
    ],
)
def test_odd_integer_spellings_after_the_sample_read_like_the_plain_reader(
    tmp_path, spelling, kind
):
    # The first 51 rows look like integers, so the int64 path is tried; the odd spelling
    # further down must still give the plain reader's result ("007" stays a string).
    rows = integer_rows(120)
    rows[100][1] = spelling
    fast, _ = same_columns(write(tmp_path, as_text(rows), "e.csv"))
    assert fast.targets.dtype.kind == kind
    assert str(fast.targets[100]) == spelling.strip().strip('"')


def test_a_short_exponent_weight_cannot_hide_a_long_id(tmp_path):
    # "1e3" is one character shorter than 1000 and "07" one longer than 7: a byte count
    # with weights counted as whole numbers would balance, so such weights are read as text.
    rows = integer_rows(120)
    rows[90][2] = "1e3"
    rows[100][0] = "07"
    fast, _ = same_columns(write(tmp_path, as_text(rows), "e.csv"))
    assert fast.sources.dtype.kind == "U" and fast.sources[100] == "07"
    assert fast.weights[90] == 1000.0


def test_crlf_files_read_like_the_plain_reader(tmp_path):
    rows = integer_rows(100)
    fast, _ = same_columns(write(tmp_path, as_text(rows, ending="\r\n"), "e.csv"))
    assert fast.sources.dtype == np.int64


def test_nodetype_int_on_the_typed_path(tmp_path, typed_path_only):
    fast, _ = same_columns(write(tmp_path, as_text(integer_rows(80)), "e.csv"), nodetype=int)
    assert fast.targets.dtype == np.int64


def test_errors_name_the_right_line_on_the_pyarrow_path(tmp_path, typed_path_only):
    pytest.importorskip("pyarrow")
    rows = integer_rows(100, weights="int")
    rows = [[a, b, str(int(w) + 1)] for a, b, w in rows]
    rows[70][2] = "-2"
    path = write(tmp_path, as_text(rows, header="% a comment\n\nsrc,dst,weight\n"), "e.csv")
    # Three lines precede the first row (line 4), so row 70 is on line 74.
    with pytest.raises(IngestError, match="negative weight -2") as e:
        read_edgelist(path, allow_negative=False)
    assert_located(e.value, path, 74)
    rows[70][2] = "2"
    rows[80][:2] = rows[20][:2]
    path = write(tmp_path, as_text(rows, header="% a comment\n\nsrc,dst,weight\n"), "e.csv")
    seen: set[tuple[str, str]] = set()
    for first_repeat, (u, v, _) in enumerate(rows):  # noqa: B007
        if (u, v) in seen:
            break
        seen.add((u, v))
    with pytest.raises(IngestError, match="repeated edge") as e:
        read_edgelist(path, duplicates="error")
    assert_located(e.value, path, 4 + first_repeat)


def test_large_read_leaves_only_the_graph_arrays(tmp_path, monkeypatch):
    from trustgraph.ingest import edgelist

    released = []
    monkeypatch.setattr(edgelist, "_RELEASE_MIN_ROWS", 10)
    monkeypatch.setattr(edgelist, "_release_freed_memory", lambda: released.append(True))
    cg = read_edgelist(write(tmp_path, as_text(integer_rows(50)), "e.csv"), compact=True)
    assert released == [True, True]  # after the columns and after the build
    adjacency = cg.adjacency
    for array in (adjacency.data, adjacency.indices, adjacency.indptr):
        # Numpy owns the memory behind each array, exactly its size: no view into a
        # larger temporary or into pyarrow's buffers keeps them alive.
        owner = array
        while isinstance(owner.base, np.ndarray):
            owner = owner.base
        assert owner.base is None and owner.nbytes == array.nbytes
    assert adjacency.indices.dtype == np.int32 and not cg.edge_attrs


def test_releasing_freed_memory_is_harmless():
    from trustgraph.ingest.edgelist import _release_freed_memory

    _release_freed_memory()
    _release_freed_memory()


def test_a_short_hexadecimal_id_cannot_hide_a_long_id(tmp_path):
    # pyarrow parses "0xffffffffff" (12 characters) as 1099511627775 (13 digits): one
    # character saved, exactly what "07" costs. The byte count alone would balance, so
    # ids of 13 or more digits take the string path, where both stay strings.
    rows = integer_rows(120)
    rows[90][1] = "0xffffffffff"
    rows[100][0] = "07"
    fast, _ = same_columns(write(tmp_path, as_text(rows), "e.csv"))
    assert fast.sources.dtype.kind == "U" and fast.sources[100] == "07"
    assert fast.targets[90] == "0xffffffffff"


@pytest.mark.parametrize(
    "header", ["First Name,Last Name", "first_name,last_name,company", "Name;Company"]
)
def test_a_table_of_people_is_refused_not_read_as_ties_between_names(tmp_path, header):
    # Without the refusal the header-less reading made "First Name" -> "Last Name" an edge,
    # and every row a tie between a person's first and last name.
    path = tmp_path / "people.csv"
    cells = header.replace(";", ",").split(",")
    path.write_text(header + "\n" + header.replace(cells[0], "Ana") + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"a table of people .* not an edge list") as caught:
        read_edgelist(path)
    assert caught.value.line == 1


def test_an_edge_list_whose_header_names_its_roles_is_still_read(tmp_path):
    path = tmp_path / "ties.csv"
    path.write_text("source,target\nAna,Bo\nBo,Cy\n", encoding="utf-8")
    assert sorted(read_edgelist(path).edges()) == [("Ana", "Bo"), ("Bo", "Cy")]
