"""Tests of the sample network and the synthetic generators (trustgraph.datasets).

The bundled CSV files are read back with the stdlib csv module, independently of the
generator's own records, so that the files themselves carry the planted truth.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from trustgraph.core.compact import CompactGraph
from trustgraph.datasets import (
    CONTACT_COLUMNS,
    CONVERSATION_COLUMNS,
    TRUTH_COLUMNS,
    Truth,
    attach_sybil_region,
    powerlaw_graph,
    read_truth,
    sample_network,
    sample_owner,
    sample_paths,
    write_sample,
)
from trustgraph.exceptions import GraphError, IngestError, ParameterError

ROOT = Path(__file__).resolve().parents[1]
OWNER = "me@example.com"
LAYER_SIZES = {1: 5, 2: 10, 3: 35, 4: 100}  # the defaults: new members per layer


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def bundled() -> dict[str, list[dict[str, str]]]:
    paths = sample_paths()
    return {name: _rows(paths[name])[1] for name in ("contacts", "conversations", "truth")}


@pytest.fixture(scope="module")
def roles(bundled) -> dict[str, str]:
    return {row["id"]: row["role"] for row in bundled["truth"]}


@pytest.fixture(scope="module")
def messages(bundled) -> list[tuple[datetime, str, list[str], str, str]]:
    out = []
    for row in bundled["conversations"]:
        when = datetime.strptime(row["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=timezone.utc
        )
        out.append(
            (
                when,
                row["sender"],
                row["recipients"].split(";"),
                row["channel"],
                row["conversation_id"],
            )
        )
    return out


@pytest.fixture(scope="module")
def direct_counts(messages) -> tuple[Counter, Counter]:
    """Direct messages owner -> x and x -> owner, counted from the file."""
    sent, received = Counter(), Counter()
    for _, sender, recipients, channel, _ in messages:
        if channel != "dm":
            continue
        if sender == OWNER:
            sent[recipients[0]] += 1
        elif recipients == [OWNER]:
            received[sender] += 1
    return sent, received


# ---------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_records():
    a = sample_network(seed=3, n_declared=500)
    b = sample_network(seed=3, n_declared=500)
    assert a.events == b.events
    assert a.contacts == b.contacts
    assert a.truth == b.truth
    assert a.attack_edges == b.attack_edges


def test_different_seed_gives_different_records():
    a = sample_network(seed=3, n_declared=500)
    b = sample_network(seed=4, n_declared=500)
    assert a.events != b.events
    assert [c.id for c in a.contacts] != [c.id for c in b.contacts]


def test_bundled_files_equal_a_fresh_write(tmp_path):
    written = write_sample(tmp_path)
    bundled = sample_paths()
    for name in ("contacts", "conversations", "truth"):
        assert written[name].read_bytes() == bundled[name].read_bytes(), name


def test_sample_graphs_folder_equals_package_data():
    folder = ROOT / "sample_graphs"
    if not folder.is_dir():
        pytest.skip("sample_graphs/ is not next to the tests (installed package run)")
    bundled = sample_paths()
    for name in ("contacts", "conversations", "truth"):
        assert (folder / f"{name}.csv").read_bytes() == bundled[name].read_bytes(), name
    assert (folder / "README.md").is_file()


def test_rewriting_gives_byte_identical_files(tmp_path):
    net = sample_network(seed=5, n_declared=300)
    first = {k: p.read_bytes() for k, p in write_sample(tmp_path / "a", net).items()}
    second = {k: p.read_bytes() for k, p in write_sample(tmp_path / "b", net).items()}
    assert first == second


# ---------------------------------------------------------------------------- file format


def test_headers_are_exact_and_no_body_column():
    paths = sample_paths()
    assert tuple(_rows(paths["contacts"])[0]) == CONTACT_COLUMNS
    assert tuple(_rows(paths["conversations"])[0]) == CONVERSATION_COLUMNS
    assert tuple(_rows(paths["truth"])[0]) == TRUTH_COLUMNS
    assert CONVERSATION_COLUMNS == (
        "timestamp",
        "sender",
        "recipients",
        "channel",
        "conversation_id",
    )
    assert CONTACT_COLUMNS == (
        "id",
        "name",
        "email",
        "company",
        "position",
        "connected_on",
        "source",
    )


def test_files_are_small_and_unix_terminated():
    paths = sample_paths()
    total = sum(paths[k].stat().st_size for k in ("contacts", "conversations", "truth"))
    assert total < 1_500_000
    for name in ("contacts", "conversations", "truth"):
        assert b"\r" not in paths[name].read_bytes()


def test_timestamps_channels_and_sorting(bundled, messages):
    pattern = re.compile(r"^2025-\d\d-\d\dT\d\d:\d\d:00Z$")
    for row in bundled["conversations"]:
        assert pattern.match(row["timestamp"]), row["timestamp"]
    assert {m[3] for m in messages} == {"dm", "group"}
    times = [m[0] for m in messages]
    assert times == sorted(times)
    # a dm has exactly one recipient, a group message at least two
    for _, sender, recipients, channel, _ in messages:
        assert sender not in recipients
        assert (len(recipients) == 1) == (channel == "dm")


def test_contacts_are_example_domains_and_sorted(bundled):
    ids = [row["id"] for row in bundled["contacts"]]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids)) == 3000
    for row in bundled["contacts"]:
        assert row["id"] == row["email"].lower()
        assert row["email"].rsplit("@", 1)[1] in ("example.com", "example.org", "example.net")
        assert re.match(r"^\d{4}-\d\d-\d\d$", row["connected_on"])
        assert row["name"] and row["company"] and row["position"]
    assert OWNER not in ids


# ---------------------------------------------------------------------------- planted truth


def test_layer_sizes_are_cumulative_5_15_50_150(bundled):
    layers = Counter(int(r["layer"]) for r in bundled["truth"] if r["layer"])
    assert dict(layers) == LAYER_SIZES
    cumulative = np.cumsum([layers[k] for k in (1, 2, 3, 4)]).tolist()
    assert cumulative == [5, 15, 50, 150]
    roles = Counter(r["role"] for r in bundled["truth"])
    assert roles["owner"] == 1
    assert roles["core"] == 15
    assert roles["circle"] == 135
    assert roles["broadcaster"] == 8
    assert roles["sybil"] == 20
    # every core member is in layer 1-2 and every circle member in layer 3-4
    for r in bundled["truth"]:
        if r["role"] == "core":
            assert r["layer"] in ("1", "2")
        elif r["role"] == "circle":
            assert r["layer"] in ("3", "4")
        else:
            assert r["layer"] == ""


def test_every_participant_is_in_the_truth(bundled, roles, messages):
    declared = {row["id"] for row in bundled["contacts"]}
    assert declared <= set(roles)
    for _, sender, recipients, _, _ in messages:
        for node in (sender, *recipients):
            assert node in roles, node
            if node not in declared:
                # not a declared connection: the owner, someone seen in chats only, a
                # newsletter, or one of the few partners met outside LinkedIn
                assert roles[node] in (
                    "owner",
                    "fof",
                    "sybil",
                    "broadcaster",
                    "core",
                    "circle",
                    "acquaintance",
                ), node
    participants = {n for _, s, rs, _, _ in messages for n in (s, *rs)}
    for node, role in roles.items():
        if role == "stranger":
            assert node in declared and node not in participants
        if role == "fof":
            assert node not in declared and node in participants
            assert "@" not in node


def test_broadcasters_never_hear_from_the_owner(roles, messages):
    broadcasters = {n for n, r in roles.items() if r == "broadcaster"}
    received = Counter()
    for _, sender, recipients, _, _ in messages:
        if sender == OWNER:
            assert not broadcasters & set(recipients)
        if sender in broadcasters:
            assert recipients == [OWNER]
            received[sender] += 1
    assert set(received) == broadcasters
    assert min(received.values()) >= 20


def test_broadcasters_send_in_bursts(roles, messages):
    times = defaultdict(list)
    for when, sender, _, _, _ in messages:
        if roles[sender] == "broadcaster":
            times[sender].append(when)
    for sender, stamps in times.items():
        gaps = np.diff(sorted(stamps))
        quick = sum(g <= timedelta(minutes=2) for g in gaps)
        assert quick >= len(gaps) / 2, sender


def test_sybils_reach_the_honest_part_by_exactly_three_attack_edges(roles, messages):
    pairs = set()
    for _, sender, recipients, _, _ in messages:
        for r in recipients:
            pairs.add(frozenset((sender, r)))
    crossing = {p for p in pairs if sorted(roles[n] == "sybil" for n in p) == [False, True]}
    with_owner = {p for p in crossing if OWNER in p}
    attack = crossing - with_owner
    assert len(attack) == 3
    net = sample_network()
    assert attack == {frozenset(e) for e in net.attack_edges}
    for pair in attack:
        (honest,) = [n for n in pair if roles[n] != "sybil"]
        assert roles[honest] == "acquaintance"
    # the owner never writes to a Sybil: owner-Sybil edges only point at the owner
    for _, sender, recipients, _, _ in messages:
        if sender == OWNER:
            assert not any(roles[r] == "sybil" for r in recipients)


def test_sybil_cluster_is_dense(roles, messages):
    sybils = {n for n, r in roles.items() if r == "sybil"}
    edges = set()
    for _, sender, recipients, _, _ in messages:
        if sender in sybils:
            edges.update((sender, r) for r in recipients if r in sybils)
    n = len(sybils)
    assert len(edges) / (n * (n - 1)) > 0.5


def test_adjacent_layers_overlap_but_medians_are_ordered(roles, bundled, direct_counts):
    sent, received = direct_counts
    per_layer = defaultdict(list)
    for row in bundled["truth"]:
        if row["layer"]:
            node = row["id"]
            per_layer[int(row["layer"])].append(sent[node] + received[node])
    assert min(per_layer[2]) < max(per_layer[3])
    medians = [float(np.median(per_layer[k])) for k in (1, 2, 3, 4)]
    assert medians == sorted(medians, reverse=True)
    # Dunbar: weekly or more in layer 1, about monthly or more in layer 2
    assert medians[0] >= 52 and medians[1] >= 12
    assert min(per_layer[4]) >= 3


def test_partners_are_two_way_and_inner_layers_balanced(bundled, direct_counts):
    sent, received = direct_counts
    for row in bundled["truth"]:
        if row["role"] in ("core", "circle", "acquaintance"):
            node = row["id"]
            assert sent[node] >= 1 and received[node] >= 1, node
        if row["layer"] in ("1", "2"):
            node = row["id"]
            share = sent[node] / (sent[node] + received[node])
            assert 0.35 <= share <= 0.65, (node, share)


def test_stale_ties_went_quiet_and_others_did_not(bundled, messages):
    last = {}
    for when, sender, recipients, _, _ in messages:
        if sender == OWNER and len(recipients) == 1:
            last[recipients[0]] = when
        elif recipients == [OWNER]:
            last[sender] = when
    end = datetime(2025, 12, 31, 23, 59, tzinfo=timezone.utc)
    stale = [r for r in bundled["truth"] if r["stale"] == "true"]
    assert len(stale) == 2
    for row in stale:
        assert end - last[row["id"]] > timedelta(days=180)
    for row in bundled["truth"]:
        if row["role"] == "core" and row["stale"] == "false":
            assert end - last[row["id"]] < timedelta(days=90)


def test_a_naive_classifier_recovers_core_and_broadcasters(roles, direct_counts):
    """The planted signal: top-15 reciprocal partners by volume; one-way high volume."""
    sent, received = direct_counts
    two_way = [n for n in set(sent) | set(received) if sent[n] and received[n]]
    top = set(sorted(two_way, key=lambda n: (-(sent[n] + received[n]), n))[:15])
    core = {n for n, r in roles.items() if r == "core"}
    assert len(top & core) / len(top) >= 0.9
    assert len(top & core) / len(core) >= 0.9
    one_way = {n for n in received if not sent[n] and received[n] >= 20}
    assert one_way == {n for n, r in roles.items() if r == "broadcaster"}
    sybils = {n for n, r in roles.items() if r == "sybil"}
    assert not sybils & (top | set(two_way))


def test_read_truth_round_trip(tmp_path):
    net = sample_network(seed=2, n_declared=300)
    paths = write_sample(tmp_path, net)
    truth = read_truth(paths["truth"])
    assert truth == {
        node: Truth(t.role, layer=t.layer, stale=t.stale) for node, t in net.truth.items()
    }
    assert read_truth()[sample_owner()].role == "owner"


def test_read_truth_rejects_a_bad_file(tmp_path):
    bad = tmp_path / "truth.csv"
    bad.write_text("id,role,layer,stale\na@example.com,friend,,false\n")
    with pytest.raises(IngestError) as info:
        read_truth(bad)
    assert info.value.line == 2
    bad.write_text("id,role\n")
    with pytest.raises(IngestError):
        read_truth(bad)


def test_write_sample_refuses_to_overwrite(tmp_path):
    net = sample_network(seed=2, n_declared=300)
    write_sample(tmp_path, net)
    (tmp_path / "contacts.csv").write_text("keep me")
    (tmp_path / "truth.csv").unlink()
    with pytest.raises(IngestError):
        write_sample(tmp_path, net)
    # nothing was written: the check happens before any file is touched
    assert (tmp_path / "contacts.csv").read_text() == "keep me"
    assert not (tmp_path / "truth.csv").exists()
    write_sample(tmp_path, net, overwrite=True)
    assert (tmp_path / "contacts.csv").read_text().startswith("id,name,")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_declared": 10},
        {"layer_sizes": (5, 10, 35)},
        {"layer_sizes": (5, 0, 35, 100)},
        {"n_sybils": -1},
        {"n_attack_edges": 30},
        {"stale_layers": (5,)},
        {"undeclared_partner_share": 1.0},
        {"n_fof": 15, "n_groups": 8},
        {"n_fof": 5, "n_groups": 0},
        {"n_sybils": 1, "n_attack_edges": 1},
    ],
)
def test_sample_parameters_are_validated(kwargs):
    with pytest.raises(ParameterError):
        sample_network(**kwargs)


def test_custom_sizes_are_honoured():
    net = sample_network(
        seed=11, n_declared=250, layer_sizes=(3, 6, 12, 30), n_sybils=8, n_attack_edges=2
    )
    assert len(net.contacts) == 250
    assert Counter(t.layer for t in net.truth.values() if t.layer) == {1: 3, 2: 6, 3: 12, 4: 30}
    assert len(net.by_role("sybil")) == 8
    assert len(net.attack_edges) == 2
    assert all(net.start <= e.timestamp < net.end for e in net.events)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_tiny_networks_stay_consistent(seed):
    net = sample_network(
        seed=seed,
        n_declared=40,
        layer_sizes=(1, 1, 1, 2),
        stale_layers=(1,),
        n_acquaintances=2,
        n_groups=2,
        n_fof=4,
        n_broadcasters=2,
        n_sybils=2,
        n_attack_edges=1,
    )
    for e in net.events:
        assert net.start <= e.timestamp < net.end
        assert (len(e.recipients) == 1) == (e.channel == "dm")
        assert all(n in net.truth for n in (e.sender, *e.recipients))
    assert len(net.contacts) == 40


def test_contacts_csv_reader_reads_the_bundled_sample():
    contacts_csv = pytest.importorskip("trustgraph.ingest.contacts_csv")
    paths = sample_paths()
    contacts = contacts_csv.read_contacts(paths["contacts"])
    events = contacts_csv.read_conversations(paths["conversations"])
    assert len(contacts) == 3000
    assert len(events) == len(paths["conversations"].read_text().splitlines()) - 1
    net = sample_network()
    assert contacts == net.contacts
    key = lambda e: (e.timestamp, e.sender, e.recipients, e.channel, e.conversation_id)  # noqa: E731
    assert [key(e) for e in events] == [key(e) for e in net.events]


# ---------------------------------------------------------------------------- power laws


@pytest.mark.parametrize("directed", [True, False])
def test_powerlaw_graph_sizes_and_simple(directed):
    cg = powerlaw_graph(2000, 10_000, n_communities=8, seed=3, directed=directed)
    assert isinstance(cg, CompactGraph)
    assert cg.n_nodes == 2000
    assert cg.n_edges == 10_000
    assert cg.n_self_loops == 0
    assert cg.nodes == tuple(range(2000))
    # canonical CSR: no duplicate (row, col)
    a = cg.adjacency.copy()
    a.sum_duplicates()
    assert a.nnz == cg.n_stored
    if not directed:
        assert (cg.adjacency != cg.adjacency.T).nnz == 0
    weights = cg.weights
    assert np.all(weights >= 1) and np.all(weights == np.round(weights))


def test_powerlaw_graph_has_a_heavy_tail():
    cg = powerlaw_graph(5000, 25_000, seed=1)
    degree = cg.out_degree() + cg.in_degree()
    assert degree.max() > 10 * degree.mean()
    # a uniform random graph with the same sizes has no such hub
    rng = np.random.default_rng(0)
    uniform = np.bincount(rng.integers(0, 5000, 50_000), minlength=5000)
    assert uniform.max() < 3 * uniform.mean()


def test_powerlaw_graph_plants_communities():
    cg = powerlaw_graph(3000, 15_000, n_communities=6, mixing=0.1, seed=2)
    community = np.asarray(cg.node_attrs["community"])
    assert set(community.tolist()) == set(range(6))
    rows, cols = cg.edge_arrays()
    inside = np.mean(community[rows] == community[cols])
    # 90% forced inside plus the chance that a mixed edge lands inside anyway
    assert 0.88 <= inside <= 0.97
    mixed = powerlaw_graph(3000, 15_000, n_communities=6, mixing=1.0, seed=2)
    rows, cols = mixed.edge_arrays()
    community = np.asarray(mixed.node_attrs["community"])
    assert np.mean(community[rows] == community[cols]) < 0.35


def test_powerlaw_graph_is_deterministic():
    a = powerlaw_graph(500, 2000, seed=9)
    b = powerlaw_graph(500, 2000, seed=9)
    c = powerlaw_graph(500, 2000, seed=10)
    assert (a.adjacency != b.adjacency).nnz == 0
    assert a.node_attrs == b.node_attrs
    assert (a.adjacency != c.adjacency).nnz > 0
    unweighted = powerlaw_graph(500, 2000, seed=9, weighted=False)
    assert np.all(unweighted.weights == 1.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_nodes": 1, "n_edges": 0},
        {"n_nodes": 10, "n_edges": -1},
        {"n_nodes": 10, "n_edges": 60},
        {"n_nodes": 10, "n_edges": 5, "exponent": 2.0},
        {"n_nodes": 10, "n_edges": 5, "mixing": 1.5},
        {"n_nodes": 10, "n_edges": 5, "n_communities": 11},
    ],
)
def test_powerlaw_graph_validates(kwargs):
    with pytest.raises(ParameterError):
        powerlaw_graph(**kwargs)


# ---------------------------------------------------------------------------- Sybil regions


def _crossing(graph: CompactGraph, n_honest: int) -> set[tuple[int, int]]:
    rows, cols = graph.edge_arrays()
    mask = (rows < n_honest) != (cols < n_honest)
    return {(int(min(r, c)), int(max(r, c))) for r, c in zip(rows[mask], cols[mask])}


@pytest.mark.parametrize("region", ["copy", "powerlaw", "random"])
@pytest.mark.parametrize("directed", [True, False])
def test_attach_adds_exactly_g_attack_edges(region, directed):
    honest = powerlaw_graph(300, 1200, seed=4, directed=directed)
    graph, sybils, attack = attach_sybil_region(
        honest, region=region, n_attack_edges=25, seed=1, n_sybils=120
    )
    n = honest.n_nodes
    assert len(attack) == 25 == len(set(attack))
    assert _crossing(graph, n) == {(h, graph.index[s]) for h, s in attack}
    # stored in both directions, so the crossing entries are 2 g
    rows, cols = graph.edge_arrays()
    assert int(np.sum((rows < n) != (cols < n))) == 50
    assert sybils == [f"sybil-{i}" for i in range(len(sybils))]
    assert graph.nodes[:n] == honest.nodes and list(graph.nodes[n:]) == sybils
    assert graph.node_attrs["sybil"] == (False,) * n + (True,) * len(sybils)
    # the honest region is untouched
    assert (graph.adjacency[:n, :n] != honest.adjacency).nnz == 0
    sybil_block = graph.adjacency[n:, n:]
    if region == "copy":
        assert len(sybils) == n
        assert (sybil_block != honest.adjacency).nnz == 0
    else:
        assert len(sybils) == 120
        assert graph.subgraph(sybils).n_edges == honest.n_edges
    assert graph.directed == directed


def test_attach_targeting_seeds_and_degree():
    star = nx.star_graph(50)  # hub 0 with degree 50, leaves of degree 1
    _, _, attack = attach_sybil_region(star, n_attack_edges=5, targeting="seeds", seeds=[3, 7])
    assert {h for h, _ in attack} <= {3, 7}
    _, _, by_degree = attach_sybil_region(star, n_attack_edges=60, targeting="degree", seed=2)
    _, _, at_random = attach_sybil_region(star, n_attack_edges=60, targeting="random", seed=2)
    # the hub holds half the degree mass but 1/51 of the nodes
    hub_degree = sum(h == 0 for h, _ in by_degree)
    hub_random = sum(h == 0 for h, _ in at_random)
    assert hub_degree >= 20
    assert hub_random <= 10


def test_attach_keeps_edge_attributes_of_a_networkx_graph():
    G = nx.DiGraph()
    G.add_edge("a", "b", weight=2.0, count=4)
    G.add_edge("b", "c", weight=1.0, count=1)
    graph, sybils, attack = attach_sybil_region(G, n_attack_edges=2, seed=0)
    assert set(sybils) == {"sybil-0", "sybil-1", "sybil-2"}
    nxg = graph.to_networkx()
    assert nxg["a"]["b"]["count"] == 4 and nxg["sybil-0"]["sybil-1"]["count"] == 4
    assert nxg["sybil-0"]["sybil-1"]["weight"] == 2.0
    for h, s in attack:
        assert nxg[h][s]["weight"] == 1.0 and nxg[s][h]["weight"] == 1.0


def test_attach_is_deterministic_and_validates():
    honest = powerlaw_graph(200, 800, seed=4)
    one = attach_sybil_region(honest, n_attack_edges=10, seed=5)
    two = attach_sybil_region(honest, n_attack_edges=10, seed=5)
    assert one[2] == two[2]
    with pytest.raises(ParameterError):
        attach_sybil_region(honest, n_attack_edges=3, region="clone")
    with pytest.raises(ParameterError):
        attach_sybil_region(honest, n_attack_edges=3, targeting="seeds")
    with pytest.raises(ParameterError):
        attach_sybil_region(honest, n_attack_edges=3, targeting="seeds", seeds=[999])
    with pytest.raises(ParameterError):
        attach_sybil_region(nx.path_graph(2), n_attack_edges=5)
    lonely = nx.Graph([(0, 1)])
    lonely.add_node(2)  # isolated: degree targeting can only reach 0 and 1
    with pytest.raises(ParameterError):
        attach_sybil_region(lonely, n_attack_edges=7, targeting="degree", seed=0)
    _, _, attack = attach_sybil_region(lonely, n_attack_edges=6, targeting="degree", seed=0)
    assert {h for h, _ in attack} == {0, 1}
    clash = nx.Graph([("sybil-0", "x")])
    with pytest.raises(GraphError):
        attach_sybil_region(clash, n_attack_edges=1)
