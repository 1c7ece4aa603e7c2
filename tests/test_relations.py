import pytest
from spacy.tokens import DocBin

from vietgov.doc_relations import register_extensions
from vietgov.relation_rules import RelationExtractor, appositive_holders, prenominal_holders
from vietgov.tokenizer import blank

from .conftest import doc_with_ents


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    return blank()


def annotate(nlp, text, spans):
    return RelationExtractor()(doc_with_ents(nlp, text, spans))


def triples(doc):
    return {(h.text, label, t.text) for h, t, label in doc._.relations}


def test_one_official_several_titles_and_units(nlp):
    doc = annotate(nlp, "Phó Bí thư Quận ủy, Chủ tịch UBND quận Lê Văn Sơn phát biểu.",
                   [("Phó Bí thư", "TITLE"), ("Quận ủy", "UNIT"), ("Chủ tịch", "TITLE"), ("UBND quận", "UNIT"),
                    ("Lê Văn Sơn", "OFFICIAL")])
    assert triples(doc) == {
        ("Lê Văn Sơn", "HAS_TITLE", "Phó Bí thư"), ("Lê Văn Sơn", "HAS_TITLE", "Chủ tịch"),
        ("Phó Bí thư", "TITLE_OF", "Quận ủy"), ("Chủ tịch", "TITLE_OF", "UBND quận"),
    }
    assert {(o.text, t.text, u.text) for o, t, u in doc._.positions} == {
        ("Lê Văn Sơn", "Phó Bí thư", "Quận ủy"), ("Lê Văn Sơn", "Chủ tịch", "UBND quận")}


def test_apposition_and_shared_unit(nlp):
    doc = annotate(nlp, "Đồng chí Nguyễn Văn Hiếu, Bí thư kiêm Chủ tịch quận 7, phát biểu.",
                   [("Nguyễn Văn Hiếu", "OFFICIAL"), ("Bí thư", "TITLE"), ("Chủ tịch", "TITLE"), ("quận 7", "UNIT")])
    assert triples(doc) == {
        ("Nguyễn Văn Hiếu", "HAS_TITLE", "Bí thư"), ("Nguyễn Văn Hiếu", "HAS_TITLE", "Chủ tịch"),
        ("Bí thư", "TITLE_OF", "quận 7"), ("Chủ tịch", "TITLE_OF", "quận 7"),
    }


def test_no_relation_across_sentences(nlp):
    doc = annotate(nlp, "Hội nghị có Bí thư Quận ủy. Dương Anh Đức phát biểu.",
                   [("Bí thư", "TITLE"), ("Quận ủy", "UNIT"), ("Dương Anh Đức", "OFFICIAL")])
    assert triples(doc) == {("Bí thư", "TITLE_OF", "Quận ủy")}
    assert [(o.text, t.text, u) for o, t, u in doc._.positions] == []


def test_no_candidates(nlp):
    assert annotate(nlp, "Hôm nay trời đẹp.", [])._.relations == []
    doc = annotate(nlp, "Ông Thống nói về 27% tăng trưởng.", [("Thống", "OFFICIAL"), ("27%", "FIGURE")])
    assert doc._.relations == [] and doc._.positions == []


def test_title_without_unit_gives_position_without_unit(nlp):
    doc = annotate(nlp, "Thứ trưởng Lê Anh Tuấn dự họp.", [("Thứ trưởng", "TITLE"), ("Lê Anh Tuấn", "OFFICIAL")])
    assert [(o.text, t.text, u) for o, t, u in doc._.positions] == [("Lê Anh Tuấn", "Thứ trưởng", None)]


def test_serialisation_round_trip(nlp):
    doc = annotate(nlp, "Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì.",
                   [("Bí thư", "TITLE"), ("Quận ủy quận 1", "UNIT"), ("Dương Anh Đức", "OFFICIAL")])
    restored = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))[0]
    assert {(h.label_, t.label_) for h, t, _ in restored._.relations} == {("OFFICIAL", "TITLE"), ("TITLE", "UNIT")}
    assert triples(restored) == triples(doc) == {
        ("Dương Anh Đức", "HAS_TITLE", "Bí thư"), ("Bí thư", "TITLE_OF", "Quận ủy quận 1")}


