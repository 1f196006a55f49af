"""Heavy users' exports: wall time, throughput and peak memory of ``trustgraph ingest``.

Generates (seeded, cached under ``/tmp/trustgraph-bench-heavy``) the inputs of the
heavy-export table of issue 18 and runs each in a fresh process, reporting the wall time,
the throughput in MB/s and the peak resident memory of that process
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper that runs nothing else):

* WhatsApp group chats of 20 members (Android layout, fictional names), 40k, 200k and 1M
  messages;
* a WhatsApp one-to-one chat of 5M lines (one message in ten spread over two lines);
* a 3M-edge weighted CSV written out as GraphML (time to the first byte of the output
  as well).

Each run is given an address-space limit (``--limit-gb``, 6 by default) so a run that
would exhaust a shared machine is stopped and reported as over the limit instead.

Usage::

    python benchmarks/bench_heavy.py                      # every row
    python benchmarks/bench_heavy.py --only group-40k dm-5M
    python benchmarks/bench_heavy.py --library            # load_inputs instead of the CLI
    python benchmarks/bench_heavy.py --reader --only dm-5M  # the reader alone
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "trustgraph-bench-heavy"
MEMBERS = [f"Member {i:02d} Example" for i in range(20)]
WORDS = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
]
OWNER = "Member 00 Example"


def _header(minute: int) -> str:
    """An Android header, US order and 12-hour clock, one minute per message from 2020."""
    day_index, minute_of_day = divmod(minute, 24 * 60)
    year, day_of_year = divmod(day_index, 336)
    month, day = 1 + day_of_year // 28, 1 + day_of_year % 28
    hour, minute = divmod(minute_of_day, 60)
    mark = "AM" if hour < 12 else "PM"
    return f"{month}/{day}/{20 + year}, {hour % 12 or 12}:{minute:02d} {mark} - "


def _body(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(1, 6)))


def generate_chat(path: Path, n_lines: int, authors: list[str], seed: int) -> None:
    """A chat of `n_lines` lines by `authors`; one message in ten takes two lines."""
    rng = random.Random(seed)
    written, minute = 0, 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(_header(0) + "Messages and calls are end-to-end encrypted.\n")
        written += 1
        while written < n_lines:
            minute += 1
            lines = [f"{_header(minute)}{rng.choice(authors)}: {_body(rng)}"]
            if minute % 10 == 0:
                lines.append(_body(rng))
            handle.write("\n".join(lines) + "\n")
            written += len(lines)


def generate_group(path: Path, n_messages: int, seed: int) -> None:
    """A 20-member group chat of `n_messages` messages (no continuation lines)."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(_header(0) + 'Member 00 Example created group "Bench"\n')
        for minute in range(1, n_messages + 1):
            handle.write(f"{_header(minute)}{rng.choice(MEMBERS)}: {_body(rng)}\n")


def generate_edges(path: Path, n_edges: int, seed: int) -> None:
    """A weighted CSV edge list: `n_edges` random edges among `n_edges // 10` nodes."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = n_edges // 10
    src = rng.integers(0, n, n_edges)
    dst = rng.integers(0, n, n_edges)
    weight = np.round(rng.random(n_edges) * 10, 3)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("source,target,weight\n")
        step = 500_000
        for i in range(0, n_edges, step):
            rows = zip(
                src[i : i + step].tolist(),
                dst[i : i + step].tolist(),
                weight[i : i + step].tolist(),
            )
            handle.write("".join(f"n{u},n{v},{w}\n" for u, v, w in rows))


ROWS = {
    # name: (file name, generator, size argument, output suffix)
    "group-40k": ("WhatsApp Chat with Bench 40k.txt", generate_group, 40_000, ".csv"),
    "group-200k": ("WhatsApp Chat with Bench 200k.txt", generate_group, 200_000, ".csv"),
    "group-1M": ("WhatsApp Chat with Bench 1M.txt", generate_group, 1_000_000, ".csv"),
    "dm-5M": ("WhatsApp Chat with Member 01 Example.txt", None, 5_000_000, ".csv"),
    "csv-3M": ("edges-3M.csv", generate_edges, 3_000_000, ".graphml"),
}


def input_for(name: str) -> Path:
    """The cached input of row `name`, generated on first use."""
    file_name, generator, size, _ = ROWS[name]
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / file_name
    if not path.exists():
        partial = path.with_suffix(".partial")
        if generator is None:
            generate_chat(partial, size, MEMBERS[:2], seed=5)
        else:
            generator(partial, size, seed=5)
        partial.rename(path)
    return path


# The child: run the command, poll the output for its first byte, report rusage.
_WRAPPER = r"""
import json, os, resource, subprocess, sys, time
cmd, watch, limit = json.loads(sys.argv[1])
def cap():
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
start = time.perf_counter()
proc = subprocess.Popen(cmd, preexec_fn=cap, stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE)
first = None
folder = os.path.dirname(watch) or "."
stem = os.path.basename(watch)
while proc.poll() is None:
    if first is None:
        # The output is written to a temporary file beside it, then renamed.
        for entry in os.scandir(folder):
            if entry.name.startswith(("." + stem, stem)) and entry.stat().st_size > 0:
                first = time.perf_counter() - start
                break
    time.sleep(0.05)
