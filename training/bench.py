"""Throughput and peak memory of the spaCy pipeline against transformers' token-classification pipeline.

    python -m training.bench --pipeline models/vi_vietgov_default [--shared ../shared] [--docs 200] [--repeat 3]

Both run the same model on the same 200 articles (seeds and annotations,
repeated as needed). The baseline gets the same sentence-aware windows our
component builds (without overlap), word-segmented, because
the slow PhobertTokenizer cannot window long documents itself; the
segmentation and windowing are timed as part of the baseline, since a user of
the transformers pipeline must segment text for PhoBERT too, and so is reading
words' tags off their first pieces (the slow tokenizer has no offsets, so the
pipeline's word aggregation is unavailable; "simple" aggregation splits words
at pieces). Each system runs in its own process (peak memory is its own), is
warmed up on two documents (the time of that first call is reported: it holds
torch.compile's compilation), then timed over the articles in chunks of one
`nlp.pipe` batch, the systems taking turns on each chunk for `--repeat`
rounds; a system's time is the sum of its fastest run of each chunk, as timeit
keeps the fastest: this machine's speed drifts within a minute by more than
some of the differences measured. A phobert-base-sized model
(random weights; the real tokenizer from ../shared/phobert-base when present)
is measured the same way. The baseline runs one window per model call,
the transformers pipeline's default and its fastest here (no padding; the
README has 1, 4, 16 and 64 compared); ours runs the pipeline's own setting
(`vietgov_ner.batch_size`) and gets 64 documents per `nlp.pipe` batch, whose
windows it sorts by length (less padding). Our systems: the pipeline as shipped (entities with
windows overlapping by 64 pieces, Viterbi decoding, and relations), and its
entity component alone on the baseline's windows with the baseline's reading
of the tags (`vietgov_ner.decoding = "argmax"`: the baseline's entities,
exactly), eager, with `torch.compile` (`vietgov_ner.compile`) and with int8
dynamic quantization (`vietgov_ner.quantize`). The pipeline as shipped also
runs with `vietgov_ner.precision` forced to fp32 and to bf16 (marked where this
machine has no native bf16), with entity agreement against fp32, and the
shipped pipeline's F1 in fp32 and in bf16 on the `--gold` files is recorded.
"""
from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import queue
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from spacy.util import minibatch

from vietgov.decoding import spans_from_iob
from vietgov.logs import configure_logging
from vietgov.precision import native_bf16, resolve_precision

logger = logging.getLogger(__name__)


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


