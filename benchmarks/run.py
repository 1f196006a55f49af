"""trustgraph at scale: loading, memory and PPR against networkx, igraph, scikit-network and a
bare scipy loop, on synthetic power-law graphs with communities.

Run ``python benchmarks/run.py --size small|medium|large`` (see benchmarks/README.md). Every
ratio printed is measured in the same run; each timing is the median of ``--repeat`` runs.
Heavy peers (networkx) run in a child process so that their memory is measured alone and
given back. The results are also written as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
import scipy.sparse as sp

SIZES = {
    "small": (10_000, 100_000),
    "medium": (100_000, 1_000_000),
    "large": (1_000_000, 10_000_000),
}
DAMPING = 0.85
TOL = 1e-8
SEEDS = [0, 1, 2]


# ---------------------------------------------------------------------------- helpers
def rss() -> int:
    """Resident set size of this process in bytes (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def release_free_memory() -> None:
    """Give freed heap pages back to the system so that RSS counts live data only."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(function, *args, repeat: int = 1, **kwargs):
    """The last value and the median wall time of `repeat` calls."""
    times = []
    value = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return value, statistics.median(times)


def interleaved(contenders: dict, repeat: int) -> tuple[dict, dict]:
    """Time several calls in rounds (a, b, c, a, b, c, ...): last values, median times.

    Interleaving puts every contender through the same drift of a shared machine, so their
    ratios are fairer than those of back-to-back blocks of repeats.
    """
    times: dict = {name: [] for name in contenders}
    values: dict = {}
    for _ in range(repeat):
        for name, call in contenders.items():
            gc.collect()
            start = time.perf_counter()
            values[name] = call()
            times[name].append(time.perf_counter() - start)
    return values, {name: statistics.median(spent) for name, spent in times.items()}


def have(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def write_edge_file(path: Path, n_nodes: int, n_edges: int, seed: int) -> None:
    """The benchmark graph as a header-less ``source,target,weight`` CSV."""
    from trustgraph.datasets import powerlaw_graph

    cg = powerlaw_graph(n_nodes, n_edges, seed=seed)
    rows, cols = cg.edge_arrays()
    labels = np.asarray(cg.nodes, dtype=np.int64)
    weights = cg.weights
    tmp = path.with_suffix(".partial")
    with open(tmp, "w") as handle:
        step = 1_000_000
        for start in range(0, rows.size, step):
            block = slice(start, start + step)
            lines = np.char.add(
                np.char.add(labels[rows[block]].astype(str), ","),
                np.char.add(
                    np.char.add(labels[cols[block]].astype(str), ","),
                    weights[block].astype(np.int64).astype(str),
                ),
            )
            handle.write("\n".join(lines.tolist()))
            handle.write("\n")
    tmp.rename(path)


def arrow_bare_options():
    """pyarrow's reading options for the bare read of the benchmark file (no header)."""
    import pyarrow.csv as pcsv

    return pcsv.ReadOptions(column_names=["source", "target", "weight"])


# ---------------------------------------------------------------------------- children
def child(task: str, path: str, n_nodes: int) -> dict:
    """Run one measurement alone in this (child) process and return its numbers."""
    result: dict = {"task": task}
    import pyarrow
    import pyarrow.csv  # imported before the baseline is taken

    from trustgraph.ingest.edgelist import read_edgelist

    release_free_memory()
    before = rss()
    if task == "load-trustgraph":
        start = time.perf_counter()
        cg = read_edgelist(path, compact=True)
        result["seconds"] = time.perf_counter() - start
        pyarrow.default_memory_pool().release_unused()
        release_free_memory()
        a = cg.adjacency
        result["array_bytes"] = int(a.data.nbytes + a.indices.nbytes + a.indptr.nbytes)
        result["resident_bytes"] = rss() - before
        result["edges"] = cg.n_stored
    elif task == "load-arrow":
        start = time.perf_counter()
        table = pyarrow.csv.read_csv(path, read_options=arrow_bare_options())
        result["seconds"] = time.perf_counter() - start
        del table
    elif task == "open-folder":
        from trustgraph.core.compact import CompactGraph

        start = time.perf_counter()
        cg = CompactGraph.load(path, mmap=True)
        result["open_mmap_seconds"] = time.perf_counter() - start
        del cg
        release_free_memory()
        before = rss()
        start = time.perf_counter()
        cg = CompactGraph.load(path, mmap=False)
        result["open_in_memory_seconds"] = time.perf_counter() - start
        release_free_memory()
        a = cg.adjacency
        result["array_bytes"] = int(a.data.nbytes + a.indices.nbytes + a.indptr.nbytes)
        result["resident_bytes"] = rss() - before
    elif task == "load-trustgraph-python":
        from trustgraph.core.compact import CompactGraph
        from trustgraph.ingest.edgecolumns import read_edge_columns

        start = time.perf_counter()
        columns = read_edge_columns(path, engine="python")
        CompactGraph.from_edges(columns.sources, columns.targets, columns.weights)
        result["seconds"] = time.perf_counter() - start
    elif task == "networkx":
        import networkx as nx

        start = time.perf_counter()
        G = nx.read_weighted_edgelist(path, delimiter=",", create_using=nx.DiGraph, nodetype=int)
        result["load_seconds"] = time.perf_counter() - start
        result["load_resident_bytes"] = rss() - before
        teleport = dict.fromkeys(SEEDS, 1.0)
        start = time.perf_counter()
        # networkx stops when the L1 change is below N * tol: pass tol / N for the same test.
        scores = nx.pagerank(
            G,
            alpha=DAMPING,
            personalization=teleport,
            dangling=teleport,
            tol=TOL / G.number_of_nodes(),
            max_iter=1000,
        )
        result["ppr_seconds"] = time.perf_counter() - start
        top = sorted(scores, key=scores.get, reverse=True)[:100]
        result["top100"] = top
    result["peak_rss_bytes"] = peak_rss()
    return result


def run_child(task: str, path: Path, n_nodes: int) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        task,
        "--file",
        str(path),
        "--nodes",
        str(n_nodes),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- peers
def bare_scipy_setup(rows, cols, weights, n):
    """What a careful user writes with scipy alone: P.T in CSR and the dangling mask."""
    strength = np.bincount(rows, weights=weights, minlength=n)
    dangling = strength == 0
    inverse = np.divide(1.0, strength, out=np.zeros(n), where=~dangling)
    transposed = sp.csr_array((weights * inverse[rows], (cols, rows)), shape=(n, n))
    return transposed, np.flatnonzero(dangling)


def bare_scipy_loop(transposed, dangling, teleport, dtype=np.float64):
    matrix = transposed.astype(dtype)
    s = teleport.astype(dtype)
    x = s.copy()
    for iteration in range(1, 1001):
        new = DAMPING * (matrix @ x) + (1 - DAMPING + DAMPING * x[dangling].sum()) * s
        change = float(np.abs(new - x).sum())
        x = new
        if change < TOL:
            return x / x.sum(), iteration
    raise RuntimeError("bare loop did not converge")


def top(scores: np.ndarray, k: int = 100) -> set:
    return set(np.argsort(-scores, kind="stable")[:k].tolist())


# ---------------------------------------------------------------------------- main run
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument("--skip-plain-reader", action="store_true")
    parser.add_argument("--skip-igraph", action="store_true")
    parser.add_argument("--skip-sknetwork", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-spark", action="store_true", help="skip bench_spark.py")
    parser.add_argument(
        "--batch-singles",
        type=int,
        default=8,
        help="single runs timed for the batch comparison (scaled to 64)",
    )
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--file", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--nodes", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file, args.nodes)))
        return

    from bench_floor import floor_ratios  # this folder is on sys.path when run as a script

    from trustgraph.algorithms.random_walk import (
        personalized_pagerank,
        personalized_pagerank_matrix,
    )
    from trustgraph.core import kernels
    from trustgraph.core.solvers import ppr_power, ppr_push, transition
    from trustgraph.core.vectors import seed_vector

    # Compile the numba kernels once, outside every timing (reported separately).
    from trustgraph.datasets import powerlaw_graph

    start = time.perf_counter()
    tiny = powerlaw_graph(200, 1000, seed=1)
    for dtype in (np.float64, np.float32):
        personalized_pagerank_matrix(tiny, [0, 1], method="power", dtype=dtype)
    personalized_pagerank(tiny, [0], method="push")
    compile_seconds = time.perf_counter() - start

    n_nodes, n_edges = SIZES[args.size]
    repeat = args.repeat
    out: dict = {
        "size": args.size,
        "nodes": n_nodes,
        "edges": n_edges,
        "tol": TOL,
        "cpu_count": os.cpu_count(),
        "load_average_start": os.getloadavg(),
    }
    out["numba_compile_or_cache_s"] = compile_seconds
    say = print
    say(
        f"# trustgraph benchmark: {args.size} ({n_nodes:,} nodes, {n_edges:,} edges), "
        f"median of {repeat}, load average {os.getloadavg()[0]:.2f}"
    )
    path = args.workdir / f"trustgraph-bench-{args.size}-{args.seed}.csv"
    if not path.exists():
        _, seconds = timed(write_edge_file, path, n_nodes, n_edges, args.seed)
        say(f"wrote {path} in {seconds:.1f} s")
    say(f"file: {path} ({path.stat().st_size / 2**20:.0f} MiB)")

    # ---- loading
    import pyarrow.csv as pcsv

    from trustgraph.ingest.edgelist import read_edgelist

    def arrow_bare():
        return pcsv.read_csv(path, read_options=arrow_bare_options())

    # Interleaved (arrow, ours, arrow, ours, ...). numba is loaded in this process (the
    # kernels were compiled above), so ours may intern with the compiled loop; the child
    # below loads in a fresh process without numba, as a first command of a session does.
    values, seconds = interleaved(
        {"arrow": arrow_bare, "trustgraph": partial(read_edgelist, path, compact=True)}, repeat
    )
    table, t_arrow = values["arrow"], seconds["arrow"]
    cg, t_load = values["trustgraph"], seconds["trustgraph"]
    # A fresh process pays for cold memory (page faults, empty allocator pools) that the
    # rounds above no longer see: pyarrow's bare read is timed fresh too, for a fair ratio.
    loaded = run_child("load-trustgraph", path, n_nodes)
    arrow_fresh = run_child("load-arrow", path, n_nodes)["seconds"]
    out["load"] = {
        "trustgraph_s": t_load,
        "trustgraph_fresh_process_s": loaded["seconds"],
        "pyarrow_bare_s": t_arrow,
        "pyarrow_bare_fresh_process_s": arrow_fresh,
        "resident_bytes_per_edge": loaded["resident_bytes"] / n_edges,
        "array_bytes_per_edge": loaded["array_bytes"] / n_edges,
        "peak_bytes_per_edge": loaded["peak_rss_bytes"] / n_edges,
    }
    say(
        f"load  trustgraph read_edgelist(compact=True): {t_load:8.2f} s   "
        f"pyarrow bare read_csv: {t_arrow:.2f} s   ratio {t_load / t_arrow:.2f}x (target <= 2)"
    )
    say(
        f"      in fresh processes, ours without numba: {loaded['seconds']:.2f} s, pyarrow "
        f"{arrow_fresh:.2f} s, ratio {loaded['seconds'] / arrow_fresh:.2f}x"
    )
    say(
        f"      CompactGraph arrays {loaded['array_bytes'] / n_edges:.2f} B/edge, resident "
        f"{loaded['resident_bytes'] / n_edges:.2f} B/edge (target <= 16), process peak "
        f"{loaded['peak_rss_bytes'] / n_edges:.1f} B/edge"
    )
    folder = path.with_suffix(".tgc")
    _, t_save = timed(cg.save, folder, overwrite=True)
    opened = run_child("open-folder", folder, n_nodes)
    out["folder"] = {"save_s": t_save, **opened}
    say(
        f"      save .tgc {t_save:.2f} s; open memory-mapped {opened['open_mmap_seconds']:.3f} s "
        f"(target < 1 s); in memory {opened['open_in_memory_seconds']:.2f} s, resident "
        f"{opened['resident_bytes'] / n_edges:.2f} B/edge (nodes and label index included)"
    )
    if not args.skip_plain_reader:
        plain = run_child("load-trustgraph-python", path, n_nodes)
        out["load"]["plain_reader_s"] = plain["seconds"]
        say(f"      plain Python reader: {plain['seconds']:.2f} s")
    rows = table.column("source").to_numpy()
    cols = table.column("target").to_numpy()
    weights = table.column("weight").to_numpy().astype(np.float64)
    del table

    # ---- the bare scipy loop
    # It runs on the loaded graph's own node numbering (first appearance in the file), so
    # that both loops gather from memory in the same order and only the kernels differ.
    cg_rows, cg_cols = cg.edge_arrays()
    (transposed, dangling), t_bare_setup = timed(
        bare_scipy_setup, cg_rows, cg_cols, cg.weights, cg.n_nodes, repeat=repeat
    )
    labels = np.asarray(cg.nodes)
    teleport_ours = seed_vector(cg, SEEDS)
    teleport_bare = teleport_ours.copy()
    walk = transition(cg)
    walk.backward  # noqa: B018 - build once, outside the timed loops

    # ---- the bare loop and trustgraph's iteration, timed in interleaved rounds
    contenders = {
        "bare_float64": lambda: bare_scipy_loop(transposed, dangling, teleport_bare),
        "bare_float32": lambda: bare_scipy_loop(transposed, dangling, teleport_bare, np.float32),
    }
    for dtype in (np.float64, np.float32):
        for threads in (1, 2):
            contenders[f"{np.dtype(dtype).name}_t{threads}"] = partial(
                ppr_power,
                walk,
                teleport_ours,
                damping=DAMPING,
                tol=TOL,
                max_iter=1000,
                dtype=dtype,
                threads=threads,
            )
    values, seconds = interleaved(contenders, repeat)
    (bare64, bare_iters), t_bare64 = values["bare_float64"], seconds["bare_float64"]
    bare_iters32, t_bare32 = values["bare_float32"][1], seconds["bare_float32"]
    out["bare_scipy"] = {
        "setup_s": t_bare_setup,
        "loop64_s": t_bare64,
        "iters64": bare_iters,
        "loop32_s": t_bare32,
        "iters32": bare_iters32,
    }
    say(
        f"bare scipy loop: setup {t_bare_setup:.2f} s, float64 {t_bare64:.2f} s "
        f"({bare_iters} it), float32 {t_bare32:.2f} s ({bare_iters32} it)"
    )
    ppr = {}
    for key in ("float64_t1", "float64_t2", "float32_t1", "float32_t2"):
        result = values[key]
        ppr[key] = {
            "seconds": seconds[key],
            "iterations": result.iterations,
            "per_iteration_s": seconds[key] / result.iterations,
            "scores": result.scores,
        }
    _, t_api = timed(personalized_pagerank, cg, SEEDS, method="power", tol=TOL, repeat=repeat)
    exact = ppr["float64_t1"]["scores"]
    diff32 = float(np.abs(ppr["float32_t2"]["scores"] - exact).max())
    diff_bare = float(np.abs(bare64 - exact).max())
    for key, value in ppr.items():
        say(
            f"ppr   trustgraph {key}: {value['seconds']:.2f} s ({value['iterations']} it, "
            f"{value['per_iteration_s'] * 1e3:.1f} ms/it)"
        )
    say(
        f"      public personalized_pagerank (incl. transition build, default threads): "
        f"{t_api:.2f} s; max |float32 - float64| = {diff32:.2e}; vs bare loop {diff_bare:.1e}"
    )
    t64_2 = ppr["float64_t2"]["seconds"]
    per_it = {k: v["per_iteration_s"] for k, v in ppr.items()}
    bare_per_it = t_bare64 / bare_iters
    out["ppr"] = {k: {kk: vv for kk, vv in v.items() if kk != "scores"} for k, v in ppr.items()}
    out["ppr"]["api_s"] = t_api
    out["ppr"]["float32_max_abs_diff"] = diff32
    ratios = {
        "single_vs_bare (<=1.1)": (per_it["float64_t1"] / bare_per_it),
        "bare_vs_two_threads (>=1.6)": (bare_per_it / per_it["float64_t2"]),
        "float32_speedup_per_it_2threads (>=2.5)": per_it["float64_t2"] / per_it["float32_t2"],
        "float32_speedup_per_it_1thread": per_it["float64_t1"] / per_it["float32_t1"],
        "float32_speedup_total_2threads": t64_2 / ppr["float32_t2"]["seconds"],
    }
    # Per iteration against the memory floor (bench_floor.py; issue 18 asks <= 1.3x).
    for key, ratio in floor_ratios(cg.n_nodes, walk.backward.nnz, per_it).items():
        ratios[f"{key}_per_it_vs_memory_floor"] = ratio

    # ---- igraph
    if have("igraph") and not args.skip_igraph:
        import igraph as ig

        def igraph_build():
            g = ig.Graph(n=n_nodes, edges=np.column_stack([rows, cols]).tolist(), directed=True)
            g.es["weight"] = weights.tolist()
            return g

        g, t_ig_build = timed(igraph_build, repeat=1)
        scores_ig, t_ig = timed(
            g.personalized_pagerank,
            reset_vertices=SEEDS,
            damping=DAMPING,
            weights="weight",
            implementation="prpack",
            repeat=repeat,
        )
        out["igraph"] = {"build_s": t_ig_build + t_arrow, "ppr_s": t_ig}
        say(
            f"igraph: build {t_ig_build + t_arrow:.2f} s (pyarrow read + Graph), PRPACK "
            f"{t_ig:.2f} s; top-100 overlap with ours "
            f"{len(top(np.asarray(scores_ig)[labels]) & top(exact))}"
        )
        ratios["igraph_load_plus_ppr_vs_ours (>=3)"] = (t_ig_build + t_arrow + t_ig) / (
            t_load + t_api
        )
        del g
    # ---- scikit-network
    if have("sknetwork") and not args.skip_sknetwork:
        from sknetwork.ranking import PageRank

        adjacency = sp.csr_matrix((weights, (rows, cols)), shape=(n_nodes, n_nodes))
        ranker = PageRank(damping_factor=DAMPING, solver="piteration", n_iter=1000, tol=TOL)
        _, t_sk = timed(ranker.fit, adjacency, weights=dict.fromkeys(SEEDS, 1.0), repeat=repeat)
        out["sknetwork"] = {"ppr_s": t_sk}
        say(f"scikit-network PageRank (piteration, its own tol={TOL}): {t_sk:.2f} s")
        del adjacency

    # ---- networkx (child process)
    if not args.skip_networkx:
        nxr = run_child("networkx", path, n_nodes)
        out["networkx"] = {k: v for k, v in nxr.items() if k != "top100"}
        overlap = len(set(nxr["top100"]) & set(labels[list(top(exact))].tolist()))
        say(
            f"networkx: load {nxr['load_seconds']:.1f} s "
            f"({nxr['load_resident_bytes'] / n_edges:.0f} B/edge), pagerank "
            f"{nxr['ppr_seconds']:.1f} s, peak {nxr['peak_rss_bytes'] / 2**30:.2f} GiB; "
            f"top-100 overlap {overlap}"
        )
        ratios["networkx_ppr_vs_ours (>=15)"] = nxr["ppr_seconds"] / t_api
        ratios["networkx_load_plus_ppr_vs_ours (>=24)"] = (
            nxr["load_seconds"] + nxr["ppr_seconds"]
        ) / (t_load + t_api)
        ratios["networkx_load_vs_ours (>=20)"] = nxr["load_seconds"] / t_load
    ratios["load_vs_pyarrow_bare (<=2)"] = t_load / t_arrow
    ratios["load_vs_pyarrow_bare_fresh_processes_no_numba"] = loaded["seconds"] / arrow_fresh

    # ---- batch against one-by-one
    if not args.skip_batch:
        sources = list(range(64))
        budget = 7 * 8 * n_nodes * len(sources)
        matrix, t_batch = timed(
            personalized_pagerank_matrix,
            cg,
            sources,
            method="power",
            tol=TOL,
            memory_budget_bytes=budget,
            repeat=1,
        )
        singles = args.batch_singles
        start = time.perf_counter()
        # Singles reuse one prepared walk (the batch builds its own once): a fair loop.
        for source in sources[:singles]:
            one = np.zeros(cg.n_nodes)
            one[cg.index[source]] = 1.0
            ppr_power(walk, one, damping=DAMPING, tol=TOL, max_iter=1000)
        t_singles = (time.perf_counter() - start) * len(sources) / singles
        out["batch"] = {
            "batch64_s": t_batch,
            "singles64_s_extrapolated": t_singles,
            "singles_timed": singles,
            "numba": kernels.enabled(),
        }
        say(
            f"batch: 64 sources in {t_batch:.2f} s (numba {kernels.enabled()}); 64 single runs "
            f"{t_singles:.2f} s (from {singles} timed)"
        )
        ratios["batch_per_vector_throughput (>=2)"] = t_singles / t_batch
        del matrix

    # ---- push against a full iteration
    push_result, t_push = timed(
        ppr_push, walk, teleport_ours, damping=DAMPING, epsilon=1e-6, repeat=repeat
    )
    _, t_push_api = timed(
        personalized_pagerank, cg, SEEDS, method="push", epsilon=1e-6, repeat=repeat
    )
    precise = ppr_power(walk, teleport_ours, damping=DAMPING, tol=1e-10, max_iter=1000).scores
    overlap = len(top(push_result.scores) & top(precise))
    out["push"] = {
        "push_s": t_push,
        "push_api_s": t_push_api,
        "pushes": push_result.iterations,
        "top100_overlap": overlap,
        "power_s": t64_2,
    }
    say(
        f"push: eps 1e-6 {t_push * 1e3:.1f} ms ({push_result.iterations} pushes; public call "
        f"with transition build {t_push_api:.2f} s); top-100 overlap with exact {overlap}/100"
    )
    ratios["push_vs_power_solver (>=50)"] = t64_2 / t_push
    ratios["push_vs_power_public_call"] = t_api / t_push_api

    if have("pyspark") and not args.skip_spark:
        # Spark local mode lives in bench_spark.py (the Spark backend's own benchmark).
        sys.path.insert(0, str(Path(__file__).parent))
        try:
            from bench_spark import bench_spark
        except ImportError as exc:
            say(f"spark: skipped ({exc})")
        else:
            try:
                numbers = bench_spark(n_edges, n_nodes=n_nodes, seed=args.seed)
            except Exception as exc:  # Java missing, session failure: report, do not abort
                say(f"spark: failed ({type(exc).__name__}: {exc})")
            else:
                out["spark"] = numbers
                say(f"spark (local mode): {json.dumps(numbers, default=str)}")

    out["ratios"] = ratios
    out["load_average_end"] = os.getloadavg()
    say("# ratios (same run)")
    for name, value in ratios.items():
        say(f"  {name:45s} {value:8.2f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
