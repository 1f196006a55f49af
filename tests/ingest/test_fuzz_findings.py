"""Crash sites the reader fuzzing (tests/fuzz) found, each as a minimal input (issue 16).

Every case must end in the library's own error or a result, never another exception.
"""

from __future__ import annotations

import contextlib
import json
import zipfile

import pytest

from trustgraph.exceptions import IngestError, TrustGraphError
from trustgraph.ingest.graphfiles import read_graphml
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.messenger import read_messenger
from trustgraph.ingest.slack import read_slack
from trustgraph.ingest.whatsapp import read_whatsapp

CHAT = "14/03/2024, 09:00 - Ada Example: hi\n14/03/2024, 09:01 - Bo Sample: hello\n"


def thread(tmp_path, document):
    folder = tmp_path / "messages" / "inbox" / "bo_1"
    folder.mkdir(parents=True)
    (folder / "message_1.json").write_text(json.dumps(document), encoding="utf-8")
    return tmp_path


def test_graphml_with_an_unknown_encoding_is_an_ingest_error(tmp_path):
    path = tmp_path / "g.graphml"
    path.write_bytes(b'<?xml version="1.0" encoding="x-bogus"?><graphml/>')
    with pytest.raises(IngestError, match=r"g\.graphml"):
        read_graphml(path)


def test_graphml_with_an_empty_default_is_an_ingest_error(tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="d0" for="node" attr.name="x" attr.type="boolean"><default></default></key>'
        '<graph edgedefault="directed"><node id="a"/></graph></graphml>',
        encoding="utf-8",
    )
    with contextlib.suppress(TrustGraphError):  # a result or our error, nothing else
        read_graphml(path)


def test_a_corrupt_lzma_zip_member_is_an_ingest_error(tmp_path):
    path = tmp_path / "slack.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_LZMA) as archive:
        archive.writestr("users.json", json.dumps([{"id": "U1", "name": "ada"}]) * 50)
        archive.writestr("channels.json", "[]")
    data = bytearray(path.read_bytes())
    start = data.index(b"users.json") + len("users.json") + 20
    data[start : start + 2] = bytes(255 - b for b in data[start : start + 2])
    path.write_bytes(bytes(data))
    with pytest.raises(IngestError, match=r"slack\.zip"):
        read_slack(path)


@pytest.mark.parametrize("blank", ["", " ", "\u200e"])
def test_blank_me_values_name_nobody(tmp_path, blank):
    chat = tmp_path / "WhatsApp Chat with Bo Sample.txt"
    chat.write_text(CHAT, encoding="utf-8")
    read_whatsapp(chat, me=[blank, "Ada Example"])
    document = {
        "participants": [{"name": "Ada Example"}, {"name": "Bo Sample"}],
        "messages": [{"sender_name": "Bo Sample", "timestamp_ms": 1710407160000}],
    }
    read_messenger(thread(tmp_path / "m", document), me=[blank, "Ada Example"])


def test_a_messenger_sender_of_blanks_only_is_skipped_not_passed_on(tmp_path):
    document = {
        "participants": [],
        "messages": [
            {"sender_name": "\r\n", "timestamp_ms": 1710407160000},
            {"sender_name": "Bo", "timestamp_ms": 1710407160000},
        ],
    }
    data = read_messenger(thread(tmp_path, document), me=["Ada"])
    assert all(e.sender and all(e.recipients) for e in data.events)
    load_inputs([tmp_path], me=["Ada"], format="messenger")
