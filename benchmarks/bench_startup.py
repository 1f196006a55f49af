"""Start-up as a user meets it: ``import trustgraph`` and ``trustgraph --version`` / ``--help``.

Each is timed in a fresh process (median of --repeat runs), against issue #18's targets:
``import trustgraph`` under 0.4 s, ``--version`` and ``--help`` under 0.3 s. A bare
``python -c pass`` is timed too, as the floor the machine allows.

Usage: python benchmarks/bench_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

TARGETS = {"import trustgraph": 0.4, "trustgraph --version": 0.3, "trustgraph --help": 0.3}


def fresh(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cli = shutil.which("trustgraph") or "trustgraph"
    runs = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "import trustgraph": [sys.executable, "-c", "import trustgraph"],
        "trustgraph --version": [cli, "--version"],
        "trustgraph --help": [cli, "--help"],
    }
    for name, command in runs.items():
        seconds = fresh(command, args.repeat)
        target = TARGETS.get(name)
        verdict = (
            ""
            if target is None
            else f"  target {target} s: " + ("met" if seconds < target else "missed")
        )
        print(f"{name:<24} {seconds:6.3f} s{verdict}")


if __name__ == "__main__":
    main()
