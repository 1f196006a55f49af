"""Contact CSV and Slack layouts held-out set 5 found unread (issue 15), with oracles.

LinkedIn connections without ``Connected On``, Google Contacts' current, legacy and minimal
headers, and a Slack export folder without ``channels.json``; each read through
``trustgraph inspect --json`` as a user would. Row counts come from Python's csv module,
phone placement from libphonenumber called directly, Slack counts from the day files' JSON:
none of them from the readers under test.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
import pytest
from test_foreign_fixtures import check_row, read_table, run_inspect

from trustgraph.ingest.exports import detect_export, read_export, scan_folder
from trustgraph.ingest.sniff import rank_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HERE = FIXTURES / "contact_variants"
HUMAN = {None, "thread_broadcast", "file_share", "me_message"}  # docs/exports.md, Slack


def _inspect(path: Path, options: str = "") -> list[dict]:
    code, out, err = run_inspect(path, options)
    assert code == 0, err
    return json.loads(out)


def _refusal(path: Path, options: str = "") -> str:
    code, out, err = run_inspect(path, options)
    assert code == 1, out
    assert err.startswith("trustgraph: error: ") and err.count("\n") <= 1, err
    assert "Traceback" not in err
    return err


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            # The first row of several cells: LinkedIn's "Notes:" preamble has one.
            if len(row) > 1 and any(cell.strip() for cell in row):
                return [cell.strip() for cell in row]
    return []


def _claimed_missing(message: str) -> list[str]:
    """The quoted column names `message` says are absent: those after 'no', 'without' or
    'missing' in each ';'-separated clause."""
    names = []
    for clause in re.split(r"[;(]", message):
        found = re.search(r"\b(?:no|without|missing)\b(.*)", clause)
        if found:
            names += re.findall(r"'([^']+)'", found.group(1))
    return names


def _assert_names_no_present_column(message: str, header: list[str]) -> None:
    for claim in _claimed_missing(message):
        # "'E-mail N - Value'" stands for every numbered column of that family.
        pattern = re.escape(claim).replace(re.escape(" N "), r" \d+ ")
        present = [h for h in header if re.fullmatch(pattern, h, re.IGNORECASE)]
        assert not present, f"{message!r} calls {claim!r} missing but {present} is there"


# ------------------------------------------------------------------------------- LinkedIn


def _connections_oracle(path: Path) -> list[str]:
    """``linkedin:<slug>`` of every row with a first or last name, by the csv module."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    at = next(i for i, r in enumerate(rows) if "First Name" in r and "Last Name" in r)
    header = rows[at]
    ids = []
    for row in rows[at + 1 :]:
        cells = dict(zip(header, (c.strip() for c in row)))
        if not (cells.get("First Name") or cells.get("Last Name")):
            continue
        url = cells["URL"]
        path_part = urlsplit(url if "//" in url else f"https://{url}").path
        ids.append("linkedin:" + path_part.split("/in/", 1)[1].strip("/").lower())
    return ids


LINKEDIN = [
    "linkedin_no_connected_on.csv",
    "linkedin_url_company.csv",
    "linkedin_no_date_notes.csv",
]


@pytest.mark.parametrize("name", LINKEDIN)
def test_linkedin_connections_without_connected_on(name):
    path = HERE / name
    assert detect_export(path) == "linkedin"
    (report,) = _inspect(path)
    expected = _connections_oracle(path)
    assert report["format"] == "linkedin-connections"
    assert report["records"]["contacts"] == len(expected) > 0
    assert report["records"].get("messages", 0) == 0
    assert report.get("first_seen") is None  # no date: the first date is none
    data = read_export(path)
    assert [c.id for c in data.contacts] == expected
    assert all(c.connected_on is None for c in data.contacts)


def test_linkedin_header_without_rows_is_a_clean_refusal():
    path = HERE / "linkedin_header_only.csv"
    assert detect_export(path) == "linkedin"
    err = _refusal(path)
    assert "0 connections" in err


def test_first_last_url_with_other_urls_is_not_linkedin():
    fits = {f.format: f for f in rank_file(HERE / "crm_other_urls.csv")}
    assert fits["linkedin"].score == 0.0
    assert "linkedin.com/in/" in fits["linkedin"].saw
    _assert_names_no_present_column(fits["linkedin"].saw, _header(HERE / "crm_other_urls.csv"))
    assert detect_export(HERE / "crm_other_urls.csv") is None


def test_names_only_refusal_says_what_each_reader_saw():
    path = HERE / "names_only.csv"
    err = _refusal(path)
    assert "LinkedIn: " in err and "Google Contacts: " in err
    _assert_names_no_present_column(err, _header(path))


# ------------------------------------------------------------------------ Google Contacts


