"""The core-versus-strangers map: plot model as arrays, labels, legacy report rows."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from trustgraph.exceptions import ParameterError
from trustgraph.plot.core_map import LABEL_ANGLE, LABEL_GAP, core_map_layout, plot_core_map


def test_radius_is_the_layer_and_defaults_follow_the_class():
    classes = {
        "a": "core",
        "b": "circle",
        "c": "circle",
        "d": "core",
        "e": "circle",
        "f": "acquaintance",
        "g": "broadcaster",
    }
    layers = {"a": 1, "b": 2, "c": 3, "d": None}
    m = core_map_layout(classes, layers=layers, dunbar=(5, 15, 50, 150))
    radius = dict(zip(m["nodes"], m["radius"]))
    # given layers; unlayered core -> ring 1; unlayered circle -> the last Dunbar ring (4);
    # acquaintances and broadcasters -> the ring outside it (5)
    assert radius == {"a": 1, "b": 2, "c": 3, "d": 1, "e": 4, "f": 5, "g": 5}
    np.testing.assert_allclose(np.hypot(m["x"], m["y"]), m["radius"])
    assert m["cls"].tolist() == list(classes.values())


def test_a_layer_beyond_dunbar_adds_rings():
    m = core_map_layout({"a": "circle", "b": "acquaintance"}, layers={"a": 6}, dunbar=(5, 15))
    assert m["n_rings"] == 6
    assert dict(zip(m["nodes"], m["radius"])) == {"a": 6.0, "b": 7.0}


def test_communities_form_one_sector_shared_by_all_rings():
    # community X: 6 members over rings 1-3, community Y: 2 members -> X gets 3/4 of the turn
    classes = {f"x{i}": "circle" for i in range(6)} | {"y0": "circle", "y1": "circle"}
    layers = {f"x{i}": 1 + i % 3 for i in range(6)} | {"y0": 1, "y1": 3}
    communities = {n: n[0] for n in classes}
    m = core_map_layout(classes, layers=layers, communities=communities)
    angle = turn_from_start(m)
    is_x = np.array([str(n).startswith("x") for n in m["nodes"]])
    # the largest community starts the turn and spans 3/4 of it (gap borders included)
    assert angle[is_x].max() < 0.75
    assert angle[~is_x].min() > 0.75


def test_higher_scores_come_first_in_a_sector():
    classes = {"low": "circle", "high": "circle", "mid": "circle"}
    m = core_map_layout(
        classes, layers=dict.fromkeys(classes, 2), scores={"low": 0.1, "high": 0.9, "mid": 0.5}
    )
    angle = dict(zip(m["nodes"], turn_from_start(m)))
    assert angle["high"] < angle["mid"] < angle["low"]


def turn_from_start(m):
    """Each member's share of the turn after the labels' gap (0 at its end, 1 at its start)."""
    start = LABEL_ANGLE + LABEL_GAP / 2
    turned = np.mod(np.arctan2(m["y"], m["x"]) - start, 2 * np.pi)
    return turned / (2 * np.pi - LABEL_GAP)


def test_no_member_sits_where_the_ring_labels_are():
    classes = {f"c{i}": "circle" for i in range(400)}
    m = core_map_layout(classes, layers={n: 1 + i % 4 for i, n in enumerate(classes)})
    offset = np.mod(np.arctan2(m["y"], m["x"]) - LABEL_ANGLE + np.pi, 2 * np.pi) - np.pi
    assert np.abs(offset).min() >= LABEL_GAP / 2 - 1e-9


def test_strangers_collapse_into_blobs_and_the_sybil_cluster_is_marked():
    classes = {f"s{i}": "stranger" for i in range(10)} | {"c": "core"}
    clusters = {f"s{i}": ("big" if i < 6 else "sybils") for i in range(9)}  # s9: none
    flagged = {"s6", "s7"}  # 2 of the 3 "sybils" members
    m = core_map_layout(classes, clusters=clusters, flagged=flagged, min_blob=2)
    blobs = dict(zip(m["blob_id"], m["blob_count"]))
    assert blobs == {"big": 6, "sybils": 3, "other strangers": 1}
    assert dict(zip(m["blob_id"], m["blob_sybil"])) == {
        "big": False,
        "sybils": True,
        "other strangers": False,
    }
    assert m["nodes"].tolist() == ["c"]
    # blobs sit outside every ring, without overlapping each other
    assert np.all(np.hypot(m["blob_x"], m["blob_y"]) - m["blob_size"] > m["n_rings"] + 1)
    dx = m["blob_x"][:, None] - m["blob_x"][None, :]
    dy = m["blob_y"][:, None] - m["blob_y"][None, :]
    gap = np.hypot(dx, dy) - (m["blob_size"][:, None] + m["blob_size"][None, :])
    assert np.all(gap[~np.eye(3, dtype=bool)] > 0)
    # the largest blob is the biggest disc
    assert m["blob_size"][0] == m["blob_size"].max()


def test_small_clusters_and_clusters_past_max_blobs_are_pooled():
    classes = {f"s{i}": "stranger" for i in range(12)}
    clusters = {f"s{i}": i // 3 for i in range(12)}  # four clusters of three
    clusters["s11"] = "lonely"  # cluster 3 keeps two members; "lonely" has one
    m = core_map_layout(classes, clusters=clusters, max_blobs=3, min_blob=2)
    assert dict(zip(m["blob_id"], m["blob_count"])) == {0: 3, 1: 3, "other strangers": 6}


def test_attack_edges_run_between_blob_centres_ring_members_and_the_ego():
    classes = {"a": "core", "s1": "stranger", "s2": "stranger"}
    m = core_map_layout(
        classes,
        layers={"a": 1},
        clusters={"s1": "k", "s2": "k"},
        attack_edges=[("s1", "a"), ("s2", "me"), ("ghost", "a")],
        ego=["me"],
        min_blob=1,
    )
    blob = (m["blob_x"][0], m["blob_y"][0])
    assert m["edges"].shape == (2, 2, 2)
    np.testing.assert_allclose(m["edges"][0], [blob, (m["x"][0], m["y"][0])])
    np.testing.assert_allclose(m["edges"][1], [blob, (0.0, 0.0)])


def test_unknown_class_is_refused_with_the_value():
    with pytest.raises(ParameterError, match="'friend'"):
        core_map_layout({"a": "friend"})


def _label_boxes(ax):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(ax.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    return {
        t.get_text(): t.get_window_extent(renderer)
        for t in ax.texts
        if t.get_text().startswith("Person")
    }


def test_labels_use_the_label_mapping_only_for_top_nodes_and_never_overlap():
    classes = {f"id{i}@example.com": ("core" if i < 5 else "circle") for i in range(60)}
    layers = {n: 1 if i < 5 else 2 + i % 3 for i, n in enumerate(classes)}
    scores = {n: 1.0 / (i + 1) for i, n in enumerate(classes)}
    pseudonyms = {n: f"Person {i}" for i, n in enumerate(classes)}
    ax = plot_core_map(
        classes,
        layers=layers,
        scores=scores,
        label=pseudonyms,
        n_labels=8,
        ax=Figure().add_subplot(),
    )
    boxes = _label_boxes(ax)
    assert 1 <= len(boxes) <= 8
    assert "Person 0" in boxes  # the top score is always labelled
    assert not any("example.com" in t.get_text() for t in ax.texts)  # no raw identifier
    items = list(boxes.values())
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            assert not items[i].overlaps(items[j])


def test_legend_counts_every_class():
    classes = {"a": "core", "b": "circle", "c": "stranger", "d": "stranger", "e": "broadcaster"}
    ax = plot_core_map(classes, flagged={"e"}, ax=Figure().add_subplot())
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[:1] == ["you"]
    for expected in ("core (1)", "circle (1)", "broadcaster (1)", "Sybil-like (flagged)"):
        assert expected in texts
    assert any(t.startswith("stranger (2)") for t in texts)


def test_a_small_sybil_like_cluster_keeps_its_own_marked_blob():
    # 12 large stranger clusters would fill every blob; the 4-account flagged one must
    # still get its own blob rather than vanish into the pooled "other" blob.
    classes = {"a": "core"}
    clusters = {}
    for c in range(12):
        for i in range(20):
            node = f"s{c}-{i}"
            classes[node] = "stranger"
            clusters[node] = f"cluster {c}"
    sybils = [f"x{i}" for i in range(4)]
    for node in sybils:
        classes[node] = "stranger"
        clusters[node] = "dense"
    model = core_map_layout(classes, clusters=clusters, flagged=sybils, max_blobs=12)
    ids = list(model["blob_id"])
    assert "dense" in ids
    assert model["blob_sybil"][ids.index("dense")]
