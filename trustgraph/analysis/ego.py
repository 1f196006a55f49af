"""The ego analysis: everything a report and its figures show about one person, computed once.

:func:`analyze_ego` runs named steps, each from the same graph and one
:class:`~trustgraph.analysis.parameters.EgoParameters` (whose
:class:`~trustgraph.analysis.parameters.EgoThresholds` hold every threshold of the rules):

==================  ===========================================================================
resolve owner       :func:`resolve_owner`: the owner's node ids, checked once; link overlap as
                    tie strength when the graph carries none
classes             :func:`~trustgraph.analysis.classify.classify_contacts`: the evidence of
                    every contact, its layer (circles), broadcasters, stale ties, one class
solve once          :func:`solve_trust`: the owner's personalized PageRank, reused by the
                    ranking, the trust-by-hop figure and the explanation
hops                :func:`positive_hops`: fewest positive-weight edges from the owner
reach               :func:`vouching`: path-product trust in the owner, who vouches
circles             :func:`ring_communities`: the sectors of the core map's rings
strangers           :func:`~trustgraph.analysis.clusters.stranger_clusters`: blobs by cluster
Sybil overlay       :func:`sybil_overlay`: dense clusters of unaddressed accounts, attack edges
explanation         :func:`explain_best`: why the most trusted person beyond the contacts is
==================  ===========================================================================

The report and the figures only render an :class:`EgoAnalysis`; a number that is not in it
is computed in the wrong place.

The populations every output counts (one definition each, docs/report.md's glossary):

=====================  ========================================================================
declared connections   contacts the owner declared (a contact record or a declared-only edge)
talked with            contacts the owner wrote to (one-to-one or in a shared conversation)
trusted                core and circle: active two-way ties that are not stale
core / circle          inner / outer layers of the trusted ties
stale                  former core or circle ties silent for more than ``stale_days``
broadcasters           write to the owner and are (almost) never answered, or send bulk mail
vouch for you          people whose path-product trust in the owner reaches the threshold
=====================  ========================================================================
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

from trustgraph.algorithms.random_walk import personalized_pagerank
from trustgraph.analysis.circles import Circles
from trustgraph.analysis.classify import (
    CLASSES,
    HONEST_CLASSES,
    TRUSTED_CLASSES,
    Classification,
    classify_contacts,
    observation_years,
    overlap_weights,
    structure_only,
)
from trustgraph.analysis.clusters import stranger_clusters
from trustgraph.analysis.contacts import ContactEvidence, contact_evidence, owner_indices
from trustgraph.analysis.explain import TrustExplanation, explain_trust
from trustgraph.analysis.parameters import EgoParameters, EgoThresholds
from trustgraph.analysis.reach import TrustedReach, path_trust_in, trusted_reach
from trustgraph.analysis.sybil_like import SybilCluster, SybilLike, sybil_like_clusters
from trustgraph.core.communities import detect_communities
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import ParameterError

__all__ = [
    "EgoAnalysis",
    "EgoParameters",
    "EgoThresholds",
    "analyze_ego",
    "explain_best",
    "explain_target",
    "positive_hops",
    "resolve_owner",
    "ring_communities",
    "solve_trust",
    "sybil_overlay",
    "vouching",
]

#: Above this many ring members the ring is not split into Louvain sectors (a bound on
#: computing time: the core map draws one sector per community, which no one reads past it).
RING_COMMUNITIES_MAX = 50_000


@dataclass(frozen=True)
class EgoAnalysis:
    """Everything the report and the figures show about one ego.

    Attributes
    ----------
    owner : tuple
        The ego's node ids, resolved and checked once.
    parameters : EgoParameters
    classes, layers, frequencies, broadcaster_scores, extra, stale, circles, as_of, thresholds
        As in :class:`~trustgraph.analysis.classify.Classification`.
    evidence : dict
        ``{contact: ContactEvidence}``.
    trust : dict
        ``{contact: path-product trust in the ego}`` in [0, 1].
    reach : TrustedReach
        Who vouches for the ego (path-product trust at least ``reach_threshold``).
    scores : dict
        Personalized PageRank from the owner with ``parameters.damping``, every node.
    hops : dict
        ``{node: fewest positive-weight edges from the owner}``; ``None`` when unreachable.
        Declared-only (zero-weight) ties carry no trust, so they are no hop.
    communities : dict
        ``{contact: sector}`` of the contacts drawn on the core map's rings (Louvain).
    clusters : dict
        ``{stranger: cluster label}``.
    explanation : TrustExplanation or None
        Why :attr:`target` is trusted.
    target : node or None
        The most trusted person beyond the direct contacts, else the most trusted contact.
    target_is_direct : bool
        :attr:`target` is a direct contact (no one is reached beyond them).
    sybil_like, attack_edges, sybil_clusters
        The Sybil-like overlay (see :func:`~trustgraph.analysis.sybil_like.sybil_like_clusters`):
        classes are unchanged, the overlay marks accounts never addressed by the ego that form
        a dense cluster joined to the rest by few edges.
    """

    owner: tuple[Hashable, ...]
    classes: dict[Hashable, str]
    layers: dict[Hashable, int | None]
    clusters: dict[Hashable, str]
    frequencies: dict[Hashable, float]
    trust: dict[Hashable, float]
    broadcaster_scores: dict[Hashable, float]
    evidence: dict[Hashable, ContactEvidence]
    circles: Circles
    reach: TrustedReach
    parameters: EgoParameters = field(default_factory=EgoParameters)
    stale: list[Hashable] = field(default_factory=list)
    extra: dict[Hashable, dict[str, Any]] = field(default_factory=dict)
    thresholds: dict[str, Any] = field(default_factory=dict)
    as_of: datetime | None = None
    scores: dict[Hashable, float] = field(default_factory=dict)
    hops: dict[Hashable, int | None] = field(default_factory=dict)
    communities: dict[Hashable, int] = field(default_factory=dict)
    explanation: TrustExplanation | None = None
    target: Hashable | None = None
    target_is_direct: bool = False
    sybil_like: frozenset[Hashable] = frozenset()
    attack_edges: tuple[tuple[Hashable, Hashable], ...] = ()
    sybil_clusters: tuple[SybilCluster, ...] = ()

    def members(self, cls: str) -> list[Hashable]:
        """Contacts of one class, most trusted first (personalized PageRank)."""
        if cls not in CLASSES:
            raise ParameterError(f"class must be one of {CLASSES}, got {cls!r}")
        found = [n for n, c in self.classes.items() if c == cls]
        return sorted(found, key=lambda n: -self.scores.get(n, 0.0))

    def counts(self) -> dict[str, int]:
        """Contacts per class, in :data:`~trustgraph.analysis.classify.CLASSES` order."""
        return {c: sum(1 for v in self.classes.values() if v == c) for c in CLASSES}

    def trusted(self) -> list[Hashable]:
        """Core then circle members, each most trusted first."""
        return [n for cls in TRUSTED_CLASSES for n in self.members(cls)]

    def populations(self) -> dict[str, int]:
        """The counts every output shows, each defined once (see the module docstring)."""
        counts = self.counts()
        evidence = self.evidence.values()
        found = {
            "contacts": len(self.evidence),
            "declared_connections": sum(ev.declared for ev in evidence),
            "declared_never_conversed": sum(ev.declared and not ev.conversed for ev in evidence),
            "talked_with": sum(ev.messages_out > 0 or ev.tie_out > 0 for ev in evidence),
            "two_way": sum(ev.reciprocal for ev in evidence),
            "trusted": counts["core"] + counts["circle"],
            **counts,
            "sybil_like": len(self.sybil_like),
            "vouch_for_you": self.reach.reached,
        }
        if self.thresholds.get("structural"):
            # A friendship graph holds no conversation: nobody was "talked with".
            del found["talked_with"], found["two_way"], found["declared_never_conversed"]
        return found


def positive_hops(cg: CompactGraph, owner: Sequence[Hashable]) -> dict[Hashable, int | None]:
    """Fewest positive-weight edges from any owner node to every node (``None``: unreached).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("me", "a", 1.0), ("a", "b", 1.0), ("me", "z", 0.0)])
    >>> positive_hops(as_compact(G), ["me"])
    {'me': 0, 'a': 1, 'b': 2, 'z': None}
    """
    adjacency = cg.adjacency.tocsr(copy=True)
    adjacency.data = (adjacency.data > 0).astype(np.float64)
    adjacency.eliminate_zeros()
    sources = np.array(sorted({cg.index[m] for m in owner}), dtype=np.int64)
    # One breadth-first search in C from all owner nodes at once (O(n + m)).
    distance = dijkstra(adjacency, unweighted=True, indices=sources, min_only=True)
    hops = np.where(np.isfinite(distance), distance, -1).astype(np.int64)
    return {n: (None if h < 0 else int(h)) for n, h in zip(cg.nodes, hops)}


def ring_communities(
    cg: CompactGraph, nodes: Sequence[Hashable], *, seed: int
) -> dict[Hashable, int]:
    """Louvain communities of `nodes` in the undirected positive-weight graph, largest first.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> found = ring_communities(as_compact(G), [1, 2, 3, 4, 5, 6], seed=0)
    >>> found[1] == found[2] == found[3] != found[4] == found[5] == found[6]
    True
    """
    if not nodes or len(nodes) > RING_COMMUNITIES_MAX:
        return {}
    index = np.array([cg.index[n] for n in nodes], dtype=np.int64)
    sub = cg.adjacency.tocsr()[index][:, index]
    sub = ((sub + sub.T) > 0).astype(np.float64)
    graph = nx.from_scipy_sparse_array(sub)
    found = detect_communities(graph, method="louvain", weight=None, seed=seed)
    found = sorted(found, key=lambda c: (-len(c), min(c)))
    return {nodes[i]: k for k, members in enumerate(found) for i in members}


def resolve_owner(
    G: nx.Graph | CompactGraph,
    me: Sequence[Hashable],
    *,
    strength: Mapping[Hashable, float] | None = None,
) -> tuple[CompactGraph, tuple[Hashable, ...], bool]:
    """The graph to analyse, the owner's node ids, and whether weights come from structure.

    A graph with no timestamps, no counts and equal weights carries no tie strength: its
    weights become the smoothed link overlap of
    :func:`~trustgraph.analysis.classify.overlap_weights` (unless the caller gives a
    `strength`), and the third value is true.

    Raises
    ------
    SeedError
        An identifier not in the graph.

    Examples
    --------
    >>> cg, owner, structural = resolve_owner(nx.DiGraph([("me", "a"), ("a", "b")]), ["me"])
    >>> owner, structural
    (('me',), True)
    """
    cg = as_compact(G)
    owner = tuple(cg.nodes[i] for i in owner_indices(cg, me))
    structural = strength is None and structure_only(cg, observation_years(cg, owner))
    if structural:
        cg = cg.with_weights(overlap_weights(cg))
    return cg, owner, structural


def solve_trust(
    cg: CompactGraph, owner: Sequence[Hashable], params: EgoParameters
) -> dict[Hashable, float]:
    """The owner's personalized PageRank, solved once for the whole analysis.

    Dangling nodes send their mass back to the owner; every node gets a score.

    Examples
    --------
    >>> G = nx.DiGraph([("me", "a"), ("a", "me")])
    >>> scores = solve_trust(as_compact(G), ["me"], EgoParameters(damping=0.5))
    >>> round(scores["me"], 4), round(scores["a"], 4)
    (0.6667, 0.3333)
    """
    return personalized_pagerank(cg, list(owner), damping=params.damping)


def vouching(
    cg: CompactGraph,
    owner: Sequence[Hashable],
    evidence: Mapping[Hashable, ContactEvidence],
    params: EgoParameters,
) -> tuple[dict[Hashable, float], TrustedReach]:
    """Path-product trust in the owner (contacts, and anyone above zero) and who vouches.

    Examples
    --------
    The example of :func:`~trustgraph.analysis.reach.path_trust_in`: ``a`` keeps half of
    its trust for the owner, ``b`` reaches the owner through ``a``; ``c`` is no contact and
    has no chain, so it is left out, while the unanswered sender ``spam`` is a contact:

    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "me", 2.0), ("a", "c", 4.0), ("b", "a", 1.0),
    ...                            ("me", "a", 1.0), ("spam", "me", 5.0)])
    >>> cg = as_compact(G)
    >>> trust, reach = vouching(cg, ["me"], contact_evidence(cg, ["me"]), EgoParameters())
    >>> {n: round(t, 6) for n, t in trust.items()}, reach.reached
    ({'a': 0.5, 'me': 1.0, 'b': 0.5, 'spam': 0.0}, 2)
    """
    trust_all = path_trust_in(cg, owner)
    reach = trusted_reach(cg, owner, threshold=params.reach_threshold)
    trust = {n: t for n, t in trust_all.items() if t > 0 or n in evidence}
    return trust, reach


def sybil_overlay(
    cg: CompactGraph,
    owner: Sequence[Hashable],
    found: Classification,
    evidence: Mapping[Hashable, ContactEvidence],
    params: EgoParameters,
    sybil_options: Mapping[str, Any] | None = None,
) -> SybilLike:
    """Sybil-like clusters among the accounts the owner never addressed.

    The honest region is the contacts of :data:`~trustgraph.analysis.classify.HONEST_CLASSES`;
    candidates are the other contacts the owner never wrote to (no message where the graph
    counts messages, else no positive tie); the owner is left out of the graph, since the
    owner's star touches every contact. The thresholds come from
    :meth:`~trustgraph.analysis.parameters.EgoThresholds.sybil_options`, `sybil_options`
    overriding them.
    """
    classes = found.classes
    honest = [n for n, c in classes.items() if c in HONEST_CLASSES]
    has_counts = "count" in cg.edge_attrs
    unaddressed = [
        n
        for n, c in classes.items()
        if c not in HONEST_CLASSES
        and ((evidence[n].messages_out == 0) if has_counts else (evidence[n].tie_out <= 0))
    ]
    options = {**params.thresholds.sybil_options(), **dict(sybil_options or {})}
    return sybil_like_clusters(
        cg, honest, candidates=unaddressed, exclude=owner, seed=params.seed, **options
    )


def explain_best(
    cg: CompactGraph,
    owner: tuple[Hashable, ...],
    scores: Mapping[Hashable, float],
    hops: Mapping[Hashable, int | None],
    params: EgoParameters,
) -> tuple[Hashable | None, bool, TrustExplanation | None]:
    """Explain the most trusted person beyond the direct contacts (else the top contact).

    Returns the target, whether it is a direct contact, and its explanation (``None``
    twice, and ``False``, when no one is reached).

    Examples
    --------
    >>> G = nx.DiGraph([("me", "a"), ("a", "b")])
    >>> cg = as_compact(G)
    >>> scores = solve_trust(cg, ["me"], EgoParameters())
    >>> target, direct, why = explain_best(
    ...     cg, ("me",), scores, positive_hops(cg, ["me"]), EgoParameters()
    ... )
    >>> target, direct, [p.nodes for p in why.paths]
    ('b', False, [('me', 'a', 'b')])
    """
    mine = set(owner)
    reached = [n for n, h in hops.items() if h is not None and n not in mine]
    if not reached:
        return None, False, None
    far = [n for n in reached if hops[n] >= 2]
    pool = far or reached
    target = max(pool, key=lambda n: (scores.get(n, 0.0), -cg.index[n]))
    why = explain_trust(
        cg,
        list(owner),
        target,
        damping=params.damping,
        top_paths=params.explain_paths,
        ppr=scores,
    )
    return target, not far, why


def _parameters(parameters: EgoParameters | None, overrides: Mapping[str, Any]) -> EgoParameters:
    """The one parameters object: `parameters` (or the defaults) with `overrides` applied."""
    if parameters is None:
        return EgoParameters(**overrides)
    if overrides:
        return EgoParameters(**{**parameters.__dict__, **overrides})
    return parameters


def analyze_ego(
    G: nx.Graph | CompactGraph,
    me: Sequence[Hashable],
    parameters: EgoParameters | None = None,
    *,
    strength: Mapping[Hashable, float] | None = None,
    bulk: Mapping[Hashable, int] | None = None,
    sybil_options: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> EgoAnalysis:
    """Classify every contact of an ego and measure everything the report shows, once.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Directed conversation graph (``u -> v``: u wrote to / trusts v) with edge
        attributes ``count``, ``direct``, ``bulk``, ``first_seen``, ``last_seen``,
        ``declared_only`` where known.
    me : sequence of nodes
        The ego's identifiers.
    parameters : EgoParameters, optional
        Every choice of the analysis; the defaults when omitted.
    strength : mapping, optional
        Score per contact that drives the layering instead of contact frequency.
    bulk : mapping, optional
        Bulk (mailing-list, newsletter) messages received from each contact.
    sybil_options : mapping, optional
        Keyword arguments of :func:`~trustgraph.analysis.sybil_like.sybil_like_clusters`.
    **overrides
        Fields of :class:`EgoParameters` to change (``analyze_ego(G, me, n_null=0)``).

    Returns
    -------
    EgoAnalysis

    Raises
    ------
    SeedError
        An ego identifier not in the graph.
    ParameterError
        A parameter outside its domain, or an unknown parameter name.

    See Also
    --------
    trustgraph.analysis.classify : the rules behind the classes.

    Notes
    -----
    The personalized PageRank from the owner is solved once (dangling nodes send their mass
    back to the owner) and reused for the ranking, the trust-by-hop figure and the
    explanation. A graph with no timestamps, no counts and equal weights (a plain edge list,
    a friendship graph) carries no tie strength: the smoothed link overlap of
    :func:`~trustgraph.analysis.classify.overlap_weights` replaces its weights, and only the
    two innermost overlap layers are trusted (the report says that structure alone cannot
    tell conversation partners from the rest).

    References
    ----------
    .. [1] R. I. M. Dunbar, V. Arnaboldi, M. Conti, A. Passarella, "The structure of online
       social networks mirrors those in the offline world", Social Networks 43, 2015.
    .. [2] E. Gilbert, K. Karahalios, "Predicting tie strength with social media", CHI 2009.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> for friend, n in [("ann", 40), ("bo", 38), ("cy", 12), ("di", 11), ("ed", 3)]:
    ...     G.add_edge("me", friend, weight=1.0, count=n)
    ...     G.add_edge(friend, "me", weight=1.0, count=n)
    >>> G.add_edge("ads", "me", weight=1.0, count=90)
    >>> G.add_edge("me", "zed", weight=0.0, count=0, declared_only=True)
    >>> a = analyze_ego(G, ["me"], n_null=0)
    >>> a.classes["ann"], a.classes["ed"], a.classes["ads"], a.classes["zed"]
    ('core', 'circle', 'broadcaster', 'stranger')
    >>> a.populations()["trusted"], a.hops["zed"]
    (5, None)
    """
    params = _parameters(parameters, overrides)
    cg, owner, structural = resolve_owner(G, me, strength=strength)
    evidence = contact_evidence(cg, owner)
    found = classify_contacts(
        cg, owner, evidence, params, strength=strength, bulk=bulk, structural=structural
    )
    classes = found.classes
    scores = solve_trust(cg, owner, params)
    hops = positive_hops(cg, owner)
    trust, reach = vouching(cg, owner, evidence, params)
    strangers = [n for n, c in classes.items() if c == "stranger"]
    ring = [n for n, c in classes.items() if c != "stranger"]
    sybil = sybil_overlay(cg, owner, found, evidence, params, sybil_options)
    target, direct, why = explain_best(cg, owner, scores, hops, params)
    thresholds = {
        **found.thresholds,
        "damping": params.damping,
        "reach_threshold": params.reach_threshold,
        "layer_rule": params.n_layers,
        "sybil": dict(sybil.parameters),
    }
    return EgoAnalysis(
        owner=owner,
        classes=classes,
        layers=found.layers,
        clusters=stranger_clusters(cg, strangers, me=owner, seed=params.seed),
        frequencies=found.frequencies,
        trust=trust,
        broadcaster_scores=found.broadcaster_scores,
        evidence=evidence,
        circles=found.circles,
        reach=reach,
        parameters=params,
        stale=found.stale,
        extra=found.extra,
        thresholds=thresholds,
        as_of=found.as_of,
        scores=scores,
        hops=hops,
        communities=ring_communities(cg, ring, seed=params.seed),
        explanation=why,
        target=target,
        target_is_direct=direct,
        sybil_like=sybil.flagged,
        attack_edges=sybil.attack_edges,
        sybil_clusters=sybil.clusters,
    )


def explain_target(
    G: nx.Graph | CompactGraph, analysis: EgoAnalysis, target: Hashable
) -> TrustExplanation:
    """Explain another node with the analysis' own scores and damping (no further solve).

    Examples
    --------
    >>> G = nx.DiGraph([("me", "a"), ("a", "b"), ("b", "me")])
    >>> a = analyze_ego(G, ["me"], n_null=0)
    >>> [p.nodes for p in explain_target(G, a, "b").paths]
    [('me', 'a', 'b')]
    """
    return explain_trust(
        as_compact(G),
        list(analysis.owner),
        target,
        damping=analysis.parameters.damping,
        top_paths=analysis.parameters.explain_paths,
        ppr=analysis.scores,
    )
