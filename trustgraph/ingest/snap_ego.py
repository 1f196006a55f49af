"""SNAP ego networks (ego-Facebook, ego-Twitter, ego-Gplus) with their circles.

A SNAP ego-network collection holds, for every ego ``E``, the files ``E.edges`` (alter-alter
edges; the ego is implicitly linked to every alter), ``E.circles`` (``name<TAB>members``),
``E.feat`` (one line per alter: its id, then binary features), ``E.egofeat`` and
``E.featnames``. They are read in place from a folder or straight out of a ``.tar.gz``
archive, never extracted to disk.
"""

from __future__ import annotations

import io
import os
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import networkx as nx

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import IngestError
from trustgraph.ingest import textio
from trustgraph.ingest.edgelist import compact_to_networkx
from trustgraph.ingest.records import ReadReport
from trustgraph.ingest.textio import check_file, describe_size

__all__ = ["is_snap_ego", "read_snap_ego"]

_KINDS = ("edges", "circles", "feat")


def _split_name(name: str) -> tuple[str, str] | None:
    stem, dot, kind = PurePosixPath(name).name.rpartition(".")
    if dot and kind in (*_KINDS, "egofeat", "featnames") and stem:
        return stem, kind
    return None


def _members(path: str | os.PathLike[str]) -> Iterator[tuple[str, str, bytes]]:
    """Yield ``(display name, member name, bytes)`` for the ego files of a folder or tar."""
    p = Path(path)
    if p.is_dir():
        for child in sorted(p.rglob("*")):
            if child.is_file() and _split_name(child.name):
                yield str(child), child.name, child.read_bytes()
        return
    check_file(p)
    try:
        with tarfile.open(p, mode="r:*") as archive:
            for member in archive:
                if member.isfile() and _split_name(member.name):
                    label = f"{p}:{member.name}"
                    if member.size > textio.MAX_MEMBER_BYTES:
                        raise IngestError(
                            f"the member is {describe_size(member.size)}, larger than the "
                            f"{describe_size(textio.MAX_MEMBER_BYTES)} limit "
                            "(MAX_MEMBER_BYTES)",
                            path=label,
                        )
                    handle = archive.extractfile(member)
                    if handle is None:  # pragma: no cover - isfile() members always open
                        continue
                    yield label, member.name, handle.read()
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise IngestError(f"cannot read the archive: {exc}", path=p) from None


def is_snap_ego(path: str | os.PathLike[str]) -> bool:
    """Whether `path` (folder or tar archive) holds SNAP ``<ego>.edges`` files.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> is_snap_ego(folder)
    False
    >>> _ = (folder / "0.edges").write_text("1 2\\n")
    >>> is_snap_ego(folder)
    True
    """
    p = Path(path)
    if p.is_dir():
        return any(child.suffix == ".edges" for child in p.rglob("*.edges"))
    if not p.is_file() or not tarfile.is_tarfile(p):  # is_file: never open a FIFO
        return False
    try:
        with tarfile.open(p, mode="r:*") as archive:
            return any(m.name.endswith(".edges") for m in archive)
    except (tarfile.TarError, EOFError, OSError):
        return False