def _placed(value: str, region: str = "US") -> str | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number_with_reason(number) != (
        phonenumbers.ValidationResult.IS_POSSIBLE
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _google_oracle(path: Path) -> tuple[list[tuple[str, ...]], int, int]:
    """Per row with an identifier its identifiers; the numbers not placed; the rows whose
    only identifiers are such numbers. Read with the csv module and libphonenumber."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    contacts, unplaced, unplaced_only = [], 0, 0
    for row in rows:
        ids, row_unplaced = [], 0
        for column, cell in row.items():
            values = [v.strip() for v in (cell or "").split(":::") if v.strip()]
            if re.fullmatch(r"E-mail \d+ - Value", column):
                ids += [v.lower() for v in values]
            elif re.fullmatch(r"Phone \d+ - Value", column):
                for value in values:
                    number = _placed(value)
                    row_unplaced += number is None
                    ids += [number] if number else []
            elif re.fullmatch(r"Website \d+ - Value", column):
                ids += [
                    "linkedin:" + v.rsplit("/in/", 1)[1].strip("/") for v in values if "/in/" in v
                ]
        unplaced += row_unplaced
        if ids:
            contacts.append(tuple(dict.fromkeys(ids)))
        elif row_unplaced:
            unplaced_only += 1
    return contacts, unplaced, unplaced_only


GOOGLE = [
    ("google_current.csv", "google-csv"),
    ("google_current_phones_only.csv", "google-csv"),
    ("google_legacy.csv", "legacy-google-csv"),
    ("google_name_emails.csv", "minimal-google-csv"),
    ("google_name_phones.csv", "minimal-google-csv"),
]


@pytest.mark.parametrize(("name", "variant"), GOOGLE)
def test_google_contacts_variants(name, variant):
    path = HERE / name
    assert detect_export(path) == "google-contacts"
    (report,) = _inspect(path)
    expected, unplaced, unplaced_only = _google_oracle(path)
    assert report["variant"] == variant
    assert report["records"]["contacts"] == len(expected) > 0
    assert report["records"].get("messages", 0) == 0
    skipped_numbers = sum(n for r, n in report["skipped"].items() if r.startswith("phone number"))
    assert skipped_numbers == unplaced  # skipped and counted, never silently dropped
    assert report["records"].get("rows_with_unplaced_phones_only", 0) == unplaced_only
    assert [c.identifiers for c in read_export(path).contacts] == expected


def test_unplaced_numbers_are_counted_with_the_region():
    path = HERE / "google_name_phones.csv"
    (report,) = _inspect(path)
    _, _, unplaced_only = _google_oracle(path)
    assert unplaced_only == 1
    assert any("cannot place in region US" in note for note in report["notes"])


def test_rows_with_only_unplaced_numbers_are_a_refusal_that_says_why():
    path = HERE / "google_name_phones_unplaced.csv"
    assert detect_export(path) == "google-contacts"
    err = _refusal(path)
    assert "cannot place in region US" in err and "--region" in err


@pytest.mark.parametrize(
    "name", ["google_labels_only.csv", "google_name_phones_unplaced.csv", "names_only.csv"]
)
def test_no_refusal_names_a_present_column_as_missing(name):
    path = HERE / name
    _assert_names_no_present_column(_refusal(path), _header(path))


def test_the_minimal_header_message_of_set_5_is_gone(tmp_path):
    # Set 5's run refused "Name,E-mail 1 - Value,..." as having no 'E-mail 1 - Value' column.
    path = tmp_path / "contacts.csv"
    path.write_text("Name,E-mail 1 - Value,E-mail 2 - Value\nPat Doe,,\n", encoding="utf-8")
    err = _refusal(path)
    assert "no row has a usable e-mail or phone" in err
    _assert_names_no_present_column(err, _header(path))


# ---------------------------------------------------------------------------------- Slack


def _slack_oracle(root: Path) -> tuple[int, int, str, set[str]]:
    """Posts by people, users who are not bots (Slack's ``is_bot``, Slackbot), first
    record's UTC date, channel folders."""
    users = json.loads((root / "users.json").read_text(encoding="utf-8"))
    people = [u for u in users if not u.get("is_bot") and u["id"] != "USLACKBOT"]
    posts, stamps, channels = 0, [], set()
    for day in sorted(root.glob("*/????-??-??.json")):
        channels.add(day.parent.name)
        for record in json.loads(day.read_text(encoding="utf-8")):
            stamps.append(float(record["ts"]))
            posts += record.get("subtype") in HUMAN and "user" in record
    first = datetime.fromtimestamp(min(stamps), tz=timezone.utc).date().isoformat()
    return posts, len(people), first, channels


def _zip_of(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as handle:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                handle.write(file, file.relative_to(folder).as_posix())
    return archive


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_slack_export_without_channels_json(packed, tmp_path):
    root = HERE / "slack_no_channels"
    path = _zip_of(root, tmp_path / "export.zip") if packed else root
    assert detect_export(path) == "slack"
    reports = _inspect(path)
    posts, people, first, channels = _slack_oracle(root)
    assert sum(r["records"].get("messages", 0) for r in reports) == posts
    assert reports[0]["records"]["contacts"] == people
    assert min(r["first_seen"] for r in reports if r.get("first_seen"))[:10] == first
    data = read_export(path)
    assert {e.conversation_id for e in data.events} == {f"slack:#{c}" for c in channels}
    (reply,) = [e for e in data.events if e.timestamp.timestamp() == 1710407200.0003]
    assert reply.recipients == ("slack:U0ANA0001",)  # to the thread's author only


def test_slack_folder_is_found_inside_a_downloads_folder(tmp_path):
    shutil.copytree(HERE / "slack_no_channels", tmp_path / "downloads" / "workspace")
    (tmp_path / "downloads" / "notes.txt").write_text("not an export\n", encoding="utf-8")
    found, _ = scan_folder(tmp_path / "downloads")
    assert [(f.format, f.path.name) for f in found] == [("slack", "workspace")]


def test_users_json_beside_folders_without_day_files_is_not_slack(tmp_path):
    (tmp_path / "users.json").write_text("[]", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "settings.json").write_text("{}", encoding="utf-8")
    assert detect_export(tmp_path) is None


# ---------------------------------------------------------------------- held-out set 5


SET5 = {row["fixture"]: row for row in read_table(FIXTURES / "heldout5" / "README.md")}


@pytest.mark.parametrize(
    "fixture",
    [
        "constellation_linkedin_no_date.csv",
        "constellation_linkedin_snapshot.csv",
        "rolomind_google_multi_email.csv",
        "rolomind_google_name_only.csv",
        "zulip_slack_importer",
    ],
)
def test_set_5_detection_gaps_now_agree(fixture):
    check_row(FIXTURES / "heldout5" / fixture, SET5[fixture])
