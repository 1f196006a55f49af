"""Names: records of one person that share no identifier but a full name.

:func:`full_name_key` folds a display name to the key two records must share, and
:class:`_NameMerger` decides, from how often names repeat within each source, whether a
shared name across sources is enough to merge (see
:func:`~trustgraph.ingest.identity.merge_identities`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from trustgraph.ingest.identifiers import identifier_kind, identifier_rank
from trustgraph.ingest.records import Contact, NameMerge, ProbableDuplicate
from trustgraph.ingest.unionfind import _UnionFind

__all__ = ["full_name_key"]

# ---------------------------------------------------------------------------------------
# Names: probable duplicates across sources
# ---------------------------------------------------------------------------------------

_CREDENTIALS = {
    "phd", "md", "mba", "pmp", "cfa", "cpa", "esq", "jr", "sr", "ii", "iii", "iv", "msc",
    "bsc", "ma", "ba", "mphil", "dds", "rn", "pe", "ceng", "frcs", "obe", "mbe",
}  # fmt: skip
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"}
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\"[^\"]*\"|“[^”]*”")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
# Accounts a person often holds several of (work and private addresses): two records with
# different ones are not merged on a name but listed, while two phone numbers or profiles
# of one platform mean two people.
_SOFT_KINDS = ("email",)


def _fold_letters(text: str) -> str:
    """Case-folded, accents removed (``Aurélie`` and ``Aurelie`` fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def full_name_key(name: str | None) -> str | None:
    """The comparison key of a full name, or None when it is not a full name.

    Case, accents, punctuation, honorifics (``Dr``), bracketed or quoted nicknames and
    trailing credentials (``Rao, PMP``) are dropped; ``Sample, Bo`` reads as ``Bo
    Sample``. At least two words of two or more letters are needed: a first name alone, an
    address or a phone number is not a full name.

    Examples
    --------
    >>> full_name_key("Farah Rao, PMP"), full_name_key("DR. farah  RAO")
    ('farah rao', 'farah rao')
    >>> full_name_key("Sample, Bo"), full_name_key("Aurélie (Lili) Salo")
    ('bo sample', 'aurelie salo')
    >>> full_name_key("Bo") is None, full_name_key("bo@example.org") is None
    (True, True)
    """
    if not name or "@" in name:
        return None
    text = _BRACKETED.sub(" ", unicodedata.normalize("NFKC", name))
    if "," in text:
        head, _, tail = text.partition(",")
        tail_words = _PUNCTUATION.sub(" ", _fold_letters(tail)).split()
        head_words = head.split()
        if all(w in _CREDENTIALS for w in tail_words):
            text = head
        elif len(head_words) == 1 and 1 <= len(tail_words) <= 2:
            text = f"{tail} {head}"  # "Last, First"
        else:
            text = text.replace(",", " ")
    words = _PUNCTUATION.sub(" ", _fold_letters(text).replace("'", "")).split()
    while words and words[0] in _HONORIFICS:
        words = words[1:]
    while words and words[-1] in _CREDENTIALS:
        words = words[:-1]
    if sum(len(w) >= 2 and not w.isdigit() for w in words) < 2:
        return None
    return " ".join(words)


def _scoped_name(identifier: str) -> str | None:
    """The folded name inside a scoped name id (``wa-name:bo sample`` -> ``bo sample``;
    ``linkedin-name:bo sample | acme`` -> ``bo sample``), else None."""
    prefix, sep, rest = identifier.partition(":")
    if not sep or not prefix.endswith("-name"):
        return None
    return rest.split(" | ", 1)[0].strip().removeprefix("~ ") or None


def _account_kind(identifier: str) -> str:
    """The kind of account an identifier names: one person has at most one of each
    (except e-mail addresses); scoped names count per platform."""
    kind = identifier_kind(identifier)
    if kind == "name":
        return identifier.partition(":")[0]
    return kind


class _NameMerger:
    """Find records of one person that share no identifier but a full name.

    Works on the identifier groups of the resolver (after identifiers, phone-book names and
    the identities file have joined what they can) and merges them in an overlay, so the
    identifier unions stay as they are.

    How much a shared name proves depends on how often names repeat in these inputs. The
    namesakes *within* one source (two LinkedIn connections called Ada Ziegler are two
    people) estimate the number of distinct names people are drawn from: ``n`` records
    with ``k`` namesake pairs suggest ``N = n**2 / (2 k)`` names (the birthday problem),
    pooled over the sources and smoothed by a prior worth a thousand records drawn from a
    million names. The chance that a record's name is shared by an unrelated person of a
    source holding ``m`` records is then about ``m / N``.
    """

    #: Above this chance of a coincidental namesake, a shared name is not enough to merge.
    MAX_COINCIDENCE = 0.05
    #: At or below this chance (and with three sources or a three-word name): "high".
    HIGH_COINCIDENCE = 0.01
    _PRIOR_RECORDS, _PRIOR_NAMES = 1_000, 1_000_000

    def __init__(
        self,
        contacts: Sequence[Contact],
        mapping: dict[str, str],
        *,
        name_merge: bool,
        order: dict[str, int],
    ) -> None:
        self.name_merge = name_merge
        self.order = order
        self.base = mapping
        self.members: dict[str, set[str]] = {}
        for identifier, canon in mapping.items():
            self.members.setdefault(canon, set()).add(identifier)
        self.sources: dict[str, set[str]] = {}
        self.names: dict[str, dict[str, str]] = {}  # canon -> {key: name as written}
        by_source: dict[str, dict[str, set[str]]] = {}  # source -> key -> canons
        for contact in contacts:
            canon = mapping[contact.identifiers[0]]
            families = {_source_family(s) for s in contact.source.split("|") if s}
            self.sources.setdefault(canon, set()).update(families)
            key = full_name_key(contact.display_name)
            if key is None:
                continue
            self.names.setdefault(canon, {}).setdefault(key, contact.display_name or "")
            for family in families:
                by_source.setdefault(family, {}).setdefault(key, set()).add(canon)
        self.named = {s: sum(map(len, keys.values())) for s, keys in by_source.items()}
        pairs = sum(
            len(c) * (len(c) - 1) / 2 for keys in by_source.values() for c in keys.values()
        )
        squares = sum(n * n for n in self.named.values())
        prior_pairs = self._PRIOR_RECORDS**2 / (2 * self._PRIOR_NAMES)
        self.namespace = (squares + self._PRIOR_RECORDS**2) / (2 * (pairs + prior_pairs))
        self.overlay = _UnionFind()
        self.merges: list[tuple[list[str], str, str, str, tuple[str, ...], float]] = []
        self.listed: list[tuple[list[str], str, str]] = []

    def coincidence(self, sources: Iterable[str]) -> float:
        """The chance that an unrelated person of the largest of `sources` has the name."""
        largest = max((self.named.get(s, 0) for s in sources), default=0)
        return min(1.0, largest / self.namespace)

    def _conflict(
        self, a: set[str], b: set[str], sources_a: set[str], sources_b: set[str]
    ) -> str | None:
        """Why records `a` and `b` cannot be one person, or None."""
        if sources_a & sources_b:
            return f"both from {sorted(sources_a & sources_b)[0]}"
        kinds_a = {_account_kind(i) for i in a} - {"other"}
        kinds_b = {_account_kind(i) for i in b} - {"other"}
        common = sorted(kinds_a & kinds_b)
        hard = [k for k in common if k not in _SOFT_KINDS]
        if hard:
            return f"different {_KIND_WORDS.get(hard[0], hard[0] + ' accounts')}"
        if common:
            return "different e-mail addresses"
        return None

    def apply(self) -> dict[str, str]:
        """Merge (or list) same-name records; return the final identifier -> canonical map."""
        buckets: dict[str, list[str]] = {}
        for canon, keys in self.names.items():
            for key in keys:
                buckets.setdefault(key, []).append(canon)
        parts = {c: (set(ids), set(self.sources.get(c, ()))) for c, ids in self.members.items()}
        for canon in self.members:
            self.overlay.add(canon)
        for key in sorted(buckets):
            roots = list(dict.fromkeys(self.overlay.find(c) for c in buckets[key]))
            if len(roots) < 2:
                continue
            conflicts = []
            for i, r in enumerate(roots):
                for q in roots[i + 1 :]:
                    why = self._conflict(parts[r][0], parts[q][0], parts[r][1], parts[q][1])
                    if why is not None:
                        conflicts.append(why)
            # Show the plainest spelling ("Farah Rao" rather than "Farah Rao, PMP").
            written = {self.names[c][key] for c in buckets[key]}
            name = min(written, key=lambda n: (bool(re.search(r"[,(\[\"“]", n)), len(n), n))
            sources = tuple(sorted(set().union(*(parts[r][1] for r in roots))))
            chance = self.coincidence(sources)
            if conflicts:
                if len(conflicts) < len(roots) * (len(roots) - 1) // 2:
                    self.listed.append(
                        (
                            roots,
                            name,
                            f"{len(roots)} records share this full name and some cannot be "
                            f"one person ({conflicts[0]}): probably the same person, but "
                            "which is unclear",
                        )
                    )
                continue
            if chance > self.MAX_COINCIDENCE:
                self.listed.append(
                    (
                        roots,
                        name,
                        f"same full name in {_and(sources)}, no conflicting identifier, but "
                        f"names repeat often in these inputs (an unrelated namesake about "
                        f"{_one_in(chance)}): probably the same person, not merged",
                    )
                )
                continue
            if not self.name_merge:
                self.listed.append(
                    (
                        roots,
                        name,
                        f"same full name in {_and(sources)}, no conflicting identifier: "
                        "probably the same person (not merged: name merging is off)",
                    )
                )
                continue
            ids, merged_sources = set(), set()
            for root in roots:
                ids |= parts[root][0]
                merged_sources |= parts[root][1]
                self.overlay.union(roots[0], root)
            parts[self.overlay.find(roots[0])] = (ids, merged_sources)
            strong = len(sources) >= 3 or len(key.split()) >= 3
            confidence = "high" if strong and chance <= self.HIGH_COINCIDENCE else "medium"
            self.merges.append((roots, key, name, confidence, sources, chance))
        mapping: dict[str, str] = {}
        final: dict[str, list[str]] = {}
        for identifier, canon in self.base.items():
            final.setdefault(self.overlay.find(canon), []).append(identifier)
        order = self.order
        for members in final.values():
            best = min(members, key=lambda i: (identifier_rank(i), order[i]))
            for member in members:
                mapping[member] = best
        return mapping

    def results(self, mapping: dict[str, str]) -> tuple[list[NameMerge], list[ProbableDuplicate]]:
        merges = []
        for roots, _key, name, confidence, sources, chance in self.merges:
            kept = mapping[roots[0]]
            absorbed = sorted(
                {i for r in roots if kept not in self.members[r] for i in self.members[r]},
                key=lambda i: (identifier_rank(i), i),
            )
            reason = (
                f"same full name in {_and(sources)}, no conflicting identifier "
                f"(confidence: {confidence}; an unrelated namesake about {_one_in(chance)})"
            )
            merges.append(NameMerge(kept, tuple(absorbed), reason, confidence, name, sources))
        listed = []
        for roots, name, why in self.listed:
            nodes = tuple(dict.fromkeys(mapping[r] for r in roots))
            if len(nodes) > 1:
                reason = f"{why}; to merge them, put their ids on one line of an --identities file"
                listed.append(ProbableDuplicate(nodes, reason, name))
        return merges, listed


def _one_in(chance: float) -> str:
    """``'1 in 2,700'`` for 0.00037."""
    if chance <= 0:
        return "never"
    n = 1 / chance
    n = round(n, -len(str(int(n))) + 2) if n >= 100 else round(n)
    return f"1 in {int(n):,}"


_KIND_WORDS = {
    "phone": "phone numbers",
    "linkedin": "LinkedIn profiles",
    "wa-name": "WhatsApp names",
    "linkedin-name": "LinkedIn members",
}
_SOURCE_FAMILIES = {
    "mbox": "mail",
    "maildir": "mail",
    "google-contacts": "phone book",
    "vcard": "phone book",
}


def _source_family(source: str) -> str:
    """Sources that hold one kind of record: two mailboxes are one mail source."""
    return _SOURCE_FAMILIES.get(source, source)


def _and(items: Iterable[str]) -> str:
    words = list(items)
    if len(words) <= 1:
        return "".join(words) or "one source"
    return ", ".join(words[:-1]) + " and " + words[-1]
