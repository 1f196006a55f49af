"""Damaged ``.tgc`` folders: one GraphError naming the file and what is wrong, never a
raw exception (the crash sites the fuzz suite found in ``CompactGraph.load``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from trustgraph.core.compact import CompactGraph, is_compact_folder
from trustgraph.exceptions import GraphError, IngestError
from trustgraph.ingest.detect import read_graph


def save(tmp_path: Path, labels: str = "lines") -> Path:
    """A valid folder with edge and node attributes (one node column a file, one JSON)."""
    names = {"lines": ["ann", "bob", "cy"], "json": ["ann", 7, "cy"], "int": [10, 20, 30]}
    a, b, c = names[labels]
    cg = CompactGraph.from_edges(
        [a, b, c],
        [b, c, a],
        [2.0, 1.0, 0.5],
        edge_attrs={"count": [1, 2, 3]},
        node_attrs={"age": [30, 40, 50], "city": ["x", None, "z"]},
    )
    folder = cg.save(tmp_path / "g.tgc")
    assert CompactGraph.load(folder).n_edges == 3
    return folder


def edit_meta(folder: Path, **changes: object) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is _DELETE:
            del meta[key]
        else:
            meta[key] = value
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


_DELETE = object()


def damaged(folder: Path, file: str, *fragments: str) -> GraphError:
    """Load `folder`, expecting a GraphError that starts with ``folder/file:`` and holds
    every fragment; also through read_graph, as one IngestError naming the file."""
    with pytest.raises(GraphError) as caught:
        CompactGraph.load(folder)
    message = str(caught.value)
    assert message.startswith(f"{folder / file}: "), message
    for fragment in fragments:
        assert fragment in message, message
    with pytest.raises(IngestError) as ingest:
        read_graph(folder)
    assert str(ingest.value) == message  # the file named once, not after the folder again
    assert ingest.value.path == str(folder / file)
    return caught.value


# ----------------------------------------------------------------------------- meta.json
@pytest.mark.parametrize("version", [None, "", 1e999, "1", True, 1.5])
def test_version_not_an_integer(tmp_path, version):
    folder = save(tmp_path)
    edit_meta(folder, version=version)
    damaged(folder, "meta.json", "'version'", "not an integer")


def test_version_too_new(tmp_path):
    folder = save(tmp_path)
    edit_meta(folder, version=99)
    damaged(folder, "meta.json", "format version 99")


def test_version_missing_is_version_zero(tmp_path):
    folder = save(tmp_path)
    edit_meta(folder, version=_DELETE)
    assert CompactGraph.load(folder).nodes == ("ann", "bob", "cy")


@pytest.mark.parametrize("field", ["n_nodes", "n_stored", "directed", "node_labels"])
def test_required_field_missing(tmp_path, field):
    folder = save(tmp_path)
    edit_meta(folder, **{field: _DELETE})
    damaged(folder, "meta.json", f"{field!r} is missing")


@pytest.mark.parametrize("field", ["n_nodes", "n_stored"])
@pytest.mark.parametrize("value", [None, "0000-00-00", 1e999, -1, 3.0, False, [3]])
def test_count_not_a_count(tmp_path, field, value):
    folder = save(tmp_path)
    edit_meta(folder, **{field: value})
    damaged(folder, "meta.json", f"{field!r}", "not a non-negative integer")


def test_infinity_spelled_in_the_file(tmp_path):
    folder = save(tmp_path)
    text = (folder / "meta.json").read_text(encoding="utf-8")
    (folder / "meta.json").write_text(text.replace('"n_nodes": 3', '"n_nodes": Infinity'))
    damaged(folder, "meta.json", "'n_nodes' is Infinity")


@pytest.mark.parametrize("value", [None, "yes", 1])
def test_directed_not_a_boolean(tmp_path, value):
    folder = save(tmp_path)
    edit_meta(folder, directed=value)
    damaged(folder, "meta.json", "'directed'", "not true or false")


@pytest.mark.parametrize("value", [None, "pickle", 3])
def test_unknown_node_label_kind(tmp_path, value):
    folder = save(tmp_path)
    edit_meta(folder, node_labels=value)
    damaged(folder, "meta.json", "'node_labels'", "not 'int', 'lines' or 'json'")


@pytest.mark.parametrize("field", ["node_attrs", "edge_attrs", "graph_attrs"])
@pytest.mark.parametrize("value", [None, "x", [1, 2]])
def test_attribute_tables_not_objects(tmp_path, field, value):
    folder = save(tmp_path)
    edit_meta(folder, **{field: value})
    damaged(folder, "meta.json", f"{field!r}", "not a JSON object")


def test_node_attribute_spec_not_an_object(tmp_path):
    folder = save(tmp_path)
    edit_meta(folder, node_attrs={"a": "x"})
    damaged(folder, "meta.json", "node attribute 'a'", "not a JSON object")


def test_node_attribute_spec_without_file_or_values(tmp_path):
    folder = save(tmp_path)
    edit_meta(folder, node_attrs={"a": {"other": 1}})
    damaged(folder, "meta.json", "node attribute 'a'", "neither 'file' nor 'values'")


def test_node_attribute_values_of_the_wrong_length(tmp_path):
    folder = save(tmp_path)
    edit_meta(folder, node_attrs={"a": {"values": [1, 2]}})
    damaged(folder, "meta.json", "node attribute 'a'", "2 values for 3 nodes")
    edit_meta(folder, node_attrs={"a": {"values": "abc"}})
    damaged(folder, "meta.json", "node attribute 'a'", "not a list")


@pytest.mark.parametrize("name", ["../outside.npy", "/etc/passwd", "", ".", 5, None])
def test_attribute_files_stay_inside_the_folder(tmp_path, name):
    folder = save(tmp_path)
    np.save(tmp_path / "outside.npy", np.zeros(3))
    edit_meta(folder, node_attrs={"a": {"file": name}})
    damaged(folder, "meta.json", "node attribute 'a'", "not a file name in the folder")
    edit_meta(folder, node_attrs={}, edge_attrs={"w": name})
    damaged(folder, "meta.json", "edge attribute 'w'", "not a file name in the folder")


def test_node_attribute_file_damaged(tmp_path):
    folder = save(tmp_path)
    spec = json.loads((folder / "meta.json").read_text())["node_attrs"]["age"]
    np.save(folder / spec["file"], np.zeros(4))
    damaged(folder, spec["file"], "node attribute 'age': 4 values", "('n_nodes' = 3)")
    np.save(folder / spec["file"], np.array(["a", "b", "c"]))
    damaged(folder, spec["file"], "not numbers")
    (folder / spec["file"]).unlink()
    damaged(folder, spec["file"], "cannot read", "No such file")


def test_meta_not_an_object(tmp_path):
    folder = save(tmp_path)
    (folder / "meta.json").write_text('["trustgraph-compact"]')
    damaged(folder, "meta.json", "not a JSON object")


def test_meta_not_json_but_marked(tmp_path):
    folder = save(tmp_path)
    text = (folder / "meta.json").read_text(encoding="utf-8")
    (folder / "meta.json").write_text(text[: len(text) // 2])
    assert is_compact_folder(folder)
    damaged(folder, "meta.json", "not valid JSON")


def test_meta_not_utf8(tmp_path):
    folder = save(tmp_path)
    text = (folder / "meta.json").read_bytes()
    (folder / "meta.json").write_bytes(text.replace(b'"directed"', b'"\xffdirected"'))
    damaged(folder, "meta.json", "not UTF-8")


def test_meta_nested_deeply(tmp_path):
    folder = save(tmp_path)
    deep = "[" * 5000 + "]" * 5000
    text = (folder / "meta.json").read_text(encoding="utf-8")
    (folder / "meta.json").write_text(text.replace('"graph_attrs": {', f'"x": {deep}, "y": {{'))
    assert is_compact_folder(folder)  # the marker is there, the document too deep to parse
    damaged(folder, "meta.json", "nested too deeply")
    (folder / "meta.json").write_text(deep)
    assert not is_compact_folder(folder)
    with pytest.raises(GraphError, match="not a folder written"):
        CompactGraph.load(folder)


# ----------------------------------------------------------------------------- node labels
def test_node_lines_missing_or_not_utf8(tmp_path):
    folder = save(tmp_path)
    (folder / "nodes.txt").write_bytes(b"ann\n\xffbob\ncy")
    damaged(folder, "nodes.txt", "not UTF-8")
    (folder / "nodes.txt").unlink()
    damaged(folder, "nodes.txt", "cannot read", "No such file")


def test_node_lines_count(tmp_path):
    folder = save(tmp_path)
    (folder / "nodes.txt").write_bytes(b"ann\nbob")
    damaged(folder, "nodes.txt", "2 node labels for 3 nodes")


def test_json_labels_missing_or_damaged(tmp_path):
    folder = save(tmp_path)
    edit_meta(folder, node_labels="json")
    damaged(folder, "nodes.json", "cannot read", "No such file")
    (tmp_path / "j").mkdir()
    folder = save(tmp_path / "j", labels="json")
    (folder / "nodes.json").write_text('{"a": 1}')
    damaged(folder, "nodes.json", "not a JSON list")
    (folder / "nodes.json").write_text('["ann", [7], "cy"]')
    damaged(folder, "nodes.json", "label 1", "not a string, number or boolean")
    (folder / "nodes.json").write_text('["ann", 7')
    damaged(folder, "nodes.json", "not valid JSON")
    (folder / "nodes.json").write_text("[" * 5000 + "]" * 5000)
    damaged(folder, "nodes.json", "nested too deeply")


def test_integer_labels_damaged(tmp_path):
    folder = save(tmp_path, labels="int")
    np.save(folder / "nodes.npy", np.array([1.5, 2.5, 3.5]))
    damaged(folder, "nodes.npy", "not integers")
    np.save(folder / "nodes.npy", np.arange(6).reshape(3, 2))
    damaged(folder, "nodes.npy", "shape (3, 2)")
    np.save(folder / "nodes.npy", np.arange(2))
    damaged(folder, "nodes.npy", "2 values do not match meta.json ('n_nodes' = 3)")


# ----------------------------------------------------------------------------- arrays
@pytest.mark.parametrize("name", ["indptr.npy", "indices.npy", "weights.npy"])
def test_array_empty_file(tmp_path, name):
    folder = save(tmp_path)
    (folder / name).write_bytes(b"")
    damaged(folder, name, "not a readable .npy array")


@pytest.mark.parametrize("name", ["indptr.npy", "indices.npy", "weights.npy", "nodes.npy"])
def test_array_damaged_header(tmp_path, name):
    folder = save(tmp_path, labels="int")
    good = (folder / name).read_bytes()
    # An unclosed bracket (tokenize.TokenError), then an unparsable literal (SyntaxError).
    for bad in (good.replace(b"'shape': (", b"'shape': (("), good.replace(b"(", b"(=")):
        (folder / name).write_bytes(bad)
        damaged(folder, name, "not a readable .npy array")


def test_array_header_claims_more_than_the_file_holds(tmp_path):
    folder = save(tmp_path, labels="int")
    good = (folder / "nodes.npy").read_bytes()
    (folder / "nodes.npy").write_bytes(good.replace(b"(3,)", b"(10000000000000000,)", 1))
    damaged(folder, "nodes.npy", "not a readable .npy array")  # no 80 PB allocation first


def test_array_pickled_objects_refused(tmp_path):
    folder = save(tmp_path)
    np.save(folder / "weights.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
    damaged(folder, "weights.npy", "not a readable .npy array")


@pytest.mark.parametrize(
    ("indptr", "fragment"),
    [
        ([1, 1, 2, 3], "starts at 1, not 0"),
        ([0, 1, 2, 2], "ends at 2, not 'n_stored' 3"),
        ([0, 2, 1, 3], "decreases"),
        ([0, 1, 2, 3, 3], "5 values do not match"),
        ([[0, 1], [2, 3]], "shape (2, 2)"),
        ([0.0, 1.0, 2.0, 3.0], "not integers"),
    ],
)
def test_bad_row_pointer(tmp_path, indptr, fragment):
    folder = save(tmp_path)
    np.save(folder / "indptr.npy", np.array(indptr))
    damaged(folder, "indptr.npy", fragment)


@pytest.mark.parametrize("indices", [[1, 2, 3], [1, -1, 0], [1, 2, 2**40]])
def test_column_index_out_of_range(tmp_path, indices):
    folder = save(tmp_path)
    np.save(folder / "indices.npy", np.array(indices))
    damaged(folder, "indices.npy", "column index out of range")


def test_array_lengths_against_meta(tmp_path):
    folder = save(tmp_path)
    np.save(folder / "weights.npy", np.ones(4))
    damaged(folder, "weights.npy", "4 values do not match", "('n_stored' = 3)")
    np.save(folder / "weights.npy", np.array(["a", "b", "c"]))
    damaged(folder, "weights.npy", "not numbers")


def test_edge_attribute_damage_shows_when_read(tmp_path):
    folder = save(tmp_path)
    file = json.loads((folder / "meta.json").read_text())["edge_attrs"]["count"]
    np.save(folder / file, np.ones(5))
    graph = CompactGraph.load(folder)
    with pytest.raises(
        GraphError, match=re.escape(f"{folder / file}: edge attribute 'count': 5 values")
    ):
        graph.edge_attrs["count"]
    (folder / file).write_bytes(b"\x93NUMPY\x01\x00")
    with pytest.raises(GraphError, match=re.escape("not a readable .npy array")):
        CompactGraph.load(folder).edge_attrs["count"]


def test_big_endian_and_unsigned_arrays_still_load(tmp_path):
    folder = save(tmp_path)
    for name in ("indptr.npy", "indices.npy"):
        values = np.load(folder / name)
        np.save(folder / name, values.astype(">i8"))
    np.save(folder / "weights.npy", np.load(folder / "weights.npy").astype(">f8"))
    graph = CompactGraph.load(folder)
    assert graph.weights.tolist() == [2.0, 1.0, 0.5]
    np.save(folder / "indices.npy", np.load(folder / "indices.npy").astype(np.uint16))
    assert CompactGraph.load(folder).adjacency.toarray().sum() == 3.5
