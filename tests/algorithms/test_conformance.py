"""Invariants every node-scoring algorithm must satisfy, parametrised over a registry.

Every algorithm family lists its :class:`Scorer` entries in ``REGISTRY``. A scorer is
called as ``entry.call(G, seeds)``; ``seeds`` is ``None`` for unseeded metrics.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pytest

from trustgraph.algorithms import flow, paths, random_walk, spreading, sybil

try:
    from naive_sybil import naive_sybilrank, naive_sybilscar
except ImportError:  # collected as a package module
    from .naive_sybil import naive_sybilrank, naive_sybilscar
from trustgraph.algorithms.registry import get_method, method_names
from trustgraph.core.compact import as_compact
from trustgraph.core.vectors import seed_vector
from trustgraph.exceptions import GraphError, SeedError, TrustGraphError


@dataclass(frozen=True)
class Scorer:
    """One node-scoring algorithm and what it promises.

    Attributes
    ----------
    name : str
        Test id.
    function : callable
        ``function(G, seeds, **kwargs)`` (or ``function(G, **kwargs)`` when not `seeded`).
    seeded : bool
        Takes seeds as its second argument.
    directed : bool
        Run on a directed fixture (else an undirected one).
    sums_to_one : bool
        Scores form a probability distribution.
    single_node : float or None
        Score of the only node of a one-node graph seeded with it; ``None``: any finite
        non-negative score, or a documented TrustGraphError.
    null_graph : str
        ``"empty"``: returns ``{}``; ``"seed-error"``: raises SeedError (the seeds cannot
        be in an empty graph); ``"graph-error"``: raises GraphError (refuses empty graphs).
    rtol : float
        Tolerance of the relabelling comparison.
    self_loops : str
        The documented self-loop policy: ``"walk"`` (a walk edge, checked against
        networkx), ``"ignored"`` (same scores as without the loop), ``"naive"`` (counted
        as the independent implementation in tests/algorithms/naive_sybil.py counts it,
        and changing the scores) or ``"unchecked"``.
    kwargs : dict
        Extra keyword arguments.
    """

    name: str
    function: Callable[..., dict[Hashable, float]]
    seeded: bool = True
    directed: bool = True
    sums_to_one: bool = True
    single_node: float | None = 1.0
    null_graph: str = "seed-error"
    rtol: float = 1e-9
    self_loops: str = "walk"
    kwargs: dict[str, Any] = field(default_factory=dict)

    def call(self, G: Any, seeds: Any) -> dict[Hashable, float]:
        if self.seeded:
            return self.function(G, seeds, **self.kwargs)
        return self.function(G, **self.kwargs)


def _single_source(function: Callable[..., dict[Hashable, float]]) -> Callable[..., Any]:
    """Adapt a single-source metric to the registry's seed list (validated like seeds)."""

    def call(G: Any, seeds: Any, **kwargs: Any) -> dict[Hashable, float]:
        seeds = list(seeds)
        seed_vector(as_compact(G), seeds)  # SeedError on empty or unknown seeds
        return function(G, seeds[0], **kwargs)

    call.__wrapped__ = function  # type: ignore[attr-defined]
    return call


