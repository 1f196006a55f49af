"""Evaluation protocols, one module each (see :mod:`trustgraph.analysis.evaluate`)."""

from __future__ import annotations

from trustgraph.analysis.evaluation.core import evaluate_circles, evaluate_core
from trustgraph.analysis.evaluation.edge_weight import evaluate_edge_weight
from trustgraph.analysis.evaluation.fraud import evaluate_fraud
from trustgraph.analysis.evaluation.leave_one_out import (
    LeaveOneOutResult,
    leave_one_out_fairness_goodness,
)
from trustgraph.analysis.evaluation.levels import evaluate_levels
from trustgraph.analysis.evaluation.metrics import (
    auc,
    average_precision,
    pearson,
    precision_at_k,
    rmse,
)
from trustgraph.analysis.evaluation.results import EvaluationResult
from trustgraph.analysis.evaluation.sybil import evaluate_sybil

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

PROTOCOLS = ("edge-weight", "levels", "sybil", "core", "fraud")
