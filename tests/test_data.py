from types import SimpleNamespace

import pytest

from training.data import SplitStats, doc_from_record
from vietgov.words import read_conll, read_words_jsonl
from vietgov.decoding import iob_tags
from vietgov.windows import make_windows, owning_window, token_states, window_inputs
from vietgov.records import Entity, Record, RecordError
from vietgov.tokenizer import blank


@pytest.fixture(scope="module")
def vi():
    return blank()


def test_gold_span_inside_a_pyvi_token_survives(vi):
    text = "Phó Bí thư Quận ủy Lê Văn Sơn nói."
    assert [t.text for t in vi.make_doc(text)] == ["Phó Bí thư", "Quận ủy", "Lê Văn Sơn", "nói", "."]
    # the gold title leaves out "Phó", which pyvi joins to it: the token is cut at the gold boundary
    rec = Record("s", text, [Entity(1, "TITLE", 4, 10), Entity(2, "UNIT", 11, 18), Entity(3, "OFFICIAL", 19, 29)])
    stats = SplitStats()
    split = doc_from_record(vi, rec, stats)
    assert split.text == text
    assert [t.text for t in split] == ["Phó", "Bí thư", "Quận ủy", "Lê Văn Sơn", "nói", "."]
    assert [(e.text, e.label_) for e in split.ents] == [("Bí thư", "TITLE"), ("Quận ủy", "UNIT"),
                                                        ("Lê Văn Sơn", "OFFICIAL")]
    assert stats.straddling == 1 and stats.entities == 3


def test_tags_are_iob2(vi):
    text = "Phó Bí thư Quận ủy Lê Văn Sơn nói, Ủy viên Ban Thường vụ Tỉnh uỷ Đồng Nai dự."
    rec = Record("t", text, [Entity(1, "TITLE", 0, 10), Entity(2, "UNIT", 11, 18), Entity(3, "OFFICIAL", 19, 29),
                             Entity(4, "TITLE", 35, 42), Entity(5, "UNIT", 43, 73)])
    doc = doc_from_record(vi, rec)
    assert [(t.text, tag) for t, tag in zip(doc, iob_tags(doc)) if tag != "O"] == [
        ("Phó Bí thư", "B-TITLE"), ("Quận ủy", "B-UNIT"), ("Lê Văn Sơn", "B-OFFICIAL"), ("Ủy viên", "B-TITLE"),
        ("Ban", "B-UNIT"), ("Thường vụ", "I-UNIT"), ("Tỉnh uỷ", "I-UNIT"), ("Đồng Nai", "I-UNIT")]
    assert iob_tags(doc).count("O") == len(doc) - 8


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


def test_an_over_long_token_gets_a_window_of_its_own_cut_to_the_limit():
    n_pieces = [2, 3, 12, 1, 2]
    token_pieces = [[10 + t] * n for t, n in enumerate(n_pieces)]
    inputs = window_inputs(token_pieces, [0], SimpleNamespace(cls_token_id=0, sep_token_id=2), max_pieces=6, stride=2)
    windows = [x.window for x in inputs]
    assert windows[0].start == 0 and windows[-1].end == len(n_pieces)
    alone = [x for x in inputs if (x.window.start, x.window.end) == (2, 3)]
    assert len(alone) == 1, windows  # not dropped, nor joined to a neighbour
    assert alone[0].input_ids == [0] + [12] * 6 + [2] and alone[0].first_pieces == [1]  # its first 6 pieces
    assert windows[owning_window(windows, len(n_pieces))[2]] == alone[0].window
    for x in inputs:
        if x is not alone[0]:
            assert len(x.input_ids) == 2 + sum(n_pieces[x.window.start:x.window.end]) <= 2 + 6


def test_every_token_reads_the_output_at_its_first_piece_even_an_over_long_one(nlp):
    """token_states over a document holding a token of more pieces than a window takes: that token gets a
    window of its own, truncated to the limit, and every token reads the output at its own first piece."""
    encoder = nlp.get_pipe("vietgov_ner").encoder
    word = "Quậnủyquận" * 9  # under the 100 characters a token may have; over 16 pieces
    doc = nlp.make_doc(f"Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì.\n{word} và Ủy viên Ban Thường vụ.")
    pieces = encoder.encode_tokens([t.text for t in doc])
    assert len(pieces[[t.text for t in doc].index(word)]) > 16
    lengths = []

    def forward(ids, mask):  # the output at each position: the piece id read there
        lengths.append(ids.shape[1])
        return ids.unsqueeze(-1).float()

    [(rows, has)] = token_states([doc], encoder, forward, 1, max_pieces=16, stride=4, batch_size=4)
    assert max(lengths) == 16 + 2
    assert has.tolist() == [bool(p) for p in pieces] and not all(has)  # the line break has no pieces
    assert rows[:, 0].tolist() == [p[0] if p else 0 for p in pieces]
