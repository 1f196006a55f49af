"""Shared figure style: the Okabe-Ito colour-blind-safe palette and fixed sizes.

Every figure uses these so that the same input gives the same pixels, and colours keep
their meaning across figures (core is always blue, strangers always grey, ...).
"""

from __future__ import annotations

__all__ = ["CLASS_COLORS", "CLASS_MARKERS", "FIGSIZE", "OKABE_ITO", "SAVE_KWARGS"]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
#: colour blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

CLASS_COLORS = {
    "owner": OKABE_ITO["black"],
    "core": OKABE_ITO["blue"],
    "circle": OKABE_ITO["sky_blue"],
    "acquaintance": OKABE_ITO["bluish_green"],
    "stranger": OKABE_ITO["grey"],
    "broadcaster": OKABE_ITO["vermillion"],
    "sybil": OKABE_ITO["reddish_purple"],
}

#: Shape is the second channel, so classes stay apart in greyscale print too.
CLASS_MARKERS = {
    "owner": "*",
    "core": "o",
    "circle": "o",
    "acquaintance": "s",
    "stranger": ".",
    "broadcaster": "^",
    "sybil": "X",
}

FIGSIZE = (8.0, 8.0)

#: Fixed dpi and no software tag, so PNG bytes are reproducible.
SAVE_KWARGS = {"dpi": 120, "metadata": {"Software": None}}
