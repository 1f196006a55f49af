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


_MODES = {
    "ego": "Ego view: your own exports (your ties are observed; friends of friends only "
    "through group conversations and Cc lines).",
    "ego-in-network": "Ego view inside a whole network (everyone's edges are observed).",
    "whole-network": "Whole network: no owner given, so statistics, communities and "
    "top-ranked nodes only (pass --me ID for one person's view).",
}


def _headline_text(report: Report) -> str:
    h = report.headline
    if report.mode == "whole-network":
        return (
            f"Whole network: {h['nodes']:,} nodes, {h['edges']:,} edges, "
            f"{h['communities']:,} communities."
        )
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
    items = []
    if report.mode != "whole-network":
        items += [
            ("People around you", f"{h['contacts']:,}"),
            ("Declared connections", f"{h['declared_connections']:,}"),
            ("…never talked with", f"{h['declared_never_conversed']:,}"),
            ("Conversation partners", f"{h['conversation_partners']:,}"),
            ("…two-way", f"{h['reciprocal_partners']:,}"),
            ("…only writing to you", f"{h['one_way_inbound']:,}"),
        ]
    items += [
        ("Nodes / edges in the graph", f"{s.nodes:,} / {s.edges:,}"),
        ("Density", f"{s.density:.5f}"),
        ("Average weighted degree", f"{s.average_weighted_degree:.3f}"),
        ("Weakly connected components", f"{s.weakly_connected_components:,}"),
    ]
    if s.strongly_connected_components is not None:
        items.append(("Strongly connected components", f"{s.strongly_connected_components:,}"))
    if s.average_clustering is not None:
        items.append(("Average clustering", f"{s.average_clustering:.4f}"))
    if s.modularity is not None:
        items.append(
            ("Modularity (Louvain)", f"{s.modularity:.4f} ({s.communities:,} communities)")
        )
    for what in s.skipped:
        items.append(("Skipped", what))
    return items


def _contact_cells(report: Report) -> tuple[list[str], list[list[str]]]:
    header = [
        "#",
        "contact",
        "class",
        "layer",
        "out",
        "in",
        "per year",
        "active months",
        "trust in you",
        "first contact",
        "last contact",
    ]
    rows = []
    for rank, c in enumerate((c for c in report.contacts if c.conversed), start=1):
        if rank > _TOP:
            break
        rows.append(
            [
                str(rank),
                c.name or c.id,
                c.cls + (" (stale)" if c.stale else ""),
                "" if c.layer is None else str(c.layer),
                str(c.messages_out),
                str(c.messages_in),
                f"{c.contacts_per_year:.1f}",
                "" if c.active_months is None else str(c.active_months),
                f"{c.trust_in_you:.2f}",
                (c.first_contact or "")[:10],
                (c.last_contact or "")[:10],
            ]
        )
    return header, rows


Table = tuple[list[str], list[list[str]]]


