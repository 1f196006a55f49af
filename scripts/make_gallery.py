"""Regenerate ``docs/gallery/*.png``: every figure on the bundled sample and on ego-Facebook.

Run from the project root:

    python scripts/make_gallery.py

The sample is the fictional network bundled with the package (``trustgraph.datasets``).
ego-Facebook is read in place from ``../shared/data/ego-facebook/facebook.tar.gz`` (SNAP;
J. McAuley and J. Leskovec, "Learning to Discover Social Circles in Ego Networks", NIPS
2012); its figures are skipped with a message when the folder is absent. Images are small
(dpi 80) and byte-identical between runs; ``docs/gallery.md`` embeds them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "gallery"
FACEBOOK = ROOT.parent / "shared" / "data" / "ego-facebook" / "facebook.tar.gz"
DPI = 80
KINDS = ("core", "timeline", "spread", "explain", "scores", "overview")


def planted_truth_core_map():
    """The sample's core map from its planted truth: shows Sybil and attack-edge marks."""
    from matplotlib.figure import Figure

    from trustgraph.datasets import read_truth, sample_network
    from trustgraph.plot.core_map import plot_core_map
    from trustgraph.plot.style import style_context

    truth = read_truth()
    classes, layers, clusters = {}, {}, {}
    cluster_of = {
        "stranger": "declared, never talked",
        "fof": "friends of friends",
        "sybil": "Sybil-like",
    }
    for node, t in truth.items():
        if t.role == "owner":
            continue
        if t.role in cluster_of:
            classes[node] = "stranger"
            clusters[node] = cluster_of[t.role]
        else:
            classes[node] = t.role
            layers[node] = t.layer
    flagged = {n for n, t in truth.items() if t.role == "sybil"}
    attack = sample_network(seed=7).attack_edges
    with style_context():
        figure = Figure(figsize=(8, 8))
        plot_core_map(
            classes,
            layers=layers,
            clusters=clusters,
            flagged=flagged,
            attack_edges=attack,
            n_labels=0,
            ax=figure.add_subplot(),
            title="Sample network, planted truth: core, circles, strangers and the Sybil ring",
        )
    return figure


def main() -> int:
    from trustgraph.cli.plot_cmd import node_labels
    from trustgraph.datasets import sample_owner, sample_paths
    from trustgraph.ingest.detect import read_graph
    from trustgraph.ingest.load import load_inputs
    from trustgraph.plot.export import png_bytes
    from trustgraph.report.figures import draw_figure

    OUT.mkdir(parents=True, exist_ok=True)
    paths = sample_paths()
    sample = load_inputs([paths["contacts"], paths["conversations"]], me=[sample_owner()])
    sources = [("sample", sample.graph, list(sample.owner))]
    if FACEBOOK.is_file():
        sources.append(("facebook", read_graph(FACEBOOK), [0]))
    else:
        print(f"skipping ego-Facebook: {FACEBOOK} not found", file=sys.stderr)

    def write(name: str, figure) -> None:
        data = png_bytes(figure, dpi=DPI)
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data) / 1024:.0f} KiB")

    for prefix, graph, owner in sources:
        for kind in KINDS if prefix == "sample" else [k for k in KINDS if k != "timeline"]:
            start = time.perf_counter()
            write(
                f"{prefix}-{kind}.png",
                draw_figure(kind, graph, owner, label=node_labels(graph, None)),
            )
            print(f"  {time.perf_counter() - start:.1f} s")
    write("sample-core-truth.png", planted_truth_core_map())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
