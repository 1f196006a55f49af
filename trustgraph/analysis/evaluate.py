"""Evaluation protocols: do the trust scores mean something?

The protocols live in :mod:`trustgraph.analysis.evaluation`, one module each; this module
is their stable import path.

- ``edge-weight``: :func:`evaluate_edge_weight` (and the fast leave-one-out routine
  :func:`leave_one_out_fairness_goodness`, Kumar et al. 2016, Table IV).
- ``levels``: :func:`evaluate_levels` (Advogato certification levels).
- ``sybil``: :func:`evaluate_sybil` (synthetic Sybil region, AUC against attack edges).
- ``core``: :func:`evaluate_core` (departments, labelled circles).
- ``fraud``: :func:`evaluate_fraud` (REV2 protocol on labelled users).
"""

from __future__ import annotations

from trustgraph.analysis.evaluation import (
    PROTOCOLS,
    EvaluationResult,
    LeaveOneOutResult,
    auc,
    average_precision,
    evaluate_circles,
    evaluate_core,
    evaluate_edge_weight,
    evaluate_fraud,
    evaluate_levels,
    evaluate_sybil,
    leave_one_out_fairness_goodness,
    pearson,
    precision_at_k,
    rmse,
)

__all__ = [
    "PROTOCOLS",
    "EvaluationResult",
    "LeaveOneOutResult",
    "auc",
    "average_precision",
    "evaluate_circles",
    "evaluate_core",
    "evaluate_edge_weight",
    "evaluate_fraud",
    "evaluate_levels",
    "evaluate_sybil",
    "leave_one_out_fairness_goodness",
    "pearson",
    "precision_at_k",
    "rmse",
]
