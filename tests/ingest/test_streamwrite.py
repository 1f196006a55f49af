"""Edge lists and GraphML streamed from a CompactGraph are the bytes the general writers
give for the same graph as networkx (issue 18: writers stream, first byte early)."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from trustgraph.core.compact import CompactGraph
from trustgraph.datasets import write_sample_exports
from trustgraph.exceptions import GraphError, IngestError
from trustgraph.ingest import streamwrite
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.streamwrite import streamable
from trustgraph.ingest.writers import write_graph


def _odd_graph() -> CompactGraph:
    nodes = ["a", "b&<c>", 'q"uote', "tab\there", "é", "=sum", "#x", "z, y", "iso"]
    rng = np.random.default_rng(3)
    src = np.array([0, 1, 2, 3, 4, 5, 6, 7, 0, 2])
    dst = np.array([1, 2, 3, 4, 5, 6, 7, 0, 7, 0])
    first = rng.random(src.size) * 1e9
    first[[0, 3]] = np.nan
    return CompactGraph.from_index_arrays(
        nodes,
        src,
        dst,
        rng.random(src.size) * 10 - 2,
        edge_attrs={
            "count": np.arange(src.size),
            "first_seen": first,
            "all_nan": np.full(src.size, np.nan),
            "declared_only": src % 2 == 0,
        },
        node_attrs={
            "name": ["Ann", None, "", "T\r\nline", None, "x", None, None, None],
            "mixed": [1, 2.5, None, None, None, None, None, None, "w"],
            "is_me": [True] + [False] * 8,
        },
        graph_attrs={"tie_model": "log1p <x> & y", "reference_time": 1.5e9},
    )


def _sample_graph(tmp_path) -> CompactGraph:
    folder = tmp_path / "sample"
    write_sample_exports(folder)
    return load_inputs([folder], compact=True).graph


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".graphml", ".graphml.gz", ".csv.gz"])
@pytest.mark.parametrize("which", ["odd", "sample"])
def test_streamed_bytes_equal_the_general_writer(tmp_path, suffix, which):
    cg = _odd_graph() if which == "odd" else _sample_graph(tmp_path)
    assert streamable(cg)
    streamed = write_graph(cg, tmp_path / f"streamed{suffix}")
    general = write_graph(cg.to_networkx(), tmp_path / f"general{suffix}")
    a, b = streamed.read_bytes(), general.read_bytes()
    if suffix.endswith(".gz"):
        a, b = gzip.decompress(a), gzip.decompress(b)
    assert a == b


def test_big_graph_is_written_in_blocks(tmp_path, monkeypatch):
    # Several blocks, and nothing builds networkx on the way.
    monkeypatch.setattr(streamwrite, "_BLOCK", 7)
    monkeypatch.setattr(CompactGraph, "to_networkx", lambda self: pytest.fail("copied"))
    n = 50
    rng = np.random.default_rng(0)
    pairs = np.unique(rng.integers(0, n * n, 200))
    cg = CompactGraph.from_index_arrays(
        [f"n{i}" for i in range(n)], pairs // n, pairs % n, rng.random(pairs.size)
    )
    out = write_graph(cg, tmp_path / "g.csv")
    lines = out.read_text().splitlines()
    assert lines[0] == "source,target,weight"
    assert len(lines) == cg.n_edges + 1
    rows, cols = cg.edge_arrays()
    assert lines[1:] == [
        f"n{u},n{v},{w!r}" for u, v, w in zip(rows.tolist(), cols.tolist(), cg.weights.tolist())
    ]
    write_graph(cg, tmp_path / "g.graphml")


def test_streamed_writers_refuse_what_the_format_cannot_hold(tmp_path):
    cg = CompactGraph.from_index_arrays(["a\x07", "b"], np.array([0]), np.array([1]), np.ones(1))
    with pytest.raises(IngestError, match="U\\+0007"):
        write_graph(cg, tmp_path / "g.graphml")
    with pytest.raises(IngestError, match="line break"):
        bad = CompactGraph.from_index_arrays(["a\nb", "c"], [0], [1], np.ones(1))
        write_graph(bad, tmp_path / "g.csv")
    inf = CompactGraph.from_index_arrays(["a", "b"], [0], [1], np.array([np.inf]))
    with pytest.raises(GraphError, match="non-finite"):
        write_graph(inf, tmp_path / "h.csv")
    assert not list(tmp_path.iterdir())
