"""The explicit policy that lets a metric defined for non-negative trust accept a signed graph.

DESIGN.md: negative weights are an error for algorithms that cannot use them; a caller who wants
them used anyway says how, with ``signed=``. Re-exported by :mod:`trustgraph.algorithms.signed`.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from trustgraph.core.compact import CompactGraph
from trustgraph.core.validate import check_weights
from trustgraph.exceptions import GraphError, ParameterError

__all__ = ["SIGNED_POLICIES", "apply_signed_policy"]

#: Values of the ``signed=`` argument of the metrics defined for non-negative trust.
SIGNED_POLICIES = ("error", "drop", "rescale")


def apply_signed_policy(cg: CompactGraph, signed: str) -> CompactGraph:
    """Make a possibly signed graph usable by a metric defined for non-negative trust.

    Parameters
    ----------
    cg : CompactGraph
    signed : {"error", "drop", "rescale"}
        ``"error"`` (the default of every caller) raises GraphError on a negative weight;
        ``"drop"`` removes the distrust edges (weight < 0; zero-weight edges stay);
        ``"rescale"`` maps weights from [-1, 1] to [0, 1] by ``(w + 1) / 2`` and raises
        GraphError if a weight lies outside [-1, 1].

    Returns
    -------
    CompactGraph
        A graph whose weights are finite and non-negative.

    Raises
    ------
    GraphError
        Non-finite weights; a negative weight under ``"error"``; a weight outside [-1, 1]
        under ``"rescale"``.
    ParameterError
        An unknown policy.

    Examples
    --------
    >>> cg = CompactGraph.from_edges(["a", "a"], ["b", "c"], [0.5, -1.0])
    >>> apply_signed_policy(cg, "drop").weights.tolist()
    [0.5]
    >>> apply_signed_policy(cg, "rescale").weights.tolist()
    [0.75, 0.0]
    """
    if signed not in SIGNED_POLICIES:
        raise ParameterError(f"signed must be one of {SIGNED_POLICIES}, got {signed!r}")
    check_weights(cg, allow_negative=signed != "error")
    if signed == "error":
        return cg
    w = cg.weights
    if signed == "rescale":
        outside = np.abs(w) > 1.0
        if outside.any():
            raise GraphError(
                f"signed='rescale' maps [-1, 1] to [0, 1] but a weight is {w[outside][0]!r}; "
                "scale the weights into [-1, 1] first"
            )
        return cg.with_weights((w + 1.0) / 2.0)
    negative = w < 0
    if not negative.any():
        return cg
    rows, cols = cg.edge_arrays()
    keep = ~negative
    # Masking CSR-ordered arrays keeps them row-sorted, so the new indptr is a cumsum.
    indptr = np.zeros(cg.n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=cg.n_nodes), out=indptr[1:])
    adjacency = sp.csr_array((w[keep], cols[keep], indptr), shape=cg.adjacency.shape)
    return CompactGraph(
        cg.nodes,
        adjacency,
        directed=cg.directed,
        edge_attrs={k: v[keep] for k, v in cg.edge_attrs.items()},
        node_attrs=cg.node_attrs,
        graph_attrs=cg.graph_attrs,
    )
