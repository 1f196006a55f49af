"""Core versus strangers: one class for every contact of an ego, by named rules.

Classes (:data:`CLASSES`), decided in this order for each contact:

``broadcaster``
    Writes to the ego and is (almost) never answered: at least
    :attr:`~trustgraph.analysis.parameters.EgoParameters.min_unanswered` one-to-one messages
    with fewer than :attr:`~trustgraph.analysis.parameters.EgoParameters.max_answered_share`
    of them answered, or bulk mail (e-mail ``channel="bulk"``), or, where the whole network
    is observed, fan-out to many people who rarely answer (the ``fan_out_*`` thresholds).
    Behaviour, not volume: a recruiter sending 100 unanswered messages is a broadcaster
    whatever the core's volume.
``core``
    Active two-way ties in the inner circles: the innermost layers found in the data whose
    cumulative size is nearest Dunbar's sympathy group (``core_size``, about 15; see
    :func:`core_layer_count`), or ``core_layers`` when given, or layer 1 alone when fewer
    than ``core_min_layers`` (three) layers are found.
``circle``
    Active two-way ties in the outer layers.
``stale``
    A core or circle tie silent for longer than both
    :attr:`~trustgraph.analysis.parameters.EgoParameters.stale_days` and ``stale_gaps``
    (three) of its own usual gaps between messages (a tie that writes four times a year is
    not stale after half a year of silence; for a steady rhythm, three gaps of silence
    happen by chance about 5% of the time): listed apart, not trusted now.
``acquaintance``
    Weak but real: the ego wrote to them, but the tie is not an active two-way one (a single
    message and its reply is not yet a relationship).
``stranger``
    Everyone else: declared-only connections, people seen only in the same group chats
    and never written to, occasional unanswered senders.

An *active* tie is two-way (one-to-one messages both ways where the graph has ``direct``
counts) with at least :attr:`~trustgraph.analysis.parameters.EgoParameters.min_messages`
messages and at least ``active_per_year`` (one) contact a year (egonetworks' activity rule).
Layers come from Jenks breaks of the ego's own contact frequencies
(:mod:`trustgraph.analysis.circles`). Every number a rule compares against is a field of one
:class:`~trustgraph.analysis.parameters.EgoParameters`: the user's options, and the fixed
thresholds of :class:`~trustgraph.analysis.parameters.EgoThresholds`, each documented with
where its value comes from (a paper, the model, or a hand choice; none fitted to a data set).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import networkx as nx
import numpy as np

from trustgraph.analysis.circles import Circles, circles
from trustgraph.analysis.contacts import ContactEvidence, owner_indices
from trustgraph.analysis.parameters import EgoParameters
from trustgraph.core.compact import CompactGraph, as_compact

__all__ = [
    "CLASSES",
    "HONEST_CLASSES",
    "TRUSTED_CLASSES",
    "Classification",
    "classify_contacts",
    "observation_years",
    "overlap_weights",
]

CLASSES = ("core", "circle", "stale", "acquaintance", "broadcaster", "stranger")
TRUSTED_CLASSES = ("core", "circle")
#: Classes whose members form the honest region the Sybil-like detector measures against.
HONEST_CLASSES = ("core", "circle", "stale", "acquaintance")

_SECONDS_PER_YEAR = 365.25 * 86_400.0


@dataclass(frozen=True)
class Classification:
    """The classes of an ego's contacts and every number they rest on.

    Attributes
    ----------
    classes : dict
        ``{contact: class}``, one of :data:`CLASSES`.
    layers : dict
        ``{contact: layer or None}`` (1 = innermost), stale ties keep their layer.
    frequencies : dict
        ``{contact: contacts per year}`` (messages either way over the observed span).
    broadcaster_scores : dict
        ``{contact: share of their one-to-one messages left unanswered}`` for contacts who
        wrote to the ego.
    extra : dict
        ``{contact: {...}}``: ``bulk`` messages, ``fan_out`` and ``fan_out_reciprocity``.
    circles : Circles
    stale : list
        Stale ties, most recent last.
    as_of : datetime or None
        The date the classes describe (the graph's ``reference_time``, else the newest
        message).
    thresholds : dict
        Every derived number and rule the classes rest on (the report's footer).
    """

    classes: dict[Hashable, str]
    layers: dict[Hashable, int | None]
    frequencies: dict[Hashable, float]
    broadcaster_scores: dict[Hashable, float]
    circles: Circles
    stale: list[Hashable] = field(default_factory=list)
    extra: dict[Hashable, dict[str, Any]] = field(default_factory=dict)
    as_of: datetime | None = None
    thresholds: dict[str, Any] = field(default_factory=dict)


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


def structure_only(cg: CompactGraph, years: float | None) -> bool:
    """No timestamps, no counts and equal weights: the graph carries no tie strength."""
    positive = cg.weights[cg.weights > 0]
    return (
        years is None
        and "count" not in cg.edge_attrs
        and positive.size > 0
        and float(np.ptp(positive)) == 0.0
        and cg.n_stored <= OVERLAP_MAX_EDGES
    )


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


class _Volumes:
    """Message volumes of one graph's evidence: counts where known, else tie strength."""

    def __init__(self, cg: CompactGraph) -> None:
        self.has_counts = "count" in cg.edge_attrs
        self.has_direct = self.has_counts and "direct" in cg.edge_attrs
        # Tie strengths are compared on a log scale, so one common unit changes no class;
        # the graph's largest weight as the unit keeps sums of huge weights finite.
        positive = cg.weights[cg.weights > 0]
        self.unit = float(positive.max()) if positive.size else 1.0

    def total(self, ev: ContactEvidence) -> float:
        if self.has_counts:
            return float(ev.messages_out + ev.messages_in)
        return ev.tie_out / self.unit + ev.tie_in / self.unit

    def out(self, ev: ContactEvidence) -> float:
        return float(ev.messages_out) if self.has_counts else ev.tie_out / self.unit

    def direct(self, ev: ContactEvidence) -> tuple[float, float]:
        """One-to-one volume each way: group traffic is no evidence of a partnership."""
        if self.has_direct:
            return float(ev.direct_out or 0), float(ev.direct_in or 0)
        if self.has_counts:
            return float(ev.messages_out), float(ev.messages_in)
        return ev.tie_out / self.unit, ev.tie_in / self.unit


def _layering(
    evidence: Mapping[Hashable, ContactEvidence],
    volumes: _Volumes,
    per_year: float,
    params: EgoParameters,
    strength: Mapping[Hashable, float] | None,
    timed: bool,
) -> tuple[Circles, int]:
    """Circles of the active two-way ties and how many inner layers make the core."""
    active = {}
    for n, ev in evidence.items():
        out, back = volumes.direct(ev)
        enough = not volumes.has_counts or out + back >= params.min_messages
        if out > 0 and back > 0 and enough:
            active[n] = (out + back) / per_year
    if strength is not None:
        active = {n: float(strength.get(n, 0.0)) for n in active}
    rules = params.thresholds
    floor = rules.active_per_year if timed and strength is None else np.finfo(float).tiny
    found = circles(
        active,
        n_layers=params.n_layers,
        gvf_target=rules.gvf_target,
        max_layers=rules.max_layers,
        min_frequency=floor,
        n_null=params.n_null,
        seed=params.seed,
    )
    if found.n_layers < rules.core_min_layers:
        return found, 1, "few layers"
    if rules.core_layers is not None:
        return found, min(rules.core_layers, max(found.n_layers - 1, 1)), "given"
    return found, core_layer_count(found.cumulative_sizes, rules.core_size), "size"


def core_layer_count(cumulative_sizes: Sequence[int], core_size: float) -> int:
    """How many inner layers make the core: the cumulative size nearest `core_size` in ratio.

    At least one layer, and never every layer (the outermost stays circles).

    Examples
    --------
    >>> core_layer_count([5, 17, 46, 100, 150], 15), core_layer_count([13, 41, 83, 108], 15)
    (2, 1)
    >>> core_layer_count([2, 4, 9, 30], 15)
    3
    """
    usable = list(cumulative_sizes[:-1]) or list(cumulative_sizes[:1])
    distance = [abs(math.log(max(size, 1) / core_size)) for size in usable]
    return 1 + min(range(len(usable)), key=lambda k: (distance[k], k))


def _broadcasters(
    cg: CompactGraph,
    evidence: Mapping[Hashable, ContactEvidence],
    volumes: _Volumes,
    params: EgoParameters,
    bulk: Mapping[Hashable, int] | None,
    extra: dict[Hashable, dict[str, Any]],
) -> tuple[set[Hashable], dict[Hashable, float]]:
    """Contacts who write and are (almost) never answered, send bulk mail, or fan out."""
    fan_flag = dict.fromkeys(evidence, False)
    if params.whole_network and cg.n_nodes:
        rules = params.thresholds
        out_degree, answered = _fan_out(cg)
        cut = max(float(np.quantile(out_degree, rules.fan_out_quantile)), rules.fan_out_min_degree)
        for n in evidence:
            i = cg.index[n]
            extra[n]["fan_out"] = int(out_degree[i])
            extra[n]["fan_out_reciprocity"] = round(float(answered[i]), 4)
            fan_flag[n] = out_degree[i] >= cut and answered[i] < rules.fan_out_max_reciprocity
    # The graph's `bulk` edge counts and the caller's mapping describe the same messages
    # when both are given, so the larger one is kept, not their sum.
    bulk = dict(bulk or {})
    found: set[Hashable] = set()
    scores: dict[Hashable, float] = {}
    for n, ev in evidence.items():
        received = max(int(bulk.get(n, 0) or 0), ev.bulk_in)
        if received:
            extra[n]["bulk"] = received
        out, back = volumes.direct(ev)
        if back <= 0:
            continue
        unanswered = max(0.0, 1.0 - out / back)
        scores[n] = round(unanswered, 6)
        one_sided = (
            back >= params.min_unanswered
            and out < params.max_answered_share * back
            and volumes.out(ev) <= out
        )
        if one_sided or (received and out == 0) or (fan_flag[n] and out == 0):
            found.add(n)
    return found, scores


def _silent_too_long(
    ev: ContactEvidence, as_of: datetime | None, span_years: float, params: EgoParameters
) -> bool:
    """Silent for longer than ``stale_days`` and ``stale_gaps`` of the tie's usual gaps.

    The usual gap is the observed span over the tie's message count (its rate over the
    whole window, so a tie seen in one burst is judged by how rarely it writes).
    """
    if ev.last_contact is None or as_of is None:
        return False
    silence = (as_of - ev.last_contact).total_seconds()
    messages = max(ev.messages_out + ev.messages_in, 1)
    usual_gap = span_years * _SECONDS_PER_YEAR / messages
    gaps = params.thresholds.stale_gaps
    return silence > params.stale_days * 86_400.0 and silence > gaps * usual_gap


def _as_of(cg: CompactGraph, evidence: Mapping[Hashable, ContactEvidence]) -> datetime | None:
    end = cg.graph_attrs.get("reference_time")
    if end is not None:
        return datetime.fromtimestamp(float(end), tz=timezone.utc)
    newest = [ev.last_contact for ev in evidence.values() if ev.last_contact is not None]
    return max(newest) if newest else None


def classify_contacts(
    cg: CompactGraph,
    owner: tuple[Hashable, ...],
    evidence: Mapping[Hashable, ContactEvidence],
    params: EgoParameters,
    *,
    strength: Mapping[Hashable, float] | None = None,
    bulk: Mapping[Hashable, int] | None = None,
    structural: bool = False,
) -> Classification:
    """Apply the rules of this module to the evidence of every contact.

    Parameters
    ----------
    cg : CompactGraph
        The conversation graph (structural weights already applied when `structural`).
    owner : tuple of nodes
    evidence : mapping
        :func:`~trustgraph.analysis.contacts.contact_evidence` of `owner`.
    params : EgoParameters
    strength : mapping, optional
        Score per contact that drives the layering instead of contact frequency.
    bulk : mapping, optional
        Bulk messages received from each contact.
    structural : bool
        The weights are link overlap (no conversation data): only the innermost layer is
        core and the next one circle; the rest are acquaintances.

    Returns
    -------
    Classification
    """
    volumes = _Volumes(cg)
    years = observation_years(cg, owner)
    per_year = years if years is not None else 1.0
    frequencies = {n: volumes.total(ev) / per_year for n, ev in evidence.items()}
    found, core_layers, core_rule = _layering(
        evidence, volumes, per_year, params, strength, timed=years is not None
    )
    extra: dict[Hashable, dict[str, Any]] = {n: {} for n in evidence}
    casters, scores = _broadcasters(cg, evidence, volumes, params, bulk, extra)
    as_of = _as_of(cg, evidence)
    trusted_layers = found.n_layers
    if structural:
        trusted_layers = params.thresholds.structural_trusted_layers
        core_layers = params.thresholds.structural_core_layers
        core_rule = "structural"
    classes: dict[Hashable, str] = {}
    stale: list[Hashable] = []
    for n, ev in evidence.items():
        layer = found.layers.get(n)
        if n in casters:
            classes[n] = "broadcaster"
        elif layer is not None and layer <= trusted_layers:
            if _silent_too_long(ev, as_of, per_year, params):
                classes[n] = "stale"
                stale.append(n)
            else:
                classes[n] = "core" if layer <= core_layers else "circle"
        elif volumes.out(ev) > 0:
            classes[n] = "acquaintance"
        else:
            classes[n] = "stranger"
    stale.sort(key=lambda n: evidence[n].last_contact)
    thresholds = {
        "frequency_unit": (
            "score"
            if strength is not None
            else "contacts per year"
            if years is not None
            else "messages"
            if volumes.has_counts
            else "link overlap"
            if structural
            else "tie strength"
        ),
        "observed_years": None if years is None else round(years, 4),
        "core_layers": core_layers,
        "core_rule": core_rule,
        "min_messages": params.min_messages,
        "min_unanswered": params.min_unanswered,
        "max_answered_share": params.max_answered_share,
        "stale_days": params.stale_days,
        "reciprocity": "direct messages" if volumes.has_direct else "messages",
        "structural": structural,
    }
    return Classification(
        classes=classes,
        layers={n: found.layers.get(n) for n in evidence},
        frequencies=frequencies,
        broadcaster_scores=scores,
        circles=found,
        stale=stale,
        extra=extra,
        as_of=as_of,
        thresholds=thresholds,
    )
