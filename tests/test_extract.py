import json
import subprocess
import sys

import pytest

from vietgov.extract import InputError, decode, read_documents

from .conftest import ROOT


def test_decode_errors_name_the_offset():
    with pytest.raises(InputError, match=r"x\.txt: not UTF-8 text \(invalid byte at offset 3\)"):
        decode(b"abc\xff", "x.txt")
    with pytest.raises(InputError, match="binary input"):
        decode(b"PK\x03\x04\x00\x00", "a.zip")
    assert decode("Quận u\u0309y".encode(), "t") == "Quận ủy"


def test_jsonl_input(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "Bí thư"}\n\n{"text": "Chủ tịch"}\n', encoding="utf-8")
    assert list(read_documents([str(path)])) == [("a", "Bí thư"), ("docs-3", "Chủ tịch")]
    path.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"docs\.jsonl:1: expected an object with a 'text' field"):
        list(read_documents([str(path)]))


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "vietgov.cli", *args], input=stdin, capture_output=True, cwd=ROOT)


def test_extract_formats(trained, tmp_path):
    pipeline = str(trained[0] / "pipeline")
    text = "Sáng 14/3, Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì hội nghị. Thu ngân sách đạt gần 5.148 tỷ đồng, tăng 12%."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    result = run_cli("extract", "-m", pipeline, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert result.returncode == 0, result.stderr.decode()
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(rows) == 2
    money = next(e for e in rows[0]["entities"] if e["label"] == "FIGURE" and "đồng" in e["text"])
    assert money["value"] == 5_148_000_000_000 and money["unit"] == "đồng"
    assert {"official": "Dương Anh Đức", "title": "Bí thư", "unit": "Quận ủy quận 1"} in rows[0]["positions"]
    two = run_cli("extract", "-m", pipeline, "--n-process", "2", "--batch-size", "1", str(tmp_path / "a.txt"),
                  str(tmp_path / "b.txt"))
    assert two.returncode == 0 and two.stdout == result.stdout, two.stderr.decode()
    conll = run_cli("extract", "-m", pipeline, "--format", "conll", "-", stdin=text.encode())
    assert "Dương\tB-OFFICIAL" in conll.stdout.decode() or "Dương_Anh_Đức\tB-OFFICIAL" in conll.stdout.decode()
    html = tmp_path / "page.html"
    assert run_cli("render", "-m", pipeline, str(tmp_path / "a.txt"), "-o", str(html)).returncode == 0
    assert "OFFICIAL" in html.read_text(encoding="utf-8")


def test_extract_rejects_binary(trained, tmp_path):
    (tmp_path / "bin.dat").write_bytes(b"\x00\x01\x02")
    result = run_cli("extract", "-m", str(trained[0] / "pipeline"), str(tmp_path / "bin.dat"))
    assert result.returncode == 1 and b"binary input" in result.stderr
