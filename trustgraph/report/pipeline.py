"""The ``trustgraph report`` job: inputs -> graph -> trust scores -> report and figures.

Kept out of the CLI so that scripts and tests run exactly what the command runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trustgraph.analysis.compare import global_scores
from trustgraph.analysis.ego import EgoAnalysis, EgoParameters, analyze_ego
from trustgraph.datasets import sample_owner, sample_paths
from trustgraph.exceptions import SeedError
from trustgraph.ingest.load import LoadedInputs, ProgressCallback, load_inputs
from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.plot.export import png_bytes
from trustgraph.report.figures import NETWORK_FIGURES, caption, draw_figure, ego_figures
from trustgraph.report.model import Figure, Report, build_report
from trustgraph.report.render import to_csv, to_html, to_json, to_markdown, to_rich
from trustgraph.report.write import write_report_file, write_report_folder

__all__ = ["DEFAULT_FOLDER", "FORMAT_BY_SUFFIX", "ReportJob", "ReportResult", "run_report"]

DEFAULT_FOLDER = "trustgraph-report"

#: ``-o FILE`` picks the format from the file's extension.
FORMAT_BY_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
}

SAMPLE_LABEL = "the bundled sample network (synthetic people, see sample_graphs/README.md)"


@dataclass
class ReportJob:
    """What to analyse and how.

    Attributes
    ----------
    paths : list of path
        Inputs; empty means the bundled sample network.
    me : list of str
        The owner's identifiers (``--me``); the sample's owner when `paths` is empty.
    damping : float
        Follow-edge probability of the trust propagation (personalized PageRank from the
        owner).
    anonymize : bool
        Replace every identifier and name shown by a keyed pseudonym.
    pseudonymizer : Pseudonymizer, optional
        The pseudonymiser to use under `anonymize` (the CLI's, with the user's key file);
        by default one with the per-user key in the config directory.
    input_format : str, optional
        Force the input format.
    stale_days : float
        Core ties silent for longer than this are stale.
    seed : int
        Randomness of the circles' null model and of Louvain.
    reader_options : dict
        Export reader options (``date_format``, ``tz``), passed to the readers that take them.
    include_bulk : bool, default True
        Keep newsletters and other bulk mail, so their senders are listed as broadcasters
        (``--exclude-bulk`` leaves them out, counted in the inventory).
    identities : path, optional
        An identities file (``--identities``): each row's identifiers are one person.
    name_merge : bool, default True
        Merge one person's records across sources by full name (``--no-name-merge``).
    region : str, optional
        Country of phone numbers written without a country code (``--region``); see
        :func:`~trustgraph.ingest.load.load_inputs`.
    progress : callable, optional
        ``progress(done_bytes, total_bytes, label)`` while the inputs are read (see
        :func:`~trustgraph.ingest.load.load_inputs`); the CLI draws a bar from it.
    status : callable, optional
        ``status(text)`` as each later step starts (ranking, analysing, drawing, writing);
        the CLI shows it as a spinner.
    """

    paths: list[Path] = field(default_factory=list)
    me: list[str] = field(default_factory=list)
    damping: float = 0.85
    anonymize: bool = False
    pseudonymizer: Pseudonymizer | None = None
    input_format: str | None = None
    stale_days: float = 180.0
    seed: int = 0
    reader_options: dict[str, Any] = field(default_factory=dict)
    include_bulk: bool = True
    identities: Path | None = None
    name_merge: bool = True
    region: str | None = None
    progress: ProgressCallback | None = None
    status: Callable[[str], None] | None = None

    def parameters(self, whole_network: bool) -> EgoParameters:
        """The one parameters object every number and figure of the report uses."""
        return EgoParameters(
            damping=self.damping,
            stale_days=self.stale_days,
            seed=self.seed,
            whole_network=whole_network,
        )

    def step(self, text: str) -> None:
        """Announce the next step to :attr:`status`, when there is one."""
        if self.status is not None:
            self.status(text)


@dataclass
class ReportResult:
    """The report, its rendered text (for stdout) and where files went."""

    report: Report
    loaded: LoadedInputs | None = None
    text: str = ""
    terminal: list[Any] = field(default_factory=list)
    folder: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)


def load_job_inputs(job: ReportJob) -> tuple[LoadedInputs, str | list[str]]:
    """Load the job's inputs (the bundled sample when none) and name the dataset."""
    if job.paths:
        loaded = load_inputs(
            job.paths,
            me=job.me,
            format=job.input_format,
            options=job.reader_options,
            progress=job.progress,
            identities=job.identities,
            name_merge=job.name_merge,
            defaults={"include_bulk": True} if job.include_bulk else None,
            region=job.region,
        )
        return loaded, [Path(p).name for p in job.paths]
    paths = sample_paths()
    me = job.me or [sample_owner()]
    loaded = load_inputs([paths["contacts"], paths["conversations"]], me=me, progress=job.progress)
    for report in loaded.reports:
        # The installed package's folder means nothing to the reader of the report.
        report.path = f"the bundled sample's {Path(report.path).name}"
    return loaded, SAMPLE_LABEL


