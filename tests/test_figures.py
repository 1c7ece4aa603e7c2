import pytest

from vietgov.figures import parse_figure


@pytest.mark.parametrize(
    "text, value, unit, total",
    [
        ("5.148 tỷ đồng", 5_148_000_000_000, "đồng", None),
        ("15,98%/năm", 15.98, "%/năm", None),
        ("27%", 27, "%", None),
        ("24.024.181.065 đồng", 24_024_181_065, "đồng", None),
        ("386,2 tỷ đồng", 386_200_000_000, "đồng", None),
        ("2,5 triệu", 2_500_000, None, None),
        ("10/10 phường", 10, "phường", 10),
        ("51/52", 51, None, 52),
        ("8.117 đảng viên", 8117, "đảng viên", None),
        ("30.000 đ / giờ", 30000, "đồng/giờ", None),
        ("20.000", 20000, None, None),
        ("03%", 3, "%", None),
        ("1,2 nghìn tỷ đồng", 1_200_000_000_000, "đồng", None),
        ("41 tuổi", 41, "tuổi", None),
    ],
)
def test_parse_figure(text, value, unit, total):
    parsed = parse_figure(text)
    assert parsed.value == pytest.approx(value) and parsed.unit == unit and parsed.total == total


def test_no_number():
    assert parse_figure("hàng nghìn tỷ đồng") is None


def test_span_extensions():
    import spacy
    from spacy.tokens import Span

    from vietgov.figures import register_extensions

    register_extensions()
    doc = spacy.blank("vi")("Thu ngân sách đạt 5.148 tỷ đồng")
    span = doc.char_span(18, 31, label="FIGURE")
    assert span._.value == 5_148_000_000_000 and span._.unit == "đồng"
    assert Span(doc, 0, 1, label="UNIT")._.value is None
