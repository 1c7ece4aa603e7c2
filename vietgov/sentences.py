"""Rule-based sentence boundaries shared by the validator and the relation component.

Relations hold only within one sentence, so the annotation checks and the
relation candidates must agree on where sentences end.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import SENT_START

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# Abbreviations that end with a dot inside a sentence ("TP. Hồ Chí Minh", "ThS. Lê").
ABBREVIATIONS = {
    "tp", "q", "p", "h", "x", "tt", "ts", "ths", "gs", "pgs", "bs", "ks", "kts", "ls", "nxb",
    "st", "mr", "mrs", "ms", "dr", "no", "tr", "đ", "v.v", "vv", "ttxvn", "cty",
}
_END = re.compile(r"[.!?…]+[\"”’)]*(?=\s+[\"“‘(]?[A-ZĐÀ-Ỹ0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_LOOK_BACK = 16  # longer than any abbreviation: a longer word is neither one nor an initial either way


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of `text`, whitespace trimmed.

    A line break always ends a sentence; `.`, `!`, `?` or `…` end one when an
    upper-case letter or digit follows, unless the dot closes a known
    abbreviation or a single-letter initial.
    """
    cuts = []
    for m in re.finditer(r"\n+", text):
        cuts.append((m.start(), m.end()))
    for m in _END.finditer(text):
        if text[m.start()] == ".":
            # a bounded look-back: an unbounded one rescans the text from its start at every dot
            before = _WORD_BEFORE.search(text, max(0, m.start() - _LOOK_BACK), m.start())
            word = before.group(1).lower() if before else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        cuts.append((m.end(), m.end()))
    cuts.sort()
    spans, pos = [], 0
    for start, end in cuts:
        if start > pos:
            spans.append((pos, start))
        pos = max(pos, end)
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_index(text: str) -> list[int]:
    """For each character offset, the index of its sentence (-1 between sentences)."""
    index = [-1] * len(text)
    for i, (s, e) in enumerate(sentence_spans(text)):
        index[s:e] = [i] * (e - s)
    return index


def token_sentence_starts(doc) -> list[int]:
    """Indices of the tokens of a spaCy Doc that open a sentence: `doc.sents` as the tokenizer set them, or
    for a Doc made otherwise (from gold words), `sentence_spans` of its text."""
    if doc.has_annotation("SENT_START"):
        # the token array, not Token objects (a tenth of the time); 1 opens a sentence, -1 (as uint64) does not
        return np.flatnonzero(doc.to_array(SENT_START) == 1).tolist()
    starts = {s for s, _ in sentence_spans(doc.text)}
    return [t.i for t in doc if t.idx in starts]


def sentence_entities(doc: Doc) -> list[list[Span]]:
    """doc.ents grouped by sentence , in order."""
    starts = token_sentence_starts(doc)
    groups: dict[int, list[Span]] = {}
    for ent in doc.ents:
        groups.setdefault(bisect_right(starts, ent.start), []).append(ent)
    return list(groups.values())
