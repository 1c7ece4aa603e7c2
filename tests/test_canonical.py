"""Canonical names: units and titles spelled one way, officials linked within an article, 2025 successors."""
import json

import pytest

from tests.conftest import doc_with_ents
from vietgov.admin import read_table
from vietgov.canonical import (Mention, Place, canonical_name, canonical_positions, canonical_title, canonical_unit,
                               link_mentions, link_officials, sentence_bounds, sentence_places, successor_unit,
                               unit_names)
from vietgov.records import Entity, Record, RecordError, Relation
from vietgov.doc_relations import register_extensions
from vietgov.relation_rules import RelationExtractor
from vietgov.tokenizer import blank
from vietgov.tones import to_modern_tones


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    return blank()


def mentions(text: str, spans: list[tuple[str, str]]) -> list[Mention]:
    """Mentions of the (surface, label) pairs found left to right, keyed by their order."""
    out, pos = [], 0
    for k, (surface, label) in enumerate(spans):
        start = text.index(surface, pos)
        out.append(Mention(k, label, surface, start, start + len(surface)))
        pos = start + len(surface)
    return out


@pytest.mark.parametrize("written", ["UBND TP.HCM", "UBND TPHCM", "UBND TP HCM", "UBND Tp. Hồ Chí Minh",
                                     "Uỷ ban nhân dân Thành phố Hồ Chí Minh", "ỦY BAN NHÂN DÂN TP.HCM"])
def test_hcmc_in_every_spelling(written):
    assert canonical_unit(written) == "Ủy ban nhân dân Thành phố Hồ Chí Minh"


