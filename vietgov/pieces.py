"""Encode spaCy tokens as PhoBERT pieces.

Pieces are encoded per token, so the piece -> token alignment holds by
construction (the slow PhobertTokenizer has no offset mapping).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from .normalize import plain_text
from .tones import to_vocab_tones

# no word or figure of a news article is this long (the longest real names and units are under 60)
MAX_TOKEN_CHARS = 100


@lru_cache(maxsize=1 << 16)
def model_text(text: str, max_chars: int = MAX_TOKEN_CHARS) -> str:
    """What the model reads of a token: its normalised text, or nothing (whitespace, markup, an
    invisible character, a run of text longer than any word)."""
    return "" if len(text) > max_chars else plain_text(text).strip()


def read_tokens(doc) -> np.ndarray:
    """Mask of the tokens the model reads: those with pieces."""
    return np.fromiter((bool(model_text(t.text)) for t in doc), dtype=bool, count=len(doc))


class PieceEncoder:
    """Token text -> piece ids, with PhoBERT's word-segmented conventions.

    A spaCy `vi` token such as `Bí thư` is written `Bí_thư`, as in PhoBERT's
    pretraining data; the model reads its normalised form (`vietgov.normalize`).
    Tokens with nothing left to read (whitespace, a zero-width character, an
    HTML tag) and tokens longer than any word (`max_chars`: a run of text
    without spaces) get no pieces, so they never start or end an entity.
    """

    def __init__(self, tokenizer, normalize_tones: bool = True, max_chars: int = MAX_TOKEN_CHARS):
        self.tokenizer = tokenizer
        self.normalize_tones = normalize_tones
        self.max_chars = max_chars
        self._cache: dict[str, list[int]] = {}

    def word_form(self, text: str) -> str:
        text = model_text(text, self.max_chars)
        if self.normalize_tones:
            text = to_vocab_tones(text)
        return "_".join(text.split())

    def encode(self, text: str) -> list[int]:
        ids = self._cache.get(text)
        if ids is None:
            word = self.word_form(text)
            ids = self.tokenizer.encode(word, add_special_tokens=False) if word else []
            self._cache[text] = ids
        return ids

    def encode_tokens(self, texts: Sequence[str]) -> list[list[int]]:
        return [self.encode(t) for t in texts]