wall = time.perf_counter() - start
err = proc.stderr.read().decode(errors="replace")[-400:]
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"rc": proc.returncode, "wall": wall, "first_byte": first,
                  "peak_rss": rss, "stderr": err}))
"""

# Only the reader: what it holds and how fast it reads, apart from merging and building.
_READER = r"""
import sys
from trustgraph.ingest.exports import read_export
data = read_export(sys.argv[1], me=[sys.argv[3]] if sys.argv[3] else [])
print(len(data.events))
"""

_LIBRARY = r"""
import sys
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.writers import write_graph
loaded = load_inputs([sys.argv[1]], me=[sys.argv[3]] if sys.argv[3] else [], compact=True)
write_graph(loaded.graph, sys.argv[2], overwrite=True)
"""


def run_row(name: str, *, library: bool, limit_gb: float, reader: bool = False) -> dict:
    """Run row `name` in a fresh process; return its measurements."""
    path = input_for(name)
    suffix = ROWS[name][3]
    out = Path(tempfile.mkdtemp(prefix="bench-heavy-")) / f"out-{name}{suffix}"
    me = "" if name.startswith("csv") else OWNER
    if reader:
        cmd = [sys.executable, "-c", _READER, str(path), str(out), me]
    elif library:
        cmd = [sys.executable, "-c", _LIBRARY, str(path), str(out), me]
    else:
        cmd = [sys.executable, "-m", "trustgraph", "ingest", str(path), "-o", str(out)]
        cmd += ["--quiet"] + (["--me", me] if me else [])
    limit = int(limit_gb * 2**30) if limit_gb else 0
    raw = subprocess.run(
        [sys.executable, "-c", _WRAPPER, json.dumps([cmd, str(out), limit])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(raw)
    size_mb = path.stat().st_size / 1e6
    result.update(name=name, size_mb=size_mb, mb_per_s=size_mb / result["wall"])
    if out.exists():
        result["output_mb"] = out.stat().st_size / 1e6
        out.unlink()
    out.parent.rmdir()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(ROWS), default=list(ROWS))
    parser.add_argument("--library", action="store_true", help="time load_inputs + write")
    parser.add_argument(
        "--reader", action="store_true", help="time the export reader alone (read_export)"
    )
    parser.add_argument("--limit-gb", type=float, default=6.0)
    parser.add_argument("--json", action="store_true", help="one JSON object a row")
    args = parser.parse_args()
    print("| input | MB | time (s) | MB/s | first byte (s) | peak RSS (GB) | exit |")
    print("|---|---|---|---|---|---|---|")
    for name in args.only:
        if args.reader and name.startswith("csv"):
            continue  # a graph file has no export reader
        r = run_row(name, library=args.library, limit_gb=args.limit_gb, reader=args.reader)
        if args.json:
            print(json.dumps(r))
        first = "-" if r["first_byte"] is None else f"{r['first_byte']:.1f}"
        status = "ok" if r["rc"] == 0 else f"failed ({r['rc']}): {r['stderr'][-120:]!r}"
        print(
            f"| {name} | {r['size_mb']:.1f} | {r['wall']:.1f} | {r['mb_per_s']:.2f} | "
            f"{first} | {r['peak_rss'] / 1e9:.2f} | {status} |",
            flush=True,
        )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
