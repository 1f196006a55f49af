"""ISO 8601 timestamps the same way on every supported Python.

``datetime.fromisoformat`` accepts a trailing ``Z`` and fractions of any length only from
Python 3.11; trustgraph supports 3.10, so every reader parses through :func:`utc_from_iso`.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo

__all__ = ["utc_from_iso"]

_FRACTION = re.compile(r"\.(\d+)(?=[+-]\d\d:\d\d$|$)")


def utc_from_iso(value: str, *, naive_tz: tzinfo = timezone.utc) -> datetime:
    """Parse ISO 8601 (``Z`` and a `` UTC`` suffix accepted) into an aware UTC datetime.

    A value without an offset is read in `naive_tz`.

    Raises
    ------
    ValueError
        `value` is not an ISO 8601 date.

    Examples
    --------
    >>> utc_from_iso("2024-03-14T09:05:12.000Z").isoformat()
    '2024-03-14T09:05:12+00:00'
    >>> utc_from_iso("2024-03-14T10:05:12.5+01:00").isoformat()
    '2024-03-14T09:05:12.500000+00:00'
    >>> utc_from_iso("2024-03-14 09:05:12 UTC").isoformat()
    '2024-03-14T09:05:12+00:00'
    """
    if not isinstance(value, str):
        raise ValueError(f"not an ISO 8601 date: {value!r}")
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    elif text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python 3.10's fromisoformat takes only 3 or 6 fraction digits: pad or cut to 6.
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_tz)
    return moment.astimezone(timezone.utc)
