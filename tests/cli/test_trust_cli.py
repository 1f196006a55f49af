"""Tests of ``trustgraph trust`` and ``trustgraph fairness`` on tiny GraphML files."""

from __future__ import annotations

import csv
import importlib
import io
import json
import sys
import types

import networkx as nx
import pytest

from trustgraph.algorithms.flow import advogato
from trustgraph.algorithms.paths import moletrust, tidaltrust
from trustgraph.algorithms.signed import fairness_goodness
from trustgraph.algorithms.spreading import appleseed
from trustgraph.cli.app import main

TRUST_EDGES = [("a", "b", 0.8), ("a", "c", 0.8), ("b", "d", 0.8), ("x", "y", 0.8)]
SIGNED_EDGES = [("a", "b", 4.0), ("c", "b", 2.0), ("a", "c", -2.0)]


def write(tmp_path, name, edges, monkeypatch):
    G = nx.DiGraph()
    G.add_weighted_edges_from(edges)
    path = tmp_path / name
    nx.write_graphml(G, path)
    try:
        importlib.import_module("trustgraph.ingest.detect")
    except ImportError:
        stub = types.ModuleType("trustgraph.ingest.detect")
        stub.read_graph = lambda p, **options: nx.read_graphml(p)
        monkeypatch.setitem(sys.modules, "trustgraph.ingest.detect", stub)
    return G, path


@pytest.fixture
def trust_file(tmp_path, monkeypatch):
    return write(tmp_path, "trust.graphml", TRUST_EDGES, monkeypatch)


@pytest.fixture
def signed_file(tmp_path, monkeypatch):
    return write(tmp_path, "ratings.graphml", SIGNED_EDGES, monkeypatch)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_trust_appleseed_json_matches_library(trust_file, capsys):
    G, path = trust_file
    code, out, err = run(capsys, "trust", path, "--from", "a", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    expected = appleseed(G, "a")
    assert [row["node"] for row in rows][:3] == ["b", "c", "d"]
    assert {row["node"]: row["score"] for row in rows} == pytest.approx(expected)
    assert rows[0]["score"] == pytest.approx(84.0131, abs=5e-5)


def test_trust_to_one_node_each_method(trust_file, capsys):
    G, path = trust_file
    expected = {
        "appleseed": appleseed(G, "a")["d"],
        "tidaltrust": tidaltrust(G, "a", "d"),
        "moletrust": moletrust(G, "a")["d"],
        "advogato": advogato(G, ["a"])["d"],
    }
    for method, value in expected.items():
        code, out, err = run(
            capsys,
            "trust",
            path,
            "--from",
            "a",
            "--to",
            "d",
            "--method",
            method,
            "--format",
            "csv",
        )
        assert code == 0, (method, err)
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["node"] for r in rows] == ["d"]
        assert float(rows[0]["score"]) == pytest.approx(value), method


def test_trust_table_goes_to_stdout(trust_file, capsys):
    _, path = trust_file
    code, out, _ = run(capsys, "trust", path, "--from", "a")
    assert code == 0
    assert "84.013078" in out and "appleseed" in out


