"""Render a :class:`~trustgraph.report.model.Report` as Markdown, HTML, JSON or rich tables.

Renderers return text (or rich renderables); they never print and never write files.
The HTML is one self-contained offline file: figures are inlined as base64 PNG, the CSS is
inline, and there is no script and no external reference.
"""

from __future__ import annotations

import base64
import html
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from trustgraph.algorithms.registry import get_method
from trustgraph.ingest.escape import markdown_text, printable_text
from trustgraph.report.data import CSV_COLUMNS, to_csv, to_json
from trustgraph.report.model import ContactRow, Report

__all__ = [
    "CSV_COLUMNS",
    "answer_lines",
    "to_csv",
    "to_html",
    "to_json",
    "to_markdown",
    "to_rich",
]

_TOP = 20
#: Core members named in the answer line.
_CORE_SHOWN = 15


MODES = {
    "ego": "Seen from your own exports: your ties are observed; friends of friends only "
    "through group conversations and Cc lines.",
    "ego-in-network": "Seen inside a whole network: everyone's edges are observed.",
    "whole-network": "A whole network: no owner given, so statistics and top-ranked nodes "
    "only (pass --me ID for one person's view).",
}


def _people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


def answer_lines(report: Report) -> list[str]:
    """The answer, in three lines: how many people you really trust, who, and what else.

    Every format opens with these lines (the terminal's first three lines).
    """
    if report.mode == "whole-network":
        h = report.headline
        return [
            f"Whole network: {h['nodes']:,} nodes, {h['edges']:,} edges, "
            f"{h['communities']:,} communities.",
            "No owner given: pass --me ID for one person's trusted core.",
        ]
    a = report.answer
    first = (
        f"You really trust {_people(a['trusted'])}: {a['core']:,} core, {a['circle']:,} in "
        f"your circles, out of {a['declared_connections']:,} declared connections and "
        f"{_people(a['talked_with'])} you have talked with."
    )
    if a["structural"]:
        first = (
            f"By structure alone you are closest to {_people(a['trusted'])}: {a['core']:,} "
            f"core, {a['circle']:,} in your circles, out of "
            f"{report.headline['contacts']:,} connections. No conversations were read, so "
            "this ranks shared friends, not who you talk with."
        )
    core = a["core_names"]
    shown = ", ".join(core[:_CORE_SHOWN]) + (
        f" and {len(core) - _CORE_SHOWN:,} more" if len(core) > _CORE_SHOWN else ""
    )
    second = f"Core: {shown}." if core else "Core: nobody yet."
    third = [f"As of {a['as_of']}" if a["as_of"] else "No dates in the input"]
    third.append(f"{a['stale']:,} stale ties listed apart (not counted)")
    third.append(f"{a['broadcasters']:,} broadcasters")
    if a["sybil_like"]:
        third.append(f"{a['sybil_like']:,} Sybil-like accounts flagged")
    if a.get("merged"):
        third.append(f"{_people(a['merged'])} merged across sources by name")
    if a.get("probable_duplicates"):
        third.append(f"{a['probable_duplicates']:,} probably the same person, listed")
    return [first, second, "; ".join(third) + "."]


def _contact_table(rows: list[ContactRow], *, limit: int = _TOP) -> Table:
    header = [
        "#",
        "contact",
        "class",
        "layer",
        "trust",
        "tie strength",
        "out",
        "in",
        "per year",
        "trust in you",
        "first contact",
        "last contact",
    ]
    cells = [
        [
            str(rank),
            c.name or c.id,
            c.cls,
            "" if c.layer is None else str(c.layer),
            f"{c.trust_score:.4f}",
            f"{c.tie_strength:.3f}",
            str(c.messages_out),
            str(c.messages_in),
            f"{c.contacts_per_year:.1f}",
            f"{c.trust_in_you:.2f}",
            (c.first_contact or "")[:10],
            (c.last_contact or "")[:10],
        ]
        for rank, c in enumerate(rows[:limit], start=1)
    ]
    return header, cells


Table = tuple[list[str], list[list[str]]]


def _trusted_section(report: Report) -> tuple[str, list[str], list[Table]]:
    trusted = [c for c in report.contacts if c.cls in ("core", "circle")]
    lines = [
        f"Your {len(trusted):,} trusted people, most trusted first ({get_method('ppr').title} "
        f"from you, damping {report.parameters.get('damping', 0.85):g}). Tie strength needs "
        "both directions: one-way volume scores 0."
    ]
    if len(trusted) > _TOP:
        lines.append(f"The first {_TOP} are shown; report.json and --format csv list all.")
    return "Who you trust", lines, [_contact_table(trusted)]


