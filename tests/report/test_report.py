"""Report model, renderers and the report folder writer."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from trustgraph.analysis.ego import EgoParameters
from trustgraph.exceptions import IngestError
from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.ingest.records import ReadReport
from trustgraph.report.model import build_report
from trustgraph.report.render import answer_lines, to_csv, to_html, to_json, to_markdown, to_rich
from trustgraph.report.write import MARKER, write_report_file, write_report_folder


def small_network() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node("me@example.com", name="Ada Example")
    G.add_node("bo@example.org", name="Bo <Sample> | PMP")
    G.add_edge("me@example.com", "bo@example.org", weight=2.0, count=6, last_seen=1.7e9)
    G.add_edge("bo@example.org", "me@example.com", weight=1.5, count=4, last_seen=1.71e9)
    G.add_edge("spam@example.net", "me@example.com", weight=0.7, count=12, last_seen=1.6e9)
    for i in range(5):
        G.add_edge("me@example.com", f"stranger{i}@example.com", weight=0.0, declared_only=True)
    G.add_edge("me@example.com", "spam@example.net", weight=0.0, declared_only=True)
    return G


@pytest.fixture
def report(tmp_path):
    inventory = ReadReport(path="conversations.csv", format="conversations-csv")
    inventory.records["events"] = 22
    inventory.skip("empty sender", 2)
    source = tmp_path / "conversations.csv"
    source.write_text("timestamp,sender,recipients\n")
    return build_report(
        small_network(),
        ["me@example.com"],
        reports=[inventory],
        dataset="unit test",
        parameters=EgoParameters(n_null=0, seed=7),
        inputs=[source],
    )


def test_headline_counts(report):
    # Counted by hand from small_network(): bo is the only two-way partner (one layer, so
    # the core); spam wrote 12 messages and was never answered, so a broadcaster.
    assert report.headline == {
        "contacts": 7,
        "declared_connections": 6,
        "declared_never_conversed": 5,
        "talked_with": 1,
        "two_way": 1,
        "trusted": 1,
        "core": 1,
        "circle": 0,
        "stale": 0,
        "acquaintance": 0,
        "broadcaster": 1,
        "stranger": 5,
        "sybil_like": 0,
        "vouch_for_you": 1,
    }
    assert report.answer["core_names"] == ["Bo <Sample> | PMP"]
    # Trusted people first, then by class order: the broadcaster before the strangers.
    assert [c.id for c in report.contacts[:2]] == ["bo@example.org", "spam@example.net"]


def test_every_format_opens_with_the_answer(report):
    answer = answer_lines(report)
    assert answer[0].startswith("You really trust 1 person: 1 core, 0 in your circles")
    assert "out of 6 declared connections and 1 person you have talked with" in answer[0]
    markdown = to_markdown(report).splitlines()
    assert markdown[2].startswith("**You really trust 1 person")
    page = to_html(report, {})
    assert page.index("You really trust") < page.index("<h2>")
    rich = to_rich(report)
    assert rich[0].plain == answer[0] and rich[1].plain.startswith("Core: Bo")


def test_json_has_schema_version_first_and_every_contact(report):
    data = json.loads(to_json(report))
    assert next(iter(data)) == "schema_version"
    assert len(data["contacts"]) == 7
    assert data["reproducibility"]["seed"] == 7
    assert len(data["reproducibility"]["inputs"][0]["sha256"]) == 64
    assert to_json(report) == to_json(report)


def test_html_is_self_contained_and_escaped(report):
    page = to_html(report, {})
    assert "Bo &lt;Sample&gt;" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "<script" not in page
    assert "out of 6 declared connections" in page


def test_html_inlines_figures(report):
    from trustgraph.report.model import Figure

    report.figures.append(Figure("core", "core.png", "the map"))
    page = to_html(report, {"core.png": b"\x89PNG fake"})
    assert 'src="data:image/png;base64,iVBORyBmYWtl"' in page


def test_markdown_escapes_table_cells(report):
    text = to_markdown(report)
    assert "Bo &lt;Sample&gt; \\| PMP" in text
    assert "## Reproducibility" in text


def test_folder_is_regenerated_and_foreign_folders_are_kept(tmp_path, report):
    out = tmp_path / "trustgraph-report"
    write_report_folder(report, out, {"a.png": b"1"})
    (out / "stale.png").write_bytes(b"old")
    written = write_report_folder(report, out, {"b.png": b"2"})
    # The user's own file survives regeneration (issue 16, D5); the report's old figure
    # does not.
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [MARKER, "report.html", "report.md", "report.json", "b.png", "stale.png"]
    )
    assert written["json"].read_text() == to_json(report)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(IngestError, match="not made by trustgraph"):
        write_report_folder(report, foreign, {})
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_named_file_needs_force(tmp_path, report):
    path = tmp_path / "r.md"
    path.write_text("user's own")
    with pytest.raises(IngestError, match="already exists"):
        write_report_file(report, path, "markdown")
    assert path.read_text() == "user's own"
    write_report_file(report, path, "markdown", overwrite=True)
    assert path.read_text() == to_markdown(report)


def test_json_validates_against_the_shipped_schema(report):
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    schema = json.loads(files("trustgraph.report").joinpath("schema.json").read_text())
    jsonschema.validate(json.loads(to_json(report)), schema)
    broken = json.loads(to_json(report))
    broken["contacts"][0]["class"] = "friend"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    whole = build_report(small_network(), [], scores={"bo@example.org": 0.5})
    jsonschema.validate(json.loads(to_json(whole)), schema)
    assert json.loads(to_json(whole))["mode"] == "whole-network"


def test_folder_inputs_are_hashed_by_content_and_names_hidden_under_anonymize(tmp_path):
    from trustgraph.report.model import Display, file_digest

    export = tmp_path / "export"
    (export / "inner").mkdir(parents=True)
    (export / "inner" / "a.txt").write_text("one")
    (export / "b.txt").write_text("two")
    first = file_digest(export)
    copy = tmp_path / "copy" / "export"
    (copy / "inner").mkdir(parents=True)
    (copy / "inner" / "a.txt").write_text("one")
    (copy / "b.txt").write_text("two")
    assert file_digest(copy) == first
    (copy / "b.txt").write_text("changed")
    assert file_digest(copy)["sha256"] != first["sha256"]

    display = Display({}, Pseudonymizer(secret=b"k" * 32))
    shown = display.input_name("WhatsApp Chat with Farah Rao.txt")
    assert "Farah" not in shown and shown.endswith(".txt")
    assert shown == display.input_name("WhatsApp Chat with Farah Rao.txt")


def test_report_and_plot_import_no_algorithm_or_solver():
    """The presentation layers only render the analysis (DESIGN.md, layers)."""
    import ast
    from pathlib import Path

    import trustgraph

    root = Path(trustgraph.__file__).parent
    forbidden = ("trustgraph.algorithms", "trustgraph.core.solvers", "trustgraph.core.kernels")
    # The registry gives method names and titles (one list of methods); calling a
    # registered function from here would still be an algorithm call (checked below).
    registry = "trustgraph.algorithms.registry"
    found = []
    for folder in ("report", "plot"):
        for path in (root / folder).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom):
                    module = node.module or ""
                    if module.startswith(forbidden) and module != registry:
                        found.append((path.name, module))
                if isinstance(node, ast.Import):
                    found += [
                        (path.name, a.name) for a in node.names if a.name.startswith(forbidden)
                    ]
    assert found == []
    calls = [
        path.name
        for folder in ("report", "plot")
        for path in (root / folder).glob("*.py")
        if ".function" in path.read_text(encoding="utf-8")
    ]
    assert calls == []


def hostile_network() -> nx.DiGraph:
    G = small_network()
    nx.relabel_nodes(G, {"bo@example.org": "[link=file:///etc/passwd]x[/link]"}, copy=False)
    G.nodes["[link=file:///etc/passwd]x[/link]"]["name"] = (
        '![x](http://tracker.example/p.png) "><img src=x onerror=alert(1)> \x1b]0;owned\x07'
    )
    return G


def test_hostile_names_are_escaped_in_every_format():
    report = build_report(
        hostile_network(), ["me@example.com"], parameters=EgoParameters(n_null=0)
    )
    markdown = to_markdown(report)
    assert "![x](" not in markdown and "<img" not in markdown
    page = to_html(report, {})
    assert "<img src=x" not in page
    from rich.console import Console

    console = Console(record=True, width=200, force_terminal=True)
    for renderable in to_rich(report):
        console.print(renderable)
    shown = console.export_text()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "[link=file:///etc/passwd]" in shown  # printed as text, never read as markup
    rows = to_csv(report).splitlines()
    assert all(not cell.startswith("=") for row in rows for cell in row.split(","))


def test_anonymize_hides_input_file_names_in_the_dataset_line():
    report = build_report(
        small_network(),
        ["me@example.com"],
        parameters=EgoParameters(n_null=0),
        dataset=["WhatsApp Chat with Bo Sample.txt", "inbox.mbox"],
        pseudonymizer=Pseudonymizer(secret=b"k" * 32),
    )
    for text in (to_json(report), to_markdown(report), to_html(report, {})):
        assert "Bo Sample" not in text and "inbox" not in text
    assert report.dataset.endswith(".mbox")


@pytest.mark.parametrize("weight", [1e-320, 1e308])
def test_extreme_weights_give_a_valid_report(weight, recwarn):
    # T8 of issue 16: subnormal weights divided by zero, huge ones overflowed into
    # Infinity/NaN in report.json. A walk sees weights only relative to each other, so
    # every weight equal gives the same classes as weight 1.
    def graph(w):
        G = nx.DiGraph()
        for u, v in [("me", "a"), ("a", "me"), ("me", "b"), ("b", "me"), ("me", "c")]:
            G.add_edge(u, v, weight=w)
        G.add_edge("b", "c", weight=w)
        return G

    extreme = build_report(graph(weight), ["me"], parameters=EgoParameters(n_null=0))
    plain = build_report(graph(1.0), ["me"], parameters=EgoParameters(n_null=0))
    text = to_json(extreme)
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)
    assert extreme.classes == plain.classes
    for node, score in plain.analysis.scores.items():
        assert extreme.analysis.scores[node] == pytest.approx(score, abs=1e-12)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_the_terminal_sums_up_many_inputs_so_the_answer_stays_on_the_first_screen(report):
    from dataclasses import replace

    many = [dict(report.inventory[0], path=f"chat-{k}.txt") for k in range(40)]
    crowded = replace(report, inventory=many)
    crowded.display = report.display
    lines = [r.plain for r in to_rich(crowded) if hasattr(r, "plain")]
    inputs = [line for line in lines if line.startswith(("input", "inputs"))]
    assert inputs == [
        "inputs: 40 files read (40 conversations-csv); 80 records skipped; every input is "
        "listed in report.md and report.html."
    ]
    assert sum("chat" in line for line in to_markdown(crowded).splitlines()) == 40


def test_the_report_compares_only_registry_methods_under_their_titles():
    # One list of methods: the report's comparison names registry entries and shows their
    # registry titles; nothing in report/ or analysis/compare keeps names of its own.
    import networkx as nx

    from trustgraph.algorithms.registry import METHODS, get_method
    from trustgraph.analysis.compare import COMPARED_GLOBAL, COMPARED_SEEDED, method_scores

    assert set(COMPARED_SEEDED) | set(COMPARED_GLOBAL) <= set(METHODS)
    G = nx.DiGraph([("me", "a"), ("a", "b"), ("b", "me")])
    titles = {get_method(name).title for name in COMPARED_SEEDED}
    shown = {title.removesuffix(" (global)") for title in method_scores(G, ["me"])}
    assert shown == titles
