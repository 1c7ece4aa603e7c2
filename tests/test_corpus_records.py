"""Annotations of corpus articles stored by reference (corpus file, document id, SHA-256), resolved when read."""
import gzip
import json

import pytest

from training.data import read_gold
from vietgov.cli import main
from vietgov.markup import parse_markup, to_markup
from vietgov.records import CorpusMissing, RecordError, read_jsonl, text_sha256

DOCS = {
    "vn:1": "Bí thư Tỉnh ủy Nguyễn Văn An phát biểu.\nThu ngân sách đạt 5.148 tỷ đồng.",
    "vn:2": "Ông Lê Văn Bình, Giám đốc Sở Y tế, cho biết.",
}


def reference(doc_id, entities, relations=(), rid=None, sha=None):
    return {"id": rid or f"real-{doc_id}", "corpus": "mini.jsonl.gz", "doc_id": doc_id,
            "sha256": sha or text_sha256(DOCS[doc_id]), "meta": {"source": "vn"},
            "entities": [{"id": i, "label": lab, "start_offset": s, "end_offset": e}
                         for i, (lab, s, e) in enumerate(entities, 1)],
            "relations": [{"id": i, "from_id": h, "to_id": t, "type": typ} for i, (h, t, typ) in enumerate(relations, 1)]}


GOLD = [
    reference("vn:1", [("TITLE", 0, 6), ("UNIT", 7, 14), ("OFFICIAL", 15, 28), ("FIGURE", 58, 71)],
              [(3, 1, "HAS_TITLE"), (1, 2, "TITLE_OF")]),
    reference("vn:2", [("OFFICIAL", 4, 15), ("TITLE", 17, 25), ("UNIT", 26, 33)], [(1, 2, "HAS_TITLE"), (2, 3, "TITLE_OF")]),
]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    with gzip.open(folder / "mini.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "vn:0", "text": "không liên quan"}, ensure_ascii=False) + "\n")
        for doc_id, text in DOCS.items():
            f.write(json.dumps({"id": doc_id, "source": "vn", "text": text}, ensure_ascii=False) + "\n")
    return folder


def write(path, objs):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), encoding="utf-8")
    return path


def test_references_resolve_to_the_corpus_text(tmp_path, corpus):
    records = read_jsonl(write(tmp_path / "gold.jsonl", GOLD), corpus)
    assert [r.text for r in records] == list(DOCS.values())
    assert [records[0].span_text(e) for e in records[0].entities] == ["Bí thư", "Tỉnh ủy", "Nguyễn Văn An", "5.148 tỷ đồng"]
    # written back, the record keeps its reference and never the text
    again = records[0].to_json()
    assert "text" not in again and again["doc_id"] == "vn:1" and again == GOLD[0]


def test_corpus_from_the_environment(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv("VIETGOV_CORPUS", str(corpus))
    assert read_jsonl(write(tmp_path / "gold.jsonl", GOLD))[1].text == DOCS["vn:2"]


@pytest.mark.parametrize("record, error, message", [
    (reference("vn:9", [], sha="0" * 64), RecordError, "document 'vn:9' is not in"),
    (reference("vn:1", [], sha="0" * 64), RecordError, "has changed"),
])
def test_bad_references_name_the_record(tmp_path, corpus, record, error, message):
    with pytest.raises(error, match=message) as info:
        read_jsonl(write(tmp_path / "gold.jsonl", [record]), corpus)
    assert "gold.jsonl:1" in str(info.value) and record["id"] in str(info.value)


def test_missing_corpus_is_its_own_error_and_training_skips_the_file(tmp_path, corpus):
    path = write(tmp_path / "gold.jsonl", GOLD)
    with pytest.raises(CorpusMissing, match="real-vn:1.*mini.jsonl.gz"):
        read_jsonl(path, tmp_path / "nowhere")
    gold, skipped = read_gold([str(path)], tmp_path / "nowhere")
    assert gold == {} and len(skipped) == 1 and str(path) in skipped[0]
    gold, skipped = read_gold(str(path), corpus)
    assert list(gold) == [str(path)] and skipped == []


def test_markup_round_trip_keeps_the_reference_and_refuses_an_edited_text(tmp_path, corpus):
    rec = read_jsonl(write(tmp_path / "gold.jsonl", GOLD), corpus)[0]
    markup = to_markup(rec)
    assert "# doc_id: vn:1" in markup and "[Nguyễn Văn An]{O:o1}" in markup
    back = parse_markup(markup)
    assert back.ref == rec.ref and back.text == rec.text and back.to_json() == rec.to_json()
    with pytest.raises(RecordError, match="SHA-256 differs"):
        parse_markup(markup.replace("phát biểu", "phát  biểu"))


def test_cli_reads_references(tmp_path, corpus, capsys):
    path = write(tmp_path / "gold.jsonl", GOLD)
    assert main(["validate", str(path), "--corpus", str(corpus)]) == 0
    assert main(["stats", str(path), "--corpus", str(corpus)]) == 0
    assert "2" in capsys.readouterr().out
    review, back = tmp_path / "review", tmp_path / "back.jsonl"
    assert main(["convert", str(path), "-o", str(review), "--corpus", str(corpus)]) == 0
    assert main(["convert", str(review), "-o", str(back), "--corpus", str(corpus)]) == 0
    assert [json.loads(line) for line in back.read_text(encoding="utf-8").splitlines()] == GOLD
    assert main(["validate", str(path), "--corpus", str(tmp_path / "nowhere")]) == 1
    assert "not found" in capsys.readouterr().err
