"""Structure-aware hypothesis strategies, one per input format.

Each strategy draws a document of the right shape with realistic values (so the reader
gets past its format checks), with hostile values mixed in at the leaves; JSON documents
are then mutated at any level (:func:`~fuzz.strategies.mutate_json`). The shapes follow
``../shared/FORMATS.md``; every identifier is synthetic.
"""

from __future__ import annotations

import functools
import html
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from .strategies import (
    EPOCHS,
    Case,
    csv_bytes,
    dump_json,
    encode_text,
    hostile_json,
    hostile_number,
    hostile_text,
    json_file,
    lines_bytes,
    mutate_json,
    timestamp_text,
)

NAMES = ("Ada Example", "Bo Sample", "Cy Placeholder", "Renée Placeholder", "You", "Bo-Bo")
EMAILS = ("ada@example.com", "bo@example.org", "cy@example.net", "Ada@Example.com")
PHONES = ("+1 555 010 0100", "+15550100101", "555-0100", "+44 20 7946 0000", "+999999999999999")
URLS = (
    "https://www.linkedin.com/in/ada-example-0001",
    "https://www.linkedin.com/in/bo-sample-0002",
    "http://example.com/",
    "javascript:alert(1)",
)
IDENTITIES = NAMES + EMAILS + PHONES + URLS + ("tg:100000001", "U0ADA0001", "x:222000111")

names = functools.partial(hostile_text, realistic=NAMES)
emails = functools.partial(hostile_text, realistic=EMAILS)
phones = functools.partial(hostile_text, realistic=PHONES)
urls = functools.partial(hostile_text, realistic=URLS)


def _pick(*values: Any) -> st.SearchStrategy[Any]:
    try:
        return _cached_pick(values)
    except TypeError:  # unhashable choices
        return st.sampled_from(values)


@functools.cache
def _cached_pick(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy, strategy, hostile_json())


# ============================================================================ text formats
# ----------------------------------------------------------------------------- WhatsApp
_MARKS = (
    "AM",
    "PM",
    "am",
    "pm",
    "a. m.",
    "p. m.",
    "a.m.",
    "p.m.",
    "上午",
    "下午",
    "午前",
    "오후",
    "A",
    "pm.",
)
_SPACES = (" ", "\u202f", "\u00a0", "", "  ")
_BODIES = (
    "hi",
    "",
    "a: b",
    "<Media omitted>",
    "\u200e<attached: 00000012-PHOTO.jpg>",
    "image omitted",
    "This message was deleted",
    "You deleted this message",
    ":",
    ": ",
)
_SYSTEM = (
    "Messages and calls are end-to-end encrypted.",
    'Ada Example created group "a: b"',
    "Ada Example added Bo Sample",
    "You were added",
    "Bo Sample left",
    'Ada changed the subject to "x: y"',
    "Ada Example grubunu oluşturdu",
)
_AUTHORS = (
    "Ada Example",
    "Bo Sample",
    "",
    " ",
    "\u200e",
    "\u200e\u200e",
    "~",
    "~\u202fCy",
    "~ Cy",
    "+1 555 010 0199",
    "+999999999999999999999",
    "(555) 010-0199",
    "Ada: Example",
    "You",
    "\u202e",
    "\ufeff",
    "[/b]",
    "a" * 100,
    "Bo-Bo Sample",
    "\x00",
)


@functools.cache
@st.composite
def whatsapp_line(draw: st.DrawFn) -> str:
    day = draw(st.one_of(st.integers(1, 31), st.integers(0, 99)))
    month = draw(st.one_of(st.integers(1, 12), st.integers(0, 99)))
    year = draw(st.one_of(st.sampled_from((24, 2024, 1970, 99)), st.integers(0, 9999)))
    order = draw(_pick("dmy", "mdy", "ymd"))
    sep = draw(_pick("/", "/", ".", "-"))
    fields = {"dmy": (day, month, year), "mdy": (month, day, year), "ymd": (year, month, day)}
    pad = draw(st.booleans())
    date = sep.join(f"{v:02d}" if pad else str(v) for v in fields[order])
    hour = draw(st.one_of(st.integers(0, 23), st.integers(0, 99)))
    minute = draw(st.one_of(st.integers(0, 59), st.integers(0, 99)))
    time = f"{hour}:{minute:02d}" + (
        f":{draw(st.integers(0, 99)):02d}" if draw(st.booleans()) else ""
    )
    mark = ""
    if draw(st.booleans()):
        mark = draw(st.sampled_from(_SPACES)) + draw(st.sampled_from(_MARKS))
    if draw(st.integers(0, 7)) == 0:
        time = draw(st.sampled_from(_MARKS)) + draw(st.sampled_from(_SPACES)) + time
    comma = draw(_pick(", ", ", ", " ", ","))
    if draw(st.integers(0, 5)) == 0:
        rest = draw(st.sampled_from(_SYSTEM))
    else:
        author = draw(st.one_of(st.sampled_from(_AUTHORS), names()))
        body = draw(st.one_of(st.sampled_from(_BODIES), hostile_text()))
        rest = f"{author}{draw(_pick(': ', ': ', ':'))}{body}"
    lead = draw(_pick("", "", "\u200e", "\ufeff"))
    if draw(st.booleans()):
        return f"{lead}{date}{comma}{time}{mark} {draw(_pick('-', '-', '–'))} {rest}"
    return f"{lead}[{date}{comma}{time}{mark}]{draw(_pick(' ', ' ', ''))}{rest}"


@functools.cache
@st.composite
def whatsapp_chat(draw: st.DrawFn) -> bytes:
    lines = draw(
        st.lists(
            st.one_of(whatsapp_line(), whatsapp_line(), hostile_text()), min_size=1, max_size=8
        )
    )
    return draw(lines_bytes(lines))


