"""Deprecated: the sample exports moved to :mod:`trustgraph.datasets.sample_exports`.

Import them from :mod:`trustgraph.datasets` (or its ``sample_exports`` module); this module
re-exports the public names for one release and warns on import.
"""

from __future__ import annotations

import warnings

from trustgraph.datasets.sample_exports import (
    EXPORT_OWNER_NAME,
    EXPORT_OWNER_PHONE,
    SampleExportPlan,
    export_paths,
    plan_sample_exports,
    write_sample_exports,
)

__all__ = [
    "EXPORT_OWNER_NAME",
    "EXPORT_OWNER_PHONE",
    "SampleExportPlan",
    "export_paths",
    "plan_sample_exports",
    "write_sample_exports",
]

warnings.warn(
    "trustgraph.sample_exports is deprecated; import from trustgraph.datasets instead",
    DeprecationWarning,
    stacklevel=2,
)
