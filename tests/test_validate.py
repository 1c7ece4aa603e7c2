import json

import pytest

from vietgov.cli import main
from vietgov.records import Entity, Record, RecordError, Relation, read_jsonl
from vietgov.validate import validate_records

TEXT = "Bí thư Quận ủy Dương Anh Đức phát biểu. Ông Sơn nói."


def problems(entities, relations=(), text=TEXT):
    return [p.message for p in validate_records([Record("r", text, list(entities), list(relations))])]


def test_clean_record_has_no_problem():
    ents = [Entity(1, "TITLE", 0, 6), Entity(2, "UNIT", 7, 14), Entity(3, "OFFICIAL", 15, 28)]
    rels = [Relation(1, 3, 1, "HAS_TITLE"), Relation(2, 1, 2, "TITLE_OF")]
    assert problems(ents, rels) == []


@pytest.mark.parametrize(
    "entities, relations, expected",
    [
        ([Entity(1, "TITLE", 0, 7)], [], "starts or ends on whitespace"),
        ([Entity(1, "PERSON", 0, 6)], [], "unknown label"),
        ([Entity(1, "TITLE", 0, 99)], [], "outside the text"),
        ([Entity(1, "TITLE", 0, 6), Entity(2, "UNIT", 3, 14)], [], "overlaps entity 1"),
        ([Entity(1, "TITLE", 0, 6), Entity(1, "UNIT", 7, 14)], [], "used twice"),
        ([Entity(1, "TITLE", 0, 6), Entity(2, "UNIT", 7, 14)], [Relation(1, 2, 1, "TITLE_OF")], "goes TITLE -> UNIT"),
        ([Entity(1, "TITLE", 0, 6), Entity(2, "OFFICIAL", 44, 47)], [Relation(1, 2, 1, "HAS_TITLE")],
         "crosses a sentence boundary"),
        ([Entity(1, "TITLE", 0, 6)], [Relation(1, 1, 9, "TITLE_OF")], "names no entity"),
    ],
)
def test_problems_are_found(entities, relations, expected):
    found = problems(entities, relations)
    assert any(expected in p for p in found), found


def test_not_nfc_and_initial_dot():
    assert any("NFC" in p for p in problems([], text="Quận u\u0309y"))
    text = "chị Nguyễn Thị L., điều dưỡng"
    assert problems([Entity(1, "OFFICIAL", 4, 17)], text=text) == []


def test_malformed_file_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = {"id": "a", "text": "x", "entities": [], "relations": []}
    path.write_text(json.dumps(good) + "\n" + '{"id": "b", "text": \n', encoding="utf-8")
    with pytest.raises(RecordError, match=r"bad\.jsonl:2: invalid JSON"):
        list(read_jsonl(path))
    path.write_text(json.dumps({"id": "c", "text": "x", "entities": [{"id": 1, "label": "UNIT"}]}) + "\n")
    with pytest.raises(RecordError, match=r"bad\.jsonl:1: record c entity 1 has no 'start_offset'"):
        list(read_jsonl(path))


def test_cli_reports_and_fails(tmp_path, capsys):
    path = tmp_path / "x.jsonl"
    rec = {"id": "d", "text": TEXT, "entities": [{"id": 1, "label": "TITLE", "start_offset": 0, "end_offset": 7}]}
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1: record d entity 1:" in out and "[Bí thư ]" in out


def test_shipped_annotations_are_valid():
    from pathlib import Path

    files = sorted(Path(__file__).resolve().parents[1].glob("annotations/*.jsonl"))
    assert files, "annotations/*.jsonl missing"
    assert validate_records([r for f in files for r in read_jsonl(f)]) == []
