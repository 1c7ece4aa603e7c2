"""The row scorer of the positions database: features read from a row's mentions, the shipped weights, and
the fit on judged rows (training.row_scorer)."""
import json
import random

import pytest

from vietgov.positions.scores import FEATURES, RowScorer, row_features

from .conftest import ROOT

SENTENCE = "Ông Nguyễn Văn An, Chủ tịch UBND tỉnh Quảng Nam, phát biểu."


def mention(official="Nguyễn Văn An", title="Chủ tịch", unit="Ủy ban nhân dân tỉnh Quảng Nam", article="a1",
            confidence=0.99, sentence=SENTENCE, start=100, status="current"):
    """A mentions row (MENTION_COLUMNS) of SENTENCE placed at character `start` of its article."""
    o = sentence.index("Nguyễn Văn An") if "Nguyễn Văn An" in sentence else sentence.index(official)
    t = sentence.index("Chủ tịch")
    u = sentence.find("UBND")
    return (official, title, unit, article, confidence, status, "Chủ tịch", None, sentence, start,
            start + o, start + o + len(official), start + t, start + t + 8,
            (start + u) if unit else None, (start + u + len("UBND tỉnh Quảng Nam")) if unit else None)


def features(mentions):
    return dict(zip(FEATURES, row_features(mentions)))


def test_features_of_a_row_are_read_at_its_most_confident_mention():
    f = features([mention(confidence=0.6, sentence="Nguyễn Văn An; Chủ tịch UBND tỉnh Quảng Nam."),
                  mention(confidence=0.99, article="a2")])
    assert f["articles"] == pytest.approx(1.0986, abs=1e-3) and f["mentions"] == f["articles"]
    assert f["conf_logit"] > 4  # the best mention's confidence
    assert (f["gap_comma"], f["gap_semicolon"], f["adjacent"]) == (1.0, 0.0, 0.0)  # its gap, not the first's
    assert (f["has_unit"], f["unit_after_title"], f["official_vi"], f["official_one"]) == (1.0, 1.0, 1.0, 0.0)


def test_a_foreign_name_and_a_row_without_unit_read_so():
    sentence = "Chủ tịch Kristinn Hrafnsson phát biểu."
    f = features([mention(official="Kristinn Hrafnsson", unit=None, sentence=sentence, confidence=None)])
    assert (f["official_vi"], f["has_unit"], f["unit_after_title"], f["adjacent"]) == (0.0, 0.0, 0.0, 1.0)
    assert f["conf_logit"] == pytest.approx(0.0)  # no confidence counts as 0.5


def test_the_shipped_scorer_ranks_a_supported_row_above_a_doubtful_one():
    scorer = RowScorer.load()
    card = json.loads((ROOT / "vietgov" / "data" / "row_scorer.json").read_text(encoding="utf-8"))
    assert card["held_out_by_sample"]["auc"] > card["held_out_by_sample"]["auc_confidence_alone"]
    supported = scorer.score(row_features([mention(article=f"a{i}") for i in range(3)]))
    doubtful = scorer.score(row_features([mention(
        official="Kristinn", unit=None, confidence=0.7,
        sentence="Kristinn, người từng gặp bà Lan và ông Bình ở Hà Nội; Chủ tịch nói.")]))
    assert supported > scorer.threshold > doubtful


def test_a_scorer_of_other_features_is_refused(tmp_path):
    card = json.loads((ROOT / "vietgov" / "data" / "row_scorer.json").read_text(encoding="utf-8"))
    card["features"] = card["features"][:-1]
    (tmp_path / "s.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ValueError, match="train it again"):
        RowScorer.load(tmp_path / "s.json")


def judged(path, n=400, bad_line=None, seed=0):
    """Judged rows whose label follows the confidence and the unit: a fit must find both."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        f = {name: rng.random() for name in FEATURES}
        f["conf_logit"] = rng.uniform(-3, 6)
        f["has_unit"] = float(rng.random() < 0.5)
        right = rng.random() < 1 / (1 + 2.718 ** -(f["conf_logit"] - 1 + 2 * f["has_unit"]))
        lines.append(json.dumps({"sample": f"s{i % 4}", "n": i, "label": "ok" if right else "wrong", "class": "",
                                 "party": i % 4 == 3, "features": f}))
    if bad_line is not None:
        lines[bad_line] = lines[bad_line].replace('"label": "ok"', '"label": "maybe"').replace(
            '"label": "wrong"', '"label": "maybe"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fit_on_judged_rows_reads_its_threshold_off_held_out_samples(tmp_path):
    from training.row_scorer import main

    data, out = judged(tmp_path / "judged.jsonl"), tmp_path / "scorer.json"
    later = judged(tmp_path / "later.jsonl", n=100, seed=1)
    assert main([str(ROOT / "configs" / "row-scorer.cfg"), "--row_scorer.data", str(data),
                 "--row_scorer.output", str(out), "--row_scorer.target_precision", "0.85",
                 "--row_scorer.heldout", str(later)]) == 0
    card = json.loads(out.read_text(encoding="utf-8"))
    held = card["held_out_by_sample"]
    assert held["auc"] > 0.75 and held["at_threshold"]["whole"]["precision"] >= 0.85
    scorer = RowScorer.load(out)
    weights = dict(zip(FEATURES, scorer.weights))
    assert weights["conf_logit"] > 0.5 and weights["has_unit"] > 0.3
    assert scorer.threshold == card["threshold"] and 0.5 <= scorer.threshold < 0.96
    # rows judged after the fit: per sample, how many it keeps were right, as the scorer itself decides
    rows = [json.loads(line) for line in later.read_text(encoding="utf-8").splitlines()]
    for sample, report in card["heldout"].items():
        mine = [r for r in rows if r["sample"] == sample]
        kept = [r for r in mine if scorer.score([r["features"][f] for f in FEATURES]) >= scorer.threshold]
        assert report == {"rows": len(mine), "right": sum(r["label"] == "ok" for r in mine), "kept": len(kept),
                          "kept_right": sum(r["label"] == "ok" for r in kept)}
    assert sum(r["rows"] for r in card["heldout"].values()) == 100


def test_a_bad_label_names_its_line_and_leaves_the_scorer(tmp_path):
    from training.row_scorer import main

    data, out = judged(tmp_path / "judged.jsonl", bad_line=6), tmp_path / "scorer.json"
    out.write_text("previous", encoding="utf-8")
    with pytest.raises(ValueError, match=r"judged.jsonl:7: label 'maybe'"):
        main([str(ROOT / "configs" / "row-scorer.cfg"), "--row_scorer.data", str(data),
              "--row_scorer.output", str(out)])
    assert out.read_text(encoding="utf-8") == "previous"
