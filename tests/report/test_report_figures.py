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


def test_figure_is_registered_and_anonymized_labels_change_it():
    report = build_report(ego_graph(), ["me@example.com"])
    plain = _figures(report)
    assert list(plain) == ["core-map.png"] and plain["core-map.png"].startswith(b"\x89PNG")
    assert [f.filename for f in report.figures] == ["core-map.png"]
    hidden = build_report(
        ego_graph(), ["me@example.com"], pseudonymizer=Pseudonymizer(secret=b"k" * 32)
    )
    # Labels are drawn from the shown (pseudonymised) ids, so the pixels change.
    assert _figures(hidden)["core-map.png"] != plain["core-map.png"]


def test_whole_network_report_has_no_ego_figure():
    report = build_report(ego_graph(), [])
    assert _figures(report) == {} and report.figures == []
