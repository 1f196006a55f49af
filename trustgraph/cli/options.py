"""Option and argument aliases shared by the commands, so names and help texts stay identical.

Only typer and the standard library are imported here: the aliases cost nothing to load.
Aliases for the commands that read personal exports are in :mod:`trustgraph.cli.inputs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "AnonymizeKeyOption",
    "AnonymizeOption",
    "DampingOption",
    "ForceOption",
    "FormatOption",
    "GraphArgument",
    "MeOption",
    "OutputFormat",
    "OutputOption",
    "QuietOption",
    "SeedOption",
    "TrustedOption",
    "VerboseOption",
    "WeightOption",
    "choice_enum",
]


class OutputFormat(str, Enum):
    """How a command that prints rows prints them."""

    table = "table"
    json = "json"
    csv = "csv"


def choice_enum(name: str, values: Iterable[str]) -> type[Enum]:
    """A ``str`` Enum of `values`, the form typer needs for a choice (e.g. registry names).

    Examples
    --------
    >>> [m.value for m in choice_enum("Pair", ["tidaltrust"])]
    ['tidaltrust']
    """
    return Enum(name, [(value, value) for value in values], type=str)  # type: ignore[return-value]


TrustedOption = Annotated[
    list[str],
    typer.Option("--trusted", help="A node you trust (repeatable): the trust seeds."),
]
MeOption = Annotated[
    list[str],
    typer.Option("--me", help="One of your own identifiers (repeatable): the ego."),
]
SeedOption = Annotated[
    int, typer.Option("--seed", help="Seed for randomness (results are reproducible).")
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of standard output."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the --output file if it already exists.")
]
AnonymizeOption = Annotated[
    bool,
    typer.Option("--anonymize", help="Replace names and identifiers by stable pseudonyms."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the results.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Print more detail.")]
AnonymizeKeyOption = Annotated[
    Path | None,
    typer.Option(
        "--anonymize-key",
        metavar="FILE",
        dir_okay=False,
        help="Key file for --anonymize (created if missing): the same key gives the same "
        "pseudonyms. Default: $TRUSTGRAPH_ANONYMIZE_KEY, else ~/.config/trustgraph/secret.",
    ),
]
GraphArgument = Annotated[
    Path, typer.Argument(help="Graph file (edge list, GraphML, GEXF, node-link JSON...).")
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="table (readable), json or csv.")
]
DampingOption = Annotated[
    float | None,
    typer.Option(
        "--damping",
        help="Probability of following an edge, in [0, 1) (the random walks; default 0.85).",
    ),
]
WeightOption = Annotated[
    str,
    typer.Option(
        "--weight", help="Edge attribute with the tie strength; 'none' for unit weights."
    ),
]
