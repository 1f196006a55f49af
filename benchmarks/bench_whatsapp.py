"""Reading speed of the WhatsApp reader on a generated 100,000-message chat.

Writes an Android-layout group chat (fictional authors, US month-first 12-hour clock with
U+202F before AM/PM as WhatsApp writes it since 2023, one message in ten spread over two
lines, a few media and system lines) to a temporary folder, reads it with
:func:`trustgraph.ingest.whatsapp.read_whatsapp` three times and prints the median time and
the throughput in MB/s. ``--layout ios`` writes the bracketed iOS layout instead.

Usage::

    python benchmarks/bench_whatsapp.py
    python benchmarks/bench_whatsapp.py --messages 200000 --layout ios
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from trustgraph.ingest.whatsapp import read_whatsapp

AUTHORS = [f"Person {i:02d} Example" for i in range(12)] + ["+1 555 010 0199"]
WORDS = tuple(
    ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do"]
)


def _header(layout: str, index: int) -> str:
    minutes = index  # one message a minute, starting 1 Jan 2022 00:00
    day_index, minute_of_day = divmod(minutes, 24 * 60)
    month, day = 1 + (day_index // 28) % 12, 1 + day_index % 28
    year = 22 + day_index // (28 * 12)
    hour, minute = divmod(minute_of_day, 60)
    mark = "AM" if hour < 12 else "PM"
    hour12 = hour % 12 or 12
    if layout == "ios":
        return f"[{month}/{day}/{year}, {hour12}:{minute:02d}:00\u202f{mark}] "
    return f"{month}/{day}/{year}, {hour12}:{minute:02d}\u202f{mark} - "


def generate(path: Path, n_messages: int, layout: str, seed: int = 1) -> None:
    rng = random.Random(seed)
    lines = [_header(layout, 0) + "Messages and calls are end-to-end encrypted."]
    for index in range(1, n_messages + 1):
        author = rng.choice(AUTHORS)
        if index % 50 == 0:
            body = "<Media omitted>"
        else:
            body = " ".join(rng.choices(WORDS, k=rng.randint(2, 16)))
        lines.append(f"{_header(layout, index)}{author}: {body}")
        if index % 10 == 0:
            lines.append(" ".join(rng.choices(WORDS, k=rng.randint(2, 10))))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--layout", choices=("android", "ios"), default="android")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "WhatsApp Chat with Bench group.txt"
        generate(path, args.messages, args.layout)
        size_mb = path.stat().st_size / 1e6
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            data = read_whatsapp(path, me=["Person 00 Example"])
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(
            f"{args.layout}: {args.messages} messages, {size_mb:.1f} MB, "
            f"{len(data.events)} events, median {median:.2f} s of {args.repeat}, "
            f"{size_mb / median:.2f} MB/s"
        )


if __name__ == "__main__":
    main()
