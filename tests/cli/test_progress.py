"""Progress reporting while inputs are read (issue 7).

The library only calls a ``progress(done, total, label)`` callback; the CLI turns it into a
rich bar on stderr when stderr is a terminal. Expected byte counts come from the sizes of
the files the tests write (``Path.stat``), never from the code under test.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from trustgraph.cli.app import main
from trustgraph.cli.progress import job_progress, read_progress
from trustgraph.ingest.load import ReadProgress, input_size, load_inputs, read_records
from trustgraph.report.pipeline import ReportJob, load_job_inputs, run_report

MBOX = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "email" / "takeout.mbox"
ADA = "ada@example.com"

CONVERSATIONS = (
    "timestamp,sender,recipients,channel\n"
    "2024-03-01T10:00:00Z,ada@example.com,cy@example.com,email\n"
    "2024-03-02T11:00:00Z,cy@example.com,ada@example.com,email\n"
    "2024-03-03T12:00:00Z,ada@example.com,dee@example.com,email\n"
)


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> list[Path]:
    csv_path = tmp_path / "conversations.csv"
    csv_path.write_text(CONVERSATIONS, encoding="utf-8")
    mbox_path = tmp_path / "mail.mbox"
    shutil.copyfile(MBOX, mbox_path)
    return [csv_path, mbox_path]


@pytest.fixture(autouse=True)
def _no_forced_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # rich treats FORCE_COLOR / TTY_COMPATIBLE as "this is a terminal": CI may set them.
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def _check_calls(calls: list[tuple[int, int, str]], total: int) -> None:
    assert calls, "the callback was never called"
    dones = [done for done, _, _ in calls]
    assert all(t == total for _, t, _ in calls)
    assert dones == sorted(dones), "done went backwards"
    assert dones[-1] == total
    assert all(0 <= d <= total for d in dones)


def test_load_inputs_reports_bytes_of_a_csv_and_an_mbox(mixed_inputs: list[Path]):
    csv_path, mbox_path = mixed_inputs
    total = csv_path.stat().st_size + mbox_path.stat().st_size
    calls: list[tuple[int, int, str]] = []
    loaded = load_inputs(mixed_inputs, me=[ADA], progress=lambda *c: calls.append(c))
    _check_calls(calls, total)
    labels = [label for _, _, label in calls]
    assert "conversations.csv" in labels and "mail.mbox" in labels
    # Once the CSV is read, done is exactly its size (the mbox comes second).
    assert (csv_path.stat().st_size, total, "mail.mbox") in calls
    # The progress hook changes nothing about the result.
    plain = load_inputs(mixed_inputs, me=[ADA])
    assert sorted(loaded.graph.edges(data=True)) == sorted(plain.graph.edges(data=True))


def test_load_inputs_reports_a_folder_as_the_sum_of_its_files(tmp_path: Path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "nested").mkdir()
    chat = "12/03/2024, 09:15 - Ada Example: hi\n13/03/2024, 10:00 - Bo Sample: hello\n"
    (folder / "_chat.txt").write_text(chat, encoding="utf-8")
    (folder / "nested" / "notes.bin").write_bytes(b"x" * 1000)
    expected = len(chat.encode()) + 1000
    assert input_size(folder) == expected
    calls: list[tuple[int, int, str]] = []
    load_inputs([folder], me=["Ada Example"], progress=lambda *c: calls.append(c))
    _check_calls(calls, expected)


def test_graph_file_progress_ends_at_its_size(tmp_path: Path):
    edges = tmp_path / "g.edgelist"
    edges.write_text("a b\nb c\n", encoding="utf-8")
    calls: list[tuple[int, int, str]] = []
    load_inputs([edges], progress=lambda *c: calls.append(c))
    _check_calls(calls, edges.stat().st_size)


def test_read_progress_clamps_and_never_goes_back(tmp_path: Path):
    f = tmp_path / "a.bin"
    f.write_bytes(b"x" * 100)
    calls: list[tuple[int, int, str]] = []
    tracker = ReadProgress([f], lambda *c: calls.append(c))
    within = tracker.start(0)
    within(60)
    within(40)  # a reader reporting less than before must not move the bar back
    within(500)  # nor past the input's own size (e.g. uncompressed bytes of a .gz)
    assert [done for done, _, _ in calls] == [0, 60, 60, 100]


def test_read_records_passes_progress_only_to_streaming_readers(mixed_inputs: list[Path]):
    csv_path, mbox_path = mixed_inputs
    seen: list[int] = []
    read_records(mbox_path, me=[ADA], progress=seen.append)
    assert seen and seen[-1] == mbox_path.stat().st_size
    # A reader without a progress hook ignores it rather than refusing it.
    chat = csv_path.with_name("chat.txt")
    chat.write_text(
        "12/03/2024, 09:15 - Ada Example: hi\n13/03/2024, 10:00 - Bo Sample: hello\n",
        encoding="utf-8",
    )
    data = read_records(chat, me=["Ada Example"], progress=seen.append)
    assert len(data.events) == 2


def test_report_job_progress_reaches_load_inputs():
    calls: list[tuple[int, int, str]] = []
    load_job_inputs(ReportJob(progress=lambda *c: calls.append(c)))
    assert calls
    assert calls[-1][0] == calls[-1][1] > 0


def test_helper_is_a_no_op_off_a_terminal():
    buffer = io.StringIO()
    with read_progress(console=Console(file=buffer)) as progress:
        assert progress is None
    assert buffer.getvalue() == ""


def test_helper_is_a_no_op_when_quiet_even_on_a_terminal():
    buffer = io.StringIO()
    with read_progress(quiet=True, console=Console(file=buffer, force_terminal=True)) as cb:
        assert cb is None
    assert buffer.getvalue() == ""


def test_helper_default_console_is_silent_under_capture(capsys: pytest.CaptureFixture[str]):
    with read_progress() as progress:
        assert progress is None
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_helper_draws_a_byte_bar_on_a_forced_terminal():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    with read_progress(console=console) as progress:
        assert progress is not None
        progress(0, 3_000_000, "mail.mbox")
        progress(1_500_000, 3_000_000, "mail.mbox")
    drawn = buffer.getvalue()
    assert "\x1b[" in drawn  # drawn as a live terminal display
    assert "mail.mbox" in drawn
    assert "━" in drawn  # the bar
    assert "1.5/3.0 MB" in drawn  # bytes done / total (decimal units)


def test_job_progress_shows_the_steps_after_reading_on_a_terminal():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    with job_progress(console=console) as (progress, status):
        assert progress is not None and status is not None
        progress(1_000, 1_000, "mail.mbox")
        status("drawing figures")
    assert "drawing figures" in buffer.getvalue()


def test_job_progress_draws_nothing_off_a_terminal():
    buffer = io.StringIO()
    with job_progress(console=Console(file=buffer)) as (progress, status):
        assert progress is None and status is None
    assert buffer.getvalue() == ""


def test_report_job_announces_each_step_in_order(tmp_path: Path):
    steps: list[str] = []
    run_report(ReportJob(status=steps.append), fmt="json", folder=tmp_path / "report")
    assert steps == ["analysing trust", "drawing figures", "writing the report"]


def test_ingest_cli_prints_no_escape_codes_when_piped(
    mixed_inputs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "graph.graphml"
    assert main(["ingest", *map(str, mixed_inputs), "--me", ADA, "-o", str(out)]) == 0
    assert out.is_file()
    captured = capsys.readouterr()
    assert "\x1b[" not in captured.err + captured.out
    assert captured.err.startswith("wrote ")  # the summary line only, no bar frames


def test_inspect_cli_reads_every_input_with_the_hook(
    mixed_inputs: list[Path], capsys: pytest.CaptureFixture[str]
):
    assert main(["inspect", "--json", *map(str, mixed_inputs)]) == 0
    captured = capsys.readouterr()
    assert "\x1b[" not in captured.err + captured.out
    assert captured.out.count('"format"') == 2
