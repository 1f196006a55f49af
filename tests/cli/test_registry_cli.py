"""The CLI offers exactly the registry's methods (issue 17: one list of methods).

Each command's choices are probed by behaviour: every registered name is passed to
``--method``; the command must run the names its filter keeps (with the library's own
scores) and reject every other name as a usage error. So a metric added to the registry
shows up in the CLI, and no command keeps a list of its own.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import networkx as nx
import pytest

from trustgraph.algorithms.registry import METHODS, get_method, method_names
from trustgraph.analysis import evaluation as ev
from trustgraph.analysis.evaluation.core import CORE_METHODS
from trustgraph.analysis.evaluation.edge_weight import EDGE_WEIGHT_METHODS
from trustgraph.analysis.evaluation.fraud import FRAUD_METHODS
from trustgraph.analysis.evaluation.levels import LEVEL_METHODS
from trustgraph.analysis.evaluation.sybil import SYBIL_METHODS
from trustgraph.cli.app import COMMANDS, main

# Undirected-looking trust ring with a tail, positive weights: every seeded metric runs on it.
EDGES = [
    ("a", "b", 0.9),
    ("b", "a", 0.9),
    ("a", "c", 0.8),
    ("c", "a", 0.8),
    ("b", "c", 0.7),
    ("c", "b", 0.7),
    ("c", "d", 0.6),
    ("d", "c", 0.6),
    ("d", "e", 0.5),
    ("e", "d", 0.5),
]
RANK_EXPECTED = set(method_names(seeds="many", output="scores"))
# Local trust metrics (Ziegler and Lausen): spreading activation, paths and flows.
TRUST_EXPECTED = {
    name for name, m in METHODS.items() if m.family in ("spreading", "paths", "flow")
}


def graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from(EDGES)
    return G


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("registry") / "ring.graphml"
    nx.write_graphml(graph(), path)
    return path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", list(METHODS))
def test_rank_runs_exactly_the_seeded_scoring_metrics(name, graph_file, capsys):
    argv = ["rank", graph_file, "--trusted", "a", "--method", name, "--top", "0"]
    code, out, err = run(capsys, *argv, "--format", "json")
    if name not in RANK_EXPECTED:
        assert code == 2 and "Invalid value" in err
        return
    assert code == 0, err
    expected = get_method(name).function(graph(), ["a"])
    assert {row["node"]: row["score"] for row in json.loads(out)} == pytest.approx(expected)


@pytest.mark.parametrize("name", sorted(RANK_EXPECTED))
def test_rank_damping_applies_to_the_methods_with_a_damping_tunable(name, graph_file, capsys):
    damped = "damping" in {t.name for t in get_method(name).tunables}
    code, _, err = run(
        capsys, "rank", graph_file, "--trusted", "a", "--method", name, "--damping", "0.5"
    )
    assert (code == 0) if damped else (code == 2 and "--damping does not apply" in err), err


@pytest.fixture(scope="module")
def edge_list(tmp_path_factory):
    # The Spark engine reads delimited text or Parquet, not GraphML.
    path = tmp_path_factory.mktemp("registry") / "ring.csv"
    rows = "".join(f"{u},{v},{w}\n" for u, v, w in EDGES)
    path.write_text("source,target,weight\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(RANK_EXPECTED))
def test_rank_spark_engine_takes_the_registry_spark_methods(name, edge_list, capsys):
    code, _, err = run(
        capsys, "rank", edge_list, "--trusted", "a", "--method", name, "--engine", "spark"
    )
    refused = "--engine spark does not support" in err
    assert refused == (name not in method_names(spark=True))
    if refused:
        assert code == 2
        # The message lists what Spark runs, which is the registry's list.
        listed = err.split("(it runs ")[1].split(")")[0].split(", ")
        assert set(listed) == set(method_names(spark=True)) & RANK_EXPECTED


@pytest.mark.parametrize("name", list(METHODS))
def test_trust_runs_exactly_the_local_trust_metrics(name, graph_file, capsys):
    to = ["--to", "e"] if name in TRUST_EXPECTED and get_method(name).seeds == "pair" else []
    code, out, err = run(
        capsys, "trust", graph_file, "--from", "a", *to, "--method", name, "--format", "json"
    )
    if name not in TRUST_EXPECTED:
        assert code == 2 and "Invalid value" in err
        return
    assert code == 0, err
    method = get_method(name)
    rows = {row["node"]: row["score"] for row in json.loads(out)}
    if method.seeds == "pair":
        assert rows == {"e": pytest.approx(method.function(graph(), "a", "e"))}
    else:
        source = ["a"] if method.seeds == "many" else "a"
        assert rows == pytest.approx(method.function(graph(), source))


def test_every_local_metric_takes_the_signed_policy_of_trust():
    for name in TRUST_EXPECTED:
        assert "signed" in inspect.signature(get_method(name).function).parameters, name


def test_every_seeded_metric_is_offered_by_a_command():
    seeded = {name for name, m in METHODS.items() if m.seeds != "none"}
    assert seeded <= RANK_EXPECTED | TRUST_EXPECTED


def test_evaluate_offers_the_evaluation_packages_protocols_and_methods(tmp_path, capsys):
    path = tmp_path / "plain.txt"
    path.write_text("a b 1\nb c 1\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", "nonsense", path)
    assert code == 2 and "Invalid value" in err
    for protocol in ev.PROTOCOLS:
        assert protocol in err
    lists = {
        "edge-weight": EDGE_WEIGHT_METHODS,
        "levels": LEVEL_METHODS,
        "sybil": SYBIL_METHODS,
        "core": CORE_METHODS,
        "fraud": FRAUD_METHODS,
    }
    assert set(lists) == set(ev.PROTOCOLS)
    code, out, _ = run(capsys, "evaluate", "--help")
    assert code == 0
    flat = " ".join(out.replace("│", " ").split())
    for protocol, names in lists.items():
        assert f"{protocol}: {', '.join(names)}" in flat


def test_help_lists_every_command_without_importing_them():
    code = (
        "import sys; from trustgraph.cli.app import main; main(['--help']); "
        "print(sorted(m for m in sys.modules if m.startswith('trustgraph.') "
        "and (m.endswith('_cmd') or m.startswith(('trustgraph.algorithms', "
        "'trustgraph.analysis', 'trustgraph.ingest.load', 'trustgraph.cli.rank')))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": ""},
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "[]", result.stderr
    for command in COMMANDS:
        assert any(command.name in line and command.summary in line for line in lines)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_each_command_shows_its_own_help(command, capsys):
    code, out, _ = run(capsys, command.name, "--help")
    assert code == 0 and f"trustgraph {command.name}" in out
