"""Normalisation with offsets kept, and the tokenizer that cuts the Doc from the text as passed."""
import unicodedata

from vietgov.normalize import normalize, plain_text
from vietgov.tokenizer import blank


def check_alignment(text, norm):
    assert len(norm.text) == (len(norm.starts) if norm.starts is not None else len(text))
    for i in range(len(norm.text)):
        s, e = norm.original_span(i, i + 1)
        assert 0 <= s < e <= len(text)


def test_clean_text_is_returned_as_is():
    text = "Bí thư Quận ủy quận 1 Dương Anh Đức.\nThu ngân sách 5.148 tỷ đồng."
    norm = normalize(text)
    assert norm.text == text and norm.starts is None and norm.original_span(3, 6) == (3, 6)


def test_spaces_marks_and_invisible_characters():
    text = "Dương\u00a0Anh\tĐ\u200bức\r\nQua\u0323\u0302n u\u0309y\u00adx\u202f5.148\u2028tỷ\x07"
    norm = normalize(text)
    assert norm.text == "Dương Anh Đức\n\nQuận ủyx 5.148\ntỷ"
    check_alignment(text, norm)
    start = norm.text.index("Quận")
    assert text[slice(*norm.original_span(start, start + 4))] == "Qua\u0323\u0302n"
    assert unicodedata.is_normalized("NFC", norm.text)


def test_html_tags_entities_and_scripts():
    page = '<p class="x">Bí&nbsp;thư <b>Dương Anh Đức</b>&#44; <script>var a = "<b>";</script>A &amp; B<br/>C</p>'
    assert normalize(page).text == page  # markup is read only when asked for
    norm = normalize(page, html_markup=True)
    assert norm.text == "\nBí thư Dương Anh Đức, A & B\nC\n"
    check_alignment(page, norm)
    name = norm.text.index("Dương")
    assert page[slice(*norm.original_span(name, name + len("Dương Anh Đức")))] == "Dương Anh Đức"
    assert plain_text("&lt;b&gt;") == "<b>" and plain_text("x < 5 và y > 3") == "x < 5 và y > 3"


def test_tokenizer_keeps_the_text_and_sets_sentences():
    nlp = blank()
    text = "Bí\u00a0thư  Dư\u200bơng Anh Đức.\tÔng nói."
    doc = nlp(text)
    assert doc.text == text
    assert [s.text for s in doc.sents] == ["Bí\u00a0thư  Dư\u200bơng Anh Đức.\t", "Ông nói."]
    clean = nlp("Bí thư Dương Anh Đức. Ông nói.")
    words = [plain_text(t.text) for t in doc if plain_text(t.text).strip()]
    assert words == [t.text for t in clean if t.text.strip()]
    nlp.tokenizer.html = True
    page = "<p>Bí thư <b>Dương Anh Đức</b></p><p>Ông nói.</p>"
    doc = nlp(page)
    assert doc.text == page and len(list(doc.sents)) == 2
