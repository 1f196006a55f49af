"""Personalized PageRank from many single sources at once: the batch solve and its result.

Re-exported by :mod:`trustgraph.algorithms.random_walk`, where it used to live.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp

from trustgraph.algorithms._walk import GraphLike, check_solver_args, prepare, shared_doc
from trustgraph.core.compact import CompactGraph
from trustgraph.core.solvers import EXACT_MAX_NODES, iter_ppr_batch, transition
from trustgraph.exceptions import ParameterError, SeedError

__all__ = ["PPRMatrix", "personalized_pagerank_matrix"]


def _first_positions(items: tuple[Hashable, ...]) -> Mapping[Hashable, int]:
    positions: dict[Hashable, int] = {}
    for position, item in enumerate(items):
        positions.setdefault(item, position)
    return MappingProxyType(positions)


@dataclass(frozen=True)
class PPRMatrix:
    """Personalized PageRank from many sources at once.

    Attributes
    ----------
    matrix : numpy.ndarray or scipy.sparse.csr_array
        Shape ``(len(sources), len(nodes))``; row ``i`` is the PPR vector of
        ``sources[i]``. Dense rows sum to one; a sparse matrix (``sparse_threshold``) holds
        only the entries at or above the threshold.
    nodes : tuple
        Column order.
    sources : tuple
        Row order.
    method : str
        The solver that ran.

    Examples
    --------
    >>> import numpy as np
    >>> result = PPRMatrix(np.array([[0.6, 0.4], [0.1, 0.9]]), ("a", "b"), ("b", "a"), "exact")
    >>> result["a", "b"], result.scores("b")
    (0.9, {'a': 0.6, 'b': 0.4})
    """

    matrix: np.ndarray | sp.csr_array
    nodes: tuple[Hashable, ...]
    sources: tuple[Hashable, ...]
    method: str
    # Lookups by label are dict hits, not tuple scans: result[s, v] is O(1) per call.
    _row_of: Mapping[Hashable, int] = field(init=False, repr=False, compare=False)
    _column_of: Mapping[Hashable, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_row_of", _first_positions(tuple(self.sources)))
        object.__setattr__(self, "_column_of", _first_positions(tuple(self.nodes)))

    def _position(self, source: Hashable) -> int:
        try:
            return self._row_of[source]
        except (KeyError, TypeError):
            raise SeedError(f"{source!r} is not one of the sources") from None

    def row(self, source: Hashable) -> np.ndarray:
        """Dense PPR vector of `source` (the first row if it was given twice)."""
        position = self._position(source)
        if isinstance(self.matrix, np.ndarray):
            return self.matrix[position]
        return self.matrix[[position], :].toarray().ravel()

    def scores(self, source: Hashable) -> dict[Hashable, float]:
        """The PPR dict of one source (as ``personalized_pagerank`` returns it)."""
        return dict(zip(self.nodes, self.row(source).tolist()))

    def __getitem__(self, pair: tuple[Hashable, Hashable]) -> float:
        """``result[source, node]``: the trust `source` places in `node`."""
        source, node = pair
        try:
            column = self._column_of[node]
        except (KeyError, TypeError):
            raise KeyError(node) from None
        position = self._position(source)
        return float(self.matrix[position, column])


@shared_doc
def personalized_pagerank_matrix(
    G: GraphLike,
    sources: Sequence[Hashable] | None = None,
    *,
    damping: float = 0.85,
    weight: str | None = "weight",
    tol: float = 1e-10,
    max_iter: int = 1000,
    method: str = "auto",
    epsilon: float = 1e-6,
    memory_budget_bytes: int = 256 * 2**20,
    sparse_threshold: float | None = None,
    dtype: type = np.float64,
    threads: int | None = None,
) -> PPRMatrix:
    """Personalized PageRank from each of many single sources ("trust from each contact").

    Row ``i`` is ``personalized_pagerank(G, [sources[i]])``. Sources are solved together
    in chunks (one sparse factorisation or one blocked power iteration per chunk), so this
    is much faster than a Python loop. Dangling nodes send their mass back to the row's own
    source; zero-weight edges are ignored.

    Parameters
    ----------
    {parameters: G}
    sources : sequence of nodes, optional
        Row order; every node (in graph order) when omitted. Repeats are allowed. Each is
        one single-source walk, hence ``sources`` and not ``seeds`` (which names one
        teleport distribution).
    {parameters: damping, weight, tol, max_iter}
    method : {"auto", "power", "exact", "push"}, default "auto"
        ``"push"`` runs the approximate local push per source; ``"auto"`` never does.
    {parameters: epsilon}
    memory_budget_bytes : int, default 256 MiB
        Bound on the working memory of one chunk: about ``48 n`` bytes per source, or
        ``24 n`` (``16 n`` in float32) with the compiled kernel of the ``[fast]`` extra,
        whose speed-up grows with the chunk (see ``docs/scale.md``). A dense result itself
        takes ``8 n len(sources)`` bytes on top.
    sparse_threshold : float, optional
        Keep only scores ``>= sparse_threshold`` and return a ``scipy.sparse.csr_array``
        (each chunk is sparsified as soon as it is solved, so many sources fit in memory).
        Dense by default.
    {parameters: dtype, threads}

    Returns
    -------
    PPRMatrix
        The matrix with its node order (columns) and source order (rows).

    Raises
    ------
    SeedError
        A source not in the graph, or an empty `sources`.
    GraphError
        Negative or NaN weights.
    ParameterError
        `damping` outside [0, 1), bad `tol`, `max_iter`, `method`, `epsilon`,
        `memory_budget_bytes` or `sparse_threshold`.
    ConvergenceError
        Power iteration did not meet `tol` within `max_iter`.

    See Also
    --------
    trustgraph.algorithms.random_walk.personalized_pagerank,
    trustgraph.analysis.explain.explain_trust

    Notes
    -----
    Computes rows of ``(1 - damping) (I - damping M)^-1`` (``M`` the walk matrix with
    dangling rows sent to the row's source), the all-pairs random-walk-with-restart matrix
    asked for in scikit-network #347.

    {self_loops}

    References
    ----------
    .. [1] G. Jeh, J. Widom, "Scaling personalized web search", WWW 2003.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("A", "B", 3), ("A", "C", 1), ("B", "C", 1),
    ...                            ("C", "A", 1), ("C", "D", 1)])
    >>> result = personalized_pagerank_matrix(G, ["A", "C"])
    >>> result.matrix.shape, result.sources
    ((2, 4), ('A', 'C'))
    >>> round(result["A", "D"], 6)
    0.118198
    """
    cg = prepare(G, weight)
    damping, tol, max_iter = check_solver_args(damping, tol, max_iter)
    if int(memory_budget_bytes) <= 0:
        raise ParameterError(f"memory_budget_bytes must be positive, got {memory_budget_bytes!r}")
    threshold = _check_threshold(sparse_threshold)
    chosen = _chosen_sources(cg, sources)
    rows = np.array([cg.index[s] for s in chosen], dtype=np.int64)
    blocks = iter_ppr_batch(
        transition(cg),
        rows,
        damping=damping,
        tol=tol,
        max_iter=max_iter,
        method=method,
        memory_budget_bytes=int(memory_budget_bytes),
        epsilon=epsilon,
        dtype=dtype,
        threads=threads,
    )
    shape = (rows.size, cg.n_nodes)
    matrix = _dense(blocks, shape) if threshold is None else _sparse(blocks, threshold)
    used = method if method != "auto" else ("exact" if cg.n_nodes <= EXACT_MAX_NODES else "power")
    return PPRMatrix(matrix=matrix, nodes=cg.nodes, sources=tuple(chosen), method=used)


Blocks = Iterator[tuple[int, np.ndarray, object]]


def _check_threshold(sparse_threshold: float | None) -> float | None:
    if sparse_threshold is None:
        return None
    threshold = float(sparse_threshold)
    if not (threshold >= 0 and np.isfinite(threshold)):
        raise ParameterError(f"sparse_threshold must be >= 0, got {sparse_threshold!r}")
    return threshold


def _chosen_sources(cg: CompactGraph, sources: Sequence[Hashable] | None) -> list[Hashable]:
    if sources is None:
        chosen = list(cg.nodes)
    else:
        if isinstance(sources, (str, bytes)):
            raise SeedError(f"sources must be a sequence of nodes, got {sources!r}")
        chosen = list(sources)
        missing = [s for s in chosen if s not in cg]
        if missing:
            raise SeedError(f"sources not in the graph: {', '.join(map(repr, missing[:5]))}")
    if not chosen:
        raise SeedError("sources is empty; give at least one node")
    return chosen


def _dense(blocks: Blocks, shape: tuple[int, int]) -> np.ndarray:
    dense: np.ndarray | None = None
    for start, block, _ in blocks:
        if dense is None and block.shape[0] == shape[0]:
            dense = np.ascontiguousarray(block, dtype=np.float64)  # one chunk: no copy
            continue
        if dense is None:
            dense = np.zeros(shape)
        dense[start : start + block.shape[0]] = block
    return dense if dense is not None else np.zeros(shape)


def _sparse(blocks: Blocks, threshold: float) -> sp.csr_array:
    pieces = []
    for _, block, _ in blocks:
        block[block < threshold] = 0.0
        pieces.append(sp.csr_array(block))
    return sp.csr_array(sp.vstack(pieces, format="csr"))
