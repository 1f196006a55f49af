"""Scores shared by every evaluation protocol: AUC, average precision, RMSE, Pearson.

Written with numpy and scipy only (no scikit-learn); each is checked in the tests against
an independent computation (a brute-force pairwise count, a hand computation, numpy).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.stats import rankdata

from trustgraph.exceptions import ParameterError

__all__ = [
    "auc",
    "average_precision",
    "bootstrap_interval",
    "isotonic_fit",
    "pearson",
    "precision_at_k",
    "rmse",
    "spread",
]


def _binary(scores: Sequence[float] | np.ndarray, positive: Sequence[bool] | np.ndarray):
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    if scores.shape != positive.shape or scores.ndim != 1:
        raise ParameterError(
            f"scores and labels must be 1-D of equal length, got {scores.shape} and "
            f"{positive.shape}"
        )
    if not np.isfinite(scores).all():
        raise ParameterError("scores must be finite")
    return scores, positive


def auc(scores: Sequence[float] | np.ndarray, positive: Sequence[bool] | np.ndarray) -> float:
    """Area under the ROC curve: P(a random positive scores above a random negative).

    Ties count one half (midranks, the Mann-Whitney statistic).

    Parameters
    ----------
    scores : array of float
        Higher means more likely positive.
    positive : array of bool
        The true labels.

    Returns
    -------
    float
        In [0, 1]; NaN when either class is empty.

    Raises
    ------
    ParameterError
        Mismatched shapes or non-finite scores.

    Notes
    -----
    ``AUC = (R+ - n+ (n+ + 1) / 2) / (n+ n-)`` where ``R+`` is the sum of the positives'
    midranks (``scipy.stats.rankdata``); O(n log n).

    References
    ----------
    J. A. Hanley, B. J. McNeil. "The meaning and use of the area under a receiver operating
    characteristic (ROC) curve." Radiology 143, 1982.

    Examples
    --------
    >>> auc([0.9, 0.5, 0.5, 0.1], [True, True, False, False])
    0.875
    """
    scores, positive = _binary(scores, positive)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(scores)  # midranks for ties
    rank_sum = float(ranks[positive].sum())
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def average_precision(
    scores: Sequence[float] | np.ndarray, positive: Sequence[bool] | np.ndarray
) -> float:
    """Average precision of a ranking by decreasing score.

    ``AP = (1 / n+) * sum over positives p of precision at p's rank``. Tied scores form
    one block: every positive in a block gets the precision at the block's end (the
    pessimistic, order-free convention), so the result never depends on node order.

    Parameters
    ----------
    scores : array of float
        Higher means more likely positive.
    positive : array of bool

    Returns
    -------
    float
        In (0, 1]; NaN when there is no positive.

    Raises
    ------
    ParameterError
        Mismatched shapes or non-finite scores.

    References
    ----------
    S. Kumar et al. "REV2: Fraudulent User Prediction in Rating Platforms." WSDM 2018
    (average precision of the fraud ranking).

    Examples
    --------
    Ranking p, n, p: precisions 1/1 and 2/3 at the positives:

    >>> round(average_precision([3, 2, 1], [True, False, True]), 6)
    0.833333
    """
    scores, positive = _binary(scores, positive)
    n_pos = int(positive.sum())
    if n_pos == 0:
        return float("nan")
    order = np.argsort(-scores, kind="stable")
    sorted_scores = scores[order]
    hits = positive[order].astype(np.float64)
    # The end of each tie block: the last index holding the same score.
    block_end = np.searchsorted(-sorted_scores, -sorted_scores, side="right") - 1
    cumulative_hits = np.cumsum(hits)
    precision = cumulative_hits[block_end] / (block_end + 1.0)
    return float((precision * hits).sum() / n_pos)


def precision_at_k(
    scores: Sequence[float] | np.ndarray, positive: Sequence[bool] | np.ndarray, k: int
) -> float:
    """Share of positives among the `k` highest scores (ties at the cut shared pro rata).

    Examples
    --------
    >>> precision_at_k([4, 3, 2, 1], [True, False, True, False], 2)
    0.5
    >>> precision_at_k([1, 1, 1, 1], [True, False, False, False], 2)
    0.25
    """
    scores, positive = _binary(scores, positive)
    if not 1 <= k <= scores.size:
        raise ParameterError(f"k must be in [1, {scores.size}], got {k}")
    threshold = np.sort(scores)[::-1][k - 1]
    above = scores > threshold
    at = scores == threshold
    remaining = k - int(above.sum())
    # The tied block at the cut contributes its positive share times the places left.
    from_ties = remaining * positive[at].sum() / at.sum()
    return float((positive[above].sum() + from_ties) / k)


def rmse(predicted: np.ndarray, actual: np.ndarray) -> float:
    """Root mean squared error; NaN for no pairs.

    Examples
    --------
    >>> rmse([1.0, 2.0], [1.0, 4.0]) == 2 ** 0.5
    True
    """
    predicted = np.asarray(predicted, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if predicted.size == 0:
        return float("nan")
    return float(np.sqrt(np.mean((predicted - actual) ** 2)))


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation; NaN when either side is constant or has fewer than 2 values.

    Examples
    --------
    >>> round(pearson([1, 2, 3], [2, 4, 7]), 6)
    0.993399
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.size < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def bootstrap_interval(
    statistic: Callable[[np.ndarray], float],
    n_items: int,
    *,
    n_resamples: int = 1000,
    level: float = 0.95,
    seed: int | None = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(indices)`` over `n_items` items.

    `statistic` receives an index array drawn with replacement; NaN draws are dropped.

    Examples
    --------
    >>> values = np.arange(10.0)
    >>> low, high = bootstrap_interval(lambda i: values[i].mean(), 10, seed=0)
    >>> bool(low < 4.5 < high)
    True
    """
    if n_items < 1:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    draws = np.array(
        [statistic(rng.integers(0, n_items, size=n_items)) for _ in range(n_resamples)]
    )
    draws = draws[np.isfinite(draws)]
    if draws.size == 0:
        return (float("nan"), float("nan"))
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(draws, [tail, 1.0 - tail])
    return (float(low), float(high))


