"""Circles: exact Jenks against brute force, GVF by hand, modes, null model."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from trustgraph.analysis.circles import (
    circles,
    count_modes,
    goodness_of_variance_fit,
    jenks_breaks,
)
from trustgraph.exceptions import ParameterError


def brute_force_breaks(values, k):
    """Try every split of the sorted distinct values into k classes (oracle)."""
    x = np.sort(np.asarray(values, dtype=float))
    distinct = np.unique(x)
    best, best_bounds = np.inf, None
    for cuts in itertools.combinations(range(1, distinct.size), k - 1):
        bounds = [distinct[0]] + [distinct[c] for c in cuts]
        labels = np.searchsorted(bounds, x, side="right")
        cost = sum(((x[labels == c] - x[labels == c].mean()) ** 2).sum() for c in set(labels))
        if cost < best - 1e-12:
            best, best_bounds = cost, bounds
    return [float(b) for b in best_bounds]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [2, 3, 4])
def test_jenks_matches_brute_force(seed, k):
    rng = np.random.default_rng(seed)
    values = np.round(rng.lognormal(1.0, 1.0, 11), 1)
    assert jenks_breaks(values, k) == pytest.approx(brute_force_breaks(values, k))


def test_gvf_by_hand():
    # mean 6.5; SDAM = 2 * (5.5^2 + 4.5^2 + 3.5^2) = 125.5; SDCM = 2 + 2 = 4.
    assert goodness_of_variance_fit([1, 2, 3, 10, 11, 12], [1, 10]) == pytest.approx(1 - 4 / 125.5)
    assert goodness_of_variance_fit([5, 5, 5], [5]) == 1.0


def test_jenks_rejects_bad_k():
    with pytest.raises(ParameterError, match="k must be"):
        jenks_breaks([1, 1, 2], 3)
    with pytest.raises(ParameterError):
        jenks_breaks([], 1)


def test_modes_of_separated_and_single_samples():
    rng = np.random.default_rng(1)
    three = np.concatenate([rng.normal(c, 0.2, 150) for c in (0, 3, 6)])
    assert count_modes(three) == 3
    assert count_modes(rng.normal(0, 1, 500)) == 1


def test_planted_layers_are_found_and_called_real():
    rng = np.random.default_rng(2)
    # Planted geometric layers: 5 at ~200/yr, 10 at ~50/yr, 35 at ~12/yr, 100 at ~3/yr.
    freq = {}
    for layer, (size, rate) in enumerate([(5, 200), (10, 50), (35, 12), (100, 3)], start=1):
        for i in range(size):
            freq[(layer, i)] = rate * np.exp(rng.normal(0, 0.1))
    c = circles(freq, n_layers=4, n_null=50, seed=0)
    assert c.cumulative_sizes == [5, 15, 50, 150]
    assert all(c.layers[(layer, i)] == layer for layer, i in freq)
    assert c.real is True and c.p_value < 0.05
    # The automatic rule (95% of variance) may merge adjacent planted layers but never
    # splits one: every planted layer lands in a single found layer.
    auto = circles(freq, n_null=0)
    assert auto.n_layers >= 3
    for layer in range(1, 5):
        assert len({auto.layers[key] for key in freq if key[0] == layer}) == 1


def test_lognormal_frequencies_are_not_called_layered():
    rng = np.random.default_rng(3)
    freq = {i: float(f) for i, f in enumerate(rng.lognormal(1.5, 1.0, 150))}
    c = circles(freq, n_layers=4, n_null=60, seed=0)
    assert c.real is False


def test_inactive_contacts_get_no_layer_and_errors():
    c = circles({"a": 10.0, "b": 0.5}, n_null=0)
    assert c.layers == {"a": 1}
    with pytest.raises(ParameterError, match="non-negative"):
        circles({"a": -1.0})
    with pytest.raises(ParameterError, match="n_layers"):
        circles({"a": 1.0}, n_layers="median")
    assert circles({}).n_layers == 0


def test_mode_count_agrees_with_scipy_kde():
    from scipy.signal import find_peaks
    from scipy.stats import gaussian_kde

    rng = np.random.default_rng(5)
    for sample in (
        np.concatenate([rng.normal(0, 0.5, 100), rng.normal(2.5, 0.4, 60)]),
        rng.lognormal(0, 1, 200),
    ):
        for bw in ("scott", "silverman", 0.2):
            kde = gaussian_kde(sample, bw_method=bw)
            span = np.ptp(sample)
            grid = np.linspace(sample.min() - 0.1 * span, sample.max() + 0.1 * span, 512)
            density = kde(grid)
            peaks, _ = find_peaks(density, prominence=0.05 * density.max())
            assert count_modes(sample, bandwidth=bw) == max(1, peaks.size)
