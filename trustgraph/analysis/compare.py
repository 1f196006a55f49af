"""Several trust methods side by side on one graph, for the score-agreement figure.

The figure is drawn by ``trustgraph plot --kind scores``; the report leaves it out (on an
ego network the methods agree almost everywhere, which says little to the owner).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import networkx as nx

from trustgraph.algorithms.random_walk import (
    eigentrust,
    inverse_pagerank,
    pagerank,
    personalized_pagerank,
)
from trustgraph.algorithms.sybil import sybilrank
from trustgraph.core.compact import CompactGraph, as_compact

__all__ = ["global_scores", "method_scores"]


def global_scores(G: nx.Graph | CompactGraph, *, damping: float = 0.85) -> dict[Hashable, float]:
    """PageRank of the whole graph (no owner): the ranking of a whole-network report.

    Examples
    --------
    >>> scores = global_scores(nx.DiGraph([("a", "b"), ("b", "a")]))
    >>> round(scores["a"], 6)
    0.5
    """
    return pagerank(G, damping=damping)


def method_scores(
    G: nx.Graph | CompactGraph, owner: Sequence[Hashable], *, damping: float = 0.85
) -> dict[str, dict[Hashable, float]]:
    """Scores of several methods: seeded from the owner, or global without one.

    Examples
    --------
    >>> G = nx.DiGraph([("me", "a"), ("a", "b"), ("b", "me")])
    >>> sorted(method_scores(G, ["me"]))
    ['EigenTrust', 'PageRank (global)', 'SybilRank', 'personalized PageRank']
    """
    cg = as_compact(G)
    if not owner:
        return {
            "PageRank": pagerank(cg, damping=damping),
            "inverse PageRank": inverse_pagerank(cg, damping=damping),
        }
    seeds = list(owner)
    return {
        "personalized PageRank": personalized_pagerank(cg, seeds, damping=damping),
        "EigenTrust": eigentrust(cg, seeds, damping=damping),
        "SybilRank": sybilrank(cg, seeds),
        "PageRank (global)": pagerank(cg, damping=damping),
    }
