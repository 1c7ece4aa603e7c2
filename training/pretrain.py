"""Masked-LM pretraining of a PhoBERT-architecture encoder on the unlabeled news corpus.

    python -m training.pretrain configs/pretrain.cfg [--section.key value ...]

PhoBERT's conventions: text segmented into words (here by the pipeline's own
tokenizer, as at inference), a fastBPE tokenizer, at most 256 pieces per
sequence, whole-word dynamic masking, and the loss computed from logits at the
masked positions only. Checkpoints resume across sessions; the segmented
corpus and the tokenizer are cached in the output directory.
"""
from __future__ import annotations

import glob
import gzip
import hashlib
import json
import logging
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from vietgov.logs import configure_logging
from vietgov.pieces import PieceEncoder
from vietgov.windows import window_inputs
from vietgov.sentences import token_sentence_starts
from vietgov.weights import save_half

from .config import resolve_bf16, run_with_config
from .config_schema import SHAPE, PretrainConfig

IGNORE = -100


logger = logging.getLogger(__name__)


def corpus_files(corpus: list[str] | str) -> list[str]:
    """A list of paths, or one string of space-separated paths and glob patterns."""
    patterns = corpus.split() if isinstance(corpus, str) else list(corpus)
    files = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        missing = [m for m in matches if not Path(m).is_file()]
        if not matches or missing:
            raise FileNotFoundError(f"corpus {pattern!r}: no such file")
        files.extend(matches)
    return files


def read_texts(paths: list[str], max_docs: int = 0):
    """(id, text) from JSON lines (optionally gzipped) with a `text` field."""
    n = 0
    for path in paths:
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                obj = json.loads(line)
                if not isinstance(obj.get("text"), str):
                    raise ValueError(f"{path}:{lineno}: no 'text' field")
                yield str(obj.get("id", f"{Path(path).stem}-{lineno}")), obj["text"]
                n += 1
                if max_docs and n >= max_docs:
                    return


def segment_corpus(cfg, corpus: list[str] | str | None = None) -> list[Path]:
    """Word-segment each corpus file (`paths.corpus` by default) once: one JSON line per document, cached in
    `paths.segmented`."""
    from vietgov.tokenizer import blank

    cache = Path(cfg["paths"]["segmented"])
    cache.mkdir(parents=True, exist_ok=True)
    normalize, max_docs = cfg["data"]["normalize_tones"], cfg["data"]["max_docs"]
    nlp, targets = None, []
    for path in corpus_files(corpus or cfg["paths"]["corpus"]):
        # keyed by name and size: the corpus is read-only, and its mtime changes with every mount
        key = hashlib.md5(f"{Path(path).name}:{Path(path).stat().st_size}:{normalize}:{max_docs}".encode()).hexdigest()
        target = cache / f"{Path(path).name.split('.')[0]}-{key[:8]}.jsonl.gz"
        if not target.exists():
            nlp = nlp or blank()
            _segment_file(nlp, path, target, normalize, max_docs)
        targets.append(target)
    return targets


