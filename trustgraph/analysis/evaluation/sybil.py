"""Sybil attack simulation: a synthetic Sybil region, g attack edges, AUC against g."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.algorithms.registry import get_method
from trustgraph.algorithms.sybil import community_seeds
from trustgraph.analysis.evaluation._common import Progress, tick
from trustgraph.analysis.evaluation.contenders import choose, labels, metric
from trustgraph.analysis.evaluation.metrics import auc, spread
from trustgraph.analysis.evaluation.results import EvaluationResult
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.datasets import attach_sybil_region
from trustgraph.exceptions import GraphError, ParameterError

__all__ = [
    "SYBIL_CONTENDERS",
    "SYBIL_METHODS",
    "accepted_sybils_per_attack_edge",
    "evaluate_sybil",
]

#: The defences, all ranking from the same honest seeds (TrustRank is personalized PageRank
#: from the seeds; its label was "PPR/TrustRank" before).
SYBIL_CONTENDERS = (
    metric("sybilrank"),
    metric("sybilscar"),
    metric("trustrank", legacy=("PPR/TrustRank",)),
    metric("eigentrust"),
    metric("appleseed"),
)
SYBIL_METHODS = labels(SYBIL_CONTENDERS)
SEEDINGS = ("community", "random")

#: ``attach(honest, *, n_attack_edges, region, targeting, seeds, seed)`` ->
#: ``(graph, sybil_nodes, attack_edges)``, as :func:`trustgraph.datasets.attach_sybil_region`.
SybilAttacher = Callable[..., tuple[CompactGraph, list, list]]


def accepted_sybils_per_attack_edge(
    scores: np.ndarray, is_sybil: np.ndarray, n_attack_edges: int
) -> float:
    """Sybils ranked among the top ``n_honest`` places, divided by the attack edges g.

    The cut is at the number of honest nodes: a defence that accepts as many accounts as
    there are honest people accepts this many Sybils per attack edge (SybilLimit's and
    SybilRank's unit). Nodes are ranked by decreasing score; ties keep the array order,
    which the protocol shuffles.

    Examples
    --------
    >>> accepted_sybils_per_attack_edge(np.array([0.9, 0.8, 0.7, 0.1]),
    ...                                 np.array([False, True, False, True]), 1)
    1.0
    """
    is_sybil = np.asarray(is_sybil, dtype=bool)
    if n_attack_edges < 1:
        return float("nan")
    n_honest = int((~is_sybil).sum())
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    return float(is_sybil[order[:n_honest]].sum() / n_attack_edges)


def evaluate_sybil(
    G: nx.Graph | CompactGraph,
    *,
    attack_edges: Sequence[int] = (10, 100, 500, 1000),
    repetitions: int = 3,
    region: str = "copy",
    targeting: str = "random",
    seeding: str = "community",
    n_seeds: int = 10,
    per_community: int = 2,
    methods: tuple[str, ...] | None = None,
    weight: str | None = "weight",
    seed: int | None = 0,
    dataset: str = "graph",
    progress: Progress = None,
    attach: SybilAttacher = attach_sybil_region,
) -> EvaluationResult:
    """Attach a Sybil region through g attack edges and score each defence's ranking.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        The honest region (a real social graph).
    attack_edges : sequence of int, default (10, 100, 500, 1000)
        The values of g.
    repetitions : int, default 3
        Independent draws (attack edges, seeds, node shuffle) per g; rows report the mean
        and the sample standard deviation.
    region : {"copy", "powerlaw", "random"}, default "copy"
        Shape of the Sybil region (:func:`trustgraph.datasets.attach_sybil_region`).
    targeting : {"random", "degree", "seeds"}, default "random"
        Honest endpoints of the attack edges: uniform, degree-proportional, or the trusted
        seeds themselves.
    seeding : {"community", "random"}, default "community"
        ``community``: `per_community` seeds in each Louvain community of the honest graph
        (:func:`trustgraph.community_seeds`), as the SybilRank paper prescribes;
        ``random``: `n_seeds` honest nodes drawn uniformly.
    n_seeds, per_community : int
    methods : tuple of str, optional
        A subset of :data:`SYBIL_METHODS` (labels, or registry names such as
        ``"trustrank"``).
    weight : str or None, default "weight"
    seed : int, optional
    dataset : str
    progress : callable(done, total), optional
    attach : callable, default :func:`trustgraph.datasets.attach_sybil_region`
        The generator of the attacked graph, called as ``attach(honest, n_attack_edges=g,
        region=..., targeting=..., seeds=..., seed=...)``; it returns ``(graph, sybils,
        attack_edges)`` where ``graph.node_attrs["sybil"]`` marks the Sybils.

    Returns
    -------
    EvaluationResult
        One row per (method, g): ``auc`` (honest ranked above Sybil; ties count one half)
        and ``accepted_sybils_per_attack_edge`` (see
        :func:`accepted_sybils_per_attack_edge`), each with ``_std``.

    Raises
    ------
    ParameterError
        Bad `attack_edges`, `repetitions`, `seeding`, `n_seeds` or method name.
    GraphError
        An empty honest graph.

    Notes
    -----
    Every method ranks from the same honest seeds: SybilRank (``ceil(log2 n)`` steps,
    degree-normalised), SybilSCAR (benign labels only, ``θ = 0.9``, ŵ at 0.9 of the
    convergence bound), TrustRank (personalized PageRank from the seeds, damping 0.85),
    EigenTrust (the seeds as pre-trusted peers, damping 0.85) and Appleseed (one run per
    seed, energies summed). Before ranking the node order is shuffled, so that
    tie-breaking by position gives no method an edge; the AUC itself uses midranks and
    ignores order.

    References
    ----------
    Q. Cao et al. "Aiding the Detection of Fake Accounts in Large Scale Social Online
    Services." NSDI 2012. B. Wang, L. Zhang, N. Z. Gong. "SybilSCAR." INFOCOM 2017.

    Examples
    --------
    >>> import networkx as nx
    >>> honest = nx.connected_caveman_graph(4, 6)
    >>> result = evaluate_sybil(honest, attack_edges=(2,), repetitions=1,
    ...                         methods=("SybilRank",), seed=1)
    >>> row = result.results[0]
    >>> row["method"], row["attack_edges"], row["auc"] > 0.9
    ('SybilRank', 2, True)
    """
    chosen = choose(SYBIL_CONTENDERS, methods)
    g_values = _check_protocol(attack_edges, repetitions, seeding)
    honest = as_compact(G, weight=weight)
    if honest.n_nodes == 0 or honest.n_stored == 0:
        raise GraphError("the honest graph has no edges")
    if seeding == "random" and not 1 <= n_seeds <= honest.n_nodes:
        raise ParameterError(f"n_seeds must be in [1, {honest.n_nodes}], got {n_seeds}")
    method_of = {c.label: c.method for c in SYBIL_CONTENDERS}
    rng = np.random.default_rng(seed)
    collected: dict[tuple[str, int], dict[str, list[float]]] = {
        (name, g): {"auc": [], "accepted": []} for g in g_values for name in chosen
    }
    seed_counts = []
    total, done = len(g_values) * int(repetitions), 0
    for _ in range(int(repetitions)):
        seeds = _draw_seeds(honest, seeding, rng, per_community=per_community, n_seeds=n_seeds)
        seed_counts.append(len(seeds))
        for g in g_values:
            graph, _, _ = attach(
                honest,
                n_attack_edges=g,
                region=region,
                targeting=targeting,
                seeds=seeds if targeting == "seeds" else None,
                seed=int(rng.integers(2**31)),
            )
            shuffled, perm = _shuffled(graph, rng)
            is_sybil = np.asarray(graph.node_attrs["sybil"], dtype=bool)[perm]
            for name in chosen:
                scores = _rank(method_of[name], shuffled, seeds)
                collected[(name, g)]["auc"].append(auc(scores, ~is_sybil))
                collected[(name, g)]["accepted"].append(
                    accepted_sybils_per_attack_edge(scores, is_sybil, g)
                )
            done += 1
            tick(progress, done, total)
    parameters = {
        "honest_nodes": honest.n_nodes,
        "honest_edges": honest.n_edges,
        "region": region,
        "targeting": targeting,
        "seeding": seeding,
        "seeds_per_repetition": seed_counts,
        "per_community": per_community if seeding == "community" else None,
        "n_seeds": n_seeds if seeding == "random" else None,
        "repetitions": int(repetitions),
        "attack_edges": g_values,
        "accepted_cut": "top n_honest places",
        "seed": seed,
    }
    return EvaluationResult("sybil", dataset, parameters, _rows(chosen, g_values, collected))


def _check_protocol(attack_edges: Sequence[int], repetitions: int, seeding: str) -> list[int]:
    """The values of g, after checking the protocol's parameters."""
    if seeding not in SEEDINGS:
        raise ParameterError(f"seeding must be one of {SEEDINGS}, got {seeding!r}")
    g_values = [int(g) for g in attack_edges]
    if not g_values or any(g < 1 for g in g_values):
        raise ParameterError(f"attack_edges must be positive integers, got {attack_edges!r}")
    if isinstance(repetitions, bool) or int(repetitions) < 1:
        raise ParameterError(f"repetitions must be >= 1, got {repetitions!r}")
    return g_values


def _draw_seeds(
    honest: CompactGraph,
    seeding: str,
    rng: np.random.Generator,
    *,
    per_community: int,
    n_seeds: int,
) -> list[Hashable]:
    """One repetition's trusted seeds: per community, or drawn uniformly."""
    if seeding == "community":
        return community_seeds(honest, per_community=per_community, seed=int(rng.integers(2**31)))
    picked = rng.choice(honest.n_nodes, size=n_seeds, replace=False)
    return [honest.nodes[i] for i in picked.tolist()]


def _rows(
    chosen: Sequence[str], g_values: list[int], collected: dict[tuple[str, int], dict]
) -> list[dict]:
    """One row per (method, g): means and sample standard deviations over repetitions."""
    results = []
    for name in chosen:
        for g in g_values:
            values = collected[(name, g)]
            auc_mean, auc_std = spread(values["auc"])
            acc_mean, acc_std = spread(values["accepted"])
            results.append(
                {
                    "method": name,
                    "attack_edges": g,
                    "auc": auc_mean,
                    "auc_std": auc_std,
                    "accepted_sybils_per_attack_edge": acc_mean,
                    "accepted_sybils_per_attack_edge_std": acc_std,
                }
            )
    return results


def _shuffled(graph: CompactGraph, rng: np.random.Generator) -> tuple[CompactGraph, np.ndarray]:
    """The same graph with its node order permuted (attributes dropped), and the order."""
    perm = rng.permutation(graph.n_nodes)
    matrix = sp.csr_array(graph.adjacency[perm][:, perm])
    nodes = [graph.nodes[i] for i in perm.tolist()]
    return CompactGraph(nodes, matrix, directed=graph.directed), perm


def _rank(method: str, graph: CompactGraph, seeds: list[Hashable]) -> np.ndarray:
    """Scores of the registry's metric from the seeds; a one-source metric (Appleseed) runs
    once per seed and its scores are summed."""
    entry = get_method(method)
    n = graph.n_nodes
    if entry.seeds == "one":
        total = np.zeros(n)
        for s in seeds:
            total += np.fromiter(entry.function(graph, s).values(), float, n)
        return total
    return np.fromiter(entry.function(graph, seeds).values(), float, n)
