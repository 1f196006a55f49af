"""Run every evaluation protocol on the public datasets and refresh docs/evaluation.md.

Usage::

    python scripts/run_evaluation.py [--data ../shared/data] [--quick]

Writes the figures under ``docs/evaluation/`` and the generated tables between the
``<!-- results:start -->`` and ``<!-- results:end -->`` markers of ``docs/evaluation.md``
(the hand-written text around them is kept). ``--quick`` runs small samples (a smoke
test, minutes less); the committed page comes from a full run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- results:start -->", "<!-- results:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", default=None, help="Run only these sections.")
    parser.add_argument(
        "--render-only", action="store_true", help="Rewrite the page from results.json."
    )
    args = parser.parse_args(argv)

    from matplotlib.figure import Figure

    from trustgraph.analysis import evaluation as ev
    from trustgraph.ingest.detect import read_graph
    from trustgraph.ingest.labels import read_node_labels
    from trustgraph.plot.evaluation import plot_evaluation

    data = args.data
    if not data.is_dir():
        print(f"no datasets at {data}", file=sys.stderr)
        return 1
    figures = ROOT / "docs" / "evaluation"
    figures.mkdir(parents=True, exist_ok=True)
    quick = args.quick
    sybil_g = (10, 100) if quick else (10, 100, 500, 1000)
    reps = 1 if quick else 3

    def otc():
        return read_graph(data / "bitcoin-otc" / "soc-sign-bitcoinotc.csv.gz")

    def facebook():
        return read_graph(data / "ego-facebook" / "facebook.tar.gz")

    def email():
        return read_graph(data / "email-eu-core" / "email-Eu-core.txt.gz")

    sections = {
        "edge-weight-otc": lambda: ev.evaluate_edge_weight(
            otc(),
            sample=100 if quick else 1000,
            dataset="bitcoin-otc",
            seed=0,
            methods=None
            if not quick
            else ("Reciprocal edge", "TidalTrust", "MoleTrust", "Appleseed", "PPR"),
        ),
        "edge-weight-otc-holdout": lambda: ev.evaluate_edge_weight(
            otc(), holdout=0.1, sample=100 if quick else 1000, dataset="bitcoin-otc", seed=0
        ),
        "levels-advogato": lambda: ev.evaluate_levels(
            read_graph(data / "advogato" / "out.advogato"),
            sample=50 if quick else 500,
            dataset="advogato",
            seed=0,
        ),
        "sybil-facebook-community": lambda: ev.evaluate_sybil(
            facebook(), attack_edges=sybil_g, repetitions=reps, dataset="ego-facebook", seed=0
        ),
        "sybil-facebook-random": lambda: ev.evaluate_sybil(
            facebook(),
            attack_edges=sybil_g,
            repetitions=reps,
            seeding="random",
            n_seeds=10,
            dataset="ego-facebook",
            seed=0,
        ),
        "sybil-email-community": lambda: ev.evaluate_sybil(
            email(), attack_edges=sybil_g, repetitions=reps, dataset="email-eu-core", seed=0
        ),
        "core-email": lambda: ev.evaluate_core(
            email(),
            read_node_labels(data / "email-eu-core" / "email-Eu-core-department-labels.txt"),
            n_sources=20 if quick else 100,
            dataset="email-eu-core",
            seed=0,
        ),
        "core-facebook-circles": lambda: (
            lambda G: ev.evaluate_circles(G, G.graph["circles"], dataset="ego-facebook")
        )(facebook()),
    }
    chosen = [] if args.render_only else (args.only or list(sections))
    blocks = []
    store = figures / "results.json"
    previous = json.loads(store.read_text()) if store.exists() else {}
    for key in chosen:
        started = time.perf_counter()
        result = sections[key]()
        elapsed = time.perf_counter() - started
        print(f"{key}: {elapsed:.1f} s", file=sys.stderr)
        fig = Figure(figsize=(6.4, 4.0), layout="constrained")
        plot_evaluation(result, ax=fig.add_subplot())
        fig.savefig(figures / f"{key}.png", dpi=80, metadata={"Software": None})
        previous[key] = {**result.to_dict(), "seconds": round(elapsed, 1)}
    store.write_text(json.dumps(previous, indent=1) + "\n")
    for key in sections:
        if key not in previous:
            continue
        entry = previous[key]
        result = ev.EvaluationResult(
            entry["protocol"],
            entry["dataset"],
            entry["parameters"],
            [
                {k: (float("nan") if v is None else v) for k, v in row.items()}
                for row in entry["results"]
            ],
            entry.get("notes", []),
        )
        params = ", ".join(
            f"{k}={v}" for k, v in entry["parameters"].items() if not isinstance(v, (dict, list))
        )
        blocks.append(
            f"### {key}\n\n{entry['seconds']} s wall time (shared two-core machine); {params}.\n\n"
            f"{result.to_markdown()}\n![{key}](evaluation/{key}.png)\n"
        )
    page = ROOT / "docs" / "evaluation.md"
    text = page.read_text() if page.exists() else f"# Evaluation\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    mode = "quick run (small samples)" if quick else "full run"
    generated = f"{START}\n\n_Generated by `scripts/run_evaluation.py` ({mode})._\n\n"
    page.write_text(head + generated + "\n".join(blocks) + f"\n{END}" + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