def _apart_sections(report: Report) -> list[tuple[str, list[str], list[Table]]]:
    out = []
    days = report.thresholds.get("stale_days", 180)
    stale = [c for c in report.contacts if c.cls == "stale"]
    out.append(
        (
            "Stale ties",
            [
                f"{len(stale):,} former core or circle ties silent for more than {days:g} days "
                "and three of their usual gaps: listed apart, not counted as trusted now."
            ],
            [_contact_table(stale)] if stale else [],
        )
    )
    casters = sorted(
        (c for c in report.contacts if c.cls == "broadcaster"), key=lambda c: -c.messages_in
    )
    rows = [
        [c.name or c.id, str(c.messages_in), str(c.messages_out), str(c.extra.get("bulk", ""))]
        for c in casters[:_TOP]
    ]
    out.append(
        (
            "Broadcasters",
            [
                f"{len(casters):,} contacts write to you and are (almost) never answered "
                f"(at least {report.thresholds.get('min_unanswered')} one-to-one messages, "
                f"under {report.thresholds.get('max_answered_share', 0.1):.0%} answered), "
                "or send bulk mail."
            ],
            [(["broadcaster", "in", "out", "bulk"], rows)],
        )
    )
    return out


def _sections(report: Report) -> list[tuple[str, list[str], list[Table]]]:
    """Every section after the answer as (title, paragraphs, tables): one model for all."""
    out: list[tuple[str, list[str], list[Table]]] = []
    if report.mode == "whole-network":
        rows = [
            [str(i), t["name"] or t["id"], f"{t['score']:.6f}"]
            for i, t in enumerate(report.top_nodes[:10], start=1)
        ]
        damping = report.parameters.get("damping", 0.85)
        out.append(
            (
                "Top-ranked nodes",
                [f"{get_method('pagerank').title} of the whole graph (damping {damping:g})."],
                [(["#", "node", "score"], rows)],
            )
        )
        out.append(("Graph statistics", [], [(["", ""], _statistics_rows(report))]))
        return out
    out.append(_trusted_section(report))
    out.extend(_apart_sections(report))
    if report.merged or report.duplicates:
        out.append(_identity_section(report))
    out.append(_populations_section(report))
    out.extend(_detail_sections(report))
    out.append(("Graph statistics", [], [(["", ""], _statistics_rows(report))]))
    return out


def _identity_section(report: Report) -> tuple[str, list[str], list[Table]]:
    merged = [
        [m["name"] or m["id"], ", ".join(m["merged"]), m["confidence"]] for m in report.merged
    ]
    probable = [
        [d["name"] or "", ", ".join(d["ids"]), str(d["trusted"]), d["reason"]]
        for d in report.duplicates
    ]
    lines = [
        f"{_people(len(merged))} seen in several sources under one full name, with no "
        "conflicting identifier, counted once (--no-name-merge keeps them apart). "
        f"{len(probable):,} groups are probably one person but were left apart; add the "
        "line shown to an --identities file to merge them."
    ]
    tables = []
    if merged:
        tables.append((["person", "also seen as", "confidence"], merged[:_TOP]))
    if probable:
        tables.append((["name", "records", "trusted", "why not merged"], probable[:_TOP]))
    return "One person, one row", lines, tables


def _populations_section(report: Report) -> tuple[str, list[str], list[Table]]:
    h = report.headline
    rows = [[name, f"{h[key]:,}", meaning] for key, name, meaning in POPULATIONS if key in h]
    return (
        "Who is who",
        ["Every count in this report, with its definition (docs/report.md, glossary)."],
        [(["population", "people", "definition"], rows)],
    )


#: (headline key, name, definition): the populations every output counts.
POPULATIONS = (
    ("contacts", "people around you", "everyone with an edge to or from you"),
    ("declared_connections", "declared connections", "in your contacts or connections lists"),
    ("declared_never_conversed", "never talked with", "declared, with no message either way"),
    ("talked_with", "talked with", "people you wrote to, directly or in a shared thread"),
    ("two_way", "two-way", "messages went both ways"),
    ("trusted", "trusted", "core and circle: active two-way ties, not stale"),
    ("core", "core", "the innermost layers of your trusted ties"),
    ("circle", "circle", "the outer layers of your trusted ties"),
    ("stale", "stale", "former core or circle ties gone silent"),
    ("acquaintance", "acquaintances", "you wrote to them; not an active two-way tie"),
    ("broadcaster", "broadcasters", "write to you, (almost) never answered, or bulk mail"),
    ("stranger", "strangers", "everyone else"),
    ("sybil_like", "Sybil-like", "a dense cluster you never wrote to (overlay, any class)"),
    ("vouch_for_you", "vouch for you", "path-product trust in you at or above the threshold"),
)


