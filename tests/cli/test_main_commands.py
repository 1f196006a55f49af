"""The main job and the ingest/inspect commands, run as a user runs them."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from trustgraph.cli.app import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def conversations(tmp_path: Path) -> Path:
    return write(
        tmp_path / "conversations.csv",
        "timestamp,sender,recipients,channel\n"
        "2025-01-01T10:00:00Z,me@example.com,ada@example.com,dm\n"
        "2025-01-02T10:00:00Z,ada@example.com,me@example.com,dm\n"
        "2025-01-03T10:00:00Z,news@example.net,me@example.com,dm\n",
    )


def test_report_without_arguments_twice(in_tmp, capsys):
    for _ in range(2):
        assert main(["report", "-q"]) == 0
        out = capsys.readouterr().out
        # The first three lines state the answer: the trusted count, the core, the date.
        assert out.startswith("You really trust ")
        assert "Core: " in out.split("\n\n")[0] and "As of " in out.split("\n\n")[0]
    folder = in_tmp / "trustgraph-report"
    names = {p.name for p in folder.iterdir()}
    assert {"report.html", "report.md", "report.json", "core-map.png"} <= names
    assert (folder / "core-map.png").read_bytes().startswith(b"\x89PNG")
    data = json.loads((folder / "report.json").read_text())
    assert data["headline"]["declared_connections"] > 2000
    assert [p.name for p in in_tmp.iterdir() if p.name.startswith(".")] == ["config"] or not [
        p for p in in_tmp.iterdir() if p.name.startswith(".trustgraph-report")
    ]


def test_report_files_are_identical_across_processes(in_tmp):
    """Issue 16's one-off differing core map: every output byte of two fresh processes with
    different hash seeds (set and dict order of strings), one with a fresh matplotlib
    config folder (the first-run font cache) and one thread, must agree."""
    outputs = []
    for k, extra in enumerate(
        [{"PYTHONHASHSEED": "1"}, {"PYTHONHASHSEED": "2", "MPLCONFIGDIR": str(in_tmp / "mpl")}]
    ):
        env = {**os.environ, "XDG_CONFIG_HOME": str(in_tmp / "config"), **extra}
        if k:
            env["OMP_NUM_THREADS"] = "1"
        folder = in_tmp / f"run{k}"
        subprocess.run(
            [sys.executable, "-m", "trustgraph", "report", "-q", "--folder", str(folder)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert outputs[0].keys() == outputs[1].keys()
    assert [name for name in outputs[0] if outputs[0][name] != outputs[1][name]] == []


def test_report_on_user_files_needs_force_to_overwrite(in_tmp, capsys):
    source = conversations(in_tmp)
    target = write(in_tmp / "mine.md", "precious")
    args = ["report", str(source), "--me", "me@example.com", "--format", "markdown"]
    assert main([*args, "-o", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_text() == "precious"
    assert main([*args, "-o", str(target), "--force"]) == 0
    assert "ada@example.com" in target.read_text()


def test_report_anonymize_hides_identifiers(in_tmp, capsys):
    source = conversations(in_tmp)
    code = main(
        ["report", str(source), "--me", "me@example.com", "--format", "json", "--anonymize", "-q"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "example.com" not in out and "ada" not in out
    folder_text = (in_tmp / "trustgraph-report" / "report.html").read_text()
    assert "ada@example.com" not in folder_text


def test_report_without_owner_is_a_one_line_error(in_tmp, capsys):
    source = conversations(in_tmp)
    assert main(["report", str(source)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--me" in err and "Traceback" not in err


def test_ingest_writes_graph_and_refuses_overwrite(in_tmp, capsys):
    source = conversations(in_tmp)
    out = in_tmp / "graph.graphml"
    assert main(["ingest", str(source), "--me", "me@example.com", "-o", str(out)]) == 0
    G = nx.read_graphml(out)
    assert G.has_edge("me@example.com", "ada@example.com")
    assert G.has_edge("news@example.net", "me@example.com")
    before = out.read_bytes()
    assert main(["ingest", str(source), "-o", str(out)]) == 1
    assert out.read_bytes() == before
    assert "already exists" in capsys.readouterr().err


def test_ingest_converts_graph_files(in_tmp):
    edges = write(in_tmp / "edges.tsv", "# a comment\n1\t2\t0.5\n2\t3\t1.5\n")
    out = in_tmp / "graph.gexf"
    assert main(["ingest", str(edges), "-o", str(out)]) == 0
    G = nx.read_gexf(out)
    assert sorted(G.edges(data="weight")) == [("1", "2", 0.5), ("2", "3", 1.5)]


def test_inspect_reports_counts_and_skips(in_tmp, capsys):
    source = write(
        in_tmp / "conversations.csv",
        "timestamp,sender,recipients\n2025-01-01T10:00:00Z,a@example.com,b@example.com\n"
        "2025-01-01T11:00:00Z,,b@example.com\n",
    )
    assert main(["inspect", str(source), "--json"]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert found["format"] == "conversations-csv"
    assert sum(found["skipped"].values()) == 1
    assert found["first_seen"].startswith("2025-01-01")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "empty"),
        ("timestamp,sender,recipients\n", ""),
        ("timestamp,sender,recipients\nnot-a-date,a@example.com,b@example.com\n", ":2:"),
    ],
)
def test_bad_inputs_give_one_line_and_exit_1(in_tmp, capsys, content, problem):
    path = write(in_tmp / "conversations.csv", content)
    assert main(["inspect", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("trustgraph: error: ") and err.count("\n") == 1
    assert str(path) in err and problem in err


def test_missing_file_and_non_utf8(in_tmp, capsys):
    assert main(["inspect", str(in_tmp / "nope.csv")]) == 1
    assert "no such file" in capsys.readouterr().err
    bad = in_tmp / "latin.csv"
    bad.write_bytes("source,target\nRen\xe9e,Bo\n".encode("latin-1"))
    assert main(["ingest", str(bad), "-o", str(in_tmp / "g.graphml")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2:" in err and "utf-8" in err


def test_version_and_python_dash_m():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "trustgraph", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("trustgraph ")


def test_usage_error_exits_2(capsys):
    assert main(["report", "--format", "nonsense"]) == 2


def whatsapp_chat(tmp_path: Path) -> Path:
    # Every day <= 12, so the date order is ambiguous: 01/02 is 1 Feb (dmy) or 2 Jan (mdy).
    return write(
        tmp_path / "chat.txt",
        "01/02/2024, 09:15 - Ada Example: hi\n02/03/2024, 10:00 - Bo Sample: hello\n",
    )


@pytest.mark.parametrize(("order", "first_day"), [("dmy", "2024-02-01"), ("mdy", "2024-01-02")])
def test_date_format_reaches_the_whatsapp_reader(in_tmp, capsys, order, first_day):
    chat = whatsapp_chat(in_tmp)
    assert main(["inspect", str(chat), "--json", "--date-format", order]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert found["format"] == "whatsapp"
    assert found["first_seen"].startswith(first_day)


def test_reader_option_that_applies_to_no_input_is_refused(in_tmp, capsys):
    source = conversations(in_tmp)
    assert main(["inspect", str(source), "--date-format", "dmy"]) == 1
    err = capsys.readouterr().err
    assert "date_format does not apply" in err and err.count("\n") == 1


def test_input_format_can_be_forced(in_tmp, capsys):
    chat = whatsapp_chat(in_tmp)
    renamed = chat.rename(in_tmp / "chat.log")
    assert main(["inspect", str(renamed), "--json", "--format", "whatsapp"]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert found["records"]


def test_report_on_a_plain_edge_list_is_a_whole_network_report(in_tmp, capsys):
    edges = write(in_tmp / "edges.txt", "1 2\n2 1\n2 3\n3 1\n1 3\n3 4\n4 1\n5 1\n")
    assert main(["report", str(edges), "--format", "json", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "whole-network" and data["contacts"] == []
    assert data["statistics"]["nodes"] == 5
    assert main(["report", str(edges), "--me", "1", "--format", "json", "-q"]) == 0
    ego = json.loads(capsys.readouterr().out)
    assert ego["mode"] == "ego-in-network" and ego["owner"] == ["1"]
    assert {c["id"] for c in ego["contacts"]} == {"2", "3", "4", "5"}
    assert main(["report", str(edges), "--me", "99", "-q"]) == 1
    assert "--me" in capsys.readouterr().err


def test_sample_report_classes_and_offline_html(in_tmp):
    assert main(["report", "-q", "--format", "json"]) == 0
    folder = in_tmp / "trustgraph-report"
    data = json.loads((folder / "report.json").read_text())
    assert data["classes"]["broadcaster"] == 8 and data["circles"]["n_layers"] >= 2
    assert {c["class"] for c in data["contacts"]} <= {
        "core",
        "circle",
        "stale",
        "acquaintance",
        "stranger",
        "broadcaster",
    }
    page = (folder / "report.html").read_text()
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert "<link" not in page and "@import" not in page
    assert 'src="data:image/png;base64,' in page


def test_report_passes_reader_options_to_the_readers(in_tmp, capsys):
    mbox = ROOT / "sample_graphs" / "exports" / "mail" / "sample.mbox"
    args = ["report", str(mbox), "--me", "me@example.com", "--format", "json", "-q"]
    assert main(args) == 0
    with_bulk = json.loads(capsys.readouterr().out)
    assert main([*args, "--exclude-bulk"]) == 0
    without = json.loads(capsys.readouterr().out)
    # The report keeps newsletters by default, so their senders are listed as broadcasters
    # (issue 14: bulk senders must not vanish); --exclude-bulk leaves them out, counted.
    assert with_bulk["headline"]["contacts"] > without["headline"]["contacts"]
    assert with_bulk["headline"]["broadcaster"] > without["headline"]["broadcaster"]
    assert any(item["excluded_bulk"] for item in without["inventory"])
    # The default applies where a reader takes it: no error on inputs without mail.
    assert main(["report", "-q", "--format", "json"]) == 0


def test_report_output_file_format_follows_its_extension(in_tmp, capsys):
    assert main(["report", "-q", "-o", "out.md"]) == 0
    text = (in_tmp / "out.md").read_text()
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links and all((in_tmp / link).read_bytes().startswith(b"\x89PNG") for link in links)
    assert text.splitlines()[2].startswith("**You really trust ")
    assert main(["report", "-q", "-o", "out.csv"]) == 0
    rows = list(csv.DictReader((in_tmp / "out.csv").open()))
    assert main(["report", "-q", "-o", "out.json"]) == 0
    data = json.loads((in_tmp / "out.json").read_text())
    assert len(rows) == len(data["contacts"])
    assert sum(r["class"] in ("core", "circle") for r in rows) == data["answer"]["trusted"]
    assert main(["report", "-q", "-o", "out.txt"]) == 1
    assert "extension" in capsys.readouterr().err


def test_anonymize_leaves_no_identifier_of_the_input_in_any_output(in_tmp, capsys):
    """Issue 16: names, e-mails, phones, profile URLs and file names (WhatsApp names each
    chat after the partner) appear in no byte of any output, in every format."""
    from trustgraph.datasets import export_paths, plan_sample_exports, write_sample_exports

    plan = plan_sample_exports()
    write_sample_exports(in_tmp / "exports")
    inputs = [str(p) for p in export_paths(in_tmp / "exports")]
    key = in_tmp / "key"
    base = ["report", *inputs, *[arg for m in plan.me for arg in ("--me", m)]]
    base += ["--anonymize", "--anonymize-key", str(key)]
    assert main([*base, "--folder", str(in_tmp / "out")]) == 0
    captured = capsys.readouterr()
    assert f"created a new pseudonym key {key}" in captured.err
    outputs = {p.name: p.read_bytes() for p in (in_tmp / "out").iterdir() if p.is_file()}
    outputs["stdout"] = captured.out.encode()
    # The folder holds the HTML, Markdown and JSON; the per-contact CSV is written by -o.
    assert main([*base, "-q", "-o", str(in_tmp / "one.csv")]) == 0
    outputs["csv"] = (in_tmp / "one.csv").read_bytes()
    assert "created a new pseudonym key" not in capsys.readouterr().err  # once only
    secrets = (
        set(plan.names.values()) | set(plan.phones.values()) | set(plan.profile_urls.values())
    )
    secrets |= {node for node in plan.names if "@" in node}
    secrets |= set(plan.group_titles.values()) - {"Family"}  # "Family" is also a plain word
    secrets |= {Path(p).stem for p in inputs if "WhatsApp" in p}
    secrets = {s for s in secrets if len(s) >= 5}
    leaks = {
        (name, secret)
        for name, data in outputs.items()
        for secret in secrets
        if secret.encode() in data or secret.lower().encode() in data.lower()
    }
    assert leaks == set()


def test_markup_in_names_and_paths_never_breaks_the_terminal_report(in_tmp, capsys, monkeypatch):
    """Issue 16, T1: a rich MarkupError from a mail 'From: "Bo [/b] Sample"' or a path holding
    '[/b]' crashed the report after its folder was written."""
    folder = in_tmp / "in [/b] box"
    folder.mkdir(parents=True)
    lines = []
    for k in range(4):
        sender, other = ("me@example.com", "bo@example.com")[:: 1 if k % 2 else -1]
        shown = '"Bo [/b] Sample" <bo@example.com>' if sender == "bo@example.com" else sender
        lines += [
            f"From {sender} Mon Feb  {k + 3} 10:00:00 2025",
            f"From: {shown}",
            f"To: {other}",
            f"Date: Mon, {k + 3} Feb 2025 10:00:00 +0000",
            f"Message-ID: <m{k}@example.com>",
            "Subject: [bold]hi[/bold]",
            "",
            "Hi",
            "",
        ]
    mbox = folder / "mail.mbox"
    mbox.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["report", str(mbox), "--me", "me@example.com"]) == 0
    out = capsys.readouterr().out
    assert "Bo [/b] Sample" in out and "[/b] box" in out


def test_report_warns_when_a_me_value_matches_nothing(in_tmp, capsys):
    source = conversations(in_tmp)
    args = ["report", str(source), "--me", "me@example.com", "--me", "nobody@example.org"]
    assert main([*args, "-q", "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "trustgraph: warning: --me nobody@example.org matches no identifier" in err
