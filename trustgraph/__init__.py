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
from trustgraph.analysis.circles import Circles, circles
from trustgraph.analysis.clusters import stranger_clusters
from trustgraph.analysis.ego import EgoAnalysis, EgoParameters, analyze_ego
from trustgraph.analysis.evaluation import (
    EvaluationResult,
    evaluate_circles,
    evaluate_core,
    evaluate_edge_weight,
    evaluate_fraud,
    evaluate_levels,
    evaluate_sybil,
    leave_one_out_fairness_goodness,
)
from trustgraph.analysis.explain import TrustExplanation, TrustPath, explain_trust
from trustgraph.analysis.reach import TrustedReach, trusted_reach
from trustgraph.analysis.stats import GraphStatistics, graph_statistics
from trustgraph.analysis.sybil_like import SybilLike, sybil_like_clusters
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
    "Circles",
    "CompactGraph",
    "Contact",
    "ConvergenceError",
    "ConversationEvent",
    "EgoAnalysis",
    "EgoParameters",
    "EvaluationResult",
    "ExportData",
    "FairnessGoodness",
    "GraphError",
    "GraphStatistics",
    "IngestError",
    "PPRMatrix",
    "ParameterError",
    "Pseudonymizer",
    "ReadReport",
    "SeedError",
    "SybilLike",
    "TieModel",
    "TrustDistrust",
    "TrustExplanation",
    "TrustGraphError",
    "TrustPath",
    "TrustedReach",
    "__version__",
    "advogato",
    "analyze_ego",
    "anti_trustrank",
    "appleseed",
    "as_compact",
    "build_graph",
    "circles",
    "community_seeds",
    "detect_export",
    "detect_format",
    "eigentrust",
    "evaluate_circles",
    "evaluate_core",
    "evaluate_edge_weight",
    "evaluate_fraud",
    "evaluate_levels",
    "evaluate_sybil",
    "explain_trust",
    "fairness_goodness",
    "graph_from_export",
    "graph_statistics",
    "inspect_graph",
    "inverse_pagerank",
    "leave_one_out_fairness_goodness",
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
    "stranger_clusters",
    "sybil_like_clusters",
    "sybilrank",
    "sybilscar",
    "tidaltrust",
    "tidaltrust_all",
    "tie_components",
    "trust_distrust",
    "trusted_reach",
    "trustrank",
    "write_gephi_csv",
    "write_graph",
]
