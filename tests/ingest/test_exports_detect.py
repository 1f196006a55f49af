"""read_export's format detection over files, folders and archives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError, ParameterError
from trustgraph.ingest.exports import detect_export, read_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
ANDROID = "12/03/2024, 09:15 - Ada Example: hi\n13/03/2024, 10:00 - Bo Sample: hello\n"


def test_folder_of_whatsapp_chats(tmp_path):
    (tmp_path / "WhatsApp Chat with Bo Sample.txt").write_text(ANDROID, encoding="utf-8")
    (tmp_path / "other.txt").write_text(ANDROID, encoding="utf-8")
    assert detect_export(tmp_path) == "whatsapp"
    data = read_export(tmp_path, me=["Ada Example"])
    assert len(data.events) == 4


def test_folder_with_unrelated_text_is_not_whatsapp(tmp_path):
    (tmp_path / "notes.txt").write_text("shopping list\n", encoding="utf-8")
    assert detect_export(tmp_path) is None
    with pytest.raises(IngestError, match="not a recognised export"):
        read_export(tmp_path)


def test_ios_zip_with_chat(tmp_path):
    archive = tmp_path / "WhatsApp Chat - Bo Sample.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("_chat.txt", "[12/03/2024, 09:15:02] Ada Example: hi\n")
    assert detect_export(archive) == "whatsapp"


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("linkedin/Connections.csv", "linkedin"),
        ("linkedin/messages_reordered.csv", "linkedin"),
        ("email/takeout.mbox", "mbox"),
        ("email/maildir", "maildir"),
        ("whatsapp/ios", "whatsapp"),
        ("whatsapp/us_12h_nnbsp.txt", "whatsapp"),
        ("telegram/full_result.json", "telegram"),
        ("telegram/single_chat.json", "telegram"),
        ("slack/workspace", "slack"),
        ("messenger/dyi_new", "messenger"),
        ("twitter/archive", "twitter"),
        ("vcard/contacts.vcf", "vcard"),
        ("google/current.csv", "google-contacts"),
        ("google/legacy.csv", "google-contacts"),
        ("email/not_an_mbox.txt", None),
        ("telegram/not_telegram.json", None),
    ],
)
def test_fixture_formats(relative, expected):
    assert detect_export(FIXTURES / relative) == expected


def test_unknown_reader_option_is_refused(tmp_path):
    chat = tmp_path / "chat.txt"
    chat.write_text(ANDROID, encoding="utf-8")
    with pytest.raises(ParameterError, match="takes no option include_bulk"):
        read_export(chat, include_bulk=True)
