"""The report model: everything a report says, computed once, rendered many ways.

`build_report` runs the analysis and fills a :class:`Report`; the renderers in
:mod:`trustgraph.report.render` only format it. Nothing here prints or writes files.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from trustgraph._version import __version__
from trustgraph.analysis.classify import CLASSES
from trustgraph.analysis.ego import EgoAnalysis, EgoParameters, EgoThresholds, analyze_ego
from trustgraph.analysis.stats import GraphStatistics, graph_statistics
from trustgraph.core.compact import CompactGraph
from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.ingest.records import ReadReport

__all__ = ["SCHEMA_VERSION", "ContactRow", "Figure", "Report", "build_report"]

SCHEMA_VERSION = "2.0"
_DEFAULT_RULES = EgoThresholds()


@dataclass(frozen=True)
class ContactRow:
    """One contact as the report shows it."""

    id: str
    name: str | None
    messages_out: int
    messages_in: int
    tie_strength: float
    trust_score: float
    declared: bool
    conversed: bool
    reciprocal: bool
    last_contact: str | None
    cls: str = "stranger"
    layer: int | None = None
    trust_in_you: float = 0.0
    contacts_per_year: float = 0.0
    first_contact: str | None = None
    broadcaster_score: float | None = None
    cluster: str | None = None
    stale: bool = False
    active_months: int | None = None
    sybil_like: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready contact: id, name, class, layer, trust score, then the evidence."""
        evidence = {
            "messages_out": self.messages_out,
            "messages_in": self.messages_in,
            "contacts_per_year": self.contacts_per_year,
            "active_months": self.active_months,
            "tie_strength": self.tie_strength,
            "trust_in_you": self.trust_in_you,
            "declared": self.declared,
            "conversed": self.conversed,
            "reciprocal": self.reciprocal,
            "first_contact": self.first_contact,
            "last_contact": self.last_contact,
            "broadcaster_score": self.broadcaster_score,
            "stale": self.stale,
            "sybil_like": self.sybil_like,
        }
        evidence.update(self.extra)
        return {
            "id": self.id,
            "name": self.name,
            "class": self.cls,
            "layer": self.layer,
            "cluster": self.cluster,
            "trust_score": self.trust_score,
            "evidence": evidence,
        }


@dataclass(frozen=True)
class Figure:
    """A figure the report embeds: file name inside the report folder and a caption."""

    name: str
    filename: str
    caption: str


