"""The power iteration against the memory floor of this machine, before and after reordering.

Run ``python benchmarks/bench_floor.py`` (the 10M-edge benchmark graph; ``--size medium``
for 1M edges). One command prints:

1. the machine's read and write bandwidth, STREAM-like, with numpy on 1 and 2 threads
   (a 1 GiB array, far larger than the caches; best of ``--repeat`` passes);
2. the floor of one PPR iteration: the bytes an iteration must move at that bandwidth
   (``P.T``'s values and column indices and its row pointer read once, the score vector
   read once, the next one written once; see :func:`floor_bytes` for what is assumed);
3. the per-iteration time of ``ppr_power`` (float64 and float32, 1 and 2 threads) and its
   ratio to the floor, for the graph's own node order and for each locality ordering
   (degree, reverse Cuthill-McKee), with the cost of computing and applying the ordering;
4. what holds the iteration back: scipy's product alone, the same product with every
   gather made sequential (the ordering no reordering can beat), int64 column indices,
   and the rest of the step.

The graph is the one ``benchmarks/run.py`` measures: ``powerlaw_graph(n, m, seed)`` written
as a CSV and read back with ``read_edgelist(compact=True)`` (nodes numbered by first
appearance in the file), cached under ``--workdir`` as ``trustgraph-bench-<size>-<seed>.csv``
and ``.tgc``. Timings are interleaved (every contender once per round) and reported as the
best and the median of the rounds: other jobs on a shared machine only ever slow a round
down, so the best round is the fairest comparison with a floor.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from trustgraph.core.graph import CompactGraph
from trustgraph.core.reorder import ORDERINGS
from trustgraph.core.solvers import MatVec, Transition, ppr_power, transition
from trustgraph.core.vectors import seed_vector

SIZES = {"medium": (100_000, 1_000_000), "large": (1_000_000, 10_000_000)}
DAMPING = 0.85
TOL = 1e-8
SEEDS = [0, 1, 2]
CONFIGS = [(np.float64, 1), (np.float64, 2), (np.float32, 1), (np.float32, 2)]


# ---------------------------------------------------------------------------- the graph
def benchmark_graph(size: str, seed: int, workdir: Path, custom: str | None) -> CompactGraph:
    """The benchmark graph of ``run.py``, cached as a CSV and a ``.tgc`` folder; or, for
    ``custom="nodes,edges"``, ``powerlaw_graph`` itself in its own node order (labels
    drawn independently of the structure: no locality at all), not cached."""
    if custom:
        from trustgraph.datasets import powerlaw_graph

        n_nodes, n_edges = (int(part) for part in custom.split(","))
        return powerlaw_graph(n_nodes, n_edges, seed=seed)
    csv = workdir / f"trustgraph-bench-{size}-{seed}.csv"
    folder = csv.with_suffix(".tgc")
    if folder.exists():
        return CompactGraph.load(folder, mmap=False)
    if not csv.exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import write_edge_file

        print(f"writing {csv} (a few minutes at 10M edges) ...", flush=True)
        write_edge_file(csv, *SIZES[size], seed)
    from trustgraph.ingest.edgelist import read_edgelist

    cg = read_edgelist(csv, compact=True)
    cg.save(folder, overwrite=True)
    return cg


# ---------------------------------------------------------------------------- bandwidth
def bandwidth(threads: int, repeat: int, mib: int) -> dict[str, float]:
    """Best read and write bandwidth (bytes/s) over `repeat` passes on `threads` threads.

    Reads: ``np.add.reduce`` of float64 and ``np.bitwise_or.reduce`` of the same bytes as
    int64 (both stream at the memory's pace; the faster one is kept). Writes:
    ``ndarray.fill``. Each thread takes one contiguous share; numpy releases the GIL.
    """
    size = mib * 2**20 // 8
    values = np.ones(size)
    as_int = values.view(np.int64)
    step = size // threads
    shares = [slice(i * step, (i + 1) * step) for i in range(threads)]
    kernels = {
        "read_sum": lambda part: np.add.reduce(values[part]),
        "read_or": lambda part: np.bitwise_or.reduce(as_int[part]),
        "write_fill": lambda part: values[part].fill(1.0),
    }
    best: dict[str, float] = {}
    with ThreadPoolExecutor(threads) as pool:
        for name, kernel in kernels.items():
            spent = []
            for _ in range(repeat):
                start = time.perf_counter()
                list(pool.map(kernel, shares))
                spent.append(time.perf_counter() - start)
            best[name] = step * threads * 8 / min(spent)
    return {
        "read": max(best["read_sum"], best["read_or"]),
        "write": best["write_fill"],
        **best,
    }


def floor_bytes(n: int, nnz: int, dtype: type) -> tuple[int, int]:
    """Bytes one iteration must read and write at the least, ``(read, written)``.

    Assumed: ``P.T`` in CSR is read once (`nnz` values in `dtype`, `nnz` int32 column
    indices, ``n + 1`` int32 row pointers); the score vector is read once (every gather of
    ``x[j]`` after the first hits a cache: a generous floor, since the vector, 8 MB at 1M
    nodes in float64, only fits the last-level cache); the next vector is written once. The
    damping, restart and L1 change are fused into that pass in the ideal kernel and cost
    no extra traffic.
    """
    item = np.dtype(dtype).itemsize
    return nnz * (item + 4) + (n + 1) * 4 + n * item, n * item


def floor_ratios(n: int, nnz: int, per_iteration: dict[str, float]) -> dict[str, float]:
    """Per-iteration times keyed ``"float64_t2"`` etc. divided by this machine's floor.

    For ``benchmarks/run.py``: measures the bandwidth (5 passes over 512 MiB on 1 and 2
    threads) and divides each time by :func:`floor_bytes` at the best bandwidth.
    """
    speeds = [bandwidth(threads, 5, 512) for threads in (1, 2)]
    read = max(speed["read"] for speed in speeds)
    write = max(speed["write"] for speed in speeds)
    ratios = {}
    for key, seconds in per_iteration.items():
        moved, written = floor_bytes(n, nnz, np.dtype(key.split("_")[0]).type)
        ratios[key] = seconds / (moved / read + written / write)
    return ratios


# ---------------------------------------------------------------------------- timings
def rounds(contenders: dict[str, Callable[[], object]], repeat: int) -> dict[str, list]:
    """``(wall seconds, value, process CPU seconds)`` of every contender, once per round.

    The CPU time of all the process's threads tells what a round would have taken on idle
    cores: on a shared machine a thread waiting for a core adds wall time, not CPU time.
    """
    spent: dict[str, list] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, call in contenders.items():
            gc.collect()
            start, cpu = time.perf_counter(), time.process_time()
            value = call()
            wall = time.perf_counter() - start
            spent[name].append((wall, value, time.process_time() - cpu))
    return spent


def solve(walk: Transition, teleport: np.ndarray, dtype: type, threads: int):
    return ppr_power(
        walk, teleport, damping=DAMPING, tol=TOL, max_iter=1000, dtype=dtype, threads=threads
    )


def per_iteration(samples: list, threads: int = 1) -> tuple[float, float, float]:
    """Best and median wall seconds per iteration of :func:`rounds` samples of solves,
    and the best CPU seconds per iteration and thread (the wall time on idle cores)."""
    walls = [wall / result.iterations for wall, result, _ in samples]
    cpus = [cpu / result.iterations / threads for _, result, cpu in samples]
    return min(walls), statistics.median(walls), min(cpus)


def prepared_walks(cg: CompactGraph, names: list[str]) -> dict:
    """Per ordering, a walk prepared with ``transition(cg, reorder=name)`` and its costs.

    The transition matrix is built first (the same cost for every ordering), then the
    ordering is computed and ``P.T`` renumbered: those two are what reordering adds.
    """
    walks = {}
    for name in names:
        start = time.perf_counter()
        walk = transition(cg, reorder=name)
        walk.backward  # noqa: B018 - built outside the timed rounds, like run.py
        built = time.perf_counter()
        walk.order  # noqa: B018
        ordered = time.perf_counter()
        walk.ordered_backward  # noqa: B018
        walks[name] = {
            "walk": walk,
            "transition_s": built - start,
            "order_s": ordered - built,
            "permute_s": time.perf_counter() - ordered,
        }
    return walks


def time_orderings(cg: CompactGraph, walks: dict, repeat: int) -> dict:
    """Interleaved ``ppr_power`` rounds for every ordering and configuration."""
    teleport = seed_vector(cg, SEEDS)
    contenders = {}
    for name, prepared in walks.items():
        for dtype, threads in CONFIGS:
            key = (name, np.dtype(dtype).name, threads)
            contenders[key] = partial(solve, prepared["walk"], teleport, dtype, threads)
    return rounds(contenders, repeat)


def bottlenecks(walk: Transition, repeat: int) -> dict[str, float]:
    """Best time of scipy's product (1 thread) on ``P.T`` and on variants of it."""
    backward = walk.backward
    n, nnz = backward.shape[0], backward.nnz
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(backward.indptr))
    # The same rows and values, each row gathering a run of consecutive entries from its
    # own position: the ideal locality, which no node ordering can beat.
    within = np.arange(nnz) - backward.indptr[rows]
    sequential = np.minimum(rows + within, n - 1).astype(backward.indices.dtype)
    variants = {
        "product": backward,
        "product, sequential gathers": sp.csr_array(
            (backward.data, sequential, backward.indptr), shape=backward.shape
        ),
        "product, int64 indices": sp.csr_array(
            (backward.data, backward.indices.astype(np.int64), backward.indptr.astype(np.int64)),
            shape=backward.shape,
        ),
    }
    contenders = {}
    for name, matrix in variants.items():
        for dtype in (np.float64, np.float32):
            product = MatVec(matrix, dtype, 1)
            x = np.full(n, 1.0 / n, dtype=dtype)
            out = np.empty_like(x)
            contenders[(name, np.dtype(dtype).name)] = lambda p=product, x=x, o=out: p(x, o)
    return {key: min(s[0] for s in samples) for key, samples in rounds(contenders, repeat).items()}


