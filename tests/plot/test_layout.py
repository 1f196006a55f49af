"""Layouts as arrays: sectors, greedy labels, the weighted core, large-graph layouts."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.plot.layout import (
    community_layout,
    greedy_labels,
    label_communities,
    sector_angles,
    strength_core,
)


def test_sector_angles_spread_a_lone_ring_evenly():
    # one group, four points on one ring, no gap: 45, 135, 225, 315 degrees
    a = sector_angles(np.ones(4, dtype=int), np.zeros(4, dtype=int), np.arange(4), gap=0.0)
    np.testing.assert_allclose(np.degrees(a), [45, 135, 225, 315])


def test_greedy_labels_never_overlap_and_respect_blocked_areas():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 10, 80), rng.uniform(0, 10, 80)
    widths = rng.uniform(0.5, 2.0, 80)
    blocked = [(4.0, 4.0, 6.0, 6.0)]
    idx, bx, by = greedy_labels(x, y, widths, 0.4, rng.random(80), max_labels=40, blocked=blocked)
    assert 0 < idx.size <= 40
    boxes = [(bx[k], by[k], bx[k] + widths[i], by[k] + 0.4) for k, i in enumerate(idx)]
    for k, a in enumerate(boxes):
        assert not (a[0] < 6 and a[2] > 4 and a[1] < 6 and a[3] > 4)
        for b in boxes[k + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_greedy_labels_take_the_highest_priority_first():
    # nine points at one place, unit boxes, no offset: the four corner boxes tile the space
    # around the point, so exactly four labels fit, the four highest priorities
    idx, _, _ = greedy_labels(
        np.zeros(9), np.zeros(9), np.full(9, 1.0), 1.0, np.arange(9.0), max_labels=9
    )
    assert idx.tolist() == [8, 7, 6, 5]


def test_strength_core_with_unit_weights_is_the_networkx_k_core():
    G = nx.powerlaw_cluster_graph(300, 3, 0.3, seed=5)
    A = nx.to_scipy_sparse_array(G, format="csr", dtype=float)
    core_number = nx.core_number(G)
    nodes = list(G)
    for k in sorted(set(core_number.values()))[1:]:
        members = {n for n, c in core_number.items() if c >= k}
        # One stored direction per edge; strength_core symmetrises, so strength = degree
        # and the s-core at threshold k is the k-core. With room for exactly the k-core,
        # the smallest threshold that fits gives a core equal to it (a smaller threshold
        # can only fit if its core is the same set).
        assert k in {d for _, d in G.degree()}
        mask = strength_core(sp.triu(A).tocsr(), len(members))
        assert {nodes[i] for i in np.flatnonzero(mask)} == members
    full = strength_core(A, 10**6)
    assert full.all()


def test_strength_core_keeps_the_heavy_clique_over_light_hubs():
    # a heavy triangle (weight 10) and a star of 20 light leaves (weight 1) on node 3
    rows = [0, 1, 2] + [3] * 20
    cols = [1, 2, 0, *list(range(4, 24))]
    A = sp.csr_array(([10.0] * 3 + [1.0] * 20, (rows, cols)), shape=(24, 24))
    assert np.flatnonzero(strength_core(A, 3)).tolist() == [0, 1, 2]


def two_cliques(n=8):
    G = nx.disjoint_union(nx.complete_graph(n), nx.complete_graph(n))
    G.add_edge(0, n)
    return nx.to_scipy_sparse_array(G, format="csr", dtype=float)


def test_label_communities_separates_two_cliques_deterministically():
    A = two_cliques()
    labels = label_communities(A, seed=1)
    assert len(set(labels[:8])) == 1 and len(set(labels[8:])) == 1
    assert labels[0] != labels[8]
    np.testing.assert_array_equal(labels, label_communities(A, seed=1))


def test_community_layout_keeps_communities_apart_and_is_seeded():
    A = two_cliques()
    communities = np.repeat([0, 1], 8)
    pos = community_layout(A, communities, seed=4)
    inside = np.linalg.norm(pos[1:8] - pos[1:8].mean(axis=0), axis=1).mean()
    between = np.linalg.norm(pos[:8].mean(axis=0) - pos[8:].mean(axis=0))
    assert between > 2 * inside
    np.testing.assert_array_equal(pos, community_layout(A, communities, seed=4))
    assert not np.array_equal(pos, community_layout(A, communities, seed=5))
    spectral = community_layout(A, None, seed=0)
    assert spectral.shape == (16, 2) and np.isfinite(spectral).all()
