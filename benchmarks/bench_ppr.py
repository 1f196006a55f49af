"""Personalized PageRank: trustgraph against networkx on a synthetic power-law graph.

Run ``python benchmarks/bench_ppr.py`` (1M edges; networkx takes a while) or
``python benchmarks/bench_ppr.py --edges 100000`` for a quick run. Prints wall times, the
speed ratio and the largest score difference.

The graph is generated here with numpy for now (heavy-tailed out- and in-degrees); it will
move to ``trustgraph.datasets`` with the other generators.
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np

from trustgraph.algorithms.random_walk import personalized_pagerank
from trustgraph.core.compact import CompactGraph


def synthetic_edges(n_nodes: int, n_edges: int, seed: int) -> tuple[np.ndarray, ...]:
    """About `n_edges` distinct directed edges with Zipf-like endpoint popularity and
    integer message-count weights."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, n_nodes + 1) ** 0.8
    popularity /= popularity.sum()
    sources = rng.choice(n_nodes, size=n_edges, p=popularity)
    targets = rng.choice(n_nodes, size=n_edges, p=rng.permutation(popularity))
    # No self-loops, no repeated pairs: networkx would keep only the last copy of a pair.
    pairs = np.unique(np.stack([sources, targets])[:, sources != targets], axis=1)
    weights = rng.geometric(0.2, size=pairs.shape[1]).astype(np.float64)
    return pairs[0], pairs[1], weights


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000, help="edges to generate")
    parser.add_argument("--nodes", type=int, default=None, help="nodes (default edges / 10)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument("--skip-networkx", action="store_true", help="time trustgraph only")
    args = parser.parse_args()
    n_nodes = args.nodes or max(10, args.edges // 10)

    sources, targets, weights = synthetic_edges(n_nodes, args.edges, args.seed)
    cg, build = timed(CompactGraph.from_edges, sources, targets, weights, nodes=np.arange(n_nodes))
    seeds = [0, 1, 2]
    print(f"graph: {cg.n_nodes:,} nodes, {cg.n_edges:,} edges (built in {build:.2f} s)")

    ours, t_ours = timed(personalized_pagerank, cg, seeds, tol=1e-10, method="power")
    print(f"trustgraph personalized_pagerank (CompactGraph, power): {t_ours:8.3f} s")
    if args.skip_networkx:
        return

    start = time.perf_counter()
    G = nx.DiGraph()
    G.add_nodes_from(range(n_nodes))
    G.add_weighted_edges_from(zip(sources.tolist(), targets.tolist(), weights.tolist()))
    t_nx_build = time.perf_counter() - start
    print(f"networkx graph built in {t_nx_build:.2f} s ({G.number_of_edges():,} edges)")

    from_nx, t_from_nx = timed(personalized_pagerank, G, seeds, tol=1e-10, method="power")
    print(f"trustgraph personalized_pagerank (networkx input):      {t_from_nx:8.3f} s")

    teleport = dict.fromkeys(seeds, 1.0)
    # networkx stops when the L1 change is below N * tol: scale so both stop alike.
    theirs, t_theirs = timed(
        nx.pagerank,
        G,
        alpha=0.85,
        personalization=teleport,
        dangling=teleport,
        tol=1e-10 / n_nodes,
        max_iter=1000,
    )
    print(f"networkx pagerank (personalization, dangling):         {t_theirs:8.3f} s")
    difference = max(abs(ours[v] - theirs[v]) for v in range(n_nodes))
    agreement = max(abs(ours[v] - from_nx[v]) for v in range(n_nodes))
    print(
        f"ratio networkx / trustgraph: {t_theirs / t_ours:.1f}x (CompactGraph), "
        f"{t_theirs / t_from_nx:.1f}x (networkx input)"
    )
    print(f"max |score difference| vs networkx: {difference:.2e}; between inputs: {agreement:.1e}")


if __name__ == "__main__":
    main()
