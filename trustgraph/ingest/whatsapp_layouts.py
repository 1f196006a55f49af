"""WhatsApp "Export chat" header layouts: which lines start a message, and their date and time.

A message starts at a line that begins with a date-time header. WhatsApp writes twelve
layouts: the Android family ``<when> - `` or the iOS family ``[<when>] ``, each with the
date first or the time first (``[14:56:01, 3/18/22] ``), and a 24-hour clock or a 12-hour
one whose marker follows the time (``9:05 PM``, ``9:05 p. m.``) or precedes it
(``下午9:05``, ``오후 2:56``). Orthogonal to the layout, dates use ``/``, ``.`` or ``-``
(Korean and Hungarian ``2022. 3. 18.``), Gregorian, Buddhist-era (``2565`` = 2022) or
Japanese-era years (``R4`` = 2022), and native digits (``١٨/٣/٢٠٢٢``). All marker words
come from the tables of :mod:`trustgraph.ingest.whatsapp_locales`.

Lines are normalised before matching (:func:`clean`): U+200E/U+200F and other direction
marks are dropped, U+202F/U+00A0/U+2009 become spaces (a regex with a literal space does
not match U+202F; FORMATS.md §2.4), NFKC folds compatibility forms and native digits become
ASCII. A pure-ASCII line skips all of this.

:func:`score_whatsapp` and :func:`describe_whatsapp_miss` are the hooks of format
detection: they look at the decoded head of a file and nothing else.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import date

from trustgraph.ingest.whatsapp_locales import (
    AM_PM,
    BUDDHIST_ERA_FROM,
    BUDDHIST_ERA_OFFSET,
    BUDDHIST_ERA_SUFFIXES,
    BUDDHIST_ERA_TO,
    JAPANESE_ERAS,
    NATIVE_DIGIT_ZEROS,
)

__all__ = [
    "AMBIGUOUS_ORDER",
    "LAYOUTS",
    "LAYOUT_NAMES",
    "DateOrderConflict",
    "arrow_patterns",
    "clean",
    "clean_text",
    "clock",
    "day_month_year",
    "describe_whatsapp_miss",
    "header_pattern",
    "infer_order",
    "is_loose",
    "layout_of",
    "match_header",
    "resolve_date",
    "score_whatsapp",
]

#: The twelve header layouts, by name, with an example of each.
LAYOUTS: dict[str, str] = {
    "android": "14/03/2024, 09:05 - ",
    "android 12-hour": "3/14/24, 9:05 PM - ",
    "android marker-first": "2024/3/14 下午9:05 - ",
    "android time-first": "09:05, 14/03/2024 - ",
    "android time-first 12-hour": "9:05 PM, 3/14/24 - ",
    "android time-first marker-first": "下午9:05, 2024/3/14 - ",
    "ios": "[14/03/2024, 09:05:12] ",
    "ios 12-hour": "[3/14/24, 9:05:12 PM] ",
    "ios marker-first": "[2024/3/14 下午9:05:12] ",
    "ios time-first": "[14:56:01, 3/18/22] ",
    "ios time-first 12-hour": "[2:56:01 PM, 3/18/22] ",
    "ios time-first marker-first": "[下午2:56:01, 2024/3/18] ",
}

#: Read when neither the days nor the chronology decide (chat-miner's choice: most of the
#: world writes the day first); reported "ambiguous".
AMBIGUOUS_ORDER = "dmy"
_HEAD_CHARS = 65536
_HEAD_LINES = 200

_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = {ord("\u202f"): " ", ord("\u00a0"): " ", ord("\u2009"): " ", ord("\u060c"): ","}
_DIGITS = {ord(zero) + i: str(i) for zero in NATIVE_DIGIT_ZEROS for i in range(10)}
_TRANSLATE = {**_SPACES, **_DIGITS}
_NATIVE_DIGIT_RE = re.compile(
    "[" + "".join(f"{z}-{chr(ord(z) + 9)}" for z in NATIVE_DIGIT_ZEROS) + "]"
)
#: No header is longer than this (``[2022. 03. 18. ก่อนเที่ยง 10:37:00, ...] `` is about 40).
_HEADER_CHARS = 64


def _norm_mark(word: str) -> str:
    return word.replace(".", "").replace(" ", "").lower()


_PM_BY_MARK = {
    _norm_mark(word): pm
    for am_words, pm_words in AM_PM.values()
    for pm, words in ((False, am_words), (True, pm_words))
    for word in words
}


def _words(words: list[str]) -> str:
    # Longest first, so that "p.m." is not cut at "p"; a final dot is optional ("du" / "du.").
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(
        re.escape(w.rstrip(".")) + (r"\.?" if w.endswith(".") else "") for w in ordered
    )


_MARK = (
    r"(?i:[ap]\.? ?m\b\.?|" + _words([w for am, pm in AM_PM.values() for w in (*am, *pm)]) + ")"
)
_ERA = _words(list(JAPANESE_ERAS))
_BE = _words(list(BUDDHIST_ERA_SUFFIXES))


def _when(
    tag: str, mark: str = _MARK, *, era: bool = True, buddhist: bool = True, klo: bool = True
) -> str:
    """The date-time part, date first or time first; `tag` keeps group names apart,
    `mark` is the pattern of an AM/PM marker, and `era`, `buddhist` and `klo` keep the
    Japanese era, the Buddhist-era suffix and the Finnish ``klo`` (all on by default).

    A Japanese era prefixes the year, first (``R4/03/18``) or last (``3/18/R4``).
    """
    era_ = f"(?:{_ERA})?" if era else ""
    # The middle field may be a four-digit year ("06/2018/13", read by Pustur's parser).
    date_ = rf"(?P<date{tag}>{era_}\d{{1,4}}[./-] ?\d{{1,4}}[./-] ?{era_}\d{{1,4}})\.?" + (
        rf"(?: ?(?:{_BE}))?" if buddhist else ""
    )
    time_ = rf"(?P<time{tag}>\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?)"
    first = rf"(?:(?P<pre{tag}>{mark}) ?)?"
    after = rf"(?: ?(?P<post{tag}>{mark}))?"
    if tag == "t":  # time first: only colons in the time, or "09.05.12, 14.03.24" is a date
        time_ = rf"(?P<time{tag}>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)"
        return rf"{first}{time_}{after},? {date_}"
    return rf"{date_},? {'(?:klo )?' if klo else ''}{first}{time_}{after}"


_WHEN = rf"(?:{_when('')}|{_when('t')})"
#: What ends an Android header: " - " always (two spaces before the dash in some exports:
#: rwhatsapp's test chats); ": " ("13.06.18 21.25.15: Bo: hi") or a
#: bare space before "Name: " ("13. 6. 2018. 21:25:15 Bo: hi") after a dotted date (the
#: locales that write them); ": " after a slash or dash date, a space and a 24-hour time
#: with seconds (the old "09/12/2012 17:02:35: Bo: hi", "30-01-16 12:51:20: Bo: hi";
#: "1/13/24 9:03 PM: Bo: hi" is no WhatsApp layout). The dashless forms count only in a
#: file whose first header is written so, or a message quoting a date and a time would
#: start a message.
_DASH = r" {0,2}[-–] "
_DOTTED = r"(?P<dotted>(?=\d{1,4}\. ?\d{1,4}\. ?\d{1,4}\.?[ ,]))?"
_SPACED = r"(?P<spaced>(?=\d{1,2}(?P<sep>[/-])\d{1,2}(?P=sep)\d{2,4} \d{1,2}:\d{2}:\d{2}: ))?"
_LOOSE = (
    rf"(?(dotted)(?:{_DASH}|(?P<colon>: )|(?P<bare> )(?=[^:]{{1,80}}: ))"
    rf"|(?(spaced)(?P<timecolon>: )|{_DASH}))"
)
_IOS_RE = re.compile(rf"\[{_WHEN}\] ?(?P<rest>.*)", re.DOTALL)
_ANDROID_RE = re.compile(rf"{_WHEN}{_DASH}(?P<rest>.*)", re.DOTALL)
_LOOSE_RE = re.compile(rf"{_DOTTED}{_SPACED}{_WHEN}{_LOOSE}(?P<rest>.*)", re.DOTALL)


def header_pattern(loose: bool) -> re.Pattern[str]:
    """The header regex of both families for a whole block of lines (``re.MULTILINE``).

    Groups as :func:`match_header`'s, plus ``ios`` (the bracket) and, when `loose`,
    ``dotted``/``spaced`` and ``colon``/``bare``/``timecolon`` (the Android header ended
    by ": " or by a space before the author, see :func:`is_loose`).
    """
    start, end = (_DOTTED + _SPACED, _LOOSE) if loose else ("", _DASH)
    return re.compile(
        rf"^(?P<ios>\[)?{start}{_WHEN}(?(ios)\] ?|{end})(?P<rest>[^\n]*)", re.MULTILINE
    )


def _both_halves(marks: Iterable[str]) -> set[str]:
    """`marks` and their other halves of the day, as the same locale writes them: a chat's
    first lines may all be before noon (``AM`` -> ``PM``, ``a. m.`` -> ``p. m.``,
    ``午前`` -> ``午後``)."""
    found = set(marks)
    for mark in marks:
        if re.fullmatch(r"[aApP]\.? ?[mM]\.?", mark):
            swap = {"a": "p", "p": "a", "A": "P", "P": "A"}
            found.add(swap[mark[0]] + mark[1:])
        for am_words, pm_words in AM_PM.values():
            for words, others in ((am_words, pm_words), (pm_words, am_words)):
                if mark in words and len(others) > words.index(mark):
                    found.add(others[words.index(mark)])
    return found


def arrow_patterns(
    ios: bool,
    time_first: bool,
    marks: tuple[str, ...],
    dates: Iterable[str] = (),
    sample: str = "",
) -> tuple[str, str]:
    """The strict header in RE2 syntax (the engine of Arrow's string kernels), for
    :mod:`~trustgraph.ingest.whatsapp_arrow`: ``(any header, one layout's date and time)``.

    The first pattern matches a line exactly when :func:`header_pattern` (not loose)
    does at its start, in an ASCII-digit text: RE2 has no conditional, so the bracket
    decides between two alternatives. The second matches the whole of the date-time part
    of one family and order whose marker, if any, is one of `marks` (the text before
    ``" - "``, or after ``"["`` and before ``"] "``), with the groups ``date``, ``time``,
    ``pre`` and ``post``. It has the Japanese era only when one of `dates` (the chat's
    first dates) has one, the Buddhist-era suffix and ``klo`` only when `sample` (its
    first lines) has them: each costs RE2 about twice the time, and a row that needs one
    the pattern lacks is read by Python instead.
    """
    bare = re.sub(r"\(\?P<\w+>", "(?:", _WHEN)
    any_header = rf"^(?:\[{bare}\] ?|{bare}{_DASH})"
    # An empty class matches nothing: a 24-hour chat's rows have no marker.
    mark = "|".join(re.escape(m) for m in sorted(_both_halves(marks), key=len, reverse=True))
    when = _when(
        "t" if time_first else "",
        "(?:" + (mark or r"[^\x00-\x{10ffff}]") + ")",
        era=any(char.isalpha() for date in dates for char in date),
        buddhist=re.search(rf"\d ?(?:{_BE})", sample) is not None,
        klo=" klo " in sample,
    )
    when = re.sub(r"\(\?P<(date|time|pre|post)t>", r"(?P<\1>", when)
    # No "- " in the date ("18- 3- 2022"): the text before the first " - " is then the
    # whole date-time part, as Python's pattern reads it (it could end at such a dash).
    when = when.replace("[./-] ?", "(?:[./] ?|-)")
    return any_header, (r"^\[" if ios else "^") + when + "$"


def clean(line: str) -> str:
    """`line` normalised for matching (see the module docstring).

    >>> clean("\u200e[3/14/24, 9:05:12\u202fPM] Bo")
    '[3/14/24, 9:05:12 PM] Bo'
    >>> clean("١٨/٣/٢٠٢٢، ٢:٥٦ م - Bo")
    '18/3/2022, 2:56 م - Bo'
    """
    if line.isascii():
        return line
    text = _INVISIBLE_RE.sub("", line)
    text = text.replace("\u202f", " ").replace("\u00a0", " ").replace("\u2009", " ")
    if _NATIVE_DIGIT_RE.search(text, 0, _HEADER_CHARS):
        # Native digits matter in the header only: translating a whole long line is slow.
        text = text[:_HEADER_CHARS].translate(_TRANSLATE) + text[_HEADER_CHARS:]
    return unicodedata.normalize("NFKC", text)


def clean_text(text: str) -> str:
    """:func:`clean` for a block of whole lines: native digits become ASCII everywhere
    (one character for one, so lengths stay those :func:`clean` gives)."""
    if text.isascii():
        return text
    text = _INVISIBLE_RE.sub("", text)
    for space in ("\u202f", "\u00a0", "\u2009"):
        if space in text:
            text = text.replace(space, " ")
    if _NATIVE_DIGIT_RE.search(text):
        text = text.translate(_TRANSLATE)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def match_header(line: str, loose: bool = False) -> re.Match[str] | None:
    """The header match of a cleaned line, or None when the line continues a message.

    The match has the groups ``date``/``time``/``pre``/``post`` (date first) or
    the same names suffixed ``t`` (time first), and ``rest`` (after the header).
    `loose` also accepts an Android header ended by ": " or by a bare space before the
    author (see :func:`header_pattern`).
    """
    if line[:1] == "[":
        return _IOS_RE.match(line)
    return (_LOOSE_RE if loose else _ANDROID_RE).match(line)


def is_loose(match: re.Match[str]) -> bool:
    """Whether `match` (of a loose pattern) is an Android header without the dash."""
    if "colon" not in match.re.groupindex:
        return False
    return (match["colon"] or match["bare"] or match["timecolon"]) is not None


_GROUPS = ("date", "time", "pre", "post", "datet", "timet", "pret", "postt")


def _layout_name(ios: bool, time_first: bool, pre: bool, post: bool) -> str:
    parts = ["ios" if ios else "android", "time-first" if time_first else ""]
    parts.append("marker-first" if pre else "12-hour" if post else "")
    return " ".join(p for p in parts if p)


#: Layout name by (iOS, time first, marker before the time, marker after it).
LAYOUT_NAMES = {
    (ios, time_first, pre, post): _layout_name(ios, time_first, pre, post)
    for ios in (False, True)
    for time_first in (False, True)
    for pre in (False, True)
    for post in (False, True)
}


def header_parts(match: re.Match[str]) -> tuple[str, str, str | None, str]:
    """``(date, time, marker, layout name)`` of a header match (one of :data:`LAYOUTS`)."""
    date_, time_, pre, post, date_t, time_t, pre_t, post_t = match.group(*_GROUPS)
    if date_ is None:
        date_, time_, pre, post = date_t, time_t, pre_t, post_t
    ios = match.string[:1] == "["
    return date_, time_, pre or post, LAYOUT_NAMES[ios, date_t is not None, bool(pre), bool(post)]


def layout_of(match: re.Match[str]) -> str:
    """The name of the :data:`LAYOUTS` entry `match` is in."""
    return header_parts(match)[3]


_DATE_SPLIT_RE = re.compile(r"[./-] ?")
_ERA_RE = re.compile(rf"^({_ERA})(\d+)$")


def date_fields(text: str) -> tuple[str, str, str]:
    """The three fields of a header date (``"2022. 3. 18"`` -> ``("2022", "3", "18")``)."""
    a, b, c = _DATE_SPLIT_RE.split(text)
    return a, b, c


def day_month_year(fields: tuple[str, str, str], order: str) -> tuple[str, str, str]:
    """``(day, month, year)`` fields of a header date read in `order`.

    A four-digit (or era) first field is the year whatever the order, and so is a
    four-digit middle field ("06/2018/13"): the other two are then read in `order`'s
    day/month order.

    >>> day_month_year(("06", "2018", "13"), "mdy"), day_month_year(("13", "2018", "06"), "dmy")
    (('13', '06', '2018'), ('13', '06', '2018'))
    """
    a, b, c = fields
    if order == "ymd" or len(a) == 4 or not a[0].isdigit():
        return c, b, a
    if len(b) == 4:
        return (c, a, b) if order == "mdy" else (a, c, b)
    if order == "dmy":
        return a, b, c
    return b, a, c


def resolve_date(fields: tuple[str, str, str], order: str) -> date:
    """The Gregorian date of header date `fields` read in `order` (``dmy``/``mdy``/``ymd``).

    A four-digit first field makes the date year-first whatever the order; a four-digit
    middle field is the year between day and month (:func:`day_month_year`). A field with
    a Japanese era is the year (``R4`` = 2022); two-digit years are 20xx; four-digit
    years from 2400 to 2699 are Buddhist era.

    Raises
    ------
    ValueError
        No such date (e.g. month 14): the order is probably wrong.

    Examples
    --------
    >>> resolve_date(("3", "18", "2565"), "mdy")  # Buddhist era
    datetime.date(2022, 3, 18)
    >>> resolve_date(("3", "18", "R4"), "mdy"), resolve_date(("R4", "03", "18"), "dmy")
    (datetime.date(2022, 3, 18), datetime.date(2022, 3, 18))
    >>> resolve_date(("H31", "4", "30"), "dmy")  # Heisei 31, the last year of the era
    datetime.date(2019, 4, 30)
    >>> resolve_date(("06", "2018", "13"), "mdy")  # the year in the middle
    datetime.date(2018, 6, 13)
    """
    day, month, year = day_month_year(fields, order)
    era = _ERA_RE.match(year)
    if era is not None:
        number = JAPANESE_ERAS[era[1]] + int(era[2]) - 1
    else:
        number = int(year)
        if len(year) <= 2:
            number += 2000
        elif BUDDHIST_ERA_FROM <= number < BUDDHIST_ERA_TO:
            number -= BUDDHIST_ERA_OFFSET
    return date(number, int(month), int(day))


class DateOrderConflict(ValueError):
    """Some dates exist only day-first and as many others only month-first."""

    def __init__(self, day_first: tuple[str, str, str], month_first: tuple[str, str, str]):
        super().__init__("dates are both day-first and month-first")
        self.day_first, self.month_first = day_first, month_first


def _reads(fields: tuple[str, str, str], order: str) -> date | None:
    try:
        return resolve_date(fields, order)
    except ValueError:
        return None


def infer_order(dates: list[tuple[str, str, str]]) -> tuple[str, str]:
    """The order of a chat's date fields, and how it was decided.

    `dates` are the distinct header dates in the order they first appear. Year-first
    dates decide nothing. Otherwise the order under which fewer dates are impossible
    wins (a day above 12 shows the order); when both read every date, the order under
    which the dates go back in time less often wins (a chat is written forwards); when
    that ties too the file is ambiguous and read day-first, the choice of chat-miner.

    Raises
    ------
    DateOrderConflict
        As many dates exist only day-first as only month-first (none would be skipped
        for a reason better than the other's).

    Examples
    --------
    >>> infer_order([("14", "03", "24"), ("15", "03", "24")])
    ('dmy', 'day-first (inferred)')
    >>> infer_order([("1", "12", "24"), ("1", "13", "24")])
    ('mdy', 'month-first (inferred)')
    >>> infer_order([("1", "12", "24"), ("2", "1", "24")])  # 12 Jan, 1 Feb; not 1 Dec, 2 Jan
    ('mdy', 'month-first (inferred from the order of the dates)')
    >>> infer_order([("1", "2", "24"), ("3", "4", "24")])[1][:9]  # both read forwards
    'ambiguous'
    """
    short = [d for d in dates if len(d[0]) != 4 and d[0][:1].isdigit()]
    if not short:
        return "ymd", "year-first"
    read = {order: [_reads(d, order) for d in short] for order in ("dmy", "mdy")}
    bad = {order: [d for d, when in zip(short, read[order]) if when is None] for order in read}
    if len(bad["dmy"]) != len(bad["mdy"]):
        order = min(bad, key=lambda o: len(bad[o]))
        return order, f"{'day' if order == 'dmy' else 'month'}-first (inferred)"
    if bad["dmy"]:
        raise DateOrderConflict(bad["mdy"][0], bad["dmy"][0])
    backwards = {
        order: sum(b < a for a, b in itertools.pairwise(seq))  # type: ignore[operator]
        for order, seq in read.items()
    }
    if backwards["dmy"] != backwards["mdy"]:
        order = min(backwards, key=lambda o: backwards[o])
        name = "day" if order == "dmy" else "month"
        return order, f"{name}-first (inferred from the order of the dates)"
    return AMBIGUOUS_ORDER, (
        f"ambiguous: every day and month is <= 12, read as {AMBIGUOUS_ORDER} "
        "(pass date_format='dmy' or 'mdy')"
    )


_TIME_SPLIT_RE = re.compile(r"[:.]")


def clock(time: str, marker: str | None) -> tuple[int, int, int]:
    """``(hour, minute, second)`` on a 24-hour clock of a header time and its marker.

    With a marker, hours 1-12 are a 12-hour clock (12 AM is midnight). Some Android
    locales write a 24-hour time *and* a marker (``00:08 a. m.``, ``13:05 p. m.``): such
    a time is read on the 24-hour clock when the marker agrees with it (hour 0 with a
    morning word, 13-23 with an afternoon word) -- WhatsApp means 00:08 there.

    Raises
    ------
    ValueError
        An hour the marker contradicts (``0:08 PM``, ``14:00 AM``), an hour above 23,
        or minutes or seconds above 59.

    Examples
    --------
    >>> clock("12:10", "AM"), clock("12:30", "p. m."), clock("9:05", "오후")
    ((0, 10, 0), (12, 30, 0), (21, 5, 0))
    >>> clock("00:08", "a. m."), clock("14:56:01", None)
    ((0, 8, 0), (14, 56, 1))
    """
    parts = _TIME_SPLIT_RE.split(time)
    hour, minute = int(parts[0]), int(parts[1])
    second = int(parts[2]) if len(parts) > 2 else 0
    if marker is not None:
        pm = _PM_BY_MARK.get(_norm_mark(marker))
        if pm is None:  # the Latin pattern: a.m., P M, ...
            pm = _norm_mark(marker).startswith("p")
        if 1 <= hour <= 12:
            hour = hour % 12 + (12 if pm else 0)
        elif not ((hour == 0 and not pm) or (13 <= hour <= 23 and pm)):
            raise ValueError(f"hour {hour} contradicts the marker {marker!r}")
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"no such time {time}")
    return hour, minute, second


def _head_lines(head_text: str) -> list[str]:
    lines = []
    for line in head_text[:_HEAD_CHARS].splitlines():
        if line.strip():
            lines.append(clean(line))
            if len(lines) == _HEAD_LINES:
                break
    return lines


def score_whatsapp(head_text: str) -> float:
    """How much `head_text` looks like a WhatsApp chat export, from 0 to 1.

    The fraction of the first 200 non-blank lines of the first 64 KB that start with a
    header in one of the :data:`LAYOUTS`. Lines that continue a multi-line message lower
    the score, so a real chat scores between about 0.5 and 1; a file with no header
    scores 0. Pure: no file access, no state.

    >>> score_whatsapp("14/03/2024, 09:05 - Ada: hi\\nsecond line\\n\\n")
    0.5
    >>> score_whatsapp("[14:56:01, 3/18/22] Ada: hi\\n[14:57:00, 3/18/22] Bo: ok")
    1.0
    >>> score_whatsapp("name,phone\\nAda,+15550100")
    0.0
    """
    lines = _head_lines(head_text)
    if not lines:
        return 0.0
    return sum(match is not None for match in _head_matches(lines)) / len(lines)


def _head_matches(lines: list[str]) -> list[re.Match[str] | None]:
    """Each line's header match; the first header decides whether dashless Android
    headers count (as the reader does)."""
    matches, loose = [], None
    for line in lines:
        match = match_header(line, loose is not False)
        if match is not None and loose is None:
            loose = is_loose(match)
        matches.append(match)
    return matches


def describe_whatsapp_miss(head_text: str) -> str:
    """One line saying what :func:`score_whatsapp` saw in `head_text`, by its shape only.

    Never a quotation: the first line of a chat can be a message, and message text never
    reaches an error (DESIGN.md). A file without headers is described by its first
    non-blank line's length, its fields and whether it starts with a digit.

    >>> print(describe_whatsapp_miss("shopping list\\nmilk\\n"))  # doctest: +NORMALIZE_WHITESPACE
    WhatsApp: no line starts with a date-time header in the 12 layouts known; the first
    line has 13 characters, starts with a letter and has no comma, semicolon or tab
    >>> describe_whatsapp_miss("name,phone\\nAda,+15550100").split("; ")[1]
    'the first line has 10 characters, starts with a letter and has 2 comma-separated fields'
    >>> describe_whatsapp_miss("x\\n3/14/24, 9:05 PM - Ada: hi\\n")
    'WhatsApp: 1 of 2 non-blank lines start with a date-time header (android 12-hour)'
    """
    lines = _head_lines(head_text)
    if not lines:
        return "WhatsApp: the file has no text"
    layouts = Counter(layout_of(m) for m in _head_matches(lines) if m is not None)
    if not layouts:
        return (
            f"WhatsApp: no line starts with a date-time header in the {len(LAYOUTS)} layouts "
            f"known; the first line {_shape(lines[0])}"
        )
    found = ", ".join(name for name, _ in layouts.most_common(2))
    return (
        f"WhatsApp: {sum(layouts.values())} of {len(lines)} non-blank lines start with a "
        f"date-time header ({found})"
    )


def _shape(line: str) -> str:
    """What a line looks like, in words that quote none of it."""
    first = line.lstrip()[:1]
    start = (
        "a digit"
        if first.isdigit()
        else "a letter"
        if first.isalpha()
        else "a bracket"
        if first in "[("
        else "a symbol"
    )
    for name, separator in (("comma", ","), ("semicolon", ";"), ("tab", "\t")):
        if separator in line:
            fields = f"has {line.count(separator) + 1} {name}-separated fields"
            break
    else:
        fields = "has no comma, semicolon or tab"
    return f"has {len(line)} characters, starts with {start} and {fields}"