@dataclass
class Report:
    """Everything a report says; renderers format it, nothing more."""

    title: str
    dataset: str
    owner: list[str]
    statistics: GraphStatistics
    headline: dict[str, int]
    contacts: list[ContactRow]
    inventory: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: list[dict[str, str]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    seed: int | None = None
    version: str = __version__
    schema_version: str = SCHEMA_VERSION
    mode: str = "ego"
    classes: dict[str, int] = field(default_factory=dict)
    circles: dict[str, Any] | None = None
    reach: dict[str, Any] | None = None
    stale: list[dict[str, Any]] = field(default_factory=list)
    clusters: list[dict[str, Any]] = field(default_factory=list)
    top_nodes: list[dict[str, Any]] = field(default_factory=list)
    thresholds: dict[str, Any] = field(default_factory=dict)
    answer: dict[str, Any] = field(default_factory=dict)
    merged: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    skipped_inputs: list[dict[str, Any]] = field(default_factory=list)
    analysis: Any = None  # the EgoAnalysis (with real node ids) for figures; not serialised
    display: Any = None  # the Display that shows nodes in text and figures; not serialised

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict with a stable key order."""
        return {
            "schema_version": self.schema_version,
            "title": self.title,
            "mode": self.mode,
            "dataset": self.dataset,
            "owner": list(self.owner),
            "answer": dict(self.answer),
            "headline": dict(self.headline),
            "statistics": self.statistics.as_dict(),
            "inventory": list(self.inventory),
            "classes": dict(self.classes),
            "thresholds": dict(self.thresholds),
            "circles": self.circles,
            "reach": self.reach,
            "stale": list(self.stale),
            "merged": list(self.merged),
            "probable_duplicates": list(self.duplicates),
            "skipped_inputs": list(self.skipped_inputs),
            "stranger_clusters": list(self.clusters),
            "top_nodes": list(self.top_nodes),
            "contacts": [c.as_dict() for c in self.contacts],
            "figures": [
                {"name": f.name, "file": f.filename, "caption": f.caption} for f in self.figures
            ],
            "reproducibility": {
                "version": self.version,
                "parameters": dict(self.parameters),
                "inputs": list(self.inputs),
                "seed": self.seed,
            },
        }


def file_digest(path: str | Path) -> dict[str, str]:
    """``{"path": name, "sha256": hex}`` of an input, for the reproducibility footer.

    A folder (an unpacked export) is hashed as the sorted sequence of its files' relative
    paths and contents, so the same export gives the same digest wherever it lies.
    """
    root = Path(path)
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    for file in files:
        if root.is_dir():
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return {"path": root.name, "sha256": digest.hexdigest()}


@dataclass(frozen=True)
class Display:
    """How the report shows people: as they are, or as keyed pseudonyms (``--anonymize``).

    One object serves the text and the figures, so a person carries the same label in
    both.
    """

    names: Mapping[Hashable, str] = field(default_factory=dict)
    pseudonymizer: Pseudonymizer | None = None

    def id(self, node: Hashable) -> str:
        """A node's identifier as shown."""
        return self.pseudonymizer.identifier(str(node)) if self.pseudonymizer else str(node)

    def name(self, name: str | None) -> str | None:
        """A display name as shown."""
        if name is None or self.pseudonymizer is None:
            return name
        return self.pseudonymizer.pseudonym(name, kind="name")

    def node_name(self, node: Hashable) -> str | None:
        return self.name(self.names.get(node))

    def label(self, node: Hashable) -> str:
        """What a figure writes beside a node: the shown name, else the shown id."""
        return self.node_name(node) or self.id(node)

    def cluster(self, label: str) -> str:
        """Cluster labels quote a company, domain or position: pseudonymise the value."""
        if self.pseudonymizer is None or ": " not in label:
            return label
        kind, value = label.split(": ", 1)
        return f"{kind}: {self.pseudonymizer.pseudonym(value, kind=kind)}"

    def dataset(self, dataset: str | Sequence[str]) -> str:
        """The dataset line: a label as given, or input file names, each shown through
        :meth:`input_name` (WhatsApp names chats after the partner: a file name is a name)."""
        if isinstance(dataset, str):
            return dataset
        return ", ".join(self.input_name(name) for name in dataset)

    def input_name(self, name: str) -> str:
        """Input file names (WhatsApp names chats after the partner) as shown."""
        if self.pseudonymizer is None:
            return name
        suffix = "".join(Path(name).suffixes[-2:])
        return self.pseudonymizer.pseudonym(name, kind="file").replace("person", "input") + suffix


def build_report(
    G: nx.Graph | CompactGraph,
    me: Sequence[Hashable],
    *,
    analysis: EgoAnalysis | None = None,
    parameters: EgoParameters | None = None,
    scores: Mapping[Hashable, float] | None = None,
    reports: Iterable[ReadReport] = (),
    dataset: str | Sequence[str] = "",
    inputs: Iterable[str | Path] = (),
    pseudonymizer: Pseudonymizer | None = None,
    whole_network: bool = False,
    extra_parameters: Mapping[str, Any] | None = None,
    identity: Any = None,
) -> Report:
    """Fill a Report from one ego analysis (or, without an owner, from whole-graph scores).

    Parameters
    ----------
    G : networkx graph or CompactGraph
        The weighted conversation graph (``u -> v``: u wrote to / trusts v).
    me : sequence of nodes
        The owner's identifiers; empty for a whole-network report (statistics and
        top-ranked nodes only).
    analysis : EgoAnalysis, optional
        The ego analysis of `me`; computed from `parameters` when absent.
    parameters : EgoParameters, optional
        Used when `analysis` is absent (the defaults otherwise).
    scores : mapping, optional
        Whole-network reports only: the global score per node (e.g. PageRank).
    reports : iterable of ReadReport
        What each reader parsed and skipped (the input inventory).
    dataset : str or sequence of str
        A label, or the input file names (pseudonymised under ``--anonymize``).
    inputs : iterable of path
        Hashed for the reproducibility footer.
    pseudonymizer : Pseudonymizer, optional
        Under ``--anonymize``: every identifier, name and file name shown is replaced by its
        stable keyed pseudonym, and reader notes (which may quote addresses) are withheld.
    whole_network : bool, default False
        The graph holds everyone's edges (a graph file), not only the owner's.
    extra_parameters : mapping, optional
        Further choices shown in the reproducibility footer (the tie model).
    identity : LoadedInputs, optional
        What the loader found, skipped and merged: the people merged across sources by name
        and those probably the same person are listed, the skipped files in the inventory.

    Returns
    -------
    Report

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> for friend, n in [("ann", 30), ("bo", 12)]:
    ...     G.add_edge("me", friend, weight=2.0, count=n)
    ...     G.add_edge(friend, "me", weight=2.0, count=n)
    >>> G.add_edge("me", "cy", weight=0.0, count=0, declared_only=True)
    >>> r = build_report(G, ["me"], parameters=EgoParameters(n_null=0))
    >>> r.mode, r.answer["trusted"], r.answer["core_names"], r.headline["declared_never_conversed"]
    ('ego', 2, ['ann'], 1)
    >>> build_report(G, []).mode
    'whole-network'
    """
    names = display_names(G)
    display = Display(names, pseudonymizer)
    mode = "whole-network" if not me else ("ego-in-network" if whole_network else "ego")
    if me and analysis is None:
        parameters = parameters or EgoParameters(whole_network=whole_network)
        analysis = analyze_ego(G, me, parameters)
    chosen = analysis.parameters if analysis is not None else parameters or EgoParameters()
    seed = chosen.seed
    report = Report(
        title="trustgraph report",
        dataset=display.dataset(dataset),
        owner=[display.id(m) for m in me],
        statistics=graph_statistics(G, seed=seed),
        headline={},
        contacts=[],
        inventory=_inventory(reports, display),
        parameters={**_parameter_dict(chosen, mode), **dict(extra_parameters or {})},
        inputs=[
            {**digest, "path": display.input_name(digest["path"])}
            for digest in map(file_digest, inputs)
        ],
        seed=seed,
        mode=mode,
    )
    report.display = display
    if analysis is None:
        _whole_network_view(report, scores or {}, names)
        return report
    report.analysis = analysis
    _ego_view(report, analysis, names)
    if identity is not None:
        _identity_view(report, identity, analysis)
    return report


def _identity_view(report: Report, loaded: Any, analysis: EgoAnalysis) -> None:
    """Merged people and probable duplicates, as the report shows them (pseudonymised)."""
    display = report.display
    report.merged = [
        {
            "id": display.id(m.kept),
            "name": display.name(m.name),
            "merged": [display.id(x) for x in m.merged],
            "confidence": m.confidence,
            "reason": m.reason,
        }
        for m in getattr(loaded, "merged_by_name", [])
    ]
    report.duplicates = [
        {
            "ids": [display.id(n) for n in d.nodes],
            "name": display.name(d.name),
            "reason": d.reason if display.pseudonymizer is None else "same full name",
            "trusted": sum(analysis.classes.get(n) in ("core", "circle") for n in d.nodes),
        }
        for d in getattr(loaded, "probable_duplicates", [])
    ]
    report.skipped_inputs = [
        {"path": display.input_name(Path(x.path).name), "reason": x.reason}
        for x in getattr(loaded, "skipped", [])
    ]
    report.answer["merged"] = len(report.merged)
    report.answer["probable_duplicates"] = len(report.duplicates)


def _parameter_dict(parameters: EgoParameters, mode: str) -> dict[str, Any]:
    if mode == "whole-network":
        return {"damping": parameters.damping}
    found = {
        k: v for k, v in asdict(parameters).items() if k not in ("whole_network", "thresholds")
    }
    # The rules' fixed thresholds are documented once (EgoThresholds); a report lists only
    # the ones its caller changed, so two reports differ exactly where their choices do.
    changed = {
        k: v for k, v in asdict(parameters.thresholds).items() if v != getattr(_DEFAULT_RULES, k)
    }
    return {**found, **changed}


def _inventory(reports: Iterable[ReadReport], display: Display) -> list[dict[str, Any]]:
    inventory = [r.as_dict() for r in reports]
    for item in inventory:
        if display.pseudonymizer is not None:
            item["path"] = display.input_name(Path(item["path"]).name)
            hidden = len(item["notes"])
            item["notes"] = [f"{hidden} reader notes withheld (--anonymize)"] if hidden else []
        item["excluded_bulk"] = sum(
            v for k, v in item.get("skipped", {}).items() if k.startswith("bulk")
        )
    return inventory


def _whole_network_view(
    report: Report, scores: Mapping[Hashable, float], names: Mapping[Hashable, str]
) -> None:
    display, statistics = report.display, report.statistics
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))
    report.top_nodes = [
        {"id": display.id(n), "name": display.name(names.get(n)), "score": round(float(v), 8)}
        for n, v in ranked[:20]
    ]
    report.headline = {
        "nodes": statistics.nodes,
        "edges": statistics.edges,
        "communities": statistics.communities or 0,
    }


