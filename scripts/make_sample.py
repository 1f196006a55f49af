"""Regenerate the bundled sample network (seed 7, default sizes) in all of its homes.

Run from the project root:

    python scripts/make_sample.py

It rewrites ``trustgraph/sample_data/`` (package data, read through ``sample_paths()``) and
``sample_graphs/`` (the copy browsable in the repository) with byte-identical
``contacts.csv``, ``conversations.csv`` and ``truth.csv``, and ``sample_graphs/exports/``
with the same network written as personal-data exports (LinkedIn, mbox, WhatsApp, vCard;
see ``trustgraph.datasets.sample_exports``). The READMEs are written by hand and left alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trustgraph.datasets import sample_network, write_sample, write_sample_exports

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "trustgraph" / "sample_data", ROOT / "sample_graphs")
EXPORTS = ROOT / "sample_graphs" / "exports"


def main() -> int:
    network = sample_network(seed=7)
    for folder in FOLDERS:
        paths = write_sample(folder, network, overwrite=True)
        sizes = ", ".join(f"{p.name} {p.stat().st_size:,} B" for p in paths.values())
        print(f"{folder.relative_to(ROOT)}: {sizes}")
    # Chats of an earlier partition would linger next to the new ones: remove them first.
    for stale in sorted((EXPORTS / "whatsapp").glob("*.txt")):
        stale.unlink()
    paths = write_sample_exports(EXPORTS, network, overwrite=True)
    total = 0
    for path in paths.values():
        size = path.stat().st_size
        total += size
        print(f"{path.relative_to(ROOT)}: {size:,} B")
    print(f"{EXPORTS.relative_to(ROOT)}: {total:,} B in {len(paths)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
