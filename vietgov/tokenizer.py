"""spaCy `vi` tokenization (pyvi) with splits where entity boundaries fall inside pyvi words.

pyvi joins syllables into words by context, and sometimes across a boundary
that matters here: `Bình Tân phát biểu`, `ông Khánh nhận`, `Trưởng Phòng`,
`50 năm tuổi`, `HCM.`, or a word that spans a line break. A span can only be
predicted if it starts and ends on token boundaries, so those words are split; the rest of the
segmentation, which PhoBERT's pieces rely on, is kept.

Segmentation is pyvi's (the same CRF, features and joining rule as spaCy's
`vi` tokenizer), with its features computed once per syllable rather than up
to three times and handed to crfsuite as attribute names: segmentation is a
fifth of the pipeline's time.
"""
from __future__ import annotations

import re
import string
from typing import Iterable

import spacy
from spacy.lang.vi import VietnameseTokenizer
from spacy.tokens import Doc
from spacy.util import registry

from .figures import MAGNITUDES
from .normalize import normalize
from .sentences import sentence_spans
from .tones import to_vocab_tones
from .vocabulary import HONORIFICS, TITLE_MODIFIERS

# measure words that end a figure (`[50 năm] tuổi Đảng`, `[5 tỷ đồng] vốn`)
MEASURES = {"năm", "tháng", "ngày", "tuổi", "đồng", "người", "lượt", "giờ", "phút", "tuần", "ha", "km", "tấn"}
# title heads written as one pyvi word with the unit that follows (`Trưởng Phòng`)
TITLE_HEADS = {"trưởng"}
# the commonest surnames: a capitalised syllable after one goes on with the name
SURNAMES = set("nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào đinh lâm mai trương tạ "
               "hà cao lưu chu vương tô thái lương quách tăng kiều đoàn triệu la thân lại".split())
# words that open a title, not a name (`đồng chí | Phó bí thư`)
TITLE_OPENERS = {"phó", "quyền", *TITLE_MODIFIERS}
_TRAILING_PUNCT = re.compile(r"[.,;:!?…]+$")
_SYLLABLE = re.compile(r"\S+")


def _is_number(text: str) -> bool:
    return any(c.isdigit() for c in text) and not any(c.isalpha() for c in text)


def _trailing_punct_cut(syllable: str) -> list[int]:
    """The offset where trailing punctuation leaves a syllable that has a letter or digit before it."""
    m = _TRAILING_PUNCT.search(syllable)
    return [m.start()] if m and m.start() > 0 and any(c.isalnum() for c in syllable[: m.start()]) else []


def _dictionary_word(syllables: list[str]) -> bool:
    """Whether these syllables are a word of pyvi's dictionary."""
    from pyvi import ViTokenizer  # present whenever pyvi made multi-syllable words

    words = {" ".join(syllables).lower()}
    words.add(to_vocab_tones(next(iter(words))))
    grams = ViTokenizer.ViTokenizer.bi_grams if len(syllables) == 2 else ViTokenizer.ViTokenizer.tri_grams
    return bool(words & grams)


def _after_name_start(previous: str | None) -> bool:
    """Whether a name goes on after `previous`: an honorific, a common surname, or capitalised syllables that
    make no dictionary word (`Nguyễn Văn`, not `Bí Thư`)."""
    if previous is None:
        return False
    words = previous.split()
    if previous.lower() in HONORIFICS:
        return True
    if not words or not all(w.istitle() and w.isalpha() for w in words):
        return False
    return previous.lower() in SURNAMES if len(words) == 1 else not _dictionary_word(words)


