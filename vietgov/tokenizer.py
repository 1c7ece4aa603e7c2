"""spaCy `vi` tokenization (pyvi) with splits where entity boundaries fall inside pyvi words.

pyvi joins syllables into words by context, and sometimes across a boundary
that matters here: `Bình Tân phát biểu`, `Trưởng Phòng`, `50 năm tuổi`,
`HCM.`, or a word that spans a line break. A span can only be predicted if it
starts and ends on token boundaries, so those words are split; the rest of the
segmentation, which PhoBERT's pieces rely on, is kept.
"""
from __future__ import annotations

import re

import spacy
from spacy.lang.vi import VietnameseTokenizer
from spacy.tokens import Doc
from spacy.util import registry

# measure words that end a figure (`[50 năm] tuổi Đảng`, `[5 tỷ đồng] vốn`)
MEASURES = {"năm", "tháng", "ngày", "tuổi", "đồng", "người", "lượt", "giờ", "phút", "tuần", "ha", "km", "tấn"}
MAGNITUDES = {"nghìn", "ngàn", "triệu", "tỷ", "tỉ"}
# title heads written as one pyvi word with the unit that follows (`Trưởng Phòng`)
TITLE_HEADS = {"trưởng"}
_TRAILING_PUNCT = re.compile(r"[.,;:!?…]+$")
_SYLLABLE = re.compile(r"\S+")


def _is_number(text: str) -> bool:
    return any(c.isdigit() for c in text) and not any(c.isalpha() for c in text)


def _split_points(text: str, previous: str | None) -> list[int]:
    """Character offsets inside one token where it should be cut."""
    syllables = [(m.start(), m.group()) for m in _SYLLABLE.finditer(text)]
    cuts = set()
    for k in range(1, len(syllables)):
        start, syl = syllables[k]
        between = text[syllables[k - 1][0] + len(syllables[k - 1][1]) : start]
        if "\n" in between:
            cuts.add(start)
        # a run of capitalised syllables (a name) followed by a lower-case word of its own
        # (`Bình Tân | phát biểu`; `Phó Bí thư` stays whole)
        if (k >= 2 and len(syllables) - k >= 2 and all(x[:1].islower() for _, x in syllables[k:])
                and all(x[:1].isupper() for _, x in syllables[k - 2 : k])):
            cuts.add(start)
    if len(syllables) > 1:
        first = syllables[0][1]
        if first.lower() in TITLE_HEADS or (
            first.lower() in MEASURES and previous is not None
            and (_is_number(previous) or previous.lower() in MAGNITUDES)
        ):
            cuts.add(syllables[1][0])
    last_start, last = syllables[-1] if syllables else (0, "")
    m = _TRAILING_PUNCT.search(last)
    if m and m.start() > 0 and any(c.isalnum() for c in last[: m.start()]):
        cuts.add(last_start + m.start())
    return sorted(cuts)


def words_and_spaces(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """Doc words and spaces for non-space character spans; other whitespace becomes tokens."""
    words, spaces = [], []
    lead = spans[0][0] if spans else len(text)
    if lead:
        words.append(text[:lead])
        spaces.append(False)
    for k, (s, e) in enumerate(spans):
        words.append(text[s:e])
        nxt = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        gap = text[e:nxt]
        spaces.append(gap.startswith(" "))
        rest = gap[1:] if gap.startswith(" ") else gap
        if rest:
            words.append(rest)
            spaces.append(False)
    return words, spaces


def token_spans(doc: Doc, cuts_for) -> list[tuple[int, int]]:
    """Non-space character spans of the tokens, each cut at the offsets (relative to the
    token) that `cuts_for(token_text, previous_token_text)` returns."""
    spans = []
    previous = None
    text = doc.text  # built anew on every access
    for tok in doc:
        if tok.is_space:
            continue
        s, end = tok.idx, tok.idx + len(tok.text)
        cuts = [tok.idx + c for c in cuts_for(tok.text, previous)]
        for b in cuts + [end]:
            piece = text[s:b]
            if piece.strip():
                spans.append((s + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))))
            s = b
        previous = tok.text
    return spans


class VietGovTokenizer(VietnameseTokenizer):
    def __init__(self, vocab, use_pyvi: bool = True):
        super().__init__(vocab, use_pyvi=use_pyvi)

    def __reduce__(self):
        return VietGovTokenizer, (self.vocab, self.use_pyvi)

    def __call__(self, text: str) -> Doc:
        doc = super().__call__(text)
        words, spaces = words_and_spaces(text, token_spans(doc, _split_points))
        return Doc(self.vocab, words=words, spaces=spaces)


@registry.tokenizers("vietgov.Tokenizer.v1")
def create_tokenizer(use_pyvi: bool = True):
    def make(nlp):
        return VietGovTokenizer(nlp.vocab, use_pyvi=use_pyvi)

    return make


def blank() -> spacy.Language:
    """A `vi` pipeline with this tokenizer, as trained pipelines have it."""
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vietgov.Tokenizer.v1"}}})
