"""trustgraph: who do I really trust, and how far does that trust reach?

The public API in one namespace, the networkx way: readers return graphs, algorithms take a
graph first and seeds second and return ``{node: score}`` for every node.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from trustgraph._version import __version__
from trustgraph.exceptions import (
    ConvergenceError,
    GraphError,
    IngestError,
    ParameterError,
    SeedError,
    TrustGraphError,
)

if TYPE_CHECKING:  # the names below, for type checkers and IDEs; loaded on first use
    from trustgraph.algorithms.flow import (
        advogato,
    )
    from trustgraph.algorithms.paths import (
        moletrust,
        tidaltrust,
        tidaltrust_all,
    )
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
    from trustgraph.algorithms.registry import (
        METHODS,
        get_method,
        method_names,
    )
    from trustgraph.algorithms.signed import (
        FairnessGoodness,
        TrustDistrust,
        fairness_goodness,
        predict_edge_weight,
        trust_distrust,
    )
    from trustgraph.algorithms.spreading import (
        appleseed,
    )
    from trustgraph.algorithms.sybil import (
        community_seeds,
        sybilrank,
        sybilscar,
    )
    from trustgraph.analysis.circles import (
        Circles,
        circles,
    )
    from trustgraph.analysis.clusters import (
        stranger_clusters,
    )
    from trustgraph.analysis.ego import (
        EgoAnalysis,
        EgoParameters,
        EgoThresholds,
        analyze_ego,
    )
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
    from trustgraph.analysis.explain import (
        TrustExplanation,
        TrustPath,
        explain_trust,
    )
    from trustgraph.analysis.reach import (
        TrustedReach,
        trusted_reach,
    )
    from trustgraph.analysis.stats import (
        GraphStatistics,
        graph_statistics,
    )
    from trustgraph.analysis.sybil_like import (
        SybilLike,
        sybil_like_clusters,
    )
    from trustgraph.core.compact import (
        CompactGraph,
        as_compact,
    )
    from trustgraph.ingest.build import (
        build_graph,
        graph_from_export,
    )
    from trustgraph.ingest.contacts_csv import (
        read_contacts,
        read_conversations,
    )
    from trustgraph.ingest.detect import (
        detect_format,
        inspect_graph,
        read_graph,
    )
    from trustgraph.ingest.edgelist import (
        read_edgelist,
    )
    from trustgraph.ingest.exports import (
        detect_export,
        read_export,
    )
    from trustgraph.ingest.identity import (
        merge_identities,
    )
    from trustgraph.ingest.labels import (
        read_node_labels,
    )
    from trustgraph.ingest.load import (
        load_inputs,
    )
    from trustgraph.ingest.pseudonym import (
        Pseudonymizer,
    )
    from trustgraph.ingest.records import (
        Contact,
        ConversationEvent,
        ExportData,
        ReadReport,
    )
    from trustgraph.ingest.snap_ego import (
        read_snap_ego,
    )
    from trustgraph.ingest.ties import (
        TieModel,
        tie_components,
    )
    from trustgraph.ingest.writers import (
        write_gephi_csv,
        write_graph,
    )

#: Public name -> the module that defines it. ``import trustgraph`` loads none of them:
#: each loads on first use (PEP 562), so the command line starts fast and importing
#: the package pulls in neither matplotlib nor the evaluation protocols.
_LAZY = {
    "advogato": "trustgraph.algorithms.flow",
    "moletrust": "trustgraph.algorithms.paths",
    "tidaltrust": "trustgraph.algorithms.paths",
    "tidaltrust_all": "trustgraph.algorithms.paths",
    "PPRMatrix": "trustgraph.algorithms.random_walk",
    "anti_trustrank": "trustgraph.algorithms.random_walk",
    "eigentrust": "trustgraph.algorithms.random_walk",
    "inverse_pagerank": "trustgraph.algorithms.random_walk",
    "pagerank": "trustgraph.algorithms.random_walk",
    "personalized_pagerank": "trustgraph.algorithms.random_walk",
    "personalized_pagerank_matrix": "trustgraph.algorithms.random_walk",
    "trustrank": "trustgraph.algorithms.random_walk",
    "FairnessGoodness": "trustgraph.algorithms.signed",
    "TrustDistrust": "trustgraph.algorithms.signed",
    "fairness_goodness": "trustgraph.algorithms.signed",
    "predict_edge_weight": "trustgraph.algorithms.signed",
    "trust_distrust": "trustgraph.algorithms.signed",
    "appleseed": "trustgraph.algorithms.spreading",
    "community_seeds": "trustgraph.algorithms.sybil",
    "sybilrank": "trustgraph.algorithms.sybil",
    "sybilscar": "trustgraph.algorithms.sybil",
    "Circles": "trustgraph.analysis.circles",
    "circles": "trustgraph.analysis.circles",
    "stranger_clusters": "trustgraph.analysis.clusters",
    "EgoAnalysis": "trustgraph.analysis.ego",
    "EgoParameters": "trustgraph.analysis.ego",
    "EgoThresholds": "trustgraph.analysis.parameters",
    "METHODS": "trustgraph.algorithms.registry",
    "get_method": "trustgraph.algorithms.registry",
    "method_names": "trustgraph.algorithms.registry",
    "analyze_ego": "trustgraph.analysis.ego",
    "EvaluationResult": "trustgraph.analysis.evaluation",
    "evaluate_circles": "trustgraph.analysis.evaluation",
    "evaluate_core": "trustgraph.analysis.evaluation",
    "evaluate_edge_weight": "trustgraph.analysis.evaluation",
    "evaluate_fraud": "trustgraph.analysis.evaluation",
    "evaluate_levels": "trustgraph.analysis.evaluation",
    "evaluate_sybil": "trustgraph.analysis.evaluation",
    "leave_one_out_fairness_goodness": "trustgraph.analysis.evaluation",
    "TrustExplanation": "trustgraph.analysis.explain",
    "TrustPath": "trustgraph.analysis.explain",
    "explain_trust": "trustgraph.analysis.explain",
    "TrustedReach": "trustgraph.analysis.reach",
    "trusted_reach": "trustgraph.analysis.reach",
    "GraphStatistics": "trustgraph.analysis.stats",
    "graph_statistics": "trustgraph.analysis.stats",
    "SybilLike": "trustgraph.analysis.sybil_like",
    "sybil_like_clusters": "trustgraph.analysis.sybil_like",
    "CompactGraph": "trustgraph.core.compact",
    "as_compact": "trustgraph.core.compact",
    "build_graph": "trustgraph.ingest.build",
    "graph_from_export": "trustgraph.ingest.build",
    "read_contacts": "trustgraph.ingest.contacts_csv",
    "read_conversations": "trustgraph.ingest.contacts_csv",
    "detect_format": "trustgraph.ingest.detect",
    "inspect_graph": "trustgraph.ingest.detect",
    "read_graph": "trustgraph.ingest.detect",
    "read_edgelist": "trustgraph.ingest.edgelist",
    "detect_export": "trustgraph.ingest.exports",
    "read_export": "trustgraph.ingest.exports",
    "merge_identities": "trustgraph.ingest.identity",
    "read_node_labels": "trustgraph.ingest.labels",
    "load_inputs": "trustgraph.ingest.load",
    "Pseudonymizer": "trustgraph.ingest.pseudonym",
    "Contact": "trustgraph.ingest.records",
    "ConversationEvent": "trustgraph.ingest.records",
    "ExportData": "trustgraph.ingest.records",
    "ReadReport": "trustgraph.ingest.records",
    "read_snap_ego": "trustgraph.ingest.snap_ego",
    "TieModel": "trustgraph.ingest.ties",
    "tie_components": "trustgraph.ingest.ties",
    "write_gephi_csv": "trustgraph.ingest.writers",
    "write_graph": "trustgraph.ingest.writers",
}


#: Sub-packages reachable as attributes (``tg.algorithms.registry``), imported on first use.
_SUBPACKAGES = frozenset(
    {"algorithms", "analysis", "backends", "core", "datasets", "ingest", "plot", "report"}
)


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"trustgraph.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'trustgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "METHODS",
    "Circles",
    "CompactGraph",
    "Contact",
    "ConvergenceError",
    "ConversationEvent",
    "EgoAnalysis",
    "EgoParameters",
    "EgoThresholds",
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
    "get_method",
    "graph_from_export",
    "graph_statistics",
    "inspect_graph",
    "inverse_pagerank",
    "leave_one_out_fairness_goodness",
    "load_inputs",
    "merge_identities",
    "method_names",
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
