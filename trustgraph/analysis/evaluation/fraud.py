"""Fraud ranking on a signed rating network with labelled users (the REV2 protocol)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np

from trustgraph.algorithms.random_walk import pagerank
from trustgraph.algorithms.signed import apply_signed_policy, fairness_goodness
from trustgraph.analysis.evaluation.contenders import baseline, choose, labels, metric
from trustgraph.analysis.evaluation.metrics import auc, average_precision
from trustgraph.analysis.evaluation.results import EvaluationResult
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.validate import check_weights
from trustgraph.exceptions import GraphError

__all__ = ["FRAUD_CONTENDERS", "FRAUD_METHODS", "evaluate_fraud"]

#: The two outputs of Fairness/Goodness, the mean rating received (a baseline) and global
#: PageRank on the positive ratings.
FRAUD_CONTENDERS = (
    metric("fairness_goodness", output="fairness"),
    metric("fairness_goodness", output="goodness"),
    baseline("Mean rating received"),
    metric("pagerank", "positive edges"),
)
FRAUD_METHODS = labels(FRAUD_CONTENDERS)
FAIRNESS, GOODNESS, MEAN_RATING, POSITIVE_PAGERANK = FRAUD_METHODS


def evaluate_fraud(
    G: nx.Graph | CompactGraph,
    labels: Mapping[Hashable, bool],
    *,
    weight: str | None = "weight",
    methods: tuple[str, ...] | None = None,
    dataset: str = "graph",
) -> EvaluationResult:
    """Rank labelled users by each metric: are the good ones on top, the bad at the bottom?

    Parameters
    ----------
    G : networkx.DiGraph or CompactGraph
        Ratings ``u -> v`` (signed weights, e.g. Bitcoin OTC's -10..10).
    labels : mapping of node to bool
        True for a good (benign) user, False for a bad (fraudulent) one. Labelled nodes
        absent from the graph are ignored (their count is in the parameters).
    weight : str or None, default "weight"
    methods : tuple of str, optional
        A subset of :data:`FRAUD_METHODS`: the rater's fairness (REV2's user score without
        the behavioural priors), goodness, the mean rating received, and global PageRank on
        the positive ratings.
    dataset : str

    Returns
    -------
    EvaluationResult
        One row per method: ``auc`` (P(a good user outranks a bad one), ties one half),
        ``average_precision`` (bad users as the positives, lowest trust first: REV2's
        fraud-detection measure) and ``average_precision_good`` (good users as positives,
        highest trust first).

    Raises
    ------
    GraphError
        Fewer than one good and one bad labelled user in the graph, or no edges.
    ParameterError
        An unknown method.

    Notes
    -----
    Users who never rated anyone keep fairness 1 and users never rated goodness 0 and mean
    rating 0 (the cold-start values of Kumar et al.), so the ranking is defined for every
    labelled user.

    References
    ----------
    S. Kumar, B. Hooi, D. Makhija, M. Kumar, C. Faloutsos, V.S. Subrahmanian. "REV2:
    Fraudulent User Prediction in Rating Platforms." WSDM 2018.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 1), ("b", "a", 1), ("c", "a", -1), ("a", "c", -1),
    ...                            ("b", "c", -1)])
    >>> result = evaluate_fraud(G, {"a": True, "b": True, "c": False}, methods=("Goodness",))
    >>> result.results[0]["auc"]
    1.0
    """
    chosen = choose(FRAUD_CONTENDERS, methods)
    cg = as_compact(G, weight=weight)
    if cg.n_stored == 0:
        raise GraphError("the graph has no ratings")
    check_weights(cg, allow_negative=True)
    labelled = [x for x in labels if x in cg.index]
    good = np.array([bool(labels[x]) for x in labelled])
    if good.sum() == 0 or (~good).sum() == 0:
        raise GraphError(
            f"fraud ranking needs good and bad labelled users in the graph; found "
            f"{int(good.sum())} good and {int((~good).sum())} bad"
        )
    index = np.array([cg.index[x] for x in labelled])
    results = []
    fg = None
    for name in chosen:
        if name in (FAIRNESS, GOODNESS):
            fg = fg or fairness_goodness(cg)
            source = fg.fairness if name == FAIRNESS else fg.goodness
            scores = np.fromiter(source.values(), float, cg.n_nodes)
        elif name == MEAN_RATING:
            _, cols = cg.edge_arrays()
            total = np.bincount(cols, weights=cg.weights, minlength=cg.n_nodes)
            count = np.bincount(cols, minlength=cg.n_nodes)
            scores = np.divide(total, count, out=np.zeros(cg.n_nodes), where=count > 0)
        else:
            positive = apply_signed_policy(cg, "drop")
            scores = np.fromiter(pagerank(positive).values(), float, cg.n_nodes)
        picked = scores[index]
        results.append(
            {
                "method": name,
                "auc": auc(picked, good),
                "average_precision": average_precision(-picked, ~good),
                "average_precision_good": average_precision(picked, good),
                "n": int(index.size),
            }
        )
    parameters = {
        "good": int(good.sum()),
        "bad": int((~good).sum()),
        "labelled_not_in_graph": len(labels) - len(labelled),
        "average_precision": "bad users as positives, ranked by increasing trust",
    }
    return EvaluationResult("fraud", dataset, parameters, results)