def test_trust_advogato_takes_several_seeds(trust_file, capsys):
    _, path = trust_file
    code, out, err = run(
        capsys,
        "trust",
        path,
        "--from",
        "a",
        "--from",
        "x",
        "--method",
        "advogato",
        "--format",
        "json",
    )
    assert code == 0, err
    scores = {row["node"]: row["score"] for row in json.loads(out)}
    assert scores == {"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0, "x": 1.0, "y": 1.0}
    code, _, err = run(capsys, "trust", path, "--from", "a", "--from", "x")
    assert code == 2 and "exactly one --from" in err


def test_trust_errors_are_one_line(trust_file, signed_file, capsys):
    _, path = trust_file
    code, out, err = run(capsys, "trust", path, "--from", "nobody")
    assert code == 1 and out == "" and err.count("\n") == 1 and "nobody" in err
    code, _, err = run(capsys, "trust", path, "--from", "a", "--to", "nobody")
    assert code == 1 and "nobody" in err
    _, signed = signed_file
    code, _, err = run(capsys, "trust", signed, "--from", "a")
    assert code == 1 and "negative" in err
    code, out, err = run(
        capsys, "trust", signed, "--from", "a", "--signed", "drop", "--format", "json"
    )
    assert code == 0, err
    assert {r["node"]: r["score"] for r in json.loads(out)}["c"] == 0.0


def test_integer_ids_are_mapped(tmp_path, monkeypatch, capsys):
    _, path = write(tmp_path, "ints.graphml", [(1, 2, 10.0), (2, 3, 8.0)], monkeypatch)
    code, out, err = run(
        capsys,
        "trust",
        path,
        "--from",
        "1",
        "--to",
        "3",
        "--method",
        "tidaltrust",
        "--format",
        "csv",
    )
    assert code == 0, err
    assert float(next(csv.DictReader(io.StringIO(out)))["score"]) == 8.0


def test_fairness_formats_match_library(signed_file, capsys):
    G, path = signed_file
    expected = fairness_goodness(G)
    code, out, err = run(capsys, "fairness", path, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [row["node"] for row in rows] == list(G.nodes)
    for row in rows:
        assert row["fairness"] == pytest.approx(expected.fairness[row["node"]])
        assert row["goodness"] == pytest.approx(expected.goodness[row["node"]])
    code, out, _ = run(capsys, "fairness", path, "--format", "csv")
    assert out.splitlines()[0] == "node,fairness,goodness"
    code, out, _ = run(capsys, "fairness", path)
    assert code == 0 and "fairness" in out and "0.681818" in out  # goodness of b: 15/22


def test_output_file_needs_force_to_overwrite(signed_file, tmp_path, capsys):
    _, path = signed_file
    target = tmp_path / "fg.csv"
    code, out, err = run(capsys, "fairness", path, "--format", "csv", "-o", target)
    assert code == 0 and out == "", err
    assert target.read_text().startswith("node,fairness,goodness")
    code, _, err = run(capsys, "fairness", path, "--format", "json", "-o", target)
    assert code == 1 and "--force" in err
    assert target.read_text().startswith("node,")  # untouched
    code, _, err = run(capsys, "fairness", path, "--format", "json", "-o", target, "--force")
    assert code == 0, err
    assert json.loads(target.read_text())[0]["node"] == "a"
    table = tmp_path / "trust.txt"
    code, _, err = run(capsys, "trust", path, "--from", "a", "--signed", "drop", "-o", table)
    assert code == 0, err
    assert "rank" in table.read_text()


def test_fairness_csv_and_table_are_safe_for_hostile_node_names(tmp_path, monkeypatch, capsys):
    # Issue 16, S3/S4: a node named like a spreadsheet formula or rich markup stays text.
    hostile = [("=HYPERLINK(1)", "b", 4.0), ("[bold]c[/bold]", "b", -2.0)]
    _, path = write(tmp_path, "hostile.graphml", hostile, monkeypatch)
    code, out, _ = run(capsys, "fairness", path, "--format", "csv")
    assert code == 0
    cells = [row[0] for row in csv.reader(io.StringIO(out))]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells
    code, out, _ = run(capsys, "fairness", path)
    assert code == 0 and "[bold]c[/bold]" in out


def test_an_algorithm_graph_error_names_the_graph_file(tmp_path, monkeypatch, capsys):
    # Issue 16, P3: "edge 'a' -> 'b' has weight -1" alone does not say which file.
    _, path = write(tmp_path, "negative.graphml", [("a", "b", -1.0), ("b", "c", 1.0)], monkeypatch)
    code, _, err = run(capsys, "trust", path, "--from", "a", "--method", "appleseed")
    assert code == 1
    assert err.count("\n") == 1 and str(path) in err
