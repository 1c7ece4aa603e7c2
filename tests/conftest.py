import os
from pathlib import Path

import pytest

# The tiny models gain nothing from a thread pool, and on a busy machine OpenMP threads that wait on each other
# make every step several times slower: the tests, and the processes they start, run torch on one thread.
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def tiny_config(output: Path, **overrides):
    from training.config import load_config
    from training.config_schema import TrainConfig

    return load_config(ROOT / "configs" / "tiny.cfg", {"paths.output": str(output), **overrides}, TrainConfig)


def long_record(records, copies: int = 12):
    """One document of `copies` repetitions of the records, far beyond 256 pieces."""
    from vietgov.records import Entity, Record, Relation

    entities, relations, parts, shift = [], [], [], 0
    for _ in range(copies):
        for rec in records:
            new_id = {e.id: len(entities) + k + 1 for k, e in enumerate(rec.entities)}
            entities += [Entity(new_id[e.id], e.label, e.start + shift, e.end + shift) for e in rec.entities]
            relations += [Relation(len(relations) + k + 1, new_id[r.head], new_id[r.tail], r.type)
                          for k, r in enumerate(rec.relations)]
            parts.append(rec.text)
            shift += len(rec.text) + 1
    return Record("long", "\n".join(parts), entities, relations)


def doc_with_ents(nlp, text, spans):
    """A doc of `text` whose ents are the given (surface, label) pairs, found left to right."""
    doc = nlp.make_doc(text)
    ents, pos = [], 0
    for surface, label in spans:
        start = text.index(surface, pos)
        ents.append(doc.char_span(start, start + len(surface), label=label, alignment_mode="strict"))
        pos = start + len(surface)
    assert all(e is not None for e in ents), [t.text for t in doc]
    doc.ents = ents
    return doc


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory):
    """The tiny training records plus one long document made of them (so windows are trained too)."""
    from vietgov.records import read_jsonl, write_jsonl

    records = list(read_jsonl(DATA / "train.jsonl"))
    path = tmp_path_factory.mktemp("data") / "train.jsonl"
    write_jsonl(records + [long_record(records)], path)
    return path


@pytest.fixture(scope="session")
def trained(tmp_path_factory, tiny_data):
    """Train the tiny config once: (output directory, metrics)."""
    from training.train import train

    out = tmp_path_factory.mktemp("tiny")
    data = str(tiny_data)
    metrics = train(tiny_config(out, **{"paths.train": data, "paths.dev": data, "paths.test": data}))
    return out, metrics


@pytest.fixture(scope="session")
def nlp(trained):
    import spacy

    return spacy.load(trained[0] / "pipeline")
