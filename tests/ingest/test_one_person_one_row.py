"""One person, one row (issue 14, item 4): every export of a folder is read, the owner is
found in chat exports, probable duplicates across sources are merged or listed, an
``--identities`` file joins what nothing else joins, and an ``--me`` value that matches
nothing is reported.

The fixtures are synthesised by hand (FORMATS.md): fictional people, ``example.*`` domains
and ``+1 555 010 01xx`` numbers.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trustgraph.cli.app import _register_commands, app
from trustgraph.exceptions import IngestError
from trustgraph.ingest import textio
from trustgraph.ingest.exports import detect_export, read_export
from trustgraph.ingest.identity import linkedin_id, merge_identities, name_id
from trustgraph.ingest.load import detect_source, input_size, load_inputs
from trustgraph.ingest.records import Contact
from trustgraph.ingest.whatsapp import read_whatsapp

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports"

ME = ["ada@example.com", "+1 555 010 0100"]  # e-mail and phone: no WhatsApp name, no URL
OWNER_URL = "https://www.linkedin.com/in/ada-example-0000"
FARAH_URL = "https://www.linkedin.com/in/farah-rao-0001"
CY_URLS = (
    "https://www.linkedin.com/in/cy-placeholder-0003",
    "https://www.linkedin.com/in/cy-placeholder-0013",
)

_CONNECTIONS = f"""Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Farah,"Rao, PMP",{FARAH_URL},,Acme Ltd,Engineer,15 Mar 2024
Cy,Placeholder,{CY_URLS[0]},,Ghost Co,,01 Jan 2020
Cy,Placeholder,{CY_URLS[1]},,Other Co,,02 Jan 2021
Bo,Sample,https://www.linkedin.com/in/bo-sample-0002,bo@example.org,Widgets,CTO,02 Feb 2023
"""
_MESSAGE_HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER"
)
BO_URL = "https://www.linkedin.com/in/bo-sample-0002"
_MESSAGES = f"""{_MESSAGE_HEADER}
c1,,Ada Example,{OWNER_URL},Farah Rao,{FARAH_URL},2024-03-14 09:05:12 UTC,,Coffee?,INBOX
c1,,Farah Rao,{FARAH_URL},Ada Example,{OWNER_URL},2024-03-14 10:05:12 UTC,,Sure,INBOX
c2,,Ada Example,{OWNER_URL},Bo Sample,{BO_URL},2024-03-15 09:05:12 UTC,,Hello,INBOX
"""


def _mail(number: int, sender: str, to: str, day: int) -> str:
    return (
        f"From {number}@xxx Thu Mar {day:02d} 09:05:12 +0000 2024\n"
        f"Date: Thu, {day:02d} Mar 2024 09:05:12 +0000\n"
        f"From: {sender}\nTo: {to}\nSubject: Hello\n"
        f"Message-ID: <m{number}.fake@example.com>\n\nhi\n\n"
    )


_MBOX = (
    _mail(1, "Ada Example <ada@example.com>", "Farah Rao <farah.rao@example.net>", 14)
    + _mail(2, "Farah Rao <farah.rao@example.net>", "Ada Example <ada@example.com>", 15)
    + _mail(3, "Cy Placeholder <cy@example.com>", "Ada Example <ada@example.com>", 16)
    + _mail(4, "Ada Example <ada@example.com>", "Cy Placeholder <cy@example.com>", 17)
    + _mail(5, "Hal Sample <hal@example.org>", "Ada Example <ada@example.com>", 18)
    + _mail(6, "Ada Example <ada@example.com>", "I. Example <iris@example.org>", 19)
)
_CHATS = {
    "WhatsApp Chat with Farah Rao.txt": (
        "14/03/2024, 09:05 - Ada Example: Running late\n"
        "14/03/2024, 09:06 - Farah Rao: ok\n"
        "15/03/2024, 09:06 - Ada Example: here\n"
    ),
    "WhatsApp Chat with Gus Example.txt": (
        "16/03/2024, 09:05 - Gus Example: dinner?\n16/03/2024, 09:07 - Ada Example: yes\n"
    ),
    "WhatsApp Chat with Family.txt": (
        '17/03/2024, 09:00 - Ada Example created group "Family"\n'
        "17/03/2024, 09:05 - Ada Example: Sunday?\n"
        "17/03/2024, 09:06 - Farah Rao: yes\n"
        "17/03/2024, 09:07 - Gus Example: me too\n"
        "17/03/2024, 09:08 - +1 555 010 0199: who is this?\n"
        "17/03/2024, 09:09 - Iris Example: hi all\n"
    ),
}
_VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gus Example\r\nN:Example;Gus;;;\r\n"
    "TEL;TYPE=CELL:+1-555-010-0105\r\nEMAIL:gus@example.com\r\nEND:VCARD\r\n"
)


def write_downloads(folder: Path) -> Path:
    """A user's downloads: a LinkedIn export folder, an mbox, WhatsApp chats, a phone book,
    and files nothing reads."""
    linkedin = folder / "Basic_LinkedInDataExport_03-14-2024"
    linkedin.mkdir(parents=True)
    (linkedin / "Connections.csv").write_text(_CONNECTIONS, encoding="utf-8")
    (linkedin / "messages.csv").write_text(_MESSAGES, encoding="utf-8")
    (linkedin / "Profile.csv").write_text("First Name,Last Name\nAda,Example\n", "utf-8")
    (folder / "mail").mkdir()
    (folder / "mail" / "All mail Including Spam and Trash.mbox").write_text(_MBOX, "utf-8")
    chats = folder / "whatsapp"
    chats.mkdir()
    for name, text in _CHATS.items():
        (chats / name).write_text(text, encoding="utf-8")
    (folder / "contacts.vcf").write_text(_VCARD, encoding="utf-8", newline="")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "README.txt").write_text("how I exported these\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return folder


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    return write_downloads(tmp_path / "downloads")


def _formats(loaded) -> Counter:
    return Counter(r.format for r in loaded.reports)


def _owner_nodes(graph) -> list[str]:
    return [n for n, d in graph.nodes(data=True) if d.get("is_me")]


# ------------------------------------------------------------------ 1. folders are searched


def test_a_folder_is_searched_for_every_export_it_holds(downloads):
    loaded = load_inputs([downloads], me=ME)
    assert _formats(loaded) == {
        "linkedin-connections": 1,
        "linkedin-messages": 1,
        "mbox": 1,
        "whatsapp": 3,
        "vcard": 1,
    }
    # In walk order: a folder's own files, then its sub-folders, sorted.
    assert [(f.format, f.path.name) for f in loaded.found] == [
        ("vcard", "contacts.vcf"),
        ("linkedin", "Basic_LinkedInDataExport_03-14-2024"),
        ("mbox", "All mail Including Spam and Trash.mbox"),
        ("whatsapp", "whatsapp"),
    ]
    whatsapp = loaded.found[-1]
    assert sorted(p.name for p in whatsapp.files) == sorted(_CHATS)
    # The folder reads exactly as its exports given one by one.
    one_by_one = load_inputs(
        [
            downloads / "Basic_LinkedInDataExport_03-14-2024",
            downloads / "mail" / "All mail Including Spam and Trash.mbox",
            downloads / "whatsapp",
            downloads / "contacts.vcf",
        ],
        me=ME,
    )
    assert set(loaded.graph.nodes) == set(one_by_one.graph.nodes)
    assert set(loaded.graph.edges) == set(one_by_one.graph.edges)


def test_files_nothing_reads_are_listed_with_the_reason(downloads):
    loaded = load_inputs([downloads], me=ME)
    reasons = {s.path.name: s.reason for s in loaded.skipped}
    assert set(reasons) == {"Profile.csv", "notes.pdf", "README.txt", ".DS_Store"}
    assert "LinkedIn export" in reasons["Profile.csv"]
    assert "Connections.csv and messages.csv" in reasons["Profile.csv"]
    assert "document" in reasons["notes.pdf"]
    assert "not a recognised export" in reasons["README.txt"]
    assert "hidden" in reasons[".DS_Store"]
    assert all(s.format is None for s in loaded.skipped)


def test_an_export_folder_inside_a_folder_is_found_and_the_rest_still_read(tmp_path):
    folder = tmp_path / "everything"
    write_downloads(folder / "2024")
    shutil.copytree(FIXTURES / "slack" / "workspace", folder / "slack-export")
    shutil.copy(FIXTURES / "telegram" / "full_result.json", folder / "telegram.json")
    loaded = load_inputs([folder], me=[*ME, "U0ADA0001"])
    formats = [f.format for f in loaded.found]
    assert formats == ["telegram", "vcard", "linkedin", "mbox", "whatsapp", "slack"]
    assert {"slack-export", "telegram-json"} <= set(_formats(loaded))
    assert detect_source(folder) == "folder"
    assert detect_export(folder) is None
    with pytest.raises(IngestError, match="several exports"):
        read_export(folder)


def test_a_folder_holding_one_export_keeps_its_format(downloads):
    assert detect_source(downloads / "Basic_LinkedInDataExport_03-14-2024") == "linkedin"
    assert detect_export(downloads / "whatsapp") == "whatsapp"
    assert detect_source(downloads) == "folder"
    mail_only = downloads / "mail"
    assert detect_export(mail_only) == "mbox"  # the folder of one mbox reads as that mbox
    assert len(read_export(mail_only, me=ME).events) == 6


def test_a_recognised_file_that_cannot_be_read_is_skipped_loudly(downloads):
    (downloads / "broken.mbox").write_text("From nobody\nnot a header\n", encoding="utf-8")
    loaded = load_inputs([downloads], me=ME)
    (broken,) = [s for s in loaded.skipped if s.path.name == "broken.mbox"]
    assert broken.format == "mbox"
    assert broken.reason  # the reader's own message
    assert "mbox" in _formats(loaded)  # the good mbox is still read


def test_a_folder_where_nothing_is_readable_says_why(tmp_path):
    (tmp_path / "notes.txt").write_text("shopping list\n", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(IngestError):
        load_inputs([tmp_path])


def test_progress_over_a_folder_ends_at_its_size(downloads):
    calls = []
    load_inputs([downloads], me=ME, progress=lambda d, t, label: calls.append((d, t)))
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert calls[-1] == (input_size(downloads), input_size(downloads))


def test_sample_exports_folder_reads_linkedin_mail_whatsapp_and_vcard(tmp_path):
    from trustgraph.datasets import (
        export_paths,
        plan_sample_exports,
        sample_network,
        write_sample_exports,
    )

    network = sample_network(seed=1, n_declared=400)
    plan = plan_sample_exports(network)
    write_sample_exports(tmp_path, network)
    loaded = load_inputs([tmp_path], me=plan.me)
    assert {f.format for f in loaded.found} == {"linkedin", "mbox", "whatsapp", "vcard"}
    assert not loaded.skipped
    explicit = load_inputs(export_paths(tmp_path), me=plan.me)
    assert set(loaded.graph.nodes) == set(explicit.graph.nodes)
    assert loaded.owner == explicit.owner == (network.owner,)


# --------------------------------------------------------- 2. the owner in chat exports


def test_the_owner_is_the_author_in_every_chat_when_no_name_is_given(downloads):
    data = read_whatsapp(downloads / "whatsapp", me=ME)
    assert "wa-name:ada example" in data.owner
    assert "wa:+15550100100" in data.owner  # the given phone stays the owner's too
    notes = [n for r in data.reports for n in r.notes]
    assert any("owner detected" in n for n in notes)
    loaded = load_inputs([downloads], me=ME)
    assert _owner_nodes(loaded.graph) == ["ada@example.com"]
    assert "wa-name:ada example" not in loaded.graph
    assert loaded.owner[0] == "ada@example.com"


def test_the_other_party_of_a_one_to_one_chat_is_never_the_owner(tmp_path):
    chat = tmp_path / "WhatsApp Chat with Farah Rao.txt"
    chat.write_text(_CHATS["WhatsApp Chat with Farah Rao.txt"], encoding="utf-8")
    data = read_whatsapp(chat, me=["+1 555 010 0100"])
    assert "wa-name:ada example" in data.owner
    assert "wa-name:farah rao" not in data.owner
    senders = Counter(e.sender for e in data.events)
    assert senders == {"wa-name:ada example": 2, "wa-name:farah rao": 1}
    assert all("wa:+15550100100" not in e.recipients for e in data.events)


def test_a_given_name_is_trusted_over_detection(tmp_path):
    for name, text in _CHATS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    data = read_whatsapp(tmp_path, me=["Ada Example"])
    assert data.owner == ("wa-name:ada example",)
    assert not any("owner detected" in n for r in data.reports for n in r.notes)


# ----------------------------------------------------- 3. probable duplicates across sources


def test_same_full_name_across_sources_is_one_node(downloads):
    loaded = load_inputs([downloads], me=ME)
    graph = loaded.graph
    farah = [n for n in graph if "farah" in str(n)]
    assert len(farah) == 1, farah
    (merge,) = [m for m in loaded.merged_by_name if m.kept == farah[0]]
    assert set(merge.merged) >= {"wa-name:farah rao"} | {linkedin_id(FARAH_URL)} - {merge.kept}
    assert merge.confidence in ("high", "medium")
    assert "same full name" in merge.reason and merge.confidence in merge.reason
    assert set(graph.nodes[farah[0]]["sources"]) >= {"linkedin", "mbox", "whatsapp"}


def test_two_people_with_one_name_are_listed_not_merged(downloads):
    loaded = load_inputs([downloads], me=ME)
    graph = loaded.graph
    cys = {linkedin_id(u) for u in CY_URLS} | {"cy@example.com"}
    assert cys <= set(graph.nodes)
    (listed,) = [d for d in loaded.probable_duplicates if set(d.nodes) == cys]
    assert "probably the same person" in listed.reason
    assert "--identities" in listed.reason
    assert not any(m.kept in cys for m in loaded.merged_by_name)


def test_a_conflicting_identifier_blocks_a_name_merge():
    contacts = [
        Contact("+15550100101", (), "Bo Sample", {}, "vcard"),
        Contact("+15550100102", (), "Bo Sample", {}, "telegram"),
        Contact("bo@example.org", (), "Bo  SAMPLE", {}, "mbox"),
    ]
    merged = merge_identities(contacts)
    assert len(merged.contacts) == 3
    assert not merged.merged_by_name
    (listed,) = merged.probable_duplicates
    assert set(listed.nodes) == {"+15550100101", "+15550100102", "bo@example.org"}


def test_single_names_and_same_source_twins_are_not_merged():
    contacts = [
        Contact("wa-name:bo", (), "Bo", {}, "whatsapp"),
        Contact("bo@example.org", (), "Bo", {}, "mbox"),
        Contact("linkedin:cy-1", (), "Cy Placeholder", {}, "linkedin"),
        Contact("linkedin:cy-2", (), "Cy Placeholder", {}, "linkedin"),
    ]
    merged = merge_identities(contacts)
    assert len(merged.contacts) == 4
    assert not merged.merged_by_name and not merged.probable_duplicates


def test_name_merge_opt_out_lists_instead(downloads):
    loaded = load_inputs([downloads], me=ME, name_merge=False)
    farah = [n for n in loaded.graph if "farah" in str(n)]
    assert len(farah) == 3
    assert not loaded.merged_by_name
    listed = [d for d in loaded.probable_duplicates if set(d.nodes) == set(farah)]
    assert listed and "not merged" in listed[0].reason


def test_merged_people_count_once(downloads):
    merged = load_inputs([downloads], me=ME)
    apart = load_inputs([downloads], me=ME, name_merge=False)
    absorbed = sum(len({*m.merged} & set(apart.graph.nodes)) for m in merged.merged_by_name)
    assert merged.graph.number_of_nodes() == apart.graph.number_of_nodes() - absorbed
    assert absorbed >= 2


# ------------------------------------------------------------------ 4. --identities file


def test_identities_csv_joins_what_nothing_else_joins(downloads, tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        "email,phone,profile\n"
        f"cy@example.com,,{CY_URLS[0]}\n"
        "hal@example.org,+1 555 010 0199\n"
        "iris@example.org,Iris Example,,\n"
        "nobody@example.net,+1 555 010 0177,Nobody Here\n",
        encoding="utf-8",
    )
    loaded = load_inputs([downloads], me=ME, identities=aliases)
    graph = loaded.graph
    assert "cy@example.com" in graph and linkedin_id(CY_URLS[0]) not in graph
    assert linkedin_id(CY_URLS[1]) in graph  # the other Cy stays apart
    assert "hal@example.org" in graph and "+15550100199" not in graph
    assert "iris@example.org" in graph and "wa-name:iris example" not in graph
    assert "nobody@example.net" not in graph and "+15550100177" not in graph
    assert any("identities" in note for note in loaded.notes)
    # Without the file, the same people are apart.
    plain = load_inputs([downloads], me=ME)
    assert {"+15550100199", "wa-name:iris example", linkedin_id(CY_URLS[0])} <= set(
        plain.graph.nodes
    )


def test_identities_without_header_any_number_of_columns(downloads, tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        "hal@example.org,+1 555 010 0199,Hal Sample,hal.work@example.org\n", encoding="utf-8"
    )
    loaded = load_inputs([downloads], me=ME, identities=aliases)
    assert "+15550100199" not in loaded.graph and "hal@example.org" in loaded.graph


def test_identities_as_a_vcard(downloads, tmp_path):
    card = tmp_path / "aliases.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hal Sample\r\nTEL:+1 555 010 0199\r\n"
        "EMAIL:hal@example.org\r\nEND:VCARD\r\n",
        encoding="utf-8",
        newline="",
    )
    loaded = load_inputs([downloads], me=ME, identities=card)
    assert "+15550100199" not in loaded.graph and "hal@example.org" in loaded.graph


def test_identities_file_errors_name_the_file(downloads, tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        load_inputs([downloads], me=ME, identities=tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("email,phone\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no identifier"):
        load_inputs([downloads], me=ME, identities=empty)


# ------------------------------------------------------- 5. an --me value matching nothing


def test_me_values_that_match_nothing_are_reported(downloads):
    loaded = load_inputs([downloads], me=[*ME, "nobody@example.net", "Ada Example"])
    # The phone is in no export (WhatsApp shows the owner's name, not her number).
    assert loaded.unmatched_me == ("+1 555 010 0100", "nobody@example.net")


def test_unmatched_me_on_a_graph_file(tmp_path):
    edges = tmp_path / "g.csv"
    edges.write_text("source,target\nann,bob\n", encoding="utf-8")
    loaded = load_inputs([edges], me=["ann", "zed"])
    assert loaded.unmatched_me == ("zed",)


# ------------------------------------------------------------------------------- the CLI


@pytest.fixture
def cli():
    _register_commands()
    return CliRunner()


def test_inspect_lists_what_a_folder_holds(cli, downloads):
    result = cli.invoke(app, ["inspect", str(downloads)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for line in ("linkedin", "mbox", "whatsapp (3 chats)", "vcard"):
        assert line in out
    assert "skipped" in out and "notes.pdf" in out
    as_json = cli.invoke(app, ["inspect", str(downloads), "--json"])
    assert as_json.exit_code == 0
    assert '"found"' in as_json.stdout and '"skipped"' in as_json.stdout


def test_ingest_reads_a_folder_warns_about_me_and_takes_identities(cli, downloads, tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("hal@example.org,+1 555 010 0199\n", encoding="utf-8")
    out = tmp_path / "g.graphml"
    result = cli.invoke(
        app,
        [
            "ingest",
            str(downloads),
            "-o",
            str(out),
            "--me",
            "ada@example.com",
            "--me",
            "nobody@example.net",
            "--identities",
            str(aliases),
            "--no-name-merge",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "trustgraph: warning: --me nobody@example.net matches no identifier in the inputs"
        in result.stderr
    )
    import networkx as nx

    graph = nx.read_graphml(out)
    assert "+15550100199" not in graph  # the identities file was used
    assert sum("farah" in n for n in graph) == 3  # no name merge


# ------------------------------------------------------------------ 6. WhatsApp zip members


def _chat_zip(path: Path, text: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", text)
    return path


def _patch_flags(path: Path, member: str, flags: int) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    local = info.header_offset
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, local + 6, flags)
    struct.pack_into("<H", data, central + 8, flags)
    path.write_bytes(bytes(data))


_IOS = b"[14/03/2024, 09:05:12] Ada Example: hi\n[14/03/2024, 09:06:12] Bo Sample: hello\n"


def test_encrypted_chat_member_is_an_ingest_error(tmp_path):
    archive = _chat_zip(tmp_path / "WhatsApp Chat - Bo Sample.zip", _IOS)
    _patch_flags(archive, "_chat.txt", 0x1)
    with pytest.raises(IngestError, match=r"_chat\.txt: .*encrypted"):
        read_whatsapp(archive, me=["Ada Example"])


def test_corrupt_chat_member_is_an_ingest_error(tmp_path):
    archive = _chat_zip(tmp_path / "WhatsApp Chat - Bo Sample.zip", _IOS * 50)
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as handle:
        info = handle.getinfo("_chat.txt")
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    data[start : start + 4] = b"\xff\xff\xff\xff"
    archive.write_bytes(bytes(data))
    with pytest.raises(IngestError, match="corrupt"):
        read_whatsapp(archive, me=["Ada Example"])


def test_chat_member_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    archive = _chat_zip(tmp_path / "WhatsApp Chat - Bo Sample.zip", _IOS * 10)
    monkeypatch.setattr(textio, "MAX_MEMBER_BYTES", 100)
    with pytest.raises(IngestError, match="larger than"):
        read_whatsapp(archive, me=["Ada Example"])


def test_damaged_chat_zip_is_named_as_such(tmp_path):
    archive = _chat_zip(tmp_path / "WhatsApp Chat - Bo Sample.zip", _IOS)
    archive.write_bytes(archive.read_bytes()[:-30])
    with pytest.raises(IngestError, match="damaged zip"):
        read_whatsapp(archive, me=["Ada Example"])


def test_carriage_return_only_member_is_split_into_lines(tmp_path):
    archive = _chat_zip(tmp_path / "WhatsApp Chat - Bo Sample.zip", _IOS.replace(b"\n", b"\r"))
    data = read_whatsapp(archive, me=["Ada Example"])
    assert [e.sender for e in data.events] == ["wa-name:ada example", "wa-name:bo sample"]
    assert {e.conversation_id for e in data.events} == {"whatsapp:WhatsApp Chat - Bo Sample"}


def test_whatsapp_zips_in_a_folder_join_the_chats_for_owner_detection(tmp_path):
    _chat_zip(tmp_path / "WhatsApp Chat - Bo Sample.zip", _IOS)
    (tmp_path / "WhatsApp Chat with Farah Rao.txt").write_text(
        _CHATS["WhatsApp Chat with Farah Rao.txt"], encoding="utf-8"
    )
    loaded = load_inputs([tmp_path], me=["ada@example.com"])
    (found,) = loaded.found
    assert found.format == "whatsapp" and len(found.files) == 2
    assert _owner_nodes(loaded.graph) == ["ada@example.com"]
    assert "wa-name:ada example" not in loaded.graph


# ----------------------------------------------- measured on the sample and a held-out person


def _nodes_per_person(graph, person_of) -> dict[str, list[str]]:
    nodes = defaultdict(list)
    for node in graph.nodes:
        person = person_of(node)
        if person is not None:
            nodes[person].append(node)
    return nodes


def test_every_planted_core_and_circle_person_of_the_sample_folder_is_one_node(tmp_path):
    from trustgraph.datasets import plan_sample_exports, write_sample_exports

    plan = plan_sample_exports()
    write_sample_exports(tmp_path)
    truth = plan.network.truth
    ids: dict[str, str] = {}
    for node in plan.names:
        keys = {node, name_id("wa", plan.names[node])}
        if node in plan.phones:
            keys |= {plan.phones[node], f"wa:{plan.phones[node]}"}
        if node in plan.profile_urls:
            keys.add(linkedin_id(plan.profile_urls[node]))
        if node in plan.phonebook_names:
            keys.add(name_id("wa", plan.phonebook_names[node]))
        ids.update(dict.fromkeys(keys, node))
    shown = set(plan.phonebook) | {c.id for c in plan.network.contacts}
    for cid in (*plan.whatsapp, *plan.mail, *plan.linkedin):
        shown |= plan.members(cid)
    people = [p for p in shown if truth[p].role in ("core", "circle")]
    loaded = load_inputs([tmp_path], me=["me@example.com", "+15550100100", "Robin Example"])
    nodes = _nodes_per_person(loaded.graph, ids.get)
    assert Counter(len(nodes[p]) for p in people) == {1: len(people)}
    assert nodes[plan.network.owner] == [plan.network.owner]


def test_held_out_person_core_and_circle_are_one_node_each(tmp_path):
    from trustgraph.datasets.synthetic_person import OWNER_ID, write_synthetic_person

    person = write_synthetic_person(tmp_path / "downloads", seed=0)
    me = [person.owner_email, person.owner_phone, person.owner_url]  # no WhatsApp name
    loaded = load_inputs([person.folder], me=me)
    assert {f.format for f in loaded.found} == {"linkedin", "mbox", "whatsapp", "vcard"}
    nodes = _nodes_per_person(loaded.graph, person.person_of)
    assert len(nodes[OWNER_ID]) == 1  # the owner's WhatsApp name is not a contact
    for role in ("core", "circle"):
        counts = Counter(len(nodes[p]) for p in person.by_role(role))
        assert counts == {1: len(person.by_role(role))}, (role, counts)
