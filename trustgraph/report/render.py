"""Render a :class:`~trustgraph.report.model.Report` as Markdown, HTML, JSON or rich tables.

Renderers return text (or rich renderables); they never print and never write files.
The HTML is one self-contained offline file: figures are inlined as base64 PNG, the CSS is
inline, and there is no script and no external reference.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Mapping
from typing import Any

from trustgraph.report.model import Report

__all__ = ["to_html", "to_json", "to_markdown", "to_rich"]

_TOP = 20


def _headline_text(report: Report) -> str:
    h = report.headline
    if h["declared_connections"]:
        return (
            f"{h['declared_never_conversed']:,} of {h['declared_connections']:,} declared "
            "connections: no conversation ever."
        )
    return (
        f"{h['conversation_partners']:,} conversation partners, "
        f"{h['reciprocal_partners']:,} of them two-way."
    )


def _summary_items(report: Report) -> list[tuple[str, str]]:
    h, s = report.headline, report.statistics
    return [
        ("People around you", f"{h['contacts']:,}"),
        ("Declared connections", f"{h['declared_connections']:,}"),
        ("…never talked with", f"{h['declared_never_conversed']:,}"),
        ("Conversation partners", f"{h['conversation_partners']:,}"),
        ("…two-way", f"{h['reciprocal_partners']:,}"),
        ("…only writing to you", f"{h['one_way_inbound']:,}"),
        ("Nodes / edges in the graph", f"{s.nodes:,} / {s.edges:,}"),
        ("Density", f"{s.density:.5f}"),
        ("Weakly connected components", f"{s.weakly_connected_components:,}"),
    ]


def _contact_cells(report: Report) -> tuple[list[str], list[list[str]]]:
    header = ["#", "contact", "trust score", "tie strength", "out", "in", "last contact"]
    rows = []
    for rank, c in enumerate((c for c in report.contacts if c.conversed), start=1):
        if rank > _TOP:
            break
        rows.append(
            [
                str(rank),
                c.name or c.id,
                f"{c.trust_score:.4f}",
                f"{c.tie_strength:.3f}",
                str(c.messages_out),
                str(c.messages_in),
                (c.last_contact or "")[:10],
            ]
        )
    return header, rows


def _inventory_lines(report: Report) -> list[str]:
    lines = []
    for item in report.inventory:
        records = ", ".join(f"{v:,} {k}" for k, v in item["records"].items()) or "nothing"
        skipped = ", ".join(f"{v:,} {k}" for k, v in item["skipped"].items())
        span = ""
        if item.get("first_seen"):
            span = f"; {item['first_seen'][:10]} to {item['last_seen'][:10]}"
        line = f"{item['path']} ({item['format']}): {records}{span}"
        if skipped:
            line += f"; skipped {skipped}"
        lines.append(line)
    return lines


def _footer_items(report: Report) -> list[tuple[str, str]]:
    items = [("trustgraph version", report.version), ("schema", report.schema_version)]
    items += [(f"parameter {k}", _short(v)) for k, v in report.parameters.items()]
    items += [(f"input {i['path']}", f"sha256 {i['sha256']}") for i in report.inputs]
    if report.seed is not None:
        items.append(("seed", str(report.seed)))
    return items


def _short(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def to_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown; figures linked by relative file name."""
    out = [f"# {report.title}", ""]
    if report.dataset:
        out += [f"Input: {report.dataset}", ""]
    out += [f"**{_headline_text(report)}**", "", "## Network summary", ""]
    out += ["| | |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in _summary_items(report)]
    header, rows = _contact_cells(report)
    out += ["", "## Top conversation partners", ""]
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
    if report.figures:
        out += ["", "## Figures", ""]
        for fig in report.figures:
            out += [f"![{fig.caption}]({fig.filename})", "", f"*{fig.caption}*", ""]
    if report.inventory:
        out += ["", "## Inputs", ""] + [f"- {line}" for line in _inventory_lines(report)]
    out += ["", "## Reproducibility", ""] + [f"- {k}: `{v}`" for k, v in _footer_items(report)]
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#222}table{border-collapse:collapse;margin:1rem 0}td,th{padding:.25rem .6rem;"
    "border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right}"
    ".headline{font-size:1.3rem;font-weight:600}img{max-width:100%}"
    "footer{color:#666;font-size:.85rem;margin-top:2rem}"
)


def to_html(report: Report, images: Mapping[str, bytes] | None = None) -> str:
    """One self-contained HTML page; `images` maps figure file names to PNG bytes to inline."""
    e = html.escape
    images = images or {}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(report.title)}</h1>",
    ]
    if report.dataset:
        parts.append(f"<p>Input: {e(report.dataset)}</p>")
    parts.append(f'<p class="headline">{e(_headline_text(report))}</p>')
    parts.append("<h2>Network summary</h2><table>")
    parts += [
        f'<tr><td>{e(k)}</td><td class="n">{e(v)}</td></tr>' for k, v in _summary_items(report)
    ]
    parts.append("</table><h2>Top conversation partners</h2><table><tr>")
    header, rows = _contact_cells(report)
    parts += [f"<th>{e(h)}</th>" for h in header] + ["</tr>"]
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
    parts.append("</table>")
    if report.figures:
        parts.append("<h2>Figures</h2>")
        for fig in report.figures:
            data = images.get(fig.filename)
            if data is None:
                continue
            encoded = base64.b64encode(data).decode("ascii")
            parts.append(
                f'<figure><img alt="{e(fig.caption)}" src="data:image/png;base64,{encoded}">'
                f"<figcaption>{e(fig.caption)}</figcaption></figure>"
            )
    if report.inventory:
        parts.append("<h2>Inputs</h2><ul>")
        parts += [f"<li>{e(line)}</li>" for line in _inventory_lines(report)]
        parts.append("</ul>")
    parts.append("<footer><h2>Reproducibility</h2><ul>")
    parts += [f"<li>{e(k)}: <code>{e(v)}</code></li>" for k, v in _footer_items(report)]
    parts.append("</ul></footer></body></html>")
    return "\n".join(parts) + "\n"


def to_json(report: Report) -> str:
    """The report as JSON (``schema_version`` first, stable key order, UTF-8)."""
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


def to_rich(report: Report) -> list[Any]:
    """Rich renderables for the terminal: headline, summary table, top contacts."""
    from rich.table import Table
    from rich.text import Text

    summary = Table(title="Network summary", show_header=False)
    summary.add_column("what")
    summary.add_column("value", justify="right")
    for k, v in _summary_items(report):
        summary.add_row(k, v)
    header, rows = _contact_cells(report)
    top = Table(title="Top conversation partners")
    for h in header:
        top.add_column(h, justify="left" if h in ("contact", "last contact") else "right")
    for row in rows:
        top.add_row(*row)
    return [Text(_headline_text(report), style="bold"), summary, top]