def _name_verb_cut(syllables: list[str], previous: str | None) -> int | None:
    """The syllable where a verb pyvi joined to the end of a name begins (`ông | Khánh nhận`, `Nguyễn | Văn
    Quyền ký`), or None: the word must start with capitalised syllables, end with lower-case ones, follow the
    start of a name, and be no dictionary word; the two syllables around the cut make none either, unless
    the lower-case part is a word of its own (`Nguyễn Thành | Phong kiến nghị`; `đồng chí | Phó Bí thư`
    stays whole)."""
    if syllables[0].lower() in TITLE_OPENERS:
        return None
    j = 0
    while j < len(syllables) and syllables[j].istitle():
        j += 1
    if j == 0 or j == len(syllables) or not all(x[:1].islower() for x in syllables[j:]):
        return None
    if not _after_name_start(previous):
        return None
    tail = syllables[j:]
    if _dictionary_word(syllables[j - 1 : j + 1]) and not (len(tail) > 1 and _dictionary_word(tail)):
        return None
    return None if len(syllables) <= 3 and _dictionary_word(syllables) else j


def _split_points(text: str, previous: str | None) -> list[int]:
    """Character offsets inside one token where it should be cut."""
    if len(text.split(maxsplit=1)) <= 1:  # one syllable (most tokens): only trailing punctuation is cut
        return _trailing_punct_cut(text)
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
    verb = _name_verb_cut([x for _, x in syllables], previous)
    if verb is not None:
        cuts.add(syllables[verb][0])
    if len(syllables) > 1:
        first = syllables[0][1]
        if first.lower() in TITLE_HEADS or (
            first.lower() in MEASURES and previous is not None
            and (_is_number(previous) or previous.lower() in MAGNITUDES)
        ):
            cuts.add(syllables[1][0])
    last_start, last = syllables[-1]
    cuts.update(last_start + c for c in _trailing_punct_cut(last))
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


def token_spans(text: str, tokens: Iterable[tuple[int, str]], cuts_for) -> list[tuple[int, int]]:
    """Character spans of the non-space `tokens` (offset, text) of `text`, each cut at the offsets
    (relative to the token) that `cuts_for(token_text, previous_token_text)` returns."""
    spans = []
    previous = None
    for idx, word in tokens:
        s, end = idx, idx + len(word)
        for b in [idx + c for c in cuts_for(word, previous)] + [end]:
            piece = text[s:b]
            if piece.strip():
                spans.append((s + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))))
            s = b
        previous = word
    return spans


def pyvi_attributes(syllables: list[str], bi_grams: set[str], tri_grams: set[str]) -> list[list[str]]:
    """pyvi's CRF features (`ViTokenizer.sent2features`) as the attribute names crfsuite makes of them.

    Each syllable's properties are computed once, and a feature pyvi sets to False (value 0, which adds
    nothing to a label's score) is left out; the others keep pyvi's order, so crfsuite sums the same
    weights in the same order. Strings rather than dicts more than halve the tagging time.
    """
    n = len(syllables)
    lower = [w.lower() for w in syllables]
    upper = [w.isupper() for w in syllables]
    title = [w.istitle() for w in syllables]
    bi = [f"{lower[k]} {lower[k + 1]}" in bi_grams for k in range(n - 1)]
    tri = [f"{lower[k]} {lower[k + 1]} {lower[k + 2]}" in tri_grams for k in range(n - 2)]
    attributes = []
    for i, word in enumerate(syllables):
        a = ["bias", "word.lower():" + lower[i]]
        if upper[i]:
            a.append("word.isupper()")
        if title[i]:
            a.append("word.istitle()")
        if word.isdigit():
            a.append("word.isdigit()")
        if i > 0:
            a.append("-1:word.lower():" + lower[i - 1])
            if title[i - 1]:
                a.append("-1:word.istitle()")
            if upper[i - 1]:
                a.append("-1:word.isupper()")
            if bi[i - 1]:
                a.append("-1:word.bi_gram()")
            if i > 1 and tri[i - 2]:
                a.append("-2:word.tri_gram()")
        if i < n - 1:
            a.append("+1:word.lower():" + lower[i + 1])
            if title[i + 1]:
                a.append("+1:word.istitle()")
            if upper[i + 1]:
                a.append("+1:word.isupper()")
            if bi[i]:
                a.append("+1:word.bi_gram()")
            if i < n - 2 and tri[i]:
                a.append("+2:word.tri_gram()")
        attributes.append(a)
    return attributes


