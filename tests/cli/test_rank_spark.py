"""``trustgraph rank --engine spark``: options, refusals and one real local-mode run."""

from __future__ import annotations

import json

import pytest

from trustgraph.cli.app import main
from trustgraph.cli.rank import spark_path

# The go-eigentrust README graph (DESIGN.md section 6) with uniform pre-trust {ek, vm}
# (the CLI weighs --trusted nodes equally) and damping d = 0.2 (few Spark rounds to 1e-10).
# By hand: P(ek->sd) = 4/7, P(ek->vm) = 3/7, P(vm->sd) = 1, sd dangling (its mass returns
# to the pre-trust). With c = x_ek = (1 - d + d x_sd) / 2: x_vm = c + d (3/7) c = 38c/35,
# x_sd = d (4c/7 + x_vm) = 58c/175; the sum 423c/175 = 1 gives ek 175/423, vm 190/423,
# sd 58/423. (At d = 0.5 the same steps give the README-style 28/87, 34/87, 25/87.)
EDGES_CSV = "source,target,weight\nek,sd,100\nvm,sd,100\nek,vm,75\n"
REFERENCE = {"ek": 175 / 423, "vm": 190 / 423, "sd": 58 / 423}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def edge_file(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text(EDGES_CSV)
    return path


def test_spark_refuses_methods_it_does_not_run(edge_file, capsys):
    code, out, err = run(
        capsys, "rank", str(edge_file), "--trusted", "ek", "--engine", "spark", "--method",
        "sybilscar",
    )  # fmt: skip
    assert code == 2 and out == ""
    assert "--engine spark does not support --method sybilscar" in err


def test_spark_master_needs_the_spark_engine(edge_file, capsys):
    code, _, err = run(capsys, "rank", str(edge_file), "--trusted", "ek", "--spark-master", "x")
    assert code == 2
    assert "--spark-master needs --engine spark" in err


def test_spark_path_keeps_uri_slashes(tmp_path):
    from pathlib import Path

    assert spark_path(Path("s3a://bucket/graphs/edges.parquet")) == (
        "s3a://bucket/graphs/edges.parquet"
    )
    assert spark_path(tmp_path / "e.csv") == str(tmp_path / "e.csv")


def test_spark_engine_ranks_like_the_reference(spark, edge_file, capsys):
    code, out, err = run(
        capsys, "rank", str(edge_file), "--trusted", "ek", "--trusted", "vm", "--engine",
        "spark", "--spark-master", "local[2]", "--format", "json", "--method", "eigentrust",
        "--damping", "0.2",
    )  # fmt: skip
    assert code == 0, err
    assert err == ""  # the status line is drawn only on a terminal
    rows = json.loads(out)
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert [row["node"] for row in rows] == ["vm", "ek", "sd"]
    for row in rows:
        assert row["score"] == pytest.approx(REFERENCE[row["node"]], abs=5e-7)
    assert spark.sparkContext._jsc is not None  # still running: not stopped by the command


def test_spark_engine_reports_a_missing_file_in_one_line(spark, tmp_path, capsys):
    missing = tmp_path / "nowhere.csv"
    code, out, err = run(
        capsys, "rank", str(missing), "--trusted", "ek", "--engine", "spark",
        "--spark-master", "local[2]",
    )  # fmt: skip
    assert code == 1 and out == ""
    assert err.startswith(f"trustgraph: error: {missing}: Spark:")
    assert len(err.strip().splitlines()) == 1


def test_spark_engine_refuses_a_graph_format_it_cannot_read(spark, tmp_path, capsys):
    # A GraphML file read as delimited text used to end in a Java stack trace.
    path = tmp_path / "ring.graphml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<graphml/>\n')
    code, out, err = run(capsys, "rank", str(path), "--trusted", "a", "--engine", "spark")
    assert code == 2 and out == ""
    assert "reads CSV/TSV edge lists or Parquet, not GRAPHML" in err
    assert len(err.strip().splitlines()) == 1


def test_spark_ranking_reports_stages_and_recoveries(spark, edge_file, capsys, monkeypatch):
    import warnings

    from trustgraph.backends import spark as spark_backend
    from trustgraph.cli.rank import RankMethod, spark_ranking

    real = spark_backend.personalized_pagerank

    def recovering(*args, **kwargs):
        # What the walk says after resuming from a lost executor (tests/backends covers it).
        warnings.warn("Spark lost a local checkpoint; resuming", RuntimeWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(spark_backend, "personalized_pagerank", recovering)
    lines: list[str] = []
    rows = spark_ranking(
        edge_file, ["ek", "vm"], RankMethod.ppr, 0.2, "weight", "local[2]", 2, status=lines.append
    )
    assert [node for _, node, _ in rows] == ["vm", "ek"]
    assert lines[:2] == ["starting Spark (local[2])", "ppr: reading edges.csv and checking it"]
    assert lines[-1] == "ppr: collecting the top 2"
    iterations = lines[2:-1]
    assert len(iterations) > 1
    for number, line in enumerate(iterations, start=1):
        assert line.startswith(f"ppr: iteration {number}, L1 change ")
    # One plain line, not a Python warning with its source file and line.
    assert (
        capsys.readouterr().err == "trustgraph: warning: Spark lost a local checkpoint; resuming\n"
    )