@functools.cache
def whatsapp_case() -> st.SearchStrategy[Case]:
    name = _pick("WhatsApp Chat with Bo Sample.txt", "_chat.txt", "WhatsApp Chat - Book club.txt")
    return st.builds(lambda n, d: Case(((n, d),), (n,)), name, whatsapp_chat())


# ----------------------------------------------------------------------------- e-mail
_DATES = (
    "Thu, 14 Mar 2024 09:05:12 +0000",
    "Fri, 31 Dec 9999 23:59:59 -1200",
    "Mon, 01 Jan 0001 00:00:00 +1400",
    "14 Mar 2024 09:05:12 GMT",
    "Thu, 30 Feb 2024 25:61:61 +9999",
    "",
    "garbage",
    "Thu, 14 Mar 99999 09:05:12 +0000",
    "1710407112",
    "Thu, 14 Mar 2024 09:05:12 -0000 (UTC)",
    "Thu, 14 Mar 2024 09:05:12 +2400",
    "Thu, 14 Mar 1 09:05:12 +0000",
    "Thu, 14 Mar 2024",
    "=?utf-8?B?Zm9v?=",
    "Sat, 00 Jan 2024 00:00:00 +0000",
    "Thu, 14 Mar 2024 09:05:12 +00000000000000000001",
)
_ADDRESSES = (
    "Ada Example <ada@example.com>",
    "bo@example.org",
    "=?UTF-8?Q?Ren=C3=A9e?= <r@x.net>",
    "=?bogus?Q?x?= <x@y>",
    "=?utf-8?B?####?= <x@y>",
    '"Bo [/b] Sample" <bo@example.org>',
    "undisclosed-recipients:;",
    "<>",
    "a@b@c",
    "@",
    ",,,",
    "friends: a@x.com, b@y.com;",
    "noreply@example.com",
    '"" <>',
    "ada@example.com, bo@example.org (Bo)",
    "=?utf-8?q?=FF=FE?= <z@z>",
    "<ada@example.com",
    "Ada <ada@exa mple.com>",
)
_HEADERS = (
    "Date",
    "From",
    "To",
    "Cc",
    "Bcc",
    "Resent-To",
    "Resent-Cc",
    "Reply-To",
    "Sender",
    "Subject",
    "Message-ID",
    "In-Reply-To",
    "References",
    "X-Gmail-Labels",
    "X-GM-THRID",
    "List-Id",
    "List-Unsubscribe",
    "Precedence",
    "Auto-Submitted",
    "Delivered-To",
    "Content-Type",
    "Content-Transfer-Encoding",
    "MIME-Version",
)
_LABELS = (
    "Sent,Opened",
    "Inbox,Important,Opened,Category Personal",
    "Category Promotions",
    "=?UTF-8?Q?=C3=85pnet,Sent?=",
    "Spam",
    "Trash",
    ",,,",
)


@st.composite
def mail_message(draw: st.DrawFn, *, envelope: bool) -> str:
    lines: list[str] = []
    if envelope:
        lines.append(
            draw(
                _pick(
                    "From - Thu Mar 14 09:05:12 2024",
                    "From 1790000000000000001@xxx Thu Mar 14 09:05:12 +0000 2024",
                    "From ada@example.com Fri Dec 31 23:59:59 9999",
                    "From ",
                    "From x Thu Feb 30 99:99:99 0",
                    "From  \u200e",
                )
            )
        )
    headers = draw(st.lists(st.sampled_from(_HEADERS), min_size=1, max_size=8))
    for name in headers:
        if name == "Date":
            value = draw(st.one_of(st.sampled_from(_DATES), hostile_number(), hostile_text()))
        elif name in (
            "From",
            "To",
            "Cc",
            "Bcc",
            "Resent-To",
            "Resent-Cc",
            "Reply-To",
            "Sender",
            "Delivered-To",
        ):
            value = ", ".join(
                draw(
                    st.lists(
                        st.one_of(st.sampled_from(_ADDRESSES), emails()), min_size=1, max_size=3
                    )
                )
            )
        elif name == "X-Gmail-Labels":
            value = draw(st.one_of(st.sampled_from(_LABELS), hostile_text()))
        elif name == "Content-Type":
            value = draw(
                _pick(
                    "text/plain; charset=utf-8",
                    "text/plain; charset=x-bogus",
                    'multipart/mixed; boundary="',
                    "text/plain; charset*=''%ff",
                )
            )
        else:
            value = draw(hostile_text(realistic=("bulk", "auto-generated", "<m1@x>", "Re: hi")))
        if draw(st.integers(0, 6)) == 0:  # folded continuation
            value += draw(_pick("\n\t", "\n ", "\n")) + draw(hostile_text())
        lines.append(f"{name}{draw(_pick(': ', ': ', ':', ' : '))}{value}")
    if draw(st.integers(0, 6)) == 0:
        lines.append(draw(hostile_text(realistic=("no colon here", " leading space", ":x"))))
    lines.append("")
    lines += draw(
        st.lists(
            st.one_of(
                _pick(
                    "hi",
                    "From the top: see you",
                    ">From x",
                    "From ada@example.com Thu Mar 14 2024",
                    "",
                ),
                hostile_text(),
            ),
            max_size=3,
        )
    )
    return "\n".join(lines)


@functools.cache
@st.composite
def mbox_bytes(draw: st.DrawFn) -> bytes:
    messages = draw(st.lists(mail_message(envelope=True), min_size=1, max_size=4))
    return draw(lines_bytes("\n".join(messages).split("\n")))


@functools.cache
def mbox_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("inbox.mbox", d),), ("inbox.mbox",)), mbox_bytes())


