"""Sybil-like clusters: dense groups of unaddressed contacts hanging off a few attack edges.

The Sybil attack model (Yu et al. 2006; Cao et al. 2012) splits a social graph into an
honest region and a Sybil region: an attacker can create as many accounts and as many edges
*among them* as they like, but edges to honest people (attack edges) cost social effort, so
there are few of them. Seen from one person's data, a Sybil-like cluster is therefore a
group of contacts that

* the owner never addressed (no message from the owner to any of them),
* are densely knit among themselves (they post in the same groups, follow one another), and
* are joined to the rest of the graph by few edges compared with their internal volume
  (low conductance).

:func:`sybil_like_clusters` finds such groups among given candidate nodes, measures each
group's density and conductance, flags the ones past both thresholds and lists the edges
that join the flagged groups to everyone else (the attack edges). SybilRank trust from the
trusted nodes is kept as corroborating evidence.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from trustgraph.algorithms.sybil import sybilrank
from trustgraph.core.communities import detect_communities
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import ParameterError

__all__ = ["SybilCluster", "SybilLike", "sybil_like_clusters"]


@dataclass(frozen=True)
class SybilCluster:
    """Evidence for one candidate cluster.

    Attributes
    ----------
    members : tuple
        The cluster's nodes, in graph order.
    density : float
        Share of member pairs joined by an edge (either direction), in [0, 1].
    conductance : float
        ``cut / min(volume, rest volume)`` on the undirected positive-weight graph without
        the excluded nodes: ``cut`` is the weight of edges leaving the cluster, ``volume``
        the summed weighted degree of its members.
    cut_weight, volume : float
        The two terms above (each undirected edge weight counted once in ``cut``).
    honest_edges : int
        Edges (undirected, counted once) between the cluster and the
        honest side: nodes that are neither candidates nor excluded (the attack edges when
        flagged).
    trusted_edges : int
        Of those, edges to the given trusted nodes.
    trust_ratio : float or None
        Median SybilRank trust of the members divided by the median of the trusted nodes
        (degree-normalised, seeded from the trusted nodes); ``None`` when not computed.
    flagged : bool
        Dense enough and poorly connected enough to be Sybil-like.
    """

    members: tuple[Hashable, ...]
    density: float
    conductance: float
    cut_weight: float
    volume: float
    honest_edges: int
    trusted_edges: int
    trust_ratio: float | None
    flagged: bool

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)

    def as_dict(self) -> dict[str, Any]:
        """Plain values (members as a list) for reports."""
        return {
            "size": self.size,
            "members": list(self.members),
            "density": round(self.density, 4),
            "conductance": round(self.conductance, 4),
            "cut_weight": round(self.cut_weight, 4),
            "volume": round(self.volume, 4),
            "honest_edges": self.honest_edges,
            "trusted_edges": self.trusted_edges,
            "trust_ratio": None if self.trust_ratio is None else round(self.trust_ratio, 4),
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class SybilLike:
    """Result of :func:`sybil_like_clusters`.

    Attributes
    ----------
    clusters : tuple of SybilCluster
        Every candidate cluster of at least `min_size` members, flagged ones first, then by
        conductance.
    flagged : frozenset
        Members of flagged clusters.
    attack_edges : tuple of (node, node)
        ``(cluster member, honest node)`` for every edge (either direction) between a
        flagged cluster and a node that is neither a candidate nor excluded (trusted nodes
        and, for an ego, everyone the owner wrote to or who is not a contact); in graph
        order. Edges to other candidates are not counted: their honesty is unknown.
    parameters : dict
        The thresholds used.
    """

    clusters: tuple[SybilCluster, ...]
    flagged: frozenset
    attack_edges: tuple[tuple[Hashable, Hashable], ...]
    parameters: dict[str, Any] = field(default_factory=dict)


def _undirected_positive(cg: CompactGraph, dropped: np.ndarray) -> sp.csr_array:
    """Symmetric weights ``w_uv + w_vu`` of positive edges, dropped nodes and loops removed.

    Weights near the float limit are taken in units of the largest one: density,
    conductance and trust ratios are ratios of weight sums, unchanged by one unit, and the
    sums then stay finite.
    """
    rows, cols = cg.edge_arrays()
    keep = (cg.weights > 0) & (rows != cols) & ~dropped[rows] & ~dropped[cols]
    n = cg.n_nodes
    largest = float(cg.weights[keep].max()) if keep.any() else 1.0
    unit = largest if largest > 1e290 else 1.0
    A = sp.csr_array((cg.weights[keep] / unit, (rows[keep], cols[keep])), shape=(n, n))
    return (A + A.T).tocsr()


def _groups(
    W: sp.csr_array, candidates: np.ndarray, min_size: int, min_density: float, seed: int | None
) -> list[np.ndarray]:
    """Connected components of the candidates; a sparse component is split by Louvain."""
    sub = W[candidates][:, candidates]
    n_parts, labels = connected_components(sub, directed=False)
    groups: list[np.ndarray] = []
    for part in range(n_parts):
        local = np.flatnonzero(labels == part)
        if local.size < min_size:
            continue
        if _density(sub, local) >= min_density:
            groups.append(candidates[local])
            continue
        # A loose component can still hide a dense core: split it into communities.
        H = nx.from_scipy_sparse_array(sub[local][:, local])
        for community in detect_communities(H, method="louvain", weight="weight", seed=seed):
            if len(community) >= min_size:
                groups.append(candidates[local[np.fromiter(sorted(community), dtype=np.int64)]])
    return groups


def _density(W: sp.csr_array, members: np.ndarray) -> float:
    k = members.size
    if k < 2:
        return 0.0
    inner = W[members][:, members]
    linked = int((inner > 0).sum()) // 2  # symmetric: each pair appears twice
    return linked / (k * (k - 1) / 2)


def _checked(
    min_size: int, min_density: float, max_conductance: float, max_trust_ratio: float | None
) -> dict[str, Any]:
    """The thresholds of :func:`sybil_like_clusters`, checked, as the result reports them."""
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 2:
        raise ParameterError(f"min_size must be an integer >= 2, got {min_size!r}")
    if not 0.0 <= min_density <= 1.0:
        raise ParameterError(f"min_density must be in [0, 1], got {min_density!r}")
    if not 0.0 <= max_conductance <= 1.0:
        raise ParameterError(f"max_conductance must be in [0, 1], got {max_conductance!r}")
    if max_trust_ratio is not None and not max_trust_ratio >= 0.0:
        raise ParameterError(f"max_trust_ratio must be >= 0, got {max_trust_ratio!r}")
    return {
        "min_size": min_size,
        "min_density": min_density,
        "max_conductance": max_conductance,
        "max_trust_ratio": max_trust_ratio,
    }


def sybil_like_clusters(
    G: nx.Graph | CompactGraph,
    seeds: Iterable[Hashable] | None = None,
    *,
    candidates: Iterable[Hashable] | None = None,
    exclude: Sequence[Hashable] = (),
    min_size: int = 3,
    min_density: float = 0.5,
    max_conductance: float = 0.1,
    max_trust_ratio: float | None = None,
    seed: int | None = 0,
    trusted: Iterable[Hashable] | None = None,
) -> SybilLike:
    """Find dense, poorly connected clusters among untrusted nodes (Sybil-like regions).

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Conversation or social graph; directions are ignored (``w_uv + w_vu``), only
        positive weights count.
    seeds : iterable of nodes
        The trust seeds: the honest region's known members (for an ego: core, circle and
        acquaintances); they are never candidates, and they seed the SybilRank evidence.
    candidates : iterable of nodes, optional
        Nodes that may belong to a Sybil-like cluster (for an ego: contacts the owner never
        wrote to). Default: every node not trusted and not excluded.
    exclude : sequence of nodes
        Nodes removed from the graph before measuring (the owner, whose star touches every
        contact, including Sybils that added them to their groups).
    min_size : int, default 3
        Smallest cluster considered: two accounts are a pair, not a region.
    min_density : float, default 0.5
        Smallest share of member pairs that must be linked. Sybil accounts can link as
        densely as they like at no cost; honest acquaintances of one another rarely all know
        each other.
    max_conductance : float, default 0.1
        Largest ``cut / min(volume, rest volume)``: at most one unit of edge weight leaving
        the cluster for every ten units of its members' weighted degree, the "few attack
        edges" of the Sybil model. Both ratios are size-free.
    max_trust_ratio : float, optional
        Also require the members' median SybilRank trust to be at most this fraction of the
        trusted nodes' median (corroboration by the random-walk view); ``None`` (default)
        reports the ratio without using it.
    seed : int or None, default 0
        Louvain's randomness (used only to split sparse components).
    trusted : iterable of nodes, optional
        Deprecated name of `seeds` (one name per concept); it warns.

    Returns
    -------
    SybilLike

    Raises
    ------
    ParameterError
        A threshold outside its domain, or both `seeds` and `trusted` (or neither).

    See Also
    --------
    trustgraph.sybilrank : trust from seeds by a short random walk.
    trustgraph.analysis.ego.analyze_ego : runs this on an ego's strangers.

    Notes
    -----
    Candidates are grouped by connected components of the subgraph they induce; a component
    below `min_density` is split into Louvain communities, each tested on its own. For a
    cluster ``S`` of ``k`` members on the symmetric weight matrix ``W``:
    ``density = |{u < v in S : W_uv > 0}| / (k (k - 1) / 2)`` and
    ``conductance = W(S, V \\ S) / min(vol S, vol V \\ S)`` (Kannan, Vempala and Vetta's
    cluster quality; ``g``, the number of attack edges of Yu et al., is the number of
    edges in the cut). Cost: ``O(m)`` for the measures plus Louvain on sparse components.
    SybilRank runs ``ceil(log2 n)`` steps from the trusted nodes (Cao et al.); its trust,
    divided by degree, is the evidence ``trust_ratio``.

    References
    ----------
    .. [1] H. Yu, M. Kaminsky, P. B. Gibbons, A. Flaxman, "SybilGuard: defending against
       Sybil attacks via social networks", SIGCOMM 2006.
    .. [2] Q. Cao, M. Sirivianos, X. Yang, T. Pregueiro, "Aiding the detection of fake
       accounts in large scale social online services", NSDI 2012.
    .. [3] R. Kannan, S. Vempala, A. Vetta, "On clusterings: good, bad and spectral",
       J. ACM 51(3), 2004.

    Examples
    --------
    Five honest friends who all know each other, five accounts that all know each other,
    one edge between the groups. Each side has ``10`` edges, volume ``2 * 10 + 1 = 21``,
    so the conductance is ``1 / 21``:

    >>> import networkx as nx
    >>> G = nx.complete_graph(["a", "b", "c", "d", "e"])
    >>> G.add_edges_from(nx.complete_graph(["s0", "s1", "s2", "s3", "s4"]).edges)
    >>> G.add_edge("s0", "e")
    >>> found = sybil_like_clusters(G, ["a", "b", "c", "d", "e"])
    >>> sorted(found.flagged), found.attack_edges
    (['s0', 's1', 's2', 's3', 's4'], (('s0', 'e'),))
    >>> round(found.clusters[0].conductance, 4), found.clusters[0].density
    (0.0476, 1.0)
    """
    parameters = _checked(min_size, min_density, max_conductance, max_trust_ratio)
    cg = as_compact(G)
    n = cg.n_nodes
    dropped = np.zeros(n, dtype=bool)
    dropped[[cg.index[x] for x in exclude if x in cg]] = True
    is_trusted = np.zeros(n, dtype=bool)
    is_trusted[[cg.index[x] for x in _seeds(seeds, trusted) if x in cg]] = True
    if candidates is None:
        is_candidate = ~is_trusted & ~dropped
    else:
        is_candidate = np.zeros(n, dtype=bool)
        is_candidate[[cg.index[x] for x in candidates if x in cg]] = True
        is_candidate &= ~is_trusted & ~dropped
    W = _undirected_positive(cg, dropped)
    degree = np.asarray(W.sum(axis=1)).ravel()
    total_volume = float(degree.sum())
    groups = _groups(W, np.flatnonzero(is_candidate), min_size, min_density, seed)

    trust_ratio = _trust_ratios(cg, W, degree, is_trusted, groups) if groups else []
    honest_side = ~is_candidate & ~dropped
    pattern = (W > 0).astype(np.int8).tocsr()
    clusters: list[SybilCluster] = []
    for members, ratio in zip(groups, trust_ratio or [None] * len(groups)):
        inside = np.zeros(n, dtype=bool)
        inside[members] = True
        volume = float(degree[members].sum())
        cut = float(W[members][:, ~inside].sum()) if (~inside).any() else 0.0
        smaller = min(volume, total_volume - volume)
        conductance = cut / smaller if smaller > 0 else (0.0 if cut == 0 else 1.0)
        density = _density(W, members)
        flagged = density >= min_density and conductance <= max_conductance
        if max_trust_ratio is not None and ratio is not None:
            flagged = flagged and ratio <= max_trust_ratio
        clusters.append(
            SybilCluster(
                members=tuple(cg.nodes[i] for i in members.tolist()),
                density=density,
                conductance=conductance,
                cut_weight=cut,
                volume=volume,
                honest_edges=int(pattern[members][:, honest_side].sum()),
                trusted_edges=int(pattern[members][:, is_trusted].sum()),
                trust_ratio=ratio,
                flagged=flagged,
            )
        )
    clusters.sort(key=lambda c: (not c.flagged, c.conductance, -c.size))
    flagged_mask = np.zeros(n, dtype=bool)
    for cluster in clusters:
        if cluster.flagged:
            flagged_mask[[cg.index[m] for m in cluster.members]] = True
    attack = _attack_edges(cg, flagged_mask, honest_side)
    return SybilLike(
        clusters=tuple(clusters),
        flagged=frozenset(cg.nodes[i] for i in np.flatnonzero(flagged_mask).tolist()),
        attack_edges=attack,
        parameters=parameters,
    )


def _attack_edges(
    cg: CompactGraph, flagged: np.ndarray, honest_side: np.ndarray
) -> tuple[tuple[Hashable, Hashable], ...]:
    """``(flagged member, honest node)`` pairs with a positive edge either way."""
    if not flagged.any():
        return ()
    rows, cols = cg.edge_arrays()
    positive = cg.weights > 0
    leaving = positive & flagged[rows] & honest_side[cols]
    entering = positive & flagged[cols] & honest_side[rows]
    inner = np.concatenate([rows[leaving], cols[entering]])
    outer = np.concatenate([cols[leaving], rows[entering]])
    keys = np.unique(inner * cg.n_nodes + outer)
    return tuple((cg.nodes[k // cg.n_nodes], cg.nodes[k % cg.n_nodes]) for k in keys.tolist())


def _trust_ratios(
    cg: CompactGraph,
    W: sp.csr_array,
    degree: np.ndarray,
    is_trusted: np.ndarray,
    groups: list[np.ndarray],
) -> list[float | None]:
    """Median degree-normalised SybilRank trust per group over the trusted nodes' median."""
    seeds = np.flatnonzero(is_trusted & (degree > 0))
    if seeds.size == 0:
        return [None] * len(groups)
    undirected = CompactGraph(cg.nodes, W, directed=False)
    trust = sybilrank(undirected, [cg.nodes[i] for i in seeds.tolist()], normalize=True)
    values = np.array([trust[v] for v in cg.nodes], dtype=np.float64)
    reference = float(np.median(values[seeds]))
    if reference <= 0:
        return [None] * len(groups)
    return [float(np.median(values[members])) / reference for members in groups]


def _seeds(seeds: Iterable[Hashable] | None, trusted: Iterable[Hashable] | None) -> list[Hashable]:
    """The trust seeds, under their name or (deprecated) as ``trusted``."""
    if trusted is not None:
        if seeds is not None:
            raise ParameterError("give seeds or its old name trusted, not both")
        warnings.warn(
            "sybil_like_clusters(trusted=...) is deprecated; pass the seeds as seeds=",
            DeprecationWarning,
            stacklevel=3,
        )
        seeds = trusted
    if seeds is None:
        raise ParameterError("sybil_like_clusters needs the trust seeds (seeds=)")
    return list(seeds)
