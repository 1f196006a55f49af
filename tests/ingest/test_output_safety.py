"""Output safety (issue 16): escaping per output, hostile ids in every writer, temporary
files cleaned after a crash, report regeneration that keeps the user's files, collision-free
pseudonyms, the announced pseudonym key and ``anonymize_graph``."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from trustgraph import CompactGraph
from trustgraph.exceptions import GraphError, IngestError
from trustgraph.ingest import atomic
from trustgraph.ingest.atomic import (
    OutputExistsError,
    atomic_write,
    clean_stale_temporaries,
    temporary_path,
)
from trustgraph.ingest.detect import read_graph
from trustgraph.ingest.escape import (
    csv_cell,
    csv_text,
    markdown_text,
    printable_text,
    terminal_text,
    unescape_csv_text,
)
from trustgraph.ingest.pseudonym import (
    ENV_VAR,
    Pseudonymizer,
    anonymize_graph,
    default_secret_path,
    open_secret,
)
from trustgraph.ingest.writers import write_gephi_csv, write_graph

SECRET = b"output safety tests, never used for real data"
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]


def dead_pid() -> int:
    """The pid of a process that has certainly ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# ---------------------------------------------------------------------------- CSV (S4)
@pytest.mark.parametrize("text", [*FORMULAS, "\tx", "\rx", "\uff1dcmd", "'=x", "''+y"])
def test_csv_text_prefixes_formula_cells_and_is_reversible(text):
    escaped = csv_text(text)
    assert escaped.startswith("'") and escaped[1:] == text
    assert unescape_csv_text(escaped) == text


@pytest.mark.parametrize("text", ["Ada Example", "'tis", "a=b", "x-y", "", "ü@x"])
def test_csv_text_leaves_ordinary_text_alone(text):
    assert csv_text(text) == text == unescape_csv_text(text)


def test_csv_cell_never_escapes_numbers():
    import numpy as np

    assert [csv_cell(v) for v in (-0.5, -3, np.float64(-1.25), np.int64(-7), False)] == [
        "-0.5",
        "-3",
        "-1.25",
        "-7",
        "False",
    ]
    assert csv_cell("-0.5") == "'-0.5"  # text that looks like a number is still text


def spreadsheet_cells(text: str, delimiter: str = ",") -> list[str]:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return [cell for row in rows for cell in row]


@pytest.mark.parametrize("hostile", [*FORMULAS, "\tx"])
def test_edge_list_csv_cells_are_escaped(tmp_path, hostile):
    G = nx.DiGraph()
    G.add_edge(hostile, "bob", weight=-0.5, note=hostile)
    text = write_graph(G, tmp_path / "g.csv").read_text(encoding="utf-8")
    cells = spreadsheet_cells(text)
    assert "'" + hostile in cells
    assert "-0.5" in cells  # the numeric weight stays a number
    assert not [c for c in cells if c[:1] in "=+@\t\r" or (c[:1] == "-" and c != "-0.5")]


