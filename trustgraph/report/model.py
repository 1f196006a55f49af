"""The report model: everything a report says, computed once, rendered many ways.

`build_report` runs the analysis and fills a :class:`Report`; the renderers in
:mod:`trustgraph.report.render` only format it. Nothing here prints or writes files.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from trustgraph._version import __version__
from trustgraph.analysis.classify import EgoAnalysis, analyze_ego
from trustgraph.analysis.stats import GraphStatistics, graph_statistics
from trustgraph.core.compact import CompactGraph
from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.ingest.records import ReadReport

__all__ = ["SCHEMA_VERSION", "ContactRow", "Figure", "Report", "build_report"]

SCHEMA_VERSION = "1.2"


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
            "headline": dict(self.headline),
            "statistics": self.statistics.as_dict(),
            "inventory": list(self.inventory),
            "classes": dict(self.classes),
            "thresholds": dict(self.thresholds),
            "circles": self.circles,
            "reach": self.reach,
            "stale": list(self.stale),
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
    scores: Mapping[Hashable, float] | None = None,
    reports: Iterable[ReadReport] = (),
    dataset: str = "",
    parameters: Mapping[str, Any] | None = None,
    inputs: Iterable[str | Path] = (),
    seed: int | None = None,
    pseudonymizer: Pseudonymizer | None = None,
    whole_network: bool = False,
    analysis: EgoAnalysis | None = None,
    stale_days: float = 180.0,
) -> Report:
    """Analyse `G` (from the owner's point of view when `me` is given) and fill a Report.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        The weighted conversation graph (``u -> v``: u wrote to / trusts v).
    me : sequence of nodes
        The owner's identifiers; empty for a whole-network report (statistics,
        communities and top-ranked nodes only).
    scores : mapping, optional
        Trust score per node (e.g. personalized PageRank from the owner, or PageRank for a
        whole network), shown beside the evidence.
    reports : iterable of ReadReport
        What each reader parsed and skipped (the input inventory).
    dataset, parameters, inputs, seed
        Shown in the header and the reproducibility footer; `inputs` are hashed.
    pseudonymizer : Pseudonymizer, optional
        Under ``--anonymize``: every identifier and name shown is replaced by its stable
        keyed pseudonym, and reader notes (which may quote addresses) are withheld.
    whole_network : bool, default False
        The graph holds everyone's edges (a graph file), not only the owner's.
    analysis : EgoAnalysis, optional
        A ready analysis of `me`; computed with default parameters when absent.
    stale_days : float, default 180

    Returns
    -------
    Report

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("me", "ann", weight=2.0, count=30)
    >>> G.add_edge("ann", "me", weight=2.0, count=30)
    >>> G.add_edge("me", "bo", weight=0.0, count=0, declared_only=True)
    >>> r = build_report(G, ["me"])
    >>> r.mode, r.classes["core"], r.classes["stranger"], r.headline["declared_never_conversed"]
    ('ego', 1, 1, 1)
    >>> build_report(G, []).mode
    'whole-network'
    """
    names = display_names(G)
    display = Display(names, pseudonymizer)
    shown_id, shown_name, shown_label = display.id, display.name, display.cluster
    scores = scores or {}

    inventory = [r.as_dict() for r in reports]
    if pseudonymizer is not None:
        for item in inventory:
            item["path"] = display.input_name(Path(item["path"]).name)
            hidden = len(item["notes"])
            item["notes"] = [f"{hidden} reader notes withheld (--anonymize)"] if hidden else []
    for item in inventory:
        item["excluded_bulk"] = sum(
            v for k, v in item.get("skipped", {}).items() if k.startswith("bulk")
        )
    mode = "whole-network" if not me else ("ego-in-network" if whole_network else "ego")
    statistics = graph_statistics(G, seed=seed if seed is not None else 0)
    report = Report(
        title="trustgraph report",
        dataset=dataset,
        owner=[shown_id(m) for m in me],
        statistics=statistics,
        headline={},
        contacts=[],
        inventory=inventory,
        parameters=dict(parameters or {}),
        inputs=[
            {**digest, "path": display.input_name(digest["path"])}
            for digest in map(file_digest, inputs)
        ],
        seed=seed,
        mode=mode,
    )
    report.display = display
    if scores:
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))
        report.top_nodes = [
            {"id": shown_id(n), "name": shown_name(names.get(n)), "score": round(float(v), 8)}
            for n, v in ranked[:20]
            if n not in set(me)
        ]
    if not me:
        report.headline = {
            "nodes": statistics.nodes,
            "edges": statistics.edges,
            "communities": statistics.communities or 0,
        }
        return report

    if analysis is None:
        analysis = analyze_ego(
            G,
            me,
            whole_network=whole_network,
            stale_days=stale_days,
            seed=seed if seed is not None else 0,
        )
    report.analysis = analysis
    stale = set(analysis.stale)
    rows = []
    for node, ev in analysis.evidence.items():
        score = analysis.broadcaster_scores.get(node)
        cluster = analysis.clusters.get(node)
        rows.append(
            ContactRow(
                id=shown_id(node),
                name=shown_name(names.get(node)),
                messages_out=ev.messages_out,
                messages_in=ev.messages_in,
                tie_strength=round(ev.tie_out + ev.tie_in, 6),
                trust_score=round(float(scores.get(node, 0.0)), 8),
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
                broadcaster_score=score,
                cluster=None if cluster is None else shown_label(cluster),
                stale=node in stale,
                extra=dict(analysis.extra.get(node, {})),
            )
        )
    rows.sort(key=lambda r: (-r.tie_strength, -r.trust_score, r.id))
    report.contacts = rows
    declared = sum(r.declared for r in rows)
    report.classes = analysis.counts()
    report.headline = {
        "contacts": len(rows),
        "declared_connections": declared,
        "declared_never_conversed": sum(r.declared and not r.conversed for r in rows),
        "conversation_partners": sum(r.conversed for r in rows),
        "reciprocal_partners": sum(r.reciprocal for r in rows),
        "one_way_inbound": sum(r.messages_in > 0 and r.messages_out == 0 for r in rows),
        "trusted": report.classes["core"] + report.classes["circle"],
        "trusted_reach": analysis.reach.reached,
    }
    report.circles = analysis.circles.as_dict()
    report.reach = analysis.reach.as_dict(shown_id)
    report.stale = [
        {
            "id": shown_id(n),
            "name": shown_name(names.get(n)),
            "last_contact": analysis.evidence[n].last_contact.isoformat(),
        }
        for n in analysis.stale
    ]
    sizes = Counter(analysis.clusters.values())
    report.clusters = [
        {"cluster": shown_label(label), "strangers": count}
        for label, count in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    report.thresholds = dict(analysis.thresholds)
    return report


def display_names(G: nx.Graph | CompactGraph) -> dict[Hashable, str]:
    if isinstance(G, CompactGraph):
        column = G.node_attrs.get("name")
        if column is None:
            return {}
        return {n: v for n, v in zip(G.nodes, column) if v}
    return {n: d["name"] for n, d in G.nodes(data=True) if d.get("name")}