@functools.cache
@st.composite
def maildir_case(draw: st.DrawFn) -> Case:
    places = (
        "cur/1710407000.M1P100.host:2,S",
        "new/1710407100.M2P100.host",
        "cur/1710407300.M4P100.host:2,RS",
        ".Sent/cur/1710407400.M5P100.host:2,S",
        "tmp/1710407200.M3P100.host",
        ".Sent Items/new/1.host",
        "cur/.hidden",
    )
    chosen = draw(st.lists(st.sampled_from(places), min_size=1, max_size=4, unique=True))
    files = []
    for rel in chosen:
        text = draw(mail_message(envelope=draw(st.integers(0, 5)) == 0))
        files.append((rel, draw(lines_bytes(text.split("\n")))))
    folders = draw(st.lists(_pick("cur", "new", "tmp", ".Empty/cur"), max_size=2))
    return Case(tuple(files), ("",), folders=tuple(folders))


# ----------------------------------------------------------------------------- vCard
_VCARD_PROPS = (
    "FN",
    "N",
    "EMAIL",
    "EMAIL;TYPE=INTERNET,HOME",
    "TEL",
    "TEL;CELL",
    "TEL;:",
    "TEL;TYPE=CELL",
    "ORG",
    "CATEGORIES",
    "item1.EMAIL",
    "URL",
    "X-SOCIALPROFILE",
    "NICKNAME",
    "PHOTO;ENCODING=BASE64;TYPE=JPEG",
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE",
    "FN;CHARSET=x-bogus;ENCODING=QUOTED-PRINTABLE",
    "FN;ENCODING=QUOTED-PRINTABLE",
    "FN;CHARSET=utf-16;ENCODING=QUOTED-PRINTABLE",
    "EMAIL;ENCODING=b",
    "FN;ENCODING=B",
    ";",
    "",
    "BEGIN",
    "END",
    "VERSION",
    "X-;=;=",
)
_VCARD_VALUES = (
    "Ada Example",
    "Example;Ada;;;",
    ";;;;;;;;;;;",
    "=52=65=6E=C3=A9=65=20=45=78=61=",
    "=ZZ=",
    "=",
    "=C3",
    "/9j/4AAQSkZJRg==",
    "!!!",
    "ada@example.com",
    "+1-555-010-0100",
    "friends,book club",
    "\\n\\,\\;\\",
    "tel:+15550100100",
    "mailto:",
    "",
)


@functools.cache
@st.composite
def vcard_bytes(draw: st.DrawFn) -> bytes:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 9)):
            lines.append("BEGIN:VCARD")
        lines.append("VERSION:" + draw(_pick("3.0", "2.1", "4.0", "", "99")))
        for _ in range(draw(st.integers(0, 6))):
            prop = draw(st.sampled_from(_VCARD_PROPS))
            value = draw(st.one_of(st.sampled_from(_VCARD_VALUES), names(), emails(), phones()))
            lines.append(f"{prop}:{value}")
            if draw(st.integers(0, 5)) == 0:  # folded, unfolded or soft-broken continuation
                lines.append(draw(_pick(" ", "\t", "", "=")) + draw(hostile_text()))
        if draw(st.integers(0, 9)):
            lines.append("END:VCARD")
    return draw(lines_bytes(lines))


@functools.cache
def vcard_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("contacts.vcf", d),), ("contacts.vcf",)), vcard_bytes())


# ============================================================================ CSV formats
def _col(name: str, cells: st.SearchStrategy[str]) -> tuple[str, st.SearchStrategy[str]]:
    return name, cells


@functools.cache
@functools.cache
def _ids() -> st.SearchStrategy[str]:
    return hostile_text(realistic=("1", "2", "3", "ada", "bo", "0", "-1", "1.0", "01", *EMAILS))


EDGE_HEADERS = (
    ("source", "target", "weight", "timestamp", "sign"),
    ("Source", "Target", "Weight", "Type"),
    ("src", "dst", "rating", "time"),
    ("from", "to", "value", "date"),
    ("Id", "Label"),
    ("u", "v", "w", "ts", "extra"),
)


@functools.cache
@st.composite
def edgelist_bytes(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from(EDGE_HEADERS))
    kinds = {
        "weight": hostile_number(),
        "w": hostile_number(),
        "value": hostile_number(),
        "rating": hostile_number(),
        "Weight": hostile_number(),
        "sign": hostile_number(),
        "timestamp": timestamp_text(),
        "time": timestamp_text(),
        "ts": timestamp_text(),
        "date": timestamp_text(),
        "Type": hostile_text(realistic=("Directed", "Undirected", "Mixed")),
    }
    columns = [_col(name, kinds.get(name, _ids())) for name in header]
    preamble = draw(
        st.lists(
            _pick(
                "% asym positive",
                "% sym unweighted",
                "# undirected",
                "# directed",
                "% bip",
                "#",
                "%",
            ),
            max_size=2,
        )
    )
    delimiters = (",", ";", "\t", " ", "  ")
    return draw(csv_bytes(columns, delimiters=delimiters, preamble=preamble, max_rows=8))


def edgelist_case(name: str = "edges.csv") -> st.SearchStrategy[Case]:
    files = _pick(name, "edges.txt", "edges.tsv", "out.trust", "graph.edges")
    return st.builds(lambda n, d: Case(((n, d),), (n,)), files, edgelist_bytes())


@functools.cache
@st.composite
def contacts_bytes(draw: st.DrawFn) -> bytes:
    columns = [
        _col("id", _ids()),
        _col("name", names()),
        _col("email", emails()),
        _col("phone", phones()),
        _col("url", urls()),
        _col("identifiers", hostile_text(realistic=("a@x.com;+15550100100", "|", ";;"))),
        _col("company", hostile_text()),
        _col("position", hostile_text()),
        _col("connected_on", timestamp_text()),
        _col("source", hostile_text()),
        _col(draw(_pick("Display Name", "E-Mail", "Phone Number", "contact_id")), names()),
    ]
    return draw(csv_bytes(columns))


