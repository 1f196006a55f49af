"""Seed vectors and boundary validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trustgraph.core.compact import CompactGraph
from trustgraph.core.validate import check_damping, check_max_iter, check_tol, check_weights
from trustgraph.core.vectors import scores_to_dict, seed_vector
from trustgraph.exceptions import GraphError, ParameterError, SeedError

CG = CompactGraph.from_edges(["a", "b", "c"], ["b", "c", "d"], [1.0, 2.0, 3.0])


def test_iterable_seeds_share_equally_and_repeats_do_not_add():
    assert seed_vector(CG, ["a", "c", "a"]).tolist() == [0.5, 0.0, 0.5, 0.0]


def test_mapping_seeds_are_normalised():
    np.testing.assert_allclose(seed_vector(CG, {"b": 1, "d": 3}), [0, 0.25, 0, 0.75])


def test_single_node_label_is_accepted():
    assert seed_vector(CG, "d").tolist() == [0, 0, 0, 1.0]


@pytest.mark.parametrize(
    ("seeds", "message"),
    [
        ([], "empty"),
        (["zz"], "not in the graph: 'zz'"),
        ({"a": -1}, "must be finite and >= 0"),
        ({"a": math.nan}, "must be finite"),
        ({"a": 0, "b": 0}, "sum to zero"),
        ({"a": "x"}, "not a number"),
    ],
)
def test_bad_seeds_raise(seeds, message):
    with pytest.raises(SeedError, match=message):
        seed_vector(CG, seeds)


def test_seed_error_is_also_value_error():
    with pytest.raises(ValueError):
        seed_vector(CG, [])


@pytest.mark.parametrize("damping", [-0.1, 1.0, 1.5, "x", math.nan])
def test_bad_damping(damping):
    with pytest.raises(ParameterError, match="damping"):
        check_damping(damping)


def test_good_parameters_pass_through():
    assert check_damping(0.85) == 0.85
    assert check_tol(1e-9) == 1e-9
    assert check_max_iter(10) == 10


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_max_iter(bad):
    with pytest.raises(ParameterError):
        check_max_iter(bad)


def test_check_weights_names_the_edge():
    cg = CompactGraph.from_edges(["a", "b"], ["b", "c"], [1.0, -2.0])
    with pytest.raises(GraphError, match=r"'b' -> 'c' has negative weight -2.0"):
        check_weights(cg)
    check_weights(cg, allow_negative=True)
    nan = CompactGraph.from_edges(["a", "b"], ["b", "c"], [math.nan, 1.0])
    with pytest.raises(GraphError, match="'a' -> 'b' has weight nan"):
        check_weights(nan, allow_negative=True)


def test_scores_to_dict_covers_every_node():
    assert scores_to_dict(CG, np.arange(4)) == {"a": 0.0, "b": 1.0, "c": 2.0, "d": 3.0}
