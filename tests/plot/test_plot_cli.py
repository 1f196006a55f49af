"""``trustgraph plot``: every kind writes a PNG, reruns give the same bytes."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from matplotlib.figure import Figure

from trustgraph.cli.app import main
from trustgraph.report.figures import core_inputs, draw_figure

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def graph_file(tmp_path: Path) -> Path:
    # me talks both ways with ada and bob, ada and bob with cyd, news only writes to me;
    # eve and fay know each other and cyd but never talk with me
    lines = [
        "source,target,weight",
        "me,ada,5",
        "ada,me,4",
        "me,bob,2",
        "bob,me,2",
        "ada,cyd,1",
        "bob,cyd,3",
        "news,me,9",
        "cyd,eve,1",
        "eve,fay,2",
        "fay,eve,2",
    ]
    path = tmp_path / "edges.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_core_inputs_follow_the_report_classifier(tmp_path):
    from trustgraph.analysis.ego import analyze_ego

    G = nx.read_edgelist(
        graph_file(tmp_path),
        delimiter=",",
        create_using=nx.DiGraph,
        data=[("weight", float)],
        comments="source",
    )
    analysis = analyze_ego(G, ["me"], seed=0)
    inputs = core_inputs(analysis)
    assert inputs["classes"] == analysis.classes
    assert inputs["layers"] == analysis.layers
    assert inputs["scores"] == {n: analysis.scores[n] for n in analysis.classes}


@pytest.mark.parametrize("kind", ["core", "timeline", "spread", "scores", "explain", "overview"])
def test_every_kind_writes_a_png(in_tmp, kind):
    source = graph_file(in_tmp)
    out = in_tmp / f"{kind}.png"
    code = main(["plot", str(source), "--kind", kind, "--me", "me", "-o", str(out), "--dpi", "40"])
    assert code == 0
    assert out.read_bytes().startswith(PNG)


def test_rerun_gives_identical_bytes_and_force_is_required(in_tmp, capsys):
    source = graph_file(in_tmp)
    out = in_tmp / "core.png"
    args = ["plot", str(source), "--me", "me", "-o", str(out), "--dpi", "40"]
    assert main(args) == 0
    first = out.read_bytes()
    assert main(args) == 1
    assert "--force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert out.read_bytes() == first


def test_usage_errors(in_tmp, capsys):
    source = graph_file(in_tmp)
    assert main(["plot", str(source), "--me", "me", "-o", "out.svg"]) == 2
    assert main(["plot", str(source), "--me", "nobody", "-o", "x.png"]) == 1
    assert "--me" in capsys.readouterr().err


def test_labels_are_replaced_everywhere_when_a_label_function_is_given(in_tmp):
    G = nx.DiGraph()
    G.add_weighted_edges_from([("me", "ada", 5), ("ada", "me", 4), ("ada", "cyd", 1)])
    for kind in ("core", "explain"):
        figure = draw_figure(kind, G, ["me"], target="cyd", label=lambda n: f"anon-{n}")
        assert isinstance(figure, Figure)
        texts = {t.get_text() for ax in figure.axes for t in ax.texts}
        texts |= {ax.get_title(loc="left") for ax in figure.axes}
        assert not any(name in t.split() for t in texts for name in ("ada", "cyd"))
        assert any("anon-" in t for t in texts)
