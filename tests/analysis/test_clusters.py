"""Stranger clusters: communities where there are edges, shared attributes where not."""

from __future__ import annotations

import networkx as nx

from trustgraph.analysis.clusters import UNATTACHED, stranger_clusters


def test_communities_then_company_then_domain():
    G = nx.DiGraph()
    # Two cliques of strangers joined only through the ego (whose edges are ignored).
    for group in (["a1", "a2", "a3", "a4"], ["b1", "b2", "b3"]):
        for u in group:
            G.add_edge("me", u, weight=0.0)
            for v in group:
                if u != v:
                    G.add_edge(u, v, weight=1.0)
    G.add_node("x@example.org", company="Acme")
    G.add_node("y@example.net", company="Acme")
    G.add_node("z1@example.com")
    G.add_node("z2@example.com")
    G.add_node("lone@example.edu")
    strangers = [
        "a1",
        "a2",
        "a3",
        "a4",
        "b1",
        "b2",
        "b3",
        "x@example.org",
        "y@example.net",
        "z1@example.com",
        "z2@example.com",
        "lone@example.edu",
    ]
    labels = stranger_clusters(G, strangers, me=["me"])
    assert {labels[s] for s in ["a1", "a2", "a3", "a4"]} == {"community 1"}
    assert {labels[s] for s in ["b1", "b2", "b3"]} == {"community 2"}
    assert labels["x@example.org"] == labels["y@example.net"] == "company: Acme"
    assert labels["z1@example.com"] == labels["z2@example.com"] == "domain: example.com"
    assert labels["lone@example.edu"] == UNATTACHED
    assert list(labels) == strangers
