"""Deprecated: the synthetic person moved to :mod:`trustgraph.datasets.synthetic_person`.

Import :func:`~trustgraph.datasets.write_synthetic_person` and its records from
:mod:`trustgraph.datasets` (``AS_OF``, ``OWNER_ID`` and ``ROLES`` from
:mod:`trustgraph.datasets.synthetic_person`); this module re-exports the public names for
one release and warns on import.
"""

from __future__ import annotations

import warnings

from trustgraph.datasets.synthetic_person import (
    AS_OF,
    OWNER_ID,
    ROLES,
    PlantedMessage,
    PlantedPerson,
    SyntheticPerson,
    write_synthetic_person,
)

__all__ = [
    "AS_OF",
    "OWNER_ID",
    "ROLES",
    "PlantedMessage",
    "PlantedPerson",
    "SyntheticPerson",
    "write_synthetic_person",
]

warnings.warn(
    "trustgraph.synthetic_person is deprecated; import from trustgraph.datasets instead",
    DeprecationWarning,
    stacklevel=2,
)
