"""The default install and the extras side by side, as a user runs them (issue 18).

``python benchmarks/installs.py --size medium`` builds (once) two virtual environments
from this checkout, ``default`` (``pip install .``, what the README's Quickstart installs)
and ``extras`` (``pip install '.[fast,bench]'``: numba, plus igraph for the peers), then
times in each, in fresh processes:

- ``trustgraph --version`` and ``import trustgraph`` (start-up);
- cold: a fresh process reads the benchmark CSV (``read_edgelist(compact=True)``) and
  solves personalized PageRank once; warm: the same process reads and solves again;
- the whole command ``trustgraph rank g.csv --trusted 0 --method ppr --top 10 --format
  json``, end to end.

The peers run in the same session on the same file, each in a fresh process timed end to
end: networkx (``read_weighted_edgelist`` + ``pagerank`` with the same personalization and
``tol = 1e-8 / n``, as networkx tests ``n * tol``) and igraph (pyarrow read +
``Graph`` + ``personalized_pagerank``, PRPACK). Every timing is the median of ``--repeat``
runs; the ratios printed are from this run. ``--json FILE`` keeps every number.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import SIZES, write_edge_file

ROOT = Path(__file__).resolve().parents[1]
INSTALLS = {"default": ".", "extras": ".[fast,bench]"}
TOL = 1e-8

# Runs inside an install's interpreter: times the library steps and prints them as JSON.
LIBRARY_PROBE = """
import json, sys, time
start = time.perf_counter()
from trustgraph.algorithms.random_walk import personalized_pagerank
from trustgraph.ingest.edgelist import read_edgelist
imported = time.perf_counter()
steps = {"import": imported - start}
for label in ("cold", "warm"):
    t0 = time.perf_counter()
    graph = read_edgelist(sys.argv[1], compact=True)
    t1 = time.perf_counter()
    scores = personalized_pagerank(graph, [0], tol=1e-8)
    t2 = time.perf_counter()
    steps[label + "_read"] = t1 - t0
    steps[label + "_ppr"] = t2 - t1
steps["nodes"] = graph.n_nodes
print(json.dumps(steps))
"""

NETWORKX_PEER = """
import sys
import networkx as nx
G = nx.read_weighted_edgelist(sys.argv[1], delimiter=",", create_using=nx.DiGraph)
nx.pagerank(G, alpha=0.85, personalization={"0": 1.0}, tol=1e-8 / G.number_of_nodes(),
            max_iter=10_000)
"""

IGRAPH_PEER = """
import sys
import igraph
import numpy as np
import pyarrow.csv as pcsv
table = pcsv.read_csv(sys.argv[1], read_options=pcsv.ReadOptions(
    column_names=["source", "target", "weight"]))
rows = table.column("source").to_numpy()
cols = table.column("target").to_numpy()
labels, edges = np.unique(np.concatenate([rows, cols]), return_inverse=True)
edges = edges.reshape(2, -1).T
graph = igraph.Graph(n=labels.size, edges=edges, directed=True)
graph.personalized_pagerank(damping=0.85, reset_vertices=[int(np.searchsorted(labels, 0))],
                            weights=table.column("weight").to_numpy().astype(float).tolist())
"""


def ensure_install(venvs: Path, name: str, spec: str) -> Path:
    """The interpreter of install ``name``, created on first use, this checkout reinstalled."""
    target = venvs / name
    python = target / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", spec], cwd=ROOT, check=True)
    # The checkout may have changed since: reinstall trustgraph itself, not its dependencies.
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", "."],
        cwd=ROOT,
        check=True,
    )
    return python


def wall(command: list[str], repeat: int) -> float:
    """Median wall time of a command run in a fresh process (it must succeed)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def probe(python: Path, graph: Path, repeat: int) -> dict:
    """Median of each library step over ``repeat`` fresh processes."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [str(python), "-c", LIBRARY_PROBE, str(graph)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure_install(python: Path, graph: Path, repeat: int) -> dict:
    """Start-up, library steps cold and warm, and the CLI end to end for one install."""
    trustgraph = str(python.parent / "trustgraph")
    numbers = probe(python, graph, repeat)
    numbers["version"] = wall([trustgraph, "--version"], max(repeat, 5))
    numbers["import_trustgraph"] = wall([str(python), "-c", "import trustgraph"], max(repeat, 5))
    rank = [trustgraph, "rank", str(graph), "--trusted", "0", "--method", "ppr", "--top", "10"]
    numbers["cli"] = wall([*rank, "--format", "json"], repeat)
    return numbers


def print_table(results: dict, peers: dict) -> None:
    print("| install | --version | import | read cold / warm | PPR cold / warm | CLI end to end |")
    print("|---|---|---|---|---|---|")
    for name, n in results.items():
        print(
            f"| {name} | {n['version']:.2f} s | {n['import_trustgraph']:.2f} s | "
            f"{n['cold_read']:.2f} / {n['warm_read']:.2f} s | "
            f"{n['cold_ppr']:.2f} / {n['warm_ppr']:.2f} s | {n['cli']:.2f} s |"
        )
    for peer, seconds in peers.items():
        print(f"| {peer} (end to end) | | | | | {seconds:.2f} s |")
    print()
    for name, n in results.items():
        ratios = ", ".join(f"{seconds / n['cli']:.1f}x {peer}" for peer, seconds in peers.items())
        print(f"{name}: CLI end to end is {ratios or 'not compared (peers skipped)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument(
        "--venvs",
        type=Path,
        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "trustgraph-bench",
        help="where the two installs live (created once, reused)",
    )
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument("--skip-igraph", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here")
    args = parser.parse_args()

    n_nodes, n_edges = SIZES[args.size]
    graph = args.workdir / f"trustgraph-bench-{args.size}-{args.seed}.csv"
    if not graph.exists():
        write_edge_file(graph, n_nodes, n_edges, args.seed)
    pythons = {name: ensure_install(args.venvs, name, spec) for name, spec in INSTALLS.items()}
    results = {name: measure_install(py, graph, args.repeat) for name, py in pythons.items()}
    peers = {}
    if not args.skip_networkx:
        peers["networkx"] = wall(
            [str(pythons["extras"]), "-c", NETWORKX_PEER, str(graph)], args.repeat
        )
    if not args.skip_igraph:
        peers["igraph"] = wall(
            [str(pythons["extras"]), "-c", IGRAPH_PEER, str(graph)], args.repeat
        )
    print(f"{args.size}: {n_nodes:,} nodes, {n_edges:,} edges; median of {args.repeat}")
    print_table(results, peers)
    if args.json:
        args.json.write_text(json.dumps({"size": args.size, "installs": results, "peers": peers}))


if __name__ == "__main__":
    main()