def _original_spans(norm, spans: list[tuple[int, int]], starts: list[bool]):
    """Token spans of the normalised text as spans of the original, with their sentence-start flags. Tokens
    whose characters came from one original character sequence (a letter and its combining marks that NFC
    does not compose, cut apart by the segmenter) are merged: a Doc token cannot share characters."""
    out, flags = [], []
    for (s, e), flag in zip(spans, starts):
        s, e = norm.original_span(s, e)
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
            flags.append(flag)
    return out, flags


class VietGovTokenizer(VietnameseTokenizer):
    """Segments the normalised text (`vietgov.normalize`) and cuts the Doc from the text as passed: what
    normalisation removed or rewrote (NBSP, zero-width characters, HTML tags) stays in `doc.text`, inside a
    token or as a token of its own that the model gives no pieces. Sentence starts are set (`doc.sents`)."""

    def __init__(self, vocab, use_pyvi: bool = True, html: bool = False):
        super().__init__(vocab, use_pyvi=use_pyvi)
        self.html = html

    def __reduce__(self):
        return VietGovTokenizer, (self.vocab, self.use_pyvi, self.html)

    def __call__(self, text: str) -> Doc:
        norm = normalize(text, html_markup=self.html)
        seen = norm.text
        if self.use_pyvi:
            tokens = self.pyvi_words(seen)
        else:
            tokens = [(m.start(), m.group()) for m in _SYLLABLE.finditer(seen)]
        spans = token_spans(seen, tokens, _split_points)
        sentence_starts = {s for s, _ in sentence_spans(seen)}
        # the first sentence starts at the first token, even where markup or whitespace comes before it
        starts = [k > 0 and s in sentence_starts for k, (s, _) in enumerate(spans)]
        spans, starts = _original_spans(norm, spans, starts)
        words, spaces = words_and_spaces(text, spans)
        is_start = dict(zip((s for s, _ in spans), starts))
        sent_starts, idx = [], 0
        for word, space in zip(words, spaces):
            sent_starts.append(is_start.get(idx, False))
            idx += len(word) + space
        if sent_starts:
            sent_starts[0] = True
        return Doc(self.vocab, words=words, spaces=spaces, sent_starts=sent_starts)

    def pyvi_words(self, text: str) -> list[tuple[int, str]]:
        """spaCy's `pyvi_tokenize` (pyvi's CRF and joining rule) on `pyvi_attributes`, as (offset, word)
        pairs: the syllables tile the text, so offsets come from their lengths rather than a search."""
        if not text or text.isspace():
            return []
        syllables, offsets, idx = [], [], 0
        for seg in self.pyvi_sylabelize_with_ws(text):
            if not seg.isspace():
                syllables.append(seg)
                offsets.append(idx)
            idx += len(seg)
        pyvi = self.ViTokenizer.ViTokenizer
        labels = pyvi.model.tagger_.tag(pyvi_attributes(syllables, pyvi.bi_grams, pyvi.tri_grams))
        words, start = [], 0
        for i in range(1, len(labels)):
            prev, syl = syllables[i - 1], syllables[i]
            if not (labels[i] == "I_W" and syl not in string.punctuation and prev not in string.punctuation
                    and not syl[0].isdigit() and not prev[0].isdigit()
                    and not (syl[0].istitle() and not prev[0].istitle())):
                words.append((offsets[start], text[offsets[start] : offsets[i - 1] + len(prev)]))
                start = i
        words.append((offsets[start], text[offsets[start] : offsets[-1] + len(syllables[-1])]))
        return words


@registry.tokenizers("vietgov.Tokenizer.v1")
def create_tokenizer(use_pyvi: bool = True, html: bool = False):
    """`html = true` reads the input as a web page: tags and entities as a browser shows them."""

    def make(nlp):
        return VietGovTokenizer(nlp.vocab, use_pyvi=use_pyvi, html=html)

    return make


def blank() -> spacy.Language:
    """A `vi` pipeline with this tokenizer, as trained pipelines have it."""
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vietgov.Tokenizer.v1"}}})
