"""Naive, loop-by-loop SybilRank and SybilSCAR used as test oracles.

Written straight from the papers' per-node update rules over networkx adjacency dicts,
with no numpy and no shared code with ``trustgraph.algorithms.sybil``. Slow on purpose:
each line should be checkable against the formula by eye.
"""

from __future__ import annotations

import networkx as nx


def naive_symmetrise(D: nx.DiGraph, rule: str = "sum", weight: str = "weight") -> nx.Graph:
    """Undirected graph with one tie wherever either direction exists.

    The tie's weight combines the weights of the directions present: their sum, max, min
    or mean.
    """
    present: dict[frozenset, list[float]] = {}
    for u, v, data in D.edges(data=True):
        present.setdefault(frozenset((u, v)), []).append(data.get(weight, 1.0))
    H = nx.Graph()
    H.add_nodes_from(D.nodes)
    for pair, weights in present.items():
        u, v = tuple(pair) if len(pair) == 2 else (next(iter(pair)),) * 2
        if rule == "sum":
            combined = sum(weights)
        elif rule == "max":
            combined = max(weights)
        elif rule == "min":
            combined = min(weights)
        else:
            combined = sum(weights) / len(weights)
        H.add_edge(u, v, weight=combined)
    return H


def tie_weight(G: nx.Graph, u, v, weight: str | None) -> float:
    return 1.0 if weight is None else G.adj[u][v].get(weight, 1.0)


def weighted_degree(G: nx.Graph, u, weight: str | None) -> float:
    # A self-loop appears once among u's neighbours, so it counts once.
    return sum(tie_weight(G, u, v, weight) for v in G.adj[u])


def naive_sybilrank(
    G: nx.Graph,
    seeds,
    n_steps: int,
    weight: str | None = "weight",
    normalize: bool = True,
) -> dict:
    """SybilRank on an undirected networkx graph: seeds share trust 1, `n_steps` steps."""
    if isinstance(seeds, dict):
        total = sum(seeds.values())
        trust = {u: seeds.get(u, 0.0) / total for u in G}
    else:
        chosen = set(seeds)
        trust = {u: (1.0 / len(chosen) if u in chosen else 0.0) for u in G}
    degree = {u: weighted_degree(G, u, weight) for u in G}
    for _ in range(n_steps):
        new = {u: 0.0 for u in G}
        for u in G:
            if degree[u] == 0:
                new[u] += trust[u]  # nowhere to send it: the node keeps its trust
                continue
            for v in G.adj[u]:
                new[v] += trust[u] * tie_weight(G, u, v, weight) / degree[u]
        trust = new
    if not normalize:
        return trust
    return {u: (trust[u] / degree[u] if degree[u] > 0 else 0.0) for u in G}


def naive_sybilscar(
    G: nx.Graph,
    benign,
    sybils,
    weight_hat: float,
    theta: float = 0.9,
    tol: float = 1e-3,
    max_iter: int = 1000,
    weight: str | None = "weight",
) -> dict:
    """SybilSCAR Eq. 16 with clipping; returns the benign probability 1 - P(Sybil)."""
    prior = {}
    for u in G:
        if u in benign:
            prior[u] = 1.0 - theta
        elif u in sybils:
            prior[u] = theta
        else:
            prior[u] = 0.5
    p = dict(prior)
    for _ in range(max_iter):
        new = {}
        for u in G:
            total = prior[u] - 0.5
            for v in G.adj[u]:
                total += 2.0 * (p[v] - 0.5) * weight_hat * tie_weight(G, u, v, weight)
            new[u] = min(1.0, max(0.0, total + 0.5))
        change = sum(abs(new[u] - p[u]) for u in G)
        p = new
        if change < tol:
            return {u: 1.0 - p[u] for u in G}
    raise RuntimeError("naive sybilscar did not converge")


def naive_sybilscar_accumulate(
    G: nx.Graph,
    benign,
    sybils,
    weight_hat: float,
    theta: float = 0.9,
    n_steps: int = 10,
    weight: str | None = "weight",
) -> dict:
    """The authors' C++ update, node by node: each step adds prior and neighbours' residuals
    to the node's previous residual (read from a copy of the previous step), then clips."""
    prior = {u: (0.5 - theta if u in benign else theta - 0.5 if u in sybils else 0.0) for u in G}
    post = dict(prior)
    for _ in range(n_steps):
        previous = dict(post)
        for u in G:
            for v in G.adj[u]:
                if v != u:
                    post[u] += 2.0 * previous[v] * weight_hat * tie_weight(G, u, v, weight)
            post[u] = min(0.5, max(-0.5, post[u] + prior[u]))
    return {u: 0.5 - post[u] for u in G}
