"""What the model reads, aligned to what the user passed.

Scraped news carries characters that change nothing for a reader but split or
garble words for the model: decomposed tone marks (NFD), non-breaking and other
Unicode spaces, tabs, zero-width characters, soft hyphens, control and bidi
characters, and (when the input is a page) HTML tags and entities. `normalize`
rewrites them into NFC text with plain spaces and line breaks, and keeps, for
every character it writes, the span of the original it came from. The
tokenizer segments the normalised text and cuts the Doc from the original
along that alignment, so `doc.text` is the string the user passed and every
offset points into it.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

# deleted: zero-width and soft-hyphen characters, and what else has no glyph (Unicode Cc and Cf)
_DELETED_CATEGORIES = {"Cc", "Cf"}
_LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# a character outside this class sends a text down the slow path; most news text never does
_NEEDS_WORK = re.compile(r"[^\S \n]|[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e"
                         r"\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# HTML: comments and script/style blocks go whole; tags of blocks end a line, inline tags go; entities are read
_BLOCK_TAGS = ("p|br|div|li|ul|ol|tr|td|th|table|h[1-6]|section|article|header|footer|blockquote|"
               "figure|figcaption|title|hr|dd|dt|dl|pre|main|aside|nav")
_MARKUP = re.compile(
    r"(?P<drop><!--.*?-->|<(?P<raw>script|style)\b[^>]*>.*?</(?P=raw)\s*>)"
    rf"|(?P<block></?(?:{_BLOCK_TAGS})\b[^<>]*>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)",
    re.S | re.I,
)


@dataclass(frozen=True)
class Normalized:
    """`text` for the model; `starts[i]`, `ends[i]`: the original span of its character i (None: unchanged)."""

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original (start, end) of the normalised characters [start, end), end > start."""
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def require_unicode(text: str) -> None:
    """A ValueError naming the character offset of a lone surrogate (from bytes decoded with
    surrogateescape, or a JSON `"\\ud800"`): it is not Unicode text, and spaCy cannot store it."""
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise ValueError(f"not Unicode text: a lone surrogate (U+{ord(surrogate.group()):04X}) at character "
                         f"{surrogate.start()}; decode the bytes with errors='replace'")


def _char(c: str) -> str:
    """One character as the model reads it: a space, a line break, nothing, or itself."""
    if c == " " or c == "\n":
        return c
    if c in _LINE_BREAKS:
        return "\n"
    if c.isspace():
        return " "
    if unicodedata.category(c) in _DELETED_CATEGORIES or c == "\u034f":
        return ""
    return c


def normalize(text: str, html_markup: bool = False) -> Normalized:
    """NFC text with every Unicode space or tab as a space, line separators as `\\n`, zero-width, soft-hyphen,
    control and format characters removed and, with `html_markup`, tags and entities read as a browser shows
    them; aligned to `text`."""
    if (unicodedata.is_normalized("NFC", text) and not _NEEDS_WORK.search(text)
            and not (html_markup and ("<" in text or "&" in text))):
        return Normalized(text)
    require_unicode(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(s: str, a: int, b: int) -> None:
        out.append(s)
        starts.extend([a] * len(s))
        ends.extend([b] * len(s))

    def plain(a: int, b: int) -> None:
        i = a
        while i < b:
            j = i + 1
            while j < b and unicodedata.combining(text[j]):
                j += 1
            if j > i + 1:  # a base character and its combining marks (NFD tone marks): composed together
                emit(unicodedata.normalize("NFC", "".join(map(_char, text[i:j]))), i, j)
            else:
                emit(_char(text[i]), i, j)
            i = j

    pos = 0
    if html_markup:
        for m in _MARKUP.finditer(text):
            plain(pos, m.start())
            if m.group("block"):
                emit("\n", m.start(), m.end())
            elif m.group("entity"):
                value = html.unescape(m.group())
                emit("".join(map(_char, unicodedata.normalize("NFC", value))) if value != m.group() else value,
                     m.start(), m.end())
            pos = m.end()
    plain(pos, len(text))
    return Normalized("".join(out), starts, ends)


def plain_text(text: str) -> str:
    """The normalised form of a piece of a document (a token, an entity): what the model and the value
    parsers read. Markup is read as HTML: a whole tag or entity in a token only arises from HTML input."""
    return normalize(text, html_markup=True).text