def _detail_sections(report: Report) -> list[tuple[str, list[str], list[Table]]]:
    out: list[tuple[str, list[str], list[Table]]] = []
    c = report.circles or {}
    if c.get("n_layers"):
        ref = list(c["reference_cumulative_sizes"])
        rows = [
            [
                str(i + 1),
                f"{c['sizes'][i]:,}",
                f"{c['cumulative_sizes'][i]:,}",
                "" if i == 0 else f"{c['ratios'][i - 1]:.2f}",
                f"{c['boundaries_per_year'][i]:.2f}",
                str(ref[i]) if i < len(ref) else "",
            ]
            for i in range(c["n_layers"])
        ]
        verdict = (
            "not tested"
            if c["p_value"] is None
            else f"p = {c['p_value']:.3f} against resampled log-normal frequencies: "
            + ("the layering is real" if c["real"] else "not distinguishable from one skew")
        )
        unit = report.thresholds.get("frequency_unit", "contacts per year")
        core = _core_rule_text(report.thresholds)
        lines = [
            f"{c['n_layers']} layers of your active two-way ties from Jenks natural breaks of "
            f"log {unit}; goodness of variance fit {c['gvf']:.3f}; {verdict}. {core}. Dunbar's "
            "reference sizes are shown beside ours, not fitted; stale ties keep their layer.",
        ]
        header = ["layer", "size", "cumulative", "ratio", f"from ({unit})", "Dunbar"]
        out.append(("Circles", lines, [(header, rows)]))
    r = report.reach
    if r:
        lines = [
            f"{r['reached']:,} people vouch for you: their path-product trust in you is at "
            f"least {r['threshold']}. Removing your top contributors leaves: "
            + ", ".join(f"top {k}: {v:,}" for k, v in r["without_top"].items())
            + ".",
        ]
        hop_rows = [[hop, f"{n:,}"] for hop, n in r["by_hop"].items()]
        top_rows = [[t["id"], f"{t['reach']:,}"] for t in r["top_contributors"]]
        out.append(
            (
                "Who vouches for you",
                lines,
                [(["hops", "people"], hop_rows), (["through", "people"], top_rows)],
            )
        )
    clusters = [[x["cluster"], f"{x['strangers']:,}"] for x in report.clusters[:10]]
    if clusters:
        out.append(
            (
                "Strangers",
                ["The largest groups of strangers."],
                [(["stranger cluster", "strangers"], clusters)],
            )
        )
    return out


def _statistics_rows(report: Report) -> list[list[str]]:
    s = report.statistics
    items = [
        ["Nodes / edges in the graph", f"{s.nodes:,} / {s.edges:,}"],
        ["Density", f"{s.density:.5f}"],
        [
            "Average weighted degree",
            "too large to sum"
            if s.average_weighted_degree is None
            else f"{s.average_weighted_degree:.3f}",
        ],
        ["Weakly connected components", f"{s.weakly_connected_components:,}"],
    ]
    if s.strongly_connected_components is not None:
        items.append(["Strongly connected components", f"{s.strongly_connected_components:,}"])
    if s.average_clustering is not None:
        items.append(["Average clustering", f"{s.average_clustering:.4f}"])
    if s.modularity is not None:
        items.append(
            [
                f"Modularity ({s.community_method or 'Louvain'})",
                f"{s.modularity:.4f} ({s.communities:,} communities)",
            ]
        )
    items += [["Skipped", what] for what in s.skipped]
    return items


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
    lines += [f"not read: {x['path']} ({x['reason']})" for x in report.skipped_inputs]
    return lines


#: Inputs listed one by one on the terminal; more are summed up by format (the files list
#: every input), so the answer and the trusted people stay on the first screen.
_INPUTS_SHOWN = 6


def _inventory_summary(report: Report) -> list[str]:
    """The terminal's input lines: each input when few, else one line by format."""
    if len(report.inventory) + len(report.skipped_inputs) <= _INPUTS_SHOWN:
        return [f"input: {line}" for line in _inventory_lines(report)]
    formats = Counter(item["format"] for item in report.inventory)
    skipped = sum(sum(item["skipped"].values()) for item in report.inventory)
    line = f"inputs: {len(report.inventory):,} files read (" + ", ".join(
        f"{count:,} {name}" for name, count in formats.most_common()
    )
    line += f"); {skipped:,} records skipped" if skipped else ")"
    if report.skipped_inputs:
        line += f"; {len(report.skipped_inputs):,} files not read"
    return [line + "; every input is listed in report.md and report.html."]


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


#: A cell of only digits, separators and a date's T: nothing Markdown could read as syntax.
_PLAIN_NUMBER = re.compile(r"[0-9][0-9.,:%T+-]*")


def _md_cell(text: str) -> str:
    return text if _PLAIN_NUMBER.fullmatch(text) else markdown_text(text)


