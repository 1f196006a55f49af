"""Edge-weight (trust) prediction: leave-one-out and N%-held-out (Kumar et al. 2016)."""

from __future__ import annotations

import networkx as nx
import numpy as np

from trustgraph.algorithms.paths import moletrust, tidaltrust
from trustgraph.algorithms.random_walk import personalized_pagerank
from trustgraph.algorithms.signed import fairness_goodness_arrays, rating_scale
from trustgraph.algorithms.spreading import appleseed
from trustgraph.analysis.evaluation._common import (
    Progress,
    check_sample,
    cross_fitted_mapping,
    relative_score,
    score_row,
    tick,
    without_edge,
)
from trustgraph.analysis.evaluation.contenders import baseline, choose, labels, metric
from trustgraph.analysis.evaluation.leave_one_out import (
    FAIRNESS_X_GOODNESS,
    GOODNESS,
    leave_one_out_fairness_goodness,
)
from trustgraph.analysis.evaluation.results import EvaluationResult
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.validate import check_weights
from trustgraph.exceptions import GraphError, ParameterError

__all__ = ["EDGE_WEIGHT_CONTENDERS", "EDGE_WEIGHT_METHODS", "evaluate_edge_weight"]

#: Fast rows (every held-out edge): Kumar et al.'s two predictors and the reciprocal edge;
#: slow rows (a sample of edges): path and walk metrics rerun without the edge.
EDGE_WEIGHT_CONTENDERS = (
    baseline(FAIRNESS_X_GOODNESS),
    metric("fairness_goodness", output="goodness"),
    baseline("Reciprocal edge"),
    metric("tidaltrust"),
    metric("moletrust"),
    metric("appleseed"),
    metric("ppr"),
)
EDGE_WEIGHT_METHODS = labels(EDGE_WEIGHT_CONTENDERS)
FAST_METHODS = EDGE_WEIGHT_METHODS[:3]
SLOW_METHODS = EDGE_WEIGHT_METHODS[3:]
_, _, RECIPROCAL = FAST_METHODS
TIDALTRUST, MOLETRUST, APPLESEED, PPR = SLOW_METHODS


