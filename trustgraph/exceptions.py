"""The trustgraph exception family.

Every error trustgraph raises on purpose is a :class:`TrustGraphError`. Each child also
subclasses the matching built-in, so ``except ValueError`` keeps working for callers that
do not know about trustgraph.
"""

from __future__ import annotations

from os import PathLike

__all__ = [
    "ConvergenceError",
    "GraphError",
    "IngestError",
    "ParameterError",
    "SeedError",
    "TrustGraphError",
]


class TrustGraphError(Exception):
    """Base class of every error raised by trustgraph on purpose."""


class SeedError(TrustGraphError, ValueError):
    """Seeds are empty, unknown to the graph, negative or sum to zero."""


class ParameterError(TrustGraphError, ValueError):
    """A parameter is outside its documented domain (e.g. ``damping`` not in [0, 1))."""


class GraphError(TrustGraphError, ValueError):
    """The graph cannot be used by the algorithm (e.g. NaN or negative weights)."""


class ConvergenceError(TrustGraphError, RuntimeError):
    """An iterative solver ran past ``max_iter`` without meeting ``tol``.

    Attributes
    ----------
    iterations : int
        Number of iterations performed.
    residual : float
        Absolute L1 change of the last iteration.
    """

    def __init__(self, message: str, *, iterations: int, residual: float) -> None:
        super().__init__(message)
        self.iterations = iterations
        self.residual = residual


class IngestError(TrustGraphError, ValueError):
    """An input file cannot be read.

    The message always names the file and, where known, the line, so that the CLI can print
    it as a single line: ``path:line: problem``.

    Attributes
    ----------
    path : str or None
        The offending file.
    line : int or None
        1-based line number, when the problem sits on one line.
    problem : str
        The problem alone, without location.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | PathLike[str] | None = None,
        line: int | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        self.problem = problem
        super().__init__(self._format())

    def _format(self) -> str:
        if self.path is None:
            return self.problem
        if self.line is None:
            return f"{self.path}: {self.problem}"
        return f"{self.path}:{self.line}: {self.problem}"
