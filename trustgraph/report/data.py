"""The report as data: JSON (the whole report) and CSV (one row per contact).

Split from :mod:`trustgraph.report.render`, which re-exports both; the text renderings
(terminal, Markdown, HTML) stay there.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from trustgraph.ingest.escape import csv_text
from trustgraph.report.model import Report

__all__ = ["CSV_COLUMNS", "to_csv", "to_json"]


def to_json(report: Report) -> str:
    """The report as JSON (``schema_version`` first, stable key order, UTF-8)."""
    return json.dumps(_finite(report.as_dict()), indent=2, ensure_ascii=False) + "\n"


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity: a number past the float range is written as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def to_csv(report: Report) -> str:
    """One row per contact: class, trust, tie strength, first and last contact, evidence.

    Text cells go through the OWASP formula rule
    (:func:`~trustgraph.ingest.escape.csv_text`), so a name such as
    ``=HYPERLINK(...)`` stays text in a spreadsheet.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in report.contacts:
        writer.writerow(
            [
                csv_text(c.id),
                csv_text(c.name or ""),
                c.cls,
                "" if c.layer is None else c.layer,
                c.trust_score,
                c.tie_strength,
                c.trust_in_you,
                c.messages_out,
                c.messages_in,
                c.contacts_per_year,
                c.first_contact or "",
                c.last_contact or "",
                int(c.declared),
                int(c.reciprocal),
                int(c.sybil_like),
                csv_text(c.cluster or ""),
            ]
        )
    return buffer.getvalue()


CSV_COLUMNS = (
    "id",
    "name",
    "class",
    "layer",
    "trust_score",
    "tie_strength",
    "trust_in_you",
    "messages_out",
    "messages_in",
    "contacts_per_year",
    "first_contact",
    "last_contact",
    "declared",
    "two_way",
    "sybil_like",
    "cluster",
)
