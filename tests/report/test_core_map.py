"""The interim core-versus-strangers map: plot model as arrays, and drawing."""

from __future__ import annotations

import numpy as np

from trustgraph.plot.core_map import core_map_layout, plot_core_map
from trustgraph.report.model import ContactRow


def row(i: int, *, conversed: bool = True, declared: bool = False) -> ContactRow:
    return ContactRow(
        f"c{i}",
        None,
        int(conversed),
        int(conversed),
        1.0 / (i + 1),
        0.0,
        declared,
        conversed,
        conversed,
        None,
    )


def test_rings_follow_cumulative_layer_sizes():
    contacts = [row(i) for i in range(20)] + [
        row(100 + i, conversed=False, declared=True) for i in range(7)
    ]
    layout = core_map_layout(contacts, layers=(5, 15))
    assert np.bincount(layout["ring"]).tolist() == [0, 5, 10, 5]
    radii = np.hypot(layout["x"], layout["y"])
    np.testing.assert_allclose(radii, layout["ring"])
    assert int(layout["n_strangers"]) == 7
    assert layout["index"].tolist() == list(range(20))


def test_plot_returns_axes_and_labels_only_top():
    from matplotlib.figure import Figure

    contacts = [row(i) for i in range(12)]
    ax = Figure().add_subplot()
    out = plot_core_map(contacts, ax=ax, n_labels=3)
    assert out is ax
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("c")] == ["c0", "c1", "c2"]


def test_importing_trustgraph_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import sys, trustgraph; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"
