"""Option aliases shared by every command, so names and help texts stay identical."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "AnonymizeOption",
    "ForceOption",
    "MeOption",
    "OutputOption",
    "QuietOption",
    "SeedOption",
    "TrustedOption",
    "VerboseOption",
]

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