def test_rule_component_scores_in_nlp_evaluate():
    from vietgov.records import Entity, Record, Relation
    from vietgov.scorers import record_example

    text = "Phó Bí thư Quận ủy Lê Văn Sơn và Chủ tịch Trần Hùng phát biểu."
    spans = [("Phó Bí thư", "TITLE"), ("Quận ủy", "UNIT"), ("Lê Văn Sơn", "OFFICIAL"), ("Chủ tịch", "TITLE"),
             ("Trần Hùng", "OFFICIAL")]
    entities = [Entity(i + 1, label, text.index(s), text.index(s) + len(s)) for i, (s, label) in enumerate(spans)]
    gold_triples = {("Lê Văn Sơn", "HAS_TITLE", "Phó Bí thư"), ("Phó Bí thư", "TITLE_OF", "Quận ủy"),
                    ("Trần Hùng", "HAS_TITLE", "Chủ tịch"), ("Chủ tịch", "TITLE_OF", "Quận ủy")}
    ids = {s: i + 1 for i, (s, _) in enumerate(spans)}
    gold = Record("r", text, entities, [Relation(k + 1, ids[h], ids[t], label)
                                        for k, (h, label, t) in enumerate(sorted(gold_triples))])
    nlp = blank()
    nlp.add_pipe("entity_ruler").add_patterns([{"label": label, "pattern": s} for s, label in spans])
    nlp.add_pipe("vietgov_relations")
    assert nlp.get_pipe("vietgov_relations").labels == ("HAS_TITLE", "TITLE_OF")
    scores = nlp.evaluate([record_example(nlp, gold)])
    predicted = triples(nlp(text))
    right = predicted & gold_triples
    # the rules find the three written relations and not the fourth (`Chủ tịch` of `Quận ủy` is not written)
    assert right == gold_triples - {("Chủ tịch", "TITLE_OF", "Quận ủy")}
    assert scores["rel_micro_p"] == pytest.approx(len(right) / len(predicted))
    assert scores["rel_micro_r"] == pytest.approx(3 / 4)
    assert scores["rel_per_type"]["TITLE_OF"]["r"] == pytest.approx(1 / 2)


def test_prenominal_holders(nlp):
    doc = doc_with_ents(nlp, "Ông Dương Anh Đức, chuyên viên; phó trưởng phòng Sở Nội vụ ông Lê Văn Sơn và "
                             "Giám đốc, ông Trần Văn Tâm dự họp. Chủ tịch UBND tỉnh\nÔng Trần Văn Tâm phát biểu. Cách chức "
                             "Bí thư đối với ông Lê Văn Sơn. Trưởng ban (Lê Văn Sơn) đến.",
                        [("Dương Anh Đức", "OFFICIAL"), ("chuyên viên", "TITLE"), ("phó trưởng phòng", "TITLE"),
                         ("Sở Nội vụ", "UNIT"), ("Lê Văn Sơn", "OFFICIAL"), ("Giám đốc", "TITLE"),
                         ("Trần Văn Tâm", "OFFICIAL"), ("Chủ tịch", "TITLE"), ("UBND tỉnh", "UNIT"),
                         ("Trần Văn Tâm", "OFFICIAL"), ("Bí thư", "TITLE"), ("Lê Văn Sơn", "OFFICIAL"),
                         ("Trưởng ban", "TITLE"), ("Lê Văn Sơn", "OFFICIAL")])
    at = {e.start: e.text for e in doc.ents}
    # only the title written right before a name (its unit and a lower-case form of address between them);
    # not across a comma, a line break or a capital `Ông`
    assert {at[t]: at[o] for t, o in prenominal_holders(doc).items()} == {
        "phó trưởng phòng": "Lê Văn Sơn", "Bí thư": "Lê Văn Sơn", "Trưởng ban": "Lê Văn Sơn"}


def test_appositive_holders(nlp):
    doc = doc_with_ents(nlp, "Ông Dương Anh Đức - Trưởng phòng Tổ chức, Bí thư Chi bộ; Thủ tướng Lê Văn Sơn, "
                             "Tổng bí thư, Chủ tịch nước Trần Văn Tâm và ông Lê Anh (Trưởng ban) dự.",
                        [("Dương Anh Đức", "OFFICIAL"), ("Trưởng phòng", "TITLE"), ("Tổ chức", "UNIT"),
                         ("Bí thư", "TITLE"), ("Chi bộ", "UNIT"), ("Thủ tướng", "TITLE"), ("Lê Văn Sơn", "OFFICIAL"),
                         ("Tổng bí thư", "TITLE"), ("Chủ tịch nước", "TITLE"), ("Trần Văn Tâm", "OFFICIAL"),
                         ("Lê Anh", "OFFICIAL"), ("Trưởng ban", "TITLE")])
    at = {e.start: e.text for e in doc.ents}
    # after a dash, a comma or a bracket; not across a semicolon; not `Tổng bí thư`, joined by a comma to a
    # title written right before a name, nor that title itself
    assert {at[t]: at[o] for t, o in appositive_holders(doc).items()} == {
        "Trưởng phòng": "Dương Anh Đức", "Bí thư": "Dương Anh Đức", "Trưởng ban": "Lê Anh"}