def _serve(make_run, args: tuple, texts: list[str], chunk: int, inbox, outbox) -> None:
    """A system in its own process: set up, warm up on two texts (timed: it holds torch.compile's
    compilation), then one timed run per requested chunk of the texts, until told to stop."""
    import torch

    torch.set_num_threads(2)
    run = make_run(*args)
    start = time.perf_counter()
    run(texts[:2])
    outbox.put({"first_call_seconds": time.perf_counter() - start})
    parts = list(minibatch(texts, chunk))
    while (c := inbox.get()) is not None:
        start = time.perf_counter()
        entities = run(parts[c])
        outbox.put({"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "entities": entities})


def ours(pipeline: str, batch_size: int | None, setting: dict, entities_only: bool, doc_batch_size: int):
    import spacy

    if batch_size is not None:
        setting = {"batch_size": batch_size, **setting}
    nlp = spacy.load(pipeline, config={"components": {"vietgov_ner": setting}})
    if entities_only:
        nlp.select_pipes(enable=["vietgov_ner"])
    word_form = nlp.get_pipe("vietgov_ner").encoder.word_form

    def run(texts):
        return [Counter((e.label_, tuple(w for w in map(word_form, (t.text for t in e)) if w)) for e in d.ents)
                for d in nlp.pipe(texts, batch_size=doc_batch_size)]

    return run


def baseline(pipeline: str, batch_size: int):
    import spacy
    from transformers import pipeline as hf_pipeline

    from vietgov.windows import window_inputs
    from vietgov.sentences import token_sentence_starts

    nlp = spacy.load(pipeline)
    ner = nlp.get_pipe("vietgov_ner")
    classifier = hf_pipeline("token-classification", model=ner.model, tokenizer=ner.tokenizer, device=-1,
                             aggregation_strategy="none", ignore_labels=[])

    def run(texts):
        # PhoBERT needs word-segmented input: segmentation and windows are part of the baseline's work
        windows, owner = [], []
        for d, doc in enumerate(nlp.tokenizer.pipe(texts)):
            pieces = ner.encoder.encode_tokens([t.text for t in doc])
            for w, _, _ in window_inputs(pieces, token_sentence_starts(doc), ner.tokenizer,
                                         max_pieces=ner.cfg["max_pieces"], stride=0):
                windows.append([ner.encoder.word_form(doc[i].text) for i in range(w.start, w.end)])
                owner.append(d)
        results = classifier([" ".join(x for x in words if x) for words in windows], batch_size=batch_size)
        ents = [Counter() for _ in texts]
        for d, words, pieces in zip(owner, windows, results):
            ents[d].update(word_entities(words, pieces))
        return ents

    return run


def _receive(name: str, proc, outbox) -> dict:
    """The system's next report; an error, not a hang, when its process died."""
    while True:
        try:
            return outbox.get(timeout=5)
        except queue.Empty:
            if not proc.is_alive():
                raise RuntimeError(f"bench: {name} exited with code {proc.exitcode}") from None


def measure(systems: dict, texts: list[str], repeat: int, chunk: int) -> dict:
    """Each system in its own process (its peak memory is its own). The texts are run in chunks, the
    systems taking turns on each chunk, `repeat` rounds; a system's time is the sum over chunks of its
    fastest run of each, as timeit keeps the fastest: this machine's speed drifts within a minute by
    more than some of the differences measured, and short turns see the same drift."""
    ctx = mp.get_context("spawn")
    workers = {}
    for name, (make_run, args) in systems.items():
        logger.info(f"starting {name} ...")
        inbox, outbox = ctx.Queue(), ctx.Queue()
        proc = ctx.Process(target=_serve, args=(make_run, args, texts, chunk, inbox, outbox), daemon=True)
        proc.start()
        workers[name] = (proc, inbox, outbox, _receive(name, proc, outbox))  # warmed up before the next starts
    n_chunks = len(list(minibatch(texts, chunk)))
    fastest = {name: [float("inf")] * n_chunks for name in workers}
    found: dict[str, list] = {name: [None] * n_chunks for name in workers}
    peak = {}
    for r in range(repeat):
        for c in range(n_chunks):
            for name, (proc, inbox, outbox, _) in workers.items():
                inbox.put(c)
                got = _receive(name, proc, outbox)
                fastest[name][c] = min(fastest[name][c], got["seconds"])
                found[name][c], peak[name] = got["entities"], got["peak_mb"]
        logger.info(f"round {r + 1}/{repeat}: " + ", ".join(f"{name} {sum(fastest[name]):.2f} s" for name in workers))
    for proc, inbox, _, _ in workers.values():
        inbox.put(None)
        proc.join()
    return {name: {"seconds": sum(fastest[name]), "first_call_seconds": w[3]["first_call_seconds"],
                   "peak_mb": peak[name], "entities": [e for part in found[name] for e in part]}
            for name, w in workers.items()}


def word_entities(words: list[str], pieces: list[dict]) -> list[tuple[str, tuple[str, ...]]]:
    """Entities from per-piece predictions the way a PhoBERT NER model is read (and trained): each word takes
    its first piece's tag (a piece written `xx@@` continues its word), a word without pieces (whitespace,
    empty here) is O, as in our component; IOB2 is read greedily (an I- after another type opens an entity)."""
    first_tags, opens_word = [], True
    for piece in sorted(pieces, key=lambda p: p["index"]):
        if opens_word:
            first_tags.append(piece["entity"])
        opens_word = not piece["word"].endswith("@@")
    in_order = iter(first_tags)
    tags = [next(in_order) if word else "O" for word in words]
    return [(label, tuple(words[start:end])) for start, end, label in spans_from_iob(tags)]


def agreement(a: list[Counter], b: list[Counter]) -> float:
    tp = sum(sum((x & y).values()) for x, y in zip(a, b))
    total = sum(sum(x.values()) for x in a) + sum(sum(y.values()) for y in b)
    return 2 * tp / total if total else 1.0


def base_sized_pipeline(shared: Path, out: Path, pipeline: str) -> str:
    """A phobert-base-shaped pipeline with random weights (real tokenizer when ../shared has it), windowed
    as `pipeline`'s entity recognizer is."""
    import torch
    from spacy.util import load_config
    from transformers import PhobertTokenizer, RobertaConfig, RobertaForTokenClassification

    from vietgov.decoding import iob_labels
    from vietgov.schema import LABELS

    from .train import assemble_pipeline

    tok_dir = shared / "phobert-base"
    tokenizer = PhobertTokenizer(str(tok_dir / "vocab.txt"), str(tok_dir / "bpe.codes"))
    config = RobertaConfig.from_json_file(str(tok_dir / "config.json"))
    labels = iob_labels(LABELS)
    config.num_labels, config.id2label = len(labels), dict(enumerate(labels))
    config.label2id = {v: k for k, v in config.id2label.items()}
    torch.manual_seed(0)  # the same random model every run: its agreements measure its near-ties
    settings = load_config(Path(pipeline) / "config.cfg")["components"]["vietgov_ner"]
    nlp = assemble_pipeline(RobertaForTokenClassification(config), tokenizer, settings)
    nlp.to_disk(out)
    return str(out)


def precision_scores(pipeline: str, files: list[str]) -> dict:
    """Entity, relation and position F1 of the pipeline in fp32 and in bf16 on each gold file."""
    import spacy

    from vietgov.evaluate import evaluate
    from vietgov.records import read_jsonl

    gold = {path: read_jsonl(path) for path in files}
    scores = {}
    for precision in ("fp32", "bf16"):
        nlp = spacy.load(pipeline, config={"components": {"vietgov_ner": {"precision": precision}}})
        for path, records in gold.items():
            s = evaluate(nlp, records)
            scores.setdefault(path, {})[precision] = {
                "entities_f1": s["entities"]["micro"]["f1"],
                "relations_end_to_end_f1": s["relations"]["end_to_end"]["micro"]["f1"],
                "positions_f1": s["relations"]["positions"]["f1"]}
    return scores


def main(argv=None) -> int:
    configure_logging()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pipeline", default="models/vi_vietgov_default")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="windows per model call, our systems (default: the pipeline's vietgov_ner.batch_size)")
    parser.add_argument("--baseline-batch-size", type=int, default=1,
                        help="windows per model call, the baseline (default: the transformers pipeline's, its fastest)")
    parser.add_argument("--doc-batch-size", type=int, default=64,
                        help="documents per nlp.pipe batch (their windows are sorted by length together)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds over the chunks; each system's fastest run of a chunk counts")
    parser.add_argument("--output", default="bench.json")
    parser.add_argument("--gold", nargs="*", default=["annotations/real/dev.jsonl", "annotations/real/test.jsonl",
                                                      "annotations/dev.jsonl", "annotations/test.jsonl"],
                        help="gold files the shipped pipeline is scored on in fp32 and in bf16")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    texts = bench_texts(shared, args.docs)
    words = sum(len(t.split()) for t in texts)
    from .machine import machine

    report = {"docs": len(texts), "words": words, "repeat": args.repeat, "machine": machine(), "models": {}}
    entities = "vietgov entities, baseline's windows and reading"
    native = native_bf16()
    shipped_fp32 = "vietgov (spaCy), as shipped, fp32"
    shipped_bf16 = "vietgov (spaCy), as shipped, bf16" + ("" if native else " (not native here)")
    report["precision"] = {"auto": resolve_precision("auto"), "native_bf16": native,
                           "scores": precision_scores(args.pipeline, args.gold)}
    with tempfile.TemporaryDirectory() as tmp:
        models = {"shipped": args.pipeline}
        if (shared / "phobert-base" / "bpe.codes").exists():
            models["phobert-base-size (random weights)"] = base_sized_pipeline(shared, Path(tmp) / "base", args.pipeline)
        for name, path in models.items():
            def vietgov(setting: dict, entities_only: bool) -> tuple:
                return ours, (path, args.batch_size, setting, entities_only, args.doc_batch_size)

            # the baseline's windows, reading of the tags and fp32 arithmetic
            same = {"stride": 0, "decoding": "argmax", "precision": "fp32"}
            systems = {
                "vietgov (spaCy), as shipped": vietgov({}, False),
                shipped_fp32: vietgov({"precision": "fp32"}, False),
                shipped_bf16: vietgov({"precision": "bf16"}, False),
                entities: vietgov(same, True),
                f"{entities}, compiled": vietgov({**same, "compile": True}, True),
                f"{entities}, int8": vietgov({**same, "quantize": True}, True),
                "transformers pipeline": (baseline, (path, args.baseline_batch_size)),
            }
            results = measure(systems, texts, args.repeat, args.doc_batch_size)
            found = {system: r.pop("entities") for system, r in results.items()}
            row = {system: {"docs_per_second": len(texts) / r["seconds"], "words_per_second": words / r["seconds"], **r}
                   for system, r in results.items()}
            base = row["transformers pipeline"]
            for system in list(systems)[:-1]:
                row[system]["speedup"] = row[system]["docs_per_second"] / base["docs_per_second"]
                row[system]["entity_agreement_with_baseline_f1"] = agreement(found[system], found["transformers pipeline"])
                # the same windows and decoding: anything but 1.0 is the fast path changing predictions
                row[system]["entity_agreement_with_eager_f1"] = agreement(found[system], found[entities])
            for system in ("vietgov (spaCy), as shipped", shipped_bf16):
                row[system]["entity_agreement_with_fp32_f1"] = agreement(found[system], found[shipped_fp32])
            report["models"][name] = row
            logger.info(f"{name}: {json.dumps(row)}")
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