# Every family is imported directly: a family that fails to import must fail here loudly,
# never drop out of the conformance suite silently.
REGISTRY: list[Scorer] = [
    Scorer("personalized_pagerank", random_walk.personalized_pagerank),
    Scorer(
        "personalized_pagerank-power",
        random_walk.personalized_pagerank,
        kwargs={"method": "power"},
    ),
    Scorer(
        "personalized_pagerank-push",
        random_walk.personalized_pagerank,
        rtol=1e-4,
        kwargs={"method": "push", "epsilon": 1e-9},
    ),
    Scorer("personalized_pagerank-undirected", random_walk.personalized_pagerank, directed=False),
    Scorer("pagerank", random_walk.pagerank, seeded=False, null_graph="empty"),
    Scorer("inverse_pagerank", random_walk.inverse_pagerank, seeded=False, null_graph="empty"),
    Scorer("trustrank", random_walk.trustrank),
    Scorer("anti_trustrank", random_walk.anti_trustrank),
    Scorer("eigentrust", random_walk.eigentrust, kwargs={"damping": 0.5}),
    Scorer(
        "sybilrank",
        sybil.sybilrank,
        directed=False,
        sums_to_one=False,
        single_node=None,
        null_graph="graph-error",
        self_loops="naive",
    ),
    Scorer(
        "sybilscar",
        sybil.sybilscar,
        directed=False,
        sums_to_one=False,
        single_node=None,
        null_graph="graph-error",
        self_loops="naive",
    ),
    Scorer(
        "appleseed",
        _single_source(spreading.appleseed),
        sums_to_one=False,
        single_node=0.0,
        self_loops="ignored",
    ),
    Scorer(
        "moletrust",
        _single_source(paths.moletrust),
        sums_to_one=False,
        single_node=0.0,
        self_loops="ignored",
    ),
    Scorer(
        "tidaltrust_all",
        _single_source(paths.tidaltrust_all),
        sums_to_one=False,
        single_node=0.0,
        self_loops="ignored",
    ),
    Scorer("advogato", flow.advogato, sums_to_one=False, single_node=1.0, self_loops="ignored"),
    Scorer(
        "advogato-undirected",
        flow.advogato,
        directed=False,
        sums_to_one=False,
        single_node=1.0,
        self_loops="ignored",
    ),
]