@functools.cache
@st.composite
def conversations_bytes(draw: st.DrawFn) -> bytes:
    recipients = hostile_text(
        realistic=(
            "bo@example.org",
            "a;b",
            "bo@example.org;cy@example.net",
            ";",
            "ada@example.com",
        )
    )
    columns = [
        _col(draw(_pick("timestamp", "time", "date", "datetime")), timestamp_text()),
        _col(draw(_pick("sender", "from")), _ids()),
        _col(draw(_pick("recipients", "recipient", "to")), recipients),
        _col("channel", hostile_text(realistic=("dm", "group", "channel", "email"))),
        _col("conversation_id", _ids()),
        _col("n_chars", hostile_number()),
        _col("content", hostile_text()),
    ]
    return draw(csv_bytes(columns))


@functools.cache
def contacts_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("contacts.csv", d),), ("contacts.csv",)), contacts_bytes())


@functools.cache
def conversations_case() -> st.SearchStrategy[Case]:
    return st.builds(
        lambda d: Case((("conversations.csv", d),), ("conversations.csv",)), conversations_bytes()
    )


_LINKEDIN_PREAMBLE = (
    "Notes:",
    '"When exporting your connection data, you may notice that some '
    'of the email addresses are missing."',
    "",
)


@functools.cache
@st.composite
def linkedin_connections_bytes(draw: st.DrawFn) -> bytes:
    columns = [
        _col("First Name", names()),
        _col("Last Name", names()),
        _col("URL", urls()),
        _col("Email Address", emails()),
        _col("Company", hostile_text()),
        _col("Position", hostile_text()),
        _col(
            "Connected On",
            hostile_text(
                realistic=("15 Mar 2024", "01-Jul-25", "31 Feb 2024", "01-Jul-00", "0 Jan 0")
            ),
        ),
    ]
    return draw(csv_bytes(columns, delimiters=(",",), preamble=_LINKEDIN_PREAMBLE))


@functools.cache
@st.composite
def linkedin_messages_bytes(draw: st.DrawFn) -> bytes:
    columns = [
        _col("CONVERSATION ID", _ids()),
        _col("CONVERSATION TITLE", hostile_text()),
        _col("FROM", names()),
        _col("SENDER PROFILE URL", urls()),
        _col("TO", names()),
        _col("RECIPIENT PROFILE URLS", hostile_text(realistic=(";".join(URLS[:2]), ";"))),
        _col(
            "DATE",
            hostile_text(
                realistic=(
                    "2024-03-14 09:05:12 UTC",
                    "9999-12-31 23:59:59 UTC",
                    "2024-02-30 25:00:00 UTC",
                )
            ),
        ),
        _col("SUBJECT", hostile_text()),
        _col(
            "CONTENT",
            hostile_text(
                realistic=("Message request accepted", "A LinkedIn member left the conversation.")
            ),
        ),
        _col("FOLDER", hostile_text(realistic=("INBOX", "ARCHIVE", "SENT"))),
        _col("ATTACHMENTS", hostile_text()),
    ]
    return draw(csv_bytes(columns, delimiters=(",",)))


@functools.cache
@st.composite
def linkedin_case(draw: st.DrawFn) -> Case:
    files = []
    if draw(st.booleans()):
        files.append(("Connections.csv", draw(linkedin_connections_bytes())))
    if not files or draw(st.booleans()):
        files.append(("messages.csv", draw(linkedin_messages_bytes())))
    entry = draw(st.sampled_from(["", *(rel for rel, _ in files)]))
    return Case(tuple(files), (entry,))


@functools.cache
@st.composite
def google_contacts_bytes(draw: st.DrawFn) -> bytes:
    number = draw(st.one_of(_pick("1", "2", "3"), hostile_number()))
    multi = hostile_text(
        realistic=(
            "ada@example.com ::: ada.work@example.org",
            " ::: ",
            ":::",
            "* myContacts ::: * starred",
        )
    )
    legacy = [
        _col("Name", names()),
        _col("Given Name", names()),
        _col("Family Name", names()),
        _col("Group Membership", multi),
        _col("E-mail 1 - Type", hostile_text()),
        _col("E-mail 1 - Value", multi),
        _col(f"E-mail {number} - Value", multi),
        _col("Phone 1 - Type", hostile_text()),
        _col("Phone 1 - Value", phones()),
        _col("Organization 1 - Name", hostile_text()),
    ]
    current = [
        _col("First Name", names()),
        _col("Middle Name", names()),
        _col("Last Name", names()),
        _col("Nickname", names()),
        _col("Labels", multi),
        _col("E-mail 1 - Label", multi),
        _col("E-mail 1 - Value", multi),
        _col(f"Phone {number} - Value", phones()),
        _col("Birthday", hostile_text(realistic=("--03-01", "1990-02-30"))),
        _col("Organization Name", hostile_text()),
    ]
    return draw(csv_bytes(draw(_pick(legacy, current)), delimiters=(",",), header=True))


@functools.cache
def google_contacts_case() -> st.SearchStrategy[Case]:
    return st.builds(
        lambda d: Case((("contacts.csv", d),), ("contacts.csv",)), google_contacts_bytes()
    )


@functools.cache
@st.composite
def node_labels_bytes(draw: st.DrawFn) -> bytes:
    columns = [_col("node", _ids()), _col("label", hostile_text(realistic=("1", "21", "a b")))]
    return draw(csv_bytes(columns, delimiters=(" ", "\t", ",", ";"), extra_columns=False))


@functools.cache
def node_labels_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("labels.txt", d),), ("labels.txt",)), node_labels_bytes())


