"""Turning figures into reproducible PNG bytes."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from trustgraph.plot.style import SAVE_KWARGS, style_context

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["png_bytes"]


def png_bytes(figure: Figure, *, dpi: int | None = None) -> bytes:
    """PNG bytes of `figure` with fixed dpi and no software tag (byte-identical reruns).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> png_bytes(Figure(figsize=(1, 1)), dpi=10)[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    kwargs = dict(SAVE_KWARGS)
    if dpi is not None:
        kwargs["dpi"] = dpi
    with style_context():
        figure.savefig(buffer, format="png", **kwargs)
    return buffer.getvalue()
