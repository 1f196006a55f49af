"""`CompactGraph` and its helpers under their historical import path.

The snapshot lives in :mod:`trustgraph.core.graph`, its construction from edge arrays in
:mod:`trustgraph.core.build` (label interning in :mod:`trustgraph.core.intern`), saved
folders in :mod:`trustgraph.core.compactio`. This module re-exports the names other
modules import from here.

The construction tunables (the thresholds of the threaded, hashed and compiled paths) live
in the module that reads them; replace them there.

Examples
--------
>>> from trustgraph.core.compact import CompactGraph
>>> CompactGraph.from_edges(["a"], ["b"]).nodes
('a', 'b')
"""

from __future__ import annotations

# ruff: noqa: F401 (re-exports for existing importers)
from trustgraph.core.build import KNOWN_EDGE_ATTRS, _attr_default
from trustgraph.core.compactio import COMPACT_FORMAT, _LazyArrays, is_compact_folder
from trustgraph.core.graph import CompactGraph, as_compact
from trustgraph.core.intern import _intern
from trustgraph.core.threads import in_parallel

__all__ = ["COMPACT_FORMAT", "KNOWN_EDGE_ATTRS", "CompactGraph", "as_compact", "is_compact_folder"]
