"""The report's figures come from the analysis, keyed by the ids the report shows."""

from __future__ import annotations

import networkx as nx

from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.report.model import build_report
from trustgraph.report.pipeline import _figures


def ego_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    for i, n in enumerate([60, 50, 20, 18, 5, 4, 3]):
        G.add_edge("me@example.com", f"p{i}@example.com", weight=1.0, count=n)
        G.add_edge(f"p{i}@example.com", "me@example.com", weight=1.0, count=n)
    G.add_edge("ads@example.net", "me@example.com", weight=1.0, count=200)
    for i in range(6):
        G.add_edge("me@example.com", f"s{i}@example.org", weight=0.0, declared_only=True)
    return G


EGO_FIGURES = [
    "core-map.png",
    "trust-spread.png",
    "score-agreement.png",
    "explanation.png",
    "overview.png",
]


def test_every_figure_is_registered_and_anonymized_labels_change_the_core_map():
    G = ego_graph()
    report = build_report(G, ["me@example.com"])
    plain = _figures(report, G, ["me@example.com"], seed=0)
    assert list(plain) == EGO_FIGURES
    assert all(data.startswith(b"\x89PNG") for data in plain.values())
    assert [f.filename for f in report.figures] == EGO_FIGURES
    hidden = build_report(G, ["me@example.com"], pseudonymizer=Pseudonymizer(secret=b"k" * 32))
    # Labels are drawn through the report's Display, so the pixels change.
    assert _figures(hidden, G, ["me@example.com"], seed=0)["core-map.png"] != plain["core-map.png"]


def test_whole_network_report_has_only_the_network_figures():
    G = ego_graph()
    report = build_report(G, [])
    images = _figures(report, G, [], seed=0)
    assert list(images) == ["score-agreement.png", "overview.png"]
    assert [f.filename for f in report.figures] == list(images)
