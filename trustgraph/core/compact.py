"""`CompactGraph` and its helpers under their historical import path.

The snapshot lives in :mod:`trustgraph.core.graph`, its construction from edge arrays in
:mod:`trustgraph.core.build` (label interning in :mod:`trustgraph.core.intern`), saved
folders in :mod:`trustgraph.core.compactio`. This module re-exports every name other
modules import from here, the private ones included.

The construction tunables (the thresholds of the threaded, hashed and compiled paths) live
in the module that reads them; replace them there.

Examples
--------
>>> from trustgraph.core.compact import CompactGraph
>>> CompactGraph.from_edges(["a"], ["b"]).nodes
('a', 'b')
"""

from __future__ import annotations

# Everything below is re-exported (private names included) for existing importers.
# ruff: noqa: F401
from trustgraph.core.build import (
    _DUPLICATE_RULES,
    _SUMMED_EDGE_ATTRS,
    KNOWN_EDGE_ATTRS,
    _attr_default,
    _coo_tocsr,
    _csr_order,
    _csr_sort,
    _csr_sort_pointer,
    _merge_duplicates,
    _sort_row_indices,
)
from trustgraph.core.compactio import (
    _COMPACT_VERSION,
    COMPACT_FORMAT,
    _DamagedFileError,
    _LazyArrays,
    _Meta,
    is_compact_folder,
)
from trustgraph.core.csr import csr_from_sorted as _csr
from trustgraph.core.csr import index_dtype as _index_dtype
from trustgraph.core.csr import narrow_indices as _narrow_indices
from trustgraph.core.csr import rows_of as _rows_of
from trustgraph.core.graph import CompactGraph, as_compact
from trustgraph.core.intern import (
    _COMPILED_INTERN_MIN,
    _HASH_INTERN_MIN,
    _as_label_array,
    _compiled_intern_available,
    _IntegerLabels,
    _intern,
    _intern_dense_ints,
    _intern_endpoints,
    _intern_hashed,
    _intern_pairs_compiled,
)
from trustgraph.core.threads import _PARALLEL_MIN_SIZE, in_parallel

__all__ = ["COMPACT_FORMAT", "KNOWN_EDGE_ATTRS", "CompactGraph", "as_compact", "is_compact_folder"]
