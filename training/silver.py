"""Self-training on the unlabeled corpus: pseudo-label articles with a teacher pipeline, keep the sentences
it is sure of, and train the base config again with them added to its training data.

    python -m training.silver configs/silver.cfg [--section.key value ...]

A sentence is kept when every token's decoded tag has at least `min_confidence`
probability (`doc._.tag_confidence`) and it holds an entity; its entities and
the teacher's relations become a silver record. Articles annotated by hand
(any file under annotations/) are never pseudo-labelled, so dev and test stay
unseen. The silver records hold corpus text, so they stay in the output folder
(never committed). The run ships, like `make train`, only if it beats the
shipped pipeline on the deciding dev file.
"""
from __future__ import annotations

import gzip
import json
import logging
import random
import sys
from bisect import bisect_left
from pathlib import Path

import spacy
from tqdm import tqdm

from vietgov.logs import configure_logging
from vietgov.records import Entity, Record, Relation, corpus_dir, read_jsonl, write_jsonl
from vietgov.sentences import sentence_spans

from .config import load_config, run_with_config, validate
from .config_schema import SilverConfig, TrainConfig
from .data import split_paths
from .train import run

logger = logging.getLogger(__name__)


def annotated_doc_ids(folder: Path = Path("annotations")) -> set[str]:
    """Corpus document ids of every by-reference record in the project's annotation files."""
    ids = set()
    for path in folder.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                ids.add(json.loads(line).get("doc_id"))
    return ids - {None}


def sample_articles(corpus: Path, files: list[str], n: int, exclude: set[str], seed: int) -> list[tuple[str, str]]:
    """(document id, text) of `n` articles drawn at random from the corpus files, none of `exclude`."""
    articles = []
    for name in files:
        with gzip.open(corpus / name, "rt", encoding="utf-8") as f:
            articles += [(obj["id"], obj["text"]) for obj in map(json.loads, f) if obj["id"] not in exclude]
    random.Random(seed).shuffle(articles)
    return articles[:n]


def silver_record(doc_id: str, doc, min_confidence: float) -> Record | None:
    """The sentences of `doc` the teacher is sure of, with its entities and relations; None if none is kept."""
    confidence = doc._.tag_confidence
    starts = [t.idx for t in doc]
    parts, entities, relations, offset = [], [], [], 0
    ids = {}
    for start, end in sentence_spans(doc.text):
        tokens = range(bisect_left(starts, start), bisect_left(starts, end))
        ents = [e for e in doc.ents if start <= e.start_char and e.end_char <= end]
        if not tokens or not ents or min(confidence[i] for i in tokens) < min_confidence:
            continue
        if parts:
            offset += 1  # the "\n" joining kept sentences
        for e in ents:
            entity = Entity(len(entities) + 1, e.label_, e.start_char - start + offset, e.end_char - start + offset)
            entities.append(entity)
            ids[(e.start_char, e.end_char)] = entity.id
        parts.append(doc.text[start:end])
        offset += end - start
    if not parts:
        return None
    for head, tail, label in doc._.relations:
        h, t = ids.get((head.start_char, head.end_char)), ids.get((tail.start_char, tail.end_char))
        if h and t:
            relations.append(Relation(len(relations) + 1, h, t, label))
    return Record(f"silver-{doc_id}", "\n".join(parts), entities, relations, {"silver": True})


def pseudo_label(cfg) -> tuple[Path, dict]:
    scfg = cfg["silver"]
    out = Path(scfg["output"])
    out.mkdir(parents=True, exist_ok=True)
    path = out / "silver.jsonl"
    teacher = spacy.load(scfg["teacher"])
    articles = sample_articles(corpus_dir(scfg["corpus"]), split_paths(scfg["files"]), scfg["docs"],
                               annotated_doc_ids(), scfg["seed"])
    records, sentences = [], 0
    docs = teacher.pipe((text for _, text in articles), batch_size=64)
    for (doc_id, _), doc in tqdm(zip(articles, docs), total=len(articles), desc="pseudo-labelling", unit="doc"):
        rec = silver_record(doc_id, doc, scfg["min_confidence"])
        if rec is not None:
            records.append(rec)
            sentences += rec.text.count("\n") + 1
    write_jsonl(records, path)
    facts = {"articles": len(articles), "records": len(records), "sentences": sentences,
             "entities": sum(len(r.entities) for r in records), "relations": sum(len(r.relations) for r in records)}
    logger.info(f"{facts['records']} silver records ({sentences} sentences, {facts['entities']} entities) "
        f"from {len(articles)} articles in {path}")
    read_jsonl(path)  # written records read back as training will read them
    return path, facts


def silver_run(cfg) -> dict:
    scfg = cfg["silver"]
    silver, facts = pseudo_label(cfg)
    train_files = split_paths(load_config(scfg["base"], schema=TrainConfig)["paths"]["train"]) + [str(silver)]
    base = load_config(scfg["base"], [f"--paths.train={json.dumps(train_files)}",
                                       f"--paths.output={Path(scfg['output']) / 'run'}"], TrainConfig)
    # how the silver records were made, recorded in metrics.json, config.cfg and the model card
    return run(validate({**base, "silver": {**scfg, **facts}}, TrainConfig, scfg["base"]))


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    return run_with_config(silver_run, __doc__, SilverConfig, argv)


if __name__ == "__main__":
    sys.exit(main())
