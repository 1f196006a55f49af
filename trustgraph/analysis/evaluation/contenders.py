"""What each protocol ranks or predicts with: registry metrics and named baselines.

A protocol's rows are *contenders*. A contender that runs a trust metric names it by its
registry entry (:mod:`trustgraph.algorithms.registry`), and its label is the metric's
``title``, with the variant in parentheses when the protocol runs it in a particular way
(``"PageRank (global)"``), or the name of the output it reads (``"Goodness"`` of
Fairness/Goodness). A contender that is not a trust metric (the mean rating received,
the reciprocal edge, the fairness x goodness product) is a *baseline* named here.

Users choose contenders by label, by any registry name or alias of the metric
(``"ppr"``, ``"PPR"``, ``"personalized_pagerank"``), or by a label of an earlier release
(accepted with a :class:`DeprecationWarning`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trustgraph.algorithms.registry import get_method
from trustgraph.exceptions import ParameterError

__all__ = ["Contender", "baseline", "choose", "labels", "metric"]


@dataclass(frozen=True)
class Contender:
    """One row of a protocol.

    Attributes
    ----------
    label : str
        The row's ``method`` value.
    method : str or None
        Canonical registry name of the metric it runs; None for a baseline.
    legacy : tuple of str
        Labels of earlier releases that still select it (with a DeprecationWarning).
    """

    label: str
    method: str | None
    legacy: tuple[str, ...] = ()


def metric(
    name: str, variant: str | None = None, *, output: str | None = None, legacy: Sequence = ()
) -> Contender:
    """A contender running the registry's metric `name`, labelled by its title.

    Examples
    --------
    >>> metric("pagerank", "global").label
    'PageRank (global)'
    >>> metric("fairness_goodness", output="goodness").label
    'Goodness'
    """
    entry = get_method(name)
    label = output.capitalize() if output else entry.title
    if variant:
        label = f"{label} ({variant})"
    return Contender(label, entry.name, tuple(legacy))


def baseline(label: str, *, legacy: Sequence = ()) -> Contender:
    """A contender that is not a trust metric of the registry."""
    return Contender(label, None, tuple(legacy))


def labels(contenders: Iterable[Contender]) -> tuple[str, ...]:
    """The labels, in order."""
    return tuple(c.label for c in contenders)


def choose(
    contenders: Sequence[Contender], methods: Iterable[str] | None, *, stacklevel: int = 3
) -> tuple[str, ...]:
    """The labels of the contenders `methods` asks for (all of them when None), in its order.

    Each entry is matched against the labels (exactly, then ignoring case), then against
    the registry (any name or alias of a metric that exactly one contender runs without a
    variant, else the only contender running it), then against earlier labels.

    Raises
    ------
    ParameterError
        An entry that selects no contender, or several.

    Examples
    --------
    >>> rows = (metric("ppr"), metric("pagerank", "global"), baseline("Reciprocal edge"))
    >>> choose(rows, ["PPR", "reciprocal edge"])
    ('personalized PageRank', 'Reciprocal edge')
    """
    if methods is None:
        return labels(contenders)
    return tuple(_resolve(contenders, str(m), stacklevel + 1) for m in methods)


def _resolve(contenders: Sequence[Contender], wanted: str, stacklevel: int) -> str:
    valid = labels(contenders)
    for same in (lambda c: c.label == wanted, lambda c: c.label.casefold() == wanted.casefold()):
        found = [c.label for c in contenders if same(c)]
        if found:
            return found[0]
    try:
        name = get_method(wanted).name
    except ParameterError:
        name = None
    running = [c for c in contenders if c.method is not None and c.method == name]
    plain = [c for c in running if c.label == get_method(c.method).title]
    if len(plain) == 1 or len(running) == 1:
        return (plain or running)[0].label
    old = [c.label for c in contenders if wanted in c.legacy]
    if old:
        warnings.warn(
            f"method {wanted!r} is now called {old[0]!r}",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        return old[0]
    if running:
        raise ParameterError(f"method {wanted!r} is ambiguous; choose from {labels(running)}")
    raise ParameterError(f"unknown method {wanted!r}; choose from {valid}")