def _md_table(table: Table) -> list[str]:
    header, rows = table
    out = ["| " + " | ".join(markdown_text(h) for h in header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows] + [""]


def to_markdown(report: Report, *, figure_dir: str = "") -> str:
    """The report as GitHub-flavoured Markdown, the answer first; figures linked by file name.

    Every text that comes from the input is escaped
    (:func:`~trustgraph.ingest.escape.markdown_text`), so a name can
    neither inject HTML nor an image that a viewer would fetch.
    """
    md = markdown_text
    out = [f"# {md(report.title)}", ""]
    out += [
        f"**{md(line)}**" if i == 0 else md(line) for i, line in enumerate(answer_lines(report))
    ]
    out += [""]
    if report.dataset:
        out += [f"Input: {md(report.dataset)}", ""]
    for title, lines, tables in _sections(report):
        out += [f"## {md(title)}", ""]
        for line in lines:
            out += [md(line), ""]
        for table in tables:
            out += _md_table(table)
    if report.figures:
        out += ["## Figures", ""]
        for fig in report.figures:
            target = f"{figure_dir}{fig.filename}"
            out += [f"![{md(fig.name)}]({target})", "", f"*{md(fig.caption)}*", ""]
    if report.inventory:
        out += ["## Inputs", ""] + [f"- {md(line)}" for line in _inventory_lines(report)] + [""]
    out += ["## Reproducibility", ""]
    out += [f"- {md(k)}: {md(v)}" for k, v in _footer_items(report)]
    return "\n".join(out) + "\n"


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
    answer = answer_lines(report)
    parts.append(f'<p class="headline">{e(answer[0])}</p>')
    parts += [f"<p>{e(line)}</p>" for line in answer[1:]]
    parts.append(f"<p><em>{e(MODES[report.mode])}</em></p>")
    if report.dataset:
        parts.append(f"<p>Input: {e(report.dataset)}</p>")
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
    if report.inventory:
        parts.append("<h2>Inputs</h2><ul>")
        parts += [f"<li>{e(line)}</li>" for line in _inventory_lines(report)]
        parts.append("</ul>")
    parts.append("<footer><h2>Reproducibility</h2><ul>")
    parts += [f"<li>{e(k)}: <code>{e(v)}</code></li>" for k, v in _footer_items(report)]
    parts.append("</ul></footer></body></html>")
    return "\n".join(parts) + "\n"


def to_rich(report: Report) -> list[Any]:
    """Rich renderables for the terminal: the answer in the first three lines, then tables.

    Every cell is a literal :class:`rich.text.Text` (never read as rich markup) of text
    whose control characters are shown as visible escapes
    (:func:`~trustgraph.ingest.escape.printable_text`), so no name reaches the terminal as
    an escape sequence.
    """
    # rich.table is imported here, not at the top: commands that never print a report
    # (and --help, which imports every command) do not pay for it.
    from rich.table import Table as RichTable
    from rich.text import Text

    t = printable_text
    answer = answer_lines(report)
    out: list[Any] = [Text(t(answer[0]), style="bold")]
    out += [Text(t(line)) for line in answer[1:]]
    out.append(Text(MODES[report.mode], style="dim"))
    out += [Text(t(line), style="dim") for line in _inventory_summary(report)]
    for title, lines, tables in _sections(report):
        out.append(Text(f"\n{title}", style="bold underline"))
        out += [Text(t(line)) for line in lines]
        for header, rows in tables:
            header, rows = _narrow(header, rows)
            table = RichTable(show_header=any(header))
            for h in header:
                table.add_column(
                    Text(h), justify="left" if h in _LEFT else "right", overflow="fold"
                )
            for row in rows:
                table.add_row(*(Text(t(cell)) for cell in row))
            out.append(table)
    return out


_LEFT = ("contact", "class", "last contact", "population", "definition", "broadcaster", "")
#: Terminals are narrow: the files keep these columns.
_TERMINAL_DROPS = ("first contact", "per year", "trust in you", "out", "in")


def _narrow(header: list[str], rows: list[list[str]]) -> Table:
    if "contact" not in header:
        return header, rows
    keep = [i for i, h in enumerate(header) if h not in _TERMINAL_DROPS]
    return [header[i] for i in keep], [[row[i] for i in keep] for row in rows]


#: Why the core has as many layers as it has, by the classification's ``core_rule``.
_CORE_RULES = {
    "size": "the cumulative size nearest Dunbar's sympathy group of about 15",
    "given": "as asked (core_layers)",
    "few layers": "too few layers found for more",
    "structural": "link overlap only: the strongest overlap layer",
}


def _core_rule_text(thresholds: dict) -> str:
    """'The 2 innermost make the core (why)' from the classification's thresholds."""
    layers = thresholds.get("core_layers", 1)
    head = (
        "The innermost layer makes the core"
        if layers == 1
        else f"The {layers} innermost make the core"
    )
    why = _CORE_RULES.get(thresholds.get("core_rule", ""))
    return f"{head} ({why})" if why else head
