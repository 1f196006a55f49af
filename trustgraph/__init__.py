"""trustgraph: who do I really trust, and how far does that trust reach?

The public API in one namespace, the networkx way: readers return graphs, algorithms take a
graph first and seeds second and return ``{node: score}`` for every node.
"""

from trustgraph._version import __version__
from trustgraph.algorithms.flow import advogato
from trustgraph.algorithms.paths import moletrust, tidaltrust, tidaltrust_all
from trustgraph.algorithms.random_walk import (
    PPRMatrix,
    anti_trustrank,
    eigentrust,
    inverse_pagerank,
    pagerank,
    personalized_pagerank,
    personalized_pagerank_matrix,
    trustrank,
)
from trustgraph.algorithms.signed import (
    FairnessGoodness,
    TrustDistrust,
    fairness_goodness,
    predict_edge_weight,
    trust_distrust,
)
from trustgraph.algorithms.spreading import appleseed
from trustgraph.algorithms.sybil import community_seeds, sybilrank, sybilscar
from trustgraph.analysis.explain import TrustExplanation, TrustPath, explain_trust
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import (
    ConvergenceError,
    GraphError,
    IngestError,
    ParameterError,
    SeedError,
    TrustGraphError,
)
from trustgraph.ingest.build import build_graph, graph_from_export
from trustgraph.ingest.contacts_csv import read_contacts, read_conversations
from trustgraph.ingest.detect import detect_format, inspect_graph, read_graph
from trustgraph.ingest.edgelist import read_edgelist
from trustgraph.ingest.exports import detect_export, read_export
from trustgraph.ingest.identity import merge_identities
from trustgraph.ingest.labels import read_node_labels
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.pseudonym import Pseudonymizer
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.snap_ego import read_snap_ego
from trustgraph.ingest.ties import TieModel, tie_components
from trustgraph.ingest.writers import write_gephi_csv, write_graph

__all__ = [
    "CompactGraph",
    "Contact",
    "ConvergenceError",
    "ConversationEvent",
    "ExportData",
    "FairnessGoodness",
    "GraphError",
    "IngestError",
    "PPRMatrix",
    "ParameterError",
    "Pseudonymizer",
    "ReadReport",
    "SeedError",
    "TieModel",
    "TrustDistrust",
    "TrustExplanation",
    "TrustGraphError",
    "TrustPath",
    "__version__",
    "advogato",
    "anti_trustrank",
    "appleseed",
    "as_compact",
    "build_graph",
    "community_seeds",
    "detect_export",
    "detect_format",
    "eigentrust",
    "explain_trust",
    "fairness_goodness",
    "graph_from_export",
    "inspect_graph",
    "inverse_pagerank",
    "load_inputs",
    "merge_identities",
    "moletrust",
    "pagerank",
    "personalized_pagerank",
    "personalized_pagerank_matrix",
    "predict_edge_weight",
    "read_contacts",
    "read_conversations",
    "read_edgelist",
    "read_export",
    "read_graph",
    "read_node_labels",
    "read_snap_ego",
    "sybilrank",
    "sybilscar",
    "tidaltrust",
    "tidaltrust_all",
    "tie_components",
    "trust_distrust",
    "trustrank",
    "write_gephi_csv",
    "write_graph",
]
