"""Several trust methods side by side on one graph, for the score-agreement figure.

The figure is drawn by ``trustgraph plot --kind scores``; the report leaves it out (on an
ego network the methods agree almost everywhere, which says little to the owner). The methods
and their titles come from the registry (:mod:`trustgraph.algorithms.registry`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import networkx as nx

from trustgraph.algorithms.registry import Method, get_method
from trustgraph.core.compact import CompactGraph, as_compact

__all__ = ["COMPARED_GLOBAL", "COMPARED_SEEDED", "global_scores", "method_scores"]

#: Registry names compared when there is an owner: the owner's walk, its pre-trust variant,
#: the Sybil-defence walk, and the global walk (seedless) as the point of reference.
COMPARED_SEEDED = ("ppr", "eigentrust", "sybilrank", "pagerank")
#: Registry names compared on a whole network (no owner): trust given and trust shown.
COMPARED_GLOBAL = ("pagerank", "inverse_pagerank")


def _run(method: Method, cg: CompactGraph, seeds: list[Hashable], damping: float) -> dict:
    """One registered method with the shared damping where it takes one."""
    options = {"damping": damping} if any(t.name == "damping" for t in method.tunables) else {}
    if method.seeds == "none":
        return method.function(cg, **options)
    return method.function(cg, seeds, **options)


def global_scores(G: nx.Graph | CompactGraph, *, damping: float = 0.85) -> dict[Hashable, float]:
    """PageRank of the whole graph (no owner): the ranking of a whole-network report.

    Examples
    --------
    >>> scores = global_scores(nx.DiGraph([("a", "b"), ("b", "a")]))
    >>> round(scores["a"], 6)
    0.5
    """
    return _run(get_method("pagerank"), as_compact(G), [], damping)


def method_scores(
    G: nx.Graph | CompactGraph, owner: Sequence[Hashable], *, damping: float = 0.85
) -> dict[str, dict[Hashable, float]]:
    """Scores of several methods, keyed by their registry titles: seeded from the owner,
    or global without one (a seedless method beside seeded ones is titled "(global)").

    Examples
    --------
    >>> G = nx.DiGraph([("me", "a"), ("a", "b"), ("b", "me")])
    >>> sorted(method_scores(G, ["me"]))
    ['EigenTrust', 'PageRank (global)', 'SybilRank', 'personalized PageRank']
    >>> sorted(method_scores(G, []))
    ['PageRank', 'inverse PageRank']
    """
    cg = as_compact(G)
    seeds = list(owner)
    names = COMPARED_SEEDED if seeds else COMPARED_GLOBAL
    found = {}
    for name in names:
        method = get_method(name)
        title = method.title
        if seeds and method.seeds == "none":
            title = f"{title} (global)"
        found[title] = _run(method, cg, seeds, damping)
    return found