def _sections(report: Report) -> list[tuple[str, list[str], list[Table]]]:
    """Every section as (title, paragraphs, tables): one model for all renderers."""
    out: list[tuple[str, list[str], list[Table]]] = []
    out.append(("Network summary", [], [(["", ""], [list(i) for i in _summary_items(report)])]))
    if report.top_nodes:
        rows = [
            [str(i), t["name"] or t["id"], f"{t['score']:.6f}"]
            for i, t in enumerate(report.top_nodes[:10], start=1)
        ]
        out.append(
            (
                "Top-ranked nodes",
                [
                    "PageRank of the whole graph (damping 0.85)."
                    if report.mode == "whole-network"
                    else "Personalized PageRank from you: whom your trusted people trust."
                ],
                [(["#", "node", "score"], rows)],
            )
        )
    if report.mode == "whole-network":
        return out
    k, h = report.classes, report.headline
    trusted = k["core"] + k["circle"]
    lines = [
        f"{trusted:,} of {h['contacts']:,} connections are trusted (core {k['core']:,}, "
        f"circles {k['circle']:,}); {k['stranger']:,} are strangers and "
        f"{k['broadcaster']:,} broadcasters; {k['acquaintance']:,} acquaintances.",
    ]
    rows = [
        [c, f"{k[c]:,}"] for c in ("core", "circle", "acquaintance", "stranger", "broadcaster")
    ]
    out.append(("Trusted core vs strangers", lines, [(["class", "contacts"], rows)]))
    c = report.circles or {}
    if c.get("n_layers"):
        ref = list(c["reference_cumulative_sizes"])
        rows = []
        for i in range(c["n_layers"]):
            rows.append(
                [
                    str(i + 1),
                    f"{c['sizes'][i]:,}",
                    f"{c['cumulative_sizes'][i]:,}",
                    "" if i == 0 else f"{c['ratios'][i - 1]:.2f}",
                    f"{c['boundaries_per_year'][i]:.2f}",
                    str(ref[i]) if i < len(ref) else "",
                ]
            )
        verdict = (
            "not tested"
            if c["p_value"] is None
            else f"p = {c['p_value']:.3f} against resampled log-normal frequencies: "
            + (
                "the layering is real"
                if c["real"]
                else "not distinguishable from one skewed distribution"
            )
        )
        unit = report.thresholds.get("frequency_unit", "contacts per year")
        lines = [
            f"{c['n_layers']} layers from Jenks natural breaks of log {unit} (fewest classes "
            f"explaining 95% of the variance); goodness of variance fit {c['gvf']:.3f}; "
            f"kernel-density modes: {c['n_modes']}; {verdict}. Dunbar's reference sizes are "
            "shown beside ours, not fitted.",
        ]
        header = ["layer", "size", "cumulative", "ratio", f"from ({unit})", "Dunbar"]
        out.append(("Circles", lines, [(header, rows)]))
    r = report.reach
    if r:
        lines = [
            f"{r['reached']:,} people trust you with path-product trust of at least "
            f"{r['threshold']} (beside {r['connections']:,} raw connections). Removing your "
            "top contributors leaves: "
            + ", ".join(f"top {k2}: {v:,}" for k2, v in r["without_top"].items())
            + ".",
        ]
        hop_rows = [[hop, f"{n:,}"] for hop, n in r["by_hop"].items()]
        top_rows = [[t["id"], f"{t['reach']:,}"] for t in r["top_contributors"]]
        out.append(
            (
                "Trusted reach",
                lines,
                [(["hops", "people"], hop_rows), (["contributor", "people reached"], top_rows)],
            )
        )
    out.append(
        (
            "Top contacts",
            [
                "Evidence per contact: messages out and in, contacts per "
                "year, months with a conversation, trust in you, first and last contact."
            ],
            [_contact_cells(report)],
        )
    )
    casters = [x for x in report.contacts if x.cls == "broadcaster"]
    rows = [
        [
            x.name or x.id,
            str(x.messages_in),
            str(x.messages_out),
            f"{x.broadcaster_score or 0:.2f}",
            str(x.extra.get("bulk", "")),
        ]
        for x in sorted(casters, key=lambda x: -x.messages_in)[:_TOP]
    ]
    lines = [
        f"Broadcasters write without replies at core volume (at least "
        f"{report.thresholds.get('broadcaster_volume')} messages) or send bulk mail."
    ]
    tables = [(["broadcaster", "in", "out", "score", "bulk"], rows)]
    tables.append(
        (
            ["stranger cluster", "strangers"],
            [[x["cluster"], f"{x['strangers']:,}"] for x in report.clusters[:10]],
        )
    )
    out.append(("Strangers and broadcasters", lines, tables))
    days = report.thresholds.get("stale_days", 180)
    rows = [[x["name"] or x["id"], x["last_contact"][:10]] for x in report.stale]
    out.append(
        (
            "Stale core ties",
            [f"{len(rows)} core contacts with no conversation for more than {days:g} days."],
            [(["contact", "last contact"], rows)] if rows else [],
        )
    )
    return out


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
        if item.get("excluded_bulk"):
            line += f"; excluded bulk mail: {item['excluded_bulk']:,}"
        lines.append(line)
    return lines


