"""A held-out synthetic person: one user's downloads, with the planted truth of every person.

The bundled sample (:mod:`trustgraph.datasets`, :mod:`trustgraph.sample_exports`) is what the
classes were developed on. :func:`write_synthetic_person` writes a *different* person the way
a real user's downloads look, to measure the report against a truth it was not tuned on
(issue 14): other names, other sizes, other proportions, one folder holding every export::

    linkedin/Connections.csv     ~2,300 declared connections ("Notes:" preamble)
    linkedin/messages.csv        LinkedIn conversations, recruiter and seller InMails
    mail/All mail Including Spam and Trash.mbox
                                 Gmail Takeout: person-to-person mail, cold sales mail and
                                 newsletters with List-Id / List-Unsubscribe / Precedence
    whatsapp/*.txt               one chat per export: 1:1 chats and four groups, the owner
                                 writing under her display name (one phone: one layout)
    contacts.vcf                 the owner's phone book (name, phone, sometimes e-mail)

Planted roles, one per person (:data:`ROLES`), with the behaviour the name promises:

``core`` (about 12)
    Two-way one-to-one WhatsApp chats weekly or more (52 to 85 exchanges a year), recent.
    One of them is the *three-source person*: LinkedIn messages under a profile URL, mail
    under an address and WhatsApp under the phone-book name (equal to the full name), with
    no e-mail or phone linking the three. Two are *linked through the phone book*: their
    card lists name, phone and e-mail, so WhatsApp and mail can be joined.
``circle`` (about 100)
    Two-way exchanges monthly-ish to a few times a year over WhatsApp (3 to 10 a year),
    mail (2 to 5) or LinkedIn (1.5 to 4), the last one recent (within a usual gap and at
    most four months). One is linked through the phone book like the two core above.
``stale`` (about 10)
    Were close (two-way, 12 to 60 exchanges a year) but silent for 2+ years before
    :attr:`SyntheticPerson.as_of`.
``acquaintance`` (about 30)
    A single exchange (one message and its reply) or one message from the owner.
``broadcaster`` (15)
    Five recruiters and sellers sending 100-120 unanswered LinkedIn messages, three cold
    e-mailers sending 100-120 unanswered mails, four newsletters (bulk headers) and three
    senders of only 3-10 unanswered messages.
``group_only`` (about 25)
    Seen only in WhatsApp groups the owner is in, never in a one-to-one conversation.
``stranger`` (about 2,150)
    LinkedIn connections with no conversation.

The truth maps every identifier a reader can produce for a person (e-mail address, E.164
phone, the phone as WhatsApp shows it, profile URL and ``linkedin:`` id, every display name
as written, the ``wa-name:`` id of a WhatsApp author) to ``(person_id, role)``; the
generator refuses to write a folder where one identifier would mean two people.

Identities are fictional: names drawn from lists disjoint from the bundled sample's,
addresses at ``example.com/org/net``, phone numbers ``+1 555 01x 01xx`` (area code 555 is
not in service). Message text is generic filler. The same seed gives byte-identical files.
"""

from __future__ import annotations

import os
from pathlib import Path

from trustgraph.datasets._person_files import (
    _connections_csv,
    _mbox,
    _messages_csv,
    _people,
    _truth,
    _vcard,
    _whatsapp_chats,
)
from trustgraph.datasets._person_model import (
    _MAILBOX,
    _OWNER_EMAIL,
    _OWNER_NAME,
    _OWNER_PHONE,
    _OWNER_URL,
    AS_OF,
    OWNER_ID,
    ROLES,
    PlantedMessage,
    PlantedPerson,
    SyntheticPerson,
)
from trustgraph.datasets._person_plan import _plan
from trustgraph.exceptions import IngestError
from trustgraph.ingest.atomic import write_texts

__all__ = [
    "AS_OF",
    "OWNER_ID",
    "ROLES",
    "PlantedMessage",
    "PlantedPerson",
    "SyntheticPerson",
    "write_synthetic_person",
]


def write_synthetic_person(
    folder: str | os.PathLike[str], *, seed: int = 0, overwrite: bool = False
) -> SyntheticPerson:
    """Write one synthetic person's downloads into `folder` and return the planted truth.

    Parameters
    ----------
    folder : path
        Target folder; created (with its parents) when missing.
    seed : int, default 0
        Randomness of the people, their sizes and every message. Even seeds write the
        WhatsApp chats in the Android layout, odd seeds in the iOS layout (one phone, one
        layout).
    overwrite : bool, default False
        Replace existing files. Without it nothing is written if any target exists.

    Returns
    -------
    SyntheticPerson
        The owner's identifiers, the as-of date, the truth and the generator's records.

    Raises
    ------
    IngestError
        If a file exists and `overwrite` is false, or `folder` is a file.

    See Also
    --------
    trustgraph.sample_exports.write_sample_exports : the bundled sample as exports.

    Notes
    -----
    The roles, their sizes and behaviour are listed in the module docstring. Layouts
    follow FORMATS.md (and the writing helpers of :mod:`trustgraph.sample_exports`):
    Connections.csv with the ``Notes:`` preamble, a few rows with a hidden name or with
    credentials after the last name and a few with the address shown; messages.csv newest
    first; a Takeout mbox (envelope with the zone before the year, ``X-Gmail-Labels``,
    RFC 2047 names); WhatsApp day-first; vCard 3.0 with CRLF line ends. The folder is
    about 1.6 MB; the same seed gives byte-identical files.

    Examples
    --------
    >>> import tempfile
    >>> person = write_synthetic_person(tempfile.mkdtemp(), seed=3)
    >>> person.me[2], person.as_of.isoformat()
    ('Maren Example', '2025-09-30')
    >>> person.role_counts()["core"] in (11, 12, 13)
    True
    >>> pid = person.by_role("core")[0]
    >>> person.role_of(pid), pid in person.trusted_people()
    ('core', True)
    """
    plan = _plan(int(seed))
    people = _people(plan)
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise IngestError("is a file, expected a folder for the synthetic exports", path=target)
    contents: dict[str, tuple[Path, str]] = {
        "connections": (target / "linkedin" / "Connections.csv", _connections_csv(people)),
        "messages": (target / "linkedin" / "messages.csv", _messages_csv(plan, people)),
        "mbox": (target / "mail" / _MAILBOX, _mbox(plan, people)),
        "vcard": (target / "contacts.vcf", _vcard(people)),
    }
    chats = _whatsapp_chats(plan, people)
    for name, text in chats.values():
        contents[f"whatsapp:{name}"] = (target / "whatsapp" / name, text)
    write_texts(contents.values(), overwrite=overwrite)
    authors = {m.sender for m in plan.messages if m.source == "whatsapp"}
    whatsapp_names = {people[p].whatsapp_name or "" for p in authors if p != OWNER_ID}
    return SyntheticPerson(
        folder=target,
        seed=int(seed),
        owner_email=_OWNER_EMAIL,
        owner_phone=_OWNER_PHONE,
        owner_name=_OWNER_NAME,
        owner_url=_OWNER_URL,
        as_of=AS_OF,
        truth=_truth(people, whatsapp_names),
        people=people,
        messages=tuple(plan.messages),
        files={key: path for key, (path, _) in contents.items()},
        chat_files={cid: target / "whatsapp" / name for cid, (name, _) in chats.items()},
    )
