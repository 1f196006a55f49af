"""`CompactGraph`: the frozen CSR snapshot every algorithm computes on.

A `CompactGraph` holds a node tuple, the label-to-index mapping, a
``scipy.sparse.csr_array`` of out-edges whose data are the edge weights, and optional edge
attribute arrays aligned with the CSR data (``sign``, ``count``, ``first_seen``,
``last_seen``, ``declared_only`` and any other numeric attribute). It is built either from a
networkx graph or straight from edge arrays (:mod:`trustgraph.core.build`), so that inputs
with tens of millions of edges never need a networkx graph, and saved to and opened from
folders of arrays (:mod:`trustgraph.core.compactio`).

Conventions
-----------
* An edge ``u -> v`` means *u has shown trust in v*; its weight is the tie strength.
* Undirected graphs store both directions of every edge (a self-loop once); ``n_edges``
  counts each undirected edge once, as networkx does.
* Stored zeros are kept: a declared-only tie is a weight-0 edge, visible to analysis and
  ignored by propagation.
* Node order follows the input order (first appearance in the edge arrays), so results are
  deterministic.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.core.build import (
    build_from_edges,
    build_from_index_arrays,
    induced_edges,
    reversed_edges,
)
from trustgraph.core.compactio import GraphParts, read_folder, write_folder
from trustgraph.core.csr import narrow_indices, rows_of
from trustgraph.core.intern import _IntegerLabels
from trustgraph.core.nxconvert import networkx_columns, to_networkx
from trustgraph.exceptions import GraphError

__all__ = ["CompactGraph", "as_compact"]


class CompactGraph:
    """Frozen CSR snapshot of a weighted graph.

    Build one with :meth:`from_edges`, :meth:`from_networkx` or :func:`as_compact`; the
    constructor takes an already canonical CSR matrix (sorted indices, no duplicates).

    Parameters
    ----------
    nodes : sequence of hashable
        Node labels; position ``i`` is row and column ``i`` of `adjacency`.
    adjacency : scipy.sparse.csr_array
        ``adjacency[u, v]`` is the weight of edge ``u -> v``. Stored zeros are edges.
    directed : bool, default True
        Undirected graphs must pass a symmetric `adjacency`.
    edge_attrs : mapping of str to array, optional
        Arrays aligned with ``adjacency.data``.
    node_attrs : mapping of str to sequence, optional
        Columns aligned with `nodes` (``None`` where a node lacks the attribute).
    graph_attrs : mapping, optional
        Graph-level metadata (e.g. how many duplicate edges a reader merged).

    Examples
    --------
    >>> from trustgraph.core.compact import CompactGraph
    >>> cg = CompactGraph.from_edges(["ann", "ann", "bob"], ["bob", "cy", "cy"], [3.0, 1.0, 1.0])
    >>> cg.nodes
    ('ann', 'bob', 'cy')
    >>> cg.n_edges, float(cg.adjacency[0, 1])
    (3, 3.0)
    >>> sorted(cg.to_networkx().edges(data="weight"))
    [('ann', 'bob', 3.0), ('ann', 'cy', 1.0), ('bob', 'cy', 1.0)]
    """

    __slots__ = (
        "__dict__",
        "_adjacency",
        "_directed",
        "_edge_attrs",
        "_graph_attrs",
        "_node_attrs",
        "_nodes",
    )

    def __init__(
        self,
        nodes: Sequence[Hashable],
        adjacency: sp.csr_array,
        *,
        directed: bool = True,
        edge_attrs: Mapping[str, np.ndarray] | None = None,
        node_attrs: Mapping[str, Sequence[Any]] | None = None,
        graph_attrs: Mapping[str, Any] | None = None,
    ) -> None:
        if isinstance(nodes, _IntegerLabels):
            # Kept as an array until `nodes` is first read (see _IntegerLabels).
            nodes = nodes.array
            nodes.flags.writeable = False
        else:
            nodes = tuple(nodes)
        n = len(nodes)
        if adjacency.shape != (n, n):
            raise GraphError(f"adjacency has shape {adjacency.shape}, expected ({n}, {n})")
        if not isinstance(adjacency, sp.csr_array):
            adjacency = sp.csr_array(adjacency)
        adjacency = narrow_indices(adjacency)
        attrs = {}
        for name, values in (edge_attrs or {}).items():
            values = np.asarray(values)
            if values.shape != (adjacency.nnz,):
                raise GraphError(
                    f"edge attribute {name!r} has {values.shape[0]} values for "
                    f"{adjacency.nnz} stored edges"
                )
            values.flags.writeable = False
            attrs[name] = values
        columns = {}
        for name, values in (node_attrs or {}).items():
            if len(values) != n:
                raise GraphError(f"node attribute {name!r} has {len(values)} values for {n} nodes")
            columns[name] = tuple(values)
        for array in (adjacency.data, adjacency.indices, adjacency.indptr):
            array.flags.writeable = False
        self._nodes = nodes
        self._adjacency = adjacency
        self._directed = bool(directed)
        self._edge_attrs = MappingProxyType(attrs)
        self._node_attrs = MappingProxyType(columns)
        self._graph_attrs = MappingProxyType(dict(graph_attrs or {}))

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_edges(
        cls,
        sources: Sequence[Hashable] | np.ndarray,
        targets: Sequence[Hashable] | np.ndarray,
        weights: Sequence[float] | np.ndarray | None = None,
        *,
        nodes: Sequence[Hashable] | None = None,
        directed: bool = True,
        edge_attrs: Mapping[str, Sequence[Any] | np.ndarray] | None = None,
        duplicates: str = "sum",
        node_attrs: Mapping[str, Sequence[Any]] | None = None,
        graph_attrs: Mapping[str, Any] | None = None,
    ) -> CompactGraph:
        """Build a graph straight from edge arrays, without networkx.

        Parameters
        ----------
        sources, targets : array-like of hashable
            Edge endpoints, by label.
        weights : array-like of float, optional
            Edge weights; every edge weighs 1.0 when omitted.
        nodes : sequence of hashable, optional
            Node order, including isolated nodes. Labels met in the edges but missing here
            are appended in order of first appearance.
        directed : bool, default True
            For undirected graphs each edge is stored in both directions; ``u-v`` and ``v-u``
            given separately are duplicates of one edge.
        edge_attrs : mapping of str to array-like, optional
            Per-edge attributes aligned with `sources`.
        duplicates : {"sum", "max", "min", "first", "last", "error"}, default "sum"
            How the weights of repeated edges merge. Attributes merge by fixed rules:
            ``count`` sums, ``first_seen`` takes the minimum, ``last_seen`` the maximum,
            ``declared_only`` holds only if it holds for every copy, ``sign`` follows the
            merged weight and other attributes follow `duplicates` (``last`` for
            ``sum``/``max``/``min``). The number merged is ``graph_attrs["duplicates_merged"]``.
        node_attrs, graph_attrs : mapping, optional
            Node columns aligned with `nodes`, and graph-level metadata.

        Returns
        -------
        CompactGraph
        """
        labels, adjacency, attrs, n_merged = build_from_edges(
            sources,
            targets,
            weights,
            nodes=nodes,
            directed=directed,
            edge_attrs=edge_attrs,
            duplicates=duplicates,
        )
        meta = dict(graph_attrs or {})
        meta["duplicates_merged"] = n_merged
        return cls(
            labels,
            adjacency,
            directed=directed,
            edge_attrs=attrs,
            node_attrs=node_attrs,
            graph_attrs=meta,
        )

    @classmethod
    def from_index_arrays(
        cls,
        nodes: Sequence[Hashable],
        rows: np.ndarray,
        cols: np.ndarray,
        weights: np.ndarray,
        *,
        edge_attrs: Mapping[str, np.ndarray] | None = None,
        node_attrs: Mapping[str, Sequence[Any]] | None = None,
        graph_attrs: Mapping[str, Any] | None = None,
    ) -> CompactGraph:
        """A directed graph from edges already given as node indices, each pair once.

        For builders that intern their own nodes (the conversation graph builder): the
        edges are sorted into CSR order with their attributes, stored zeros kept.

        Raises
        ------
        GraphError
            A (row, column) pair appears twice: merge duplicates with :meth:`from_edges`.

        Examples
        --------
        >>> import numpy as np
        >>> cg = CompactGraph.from_index_arrays(
        ...     ["a", "b"], np.array([1, 0]), np.array([0, 1]), np.array([2.0, 0.0]))
        >>> cg.weights.tolist(), cg.n_edges
        ([0.0, 2.0], 2)
        """
        nodes = tuple(nodes)
        adjacency, attrs = build_from_index_arrays(nodes, rows, cols, weights, edge_attrs)
        return cls(
            nodes,
            adjacency,
            edge_attrs=attrs,
            node_attrs=node_attrs,
            graph_attrs=graph_attrs,
        )

    @classmethod
    def from_networkx(
        cls,
        G: nx.Graph,
        *,
        weight: str | None = "weight",
        edge_attrs: Iterable[str] | None = None,
    ) -> CompactGraph:
        """Snapshot a networkx graph.

        Parameters
        ----------
        G : networkx.Graph, DiGraph, MultiGraph or MultiDiGraph
            Parallel edges of multigraphs are merged: weights and counts add up.
        weight : str or None, default "weight"
            Edge attribute holding the weight (1.0 where missing); ``None`` gives every edge
            weight 1.
        edge_attrs : iterable of str, optional
            Extra numeric edge attributes to keep. The known attributes
            (``sign``, ``count``, ``first_seen``, ``last_seen``, ``declared_only``) are kept
            whenever any edge carries them.

        Returns
        -------
        CompactGraph
        """
        return cls.from_edges(**networkx_columns(G, weight=weight, edge_attrs=edge_attrs))

    # ------------------------------------------------------------------ read-only views
    @property
    def nodes(self) -> tuple[Hashable, ...]:
        """Node labels in index order."""
        nodes = self._nodes
        if not isinstance(nodes, tuple):
            # Integer labels kept as an array: the tuple is built on first use.
            nodes = self._nodes = tuple(nodes.tolist())
        return nodes

    def _labels(self) -> tuple[Hashable, ...] | _IntegerLabels:
        """The node labels as stored, for a derived graph (no tuple is built)."""
        nodes = self._nodes
        return nodes if isinstance(nodes, tuple) else _IntegerLabels(nodes)

    @property
    def adjacency(self) -> sp.csr_array:
        """Out-edge weights as a CSR array (row = source, column = target)."""
        return self._adjacency

    @property
    def weights(self) -> np.ndarray:
        """Edge weights in CSR order (``adjacency.data``)."""
        return self._adjacency.data

    @property
    def directed(self) -> bool:
        return self._directed

    @property
    def edge_attrs(self) -> Mapping[str, np.ndarray]:
        """Edge attribute arrays aligned with :attr:`weights`."""
        return self._edge_attrs

    @property
    def node_attrs(self) -> Mapping[str, tuple[Any, ...]]:
        return self._node_attrs

    @property
    def graph_attrs(self) -> Mapping[str, Any]:
        return self._graph_attrs

    @cached_property
    def index(self) -> Mapping[Hashable, int]:
        """Label to row/column index."""
        return MappingProxyType({label: i for i, label in enumerate(self.nodes)})

    @property
    def n_nodes(self) -> int:
        return len(self._nodes)

    @property
    def n_stored(self) -> int:
        """Stored (directed) entries of :attr:`adjacency`."""
        return int(self._adjacency.nnz)

    @property
    def n_edges(self) -> int:
        """Number of edges, each undirected edge counted once."""
        if self._directed:
            return self.n_stored
        return (self.n_stored + self.n_self_loops) // 2

    @property
    def n_self_loops(self) -> int:
        rows, cols = self.edge_arrays()
        return int(np.count_nonzero(rows == cols))

    def __len__(self) -> int:
        return self.n_nodes

    def __contains__(self, node: object) -> bool:
        try:
            return node in self.index
        except TypeError:
            return False

    def __repr__(self) -> str:
        kind = "directed" if self._directed else "undirected"
        return f"<CompactGraph {kind}, {self.n_nodes} nodes, {self.n_edges} edges>"

    def edge_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Source and target indices of every stored edge, in CSR order."""
        return rows_of(
            self._adjacency.indptr, self._adjacency.indices.dtype
        ), self._adjacency.indices

    def out_strength(self) -> np.ndarray:
        """Sum of out-edge weights per node (weighted out-degree)."""
        rows, _ = self.edge_arrays()
        return np.bincount(rows, weights=self.weights, minlength=self.n_nodes)

    def in_strength(self) -> np.ndarray:
        """Sum of in-edge weights per node (weighted in-degree)."""
        return np.bincount(self._adjacency.indices, weights=self.weights, minlength=self.n_nodes)

    def out_degree(self) -> np.ndarray:
        return np.diff(self._adjacency.indptr)

    def in_degree(self) -> np.ndarray:
        return np.bincount(self._adjacency.indices, minlength=self.n_nodes)

    # ------------------------------------------------------------------ derived graphs
    def with_weights(self, weights: np.ndarray) -> CompactGraph:
        """The same structure and attributes with other weights (aligned with CSR data)."""
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != self.weights.shape:
            raise GraphError(f"{weights.size} weights for {self.n_stored} stored edges")
        a = self._adjacency
        adjacency = sp.csr_array((weights, a.indices, a.indptr), shape=a.shape)
        return self._derive(adjacency, dict(self._edge_attrs), directed=self._directed)

    def unit_weights(self) -> CompactGraph:
        """Every edge weighs 1 (``weight=None`` in the algorithms)."""
        return self.with_weights(np.ones(self.n_stored))

    def reverse(self) -> CompactGraph:
        """The graph with every edge turned around (attributes follow their edges)."""
        if not self._directed:
            return self
        adjacency, attrs = reversed_edges(self._adjacency, self._edge_attrs)
        return self._derive(adjacency, attrs, directed=True)

    def to_undirected(self, *, rule: str = "sum") -> CompactGraph:
        """Symmetrise: ``u -> v`` and ``v -> u`` become one undirected edge.

        Parameters
        ----------
        rule : {"sum", "max", "min", "mean"}, default "sum"
            Weight of the undirected edge from the weights of the directed edges present
            (a missing direction contributes nothing; ``mean`` averages the present ones).
        """
        if not self._directed:
            return self
        if rule not in ("sum", "max", "min", "mean"):
            raise GraphError(f"rule must be sum, max, min or mean, got {rule!r}")
        rows, cols = self.edge_arrays()
        lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
        labels = np.empty(self.n_nodes, dtype=object)
        labels[:] = self.nodes
        merged = CompactGraph.from_edges(
            labels[lo],
            labels[hi],
            self.weights,
            nodes=self.nodes,
            directed=False,
            edge_attrs=dict(self._edge_attrs),
            duplicates="sum" if rule == "mean" else rule,
        )
        if rule == "mean":
            pairs = CompactGraph.from_edges(
                labels[lo], labels[hi], nodes=self.nodes, directed=False, duplicates="sum"
            )
            merged = merged.with_weights(merged.weights / pairs.weights)
        return self._derive(merged.adjacency, dict(merged.edge_attrs), directed=False)

    def subgraph(self, nodes: Iterable[Hashable]) -> CompactGraph:
        """Induced subgraph on `nodes`, in this graph's node order."""
        keep = np.zeros(self.n_nodes, dtype=bool)
        for node in nodes:
            if node not in self:
                raise GraphError(f"node {node!r} is not in the graph")
            keep[self.index[node]] = True
        idx = np.flatnonzero(keep)
        adjacency, attrs = induced_edges(self._adjacency, self._edge_attrs, keep)
        nodes = self.nodes
        nodes_kept = tuple(nodes[i] for i in idx)
        columns = {k: [v[i] for i in idx] for k, v in self._node_attrs.items()}
        return CompactGraph(
            nodes_kept,
            adjacency,
            directed=self._directed,
            edge_attrs=attrs,
            node_attrs=columns,
            graph_attrs=self._graph_attrs,
        )

    def _derive(
        self, adjacency: sp.csr_array, attrs: dict[str, np.ndarray], *, directed: bool
    ) -> CompactGraph:
        return CompactGraph(
            self._labels(),
            adjacency,
            directed=directed,
            edge_attrs=attrs,
            node_attrs=self._node_attrs,
            graph_attrs=self._graph_attrs,
        )

    # ------------------------------------------------------------------ files
    def save(
        self,
        folder: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> Path:
        """Write the graph to a folder of ``.npy`` arrays that :meth:`load` maps back.

        The folder holds ``indptr.npy``, ``indices.npy`` and ``weights.npy`` (the CSR
        arrays), one ``edge.<name>.npy`` per edge attribute, the node labels and a small
        ``meta.json`` (direction, counts, attribute names, graph attributes). Integer
        labels are an ``int64`` array; string labels are one UTF-8 text, a label per line
        (``nodes.txt``; labels holding a line break fall back to a JSON list); other labels
        go to JSON. Numeric node attribute columns are arrays, others JSON.

        Parameters
        ----------
        folder : str or path-like
            Conventionally named ``*.tgc``; created if missing.
        overwrite : bool, default False
            Replace an existing graph folder; otherwise an existing folder is an error.
        progress : callable, optional
            Called with the name of each file before it is written.

        Returns
        -------
        pathlib.Path
            The folder.

        Raises
        ------
        GraphError
            The folder exists (and not `overwrite`, or it is not a graph folder), or a
            label or attribute cannot be stored.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> cg = CompactGraph.from_edges(["ann", "bob"], ["bob", "cy"], [2.0, 1.0])
        >>> folder = cg.save(pathlib.Path(tempfile.mkdtemp()) / "trust.tgc")
        >>> back = CompactGraph.load(folder)
        >>> back.nodes, back.weights.tolist()
        (('ann', 'bob', 'cy'), [2.0, 1.0])
        """
        parts = GraphParts(
            self._nodes,
            self._adjacency,
            self._directed,
            self._edge_attrs,
            self._node_attrs,
            self._graph_attrs,
        )
        return write_folder(folder, parts, overwrite=overwrite, progress=progress)

    @classmethod
    def load(cls, folder: str | os.PathLike[str], *, mmap: bool = True) -> CompactGraph:
        """Open a graph written by :meth:`save`.

        Parameters
        ----------
        folder : str or path-like
        mmap : bool, default True
            Memory-map the arrays (read-only): opening costs milliseconds whatever the
            size, and the operating system pages data in as it is used and can drop it
            again. ``False`` reads them into memory.

        Returns
        -------
        CompactGraph
            Edge attributes are opened only when first accessed.

        Raises
        ------
        GraphError
            Not a graph folder, a missing or inconsistent file, or a newer format version.

        Examples
        --------
        See :meth:`save`.
        """
        parts = read_folder(folder, mmap=mmap)
        graph = cls(
            parts.labels,
            parts.adjacency,
            directed=parts.directed,
            node_attrs=parts.node_attrs,
            graph_attrs=parts.graph_attrs,
        )
        # Edge attributes stay on disk until first read (a _LazyArrays mapping).
        graph._edge_attrs = parts.edge_attrs
        return graph

    # ------------------------------------------------------------------ export
    def to_networkx(self) -> nx.Graph:
        """A networkx ``DiGraph`` (or ``Graph``) with the same nodes, edges and attributes."""
        return to_networkx(self)


def as_compact(G: nx.Graph | CompactGraph, *, weight: str | None = "weight") -> CompactGraph:
    """Convert once to a :class:`CompactGraph` whose weights are the chosen attribute.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    weight : str or None, default "weight"
        ``None`` gives every edge weight 1. On a `CompactGraph` any name other than
        ``"weight"`` selects the edge attribute array of that name.

    Returns
    -------
    CompactGraph

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b", {"weight": 2.0, "count": 5})])
    >>> as_compact(G, weight="count").weights.tolist()
    [5.0]
    >>> as_compact(G, weight=None).weights.tolist()
    [1.0]
    """
    if isinstance(G, CompactGraph):
        if weight == "weight":
            return G
        if weight is None:
            return G.unit_weights()
        if weight not in G.edge_attrs:
            raise GraphError(f"the graph has no edge attribute {weight!r}")
        return G.with_weights(G.edge_attrs[weight].astype(np.float64))
    if isinstance(G, nx.Graph):
        return CompactGraph.from_networkx(G, weight=weight)
    raise GraphError(f"expected a networkx graph or a CompactGraph, got {type(G).__name__}")