def _owner(loaded: LoadedInputs, job: ReportJob) -> tuple[Any, ...]:
    whole_network = loaded.kind == "graph"
    if whole_network and job.me and not loaded.owner:
        loaded.owner = _match_ids(loaded.graph, job.me)
    if not loaded.owner and (job.me or not whole_network):
        raise SeedError(
            "whose network is this? pass your own identifiers with --me "
            "(none of the given ones is in the graph)"
            if job.me
            else "whose network is this? pass your own identifiers with --me"
        )
    return tuple(loaded.owner)


def run_report(
    job: ReportJob,
    *,
    output: str | os.PathLike[str] | None = None,
    fmt: str = "terminal",
    folder: str | os.PathLike[str] = DEFAULT_FOLDER,
    force: bool = False,
) -> ReportResult:
    """Run the whole report job: one ego analysis, rendered as text, files and figures.

    Without `output`, the report folder is regenerated and the chosen format is returned
    as text (or rich renderables for ``terminal``). With `output`, only that file is
    written (its figures beside it for Markdown, inlined for HTML), atomically, and an
    existing file is replaced only when `force` is true.
    """
    loaded, dataset = load_job_inputs(job)
    owner = _owner(loaded, job)
    parameters = job.parameters(whole_network=loaded.kind == "graph")
    analysis: EgoAnalysis | None = None
    scores = None
    job.step("analysing trust")
    if owner:
        analysis = analyze_ego(loaded.graph, owner, parameters)
    else:
        scores = global_scores(loaded.graph, damping=job.damping)
    pseudonymizer = None
    if job.anonymize:
        pseudonymizer = job.pseudonymizer or Pseudonymizer()
    report = build_report(
        loaded.graph,
        owner,
        analysis=analysis,
        parameters=parameters,
        scores=scores,
        reports=loaded.reports,
        dataset=dataset,
        inputs=loaded.paths,
        pseudonymizer=pseudonymizer,
        whole_network=loaded.kind == "graph",
        extra_parameters={"tie_model": _tie_parameters(loaded)},
        identity=loaded,
    )
    job.step("drawing figures")
    images = _figures(report, loaded.graph)
    job.step("writing the report")
    result = ReportResult(report=report, loaded=loaded)
    if output is not None:
        path = write_report_file(report, output, fmt, images=images, overwrite=force)
        result.files = {fmt: path}
        return result
    result.files = write_report_folder(report, folder, images)
    result.folder = Path(folder)
    if fmt == "terminal":
        result.terminal = to_rich(report)
    else:
        result.text = {
            "markdown": to_markdown,
            "json": to_json,
            "csv": to_csv,
        }.get(fmt, lambda r: to_html(r, images))(report)
    return result


def _match_ids(graph: Any, wanted: list[str]) -> tuple[Any, ...]:
    """Graph-file node ids are often ints; ``--me`` values are text: match by ``str``."""
    nodes = graph.nodes if isinstance(graph.nodes, tuple) else list(graph.nodes)
    by_text = {str(node): node for node in nodes}
    return tuple(dict.fromkeys(by_text[m] for m in wanted if m in by_text))


def _tie_parameters(loaded: LoadedInputs) -> Any:
    graph_attrs = getattr(loaded.graph, "graph", None) or getattr(loaded.graph, "graph_attrs", {})
    return graph_attrs.get("tie_model", "as read from the graph file")


def _figures(report: Report, G: Any) -> dict[str, bytes]:
    """Draw the report's figures from its analysis, register them, return the PNG bytes.

    Labels go through the report's :class:`~trustgraph.report.model.Display`, so
    ``--anonymize`` reaches them; captions are written from the same analysis.
    """
    analysis = report.analysis
    specs = ego_figures(analysis) if analysis is not None else NETWORK_FIGURES
    label = report.display.label
    images: dict[str, bytes] = {}
    for spec in specs:
        figure = draw_figure(
            spec.kind, G, list(report_owner(analysis)), analysis=analysis, label=label
        )
        images[spec.filename] = png_bytes(figure)
        report.figures.append(
            Figure(spec.kind.value, spec.filename, caption(spec.kind, analysis, label))
        )
    return images


def report_owner(analysis: EgoAnalysis | None) -> tuple[Any, ...]:
    return () if analysis is None else analysis.owner
