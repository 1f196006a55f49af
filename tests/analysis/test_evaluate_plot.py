"""Figures of the evaluation protocols (trustgraph/plot/evaluation.py)."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.colors as mcolors
import pytest
from matplotlib.figure import Figure

from trustgraph.analysis.evaluate import EvaluationResult
from trustgraph.exceptions import ParameterError
from trustgraph.plot.evaluation import plot_evaluation
from trustgraph.plot.style import SEQUENCE


def sybil_result():
    rows = [
        {"method": m, "attack_edges": g, "auc": a - 0.01 * k, "auc_std": 0.01}
        for k, m in enumerate(("SybilRank", "SybilSCAR", "Appleseed"))
        for g, a in ((10, 1.0), (100, 0.99), (1000, 0.95))
    ]
    return EvaluationResult("sybil", "toy", {}, rows)


def test_sybil_figure_has_one_okabe_ito_line_per_method():
    ax = Figure().add_subplot()
    assert plot_evaluation(sybil_result(), ax=ax) is ax
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["SybilRank", "SybilSCAR", "Appleseed"]
    assert [mcolors.to_hex(line.get_color()).upper() for line in lines] == list(SEQUENCE[:3])
    assert lines[0].get_xdata().tolist() == [10, 100, 1000]
    assert ax.get_xscale() == "log"


@pytest.mark.parametrize(
    ("protocol", "metric"), [("edge-weight", "rmse"), ("levels", "mae"), ("core", "auc")]
)
def test_bar_figures(protocol, metric):
    rows = [{"method": "A", metric: 0.5, f"{metric}_std": 0.1}, {"method": "B", metric: 0.2}]
    ax = plot_evaluation(EvaluationResult(protocol, "toy", {}, rows))
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == [0.2, 0.5]
    with pytest.raises(ParameterError):
        plot_evaluation(EvaluationResult("unknown", "toy", {}, rows))


def test_importing_the_module_does_not_import_pyplot():
    code = (
        "import sys, trustgraph.plot.evaluation as m; "
        "m.plot_evaluation(m.__dict__['ParameterError'] and "
        "__import__('trustgraph.analysis.evaluate', fromlist=['x']).EvaluationResult("
        "'fraud', 'd', {}, [{'method': 'x', 'auc': 0.5}])); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