def _lines(display: str, data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict", newline=None)
    try:
        for number, line in enumerate(text, start=1):
            tokens = line.split()
            if tokens:
                yield number, tokens
    except UnicodeDecodeError as exc:
        raise IngestError(f"not valid UTF-8: {exc.reason}", path=display) from None


def _order(node: int | str) -> tuple[bool, int | str]:
    """Sort key: integer ids numerically, then string ids (never compared with ints)."""
    return (isinstance(node, str), node)


def _node(token: str) -> int | str:
    try:
        value = int(token)
    except ValueError:
        return token
    return value if str(value) == token else token


def read_snap_ego(
    path: str | os.PathLike[str],
    *,
    directed: bool = False,
    compact: bool = False,
    report: ReadReport | None = None,
) -> nx.Graph | CompactGraph:
    """Read a SNAP ego-network collection into one combined graph with its circles.

    Parameters
    ----------
    path : str or path-like
        A folder, or a ``.tar``/``.tar.gz`` archive (read in place), holding
        ``<ego>.edges``, ``<ego>.circles`` and ``<ego>.feat`` files (in any sub-folder).
    directed : bool, default False
        ego-Facebook is undirected; pass ``True`` for ego-Twitter and ego-Gplus, whose
        ``.edges`` lines are ``follower followee``. Ego-alter edges point from the ego.
    compact : bool, default False
        Return a :class:`~trustgraph.CompactGraph` (circles stay in ``graph_attrs``).
    report : ReadReport, optional
        Filled in place: egos, nodes, edges and circles.

    Returns
    -------
    networkx.Graph (DiGraph when `directed`), or CompactGraph
        The union of every ego network: alter-alter edges plus an ego-alter edge for every
        alter listed in ``<ego>.feat`` (the alters of that ego), every edge of weight 1.
        ``G.graph["circles"]`` is ``{ego: {circle name: [members, ...]}}``,
        ``G.graph["egos"]`` the sorted ego ids, and each node has ``egos``: the sorted
        tuple of egos whose network contains it (an ego is in its own network).

    Raises
    ------
    IngestError
        No ``.edges`` file, a malformed line (naming the member file and line), an ego
        without a ``.feat`` file, a broken archive.

    Notes
    -----
    Node ids are ints, as in SNAP. On ego-Facebook this gives 4,039 nodes, 88,234 edges
    (identical to SNAP's ``facebook_combined.txt``) and 193 circles.

    References
    ----------
    .. [1] J. McAuley, J. Leskovec, "Learning to Discover Social Circles in Ego
       Networks", NIPS 2012.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "7.edges").write_text("1 2\\n")
    >>> _ = (folder / "7.feat").write_text("1 0 1\\n2 1 0\\n3 0 0\\n")
    >>> _ = (folder / "7.circles").write_text("circle0\\t1\\t2\\n")
    >>> G = read_snap_ego(folder)
    >>> sorted(G.edges), G.graph["circles"]
    ([(1, 2), (7, 1), (7, 2), (7, 3)], {7: {'circle0': [1, 2]}})
    """
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise IngestError("no such file or folder", path=p)
    egos_files = _ego_files(p)
    ego_ids = sorted((_node(stem) for stem in egos_files), key=_order)
    union = _EgoUnion()
    for ego in ego_ids:
        union.add(ego, egos_files[str(ego)])
    circles = union.circles
    cg = CompactGraph.from_edges(
        union.sources, union.targets, None, directed=directed, duplicates="first"
    )
    egos_attr = [tuple(sorted(union.membership.get(n, ()), key=_order)) for n in cg.nodes]
    cg = CompactGraph(
        cg.nodes,
        cg.adjacency,
        directed=directed,
        node_attrs={"egos": egos_attr},
        graph_attrs={"circles": circles, "egos": ego_ids},
    )
    n_circles = sum(len(c) for c in circles.values())
    if report is not None:
        report.path, report.format = name, "snap-ego"
        report.variant = "tar archive" if p.is_file() else "folder"
        report.records["egos"] += len(ego_ids)
        report.records["nodes"] += cg.n_nodes
        report.records["edges"] += cg.n_edges
        report.records["circles"] += n_circles
        report.notes.append(
            "combined graph: alter-alter edges plus ego-alter edges for every alter in "
            "<ego>.feat; edges repeated across egos merged"
        )
        per_ego = ", ".join(f"{e}: {len(circles[e])}" for e in ego_ids)
        report.notes.append(f"circles per ego: {per_ego}")
    if compact:
        return cg
    return compact_to_networkx(cg)


def _ego_files(p: Path) -> dict[str, dict[str, tuple[str, bytes]]]:
    """``{ego stem: {kind: (display name, bytes)}}`` for every ego with an ``.edges`` file."""
    files: dict[str, dict[str, tuple[str, bytes]]] = {}
    for display, member, data in _members(p):
        split = _split_name(member)
        assert split is not None
        stem, kind = split
        files.setdefault(stem, {})[kind] = (display, data)
    egos_files = {stem: kinds for stem, kinds in files.items() if "edges" in kinds}
    if not egos_files:
        raise IngestError("no <ego>.edges files: not a SNAP ego-network collection", path=p)
    return egos_files


class _EgoUnion:
    """The edges, circles and ego membership of every ego network read so far."""

    def __init__(self) -> None:
        self.sources: list[int | str] = []
        self.targets: list[int | str] = []
        self.circles: dict[int | str, dict[str, list[int | str]]] = {}
        self.membership: dict[int | str, set[int | str]] = {}

    def add(self, ego: int | str, kinds: dict[str, tuple[str, bytes]]) -> None:
        if "feat" not in kinds:
            raise IngestError(
                f"ego {ego} has no {ego}.feat file listing its alters", path=kinds["edges"][0]
            )
        membership = self.membership
        display, data = kinds["feat"]
        alters = [_node(tokens[0]) for _, tokens in _lines(display, data)]
        membership.setdefault(ego, set()).add(ego)
        for alter in alters:
            self.sources.append(ego)
            self.targets.append(alter)
            membership.setdefault(alter, set()).add(ego)
        display, data = kinds["edges"]
        for number, tokens in _lines(display, data):
            if len(tokens) != 2:
                raise IngestError(
                    f"expected 2 node ids, found {len(tokens)} fields", path=display, line=number
                )
            u, v = (_node(t) for t in tokens)
            self.sources.append(u)
            self.targets.append(v)
            membership.setdefault(u, set()).add(ego)
            membership.setdefault(v, set()).add(ego)
        ego_circles: dict[str, list[int | str]] = {}
        if "circles" in kinds:
            display, data = kinds["circles"]
            for number, tokens in _lines(display, data):
                circle, *people = tokens
                if circle in ego_circles:
                    raise IngestError(
                        f"circle {circle!r} listed twice for ego {ego}", path=display, line=number
                    )
                ego_circles[circle] = [_node(t) for t in people]
        self.circles[ego] = ego_circles
