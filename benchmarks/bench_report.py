"""The main job end to end: `trustgraph report` on the bundled 3,000-connection sample.

Times each step of one report (load, the ego analysis, building the report, drawing the
figures, rendering and writing), the whole command in a fresh process, and, as the peer
baseline in the same run, networkx's personalized PageRank on the same graph. The target
of issue #14: the whole command under 5 s on the 2-core machine, one PPR solve per report.

Usage: python benchmarks/bench_report.py [--repeat N] [--json FILE]
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

import networkx as nx

from trustgraph import personalized_pagerank
from trustgraph.analysis.ego import analyze_ego
from trustgraph.datasets import sample_owner, sample_paths
from trustgraph.ingest.load import load_inputs
from trustgraph.report.model import build_report
from trustgraph.report.pipeline import _figures
from trustgraph.report.write import write_report_folder

TARGET_SECONDS = 5.0


def median_time(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here")
    args = parser.parse_args()
    paths = sample_paths()
    owner = [sample_owner()]
    numbers: dict[str, float] = {}

    numbers["load"], loaded = median_time(
        lambda: load_inputs([paths["contacts"], paths["conversations"]], me=owner), args.repeat
    )
    G, me = loaded.graph, list(loaded.owner)
    numbers["ego analysis"], analysis = median_time(lambda: analyze_ego(G, me), args.repeat)
    numbers["build report"], report = median_time(
        lambda: build_report(G, me, analysis=analysis), args.repeat
    )
    numbers["figures"], images = median_time(lambda: _figures(report, G), 1)
    with tempfile.TemporaryDirectory() as folder:
        numbers["write folder"], _ = median_time(
            lambda: write_report_folder(report, Path(folder) / "r", images), args.repeat
        )
        command = [sys.executable, "-m", "trustgraph", "report", "-q", "--folder", "r"]
        env = {**os.environ, "XDG_CONFIG_HOME": folder}
        numbers["trustgraph report (fresh process)"], _ = median_time(
            lambda: subprocess.run(
                command, cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL
            ),
            args.repeat,
        )
    # Issue 18's pathological case: a 20,000-edge chain (networkx's Louvain took minutes).
    with tempfile.TemporaryDirectory() as scratch:
        chain = Path(scratch) / "chain.csv"
        chain.write_text(
            "source,target\n" + "".join(f"{i},{i + 1}\n" for i in range(20_000)),
            encoding="utf-8",
        )
        for label, extra in (
            ("chain report (whole network)", []),
            ("chain report --me 0", ["--me", "0"]),
        ):
            command = [sys.executable, "-m", "trustgraph", "report", str(chain), *extra, "-q"]
            command += ["-o", str(Path(scratch) / "chain.json"), "--force"]
            numbers[label], _ = median_time(
                lambda command=command: subprocess.run(
                    command, check=True, stdout=subprocess.DEVNULL
                ),
                1,
            )
    plain = nx.DiGraph(G)
    numbers["networkx pagerank (personalized, same graph)"], _ = median_time(
        lambda: nx.pagerank(plain, alpha=0.85, personalization=dict.fromkeys(me, 1.0)),
        args.repeat,
    )
    numbers["trustgraph personalized PageRank"], _ = median_time(
        lambda: personalized_pagerank(G, me), args.repeat
    )
    width = max(map(len, numbers))
    for name, seconds in numbers.items():
        print(f"{name:<{width}}  {seconds:8.3f} s")
    whole = numbers["trustgraph report (fresh process)"]
    ratio = (
        numbers["networkx pagerank (personalized, same graph)"]
        / numbers["trustgraph personalized PageRank"]
    )
    print(f"\nPPR against networkx on the sample graph: {ratio:.1f}x")
    verdict = "met" if whole < TARGET_SECONDS else "missed"
    print(f"whole command {whole:.2f} s against the {TARGET_SECONDS:g} s target: {verdict}")
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
