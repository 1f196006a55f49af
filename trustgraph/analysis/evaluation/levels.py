"""Trust-level prediction on a certification network such as Advogato (trustlet protocol)."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np

from trustgraph.algorithms.flow import advogato
from trustgraph.algorithms.paths import moletrust, tidaltrust
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
from trustgraph.analysis.evaluation.results import EvaluationResult
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.validate import check_weights
from trustgraph.exceptions import GraphError, ParameterError

__all__ = ["LEVEL_CONTENDERS", "LEVEL_METHODS", "evaluate_levels"]

#: Metrics run from the certifier, and trustlet's "ebay" baseline (the mean level received).
LEVEL_CONTENDERS = (
    metric("moletrust"),
    metric("tidaltrust"),
    metric("appleseed"),
    metric("advogato"),
    baseline("Mean incoming level"),
)
LEVEL_METHODS = labels(LEVEL_CONTENDERS)
MOLETRUST, TIDALTRUST, APPLESEED, ADVOGATO, EBAY = LEVEL_METHODS
MAX_LEVELS = 10


def evaluate_levels(
    G: nx.Graph | CompactGraph,
    *,
    weight: str | None = "weight",
    levels: Sequence[float] | None = None,
    sample: int | None = 500,
    methods: tuple[str, ...] | None = None,
    horizon: int = 3,
    threshold: float = 0.6,
    n_bootstrap: int = 1000,
    seed: int | None = 0,
    dataset: str = "graph",
    progress: Progress = None,
) -> EvaluationResult:
    """Predict held-out certification levels (Advogato's apprentice/journeyer/master).

    For each evaluated certification ``u -> v`` (self-certifications excluded): remove it,
    run each metric from the certifier ``u`` on the rest, turn its trust in ``v`` into a
    level, and compare with the level ``u`` gave.

    Parameters
    ----------
    G : networkx.DiGraph or CompactGraph
        Certifications ``u -> v`` whose weight is a level (KONECT Advogato: 0.6
        apprentice, 0.8 journeyer, 1.0 master; 0.4 observer).
    weight : str or None, default "weight"
    levels : sequence of float, optional
        The level scale. Default: the distinct weights found (2 to 10 of them).
    sample : int or None, default 500
        Certifications evaluated, drawn with `seed` (None: all).
    methods : tuple of str, optional
        A subset of :data:`LEVEL_METHODS`.
    horizon, threshold : float
        MoleTrust's horizon and predecessor threshold (default 3 and 0.6, the values
        usually cited for Epinions; trustlet used several, ALGORITHMS.md §9).
    n_bootstrap : int, default 1000
    seed : int, optional
    dataset : str
    progress : callable(done, total), optional

    Returns
    -------
    EvaluationResult
        One row per method: ``mae`` (in level units of the weight scale, over covered
        edges, with a 95% bootstrap interval), ``coverage`` (share of evaluated edges the
        method predicts at all) and ``n``.

    Raises
    ------
    GraphError
        Undirected graph, negative weights, or no level scale (fewer than 2 or more than
        10 distinct weights).
    ParameterError
        Bad `levels`, `sample` or method name.

    Notes
    -----
    Pinned protocol details (trustlet leaves them implicit):

    - *Source* is the certifier ``u``; *prediction* is the metric's trust in ``v`` from
      ``u`` with the edge ``u -> v`` removed; self-certifications are removed from the
      graph and never evaluated.
    - *MoleTrust*, *TidalTrust*: the inferred trust is already a weighted mean of levels;
      it is snapped to the nearest level. Unreached (0) is not covered.
    - *Appleseed*: energy of v relative to the mean energy of u's other certified nodes,
      mapped by an isotonic fit cross-fitted in two folds, then snapped.
    - *Advogato*: the group metric run locally with the certifier as the only seed, once
      per level (edges of at least that level); the prediction is the highest level at
      which v is certified; not certified is not covered.
    - *Mean incoming level* (trustlet's "ebay" baseline): the mean level v received from
      others, snapped; not covered when v has no other certification.

    References
    ----------
    P. Massa, K. Souren. "Trustlet, Open Research on Trust Metrics." BIS 2008 workshops.
    R. Levien. "Attack-Resistant Trust Metrics." 2004.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 1.0), ("b", "c", 0.6), ("a", "c", 0.6),
    ...                            ("c", "a", 1.0), ("b", "a", 0.6)])
    >>> result = evaluate_levels(G, methods=("MoleTrust", "Mean incoming level"))
    >>> [(r["method"], round(r["mae"], 3), r["coverage"]) for r in result.results]
    [('MoleTrust', 0.133, 0.6), ('Mean incoming level', 0.2, 0.8)]
    """
    chosen = choose(LEVEL_CONTENDERS, methods)
    cg = as_compact(G, weight=weight)
    if not cg.directed:
        raise GraphError("level prediction needs a directed graph of certifications")
    check_weights(cg)
    rows, cols = cg.edge_arrays()
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    proper = (rows != cols) & (cg.weights > 0)
    if not proper.any():
        raise GraphError("the graph has no certifications (non-self edges) to predict")
    scale = _level_scale(cg.weights[proper], levels)
    base = np.where(proper, cg.weights, 0.0)
    candidates = np.flatnonzero(proper)
    rng = np.random.default_rng(seed)
    count = check_sample(sample, candidates.size)
    edges = np.sort(rng.choice(candidates, size=count, replace=False))
    actual = base[edges]
    settings = {"horizon": horizon, "threshold": threshold, "scale": scale}
    raw = _predict(cg, base, proper, edges, chosen, settings, progress)
    results = []
    for name in chosen:
        values = raw[name]
        if name == APPLESEED:
            values = cross_fitted_mapping(values, actual, rng)
        predicted = _snap(values, scale)
        results.append(
            score_row(
                name,
                predicted,
                actual,
                error="mae",
                interval=True,
                n_bootstrap=n_bootstrap,
                seed=seed,
            )
        )
    parameters = {
        "levels": scale.tolist(),
        "evaluated_edges": int(count),
        "candidate_edges": int(candidates.size),
        "self_certifications_excluded": int(((rows == cols) & (cg.weights > 0)).sum()),
        "moletrust": {"horizon": horizon, "threshold": threshold},
        "prediction": "metric trust from the certifier with the edge removed, snapped to "
        "the nearest level",
        "seed": seed,
    }
    notes = [
        f"{count} of {candidates.size} certifications evaluated"
        + (f", sampled at random (seed {seed})" if count < candidates.size else "")
        + "; [low, high] is a 95% bootstrap interval"
    ]
    return EvaluationResult("levels", dataset, parameters, results, notes)


def _level_scale(weights: np.ndarray, levels: Sequence[float] | None) -> np.ndarray:
    """The sorted level scale: `levels`, or the distinct certification weights."""
    if levels is None:
        scale = np.unique(weights)
        if not 2 <= scale.size <= MAX_LEVELS:
            raise GraphError(
                f"no certification levels: the weights take {scale.size} distinct values "
                f"(need 2 to {MAX_LEVELS}, e.g. 0.6/0.8/1.0)"
            )
        return scale
    scale = np.unique(np.asarray(levels, dtype=np.float64))
    if scale.size < 2 or not (np.isfinite(scale).all() and (scale > 0).all()):
        raise ParameterError(f"levels must be 2 or more positive numbers, got {levels!r}")
    return scale


def _predict(
    cg: CompactGraph,
    base: np.ndarray,
    proper: np.ndarray,
    edges: np.ndarray,
    chosen: Sequence[str],
    settings: dict,
    progress: Progress,
) -> dict[str, np.ndarray]:
    """Each method's raw trust in the target of every evaluated edge, the edge removed."""
    rows, cols = cg.edge_arrays()
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    graph = cg.with_weights(base)
    raw = {name: np.full(edges.size, np.nan) for name in chosen}
    indptr = cg.adjacency.indptr
    # Incoming level sums for the "ebay" baseline, corrected per edge below.
    in_sum = np.bincount(cols[proper], weights=base[proper], minlength=cg.n_nodes)
    in_count = np.bincount(cols[proper], minlength=cg.n_nodes)
    horizon, threshold = settings["horizon"], settings["threshold"]
    for k, e in enumerate(edges.tolist()):
        u, v = int(rows[e]), int(cols[e])
        source, target = cg.nodes[u], cg.nodes[v]
        held = without_edge(graph, base, e)
        if MOLETRUST in raw:
            t = moletrust(held, source, horizon=horizon, threshold=threshold)[target]
            raw[MOLETRUST][k] = t if t > 0 else np.nan
        if TIDALTRUST in raw:
            t = tidaltrust(held, source, target)
            raw[TIDALTRUST][k] = t if t > 0 else np.nan
        if APPLESEED in raw:
            scores = np.fromiter(appleseed(held, source).values(), float, cg.n_nodes)
            span = slice(indptr[u], indptr[u + 1])
            neighbours = cols[span][base[span] > 0]
            raw[APPLESEED][k] = relative_score(scores, neighbours, v)
        if ADVOGATO in raw:
            level = advogato(held, [source], levels=settings["scale"].tolist())[target]
            raw[ADVOGATO][k] = level if level > 0 else np.nan
        if EBAY in raw:
            others = in_count[v] - 1
            raw[EBAY][k] = (in_sum[v] - base[e]) / others if others > 0 else np.nan
        tick(progress, k + 1, edges.size)
    return raw


def _snap(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Nearest level (ties to the lower one); NaN stays NaN."""
    out = np.full(values.shape, np.nan)
    ok = np.isfinite(values)
    distance = np.abs(values[ok, None] - scale[None, :])
    out[ok] = scale[np.argmin(distance, axis=1)]
    return out