def evaluate_edge_weight(
    G: nx.Graph | CompactGraph,
    *,
    weight: str | None = "weight",
    scale: float | None = None,
    holdout: float | None = None,
    sample: int | None = 1000,
    methods: tuple[str, ...] | None = None,
    horizon: int = 3,
    threshold: float = 0.5,
    n_bootstrap: int = 1000,
    seed: int | None = 0,
    dataset: str = "graph",
    progress: Progress = None,
) -> EvaluationResult:
    """Predict held-out edge weights with each metric rerun without them.

    Parameters
    ----------
    G : networkx.DiGraph or CompactGraph
        Directed, signed or weighted (``u -> v`` with weight: u rated v).
    weight : str or None, default "weight"
    scale : float, optional
        Ratings are divided by `scale` (default: the largest absolute rating), so that they
        lie in [-1, 1]; RMSE is reported in these units, as in the paper.
    holdout : float, optional
        Fraction in (0, 1) of edges held out at once (the N%-removal protocol). Default:
        leave-one-out (each edge held out on its own).
    sample : int or None, default 1000
        Held-out edges evaluated for the path and walk metrics (TidalTrust, MoleTrust,
        Appleseed, personalized PageRank), drawn with `seed`; their rows carry 95%
        bootstrap intervals.
        Fairness/Goodness and the reciprocal edge always use every held-out edge. None:
        every edge for every metric.
    methods : tuple of str, optional
        A subset of :data:`EDGE_WEIGHT_METHODS` (default: all): labels, or registry names
        such as ``"ppr"``.
    horizon, threshold : MoleTrust's settings (default 3 and 0.5, trustlet's defaults).
    n_bootstrap : int, default 1000
    seed : int, optional
    dataset : str
        Name recorded in the result.
    progress : callable(done, total), optional

    Returns
    -------
    EvaluationResult
        One row per method: ``rmse``, ``pearson``, ``coverage`` (share of held-out edges
        the method can predict; RMSE and Pearson are over those), ``n`` and, for sampled
        methods, ``rmse_low``/``rmse_high``/``pearson_low``/``pearson_high``.

    Raises
    ------
    GraphError
        Undirected graph, no edges, or all weights equal (nothing to predict).
    ParameterError
        Bad `holdout`, `sample` or method name.

    Notes
    -----
    How each score becomes a predicted weight (scaled units, ``w`` in [-1, 1]):

    - *Fairness x Goodness* ``f(u) g(v)`` and *Goodness* ``g(v)`` (Kumar et al.): already
      on the scale. Cold start: a node left without in-edges has goodness 0, without
      out-edges fairness 1.
    - *Reciprocal edge*: the weight of ``v -> u`` when present, else the mean training
      weight.
    - *TidalTrust*, *MoleTrust*: run on weights mapped into [0, 1] (``(w + 1) / 2`` on a
      signed graph, so a -1 rating has weight 0 and does not propagate; unchanged when no
      weight is negative); the inferred trust ``t`` maps back linearly (``2 t - 1``). An
      unreached target is not covered.
    - *Appleseed* (energy) and *personalized PageRank* (probability) from ``u``: the score
      of ``v`` divided by the mean score of u's other out-neighbours (a scale-free feature), then a
      non-decreasing isotonic fit of weight on that feature, cross-fitted in two random
      folds of the evaluated edges so no edge shapes its own prediction. Not covered when
      v is unreached or u has no other rated neighbour.

    References
    ----------
    S. Kumar, F. Spezzano, V.S. Subrahmanian, C. Faloutsos. "Edge Weight Prediction in
    Weighted Signed Networks." IEEE ICDM 2016.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 2), ("b", "a", 1), ("c", "b", 2), ("a", "c", -1)])
    >>> result = evaluate_edge_weight(G, methods=("Reciprocal edge",))
    >>> row = result.results[0]
    >>> row["method"], round(row["rmse"], 4), row["coverage"]
    ('Reciprocal edge', 0.825, 1.0)
    """
    chosen_methods = choose(EDGE_WEIGHT_CONTENDERS, methods)
    if holdout is not None and not 0.0 < float(holdout) < 1.0:
        raise ParameterError(f"holdout must be a fraction in (0, 1), got {holdout!r}")
    cg = as_compact(G, weight=weight)
    if not cg.directed:
        raise GraphError("edge-weight prediction needs a directed graph of ratings")
    if cg.n_stored == 0:
        raise GraphError("the graph has no edges to predict")
    check_weights(cg, allow_negative=True)
    raw = cg.weights
    if np.ptp(raw) == 0:
        raise GraphError(
            f"every edge has weight {raw[0]:g}: edge-weight prediction needs a signed or "
            "weighted graph (no weights to predict)"
        )
    scale_used = rating_scale(raw, scale)
    w = raw / scale_used
    signed = bool((w < 0).any())
    rows, cols = cg.edge_arrays()
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    rng = np.random.default_rng(seed)
    test, train_mask = _held_out(w.size, holdout, rng)
    actual = w[test]
    fast = [x for x in chosen_methods if x in FAST_METHODS]
    slow = [x for x in chosen_methods if x in SLOW_METHODS]
    results = _fast_rows(cg, w, scale_used, test, train_mask, fast, holdout, n_bootstrap, seed)
    if slow:
        count = check_sample(sample, test.size)
        picked = np.sort(rng.choice(test.size, size=count, replace=False))
        predictions = _slow_predictions(
            cg,
            rows,
            cols,
            w,
            signed,
            train_mask,
            test[picked],
            slow,
            horizon=horizon,
            threshold=threshold,
            rng=rng,
            progress=progress,
        )
        sampled = count < test.size
        for name in slow:
            results.append(
                _row(name, predictions[name], actual[picked], sampled, n_bootstrap, seed)
            )
    parameters = {
        "protocol_variant": "leave-one-out" if holdout is None else f"{holdout:g} held out",
        "scale": scale_used,
        "held_out_edges": int(test.size),
        "sampled_edges": int(check_sample(sample, test.size)) if slow else None,
        "moletrust": {"horizon": horizon, "threshold": threshold},
        "signed": signed,
        "n_bootstrap": n_bootstrap,
        "seed": seed,
    }
    notes = []
    if slow and count < test.size:
        notes.append(
            f"{', '.join(slow)}: {count} of {test.size} held-out edges sampled at random "
            f"(seed {seed}); [low, high] is a 95% bootstrap interval"
        )
    return EvaluationResult("edge-weight", dataset, parameters, results, notes)


