"""EigenTrust's local trust: from weights or transaction counts, and signed input.

go-eigentrust (Karma3Labs/go-eigentrust at commit 1be1bced94c084b195ae469bd4b7e7d7ca1c70cf,
``pkg/basic/localtrust.go`` ``ExtractDistrust`` and ``pkg/basic/eigentrust.go``
``DiscountTrustVector``, as called by ``pkg/basic/server/oapi/openapi.go``) takes negative
local trust as *distrust*: it splits it off, runs EigenTrust on the positive part, row-normalises
the distrust (rows without distrust stay zero) and subtracts from each peer the distrust it
receives, weighted by the global trust of the peers who express it. :func:`discount` is that
rule, written from the description above (the code was read, not copied).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.core.validate import check_weights
from trustgraph.exceptions import GraphError, ParameterError

__all__ = ["SIGNED_EIGENTRUST", "discount", "local_trust"]

#: Values of eigentrust's ``signed=`` argument.
SIGNED_EIGENTRUST = ("error", "drop", "discount")


def local_trust(
    G: nx.Graph | CompactGraph,
    weight: str | None,
    satisfied: str | None,
    unsatisfied: str | None,
    signed: str,
) -> tuple[CompactGraph, CompactGraph | None]:
    """Positive local trust and, under ``signed="discount"``, the distrust graph.

    Local trust is the `weight` or ``sat - unsat``. Negative local trust raises under
    ``"error"`` when it comes from weights (counts are non-negative and their difference
    is clipped at zero, the paper's ``max(s_ij, 0)``), is clipped under ``"drop"`` and is
    returned, sign reversed, as the second graph under ``"discount"``.
    """
    if signed not in SIGNED_EIGENTRUST:
        raise ParameterError(f"signed must be one of {SIGNED_EIGENTRUST}, got {signed!r}")
    if (satisfied is None) != (unsatisfied is None):
        raise ParameterError("give both satisfied= and unsatisfied= edge attributes, or neither")
    if satisfied is None or unsatisfied is None:
        cg = as_compact(G, weight=weight)
        check_weights(cg, allow_negative=signed != "error")
        s = cg.weights
    else:
        cg = _with_counts(G, satisfied, unsatisfied)
        s = _edge_attribute(cg, satisfied) - _edge_attribute(cg, unsatisfied)
    positive = cg.with_weights(np.maximum(s, 0.0))
    if signed != "discount" or not (s < 0).any():
        return positive, None
    return positive, cg.with_weights(np.maximum(-s, 0.0))


def discount(scores: np.ndarray, distrust: CompactGraph) -> np.ndarray:
    """``t - D^T t`` with ``D`` the row-normalised distrust (go-eigentrust's discount).

    Peer j loses ``t_i d_ij / sum_k d_ik`` for every i that distrusts it; a peer's score may
    become negative. Distrust from peers of zero global trust does not count.
    """
    d = distrust.adjacency
    totals = np.asarray(d.sum(axis=1)).ravel()
    inverse = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
    normalised = sp.diags_array(inverse) @ d
    return scores - normalised.T @ scores


def _with_counts(G: nx.Graph | CompactGraph, satisfied: str, unsatisfied: str) -> CompactGraph:
    """The graph with both count attributes present, finite and non-negative."""
    if isinstance(G, CompactGraph):
        cg = G
    elif isinstance(G, nx.Graph):
        # Missing attributes become NaN here and are reported below.
        cg = CompactGraph.from_networkx(G, weight=None, edge_attrs=[satisfied, unsatisfied])
    else:
        raise GraphError(f"expected a networkx graph or a CompactGraph, got {type(G).__name__}")
    for name in (satisfied, unsatisfied):
        values = _edge_attribute(cg, name)
        if np.isnan(values).any():
            position = int(np.flatnonzero(np.isnan(values))[0])
            raise GraphError(f"edge attribute {name!r} is missing or NaN on edge {position}")
        check_weights(cg.with_weights(values))
    return cg


def _edge_attribute(cg: CompactGraph, name: str) -> np.ndarray:
    values: Any = cg.edge_attrs.get(name)
    if values is None:
        if cg.n_stored == 0:
            return np.zeros(0)
        raise GraphError(f"the graph has no edge attribute {name!r}")
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise GraphError(f"edge attribute {name!r} is not numeric") from None