# ----------------------------------------------------------------------------- SNAP ego
@functools.cache
@st.composite
def snap_ego_files(draw: st.DrawFn) -> tuple[tuple[str, bytes], ...]:
    files = []
    for ego in draw(
        st.lists(
            _pick("0", "107", "-1", "abc", "1e5", "00", "٣"), min_size=1, max_size=2, unique=True
        )
    ):
        node = _ids()
        edges = draw(st.lists(st.tuples(node, node).map(" ".join), max_size=6))
        files.append((f"{ego}.edges", draw(lines_bytes(edges))))
        if draw(st.booleans()):
            circles = draw(
                st.lists(
                    st.lists(node, max_size=4).map(lambda ms: "\t".join(["circle0", *ms])),
                    max_size=3,
                )
            )
            files.append((f"{ego}.circles", draw(lines_bytes(circles))))
        if draw(st.booleans()):
            feat = draw(
                st.lists(
                    st.lists(_pick("0", "1", "2", "x", "-1"), max_size=4).map(" ".join), max_size=3
                )
            )
            files.append((f"{ego}.feat", draw(lines_bytes(feat))))
            files.append((f"{ego}.egofeat", draw(lines_bytes(feat[:1]))))
            names_ = draw(
                st.lists(hostile_text(realistic=("0 gender;anonymized feature 77", "1 x", "a b")))
            )
            files.append((f"{ego}.featnames", draw(lines_bytes(names_))))
    return tuple(files)


@functools.cache
def snap_ego_case() -> st.SearchStrategy[Case]:
    return snap_ego_files().map(lambda files: Case(files, ("",)))


# ============================================================================ JSON formats
@functools.cache
def _epoch_string() -> st.SearchStrategy[Any]:
    return st.one_of(EPOCHS.map(str), hostile_number())


# ----------------------------------------------------------------------------- Telegram
_TG_IDS = (100000001, 100000002, 100000009, 4000000001)


@functools.cache
@st.composite
def telegram_message(draw: st.DrawFn) -> dict[str, Any]:
    sender = draw(st.sampled_from(_TG_IDS))
    message: dict[str, Any] = {
        "id": draw(st.integers(0, 99)),
        "type": draw(_pick("message", "message", "service", "junk")),
        "date": draw(st.one_of(EPOCHS.map(_iso_noz), timestamp_text())),
    }
    if draw(st.integers(0, 4)):
        message["date_unixtime"] = draw(_epoch_string())
    if message["type"] == "service":
        message.update(
            actor=draw(names()),
            actor_id=f"user{sender}",
            action=draw(_pick("invite_members", "create_group", "phone_call")),
            members=draw(st.lists(names(), max_size=2)),
        )
    else:
        message["from"] = draw(st.one_of(st.none(), names()))
        message["from_id"] = draw(
            _pick(f"user{sender}", f"channel{sender}", "user", "userx", f"user{'9' * 30}", sender)
        )
        message["text"] = draw(
            st.one_of(
                hostile_text(),
                st.lists(
                    st.one_of(
                        hostile_text(),
                        st.fixed_dictionaries(
                            {"type": _pick("bold", "link"), "text": hostile_text()}
                        ),
                    ),
                    max_size=3,
                ),
            )
        )
    return message


def _iso_noz(seconds: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


@functools.cache
@st.composite
def telegram_chat(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "name": draw(names()),
        "type": draw(
            _pick(
                "personal_chat",
                "private_group",
                "private_supergroup",
                "public_channel",
                "saved_messages",
                "bot_chat",
                "junk",
            )
        ),
        "id": draw(st.sampled_from(_TG_IDS)),
        "messages": draw(st.lists(telegram_message(), max_size=4)),
    }


@functools.cache
@st.composite
def telegram_document(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 3)) == 0:
        return draw(telegram_chat())
    doc: dict[str, Any] = {
        "chats": {"about": "", "list": draw(st.lists(telegram_chat(), max_size=3))}
    }
    if draw(st.integers(0, 4)):
        doc["personal_information"] = {
            "user_id": draw(_pick(100000001, "100000001", "user100000001")),
            "first_name": draw(names()),
            "last_name": draw(names()),
            "phone_number": draw(phones()),
            "username": draw(hostile_text(realistic=("@ada",))),
        }
    if draw(st.booleans()):
        doc["contacts"] = {
            "about": "",
            "list": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "first_name": names(),
                            "last_name": names(),
                            "phone_number": phones(),
                            "date": timestamp_text(),
                            "date_unixtime": _epoch_string(),
                        }
                    ),
                    max_size=3,
                )
            ),
        }
    if draw(st.booleans()):
        doc["frequent_contacts"] = {
            "about": "",
            "list": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "id": st.sampled_from(_TG_IDS),
                            "category": _pick("people", "bots"),
                            "type": _pick("user", "chat"),
                            "name": names(),
                            "rating": st.one_of(st.floats(), st.integers()),
                        }
                    ),
                    max_size=3,
                )
            ),
        }
    return doc


@functools.cache
def telegram_case() -> st.SearchStrategy[Case]:
    return st.builds(
        lambda d: Case((("result.json", d),), ("result.json",)), json_file(telegram_document())
    )


# ----------------------------------------------------------------------------- Messenger
_FB_NAMES = (
    "Ada Example",
    "Bo Sample",
    "Ren\u00c3\u00a9e Placeholder",
    "\u00f0\u009f\u0098\u0080",
    "“quoted”",
    "",
)


@functools.cache
@st.composite
def messenger_thread(draw: st.DrawFn) -> dict[str, Any]:
    people = st.one_of(st.sampled_from(_FB_NAMES), names())
    messages = []
    for _ in range(draw(st.integers(0, 4))):
        message: dict[str, Any] = {
            "sender_name": draw(people),
            "timestamp_ms": draw(
                st.one_of(
                    EPOCHS.map(lambda s: s * 1000),
                    _pick(10**30, 1e30, -1, 0, 2**63, "1710407112000", 1.5e12, float("nan")),
                )
            ),
        }
        if draw(st.booleans()):
            message["content"] = draw(hostile_text(realistic=_FB_NAMES))
        if draw(st.integers(0, 3)) == 0:
            message["reactions"] = draw(
                st.lists(
                    st.fixed_dictionaries({"reaction": hostile_text(), "actor": people}),
                    max_size=2,
                )
            )
        if draw(st.integers(0, 5)) == 0:
            message["photos"] = [{"uri": "photo_1.jpg", "creation_timestamp": draw(EPOCHS)}]
        if draw(st.integers(0, 5)) == 0:
            message["type"] = draw(_pick("Generic", "Subscribe", "Unsubscribe", "Call"))
        messages.append(message)
    return {
        "participants": [{"name": n} for n in draw(st.lists(people, max_size=3))],
        "messages": messages,
        "title": draw(people),
        "is_still_participant": True,
        "thread_type": draw(_pick("Regular", "RegularGroup", "junk")),
        "thread_path": "inbox/bo_1",
        "magic_words": [],
    }