# ---------------------------------------------------------------------------- report
def report_floor(cg: CompactGraph, speeds: dict) -> dict:
    """Print the bandwidth and the floor per iteration; the floors by (dtype, threads)."""
    n, nnz = cg.n_nodes, cg.n_stored
    floors = {}
    for threads, speed in speeds.items():
        print(
            f"bandwidth, {threads} thread(s): read {speed['read'] / 1e9:.1f} GB/s "
            f"(sum {speed['read_sum'] / 1e9:.1f}, or {speed['read_or'] / 1e9:.1f}), "
            f"write {speed['write'] / 1e9:.1f} GB/s"
        )
    for dtype in (np.float64, np.float32):
        read, written = floor_bytes(n, nnz, dtype)
        for threads in speeds:
            # More threads can always leave one idle: the best bandwidth up to `threads`.
            fastest = [speed for count, speed in speeds.items() if count <= threads]
            best_read = max(speed["read"] for speed in fastest)
            best_write = max(speed["write"] for speed in fastest)
            floors[(np.dtype(dtype).name, threads)] = read / best_read + written / best_write
        name = np.dtype(dtype).name
        print(
            f"floor, {name}: {read / 1e6:.1f} MB read + {written / 1e6:.1f} MB written per "
            f"iteration = {floors[(name, 1)] * 1e3:.2f} ms (1 thread's bandwidth), "
            f"{floors[(name, 2)] * 1e3:.2f} ms (2 threads')"
        )
    return floors


