"""Identifiers: the normalised strings by which every reader names people.

Every reader names people by **normalised identifiers**, so that the same person seen in two
exports gets the same string:

=================  ==============================  ========================================
kind               form                            made by
=================  ==============================  ========================================
e-mail             ``ada@example.com``             :func:`normalize_email`
phone              ``+15550100100`` (E.164)        :func:`~.phones.normalize_phone`
LinkedIn profile   ``linkedin:ada-example-0001``   :func:`linkedin_id` (:func:`linkedin_slug`)
platform account   ``tg:100000001``, ``wa:+1555…`` :func:`platform_id`
scoped name        ``wa-name:bo sample``           :func:`name_id` (a hint, never a join key)
=================  ==============================  ========================================

:mod:`trustgraph.ingest.identity` merges people on them.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from trustgraph.ingest.phones import DEFAULT_REGION, normalize_phone

__all__ = [
    "identifier_kind",
    "identifier_rank",
    "linkedin_id",
    "linkedin_slug",
    "name_id",
    "normalize_email",
    "normalize_identifier",
    "platform_id",
    "repair_mojibake",
]

# ---------------------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"^[^\s@<>(),;:\"\[\]]+@[^\s@<>(),;:\"\[\]]+\.[^\s@<>(),;:\"\[\]]+$")
# A local host name (one DNS label), for addresses that mail headers carry (``ana@laptop``).
_DOTLESS_RE = re.compile(
    r"^[^\s@<>(),;:\"\[\]]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$|" + _EMAIL_RE.pattern
)


def normalize_email(value: str | None, *, dotless_host: bool = False) -> str | None:
    """Return the lower-cased, stripped address, or None if `value` is not an address.

    Angle brackets and a ``mailto:`` prefix are removed. The whole address is lower-cased:
    local parts are case-sensitive in theory but not at any provider people use, and
    "Ada@Example.com" and "ada@example.com" must be one person.

    Parameters
    ----------
    value : str or None
        A raw address cell or header fragment.
    dotless_host : bool, default False
        Accept a host name without a dot (``ana@laptop``), as RFC 5322 does and as local
        mail (Mutt, cron, ``/var/mail``) writes it; the mail readers pass True for the
        addresses of From/To/Cc headers. Elsewhere (a spreadsheet cell) such a value is
        more often a typo than an address, and is refused.

    Returns
    -------
    str or None
        The normalised address; None for an empty or malformed value (``not-an-email``).

    References
    ----------
    .. [1] P. Resnick (ed.), "Internet Message Format", RFC 5322, 2008 (section 3.4).

    Examples
    --------
    >>> normalize_email("  <Ada@Example.COM> ")
    'ada@example.com'
    >>> normalize_email("mailto:bo@example.org")
    'bo@example.org'
    >>> normalize_email("not-an-email") is None
    True
    >>> normalize_email("Ana@Laptop") is None, normalize_email("Ana@Laptop", dotless_host=True)
    (True, 'ana@laptop')
    """
    if not value:
        return None
    text = value.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    text = text.lower()
    if not (_DOTLESS_RE if dotless_host else _EMAIL_RE).match(text):
        return None
    return text


# ---------------------------------------------------------------------------------------
# Platform identifiers and profile URLs
# ---------------------------------------------------------------------------------------

_PREFIX_RE = re.compile(r"^([a-z][a-z0-9_]*(?:-name)?):(.+)$")


def linkedin_slug(url: str | None) -> str | None:
    """Return the profile slug of a LinkedIn profile URL, lower-cased, or None.

    Accepts ``https://www.linkedin.com/in/<slug>/``, country subdomains, missing scheme,
    query strings and percent-encoded slugs. Anything else (``javascript:`` URLs, company
    pages, plain text) gives None.

    Examples
    --------
    >>> linkedin_slug("https://www.linkedin.com/in/Ada-Example-0001/?trk=x")
    'ada-example-0001'
    >>> linkedin_slug("uk.linkedin.com/in/bo-sample-0002")
    'bo-sample-0002'
    >>> linkedin_slug("javascript:alert(1)") is None
    True
    """
    if not url:
        return None
    text = url.strip()
    if "://" not in text:
        if not re.match(r"^(?:[\w-]+\.)*linkedin\.com/", text, re.IGNORECASE):
            return None
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in ("in", "pub"):
        return None
    slug = unquote(segments[1]).strip().lower()
    return slug or None


def linkedin_id(url: str | None) -> str | None:
    """Return ``linkedin:<slug>`` for a profile URL, or None (see :func:`linkedin_slug`).

    Examples
    --------
    >>> linkedin_id("https://www.linkedin.com/in/ada-example-0001")
    'linkedin:ada-example-0001'
    """
    slug = linkedin_slug(url)
    return None if slug is None else f"linkedin:{slug}"


def platform_id(platform: str, value: str | int) -> str:
    """Return a platform-scoped account id such as ``tg:100000001`` or ``slack:U012AB``.

    The platform name is lower-cased; the value is stripped and kept as is (account ids
    are case-sensitive on some platforms).

    Examples
    --------
    >>> platform_id("TG", 100000001)
    'tg:100000001'
    """
    platform = platform.strip().lower()
    text = str(value).strip()
    if not platform or not text:
        raise ValueError("platform_id needs a platform and a non-empty value")
    return f"{platform}:{text}"


def _fold_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return " ".join(text.split()).casefold()


def name_id(platform: str, name: str) -> str:
    """Return a name-based id scoped to one platform, e.g. ``wa-name:bo sample``.

    Used only where a source names people by display name alone (WhatsApp contacts saved
    in the phone, LinkedIn members without a profile URL). Such ids never join across
    sources by themselves: see :func:`merge_identities`.

    Examples
    --------
    >>> name_id("wa", "  Bo   SAMPLE ")
    'wa-name:bo sample'
    """
    folded = _fold_name(name)
    if not folded:
        raise ValueError("name_id needs a non-empty name")
    return f"{platform.strip().lower()}-name:{folded}"


def identifier_kind(identifier: str) -> str:
    """Classify a normalised identifier: ``email``, ``phone``, ``name`` or its platform.

    Examples
    --------
    >>> [identifier_kind(i) for i in ("ada@example.com", "+15550100100", "tg:1",
    ...                               "wa-name:bo sample", "linkedin:ada")]
    ['email', 'phone', 'tg', 'name', 'linkedin']
    """
    if re.fullmatch(r"\+\d{8,15}", identifier):
        return "phone"
    match = _PREFIX_RE.match(identifier)
    if match and "@" not in match.group(1):
        prefix = match.group(1)
        return "name" if prefix.endswith("-name") else prefix
    if "@" in identifier:
        return "email"
    return "other"


def normalize_identifier(value: str, *, default_region: str | None = DEFAULT_REGION) -> str | None:
    """Normalise one ``--me`` style identifier of unknown kind, or None for a plain name.

    E-mail addresses, phone numbers, LinkedIn profile URLs and already prefixed platform
    ids (``tg:123``) are recognised; anything else is treated as a display name, which is
    not an identifier (readers match names within their own source).

    Examples
    --------
    >>> normalize_identifier("Ada@Example.com")
    'ada@example.com'
    >>> normalize_identifier("+1 (555) 010-0100")
    '+15550100100'
    >>> normalize_identifier("https://www.linkedin.com/in/ada-example-0001")
    'linkedin:ada-example-0001'
    >>> normalize_identifier("Ada Example") is None
    True
    """
    text = value.strip()
    if not text:
        return None
    if "@" in text and " " not in text and not text.startswith("@"):
        return normalize_email(text)
    if "linkedin.com" in text.lower():
        return linkedin_id(text)
    phone = normalize_phone(text, default_region=default_region)
    if phone is not None:
        return phone
    match = _PREFIX_RE.match(text)
    if match and " " not in match.group(1):
        return f"{match.group(1).lower()}:{match.group(2).strip()}"
    return None


# ---------------------------------------------------------------------------------------
# Mojibake repair (UTF-8 bytes decoded as latin-1 / cp1252)
# ---------------------------------------------------------------------------------------

# A UTF-8 lead byte read as latin-1 (Â..ô) followed by a continuation byte read as latin-1
# (U+0080..U+00BF) or as one of the cp1252 specials in 0x80..0x9F.
_MOJIBAKE_RE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _to_bytes_as_read(text: str) -> bytes | None:
    # Undo the wrong decoding: every character back to the single byte it was read from.
    out = bytearray()
    for char in text:
        code = ord(char)
        if code < 0x100:
            out.append(code)
            continue
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            return None
    return bytes(out)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as latin-1/cp1252 (``RenÃ©e`` -> ``Renée``).

    The repair is guarded: it is applied only when the text contains mojibake markers, the
    re-encoded bytes decode as valid UTF-8, and the result has fewer markers. Text that is
    already correct (``Renée``, curly quotes, emoji) is returned unchanged.

    Examples
    --------
    >>> repair_mojibake("RenÃ©e Placeholder")
    'Renée Placeholder'
    >>> repair_mojibake("Renée Placeholder")
    'Renée Placeholder'
    """
    before = len(_MOJIBAKE_RE.findall(text))
    if before == 0:
        return text
    raw = _to_bytes_as_read(text)
    if raw is None:
        return text
    try:
        repaired = raw.decode("utf-8")
    except UnicodeDecodeError:
        return text
    if len(_MOJIBAKE_RE.findall(repaired)) >= before:
        return text
    return repaired


# ---------------------------------------------------------------------------------------
# Which identifier names a person
# ---------------------------------------------------------------------------------------

_KIND_RANK = {"email": 0, "phone": 1, "linkedin": 2, "name": 9, "other": 8}


def identifier_rank(identifier: str) -> int:
    """How good a canonical id `identifier` makes: e-mail first, scoped names last.

    Examples
    --------
    >>> sorted(["wa-name:bo", "+15550100100", "bo@example.org"], key=identifier_rank)
    ['bo@example.org', '+15550100100', 'wa-name:bo']
    """
    return _KIND_RANK.get(identifier_kind(identifier), 3)
