"""Tie strength: how conversation events become directed edge weights.

No standard formula for tie strength from communication exists (Gilbert & Karahalios 2009
list 74 candidate predictors). Public code converges on three ingredients, which
:class:`TieModel` combines and exposes one by one: message frequency with exponential
recency decay, reciprocity, and a discount for messages addressed to many people. On top
of that, people who share a group conversation get a weak tie between each other, which is
how friends-of-friends become visible in a personal export.

For the pair ``u -> v`` (``u`` wrote to ``v``) the model computes::

    d(t)     = max(0.5 ** ((T - t) / half_life), floor)      recency decay, 1 at time T
    g(k)     = k ** -group_exponent                            per-recipient share, k recipients
    S_uv     = sum over messages u -> v of d(t) * g(k)         the direct part ("decayed")
    C_uv     = sum over group messages where u and v are both
               recipients of d(t) * g(k)                       the co-participant part
    r_uv     = 2 * min(S_uv, S_vu) / (S_uv + S_vu)             balance in [0, 1]
    f_uv     = (1 - reciprocity) + reciprocity * r_uv          reciprocity factor
    strength = f_uv * S_uv + co_participant * C_uv
    weight   = transform(strength)                             log1p by default

:meth:`TieModel.plain_counts` switches every ingredient off, so that ``weight`` is the
number of messages ``u -> v``; :func:`tie_components` returns every intermediate column, so
any other weighting (Onnela's counts, Arnaboldi's contacts per year, ...) can be rebuilt.
The full derivation and a worked example are in ``docs/ties.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

from trustgraph.exceptions import ParameterError
from trustgraph.ingest.records import ConversationEvent
from trustgraph.ingest.tiemodel import TRANSFORMS, TieModel
from trustgraph.ingest.tietable import TieTable, _tie_table

__all__ = ["TRANSFORMS", "TieModel", "TieTable", "tie_components"]


def tie_components(events: Iterable[ConversationEvent], model: TieModel | None = None) -> TieTable:
    """Compute every component of the tie model for each directed pair.

    Parameters
    ----------
    events : iterable of ConversationEvent
        Messages; system events are left out, duplicate recipients count once and a
        sender is never their own recipient.
    model : TieModel, optional
        Defaults to ``TieModel()``.

    Returns
    -------
    TieTable
        One row per directed pair ``u -> v`` with at least one direct or co-participant
        contribution: ``count``, ``count_back``, ``decayed``, ``decayed_back``,
        ``co_decayed``, ``reciprocity``, ``reciprocity_factor``, ``strength``, ``weight``,
        ``first_seen``, ``last_seen``, ``direct`` (one-to-one messages) and ``bulk``
        (messages on ``channel="bulk"``).

    See Also
    --------
    TieModel : the formula and its parameters.
    trustgraph.ingest.build.build_graph : turns the table into a graph.

    Notes
    -----
    Runs in ``O(E log E)`` for ``E`` (event, recipient) pairs plus ``k (k - 1)`` pairs
    per group message of ``k <= co_participant_max_group`` recipients: the records are
    turned into arrays once, then pairs are reduced with ``numpy.unique`` and
    ``numpy.bincount``.

    References
    ----------
    .. [1] J.-P. Onnela et al., "Structure and tie strengths in mobile communication
       networks", PNAS 104(18), 2007 (weights as aggregated counts).

    Examples
    --------
    Two messages ada -> bo, 90 days apart, one answer, half-life 90 days:

    >>> from datetime import datetime, timedelta, timezone
    >>> from trustgraph.ingest.records import ConversationEvent as Ev
    >>> T = datetime(2024, 6, 1, tzinfo=timezone.utc)
    >>> events = [Ev(T, "ada", ("bo",)), Ev(T - timedelta(days=90), "ada", ("bo",)),
    ...           Ev(T, "bo", ("ada",))]
    >>> table = tie_components(events)
    >>> row = table.row("ada", "bo")
    >>> row["count"], row["count_back"], row["decayed"], round(row["reciprocity"], 4)
    (2, 1, 1.5, 0.8)
    >>> round(row["strength"], 4), round(row["weight"], 4)
    (1.35, 0.8544)
    >>> tie_components(events, TieModel.plain_counts()).row("ada", "bo")["weight"]
    2.0
    """
    if model is None:
        model = TieModel()
    if not isinstance(model, TieModel):
        raise ParameterError(f"model must be a TieModel, got {type(model).__name__}")
    return _tie_table(events, model)
