"""Keyed pseudonyms for --anonymize."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustgraph.exceptions import TrustGraphError
from trustgraph.ingest.pseudonym import (
    Pseudonymizer,
    default_secret_path,
    load_or_create_secret,
)

SECRET = b"test secret, never used for real data"
ORIGINALS = [
    "Ada Example",
    "ada@example.com",
    "+15550100100",
    "linkedin:ada-example-0001",
    "tg:100000001",
    "wa-name:bo sample",
]


def test_stable_across_calls_and_instances():
    first = Pseudonymizer(secret=SECRET)
    second = Pseudonymizer(secret=SECRET)
    for value in ORIGINALS:
        assert first.identifier(value) == first.identifier(value) == second.identifier(value)


def test_another_secret_gives_other_pseudonyms():
    ours = Pseudonymizer(secret=SECRET)
    theirs = Pseudonymizer(secret=b"another secret")
    assert all(ours.identifier(v) != theirs.identifier(v) for v in ORIGINALS)


def test_is_a_keyed_hmac_not_a_bare_hash():
    value = "ada@example.com"
    token = Pseudonymizer(secret=SECRET).pseudonym(value)
    # Independent oracle: HMAC-SHA256 over "kind\0value" with the stdlib.
    expected = hmac.new(SECRET, b"id\0" + value.encode(), hashlib.sha256).hexdigest()[:16]
    assert token == f"person-{expected}"
    assert token[7:] != hashlib.sha256(value.encode()).hexdigest()[:16]


def test_readable_forms_keep_only_the_kind():
    p = Pseudonymizer(secret=SECRET)
    assert re.fullmatch(r"person-[0-9a-f]{16}@pseudonym\.invalid", p.identifier("ada@example.com"))
    assert re.fullmatch(r"person-[0-9a-f]{16}", p.identifier("+15550100100"))
    assert re.fullmatch(r"tg:person-[0-9a-f]{16}", p.identifier("tg:100000001"))
    assert re.fullmatch(r"linkedin:person-[0-9a-f]{16}", p.identifier("linkedin:ada-example-0001"))
    assert re.fullmatch(r"person-[0-9a-f]{16}", p.identifier("wa-name:bo sample"))


def _fragments(value: str) -> set[str]:
    words = re.split(r"[^0-9A-Za-z]+", value.lower())
    return {w for w in words if len(w) >= 3} - {"linkedin", "name"}


@settings(max_examples=60)
@given(st.sampled_from(ORIGINALS) | st.emails() | st.text(min_size=3, max_size=20))
def test_no_original_substring_in_output(value):
    output = Pseudonymizer(secret=SECRET).identifier(value).lower()
    for fragment in _fragments(value):
        # The digest is hex and the fixed words are "person", "pseudonym", "invalid": a
        # fragment inside one of them ("lid", "son") says nothing of the original.
        fixed = ("person", "pseudonym", "invalid")
        if any(fragment in word for word in fixed) or re.fullmatch(r"[0-9a-f]+", fragment):
            continue
        assert fragment not in output


def test_map_many_is_injective_and_order_independent():
    p = Pseudonymizer(secret=SECRET, digits=4)
    values = [f"user{i}@example.com" for i in range(3000)]  # 16-bit tokens: collisions happen
    forward = p.map_many(values)
    backward = p.map_many(list(reversed(values)))
    assert len(set(forward.values())) == len(values)
    assert forward == backward
    assert any(len(v.split("@")[0]) > len("person-") + 4 for v in forward.values())


def test_secret_file_created_once_with_mode_0600(tmp_path, monkeypatch):
    monkeypatch.delenv("TRUSTGRAPH_ANONYMIZE_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = default_secret_path()
    assert path == tmp_path / "config" / "trustgraph" / "secret"
    secret = load_or_create_secret()
    assert len(secret) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret() == secret  # never overwritten
    assert Pseudonymizer().pseudonym("x") == Pseudonymizer(secret=secret).pseudonym("x")
    assert [p.name for p in path.parent.iterdir()] == ["secret"]  # no temporary left


def test_default_path_without_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("TRUSTGRAPH_ANONYMIZE_KEY", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_secret_path() == tmp_path / ".config" / "trustgraph" / "secret"


def test_concurrent_creation_agrees(tmp_path):
    path = tmp_path / "trustgraph" / "secret"
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(load_or_create_secret(path)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1


def test_corrupt_secret_is_an_error(tmp_path):
    path = tmp_path / "secret"
    path.write_text("not hex at all\n", encoding="ascii")
    os.chmod(path, 0o600)
    with pytest.raises(TrustGraphError, match="not a trustgraph pseudonym secret"):
        load_or_create_secret(path)


def test_bad_arguments():
    with pytest.raises(ValueError, match="must not be empty"):
        Pseudonymizer(secret=b"")
    with pytest.raises(ValueError, match="digits"):
        Pseudonymizer(secret=SECRET, digits=2)
