"""Word-level data end to end: read, trained, scored, named and shipped like the default; pre-segmented input."""
import json

import pytest
import spacy

from training.ship import not_comparable
from vietgov.cli import main as vietgov
from vietgov.records import RecordError
from vietgov.tokenizer import blank
from vietgov.decoding import spans_from_iob
from vietgov.words import TaggedTokens, detect_format, example_record, read_conll, read_words_jsonl, words_doc

from .conftest import DATA, ROOT

WORDS, CONLL = DATA / "words.jsonl", DATA / "words.conll"
# held out: sentences the tiny model did not see, so that its test scores are not all 1
HELD_OUT = [
    (["Ông", "Nguyễn_Văn_Nam", "đến", "Huế", "."], ["O", "B-PER", "O", "B-LOC", "O"]),
    (["Bộ", "Y_tế", "mời", "chị", "Trần_Thị_Hoa", "về", "Hà_Nội", "."],
     ["B-ORG", "I-ORG", "O", "O", "B-PER", "O", "B-LOC", "O"]),
    (["Công_ty", "Sông_Hồng", "ở", "Cần_Thơ", "tuyển", "người", "."], ["B-ORG", "I-ORG", "O", "B-LOC", "O", "O", "O"]),
]


@pytest.fixture(scope="module")
def vi():
    return blank()


@pytest.fixture(scope="module")
def words_trained(tmp_path_factory):
    """The tiny config trained on word-level PER/LOC/ORG data as `make train ARGS=...` runs it:
    (output directory, metrics.json, ship location)."""
    from training.train import main

    out = tmp_path_factory.mktemp("words")
    test = out / "test.jsonl"
    test.write_text("".join(json.dumps({"words": w, "tags": t}, ensure_ascii=False) + "\n" for w, t in HELD_OUT),
                    encoding="utf-8")
    assert main([str(ROOT / "configs" / "tiny.cfg"), "--data.format", "words", "--paths.train", str(WORDS),
                 "--paths.dev", str(WORDS), "--paths.test", str(test), "--package.name", "tiny_words",
                 "--paths.output", str(out / "output"), "--paths.ship", str(out / "shipped")]) == 0
    return out / "output", json.loads((out / "output" / "metrics.json").read_text()), out / "shipped", test


def test_words_doc_reads_joined_and_spaced_words(vi):
    joined = words_doc(vi, ["Ông", "Nguyễn_Văn_Nam", "nói", "."])
    spaced = words_doc(vi, ["Ông", "Nguyễn Văn Nam", "nói", "."])
    assert [t.text for t in joined] == [t.text for t in spaced] == ["Ông", "Nguyễn Văn Nam", "nói", "."]
    assert joined.text == "Ông Nguyễn Văn Nam nói ."
    text = "Ông Nguyễn_Văn_Nam  nói .\nBà __init__ đến Hà_Nội ."
    doc = words_doc(vi, text)
    # offsets index the segmented text: only the `_` between syllables became spaces
    assert len(doc.text) == len(text) and doc.text.replace(" ", "_") == text.replace(" ", "_")
    assert [t.text for t in doc if not t.is_space] == ["Ông", "Nguyễn Văn Nam", "nói", ".", "Bà", "__init__", "đến",
                                                       "Hà Nội", "."]
    assert [s.text for s in doc.sents] == ["Ông Nguyễn Văn Nam  nói .\n", "Bà __init__ đến Hà Nội ."]
    with pytest.raises(ValueError, match="word 1"):
        words_doc(vi, ["Ông", " "])


def test_example_record_and_formats():
    ex = TaggedTokens("s", ["Ông", "Nguyễn_Văn_Nam", "ở", "Hà_Nội"], ["O", "B-PER", "O", "B-LOC"])
    rec = example_record(ex)
    assert rec.text == "Ông Nguyễn Văn Nam ở Hà Nội"
    assert [(rec.text[e.start:e.end], e.label) for e in rec.entities] == [("Nguyễn Văn Nam", "PER"), ("Hà Nội", "LOC")]
    assert [detect_format(p) for p in (WORDS, CONLL, DATA / "train.jsonl")] == ["words", "conll", "annotations"]
    # the two files hold the same sentences
    assert [(e.tokens, e.tags) for e in read_words_jsonl(WORDS)] == [(e.tokens, e.tags) for e in read_conll(CONLL)]


def test_annotations_convert_to_words(tmp_path):
    from training.data import main
    from vietgov.records import read_jsonl

    records = read_jsonl(DATA / "train.jsonl")
    for documents, lines in ((["--documents"], len(records)), ([], None)):
        out = tmp_path / "w.jsonl"
        assert main([str(DATA / "train.jsonl"), "--output", str(out), *documents]) == 0
        examples = read_words_jsonl(out)
        assert lines is None and len(examples) > len(records) or len(examples) == lines
        # every gold span survives at word boundaries (words hold no spacing: `12%` is `12` `%`)
        found = [("".join(ex.tokens[s:e]).replace("_", ""), label) for ex in examples
                 for s, e, label in spans_from_iob(ex.tags)]
        assert sorted(found) == sorted(("".join(r.span_text(e).split()), e.label) for r in records for e in r.entities)


