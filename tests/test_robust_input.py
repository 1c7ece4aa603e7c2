"""Messy real-world text: the same entities as the clean text, at offsets into the text as passed."""
import json
import sys
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vietgov.cli import main
from vietgov.records import Entity, Record, write_jsonl
from vietgov.doc_relations import compose_positions
from vietgov.tokenizer import blank

from .test_pipeline import GOLD, ents_of

SPACES = [" ", "\u00a0", "  ", "\t", " \u200b", "\u2009", " \u00a0 "]
INVISIBLE = ["\u200b", "\u00ad", "\u200c", "\ufeff", "\u2060"]


@st.composite
def noisy(draw):
    """A gold text with its spaces replaced, invisible characters inserted after letters and, at times,
    its marks decomposed (NFD); with, per character of the clean text, its span in the noisy one."""
    rec = draw(st.sampled_from(GOLD))
    decompose = draw(st.booleans())
    out, starts, ends = [], [], []
    pos = 0
    for c in rec.text:
        if c == " ":
            piece = draw(st.sampled_from(SPACES))
        else:
            piece = unicodedata.normalize("NFD", c) if decompose else c
        out.append(piece)
        starts.append(pos)
        pos += len(piece)
        ends.append(pos)
        if c.isalpha() and draw(st.integers(0, 9)) == 0:
            extra = draw(st.sampled_from(INVISIBLE))
            out.append(extra)
            pos += len(extra)
    return rec, "".join(out), starts, ends


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noisy())
def test_noise_changes_neither_entities_nor_offsets(nlp, case):
    rec, text, starts, ends = case
    clean = nlp(rec.text)
    doc = nlp(text)
    assert doc.text == text
    assert ents_of(doc) == {(starts[s], ends[e - 1], label) for s, e, label in ents_of(clean)}
    assert [(h.label_, t.label_, label) for h, t, label in doc._.relations] == [
        (h.label_, t.label_, label) for h, t, label in clean._.relations]


def test_entities_follow_the_spec():
    from vietgov.ner import PhoBertEntityRecognizer

    doc = blank()("( Bí thư Quận ủy ( TP.HCM ) . with 27 % ,")
    words = [t.text for t in doc]
    assert words == ["(", "Bí thư", "Quận ủy", "(", "TP", ".", "HCM", ")", ".", "with", "27", "%", ","]
    # stray punctuation off both edges (the bracket that closes one inside stays), a FIGURE without a digit dropped
    spans = [(0, 9, "UNIT"), (9, 10, "FIGURE"), (10, 13, "FIGURE"), (2, 6, "TITLE")]
    assert PhoBertEntityRecognizer._spec_spans(doc, spans) == [(1, 8, "UNIT"), (10, 12, "FIGURE"), (2, 5, "TITLE")]


def test_positions_are_distinct():
    from spacy.tokens import Span

    from vietgov.doc_relations import register_extensions, set_relations

    register_extensions()
    doc = blank()("Bí thư Quận ủy Dương Anh Đức nói. Bí thư Quận ủy Dương Anh Đức đến.")
    ents = [Span(doc, s, e, label=label) for s, e, label in
            [(0, 1, "TITLE"), (1, 2, "UNIT"), (2, 5, "OFFICIAL"), (7, 8, "TITLE"), (8, 9, "UNIT"), (9, 12, "OFFICIAL")]]
    doc.ents = ents
    set_relations(doc, [(ents[2], ents[0], "HAS_TITLE"), (ents[0], ents[1], "TITLE_OF"),
                        (ents[5], ents[3], "HAS_TITLE"), (ents[3], ents[4], "TITLE_OF")])
    assert len(compose_positions(doc._.relations)) == 2
    [(official, title, unit)] = doc._.positions
    assert (official.start, title.text, unit.text) == (2, "Bí thư", "Quận ủy")


def nfd_record(rec: Record) -> Record:
    """The record with its text decomposed and its offsets moved with it."""
    starts, pos = [], 0
    for c in rec.text:
        starts.append(pos)
        pos += len(unicodedata.normalize("NFD", c))
    starts.append(pos)
    return Record(rec.id, unicodedata.normalize("NFD", rec.text),
                  [Entity(e.id, e.label, starts[e.start], starts[e.end]) for e in rec.entities], rec.relations)


def test_evaluate_on_decomposed_gold_warns_and_scores_the_same(trained, tmp_path, capsys):
    pipeline = str(trained[0] / "pipeline")
    write_jsonl([nfd_record(r) for r in GOLD], tmp_path / "nfd.jsonl")
    write_jsonl([Record("per", "Ông Ba đến.", [Entity(1, "PER", 4, 6)])], tmp_path / "per.jsonl")
    assert main(["evaluate", pipeline, str(tmp_path / "nfd.jsonl"), str(tmp_path / "per.jsonl"),
                 "-o", str(tmp_path / "s.json")]) == 0
    err = capsys.readouterr().err
    assert "3 of 4 gold texts are not NFC" in err and "gold labels the pipeline does not predict: PER" in err
    scores = json.loads((tmp_path / "s.json").read_text())
    assert scores["entities"]["per_label"]["OFFICIAL"]["f1"] == 1.0
    assert scores["entities"]["per_label"]["PER"]["fn"] == 1


def test_evaluate_without_seqeval(nlp, monkeypatch):
    from vietgov.evaluate import evaluate, format_report

    for module in ("seqeval", "seqeval.metrics", "seqeval.scheme"):
        monkeypatch.setitem(sys.modules, module, None)
    scores = evaluate(nlp, GOLD[:1])
    assert "seqeval" not in scores and scores["entities"]["micro"]["f1"] == 1.0
    assert "seqeval" not in format_report(scores)


def test_components_honour_the_error_handler(nlp, monkeypatch):
    import pytest
    from spacy.util import ignore_error, raise_error

    ner = nlp.get_pipe("vietgov_ner")

    def broken(docs):
        raise RuntimeError("model failed")

    monkeypatch.setattr(ner, "predict", broken)
    with pytest.raises(RuntimeError, match="model failed"):
        nlp("Bí thư Dương Anh Đức")
    nlp.set_error_handler(ignore_error)
    try:
        assert list(nlp.pipe(["Bí thư", "Chủ tịch"])) == []
    finally:
        nlp.set_error_handler(raise_error)
