"""Encode spaCy tokens as PhoBERT pieces and cut documents into model windows.

Pieces are encoded per token, so the piece -> token alignment holds by
construction (the slow PhobertTokenizer has no offset mapping).
"""
from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Window:
    """Tokens [start, end) of a document, fed to the model as one sequence."""

    start: int
    end: int


def make_windows(
    n_pieces: Sequence[int], sentence_starts: Sequence[int], max_pieces: int = 254, stride: int = 64
) -> list[Window]:
    """Cut a token sequence into windows of at most `max_pieces` pieces.

    Windows end at a sentence start where one lies in their second half, and
    consecutive windows overlap by about `stride` pieces (snapped forward to a
    sentence start) so that every token is predicted with context on both sides.
    """
    n = len(n_pieces)
    starts = sorted(set(sentence_starts))
    windows: list[Window] = []
    start = 0
    while start < n:
        end, total = start, 0
        while end < n and total + n_pieces[end] <= max_pieces:
            total += n_pieces[end]
            end += 1
        end = max(end, start + 1)  # a single over-long token is truncated, not dropped
        if end < n:
            inside = [s for s in starts if start + (end - start) // 2 < s < end]
            if inside:
                end = inside[-1]
        windows.append(Window(start, end))
        if end >= n:
            break
        back, overlap = end, 0
        while back > start + 1 and overlap + n_pieces[back - 1] <= stride:
            back -= 1
            overlap += n_pieces[back]
        snapped = [s for s in starts if back <= s < end]
        start = snapped[0] if snapped else back
    return windows


def owning_window(windows: Sequence[Window], n_tokens: int) -> np.ndarray:
    """For each token, the window that sees it with the most context around it."""
    owner = np.zeros(n_tokens, dtype=np.int64)
    best = np.full(n_tokens, -1, dtype=np.int64)
    for w_index, w in enumerate(windows):
        t = np.arange(w.start, w.end)
        margin = np.minimum(t - w.start, w.end - 1 - t)
        better = margin > best[w.start : w.end]
        best[w.start : w.end][better] = margin[better]
        owner[w.start : w.end][better] = w_index
    return owner


def window_inputs(
    token_pieces: Sequence[Sequence[int]], window: Window, cls_id: int, sep_id: int, max_pieces: int
) -> tuple[list[int], list[int]]:
    """Input ids for one window and, per token of the window, its first-piece position (-1: no pieces)."""
    ids = [cls_id]
    first = []
    for t in range(window.start, window.end):
        pieces = token_pieces[t]
        room = max_pieces + 1 - len(ids)
        if pieces and room > 0:
            first.append(len(ids))
            ids.extend(pieces[:room])
        else:
            first.append(-1)
    ids.append(sep_id)
    return ids, first
