"""Escaping untrusted text for each kind of output: CSV cells, Markdown, the terminal.

Names, e-mail subjects and file names come from other people's messages: a contact may be
called ``=HYPERLINK("http://evil.example")``, ``![x](http://tracker.example/p.png)`` or
``[link=file:///etc/passwd]click[/link]``. Every writer that puts such text into a
spreadsheet, a Markdown page or a terminal goes through one function of this module, so
that the rule for each output lives in one place:

* :func:`csv_cell` / :func:`csv_text`: the OWASP rule against CSV (formula) injection;
  :func:`unescape_csv_text` is its exact inverse, for readers.
* :func:`markdown_text`: Markdown and HTML significant characters as literal text.
* :func:`terminal_text`: control characters and escape sequences made visible, rich
  markup neutralised; :func:`printable_text` does the first half for plain output.

References
----------
.. [1] OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection.
.. [2] J. MacFarlane, "CommonMark Spec", version 0.31.2, section 2.4 "Backslash escapes",
   https://spec.commonmark.org/0.31.2/.
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = [
    "FORMULA_STARTS",
    "csv_cell",
    "csv_text",
    "markdown_text",
    "printable_text",
    "terminal_text",
    "unescape_csv_text",
]

#: First characters that make a spreadsheet evaluate a cell (OWASP), with the full-width
#: forms some spreadsheets also accept as formula starts.
FORMULA_STARTS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
# A cell needs the quote when, after any quotes it already starts with, a formula start
# follows. Escaping those already-quoted cells too keeps the rule reversible.
_NEEDS_QUOTE = re.compile(f"'*[{re.escape(FORMULA_STARTS)}]")
_ESCAPED = re.compile(f"'+[{re.escape(FORMULA_STARTS)}]")

# C0 and C1 control characters, DEL, the Unicode line and paragraph separators and the
# bidirectional overrides and isolates ("Trojan Source"): none has a place in a name.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# ASCII punctuation with a meaning in CommonMark, GitHub Flavored Markdown (tables,
# strikethrough) or common extensions (math, footnotes, highlight): escaped with "\".
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()#+-!|~$^=:")
_MARKDOWN_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")


# ---------------------------------------------------------------------------- CSV
def csv_text(text: str) -> str:
    """A text cell a spreadsheet shows instead of evaluating (OWASP CSV injection rule).

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
    full-width forms) gets a leading ``'``, which spreadsheets take as "this is text". A
    cell that already starts with quotes followed by such a character gets one more, so
    that :func:`unescape_csv_text` recovers every original exactly.

    Quoting of delimiters, quotes and line breaks is the CSV writer's job (``csv.writer``);
    this function only decides the cell's text.

    Examples
    --------
    >>> csv_text('=HYPERLINK("http://evil.example")')
    '\\'=HYPERLINK("http://evil.example")'
    >>> csv_text("Ada Example"), csv_text("-2+3"), csv_text("'=x")
    ('Ada Example', "'-2+3", "''=x")
    """
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def unescape_csv_text(text: str) -> str:
    """Undo :func:`csv_text`: the exact inverse, for readers of the files we write.

    Only a cell made of quotes followed by a formula start loses its first quote; any other
    text is returned unchanged.

    Examples
    --------
    >>> unescape_csv_text("'=SUM(1)"), unescape_csv_text("''=x"), unescape_csv_text("'tis")
    ('=SUM(1)', "'=x", "'tis")
    >>> all(unescape_csv_text(csv_text(s)) == s for s in ["=1", "'=1", "''+1", "-", "'a"])
    True
    """
    return text[1:] if _ESCAPED.match(text) else text


def csv_cell(value: Any) -> str:
    """One CSV cell: numbers as numbers, text through :func:`csv_text`.

    Numbers (``bool``, ``int``, ``float`` and numpy scalars) are never escaped, so a
    negative weight stays ``-0.5`` and a spreadsheet still sees a number; floats are
    written with ``repr`` (shortest exact form). ``None`` and ``NaN`` give an empty cell.

    Examples
    --------
    >>> [csv_cell(v) for v in [-0.5, 3, True, None, "@SUM(A1)", "bob"]]
    ['-0.5', '3', 'True', '', "'@SUM(A1)", 'bob']
    """
    if value is None:
        return ""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        # A numpy scalar; checked by module so that the CLI's start-up does not load numpy.
        value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return csv_text(str(value))


# ---------------------------------------------------------------------------- display
def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable_text(value: object) -> str:
    """`value` as text with control characters shown as escapes, never sent raw.

    C0 and C1 control characters (so every ESC sequence), DEL, the Unicode line and
    paragraph separators and the bidirectional overrides become ``\\n``, ``\\x1b``,
    ``\\u202e``... Use it for plain (non-rich) terminal output of untrusted text.

    Examples
    --------
    >>> printable_text("Bo\\x1b]0;pwned\\x07 Sample\\n")
    'Bo\\\\x1b]0;pwned\\\\x07 Sample\\\\n'
    """
    return _INVISIBLE.sub(_visible, str(value))


def terminal_text(value: object) -> str:
    """Untrusted text ready for a rich console: controls visible, markup neutralised.

    :func:`printable_text` first (no ESC sequence reaches the terminal), then
    :func:`rich.markup.escape`, so ``[link=file:///etc/passwd]`` or ``[/b]`` is printed as
    written instead of becoming a link or raising ``MarkupError``. Print with
    ``Console(emoji=False)`` as well, or ``:smile:`` in a name becomes an emoji.

    Examples
    --------
    >>> terminal_text("[link=file:///etc/passwd]click[/link]")
    '\\\\[link=file:///etc/passwd]click\\\\[/link]'
    >>> terminal_text("\\x1b[31mred")
    '\\\\x1b[31mred'
    """
    from rich.markup import escape

    return escape(printable_text(value))


def markdown_text(value: object) -> str:
    """Untrusted text as literal Markdown inline text (also safe inside a table cell).

    Control characters become visible escapes (see :func:`printable_text`), so a name can
    never start a new line, heading or table row; ``&``, ``<`` and ``>`` become HTML
    entities, so no tag or autolink survives; the punctuation Markdown gives a meaning
    (``\\ ` * _ { } [ ] ( ) # + - ! | ~ $ ^ = :``, and ``1.`` at the start) is escaped with
    a backslash, so no link, image, emphasis, code span or table cell boundary survives.
    A renderer shows exactly the original characters.

    Examples
    --------
    >>> markdown_text('"><img src=x onerror=alert(1)>')
    '"&gt;&lt;img src\\\\=x onerror\\\\=alert\\\\(1\\\\)&gt;'
    >>> markdown_text("![x](http://tracker.example/p.png)")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\://tracker.example/p.png\\\\)'
    >>> markdown_text("Bo | PMP")
    'Bo \\\\| PMP'
    """
    out = []
    for char in printable_text(value):
        if char in _MARKDOWN_ENTITIES:
            out.append(_MARKDOWN_ENTITIES[char])
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    # "1." opening a line starts an ordered list; "1)" is already escaped above.
    return _ORDERED_LIST_START.sub(r"\1\\\2", "".join(out))