def _segment_file(nlp, path: str, target: Path, normalize_tones: bool, max_docs: int) -> None:
    words_of = PieceEncoder(None, normalize_tones).word_form
    partial = target.with_name(target.name + ".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as f:
        for doc_id, text in tqdm(read_texts([path], max_docs), desc=f"segmenting {Path(path).name}", unit="doc"):
            doc = nlp.make_doc(text)
            kept = [t for t in doc if not t.is_space]
            index = {t.i: k for k, t in enumerate(kept)}
            starts = [index[i] for i in token_sentence_starts(doc) if i in index]
            f.write(json.dumps({"id": doc_id, "words": [words_of(t.text) for t in kept], "starts": starts},
                               ensure_ascii=False) + "\n")
    partial.rename(target)


def segmented_words(paths: list[Path]):
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield from json.loads(line)["words"]


def is_heldout(doc_id: str, share: float) -> bool:
    return int(hashlib.md5(doc_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


class PieceWindows(torch.utils.data.Dataset):
    """Sequences of piece ids (one flat array and offsets); each item also maps its pieces to words.

    fastBPE marks every non-final piece of a word with `@@`, so a piece ends its
    word unless it carries that mark: word ids need no storage of their own.
    """

    def __init__(self, ids: np.ndarray, offsets: np.ndarray, continues: np.ndarray):
        self.ids, self.offsets, self.continues = ids, offsets, continues

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> dict:
        ids = self.ids[self.offsets[i] : self.offsets[i + 1]].astype(np.int64)
        inner = ids[1:-1]  # between <s> and </s>
        word = np.concatenate([[0], np.cumsum(~self.continues[inner])[:-1]]) if len(inner) else inner
        return {"input_ids": ids, "word_ids": np.concatenate([[-1], word, [-1]])}

    def mean_length(self) -> float:
        return float(np.diff(self.offsets).mean()) if len(self) else 0.0


def piece_windows(cfg, tokenizer, out: Path) -> tuple[PieceWindows, PieceWindows]:
    """Train and held-out sequences, encoded once and cached in OUTPUT/windows.npz.

    The cache is all a training run needs (with the tokenizer): copy the output
    directory to a machine without the corpus or spaCy and train there.
    """
    cache = out / "windows.npz"
    codes = hashlib.md5(Path(tokenizer.merges_file).read_bytes()).hexdigest()
    key = json.dumps([cfg["paths"]["corpus"], cfg["data"]["max_pieces"], cfg["data"]["heldout"], cfg["data"]["max_docs"],
                      cfg["data"]["normalize_tones"], codes, len(tokenizer)])
    if not (cache.exists() and _cache_key(cache) == key):
        arrays = _encode_windows(segment_corpus(cfg), tokenizer, cfg)
        partial = out / "windows.partial.npz"
        np.savez(partial, key=np.array(key), **arrays)
        partial.rename(cache)
    arrays = np.load(cache)
    continues = np.array([t.endswith("@@") for t in tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))])
    return tuple(PieceWindows(arrays[f"{part}_ids"], arrays[f"{part}_offsets"], continues) for part in ("train", "heldout"))


def _cache_key(path: Path) -> str:
    with np.load(path) as arrays:
        return str(arrays["key"])


def _encode_windows(segmented: list[Path], tokenizer, cfg) -> dict[str, np.ndarray]:
    encoder = PieceEncoder(tokenizer, normalize_tones=False)  # words are already normalised
    max_pieces = cfg["data"]["max_pieces"]
    parts = {False: [], True: []}
    for path in segmented:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in tqdm(f, desc=f"encoding {path.name}", unit="doc"):
                doc = json.loads(line)
                pieces = encoder.encode_tokens(doc["words"])
                part = parts[is_heldout(doc["id"], cfg["data"]["heldout"])]
                for _, ids, _ in window_inputs(pieces, doc["starts"] or [0], tokenizer, max_pieces=max_pieces, stride=0):
                    part.append(ids)
    if not parts[True] and len(parts[False]) > 1:  # a tiny corpus still gets a perplexity
        parts[True].append(parts[False].pop())
    dtype = np.uint16 if len(tokenizer) <= 65536 else np.int32
    arrays = {}
    for part, rows in (("train", parts[False]), ("heldout", parts[True])):
        arrays[f"{part}_ids"] = np.fromiter((i for r in rows for i in r), dtype=dtype)
        arrays[f"{part}_offsets"] = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    return arrays


class WholeWordMaskCollator:
    """Dynamic whole-word masking: every piece of a chosen word is masked together (80/10/10)."""

    def __init__(self, tokenizer, probability: float, seed: int):
        self.tokenizer = tokenizer
        self.probability = probability
        self.generator = torch.Generator().manual_seed(seed)
        self.tokens_seen = 0

    def __call__(self, rows):
        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), width), self.tokenizer.pad_token_id, dtype=torch.long)
        words = torch.full((len(rows), width), -1, dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r["input_ids"])] = torch.tensor(r["input_ids"])
            words[i, : len(r["word_ids"])] = torch.tensor(r["word_ids"])
        attention = (ids != self.tokenizer.pad_token_id).long()
        self.tokens_seen += int(attention.sum())
        # one draw per (row, word); pieces inherit their word's draw
        n_words = int(words.max()) + 1
        chosen_words = torch.rand((len(rows), max(n_words, 1)), generator=self.generator) < self.probability
        chosen = torch.zeros_like(ids, dtype=torch.bool)
        valid = words >= 0
        chosen[valid] = chosen_words.gather(1, words.clamp(min=0))[valid]
        labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE))
        roll = torch.rand(ids.shape, generator=self.generator)
        masked = ids.clone()
        masked[chosen & (roll < 0.8)] = self.tokenizer.mask_token_id
        swap = chosen & (roll >= 0.8) & (roll < 0.9)
        masked[swap] = torch.randint(4, len(self.tokenizer), (int(swap.sum()),), generator=self.generator)
        return {"input_ids": masked, "attention_mask": attention, "labels": labels}