def reciprocal_strength(tie_out: float, tie_in: float) -> float:
    """Tie strength that needs both directions: the harmonic mean of the two edge weights.

    Zero for a one-way tie however heavy, equal to the common value for a balanced one, so
    unanswered volume can never outrank a two-way relationship.

    Examples
    --------
    >>> [reciprocal_strength(*pair) for pair in [(0.68, 0.0), (0.2, 0.2), (0.3, 0.1)]]
    [0.0, 0.2, 0.15]
    """
    if tie_out <= 0 or tie_in <= 0:
        return 0.0
    unit = max(tie_out, tie_in)  # scaled, so that neither 1e-320 nor 1e308 overflows
    low, high = tie_out / unit, tie_in / unit
    return round(2.0 * low * high / (low + high) * unit, 6)


def _contact_row(
    analysis: EgoAnalysis, node: Hashable, display: Display, names: Mapping[Hashable, str]
) -> ContactRow:
    ev = analysis.evidence[node]
    cluster = analysis.clusters.get(node)
    return ContactRow(
        id=display.id(node),
        name=display.name(names.get(node)),
        messages_out=ev.messages_out,
        messages_in=ev.messages_in,
        tie_strength=reciprocal_strength(ev.tie_out, ev.tie_in),
        trust_score=round(float(analysis.scores.get(node, 0.0)), 8),
        declared=ev.declared,
        conversed=ev.conversed,
        reciprocal=ev.reciprocal,
        last_contact=ev.last_contact.isoformat() if ev.last_contact else None,
        cls=analysis.classes[node],
        layer=analysis.layers.get(node),
        trust_in_you=round(analysis.trust.get(node, 0.0), 6),
        contacts_per_year=round(analysis.frequencies.get(node, 0.0), 4),
        first_contact=ev.first_contact.isoformat() if ev.first_contact else None,
        active_months=ev.active_months,
        broadcaster_score=analysis.broadcaster_scores.get(node),
        cluster=None if cluster is None else display.cluster(cluster),
        stale=analysis.classes[node] == "stale",
        sybil_like=node in analysis.sybil_like,
        extra=dict(analysis.extra.get(node, {})),
    )


