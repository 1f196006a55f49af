"""Evaluation protocols on the real public datasets in ../shared/data (skipped without them)."""

from __future__ import annotations

import pytest

from trustgraph.analysis.evaluate import evaluate_edge_weight, evaluate_sybil
from trustgraph.ingest.detect import read_graph

# Kumar et al., ICDM 2016, Table IV, Bitcoin OTC (DESIGN.md §6): (RMSE, Pearson).
TABLE_IV = {"Fairness x Goodness": (0.31, 0.49), "Goodness": (0.32, 0.48)}


def dataset_file(shared_data, folder, name):
    path = shared_data / folder / name
    if not path.exists():
        pytest.skip(f"{folder} data not available at {path}")
    return path


@pytest.mark.data
def test_sybil_ego_facebook_community_seeds_g500(shared_data):
    # The SybilSCAR paper reports AUC 0.99 (SybilRank) and 1.00 (SybilSCAR) with 500
    # attack edges on a Facebook graph; DESIGN.md §6 measured 0.996 for SybilRank here.
    G = read_graph(dataset_file(shared_data, "ego-facebook", "facebook.tar.gz"))
    result = evaluate_sybil(
        G, attack_edges=(500,), repetitions=1, methods=("SybilRank", "SybilSCAR"), seed=0
    )
    for row in result.results:
        assert row["auc"] >= 0.95, row


@pytest.mark.slow
@pytest.mark.data
def test_bitcoin_otc_table_iv_through_the_protocol(shared_data):
    G = read_graph(dataset_file(shared_data, "bitcoin-otc", "soc-sign-bitcoinotc.csv.gz"))
    result = evaluate_edge_weight(G, methods=("Fairness x Goodness", "Goodness"))
    assert result.parameters["scale"] == 10.0
    for row in result.results:
        rmse, pearson = TABLE_IV[row["method"]]
        assert abs(row["rmse"] - rmse) <= 0.01, row
        assert abs(row["pearson"] - pearson) <= 0.02, row
