"""Stable, keyed pseudonyms for names and identifiers (``--anonymize``).

A pseudonym is an HMAC-SHA256 of the original under a per-user secret, never a bare hash:
a bare hash of an e-mail address can be reversed by hashing a list of candidate addresses,
a keyed one cannot without the secret. The secret is 32 random bytes kept in a key file:
the one the caller names (the CLI's ``--anonymize-key FILE``), else the one the
environment variable ``TRUSTGRAPH_ANONYMIZE_KEY`` names, else
``$XDG_CONFIG_HOME/trustgraph/secret`` (``~/.config/trustgraph/secret``). It is created
once, atomically, with mode 0600; the library never prints, it reports the creation
(:attr:`Pseudonymizer.created_secret`, :func:`open_secret`) so the CLI can say so.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import threading
from collections.abc import Hashable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
import numpy as np

from trustgraph.core.compact import CompactGraph
from trustgraph.exceptions import GraphError, TrustGraphError
from trustgraph.ingest.atomic import clean_stale_temporaries, temporary_path
from trustgraph.ingest.exports import EXPORT_FORMATS
from trustgraph.ingest.identifiers import identifier_kind

__all__ = [
    "ENV_VAR",
    "Pseudonymizer",
    "anonymize_graph",
    "default_secret_path",
    "load_or_create_secret",
    "open_secret",
]

#: Environment variable naming the key file (a path) when none is given explicitly.
ENV_VAR = "TRUSTGRAPH_ANONYMIZE_KEY"
_SECRET_BYTES = 32
# 16 hex digits = 64 bits: n names collide with probability about n**2 / 2**65 (1e-11 for
# 20,000), and a collision within a run is still detected and resolved.
_DEFAULT_DIGITS = 16


def default_secret_path() -> Path:
    """Return the key file used when none is named.

    ``$TRUSTGRAPH_ANONYMIZE_KEY`` when set, else ``$XDG_CONFIG_HOME/trustgraph/secret``,
    else ``~/.config/trustgraph/secret``.

    Examples
    --------
    >>> import os
    >>> default_secret_path().name if ENV_VAR not in os.environ else "secret"
    'secret'
    """
    chosen = os.environ.get(ENV_VAR) or ""
    if chosen.strip():
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base.strip() else Path.home() / ".config"
    return root / "trustgraph" / "secret"


def open_secret(path: str | os.PathLike[str] | None = None) -> tuple[bytes, Path, bool]:
    """Read the pseudonym secret, creating it (mode 0600) if it does not exist yet.

    Parameters
    ----------
    path : path-like or None
        The key file; default :func:`default_secret_path`.

    Returns
    -------
    (bytes, pathlib.Path, bool)
        The secret, the key file, and whether this call created it (the CLI announces a
        new key once, on stderr; the library prints nothing).

    Raises
    ------
    TrustGraphError
        The file exists but is not a secret written by trustgraph, or cannot be created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> where = pathlib.Path(tempfile.mkdtemp()) / "project.key"
    >>> secret, path, created = open_secret(where)
    >>> (path == where, created), open_secret(where) == (secret, where, False)
    ((True, True), True)
    """
    target = Path(path).expanduser() if path is not None else default_secret_path()
    created = False
    if not target.exists():
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            created = _create_secret(target)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise TrustGraphError(f"{target}: cannot create the pseudonym key: {reason}") from None
    if target.is_dir():
        raise TrustGraphError(f"{target}: is a folder, expected a pseudonym key file")
    try:
        text = target.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except (OSError, ValueError, UnicodeDecodeError):
        raise TrustGraphError(
            f"{target}: not a trustgraph pseudonym secret (expected {_SECRET_BYTES * 2} hex "
            "digits); move it away to create a new one"
        ) from None
    if len(secret) < 16:
        raise TrustGraphError(f"{target}: pseudonym secret is too short")
    return secret, target, created


def load_or_create_secret(path: str | os.PathLike[str] | None = None) -> bytes:
    """Read the pseudonym secret, creating it (mode 0600) if it does not exist yet.

    Creation is atomic: the secret is written to a private temporary file in the same
    folder and hard-linked into place, which fails if another process created the file
    first; that process's secret is then used. An existing file is never overwritten.
    :func:`open_secret` also says where the key is and whether it was just created.

    Parameters
    ----------
    path : path-like or None
        Where the secret lives; default :func:`default_secret_path`.

    Returns
    -------
    bytes
        The secret (32 bytes).

    Raises
    ------
    TrustGraphError
        The file exists but is not a secret written by trustgraph, or cannot be created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> where = pathlib.Path(tempfile.mkdtemp()) / "trustgraph" / "secret"
    >>> load_or_create_secret(where) == load_or_create_secret(where)
    True
    >>> oct(where.stat().st_mode & 0o777)
    '0o600'
    """
    return open_secret(path)[0]


def _create_secret(target: Path) -> bool:
    """Write a new secret at `target`; False when another process's secret won the race."""
    clean_stale_temporaries(target.parent)
    tmp = temporary_path(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_bytes(_SECRET_BYTES).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)  # in case a umask or filesystem widened it
        try:
            os.link(tmp, target)
        except FileExistsError:  # another process won the race
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class Pseudonymizer:
    """Map names and identifiers to stable, readable pseudonyms such as
    ``person-3f9a1c0b7d2e4a61``.

    Parameters
    ----------
    secret : bytes or str or None
        The key. None reads (or creates) the key file; tests pass a value.
    secret_path : path-like or None
        The key file when `secret` is None; default :func:`default_secret_path`
        (``$TRUSTGRAPH_ANONYMIZE_KEY``, else ``~/.config/trustgraph/secret``).
    prefix : str, default "person"
        Word in front of the digest.
    digits : int, default 16
        Hex digits of the digest shown (64 bits): the least a pseudonym has.

    Attributes
    ----------
    secret_path : pathlib.Path or None
        The key file read (None when `secret` was given).
    created_secret : pathlib.Path or None
        The key file, when this object created it (the CLI announces it once).

    Notes
    -----
    The pseudonym of a value is ``HMAC-SHA256(secret, kind + "\\0" + value)``: the same
    value gets the same pseudonym on every run with the same secret, a different secret
    gives unrelated pseudonyms, and nothing of the original survives (an e-mail address
    becomes ``person-3f9a1c0b7d2e4a61@pseudonym.invalid``: the ``.invalid`` top-level
    domain is reserved by RFC 2606 and can never be a real address).

    Pseudonyms are collision-free within one object: it remembers every pseudonym it gave,
    and a value whose digest prefix was already given to another value gets two more hex
    digits, as many times as needed. With 64 bits that practically never happens (about
    ``n**2 / 2**65`` for n values: 1e-11 for 20,000 names), so a value keeps the same
    pseudonym from run to run whatever else the run saw.

    References
    ----------
    .. [1] H. Krawczyk, M. Bellare, R. Canetti, "HMAC: Keyed-Hashing for Message
       Authentication", RFC 2104, 1997.
    .. [2] D. Eastlake, A. Panitz, "Reserved Top Level DNS Names", RFC 2606, 1999.

    Examples
    --------
    >>> p = Pseudonymizer(secret=b"example secret, tests only")
    >>> p.pseudonym("Ada Example") == p.pseudonym("Ada Example")
    True
    >>> p.pseudonym("Ada Example").startswith("person-")
    True
    >>> p.identifier("ada@example.com").endswith("@pseudonym.invalid")
    True
    """

    def __init__(
        self,
        secret: bytes | str | None = None,
        *,
        secret_path: str | os.PathLike[str] | None = None,
        prefix: str = "person",
        digits: int = _DEFAULT_DIGITS,
    ) -> None:
        if not 4 <= digits <= 64:
            raise ValueError(f"digits must be between 4 and 64, got {digits}")
        self.secret_path: Path | None = None
        self.created_secret: Path | None = None
        if secret is None:
            secret, self.secret_path, created = open_secret(secret_path)
            if created:
                self.created_secret = self.secret_path
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if not secret:
            raise ValueError("the pseudonym secret must not be empty")
        self._key = bytes(secret)
        self.prefix = prefix
        self.digits = digits
        # Every digest prefix given out, by (kind, value), and who owns each prefix.
        self._given: dict[tuple[str, str, int], str] = {}
        self._owner: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def _digest(self, value: str, kind: str) -> str:
        message = f"{kind}\0{value}".encode("utf-8", "surrogatepass")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def _token(self, value: str, kind: str, digits: int) -> str:
        key = (kind, value, digits)
        with self._lock:
            token = self._given.get(key)
            if token is not None:
                return token
            digest = self._digest(value, kind)
            size = digits
            while True:
                token = digest[:size]
                owner = self._owner.get(token)
                if owner is None or owner == (kind, value):
                    break
                if size >= len(digest):  # two values with one HMAC-SHA256: never seen
                    raise TrustGraphError("pseudonym digest collision; use another key")
                size = min(size + 2, len(digest))
            self._owner[token] = (kind, value)
            self._given[key] = token
            return token

    def pseudonym(self, value: str, *, kind: str = "id", digits: int | None = None) -> str:
        """Return ``<prefix>-<hex>`` for `value`.

        `kind` separates namespaces: the name "Ada" and an id "Ada" get different
        pseudonyms unless both are pseudonymised with the same kind. `digits` is the least
        number of hex digits (default: the object's); a collision adds more.
        """
        size = self.digits if digits is None else digits
        return f"{self.prefix}-{self._token(value, kind, size)}"

    def identifier(self, identifier: str, *, digits: int | None = None) -> str:
        """Pseudonymise a normalised identifier, keeping only its kind recognisable.

        E-mail addresses become ``person-xxxx@pseudonym.invalid``, phone numbers and
        scoped names ``person-xxxx``, platform ids ``tg:person-xxxx``.

        Examples
        --------
        >>> p = Pseudonymizer(secret="k")
        >>> p.identifier("tg:100000001").startswith("tg:person-")
        True
        """
        kind = identifier_kind(identifier)
        token = self.pseudonym(identifier, digits=digits)
        if kind == "email":
            return f"{token}@pseudonym.invalid"
        if kind in ("phone", "name", "other"):
            return token
        return f"{kind}:{token}"

    def map_many(self, identifiers: Iterable[str]) -> dict[str, str]:
        """Pseudonymise many identifiers at once (distinct outputs, as every call).

        The values are visited in the order of their digests, so when two of them collide
        which one gets the longer pseudonym depends only on the values, the secret and the
        pseudonyms this object gave before, not on the order given.

        Examples
        --------
        >>> p = Pseudonymizer(secret="k")
        >>> m = p.map_many(["ada@example.com", "bo@example.org"])
        >>> len(set(m.values()))
        2
        """
        unique = list(dict.fromkeys(identifiers))
        by_digest = sorted(unique, key=lambda value: self._digest(value, "id"))
        mapped = {value: self.identifier(value) for value in by_digest}
        return {value: mapped[value] for value in unique}


