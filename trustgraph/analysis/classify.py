"""Core versus strangers: one class for every contact of an ego, with its evidence.

Classes (:data:`CLASSES`), decided in this order:

``broadcaster``
    Spam-like: writes to the ego and never gets a reply, at a volume that would put a
    two-way partner in the core (at least the core's lower frequency boundary, derived from
    the circles), or sends bulk mail (the graph's ``bulk`` edge counts from e-mail
    ``channel="bulk"``, or counts passed as `bulk`), or, where the whole network is
    observed, fans out to many people who rarely answer.
``core``
    Active reciprocal ties in the inner circles: the two innermost layers found in the
    data (Dunbar's support clique and sympathy group), or layer 1 alone when only two
    layers are found.
``circle``
    Active reciprocal ties in the outer layers.
``acquaintance``
    Weak but real: the ego wrote to them, but the tie is not an active reciprocal one.
``stranger``
    Everyone else: declared-only connections and people who only wrote to the ego (or only
    appear in the same group chats) and were never answered.

Where the graph has ``direct`` edge counts (one-to-one messages), "reciprocal" and the
layers rest on them, so that a shared group chat does not make two people partners. On top
of the classes, Sybil-like clusters (:mod:`trustgraph.analysis.sybil_like`) are marked
among the contacts the ego never wrote to, with their attack edges.

No threshold is a constant tuned to a data set: layers come from Jenks breaks of the ego's
own contact frequencies (:mod:`trustgraph.analysis.circles`), and the broadcaster volume is
the core's boundary of the same ego.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import networkx as nx
import numpy as np

from trustgraph.analysis.circles import Circles, circles
from trustgraph.analysis.clusters import stranger_clusters
from trustgraph.analysis.contacts import (
    ContactEvidence,
    contact_evidence,
    owner_indices,
)
from trustgraph.analysis.reach import TrustedReach, path_trust_in, trusted_reach
from trustgraph.analysis.sybil_like import SybilCluster, sybil_like_clusters
from trustgraph.core.compact import CompactGraph, as_compact
from trustgraph.exceptions import ParameterError

__all__ = [
    "CLASSES",
    "HONEST_CLASSES",
    "TRUSTED_CLASSES",
    "EgoAnalysis",
    "analyze_ego",
    "observation_years",
    "overlap_weights",
]

CLASSES = ("core", "circle", "acquaintance", "stranger", "broadcaster")
TRUSTED_CLASSES = ("core", "circle")
#: Classes whose members form the honest region the Sybil-like detector measures against.
HONEST_CLASSES = ("core", "circle", "acquaintance")

_SECONDS_PER_YEAR = 365.25 * 86_400.0


@dataclass(frozen=True)
class EgoAnalysis:
    """Everything the report and the figures need about one ego, as plain mappings.

    Attributes
    ----------
    owner : tuple
        The ego's node ids.
    classes : dict
        ``{contact: class}``, one of :data:`CLASSES`, for every contact.
    layers : dict
        ``{contact: layer or None}`` (1 = innermost).
    clusters : dict
        ``{stranger: cluster label}`` (see
        :func:`~trustgraph.analysis.clusters.stranger_clusters`).
    frequencies : dict
        ``{contact: contacts per year}`` (messages either way over the observed span).
    trust : dict
        ``{contact: path-product trust in the ego}`` in [0, 1].
    broadcaster_scores : dict
        ``{contact: score}`` in [0, 1] for contacts with unanswered inbound messages:
        ``min(1, unanswered / volume threshold)``; 1 means broadcaster-level volume.
    evidence : dict
        ``{contact: ContactEvidence}``.
    extra : dict
        ``{contact: {...}}`` further evidence: ``bulk`` messages, ``fan_out`` and
        ``fan_out_reciprocity`` where the whole network is observed.
    circles : Circles
    reach : TrustedReach
    stale : list
        Core contacts with no message for more than ``stale_days``, most recent last.
    thresholds : dict
        Every derived number the classes rest on (for the report's footer).
    sybil_like : frozenset
        Contacts in a Sybil-like cluster (see
        :func:`~trustgraph.analysis.sybil_like.sybil_like_clusters`): never addressed by
        the ego, densely linked among themselves, joined to everyone else by few edges.
        Their class is unchanged (usually ``stranger``); this is an overlay.
    attack_edges : tuple of (node, node)
        ``(Sybil-like member, other node)`` for every edge between a flagged cluster and
        the rest of the graph, the ego's own edges left out.
    sybil_clusters : tuple of SybilCluster
        Evidence for every candidate cluster (flagged first): size, density,
        conductance, edges to the honest region, SybilRank trust ratio.
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
    stale: list[Hashable] = field(default_factory=list)
    extra: dict[Hashable, dict[str, Any]] = field(default_factory=dict)
    thresholds: dict[str, Any] = field(default_factory=dict)
    sybil_like: frozenset[Hashable] = frozenset()
    attack_edges: tuple[tuple[Hashable, Hashable], ...] = ()
    sybil_clusters: tuple[SybilCluster, ...] = ()

    def members(self, cls: str) -> list[Hashable]:
        """Contacts of one class, in contact order."""
        if cls not in CLASSES:
            raise ParameterError(f"class must be one of {CLASSES}, got {cls!r}")
        return [n for n, c in self.classes.items() if c == cls]

    def counts(self) -> dict[str, int]:
        """Contacts per class, in :data:`CLASSES` order."""
        return {c: sum(1 for v in self.classes.values() if v == c) for c in CLASSES}


def observation_years(G: nx.Graph | CompactGraph, me: Iterable[Hashable]) -> float | None:
    """Length of the ego's observed span in years, or ``None`` without timestamps.

    The span runs from the ego's earliest message (either way) to the graph's
    ``reference_time`` (else the newest message); at least one day.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("me", "a", first_seen=0.0, last_seen=365.25 * 86400 / 2)
    >>> observation_years(G, ["me"])
    0.5
    """
    cg = as_compact(G)
    owners = owner_indices(cg, me)
    rows, cols = cg.edge_arrays()
    mine = np.isin(rows, owners) | np.isin(cols, owners)
    declared = cg.edge_attrs.get("declared_only")
    if declared is not None:
        mine &= ~np.asarray(declared, dtype=bool)
    first = cg.edge_attrs.get("first_seen")
    last = cg.edge_attrs.get("last_seen")
    if first is None or last is None or not mine.any():
        return None
    first = np.asarray(first, dtype=np.float64)[mine]
    last = np.asarray(last, dtype=np.float64)[mine]
    if np.all(np.isnan(first)) or np.all(np.isnan(last)):
        return None
    end = cg.graph_attrs.get("reference_time")
    end = float(end) if end is not None else float(np.nanmax(last))
    span = max(end - float(np.nanmin(first)), 86_400.0)
    return span / _SECONDS_PER_YEAR


def _fan_out(cg: CompactGraph) -> tuple[np.ndarray, np.ndarray]:
    """Out-degree over positive edges and the share of those edges answered back."""
    adjacency = cg.adjacency.tocsr(copy=True)
    adjacency.eliminate_zeros()
    pattern = (adjacency > 0).astype(np.float64)
    out_degree = np.asarray(pattern.sum(axis=1)).ravel()
    answered = np.asarray(pattern.multiply(pattern.T).sum(axis=1)).ravel()
    share = np.divide(answered, out_degree, out=np.ones_like(out_degree), where=out_degree > 0)
    return out_degree, share


#: Above this many stored edges the structural (overlap) weights are not computed.
OVERLAP_MAX_EDGES = 2_000_000


def _unweighted(cg: CompactGraph) -> bool:
    positive = cg.weights[cg.weights > 0]
    return positive.size > 0 and float(np.ptp(positive)) == 0.0


def overlap_weights(cg: CompactGraph) -> np.ndarray:
    """Smoothed Onnela link overlap of every stored edge, a tie strength from structure.

    ``(n_uv + 1) / (k_u + k_v - n_uv)``, where ``n_uv`` is the number of common neighbours
    and ``k`` the degree in the undirected simple graph of positive edges: Onnela's
    ``n / ((k_u - 1) + (k_v - 1) - n)`` with one added to the numerator and denominator,
    so that an edge with no common neighbour keeps a small positive weight. Zero-weight
    edges stay zero.

    References
    ----------
    .. [1] J.-P. Onnela et al., "Analysis of a large-scale weighted network of one-to-one
       human communication", New J. Phys. 9, 179 (2007).

    Examples
    --------
    >>> import networkx as nx
    >>> cg = as_compact(nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3)]))
    >>> w = overlap_weights(cg)
    >>> rows, cols = cg.edge_arrays()
    >>> {(int(u), int(v)): round(float(x), 4) for u, v, x in zip(rows, cols, w) if u < v}
    {(0, 1): 0.6667, (0, 2): 0.5, (1, 2): 0.5, (2, 3): 0.25}
    """
    adjacency = cg.adjacency.tocsr(copy=True)
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    pattern = (adjacency > 0).astype(np.float64)
    pattern = ((pattern + pattern.T) > 0).astype(np.float64).tocsr()
    degree = np.asarray(pattern.sum(axis=1)).ravel()
    rows, cols = cg.edge_arrays()
    common = np.asarray(pattern[rows].multiply(pattern[cols]).sum(axis=1)).ravel()
    weights = (common + 1.0) / np.maximum(degree[rows] + degree[cols] - common, 1.0)
    return np.where((cg.weights > 0) & (rows != cols), weights, 0.0)


def analyze_ego(
    G: nx.Graph | CompactGraph,
    me: Sequence[Hashable],
    *,
    strength: Mapping[Hashable, float] | None = None,
    bulk: Mapping[Hashable, int] | None = None,
    whole_network: bool = False,
    stale_days: float = 180.0,
    reach_threshold: float = 0.25,
    n_layers: int | str = "gvf",
    n_null: int = 100,
    seed: int | None = 0,
    sybil_options: Mapping[str, Any] | None = None,
) -> EgoAnalysis:
    """Classify every contact of an ego and measure circles, reach and stale ties.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Directed conversation graph (``u -> v``: u wrote to / trusts v) with edge
        attributes ``count``, ``first_seen``, ``last_seen``, ``declared_only`` where known.
    me : sequence of nodes
        The ego's identifiers.
    strength : mapping, optional
        Score per contact that drives the layering instead of contact frequency (any
        propagation result, e.g. personalized PageRank from the ego). Default: contacts per
        year (messages either way over the observed span; raw message counts when the graph
        has no timestamps, tie strength when it has no counts).
    bulk : mapping, optional
        Bulk (mailing-list, newsletter) messages received from each contact, e.g. e-mail
        events on ``channel="bulk"`` kept with ``include_bulk=True``.
    whole_network : bool, default False
        The graph holds everyone's edges (not only the ego's): fan-out is then evidence.
    stale_days : float, default 180
        A core tie with no message for longer than this is stale.
    reach_threshold : float, default 0.25
        Path-product trust needed to count as reached (see
        :func:`~trustgraph.analysis.reach.trusted_reach`).
    n_layers : int or {"gvf", "modes"}, default "gvf"
        Passed to :func:`~trustgraph.analysis.circles.circles`.
    n_null : int, default 100
        Null-model draws of the circles test.
    seed : int or None, default 0
        Randomness of the null model and of Louvain.
    sybil_options : mapping, optional
        Keyword arguments for
        :func:`~trustgraph.analysis.sybil_like.sybil_like_clusters` (``min_size``,
        ``min_density``, ``max_conductance``, ``max_trust_ratio``); its defaults otherwise.

    Returns
    -------
    EgoAnalysis

    Raises
    ------
    SeedError
        An ego identifier not in the graph.
    ParameterError
        A parameter outside its domain.

    See Also
    --------
    trustgraph.analysis.circles.circles, trustgraph.analysis.reach.trusted_reach,
    trustgraph.analysis.clusters.stranger_clusters

    Notes
    -----
    Layered ("active") contacts are the reciprocal ones (messages both ways) with at least
    one contact a year, egonetworks' activity rule. The core is the two innermost layers
    when at least three layers are found, else layer 1. A one-way sender is a broadcaster
    when their unanswered volume reaches the core's lower boundary (contacts per year times
    the observed span), i.e. they write as often as a core partner and are never answered;
    with no core, the boundary is the busiest reciprocal partner's volume.
    A graph with no timestamps, no counts and equal weights (a plain edge list) carries no
    tie strength; the smoothed link overlap of :func:`overlap_weights` replaces its weights.
    Fan-out (whole networks only): an unanswered sender whose out-degree is in the top 1%
    of the graph and fewer than 10% of whose recipients write back.

    Where the graph has the ``direct`` edge attribute (one-to-one messages, from
    :func:`~trustgraph.ingest.build.build_graph`), reciprocity and layering rest on direct
    messages only: people seen only in group chats are not partners, however busy the
    group. Where it has ``bulk``, bulk messages received make an unanswered sender a
    broadcaster, like the `bulk` mapping.

    Sybil-like clusters: the candidates are the contacts outside
    :data:`HONEST_CLASSES` whom the ego never wrote to; the honest region is core, circle
    and acquaintances; the ego's own edges are removed before measuring (see
    :func:`~trustgraph.analysis.sybil_like.sybil_like_clusters`).

    References
    ----------
    .. [1] R. I. M. Dunbar, V. Arnaboldi, M. Conti, A. Passarella, "The structure of online
       social networks mirrors those in the offline world", Social Networks 43, 2015.
    .. [2] E. Gilbert, K. Karahalios, "Predicting tie strength with social media", CHI 2009.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> for friend, n in [("ann", 40), ("bo", 38), ("cy", 12), ("di", 11), ("ed", 3)]:
    ...     G.add_edge("me", friend, weight=1.0, count=n)
    ...     G.add_edge(friend, "me", weight=1.0, count=n)
    >>> G.add_edge("ads", "me", weight=1.0, count=90)
    >>> G.add_edge("me", "zed", weight=0.0, count=0, declared_only=True)
    >>> a = analyze_ego(G, ["me"], n_null=0)
    >>> a.classes["ann"], a.classes["ed"], a.classes["ads"], a.classes["zed"]
    ('core', 'circle', 'broadcaster', 'stranger')
    """
    if stale_days <= 0:
        raise ParameterError(f"stale_days must be positive, got {stale_days!r}")
    cg = as_compact(G)
    owners = owner_indices(cg, me)
    owner_nodes = tuple(cg.nodes[i] for i in owners)
    years = observation_years(cg, owner_nodes)
    has_counts = "count" in cg.edge_attrs
    structural = (
        strength is None
        and years is None
        and not has_counts
        and _unweighted(cg)
        and cg.n_stored <= OVERLAP_MAX_EDGES
    )
    if structural:
        # No timestamps, counts or weights: every tie looks the same, so tie strength
        # comes from structure (smoothed link overlap) for layers and reach alike.
        cg = cg.with_weights(overlap_weights(cg))
    evidence = contact_evidence(cg, owner_nodes)

    has_direct = has_counts and "direct" in cg.edge_attrs

    def volume(ev: ContactEvidence) -> float:
        if has_counts:
            return float(ev.messages_out + ev.messages_in)
        return ev.tie_out + ev.tie_in

    def partner_volume(ev: ContactEvidence) -> float:
        # One-to-one messages are the evidence of a partnership; group traffic is not.
        if has_direct:
            return float(ev.direct_out + ev.direct_in)
        return volume(ev)

    per_year = years if years is not None else 1.0
    frequencies = {n: volume(ev) / per_year for n, ev in evidence.items()}
    reciprocal = [n for n, ev in evidence.items() if ev.direct_reciprocal]
    if strength is not None:
        layering = {n: float(strength.get(n, 0.0)) for n in reciprocal}
        min_value = np.finfo(float).tiny
    else:
        layering = {n: partner_volume(evidence[n]) / per_year for n in reciprocal}
        min_value = 1.0 if years is not None else np.finfo(float).tiny
    found = circles(layering, n_layers=n_layers, min_frequency=min_value, n_null=n_null, seed=seed)
    core_layers = 2 if found.n_layers >= 3 else 1
    if found.n_layers and strength is None:
        boundary = found.boundaries[min(core_layers, found.n_layers) - 1] * per_year
    elif reciprocal:
        boundary = max(partner_volume(evidence[n]) for n in reciprocal)
    else:
        boundary = float("inf")

    extra: dict[Hashable, dict[str, Any]] = {n: {} for n in evidence}
    fan_flag = dict.fromkeys(evidence, False)
    if whole_network and cg.n_nodes:
        out_degree, answered = _fan_out(cg)
        cut = float(np.quantile(out_degree, 0.99))
        for n in evidence:
            i = cg.index[n]
            extra[n]["fan_out"] = int(out_degree[i])
            extra[n]["fan_out_reciprocity"] = round(float(answered[i]), 4)
            fan_flag[n] = out_degree[i] >= max(cut, 2) and answered[i] < 0.1
    # Bulk evidence: the graph's `bulk` edge counts and the caller's mapping describe the
    # same messages when both are given, so the larger one is kept, not their sum.
    bulk = dict(bulk or {})
    bulk = {n: max(int(bulk.get(n, 0) or 0), ev.bulk_in) for n, ev in evidence.items()}
    for n in evidence:
        if bulk[n]:
            extra[n]["bulk"] = bulk[n]

    classes: dict[Hashable, str] = {}
    layers: dict[Hashable, int | None] = {}
    scores: dict[Hashable, float] = {}
    for n, ev in evidence.items():
        layer = found.layers.get(n)
        layers[n] = layer
        unanswered = ev.messages_out == 0 and (ev.messages_in > 0 or ev.tie_in > 0)
        if unanswered:
            amount = ev.messages_in if has_counts else ev.tie_in
            scores[n] = round(min(1.0, amount / boundary), 6) if np.isfinite(boundary) else 0.0
        if unanswered and (scores.get(n, 0.0) >= 1.0 or bulk[n] > 0 or fan_flag[n]):
            classes[n] = "broadcaster"
        elif layer is not None:
            classes[n] = "core" if layer <= core_layers else "circle"
        elif (ev.messages_out > 0) if has_counts else (ev.tie_out > 0):
            classes[n] = "acquaintance"
        else:
            classes[n] = "stranger"

    trust_all = path_trust_in(cg, owner_nodes)
    trust = {n: trust_all[n] for n in evidence}
    reach = trusted_reach(cg, owner_nodes, threshold=reach_threshold)
    end = cg.graph_attrs.get("reference_time")
    newest = [ev.last_contact for ev in evidence.values() if ev.last_contact is not None]
    stale: list[Hashable] = []
    if newest:
        reference = (
            datetime.fromtimestamp(float(end), tz=timezone.utc) if end is not None else max(newest)
        )
        for n, cls in classes.items():
            last = evidence[n].last_contact
            silent = None if last is None else (reference - last).total_seconds()
            if cls == "core" and silent is not None and silent > stale_days * 86_400.0:
                stale.append(n)
        stale.sort(key=lambda n: evidence[n].last_contact)
    strangers = [n for n, c in classes.items() if c == "stranger"]
    clusters = stranger_clusters(cg, strangers, me=owner_nodes, seed=seed)
    honest = [n for n, c in classes.items() if c in HONEST_CLASSES]
    unaddressed = [
        n
        for n, c in classes.items()
        if c not in HONEST_CLASSES
        and ((evidence[n].messages_out == 0) if has_counts else (evidence[n].tie_out <= 0))
    ]
    sybil = sybil_like_clusters(
        cg,
        honest,
        candidates=unaddressed,
        exclude=owner_nodes,
        seed=seed,
        **dict(sybil_options or {}),
    )
    thresholds = {
        "frequency_unit": (
            "score"
            if strength is not None
            else "contacts per year"
            if years is not None
            else "messages"
            if has_counts
            else "link overlap"
            if structural
            else "tie strength"
        ),
        "observed_years": None if years is None else round(years, 4),
        "core_layers": core_layers,
        "broadcaster_volume": None if not np.isfinite(boundary) else round(boundary, 4),
        "stale_days": stale_days,
        "reach_threshold": reach_threshold,
        "layer_rule": n_layers,
        "reciprocity": "direct messages" if has_direct else "messages",
        "sybil": dict(sybil.parameters),
    }
    return EgoAnalysis(
        owner=owner_nodes,
        classes=classes,
        layers=layers,
        clusters=clusters,
        frequencies=frequencies,
        trust=trust,
        broadcaster_scores=scores,
        evidence=evidence,
        circles=found,
        reach=reach,
        stale=stale,
        extra=extra,
        thresholds=thresholds,
        sybil_like=sybil.flagged,
        attack_edges=sybil.attack_edges,
        sybil_clusters=sybil.clusters,
    )
