"""Hypothesis fuzzing of every public reader (issue 16, item 4).

A reader given any file either returns or raises :class:`~trustgraph.TrustGraphError`;
any other exception is a crash site. ``strategies`` holds the generic building blocks
(hostile values, byte mutations, CSV/JSON serialisation, archives), ``formats`` one
structure-aware strategy per input format, ``test_readers_fuzz`` the readers and the
property. The quick run is in the default suite; ``pytest -m fuzz`` is the nightly size.
"""
