from types import SimpleNamespace

import pytest

from training.data import SplitStats, doc_from_record, read_conll, read_words_jsonl
from vietgov.decoding import iob_tags
from vietgov.windows import make_windows, owning_window, window_inputs
from vietgov.records import Entity, Record, RecordError
from vietgov.tokenizer import blank


@pytest.fixture(scope="module")
def vi():
    return blank()


def test_gold_span_inside_a_pyvi_token_survives(vi):
    text = "Bí thư Quận ủy Dương Anh Đức phát biểu."
    doc = vi.make_doc(text)
    # a boundary strictly inside a segmented token: "Dương Anh" is one pyvi token here
    assert any(t.text == "Dương Anh" for t in doc) or any(" " in t.text for t in doc)
    inner = next(t for t in doc if " " in t.text)
    cut = inner.idx + inner.text.index(" ")
    rec = Record("s", text, [Entity(1, "OFFICIAL", inner.idx, cut)])
    stats = SplitStats()
    split = doc_from_record(vi, rec, stats)
    assert split.text == text
    assert [(e.start_char, e.end_char) for e in split.ents] == [(inner.idx, cut)]
    assert stats.straddling == 1 and stats.entities == 1


def test_tags_are_iob2(vi):
    text = "Phó Bí thư Quận ủy Lê Văn Sơn nói."
    rec = Record("t", text, [Entity(1, "TITLE", 0, 10), Entity(2, "UNIT", 11, 18), Entity(3, "OFFICIAL", 19, 29)])
    tags = iob_tags(doc_from_record(vi, rec))
    assert tags[0] == "B-TITLE" and "B-UNIT" in tags and "B-OFFICIAL" in tags
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in tags)


def test_other_formats(tmp_path):
    words = tmp_path / "w.jsonl"
    words.write_text('{"words": ["Ông", "Nguyễn_Văn_A", "nói"], "tags": ["O", "B-PER", "O"]}\n', encoding="utf-8")
    assert read_words_jsonl(words)[0].tags == ["O", "B-PER", "O"]
    conll = tmp_path / "c.conll"
    conll.write_text("-DOCSTART- O\n\nÔng O\nBa B-PER\n\nHà_Nội B-LOC\n", encoding="utf-8")
    examples = read_conll(conll)
    assert [ex.tokens for ex in examples] == [["Ông", "Ba"], ["Hà_Nội"]]
    conll.write_text("Ông O\nBa X-PER\n", encoding="utf-8")
    with pytest.raises(RecordError, match="c.conll:1: tag 'X-PER' is not IOB2"):
        read_conll(conll)


def test_windows_cover_every_token_within_the_limit():
    n_pieces = [1, 3, 2, 1, 5, 1, 1, 2] * 60
    starts = list(range(0, len(n_pieces), 7))
    windows = make_windows(n_pieces, starts, max_pieces=40, stride=10)
    assert windows[0].start == 0 and windows[-1].end == len(n_pieces)
    for w in windows:
        assert sum(n_pieces[w.start:w.end]) <= 40
    for a, b in zip(windows, windows[1:]):
        assert b.start < a.end, "consecutive windows overlap"
    owner = owning_window(windows, len(n_pieces))
    assert all(windows[o].start <= t < windows[o].end for t, o in enumerate(owner))
    inputs = window_inputs([[7] * n for n in n_pieces], starts, SimpleNamespace(cls_token_id=0, sep_token_id=2),
                           max_pieces=40, stride=10)
    assert [x.window for x in inputs] == windows
    window, ids, first = inputs[1]
    assert ids[0] == 0 and ids[-1] == 2 and len(ids) == 2 + sum(n_pieces[window.start:window.end])
    assert len(first) == window.end - window.start and all(ids[p] == 7 for p in first)