@functools.cache
@st.composite
def messenger_case(draw: st.DrawFn) -> Case:
    top = draw(
        _pick(
            "messages/inbox",
            "your_activity_across_facebook/messages/inbox",
            "instagram/messages/inbox",
            "messages/archived_threads",
        )
    )
    files = []
    for thread in draw(
        st.lists(_pick("bo_1", "cy_2", "book club_3"), min_size=1, max_size=2, unique=True)
    ):
        for part in range(1, draw(st.integers(1, 2)) + 1):
            files.append(
                (f"{top}/{thread}/message_{part}.json", draw(json_file(messenger_thread())))
            )
    entry = draw(st.sampled_from(["", files[0][0], files[0][0].rsplit("/", 1)[0]]))
    return Case(tuple(files), (entry,))


# ----------------------------------------------------------------------------- Slack
_SLACK_USERS = ("U0ADA0001", "U0BO00002", "U0CY00003")


@functools.cache
@st.composite
def slack_message(draw: st.DrawFn) -> dict[str, Any]:
    message: dict[str, Any] = {
        "type": "message",
        "user": draw(st.sampled_from(_SLACK_USERS)),
        "text": draw(hostile_text()),
        "ts": draw(st.one_of(_pick("1710407112.000100", "1710407112"), hostile_number())),
    }
    if draw(st.integers(0, 3)) == 0:
        message["subtype"] = draw(
            _pick("channel_join", "bot_message", "thread_broadcast", "me_message", "file_share")
        )
    if draw(st.integers(0, 3)) == 0:
        message["thread_ts"] = draw(st.one_of(_pick("1710407112.000100"), hostile_number()))
    if draw(st.integers(0, 3)) == 0:
        message["reactions"] = [
            {
                "name": "+1",
                "users": draw(st.lists(st.sampled_from(_SLACK_USERS), max_size=3)),
                "count": draw(st.integers(-1, 5)),
            }
        ]
    return message


@functools.cache
@st.composite
def slack_case(draw: st.DrawFn) -> Case:
    users = [
        {
            "id": u,
            "name": draw(names()),
            "real_name": draw(names()),
            "deleted": False,
            "is_bot": draw(st.booleans()),
            "profile": {
                "real_name": draw(names()),
                "display_name": draw(names()),
                "email": draw(emails()),
            },
        }
        for u in _SLACK_USERS
    ]
    members = st.lists(st.sampled_from(_SLACK_USERS), max_size=3)
    listings = {
        "channels.json": [
            {
                "id": "C0GEN0001",
                "name": "general",
                "created": draw(EPOCHS),
                "creator": "U0ADA0001",
                "members": draw(members),
            }
        ],
        "dms.json": [{"id": "D0DM00001", "created": draw(EPOCHS), "members": draw(members)}],
        "mpims.json": [
            {"id": "G0MPIM001", "name": "mpdm-ada--bo--cy-1", "members": draw(members)}
        ],
        "groups.json": [{"id": "G0PRIV001", "name": "private", "members": draw(members)}],
    }
    files = [("users.json", users)]
    files += [(name, doc) for name, doc in listings.items() if draw(st.booleans())]
    folders = {
        "channels.json": "general",
        "dms.json": "D0DM00001",
        "mpims.json": "mpdm-ada--bo--cy-1",
        "groups.json": "private",
    }
    for name, _ in list(files[1:]):
        if draw(st.booleans()):
            day = draw(_pick("2024-03-14", "9999-99-99", "x"))
            files.append(
                (f"{folders[name]}/{day}.json", draw(st.lists(slack_message(), max_size=4)))
            )
    # Mutate one or two of the files' documents at any level.
    out = []
    targets = set(draw(st.lists(st.integers(0, len(files) - 1), max_size=2)))
    for index, (rel, doc) in enumerate(files):
        if index in targets:
            doc = draw(mutate_json(doc))
        out.append((rel, draw(dump_json(doc))))
    return Case(tuple(out), ("",))


# ----------------------------------------------------------------------------- X / Twitter
_X_IDS = ("222000111", "1400000000000000001", "333000222")


@functools.cache
def _x_id() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(_X_IDS), _pick(222000111, "", "-", "a-b-c"))


@functools.cache
@st.composite
def x_item(draw: st.DrawFn) -> dict[str, Any]:
    created = draw(st.one_of(EPOCHS.map(lambda s: _iso_noz(s) + ".000Z"), timestamp_text()))
    kind = draw(
        _pick(
            "messageCreate",
            "messageCreate",
            "joinConversation",
            "participantsJoin",
            "participantsLeave",
            "conversationNameUpdate",
            "reactionCreate",
        )
    )
    if kind == "messageCreate":
        body = {
            "recipientId": draw(_x_id()),
            "senderId": draw(_x_id()),
            "text": draw(hostile_text()),
            "id": "1712000000000000001",
            "createdAt": created,
            "mediaUrls": [],
            "urls": [],
            "reactions": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "senderId": _x_id(),
                            "reactionKey": _pick("like", "funny"),
                            "eventId": _pick("1", "2"),
                            "createdAt": st.just(created),
                        }
                    ),
                    max_size=2,
                )
            ),
        }
    elif kind == "reactionCreate":
        body = {
            "senderId": draw(_x_id()),
            "reactionKey": "like",
            "eventId": "1",
            "createdAt": created,
        }
    else:
        body = {
            "initiatingUserId": draw(_x_id()),
            "userIds": draw(st.lists(_x_id(), max_size=3)),
            "participantsSnapshot": draw(st.lists(_x_id(), max_size=3)),
            "name": draw(hostile_text()),
            "createdAt": created,
        }
    return {kind: body}


