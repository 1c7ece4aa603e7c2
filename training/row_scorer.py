"""Fit the row scorer of the positions database (`vietgov.positions.scores`) on rows judged by hand.

    python -m training.row_scorer configs/row-scorer.cfg [--row_scorer.key value ...]
    python -m training.row_scorer features JUDGED.jsonl --root DIR --output annotations/rows/judged.jsonl

`features` reads judged rows ({sample, n, label, class, db, official, title, unit, party}: `db` is
the database the row was drawn from, relative to --root) and adds each row's features, computed
from its mentions in that database by the code that scores rows at run time. The fit holds out
one sample at a time to measure how well the scores sort rows, and reads the threshold off those
held-out scores: the lowest at which the rows of `threshold_samples` were right
`target_precision` of the time. Rows judged after the fit (`heldout`) are scored too, and the card
says how many of those it keeps were right.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from vietgov.cli import staged
from vietgov.positions.scores import FEATURES, MENTION_COLUMNS, row_features
from vietgov.records import json_line, json_lines

from .config import run_with_config
from .config_schema import RowScorerConfig

THRESHOLDS = np.round(np.arange(0.5, 0.96, 0.01), 2)


def judged_features(rows: list[dict], root: Path) -> list[dict]:
    """Each judged row with the features of its mentions in the database it was drawn from."""
    out, conns = [], {}
    for i, row in enumerate(rows, 1):
        if row["db"] not in conns:
            conns[row["db"]] = sqlite3.connect(f"file:{root / row['db']}?mode=ro", uri=True)
        mentions = conns[row["db"]].execute(
            f"SELECT {', '.join(MENTION_COLUMNS)} FROM mentions WHERE official_key = ? AND title_key = ? "
            "AND unit_key IS ? ORDER BY mention_id", (row["official"], row["title"], row["unit"])).fetchall()
        if not mentions:
            raise ValueError(f"row {i} ({row['sample']} #{row['n']}): no mentions of {row['official']!r}, "
                             f"{row['title']!r}, {row['unit']!r} in {row['db']}")
        kept = {k: v for k, v in row.items() if k != "db"}
        out.append({**kept, "build": row["db"], "features": dict(zip(FEATURES, row_features(mentions)))})
    return out


def load_judged(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels (right or not), samples and whether each row was drawn from party news (judged rows of
    the training file or of the held-out one)."""
    X, y, samples, party = [], [], [], []
    for i, row in json_lines(path):
        if tuple(row["features"]) != FEATURES:
            raise ValueError(f"{path}:{i}: its features are not vietgov.positions.scores.FEATURES; compute them "
                             "again (python -m training.row_scorer features)")
        if row["label"] not in ("ok", "wrong"):
            raise ValueError(f"{path}:{i}: label {row['label']!r} is neither 'ok' nor 'wrong'")
        X.append([row["features"][f] for f in FEATURES])
        y.append(row["label"] == "ok")
        samples.append(row["sample"])
        party.append(bool(row["party"]))
    return np.array(X), np.array(y), np.array(samples), np.array(party)