# ------------------------------------------------------------------ fixtures
def fixture_graph(directed: bool) -> nx.Graph:
    """Ten fictional people, weighted ties, one dangling node and one isolated node."""
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(["ann", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jo"])
    G.add_weighted_edges_from(
        [
            ("ann", "bob", 3.0),
            ("ann", "cy", 1.0),
            ("bob", "cy", 2.0),
            ("cy", "ann", 1.0),
            ("cy", "dee", 0.5),
            ("dee", "eve", 2.0),
            ("eve", "fay", 1.0),
            ("fay", "dee", 1.0),
            ("eve", "gus", 0.0),  # a declared-only tie
            ("bob", "hal", 1.0),
            ("hal", "ivy", 4.0),  # ivy has no out-edge: dangling when directed
        ]
    )
    return G  # jo is isolated


SEEDS = ["ann", "dee"]
IDS = [entry.name for entry in REGISTRY]


@pytest.fixture(params=REGISTRY, ids=IDS)
def scorer(request: pytest.FixtureRequest) -> Scorer:
    return request.param


def seeds_for(entry: Scorer) -> list[str] | None:
    return SEEDS if entry.seeded else None


# ------------------------------------------------------------------ invariants
def test_registry_covers_every_family():
    assert {
        "personalized_pagerank",
        "trustrank",
        "eigentrust",
        "sybilrank",
        "sybilscar",
        "appleseed",
        "moletrust",
        "tidaltrust_all",
        "advogato",
    } <= set(IDS)


def test_keys_are_exactly_the_nodes_in_order(scorer):
    G = fixture_graph(scorer.directed)
    scores = scorer.call(G, seeds_for(scorer))
    assert list(scores) == list(G.nodes)


def test_scores_are_finite_non_negative_floats(scorer):
    G = fixture_graph(scorer.directed)
    scores = scorer.call(G, seeds_for(scorer))
    for node, value in scores.items():
        assert isinstance(value, float), (node, value)
        assert math.isfinite(value) and value >= 0.0, (node, value)
    if scorer.sums_to_one:
        assert math.isclose(sum(scores.values()), 1.0, rel_tol=1e-12)


def test_relabelling_permutes_the_result(scorer):
    G = fixture_graph(scorer.directed)
    scores = scorer.call(G, seeds_for(scorer))
    names = list(G.nodes)
    shuffled = names[:]
    random.Random(4).shuffle(shuffled)
    mapping = dict(zip(names, (f"id-{i}" for i in range(len(names)))))
    # Build the relabelled graph in another node order, so internal indices differ too.
    H = nx.DiGraph() if scorer.directed else nx.Graph()
    H.add_nodes_from(mapping[v] for v in shuffled)
    H.add_weighted_edges_from((mapping[u], mapping[v], w) for u, v, w in G.edges(data="weight"))
    relabelled_seeds = None if not scorer.seeded else [mapping[s] for s in SEEDS]
    relabelled = scorer.call(H, relabelled_seeds)
    assert set(relabelled) == set(mapping.values())
    for node in names:
        assert math.isclose(
            relabelled[mapping[node]], scores[node], rel_tol=scorer.rtol, abs_tol=1e-12
        ), node


def test_unknown_or_empty_seeds_raise(scorer):
    if not scorer.seeded:
        pytest.skip("unseeded metric")
    G = fixture_graph(scorer.directed)
    with pytest.raises(SeedError):
        scorer.call(G, ["ann", "nobody"])
    with pytest.raises(SeedError):
        scorer.call(G, [])


def test_null_graph(scorer):
    G = nx.DiGraph() if scorer.directed else nx.Graph()
    if scorer.null_graph == "empty":
        assert scorer.call(G, None) == {}
    elif scorer.null_graph == "graph-error":
        with pytest.raises(GraphError):
            scorer.call(G, ["ann"] if scorer.seeded else None)
    else:
        with pytest.raises(SeedError):
            scorer.call(G, ["ann"])


def test_single_node(scorer):
    G = nx.DiGraph() if scorer.directed else nx.Graph()
    G.add_node("solo")
    seeds = ["solo"] if scorer.seeded else None
    if scorer.single_node is None:
        try:
            scores = scorer.call(G, seeds)
        except TrustGraphError:
            return  # a documented refusal is acceptable
        assert list(scores) == ["solo"]
        assert math.isfinite(scores["solo"]) and scores["solo"] >= 0
    else:
        assert scorer.call(G, seeds) == {"solo": scorer.single_node}


def test_negative_weights_raise(scorer):
    G = fixture_graph(scorer.directed)
    G["ann"]["bob"]["weight"] = -1.0
    with pytest.raises(GraphError):
        scorer.call(G, seeds_for(scorer))


# ------------------------------------------------------------------ self-loops
#: networkx oracles of the walks: (graph to walk, seeds or None for uniform teleport).
_REVERSED = {random_walk.anti_trustrank, random_walk.inverse_pagerank}


def _networkx_walk(entry: Scorer, G: nx.Graph) -> dict[Hashable, float]:
    walked = G.reverse() if entry.function in _REVERSED else G
    damping = entry.kwargs.get("damping", 0.85)
    if not entry.seeded:
        return nx.pagerank(walked, alpha=damping, tol=1e-13, max_iter=10_000)
    s = {v: (1.0 if v in SEEDS else 0.0) for v in G}
    return nx.pagerank(
        walked, alpha=damping, personalization=s, dangling=s, tol=1e-13, max_iter=10_000
    )


def _naive_sybil(entry: Scorer, G: nx.Graph) -> dict[Hashable, float]:
    """The independent SybilRank/SybilSCAR of tests/algorithms/naive_sybil.py on ``G``."""
    if entry.function is sybil.sybilrank:
        steps = math.ceil(math.log2(G.number_of_nodes()))
        return naive_sybilrank(G, SEEDS, n_steps=steps)
    weight_hat = sybil.sybilscar_weight_bound(G) * 0.9
    return naive_sybilscar(G, set(SEEDS), set(), weight_hat, tol=1e-3)


def test_self_loops_follow_the_documented_policy(scorer):
    G = fixture_graph(scorer.directed)
    H = G.copy()
    H.add_edge("bob", "bob", weight=2.0)
    H.add_edge("dee", "dee", weight=1.0)
    if scorer.self_loops == "unchecked":
        pytest.skip("policy documented by the family's owner")
    got = scorer.call(H, seeds_for(scorer))
    if scorer.self_loops == "naive":
        expected = _naive_sybil(scorer, H)
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert got != pytest.approx(scorer.call(G, seeds_for(scorer)), abs=1e-9)
    elif scorer.self_loops == "walk":
        expected = _networkx_walk(scorer, H)
        assert got == pytest.approx(expected, rel=max(scorer.rtol, 1e-8), abs=1e-9)
        assert got != pytest.approx(scorer.call(G, seeds_for(scorer)), abs=1e-6)
    else:
        assert got == scorer.call(G, seeds_for(scorer))


def test_every_scoring_method_of_the_registry_is_checked_here():
    checked = {getattr(entry.function, "__wrapped__", entry.function) for entry in REGISTRY}
    for name in method_names(output="scores"):
        assert get_method(name).function in checked, name