@functools.cache
@st.composite
def x_conversations(draw: st.DrawFn) -> list[Any]:
    conversations = []
    for _ in range(draw(st.integers(0, 3))):
        cid = draw(
            st.one_of(
                _pick("222000111-1400000000000000001", "1612345678901234567", "a-b-c", "-", ""),
                hostile_text(),
            )
        )
        conversations.append(
            {
                "dmConversation": {
                    "conversationId": cid,
                    "messages": draw(st.lists(x_item(), max_size=4)),
                }
            }
        )
    return conversations


@st.composite
def _js(draw: st.DrawFn, name: str, doc: Any) -> bytes:
    body = draw(dump_json(draw(mutate_json(doc))))
    prefix = draw(
        _pick(
            f"window.YTD.{name}.part0 = ",
            f"window.YTD.{name}.part0 =",
            "= ",
            "window.YTD = ",
            "",
            "window.__THAR_CONFIG = ",
        )
    )
    return encode_text(prefix) + body


@functools.cache
@st.composite
def twitter_case(draw: st.DrawFn) -> Case:
    files = [("data/direct-messages.js", draw(_js("direct_messages", draw(x_conversations()))))]
    if draw(st.booleans()):
        files.append(
            (
                "data/direct-messages-group.js",
                draw(_js("direct_messages_group", draw(x_conversations()))),
            )
        )
    if draw(st.booleans()):
        manifest = {
            "userInfo": {
                "accountId": draw(_x_id()),
                "userName": draw(names()),
                "displayName": draw(names()),
            }
        }
        files.append(
            (
                "data/manifest.js",
                encode_text("window.__THAR_CONFIG = ")
                + draw(dump_json(draw(mutate_json(manifest)))),
            )
        )
    if draw(st.booleans()):
        account = [
            {
                "account": {
                    "accountId": draw(_x_id()),
                    "username": draw(names()),
                    "accountDisplayName": draw(names()),
                    "email": "ada@example.com",
                }
            }
        ]
        files.append(("data/account.js", draw(_js("account", account))))
    entry = draw(_pick("", "data", "data/direct-messages.js"))
    return Case(tuple(files), (entry,))


# ============================================================================ graph files
def _xml_text(value: str, raw: bool) -> str:
    return value if raw else html.escape(value, quote=True)


_GRAPH_IDS = ("1", "2", "3", "a", "b", "1.0", "01", "-1", "")
_GRAPH_VALUES = (
    "1",
    "2.5",
    "0",
    "-1",
    "nan",
    "inf",
    "1e309",
    "1e-320",
    "x",
    "",
    "true",
    "2024-03-14",
)


@functools.cache
@st.composite
def graphml_bytes(draw: st.DrawFn) -> bytes:
    raw = draw(st.integers(0, 7)) == 0
    ids = st.one_of(st.sampled_from(_GRAPH_IDS), hostile_text())
    values = st.one_of(st.sampled_from(_GRAPH_VALUES), hostile_number(), hostile_text())
    types = _pick("double", "float", "int", "long", "boolean", "string", "junk")
    parts = [
        draw(
            _pick(
                '<?xml version="1.0" encoding="UTF-8"?>',
                "",
                '<?xml version="1.0" encoding="latin-1"?>',
                '<?xml version="1.0" encoding="x-bogus"?>',
                '<?xml version="1.1"?>',
            )
        ),
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        f'<key id="d0" for="edge" attr.name="weight" attr.type="{draw(types)}"/>',
        f'<key id="d1" for="node" attr.name="name" attr.type="{draw(types)}">'
        f"<default>{_xml_text(draw(values), raw)}</default></key>",
        f'<key id="d2" for="{draw(_pick("edge", "node", "graph", "all", "junk"))}" '
        f'attr.name="{_xml_text(draw(hostile_text(realistic=("timestamp", "sign"))), raw)}" '
        f'attr.type="{draw(types)}"/>',
        f'<graph id="G" edgedefault="{draw(_pick("directed", "undirected", "junk"))}">',
    ]
    for _ in range(draw(st.integers(0, 4))):
        parts.append(
            f'<node id="{_xml_text(draw(ids), raw)}">'
            f'<data key="{draw(_pick("d1", "d0", "d9"))}">{_xml_text(draw(values), raw)}'
            "</data></node>"
        )
    for _ in range(draw(st.integers(0, 4))):
        extra = draw(_pick("", ' directed="false"', ' directed="junk"', ' id="e0"'))
        parts.append(
            f'<edge source="{_xml_text(draw(ids), raw)}" '
            f'target="{_xml_text(draw(ids), raw)}"{extra}>'
            f'<data key="{draw(_pick("d0", "d2", "d9"))}">{_xml_text(draw(values), raw)}'
            "</data></edge>"
        )
    if draw(st.integers(0, 7)) == 0:
        parts.append(
            draw(
                _pick(
                    '<hyperedge><endpoint node="1"/></hyperedge>',
                    '<node id="n"><graph id="inner"/></node>',
                    '<node id="p"><port name="x"/></node>',
                )
            )
        )
    parts.append("</graph></graphml>")
    return draw(lines_bytes(parts, bom=False))


_NODE_EXTRAS = _pick(
    "", '<viz:color r="300" g="x" b="-1"/>', '<spells><spell start="x"/></spells>'
)


