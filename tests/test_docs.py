"""The numbers the docs show are the numbers the code produces (scripts/doc_numbers.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_generator():
    spec = importlib.util.spec_from_file_location("doc_numbers", ROOT / "scripts/doc_numbers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = load_generator()
FOUND = [
    (page, name, body)
    for page in GENERATOR.PAGES
    if (ROOT / page).exists()
    for name, body in GENERATOR.regions_in((ROOT / page).read_text(encoding="utf-8"))
]


def test_every_region_has_a_generator_and_the_docs_have_regions():
    assert FOUND, "no generated region found in the docs"
    assert {name for _, name, _ in FOUND} <= set(GENERATOR.REGIONS)


@pytest.mark.parametrize(("page", "name", "body"), FOUND, ids=[f"{p}:{n}" for p, n, _ in FOUND])
def test_generated_region_is_current(page, name, body, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert body == GENERATOR.REGIONS[name](), (
        f"{page}: region {name!r} is stale; run python scripts/doc_numbers.py"
    )
