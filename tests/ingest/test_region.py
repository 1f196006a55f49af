"""National phone numbers are placed in the user's country (--region), never guessed.

Oracle: libphonenumber's own rules for the fictional UK ranges (020 7946 0xxx, 07700
900xxx): written nationally they are +44 numbers only when the region is GB.
"""

from __future__ import annotations

import pytest

from trustgraph.cli.app import main
from trustgraph.exceptions import ParameterError
from trustgraph.ingest.load import load_inputs
from trustgraph.ingest.phones import owner_region, resolve_region


@pytest.fixture
def uk_inputs(tmp_path):
    # The phone book writes UK numbers nationally; the chat log writes them with +44.
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "id,name,phone\nbo,Bo Example,020 7946 0018\ncy,Cy Example,07700 900123\n",
        encoding="utf-8",
    )
    chats = tmp_path / "conversations.csv"
    chats.write_text(
        "timestamp,sender,recipients\n"
        "2025-01-01T09:00:00Z,+44 20 7946 0018,+44 7700 900999\n"
        "2025-01-02T09:00:00Z,+44 7700 900999,+44 20 7946 0018\n"
        "2025-01-03T09:00:00Z,+44 7700 900123,+44 7700 900999\n",
        encoding="utf-8",
    )
    return [contacts, chats]


def people(loaded) -> set[str]:
    return {str(node) for node in loaded.graph.nodes}


@pytest.mark.parametrize(
    ("region", "me"),
    [("GB", ["me@example.org"]), ("gb", ["me@example.org"]), (None, ["+44 7700 900999"])],
)
def test_national_numbers_merge_with_their_international_form(uk_inputs, region, me):
    loaded = load_inputs(uk_inputs, me=me, region=region)
    # Bo and Cy are one node each: the phone book's row and the chat's sender merged.
    assert {"+442079460018", "+447700900123"} <= people(loaded)
    assert not {"bo", "cy"} & people(loaded)
    assert not [note for note in loaded.notes if "could not be placed" in note]


def test_without_a_region_national_numbers_stay_unplaced_and_are_counted(uk_inputs):
    loaded = load_inputs(uk_inputs, me=["me@example.org"])
    # Read as US numbers they are impossible: kept apart, counted, and the note says how
    # to fix it.
    assert {"bo", "cy"} <= people(loaded)
    notes = " ".join(loaded.notes)
    assert "2 phone number(s) could not be placed" in notes
    assert "--region" in notes


def test_unknown_region_is_a_parameter_error(uk_inputs):
    with pytest.raises(ParameterError, match="'UK'"):
        load_inputs(uk_inputs, me=["me@example.org"], region="UK")


def test_region_resolution_order():
    assert resolve_region("de", ["+44 7700 900123"]) == ("DE", "given")
    assert resolve_region(None, ["ada@example.org", "+33 1 99 00 12 34"]) == (
        "FR",
        "owner's number",
    )
    assert resolve_region(None, ["ada@example.org"])[1] == "default"
    assert owner_region(["0033 1 99 00 12 34"]) == "FR"
    assert owner_region(["020 7946 0018", "not a number"]) is None


def test_cli_region_option(uk_inputs, tmp_path, capsys):
    out = tmp_path / "g.csv"
    argv = ["ingest", *map(str, uk_inputs), "--me", "me@example.org", "-o", str(out)]
    assert main([*argv, "--region", "GB"]) == 0
    assert "bo," not in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main([*argv, "--region", "UK", "--force"]) == 1
    err = capsys.readouterr().err
    assert "unknown phone region 'UK'" in err and len(err.strip().splitlines()) == 1
