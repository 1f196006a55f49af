"""The figures of a report and of ``trustgraph plot``: one code path, drawn from one analysis.

Every ego figure renders an :class:`~trustgraph.analysis.ego.EgoAnalysis` (the same object
the text renders), so the numbers a figure shows are the report's numbers and every option
the user passes (damping, stale days, seed) reaches the figures too. Captions are written
from the same analysis.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from trustgraph.algorithms.registry import get_method
from trustgraph.analysis.compare import method_scores
from trustgraph.analysis.ego import EgoAnalysis, EgoParameters, analyze_ego, explain_target
from trustgraph.plot import style
from trustgraph.plot.core_map import plot_core_map
from trustgraph.plot.explain import plot_explanation
from trustgraph.plot.overview import plot_overview
from trustgraph.plot.scores import plot_agreement, plot_score_ranks
from trustgraph.plot.spread import plot_trust_by_hop, plot_trusted_reach
from trustgraph.plot.style import new_figure, note_figure
from trustgraph.plot.timeline import plot_trusted_timeline

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "EGO_FIGURES",
    "FigureKind",
    "FigureSpec",
    "caption",
    "core_inputs",
    "draw_figure",
    "ego_figures",
    "timeline_people",
]

#: Most people on the timeline figure.
TIMELINE_ROWS = 40


class FigureKind(str, Enum):
    core = "core"
    spread = "spread"
    timeline = "timeline"
    explain = "explain"
    scores = "scores"
    overview = "overview"


@dataclass(frozen=True)
class FigureSpec:
    """A figure kind as the report files it."""

    kind: FigureKind
    filename: str


#: The report's figures for one person, in reading order.
EGO_FIGURES = (
    FigureSpec(FigureKind.core, "core-map.png"),
    FigureSpec(FigureKind.timeline, "trusted-over-time.png"),
    FigureSpec(FigureKind.spread, "trust-spread.png"),
    FigureSpec(FigureKind.explain, "explanation.png"),
)
#: The report's figures for a whole network (no owner).
NETWORK_FIGURES = (FigureSpec(FigureKind.overview, "overview.png"),)


def caption(
    kind: FigureKind, analysis: EgoAnalysis | None, label: Callable[[Hashable], str]
) -> str:
    """The caption of a figure, written from the analysis it shows."""
    if analysis is None:
        return "The whole graph: the strongest-tied nodes drawn, communities collapsed."
    counts = analysis.populations()
    if kind is FigureKind.core:
        flagged = (
            f"; {counts['sybil_like']} Sybil-like accounts crossed" if counts["sybil_like"] else ""
        )
        return (
            f"You in the centre; your {counts['core']} core and {counts['circle']} circle "
            f"people on rings by layer, {counts['stale']} stale ties and "
            f"{counts['broadcaster']} broadcasters outside, strangers as blobs by cluster"
            f"{flagged}."
        )
    if kind is FigureKind.timeline:
        return (
            "When each trusted tie began and when it was last active; stale ties "
            f"(silent for more than {analysis.parameters.stale_days:g} days and three of "
            "their usual gaps) end early."
        )
    if kind is FigureKind.spread:
        return (
            f"Left: where your trust goes, {get_method('ppr').title} from you (damping "
            f"{analysis.parameters.damping:g}) by hops over conversations. Right: who vouches "
            f"for you, {counts['vouch_for_you']:,} people at path trust "
            f">= {analysis.parameters.reach_threshold:g}."
        )
    if kind is FigureKind.explain and analysis.target is not None:
        who = label(analysis.target)
        where = (
            "your most trusted contact (no one beyond your direct contacts is reached)"
            if analysis.target_is_direct
            else "the most trusted person beyond your direct contacts"
        )
        return f"Why {who}, {where}, is trusted: the strongest trust paths from you."
    return ""


def core_inputs(analysis: EgoAnalysis) -> dict[str, Any]:
    """Keyword arguments of :func:`trustgraph.plot.core_map.plot_core_map` for an analysis."""
    return {
        "classes": dict(analysis.classes),
        "layers": dict(analysis.layers),
        "clusters": dict(analysis.clusters),
        "communities": dict(analysis.communities),
        "scores": {n: analysis.scores.get(n, 0.0) for n in analysis.classes},
        "flagged": analysis.sybil_like,
        "attack_edges": analysis.attack_edges,
        "ego": analysis.owner,
    }


def timeline_people(analysis: EgoAnalysis, rows: int = TIMELINE_ROWS) -> list[Hashable]:
    """Core, then stale, then circle by trust, up to `rows`, newest first contact on top."""
    chosen = [*analysis.members("core"), *analysis.members("stale"), *analysis.members("circle")]
    chosen = [n for n in chosen if analysis.evidence[n].first_contact is not None][:rows]
    return sorted(chosen, key=lambda n: analysis.evidence[n].first_contact, reverse=True)


def ego_figures(analysis: EgoAnalysis) -> tuple[FigureSpec, ...]:
    """The report's figures that have something to show for this analysis."""
    dated = bool(timeline_people(analysis))
    return tuple(s for s in EGO_FIGURES if dated or s.kind is not FigureKind.timeline)