def _ego_view(report: Report, analysis: EgoAnalysis, names: Mapping[Hashable, str]) -> None:
    display = report.display
    order = {cls: k for k, cls in enumerate(CLASSES)}
    ranked = sorted(
        analysis.evidence,
        key=lambda n: (order[analysis.classes[n]], -analysis.scores.get(n, 0.0), str(n)),
    )
    report.contacts = [_contact_row(analysis, n, display, names) for n in ranked]
    populations = analysis.populations()
    report.classes = analysis.counts()
    report.headline = populations
    core = analysis.members("core")
    report.answer = {
        "trusted": populations["trusted"],
        "core": populations["core"],
        "circle": populations["circle"],
        "declared_connections": populations["declared_connections"],
        "talked_with": populations.get("talked_with", 0),
        "as_of": analysis.as_of.date().isoformat() if analysis.as_of else None,
        "core_names": [display.label(n) for n in core],
        "stale": populations["stale"],
        "broadcasters": populations["broadcaster"],
        "sybil_like": populations["sybil_like"],
        "structural": bool(analysis.thresholds.get("structural")),
    }
    report.circles = analysis.circles.as_dict()
    report.reach = analysis.reach.as_dict(display.id)
    report.stale = [
        {
            "id": display.id(n),
            "name": display.name(names.get(n)),
            "last_contact": analysis.evidence[n].last_contact.isoformat(),
        }
        for n in analysis.stale
    ]
    sizes = Counter(analysis.clusters.values())
    report.clusters = [
        {"cluster": display.cluster(label), "strangers": count}
        for label, count in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    report.thresholds = dict(analysis.thresholds)


def display_names(G: nx.Graph | CompactGraph) -> dict[Hashable, str]:
    if isinstance(G, CompactGraph):
        column = G.node_attrs.get("name")
        if column is None:
            return {}
        return {n: v for n, v in zip(G.nodes, column) if v}
    return {n: d["name"] for n, d in G.nodes(data=True) if d.get("name")}
