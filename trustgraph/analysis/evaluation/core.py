"""Core recovery: does trust from one person single out their own group?"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np

from trustgraph.algorithms.paths import moletrust
from trustgraph.algorithms.random_walk import pagerank, personalized_pagerank
from trustgraph.algorithms.spreading import appleseed
from trustgraph.analysis.classify import TRUSTED_CLASSES
from trustgraph.analysis.ego import analyze_ego
from trustgraph.analysis.evaluation._common import Progress, tick
from trustgraph.analysis.evaluation.contenders import Contender, choose, labels, metric
from trustgraph.analysis.evaluation.metrics import auc, precision_at_k, spread
from trustgraph.analysis.evaluation.results import EvaluationResult
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import GraphError, ParameterError

__all__ = ["CORE_CONTENDERS", "CORE_METHODS", "evaluate_circles", "evaluate_core"]

#: Trust from the source (personalized PageRank, Appleseed, MoleTrust) and global PageRank,
#: a baseline that ignores who asks.
CORE_CONTENDERS = (
    metric("ppr"),
    metric("appleseed"),
    metric("moletrust"),
    metric("pagerank", "global"),
)
CORE_METHODS = labels(CORE_CONTENDERS)
#: Rows of :func:`evaluate_circles`: trust from the ego, and the classifier driven by it.
CIRCLE_CONTENDERS = (
    metric("ppr", "from ego"),
    metric("appleseed", "from ego"),
)
CLASSIFIER_ROW = f"Classifier ({metric('ppr').label} strength)"


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
        A subset of :data:`CORE_METHODS` (labels, or registry names such as ``"ppr"``):
        personalized PageRank, Appleseed and MoleTrust (horizon 3, threshold 0) from the
        source, and global PageRank as a baseline that ignores who asks.
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
    by_label = {c.label: c for c in CORE_CONTENDERS}
    chosen = [by_label[label] for label in choose(CORE_CONTENDERS, methods)]
    if isinstance(n_sources, bool) or int(n_sources) < 1:
        raise ParameterError(f"n_sources must be >= 1, got {n_sources!r}")
    cg = as_compact(G, weight=weight)
    group_of = np.array([groups.get(x) for x in cg.nodes], dtype=object)
    known = np.array([x is not None for x in group_of])
    sizes: dict[Hashable, int] = {}
    for group in group_of[known].tolist():
        sizes[group] = sizes.get(group, 0) + 1
    out_degree = np.diff(cg.adjacency.indptr)
    eligible = np.flatnonzero(
        known & (out_degree > 0) & np.array([x is not None and sizes[x] > 1 for x in group_of])
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
        if any(c.method == "pagerank" for c in chosen)
        else None
    )
    per_method = {c.label: {"auc": [], "precision_at_k": []} for c in chosen}
    for k, s in enumerate(sources.tolist()):
        positive = group_of == group_of[s]
        others = np.arange(cg.n_nodes) != s
        for contender in chosen:
            scores = _from_source(contender, cg, cg.nodes[s], global_scores)
            per_method[contender.label]["auc"].append(auc(scores[others], positive[others]))
            per_method[contender.label]["precision_at_k"].append(
                precision_at_k(scores[others], positive[others], int(positive[others].sum()))
            )
        tick(progress, k + 1, sources.size)
    results = []
    for name in per_method:
        row = {"method": name}
        for measure in ("auc", "precision_at_k"):
            row[measure], row[f"{measure}_std"] = spread(per_method[name][measure])
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


def _from_source(
    contender: Contender, cg: CompactGraph, source: Hashable, global_scores: np.ndarray | None
) -> np.ndarray:
    """Every node's score from `source` (global PageRank: the same for every source)."""
    if contender.method == "ppr":
        return np.fromiter(personalized_pagerank(cg, [source]).values(), float)
    if contender.method == "appleseed":
        return np.fromiter(appleseed(cg, source).values(), float)
    if contender.method == "moletrust":
        return np.fromiter(moletrust(cg, source, horizon=3, threshold=0.0).values(), float)
    return global_scores


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
        Rows ``personalized PageRank (from ego)`` and ``Appleseed (from ego)`` (``auc``:
        circle members vs other alters) and ``Classifier (personalized PageRank
        strength)`` (``trusted_share_circle``,
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
    ('personalized PageRank (from ego)', 1.0)
    """
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
    for contender, key in zip(CIRCLE_CONTENDERS, ("ppr", "appleseed")):
        mean, std = spread(metrics[key])
        rows.append({"method": contender.label, "auc": mean, "auc_std": std, "n": len(egos_used)})
    row: dict = {"method": CLASSIFIER_ROW}
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