def test_gephi_tables_use_the_same_rule(tmp_path):
    G = nx.DiGraph()
    G.add_node("'=x", company="\uff1dcmd")
    G.add_edge("'=x", "bob", weight=-1.0)
    nodes, edges = write_gephi_csv(G, tmp_path / "n.csv", tmp_path / "e.csv")
    node_cells = spreadsheet_cells(nodes.read_text(encoding="utf-8"))
    assert "''=x" in node_cells and "'\uff1dcmd" in node_cells
    assert "-1.0" in spreadsheet_cells(edges.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------- Markdown (S2)
def render_markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


HOSTILE_MARKDOWN = [
    '"><img src=x onerror=alert(1)>',
    "![x](http://tracker.example/p.png)",
    "[click](javascript:alert(1))",
    "<http://tracker.example/>",
    "**bold** _it_ `code` ~~gone~~",
    "# heading",
    "1. list",
    "- item",
    "a | b",
    "line\nbreak\n# heading",
    "&lt;script&gt;",
    "back\\slash\\",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("name", HOSTILE_MARKDOWN)
def test_markdown_text_renders_as_literal_text(name):
    rendered = render_markdown(f"Contact: {markdown_text(name)}\n")
    assert "<img" not in rendered and "<a " not in rendered and "<script" not in rendered
    assert "<em>" not in rendered and "<strong>" not in rendered and "<code>" not in rendered
    assert visible_text(rendered) == "Contact: " + printable_text(name)


@pytest.mark.parametrize("name", HOSTILE_MARKDOWN)
def test_markdown_text_stays_in_its_table_cell(name):
    table = f"| name | n |\n| --- | --- |\n| {markdown_text(name)} | 1 |\n"
    rendered = render_markdown(table)
    cells = re.findall(r"<td>(.*?)</td>", rendered, flags=re.S)
    assert len(cells) == 2 and "<img" not in rendered and "<a " not in rendered
    assert html.unescape(re.sub(r"<[^>]+>", "", cells[0])) == printable_text(name)
    assert cells[1] == "1"


# ---------------------------------------------------------------------------- terminal (S3)
def test_terminal_text_neutralises_markup_and_escape_sequences():
    from rich.console import Console

    hostile = "[link=file:///etc/passwd]click[/link] [/b] \x1b]0;title\x07 \x1b[31mred\x9b2J"
    console = Console(file=io.StringIO(), force_terminal=True, color_system=None, width=200)
    console.print(terminal_text(hostile), emoji=False, highlight=False)
    out = console.file.getvalue()
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "[link=file:///etc/passwd]click[/link] [/b]" in out
    assert "\\x1b]0;title\\x07" in out
    assert printable_text("a\u202eb\nc") == "a\\u202eb\\nc"


# ---------------------------------------------------------------------------- round trips (D3)
HOSTILE_IDS = [
    "ctl\x07x",
    "esc\x1b]0;t\x07",
    "\x00",
    "nul\x00x",
    "new\nline",
    "cr\rx",
    "x\r",
    'quo"te',
    "com,ma",
    "semi;colon",
    "tab\tx",
    "ünïcødé 😀 名前",
    "c1\x85x",
    "bidi\u202eevil",
    '=HYPERLINK("http://evil.example")',
    "+cmd|x",
    "-2+3",
    "@SUM(1)",
    "\tlead",
    "'=quoted",
    "#hash",
    "%pct",
    " padded",
    "surrogate\udc80",
]
FORMATS = ["csv", "tsv", "graphml", "gexf", "json"]
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def refused(fmt: str, node: str) -> bool:
    """Where the format cannot hold the id: the writer must refuse, never alter it."""
    if re.search("[\ud800-\udfff]", node):
        return fmt != "json"  # JSON escapes it (\udc80); UTF-8 files cannot hold it
    if fmt in ("graphml", "gexf"):
        return bool(_XML_INVALID.search(node))
    if fmt in ("csv", "tsv"):
        escaped = csv_text(node)
        return bool(re.search("[\n\r\x00]", node)) or escaped != escaped.strip()
    return False


def hostile_graph(node: str) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node(node, name=node)
    G.add_node("plain", name="Plain")
    G.add_edge(node, "plain", weight=-0.5, note=node)
    G.add_edge("plain", node, weight=2.25, note="ok")
    return G


def cases():
    for fmt in FORMATS:
        for node in HOSTILE_IDS:
            marks = []
            shown = node.encode("ascii", "backslashreplace").decode()
            yield pytest.param(fmt, node, marks=marks, id=f"{fmt}-{shown}")


@pytest.mark.parametrize(("fmt", "node"), list(cases()))
def test_hostile_ids_round_trip_or_are_refused(tmp_path, fmt, node):
    G = hostile_graph(node)
    path = tmp_path / f"g.{fmt}"
    if refused(fmt, node):
        with pytest.raises(IngestError, match=r"U\+[0-9A-F]{4}|space|line break|NUL") as info:
            write_graph(G, path)
        assert str(path) in str(info.value)
        assert "json" in str(info.value).lower()  # says which format can hold it
        assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary
        return
    H = read_graph(write_graph(G, path))
    assert set(H) == {node, "plain"}
    assert {(u, v): (d["weight"], d["note"]) for u, v, d in H.edges(data=True)} == {
        (node, "plain"): (-0.5, node),
        ("plain", node): (2.25, "ok"),
    }
    if fmt not in ("csv", "tsv"):
        assert H.nodes[node]["name"] == node


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_carriage_returns_in_attributes_survive_xml(tmp_path, fmt):
    G = nx.DiGraph()
    G.add_node("a", name="two\r\nlines\r", title="cr\rhere")
    G.add_edge("a", "b", weight=1.0, note="x\ry")
    H = read_graph(write_graph(G, tmp_path / f"g.{fmt}"))
    assert H.nodes["a"]["name"] == "two\r\nlines\r" and H.nodes["a"]["title"] == "cr\rhere"
    assert H["a"]["b"]["note"] == "x\ry"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_refuses_control_characters_in_attributes(tmp_path, fmt):
    G = nx.DiGraph()
    G.add_node("ann", name="Ann\x07Bell")
    G.add_edge("ann", "bob", weight=1.0)
    with pytest.raises(IngestError, match=r"'name'.*U\+0007") as info:
        write_graph(G, tmp_path / f"g.{fmt}")
    assert "'ann'" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_ids_that_spell_the_same_text_are_refused(tmp_path):
    G = nx.DiGraph([(1, "1", {"weight": 1.0})])
    with pytest.raises(IngestError, match="same text"):
        write_graph(G, tmp_path / "g.graphml")
    assert read_graph(write_graph(G, tmp_path / "g.json")).number_of_nodes() == 2


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_weights_are_refused_not_rewritten(tmp_path, fmt, bad):
    G = nx.DiGraph([("a", "b", {"weight": bad})])
    with pytest.raises(GraphError, match=r"edge 'a' -> 'b' has weight (nan|inf)"):
        write_graph(G, tmp_path / f"g.{fmt}")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------- P3 wording
def test_existing_output_error_speaks_the_library_language(tmp_path):
    target = tmp_path / "g.csv"
    target.write_text("keep")
    with pytest.raises(OutputExistsError, match="overwrite=True") as info:
        write_graph(nx.DiGraph([("a", "b")]), target)
    assert "--force" not in str(info.value) and info.value.path == str(target)
    cg = CompactGraph.from_edges(["a"], ["b"])
    cg.save(tmp_path / "c.tgc")
    with pytest.raises(OutputExistsError):
        write_graph(cg, tmp_path / "c.tgc")


def test_permission_error_names_the_target_not_the_temporary(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    real_open = os.open

    def denied(path, *args, **kwargs):
        # What a read-only folder gives (root ignores chmod, so it is simulated).
        if ".trustgraph-" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", denied)
    with pytest.raises(IngestError) as info:
        write_graph(nx.DiGraph([("a", "b")]), folder / "g.csv")
    monkeypatch.undo()
    message = str(info.value)
    assert message.startswith(str(folder / "g.csv")) and "ermission denied" in message
    assert ".tmp" not in message and "trustgraph-" not in message


# ---------------------------------------------------------------------------- D4
def test_temporaries_are_named_recognisably(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_write(target) as handle:
        handle.write("x")
        (inside,) = [p.name for p in tmp_path.iterdir()]
    assert re.fullmatch(rf"\.out\.txt\.trustgraph-[0-9a-f]+-{os.getpid()}-[0-9a-f]+\.tmp", inside)
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def make_stale_leftovers(folder: Path) -> dict[str, Path]:
    dead = dead_pid()
    old = time.time() - 3 * 86400
    made: dict[str, Path] = {}
    made["dead tmp"] = temporary_path(folder / "g.csv", pid=dead)
    made["dead tmp"].write_text("alice@example.com,bob@example.com,1.0\n")
    made["dead staging"] = temporary_path(folder / "trustgraph-report", pid=dead)
    made["dead staging"].mkdir()
    (made["dead staging"] / "report.md").write_text("Alice Example")
    made["old tmp"] = temporary_path(folder / "h.csv", pid=os.getppid())
    made["old tmp"].write_text("personal")
    os.utime(made["old tmp"], (old, old))
    made["legacy report"] = folder / ".trustgraph-report.a1b2c3d4"
    made["legacy report"].mkdir()
    (made["legacy report"] / ".trustgraph-report").write_text("made by trustgraph\n")
    (made["legacy report"] / "report.json").write_text("{}")
    os.utime(made["legacy report"], (old, old))
    made["legacy tmp"] = folder / ".g.csv.k2j3h4g5.tmp"
    made["legacy tmp"].write_text("personal")
    os.utime(made["legacy tmp"], (old, old))
    made["compact partial"] = folder / f".g.tgc.partial-{dead}"  # CompactGraph.save's
    made["compact partial"].mkdir()
    (made["compact partial"] / "nodes.txt").write_text("alice@example.com")
    (made["compact partial"] / "indices.npy").write_bytes(b"\x93NUMPY")
    os.utime(made["compact partial"], (old, old))
    return made


def make_live_and_foreign(folder: Path) -> list[Path]:
    live = temporary_path(folder / "g.csv", pid=os.getppid())  # a running writer
    live.write_text("in progress")
    mine = temporary_path(folder / "other.csv")  # this process, still writing
    mine.write_text("in progress")
    fresh_legacy = folder / ".g.csv.zz9yy8xx.tmp"  # an old-style name, but recent
    fresh_legacy.write_text("maybe in progress")
    user = folder / ".notes.tmp"
    user.write_text("the user's")
    user_dir = folder / ".trustgraph-report.backup"
    user_dir.mkdir()  # no marker: not ours
    old = time.time() - 3 * 86400
    user_partial = folder / f".notes.partial-{dead_pid()}"
    user_partial.mkdir()
    (user_partial / "draft.docx").write_text("the user's")  # not what CompactGraph writes
    os.utime(user_partial, (old, old))
    return [live, mine, fresh_legacy, user, user_dir, user_partial]


def test_next_write_cleans_stale_temporaries_only(tmp_path):
    stale = make_stale_leftovers(tmp_path)
    kept = make_live_and_foreign(tmp_path)
    write_graph(nx.DiGraph([("a", "b")]), tmp_path / "g.csv")
    for what, path in stale.items():
        assert not path.exists(), what
    assert all(path.exists() for path in kept)


def test_clean_stale_temporaries_reports_what_it_removed(tmp_path):
    stale = make_stale_leftovers(tmp_path)
    removed = clean_stale_temporaries(tmp_path)
    # Old-style temporaries carry no owner: only the writer of that very file removes them.
    assert sorted(removed) == sorted(p for what, p in stale.items() if what != "legacy tmp")
    assert clean_stale_temporaries(tmp_path, target=tmp_path / "g.csv") == [stale["legacy tmp"]]
    assert clean_stale_temporaries(tmp_path / "missing") == []


def test_writing_a_compact_folder_cleans_too(tmp_path):
    stale = make_stale_leftovers(tmp_path)
    write_graph(CompactGraph.from_edges(["a"], ["b"]), tmp_path / "g.tgc")
    assert [what for what, path in stale.items() if path.exists()] == ["legacy tmp"]


def test_a_crash_mid_write_leaves_a_temporary_the_next_run_removes(tmp_path):
    # kill -9 while writing: the temporary stays behind, with the personal data in it.
    code = (
        "import os, signal, sys\n"
        "from trustgraph.ingest.atomic import atomic_write\n"
        "with atomic_write(sys.argv[1]) as handle:\n"
        "    handle.write('alice@example.com')\n"
        "    handle.flush()\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    target = tmp_path / "g.csv"
    subprocess.run([sys.executable, "-c", code, str(target)], check=False)
    (leftover,) = tmp_path.iterdir()
    assert leftover.name.startswith(".g.csv.trustgraph-")
    write_graph(nx.DiGraph([("a", "b")]), tmp_path / "other.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.csv"]


# ---------------------------------------------------------------------------- D5
@pytest.fixture
def stub_renderers(monkeypatch):
    from trustgraph.report import write

    monkeypatch.setattr(write, "to_html", lambda report, images: f"<p>{report}</p>")
    monkeypatch.setattr(write, "to_markdown", lambda report: f"# {report}\n")
    monkeypatch.setattr(write, "to_json", lambda report: f'"{report}"')
    return write


def test_regeneration_keeps_the_users_files(tmp_path, stub_renderers):
    write = stub_renderers
    out = tmp_path / "trustgraph-report"
    write.write_report_folder("first", out, {"a.png": b"1", "b.png": b"1"})
    (out / "notes.txt").write_text("my notes")
    (out / "c.png").write_bytes(b"my own figure")
    (out / "annotations").mkdir()
    (out / "annotations" / "x.md").write_text("mine")
    written = write.write_report_folder("second", out, {"b.png": b"2"})
    names = sorted(p.name for p in out.iterdir())
    report = ["report.html", "report.json", "report.md", "b.png"]
    assert names == sorted([write.MARKER, *report, "annotations", "c.png", "notes.txt"])
    assert (out / "notes.txt").read_text() == "my notes"
    assert (out / "c.png").read_bytes() == b"my own figure"
    assert (out / "annotations" / "x.md").read_text() == "mine"
    assert (out / "b.png").read_bytes() == b"2" and written["b.png"] == out / "b.png"
    assert (out / "report.md").read_text() == "# second\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_regeneration_over_a_legacy_marker_keeps_unknown_files(tmp_path, stub_renderers):
    write = stub_renderers
    out = tmp_path / "trustgraph-report"
    out.mkdir()
    (out / write.MARKER).write_text("made by trustgraph; regenerated on every run\n")
    for name in ("report.html", "report.md", "report.json", "core-map.png"):
        (out / name).write_text("old")
    (out / "notes.txt").write_text("my notes")
    write.write_report_folder("new", out, {"core-map.png": b"png"})
    assert (out / "notes.txt").read_text() == "my notes"
    assert (out / "core-map.png").read_bytes() == b"png"


def test_manifest_cannot_delete_outside_the_folder(tmp_path, stub_renderers):
    write = stub_renderers
    out = tmp_path / "trustgraph-report"
    write.write_report_folder("first", out, {})
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    marker = out / write.MARKER
    marker.write_text(marker.read_text() + "../victim.txt\n/etc/hostname\n.\n..\n")
    write.write_report_folder("second", out, {})
    assert victim.read_text() == "precious"


def test_report_write_cleans_stale_staging_folders(tmp_path, stub_renderers):
    write = stub_renderers
    stale = make_stale_leftovers(tmp_path)
    write.write_report_folder("r", tmp_path / "trustgraph-report", {})
    assert [what for what, path in stale.items() if path.exists()] == ["legacy tmp"]


def test_failed_rendering_keeps_the_previous_report(tmp_path, stub_renderers, monkeypatch):
    write = stub_renderers
    out = tmp_path / "trustgraph-report"
    write.write_report_folder("first", out, {"a.png": b"1"})

    def broken(report):
        raise RuntimeError("render failed")

    monkeypatch.setattr(write, "to_json", broken)
    with pytest.raises(RuntimeError):
        write.write_report_folder("second", out, {"a.png": b"2"})
    assert (out / "report.md").read_text() == "# first\n"
    assert (out / "a.png").read_bytes() == b"1"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# ---------------------------------------------------------------------------- S6
def test_pseudonyms_of_20000_names_are_distinct_and_stable():
    names = [f"Person Number {i}" for i in range(20_000)]
    first = Pseudonymizer(secret=SECRET)
    labels = [first.pseudonym(name, kind="name") for name in names]
    assert len(set(labels)) == len(names)
    again = Pseudonymizer(secret=SECRET)
    # Same key, same name: same label, whatever else the run saw and in any order.
    assert [again.pseudonym(name, kind="name") for name in reversed(names[:500])] == list(
        reversed(labels[:500])
    )


def test_collisions_within_a_run_are_resolved_one_at_a_time():
    p = Pseudonymizer(secret=SECRET, digits=4)  # 16 bits: 3,000 values must collide
    values = [f"user{i}@example.com" for i in range(3000)]
    labels = [p.identifier(value) for value in values]
    assert len(set(labels)) == len(values)
    assert [p.identifier(value) for value in values] == labels  # stable within the run


def test_names_and_ids_never_share_a_label():
    p = Pseudonymizer(secret=SECRET, digits=4)
    tokens = {p.pseudonym(f"v{i}", kind=kind) for i in range(400) for kind in ("name", "id")}
    assert len(tokens) == 800


# ---------------------------------------------------------------------------- the key
def test_secret_creation_is_reported_not_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    first = Pseudonymizer()
    assert first.created_secret == tmp_path / "config" / "trustgraph" / "secret"
    assert first.secret_path == first.created_secret
    second = Pseudonymizer()
    assert second.created_secret is None and second.secret_path == first.secret_path
    assert capsys.readouterr() == ("", "")  # the library never prints
    assert second.pseudonym("x") == first.pseudonym("x")


def test_environment_variable_chooses_the_key(tmp_path, monkeypatch):
    key = tmp_path / "keys" / "project.key"
    monkeypatch.setenv(ENV_VAR, str(key))
    assert default_secret_path() == key
    secret, path, created = open_secret()
    assert (path, created) == (key, True)
    assert open_secret() == (secret, key, False)
    explicit = tmp_path / "other.key"
    assert Pseudonymizer(secret_path=explicit).secret_path == explicit
    monkeypatch.setenv(ENV_VAR, "  ")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert default_secret_path() == tmp_path / "config" / "trustgraph" / "secret"


# ---------------------------------------------------------------------------- anonymize_graph
def identifying_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node(
        "carla.quintero@example.org",
        name="Carla Quintero",
        company="Zephyr Widgets",
        position="Chief Baker",
        source="contacts-csv",
        sources=["contacts-csv", "whatsapp"],
        url="https://carla.example.net/profile",
        phone=15550100199,
        files=["WhatsApp Chat with Carla Quintero.txt"],
        is_me=False,
        connected_on=1_700_000_000.0,
    )
    G.add_node("+15550100100", name="Dmitri Volkonsky", label="Dima", is_me=True)
    G.add_edge(
        "carla.quintero@example.org",
        "+15550100100",
        weight=0.75,
        count=3,
        first_seen=1.7e9,
        channel="Quintero family",
    )
    G.graph["name"] = "WhatsApp Chat with Carla Quintero"
    G.graph["tie_model"] = "TieModel(half_life_days=90.0, transform='log1p', reference_time=None)"
    G.graph["reference_time"] = 1.7e9
    return G


IDENTIFIERS = [
    "carla",
    "quintero",
    "example.org",
    "zephyr",
    "baker",
    "carla.example.net",
    "5550100199",
    "5550100100",
    "dmitri",
    "volkonsky",
    "dima",
    "whatsapp chat",
]


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_anonymized_graph_files_hold_no_identifier(tmp_path, fmt, compact):
    G = identifying_graph()
    if compact:
        G = CompactGraph.from_networkx(G)
    H = anonymize_graph(G, Pseudonymizer(secret=SECRET))
    data = write_graph(H, tmp_path / f"g.{fmt}").read_bytes().decode("utf-8").lower()
    for identifier in IDENTIFIERS:
        assert identifier not in data, identifier
    for kept in ("0.75", "is_me", "contacts-csv", "whatsapp"):
        assert kept in data or fmt == "csv"


def test_anonymize_graph_keeps_structure_and_numbers():
    G = identifying_graph()
    p = Pseudonymizer(secret=SECRET)
    H = anonymize_graph(G, p)
    ada = p.identifier("carla.quintero@example.org")
    assert ada.endswith("@pseudonym.invalid") and ada in H
    assert H.number_of_edges() == 1
    ((_, _, d),) = H.edges(data=True)
    assert (d["weight"], d["count"], d["first_seen"]) == (0.75, 3, 1.7e9)
    assert H.nodes[ada]["is_me"] is False and H.nodes[ada]["connected_on"] == 1.7e9
    assert H.nodes[ada]["name"] == p.pseudonym("Carla Quintero", kind="name")
    assert H.nodes[ada]["sources"] == ["contacts-csv", "whatsapp"]
    assert H.graph["reference_time"] == 1.7e9 and "TieModel(" in H.graph["tie_model"]
    assert "name" not in H.graph or "quintero" not in H.graph["name"].lower()
    assert G.nodes["carla.quintero@example.org"]["name"] == "Carla Quintero"  # untouched


def test_anonymize_graph_same_key_same_output():
    p, q = Pseudonymizer(secret=SECRET), Pseudonymizer(secret=SECRET)
    first = nx.node_link_data(anonymize_graph(identifying_graph(), p), edges="edges")
    second = nx.node_link_data(anonymize_graph(identifying_graph(), q), edges="edges")
    assert first == second


def test_module_has_no_stray_public_helpers():
    assert {"atomic_write", "check_writable", "clean_stale_temporaries"} <= set(atomic.__all__)
