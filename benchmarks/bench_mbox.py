"""Streaming check for the mbox reader: ingest a large synthetic mbox in bounded memory.

Generates an mbox of at least ``--size-mb`` megabytes in a temporary folder (fictional
people at example.com; bodies of random length, some with unescaped ``From `` lines, one
message in ten a newsletter), reads it with :func:`trustgraph.ingest.email_reader.read_mbox`
and prints the time taken and the peak resident memory of the process
(``resource.getrusage(...).ru_maxrss``). The target is a peak below 300 MB for a 200 MB file:
memory must grow with the number of messages kept as events, not with the file size.

Usage::

    python benchmarks/bench_mbox.py            # 220 MB, then deleted
    python benchmarks/bench_mbox.py --size-mb 1000 --seed 7
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from trustgraph.ingest.email_reader import read_mbox

PEOPLE = [f"person{i:03d}@example.com" for i in range(200)]
OWNER = "ada@example.com"
WORDS = b"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".split()


def _body(rng: random.Random, n_lines: int) -> bytes:
    lines = []
    for _ in range(n_lines):
        lines.append(b" ".join(rng.choices(WORDS, k=rng.randint(4, 14))))
    if rng.random() < 0.05:
        # An unescaped "From " line after a blank line: must not split the message.
        lines += [b"", b"From the archive: see below."]
    return b"\n".join(lines) + b"\n"


def generate(path: Path, size_mb: int, seed: int) -> int:
    """Write messages to `path` until it holds `size_mb` megabytes; return the count."""
    rng = random.Random(seed)
    target = size_mb * 1024 * 1024
    written = count = 0
    with open(path, "wb") as handle:
        while written < target:
            count += 1
            day = 1 + count % 28
            sender, recipient = (OWNER, rng.choice(PEOPLE))
            if rng.random() < 0.5:
                sender, recipient = recipient, OWNER
            extra = b""
            if count % 10 == 0:
                sender, extra = "news@example.net", b"List-Id: <news.example.net>\n"
            chunk = (
                b"From %d@xxx Thu Mar %02d 09:05:12 +0000 2024\n"
                b"X-GM-THRID: %d\n"
                b"Date: Thu, %02d Mar 2024 09:05:12 +0000\n"
                b"From: Person <%s>\n"
                b"To: %s\n"
                b"Cc: %s\n"
                b"Subject: message %d\n"
                b"Message-ID: <%d.bench@example.com>\n"
                b"%s\n"
                % (
                    count,
                    day,
                    count // 3,
                    day,
                    sender.encode(),
                    recipient.encode(),
                    rng.choice(PEOPLE).encode(),
                    count,
                    count,
                    extra,
                )
            )
            chunk += _body(rng, rng.randint(20, 160)) + b"\n"
            handle.write(chunk)
            written += len(chunk)
    return count


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=220, help="mbox size to generate")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.mbox"
        start = time.perf_counter()
        n_messages = generate(path, args.size_mb, args.seed)
        generated = time.perf_counter() - start
        before = _peak_rss_mb()
        start = time.perf_counter()
        data = read_mbox(path, me=[OWNER])
        elapsed = time.perf_counter() - start
        size = path.stat().st_size / (1024 * 1024)
        report = data.reports[0]
        print(
            f"file:            {size:.1f} MB, {n_messages} messages "
            f"(generated in {generated:.1f} s)"
        )
        print(f"parsed:          {report.records['messages']} messages, {len(data.events)} events")
        print(f"skipped:         {dict(report.skipped)}")
        print(f"time:            {elapsed:.1f} s ({size / elapsed:.1f} MB/s)")
        print(f"peak RSS before: {before:.1f} MB")
        print(f"peak RSS:        {_peak_rss_mb():.1f} MB (target < 300 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
