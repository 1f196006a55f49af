"""``trustgraph evaluate`` on tiny files: output forms, figures and one-line errors."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

from trustgraph.analysis.evaluate import evaluate_edge_weight
from trustgraph.cli.app import main


def write_edges(path, edges):
    path.write_text("".join(f"{u} {v} {w}\n" for u, v, w in edges))
    return path


@pytest.fixture
def signed_file(tmp_path):
    rng = np.random.default_rng(0)
    G = nx.gnp_random_graph(14, 0.3, seed=0, directed=True)
    edges = [(f"p{u}", f"p{v}", int(rng.integers(-10, 11) or 4)) for u, v in G.edges]
    return write_edges(tmp_path / "ratings.txt", edges)


def run(capsys, *args):
    code = main(["evaluate", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_edge_weight_json_matches_the_library(signed_file, capsys):
    code, out, _ = run(
        capsys,
        "edge-weight",
        signed_file,
        "--format",
        "json",
        "--method",
        "Goodness",
        "--method",
        "Reciprocal edge",
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["protocol"] == "edge-weight"
    assert payload["dataset"] == "ratings.txt"
    assert [r["method"] for r in payload["results"]] == ["Goodness", "Reciprocal edge"]
    from trustgraph.ingest.detect import read_graph

    direct = evaluate_edge_weight(
        read_graph(signed_file), methods=("Goodness", "Reciprocal edge")
    ).results
    assert payload["results"][0]["rmse"] == pytest.approx(direct[0]["rmse"])
    assert set(payload["results"][0]) >= {"method", "rmse", "pearson", "coverage"}


def test_markdown_table_and_figure(signed_file, tmp_path, capsys):
    figure = tmp_path / "ew.png"
    code, out, _ = run(
        capsys,
        "edge-weight",
        signed_file,
        "--format",
        "markdown",
        "--method",
        "Goodness",
        "--figure",
        figure,
    )
    assert code == 0
    assert out.startswith("| method |") and "| Goodness |" in out
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_table_output_and_levels(tmp_path, capsys):
    path = write_edges(
        tmp_path / "certs.txt",
        [("a", "b", 1.0), ("b", "c", 0.6), ("a", "c", 0.6), ("c", "a", 1.0), ("b", "a", 0.6)],
    )
    code, out, _ = run(capsys, "levels", path, "--method", "Mean incoming level")
    assert code == 0
    assert "Mean incoming level" in out and "mae" in out


def test_sybil_and_core_commands(tmp_path, capsys):
    G = nx.connected_caveman_graph(3, 6)
    both_ways = [(u, v, 1) for u, v in G.edges] + [(v, u, 1) for u, v in G.edges]
    path = write_edges(tmp_path / "social.txt", both_ways)
    code, out, _ = run(
        capsys,
        "sybil",
        path,
        "-g",
        "2",
        "--repetitions",
        "1",
        "--method",
        "SybilRank",
        "--format",
        "json",
        "--seed",
        "4",
    )
    assert code == 0
    rows = json.loads(out)["results"]
    assert rows[0]["attack_edges"] == 2 and 0.0 <= rows[0]["auc"] <= 1.0
    groups = tmp_path / "groups.txt"
    groups.write_text("node,group\n" + "".join(f"{v},{v // 6}\n" for v in G))
    code, out, _ = run(
        capsys,
        "core",
        path,
        "--labels",
        groups,
        "--n-sources",
        "3",
        "--method",
        "PPR",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["results"][0]["auc"] > 0.9


def test_fraud_with_labels_file(tmp_path, capsys):
    path = write_edges(
        tmp_path / "r.txt",
        [
            ("a", "b", 5),
            ("b", "a", 5),
            ("c", "a", -5),
            ("a", "c", -5),
            ("b", "c", -5),
            ("c", "d", 5),
            ("d", "b", 4),
        ],
    )
    labels = tmp_path / "labels.csv"
    labels.write_text("id,label\na,1\nb,+1\nc,-1\nd,-1\n")
    code, out, _ = run(capsys, "fraud", path, "--labels", labels, "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["parameters"]["good"] == 2 and payload["parameters"]["bad"] == 2
    assert {"auc", "average_precision"} <= set(payload["results"][0])
    other = tmp_path / "other.csv"
    other.write_text("a,benign\nb,benign\nc,fraud\n")
    code, _, _ = run(
        capsys,
        "fraud",
        path,
        "--labels",
        other,
        "--good-label",
        "benign",
        "--bad-label",
        "fraud",
    )
    assert code == 0


@pytest.mark.parametrize(
    ("protocol", "extra", "message"),
    [
        ("edge-weight", [], "no weights to predict"),
        ("levels", [], "no certification levels"),
        ("fraud", [], "needs --labels"),
        ("core", [], "core needs group labels"),
    ],
)
def test_missing_requirements_give_one_line_and_exit_1(tmp_path, capsys, protocol, extra, message):
    path = write_edges(tmp_path / "plain.txt", [("a", "b", 1), ("b", "c", 1), ("c", "a", 1)])
    code, out, err = run(capsys, protocol, path, *extra)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and message in err


def test_fraud_labels_without_known_values(tmp_path, capsys):
    path = write_edges(tmp_path / "r.txt", [("a", "b", 5), ("b", "a", -5)])
    labels = tmp_path / "labels.csv"
    labels.write_text("a,good\nb,bad\n")
    code, _, err = run(capsys, "fraud", path, "--labels", labels)
    assert code == 1 and "no label is one of" in err and err.count("\n") == 1


def test_missing_file_is_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "sybil", tmp_path / "absent.txt")
    assert code == 1 and err.count("\n") == 1
