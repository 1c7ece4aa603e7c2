"""Tone-mark placement: rewrite `ủy`, `hòa`, `khỏe` as `uỷ`, `hoà`, `khoẻ`.

PhoBERT's vocabulary was built from RDRSegmenter output, which puts the tone
mark on the last vowel of the open syllables `oa`, `oe`, `uy`: `Quận_uỷ` is one
vocabulary entry while `Quận_ủy` falls apart into pieces. Rewriting the input
to that placement changes what the encoder sees, never the document text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# a tone mark on o/u of a syllable-final oa, oe, uy (not after q: `quý` has no such pair)
_PATTERN = re.compile(
    rf"(?<![qQ])([oOuU])([{_TONES}])([aAeEyY])(?![\w\u0300-\u036f])"
)


def _fix(m: re.Match) -> str:
    first, tone, second = m.groups()
    pair = (first + second).lower()
    if pair not in ("oa", "oe", "uy"):
        return m.group(0)
    return first + second + tone


@lru_cache(maxsize=65536)
def to_vocab_tones(word: str) -> str:
    """NFC `word` with oa/oe/uy tone marks moved to PhoBERT's placement."""
    decomposed = unicodedata.normalize("NFD", word)
    if not any(t in decomposed for t in _TONES):
        return unicodedata.normalize("NFC", word)
    return unicodedata.normalize("NFC", _PATTERN.sub(_fix, decomposed))


# the reverse: a tone mark on the last vowel of a syllable-final oa, oe, uy (`uỷ`, `hoà`)
_OLD_STYLE = re.compile(
    rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![\w\u0300-\u036f])"
)


def _unfix(m: re.Match) -> str:
    first, second, tone = m.groups()
    if (first + second).lower() not in ("oa", "oe", "uy"):
        return m.group(0)
    return first + tone + second


@lru_cache(maxsize=65536)
def to_modern_tones(text: str) -> str:
    """NFC `text` with oa/oe/uy tone marks in the placement of current official documents (`uỷ` -> `ủy`,
    `Thanh Hoá` -> `Thanh Hóa`): one spelling for canonical names, whichever the writer used."""
    decomposed = unicodedata.normalize("NFD", text)
    if not any(t in decomposed for t in _TONES):
        return unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", _OLD_STYLE.sub(_unfix, decomposed))
