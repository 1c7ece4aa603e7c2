"""The error report's classes, entity confidence, and silver records from a teacher's confident sentences."""
from training.silver import silver_record
from vietgov.errors import error_report
from vietgov.records import Entity, Record
from vietgov.sentences import sentence_spans

from .conftest import doc_with_ents

TEXT = "Giám đốc Sở Y tế Trần Văn Bình yêu cầu. Ông Lê Văn Sơn nói. Thu 5 tỷ đồng."


def test_error_classes(nlp):
    gold = Record("r", TEXT, [Entity(1, "TITLE", 0, 8), Entity(2, "UNIT", 9, 16), Entity(3, "OFFICIAL", 17, 30),
                              Entity(4, "OFFICIAL", 44, 54), Entity(5, "FIGURE", 64, 73)])
    # predicted: the title right, the unit swallows the name, the official labelled UNIT, the figure missed,
    # and a spurious unit
    doc = doc_with_ents(nlp, TEXT, [("Giám đốc", "TITLE"), ("Sở Y tế Trần Văn Bình", "UNIT"), ("Lê Văn Sơn", "UNIT"),
                                    ("nói", "UNIT")])
    counts, report = error_report([gold], [doc])
    by_class = counts["by_class"]["entities"]
    assert by_class == {"wrong boundary": 1, "wrong label": 1, "spurious": 1, "missed": 1}
    # the boundary error explains both gold entities it overlaps: they are not also counted as missed
    assert "'Sở Y tế' UNIT; 'Trần Văn Bình' OFFICIAL" in report
    assert "### missed / FIGURE: 1" in report and "[5 tỷ đồng]" in report


def test_entity_confidence(nlp):
    doc = nlp(TEXT)
    assert len(doc._.tag_confidence) == len(doc)
    assert all(0.0 < c <= 1.0 for c in doc._.tag_confidence)
    for ent in doc.ents:
        assert ent._.confidence == min(doc._.tag_confidence[ent.start:ent.end])


def test_silver_record_keeps_only_confident_sentences(nlp):
    doc = nlp(TEXT)
    doc.ents = [doc.char_span(0, 8, label="TITLE"), doc.char_span(64, 73, label="FIGURE")]
    doc._.relation_offsets = []
    sentences = sentence_spans(TEXT)
    unsure = doc.char_span(60, 63)[0].i  # `Thu`, in the last sentence
    doc._.tag_confidence = [0.5 if i == unsure else 0.99 for i in range(len(doc))]
    rec = silver_record("d1", doc, min_confidence=0.9)
    # the first sentence is kept with its entity; the second has none; the third has an unsure token
    assert rec.text == TEXT[slice(*sentences[0])]
    assert [(e.label, rec.span_text(e)) for e in rec.entities] == [("TITLE", doc.ents[0].text)]
    doc._.tag_confidence = [0.99] * len(doc)
    rec = silver_record("d1", doc, min_confidence=0.9)
    assert rec.text == TEXT[slice(*sentences[0])] + "\n" + TEXT[slice(*sentences[2])]
    assert [rec.span_text(e) for e in rec.entities] == [doc.ents[0].text, doc.ents[1].text]
    assert silver_record("d1", doc, min_confidence=1.5) is None
