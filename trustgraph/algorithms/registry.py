"""The one registry of trust metrics: name, aliases, callable, tunables, citation.

The CLI, the report, evaluation and the Spark backend take their method choices from here
(:func:`method_names`, :func:`get_method`); a list of method names anywhere else is a second
source of truth. Baselines that are not trust metrics (e.g. "mean rating received") stay local to
the code that uses them and are named as baselines there.

Examples
--------
>>> from trustgraph.algorithms.registry import get_method, method_names
>>> get_method("Personalized PageRank").name
'ppr'
>>> method_names(spark=True)
('ppr', 'trustrank', 'eigentrust', 'sybilrank')
>>> import networkx as nx
>>> ppr = get_method("ppr").function
>>> round(ppr(nx.DiGraph([("a", "b")]), ["a"])["b"], 6)  # b gets damping / (1 + damping)
0.459459
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from trustgraph.algorithms.flow import ADVOGATO_CAPACITIES, advogato
from trustgraph.algorithms.paths import moletrust, tidaltrust
from trustgraph.algorithms.random_walk import (
    anti_trustrank,
    eigentrust,
    inverse_pagerank,
    pagerank,
    personalized_pagerank,
    trustrank,
)
from trustgraph.algorithms.signed import fairness_goodness, trust_distrust
from trustgraph.algorithms.spreading import appleseed
from trustgraph.algorithms.sybil import sybilrank, sybilscar
from trustgraph.exceptions import ParameterError

__all__ = ["METHODS", "Method", "Tunable", "get_method", "method_names"]

#: Inclusive stand-ins for open bounds: the smallest positive float (for "> 0") and the
#: largest float below one (for "< 1"), so that ``low <= value <= high`` is exact.
ABOVE_ZERO = math.ulp(0.0)
BELOW_ONE = math.nextafter(1.0, 0.0)


@dataclass(frozen=True)
class Tunable:
    """One keyword of a method that a user may tune.

    Attributes
    ----------
    name : str
        The keyword, e.g. ``"damping"``.
    default : object
        The function signature's default.
    low, high : float or None
        Inclusive bounds where the keyword is numeric, else None. Open bounds are written
        with :data:`ABOVE_ZERO` and :data:`BELOW_ONE`.
    doc : str
        One line.
    """

    name: str
    default: object
    low: float | None
    high: float | None
    doc: str


@dataclass(frozen=True)
class Method:
    """One trust metric as the rest of trustgraph sees it.

    Attributes
    ----------
    name : str
        Canonical lower-case id, e.g. ``"ppr"``.
    title : str
        Human name used in reports and figures, e.g. ``"personalized PageRank"``.
    aliases : tuple of str
        Other names :func:`get_method` accepts (compared after normalisation).
    function : callable
        The public algorithm function.
    family : str
        ``"random_walk"``, ``"sybil"``, ``"spreading"``, ``"flow"``, ``"paths"`` or ``"signed"``.
    seeds : str
        ``"many"`` (``f(G, seeds, ...)``), ``"one"`` (``f(G, source, ...)``), ``"pair"``
        (``f(G, source, sink, ...)``) or ``"none"`` (global, ``f(G, ...)``).
    signed : str
        ``"rejects"`` (negative weights raise a ``GraphError``; where the function has a
        ``signed=`` keyword, a policy such as ``"drop"`` can be chosen instead) or
        ``"uses"`` (signed input is the point).
    output : str
        ``"scores"`` (dict node -> float), ``"pair"`` (float) or ``"result"`` (dataclass).
    tunables : tuple of Tunable
    citation : str
        Short reference, e.g. ``"Haveliwala 2002"``.
    spark : bool
        Whether :mod:`trustgraph.backends.spark` implements it (under ``function.__name__``).
    """

    name: str
    title: str
    aliases: tuple[str, ...]
    function: Callable[..., object]
    family: str
    seeds: str
    signed: str
    output: str
    tunables: tuple[Tunable, ...]
    citation: str
    spark: bool


def _damping(default: float = 0.85) -> Tunable:
    return Tunable("damping", default, 0.0, BELOW_ONE, "probability of following an edge")


def _tol(default: float) -> Tunable:
    return Tunable("tol", default, ABOVE_ZERO, None, "convergence threshold")


def _max_iter(default: int) -> Tunable:
    return Tunable("max_iter", default, 1, None, "iterations before ConvergenceError")


_WALK = (_damping(), _tol(1e-10), _max_iter(1000))


def _walk(
    name: str, title: str, aliases: tuple[str, ...], function: Callable[..., object], **kw: object
) -> Method:
    fields: dict[str, object] = {
        "family": "random_walk",
        "seeds": "many",
        "signed": "rejects",
        "output": "scores",
        "tunables": _WALK,
        "spark": False,
    }
    fields.update(kw)
    return Method(name, title, aliases, function, **fields)  # type: ignore[arg-type]


_ALL = (
    _walk(
        "ppr",
        "personalized PageRank",
        ("personalized_pagerank", "personalised_pagerank", "rwr", "random_walk_with_restart"),
        personalized_pagerank,
        citation="Page et al. 1999; Haveliwala 2002",
        spark=True,
    ),
    _walk(
        "trustrank",
        "TrustRank",
        (),
        trustrank,
        citation="Gyöngyi, Garcia-Molina, Pedersen 2004",
        spark=True,
    ),
    _walk(
        "anti_trustrank",
        "Anti-TrustRank",
        ("antitrustrank",),
        anti_trustrank,
        citation="Krishnan, Raj 2006",
    ),
    _walk(
        "eigentrust",
        "EigenTrust",
        (),
        eigentrust,
        citation="Kamvar, Schlosser, Garcia-Molina 2003",
        spark=True,
    ),
    _walk("pagerank", "PageRank", (), pagerank, seeds="none", citation="Page et al. 1999"),
    _walk(
        "inverse_pagerank",
        "inverse PageRank",
        ("reverse_pagerank",),
        inverse_pagerank,
        seeds="none",
        citation="Gyöngyi, Garcia-Molina, Pedersen 2004",
    ),
    Method(
        "sybilrank",
        "SybilRank",
        (),
        sybilrank,
        "sybil",
        "many",
        "rejects",
        "scores",
        (
            Tunable("n_steps", None, 0, None, "walk length; None means ceil(log2 n)"),
            Tunable(
                "directed_rule", "sum", None, None, "merge of u->v and v->u: sum/max/min/mean"
            ),
        ),
        "Cao, Sirivianos, Yang, Pregueiro 2012",
        True,
    ),
    Method(
        "sybilscar",
        "SybilSCAR",
        (),
        sybilscar,
        "sybil",
        "many",
        "rejects",
        "scores",
        (
            Tunable("theta", 0.9, math.nextafter(0.5, 1.0), 1.0, "prior of a labelled node"),
            Tunable("weight_hat", None, 0.0, None, "homophily strength; None: safe bound"),
            _tol(1e-3),
            _max_iter(1000),
            Tunable("variant", "paper", None, None, "paper (Eq. 16) or accumulate (authors' C++)"),
            Tunable("n_steps", None, 0, None, "accumulate only: iterations; None means 10"),
            Tunable(
                "directed_rule", "sum", None, None, "merge of u->v and v->u: sum/max/min/mean"
            ),
        ),
        "Wang, Zhang, Gong 2017",
        False,
    ),
    Method(
        "appleseed",
        "Appleseed",
        (),
        appleseed,
        "spreading",
        "one",
        "rejects",
        "scores",
        (
            Tunable("energy", 200.0, ABOVE_ZERO, None, "energy injected at the source"),
            _damping(),
            _tol(0.01),
            _max_iter(1000),
        ),
        "Ziegler, Lausen 2005",
        False,
    ),
    Method(
        "advogato",
        "Advogato",
        (),
        advogato,
        "flow",
        "many",
        "rejects",
        "scores",
        (
            Tunable(
                "capacities",
                ADVOGATO_CAPACITIES,
                None,
                None,
                "node capacity by distance from the root (the virtual root first)",
            ),
            Tunable("root", "virtual", None, None, "virtual (Levien's mod_virgule) or seeds"),
        ),
        "Levien, Aiken 1998",
        False,
    ),
    Method(
        "moletrust",
        "MoleTrust",
        (),
        moletrust,
        "paths",
        "one",
        "rejects",
        "scores",
        (
            Tunable("horizon", 3, 1, None, "largest distance from the source"),
            Tunable("threshold", 0.6, None, None, "least trust an edge needs to carry trust"),
        ),
        "Massa, Avesani 2007",
        False,
    ),
    Method(
        "tidaltrust",
        "TidalTrust",
        (),
        tidaltrust,
        "paths",
        "pair",
        "rejects",
        "pair",
        (),
        "Golbeck 2005",
        False,
    ),
    Method(
        "fairness_goodness",
        "Fairness/Goodness",
        ("fairness", "goodness", "fairness_and_goodness"),
        fairness_goodness,
        "signed",
        "none",
        "uses",
        "result",
        (
            Tunable("scale", None, ABOVE_ZERO, None, "rating scale; None: largest |weight|"),
            _tol(1e-6),
            _max_iter(100),
        ),
        "Kumar, Spezzano, Subrahmanian, Faloutsos 2016",
        False,
    ),
    Method(
        "trust_distrust",
        "trust and distrust propagation",
        ("guha", "trust_and_distrust"),
        trust_distrust,
        "signed",
        "none",
        "uses",
        "result",
        (
            Tunable("model", "propagated", None, None, "how distrust enters the propagation"),
            Tunable("iteration", "eig", None, None, "eig (K steps) or wlc (weighted sum)"),
            Tunable("n_steps", 3, 1, None, "number of propagation steps K"),
            Tunable("gamma", 0.5, ABOVE_ZERO, 1.0, "discount per step for wlc"),
        ),
        "Guha, Kumar, Raghavan, Tomkins 2004",
        False,
    ),
)

#: Canonical name -> :class:`Method`, in a stable order (random walks first).
METHODS: Mapping[str, Method] = MappingProxyType({m.name: m for m in _ALL})


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-/]+", "_", name.strip().lower())


_LOOKUP: Mapping[str, str] = MappingProxyType(
    {
        _normalise(key): m.name
        for m in _ALL
        for key in (m.name, m.title, *m.aliases, m.function.__name__)
    }
)


def get_method(name: str) -> Method:
    """Return the registered method called `name`.

    Parameters
    ----------
    name : str
        A canonical name, an alias, the title or the function name; case, spaces, hyphens and
        slashes do not matter (``"Anti-TrustRank"`` is ``"anti_trustrank"``).

    Returns
    -------
    Method

    Raises
    ------
    ParameterError
        If no method has that name; the message lists the canonical names.

    Examples
    --------
    >>> get_method("personalized pagerank").name
    'ppr'
    >>> get_method("MoleTrust").seeds
    'one'
    """
    key = _normalise(str(name))
    if key not in _LOOKUP:
        raise ParameterError(f"unknown method {name!r}; choose from {', '.join(METHODS)}")
    return METHODS[_LOOKUP[key]]


def method_names(
    *, seeds: str | None = None, spark: bool | None = None, output: str | None = None
) -> tuple[str, ...]:
    """Canonical names of the registered methods, filtered, in registry order.

    Parameters
    ----------
    seeds : {"many", "one", "pair", "none"}, optional
        Keep methods that take seeds this way.
    spark : bool, optional
        Keep methods the Spark backend does (True) or does not (False) implement.
    output : {"scores", "pair", "result"}, optional
        Keep methods that return this kind of result.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> method_names(seeds="one")
    ('appleseed', 'moletrust')
    """
    return tuple(
        m.name
        for m in _ALL
        if (seeds is None or m.seeds == seeds)
        and (spark is None or m.spark == spark)
        and (output is None or m.output == output)
    )
