"""Overview figure of a large graph: wall time and peak memory.

Run ``python benchmarks/bench_overview.py`` (100,000 nodes, 1,000,000 edges, the target:
under 120 s and 4 GB) or ``--nodes 10000 --edges 100000`` for a quick run. The graph comes
from :func:`trustgraph.datasets.powerlaw_graph` (planted communities, power-law degrees).
Prints the time of each stage (generate, layout + core + model, draw, PNG encode), the peak
resident memory of the process, and writes the PNG when ``-o`` is given.

Two layouts are timed: with the planted ``community`` attribute (the default) and, with
``--detect``, with communities found by label propagation (no attribute), the slower path
a graph file without communities takes.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path


def peak_rss_gb() -> float:
    """Peak resident set size of this process in GB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024**3 if sys.platform == "darwin" else 1024**2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--detect", action="store_true", help="ignore planted communities")
    parser.add_argument("-o", "--output", type=Path, default=None)
    args = parser.parse_args(argv)

    from matplotlib.figure import Figure

    from trustgraph.datasets import powerlaw_graph
    from trustgraph.plot.export import png_bytes
    from trustgraph.plot.overview import overview_model, plot_overview
    from trustgraph.plot.style import style_context

    times = {}
    start = time.perf_counter()
    graph = powerlaw_graph(args.nodes, args.edges, seed=args.seed)
    times["generate"] = time.perf_counter() - start

    start = time.perf_counter()
    communities = "no-such-attribute" if args.detect else "community"
    model = overview_model(graph, communities=communities, seed=args.seed)
    times["model (layout, core, edges)"] = time.perf_counter() - start

    start = time.perf_counter()
    with style_context():
        figure = Figure(figsize=(8, 8))
        plot_overview(graph, model=model, ax=figure.add_subplot())
    times["draw"] = time.perf_counter() - start

    start = time.perf_counter()
    data = png_bytes(figure, dpi=args.dpi)
    times["png"] = time.perf_counter() - start

    print(f"graph: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges")
    for stage, seconds in times.items():
        print(f"{stage:>30}: {seconds:7.2f} s")
    render = sum(v for k, v in times.items() if k != "generate")
    print(f"{'overview total (no generate)':>30}: {render:7.2f} s")
    print(f"{'peak memory (RSS)':>30}: {peak_rss_gb():7.2f} GB")
    print(f"{'PNG size':>30}: {len(data) / 1024:7.1f} KiB")
    if args.output is not None:
        args.output.write_bytes(data)
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
