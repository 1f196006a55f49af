"""Sample network written as personal-data exports (trustgraph.datasets.sample_exports).

Expectations come from the generator's own records (the SampleNetwork events and the
export plan's partition), never from numbers the readers printed: every file must read back
as exactly the messages of the conversations assigned to it, and the combined graph must
have one node per sample person.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import trustgraph
from trustgraph.datasets import (
    EXPORT_OWNER_NAME,
    export_paths,
    plan_sample_exports,
    sample_network,
    write_sample_exports,
)
from trustgraph.exceptions import IngestError
from trustgraph.ingest.identity import linkedin_id, name_id

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "sample_graphs" / "exports"


@pytest.fixture(scope="module")
def plan():
    return plan_sample_exports()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    return folder, write_sample_exports(folder, sample_network(seed=7))


def _events(plan, conversation_ids):
    return [e for cid in conversation_ids for e in plan.conversations[cid]]


# ------------------------------------------------------------------------ files


def test_fresh_write_equals_the_committed_files(written):
    folder, paths = written
    fresh = {p.relative_to(folder).as_posix() for p in paths.values()}
    committed = {p.relative_to(COMMITTED).as_posix() for p in COMMITTED.rglob("*") if p.is_file()}
    assert fresh == committed  # no stale chat left behind, none missing
    for path in paths.values():
        relative = path.relative_to(folder)
        assert path.read_bytes() == (COMMITTED / relative).read_bytes(), relative


def test_set_is_small_and_plain_utf8(written):
    _, paths = written
    assert sum(p.stat().st_size for p in paths.values()) < 700_000
    for path in paths.values():
        path.read_bytes().decode("utf-8")  # raises on a bad byte


def test_existing_files_are_not_replaced_without_overwrite(written, tmp_path):
    network = sample_network(seed=1, n_declared=300)
    write_sample_exports(tmp_path, network)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(IngestError):
        write_sample_exports(tmp_path, network)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    write_sample_exports(tmp_path, network, overwrite=True)  # allowed when asked


def test_folder_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(IngestError):
        write_sample_exports(target, sample_network(seed=1, n_declared=300))


# ------------------------------------------------------------------------ partition


def test_partition_is_by_conversation_and_disjoint(plan):
    buckets = [set(plan.whatsapp), set(plan.mail), set(plan.newsletters), set(plan.linkedin)]
    for i, a in enumerate(buckets):
        for b in buckets[i + 1 :]:
            assert not a & b
    layouts = Counter(layout for layout, _ in plan.whatsapp.values())
    assert layouts["android"] >= 1 and layouts["ios"] >= 1
    truth = plan.network.truth
    # WhatsApp: one group chat, 1:1 chats with layer-1 partners.
    kinds = Counter(plan.conversations[c][0].channel for c in plan.whatsapp)
    assert kinds == {"dm": 2, "group": 1}
    for cid in plan.whatsapp:
        if plan.conversations[cid][0].channel == "dm":
            (partner,) = plan.members(cid) - {plan.network.owner}
            assert truth[partner].layer == 1 and not truth[partner].stale
    # Newsletters are exactly the undeclared broadcasters.
    declared = {c.id for c in plan.network.contacts}
    undeclared_broadcasters = {p for p in plan.network.by_role("broadcaster") if p not in declared}
    senders = {plan.conversations[c][0].sender for c in plan.newsletters}
    assert senders == undeclared_broadcasters


# ------------------------------------------------------------------------ detection, reading


def test_every_file_is_detected_as_its_format(written):
    folder, paths = written
    assert trustgraph.detect_export(folder / "linkedin") == "linkedin"
    assert trustgraph.detect_export(paths["connections"]) == "linkedin"
    assert trustgraph.detect_export(paths["messages"]) == "linkedin"
    assert trustgraph.detect_export(paths["mbox"]) == "mbox"
    assert trustgraph.detect_export(paths["vcard"]) == "vcard"
    chats = [p for key, p in paths.items() if key.startswith("whatsapp:")]
    assert len(chats) == 3
    for chat in chats:
        assert trustgraph.detect_export(chat) == "whatsapp"


def test_linkedin_reads_every_connection_and_assigned_message(plan, written):
    folder, _ = written
    data = trustgraph.read_export(folder / "linkedin", me=plan.me)
    for report in data.reports:
        assert not report.skipped, report.skipped
    network = plan.network
    connections = [c for c in data.contacts if c.declared]
    assert len(connections) == len(network.contacts)
    url = {node: linkedin_id(u) for node, u in plan.profile_urls.items()}
    # A connection shows its e-mail exactly when the plan shares it.
    shown = {c.id for c in connections if len(c.identifiers) > 1}
    assert shown == {url[node] for node in plan.shared_emails}
    expected = Counter(
        (e.timestamp, url[e.sender], frozenset(url[r] for r in e.recipients))
        for e in _events(plan, plan.linkedin)
    )
    got = Counter((e.timestamp, e.sender, frozenset(e.recipients)) for e in data.events)
    assert got == expected
    assert url[network.owner] in data.owner


def test_mbox_reads_person_to_person_mail_and_counts_bulk(plan, written):
    _, paths = written
    data = trustgraph.read_export(paths["mbox"], me=plan.me)
    (report,) = data.reports
    newsletter_events = _events(plan, plan.newsletters)
    person_events = _events(plan, plan.mail)
    # The only skipped lines are the documented ones: bulk mail, excluded and counted.
    assert all(reason.startswith("bulk mail") for reason in report.skipped)
    assert sum(report.skipped.values()) == len(newsletter_events) > 0
    assert report.records["messages"] == len(newsletter_events) + len(person_events)

    def key(timestamp, sender, recipients):
        # Friends of friends have no address in the sample: compare their count only.
        return timestamp, sender if "@" in sender else None, len(recipients)

    expected = Counter(key(e.timestamp, e.sender, e.recipients) for e in person_events)
    sample_ids = set(plan.network.truth)
    got = Counter(
        key(e.timestamp, e.sender if e.sender in sample_ids else "?", e.recipients)
        for e in data.events
    )
    assert got == expected
    assert any(len(e.recipients) > 2 for e in data.events)  # the Cc'd group thread


def test_whatsapp_chats_read_back_in_both_layouts(plan, written):
    _, paths = written
    owner = plan.network.owner
    layouts = set()
    for cid, (layout, name) in plan.whatsapp.items():
        data = trustgraph.read_export(paths[f"whatsapp:{name}"], me=plan.me)
        (report,) = data.reports
        assert not report.skipped
        assert report.variant.startswith(layout) and "dmy" in report.variant
        layouts.add(layout)
        events = plan.conversations[cid]
        assert report.records["messages"] == len(events)
        # Recipients in a chat export are the authors plus the owner: silent members
        # never show up in the file.
        visible = {e.sender for e in events} | {owner}
        if events[0].channel == "dm":
            ids = {p: name_id("wa", plan.phonebook_names[p]) for p in visible - {owner}}
            ids[owner] = name_id("wa", EXPORT_OWNER_NAME)
            expected = Counter((e.timestamp, ids[e.sender]) for e in events)
            assert Counter((e.timestamp, e.sender) for e in data.events) == expected
        else:
            assert all(e.channel == "group" for e in data.events)
            assert {len(e.recipients) for e in data.events} == {len(visible) - 1}
            assert [e.timestamp for e in data.events] == [e.timestamp for e in events]
    assert layouts == {"android", "ios"}


def test_vcard_lists_the_phone_book(plan, written):
    _, paths = written
    data = trustgraph.read_export(paths["vcard"])
    assert not data.reports[0].skipped
    assert {c.display_name for c in data.contacts} == set(plan.phonebook_names.values())
    assert len(data.contacts) == len(plan.phonebook)
    for contact in data.contacts:
        kinds = {"@" in i for i in contact.identifiers}
        assert kinds == {True, False}  # an e-mail address and a phone number


# ------------------------------------------------------------------------ end to end


@pytest.fixture(scope="module")
def loaded(plan):
    return trustgraph.load_inputs(export_paths(COMMITTED), me=plan.me)


def _visible_members(plan, cid):
    events = plan.conversations[cid]
    if cid in plan.whatsapp:
        return {e.sender for e in events} | {plan.network.owner}
    return plan.members(cid)


def test_owner_is_one_node(plan, loaded):
    graph = loaded.graph
    assert loaded.owner == (plan.network.owner,)
    assert [n for n, d in graph.nodes(data=True) if d.get("is_me")] == [plan.network.owner]


def test_one_node_per_sample_person(plan, loaded):
    exported = [*plan.whatsapp, *plan.mail, *plan.linkedin]  # newsletters are excluded
    people = set().union(*(_visible_members(plan, cid) for cid in exported))
    people |= {c.id for c in plan.network.contacts} | set(plan.phonebook)
    assert loaded.graph.number_of_nodes() == len(people)


def test_conversation_partners_match_the_plan(plan, loaded):
    graph, owner = loaded.graph, plan.network.owner
    exported = [*plan.whatsapp, *plan.mail, *plan.linkedin]
    planted = set().union(*(_visible_members(plan, cid) for cid in exported)) - {owner}
    partners = {v for v in graph.successors(owner) if not graph.edges[owner, v]["declared_only"]}
    partners |= {
        u for u in graph.predecessors(owner) if not graph.edges[u, owner]["declared_only"]
    }
    assert len(partners) == len(planted)
    # Mail correspondents keep their address as node id after merging (an e-mail ranks
    # first); LinkedIn-only people are known by their profile id instead.
    mailed = {p for cid in plan.mail for p in plan.members(cid) if "@" in p} - {owner}
    assert mailed and mailed <= partners


def test_people_seen_in_three_sources_are_one_node(plan, loaded):
    graph = loaded.graph
    declared = {c.id for c in plan.network.contacts}
    on_whatsapp = set().union(*(_visible_members(plan, cid) for cid in plan.whatsapp))
    in_mail = set().union(*(plan.members(cid) for cid in plan.mail))
    triple = (on_whatsapp & in_mail & declared) - {plan.network.owner}
    assert triple  # the sample plants some: the family chat's members
    for person in triple:
        sources = set(graph.nodes[person]["sources"])
        assert {"linkedin", "mbox", "whatsapp", "vcard"} <= sources, person
    # The WhatsApp-only 1:1 partners reach their e-mail node through the phone book.
    for cid in plan.whatsapp:
        if plan.conversations[cid][0].channel == "dm":
            (partner,) = plan.members(cid) - {plan.network.owner}
            assert "whatsapp" in graph.nodes[partner]["sources"]


def test_other_seeds_read_without_skips(tmp_path):
    network = sample_network(seed=3, n_declared=300)
    plan = plan_sample_exports(network)
    write_sample_exports(tmp_path, network)
    loaded = trustgraph.load_inputs(export_paths(tmp_path), me=plan.me)
    for report in loaded.reports:
        assert all(r.startswith("bulk mail") for r in report.skipped), report.skipped
    assert loaded.owner == (network.owner,)


def test_layouts_follow_the_documented_formats(written):
    import csv
    import re

    _, paths = written
    lines = paths["connections"].read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Notes:" and lines[1].startswith('"') and lines[2] == ""
    assert lines[3] == "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    rows = list(csv.DictReader(lines[3:]))
    assert all(re.fullmatch(r"\d{2} [A-Z][a-z]{2} \d{4}", r["Connected On"]) for r in rows)
    assert all(r["URL"].startswith("https://www.linkedin.com/in/") for r in rows)
    with open(paths["messages"], encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        messages = list(reader)
    assert reader.fieldnames[:7] == [
        "CONVERSATION ID",
        "CONVERSATION TITLE",
        "FROM",
        "SENDER PROFILE URL",
        "TO",
        "RECIPIENT PROFILE URLS",
        "DATE",
    ]
    assert {"FOLDER", "CONTENT", "SUBJECT"} <= set(reader.fieldnames)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", m["DATE"]) for m in messages)
    assert any(";" in m["RECIPIENT PROFILE URLS"] for m in messages)  # group conversations
    assert {m["FOLDER"] for m in messages} == {"INBOX", "ARCHIVE"}
    mbox = paths["mbox"].read_text(encoding="utf-8")
    for header in ("From: ", "To: ", "Cc: ", "Date: ", "Message-ID: ", "In-Reply-To: "):
        assert f"\n{header}" in mbox
    assert "\nList-Id: " in mbox and "\nPrecedence: bulk" in mbox


def test_phone_book_names_are_unique_when_people_share_a_name(tmp_path):
    from dataclasses import replace

    network = sample_network(seed=1, n_declared=300)
    plan = plan_sample_exports(network)
    declared = {c.id: c for c in network.contacts}
    first, second = [p for p in plan.phonebook if p in declared][:2]
    # Give the second person the first one's name: two "Ada Abbott"s in one phone.
    twin = replace(declared[second], display_name=plan.names[first])
    contacts = [twin if c.id == second else c for c in network.contacts]
    network = replace(network, contacts=contacts)
    plan = plan_sample_exports(network)
    book = [plan.phonebook_names[p] for p in plan.phonebook]
    assert len(set(book)) == len(book)
    assert plan.names[first] == plan.names[second]  # LinkedIn keeps the real name
    # The identity layer links each WhatsApp name to its own card: no ambiguity note.
    write_sample_exports(tmp_path, network)
    loaded = trustgraph.load_inputs(export_paths(tmp_path), me=plan.me)
    assert not any("left unlinked" in note for note in loaded.notes)
