import pytest

from vietgov.markup import parse_markup, to_markup
from vietgov.records import RecordError

SOURCE = """# id: t-1
# source: team
Sáng 14/3, [Bí thư]{T:t1} [Quận ủy quận 1]{U:u1} [Dương Anh Đức]{O:o1} chủ trì, thu \\[tạm\\] đạt [5.148 tỷ đồng]{F}.
>> o1-t1 t1-u1
[Phó Bí thư]{T:t2} [Quận ủy]{U:u2}, [Chủ tịch]{T:t3} [UBND quận]{U:u3} [Lê Văn Sơn]{O:o2}
>> o2-t2 o2-t3 t2-u2 t3-u3
"""


def test_parse_offsets_and_relations():
    rec = parse_markup(SOURCE)
    assert rec.id == "t-1" and rec.meta == {"source": "team"}
    assert "[tạm]" in rec.text and "{" not in rec.text
    spans = [(e.label, rec.span_text(e)) for e in rec.entities]
    assert spans[:4] == [("TITLE", "Bí thư"), ("UNIT", "Quận ủy quận 1"), ("OFFICIAL", "Dương Anh Đức"),
                         ("FIGURE", "5.148 tỷ đồng")]
    by_id = {e.id: rec.span_text(e) for e in rec.entities}
    rels = {(by_id[r.head], r.type, by_id[r.tail]) for r in rec.relations}
    assert ("Lê Văn Sơn", "HAS_TITLE", "Chủ tịch") in rels
    assert ("Chủ tịch", "TITLE_OF", "UBND quận") in rels
    assert len(rels) == 6


def test_round_trip():
    rec = parse_markup(SOURCE)
    assert parse_markup(to_markup(rec)).to_json() == rec.to_json()


@pytest.mark.parametrize(
    "body, message",
    [
        ("[Bí thư]{X} nói", "unknown label"),
        ("[Bí thư nói", "never closed"),
        ("[Bí thư]{T:a} [Sơn]{O:b}\n>> a-b", "no relation type"),
        ("[Sơn]{O:a}\n>> a-z", "no entity has key 'z'"),
        ("Bí thư] nói", "without '['"),
    ],
)
def test_errors_name_the_line(body, message):
    with pytest.raises(RecordError) as err:
        parse_markup("# id: x\n" + body, path="doc.ann")
    assert message in str(err.value)
    assert str(err.value).startswith("doc.ann:")
