"""Regenerate the numbers the docs show, from the code that produces them.

Each generated part of a page sits between two HTML comments::

    <!-- generated: NAME (python scripts/doc_numbers.py) -->
    ...
    <!-- end generated: NAME -->

and :data:`REGIONS` maps NAME to the function that writes it. ``python scripts/doc_numbers.py``
rewrites every region in place; ``tests/test_docs.py`` regenerates them and fails when a page
no longer says what the code produces, so the docs cannot go stale unnoticed.

Usage: python scripts/doc_numbers.py [--check]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Terminal width of every captured command output.
COLUMNS = 96


def analysis_graph():
    """The bundled sample's graph, as ``trustgraph report`` reads it."""
    from trustgraph.datasets import sample_owner, sample_paths
    from trustgraph.ingest.load import load_inputs

    paths = sample_paths()
    return load_inputs([paths["contacts"], paths["conversations"]], me=[sample_owner()]).graph


def _sample_analysis():
    from trustgraph.analysis.ego import analyze_ego
    from trustgraph.datasets import sample_owner

    return analyze_ego(analysis_graph(), [sample_owner()])


def sample_truth_table() -> str:
    """Precision and recall of every population on the bundled sample, against its truth."""
    from trustgraph.datasets import read_truth

    analysis = _sample_analysis()
    truth = read_truth()

    def planted(*roles: str, stale: bool | None = False) -> set[str]:
        return {
            n for n, t in truth.items() if t.role in roles and (stale is None or t.stale == stale)
        }

    rows = [
        ("trusted now (core + circle)", set(analysis.trusted()), planted("core", "circle")),
        ("core", set(analysis.members("core")), planted("core")),
        ("circle", set(analysis.members("circle")), planted("circle")),
        ("stale", set(analysis.members("stale")), {n for n, t in truth.items() if t.stale}),
        ("acquaintance", set(analysis.members("acquaintance")), planted("acquaintance")),
        ("broadcaster", set(analysis.members("broadcaster")), planted("broadcaster")),
        ("stranger", set(analysis.members("stranger")), planted("stranger")),
        ("Sybil-like (overlay)", set(analysis.sybil_like), planted("sybil")),
    ]
    lines = [
        "| population | predicted | planted | precision | recall |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, predicted, actual in rows:
        hit = len(predicted & actual)
        precision = hit / len(predicted) if predicted else 0.0
        recall = hit / len(actual) if actual else 0.0
        lines.append(
            f"| {name} | {len(predicted):,} | {len(actual):,} | {precision:.3f} | {recall:.3f} |"
        )
    return "\n".join(lines)


def run_command(argv: list[str]) -> str:
    """The stdout of one ``trustgraph`` command at :data:`COLUMNS` columns, as a code block."""
    from trustgraph.cli.app import main

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(COLUMNS)
    buffer = io.StringIO()
    try:
        with redirect_stdout(buffer):
            code = main(argv)
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    if code != 0:
        raise RuntimeError(f"trustgraph {' '.join(argv)} exited {code}")
    return buffer.getvalue()


def sample_answer() -> str:
    """The first lines of ``trustgraph report`` on the bundled sample: the answer."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = run_command(["report", "-q", "--folder", str(Path(folder) / "r")])
    answer = out.split("\nSeen from", 1)[0]
    lines = [line.rstrip() for line in answer.splitlines()]
    return "```\n$ trustgraph report\n" + "\n".join(lines) + "\n```"


def sample_report_markdown() -> str:
    """``trustgraph report`` on the sample as Markdown, up to the figures, headings demoted."""
    from trustgraph.report.model import build_report
    from trustgraph.report.pipeline import SAMPLE_LABEL
    from trustgraph.report.render import to_markdown

    analysis = _sample_analysis()
    report = build_report(
        analysis_graph(), analysis.owner, analysis=analysis, dataset=SAMPLE_LABEL
    )
    text = to_markdown(report).split("\n## Figures", 1)[0].rstrip()
    return "\n".join("##" + line if line.startswith("#") else line for line in text.splitlines())


def held_out_person_table() -> str:
    """The report on the held-out synthetic person's download folder, against its truth."""
    import tempfile
    from collections import defaultdict

    from trustgraph.datasets import write_synthetic_person
    from trustgraph.report.pipeline import ReportJob, run_report

    with tempfile.TemporaryDirectory() as folder:
        person = write_synthetic_person(Path(folder) / "downloads", seed=0)
        job = ReportJob(paths=[person.folder], me=list(person.me))
        analysis = run_report(job, fmt="json", folder=Path(folder) / "r").report.analysis
    classes_of = defaultdict(set)
    nodes = defaultdict(int)
    for node, cls in analysis.classes.items():
        pid = person.person_of(node)
        if pid is not None:
            classes_of[pid].add(cls)
            nodes[pid] += 1

    def found(role: str, cls: str | tuple[str, ...]) -> tuple[int, int, int]:
        wanted = {cls} if isinstance(cls, str) else set(cls)
        predicted = {pid for pid, c in classes_of.items() if c & wanted}
        planted = set(person.by_role(role)) if role != "trusted" else set(person.trusted_people())
        return len(predicted), len(planted), len(predicted & planted)

    rows = [
        ("trusted now (core + circle)", found("trusted", ("core", "circle"))),
        ("core", found("core", "core")),
        ("circle", found("circle", "circle")),
        ("stale", found("stale", "stale")),
        ("broadcaster", found("broadcaster", "broadcaster")),
    ]
    lines = [
        "| population | predicted | planted | precision | recall |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (predicted, planted, hit) in rows:
        lines.append(
            f"| {name} | {predicted:,} | {planted:,} | {hit / max(predicted, 1):.3f} "
            f"| {hit / max(planted, 1):.3f} |"
        )
    trusted_nodes = sum(c in ("core", "circle") for c in analysis.classes.values())
    trusted_people = found("trusted", ("core", "circle"))[0]
    several = sum(1 for count in nodes.values() if count > 1)
    lines += [
        "",
        f"Planted people: {sum(person.role_counts().values()):,} "
        f"({', '.join(f'{k} {v:,}' for k, v in person.role_counts().items())}). "
        f"Trusted count {trusted_nodes:,} nodes for {trusted_people:,} people "
        f"(duplicates {(trusted_nodes - trusted_people) / max(trusted_nodes, 1):.1%}); "
        f"people on more than one node: {several}.",
    ]
    return "\n".join(lines)


EXPORTS = "sample_graphs/exports"
EXPORT_ME = ["--me", "me@example.com", "--me", "Robin Example"]


def _in_root(argv: list[str]) -> str:
    """Run a command from the project root, as the walkthrough tells the reader to."""
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        return run_command(argv)
    finally:
        os.chdir(here)


def walkthrough_inspect() -> str:
    """What ``trustgraph inspect`` finds in the exports folder (its first lines)."""
    out = _in_root(["inspect", EXPORTS])
    head = [line.rstrip() for line in out.splitlines() if line.strip()][:5]
    return "```\n$ trustgraph inspect " + EXPORTS + "\n" + "\n".join(head) + "\n[...]\n```"


def walkthrough_ingest() -> str:
    """The graph one ``trustgraph ingest`` of the folder builds: nodes, edges, sources."""
    from trustgraph.ingest.load import load_inputs

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        loaded = load_inputs([EXPORTS], me=["me@example.com", "Robin Example"])
    finally:
        os.chdir(here)
    G = loaded.graph
    return (
        f"The graph has {G.number_of_nodes():,} nodes and {G.number_of_edges():,} edges; "
        f"{len(loaded.found)} exports were read, {len(loaded.skipped)} files left unread, "
        f"{len(loaded.merged_by_name)} people merged by name and "
        f"{len(loaded.probable_duplicates)} groups listed as probably one person."
    )


def walkthrough_report() -> str:
    """The first screen of ``trustgraph report`` on the exports folder."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = _in_root(["report", EXPORTS, *EXPORT_ME, "-q", "--folder", f"{folder}/r"])
    lines = [line.rstrip() for line in out.split("\nStale ties", 1)[0].splitlines()]
    command = f"$ trustgraph report {EXPORTS} --me me@example.com --me 'Robin Example'"
    return "```\n" + command + "\n" + "\n".join(lines) + "\n[...]\n```"


REGIONS: dict[str, Callable[[], str]] = {
    "walkthrough-inspect": walkthrough_inspect,
    "walkthrough-ingest": walkthrough_ingest,
    "walkthrough-report": walkthrough_report,
    "held-out-person-table": held_out_person_table,
    "sample-truth-table": sample_truth_table,
    "sample-answer": sample_answer,
    "sample-report-markdown": sample_report_markdown,
}

PAGES = ("docs/report.md", "docs/walkthrough.md", "README.md", "docs/index.md")

_REGION = re.compile(
    r"(<!-- generated: (?P<name>[\w-]+) \(python scripts/doc_numbers.py\) -->\n)"
    r"(?P<body>.*?)"
    r"(\n<!-- end generated: (?P=name) -->)",
    re.S,
)


def regions_in(text: str) -> list[tuple[str, str]]:
    """``(name, body)`` of every generated region of a page."""
    return [(m["name"], m["body"]) for m in _REGION.finditer(text)]


def rewrite(text: str, made: dict[str, str]) -> str:
    """The page with every region's body replaced by its regenerated text."""
    return _REGION.sub(lambda m: m.group(1) + made[m["name"]] + m.group(4), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale regions")
    args = parser.parse_args()
    made = {name: make() for name, make in REGIONS.items()}
    stale = []
    for page in PAGES:
        path = ROOT / page
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, made)
        if new != text:
            stale.append(page)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for page in stale:
        print(f"{page}: {'stale' if args.check else 'rewritten'}", file=sys.stderr)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
