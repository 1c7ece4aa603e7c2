import gzip
import json
import os

import pytest

from vietgov.cli import main
from vietgov.corpus import InputError, decode
from vietgov.extract import blocks, pipe_documents, read_documents

TEXT = "Sáng 14/3, Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì hội nghị. Thu ngân sách đạt gần 5.148 tỷ đồng, tăng 12%."


def test_decode_errors_name_the_offset():
    with pytest.raises(InputError, match=r"x\.txt: not UTF-8 text \(invalid byte at offset 3\)"):
        decode(b"abc\xff", "x.txt")
    with pytest.raises(InputError, match="binary input"):
        decode(b"PK\x03\x04\x00\x00", "a.zip")
    # the text as written: offsets index it, the pipeline normalises what the model reads
    assert decode("Quận u\u0309y".encode(), "t") == "Quận u\u0309y"


def test_jsonl_input_reports_bad_lines_and_reads_the_rest(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "Bí thư"}\n\n{"text": "Chủ tịch"}\n{"id": "b"}\n{oops\n[1]\n'
                    '{"id": "c", "text": "Phó Bí thư"}\n', encoding="utf-8")
    (tmp_path / "more.jsonl.gz").write_bytes(gzip.compress('{"text": "Quận ủy"}\n'.encode()))
    errors = []
    docs = list(read_documents([str(path), str(tmp_path / "missing.txt"), str(tmp_path / "more.jsonl.gz")],
                               errors.append))
    assert docs == [("a", "Bí thư"), ("docs-3", "Chủ tịch"), ("c", "Phó Bí thư"), ("more-1", "Quận ủy")]
    assert [str(e).split(": ", 1)[0] for e in errors] == [f"{path}:4", f"{path}:5", f"{path}:6",
                                                          str(tmp_path / "missing.txt")]


def test_blocks_tile_the_text_and_cut_at_line_breaks():
    text = "\n".join(f"Câu số {i} nói về Quận ủy quận {i}." for i in range(300)) + " " + "x" * 900
    pieces = blocks(text, size=500)
    assert "".join(b for _, b in pieces) == text
    assert all(len(b) <= 500 and text[o:o + len(b)] == b for o, b in pieces)
    assert all(b.endswith("\n") for _, b in pieces[:-3])  # the line without breaks is cut at its space, then anywhere