def isotonic_fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Non-decreasing least-squares fit of y on x (pool adjacent violators).

    Returns a function that maps new x to the fitted step function (constant beyond the
    ends, the value of the nearest fitted point at or below x inside).

    Examples
    --------
    >>> f = isotonic_fit(np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0]))
    >>> f(np.array([0.0, 1.0, 2.5, 9.0])).tolist()
    [1.0, 1.0, 2.5, 2.5]
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.size == 0:
        return lambda q: np.full(np.shape(q), np.nan)
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    # Blocks as (sum, count); merge while the previous mean exceeds the current.
    sums: list[float] = []
    counts: list[int] = []
    for value in ys.tolist():
        sums.append(value)
        counts.append(1)
        while len(sums) > 1 and sums[-2] / counts[-2] > sums[-1] / counts[-1]:
            last_sum, last_count = sums.pop(), counts.pop()
            sums[-1] += last_sum
            counts[-1] += last_count
    fitted = np.repeat(np.array(sums) / np.array(counts), counts)

    def apply(query: np.ndarray) -> np.ndarray:
        position = np.searchsorted(xs, np.asarray(query, dtype=np.float64), side="right") - 1
        return fitted[np.clip(position, 0, xs.size - 1)]

    return apply


def spread(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation over repetitions, ignoring NaN (std 0 for one).

    Examples
    --------
    >>> spread([1.0, 3.0])
    (2.0, 1.4142135623730951)
    """
    array = np.asarray(values, dtype=np.float64)
    array = array[np.isfinite(array)]
    if array.size == 0:
        return (float("nan"), float("nan"))
    std = float(array.std(ddof=1)) if array.size > 1 else 0.0
    return (float(array.mean()), std)
