"""Compact sparse core: the CSR graph snapshot, seed vectors, validation and solvers."""

from trustgraph.core.graph import CompactGraph, as_compact

__all__ = ["CompactGraph", "as_compact"]
