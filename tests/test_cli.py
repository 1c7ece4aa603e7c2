"""`vietgov convert`, `stats` and `compare` on the test records: what they write, and bad input reported."""
import json
from dataclasses import replace

from vietgov.cli import main
from vietgov.evaluate import entity_set, relation_set
from vietgov.records import read_jsonl, write_jsonl

from .conftest import DATA

GOLD = list(read_jsonl(DATA / "train.jsonl"))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def annotations(records):
    return {r.id: (r.text, entity_set(r), relation_set(r)) for r in records}


def test_convert_round_trips_through_markup(tmp_path, capsys):
    folder = tmp_path / "ann"
    code, _, err = run(capsys, "convert", DATA / "train.jsonl", "-o", folder)
    assert code == 0 and f"wrote 3 records to {folder}" in err
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{r.id}.ann" for r in GOLD)
    (folder / "bad.ann").write_text("# id: bad\n[Bí thư nói\n", encoding="utf-8")
    back = tmp_path / "back.jsonl"
    code, _, err = run(capsys, "convert", folder, "-o", back)
    # the bad file is named with its line; the others are converted
    assert code == 1 and "bad.ann:2:" in err and "never closed" in err
    assert annotations(read_jsonl(back)) == annotations(GOLD)
    # nothing readable: an error, and the file there is left as it was
    code, _, err = run(capsys, "convert", folder / "bad.ann", "-o", back)
    assert code == 1 and "no record could be read" in err
    assert annotations(read_jsonl(back)) == annotations(GOLD)


def test_stats_counts_each_file_and_the_total(tmp_path, capsys):
    one = tmp_path / "one.jsonl"
    write_jsonl(GOLD[:1], one)
    code, out, err = run(capsys, "stats", DATA / "train.jsonl", one, tmp_path / "missing.jsonl")
    assert code == 1 and "missing.jsonl: no such file or folder" in err
    header, *lines = out.splitlines()
    assert header.split() == ["split", "docs", "words", "OFFICIAL", "TITLE", "UNIT", "FIGURE", "HAS_TITLE", "TITLE_OF"]
    rows = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in lines}

    def counts(records):
        labels = [sum(e.label == label for r in records for e in r.entities)
                  for label in ("OFFICIAL", "TITLE", "UNIT", "FIGURE")]
        types = [sum(rel.type == t for r in records for rel in r.relations) for t in ("HAS_TITLE", "TITLE_OF")]
        return [len(records), sum(len(r.text.split()) for r in records), *labels, *types]

    assert rows == {str(DATA / "train"): counts(GOLD), str(tmp_path / "one"): counts(GOLD[:1]),
                    str(tmp_path / "missing"): [0] * 8, "total": counts(GOLD + GOLD[:1])}
    assert counts(GOLD)[2:] == [4, 4, 5, 6, 4, 4]


def test_compare_scores_the_second_annotation_against_the_first(tmp_path, capsys):
    # the second annotator left out a figure of the first article and a relation of the second, and did not
    # annotate the third article at all
    first, second = GOLD[0], GOLD[1]
    figure = next(e for e in first.entities if e.label == "FIGURE")
    other = [replace(first, entities=[e for e in first.entities if e is not figure]),
             replace(second, relations=second.relations[1:])]
    write_jsonl(other, tmp_path / "b.jsonl")
    scores_file = tmp_path / "agreement.json"
    code, out, _ = run(capsys, "compare", "--first", DATA / "train.jsonl", "--second", tmp_path / "b.jsonl",
                       "-o", scores_file)
    assert code == 0 and out.startswith("2 documents in common")
    scores = json.loads(scores_file.read_text())
    n_entities = len(first.entities) + len(second.entities)
    n_relations = len(first.relations) + len(second.relations)
    assert scores["entities"]["micro"]["precision"] == 1.0
    assert scores["entities"]["micro"]["recall"] == (n_entities - 1) / n_entities
    figures = sum(e.label == "FIGURE" for e in first.entities + second.entities)
    assert scores["entities"]["per_label"]["FIGURE"]["recall"] == (figures - 1) / figures
    assert scores["entities"]["per_label"]["OFFICIAL"]["f1"] == 1.0
    assert scores["relations"]["micro"]["recall"] == (n_relations - 1) / n_relations
    assert f"R {(n_entities - 1) / n_entities:.3f}" in next(line for line in out.splitlines()
                                                             if line.split()[:2] == ["entities", "micro"])
    # the same ids with other texts are not the same articles
    write_jsonl([replace(first, text=first.text + " Hết.")], tmp_path / "c.jsonl")
    code, _, err = run(capsys, "compare", "--first", DATA / "train.jsonl", "--second", tmp_path / "c.jsonl")
    assert code == 1 and f"record {first.id}: the two texts differ" in err
