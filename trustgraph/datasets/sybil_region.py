"""A Sybil region joined to an honest graph through a chosen number of attack edges."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from trustgraph.core.compact import CompactGraph, _attr_default, as_compact
from trustgraph.datasets.powerlaw import _csr, _random_graph, powerlaw_graph
from trustgraph.exceptions import GraphError, ParameterError

__all__ = ["attach_sybil_region"]

_REGIONS = ("copy", "powerlaw", "random")
_TARGETING = ("random", "degree", "seeds")


def attach_sybil_region(
    G: nx.Graph | CompactGraph,
    *,
    n_attack_edges: int,
    region: str = "copy",
    n_sybils: int | None = None,
    targeting: str = "random",
    seeds: Iterable[Hashable] | None = None,
    attack_weight: float = 1.0,
    weight: str | None = "weight",
    seed: int | None = 0,
) -> tuple[CompactGraph, list[str], list[tuple[Hashable, str]]]:
    """Join a Sybil region to an honest graph through exactly `n_attack_edges` edges.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        The honest region.
    n_attack_edges : int
        Number ``g`` of distinct (honest, Sybil) pairs joined by an attack edge.
    region : {"copy", "powerlaw", "random"}, default "copy"
        ``copy``: the Sybil region is a copy of the honest graph (same edges and weights;
        Sybil ``sybil-i`` copies honest node number ``i``), as in the ego-facebook
        experiment. ``powerlaw``: :func:`powerlaw_graph` with the honest edge count and one
        community. ``random``: a uniform random graph with the honest edge count.
    n_sybils : int, optional
        Size of a ``powerlaw`` or ``random`` region (default: the honest node count). A copy
        always has the honest size.
    targeting : {"random", "degree", "seeds"}, default "random"
        How the attacker picks honest endpoints: uniformly, in proportion to degree (popular
        people), or among `seeds` (the trusted nodes themselves: a targeted attack).
    seeds : iterable of nodes, optional
        Honest nodes for ``targeting="seeds"``.
    attack_weight : float, default 1.0
        Weight of every attack edge.
    weight : str or None, default "weight"
        Edge attribute of a networkx `G` used as weight (see :func:`as_compact`).
    seed : int or None, default 0
        Seed of the random generator (the package-wide default 0; None draws fresh
        randomness).

    Returns
    -------
    graph : CompactGraph
        Honest nodes first (in their order), then the Sybils; ``node_attrs["sybil"]`` is
        ``True`` for Sybils. Honest edge attributes are kept; Sybil-region and attack edges
        get the attribute's neutral value (``count`` 1, ``declared_only`` False, times NaN),
        except that a copy copies them.
    sybil_nodes : list of str
        ``["sybil-0", "sybil-1", ...]``.
    attack_edges : list of (honest, sybil)
        The planted pairs. On a directed graph each is stored in both directions (the
        honest person trusts the Sybil back), so ``2 g`` stored entries are added.

    Raises
    ------
    ParameterError
        On an unknown `region` or `targeting`, missing `seeds`, or more attack edges than
        possible pairs.
    GraphError
        If an honest node is already labelled ``sybil-<i>``.

    Notes
    -----
    The attack model of SybilGuard, SybilLimit, SybilRank and SybilSCAR (ALGORITHMS.md
    §10.1): a fast-mixing honest region, a Sybil region of any shape, and ``g`` attack edges
    between them; detectors are scored by AUC against ``g``.

    References
    ----------
    .. [1] Q. Cao, M. Sirivianos, X. Yang, T. Pregueiro, "Aiding the detection of fake
       accounts in large scale social online services", NSDI 2012.
    .. [2] B. Wang, L. Zhang, N. Z. Gong, "SybilSCAR: Sybil detection in online social
       networks via local rule based propagation", INFOCOM 2017.

    Examples
    --------
    >>> import networkx as nx
    >>> honest = nx.karate_club_graph()
    >>> graph, sybils, attack = attach_sybil_region(honest, n_attack_edges=3, seed=1)
    >>> graph.n_nodes, len(sybils), len(attack)
    (68, 34, 3)
    >>> graph.n_edges == 2 * honest.number_of_edges() + 3
    True
    """
    if region not in _REGIONS:
        raise ParameterError(f"region must be one of {_REGIONS}, got {region!r}")
    if targeting not in _TARGETING:
        raise ParameterError(f"targeting must be one of {_TARGETING}, got {targeting!r}")
    if n_attack_edges < 0:
        raise ParameterError(f"n_attack_edges must be >= 0, got {n_attack_edges}")
    honest = as_compact(G, weight=weight)
    if honest.n_nodes == 0:
        raise GraphError("the honest graph has no nodes")
    rng = np.random.default_rng(seed)
    sybil = _sybil_part(honest, region, n_sybils, rng)
    s = sybil.n
    sybil_labels = [f"sybil-{i}" for i in range(s)]
    clash = next((label for label in sybil_labels if label in honest.index), None)
    if clash is not None:
        raise GraphError(f"honest node {clash!r} already uses a Sybil label")
    candidates, probs = _attack_candidates(honest, targeting, seeds)
    if n_attack_edges > candidates.size * s:
        raise ParameterError(
            f"n_attack_edges ({n_attack_edges}) exceeds the {candidates.size * s} possible pairs"
        )
    keys = np.empty(0, dtype=np.int64)
    while keys.size < n_attack_edges:
        batch = 2 * (n_attack_edges - keys.size) + 8
        h = candidates[rng.choice(candidates.size, size=batch, p=probs)]
        y = rng.integers(0, s, size=batch)
        merged = np.concatenate([keys, h * s + y])
        _, first = np.unique(merged, return_index=True)
        keys = merged[np.sort(first)][:n_attack_edges]
    a_honest, a_sybil = keys // s, keys % s
    graph = _joined(honest, sybil, a_honest, a_sybil, float(attack_weight), sybil_labels, region)
    honest_nodes = honest.nodes
    attack = [
        (honest_nodes[h], sybil_labels[y]) for h, y in zip(a_honest.tolist(), a_sybil.tolist())
    ]
    return graph, sybil_labels, attack


@dataclass(frozen=True)
class _SybilPart:
    """The Sybil region's edges in its own numbering ``0 .. n - 1``."""

    n: int
    rows: np.ndarray
    cols: np.ndarray
    data: np.ndarray
    attrs: dict[str, np.ndarray]