def report_orderings(cg: CompactGraph, walks: dict, timings: dict, floors: dict) -> None:
    """Per ordering: its cost, per-iteration times, ratios to the floor and agreement."""
    reference = None
    for name, prepared in walks.items():
        print(
            f"\nordering {name}: order {prepared['order_s']:.2f} s, renumbering "
            f"{prepared['permute_s']:.2f} s (transition build {prepared['transition_s']:.2f} s)"
        )
        for dtype, threads in CONFIGS:
            dname = np.dtype(dtype).name
            samples = timings[(name, dname, threads)]
            best, median, cpu = per_iteration(samples, threads)
            result = samples[-1][1]
            scores = result.scores  # in the graph's order, whatever the walk's ordering
            if dtype is np.float64 and threads == 1:
                if reference is None:
                    reference = scores
                agreement = float(np.abs(scores - reference).max())
            floor = floors[(dname, threads)]
            saved = per_iteration(timings[("original", dname, threads)], threads)[0] - best
            cost = prepared["order_s"] + prepared["permute_s"]
            payback = f"; pays back after {cost / saved:.0f} it" if saved > 0 and cost else ""
            print(
                f"  {dname} {threads} thread(s): {best * 1e3:6.2f} ms/it best, "
                f"{median * 1e3:6.2f} median, CPU per thread {cpu * 1e3:6.2f} "
                f"({result.iterations} it); {best / floor:4.1f}x the floor "
                f"(median {median / floor:4.1f}x, CPU {cpu / floor:4.1f}x){payback}"
            )
        print(f"  max |score - original order's| (float64, 1 thread) = {agreement:.1e}")


