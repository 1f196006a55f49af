"""The evaluation metrics against independent computations (brute force, hand, numpy)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.analysis.evaluation.metrics import (
    auc,
    average_precision,
    bootstrap_interval,
    isotonic_fit,
    pearson,
    precision_at_k,
    rmse,
    spread,
)
from trustgraph.analysis.evaluation.sybil import accepted_sybils_per_attack_edge
from trustgraph.exceptions import ParameterError


def brute_force_auc(scores, positive):
    # Every (positive, negative) pair: 1 if the positive is above, 1/2 on a tie.
    pos = [s for s, p in zip(scores, positive) if p]
    neg = [s for s, p in zip(scores, positive) if not p]
    wins = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in pos for b in neg)
    return wins / (len(pos) * len(neg))


labelled_scores = st.lists(
    st.tuples(st.integers(0, 4), st.booleans()), min_size=2, max_size=30
).filter(lambda xs: any(p for _, p in xs) and not all(p for _, p in xs))


@settings(max_examples=80, deadline=None)
@given(labelled_scores)
def test_auc_equals_brute_force_pair_count_with_ties(pairs):
    scores = [float(s) for s, _ in pairs]  # few distinct values: many ties
    positive = [p for _, p in pairs]
    assert auc(scores, positive) == pytest.approx(brute_force_auc(scores, positive))


def test_auc_edge_cases():
    assert auc([1, 2, 3], [True, True, True]) != auc([1, 2, 3], [True, True, True])  # NaN
    assert auc([3, 2, 1], [True, False, False]) == 1.0
    assert auc([1, 1, 1, 1], [True, False, True, False]) == 0.5
    with pytest.raises(ParameterError):
        auc([1, 2], [True])
    with pytest.raises(ParameterError):
        auc([1, float("nan")], [True, False])


def naive_average_precision(scores, positive):
    # Hand definition on distinct scores: mean over positives of precision at their rank.
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, start=1):
        if positive[i]:
            hits += 1
            total += hits / rank
    return total / sum(positive)


def test_average_precision_by_hand():
    # Ranking + - + - +: precisions 1/1, 2/3, 3/5 -> (1 + 2/3 + 3/5) / 3 = 34/45.
    scores = [5, 4, 3, 2, 1]
    positive = [True, False, True, False, True]
    assert average_precision(scores, positive) == pytest.approx(34 / 45)
    # Ties: scores 2, 2, 1 with labels +, -, +. The tied block {+, -} ends at rank 2, so its
    # positive gets precision 1/2; the last positive 2/3: (1/2 + 2/3) / 2 = 7/12.
    assert average_precision([2, 2, 1], [True, False, True]) == pytest.approx(7 / 12)
    # Order of tied items does not matter.
    assert average_precision([2, 2, 1], [False, True, True]) == pytest.approx(7 / 12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=25).filter(any), st.randoms())
def test_average_precision_matches_naive_on_distinct_scores(positive, random):
    scores = list(range(len(positive)))
    random.shuffle(scores)
    assert average_precision(scores, positive) == pytest.approx(
        naive_average_precision(scores, positive)
    )


def test_precision_at_k_against_brute_force():
    rng = np.random.default_rng(3)
    scores = rng.permutation(20).astype(float)
    positive = rng.random(20) < 0.4
    for k in (1, 5, 20):
        top = np.argsort(-scores)[:k]
        assert precision_at_k(scores, positive, k) == pytest.approx(positive[top].mean())
    with pytest.raises(ParameterError):
        precision_at_k(scores, positive, 0)


def test_rmse_and_pearson_against_numpy():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=50), rng.normal(size=50)
    assert rmse(x, y) == pytest.approx(np.sqrt(((x - y) ** 2).mean()))
    assert pearson(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert np.isnan(pearson(np.ones(5), y[:5]))
    assert np.isnan(rmse(np.array([]), np.array([])))


def test_isotonic_fit_is_the_least_squares_monotone_fit():
    # y = 1, 3, 2, 4 on x = 1..4: the violator pair (3, 2) pools to 2.5.
    fit = isotonic_fit(np.array([4.0, 1.0, 3.0, 2.0]), np.array([4.0, 1.0, 2.0, 3.0]))
    assert fit(np.array([1.0, 2.0, 3.0, 4.0])).tolist() == [1.0, 2.5, 2.5, 4.0]
    # Brute force over a grid of monotone candidates on 3 points: the fit is no worse.
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 0.0, 1.0])
    fitted = isotonic_fit(x, y)(x)
    best = min(
        sum((np.array(c) - y) ** 2)
        for c in itertools.product(np.linspace(0, 2, 41), repeat=3)
        if c[0] <= c[1] <= c[2]
    )
    assert ((fitted - y) ** 2).sum() <= best + 1e-12
    assert np.all(np.diff(fitted) >= 0)


def test_bootstrap_interval_and_spread():
    values = np.random.default_rng(1).normal(size=200)
    low, high = bootstrap_interval(lambda i: values[i].mean(), values.size, seed=2)
    assert low < values.mean() < high
    assert high - low < 0.5
    assert spread([2.0]) == (2.0, 0.0)
    mean, std = spread([1.0, 2.0, 3.0, float("nan")])
    assert (mean, std) == (2.0, 1.0)


def test_accepted_sybils_per_attack_edge_by_hand():
    # 3 honest, 3 Sybils; the top 3 places hold 2 Sybils; g = 4 -> 0.5.
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    is_sybil = np.array([False, True, True, False, False, True])
    assert accepted_sybils_per_attack_edge(scores, is_sybil, 4) == 0.5
