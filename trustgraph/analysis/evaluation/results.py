"""The result every protocol returns, with its JSON and Markdown forms."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EvaluationResult"]

#: Column order of the table: known metric keys first, in this order.
METRIC_ORDER = (
    "rmse",
    "pearson",
    "mae",
    "coverage",
    "auc",
    "average_precision",
    "average_precision_good",
    "precision_at_k",
    "accepted_sybils_per_attack_edge",
    "trusted_share_circle",
    "trusted_share_other",
    "core_share_circle",
    "core_share_other",
    "n",
)


@dataclass(frozen=True)
class EvaluationResult:
    """Results of one evaluation protocol on one dataset.

    Attributes
    ----------
    protocol : str
        ``edge-weight``, ``levels``, ``sybil``, ``core`` or ``fraud``.
    dataset : str
        Name of the data evaluated.
    parameters : dict
        Every setting that shaped the numbers (sample sizes, seeds, mappings...).
    results : list of dict
        One row per method (and per setting such as the number of attack edges): a
        ``"method"`` key, metric keys in lower case (``rmse``, ``pearson``, ``mae``,
        ``coverage``, ``auc``, ``average_precision``...), and for a metric ``m`` averaged
        over repetitions ``m_std`` (the sample standard deviation) or, for sampled edges,
        ``m_low``/``m_high`` (a 95% bootstrap interval).
    notes : list of str
        Caveats worth printing under the table (failures, sampling).
    """

    protocol: str
    dataset: str
    parameters: dict[str, Any]
    results: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"protocol", "dataset", "parameters", "results"[, "notes"]}``.

        NaN becomes ``None`` (JSON has no NaN).
        """
        payload: dict[str, Any] = {
            "protocol": self.protocol,
            "dataset": self.dataset,
            "parameters": _clean(self.parameters),
            "results": [_clean(row) for row in self.results],
        }
        if self.notes:
            payload["notes"] = list(self.notes)
        return payload

    def columns(self) -> list[str]:
        """Table columns: ``method``, then setting keys, then metrics (std folded in)."""
        keys: list[str] = []
        for row in self.results:
            for key in row:
                if key not in keys:
                    keys.append(key)
        metrics = [k for k in METRIC_ORDER if k in keys]
        spreads = {f"{k}{s}" for k in keys for s in ("_std", "_low", "_high")}
        settings = [k for k in keys if k not in metrics and k not in spreads and k != "method"]
        return ["method", *settings, *metrics]

    def cells(self) -> tuple[list[str], list[list[str]]]:
        """Header and text cells: ``mean ± std`` or ``value [low, high]``."""
        header = self.columns()
        body = []
        for row in self.results:
            body.append([_cell(row, key) for key in header])
        return header, body

    def to_markdown(self) -> str:
        """A GitHub Markdown table (methods as rows, metrics as columns)."""
        header, body = self.cells()
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        lines += [f"\n_Note: {note}_" for note in self.notes]
        return "\n".join(lines) + "\n"


def _cell(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    if math.isnan(value):
        return "n/a"
    text = f"{value:.3f}"
    if f"{key}_std" in row and row[f"{key}_std"] is not None:
        std = row[f"{key}_std"]
        if not math.isnan(std):
            text += f" ± {std:.3f}"
    elif f"{key}_low" in row:
        low, high = row[f"{key}_low"], row.get(f"{key}_high")
        if low is not None and high is not None and not (math.isnan(low) or math.isnan(high)):
            text += f" [{low:.3f}, {high:.3f}]"
    return text


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    return value
