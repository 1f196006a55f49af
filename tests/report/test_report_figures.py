"""The report's figures come from the one analysis the text renders, with the user's options."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from trustgraph.analysis.ego import EgoParameters
from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.report.figures import core_inputs, timeline_people
from trustgraph.report.model import build_report
from trustgraph.report.pipeline import _figures
from trustgraph.report.render import to_json

EGO_FIGURES = ["core-map.png", "trusted-over-time.png", "trust-spread.png", "explanation.png"]
DAY = 86_400.0


def ego_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    for i, n in enumerate([60, 50, 20, 18, 5, 4, 3]):
        for u, v in (
            ("me@example.com", f"p{i}@example.com"),
            (f"p{i}@example.com", "me@example.com"),
        ):
            G.add_edge(u, v, weight=1.0 + i / 10, count=n, first_seen=0.0, last_seen=300 * DAY)
    # p0's friends: reached only through p0 (hop 2), so the explanation has someone to explain.
    G.add_edge("p0@example.com", "f@example.com", weight=1.0, count=4)
    G.add_edge("p1@example.com", "f@example.com", weight=0.5, count=2)
    G.add_edge("ads@example.net", "me@example.com", weight=1.0, count=200, last_seen=300 * DAY)
    for i in range(6):
        G.add_edge("me@example.com", f"s{i}@example.org", weight=0.0, declared_only=True)
    return G


def parameters(**changes) -> EgoParameters:
    return EgoParameters(n_null=0, **changes)


def test_every_figure_is_registered_and_anonymized_labels_change_the_core_map():
    G = ego_graph()
    report = build_report(G, ["me@example.com"], parameters=parameters())
    plain = _figures(report, G)
    assert list(plain) == EGO_FIGURES
    assert all(data.startswith(b"\x89PNG") for data in plain.values())
    assert [f.filename for f in report.figures] == EGO_FIGURES
    hidden = build_report(
        G,
        ["me@example.com"],
        parameters=parameters(),
        pseudonymizer=Pseudonymizer(secret=b"k" * 32),
    )
    # Labels are drawn through the report's Display, so the pixels change.
    assert _figures(hidden, G)["core-map.png"] != plain["core-map.png"]


def test_whole_network_report_has_only_the_network_figures():
    G = ego_graph()
    report = build_report(G, [])
    images = _figures(report, G)
    assert list(images) == ["overview.png"]
    assert [f.filename for f in report.figures] == list(images)


def test_damping_reaches_the_spread_and_explanation_figures():
    G = ego_graph()
    default = build_report(G, ["me@example.com"], parameters=parameters())
    half = build_report(G, ["me@example.com"], parameters=parameters(damping=0.5))
    assert default.analysis.scores != half.analysis.scores
    assert default.analysis.explanation.damping == 0.85
    assert half.analysis.explanation.damping == 0.5
    assert default.analysis.explanation.score != pytest.approx(half.analysis.explanation.score)
    first, second = _figures(default, G), _figures(half, G)
    assert first["trust-spread.png"] != second["trust-spread.png"]
    assert first["explanation.png"] != second["explanation.png"]
    spread = next(f.caption for f in half.figures if f.filename == "trust-spread.png")
    assert "damping 0.5" in spread


def test_figure_counts_agree_with_the_json_report():
    G = ego_graph()
    report = build_report(G, ["me@example.com"], parameters=parameters())
    _figures(report, G)
    check_figures_against_json(report)


@pytest.mark.data
@pytest.mark.parametrize(
    ("folder", "name", "me"),
    [("college-msg", "CollegeMsg.txt", "9"), ("ego-facebook", "facebook.tar.gz", "0")],
)
def test_figure_counts_agree_with_the_json_report_on_public_data(
    shared_data, tmp_path, folder, name, me
):
    from trustgraph.report.pipeline import ReportJob, run_report

    path = shared_data / folder / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    job = ReportJob(paths=[path], me=[me])
    report = run_report(job, fmt="json", folder=tmp_path / "report").report
    check_figures_against_json(report)


def test_figure_counts_agree_with_the_json_report_on_the_sample(tmp_path):
    from trustgraph.report.pipeline import ReportJob, run_report

    report = run_report(ReportJob(), fmt="json", folder=tmp_path / "report").report
    check_figures_against_json(report)


def check_figures_against_json(report):
    data = json.loads(to_json(report))
    analysis = report.analysis
    # The core map draws exactly the classes the JSON lists.
    drawn = core_inputs(analysis)["classes"]
    listed = {c["class"] for c in data["contacts"]}
    assert {drawn[n] for n in drawn} == listed
    for cls, count in data["classes"].items():
        assert sum(1 for c in drawn.values() if c == cls) == count
    # Every count a caption states is the JSON's count.
    core_caption = next(f["caption"] for f in data["figures"] if f["file"] == "core-map.png")
    numbers = [int(x) for x in re.findall(r"\d+", core_caption)]
    assert numbers[:4] == [
        data["classes"]["core"],
        data["classes"]["circle"],
        data["classes"]["stale"],
        data["classes"]["broadcaster"],
    ]
    spread_caption = next(f["caption"] for f in data["figures"] if f["file"] == "trust-spread.png")
    assert f"{data['reach']['reached']:,} people" in spread_caption
    # The explanation's caption says whether its person is beyond the direct contacts.
    if analysis.target is not None:
        far = analysis.hops[analysis.target] >= 2
        assert far != analysis.target_is_direct
        caption = next(f["caption"] for f in data["figures"] if f["file"] == "explanation.png")
        assert ("the most trusted person beyond your direct contacts" in caption) == far
    # The timeline shows the trusted and stale people only.
    assert {analysis.classes[n] for n in timeline_people(analysis)} <= {"core", "circle", "stale"}


def test_a_report_solves_the_owners_personalized_pagerank_once(tmp_path, monkeypatch):
    import trustgraph.algorithms._walk as walk
    import trustgraph.analysis.explain as explain
    from trustgraph.report.pipeline import ReportJob, run_report

    calls = {"solve": 0, "batch": 0}
    solve, batch = walk.solve_ppr, explain.ppr_batch

    def counted_solve(*args, **kwargs):
        calls["solve"] += 1
        return solve(*args, **kwargs)

    def counted_batch(*args, **kwargs):
        calls["batch"] += 1
        return batch(*args, **kwargs)

    # The random-walk family solves through algorithms._walk (one solver call per metric).
    monkeypatch.setattr(walk, "solve_ppr", counted_solve)
    monkeypatch.setattr(explain, "ppr_batch", counted_batch)
    result = run_report(ReportJob(), fmt="json", folder=tmp_path / "report")
    assert calls == {"solve": 1, "batch": 0}
    assert result.report.analysis.explanation is not None
