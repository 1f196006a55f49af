"""Generate the two real-data tables of docs/report.md (reads ../shared/data in place).

Sources:
- ego-Facebook: J. McAuley, J. Leskovec, "Learning to Discover Social Circles in Ego
  Networks", NIPS 2012 (SNAP).
- CollegeMsg: P. Panzarasa, T. Opsahl, K. M. Carley, "Patterns and dynamics of users'
  behavior and interaction: Network analysis of an online community", JASIST 60(5), 2009
  (SNAP).

Usage: python scripts/report_tables.py [DATA_FOLDER]   (default ../shared/data)
Prints Markdown to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import numpy as np

from trustgraph.analysis.ego import analyze_ego
from trustgraph.ingest.detect import read_graph
from trustgraph.ingest.snap_ego import read_snap_ego


def facebook_table(data: Path) -> list[str]:
    G = read_snap_ego(data / "ego-facebook" / "facebook.tar.gz")
    out = [
        "| ego | alters | labelled circle members | in core | in circles | acquaintance or "
        "stranger | layers (cumulative) |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for ego in G.graph["egos"]:
        alters = [n for n, d in G.nodes(data=True) if ego in d.get("egos", ()) and n != ego]
        sub = G.subgraph([ego, *alters])
        # Tie strength without messages: embeddedness, the friends ego and alter share.
        strength = {a: float(len(set(sub[a]) & set(sub[ego]))) for a in alters}
        H = nx.DiGraph(sub)
        a = analyze_ego(H, [ego], strength=strength, n_null=0)
        members = set().union(*map(set, G.graph["circles"][ego].values())) - {ego}
        classes = [a.classes.get(m, "stranger") for m in members]
        core = classes.count("core")
        circle = classes.count("circle")
        out.append(
            f"| {ego} | {len(alters):,} | {len(members):,} | {core:,} | {circle:,} | "
            f"{len(members) - core - circle:,} | {a.circles.cumulative_sizes} |"
        )
    return out


def college_table(data: Path, top: int = 10) -> list[str]:
    G = read_graph(data / "college-msg" / "CollegeMsg.txt")
    cg_counts = {}
    for u, v, c in G.edges(data="count", default=1):
        cg_counts[u] = cg_counts.get(u, 0) + c
        cg_counts[v] = cg_counts.get(v, 0) + c
    busiest = sorted(cg_counts, key=lambda n: (-cg_counts[n], str(n)))[:top]
    out = [
        "| user | messages | partners | layers | cumulative sizes | ratios | GVF | p (null) "
        "| core | circle | broadcasters |",
        "|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for user in busiest:
        a = analyze_ego(G, [user], whole_network=True, n_null=100, seed=0)
        c = a.circles
        counts = a.counts()
        ratios = ", ".join(f"{r:.1f}" for r in c.ratios)
        p = "" if c.p_value is None else f"{c.p_value:.2f}"
        out.append(
            f"| {user} | {cg_counts[user]:,} | {len(a.evidence):,} | {c.n_layers} | "
            f"{c.cumulative_sizes} | {ratios} | {c.gvf:.3f} | {p} | {counts['core']} | "
            f"{counts['circle']} | {counts['broadcaster']} |"
        )
    return out


def main() -> None:
    data = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    print("### ego-Facebook: human-labelled circles against our classes\n")
    print("\n".join(facebook_table(data)))
    print("\n### CollegeMsg: circles from real message frequencies (10 busiest users)\n")
    print("\n".join(college_table(data)))
    _ = np  # numpy is imported for reproducible printing of numpy scalars


if __name__ == "__main__":
    main()
