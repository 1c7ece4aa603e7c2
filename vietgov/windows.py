"""Sentence-aware windows over a document, and per-token outputs of a PhoBERT-architecture model over them.

Documents are cut into sentence-aware windows of at most 256 pieces; every
token reads the model's output at its first piece, from the window that sees
it with the most context. The entity recognizer (logits and hidden states) and
the relation classifier's own encoder both go through here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np
import torch
from spacy.tokens import Doc
from spacy.util import minibatch

from .pieces import PieceEncoder
from .sentences import token_sentence_starts


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


class WindowInput(NamedTuple):
    window: Window
    input_ids: list[int]  # <s> pieces </s>
    first_pieces: list[int]  # per token of the window, the position of its first piece (-1: no pieces)


def window_inputs(
    token_pieces: Sequence[Sequence[int]], sentence_starts: Sequence[int], tokenizer, *, max_pieces: int, stride: int
) -> list[WindowInput]:
    """A document's windows as model inputs: the one path from pieces to input ids for training, inference,
    pretraining and the benchmark. `token_pieces` are the piece ids of each token; a token longer than a
    window is cut at its end."""
    out = []
    for window in make_windows([len(p) for p in token_pieces], sentence_starts, max_pieces, stride):
        ids = [tokenizer.cls_token_id]
        first = []
        for pieces in token_pieces[window.start : window.end]:
            room = max_pieces + 1 - len(ids)
            if pieces and room > 0:
                first.append(len(ids))
                ids.extend(pieces[:room])
            else:
                first.append(-1)
        ids.append(tokenizer.sep_token_id)
        out.append(WindowInput(window, ids, first))
    return out


Forward = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (ids, mask) -> (batch, pieces, width)


def token_states(
    docs: Sequence[Doc], encoder: PieceEncoder, forward: Forward, width: int, *,
    max_pieces: int, stride: int, batch_size: int,
) -> list[tuple[torch.Tensor, np.ndarray]]:
    """Per doc: a (tokens, width) tensor and a mask of the tokens that have pieces (the others are zero).

    Gradients flow through when `forward` is run with them (relation training).
    """
    tok = encoder.tokenizer
    jobs = []  # (doc index, window index, input ids, first-piece positions)
    windows_of = []
    for d, doc in enumerate(docs):
        pieces = encoder.encode_tokens([t.text for t in doc])
        inputs = window_inputs(pieces, token_sentence_starts(doc), tok, max_pieces=max_pieces, stride=stride)
        windows_of.append([x.window for x in inputs])
        for w_index, (_, ids, first) in enumerate(inputs):
            first = np.asarray(first)
            if (first >= 0).any():  # a window of whitespace tokens only is not run
                jobs.append((d, w_index, ids, first))
    # each token reads the window that owns it; outputs go straight into the docs' rows, so memory holds the
    # documents' rows and one batch of windows, not every window's output
    owners = [owning_window(windows, len(doc)) for windows, doc in zip(windows_of, docs)]
    rows_of = [torch.zeros((len(doc), width)) for doc in docs]
    has_of = [np.zeros(len(doc), dtype=bool) for doc in docs]
    # similar lengths together: less padding
    order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][2]))
    for batch in minibatch(order, size=batch_size):
        longest = max(len(jobs[j][2]) for j in batch)
        ids = torch.full((len(batch), longest), tok.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(batch), longest), dtype=torch.long)
        for row, j in enumerate(batch):
            seq = jobs[j][2]
            ids[row, : len(seq)] = torch.tensor(seq)
            mask[row, : len(seq)] = 1
        out = forward(ids, mask)
        for row, j in enumerate(batch):
            d, w_index, _, first = jobs[j]
            w = windows_of[d][w_index]
            take = (owners[d][w.start : w.end] == w_index) & (first >= 0)
            tokens = np.arange(w.start, w.end)[take]
            rows_of[d][torch.from_numpy(tokens)] = out[row][torch.from_numpy(first[take])].float()
            has_of[d][tokens] = True
    return list(zip(rows_of, has_of))
