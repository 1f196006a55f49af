"""Stranger clusters: group the people you never talk with into a few nameable blobs.

Strangers who have edges among themselves or with others (seen through group chats, Cc lines
or a whole-network file) are grouped by community: Louvain on the undirected graph without
the ego, so that the ego's own star does not glue everyone together. Strangers with no such
edges, as in a LinkedIn export where a declared connection is only a row, are grouped by a
shared attribute: company first, then e-mail domain, then position. What is left is one
``unattached`` blob.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp

from trustgraph.core.communities import detect_communities
from trustgraph.core.compact import CompactGraph, as_compact

__all__ = ["UNATTACHED", "stranger_clusters"]

UNATTACHED = "unattached"

_ATTRIBUTES = ("company", "domain", "position")


def _domain(node: Hashable, email: object) -> str | None:
    for text in (email, node):
        if isinstance(text, str) and "@" in text:
            return text.rsplit("@", 1)[1].strip().lower() or None
    return None


def stranger_clusters(
    G: nx.Graph | CompactGraph,
    strangers: Iterable[Hashable],
    *,
    me: Sequence[Hashable] = (),
    attributes: Sequence[str] = _ATTRIBUTES,
    min_size: int = 2,
    seed: int | None = 0,
) -> dict[Hashable, str]:
    """Give every stranger a cluster label.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    strangers : iterable of nodes
        The people to group (nodes of `G`).
    me : sequence of nodes
        The ego's identifiers; their edges are ignored.
    attributes : sequence of str, default ("company", "domain", "position")
        Node attributes tried in order for strangers without edges; ``domain`` is the part
        after ``@`` of the ``email`` attribute or of the node id.
    min_size : int, default 2
        A community or attribute value shared by fewer strangers does not make a blob.
    seed : int or None, default 0
        Louvain's randomness.

    Returns
    -------
    dict
        ``{stranger: label}``; labels read ``community 3``, ``company: Acme``,
        ``domain: example.org``, ``position: Recruiter`` or ``unattached``.

    Notes
    -----
    Louvain (:func:`~trustgraph.core.communities.detect_communities`, resolution 1) runs on
    the undirected positive-weight graph minus the ego. Community numbers follow the size of
    the stranger group, largest first, ties by first stranger in input order.

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. 2008.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("me", "x", weight=0.0)
    >>> G.add_edge("s1", "s2", weight=1.0)
    >>> G.add_node("a@example.org")
    >>> G.add_node("b@example.org")
    >>> G.add_node("c@example.net")
    >>> labels = stranger_clusters(G, ["s1", "s2", "a@example.org", "b@example.org",
    ...                               "c@example.net"], me=["me"])
    >>> labels["s1"] == labels["s2"] == "community 1", labels["a@example.org"]
    (True, 'domain: example.org')
    >>> labels["c@example.net"]
    'unattached'
    """
    cg = as_compact(G)
    strangers = [s for s in dict.fromkeys(strangers) if s in cg]
    owners = {cg.index[m] for m in me if m in cg}
    rows, cols = cg.edge_arrays()
    positive = cg.weights > 0
    keep = positive & ~_member(rows, owners) & ~_member(cols, owners) & (rows != cols)
    n = cg.n_nodes
    kept = sp.csr_array((cg.weights[keep], (rows[keep], cols[keep])), shape=(n, n))
    H = nx.from_scipy_sparse_array((kept + kept.T).tocsr())
    H.remove_nodes_from([v for v, d in H.degree() if d == 0])
    labels: dict[Hashable, str] = {}
    index = [cg.index[s] for s in strangers]
    linked = [i for i in index if i in H]
    if linked:
        community_of: dict[int, int] = {}
        found = detect_communities(H, method="louvain", weight="weight", seed=seed)
        for number, members in enumerate(found):
            for node in members:
                community_of[node] = number
        groups = Counter(community_of[i] for i in linked)
        first_seen: dict[int, int] = {}
        for position, i in enumerate(linked):
            first_seen.setdefault(community_of[i], position)
        order = sorted(groups, key=lambda c: (-groups[c], first_seen[c]))
        renumber = {c: k for k, c in enumerate(order, start=1)}
        for i in linked:
            if groups[community_of[i]] >= min_size:
                labels[cg.nodes[i]] = f"community {renumber[community_of[i]]}"
    columns = cg.node_attrs
    rest = [s for s in strangers if s not in labels]
    for attribute in attributes:
        values: dict[Hashable, str] = {}
        for s in rest:
            i = cg.index[s]
            if attribute == "domain":
                email = columns["email"][i] if "email" in columns else None
                value = _domain(s, email)
            else:
                value = columns[attribute][i] if attribute in columns else None
            if isinstance(value, str) and value.strip():
                values[s] = value.strip()
        shared = Counter(values.values())
        for s, value in values.items():
            if shared[value] >= min_size:
                labels[s] = f"{attribute}: {value}"
        rest = [s for s in rest if s not in labels]
    for s in rest:
        labels[s] = UNATTACHED
    return {s: labels[s] for s in strangers}


def _member(values: np.ndarray, members: set[int]) -> np.ndarray:
    if not members:
        return np.zeros(values.shape, dtype=bool)
    return np.isin(values, np.fromiter(members, dtype=np.int64))
