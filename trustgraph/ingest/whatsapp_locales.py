"""Data tables for WhatsApp chat exports: clock markers, digits, eras and localised markers.

Nothing here is code: the reader (:mod:`trustgraph.ingest.whatsapp`) and the header
layouts (:mod:`trustgraph.ingest.whatsapp_layouts`) compile these tables once, at import.
Adding a language means adding strings, never a branch.

Where the strings were checked
------------------------------
- AM/PM words: ``p. m.``/``a. m.`` and ``p.m.`` in joweich/chat-miner
  ``test/whatsapp/testlog.txt``; U+202F before ``PM`` in Pustur/whatsapp-chat-parser #248;
  ``上午/下午`` and ``오전/오후`` in hellodigua/ChatLab #282; the others are the
  ``AmPmMarkers`` of the Unicode CLDR locale data WhatsApp's date formatting uses (ICU),
  for the languages listed.
- Japanese eras: the CLDR ``japanese`` calendar (era start years, ``R``/``H`` abbreviations
  of the ``GGGGG`` narrow form); the Buddhist era offset (543) from the CLDR ``buddhist``
  calendar, the calendar of Thai phones.
- Native digits: the Unicode ``Nd`` blocks (``unicodedata.digit`` agrees; tested).
"""

from __future__ import annotations

__all__ = [
    "AM_PM",
    "BUDDHIST_ERA_OFFSET",
    "BUDDHIST_ERA_SUFFIXES",
    "JAPANESE_ERAS",
    "NATIVE_DIGIT_ZEROS",
]

#: Clock markers by language: (morning words, afternoon words). Latin ``am``/``a.m.``/
#: ``A. M.`` in any case and spacing are matched by one pattern and need no entry; words
#: are compared after removing dots and spaces and lower-casing, so ``p. m.`` = ``p.m.``.
AM_PM: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("AM", "a.m."), ("PM", "p.m.")),
    "es": (("a. m.",), ("p. m.",)),
    "zh": (("上午",), ("下午",)),
    "ja": (("午前",), ("午後",)),
    "ko": (("오전",), ("오후",)),
    "ar": (("ص",), ("م",)),
    "fa": (("ق.ظ.",), ("ب.ظ.",)),
    "hu": (("de.",), ("du.",)),
    "el": (("π.μ.",), ("μ.μ.",)),
    "vi": (("SA",), ("CH",)),
    "th": (("ก่อนเที่ยง",), ("หลังเที่ยง",)),
    "hi": (("पूर्वाह्न",), ("अपराह्न",)),
    "tr": (("ÖÖ",), ("ÖS",)),
    "cs": (("dop.",), ("odp.",)),
    "de": (("vorm.",), ("nachm.",)),
    "sv": (("fm",), ("em",)),
    "fi": (("ap.",), ("ip.",)),
    "he": (("לפנה״צ",), ("אחה״צ",)),
    "ms": (("PG",), ("PTG",)),
    "bn": (("পূর্বাহ্ণ",), ("অপরাহ্ণ",)),
}

#: The first code point (digit zero) of each run of ten native digits WhatsApp writes
#: in dates and times: Arabic-Indic, Persian (extended Arabic-Indic), Devanagari, Bengali,
#: Thai, Myanmar. Full-width digits need no entry: NFKC folds them.
NATIVE_DIGIT_ZEROS: tuple[str, ...] = (
    "\u0660",  # ٠ Arabic-Indic
    "\u06f0",  # ۰ Persian
    "\u0966",  # ० Devanagari
    "\u09e6",  # ০ Bengali
    "\u0e50",  # ๐ Thai
    "\u1040",  # ၀ Myanmar
)

#: Japanese-calendar eras: prefix before the year -> Gregorian year of the era's year 1
#: (``R4`` = Reiwa 4 = 2019 + 4 - 1 = 2022; ``H31`` = 2019).
JAPANESE_ERAS: dict[str, int] = {
    "M": 1868,
    "T": 1912,
    "S": 1926,
    "H": 1989,
    "R": 2019,
    "明治": 1868,
    "大正": 1912,
    "昭和": 1926,
    "平成": 1989,
    "令和": 2019,
}

#: Buddhist-era years are Gregorian + 543 (2565 BE = 2022). A four-digit year from this
#: value on is read as Buddhist era even without a suffix: no chat is dated after 2400.
BUDDHIST_ERA_OFFSET = 543
BUDDHIST_ERA_FROM = 2400
BUDDHIST_ERA_SUFFIXES: tuple[str, ...] = ("BE", "B.E.", "พ.ศ.")
