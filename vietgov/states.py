"""Per-token outputs of a PhoBERT-architecture model over whole documents.

Documents are cut into sentence-aware windows of at most 256 pieces; every
token reads the model's output at its first piece, from the window that sees
it with the most context. The entity recognizer (logits and hidden states) and
the relation classifier's own encoder both go through here.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch
from spacy.tokens import Doc
from spacy.util import minibatch

from .pieces import PieceEncoder, make_windows, owning_window, window_inputs
from .sentences import token_sentence_starts

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
        windows = make_windows([len(p) for p in pieces], token_sentence_starts(doc), max_pieces, stride)
        windows_of.append(windows)
        for w_index, window in enumerate(windows):
            ids, first = window_inputs(pieces, window, tok.cls_token_id, tok.sep_token_id, max_pieces)
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