def test_long_text_in_blocks_keeps_offsets_into_the_text(nlp):
    from .conftest import long_record
    from .test_pipeline import GOLD

    rec = long_record(GOLD, copies=4)
    size = 2 * max(len(r.text) for r in GOLD) + 2
    [(doc_id, text, parts)] = list(pipe_documents(nlp, [("x", "Bí thư"), ("long", rec.text)], block_chars=size))[1:]
    assert doc_id == "long" and text == rec.text and len(parts) >= 3
    found = {(e.start_char + o, e.end_char + o, e.label_) for o, d in parts for e in d.ents}
    assert found == {(e.start_char + o, e.end_char + o, e.label_) for o, b in blocks(rec.text, size) for e in nlp(b).ents}
    assert len(found) > 20 and all(text[o:o + len(d.text)] == d.text for o, d in parts)
    assert all(d.tensor.size == 0 for _, d in parts)  # hidden states are not kept across blocks


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_formats(trained, tmp_path, capsys):
    pipeline = str(trained[0] / "pipeline")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace(" ", "\u00a0"), encoding="utf-8")
    code, out, err = cli(capsys, "extract", "-m", pipeline, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2
    money = next(e for e in rows[0]["entities"] if e["label"] == "FIGURE" and "đồng" in e["text"])
    assert money["value"] == 5_148_000_000_000 and money["unit"] == "đồng"
    assert {"official": "Dương Anh Đức", "title": "Bí thư", "unit": "Quận ủy quận 1",
            "canonical": ["Dương Anh Đức", "Bí thư", "Quận ủy Quận 1"]} in rows[0]["positions"]
    # non-breaking spaces: the same entities, at offsets into the file as written
    nbsp = TEXT.replace(" ", "\u00a0")
    assert [(e["start"], e["end"], e["label"]) for e in rows[1]["entities"]] == [
        (e["start"], e["end"], e["label"]) for e in rows[0]["entities"]]
    assert all(nbsp[e["start"]:e["end"]] == e["text"] for e in rows[1]["entities"])
    code, out, _ = cli(capsys, "extract", "-m", pipeline, "--format", "conll", str(tmp_path / "a.txt"))
    assert code == 0 and ("Dương\tB-OFFICIAL" in out or "Dương_Anh_Đức\tB-OFFICIAL" in out)
    html = tmp_path / "page.html"
    assert cli(capsys, "render", "-m", pipeline, str(tmp_path / "a.txt"), "-o", str(html))[0] == 0
    assert "OFFICIAL" in html.read_text(encoding="utf-8")


def test_html_input(trained, tmp_path, capsys):
    page = f"<html><head><style>p {{}}</style></head><body><p>{TEXT.replace('Dương Anh Đức', '<b>Dương Anh Đức</b>')}" \
           "</p><p>Tổng&nbsp;số 296&nbsp;đại biểu.</p></body></html>"
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    code, out, err = cli(capsys, "extract", "--html", "-m", str(trained[0] / "pipeline"), str(tmp_path / "page.html"))
    assert code == 0, err
    [row] = [json.loads(line) for line in out.splitlines()]
    assert ("Dương Anh Đức", "OFFICIAL") in {(e["text"], e["label"]) for e in row["entities"]}
    assert all(page[e["start"]:e["end"]] == e["text"] for e in row["entities"])
    assert not any("<" in e["text"] or ">" in e["text"] for e in row["entities"])


def test_a_bad_input_never_stops_the_run_or_destroys_output(trained, tmp_path, capsys):
    pipeline = str(trained[0] / "pipeline")
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Chào".encode("latin-1"))
    (tmp_path / "bin.dat").write_bytes(b"\x00\x01\x02")
    keep = tmp_path / "keep.jsonl"
    keep.write_text("precious\n", encoding="utf-8")
    inputs = [str(tmp_path / n) for n in ("bin.dat", "good.txt", "latin1.txt")]
    code, _, err = cli(capsys, "extract", "-m", pipeline, *inputs, "-o", str(keep))
    assert code == 1 and "binary input" in err and "latin1.txt: not UTF-8 text" in err
    assert json.loads(keep.read_text(encoding="utf-8"))["id"].endswith("good.txt")  # the good file was written
    keep.write_text("precious\n", encoding="utf-8")
    for args in ([str(tmp_path / "bin.dat")], ["--strict", *inputs]):  # nothing read, or stopped at the first
        code, _, err = cli(capsys, "extract", "-m", pipeline, *args, "-o", str(keep))
        assert code == 1 and err.count("vietgov:") >= 1
        assert keep.read_text(encoding="utf-8") == "precious\n"
    assert list(tmp_path.glob(".keep.jsonl.*")) == []  # no staged file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert keep.stat().st_mode & 0o777 == 0o666 & ~umask  # the usual mode, not the staging file's 0600
    # a folder is read for its text files, each bad one reported
    code, out, err = cli(capsys, "extract", "-m", pipeline, str(tmp_path))
    assert code == 1 and len(out.splitlines()) == 1 and "latin1.txt" in err and "keep.jsonl:1" in err


@pytest.mark.parametrize("args,message", [
    (["extract", "-m", "/nonexistent/pipeline", "-"], "cannot load pipeline /nonexistent/pipeline: [E050]"),
    (["extract", "-m", "PIPELINE", "-", "-o", "/nonexistent/dir/out.jsonl"], "folder /nonexistent/dir does not exist"),
    (["validate", "/nonexistent.jsonl"], "/nonexistent.jsonl: no such file or folder"),
])
def test_command_errors_are_one_line(trained, capsys, args, message):
    args = [str(trained[0] / "pipeline") if a == "PIPELINE" else a for a in args]
    code, _, err = cli(capsys, *args)
    assert code == 1 and message in err and "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch, capsys):
    import vietgov.cli

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(vietgov.cli, "cmd_stats", broken)
    code, _, err = cli(capsys, "stats")
    assert code == 1 and "RuntimeError: a bug (run again with --debug for the traceback)" in err
    with pytest.raises(RuntimeError, match="a bug"):
        main(["stats", "--debug"])
