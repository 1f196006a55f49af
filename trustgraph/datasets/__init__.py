"""The bundled sample network and the synthetic generators, all in one place.

A layer of its own above :mod:`trustgraph.ingest` (docs/design.md, "Layers"): it imports
only :mod:`trustgraph.core`, :mod:`trustgraph.ingest` (records, identifiers, the graph
builder and the atomic writer) and :mod:`trustgraph.exceptions`, and nothing below the
analysis imports it. One module per concept:

* :mod:`~trustgraph.datasets.sample` — :func:`sample_network`, a fictional personal
  network (one owner, about 3,000 declared connections, about 150 conversation partners in
  Dunbar-like layers, friends of friends seen in group chats, spam-like broadcasters and a
  small Sybil-like cluster) with its planted truth (:class:`Truth`, :class:`SampleNetwork`).
* :mod:`~trustgraph.datasets.sample_files` — :func:`write_sample` writes it as
  ``contacts.csv``, ``conversations.csv`` and ``truth.csv``; :func:`sample_paths` finds the
  copy bundled with the package; :func:`read_truth` reads a truth file back.
* :mod:`~trustgraph.datasets.sample_exports` — :func:`write_sample_exports` writes it as a
  LinkedIn export, WhatsApp chats, an mbox and a vCard phone book.
* :mod:`~trustgraph.datasets.synthetic_person` — :func:`write_synthetic_person`, a held-out
  person's downloads with the planted role of every identifier (issue 14).
* :mod:`~trustgraph.datasets.powerlaw` — :func:`powerlaw_graph`, heavy-tailed graphs with
  planted communities for benchmarks, built straight from numpy arrays (no networkx).
* :mod:`~trustgraph.datasets.sybil_region` — :func:`attach_sybil_region`, a Sybil region
  joined to an honest graph through a chosen number of attack edges, the set-up of the
  Sybil-defence evaluations (ALGORITHMS.md §10.1).

Everything is deterministic given ``seed`` (a ``numpy.random.Generator`` is the only source
of randomness) and nothing is generated at import time.
"""

from __future__ import annotations

from trustgraph.datasets.powerlaw import powerlaw_graph
from trustgraph.datasets.sample import ROLES, SampleNetwork, Truth, sample_network
from trustgraph.datasets.sample_exports import (
    EXPORT_OWNER_NAME,
    EXPORT_OWNER_PHONE,
    SampleExportPlan,
    export_paths,
    plan_sample_exports,
    write_sample_exports,
)
from trustgraph.datasets.sample_files import (
    CONTACT_COLUMNS,
    CONVERSATION_COLUMNS,
    TRUTH_COLUMNS,
    read_truth,
    sample_owner,
    sample_paths,
    write_sample,
)
from trustgraph.datasets.sybil_region import attach_sybil_region
from trustgraph.datasets.synthetic_person import (
    PlantedMessage,
    PlantedPerson,
    SyntheticPerson,
    write_synthetic_person,
)

__all__ = [
    "CONTACT_COLUMNS",
    "CONVERSATION_COLUMNS",
    "EXPORT_OWNER_NAME",
    "EXPORT_OWNER_PHONE",
    "ROLES",
    "TRUTH_COLUMNS",
    "PlantedMessage",
    "PlantedPerson",
    "SampleExportPlan",
    "SampleNetwork",
    "SyntheticPerson",
    "Truth",
    "attach_sybil_region",
    "export_paths",
    "plan_sample_exports",
    "powerlaw_graph",
    "read_truth",
    "sample_network",
    "sample_owner",
    "sample_paths",
    "write_sample",
    "write_sample_exports",
    "write_synthetic_person",
]