@pytest.mark.parametrize("written, canonical", [
    ("HĐND tỉnh Quảng Nam", "Hội đồng nhân dân tỉnh Quảng Nam"),
    ("Ủy ban MTTQ Việt Nam tỉnh Bà Rịa-Vũng Tàu", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bà Rịa - Vũng Tàu"),
    ("BCH Đảng bộ tỉnh Nghệ An", "Ban Chấp hành Đảng bộ tỉnh Nghệ An"),
    ("Sở GD & ĐT Thừa Thiên - Huế", "Sở Giáo dục và Đào tạo tỉnh Thừa Thiên Huế"),
    ("Công ty CP Nhiệt điện Quảng Ninh", "Công ty Cổ phần Nhiệt điện Quảng Ninh"),
    ("Q.2", "Quận 2"),
    ("UB Kiểm tra Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"),
    # acronyms that are names stay, and so do letters that only start like an abbreviation
    ("APEC", "APEC"), ("EVN TPC Quảng Ninh", "EVN TPC Quảng Ninh"), ("CLB Hà Nội T&T", "CLB Hà Nội T&T"),
])
def test_abbreviations_expanded(written, canonical):
    assert canonical_unit(written) == canonical


@pytest.mark.parametrize("written, canonical", [
    ("Uỷ ban thường vụ Quốc hội", "Ủy ban Thường vụ Quốc hội"),
    ("Tỉnh uỷ Thanh Hoá", "Tỉnh ủy Thanh Hóa"),
    ("ĐẢNG BỘ PHƯỜNG CÔ GIANG", "Đảng bộ phường Cô Giang"),
    ("quận Long biên", "Quận Long Biên"),
    ("bộ Y tế", "Bộ Y tế"),
    ("Cơ quan CSĐT bộ Công an", "Cơ quan Cảnh sát điều tra Bộ Công an"),
    ("Ban thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"),
    ("Công ty cổ phần bóng đèn, phích nước Rạng Đông", "Công ty Cổ phần Bóng đèn, Phích nước Rạng Đông"),
    ("Phòng an ninh chính trị nội bộ Công an tỉnh Hà Giang", "Phòng An ninh chính trị nội bộ Công an tỉnh Hà Giang"),
    ("Ban quản lý rừng phòng hộ Quỳ Châu", "Ban Quản lý rừng phòng hộ Quỳ Châu"),
])
def test_tone_marks_and_casing_unified(written, canonical):
    assert canonical_unit(written) == canonical


@pytest.mark.parametrize("written, canonical", [
    ("Hà Nội", "Thành phố Hà Nội"),  # a province named alone takes its level word
    ("Công an Nghệ An", "Công an tỉnh Nghệ An"),  # and after a local organ
    ("Bệnh viện Đà Nẵng", "Bệnh viện Đà Nẵng"),  # not inside another name
    ("Thành ủy TP Hà Nội", "Thành ủy Hà Nội"),  # an X-ủy committee drops it
    ("Quận ủy quận Bình Tân", "Quận ủy Bình Tân"),
    ("Quận ủy quận 1", "Quận ủy Quận 1"),  # but not before a number
    ("Thành ủy TP.HCM", "Thành ủy Thành phố Hồ Chí Minh"),
])
def test_level_words(written, canonical):
    assert canonical_unit(written) == canonical


def test_titles_and_names():
    assert canonical_title("phó chủ tịch thường trực") == "Phó Chủ tịch Thường trực"
    assert canonical_title("PCT") == "Phó Chủ tịch"
    assert canonical_title("nguyên Bí Thư") == "nguyên Bí thư"
    # a minister's fields are cased as in the ministry's name, so both spellings are one post
    assert canonical_title("Bộ trưởng ngoại giao") == canonical_title("Bộ trưởng Ngoại giao") == "Bộ trưởng Ngoại giao"
    assert canonical_title("thứ trưởng tài nguyên và môi trường") == "Thứ trưởng Tài nguyên và Môi trường"
    assert canonical_title("Chủ tịch nước") == "Chủ tịch nước"
    # a compound ending in a word of the table keeps it in lower case, however written
    assert canonical_title("Thị Trưởng") == canonical_title("thị trưởng") == "Thị trưởng"
    assert canonical_title("Ngoại trưởng") == "Ngoại trưởng" and canonical_title("phó trưởng") == "Phó Trưởng"
    assert canonical_name("NGUYỄN THỊ THUỲ LINH") == "Nguyễn Thị Thùy Linh"
    assert canonical_name("Ông Hoàng Trung Hải") == "Hoàng Trung Hải"  # a form of address caught in the span
    assert canonical_name("Ông Văn Hậu") == "Ông Văn Hậu"  # Ông is also a surname
    assert to_modern_tones("Khánh Hoà, quý, Huế") == "Khánh Hòa, quý, Huế"


def test_partial_names_linked_and_ambiguity_left_unlinked():
    text = ("Ông Trần Văn Bình, Bí thư, và bà Nguyễn Thị Lan dự họp. Ông Bình và bà Lan phát biểu. "
            "Ông Nguyễn Văn Bình cũng dự. Ông Bình nói.")
    ms = mentions(text, [("Trần Văn Bình", "OFFICIAL"), ("Nguyễn Thị Lan", "OFFICIAL"), ("Bình", "OFFICIAL"),
                         ("Lan", "OFFICIAL"), ("Nguyễn Văn Bình", "OFFICIAL"), ("Bình", "OFFICIAL")])
    linked = link_mentions(ms, text)
    assert linked[0] == "Trần Văn Bình" and linked[4] == "Nguyễn Văn Bình"
    assert linked[3] == "Nguyễn Thị Lan"
    assert linked[2] is None and linked[5] is None  # two Bình: never a guess


def test_ambiguity_resolved_by_title_or_sex():
    text = ("Bộ trưởng Nguyễn Thị Kim Tiến và Thứ trưởng Nguyễn Viết Tiến dự họp. "
            "Thứ trưởng Tiến nói. Bà Tiến trả lời.")
    ms = mentions(text, [("Nguyễn Thị Kim Tiến", "OFFICIAL"), ("Nguyễn Viết Tiến", "OFFICIAL"),
                         ("Tiến", "OFFICIAL"), ("Tiến", "OFFICIAL")])
    titles = {0: {"Bộ trưởng"}, 1: {"Thứ trưởng"}, 2: {"thứ trưởng"}}
    linked = link_mentions(ms, text, titles)
    assert linked[2] == "Nguyễn Viết Tiến"  # the same title
    assert linked[3] == "Nguyễn Thị Kim Tiến"  # bà: the woman (Thị)


def test_a_name_of_one_sex_is_not_linked_to_the_other():
    text = "Ông Trump công bố trừng phạt. Sau tuyên bố của tổng thống Trump, cô Ivanka Trump tới Seoul."
    ms = mentions(text, [("Trump", "OFFICIAL"), ("Trump", "OFFICIAL"), ("Ivanka Trump", "OFFICIAL")])
    linked = link_mentions(ms, text)
    assert linked[0] == linked[1] == "Trump" and linked[2] == "Ivanka Trump"
    text = "Cô Ivanka Trump tới Seoul. Trump nói."  # no sex told for this Trump: the one candidate
    ms = mentions(text, [("Ivanka Trump", "OFFICIAL"), ("Trump", "OFFICIAL")])
    assert link_mentions(ms, text)[1] == "Ivanka Trump"


def test_surname_references():
    text = "Bác Hồ và Chủ tịch Hồ Minh Tuấn. Ông Tập Cận Bình gặp ông Tập."
    ms = mentions(text, [("Hồ", "OFFICIAL"), ("Hồ Minh Tuấn", "OFFICIAL"), ("Tập Cận Bình", "OFFICIAL"),
                         ("Tập", "OFFICIAL")])
    linked = link_mentions(ms, text)
    assert linked[0] == "Hồ Chí Minh" and linked[3] == "Tập Cận Bình"


def test_bare_organs_completed_from_the_article():
    text = ("Bí thư Quận ủy quận Bình Tân dự họp với UBND quận và Ban Thường vụ Quận ủy. "
            "Tập đoàn Dầu khí Việt Nam (PVN) báo cáo Hội đồng thành viên PVN. "
            "Hội đồng nhân dân (HĐND) tỉnh Quảng Ninh họp. Thành ủy, UBND thành phố Hà Nội dự.")
    units = ["Quận ủy quận Bình Tân", "UBND quận", "Ban Thường vụ Quận ủy", "Tập đoàn Dầu khí Việt Nam", "PVN",
             "Hội đồng thành viên PVN", "Hội đồng nhân dân", "HĐND", "tỉnh Quảng Ninh", "Thành ủy",
             "UBND thành phố Hà Nội"]
    names = unit_names(mentions(text, [(u, "UNIT") for u in units]), text)
    got = [(names[k].canonical, names[k].completed) for k in range(len(units))]
    assert got[1] == ("Ủy ban nhân dân quận Bình Tân", True)
    assert got[2] == ("Ban Thường vụ Quận ủy Bình Tân", True)
    assert got[4] == ("Tập đoàn Dầu khí Việt Nam", True)  # an acronym defined in brackets
    assert got[5] == ("Hội đồng thành viên Tập đoàn Dầu khí Việt Nam", True)
    assert got[6] == got[7] == ("Hội đồng nhân dân tỉnh Quảng Ninh", True)
    assert got[9] == ("Thành ủy Hà Nội", True)  # organs listed together share the place
    assert got[0] == ("Quận ủy Bình Tân", False)


def test_an_acronym_after_the_words_its_name_begins_with_is_not_spelled_out_twice():
    text = ("Ông Thanh, Tổng giám đốc công ty Cổ phần Nhiên liệu bay Petrolimex (PA), nay là Chủ tịch công ty "
            "Cổ phần Nhiên liệu bay PA và Chủ tịch HĐQT PA.")
    units = ["công ty Cổ phần Nhiên liệu bay Petrolimex", "PA", "công ty Cổ phần Nhiên liệu bay PA", "HĐQT PA"]
    names = unit_names(mentions(text, [(u, "UNIT") for u in units]), text)
    assert names[2].canonical == names[1].canonical == "Công ty Cổ phần Nhiên liệu bay Petrolimex"
    assert names[3].canonical == "Hội đồng quản trị Công ty Cổ phần Nhiên liệu bay Petrolimex"


def test_an_acronym_longer_than_the_name_before_it_is_not_its_alias():
    text = "Hiệp hội các nhà sản xuất ô tô Việt Nam (VAMA) họp. Ông Toru Kinoshita, Chủ tịch VAMA, phát biểu."
    names = unit_names(mentions(text, [("Việt Nam", "UNIT"), ("VAMA", "UNIT"), ("VAMA", "UNIT")]), text)
    assert names[2].canonical == "VAMA"


def test_no_completion_where_the_article_leaves_two_places():
    text = "UBND quận 1 và UBND quận 3 họp; Chủ tịch UBND quận phát biểu."
    names = unit_names(mentions(text, [("UBND quận 1", "UNIT"), ("UBND quận 3", "UNIT"), ("UBND quận", "UNIT")]),
                       text)
    assert names[2].canonical == "Ủy ban nhân dân quận" and not names[2].completed


def test_successors_after_2025():
    assert successor_unit(canonical_unit("UBND tỉnh Bắc Giang")) == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert successor_unit(canonical_unit("Tỉnh uỷ Hậu Giang")) == "Thành ủy Cần Thơ"
    assert successor_unit(canonical_unit("Thừa Thiên - Huế")) == "Thành phố Huế"
    assert successor_unit(canonical_unit("Hà Nội")) is None  # kept its name
    assert successor_unit(canonical_unit("huyện Lục Ngạn")) is None  # districts were abolished
    assert successor_unit(canonical_unit("Bệnh viện Bạc Liêu")) is None  # a name, not a place
    # a ward, told apart by the district and province named beside it
    assert successor_unit("Đảng ủy phường Cô Giang", ["Thành phố Hồ Chí Minh"], ["Quận 1"]) == \
        "Đảng ủy phường Cầu Ông Lãnh"


def test_admin_table_errors_name_the_line(tmp_path):
    path = tmp_path / "admin.tsv"
    path.write_text("P\tTỉnh A\tTỉnh B\nX\tnonsense\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"admin\.tsv:2:"):
        read_table(path)


def test_extensions_on_a_doc(nlp):
    text = "Bí thư Quận ủy quận 1 Trần Văn Bình phát biểu. Ông Bình là Bí thư Quận ủy."
    doc = doc_with_ents(nlp, text, [("Bí thư", "TITLE"), ("Quận ủy quận 1", "UNIT"), ("Trần Văn Bình", "OFFICIAL"),
                                    ("Bình", "OFFICIAL"), ("Bí thư", "TITLE"), ("Quận ủy", "UNIT")])
    doc = RelationExtractor()(doc)
    ents = list(doc.ents)
    assert ents[3]._.canonical == "Trần Văn Bình"
    assert ents[5]._.canonical == "Quận ủy Quận 1" and ents[5]._.completed and ents[5]._.successor is None
    assert ents[0]._.canonical == "Bí thư"
    assert link_officials(doc)[(ents[3].start, ents[3].end)] == "Trần Văn Bình"
    assert canonical_positions(doc) == [("Trần Văn Bình", "Bí thư", "Quận ủy Quận 1")]
    # the cached names follow the entities, and the doc still serialises
    doc.ents = [e for e in ents if e.text != "Trần Văn Bình"]
    assert [e._.canonical for e in doc.ents if e.label_ == "OFFICIAL"] == ["Bình"]
    assert len(doc.to_bytes()) > 0


def test_evaluate_reports_canonical_scores(nlp, tmp_path):
    from vietgov.evaluate import format_report, read_canonical, score_docs

    text = "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn Thông dự họp. Ông Thông làm việc với UBND tỉnh."
    ents = [("Bí thư", "TITLE"), ("Tỉnh ủy Nghệ An", "UNIT"), ("Nguyễn Văn Thông", "OFFICIAL"),
            ("Thông", "OFFICIAL"), ("UBND tỉnh", "UNIT")]
    doc = RelationExtractor()(doc_with_ents(nlp, text, ents))
    rec = Record("r1", text, [Entity(k + 1, e.label_, e.start_char, e.end_char) for k, e in enumerate(doc.ents)],
                 [Relation(1, 3, 1, "HAS_TITLE"), Relation(2, 1, 2, "TITLE_OF")])
    gold = {"id": "r1", "entities": [
        {"id": 2, "label": "UNIT", "text": "Tỉnh ủy Nghệ An", "canonical": "Tỉnh ủy Nghệ An"},
        {"id": 3, "label": "OFFICIAL", "text": "Nguyễn Văn Thông", "canonical": "Nguyễn Văn Thông"},
        {"id": 4, "label": "OFFICIAL", "text": "Thông", "canonical": "Nguyễn Văn Thông"},
        {"id": 5, "label": "UNIT", "text": "UBND tỉnh", "canonical": "Ủy ban nhân dân tỉnh Nghệ An", "completed": True}]}
    path = tmp_path / "canonical.jsonl"
    path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    canonical = read_canonical(path, [rec])
    nlp_rel = blank()
    nlp_rel.add_pipe("vietgov_relations")
    scores = score_docs(nlp_rel, [rec], [doc], 1.0, canonical=canonical)
    for mode in ("gold_entities", "end_to_end"):
        got = scores["canonical"][mode]
        assert got["officials"]["accuracy"] == 1.0 and got["officials"]["linked"]["recall"] == 1.0
        assert got["units"]["accuracy"] == 1.0 and got["units"]["completed"]["f1"] == 1.0
    assert "canonical names (gold entities): officials accuracy 1.000" in format_report(scores)
    # a gold file that does not match the records is an error naming file and line
    path.write_text(json.dumps({**gold, "entities": [{**gold["entities"][0], "text": "Tỉnh ủy"}]}) + "\n",
                    encoding="utf-8")
    with pytest.raises(RecordError, match=r"canonical\.jsonl:1: .*entity 2"):
        read_canonical(path, [rec])


def test_bare_organ_completed_from_its_own_sentence_first():
    # the article is about Đà Nẵng, but the sentence names Hội An (`TP. Hội An`), and Bạc Liêu
    text = ("UBND thành phố Đà Nẵng họp. Thành ủy Đà Nẵng chỉ đạo. Ngày 24/7, Bí thư Thành uỷ Kiều Cư ký quyết định "
            "kỷ luật ông Lê Thanh, Chủ tịch UBND xã Cẩm Thanh, TP. Hội An. Ông Võ Văn Dũng, Bí thư Tỉnh uỷ, Chủ tịch "
            "HĐND tỉnh Bạc Liêu nhận nhiệm vụ. Tỉnh ủy Phú Thọ họp. Tỉnh ủy chỉ đạo.")
    units = ["UBND thành phố Đà Nẵng", "Thành ủy Đà Nẵng", "Thành uỷ", "UBND xã Cẩm Thanh", "Tỉnh uỷ",
             "HĐND tỉnh Bạc Liêu", "Tỉnh ủy Phú Thọ", "Tỉnh ủy"]
    names = unit_names(mentions(text, [(u, "UNIT") for u in units]), text)
    assert (names[2].canonical, names[2].completed) == ("Thành ủy Hội An", True)
    assert (names[4].canonical, names[4].completed) == ("Tỉnh ủy Bạc Liêu", True)
    # a sentence that names no province leaves it to the article: Phú Thọ, the one province named with `Tỉnh ủy`
    assert (names[7].canonical, names[7].completed) == ("Tỉnh ủy Phú Thọ", True)


def test_bare_organ_left_bare_where_its_sentence_names_other_places_of_that_level():
    # the article gives `HĐND huyện Gia Lâm`; the sentence names districts of Hà Nội (Ba Vì, Thanh Oai) without
    # level words: which one's HĐND is not decided, and Gia Lâm is not one of them
    text = ("Bà A, Chủ tịch HĐND huyện Gia Lâm phát biểu. Các quận, huyện của Hà Nội đã có Chủ tịch mới là Ba Vì "
            "(ông Bạch Công Tiến, nguyên Phó chủ tịch), Thanh Oai (bà Nguyễn Thị Hà, nguyên Chủ tịch HĐND).")
    names = unit_names(mentions(text, [("HĐND huyện Gia Lâm", "UNIT"), ("HĐND", "UNIT")]), text)
    assert (names[1].canonical, names[1].completed) == ("Hội đồng nhân dân", False)
    # and one district of the level in the sentence decides
    text = "Bà A, Chủ tịch HĐND huyện Gia Lâm phát biểu. Ở Thanh Oai (Hà Nội), bà Hà, Chủ tịch HĐND, cho biết."
    names = unit_names(mentions(text, [("HĐND huyện Gia Lâm", "UNIT"), ("HĐND", "UNIT")]), text)
    assert names[1].canonical == "Hội đồng nhân dân huyện Thanh Oai"


def test_sentence_places():
    assert set(sentence_places("Chủ tịch UBND tỉnh Bạc Liêu Nguyễn Văn A và Bí thư Tỉnh ủy Nghệ An dự, ở TP.HCM, "
                               "Q.1, Đà Nẵng.")) == {
        Place("tỉnh", "Bạc Liêu"), Place("tỉnh", "Nghệ An"), Place("quận", "1"), Place("thành phố", "Hồ Chí Minh"),
        Place("thành phố", "Đà Nẵng")}
    # a person's name after a level word is no place (`tỉnh Phan` would be a commune's name elsewhere)
    assert sentence_places("Chủ tịch UBND tỉnh Phan Ngọc Thọ phát biểu.") == ()
    text = "UBND TP. Hội An họp. Ông A nói! Sau đó\nB."
    assert [text[a:b] for a, b in sentence_bounds(text)] == ["UBND TP. Hội An họp. ", "Ông A nói! ", "Sau đó\n", "B."]


def test_acronym_after_a_board_names_the_organisation():
    text = ("Hội đồng thành viên tập đoàn Dầu khí Việt Nam (PVN) vừa có quyết định. Ông Trần Sỹ Thanh, Chủ tịch PVN và "
            "ông Nguyễn Vũ Trường Sơn, Tổng Giám đốc PVN.")
    units = ["Hội đồng thành viên tập đoàn Dầu khí Việt Nam", "PVN", "PVN", "PVN"]
    names = unit_names(mentions(text, [(u, "UNIT") for u in units]), text)
    assert names[0].canonical == "Hội đồng thành viên Tập đoàn Dầu khí Việt Nam" and not names[0].completed
    assert {names[k].canonical for k in (1, 2, 3)} == {"Tập đoàn Dầu khí Việt Nam"}


@pytest.mark.parametrize("written, canonical", [
    ("Trung Quốc Vương Nghị", "Vương Nghị"), ("Ukraine Volodymyr Groysman", "Volodymyr Groysman"),
    ("Hong Kong Carrie Lam", "Carrie Lam"),
    ("c Thái Thanh Quý", "Thái Thanh Quý"), ("đ/c Thái Thanh Quý", "Thái Thanh Quý"),
    ("Thầy Văn Như Cương", "Văn Như Cương"), ("Ngài Kong Sam Ol", "Kong Sam Ol"), ("Thầy Văn Cương", "Thầy Văn Cương"),
    # names that start like a country, and Vietnamese places that do
    ("Đức Phúc", "Đức Phúc"), ("Mỹ Linh", "Mỹ Linh"), ("Lào Cai Nguyễn Văn", "Lào Cai Nguyễn Văn"),
])
def test_country_or_address_caught_in_a_name_dropped(written, canonical):
    assert canonical_name(written) == canonical


def test_partial_name_linked_past_a_country_caught_in_the_full_name():
    text = "Ngoại trưởng Trung Quốc Vương Nghị đến Hà Nội. Ông Vương Nghị nói."
    linked = link_mentions(mentions(text, [("Trung Quốc Vương Nghị", "OFFICIAL"), ("Vương Nghị", "OFFICIAL")]), text)
    assert linked == {0: "Vương Nghị", 1: "Vương Nghị"}


def test_place_after_a_bracketed_acronym_completes_the_unit():
    # the recognizer stops at the bracket: the place after the acronym is the unit's
    text = ("Ông Khánh, Chủ nhiệm Ủy ban Kiểm tra (UBKT) Tỉnh ủy Sơn La, và ông Tường, Phó ban Ban An toàn giao thông "
            "(ATGT) TP.HCM, gặp Tập đoàn Dầu khí Việt Nam (PVN) Nguyễn Văn A.")
    units = ["Ủy ban Kiểm tra", "UBKT", "Ban An toàn giao thông", "Tập đoàn Dầu khí Việt Nam"]
    names = unit_names(mentions(text, [(u, "UNIT") for u in units]), text)
    assert (names[0].canonical, names[0].completed) == ("Ủy ban Kiểm tra Tỉnh ủy Sơn La", True)
    assert names[1] == names[0]  # the acronym, an entity of its own
    assert names[2].canonical == "Ban An toàn giao thông Thành phố Hồ Chí Minh"
    assert (names[3].canonical, names[3].completed) == ("Tập đoàn Dầu khí Việt Nam", False)  # a person, no place