def _footer_items(report: Report) -> list[tuple[str, str]]:
    items = [("trustgraph version", report.version), ("schema", report.schema_version)]
    items += [(f"parameter {k}", _short(v)) for k, v in report.parameters.items()]
    items += [(f"derived {k}", _short(v)) for k, v in report.thresholds.items()]
    items += [(f"input {i['path']}", f"sha256 {i['sha256']}") for i in report.inputs]
    if report.seed is not None:
        items.append(("seed", str(report.seed)))
    return items


def _short(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _md_table(table: Table) -> list[str]:
    header, rows = table
    out = ["| " + " | ".join(_md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows] + [""]


def to_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown; figures linked by relative file name."""
    out = [f"# {report.title}", ""]
    if report.dataset:
        out += [f"Input: {report.dataset}", ""]
    out += [_MODES[report.mode], "", f"**{_headline_text(report)}**", ""]
    if report.inventory:
        out += ["## Inputs", ""] + [f"- {line}" for line in _inventory_lines(report)] + [""]
    for title, lines, tables in _sections(report):
        out += [f"## {title}", ""]
        for line in lines:
            out += [line, ""]
        for table in tables:
            out += _md_table(table)
    if report.figures:
        out += ["## Figures", ""]
        for fig in report.figures:
            out += [f"![{fig.caption}]({fig.filename})", "", f"*{fig.caption}*", ""]
    out += ["## Reproducibility", ""] + [f"- {k}: `{v}`" for k, v in _footer_items(report)]
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
    parts.append(f"<p>{e(_MODES[report.mode])}</p>")
    parts.append(f'<p class="headline">{e(_headline_text(report))}</p>')
    if report.inventory:
        parts.append("<h2>Inputs</h2><ul>")
        parts += [f"<li>{e(line)}</li>" for line in _inventory_lines(report)]
        parts.append("</ul>")
    for title, lines, tables in _sections(report):
        parts.append(f"<h2>{e(title)}</h2>")
        parts += [f"<p>{e(line)}</p>" for line in lines]
        for header, rows in tables:
            parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
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
    parts.append("<footer><h2>Reproducibility</h2><ul>")
    parts += [f"<li>{e(k)}: <code>{e(v)}</code></li>" for k, v in _footer_items(report)]
    parts.append("</ul></footer></body></html>")
    return "\n".join(parts) + "\n"


def to_json(report: Report) -> str:
    """The report as JSON (``schema_version`` first, stable key order, UTF-8)."""
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


def to_rich(report: Report) -> list[Any]:
    """Rich renderables for the terminal: headline, then every section's tables."""
    from rich.table import Table as RichTable
    from rich.text import Text

    out: list[Any] = [
        Text(_MODES[report.mode], style="dim"),
        Text(_headline_text(report), style="bold"),
    ]
    out += [Text(f"input: {line}", style="dim") for line in _inventory_lines(report)]
    for title, lines, tables in _sections(report):
        out.append(Text(f"\n{title}", style="bold underline"))
        out += [Text(line) for line in lines]
        for header, rows in tables:
            if "first contact" in header:
                # Terminals are narrow: the files keep the first-contact column.
                drop = header.index("first contact")
                header = header[:drop] + header[drop + 1 :]
                rows = [row[:drop] + row[drop + 1 :] for row in rows]
            table = RichTable(show_header=any(header))
            for h in header:
                table.add_column(
                    h, justify="left" if h in ("contact", "class", "last contact") else "right"
                )
            for row in rows:
                table.add_row(*row)
            out.append(table)
    return out