def _held_out(
    m: int, holdout: float | None, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the held-out edges, and the mask of the training edges.

    Leave-one-out (`holdout` None) holds out every edge, each on its own, so every edge
    stays in the training mask; otherwise a `holdout` fraction is held out at once.
    """
    train_mask = np.ones(m, dtype=bool)
    if holdout is None:
        return np.arange(m), train_mask
    test = np.sort(rng.choice(m, size=max(1, round(float(holdout) * m)), replace=False))
    if test.size >= m:
        raise GraphError(f"holding out {holdout!r} of {m} edges leaves none to train on")
    train_mask[test] = False
    return test, train_mask


def _fast_rows(cg, w, scale_used, test, train_mask, fast, holdout, n_bootstrap, seed):
    """Rows of Fairness x Goodness, Goodness and the reciprocal edge, on every held-out edge."""
    rows, cols = cg.edge_arrays()
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    actual = w[test]
    results = []
    if FAIRNESS_X_GOODNESS in fast or GOODNESS in fast:
        if holdout is None:
            loo = leave_one_out_fairness_goodness(cg, scale=scale_used)
            # The routine orders edges like edge_arrays(), i.e. like `test` here.
            fg_pred = {name: loo.predictions[name] for name in (FAIRNESS_X_GOODNESS, GOODNESS)}
        else:
            f, g, _, _ = fairness_goodness_arrays(
                rows[train_mask],
                cols[train_mask],
                w[train_mask],
                cg.n_nodes,
                tol=1e-6,
                max_iter=1000,
            )
            fg_pred = {FAIRNESS_X_GOODNESS: f[rows[test]] * g[cols[test]]}
            fg_pred[GOODNESS] = g[cols[test]]
        for name in (FAIRNESS_X_GOODNESS, GOODNESS):
            if name in fast:
                results.append(_row(name, fg_pred[name], actual, False, n_bootstrap, seed))
    if RECIPROCAL in fast:
        predicted = _reciprocal(rows, cols, w, train_mask, test, loo=holdout is None)
        results.append(_row(RECIPROCAL, predicted, actual, False, n_bootstrap, seed))
    return results


def _row(name, predicted, actual, interval, n_bootstrap, seed):
    return score_row(
        name,
        predicted,
        actual,
        error="rmse",
        interval=interval,
        n_bootstrap=n_bootstrap,
        seed=seed,
    )


def _reciprocal(rows, cols, w, train_mask, test, *, loo: bool) -> np.ndarray:
    """Weight of the reverse training edge; the mean training weight when there is none."""
    n = int(max(rows.max(), cols.max())) + 1
    keys = rows * n + cols
    train_keys = keys[train_mask]
    order = np.argsort(train_keys)
    reverse = cols[test] * n + rows[test]
    position = np.searchsorted(train_keys[order], reverse)
    position = np.clip(position, 0, max(train_keys.size - 1, 0))
    found = train_keys.size > 0
    hit = train_keys[order][position] == reverse if found else np.zeros(test.size, bool)
    if loo:
        # Training set = all edges but the one held out: its own mean excludes it.
        fallback = (w.sum() - w[test]) / max(w.size - 1, 1)
    else:
        fallback = np.full(test.size, w[train_mask].mean() if train_mask.any() else 0.0)
    return np.where(hit, w[train_mask][order][position], fallback)


def _slow_predictions(
    cg, rows, cols, w, signed, train_mask, edges, methods, *, horizon, threshold, rng, progress
) -> dict[str, np.ndarray]:
    trust = (w + 1.0) / 2.0 if signed else w
    base = np.where(train_mask, trust, 0.0)
    graph = cg.with_weights(base)
    indptr = cg.adjacency.indptr
    raw: dict[str, np.ndarray] = {name: np.full(edges.size, np.nan) for name in methods}
    actual = w[edges]
    for k, e in enumerate(edges.tolist()):
        u, v = int(rows[e]), int(cols[e])
        held = without_edge(graph, base, e) if train_mask[e] else graph
        source, target = cg.nodes[u], cg.nodes[v]
        neighbours = cols[indptr[u] : indptr[u + 1]]
        neighbours = neighbours[base[indptr[u] : indptr[u + 1]] > 0]
        if TIDALTRUST in raw:
            t = tidaltrust(held, source, target)
            raw[TIDALTRUST][k] = t if t > 0 else np.nan
        if MOLETRUST in raw:
            t = moletrust(held, source, horizon=horizon, threshold=threshold)[target]
            raw[MOLETRUST][k] = t if t > 0 else np.nan
        if APPLESEED in raw:
            scores = np.fromiter(appleseed(held, source).values(), float, cg.n_nodes)
            raw[APPLESEED][k] = relative_score(scores, neighbours, v)
        if PPR in raw:
            scores = np.fromiter(personalized_pagerank(held, [source]).values(), float, cg.n_nodes)
            raw[PPR][k] = relative_score(scores, neighbours, v)
        tick(progress, k + 1, edges.size)
    predictions = {}
    for name, values in raw.items():
        if name in (TIDALTRUST, MOLETRUST):
            predictions[name] = 2.0 * values - 1.0 if signed else values
        else:
            predictions[name] = cross_fitted_mapping(values, actual, rng)
    return predictions
