"""The Spark backend takes its methods from the registry (runs without pyspark)."""

from __future__ import annotations

import inspect

import pytest

from trustgraph.algorithms.registry import METHODS, get_method, method_names
from trustgraph.backends import spark
from trustgraph.exceptions import ParameterError


def test_methods_are_the_registry_spark_methods():
    assert method_names(spark=True) == spark.METHODS
    assert spark.METHODS  # the backend implements something


@pytest.mark.parametrize("name", method_names(spark=True))
def test_each_spark_method_resolves_and_shares_the_core_tunables(name):
    method = get_method(name)
    function = spark.backend_function(method.title)
    assert function is getattr(spark, method.function.__name__)
    parameters = inspect.signature(function).parameters
    positional = [
        p.name for p in parameters.values() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert positional == ["edges", "seeds"]
    for tunable in method.tunables:
        assert parameters[tunable.name].default == tunable.default, (name, tunable.name)


@pytest.mark.parametrize("name", [m for m in METHODS if m not in method_names(spark=True)])
def test_methods_without_spark_raise_listing_the_choices(name):
    with pytest.raises(ParameterError) as info:
        spark.rank(None, name, ["a"])
    for choice in spark.METHODS:
        assert choice in str(info.value)


def test_unknown_method_raises():
    with pytest.raises(ParameterError, match="unknown method"):
        spark.backend_function("hitrank")