def report_bottlenecks(parts: dict, timings: dict, floors: dict) -> None:
    print("\nwhat holds the iteration back (graph order, 1 thread, best of the rounds):")
    for dtype in ("float64", "float32"):
        step = per_iteration(timings[("original", dtype, 1)])[0]
        product = parts[("product", dtype)]
        print(
            f"  {dtype}: step {step * 1e3:.2f} ms = scipy product {product * 1e3:.2f} ms + "
            f"the rest {(step - product) * 1e3:.2f} ms; product with sequential gathers "
            f"{parts[('product, sequential gathers', dtype)] * 1e3:.2f} ms, with int64 "
            f"indices {parts[('product, int64 indices', dtype)] * 1e3:.2f} ms; floor "
            f"{floors[(dtype, 1)] * 1e3:.2f} ms"
        )
    for dtype in ("float64", "float32"):
        one = per_iteration(timings[("original", dtype, 1)])[0]
        two = per_iteration(timings[("original", dtype, 2)])[0]
        cpu_one = per_iteration(timings[("original", dtype, 1)], 1)[2]
        cpu_two = per_iteration(timings[("original", dtype, 2)], 2)[2]
        print(
            f"  two-thread scaling, {dtype}: {one / two:.2f}x best wall, {cpu_one / cpu_two:.2f}x "
            "CPU per thread (idle cores)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument(
        "--generate", default=None, metavar="NODES,EDGES", help="a powerlaw_graph instead"
    )
    parser.add_argument("--bandwidth-mib", type=int, default=1024, help="bandwidth array")
    parser.add_argument(
        "--orderings", default=",".join(ORDERINGS), help="comma-separated, 'none' first"
    )
    args = parser.parse_args()
    names = ["none", *[o for o in args.orderings.split(",") if o and o != "none"]]
    print(
        f"# memory floor: {args.generate or args.size}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.2f}, {args.repeat} rounds"
    )
    speeds = {t: bandwidth(t, max(args.repeat, 5), args.bandwidth_mib) for t in (1, 2)}
    cg = benchmark_graph(args.size, args.seed, args.workdir, args.generate)
    print(f"graph: {cg.n_nodes:,} nodes, {cg.n_stored:,} stored edges")
    floors = report_floor(cg, speeds)
    walks = prepared_walks(cg, names)
    timings = time_orderings(cg, walks, args.repeat)
    timings = {("original" if k[0] == "none" else k[0], *k[1:]): v for k, v in timings.items()}
    walks = {("original" if k == "none" else k): v for k, v in walks.items()}
    report_orderings(cg, walks, timings, floors)
    parts = bottlenecks(walks["original"]["walk"], max(3 * args.repeat, 9))
    report_bottlenecks(parts, timings, floors)
    print(f"# load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
