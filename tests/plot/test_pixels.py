"""Pixels: tolerant comparison against looked-at baselines, and byte-identical reruns.

Regenerate the baselines (then look at them before committing) with
``python tests/plot/test_pixels.py``.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from trustgraph.plot.core_map import plot_core_map
from trustgraph.plot.export import png_bytes
from trustgraph.plot.scores import plot_agreement, plot_score_ranks
from trustgraph.plot.style import style_context

BASELINE = Path(__file__).resolve().parent / "baseline"
#: Mean absolute RGB difference (0..1 scale) allowed: font hinting, antialiasing and
#: matplotlib releases (Python 3.10 gets matplotlib 3.10: 0.014 on the core map) stay below
#: it; a moved ring or a changed colour does not.
TOLERANCE = 0.03
DPI = 60


def core_figure() -> Figure:
    classes = {f"p{i}": "core" for i in range(5)}
    classes |= {f"p{i}": "circle" for i in range(5, 40)}
    classes |= {f"a{i}": "acquaintance" for i in range(6)} | {"news": "broadcaster"}
    classes |= {f"s{i}": "stranger" for i in range(60)}
    layers = {f"p{i}": 1 if i < 5 else 2 if i < 15 else 3 for i in range(40)}
    communities = {f"p{i}": i % 3 for i in range(40)}
    clusters = {f"s{i}": ("work" if i < 30 else "school" if i < 48 else "ring") for i in range(60)}
    flagged = {f"s{i}" for i in range(48, 60)}
    scores = {f"p{i}": 1.0 / (1 + i) for i in range(40)}
    with style_context():
        figure = Figure(figsize=(6, 6))
        plot_core_map(
            classes,
            layers=layers,
            communities=communities,
            clusters=clusters,
            flagged=flagged,
            scores=scores,
            attack_edges=[("s50", "p20"), ("s55", "p31")],
            label={n: f"Person {n[1:]}" for n in classes},
            n_labels=6,
            ax=figure.add_subplot(),
        )
    return figure


def scores_figure() -> Figure:
    rng = np.random.default_rng(0)
    base = rng.pareto(1.5, 200)
    scores = {
        "A": dict(enumerate(base)),
        "B": dict(enumerate(base + rng.normal(0, 0.3, 200) ** 2)),
        "C": dict(enumerate(rng.random(200))),
    }
    with style_context():
        figure = Figure(figsize=(9, 3.6))
        left, right = figure.subplots(1, 2)
        plot_score_ranks(scores, ax=left)
        plot_agreement(scores, ax=right)
        figure.tight_layout()
    return figure


FIGURES = {"core_map.png": core_figure, "scores.png": scores_figure}


def _pixels(data: bytes) -> np.ndarray:
    from matplotlib.image import imread

    return imread(io.BytesIO(data), format="png")[..., :3]


def test_figures_match_their_baselines():
    for name, make in FIGURES.items():
        expected = _pixels((BASELINE / name).read_bytes())
        got = _pixels(png_bytes(make(), dpi=DPI))
        assert got.shape == expected.shape, name
        difference = float(np.abs(got - expected).mean())
        assert difference < TOLERANCE, f"{name}: mean RGB difference {difference:.4f}"


def test_the_comparison_catches_a_changed_figure():
    expected = _pixels((BASELINE / "core_map.png").read_bytes())
    figure = core_figure()
    figure.axes[0].set_facecolor("#E69F00")  # what a wrong background would look like
    figure.axes[0].set_axis_on()
    got = _pixels(png_bytes(figure, dpi=DPI))
    assert float(np.abs(got - expected).mean()) > TOLERANCE


def test_same_input_gives_the_same_bytes():
    first = png_bytes(core_figure(), dpi=DPI)
    assert first == png_bytes(core_figure(), dpi=DPI)
    assert b"Software" not in first and b"matplotlib" not in first


if __name__ == "__main__":
    BASELINE.mkdir(exist_ok=True)
    for name, make in FIGURES.items():
        (BASELINE / name).write_bytes(png_bytes(make(), dpi=DPI))
        print(BASELINE / name)
