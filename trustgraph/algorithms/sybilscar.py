"""SybilSCAR (Wang, Zhang and Gong, INFOCOM 2017): a convergent local rule over labels.

Known benign nodes *and* known Sybils propagate over the undirected graph; the result is
each node's probability of being benign. :func:`sybilscar_weight_bound` is the largest
homophily ``weight_hat`` the paper's rule converges for; ``variant="accumulate"`` runs the
authors' C++ update instead, for a fixed number of steps, without that bound. Directed
graphs are symmetrised first with ``CompactGraph.to_undirected(rule=directed_rule)``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.algorithms._symmetric import (
    DEFAULT_BOUND_FRACTION,
    check_n_steps,
    spectral_radius,
    undirected_snapshot,
)
from trustgraph.core.compact import CompactGraph
from trustgraph.core.validate import check_max_iter, check_nonempty, check_tol
from trustgraph.core.vectors import scores_to_dict, seed_vector
from trustgraph.exceptions import ConvergenceError, ParameterError, SeedError

__all__ = ["SYBILSCAR_VARIANTS", "sybilscar", "sybilscar_weight_bound"]

#: ``"paper"``: Eq. 16, iterated to its fixed point. ``"accumulate"``: the authors' C++.
SYBILSCAR_VARIANTS = ("paper", "accumulate")

#: Iterations of the authors' code (``max_iter = 10`` in ``sybilscar.cpp``).
REFERENCE_STEPS = 10


def sybilscar_weight_bound(
    G: nx.Graph | CompactGraph, *, weight: str | None = "weight", directed_rule: str = "sum"
) -> float:
    """The SybilSCAR convergence bound ``1 / (2 rho(A))`` on the homophily `weight_hat`.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Directed graphs are symmetrised with `directed_rule`.
    weight : str or None, default "weight"
        Edge attribute with the tie strength (``None``: every edge weighs 1).
    directed_rule : {"sum", "max", "min", "mean"}, default "sum"
        How the two directions of a directed tie merge.

    Returns
    -------
    float
        ``1 / (2 rho(A))`` with ``rho(A)`` the spectral radius of the weighted adjacency
        matrix; ``inf`` for a graph without positive-weight edges. :func:`sybilscar`
        accepts ``weight_hat`` strictly below this value.

    Raises
    ------
    GraphError
        A NaN, infinite or negative weight.

    See Also
    --------
    sybilscar

    Notes
    -----
    Graphs up to 256 nodes use a dense symmetric eigendecomposition; larger ones ARPACK
    (``scipy.sparse.linalg.eigsh``, largest algebraic eigenvalue, which equals the spectral
    radius for a non-negative symmetric matrix) from a fixed start vector. Should ARPACK not
    converge, the largest weighted degree, an upper bound on ``rho``, is used instead, which
    only makes the bound stricter.

    References
    ----------
    .. [1] B. Wang, L. Zhang and N. Z. Gong, "SybilSCAR: Sybil Detection in Online Social
       Networks via Local Rule based Propagation", IEEE INFOCOM 2017.

    Examples
    --------
    A triangle's adjacency has spectral radius 2:

    >>> import networkx as nx
    >>> round(sybilscar_weight_bound(nx.complete_graph(3)), 6)
    0.25
    """
    cg = undirected_snapshot(G, weight=weight, directed_rule=directed_rule)
    rho = spectral_radius(cg.adjacency)
    return math.inf if rho == 0 else 1.0 / (2.0 * rho)


def sybilscar(
    G: nx.Graph | CompactGraph,
    seeds: Iterable[Hashable] | Mapping[Hashable, float],
    *,
    sybils: Iterable[Hashable] | Mapping[Hashable, float] = (),
    theta: float = 0.9,
    weight_hat: float | None = None,
    weight: str | None = "weight",
    directed_rule: str = "sum",
    tol: float = 1e-3,
    max_iter: int = 1000,
    variant: str = "paper",
    n_steps: int | None = None,
) -> dict[Hashable, float]:
    """SybilSCAR: propagate known benign and known Sybil labels with a convergent local rule.

    Every node holds a probability ``p`` of being a Sybil. Written as residuals (value
    minus 0.5, marked with a hat), the local rule of the paper (Eq. 14/16) is::

        p̂_u = q̂_u + 2 * sum over neighbours v of u of  p̂_v * ŵ * w(u, v)

    where ``q`` is the prior: `theta` for labelled Sybils, ``1 - theta`` for labelled benign
    nodes (`seeds`), 0.5 for everyone else. Starting from ``p = q`` the rule is applied to
    all nodes at once until the change is below `tol`.

    Parameters
    ----------
    G : networkx graph or CompactGraph
        Social graph. Directed graphs are symmetrised with `directed_rule`.
    seeds : iterable of nodes or mapping of node to weight
        Nodes known to be benign (at least one). For a mapping, nodes with a positive weight
        are labelled; the weights' sizes do not matter.
    sybils : iterable of nodes or mapping of node to weight, default ()
        Nodes known to be Sybils (optional); a node cannot be in both.
    theta : float, default 0.9
        Prior strength, ``0.5 < theta <= 1``: labelled Sybils start at ``P(Sybil) = theta``,
        labelled benign nodes at ``1 - theta``.
    weight_hat : float, optional
        Homophily residual ``ŵ >= 0`` (an edge links two nodes of the same kind with
        probability ``0.5 + ŵ`` per unit weight). Must be below
        ``1 / (2 rho(A))`` (:func:`sybilscar_weight_bound`); default ``0.9`` times that bound.
    weight : str or None, default "weight"
        Edge attribute with the tie strength, scaling ŵ per edge; ``None`` gives the paper's
        unweighted rule.
    directed_rule : {"sum", "max", "min", "mean"}, default "sum"
        How the two directions of a directed tie merge.
    tol : float, default 1e-3
        Stop when the L1 change of the posteriors between two iterations is below `tol`.
    max_iter : int, default 1000
        Iterations allowed before :class:`ConvergenceError`.
    variant : {"paper", "accumulate"}, default "paper"
        "paper" iterates Eq. 16, ``p̂ <- clip(q̂ + 2 ŵ A p̂)``, to its fixed point (`tol`,
        `max_iter`). "accumulate" is the update of the authors' C++ code
        (``binghuiwang/sybildetection``, ``sybilscar.cpp``, ``lbp_thread``), which adds
        to the previous posterior instead of replacing it:
        ``p̂ <- clip(p̂ + q̂ + 2 ŵ A p̂)``, run for exactly `n_steps` iterations; it has no
        fixed point short of saturation, so `tol` and `max_iter` do not apply and the
        convergence bound on `weight_hat` is not required.
    n_steps : int, optional
        Iterations of the "accumulate" variant; default 10, as in the authors' code.
        Not accepted with "paper".

    Returns
    -------
    dict
        Node to *benign* probability ``1 - p``, in [0, 1], for every node: higher means more
        trusted, as everywhere in trustgraph (the paper reports ``p = P(Sybil)``). Nodes the
        labels do not reach stay at 0.5; an isolated labelled node keeps its prior.

    Raises
    ------
    SeedError
        `seeds` empty, unknown, negative or summing to zero; `sybils` unknown; a node in
        both.
    GraphError
        The graph has no nodes, or a NaN, infinite or negative weight.
    ParameterError
        `theta` outside (0.5, 1]; `weight_hat` negative, not finite, or not below the
        convergence bound (the message gives the bound, "paper" only); bad `tol`,
        `max_iter`, `directed_rule`, `variant`, or `n_steps` (given with "paper").
    ConvergenceError
        `tol` not met within `max_iter` iterations.

    See Also
    --------
    sybilscar_weight_bound : the largest admissible `weight_hat`.
    sybilrank : random-walk ranking from benign seeds only.

    Notes
    -----
    Paper to parameters: ``Γ(u)`` is the neighbourhood; ``θ`` is `theta`; the homogeneous
    edge residual ``ŵ`` is `weight_hat` and, on weighted graphs, an edge's residual is
    ``ŵ * w(u, v)``, so the matrix form is ``p̂ = q̂ + 2 ŵ A p̂`` with ``A`` the weighted
    adjacency. The paper's ``ε`` and ``T`` are `tol` and `max_iter`.

    Convergence: the rule converges if and only if ``ŵ < 1 / (2 rho(A))`` (shown in the
    paper), which is checked before iterating under ``variant="paper"``. The paper's
    experiments used θ = 0.9, ε = 1e-3 and a fixed T = 20 iterations, with ŵ = 0.1
    (Facebook), 0.05 and 0.04 (Twitter); on graphs with average degree above about five such
    ŵ exceed the bound, so they are rejected here: the default takes 0.9 of the bound
    instead. Here `tol` is an absolute L1 change and exceeding `max_iter` raises, per the
    package convention; the default `max_iter` is larger than the paper's T because ŵ near
    the bound converges slowly.

    Orientation and clipping: the paper works with ``p = P(Sybil)``; the function returns
    ``1 - p``. The unclipped Eq. 16 can leave [0, 1] when ŵ nears the bound, so each
    iteration clips the posteriors to [0, 1] (as the authors' reference code does). Clipping
    is a projection onto a box, which does not expand Euclidean distances, and the linear
    map is a Euclidean contraction by ``2 ŵ rho(A) < 1`` (``A`` is symmetric), so the
    clipped iteration still converges to a unique fixed point; wherever the unclipped fixed
    point lies inside [0, 1] the two agree.

    Cost: one eigenvalue computation (see :func:`sybilscar_weight_bound`) plus
    ``O(n + m)`` per iteration.

    References
    ----------
    .. [1] B. Wang, L. Zhang and N. Z. Gong, "SybilSCAR: Sybil Detection in Online Social
       Networks via Local Rule based Propagation", IEEE INFOCOM 2017.
    .. [2] B. Wang, J. Jia, L. Zhang and N. Z. Gong, "Structure-based Sybil Detection in
       Social Networks via Local Rule-based Propagation", IEEE TNSE 2019.

    The authors' C++ code differs from Eq. 16 in its update (see `variant`): each
    iteration adds the propagated residuals to the node's previous posterior, so labels
    keep pushing every reached node towards 0 or 1 and, after enough iterations, most
    reached nodes saturate at the clip bounds; the paper's fixed point instead weighs each
    node by its distance to the labels. Both clip to [0, 1]. The C++ code reads an edge's
    residual as its weight minus 0.5 (``-wei 0.6`` gives ``ŵ = 0.1``); here an edge's
    residual is ``ŵ * w(u, v)`` in both variants.

    Self-loops: "paper" keeps a self-loop as a diagonal entry of ``A`` (a node then
    reinforces its own residual, and the loop counts in ``rho(A)``); "accumulate" drops
    self-loops, as the C++ ``add_edge`` does.

    Examples
    --------
    A path a - b - c - d with a known benign and d a known Sybil:

    >>> import networkx as nx
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> benign = sybilscar(G, ["a"], sybils=["d"], weight_hat=0.2, tol=1e-12)
    >>> {node: round(p, 6) for node, p in benign.items()}
    {'a': 0.951613, 'b': 0.629032, 'c': 0.370968, 'd': 0.048387}

    The authors' accumulating update pushes b and c further from 0.5 with each step:

    >>> steps = sybilscar(G, ["a"], sybils=["d"], weight_hat=0.2, variant="accumulate")
    >>> {node: round(p, 6) for node, p in steps.items()}
    {'a': 1.0, 'b': 1.0, 'c': 0.0, 'd': 0.0}
    """
    steps = _check_variant(variant, n_steps)
    if isinstance(theta, bool) or not (
        isinstance(theta, (int, float, np.floating)) and 0.5 < theta <= 1.0
    ):
        raise ParameterError(f"theta must be in (0.5, 1], got {theta!r}")
    tol = check_tol(tol)
    max_iter = check_max_iter(max_iter)
    cg = undirected_snapshot(G, weight=weight, directed_rule=directed_rule)
    check_nonempty(cg, what="sybilscar")
    benign = seed_vector(cg, seeds) > 0
    sybil = _sybil_labels(cg, sybils)
    both = benign & sybil
    if both.any():
        node = cg.nodes[int(np.flatnonzero(both)[0])]
        raise SeedError(f"node {node!r} is in both seeds and sybils")

    adjacency = cg.adjacency
    rho = spectral_radius(adjacency)
    bound = math.inf if rho == 0 else 1.0 / (2.0 * rho)
    if weight_hat is None:
        homophily = 0.0 if rho == 0 else DEFAULT_BOUND_FRACTION * bound
    else:
        homophily = float(weight_hat)
        if not (math.isfinite(homophily) and homophily >= 0):
            raise ParameterError(f"weight_hat must be finite and >= 0, got {weight_hat!r}")
        if homophily >= bound and variant == "paper":
            raise ParameterError(
                f"weight_hat={weight_hat!r} breaks the SybilSCAR convergence bound "
                f"weight_hat < 1/(2*rho(A)) = {bound:.6g}, where rho(A) = {rho:.6g} is the "
                "spectral radius of the weighted adjacency; choose a smaller weight_hat"
            )

    prior = np.zeros(cg.n_nodes)
    prior[benign] = 0.5 - theta
    prior[sybil] = theta - 0.5
    if variant == "accumulate":
        residual = _scar_accumulate(adjacency, prior, homophily, n_steps=steps)
    else:
        residual = _scar_iterate(adjacency, prior, homophily, tol=tol, max_iter=max_iter)
    return scores_to_dict(cg, 0.5 - residual)


def _check_variant(variant: str, n_steps: int | None) -> int:
    """Validated variant; the number of accumulating steps (0 for "paper")."""
    if variant not in SYBILSCAR_VARIANTS:
        raise ParameterError(
            f"variant must be one of {', '.join(SYBILSCAR_VARIANTS)}; got {variant!r}"
        )
    if variant == "paper":
        if n_steps is not None:
            raise ParameterError(
                "n_steps applies to variant='accumulate'; the paper's rule runs to tol"
            )
        return 0
    return REFERENCE_STEPS if n_steps is None else check_n_steps(n_steps)


def _scar_accumulate(
    adjacency: sp.csr_array, prior: np.ndarray, homophily: float, *, n_steps: int
) -> np.ndarray:
    """``n_steps`` of the authors' update ``p̂ <- clip(p̂ + q̂ + 2 ŵ A p̂)``, from ``p̂ = q̂``."""
    off_diagonal = adjacency - sp.diags_array(adjacency.diagonal())
    coupling = (2.0 * homophily) * sp.csr_array(off_diagonal)
    posterior = prior.copy()
    for _ in range(n_steps):
        posterior = np.clip(posterior + prior + coupling @ posterior, -0.5, 0.5)
    return posterior


def _sybil_labels(
    cg: CompactGraph, sybils: Iterable[Hashable] | Mapping[Hashable, float]
) -> np.ndarray:
    """Boolean mask of labelled Sybils; unlike `seeds`, none at all is fine."""
    if isinstance(sybils, Mapping):
        sybils = dict(sybils)
    elif isinstance(sybils, Iterable) and not isinstance(sybils, (str, bytes)):
        sybils = list(sybils)
    if isinstance(sybils, (dict, list)) and not sybils:
        return np.zeros(cg.n_nodes, dtype=bool)
    return seed_vector(cg, sybils, name="sybils") > 0


def _scar_iterate(
    adjacency: sp.csr_array,
    prior: np.ndarray,
    homophily: float,
    *,
    tol: float,
    max_iter: int,
) -> np.ndarray:
    """Fixed point of ``p̂ = clip(q̂ + 2 ŵ A p̂)``, residuals clipped to [-0.5, 0.5]."""
    coupling = (2.0 * homophily) * adjacency
    posterior = prior.copy()
    change = math.inf
    for _ in range(max_iter):
        updated = np.clip(prior + coupling @ posterior, -0.5, 0.5)
        change = float(np.abs(updated - posterior).sum())
        posterior = updated
        if change < tol:
            return posterior
    raise ConvergenceError(
        f"sybilscar did not reach tol={tol!r} in {max_iter} iterations "
        f"(last L1 change {change:.3g}); raise max_iter or lower weight_hat",
        iterations=max_iter,
        residual=change,
    )
