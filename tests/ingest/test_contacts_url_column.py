"""A generic contacts CSV keyed by a `url` column (a CRM export) is found as one: the
column `read_contacts` accepts is one the format check looks for too."""

from __future__ import annotations

import csv

from trustgraph.ingest.load import load_inputs


def test_a_crm_csv_with_a_url_column_reads_as_contacts(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "First Name,Last Name,URL,Company\n"
        "Sam,Lee,https://crm.example.com/p/sam,One Co\n"
        "Ada,Example,https://crm.example.com/p/ada,Two Co\n",
        encoding="utf-8",
    )
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))  # the csv module is the oracle for the count
    loaded = load_inputs([path])
    assert [report.format for report in loaded.reports] == ["contacts-csv"]
    assert loaded.reports[0].records["contacts"] == len(rows) == 2
