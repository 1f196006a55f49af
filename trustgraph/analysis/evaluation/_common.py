"""Helpers shared by the protocols (private)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from trustgraph.analysis.evaluation.metrics import bootstrap_interval, isotonic_fit, pearson, rmse
from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ParameterError

#: ``progress(done, total)``; the CLI passes a rich progress bar's update.
Progress = Callable[[int, int], None] | None


def tick(progress: Progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def check_sample(sample: int | None, available: int) -> int:
    """Edges to evaluate: `sample` (capped at `available`) or all when None."""
    if sample is None:
        return available
    if isinstance(sample, bool) or int(sample) != sample or sample < 1:
        raise ParameterError(f"sample must be a positive integer, got {sample!r}")
    return min(int(sample), available)


def without_edge(cg: CompactGraph, weights: np.ndarray, position: int) -> CompactGraph:
    """`cg` with `weights`, the stored edge at `position` set to 0.

    Every propagation metric ignores zero-weight edges (DESIGN.md §3), so this removes the
    edge without rebuilding the CSR structure.
    """
    held_out = weights.copy()
    held_out[position] = 0.0
    return cg.with_weights(held_out)


def relative_score(scores: np.ndarray, neighbours: np.ndarray, target: int) -> float:
    """``score(target) / mean score of the source's other out-neighbours``.

    The feature that puts PPR probabilities and Appleseed energies of different sources on
    one scale before the monotone mapping; NaN when there is no reference (no other
    out-neighbour with a positive score) or the target is unreached.
    """
    others = neighbours[neighbours != target]
    if others.size == 0 or scores[target] <= 0:
        return float("nan")
    reference = float(scores[others].mean())
    if reference <= 0:
        return float("nan")
    return float(scores[target] / reference)


def cross_fitted_mapping(
    feature: np.ndarray, actual: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Map scores to the rating scale by isotonic regression, fitted out of fold.

    The evaluated edges are split at random into two halves; each half is predicted by the
    non-decreasing fit of rating on feature over the other half, so the edge predicted
    never shapes its own mapping (the mapping is fitted on training edges only). NaN
    features stay NaN (not covered).
    """
    predicted = np.full(feature.shape, np.nan)
    covered = np.flatnonzero(np.isfinite(feature))
    if covered.size < 2:
        return predicted
    fold = rng.permutation(covered.size) % 2
    for part in (0, 1):
        train, test = covered[fold != part], covered[fold == part]
        mapping = isotonic_fit(feature[train], actual[train])
        predicted[test] = mapping(feature[test])
    return predicted


def score_row(
    name: str,
    predicted: np.ndarray,
    actual: np.ndarray,
    *,
    error: str,
    interval: bool,
    n_bootstrap: int,
    seed: int | None,
    extra: dict | None = None,
) -> dict:
    """One results row: error (``rmse`` or ``mae``), Pearson, coverage, optional CIs."""
    covered = np.isfinite(predicted)
    p, a = predicted[covered], actual[covered]

    def error_of(x: np.ndarray, y: np.ndarray) -> float:
        if x.size == 0:
            return float("nan")
        return rmse(x, y) if error == "rmse" else float(np.mean(np.abs(x - y)))

    row: dict = {"method": name, error: error_of(p, a)}
    if error == "rmse":
        row["pearson"] = pearson(p, a)
    row["coverage"] = float(covered.mean()) if covered.size else float("nan")
    row["n"] = int(covered.size)
    if interval and p.size > 1:
        row[f"{error}_low"], row[f"{error}_high"] = bootstrap_interval(
            lambda i: error_of(p[i], a[i]), p.size, n_resamples=n_bootstrap, seed=seed
        )
        if error == "rmse":
            row["pearson_low"], row["pearson_high"] = bootstrap_interval(
                lambda i: pearson(p[i], a[i]), p.size, n_resamples=n_bootstrap, seed=seed
            )
    if extra:
        row.update(extra)
    return row
