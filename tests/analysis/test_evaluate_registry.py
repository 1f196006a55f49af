"""Evaluation offers the registry's metrics: every metric row names a registry entry.

The protocols' rows are contenders (trustgraph.analysis.evaluation.contenders): a metric
row runs a registry method and is labelled by its title (a variant in parentheses, or the
output it reads); a baseline is not a trust metric and must not be mistaken for one.
"""

from __future__ import annotations

import re

import networkx as nx
import pytest

from trustgraph.algorithms.registry import METHODS, get_method
from trustgraph.analysis.evaluation import evaluate_core, evaluate_sybil
from trustgraph.analysis.evaluation.contenders import baseline, choose, metric
from trustgraph.analysis.evaluation.core import CIRCLE_CONTENDERS, CORE_CONTENDERS, CORE_METHODS
from trustgraph.analysis.evaluation.edge_weight import (
    EDGE_WEIGHT_CONTENDERS,
    EDGE_WEIGHT_METHODS,
    evaluate_edge_weight,
)
from trustgraph.analysis.evaluation.fraud import FRAUD_CONTENDERS, FRAUD_METHODS
from trustgraph.analysis.evaluation.levels import LEVEL_CONTENDERS, LEVEL_METHODS
from trustgraph.analysis.evaluation.sybil import SYBIL_CONTENDERS, SYBIL_METHODS
from trustgraph.core.compact import as_compact
from trustgraph.exceptions import ParameterError

PROTOCOLS = {
    "core": (CORE_CONTENDERS, CORE_METHODS),
    "edge-weight": (EDGE_WEIGHT_CONTENDERS, EDGE_WEIGHT_METHODS),
    "fraud": (FRAUD_CONTENDERS, FRAUD_METHODS),
    "levels": (LEVEL_CONTENDERS, LEVEL_METHODS),
    "sybil": (SYBIL_CONTENDERS, SYBIL_METHODS),
    "circles": (CIRCLE_CONTENDERS, None),
}
ALL = [(name, c) for name, (contenders, _) in PROTOCOLS.items() for c in contenders]
# The baselines named by the brief and the papers: none of them is a registry metric.
BASELINES = {
    "Fairness x Goodness",
    "Reciprocal edge",
    "Mean incoming level",
    "Mean rating received",
}


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_method_lists_are_the_contenders_labels(protocol):
    contenders, methods = PROTOCOLS[protocol]
    labels = [c.label for c in contenders]
    assert len(set(labels)) == len(labels)
    if methods is not None:
        assert tuple(labels) == methods


@pytest.mark.parametrize(("protocol", "contender"), ALL, ids=lambda x: getattr(x, "label", x))
def test_every_metric_label_maps_to_its_registry_entry(protocol, contender):
    if contender.method is None:
        assert contender.label in BASELINES
        with pytest.raises(ParameterError):
            get_method(contender.label)
        return
    assert contender.method in METHODS  # the canonical name, not an alias
    # The label without its variant is a name the registry resolves to the same metric:
    # its title ("TrustRank") or an output it also answers to ("Goodness").
    bare = re.sub(r" \([^)]*\)$", "", contender.label)
    assert get_method(bare).name == contender.method
    assert contender.label.startswith(get_method(contender.method).title) or (
        bare.lower() in get_method(contender.method).aliases
    )


def test_the_metrics_offered_are_the_registrys():
    # Every metric some protocol runs is registered; the set is written out here so that a
    # protocol gaining or losing a metric shows up as a deliberate change.
    offered = {c.method for _, c in ALL if c.method is not None}
    assert offered <= set(METHODS)
    assert offered == {
        "ppr",
        "trustrank",
        "eigentrust",
        "pagerank",
        "sybilrank",
        "sybilscar",
        "appleseed",
        "advogato",
        "moletrust",
        "tidaltrust",
        "fairness_goodness",
    }


def test_choose_accepts_labels_registry_names_and_aliases():
    rows = (metric("ppr"), metric("pagerank", "global"), baseline("Reciprocal edge"))
    assert choose(rows, None) == ("personalized PageRank", "PageRank (global)", "Reciprocal edge")
    assert choose(rows, ["rwr", "PageRank", "reciprocal EDGE"]) == (
        "personalized PageRank",
        "PageRank (global)",
        "Reciprocal edge",
    )
    with pytest.raises(ParameterError, match="unknown method 'sybilrank'"):
        choose(rows, ["sybilrank"])
    with pytest.raises(ParameterError, match="unknown method 'nope'"):
        choose(rows, ["nope"])


def test_an_output_name_selects_one_row_and_the_metric_name_is_ambiguous():
    rows = (
        metric("fairness_goodness", output="fairness"),
        metric("fairness_goodness", output="goodness"),
    )
    assert choose(rows, ["goodness"]) == ("Goodness",)
    with pytest.raises(ParameterError, match="ambiguous"):
        choose(rows, ["fairness_goodness"])


def test_old_sybil_label_still_selects_trustrank_with_a_warning():
    honest = nx.connected_caveman_graph(3, 5)
    with pytest.warns(DeprecationWarning, match="'PPR/TrustRank' is now called 'TrustRank'"):
        old = evaluate_sybil(honest, attack_edges=(2,), repetitions=1, methods=("PPR/TrustRank",))
    new = evaluate_sybil(honest, attack_edges=(2,), repetitions=1, methods=("trustrank",))
    assert old.results == new.results
    assert old.results[0]["method"] == "TrustRank"


def test_registry_names_select_the_same_rows_as_labels():
    G = nx.DiGraph(nx.caveman_graph(3, 4))
    groups = {v: v // 4 for v in G}
    by_name = evaluate_core(G, groups, n_sources=4, methods=("personalized_pagerank",))
    by_label = evaluate_core(G, groups, n_sources=4, methods=("personalized PageRank",))
    assert by_name.results == by_label.results
    H = nx.DiGraph()
    H.add_weighted_edges_from([("a", "b", 2), ("b", "a", 1), ("c", "b", 2), ("a", "c", -1)])
    rows = evaluate_edge_weight(H, methods=("goodness", "Reciprocal edge")).results
    assert [r["method"] for r in rows] == ["Goodness", "Reciprocal edge"]


def test_sybil_takes_its_generator_as_a_parameter():
    # A generator that attaches no Sybil at all but labels the last node a Sybil: the
    # protocol must use it (and so score exactly that labelling), not the default.
    calls = []

    def attach(honest, **options):
        calls.append(options["n_attack_edges"])
        flags = [False] * (honest.n_nodes - 1) + [True]
        graph = as_compact(honest)
        graph = type(graph)(
            graph.nodes, graph.adjacency, directed=graph.directed, node_attrs={"sybil": flags}
        )
        return graph, [graph.nodes[-1]], []

    honest = nx.path_graph(6)
    result = evaluate_sybil(
        honest, attack_edges=(1, 2), repetitions=1, methods=("SybilRank",), attach=attach
    )
    assert calls == [1, 2]
    assert [r["attack_edges"] for r in result.results] == [1, 2]
