"""Regenerate the bundled sample network (seed 7, default sizes) in both of its homes.

Run from the project root:

    python scripts/make_sample.py

It rewrites ``trustgraph/sample_data/`` (package data, read through ``sample_paths()``) and
``sample_graphs/`` (the copy browsable in the repository) with byte-identical
``contacts.csv``, ``conversations.csv`` and ``truth.csv``. The READMEs are written by hand
and left alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trustgraph.datasets import sample_network, write_sample

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "trustgraph" / "sample_data", ROOT / "sample_graphs")


def main() -> int:
    network = sample_network(seed=7)
    for folder in FOLDERS:
        paths = write_sample(folder, network, overwrite=True)
        sizes = ", ".join(f"{p.name} {p.stat().st_size:,} B" for p in paths.values())
        print(f"{folder.relative_to(ROOT)}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
