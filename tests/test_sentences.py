"""Sentence boundaries: abbreviations, initials, quotes, numbers, line breaks; offsets into the text."""
import pytest

from vietgov.sentences import sentence_index, sentence_spans


def sentences(text):
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize("text,expected", [
    # a known abbreviation, in any case, does not end a sentence; the word after it may be capitalised
    ("Ông A đến TP. Hồ Chí Minh. Ông B về Hà Nội.", ["Ông A đến TP. Hồ Chí Minh.", "Ông B về Hà Nội."]),
    ("ThS. Lê Văn Sơn phát biểu. PGS. TS. Trần Hoa nói.", ["ThS. Lê Văn Sơn phát biểu.", "PGS. TS. Trần Hoa nói."]),
    ("Sách, báo, v.v. Được phát miễn phí.", ["Sách, báo, v.v. Được phát miễn phí."]),
    # single-letter initials
    ("Bà N. T. Hoa nói. Ông Đ. Văn Nam về.", ["Bà N. T. Hoa nói.", "Ông Đ. Văn Nam về."]),
    # a closing quote stays with its sentence, an opening quote starts the next one
    ('Ông nói: "Phải làm." Bà đáp: “Đúng vậy!” Sau đó họ về.',
     ['Ông nói: "Phải làm."', "Bà đáp: “Đúng vậy!”", "Sau đó họ về."]),
    ("Ông nói. “Ngày mai ta đi.” Rồi về.", ["Ông nói.", "“Ngày mai ta đi.”", "Rồi về."]),
    ("Ông A (Bí thư). Bà B (Chủ tịch) nói.", ["Ông A (Bí thư).", "Bà B (Chủ tịch) nói."]),
    # a digit opens a sentence; a dot inside a number, or before a lower-case word, does not end one
    ("Thu 5.148 tỷ đồng, tăng 12%. 15 người dự.", ["Thu 5.148 tỷ đồng, tăng 12%.", "15 người dự."]),
    ("Kết thúc... Bắt đầu? Có! rồi thôi.", ["Kết thúc...", "Bắt đầu?", "Có! rồi thôi."]),
    ("Hết.Liền sau.", ["Hết.Liền sau."]),
    # a line break always ends one; blank lines and surrounding whitespace are not part of any
    ("  Dòng một\nDòng hai không chấm\n\n\n  Dòng ba.  \n", ["Dòng một", "Dòng hai không chấm", "Dòng ba."]),
    ("", []),
    (" \n\t ", []),
])
def test_sentence_spans(text, expected):
    assert sentences(text) == expected


def test_spans_index_the_text_and_the_index_marks_the_gaps():
    text = "Bí thư Dương Anh Đức dự.  Ông B. Trần về.\nHết"
    spans = sentence_spans(text)
    assert spans == [(0, 24), (26, 41), (42, 45)]
    index = sentence_index(text)
    assert len(index) == len(text)
    assert [index[s] for s, _ in spans] == [0, 1, 2] and [index[e - 1] for _, e in spans] == [0, 1, 2]
    assert index[24] == index[25] == index[41] == -1  # the spaces and the line break between sentences
