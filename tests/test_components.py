"""Both trainable components under spaCy's component contract: nlp.evaluate, labels, score weights,
load-time settings, initialize, exclude and bytes (as spaCy's own test_spancat.py tests its component)."""
import json

import pytest
import spacy
from spacy.training import Example

import vietgov.ner  # noqa: F401  the factories, also without entry points
import vietgov.relation_model  # noqa: F401
from vietgov.evaluate import entity_set, relation_set, relation_tuples
from vietgov.records import Entity, Record, Relation, read_jsonl
from vietgov.scorers import record_example, relation_score
from vietgov.tokenizer import blank

from .conftest import DATA

GOLD = list(read_jsonl(DATA / "train.jsonl"))
REL = "vietgov_relation_model"


def entities_of(doc) -> set:
    return {(e.start_char, e.end_char, e.label_) for e in doc.ents}


def test_a_record_becomes_an_example_with_its_gold_whole_tokens():
    # "Bí th" ends inside the token "thư": the reference is cut there, so the gold span stays exact
    rec = Record("r", "Bí thư Quận ủy quận 1 dự.", [Entity(1, "TITLE", 0, 5), Entity(2, "UNIT", 7, 21)],
                 [Relation(1, 1, 2, "TITLE_OF")])
    example = record_example(blank(), rec)
    assert example.reference.text == example.predicted.text == rec.text
    assert len(example.predicted.ents) == 0 and example.predicted._.relation_offsets == []
    assert entities_of(example.reference) == entity_set(rec)
    assert relation_tuples(example.reference._.relations) == relation_set(rec)
    # no gold entities is an annotated document: every token O, so entity scores count it
    assert record_example(blank(), Record("e", "Hôm nay trời đẹp.")).reference.has_annotation("ENT_IOB")


def test_relation_scores_counted_by_hand():
    nlp = blank()
    text = "Ông A là Bí thư Tỉnh ủy."
    gold = Record("g", text, [Entity(1, "OFFICIAL", 4, 5), Entity(2, "TITLE", 9, 15), Entity(3, "UNIT", 16, 23)],
                  [Relation(1, 1, 2, "HAS_TITLE"), Relation(2, 2, 3, "TITLE_OF")])
    predicted = record_example(nlp, Record("p", text, gold.entities, [Relation(1, 1, 2, "HAS_TITLE")])).reference
    scores = relation_score([Example(predicted, record_example(nlp, gold).reference)], threshold=0.5)
    assert (scores["rel_micro_p"], scores["rel_micro_r"]) == (1.0, 0.5)
    assert scores["rel_micro_f"] == pytest.approx(2 / 3)
    assert scores["rel_per_type"] == {"HAS_TITLE": {"p": 1.0, "r": 1.0, "f": 1.0},
                                      "TITLE_OF": {"p": 0.0, "r": 0.0, "f": 0.0}}


def test_evaluate_scores_entities_and_relations(nlp):
    rec = GOLD[1]  # one official, two titles, two units, two figures; four relations
    doc = nlp(rec.text)
    assert entities_of(doc) == entity_set(rec) and relation_tuples(doc._.relations) == relation_set(rec)
    # the gold, edited: one figure fewer (7 predicted, 6 gold); HAS_TITLE Lê Văn Sơn -> Chủ tịch dropped, and
    # TITLE_OF Phó Bí thư -> UBND quận Bình Tân added (a relation the pipeline does not find)
    edited = Record(rec.id, rec.text, rec.entities[:-1],
                    [r for r in rec.relations if (r.head, r.tail) != (1, 4)] + [Relation(9, 2, 5, "TITLE_OF")])
    scores = nlp.evaluate([record_example(nlp, edited)])
    assert (scores["ents_p"], scores["ents_r"]) == (pytest.approx(6 / 7), 1.0)
    assert scores["ents_per_type"]["FIGURE"] == {"p": 0.5, "r": 1.0, "f": pytest.approx(2 / 3)}
    assert scores["ents_per_type"]["OFFICIAL"] == {"p": 1.0, "r": 1.0, "f": 1.0}
    # HAS_TITLE: tp 1, fp 1; TITLE_OF: tp 2, fn 1; micro: tp 3, fp 1, fn 1
    assert scores["rel_per_type"]["HAS_TITLE"] == {"p": 0.5, "r": 1.0, "f": pytest.approx(2 / 3)}
    assert scores["rel_per_type"]["TITLE_OF"] == {"p": 1.0, "r": pytest.approx(2 / 3), "f": pytest.approx(0.8)}
    assert (scores["rel_micro_p"], scores["rel_micro_r"], scores["rel_micro_f"]) == (0.75, 0.75, 0.75)


