"""The report model: everything a report says, computed once, rendered many ways.

`build_report` runs the analysis and fills a :class:`Report`; the renderers in
:mod:`trustgraph.report.render` only format it. Nothing here prints or writes files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from trustgraph._version import __version__
from trustgraph.analysis.contacts import contact_evidence
from trustgraph.analysis.stats import GraphStatistics, graph_statistics
from trustgraph.core.compact import CompactGraph
from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.ingest.records import ReadReport

__all__ = ["SCHEMA_VERSION", "ContactRow", "Figure", "Report", "build_report"]

SCHEMA_VERSION = "1.0"


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

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict with a stable key order."""
        return {
            "schema_version": self.schema_version,
            "title": self.title,
            "dataset": self.dataset,
            "owner": list(self.owner),
            "headline": dict(self.headline),
            "statistics": self.statistics.as_dict(),
            "inventory": list(self.inventory),
            "contacts": [
                {
                    "id": c.id,
                    "name": c.name,
                    "messages_out": c.messages_out,
                    "messages_in": c.messages_in,
                    "tie_strength": c.tie_strength,
                    "trust_score": c.trust_score,
                    "declared": c.declared,
                    "conversed": c.conversed,
                    "reciprocal": c.reciprocal,
                    "last_contact": c.last_contact,
                }
                for c in self.contacts
            ],
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
    """``{"path": name, "sha256": hex}`` of an input file, for the reproducibility footer."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"path": Path(path).name, "sha256": digest.hexdigest()}


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
) -> Report:
    """Analyse `G` from the owner's point of view and fill a :class:`Report`.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        The weighted conversation graph (``u -> v``: u wrote to / trusts v).
    me : sequence of nodes
        The owner's identifiers.
    scores : mapping, optional
        Trust score per node (e.g. personalized PageRank from the owner), shown beside
        the evidence. Contacts are listed by tie strength, ties broken by trust score.
    reports : iterable of ReadReport
        What each reader parsed and skipped (the input inventory).
    dataset, parameters, inputs, seed
        Shown in the header and the reproducibility footer; `inputs` are hashed.
    pseudonymizer : Pseudonymizer, optional
        Under ``--anonymize``: every identifier and name shown is replaced by its stable
        keyed pseudonym, and reader notes (which may quote addresses) are withheld.

    Returns
    -------
    Report
    """
    evidence = contact_evidence(G, me)
    names = _display_names(G)
    scores = scores or {}

    def shown_id(node: Hashable) -> str:
        return pseudonymizer.identifier(str(node)) if pseudonymizer else str(node)

    def shown_name(name: str | None) -> str | None:
        if name is None or pseudonymizer is None:
            return name
        return pseudonymizer.pseudonym(name, kind="name")

    inventory = [r.as_dict() for r in reports]
    if pseudonymizer is not None:
        for item in inventory:
            hidden = len(item["notes"])
            item["notes"] = [f"{hidden} reader notes withheld (--anonymize)"] if hidden else []
    rows = []
    for node, ev in evidence.items():
        rows.append(
            ContactRow(
                id=shown_id(node),
                name=shown_name(names.get(node)),
                messages_out=ev.messages_out,
                messages_in=ev.messages_in,
                tie_strength=round(ev.tie_out + ev.tie_in, 6),
                trust_score=float(scores.get(node, 0.0)),
                declared=ev.declared,
                conversed=ev.conversed,
                reciprocal=ev.reciprocal,
                last_contact=ev.last_contact.isoformat() if ev.last_contact else None,
            )
        )
    rows.sort(key=lambda r: (-r.tie_strength, -r.trust_score, r.id))
    declared = sum(r.declared for r in rows)
    headline = {
        "contacts": len(rows),
        "declared_connections": declared,
        "declared_never_conversed": sum(r.declared and not r.conversed for r in rows),
        "conversation_partners": sum(r.conversed for r in rows),
        "reciprocal_partners": sum(r.reciprocal for r in rows),
        "one_way_inbound": sum(r.messages_in > 0 and r.messages_out == 0 for r in rows),
    }
    return Report(
        title="trustgraph report",
        dataset=dataset,
        owner=[shown_id(m) for m in me],
        statistics=graph_statistics(G),
        headline=headline,
        contacts=rows,
        inventory=inventory,
        parameters=dict(parameters or {}),
        inputs=[file_digest(p) for p in inputs],
        seed=seed,
    )


def _display_names(G: nx.Graph | CompactGraph) -> dict[Hashable, str]:
    if isinstance(G, CompactGraph):
        column = G.node_attrs.get("name")
        if column is None:
            return {}
        return {n: v for n, v in zip(G.nodes, column) if v}
    return {n: d["name"] for n, d in G.nodes(data=True) if d.get("name")}