def test_word_level_data_of_the_wrong_format_is_named(tmp_path, capsys):
    from training.data import read_gold

    with pytest.raises(RecordError, match=r"words\.conll: reads as conll data, not words"):
        read_gold([str(CONLL)], fmt="words")
    # evaluate: a format that does not fit, or files of two formats, are refused before the pipeline loads
    assert vietgov(["evaluate", "no-pipeline", str(WORDS), "--format", "annotations"]) == 1
    assert "words.jsonl: reads as words data, not annotations" in capsys.readouterr().err
    assert vietgov(["evaluate", "no-pipeline", str(WORDS), str(CONLL)]) == 1
    assert "different formats" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"words": ["Ông", ""], "tags": ["O", "O"]}\n', encoding="utf-8")
    with pytest.raises(RecordError, match=r"bad\.jsonl:1: word 1 \(''\) is not a non-empty string"):
        read_words_jsonl(bad)


def test_trained_on_words_metrics_match_evaluate(words_trained, tmp_path, capsys):
    out, metrics, _, test = words_trained
    nlp = spacy.load(out / "pipeline")
    assert nlp.meta["name"] == "tiny_words" and "LOC, ORG, PER" in nlp.meta["description"]
    assert nlp.pipe_names == ["vietgov_ner"]  # no relation component for labels relations do not join
    for split in ("dev", "test"):
        assert set(metrics[split]["entities"]["per_label"]) == {"LOC", "ORG", "PER"}
        assert "raw_text" in metrics[split]
    # the dev sentences also in CoNLL: the same figures as the training run's
    for split, data in (("test", test), ("dev", CONLL)):
        scores_file = tmp_path / f"{split}.json"
        assert vietgov(["evaluate", str(out / "pipeline"), str(data), "--output", str(scores_file)]) == 0
        scores = json.loads(scores_file.read_text())
        for got, expected in ((scores["entities"], metrics[split]["entities"]),
                              (scores["raw_text"]["entities"], metrics[split]["raw_text"]["entities"])):
            assert got["micro"] == expected["micro"] and got["macro"] == expected["macro"]
            assert got["per_label"] == expected["per_label"]
    assert 0 < metrics["test"]["entities"]["micro"]["f1"] < 1, "held-out sentences should score between 0 and 1"
    assert "macro" in capsys.readouterr().out


def test_trained_on_words_ships_by_the_same_rule(words_trained, tmp_path):
    from training.ship import ship

    out, metrics, shipped, _ = words_trained
    assert json.loads((shipped / "meta.json").read_text())["name"] == "tiny_words"
    card = (shipped / "README.md").read_text()
    assert "LOC, ORG, PER" in card and "raw text" in card and "Finds officials" not in card
    dev = read_words_jsonl(WORDS)
    assert not ship(out / "pipeline", metrics, shipped, dev)  # not better than itself
    default = {"name": "vietgov_default", "labels": {"vietgov_ner": ["OFFICIAL", "TITLE", "UNIT", "FIGURE"]}}
    ours = json.loads((out / "pipeline" / "meta.json").read_text())
    assert "'vietgov_default'" in not_comparable(ours, default)
    assert "finds FIGURE, OFFICIAL" in not_comparable(ours, {**default, "name": "tiny_words"})
    assert not_comparable(ours, ours) is None


def test_extract_words_runs_on_the_given_segmentation(words_trained, tmp_path, capsys):
    out, _, _, _ = words_trained
    segmented = tmp_path / "seg.txt"
    segmented.write_text("Ông Nguyễn_Văn_Nam làm_việc tại Hà_Nội .\n", encoding="utf-8")
    assert vietgov(["extract", "--words", "-m", str(out / "pipeline"), str(segmented)]) == 0
    entities = json.loads(capsys.readouterr().out)["entities"]
    assert [(e["text"], e["start"], e["end"], e["label"]) for e in entities] == [
        ("Nguyễn Văn Nam", 4, 18, "PER"), ("Hà Nội", 32, 38, "LOC")]
    assert vietgov(["extract", "--words", "--format", "conll", "-m", str(out / "pipeline"), str(segmented)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["Ông\tO", "Nguyễn_Văn_Nam\tB-PER"]


def test_trained_on_conll_is_the_model_trained_on_words(words_trained, tmp_path):
    """The same sentences as CoNLL train the very same model: only the reader differs. (With the words run's
    tokenizer: a BPE learned anew may number its pieces otherwise, as the tokenizers library breaks ties.)"""
    import torch

    from training.train import main

    out, metrics, _, _ = words_trained
    test = tmp_path / "test.conll"
    test.write_text("".join("".join(f"{w}\t{t}\n" for w, t in zip(*sentence)) + "\n" for sentence in HELD_OUT),
                    encoding="utf-8")
    assert main([str(ROOT / "configs" / "tiny.cfg"), "--data.format", "conll", "--paths.train", str(CONLL),
                 "--paths.dev", str(CONLL), "--paths.test", str(test), "--package.name", "tiny_words",
                 "--paths.output", str(tmp_path / "output"), "--model.tokenizer", str(out / "pipeline" / "vietgov_ner" / "model"),
                 "--model.bpe_vocab_size", "null"]) == 0
    conll = json.loads((tmp_path / "output" / "metrics.json").read_text())
    assert conll["labels"] == metrics["labels"] == ["LOC", "ORG", "PER"]
    for split in ("dev", "test"):
        assert conll[split]["entities"] == metrics[split]["entities"]
        assert conll[split]["raw_text"]["entities"] == metrics[split]["raw_text"]["entities"]
    weights = [spacy.load(path / "pipeline").get_pipe("vietgov_ner").model.state_dict() for path in (out, tmp_path / "output")]
    assert weights[0].keys() == weights[1].keys()
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])
