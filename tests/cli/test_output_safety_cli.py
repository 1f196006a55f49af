"""Output safety of ``ingest`` and ``rank`` (issue 16): CSV formula escaping, terminal
escaping, ``--anonymize`` graph files free of every input identifier, the announced
pseudonym key (``--anonymize-key``, ``TRUSTGRAPH_ANONYMIZE_KEY``) and CLI wording."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import networkx as nx
import pytest

from trustgraph.cli.app import main
from trustgraph.ingest import atomic

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]
MARKUP = "[link=file:///etc/passwd]click[/link] [/b]"
ESCAPES = "bo\x1b]0;pwned\x07\x1b[31m"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TRUSTGRAPH_ANONYMIZE_KEY", raising=False)
    return tmp_path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def hostile_graph_file(folder: Path) -> Path:
    """Node-link JSON keeps any id, so the hostile names reach the commands intact."""
    G = nx.DiGraph()
    G.add_edge("ann", FORMULAS[0], weight=3.0)
    G.add_edge("ann", FORMULAS[1], weight=2.0)
    G.add_edge(FORMULAS[1], FORMULAS[2], weight=1.0)
    G.add_edge(FORMULAS[2], FORMULAS[3], weight=1.0)
    G.add_edge("ann", MARKUP, weight=1.0)
    G.add_edge("ann", ESCAPES, weight=1.0)
    path = folder / "hostile.json"
    path.write_text(json.dumps(nx.node_link_data(G, edges="edges")), encoding="utf-8")
    return path


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# ---------------------------------------------------------------------------- S4
def test_rank_csv_escapes_node_cells_but_not_numbers(in_tmp, capsys):
    code, out, err = run(capsys, "rank", hostile_graph_file(in_tmp), "--trusted", "ann",
                         "--format", "csv", "--top", "0")  # fmt: skip
    assert code == 0, err
    rows = cells(out)
    assert rows[0] == ["rank", "node", "score"]
    nodes = [row[1] for row in rows[1:]]
    for formula in FORMULAS:
        assert "'" + formula in nodes
    for row in rows[1:]:
        assert row[1][:1] not in ("=", "+", "-", "@", "\t", "\r")
        int(row[0]), float(row[2])  # rank and score stay plain numbers
        assert not row[2].startswith("'")


def test_ingest_csv_escapes_formula_cells(in_tmp, capsys):
    code, _, err = run(capsys, "ingest", hostile_graph_file(in_tmp), "-o", in_tmp / "g.csv")
    assert code == 0, err
    rows = cells((in_tmp / "g.csv").read_text(encoding="utf-8"))
    assert rows[0][:3] == ["source", "target", "weight"]
    flat = [cell for row in rows[1:] for cell in row[:2]]
    for formula in FORMULAS:
        assert "'" + formula in flat
    assert not [c for c in flat if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


# ---------------------------------------------------------------------------- S3 in rank
def test_rank_table_prints_markup_and_escapes_as_text(in_tmp, capsys):
    code, out, err = run(capsys, "rank", hostile_graph_file(in_tmp), "--trusted", "ann",
                         "--top", "0")  # fmt: skip
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert "[link=file:///etc/passwd]click[/link]" in out.replace("\n", "")  # not a link
    assert "\\x1b]0;pwned\\x07" in out


# ---------------------------------------------------------------------------- --anonymize
CONTACTS = (
    "id,name,email,phone,company,position,url\n"
    "c1,Carla Quintero,carla.quintero@example.org,+1 555 010 0199,Zephyr Widgets,"
    "Chief Baker,https://carla.example.net/profile\n"
    "c2,Dmitri Volkonsky,dmitri@volk.example,+44 20 7946 0958,Orchid Labs,Quartermaster,"
    "https://volk.example/dv\n"
)
CONVERSATIONS = (
    "timestamp,sender,recipients,channel\n"
    "2025-01-01T10:00:00Z,ada@example.com,carla.quintero@example.org,dm\n"
    "2025-01-02T10:00:00Z,carla.quintero@example.org,ada@example.com,dm\n"
    "2025-01-03T10:00:00Z,dmitri@volk.example,ada@example.com,dm\n"
    "2025-01-04T10:00:00Z,ada@example.com,+44 20 7946 0958,sms\n"
)
CHAT_NAME = "WhatsApp Chat with Bartholomew Sampleton.txt"
CHAT = (
    "14/03/2024, 09:00 - Ada Example: hi\n"
    "14/03/2024, 09:05 - Bartholomew Sampleton: hello there\n"
    "15/03/2024, 10:00 - Ada Example: ok\n"
)
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Evangelina Torvalds\r\nN:Torvalds;Evangelina;;;\r\n"
    "EMAIL;TYPE=INTERNET:evangelina@torv.example\r\nTEL;TYPE=CELL:+49 151 23456789\r\n"
    "ORG:Pumpernickel GmbH\r\nTITLE:Head of Baking\r\nURL:https://torv.example/eva\r\n"
    "END:VCARD\r\n"
)
# Every name, e-mail, phone (digits as any writer may normalise them), URL, company,
# title and file name of the inputs.
IDENTIFIERS = [
    "carla", "quintero", "carla.quintero@example.org", "5550100199", "555 010 0199",
    "zephyr", "chief baker", "carla.example.net", "dmitri", "volkonsky", "volk.example",
    "2079460958", "20 7946 0958", "orchid", "quartermaster", "ada example", "ada@example.com",
    "bartholomew", "sampleton", "evangelina", "torvalds", "torv.example", "15123456789",
    "151 23456789", "pumpernickel", "head of baking", "whatsapp chat with", "contacts.csv",
    "conversations.csv", "friends.vcf",
]  # fmt: skip


def anonymize_inputs(folder: Path) -> list[Path]:
    inputs = folder / "inputs"
    inputs.mkdir()
    files = {
        "contacts.csv": CONTACTS,
        "conversations.csv": CONVERSATIONS,
        CHAT_NAME: CHAT,
        "friends.vcf": VCARD,
    }
    for name, text in files.items():
        (inputs / name).write_text(text, encoding="utf-8")
    return [inputs / name for name in files]


def all_bytes(path: Path) -> bytes:
    if path.is_dir():
        return b"".join(all_bytes(p) for p in sorted(path.rglob("*")) if p.is_file())
    data = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        data = gzip.decompress(data)
    return data


def leaked(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace").lower()
    return [identifier for identifier in IDENTIFIERS if identifier in text]


@pytest.mark.parametrize(
    "name", ["g.graphml", "g.gexf", "g.json", "g.csv", "g.tsv", "g.csv.gz", "g.tgc"]
)
def test_ingest_anonymize_writes_no_input_identifier(in_tmp, capsys, name):
    inputs = anonymize_inputs(in_tmp)
    out = in_tmp / "out"
    out.mkdir()
    args = ["ingest", *inputs, "--me", "Ada Example", "--me", "ada@example.com"]
    code, stdout, stderr = run(capsys, *args, "-o", out / name, "--anonymize")
    assert code == 0, stderr
    assert leaked(all_bytes(out / name)) == []
    assert leaked((stdout + stderr).encode()) == []
    # The plain run does hold them: the search would find a leak.
    code, _, stderr = run(capsys, *args, "-o", out / f"plain-{name}")
    assert code == 0, stderr
    assert "carla" in leaked(all_bytes(out / f"plain-{name}"))


def test_rank_anonymize_shows_pseudonyms(in_tmp, capsys):
    path = hostile_graph_file(in_tmp)
    code, out, err = run(capsys, "rank", path, "--trusted", "ann", "--format", "json",
                         "--anonymize")  # fmt: skip
    assert code == 0, err
    nodes = [row["node"] for row in json.loads(out)]
    assert all(node.startswith("person-") for node in nodes)
    assert len(set(nodes)) == len(nodes)
    for original in ["ann", *FORMULAS, MARKUP]:
        assert original not in out
    code, again, _ = run(capsys, "rank", path, "--trusted", "ann", "--format", "json",
                         "--anonymize")  # fmt: skip
    assert again == out  # same key, same pseudonyms


# ---------------------------------------------------------------------------- the key
def test_new_key_is_announced_once_with_its_path(in_tmp, capsys):
    inputs = anonymize_inputs(in_tmp)
    key = in_tmp / "config" / "trustgraph" / "secret"
    code, _, err = run(capsys, "ingest", *inputs, "-o", in_tmp / "a.json", "--anonymize")
    assert code == 0, err
    notes = [line for line in err.splitlines() if line.startswith("trustgraph: note:")]
    assert len(notes) == 1 and str(key) in notes[0]
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    code, _, err = run(capsys, "ingest", *inputs, "-o", in_tmp / "b.json", "--anonymize")
    assert code == 0 and "note:" not in err
    assert (in_tmp / "a.json").read_bytes() == (in_tmp / "b.json").read_bytes()


def test_anonymize_key_option_chooses_the_key(in_tmp, capsys):
    graph = hostile_graph_file(in_tmp)
    key = in_tmp / "keys" / "project.key"
    base = ["rank", graph, "--trusted", "ann", "--format", "json", "--anonymize"]
    code, first, err = run(capsys, *base, "--anonymize-key", key)
    assert code == 0 and key.exists() and f"note: created a new pseudonym key {key}" in err
    assert not (in_tmp / "config").exists()  # the default key was not touched
    code, second, err = run(capsys, *base, "--anonymize-key", key)
    assert (code, second, "note:" in err) == (0, first, False)
    code, other, _ = run(capsys, *base)  # the default key: other pseudonyms
    assert code == 0 and other != first


def test_environment_variable_chooses_the_key(in_tmp, capsys, monkeypatch):
    key = in_tmp / "env.key"
    monkeypatch.setenv("TRUSTGRAPH_ANONYMIZE_KEY", str(key))
    inputs = anonymize_inputs(in_tmp)
    code, _, err = run(capsys, "ingest", *inputs, "-o", in_tmp / "g.json", "--anonymize")
    assert code == 0 and key.exists() and str(key) in err
    code, _, err = run(capsys, "ingest", *inputs, "-o", in_tmp / "h.json", "--anonymize",
                       "--anonymize-key", in_tmp / "flag.key")  # fmt: skip
    assert code == 0 and (in_tmp / "flag.key").exists()  # the option wins over the variable


def test_anonymize_key_without_anonymize_is_a_usage_error(in_tmp, capsys):
    code, _, err = run(capsys, "rank", hostile_graph_file(in_tmp), "--trusted", "ann",
                       "--anonymize-key", in_tmp / "k")  # fmt: skip
    assert code == 2 and "--anonymize-key needs --anonymize" in err
    assert not (in_tmp / "k").exists()


# ---------------------------------------------------------------------------- P3
def test_existing_output_says_force_not_overwrite(in_tmp, capsys):
    graph = hostile_graph_file(in_tmp)
    target = in_tmp / "g.graphml"
    target.write_text("mine")
    code, _, err = run(capsys, "ingest", graph, "-o", target)
    assert code == 1 and err.count("\n") == 1
    assert f"{target}: already exists; add --force to replace it" in err
    assert "overwrite=True" not in err and target.read_text() == "mine"


def test_permission_error_names_the_output_file(in_tmp, capsys, monkeypatch):
    graph = hostile_graph_file(in_tmp)
    real_open = os.open

    def denied(path, *args, **kwargs):
        if ".trustgraph-" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", denied)
    code, _, err = run(capsys, "ingest", graph, "-o", in_tmp / "g.json")
    monkeypatch.undo()
    assert code == 1
    assert err == f"trustgraph: error: {in_tmp / 'g.json'}: cannot write: Permission denied\n"


def nan_graph_file(folder: Path) -> Path:
    path = folder / "nan-weights.json"
    path.write_text(
        '{"directed": true, "nodes": [{"id": "a"}, {"id": "b"}],'
        ' "edges": [{"source": "a", "target": "b", "weight": NaN}]}',
        encoding="utf-8",
    )
    return path


def test_rank_graph_error_names_the_file(in_tmp, capsys):
    # The reader takes a negative weight (signed graphs); ppr refuses it: which file?
    path = in_tmp / "signed.csv"
    path.write_text("source,target,weight\na,b,-1\nb,a,1\n", encoding="utf-8")
    code, _, err = run(capsys, "rank", path, "--trusted", "a")
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"trustgraph: error: {path}: edge 'a' -> 'b' has negative weight")


def test_ingest_nan_weight_error_names_the_input_and_writes_nothing(in_tmp, capsys):
    path = nan_graph_file(in_tmp)
    code, _, err = run(capsys, "ingest", path, "-o", in_tmp / "out.json")
    assert code == 1 and str(path) in err and "nan" in err.lower()
    assert not (in_tmp / "out.json").exists()


def test_error_lines_never_carry_control_characters(in_tmp, capsys):
    bad = in_tmp / "evil\x1b]0;x\x07name.csv"
    code, _, err = run(capsys, "rank", bad, "--trusted", "a")
    assert code in (1, 2) and "\x1b" not in err and "\x07" not in err


def test_inspect_prints_hostile_file_names_and_notes_literally(in_tmp, capsys):
    # rich would read "[bold red]" in a table title as markup and swallow it; an escape
    # sequence would reach the terminal. Both must be printed as written.
    name = "[bold red]x\x1b]0;pwned\x07.csv"
    Path(name).write_text("source,target\na,b\n", encoding="utf-8")
    code, out, err = run(capsys, "inspect", name)
    assert code == 0, err
    assert "[bold red]x" in out
    assert "\x1b" not in out and "\\x1b]0;pwned\\x07" in out