def _draw_ego(kind: FigureKind, G: Any, analysis: EgoAnalysis, target: Hashable | None, label):
    owner = analysis.owner
    if kind is FigureKind.core:
        figure = new_figure((8, 8))
        plot_core_map(ax=figure.add_subplot(), label=label, **core_inputs(analysis))
    elif kind is FigureKind.timeline:
        people = timeline_people(analysis)
        if not people:
            return note_figure("No dates in the input: there is no timeline to draw.")
        spans = {
            n: (analysis.evidence[n].first_contact, analysis.evidence[n].last_contact)
            for n in people
        }
        figure = new_figure((8, max(2.5, 0.22 * len(people) + 1.2)))
        plot_trusted_timeline(
            spans,
            analysis.classes,
            as_of=analysis.as_of,
            label=label,
            ax=figure.add_subplot(),
        )
        figure.tight_layout()
    elif kind is FigureKind.spread:
        figure = new_figure((11, 4))
        left, right = figure.subplots(1, 2)
        plot_trust_by_hop(analysis.hops, analysis.scores, ax=left, title="Where your trust goes")
        plot_trusted_reach(
            analysis.trust,
            exclude=owner,
            threshold=analysis.parameters.reach_threshold,
            ax=right,
            title="Who vouches for you",
        )
        right.set_xlabel("path-product trust in you")
        figure.tight_layout()
    else:
        why = analysis.explanation if target is None else explain_target(G, analysis, target)
        if why is None:
            figure = note_figure("No one is reached from you: nothing to explain.")
        else:
            figure = new_figure((8, 1.6 + 0.7 * max(len(why.paths), 1)))
            plot_explanation(why, label=label, ax=figure.add_subplot())
    return figure


def draw_figure(
    kind: FigureKind | str,
    G: Any,
    owner: Sequence[Hashable],
    *,
    analysis: EgoAnalysis | None = None,
    parameters: EgoParameters | None = None,
    target: Hashable | None = None,
    label: Callable[[Hashable], str] | None = None,
) -> Figure:
    """Build the matplotlib Figure of one kind (no pyplot; the caller saves it).

    Parameters
    ----------
    kind : FigureKind or str
        ``core``, ``timeline``, ``spread``, ``explain``, ``scores`` or ``overview``.
    G : networkx graph or CompactGraph
    owner : sequence of nodes
        The ego; may be empty for ``scores`` and ``overview``.
    analysis : EgoAnalysis, optional
        The ego analysis to draw (the report passes its own); computed from `parameters`
        when absent and the kind needs one.
    parameters : EgoParameters, optional
        Used when `analysis` is absent.
    target : node, optional
        The node to explain (``explain``); by default the analysis' own target.
    label : callable, optional
        Text shown for a node (pseudonyms under ``--anonymize``).
    """
    kind = FigureKind(kind)
    parameters = analysis.parameters if analysis is not None else parameters or EgoParameters()
    with style.style_context():
        if kind is FigureKind.scores:
            scores = method_scores(G, owner, damping=parameters.damping)
            figure = new_figure((11, 4.5))
            axes = figure.subplots(1, 2)
            plot_score_ranks(scores, ax=axes[0])
            plot_agreement(scores, ax=axes[1])
            figure.tight_layout()
        elif kind is FigureKind.overview:
            figure = new_figure((8, 8))
            plot_overview(G, ego=owner, label=label, seed=parameters.seed, ax=figure.add_subplot())
        else:
            if analysis is None:
                analysis = analyze_ego(G, list(owner), parameters)
            figure = _draw_ego(kind, G, analysis, target, label)
    return figure
