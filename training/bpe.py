"""Learn a fastBPE-format tokenizer (`bpe.codes` + `vocab.txt`) that `PhobertTokenizer` loads."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Iterable


def learn_phobert_bpe(words: Iterable[str], out_dir: str | Path, vocab_size: int = 8000, min_frequency: int = 2):
    """Learn BPE over word-segmented words (`Bí_thư`) and save a PhobertTokenizer in `out_dir`.

    The merges use subword-nmt's `</w>` end-of-word convention, as fastBPE
    does; vocabulary entries are written as PhoBERT spells pieces (`Bí_@@`
    for a non-final piece, `thư` for a final one).
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PhobertTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = Counter(words)
    tokenizer = Tokenizer(models.BPE(end_of_word_suffix="</w>"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, end_of_word_suffix="</w>", show_progress=False
    )
    tokenizer.train_from_iterator(_repeat(counts), trainer=trainer)
    model = json.loads(tokenizer.to_str())["model"]
    merges = [m.split(" ") if isinstance(m, str) else m for m in model["merges"]]
    (out_dir / "bpe.codes").write_text("".join(f"{a} {b} 1\n" for a, b in merges), encoding="utf-8")
    # piece frequencies are informational in vocab.txt; PhobertTokenizer reads only the order
    pieces = []
    for token in model["vocab"]:
        piece = token[: -len("</w>")] if token.endswith("</w>") else token + "@@"
        if piece not in ("@@", ""):
            pieces.append(piece)
    (out_dir / "vocab.txt").write_text("".join(f"{p} 1\n" for p in pieces), encoding="utf-8")
    tok = PhobertTokenizer(str(out_dir / "vocab.txt"), str(out_dir / "bpe.codes"))
    tok.save_pretrained(out_dir)
    return tok


def _repeat(counts: Counter) -> Iterable[str]:
    # the trainer counts words itself; feed each word as often as it occurs, in chunks
    chunk = []
    for word, n in counts.items():
        chunk.extend([word] * n)
        if len(chunk) > 10000:
            yield " ".join(chunk)
            chunk = []
    if chunk:
        yield " ".join(chunk)