# ---------------------------------------------------------------------------- graphs
# Attribute values kept as they are under anonymize_graph: numbers of these attributes
# (counts, times, flags) and the reader names in "source"/"sources".
_NUMERIC_KEYS = frozenset(
    {
        "weight",
        "sign",
        "count",
        "direct",
        "bulk",
        "active_months",
        "first_seen",
        "last_seen",
        "timestamp",
        "time",
        "connected_on",
        "reference_time",
        "declared",
        "declared_only",
        "is_me",
        "duplicates_merged",
    }
)
_SOURCE_KEYS = frozenset({"source", "sources"})
_NAME_KEYS = frozenset({"name", "label", "display_name", "full_name", "nickname", "names"})
# Below a million an integer cannot be a phone number; larger ones of unknown attributes
# are pseudonymised like text.
_SMALL_INT = 1_000_000
# The tie model's repr: parameter names and numbers, None, booleans or one word in quotes.
_TIE_MODEL = re.compile(r"TieModel\((?:\s*\w+=(?:[-+0-9.eE]+|None|True|False|'\w+'),?)*\s*\)")
_T = TypeVar("_T", nx.Graph, CompactGraph)


def _source_vocabulary() -> frozenset[str]:
    graph_formats = {"edgelist", "graphml", "gexf", "node-link", "snap-ego", "compact"}
    return frozenset({*EXPORT_FORMATS, "contacts-csv", "conversations-csv", *graph_formats})