def fit(X: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    mean, scale = X.mean(0), X.std(0)
    scale[scale == 0] = 1.0
    return mean, scale, LogisticRegression(C=c, max_iter=5000).fit((X - mean) / scale, y)


def held_out_scores(X: np.ndarray, y: np.ndarray, samples: np.ndarray, c: float) -> np.ndarray:
    """Each row scored by the model fitted on the other samples."""
    scores = np.zeros(len(y))
    for sample in np.unique(samples):
        test = samples == sample
        mean, scale, model = fit(X[~test], y[~test], c)
        scores[test] = model.predict_proba((X[test] - mean) / scale)[:, 1]
    return scores


def at(scores: np.ndarray, y: np.ndarray, keep: np.ndarray, t: float) -> dict:
    kept = keep & (scores >= t)
    return {"rows": int(keep.sum()), "kept": int(kept.sum()),
            "precision": round(float(y[kept].mean()), 3) if kept.any() else None,
            "right_rows_kept": round(float((kept & y).sum() / max((keep & y).sum(), 1)), 3)}


def train(config) -> None:
    cfg = config["row_scorer"]
    data = Path(cfg["data"])
    X, y, samples, party = load_judged(data)
    scores = held_out_scores(X, y, samples, cfg["c"])
    chosen = {"whole": ~party, "party": party, "all": np.ones(len(y), bool)}[cfg["threshold_samples"]]
    reached = [t for t in THRESHOLDS if (p := at(scores, y, chosen, t)["precision"]) is not None
               and p >= cfg["target_precision"]]
    if not reached:
        raise SystemExit(f"error: no threshold up to {THRESHOLDS[-1]} reaches precision "
                         f"{cfg['target_precision']} on the held-out {cfg['threshold_samples']} rows")
    threshold = float(reached[0])
    mean, scale, model = fit(X, y, cfg["c"])
    confidence = X[:, FEATURES.index("conf_logit")]
    held_out = {
        "auc": round(float(roc_auc_score(y, scores)), 3),
        "auc_confidence_alone": round(float(roc_auc_score(y, confidence)), 3),
        "right_share": round(float(y.mean()), 3),
        "at_threshold": {name: at(scores, y, keep, threshold)
                         for name, keep in (("whole", ~party), ("party", party), ("all", np.ones(len(y), bool)))},
    }
    card = {
        "features": list(FEATURES),
        "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
        "weights": model.coef_[0].round(6).tolist(), "intercept": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "version": f"{date.today().isoformat()}-{hashlib.sha256(data.read_bytes()).hexdigest()[:8]}",
        "data": {"file": str(data), "rows": int(len(y)), "samples": int(len(np.unique(samples))),
                 "party_rows": int(party.sum())},
        "config": dict(cfg),
        "held_out_by_sample": held_out,
    }
    if cfg["heldout"]:
        card["heldout"] = heldout_report(Path(cfg["heldout"]), mean, scale, model, threshold)
    output = cfg["output"]
    with staged(output) as out:  # a failed run leaves the last scorer in place
        out.write(json.dumps(card, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(y)} judged rows from {card['data']['samples']} samples, right {held_out['right_share']}; held out "
          f"by sample: AUC {held_out['auc']} (confidence alone {held_out['auc_confidence_alone']})")
    for name, r in held_out["at_threshold"].items():
        print(f"  score >= {threshold}: {name} rows {r['kept']}/{r['rows']} kept, precision {r['precision']}, "
              f"right rows kept {r['right_rows_kept']}")
    for sample, r in card.get("heldout", {}).items():
        print(f"  held-out sample {sample}: {r['right']}/{r['rows']} right; scored >= {threshold}: "
              f"{r['kept_right']}/{r['kept']}")
    print(f"wrote {output}")


def heldout_report(path: Path, mean: np.ndarray, scale: np.ndarray, model: LogisticRegression,
                   threshold: float) -> dict:
    """Per sample of rows judged after the fit (never fitted on): how many were right, and how many of those the
    scorer keeps were."""
    X, y, samples, _ = load_judged(path)
    kept = model.predict_proba((X - mean) / scale)[:, 1] >= threshold
    return {str(sample): {"rows": int((samples == sample).sum()), "right": int(y[samples == sample].sum()),
                          "kept": int(kept[samples == sample].sum()),
                          "kept_right": int((kept & y)[samples == sample].sum())}
            for sample in dict.fromkeys(samples)}


def features_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.row_scorer features")
    parser.add_argument("judged", type=Path)
    parser.add_argument("--root", type=Path, default=Path("."), help="the folder the rows' `db` paths are under")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = judged_features([row for _, row in json_lines(args.judged)], args.root)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with staged(str(args.output)) as out:
        out.writelines(json_line(row) for row in rows)
    print(f"wrote {len(rows)} rows to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["features"]:
        return features_main(argv[1:])
    return run_with_config(train, __doc__, RowScorerConfig, argv)


if __name__ == "__main__":
    sys.exit(main())
