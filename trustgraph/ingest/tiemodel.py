"""The tie-strength model: :class:`TieModel`, the formula's parameters and its pieces.

See :mod:`trustgraph.ingest.ties` for the formula; ``docs/ties.md`` derives it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

import numpy as np

from trustgraph.exceptions import ParameterError

__all__ = ["TRANSFORMS", "TieModel"]

#: Names accepted by ``TieModel(transform=...)``.
TRANSFORMS = ("log1p", "identity")

_SECONDS_PER_DAY = 86_400.0


def _to_epoch(value: datetime | float | int) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    return float(value)


def _finite_number(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ParameterError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ParameterError(f"{name} must be finite, got {value!r}")
    return number


@dataclass(frozen=True)
class TieModel:
    """How conversation events become directed tie strengths (a frozen, hashable value).

    Parameters
    ----------
    half_life_days : float or None, default 90.0
        A message loses half its weight every `half_life_days` before the reference time.
        ``None`` disables decay (every message counts 1).
    decay_floor : float in [0, 1], default 0.1
        The least share of its weight a message keeps however old: decay is bounded, so a
        long two-way friendship is not outweighed by last week's unanswered message (with
        the default half-life the floor is reached after about 300 days). 0 removes it.
    reciprocity : float in [0, 1], default 0.5
        How much a one-sided tie is discounted. With the balance
        ``r = 2 min(S_uv, S_vu) / (S_uv + S_vu)``, the direct part is multiplied by
        ``(1 - reciprocity) + reciprocity * r``: a purely one-way tie keeps
        ``1 - reciprocity`` of its weight, a balanced one keeps all of it. 0 disables.
    group_exponent : float >= 0, default 1.0
        A message to ``k`` recipients gives each of them ``k ** -group_exponent``: 1.0 splits
        one message among its recipients, 0 counts it fully for each.
    co_participant : float >= 0, default 0.25
        Weight, relative to a direct message, of the tie between two recipients of the same
        group message (in both directions; decayed and group-discounted like the rest).
        0 disables co-participant edges.
    co_participant_max_group : int or None, default 50
        Messages with more recipients than this make no co-participant edges (a 500-member
        channel says little about any pair, and would make 250,000 pairs per message).
        ``None`` removes the limit.
    transform : {"log1p", "identity"}, default "log1p"
        Applied to the strength: ``log1p`` damps heavy chatters (ALGORITHMS.md §14),
        ``identity`` keeps the sum.
    reference_time : datetime or float or None, default None
        The time ``T`` decay is measured from (a datetime, naive = UTC, or epoch seconds).
        ``None`` means the newest event. Events after ``T`` are left out, which gives the
        graph "as it stood at T"; their number is ``TieTable.n_after_reference``.

    Raises
    ------
    ParameterError
        A parameter outside its domain, named with the offending value.

    See Also
    --------
    tie_components : every intermediate column per directed pair.
    trustgraph.ingest.build.build_graph : the graph built with a model.

    Notes
    -----
    ALGORITHMS.md §14 proposes ``log(1 + sum d(t)) * r ** beta``. We use the linear mix
    ``(1 - reciprocity) + reciprocity * r`` instead, for two reasons. A power of ``r``
    sends every purely one-way tie to weight 0 for any ``beta > 0`` (so the owner's edge to
    someone who never answered would vanish from propagation), and jumps to 1 at
    ``beta = 0``; the mix degrades smoothly to ``1 - reciprocity``. And the factor scales
    the sum before the transform, with the balance computed from the same decayed,
    group-discounted sums ``S`` it scales, which keeps the weight of ``u -> v``
    non-decreasing in every message ``u -> v`` and non-increasing in its age (with counts
    instead, one old one-way message could lower a balanced tie).

    References
    ----------
    .. [1] E. Gilbert and K. Karahalios, "Predicting tie strength with social media",
       CHI 2009.
    .. [2] J.-P. Onnela et al., "Structure and tie strengths in mobile communication
       networks", PNAS 104(18), 2007.

    Examples
    --------
    >>> TieModel().half_life_days, TieModel().reciprocity
    (90.0, 0.5)
    >>> TieModel.plain_counts().transform
    'identity'
    >>> TieModel(reciprocity=2.0)
    Traceback (most recent call last):
    ...
    trustgraph.exceptions.ParameterError: reciprocity must be in [0, 1], got 2.0
    """

    half_life_days: float | None = 90.0
    decay_floor: float = 0.1
    reciprocity: float = 0.5
    group_exponent: float = 1.0
    co_participant: float = 0.25
    co_participant_max_group: int | None = 50
    transform: str = "log1p"
    reference_time: datetime | float | None = field(default=None)

    def __post_init__(self) -> None:
        if self.half_life_days is not None:
            half_life = _finite_number("half_life_days", self.half_life_days)
            if half_life <= 0:
                raise ParameterError(
                    f"half_life_days must be positive (or None for no decay), "
                    f"got {self.half_life_days!r}"
                )
        floor = _finite_number("decay_floor", self.decay_floor)
        if not 0.0 <= floor <= 1.0:
            raise ParameterError(f"decay_floor must be in [0, 1], got {self.decay_floor!r}")
        reciprocity = _finite_number("reciprocity", self.reciprocity)
        if not 0.0 <= reciprocity <= 1.0:
            raise ParameterError(f"reciprocity must be in [0, 1], got {self.reciprocity!r}")
        if _finite_number("group_exponent", self.group_exponent) < 0:
            raise ParameterError(f"group_exponent must be >= 0, got {self.group_exponent!r}")
        if _finite_number("co_participant", self.co_participant) < 0:
            raise ParameterError(f"co_participant must be >= 0, got {self.co_participant!r}")
        limit = self.co_participant_max_group
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 2
        ):
            raise ParameterError(
                f"co_participant_max_group must be an integer >= 2 or None, got {limit!r}"
            )
        if self.transform not in TRANSFORMS:
            raise ParameterError(f"transform must be one of {TRANSFORMS}, got {self.transform!r}")
        if self.reference_time is not None and not isinstance(self.reference_time, datetime):
            _finite_number("reference_time", self.reference_time)

    @classmethod
    def plain_counts(cls) -> TieModel:
        """The model whose weight is the number of messages ``u -> v``.

        No decay, no reciprocity factor, no group discount, no co-participant edges and the
        identity transform.

        Examples
        --------
        >>> m = TieModel.plain_counts()
        >>> (m.half_life_days, m.reciprocity, m.group_exponent, m.co_participant)
        (None, 0.0, 0.0, 0.0)
        """
        return cls(
            half_life_days=None,
            reciprocity=0.0,
            group_exponent=0.0,
            co_participant=0.0,
            transform="identity",
        )

    def decay(self, age_seconds: np.ndarray | float) -> np.ndarray:
        """Recency factor ``max(0.5 ** (age / half_life), decay_floor)`` of messages.

        Examples
        --------
        >>> TieModel(half_life_days=1).decay([0.0, 86400.0, 172800.0, 864000.0]).tolist()
        [1.0, 0.5, 0.25, 0.1]
        """
        age = np.asarray(age_seconds, dtype=np.float64)
        if self.half_life_days is None:
            return np.ones_like(age)
        halved = np.power(0.5, age / (float(self.half_life_days) * _SECONDS_PER_DAY))
        return np.maximum(halved, float(self.decay_floor))

    def group_share(self, n_recipients: np.ndarray | int) -> np.ndarray:
        """Share ``k ** -group_exponent`` each recipient of a `k`-recipient message gets.

        Examples
        --------
        >>> TieModel().group_share([1, 2, 4]).tolist()
        [1.0, 0.5, 0.25]
        """
        k = np.asarray(n_recipients, dtype=np.float64)
        if self.group_exponent == 0:
            return np.ones_like(k)
        return np.power(k, -float(self.group_exponent))

    def reciprocity_factor(self, balance: np.ndarray | float) -> np.ndarray:
        """``(1 - reciprocity) + reciprocity * balance`` for balances in [0, 1].

        Examples
        --------
        >>> TieModel(reciprocity=0.5).reciprocity_factor([0.0, 0.5, 1.0]).tolist()
        [0.5, 0.75, 1.0]
        """
        r = np.asarray(balance, dtype=np.float64)
        rho = float(self.reciprocity)
        return (1.0 - rho) + rho * r

    def apply_transform(self, strength: np.ndarray | float) -> np.ndarray:
        """The final transform applied to the strength.

        Examples
        --------
        >>> [round(x, 6) for x in TieModel().apply_transform([0.0, 1.0]).tolist()]
        [0.0, 0.693147]
        """
        s = np.asarray(strength, dtype=np.float64)
        if self.transform == "log1p":
            return np.log1p(s)
        return s.copy()

    def describe(self) -> str:
        """A one-line description of the parameters (stored as a graph attribute).

        Examples
        --------
        >>> print(TieModel.plain_counts().describe())  # doctest: +ELLIPSIS
        TieModel(half_life_days=None, decay_floor=0.1, reciprocity=0.0, group_exponent=0.0, ...)
        """
        parts = []
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            parts.append(f"{spec.name}={value!r}")
        return f"TieModel({', '.join(parts)})"