class _GraphAnonymizer:
    def __init__(self, pseudonymizer: Pseudonymizer) -> None:
        self.p = pseudonymizer
        self.vocabulary = _source_vocabulary()

    def value(self, key: str, value: Any) -> Any:
        if value is None or isinstance(value, (bool, datetime, date)):
            return value
        if isinstance(value, np.generic):
            return self.value(key, value.item())
        if isinstance(value, float):
            return value
        if isinstance(value, int):
            if abs(value) < _SMALL_INT or key in _NUMERIC_KEYS:
                return value
            return self.text(key, str(value))
        if isinstance(value, str):
            return self.text(key, value)
        if isinstance(value, (list, tuple)):
            return type(value)(self.value(key, item) for item in value)
        if isinstance(value, (set, frozenset)):
            return type(value)(self.value(key, item) for item in value)
        if isinstance(value, Mapping):
            return {self.text(key, str(k)): self.value(key, v) for k, v in value.items()}
        return self.text(key, str(value))

    def text(self, key: str, value: str) -> str:
        if key in _SOURCE_KEYS and all(part in self.vocabulary for part in value.split("|")):
            return value
        if key == "tie_model" and _TIE_MODEL.fullmatch(value):
            return value
        return self.p.pseudonym(value, kind="name" if key in _NAME_KEYS else key)

    def attrs(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {key: self.value(str(key), value) for key, value in data.items()}

    def column(self, key: str, values: Any) -> Any:
        array = np.asarray(values)
        if array.dtype.kind in "bf":
            return array
        if array.dtype.kind in "iu" and (
            key in _NUMERIC_KEYS or not array.size or int(np.abs(array).max()) < _SMALL_INT
        ):
            return array
        out = [self.value(key, item) for item in array.tolist()]
        return np.asarray(out, dtype=object if array.dtype.kind == "O" else None)

    def node_ids(self, nodes: Iterable[Hashable]) -> dict[Hashable, str]:
        nodes = list(nodes)
        texts = [str(node) for node in nodes]
        mapped = self.p.map_many(texts)
        result = {node: mapped[text] for node, text in zip(nodes, texts)}
        if len(set(result.values())) != len(result):
            seen: dict[str, Hashable] = {}
            for node, text in zip(nodes, texts):
                if text in seen:
                    raise GraphError(
                        f"nodes {seen[text]!r} and {node!r} are the same text {text!r}; "
                        "cannot give them distinct pseudonyms"
                    )
                seen[text] = node
        return result


def anonymize_graph(G: _T, pseudonymizer: Pseudonymizer) -> _T:
    """A copy of `G` with every identifier, name and other identifying text pseudonymised.

    Parameters
    ----------
    G : networkx graph or CompactGraph
    pseudonymizer : Pseudonymizer

    Returns
    -------
    networkx graph or CompactGraph
        Same class and structure as `G` (a new object; `G` is untouched).

    Raises
    ------
    GraphError
        Two node ids spell the same text (``1`` and ``"1"``).

    Notes
    -----
    Node ids become :meth:`Pseudonymizer.identifier` pseudonyms (an e-mail stays
    recognisable as an e-mail, a Telegram id as ``tg:...``). Attribute values: names and
    labels become the pseudonyms the report shows (``kind="name"``); every other text
    (company, position, URL, file name, group title...) a pseudonym of its attribute's
    kind; ``source``/``sources`` keep reader names (``whatsapp|vcard``) but not other
    text; the tie model's parameters are kept. Numbers, booleans and dates are kept,
    except integers of a million or more in attributes not known to be counts or times
    (a phone number stored as a number), which are pseudonymised. Attribute names are
    kept.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("ada@example.com", "+15550100100", {"weight": 2.0})])
    >>> G.nodes["ada@example.com"]["name"] = "Ada Example"
    >>> H = anonymize_graph(G, Pseudonymizer(secret="tests only"))
    >>> sorted(H.nodes(data="name"))[0][1].startswith("person-")
    True
    >>> [w for *_, w in H.edges(data="weight")]
    [2.0]
    """
    anon = _GraphAnonymizer(pseudonymizer)
    if isinstance(G, CompactGraph):
        ids = anon.node_ids(G.nodes)
        return CompactGraph(
            [ids[node] for node in G.nodes],
            G.adjacency,
            directed=G.directed,
            edge_attrs={k: anon.column(k, v) for k, v in G.edge_attrs.items()},
            node_attrs={k: [anon.value(k, v) for v in col] for k, col in G.node_attrs.items()},
            graph_attrs=anon.attrs(G.graph_attrs),
        )
    if not isinstance(G, nx.Graph):
        raise TypeError(f"expected a networkx graph or a CompactGraph, got {type(G).__name__}")
    ids = anon.node_ids(G.nodes)
    H = G.__class__()
    H.graph.update(anon.attrs(G.graph))
    H.add_nodes_from((ids[node], anon.attrs(data)) for node, data in G.nodes(data=True))
    if G.is_multigraph():
        H.add_edges_from(
            (ids[u], ids[v], anon.value("key", k) if isinstance(k, str) else k, anon.attrs(d))
            for u, v, k, d in G.edges(keys=True, data=True)
        )
    else:
        H.add_edges_from((ids[u], ids[v], anon.attrs(d)) for u, v, d in G.edges(data=True))
    return H
