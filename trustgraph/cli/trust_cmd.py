"""``trustgraph trust``: local trust of one node in others.

The methods offered are the registry's local trust metrics, those of the spreading, path and
flow families (Ziegler and Lausen's local metrics); the seeded random walks and Sybil
defences are ranked by ``trustgraph rank``. Each takes the ``signed=`` policy of ``--signed``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from enum import Enum
from typing import Annotated, Any

import typer

from trustgraph.algorithms.paths import tidaltrust, tidaltrust_all
from trustgraph.algorithms.registry import METHODS, Method
from trustgraph.cli.common import (
    load_graph,
    naming_the_file,
    resolve_node,
    resolve_nodes,
    weight_attribute,
)
from trustgraph.cli.errors import fail
from trustgraph.cli.options import (
    ForceOption,
    FormatOption,
    GraphArgument,
    OutputFormat,
    OutputOption,
    WeightOption,
    choice_enum,
)
from trustgraph.cli.render import ranked, render_rows
from trustgraph.exceptions import SeedError

__all__ = ["TRUST_METHODS", "SignedPolicy", "TrustMethod", "render_rows", "trust"]


#: The registry families of local trust metrics (Ziegler, Lausen 2005).
LOCAL_FAMILIES = ("spreading", "paths", "flow")
#: The metrics ``trust`` runs, in registry order.
TRUST_METHODS = tuple(name for name, m in METHODS.items() if m.family in LOCAL_FAMILIES)
TrustMethod = choice_enum("TrustMethod", TRUST_METHODS)

#: A pairwise metric's companion that scores every sink in one pass (used without --to).
_EVERY_SINK: dict[Callable[..., Any], Callable[..., Any]] = {tidaltrust: tidaltrust_all}


class SignedPolicy(str, Enum):
    error = "error"
    drop = "drop"
    rescale = "rescale"


SignedOption = Annotated[
    SignedPolicy,
    typer.Option(
        "--signed",
        help="Negative (distrust) weights: error, drop them, or rescale [-1, 1] to [0, 1].",
    ),
]
FromOption = Annotated[
    list[str],
    typer.Option("--from", help="Whose trust: the source (repeatable for seed-set metrics)."),
]
ToOption = Annotated[str | None, typer.Option("--to", help="Show only the trust in this node.")]
MethodOption = Annotated[
    TrustMethod,  # type: ignore[valid-type]
    typer.Option("--method", help="Local trust metric."),
]


def trust_scores(
    method: Method,
    G: Any,
    sources: list[Hashable],
    target: Hashable | None,
    weight: str | None,
    signed: str,
) -> dict[Hashable, float]:
    """Scores of `method` from `sources`: in `target` only when it is given (pair metrics)."""
    options = {"weight": weight, "signed": signed}
    if method.seeds == "many":
        return method.function(G, sources, **options)
    if method.seeds == "one":
        return method.function(G, sources[0], **options)
    if target is not None:
        return {target: method.function(G, sources[0], target, **options)}
    every_sink = _EVERY_SINK.get(method.function)
    if every_sink is None:
        raise fail(f"--method {method.name} needs a --to node", code=2)
    return every_sink(G, sources[0], **options)


def trust(
    graph: GraphArgument,
    from_: FromOption,
    to: ToOption = None,
    method: MethodOption = TrustMethod.appleseed,  # type: ignore[attr-defined]
    output_format: FormatOption = OutputFormat.table,
    weight: WeightOption = "weight",
    signed: SignedOption = SignedPolicy.error,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Trust of the --from node in the --to node (or in every node) by a local metric."""
    chosen = METHODS[method.value]
    if not from_:
        raise fail("give a --from node", code=2)
    if len(from_) > 1 and chosen.seeds != "many":
        raise fail(f"--method {chosen.name} takes exactly one --from node", code=2)
    G = load_graph(graph)
    sources = resolve_nodes(G, from_)
    target = None if to is None else resolve_node(G, to)
    if target is not None and target not in G:
        raise SeedError(f"--to node {to!r} is not in the graph")
    with naming_the_file(graph):
        scores = trust_scores(chosen, G, sources, target, weight_attribute(weight), signed.value)
    title = f"{chosen.name} trust from {', '.join(from_)}"
    if target is not None:
        rows: list[tuple[Any, ...]] = [(1, target, float(scores[target]))]
    else:
        rows = ranked(scores)
    render_rows(("rank", "node", "score"), rows, output_format, title, output, force)
