"""trustgraph: who do I really trust, and how far does that trust reach?"""

from trustgraph._version import __version__
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import (
    ConvergenceError,
    GraphError,
    IngestError,
    ParameterError,
    SeedError,
    TrustGraphError,
)

__all__ = [
    "CompactGraph",
    "ConvergenceError",
    "GraphError",
    "IngestError",
    "ParameterError",
    "SeedError",
    "TrustGraphError",
    "__version__",
    "as_compact",
]
