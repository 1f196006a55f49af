"""`inspect` reads as `ingest` does: the --region that places national phone numbers, and a
folder of saved .eml messages as one mailbox (not one export per file)."""

from __future__ import annotations

import contextlib
import email
import io
import json
from pathlib import Path

import phonenumbers

from trustgraph.cli.app import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _inspect(*args: str) -> tuple[int, list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["inspect", "--json", *args])
    return code, (json.loads(out.getvalue()) if code == 0 else []), err.getvalue()


def test_region_places_national_numbers_in_inspect(tmp_path):
    number = "0151 23456789"
    # libphonenumber is the oracle: a German mobile number written nationally.
    assert not phonenumbers.is_possible_number(phonenumbers.parse(number, "US"))
    assert phonenumbers.is_valid_number(phonenumbers.parse(number, "DE"))
    card = tmp_path / "people.vcf"
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Example\r\nTEL:{number}\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    code, _, err = _inspect(str(card))  # the default region is the United States
    assert code == 1 and "cannot place in region US" in err
    code, reports, err = _inspect("--region", "DE", str(card))
    assert code == 0, err
    assert reports[0]["records"]["contacts"] == 1


def test_an_unknown_region_is_a_usage_error():
    code, _, err = _inspect("--region", "XX", str(FIXTURES / "mail_variants" / "lone_message.eml"))
    assert code == 2 and "unknown phone region 'XX'" in err and err.count("\n") == 1


def test_a_folder_of_eml_files_is_one_mailbox():
    folder = FIXTURES / "mail_variants" / "eml_folder"
    code, reports, err = _inspect(str(folder))
    assert code == 0, err
    assert len(reports) == 1 and reports[0]["format"] == "maildir"
    # Python's email package is the oracle: every saved message with a Date is a message.
    dated = [p for p in folder.glob("*.eml") if email.message_from_bytes(p.read_bytes())["Date"]]
    assert reports[0]["records"]["messages"] == len(dated) == 3


def test_a_folder_mixing_eml_with_a_chat_is_searched_not_read_as_a_mailbox(tmp_path):
    source = FIXTURES / "mail_variants" / "eml_folder"
    for path in source.glob("*.eml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "WhatsApp Chat with Bo.txt").write_text(
        "1/2/24, 10:00 - Ada: hi\n1/2/24, 10:01 - Bo: hello\n", encoding="utf-8"
    )
    code, listing, err = _inspect(str(tmp_path))
    assert code == 0, err
    formats = [found["format"] for found in listing["found"]]
    assert "whatsapp" in formats and "maildir" not in formats
