"""Core recovery: does trust from one person single out their own group?"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np

from trustgraph.algorithms.paths import moletrust
from trustgraph.algorithms.random_walk import pagerank, personalized_pagerank
from trustgraph.algorithms.spreading import appleseed
from trustgraph.analysis.evaluation._common import Progress, tick
from trustgraph.analysis.evaluation.metrics import auc, precision_at_k, spread
from trustgraph.analysis.evaluation.results import EvaluationResult
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import GraphError, ParameterError

__all__ = ["CORE_METHODS", "evaluate_circles", "evaluate_core"]

CORE_METHODS = ("PPR", "Appleseed", "MoleTrust", "PageRank (global)")


def evaluate_core(
    G: nx.Graph | CompactGraph,
    groups: Mapping[Hashable, Hashable],
    *,
    n_sources: int = 50,
    methods: tuple[str, ...] | None = None,
    weight: str | None = "weight",
    seed: int | None = 0,
    dataset: str = "graph",
    progress: Progress = None,
) -> EvaluationResult:
    """Rank everyone by trust from one person: is their own group on top?

    For each source (a random sample of nodes whose group has another member and who
    trust someone), every other node is scored from the source; the source's group mates
    are the positives.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        ``u -> v``: u wrote to / trusts v (email-Eu-core: u e-mailed v).
    groups : mapping of node to label
        Ground-truth group per node (email-Eu-core: department). Nodes without a label
        are negatives for everyone.
    n_sources : int, default 50
    methods : tuple of str, optional
        A subset of :data:`CORE_METHODS`: personalized PageRank, Appleseed and MoleTrust
        (horizon 3, threshold 0) from the source, and global PageRank as a baseline that
        ignores who asks.
    weight : str or None, default "weight"
    seed : int, optional
    dataset : str
    progress : callable(done, total), optional

    Returns
    -------
    EvaluationResult
        One row per method: ``auc`` and ``precision_at_k`` (k = the source's group size
        minus one, i.e. R-precision), mean and ``_std`` over sources.

    Raises
    ------
    GraphError
        No labelled node of the graph has a group mate.
    ParameterError
        Bad `n_sources` or method name.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(nx.connected_caveman_graph(3, 4))
    >>> groups = {v: v // 4 for v in G}
    >>> result = evaluate_core(G, groups, n_sources=3, methods=("PPR",))
    >>> round(result.results[0]["auc"], 3)
    1.0
    """
    chosen = CORE_METHODS if methods is None else tuple(methods)
    unknown = [m for m in chosen if m not in CORE_METHODS]
    if unknown:
        raise ParameterError(f"unknown method {unknown[0]!r}; choose from {CORE_METHODS}")
    if isinstance(n_sources, bool) or int(n_sources) < 1:
        raise ParameterError(f"n_sources must be >= 1, got {n_sources!r}")
    cg = as_compact(G, weight=weight)
    labels = np.array([groups.get(x) for x in cg.nodes], dtype=object)
    known = np.array([x is not None for x in labels])
    sizes: dict[Hashable, int] = {}
    for label in labels[known].tolist():
        sizes[label] = sizes.get(label, 0) + 1
    out_degree = np.diff(cg.adjacency.indptr)
    eligible = np.flatnonzero(
        known & (out_degree > 0) & np.array([x is not None and sizes[x] > 1 for x in labels])
    )
    if eligible.size == 0:
        raise GraphError(
            "no labelled node has a group mate: core recovery needs group labels "
            "(e.g. departments) for the graph's nodes"
        )
    rng = np.random.default_rng(seed)
    sources = np.sort(rng.choice(eligible, size=min(int(n_sources), eligible.size), replace=False))
    global_scores = (
        np.fromiter(pagerank(cg).values(), float, cg.n_nodes)
        if "PageRank (global)" in chosen
        else None
    )
    per_method = {name: {"auc": [], "precision_at_k": []} for name in chosen}
    for k, s in enumerate(sources.tolist()):
        source = cg.nodes[s]
        positive = labels == labels[s]
        others = np.arange(cg.n_nodes) != s
        for name in chosen:
            if name == "PPR":
                scores = np.fromiter(personalized_pagerank(cg, [source]).values(), float)
            elif name == "Appleseed":
                scores = np.fromiter(appleseed(cg, source).values(), float)
            elif name == "MoleTrust":
                values = moletrust(cg, source, horizon=3, threshold=0.0)
                scores = np.fromiter(values.values(), float)
            else:
                scores = global_scores
            per_method[name]["auc"].append(auc(scores[others], positive[others]))
            per_method[name]["precision_at_k"].append(
                precision_at_k(scores[others], positive[others], int(positive[others].sum()))
            )
        tick(progress, k + 1, sources.size)
    results = []
    for name in chosen:
        row = {"method": name}
        for metric in ("auc", "precision_at_k"):
            row[metric], row[f"{metric}_std"] = spread(per_method[name][metric])
        row["n"] = int(sources.size)
        results.append(row)
    parameters = {
        "sources": int(sources.size),
        "eligible_sources": int(eligible.size),
        "groups": len(sizes),
        "k": "size of the source's group minus one (R-precision)",
        "seed": seed,
    }
    return EvaluationResult("core", dataset, parameters, results)


def evaluate_circles(
    G: nx.Graph | CompactGraph,
    circles: Mapping[Hashable, Mapping[str, list[Hashable]]],
    *,
    n_null: int = 20,
    seed: int | None = 0,
    dataset: str = "graph",
    progress: Progress = None,
) -> EvaluationResult:
    """Do an ego's labelled circles land in its trusted classes?

    For each ego with circles (SNAP ego-Facebook): its alters are its neighbours; the
    positives are the alters in at least one labelled circle. Trust is personalized
    PageRank from the ego on the ego network (ego plus alters); it drives
    :func:`trustgraph.analysis.ego.analyze_ego` as the layering strength, and the
    shares of circle members and of other alters that land in the trusted classes
    (``core`` and ``circle``) are compared.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    circles : mapping of ego to {circle name: members}
        As in ``read_graph(...).graph["circles"]`` for SNAP ego networks.
    n_null : int, default 20
        Null-model draws of the classifier's layer test (``analyze_ego``'s `n_null`).
    seed : int, optional
    dataset : str
    progress : callable(done, total), optional

    Returns
    -------
    EvaluationResult
        Rows ``PPR from ego`` and ``Appleseed from ego`` (``auc``: circle members vs other
        alters) and ``Classifier (PPR strength)`` (``trusted_share_circle``,
        ``trusted_share_other``: shares in ``core`` or ``circle``; ``core_share_circle``,
        ``core_share_other``: shares in ``core``), mean and ``_std`` over egos.

    Raises
    ------
    GraphError
        No ego with both circle members and other alters.

    Examples
    --------
    Alters 1, 2, 3 form a triangle (a labelled circle); 4 and 5 know only the ego:

    >>> import networkx as nx
    >>> G = nx.star_graph(5)
    >>> G.add_edges_from([(1, 2), (2, 3), (1, 3)])
    >>> result = evaluate_circles(G, {0: {"friends": [1, 2, 3]}})
    >>> result.results[0]["method"], result.results[0]["auc"]
    ('PPR from ego', 1.0)
    """
    from trustgraph.analysis.classify import TRUSTED_CLASSES
    from trustgraph.analysis.ego import analyze_ego

    cg = as_compact(G)
    usable = [e for e in circles if e in cg.index]
    metrics: dict[str, list[float]] = {
        key: [] for key in ("ppr", "appleseed", "circle", "other", "core_circle", "core_other")
    }
    egos_used = []
    for k, ego in enumerate(usable):
        alters = [cg.nodes[j] for j in _neighbours(cg, cg.index[ego])]
        members = {x for names in circles[ego].values() for x in names}
        is_member = np.array([x in members for x in alters])
        tick(progress, k + 1, len(usable))
        if is_member.all() or not is_member.any():
            continue
        sub = cg.subgraph([ego, *alters])
        ppr = personalized_pagerank(sub, [ego])
        energy = appleseed(sub, ego)
        metrics["ppr"].append(auc([ppr[x] for x in alters], is_member))
        metrics["appleseed"].append(auc([energy[x] for x in alters], is_member))
        analysis = analyze_ego(
            sub, [ego], strength={x: ppr[x] for x in alters}, n_null=n_null, seed=seed
        )
        trusted = np.array([analysis.classes.get(x) in TRUSTED_CLASSES for x in alters])
        core = np.array([analysis.classes.get(x) == "core" for x in alters])
        metrics["circle"].append(float(trusted[is_member].mean()))
        metrics["other"].append(float(trusted[~is_member].mean()))
        metrics["core_circle"].append(float(core[is_member].mean()))
        metrics["core_other"].append(float(core[~is_member].mean()))
        egos_used.append(ego)
    if not egos_used:
        raise GraphError("no ego has both circle members and other alters")
    rows = []
    for method, key in (("PPR from ego", "ppr"), ("Appleseed from ego", "appleseed")):
        mean, std = spread(metrics[key])
        rows.append({"method": method, "auc": mean, "auc_std": std, "n": len(egos_used)})
    row: dict = {"method": "Classifier (PPR strength)"}
    for column, key in (
        ("trusted_share_circle", "circle"),
        ("trusted_share_other", "other"),
        ("core_share_circle", "core_circle"),
        ("core_share_other", "core_other"),
    ):
        row[column], row[f"{column}_std"] = spread(metrics[key])
    row["n"] = len(egos_used)
    rows.append(row)
    parameters = {
        "egos": [e if isinstance(e, (int, str)) else str(e) for e in egos_used],
        "positives": "alters in at least one labelled circle",
        "trusted_classes": list(TRUSTED_CLASSES),
        "seed": seed,
    }
    return EvaluationResult("core", dataset, parameters, rows)


def _neighbours(cg: CompactGraph, i: int) -> list[int]:
    a = cg.adjacency
    out = a.indices[a.indptr[i] : a.indptr[i + 1]]
    if cg.directed:
        incoming = cg.reverse().adjacency
        out = np.union1d(out, incoming.indices[incoming.indptr[i] : incoming.indptr[i + 1]])
    return sorted(set(out.tolist()) - {i})
