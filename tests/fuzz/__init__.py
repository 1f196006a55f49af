"""Hypothesis fuzzing of every public reader (issue 16, item 4).

A reader given any file either returns or raises :class:`~trustgraph.TrustGraphError`;
any other exception is a crash site. ``strategies`` holds the generic building blocks
(hostile values, byte mutations, CSV/JSON serialisation), ``archives`` the damaged
containers, ``formats`` (with ``pools`` and the ``*_formats`` modules) one
structure-aware strategy per input format, ``readers`` the readers, the property and the
two run sizes. ``test_fuzz_exports`` and ``test_fuzz_files`` run them: a quick run in the
default suite, the nightly size with ``pytest -m fuzz``.
"""
