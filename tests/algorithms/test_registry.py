"""The method registry: names resolve, defaults match the signatures, nothing is missed."""

from __future__ import annotations

import inspect

import networkx as nx
import pytest

import trustgraph.algorithms.flow as flow
import trustgraph.algorithms.paths as paths
import trustgraph.algorithms.random_walk as random_walk
import trustgraph.algorithms.signed as signed
import trustgraph.algorithms.spreading as spreading
import trustgraph.algorithms.sybil as sybil
from trustgraph.algorithms.registry import METHODS, get_method, method_names
from trustgraph.exceptions import ParameterError

FAMILIES = {
    "random_walk": random_walk,
    "sybil": sybil,
    "spreading": spreading,
    "flow": flow,
    "paths": paths,
    "signed": signed,
}
#: Public functions that are helpers or batch forms of a registered metric, not metrics.
NOT_METRICS = {
    "personalized_pagerank_matrix",
    "community_seeds",
    "sybilscar_weight_bound",
    "tidaltrust_all",
    "apply_signed_policy",
    "fairness_goodness_arrays",
    "rating_scale",
    "predict_edge_weight",
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ppr", "ppr"),
        ("Personalized PageRank", "ppr"),
        ("personalized_pagerank", "ppr"),
        ("ANTI-TRUSTRANK", "anti_trustrank"),
        ("Fairness/Goodness", "fairness_goodness"),
        ("tidaltrust", "tidaltrust"),
        ("  EigenTrust ", "eigentrust"),
    ],
)
def test_names_and_aliases_resolve(name: str, expected: str) -> None:
    assert get_method(name).name == expected


def test_unknown_name_raises_listing_the_choices() -> None:
    with pytest.raises(ParameterError) as info:
        get_method("hitrank")
    message = str(info.value)
    assert "'hitrank'" in message
    for name in METHODS:
        assert name in message


def test_aliases_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for method in METHODS.values():
        for key in {method.name, *method.aliases}:
            assert seen.setdefault(key, method.name) == method.name, key


def test_every_public_metric_is_registered_once() -> None:
    registered = [m.function for m in METHODS.values()]
    assert len(registered) == len(set(registered))
    for family, module in FAMILIES.items():
        for public in module.__all__:
            obj = getattr(module, public)
            if not inspect.isfunction(obj) or public in NOT_METRICS:
                continue
            matches = [m for m in METHODS.values() if m.function is obj]
            assert len(matches) == 1, public
            assert matches[0].family == family


@pytest.mark.parametrize("name", list(METHODS))
def test_tunables_match_the_signature(name: str) -> None:
    method = METHODS[name]
    parameters = inspect.signature(method.function).parameters
    for tunable in method.tunables:
        assert tunable.name in parameters, tunable.name
        parameter = parameters[tunable.name]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert parameter.default == tunable.default, tunable.name
        if tunable.low is not None and isinstance(tunable.default, (int, float)):
            assert tunable.low <= tunable.default
        if tunable.high is not None and isinstance(tunable.default, (int, float)):
            assert tunable.default <= tunable.high


@pytest.mark.parametrize("name", list(METHODS))
def test_seeds_kind_matches_the_signature(name: str) -> None:
    method = METHODS[name]
    positional = [
        p.name
        for p in inspect.signature(method.function).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    expected = {
        "many": ["G", "seeds"],
        "one": ["G", "source"],
        "pair": ["G", "source", "sink"],
        "none": ["G"],
    }[method.seeds]
    assert positional == expected


def test_bounds_are_enforced_by_the_functions() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    ppr = get_method("ppr")
    damping = next(t for t in ppr.tunables if t.name == "damping")
    ppr.function(G, ["a"], damping=damping.high)
    with pytest.raises(ParameterError):
        ppr.function(G, ["a"], damping=1.0)


def test_method_names_filters() -> None:
    assert method_names() == tuple(METHODS)
    assert set(method_names(spark=True)) == {"ppr", "trustrank", "eigentrust", "sybilrank"}
    assert method_names(output="pair") == ("tidaltrust",)
    assert set(method_names(seeds="none")) == {
        "pagerank",
        "inverse_pagerank",
        "fairness_goodness",
        "trust_distrust",
    }


def test_spark_methods_exist_in_the_backend_under_the_function_name() -> None:
    import trustgraph.backends.spark as spark

    for name in method_names(spark=True):
        assert get_method(name).function.__name__ in spark.__all__