def _sybil_part(
    honest: CompactGraph, region: str, n_sybils: int | None, rng: np.random.Generator
) -> _SybilPart:
    h_rows, h_cols = honest.edge_arrays()
    h_attrs = dict(honest.edge_attrs)
    if region == "copy":
        rows, cols = h_rows.astype(np.int64), h_cols.astype(np.int64)
        return _SybilPart(honest.n_nodes, rows, cols, honest.weights, h_attrs)
    s = honest.n_nodes if n_sybils is None else int(n_sybils)
    if s < 2:
        raise ParameterError(f"n_sybils must be at least 2, got {s}")
    if region == "powerlaw":
        sybil_graph = powerlaw_graph(
            s,
            honest.n_edges,
            n_communities=1,
            seed=int(rng.integers(2**63)),
            directed=honest.directed,
            weighted=False,
        )
    else:
        sybil_graph = _random_graph(rng, s, honest.n_edges, directed=honest.directed)
    s_rows, s_cols = sybil_graph.edge_arrays()
    s_rows, s_cols = s_rows.astype(np.int64), s_cols.astype(np.int64)
    attrs = {name: _neutral(name, values, s_rows.size) for name, values in h_attrs.items()}
    return _SybilPart(s, s_rows, s_cols, sybil_graph.weights, attrs)


def _attack_candidates(
    honest: CompactGraph, targeting: str, seeds: Iterable[Hashable] | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Honest endpoints an attacker may pick, and their probabilities (None: uniform)."""
    if targeting == "seeds":
        if seeds is None:
            raise ParameterError('targeting="seeds" needs seeds')
        seed_list = list(dict.fromkeys(seeds))
        if not seed_list:
            raise ParameterError('targeting="seeds" needs at least one seed')
        unknown = [x for x in seed_list if x not in honest]
        if unknown:
            raise ParameterError(f"seed {unknown[0]!r} is not an honest node")
        return np.array([honest.index[x] for x in seed_list], dtype=np.int64), None
    if targeting == "degree":
        degree = (honest.out_degree() + honest.in_degree()).astype(np.float64)
        if degree.sum() == 0:
            raise GraphError("targeting='degree' needs an honest graph with edges")
        # Isolated nodes cannot be drawn; leaving them out keeps the pair count below honest.
        candidates = np.flatnonzero(degree)
        return candidates, degree[candidates] / degree.sum()
    return np.arange(honest.n_nodes), None


def _joined(
    honest: CompactGraph,
    sybil: _SybilPart,
    a_honest: np.ndarray,
    a_sybil: np.ndarray,
    attack_weight: float,
    sybil_labels: list[str],
    region: str,
) -> CompactGraph:
    """Honest nodes, then Sybils; the attack edges stored in both directions."""
    n, s = honest.n_nodes, sybil.n
    h_rows, h_cols = honest.edge_arrays()
    h_rows, h_cols = h_rows.astype(np.int64), h_cols.astype(np.int64)
    a_rows = np.concatenate([a_honest, a_sybil + n])
    a_cols = np.concatenate([a_sybil + n, a_honest])
    rows = np.concatenate([h_rows, sybil.rows + n, a_rows])
    cols = np.concatenate([h_cols, sybil.cols + n, a_cols])
    data = np.concatenate(
        [honest.weights, sybil.data, np.full(a_rows.size, attack_weight)]
    ).astype(np.float64)
    matrix, order = _csr(rows, cols, data, n + s)
    attrs = {
        name: np.concatenate([values, sybil.attrs[name], _neutral(name, values, a_rows.size)])[
            order
        ]
        for name, values in honest.edge_attrs.items()
    }
    columns = {name: [*values, *([None] * s)] for name, values in honest.node_attrs.items()}
    columns["sybil"] = [False] * n + [True] * s
    return CompactGraph(
        (*honest.nodes, *sybil_labels),
        matrix,
        directed=honest.directed,
        edge_attrs=attrs,
        node_attrs=columns,
        graph_attrs={**honest.graph_attrs, "sybil_region": region, "attack_edges": a_honest.size},
    )


def _neutral(name: str, like: np.ndarray, size: int) -> np.ndarray:
    """An attribute column of `size` neutral values with the dtype of `like`."""
    value = _attr_default(name)
    if like.dtype.kind in "iub" and isinstance(value, float) and math.isnan(value):
        value = 0
    return np.full(size, value, dtype=like.dtype)
