"""Personalized PageRank: trustgraph against networkx on a synthetic power-law graph.

Run ``python benchmarks/bench_ppr.py`` (1M edges; networkx takes a while) or
``python benchmarks/bench_ppr.py --edges 100000`` for a quick run. Prints wall times, the
speed ratio and the largest score difference.

The graph comes from :func:`trustgraph.datasets.powerlaw_graph` (heavy-tailed degrees,
planted communities), the generator every benchmark shares. ``benchmarks/run.py`` is the
full suite (loading, memory, igraph, scikit-network, batch and push).
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np

from trustgraph.algorithms.random_walk import personalized_pagerank
from trustgraph.datasets import powerlaw_graph


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

    cg, build = timed(powerlaw_graph, n_nodes, args.edges, seed=args.seed)
    rows, cols = cg.edge_arrays()
    labels = np.asarray(cg.nodes)
    sources, targets, weights = labels[rows], labels[cols], cg.weights
    seeds = [0, 1, 2]
    print(f"graph: {cg.n_nodes:,} nodes, {cg.n_edges:,} edges (generated in {build:.2f} s)")

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
