"""Synthetic identities and small helpers shared by the format strategies."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from .strategies import (
    hostile_text,
)

NAMES = ("Ada Example", "Bo Sample", "Cy Placeholder", "Renée Placeholder", "You", "Bo-Bo")
EMAILS = ("ada@example.com", "bo@example.org", "cy@example.net", "Ada@Example.com")
PHONES = ("+1 555 010 0100", "+15550100101", "555-0100", "+44 20 7946 0000", "+999999999999999")
URLS = (
    "https://www.linkedin.com/in/ada-example-0001",
    "https://www.linkedin.com/in/bo-sample-0002",
    "http://example.com/",
    "javascript:alert(1)",
)

names = functools.partial(hostile_text, realistic=NAMES)
emails = functools.partial(hostile_text, realistic=EMAILS)
phones = functools.partial(hostile_text, realistic=PHONES)
urls = functools.partial(hostile_text, realistic=URLS)


def pick(*values: Any) -> st.SearchStrategy[Any]:
    """``sampled_from(values)``, built once per distinct choice (hypothesis validates every
    new strategy object, which dominated generation time)."""
    try:
        return _cached_pick(values)
    except TypeError:  # unhashable choices
        return st.sampled_from(values)


@functools.cache
def _cached_pick(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)
