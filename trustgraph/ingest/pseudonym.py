"""Stable, keyed pseudonyms for names and identifiers (``--anonymize``).

A pseudonym is an HMAC-SHA256 of the original under a per-user secret, never a bare hash:
a bare hash of an e-mail address can be reversed by hashing a list of candidate addresses,
a keyed one cannot without the secret. The secret is 32 random bytes kept in the user's
config directory (``$XDG_CONFIG_HOME/trustgraph/secret``, else
``~/.config/trustgraph/secret``), created once, atomically, with mode 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from trustgraph.exceptions import TrustGraphError
from trustgraph.ingest.identity import identifier_kind

__all__ = ["Pseudonymizer", "default_secret_path", "load_or_create_secret"]

_SECRET_BYTES = 32


def default_secret_path() -> Path:
    """Return ``$XDG_CONFIG_HOME/trustgraph/secret`` or ``~/.config/trustgraph/secret``.

    Examples
    --------
    >>> default_secret_path().name
    'secret'
    """
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base.strip() else Path.home() / ".config"
    return root / "trustgraph" / "secret"


def load_or_create_secret(path: str | os.PathLike[str] | None = None) -> bytes:
    """Read the pseudonym secret, creating it (mode 0600) if it does not exist yet.

    Creation is atomic: the secret is written to a private temporary file in the same
    folder and hard-linked into place, which fails if another process created the file
    first; that process's secret is then used. An existing file is never overwritten.

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
    target = Path(path) if path is not None else default_secret_path()
    if not target.exists():
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _create_secret(target)
        except OSError as exc:
            raise TrustGraphError(f"{target}: cannot create the pseudonym secret: {exc}") from None
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
    return secret


def _create_secret(target: Path) -> None:
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_bytes(_SECRET_BYTES).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)  # in case a umask or filesystem widened it
        with contextlib.suppress(FileExistsError):  # another process won the race
            os.link(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class Pseudonymizer:
    """Map names and identifiers to stable, readable pseudonyms such as ``person-3f9a1c``.

    Parameters
    ----------
    secret : bytes or str or None
        The key. None reads (or creates) the per-user secret file; tests pass a value.
    secret_path : path-like or None
        Where the per-user secret lives when `secret` is None.
    prefix : str, default "person"
        Word in front of the digest.
    digits : int, default 6
        Hex digits of the digest shown (24 bits). :meth:`map_many` lengthens the pseudonyms
        of values that collide, so a batch never maps two originals to one pseudonym.

    Notes
    -----
    The pseudonym of a value is ``HMAC-SHA256(secret, kind + "\\0" + value)``: the same
    value gets the same pseudonym on every run with the same secret, a different secret
    gives unrelated pseudonyms, and nothing of the original survives (an e-mail address
    becomes ``person-3f9a1c@pseudonym.invalid``: the ``.invalid`` top-level domain is
    reserved by RFC 2606 and can never be a real address).

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
        digits: int = 6,
    ) -> None:
        if secret is None:
            secret = load_or_create_secret(secret_path)
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if not secret:
            raise ValueError("the pseudonym secret must not be empty")
        if not 4 <= digits <= 64:
            raise ValueError(f"digits must be between 4 and 64, got {digits}")
        self._key = bytes(secret)
        self.prefix = prefix
        self.digits = digits

    def _digest(self, value: str, kind: str) -> str:
        message = f"{kind}\0{value}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def pseudonym(self, value: str, *, kind: str = "id", digits: int | None = None) -> str:
        """Return ``<prefix>-<hex>`` for `value`.

        `kind` separates namespaces: the name "Ada" and an id "Ada" get different
        pseudonyms unless both are pseudonymised with the same kind.
        """
        size = self.digits if digits is None else digits
        return f"{self.prefix}-{self._digest(value, kind)[:size]}"

    def identifier(self, identifier: str, *, digits: int | None = None) -> str:
        """Pseudonymise a normalised identifier, keeping only its kind recognisable.

        E-mail addresses become ``person-xxxxxx@pseudonym.invalid``, phone numbers and
        scoped names ``person-xxxxxx``, platform ids ``tg:person-xxxxxx``.

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
        """Pseudonymise many identifiers at once, guaranteeing distinct outputs.

        Values whose short pseudonyms collide get longer digests (as many hex digits as
        needed to tell them apart); which values collide depends only on the set of values
        and the secret, not on their order.

        Examples
        --------
        >>> p = Pseudonymizer(secret="k")
        >>> m = p.map_many(["ada@example.com", "bo@example.org"])
        >>> len(set(m.values()))
        2
        """
        unique = list(dict.fromkeys(identifiers))
        size = {value: self.digits for value in unique}
        while True:
            seen: dict[str, list[str]] = {}
            for value in unique:
                seen.setdefault(self.identifier(value, digits=size[value]), []).append(value)
            clashes = [group for group in seen.values() if len(group) > 1]
            if not clashes:
                return {value: self.identifier(value, digits=size[value]) for value in unique}
            for group in clashes:
                for value in group:
                    size[value] += 2
