"""Turning figures into reproducible PNG bytes."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from trustgraph.plot.style import SAVE_KWARGS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["png_bytes"]


def png_bytes(figure: Figure, *, dpi: int | None = None) -> bytes:
    """PNG bytes of `figure` with fixed dpi and no software tag (byte-identical reruns)."""
    buffer = io.BytesIO()
    kwargs = dict(SAVE_KWARGS)
    if dpi is not None:
        kwargs["dpi"] = dpi
    figure.savefig(buffer, format="png", **kwargs)
    return buffer.getvalue()
