"""The reader gaps held-out sets 9 and 10 found (issue 15), on fixtures of our own.

* Mail: a From (or To) header written as RFC 2047 encoded words around the address itself
  (``From: =?UTF-8?B?...?=``, which RFC 2047 section 5 forbids but senders write). Oracle:
  Python's :mod:`mailbox` to split the file, :mod:`email.header` to decode the words and
  :func:`email.utils.getaddresses` to take the addresses out of the decoded text.
* Telegram: a chat whose only records are service records holds no message; a file of
  such chats is refused in one line, as the WhatsApp reader refuses a chat of system lines,
  while a full export with one chat that has messages still reads. Oracle: the records'
  ``type`` counted in the JSON.
* vCard: RFC 6350 section 3.2 unfolding (a line break followed by one space or tab is
  removed), with empty lines skipped, may split a property anywhere, even inside its name
  or a parameter name. Oracle: that rule applied to the whole file with a regular
  expression, then the ``EMAIL`` lines read off.
"""

from __future__ import annotations

import json
import mailbox
import re
from datetime import timezone
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pytest

from trustgraph.exceptions import IngestError
from trustgraph.ingest.email_reader import read_mbox
from trustgraph.ingest.telegram import read_telegram
from trustgraph.ingest.vcard import read_vcard

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reader_variants10"


def _decoded_addresses(values: list[str]) -> list[str]:
    text = [str(make_header(decode_header(value))) for value in values]
    return [address.lower() for _name, address in getaddresses(text) if "@" in address]


def _mail_oracle(path: Path) -> list[tuple[str, set[str], object]]:
    """(sender, recipients, UTC time) of each message with a From address, as Python's
    mail modules read it."""
    box = mailbox.mbox(path, create=False)
    try:
        messages = list(box)
    finally:
        box.close()
    out = []
    for message in messages:
        senders = _decoded_addresses(message.get_all("From", []))
        if not senders:
            continue
        recipients = set(_decoded_addresses(message.get_all("To", []))) - {senders[0]}
        when = parsedate_to_datetime(message["Date"]).astimezone(timezone.utc)
        out.append((senders[0], recipients, when))
    return out


def test_an_encoded_word_around_a_bare_address_is_read_as_mail_modules_read_it():
    path = FIXTURES / "encoded_from.mbox"
    expected = _mail_oracle(path)
    data = read_mbox(path)
    got = [(e.sender, set(e.recipients), e.timestamp) for e in data.events]
    assert sorted(got, key=lambda x: x[2]) == sorted(expected, key=lambda x: x[2])
    # Every message but the one whose encoded word holds a name and no address.
    assert data.reports[0].records["messages"] == len(expected) + 1
    assert data.reports[0].skipped == {"no valid From address": 1}


def test_an_encoded_name_and_address_keep_the_decoded_name():
    data = read_mbox(FIXTURES / "encoded_from.mbox")
    names = {c.id: c.display_name for c in data.contacts}
    raw = (FIXTURES / "encoded_from.mbox").read_text(encoding="utf-8")
    # The one From header that encodes "Name <address>" in a single word.
    header = next(
        line[len("From: ") :]
        for line in raw.splitlines()
        if line.startswith("From: ") and "dee" in str(make_header(decode_header(line[6:])))
    )
    ((name, address),) = getaddresses([str(make_header(decode_header(header)))])
    assert names[address] == name


def _records(chat: dict) -> tuple[int, int]:
    kinds = [record["type"] for record in chat["messages"]]
    return kinds.count("message"), kinds.count("service")


@pytest.mark.parametrize("name", ["telegram_service_only.json", "telegram_full_service_only.json"])
def test_telegram_service_records_alone_are_refused_in_one_line(name):
    root = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    chats = root["chats"]["list"] if "chats" in root else [root]
    counts = [_records(chat) for chat in chats]
    assert sum(m for m, _ in counts) == 0
    services = sum(s for _, s in counts)
    with pytest.raises(IngestError) as caught:
        read_telegram(FIXTURES / name)
    message = str(caught.value)
    assert f"0 messages: {services} service records and no message" in message
    assert "\n" not in message


def test_a_full_export_reads_when_one_chat_has_messages():
    path = FIXTURES / "telegram_full_one_chat_with_messages.json"
    chats = json.loads(path.read_text(encoding="utf-8"))["chats"]["list"]
    counts = [_records(chat) for chat in chats]
    assert any(m == 0 for m, _ in counts) and any(m > 0 for m, _ in counts)
    report = read_telegram(path).reports[0]
    assert report.records["messages"] == sum(m for m, _ in counts)
    assert report.records["system_events"] == sum(s for _, s in counts)
    assert report.records["conversations"] == len(chats)


def test_service_records_with_an_address_book_still_read(tmp_path):
    # The address book is data on its own (contacts), so the file is not refused.
    root = json.loads((FIXTURES / "telegram_full_service_only.json").read_text(encoding="utf-8"))
    root["contacts"] = {
        "about": "",
        "list": [{"first_name": "Bo", "last_name": "Example", "phone_number": "+1 202 555 0143"}],
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(root), encoding="utf-8")
    report = read_telegram(path).reports[0]
    assert report.records["address_book"] == 1
    assert report.records.get("messages", 0) == 0


def _rfc6350_emails(path: Path) -> list[list[str]]:
    """EMAIL values per card: empty lines dropped, then every line break followed by one
    space or tab removed (RFC 6350 section 3.2)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    text = re.sub(r"\n[ \t]", "", "\n".join(lines))
    cards = re.findall(r"(?ms)^BEGIN:VCARD$(.*?)^END:VCARD$", text)
    return [
        [m.group(1).lower() for m in re.finditer(r"(?mi)^EMAIL(?:;[^:\n]*)?:(.+)$", card)]
        for card in cards
    ]


def test_vcard_folds_inside_names_and_empty_lines_inside_folds():
    path = FIXTURES / "fold_in_names.vcf"
    expected = _rfc6350_emails(path)
    assert all(expected)  # every card of the fixture has an e-mail once unfolded
    data = read_vcard(path)
    got = [[i for i in c.identifiers if "@" in i] for c in data.contacts]
    assert got == expected
    assert not data.reports[0].skipped


def test_vcard_fold_inside_a_parameter_name_keeps_the_parameter(tmp_path):
    # "CATEGORIES;X-" / " LABEL=x:friends": the parameter is joined, so the value is the
    # category alone; read as a stray line it would end up inside the previous value.
    path = tmp_path / "one.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Example\nEMAIL:bo@example.org\n"
        "CATEGORIES;X-\n LABEL=x:friends,climbing\nEND:VCARD\n",
        encoding="utf-8",
    )
    (contact,) = read_vcard(path).contacts
    assert contact.attributes["labels"] == ("friends", "climbing")
    assert contact.identifiers == ("bo@example.org",)


def test_a_line_continued_without_a_fold_still_joins_its_value(tmp_path):
    # The Google Contacts (Android) case the old unfolding was written for: unchanged.
    path = tmp_path / "google.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cy Example\nCATEGORIES:a\nb\n"
        "EMAIL:cy@example.net\nEND:VCARD\n",
        encoding="utf-8",
    )
    data = read_vcard(path)
    (contact,) = data.contacts
    assert data.reports[0].records["unfolded_lines"] == 1
    assert contact.attributes["labels"] == ("a\nb",)
    assert contact.identifiers == ("cy@example.net",)
