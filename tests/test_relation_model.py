"""The learned relation classifier: candidates, overfitting, both encoder choices, serialisation."""
import json

import pytest
import spacy

from vietgov.evaluate import relation_set, relation_tuples
from vietgov.records import read_jsonl
from vietgov.relation_model import candidate_pairs

from .conftest import DATA, ROOT, doc_with_ents, tiny_config

GOLD = list(read_jsonl(DATA / "train.jsonl"))


def test_candidates_stay_within_sentences(nlp):
    doc = doc_with_ents(nlp, "Hội nghị có Bí thư Quận ủy. Dương Anh Đức dự họp, Chủ tịch Lê Văn Sơn phát biểu.",
                    [("Bí thư", "TITLE"), ("Quận ủy", "UNIT"), ("Dương Anh Đức", "OFFICIAL"), ("Chủ tịch", "TITLE"),
                     ("Lê Văn Sơn", "OFFICIAL")])
    assert {(h.text, t.text, lab, between) for h, t, lab, between in candidate_pairs(doc)} == {
        ("Bí thư", "Quận ủy", "TITLE_OF", 0),
        ("Dương Anh Đức", "Chủ tịch", "HAS_TITLE", 0), ("Lê Văn Sơn", "Chủ tịch", "HAS_TITLE", 0),
    }
    assert candidate_pairs(doc_with_ents(nlp, "Quận có 52 chi bộ.", [("52 chi bộ", "FIGURE")])) == []


def test_overfits_end_to_end_and_after_reload(trained, nlp):
    _, metrics = trained
    relations = metrics["test"]["relations"]
    assert relations["end_to_end"]["micro"]["f1"] == relations["gold_entities"]["micro"]["f1"] == 1.0
    assert relations["positions"]["f1"] == 1.0
    assert "rules" in relations  # the rule baseline is reported beside the model
    # nlp is the pipeline reloaded from disk
    for rec in GOLD:
        assert relation_tuples(nlp(rec.text)._.relations) == relation_set(rec)
    several = nlp(GOLD[1].text)  # one official, two titles, two units
    assert {(o.text, t.text, u.text) for o, t, u in several._.positions} == {
        ("Lê Văn Sơn", "Phó Bí thư", "Quận ủy"), ("Lê Văn Sơn", "Chủ tịch", "UBND quận Bình Tân")}


def test_no_candidates_no_relations(nlp):
    for text in ("", "   ", "Hôm nay trời đẹp.", "Quận có 52 chi bộ với 8.117 đảng viên."):
        doc = nlp(text)
        assert doc._.relations == [] and doc._.positions == []


def test_needs_the_entity_recognizers_vectors(nlp):
    doc = doc_with_ents(nlp, "Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì.",
                    [("Bí thư", "TITLE"), ("Quận ủy quận 1", "UNIT"), ("Dương Anh Đức", "OFFICIAL")])
    with pytest.raises(ValueError, match="after vietgov_ner"):
        nlp.get_pipe("vietgov_relation_model")(doc)


def test_separate_encoder_overfits_and_round_trips(trained, tiny_data, tmp_path):
    from training.train_relations import train_relations

    nlp = spacy.load(trained[0] / "pipeline")
    nlp.remove_pipe("vietgov_relation_model")
    nlp.add_pipe("vietgov_relation_model")
    cfg = tiny_config(tmp_path, **{"relations.encoder": "separate", "relations.encoder_learning_rate": 0.001})
    facts = train_relations(cfg, nlp, "vietgov_relation_model", GOLD, GOLD)
    assert facts["best_dev_f1"] == 1.0 and facts["encoder"] == "separate"
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "vietgov_relation_model" / "encoder" / "model.safetensors").exists()
    reloaded = spacy.load(tmp_path / "pipeline")
    for rec in GOLD:
        assert relation_tuples(reloaded(rec.text)._.relations) == relation_set(rec)


def test_relations_alone_on_a_trained_pipeline(trained, tmp_path):
    from training.train import main

    data = str(DATA / "train.jsonl")
    assert main([str(ROOT / "configs" / "tiny.cfg"), "--paths.output", str(tmp_path), "--paths.train", data,
                 "--paths.dev", data, "--paths.test", "null", "--paths.entities", str(trained[0] / "pipeline")]) == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["entities_from"] == str(trained[0] / "pipeline")
    assert metrics["dev"]["relations"]["end_to_end"]["micro"]["f1"] == 1.0
    assert metrics["epochs_run"] == trained[1]["epochs_run"]  # the entity training facts are kept


@pytest.mark.parametrize("prenominal, appositive", [(True, True), (False, False)])
def test_a_title_next_to_a_name_goes_to_no_official_on_its_other_side(trained, prenominal, appositive):
    # threshold 0: every candidate pair passes, so only the constraints remove any
    nlp = spacy.load(trained[0] / "pipeline", config={"components": {"vietgov_relation_model": {
        "threshold": 0.0, "prenominal": prenominal, "appositive": appositive}}})
    text = "Ông Dương Anh Đức, chuyên viên; phó trưởng phòng ông Lê Văn Sơn dự họp."
    doc = nlp.get_pipe("vietgov_ner")(nlp.make_doc(text))  # the vectors the classifier reads
    doc.ents = doc_with_ents(nlp, text, [("Dương Anh Đức", "OFFICIAL"), ("chuyên viên", "TITLE"),
                                         ("phó trưởng phòng", "TITLE"), ("Lê Văn Sơn", "OFFICIAL")]).ents
    pairs = {(h.text, t.text) for h, t, _ in nlp.get_pipe("vietgov_relation_model")(doc)._.relations}
    every = {(o, t) for o in ("Dương Anh Đức", "Lê Văn Sơn") for t in ("chuyên viên", "phó trưởng phòng")}
    assert pairs == ({("Dương Anh Đức", "chuyên viên"), ("Lê Văn Sơn", "phó trưởng phòng")} if prenominal else every)
