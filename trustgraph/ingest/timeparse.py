"""Timestamps the same way on every supported Python, and never outside what a datetime holds.

``datetime.fromisoformat`` accepts a trailing ``Z`` and fractions of any length only from
Python 3.11; trustgraph supports 3.10, so every reader parses through :func:`utc_from_iso`.

Every reader turns times into aware UTC datetimes through the helpers of this module, so that
a hostile or corrupt time (``date_unixtime`` 253402300800, ``timestamp_ms`` 1e30, a ``ts`` of
``"1e300"``, ``Date: Fri, 31 Dec 9999 23:59:59 -1200``) is one :class:`DateOutOfRange` (a
:class:`ValueError`) that the reader skips and counts, never an ``OverflowError`` that aborts
the whole file.

Supported instants run from 0001-01-02 to 9999-12-30 UTC: a day short of what
:class:`~datetime.datetime` can hold at each end, so that any later conversion to a local time
zone (at most 26 hours apart) stays representable.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal, DecimalException
from typing import Any

__all__ = [
    "EARLIEST",
    "LATEST",
    "OUT_OF_RANGE_REASON",
    "DateOutOfRange",
    "as_utc",
    "utc_from_epoch",
    "utc_from_iso",
]

_FRACTION = re.compile(r"\.(\d+)(?=[+-]\d\d:\d\d$|$)")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

#: First and last instant a reader accepts (a day inside datetime's own limits).
EARLIEST = datetime.min.replace(tzinfo=timezone.utc) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=timezone.utc) - timedelta(days=1)
_EARLIEST_SECONDS = Decimal(int((EARLIEST - _EPOCH).total_seconds()))
_LATEST_SECONDS = Decimal(int((LATEST - _EPOCH).total_seconds()))

#: Skip reason readers use for a record whose time is a valid number or date outside
#: [EARLIEST, LATEST]: the same words in every report.
OUT_OF_RANGE_REASON = "dated outside years 1-9999"


class DateOutOfRange(ValueError):
    """A time that parses but lies outside [:data:`EARLIEST`, :data:`LATEST`]."""


def as_utc(moment: datetime, *, naive_tz: tzinfo = timezone.utc) -> datetime:
    """`moment` as an aware UTC datetime; a naive `moment` is read in `naive_tz`.

    Raises
    ------
    DateOutOfRange
        The instant is outside [:data:`EARLIEST`, :data:`LATEST`] (including when the
        conversion itself overflows, e.g. 9999-12-31 23:59 at UTC-12).

    Examples
    --------
    >>> as_utc(datetime(2024, 3, 14, 10, 5, tzinfo=timezone(timedelta(hours=1)))).isoformat()
    '2024-03-14T09:05:00+00:00'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_tz)
    try:
        utc = moment.astimezone(timezone.utc)
    except OverflowError:
        raise DateOutOfRange(f"date {moment.isoformat()} is out of range") from None
    if not EARLIEST <= utc <= LATEST:
        raise DateOutOfRange(f"date {utc.isoformat()} is out of range")
    return utc


def utc_from_iso(value: str, *, naive_tz: tzinfo = timezone.utc) -> datetime:
    """Parse ISO 8601 (``Z`` and a `` UTC`` suffix accepted) into an aware UTC datetime.

    A value without an offset is read in `naive_tz`.

    Raises
    ------
    ValueError
        `value` is not an ISO 8601 date (:class:`DateOutOfRange` when it is one, outside
        the supported range).

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
    return as_utc(datetime.fromisoformat(text), naive_tz=naive_tz)


def utc_from_epoch(value: Any, *, scale: int = 1) -> datetime:
    """A UTC datetime from an epoch number or numeric string, exact to the microsecond.

    `scale` is the number of units per second (1000 for milliseconds). Decimal arithmetic
    keeps strings such as ``"1710407112.000100"`` exact.

    Raises
    ------
    ValueError
        When `value` is not a finite number (:class:`DateOutOfRange` when it is one, outside
        the supported range).

    Examples
    --------
    >>> utc_from_epoch("1710407112.000100").isoformat()
    '2024-03-14T09:05:12.000100+00:00'
    >>> utc_from_epoch(1710407160000, scale=1000).isoformat()
    '2024-03-14T09:06:00+00:00'
    """
    if isinstance(value, bool):
        raise ValueError(f"not an epoch time: {value!r}")
    try:
        # str() of an int over 4,300 digits raises ValueError; Decimal signals are
        # ArithmeticErrors (an exponent beyond the context's range, say).
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise ValueError(f"not an epoch time: {value!r}")
        seconds = number / scale
        if not _EARLIEST_SECONDS <= seconds <= _LATEST_SECONDS:
            raise DateOutOfRange(f"epoch time {value!r} is out of range")
        micros = int((seconds * 1_000_000).to_integral_value())
    except DecimalException:
        raise ValueError(f"not an epoch time: {str(value)[:40]!r}") from None
    return _EPOCH + timedelta(microseconds=micros)