def test_labels_and_score_weights(trained, nlp):
    meta = json.loads((trained[0] / "pipeline" / "meta.json").read_text())
    assert meta["labels"] == {"vietgov_ner": ["OFFICIAL", "TITLE", "UNIT", "FIGURE"], REL: ["HAS_TITLE", "TITLE_OF"]}
    rel = nlp.get_pipe(REL)
    assert rel.add_label("HAS_TITLE") == 0
    with pytest.raises(ValueError, match="fixed"):
        rel.add_label("WORKS_FOR")
    # entities and relations weigh alike, as ship.dev_score weighs them
    weights = nlp.config["training"]["score_weights"]
    assert weights["ents_f"] == weights["rel_micro_f"] == 0.5


def test_load_time_settings_win(trained):
    path = trained[0] / "pipeline"
    assert "threshold" not in json.loads((path / REL / "cfg").read_text())  # config.cfg holds it, alone
    strict = spacy.load(path, config={"components": {REL: {"threshold": 1.01, "prenominal": False, "batch_size": 2}}})
    assert strict.get_pipe(REL).cfg == {"threshold": 1.01, "prenominal": False, "appositive": True, "batch_size": 2}
    doc = strict(GOLD[1].text)
    assert doc.ents and doc._.relations == []


def test_a_title_given_no_unit_keeps_the_best_units_probability(trained):
    path = trained[0] / "pipeline"
    every = spacy.load(path, config={"components": {REL: {"threshold": 0.0}}})(GOLD[1].text)
    best = {}
    for (head, _, label), p in zip(every._.relations, every._.relation_scores):
        if label == "TITLE_OF":
            best[head.start] = max(p, best.get(head.start, 0.0))
    assert len(best) == 2  # both titles have units in their sentence
    assert every._.unlinked_unit_scores == {}  # every title got a unit
    none = spacy.load(path, config={"components": {REL: {"threshold": 1.01}}})(GOLD[1].text)
    assert none._.unlinked_unit_scores == best


def test_initialize_from_the_config(trained):
    """`nlp.initialize()` loads the entity model named in [initialize.components]; the relation component
    says what it needs."""
    reference = spacy.load(trained[0] / "pipeline")
    nlp = blank()
    nlp.add_pipe("vietgov_ner", config={"precision": "fp32"})
    nlp.config["initialize"]["components"]["vietgov_ner"] = {
        "name_or_path": str(trained[0] / "pipeline" / "vietgov_ner" / "model")}
    nlp.initialize()
    assert entities_of(nlp(GOLD[0].text)) == entities_of(reference(GOLD[0].text))
    nlp.add_pipe(REL)
    with pytest.raises(ValueError, match="needs a trained model"):
        nlp.initialize()


def test_exclude_skips_the_weights(nlp, tmp_path):
    for name, weights in (("vietgov_ner", "model"), (REL, "scorer.safetensors")):
        pipe = nlp.get_pipe(name)
        pipe.to_disk(tmp_path / name, exclude=["model"])
        assert not (tmp_path / name / weights).exists()
        pipe.to_disk(tmp_path / name)
        fresh = nlp.create_pipe(name)
        assert fresh.from_disk(tmp_path / name, exclude=["model"]).model is None
        assert fresh.from_disk(tmp_path / name).model is not None
    assert nlp.create_pipe(REL).from_bytes(nlp.get_pipe(REL).to_bytes(exclude=["model"]), exclude=["model"]).model is None


def test_bytes_round_trip_keeps_predictions_and_settings(nlp):
    docs = [nlp(rec.text) for rec in GOLD]
    ner = nlp.create_pipe("vietgov_ner", config={"precision": "fp32"}).from_bytes(nlp.get_pipe("vietgov_ner").to_bytes())
    assert [entities_of(d) for d in ner.pipe(nlp.make_doc(r.text) for r in GOLD)] == [entities_of(d) for d in docs]
    # the weights and their settings come from the bytes, the threshold from the component's config
    rel = nlp.create_pipe(REL, config={"threshold": 0.9}).from_bytes(nlp.get_pipe(REL).to_bytes())
    assert rel.cfg["threshold"] == 0.9 and rel.settings == nlp.get_pipe(REL).settings
    sure = [{r for r, p in zip(d._.relations, d._.relation_scores) if p >= 0.9} for d in docs]
    assert [relation_tuples(p.relations) for p in rel.predict(docs)] == [relation_tuples(r) for r in sure]
