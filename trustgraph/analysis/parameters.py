"""The choices of an ego analysis: the user's options and the rules' fixed thresholds.

:class:`EgoParameters` holds everything a user may set (the CLI's options map onto it);
its :attr:`~EgoParameters.thresholds` field holds :class:`EgoThresholds`, every number the
named rules of :mod:`trustgraph.analysis.classify`, :mod:`trustgraph.analysis.sybil_like`
and :mod:`trustgraph.analysis.ego` compare against. No rule hides a literal: a threshold
that is not a field here is a bound on computing time (named module constants such as
:data:`~trustgraph.analysis.classify.OVERLAP_MAX_EDGES`), never a judgement about people.

Each threshold's documentation says where its value comes from: a paper, a property of the
model, or, where neither decides it, a hand choice; none was fitted to a data set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trustgraph.core.validate import check_damping
from trustgraph.exceptions import ParameterError

__all__ = ["EgoParameters", "EgoThresholds"]


def _check_count(owner: object, names: tuple[str, ...], *, low: int = 0) -> None:
    for name in names:
        value = getattr(owner, name)
        if isinstance(value, bool) or int(value) != value or value < low:
            raise ParameterError(f"{name} must be an integer >= {low}, got {value!r}")


def _check_share(owner: object, names: tuple[str, ...], *, open_low: bool = False) -> None:
    for name in names:
        value = getattr(owner, name)
        inside = 0 < value <= 1 if open_low else 0 <= value <= 1
        if not inside:
            bounds = "(0, 1]" if open_low else "[0, 1]"
            raise ParameterError(f"{name} must be in {bounds}, got {value!r}")


@dataclass(frozen=True)
class EgoThresholds:
    """Every fixed threshold of the ego analysis' rules, each with why its value.

    Attributes
    ----------
    active_per_year : float, default 1.0
        Fewest contacts a year that make a timed tie active (and give it a layer):
        egonetworks' activity rule, after Dunbar et al. 2015, who count a relationship
        with at least one contact a year. Applies where the graph has timestamps and no
        caller-given strength drives the layers.
    gvf_target : float, default 0.95
        Variance share of the log frequencies a Jenks layering must explain (the usual
        natural-breaks stopping rule, Jenks 1967); see
        :func:`~trustgraph.analysis.circles.circles`.
    max_layers : int, default 6
        Most layers the circles may find: Dunbar's hierarchy has four inside 150 and two
        beyond (500, 1,500).
    core_layers : int, optional
        Inner layers that make the core when at least :attr:`core_min_layers` are found.
        By default (None) the data decide, by :attr:`core_size`.
    core_size : float, default 15.0
        Dunbar's sympathy group, the people one would turn to in a crisis (about 15,
        inside the support clique of about 5). Without `core_layers`, the core is the
        innermost layers whose cumulative size is nearest to it in ratio (the layers
        scale by about 3, so ratio, not difference), leaving at least one layer of
        circles: with cumulative sizes 5, 17, 46 the core is two layers (17), with 13,
        41, 83 one layer (13).
    core_min_layers : int, default 3
        With fewer layers found, only the innermost is core: two layers split the active
        ties into close and the rest, and both of them as core would leave no circle.
    structural_core_layers : int, default 1
        Without conversations (link overlap as tie strength), the innermost overlap layer
        is core ...
    structural_trusted_layers : int, default 2
        ... and the next one circle; the rest are acquaintances. Structure alone cannot
        tell conversation partners from others, so only the strongest overlap is trusted.
    stale_gaps : float, default 3.0
        A core or circle tie is stale when silent for longer than ``stale_days`` *and*
        this many of its own usual gaps between messages: for a steady (Poisson) rhythm
        a silence of three gaps happens by chance with probability ``e**-3``, about 5%.
    fan_out_quantile : float, default 0.99
        Whole-network graphs only: a contact whose out-degree is in the top 1% of the
        graph fans out. A hand choice, not fitted (the rule is corroboration for
        :attr:`fan_out_max_reciprocity`, which decides), kept from the first release.
    fan_out_min_degree : int, default 2
        ... and at least this out-degree: one edge is no fan-out, whatever the quantile of
        a sparse graph says.
    fan_out_max_reciprocity : float, default 0.1
        ... and fewer than this share of its edges answered: the same "(almost) never
        answered" cut-off as :attr:`EgoParameters.max_answered_share`'s default.
    sybil_min_size : int, default 3
        Smallest Sybil-like cluster: two accounts are a pair, not a region.
    sybil_min_density : float, default 0.5
        Share of member pairs linked in a Sybil-like cluster: Sybil accounts link as
        densely as they like at no cost; honest acquaintances of one another rarely all
        know each other. A hand choice of "most pairs", not fitted.
    sybil_max_conductance : float, default 0.1
        Largest ``cut / volume`` of a Sybil-like cluster: at most one unit of edge weight
        leaving for every ten of its members' weighted degree, the "few attack edges" of
        the Sybil model (Yu et al. 2006). A hand choice of order of magnitude, not fitted.

    Raises
    ------
    ParameterError
        A threshold outside its domain.

    Examples
    --------
    >>> EgoThresholds().stale_gaps
    3.0
    >>> EgoThresholds(core_layers=0)
    Traceback (most recent call last):
    ...
    trustgraph.exceptions.ParameterError: core_layers must be an integer >= 1, got 0
    """

    active_per_year: float = 1.0
    gvf_target: float = 0.95
    max_layers: int = 6
    core_layers: int | None = None
    core_size: float = 15.0
    core_min_layers: int = 3
    structural_core_layers: int = 1
    structural_trusted_layers: int = 2
    stale_gaps: float = 3.0
    fan_out_quantile: float = 0.99
    fan_out_min_degree: int = 2
    fan_out_max_reciprocity: float = 0.1
    sybil_min_size: int = 3
    sybil_min_density: float = 0.5
    sybil_max_conductance: float = 0.1

    def __post_init__(self) -> None:
        _check_count(
            self,
            (
                "max_layers",
                "core_min_layers",
                "structural_core_layers",
                "structural_trusted_layers",
            ),
            low=1,
        )
        _check_count(self, ("fan_out_min_degree",))
        _check_count(self, ("sybil_min_size",), low=2)
        _check_share(self, ("gvf_target",), open_low=True)
        _check_share(
            self,
            (
                "fan_out_quantile",
                "fan_out_max_reciprocity",
                "sybil_min_density",
                "sybil_max_conductance",
            ),
        )
        if self.core_layers is not None:
            _check_count(self, ("core_layers",), low=1)
        if not (self.core_size >= 1 and self.core_size < float("inf")):
            raise ParameterError(f"core_size must be a number >= 1, got {self.core_size!r}")
        if not self.active_per_year >= 0:
            raise ParameterError(f"active_per_year must be >= 0, got {self.active_per_year!r}")
        if not self.stale_gaps >= 0:
            raise ParameterError(f"stale_gaps must be >= 0, got {self.stale_gaps!r}")

    def sybil_options(self) -> dict[str, float | int]:
        """Keyword arguments of :func:`~trustgraph.analysis.sybil_like.sybil_like_clusters`.

        >>> EgoThresholds().sybil_options()["max_conductance"]
        0.1
        """
        return {
            "min_size": self.sybil_min_size,
            "min_density": self.sybil_min_density,
            "max_conductance": self.sybil_max_conductance,
        }


@dataclass(frozen=True)
class EgoParameters:
    """Every choice an ego analysis makes, in one place (the CLI's options map onto it).

    Attributes
    ----------
    damping : float, default 0.85
        Follow-edge probability of the personalized PageRank from the owner.
    stale_days : float, default 180
        A core or circle tie silent for longer than this is stale, not trusted now.
    reach_threshold : float, default 0.25
        Path-product trust in the owner needed to vouch for them (two half-strength ties).
    min_messages : int, default 3
        One-to-one messages an active tie needs in all: one message and its reply is an
        exchange, not yet a relationship.
    min_unanswered : int, default 3
        One-to-one messages from a contact, (almost) never answered, that make a
        broadcaster; fewer are an occasional unanswered sender (a stranger).
    max_answered_share : float, default 0.1
        A sender is (almost) never answered when the owner's one-to-one replies are fewer
        than this share of the sender's messages.
    n_layers : int or {"gvf", "modes"}, default "gvf"
        Layer rule of :func:`~trustgraph.analysis.circles.circles`.
    n_null : int, default 100
        Null-model draws of the circles test.
    seed : int, default 0
        Randomness of the null model, Louvain and the Sybil-like detector.
    whole_network : bool, default False
        The graph holds everyone's edges (a graph file): fan-out is then evidence.
    explain_paths : int, default 6
        Strongest trust paths kept in the explanation.
    thresholds : EgoThresholds
        The rules' fixed thresholds (see :class:`EgoThresholds`); the defaults when
        omitted.

    Examples
    --------
    >>> EgoParameters(stale_days=90).thresholds.stale_gaps
    3.0
    """

    damping: float = 0.85
    stale_days: float = 180.0
    reach_threshold: float = 0.25
    min_messages: int = 3
    min_unanswered: int = 3
    max_answered_share: float = 0.1
    n_layers: int | str = "gvf"
    n_null: int = 100
    seed: int = 0
    whole_network: bool = False
    explain_paths: int = 6
    thresholds: EgoThresholds = field(default_factory=EgoThresholds)

    def __post_init__(self) -> None:
        check_damping(self.damping)
        if not self.stale_days > 0:
            raise ParameterError(f"stale_days must be positive, got {self.stale_days!r}")
        if not 0 < self.reach_threshold <= 1:
            raise ParameterError(
                f"reach_threshold must be in (0, 1], got {self.reach_threshold!r}"
            )
        _check_count(self, ("min_messages", "min_unanswered", "explain_paths", "n_null"))
        if not 0 <= self.max_answered_share <= 1:
            raise ParameterError(
                f"max_answered_share must be in [0, 1], got {self.max_answered_share!r}"
            )
        if not isinstance(self.thresholds, EgoThresholds):
            raise ParameterError(
                f"thresholds must be an EgoThresholds, got {type(self.thresholds).__name__}"
            )
