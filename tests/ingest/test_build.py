"""build_graph: nodes, attributes, tie weights, declared-only edges, compact output."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import networkx as nx
import numpy as np
import pytest

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import ParameterError
from trustgraph.ingest.build import build_graph, graph_from_export
from trustgraph.ingest.contacts_csv import read_contacts, read_conversations
from trustgraph.ingest.records import Contact, ConversationEvent, ExportData, ReadReport
from trustgraph.ingest.ties import TieModel, tie_components

T = datetime(2025, 3, 1, tzinfo=timezone.utc)
DAY = timedelta(days=1)
PLAIN = TieModel.plain_counts()


def ev(when, sender, *recipients):
    return ConversationEvent(when, sender, recipients)


CONTACTS = [
    Contact(
        "ada",
        ("ada@example.com",),
        "Ada Example",
        {"company": "Example Ltd", "position": "Engineer", "team": "blue"},
        source="linkedin",
        connected_on=datetime(2023, 5, 1, tzinfo=timezone.utc),
        declared=True,
    ),
    Contact("bo", ("bo@example.org",), "Bo Sample", source="contacts-csv", declared=True),
    Contact("cy", ("+15550100103",), None, declared=True),
]


def test_nodes_attributes_and_alias_resolution():
    events = [
        ev(T, "me@example.net", "ada@example.com"),  # resolved to contact "ada"
        ev(T, "ada", "dee@example.com"),  # a participant without a contact record
    ]
    G = build_graph(CONTACTS, events, PLAIN, me="me@example.net")
    assert isinstance(G, nx.DiGraph)
    # contacts first, then participants by first appearance
    assert list(G.nodes) == ["ada", "bo", "cy", "me@example.net", "dee@example.com"]
    ada = G.nodes["ada"]
    assert ada["name"] == "Ada Example"
    assert ada["company"] == "Example Ltd"
    assert ada["position"] == "Engineer"
    assert ada["team"] == "blue"
    assert ada["source"] == "linkedin"
    assert ada["connected_on"] == datetime(2023, 5, 1, tzinfo=timezone.utc).timestamp()
    assert ada["is_me"] is False
    assert G.nodes["me@example.net"]["is_me"] is True
    assert "name" not in G.nodes["dee@example.com"]
    assert G.edges["me@example.net", "ada"]["count"] == 1
    assert G.edges["ada", "dee@example.com"]["weight"] == 1.0


def test_declared_only_edges_from_owner():
    events = [
        ev(T, "me", "ada"),  # the owner wrote to ada: no declared edge needed
        ev(T, "bo", "me"),  # bo wrote to the owner, never the reverse: declared me -> bo
    ]
    G = build_graph(CONTACTS, events, PLAIN, me=["me"])
    assert G.edges["me", "ada"]["declared_only"] is False
    assert G.edges["me", "ada"]["weight"] == 1.0
    for contact in ("bo", "cy"):
        data = G.edges["me", contact]
        assert data["weight"] == 0.0
        assert data["count"] == 0
        assert data["declared_only"] is True
    assert G.edges["bo", "me"]["declared_only"] is False
    # cy has no connected_on, so the declared edge has no date
    assert math.isnan(G.edges["me", "cy"]["first_seen"])
    assert G.number_of_edges() == 4


def test_declared_edge_takes_connected_on():
    G = build_graph(CONTACTS, [], me="me")
    when = datetime(2023, 5, 1, tzinfo=timezone.utc).timestamp()
    assert G.edges["me", "ada"]["first_seen"] == when
    assert G.edges["me", "ada"]["last_seen"] == when
    assert sorted(G.successors("me")) == ["ada", "bo", "cy"]
    assert "reference_time" not in G.graph
    assert G.graph["tie_model"].startswith("TieModel(")


def test_owner_that_is_a_contact_gets_no_self_edge():
    G = build_graph(CONTACTS, [], me="ada@example.com")  # resolves to "ada"
    assert G.nodes["ada"]["is_me"] is True
    assert sorted(G.successors("ada")) == ["bo", "cy"]
    assert not G.has_edge("ada", "ada")


def test_owner_identifier_normalised_like_a_csv_cell():
    G = build_graph(CONTACTS, [ev(T, "ada@example.com", "cy")], PLAIN, me="  ADA@Example.COM ")
    assert G.nodes["ada"]["is_me"] is True
    assert len(G) == 3


def test_no_owner_no_declared_edges():
    G = build_graph(CONTACTS, [ev(T, "ada", "bo")], PLAIN)
    assert list(G.edges) == [("ada", "bo")]
    assert not any(G.nodes[n]["is_me"] for n in G)


def test_weights_equal_tie_table():
    events = [
        ev(T, "ada", "bo"),
        ev(T - 30 * DAY, "bo", "ada"),
        ev(T - 10 * DAY, "ada", "bo", "cy", "dee"),
        ev(T - 200 * DAY, "cy", "ada"),
    ]
    model = TieModel()
    table = tie_components(events, model)
    G = build_graph([], events, model)
    expected = dict(zip(table.pairs(), table.weight.tolist()))
    got = {(u, v): w for u, v, w in G.edges(data="weight")}
    assert got == pytest.approx(expected)
    assert G.graph["reference_time"] == T.timestamp()
    # Hand check of bo -> cy: co-recipients of a 3-recipient message 10 days before T
    # C = 0.5 ** (10 / 90) / 3, weight log1p(0.25 * C)
    assert G.edges["bo", "cy"]["weight"] == pytest.approx(math.log1p(0.25 * 0.5 ** (10 / 90) / 3))
    assert G.edges["bo", "cy"]["count"] == 0


def test_compact_matches_networkx_and_from_edges_oracle():
    events = [
        ev(T, "ada", "bo"),
        ev(T - DAY, "bo", "ada", "cy"),
        ev(T - 2 * DAY, "me", "cy"),
        ev(T - 3 * DAY, "dee", "me"),
    ]
    cg = build_graph(CONTACTS, events, me="me", compact=True)
    G = build_graph(CONTACTS, events, me="me")
    assert isinstance(cg, CompactGraph)
    assert cg.nodes == tuple(G.nodes)
    oracle = CompactGraph.from_networkx(G)
    assert (cg.adjacency != oracle.adjacency).nnz == 0
    assert np.array_equal(cg.adjacency.indices, oracle.adjacency.indices)
    for name in ("count", "declared_only"):
        assert np.array_equal(cg.edge_attrs[name], oracle.edge_attrs[name])
    assert np.allclose(
        cg.edge_attrs["first_seen"], oracle.edge_attrs["first_seen"], equal_nan=True
    )
    # Declared-only zeros are stored edges, not dropped
    u, v = cg.index["me"], cg.index["bo"]
    row = cg.adjacency.indices[cg.adjacency.indptr[u] : cg.adjacency.indptr[u + 1]]
    assert v in row.tolist()
    assert cg.node_attrs["is_me"][cg.index["me"]] is True
    # A from_edges build of the same edges gives the same matrix
    src, dst, w = zip(*G.edges(data="weight"))
    rebuilt = CompactGraph.from_edges(list(src), list(dst), list(w), nodes=list(G.nodes))
    assert np.allclose(rebuilt.adjacency.toarray(), cg.adjacency.toarray())


def test_graph_from_export():
    export = ExportData(contacts=CONTACTS[:1], events=[ev(T, "me", "bo")], owner=("me",))
    G = graph_from_export(export, PLAIN)
    assert G.edges["me", "bo"]["weight"] == 1.0
    assert G.edges["me", "ada"]["declared_only"] is True
    cg = graph_from_export(export, PLAIN, compact=True)
    assert isinstance(cg, CompactGraph) and cg.n_edges == 2
    with pytest.raises(ParameterError):
        graph_from_export([], PLAIN)  # type: ignore[arg-type]


def test_empty_inputs_and_bad_arguments():
    G = build_graph([], [])
    assert len(G) == 0 and G.number_of_edges() == 0
    assert build_graph([], [], compact=True).n_nodes == 0
    with pytest.raises(ParameterError, match="TieModel"):
        build_graph([], [], ties="log1p")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="Contact"):
        build_graph(["ada"], [])  # type: ignore[list-item]


def test_duplicate_contact_records_merge():
    contacts = [
        Contact("ada", ("ada@example.com",), None, {"company": "Example Ltd"}),
        Contact("ada", ("ada.work@example.com",), "Ada Example", {"company": "Other"}),
    ]
    G = build_graph(contacts, [ev(T, "ada.work@example.com", "bo")], PLAIN)
    assert list(G.nodes) == ["ada", "bo"]
    assert G.nodes["ada"]["name"] == "Ada Example"
    assert G.nodes["ada"]["company"] == "Example Ltd"
    assert G.has_edge("ada", "bo")


def test_from_csv_files_end_to_end(tmp_path):
    (tmp_path / "contacts.csv").write_text(
        "id,name,email,company,position,connected_on,source\n"
        "ada@example.com,Ada Example,ada@example.com,Example Ltd,Engineer,2024-01-01,linkedin\n"
        "bo@example.org,Bo Sample,bo@example.org,,,2024-02-01,linkedin\n"
        "cy@example.net,Cy Placeholder,cy@example.net,,,2024-03-01,linkedin\n"
    )
    (tmp_path / "conversations.csv").write_text(
        "timestamp,sender,recipients,channel,conversation_id\n"
        "2025-03-01T10:00:00Z,me@example.com,ada@example.com,dm,dm-1\n"
        "2025-03-01T11:00:00Z,ada@example.com,me@example.com,dm,dm-1\n"
        "2024-12-01T10:00:00Z,me@example.com,ada@example.com,dm,dm-1\n"
        "2025-02-01T10:00:00Z,me@example.com,bo@example.org;ada@example.com,group,g-1\n"
    )
    contacts = read_contacts(tmp_path / "contacts.csv")
    events = read_conversations(tmp_path / "conversations.csv")
    G = build_graph(contacts, events, TieModel(transform="identity"), me="me@example.com")
    # T = 2025-03-01T11:00Z. me -> ada: messages at T - 1 h (decay 0.5 ** (1/24/90)),
    # T - 90 days 1 h (0.5 ** (1 + 1/24/90)), and the group message 28 days 1 h before T
    # shared by 2 recipients. ada -> me: one message at T (1.0).
    hour = 1 / 24
    s_me_ada = 0.5 ** (hour / 90) + 0.5 ** ((90 + hour) / 90) + 0.5 * 0.5 ** ((28 + hour) / 90)
    balance = 2 * min(s_me_ada, 1.0) / (s_me_ada + 1.0)
    expected = (0.5 + 0.5 * balance) * s_me_ada
    assert G.edges["me@example.com", "ada@example.com"]["weight"] == pytest.approx(expected)
    assert G.edges["me@example.com", "ada@example.com"]["count"] == 3
    # cy was declared but never written to
    assert G.edges["me@example.com", "cy@example.net"]["declared_only"] is True
    # bo and ada were co-recipients of the group message: 0.25 * 0.5 * decay
    co = 0.25 * 0.5 * 0.5 ** ((28 + hour) / 90)
    assert G.edges["bo@example.org", "ada@example.com"]["weight"] == pytest.approx(co)


def test_sample_generator_output_reads_and_builds_cleanly(tmp_path):
    # The sample network helper writes exactly the documented columns; it must read with no
    # skipped rows and no notes, and the owner's trusted contacts must be out-neighbours.
    datasets = pytest.importorskip("trustgraph.datasets")
    if not hasattr(datasets, "write_sample") or not hasattr(datasets, "sample_owner"):
        pytest.skip("trustgraph.datasets has no write_sample/sample_owner yet")
    paths = datasets.write_sample(tmp_path)
    contact_report = ReadReport(path="", format="")
    event_report = ReadReport(path="", format="")
    contacts = read_contacts(paths["contacts"], report=contact_report)
    events = read_conversations(paths["conversations"], report=event_report)
    assert contact_report.skipped == {} and contact_report.notes == []
    assert event_report.skipped == {} and event_report.notes == []
    header = paths["contacts"].read_text().splitlines()
    assert len(contacts) == len(header) - 1
    owner = datasets.sample_owner()
    G = build_graph(contacts, events, me=owner)
    assert G.nodes[owner]["is_me"] is True
    declared = sum(1 for _, _, d in G.out_edges(owner, data="declared_only") if d)
    talked = sum(1 for _, _, d in G.out_edges(owner, data="declared_only") if not d)
    assert declared > 0 and talked > 0
    assert declared + talked >= len([c for c in contacts if c.id != owner])


def test_only_declared_contacts_get_declared_only_edges():
    # A chat participant known from a WhatsApp export is not a declared connection: the
    # owner never "connected" with them, so no weight-0 edge may claim they did.
    contacts = [
        Contact("ada", ("ada@example.com",), "Ada Example", declared=True),
        Contact("wa-name:bo sample", (), "Bo Sample", source="whatsapp"),
    ]
    G = build_graph(contacts, [], me="me@example.net")
    assert G.has_edge("me@example.net", "ada")
    assert not G.has_edge("me@example.net", "wa-name:bo sample")
    assert G.nodes["ada"]["declared"] is True
    assert G.nodes["wa-name:bo sample"]["declared"] is False


def test_direct_and_bulk_edge_attributes():
    events = [
        ev(T, "me", "ada@example.com"),
        ev(T - DAY, "me", "ada@example.com", "bo@example.org"),
        ConversationEvent(T - 2 * DAY, "news@example.net", ("me",), channel="bulk"),
        ConversationEvent(T - 3 * DAY, "news@example.net", ("me",), channel="bulk"),
    ]
    G = build_graph(CONTACTS, events, PLAIN, me="me")
    # me -> ada: two messages, one of them to ada alone; no bulk.
    assert (G["me"]["ada"]["count"], G["me"]["ada"]["direct"], G["me"]["ada"]["bulk"]) == (2, 1, 0)
    assert (G["me"]["bo"]["count"], G["me"]["bo"]["direct"]) == (1, 0)
    news = G["news@example.net"]["me"]
    assert (news["count"], news["direct"], news["bulk"]) == (2, 2, 2)
    # cy is declared, never written to: a declared-only edge with zero counts.
    assert G["me"]["cy"]["declared_only"] and (G["me"]["cy"]["direct"], G["me"]["cy"]["bulk"]) == (
        0,
        0,
    )
    cg = build_graph(CONTACTS, events, PLAIN, me="me", compact=True)
    rows, cols = cg.edge_arrays()
    for name in ("direct", "bulk"):
        as_dict = {
            (cg.nodes[u], cg.nodes[v]): int(x) for u, v, x in zip(rows, cols, cg.edge_attrs[name])
        }
        assert as_dict == {(u, v): d[name] for u, v, d in G.edges(data=True)}
