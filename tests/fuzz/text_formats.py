"""Structure-aware strategies for the text exports: WhatsApp chats, mbox and Maildir
messages, vCards (shapes from ``../shared/FORMATS.md``; every identifier is synthetic)."""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from .pools import emails, names, phones, pick
from .strategies import (
    Case,
    hostile_number,
    hostile_text,
    lines_bytes,
)

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
    order = draw(pick("dmy", "mdy", "ymd"))
    sep = draw(pick("/", "/", ".", "-"))
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
    comma = draw(pick(", ", ", ", " ", ","))
    if draw(st.integers(0, 5)) == 0:
        rest = draw(st.sampled_from(_SYSTEM))
    else:
        author = draw(st.one_of(st.sampled_from(_AUTHORS), names()))
        body = draw(st.one_of(st.sampled_from(_BODIES), hostile_text()))
        rest = f"{author}{draw(pick(': ', ': ', ':'))}{body}"
    lead = draw(pick("", "", "\u200e", "\ufeff"))
    if draw(st.booleans()):
        return f"{lead}{date}{comma}{time}{mark} {draw(pick('-', '-', '–'))} {rest}"
    return f"{lead}[{date}{comma}{time}{mark}]{draw(pick(' ', ' ', ''))}{rest}"


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
    name = pick("WhatsApp Chat with Bo Sample.txt", "_chat.txt", "WhatsApp Chat - Book club.txt")
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
                pick(
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
                pick(
                    "text/plain; charset=utf-8",
                    "text/plain; charset=x-bogus",
                    'multipart/mixed; boundary="',
                    "text/plain; charset*=''%ff",
                )
            )
        else:
            value = draw(hostile_text(realistic=("bulk", "auto-generated", "<m1@x>", "Re: hi")))
        if draw(st.integers(0, 6)) == 0:  # folded continuation
            value += draw(pick("\n\t", "\n ", "\n")) + draw(hostile_text())
        lines.append(f"{name}{draw(pick(': ', ': ', ':', ' : '))}{value}")
    if draw(st.integers(0, 6)) == 0:
        lines.append(draw(hostile_text(realistic=("no colon here", " leading space", ":x"))))
    lines.append("")
    lines += draw(
        st.lists(
            st.one_of(
                pick(
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
    folders = draw(st.lists(pick("cur", "new", "tmp", ".Empty/cur"), max_size=2))
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
        lines.append("VERSION:" + draw(pick("3.0", "2.1", "4.0", "", "99")))
        for _ in range(draw(st.integers(0, 6))):
            prop = draw(st.sampled_from(_VCARD_PROPS))
            value = draw(st.one_of(st.sampled_from(_VCARD_VALUES), names(), emails(), phones()))
            lines.append(f"{prop}:{value}")
            if draw(st.integers(0, 5)) == 0:  # folded, unfolded or soft-broken continuation
                lines.append(draw(pick(" ", "\t", "", "=")) + draw(hostile_text()))
        if draw(st.integers(0, 9)):
            lines.append("END:VCARD")
    return draw(lines_bytes(lines))


@functools.cache
def vcard_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("contacts.vcf", d),), ("contacts.vcf",)), vcard_bytes())