def masked_lm_loss(model, inputs):
    """Cross-entropy from logits at the masked positions only (the LM head skips the rest)."""
    labels = inputs["labels"]
    hidden = model.roberta(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]).last_hidden_state
    selected = labels != IGNORE
    logits = model.lm_head(hidden[selected])
    return F.cross_entropy(logits.float(), labels[selected])


def export(model, tokenizer, target: Path, card: dict) -> None:
    """Save the encoder as fp16 safetensors with its tokenizer and a model card."""
    target.mkdir(parents=True, exist_ok=True)
    save_half(model, target)
    tokenizer.save_pretrained(target)
    (target / "pretraining.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def pretrain(cfg) -> dict:
    from transformers import (
        RobertaForMaskedLM,
        Trainer,
        TrainerCallback,
        TrainingArguments,
        set_seed,
    )

    from .bpe import learn_phobert_bpe
    from .encoder_config import phobert_config

    paths, data_cfg, tcfg = cfg["paths"], cfg["data"], cfg["training"]
    started = time.time()
    set_seed(tcfg["seed"])
    out = Path(paths["output"])
    out.mkdir(parents=True, exist_ok=True)
    init_from = cfg["model"]["init_from"]
    tok_dir = Path(init_from) if init_from else out / "tokenizer"
    if (tok_dir / "bpe.codes").exists():
        from transformers import PhobertTokenizer

        tokenizer = PhobertTokenizer.from_pretrained(tok_dir)
    else:
        words = segmented_words(segment_corpus(cfg, cfg["model"]["bpe_corpus"]))
        tokenizer = learn_phobert_bpe(words, tok_dir, cfg["model"]["bpe_vocab_size"])
    train_ds, heldout_ds = piece_windows(cfg, tokenizer, out)
    logger.info(f"{len(train_ds)} train and {len(heldout_ds)} held-out sequences ({train_ds.mean_length():.0f} pieces on "
        f"average), vocabulary {len(tokenizer)}")
    mcfg = cfg["model"]
    if init_from:  # continue from an exported encoder; its optimizer state is not shipped, a new schedule starts
        model = RobertaForMaskedLM.from_pretrained(init_from, dtype=torch.float32)
    else:
        model = RobertaForMaskedLM(phobert_config(tokenizer, mcfg, data_cfg["max_pieces"]))
    collator = WholeWordMaskCollator(tokenizer, tcfg["mask_probability"], tcfg["seed"])

    class MaskedLMTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
            loss = masked_lm_loss(model, inputs)
            # the evaluation loop reads outputs[1:] as logits: there are none to keep
            return (loss, (loss,)) if return_outputs else loss

    class Throughput(TrainerCallback):
        def __init__(self):
            self.last = (time.time(), 0)

        def on_log(self, args, state, control, logs=None, **kwargs):
            now, seen = time.time(), collator.tokens_seen
            if logs is not None and "loss" in logs:
                logs["tokens_per_second"] = round((seen - self.last[1]) / max(now - self.last[0], 1e-9))
            self.last = (now, seen)

    class Clock(TrainerCallback):
        """A checkpoint every `save_minutes` (steps take seconds on a GPU, a minute on a CPU), and save and stop
        after `max_minutes` (0: no limit); the next run resumes from the last checkpoint."""

        def __init__(self):
            self.saved = time.time()

        def on_step_end(self, args, state, control, **kwargs):
            if time.time() - self.saved > 60 * tcfg["save_minutes"]:
                control.should_save = True
            if tcfg["max_minutes"] and time.time() - started > 60 * tcfg["max_minutes"]:
                control.should_save = control.should_training_stop = True

        def on_save(self, args, state, control, **kwargs):
            self.saved = time.time()

    bf16 = resolve_bf16(tcfg["bf16"])
    args = TrainingArguments(
        output_dir=str(out / "checkpoints"), max_steps=tcfg["max_steps"],
        per_device_train_batch_size=tcfg["batch_size"], per_device_eval_batch_size=tcfg["batch_size"],
        learning_rate=tcfg["learning_rate"], weight_decay=tcfg["weight_decay"], warmup_steps=tcfg["warmup_steps"],
        lr_scheduler_type="linear", eval_strategy="steps", eval_steps=tcfg["eval_steps"],
        save_strategy="steps", save_steps=tcfg["save_steps"], save_total_limit=2,
        logging_steps=tcfg["logging_steps"], bf16=bf16, use_cpu=not torch.cuda.is_available(),
        seed=tcfg["seed"], report_to=[], dataloader_num_workers=0, remove_unused_columns=False,
        prediction_loss_only=True, disable_tqdm=False,
    )
    trainer = MaskedLMTrainer(model=model, args=args, train_dataset=train_ds, eval_dataset=heldout_ds,
                              data_collator=collator, callbacks=[Throughput(), Clock()])
    checkpoints = list((out / "checkpoints").glob("checkpoint-*"))
    trainer.train(resume_from_checkpoint=bool(checkpoints) or None)
    heldout_loss = trainer.evaluate()["eval_loss"]
    card = {
        "corpus": paths["corpus"],
        "train_sequences": len(train_ds),
        "heldout_sequences": len(heldout_ds),
        "steps": trainer.state.global_step,
        "batch_size": tcfg["batch_size"],
        "tokens_seen_this_run": collator.tokens_seen,
        "tokens_seen_estimate": trainer.state.global_step * tcfg["batch_size"] * train_ds.mean_length(),
        "heldout_masked_lm_loss": heldout_loss,
        "heldout_perplexity": math.exp(heldout_loss),
        "minutes_this_run": (time.time() - started) / 60,
        "device": torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu",
        "bf16": bf16,
        "vocab_size": len(tokenizer),
        "model": {k: getattr(model.config, k) for k in SHAPE},  # with init_from: the shape continued
        "continued_from": init_from,
    }
    if init_from and (Path(init_from) / "pretraining.json").exists():  # totals over the runs this one continues
        before = json.loads((Path(init_from) / "pretraining.json").read_text(encoding="utf-8"))
        card["steps_total"] = before.get("steps_total", before["steps"]) + card["steps"]
        card["tokens_seen_total"] = before.get("tokens_seen_total", before["tokens_seen_this_run"]) + collator.tokens_seen
        card["minutes_total"] = before.get("minutes_total", before["minutes_this_run"]) + card["minutes_this_run"]
    target = export_target(Path(paths["export"]), card, out)
    export(trainer.model, tokenizer, target, card)
    logger.info(f"exported to {target}: held-out perplexity {card['heldout_perplexity']:.1f}")
    return card


def export_target(shipped: Path, card: dict, out: Path) -> Path:
    """`shipped`, unless the encoder there has a lower held-out perplexity (same vocabulary): then OUTPUT/export."""
    previous = shipped / "pretraining.json"
    if previous.exists():
        before = json.loads(previous.read_text(encoding="utf-8"))
        if before["vocab_size"] == card["vocab_size"] and before["heldout_perplexity"] <= card["heldout_perplexity"]:
            logger.info(f"kept {shipped}: held-out perplexity {before['heldout_perplexity']:.1f} <= {card['heldout_perplexity']:.1f}")
            return out / "export"
    return shipped


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    return run_with_config(pretrain, __doc__, PretrainConfig, argv)


if __name__ == "__main__":
    sys.exit(main())
