"""Throughput and peak memory of the spaCy pipeline against transformers' token-classification pipeline.

    python -m training.bench --pipeline models/vi_vietgov_default [--shared ../shared] [--docs 200]

Both run the same model on the same 200 articles (seeds and annotations,
repeated as needed). The baseline gets the same sentence-aware windows our
component builds (without overlap), word-segmented, because
the slow PhobertTokenizer cannot window long documents itself; the
segmentation and windowing are timed as part of the baseline, since a user of
the transformers pipeline must segment text for PhoBERT too, and so is reading
words' tags off their first pieces (the slow tokenizer has no offsets, so the
pipeline's word aggregation is unavailable; "simple" aggregation splits words
at pieces). Each measurement runs in a fresh process so peak memory is its
own. A phobert-base-sized model (random weights; the real tokenizer from
../shared/phobert-base when present) is measured the same way, and our
pipeline as shipped (windows overlapping by 64 pieces), on the baseline's
windows (no overlap), and with int8 dynamic quantization of the linear layers
(`vietgov_ner.quantize`).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def bench_texts(shared: Path, n: int) -> list[str]:
    from vietgov.records import read_jsonl

    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
    texts += [r.text for split in ("train", "dev", "test") for r in read_jsonl(f"annotations/{split}.jsonl")]
    return [texts[i % len(texts)] for i in range(n)]


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM: ru_maxrss would include the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ours(pipeline: str, texts: list[str], batch_size: int, queue, setting: dict | None = None) -> None:
    import spacy
    import torch

    torch.set_num_threads(2)
    nlp = spacy.load(pipeline, config={"components": {"vietgov_ner": setting or {}}})
    list(nlp.pipe(texts[:2]))
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    seconds = time.perf_counter() - start
    word_form = nlp.get_pipe("vietgov_ner").encoder.word_form
    ents = [Counter((e.label_, tuple(w for w in map(word_form, (t.text for t in e)) if w)) for e in d.ents)
            for d in docs]
    queue.put({"seconds": seconds, "peak_mb": _peak_mb(), "entities": ents})


def _baseline(pipeline: str, texts: list[str], batch_size: int, queue) -> None:
    import spacy
    import torch
    from transformers import pipeline as hf_pipeline

    torch.set_num_threads(2)
    nlp = spacy.load(pipeline)
    ner = nlp.get_pipe("vietgov_ner")
    from vietgov.sentences import token_sentence_starts
    from vietgov.pieces import make_windows

    classifier = hf_pipeline("token-classification", model=ner.model, tokenizer=ner.tokenizer, device=-1,
                             aggregation_strategy="none", ignore_labels=[])
    classifier(["Bí_thư Quận_uỷ"])
    # PhoBERT needs word-segmented input: segmentation and windows are part of the baseline's work
    start = time.perf_counter()
    windows, owner = [], []
    for d, doc in enumerate(nlp.tokenizer.pipe(texts)):
        pieces = ner.encoder.encode_tokens([t.text for t in doc])
        for w in make_windows([len(p) for p in pieces], token_sentence_starts(doc), ner.cfg["max_pieces"], 0):
            words = [ner.encoder.word_form(doc[i].text) for i in range(w.start, w.end)]
            windows.append([x for x in words if x])
            owner.append(d)
    results = classifier([" ".join(words) for words in windows], batch_size=batch_size)
    ents = [Counter() for _ in texts]
    for d, words, pieces in zip(owner, windows, results):
        ents[d].update(word_entities(words, pieces))
    seconds = time.perf_counter() - start
    queue.put({"seconds": seconds, "peak_mb": _peak_mb(), "entities": ents})


def word_entities(words: list[str], pieces: list[dict]) -> list[tuple[str, tuple[str, ...]]]:
    """Entities from per-piece predictions the way a PhoBERT NER model is read (and trained): each word takes
    its first piece's tag (a piece written `xx@@` continues its word); IOB2 is read greedily (an I- after
    another type opens an entity)."""
    tags, opens_word = [], True
    for piece in sorted(pieces, key=lambda p: p["index"]):
        if opens_word:
            tags.append(piece["entity"])
        opens_word = not piece["word"].endswith("@@")
    found, current = [], None
    for word, tag in zip(words + [""], tags + ["O"]):
        if current and (tag == "O" or tag.startswith("B-") or tag[2:] != current[0]):
            found.append((current[0], tuple(current[1])))
            current = None
        if tag != "O":
            current = current or (tag[2:], [])
            current[1].append(word)
    return found


def run_isolated(target, pipeline, texts, batch_size, *extra) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(pipeline, texts, batch_size, queue, *extra), daemon=True)
    proc.start()
    result = queue.get()
    proc.join()
    return result


def agreement(a: list[Counter], b: list[Counter]) -> float:
    tp = sum(sum((x & y).values()) for x, y in zip(a, b))
    total = sum(sum(x.values()) for x in a) + sum(sum(y.values()) for y in b)
    return 2 * tp / total if total else 1.0


def base_sized_pipeline(shared: Path, out: Path) -> str:
    """A phobert-base-shaped pipeline with random weights (real tokenizer when ../shared has it)."""
    from transformers import PhobertTokenizer, RobertaConfig, RobertaForTokenClassification

    from vietgov.decoding import iob_labels
    from vietgov.records import LABELS

    from .train import assemble_pipeline

    tok_dir = shared / "phobert-base"
    tokenizer = PhobertTokenizer(str(tok_dir / "vocab.txt"), str(tok_dir / "bpe.codes"))
    config = RobertaConfig.from_json_file(str(tok_dir / "config.json"))
    labels = iob_labels(LABELS)
    config.num_labels, config.id2label = len(labels), dict(enumerate(labels))
    config.label2id = {v: k for k, v in config.id2label.items()}
    nlp = assemble_pipeline(RobertaForTokenClassification(config), tokenizer,
                            {"normalize_tones": True, "max_pieces": 254, "stride": 64})
    nlp.to_disk(out)
    return str(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pipeline", default="models/vi_vietgov_default")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--output", default="bench.json")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    texts = bench_texts(shared, args.docs)
    words = sum(len(t.split()) for t in texts)
    report = {"docs": len(texts), "words": words, "models": {}}
    with tempfile.TemporaryDirectory() as tmp:
        models = {"shipped": args.pipeline}
        if (shared / "phobert-base" / "bpe.codes").exists():
            models["phobert-base-size (random weights)"] = base_sized_pipeline(shared, Path(tmp) / "base")
        for name, path in models.items():
            row = {}
            systems = (("vietgov (spaCy)", _ours, ()),
                       ("vietgov (spaCy), baseline's windows", _ours, ({"stride": 0},)),
                       ("vietgov (spaCy), int8", _ours, ({"quantize": True},)),
                       ("transformers pipeline", _baseline, ()))
            for system, target, extra in systems:
                print(f"[bench] {name}: {system} ...", file=sys.stderr, flush=True)
                r = run_isolated(target, path, texts, args.batch_size, *extra)
                row[system] = {"docs_per_second": len(texts) / r["seconds"], "words_per_second": words / r["seconds"],
                               "peak_mb": r["peak_mb"], "entities": r.pop("entities")}
            base = row["transformers pipeline"]
            for system, _, _ in systems[:-1]:
                row[system]["speedup"] = row[system]["docs_per_second"] / base["docs_per_second"]
                row[system]["entity_agreement_with_baseline_f1"] = agreement(row[system]["entities"], base["entities"])
            for system, _, _ in systems:
                row[system].pop("entities")
            report["models"][name] = row
            print(f"[bench] {name}: {json.dumps(row)}", file=sys.stderr, flush=True)
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
