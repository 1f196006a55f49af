"""EgoThresholds: every rule threshold reaches its rule, and the defaults change nothing."""

from __future__ import annotations

from datetime import datetime, timezone

import networkx as nx
import pytest

from trustgraph.analysis.ego import EgoParameters, EgoThresholds, analyze_ego
from trustgraph.datasets import sample_owner, sample_paths
from trustgraph.exceptions import ParameterError
from trustgraph.ingest.load import load_inputs
from trustgraph.report.model import build_report

YEAR = 365.25 * 86_400


def _rules(**changed) -> EgoParameters:
    return EgoParameters(n_null=0, n_layers=3, thresholds=EgoThresholds(**changed))


@pytest.fixture(scope="module")
def hand_ego() -> nx.DiGraph:
    """Six two-way ties in three layers; ann went quiet after a month of a busy year."""
    G = nx.DiGraph()
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp()
    for friend, n in [("ann", 200), ("bo", 180), ("cy", 40), ("di", 35), ("ed", 6), ("fi", 5)]:
        for u, v in (("me", friend), (friend, "me")):
            G.add_edge(u, v, weight=1.0, count=n, first_seen=t0, last_seen=t0 + YEAR)
    G["ann"]["me"]["last_seen"] = G["me"]["ann"]["last_seen"] = t0 + 30 * 86_400
    return G


def test_core_layers_decide_how_many_layers_are_core(hand_ego):
    default = analyze_ego(hand_ego, ["me"], _rules())
    assert default.members("core") and set(default.members("core")) == {"bo", "cy", "di"}
    inner = analyze_ego(hand_ego, ["me"], _rules(core_layers=1))
    assert set(inner.members("core")) == {"bo"}
    assert set(inner.members("circle")) == {"cy", "di", "ed", "fi"}
    # Three layers found, but four required before two of them are core: layer 1 alone.
    strict = analyze_ego(hand_ego, ["me"], _rules(core_min_layers=4))
    assert strict.classes == inner.classes


def test_stale_gaps_reach_the_stale_rule(hand_ego):
    # ann's 335 days of silence are past 180 days and past three of her usual gaps
    # (a year over 400 messages): stale. Asking for a million gaps keeps her trusted.
    assert analyze_ego(hand_ego, ["me"], _rules()).stale == ["ann"]
    patient = analyze_ego(hand_ego, ["me"], _rules(stale_gaps=1e6))
    assert patient.stale == [] and patient.classes["ann"] == "core"


def test_active_per_year_drops_rare_ties_from_the_layers(hand_ego):
    # ed and fi write 12 and 10 times a year (both ways); a floor of 11 a year leaves
    # fi without a layer: an acquaintance (the owner wrote to them), no longer circle.
    found = analyze_ego(hand_ego, ["me"], _rules(active_per_year=11.0))
    assert found.layers["fi"] is None and found.classes["fi"] == "acquaintance"
    assert found.layers["ed"] is not None


def _fan_out_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_edge("me", "a", weight=1.0, count=3)
    G.add_edge("a", "me", weight=1.0, count=3)
    for i in range(150):
        G.add_edge("bot", f"v{i}", weight=1.0, count=1)
    G.add_edge("bot", "me", weight=1.0, count=1)
    return G


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ({}, "broadcaster"),
        # bot answers none of its 151 edges: a reciprocity cut of 0 is never undercut.
        ({"fan_out_max_reciprocity": 0.0}, "stranger"),
        # its out-degree, 151, is below a floor of 152.
        ({"fan_out_min_degree": 152}, "stranger"),
    ],
)
def test_fan_out_thresholds_reach_the_broadcaster_rule(changed, expected):
    parameters = EgoParameters(n_null=0, whole_network=True, thresholds=EgoThresholds(**changed))
    assert analyze_ego(_fan_out_graph(), ["me"], parameters).classes["bot"] == expected


@pytest.fixture(scope="module")
def sample_graph():
    paths = sample_paths()
    return load_inputs([paths["contacts"], paths["conversations"]], me=[sample_owner()]).graph


def test_sybil_thresholds_reach_the_overlay_and_options_override_them(sample_graph):
    me = [sample_owner()]
    default = analyze_ego(sample_graph, me, n_null=0)
    flagged = [c for c in default.sybil_clusters if c.flagged]
    assert flagged and all(c.conductance > 0 for c in flagged)
    # A conductance cap of zero admits no cluster with an attack edge.
    closed = EgoParameters(n_null=0, thresholds=EgoThresholds(sybil_max_conductance=0.0))
    assert analyze_ego(sample_graph, me, closed).sybil_like == frozenset()
    # sybil_options= still overrides the thresholds object, as before it existed.
    reopened = analyze_ego(sample_graph, me, closed, sybil_options={"max_conductance": 0.1})
    assert reopened.sybil_like == default.sybil_like
    assert reopened.thresholds["sybil"]["max_conductance"] == 0.1


def test_the_report_lists_only_changed_thresholds(hand_ego):
    plain = build_report(hand_ego, ["me"], parameters=_rules())
    assert "stale_gaps" not in plain.parameters and "thresholds" not in plain.parameters
    changed = build_report(hand_ego, ["me"], parameters=_rules(stale_gaps=2.0))
    assert changed.parameters["stale_gaps"] == 2.0


@pytest.mark.parametrize(
    "changed",
    [
        {"core_layers": 0},
        {"max_layers": 1.5},
        {"sybil_min_size": 1},
        {"gvf_target": 0.0},
        {"fan_out_quantile": 1.5},
        {"sybil_max_conductance": -0.1},
        {"stale_gaps": -1.0},
        {"active_per_year": float("nan")},
        {"fan_out_min_degree": True},
    ],
)
def test_thresholds_outside_their_domain_are_refused(changed):
    with pytest.raises(ParameterError, match=next(iter(changed))):
        EgoThresholds(**changed)


def test_parameters_refuse_a_plain_mapping_as_thresholds():
    with pytest.raises(ParameterError, match="EgoThresholds"):
        EgoParameters(thresholds={"stale_gaps": 3.0})
