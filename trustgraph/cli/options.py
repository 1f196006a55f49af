"""Option aliases shared by every command, so names and help texts stay identical."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from trustgraph.ingest.pseudonym import Pseudonymizer

__all__ = [
    "AnonymizeKeyOption",
    "AnonymizeOption",
    "ForceOption",
    "MeOption",
    "OutputOption",
    "QuietOption",
    "SeedOption",
    "TrustedOption",
    "VerboseOption",
    "announce_new_key",
    "pseudonymizer_for",
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


def announce_new_key(pseudonymizer: Pseudonymizer) -> None:
    """Say once, on stderr, that a new pseudonym key file was just created, and where."""
    from trustgraph.ingest.escape import printable_text

    created = pseudonymizer.created_secret
    if created is not None:
        typer.echo(
            f"trustgraph: note: created a new pseudonym key {printable_text(created)} "
            "(keep it private; the same key gives the same pseudonyms next time)",
            err=True,
        )


def pseudonymizer_for(anonymize: bool, key: Path | None) -> Pseudonymizer | None:
    """The pseudonymiser of ``--anonymize [--anonymize-key FILE]``, or None without it.

    A new key file is announced (:func:`announce_new_key`); ``--anonymize-key`` without
    ``--anonymize`` is a usage error.
    """
    from trustgraph.cli.app import fail

    if not anonymize:
        if key is not None:
            raise fail("--anonymize-key needs --anonymize", code=2)
        return None
    from trustgraph.ingest.pseudonym import Pseudonymizer

    pseudonymizer = Pseudonymizer(secret_path=key)
    announce_new_key(pseudonymizer)
    return pseudonymizer
