"""Leave-one-out edge-weight prediction with fairness/goodness (Kumar et al. 2016, Table IV)."""

from __future__ import annotations

import gzip
import math
import time

import networkx as nx
import numpy as np
import pytest

from trustgraph.algorithms.signed import fairness_goodness
from trustgraph.analysis.evaluate import leave_one_out_fairness_goodness
from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import GraphError, ParameterError

# Kumar et al., ICDM 2016, Table IV, Bitcoin OTC column (DESIGN.md §6): (RMSE, Pearson).
PUBLISHED = {"Fairness x Goodness": (0.31, 0.49), "Goodness": (0.32, 0.48)}


def random_signed_graph(seed: int) -> nx.DiGraph:
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(18, 0.18, seed=seed, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.integers(-10, 11) or 2)
    return G


@pytest.mark.parametrize("seed", [0, 1])
def test_matches_naive_refit_from_scratch(seed):
    # Oracle: delete the edge from a copy of the graph and re-run fairness_goodness cold,
    # with the full graph's scale.
    G = random_signed_graph(seed)
    scale = max(abs(w) for _, _, w in G.edges(data="weight"))
    result = leave_one_out_fairness_goodness(G, tol=1e-12, max_iter=10_000)
    assert result.scale == scale
    for k, (u, v) in enumerate(zip(result.sources, result.targets)):
        H = G.copy()
        H.remove_edge(u, v)
        refit = fairness_goodness(H, scale=scale, tol=1e-12, max_iter=10_000)
        assert result.actual[k] == G[u][v]["weight"] / scale
        assert result.predictions["Goodness"][k] == pytest.approx(refit.goodness[v], abs=1e-9)
        assert result.predictions["Fairness x Goodness"][k] == pytest.approx(
            refit.fairness[u] * refit.goodness[v], abs=1e-9
        )
    actual = result.actual
    for name, predicted in result.predictions.items():
        assert result.rmse[name] == pytest.approx(np.sqrt(np.mean((predicted - actual) ** 2)))
        assert result.pearson[name] == pytest.approx(np.corrcoef(predicted, actual)[0, 1])


def test_cold_start_when_an_edge_was_the_last_one():
    # a -> b is b's only in-edge and a's only out-edge: without it b has goodness 0 and
    # a fairness 1, so both predictions are 0.
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 5.0), ("c", "d", -5.0), ("d", "c", 5.0)])
    result = leave_one_out_fairness_goodness(G)
    k = list(zip(result.sources, result.targets)).index(("a", "b"))
    assert result.predictions["Goodness"][k] == 0.0
    assert result.predictions["Fairness x Goodness"][k] == 0.0


def test_sample_is_reproducible_and_validated():
    G = random_signed_graph(3)
    first = leave_one_out_fairness_goodness(G, sample=5, seed=7)
    again = leave_one_out_fairness_goodness(G, sample=5, seed=7)
    assert len(first.sources) == 5
    assert first.sources == again.sources and first.targets == again.targets
    with pytest.raises(ParameterError):
        leave_one_out_fairness_goodness(G, sample=0)
    with pytest.raises(ParameterError):
        leave_one_out_fairness_goodness(G, sample=10**6)
    with pytest.raises(GraphError):
        leave_one_out_fairness_goodness(nx.DiGraph())
    with pytest.raises(GraphError):
        leave_one_out_fairness_goodness(nx.Graph([(1, 2)]))


# ------------------------------------------------------------------ Bitcoin OTC
def bitcoin_otc(shared_data) -> CompactGraph:
    path = shared_data / "bitcoin-otc" / "soc-sign-bitcoinotc.csv.gz"
    if not path.exists():
        pytest.skip(f"Bitcoin OTC data not available at {path}")
    with gzip.open(path, "rt", encoding="ascii") as handle:
        table = np.loadtxt(handle, delimiter=",", ndmin=2)
    assert table.shape == (35_592, 4)  # SNAP's edge count (data README)
    return CompactGraph.from_edges(
        table[:, 0].astype(np.int64), table[:, 1].astype(np.int64), table[:, 2]
    )


def check_against_table_iv(result, rmse_tolerance, pearson_tolerance):
    assert result.scale == 10.0  # ratings -10..10 / 10, as in the paper
    for name, (rmse, pearson) in PUBLISHED.items():
        assert abs(result.rmse[name] - rmse) <= rmse_tolerance, (name, result.rmse[name])
        assert abs(result.pearson[name] - pearson) <= pearson_tolerance, (
            name,
            result.pearson[name],
        )


@pytest.mark.data
def test_bitcoin_otc_sampled_leave_one_out(shared_data):
    cg = bitcoin_otc(shared_data)
    result = leave_one_out_fairness_goodness(cg, sample=1000, seed=0)
    assert len(result.actual) == 1000
    check_against_table_iv(result, rmse_tolerance=0.03, pearson_tolerance=0.06)


@pytest.mark.slow
@pytest.mark.data
def test_bitcoin_otc_full_leave_one_out_reproduces_table_iv(shared_data):
    cg = bitcoin_otc(shared_data)
    started = time.perf_counter()
    result = leave_one_out_fairness_goodness(cg)
    elapsed = time.perf_counter() - started
    assert len(result.actual) == 35_592
    assert all(math.isfinite(x) for x in result.rmse.values())
    check_against_table_iv(result, rmse_tolerance=0.01, pearson_tolerance=0.02)
    print(f"full leave-one-out on Bitcoin OTC: {elapsed:.1f} s, {result.rmse}, {result.pearson}")
