import pytest

from vietgov.tokenizer import blank


@pytest.fixture(scope="module")
def nlp():
    return blank()


@pytest.mark.parametrize(
    "text, must_split",
    [
        ("Chủ tịch UBND quận Bình Tân phát biểu tại hội nghị.", ("Bình Tân", "phát biểu")),
        ("Ông được bổ nhiệm Trưởng Phòng Nội vụ huyện.", ("Trưởng", "Phòng")),
        ("Trao Huy hiệu 50 năm tuổi Đảng cho đảng viên.", ("năm", "tuổi")),
        ("Doanh thu đạt 120 triệu USD.", ("USD", ".")),
        ("Đến tháng 3/2017 ông Khánh nhận quyết định nghỉ hưu.", ("Khánh", "nhận")),
        ("Ông Nguyễn Thành Phong kiến nghị với Thủ tướng.", ("Phong", "kiến nghị")),
    ],
)
def test_splits_where_entity_boundaries_fall(nlp, text, must_split):
    words = [t.text for t in nlp(text)]
    i = words.index(must_split[0])
    assert words[i + 1] == must_split[1], words


@pytest.mark.parametrize("text", ["", " ", "\n\nĐảng\n\nỦy ban  Kiểm tra", "Quận ủy quận 1 , TP.HCM .", "a" * 50])
def test_text_is_kept_exactly(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    assert all("\n" not in t.text or t.is_space for t in doc)


def test_keeps_pyvi_words(nlp):
    words = [t.text for t in nlp("Phó Bí thư Quận ủy Dương Anh Đức chủ trì hội nghị.")]
    assert "Phó Bí thư" in words and "hội nghị" in words
    # after an honorific, a title that pyvi made one word is not a name with a verb
    words = [t.text for t in nlp("Đồng chí Phó Bí thư Thường trực, đồng chí Phó bí thư và ông Chủ tịch UBND dự họp.")]
    assert "Phó Bí thư" in words and "Phó bí thư" in words and "Chủ tịch" in words


def test_segmentation_is_spacy_vi_with_the_cuts(nlp):
    """Attributes computed once per syllable are what crfsuite makes of pyvi's own features (`key:value`
    for strings, `key` for a value of 1, nothing for 0, in pyvi's order) and tag alike, and the words are
    spaCy `vi`'s (pyvi) words with the entity-boundary cuts applied."""
    import spacy
    from pyvi.ViTokenizer import ViTokenizer

    from vietgov.records import read_jsonl
    from vietgov.tokenizer import _split_points, pyvi_attributes, token_spans, words_and_spaces

    from .conftest import DATA

    texts = [r.text for r in read_jsonl(DATA / "train.jsonl")] + ["  Ông\tA\n\nB. TP.HCM, 5.148 tỷ đồng…  "]
    reference = spacy.blank("vi")
    for text in texts:
        syllables = ViTokenizer.sylabelize(text)[1]
        features = ViTokenizer.sent2features(syllables, False)
        attributes = pyvi_attributes(syllables, ViTokenizer.bi_grams, ViTokenizer.tri_grams)
        assert attributes == [[f"{k}:{v}" if isinstance(v, str) else k for k, v in f.items() if v] for f in features]
        assert all(v in (1, 0) or isinstance(v, str) for f in features for v in f.values())
        assert ViTokenizer.model.tagger_.tag(attributes) == list(ViTokenizer.model.predict([features])[0])
        tokens = [(t.idx, t.text) for t in reference(text) if not t.is_space]
        words, spaces = words_and_spaces(text, token_spans(text, tokens, _split_points))
        assert [(t.text, bool(t.whitespace_)) for t in nlp(text)] == list(zip(words, spaces))
