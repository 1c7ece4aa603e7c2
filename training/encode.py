"""Examples -> windows of PhoBERT piece ids with first-piece labels (a `datasets.Dataset`)."""
from __future__ import annotations

from vietgov.pieces import PieceEncoder
from vietgov.windows import window_inputs

from .data import TaggedTokens

IGNORE = -100  # label of pieces that are not a token's first, and of special tokens


def encode_examples(examples: list[TaggedTokens], encoder: PieceEncoder, label2id: dict[str, int],
                    max_pieces: int, stride: int):
    """One dataset row per window; returns the dataset and piece statistics."""
    from datasets import Dataset

    tok = encoder.tokenizer
    rows = []
    n_words = n_pieces = n_unk = 0
    for ex in examples:
        pieces = encoder.encode_tokens(ex.tokens)
        for p in pieces:
            if p:
                n_words += 1
                n_pieces += len(p)
                n_unk += sum(1 for i in p if i == tok.unk_token_id)
        for window, ids, first in window_inputs(pieces, ex.sentence_starts, tok, max_pieces=max_pieces, stride=stride):
            labels = [IGNORE] * len(ids)
            for offset, pos in enumerate(first):
                if pos >= 0:
                    tag = ex.tags[window.start + offset]
                    if tag not in label2id:
                        raise ValueError(f"{ex.id}: tag {tag!r} is not among the model's labels")
                    labels[pos] = label2id[tag]
            rows.append({"input_ids": ids, "attention_mask": [1] * len(ids), "labels": labels})
    stats = {
        "words": n_words,
        "pieces_per_word": n_pieces / n_words if n_words else 0.0,
        "unk_rate": n_unk / n_pieces if n_pieces else 0.0,
        "windows": len(rows),
    }
    return Dataset.from_list(rows), stats