@functools.cache
@st.composite
def gexf_bytes(draw: st.DrawFn) -> bytes:
    raw = draw(st.integers(0, 7)) == 0
    ids = st.one_of(st.sampled_from(_GRAPH_IDS), hostile_text())
    values = st.one_of(st.sampled_from(_GRAPH_VALUES), hostile_number(), hostile_text())
    version = draw(_pick("1.2draft", "1.3", "1.1draft", "junk"))
    types = _pick(
        "float",
        "double",
        "integer",
        "long",
        "boolean",
        "string",
        "liststring",
        "listdouble",
        "junk",
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="http://www.gexf.net/{version}" '
        'xmlns:viz="http://www.gexf.net/1.2draft/viz" '
        f'version="{draw(_pick("1.2", "1.3", "1.1", "9"))}">',
        f'<graph mode="{draw(_pick("static", "dynamic", "slice", "junk"))}" '
        f'defaultedgetype="{draw(_pick("directed", "undirected", "mutual", "junk"))}" '
        f'timeformat="{draw(_pick("date", "double", "integer", "dateTime", "junk"))}">',
        '<attributes class="edge" mode="static">'
        f'<attribute id="0" title="{_xml_text(draw(hostile_text(realistic=("weight",))), raw)}" '
        f'type="{draw(types)}"><default>{_xml_text(draw(values), raw)}</default></attribute>'
        "</attributes>",
        '<attributes class="node" mode="static">'
        f'<attribute id="1" title="name" type="{draw(types)}"/></attributes>',
        "<nodes>",
    ]
    for _ in range(draw(st.integers(0, 4))):
        spell = draw(_pick("", f' start="{draw(values)}"', f' end="{draw(values)}"'))
        parts.append(
            f'<node id="{_xml_text(draw(ids), raw)}" '
            f'label="{_xml_text(draw(names()), raw)}"{_xml_text(spell, raw)}>'
            f'<attvalues><attvalue for="{draw(_pick("1", "0", "9"))}" '
            f'value="{_xml_text(draw(values), raw)}"/></attvalues>'
            f"{draw(_NODE_EXTRAS)}"
            "</node>"
        )
    parts.append("</nodes><edges>")
    for _ in range(draw(st.integers(0, 4))):
        weight = draw(_pick("", f' weight="{_xml_text(draw(values), raw)}"'))
        kind = draw(_pick("", ' type="undirected"', ' type="mutual"', ' type="junk"'))
        parts.append(
            f'<edge id="{_xml_text(draw(ids), raw)}" source="{_xml_text(draw(ids), raw)}" '
            f'target="{_xml_text(draw(ids), raw)}"{weight}{kind}>'
            f'<attvalues><attvalue for="0" value="{_xml_text(draw(values), raw)}"/>'
            "</attvalues></edge>"
        )
    parts.append("</edges></graph></gexf>")
    return draw(lines_bytes(parts, bom=False))


@functools.cache
@st.composite
def node_link_document(draw: st.DrawFn) -> dict[str, Any]:
    ids = st.one_of(st.sampled_from((1, 2, 3, "a", "b", 1.5, True, None, "1")), hostile_json())
    nodes = [
        {
            "id": draw(ids),
            **draw(st.dictionaries(_pick("name", "label", "weight"), hostile_json(), max_size=2)),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    edges = []
    for _ in range(draw(st.integers(0, 4))):
        edge = {"source": draw(ids), "target": draw(ids)}
        if draw(st.booleans()):
            edge["weight"] = draw(st.one_of(st.floats(), st.integers(), hostile_json()))
        if draw(st.integers(0, 4)) == 0:
            edge["key"] = draw(hostile_json())
        edges.append(edge)
    return {
        "directed": draw(st.one_of(st.booleans(), hostile_json())),
        "multigraph": draw(st.one_of(st.booleans(), st.booleans(), hostile_json())),
        "graph": draw(st.dictionaries(hostile_text(), hostile_json(), max_size=2)),
        "nodes": nodes,
        draw(_pick("edges", "links", "adjacency")): edges,
    }


@functools.cache
def graphml_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("graph.graphml", d),), ("graph.graphml",)), graphml_bytes())


@functools.cache
def gexf_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("graph.gexf", d),), ("graph.gexf",)), gexf_bytes())


@functools.cache
def node_link_case() -> st.SearchStrategy[Case]:
    return st.builds(
        lambda d: Case((("graph.json", d),), ("graph.json",)),
        json_file(node_link_document(), max_mutations=2),
    )


# ----------------------------------------------------------------------------- compact (.tgc)
@functools.cache
def compact_template() -> tuple[tuple[str, bytes], ...]:
    """The files ``CompactGraph.save`` writes for a small graph (made on first use)."""
    from trustgraph.core.compact import CompactGraph

    folder = Path(tempfile.mkdtemp(prefix="tg-fuzz-template-"))
    try:
        cg = CompactGraph.from_edges(["ann", "bob", "cy"], ["bob", "cy", "ann"], [2.0, 1.0, 0.5])
        saved = cg.save(folder / "g.tgc")
        return tuple(
            sorted(
                (p.relative_to(saved).as_posix(), p.read_bytes())
                for p in saved.rglob("*")
                if p.is_file()
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@functools.cache
@st.composite
def compact_case(draw: st.DrawFn) -> Case:
    files = dict(compact_template())
    names_ = sorted(files)
    target = draw(st.sampled_from(names_))
    data = files[target]
    if target.endswith(".json"):
        data = draw(dump_json(draw(mutate_json(json.loads(data)))))
    elif draw(st.booleans()):
        data = draw(st.binary(max_size=256))
    else:
        from .strategies import mutate_bytes

        data = draw(mutate_bytes(data))
    files[target] = data
    if draw(st.integers(0, 5)) == 0:
        del files[draw(st.sampled_from(names_))]
    return Case(tuple((f"g.tgc/{rel}", d) for rel, d in files.items()), ("g.tgc",))
