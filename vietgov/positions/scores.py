"""How likely a row of the positions view is right: a logistic regression over what its mentions show.

A row's `confidence` (its best mention's lowest entity or relation probability) sorts rows
less well than a model of the row's own evidence: of 1,230 rows judged by hand against their
articles, 0.75 were right; 0.81 of those whose unit follows the title (0.61 of the others),
0.89 of those with two or more mentions (0.68), 0.79 of those whose name reads as
Vietnamese (0.55). The weights (`vietgov/data/row_scorer.json`) are fitted by
`training/row_scorer.py` on those judged rows. Every feature is read from the row's own
mentions, so a row's score does not depend on the size of the corpus it came from.
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Sequence

DEFAULT_SCORER = Path(__file__).resolve().parent.parent / "data" / "row_scorer.json"

# a Vietnamese syllable: onset, vowels, coda; a foreign name (`Kristinn`, `Hrafnsson`) fails it
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưyàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ]+"
    r"(?:ch|ng|nh|[cmnpt])?")

FEATURES = (
    "conf_logit", "articles", "mentions", "has_unit", "unit_completed", "former",
    "official_syllables", "official_one", "official_vi", "title_syllables", "title_lower", "unit_syllables",
    "adjacent", "gap", "gap_comma", "gap_semicolon", "gap_paren", "gap_dash", "sentence_len",
    "unit_gap", "unit_after_title",
)

# the mention columns `row_features` reads, in this order; rows are grouped by the first three
MENTION_COLUMNS = ("official_key", "title_key", "unit_key", "article_id", "confidence", "status", "title",
                   "unit_completed", "sentence", "sentence_start", "official_start", "official_end",
                   "title_start", "title_end", "unit_start", "unit_end")


def _between(text: str, a: tuple[int, int], b: tuple[int, int]) -> str:
    (_, end), (start, _) = sorted([a, b])
    return text[end:start] if start >= end else ""


def _logit(p: float) -> float:
    return math.log(p + 1e-4) - math.log(1 - p + 1e-4)


def row_features(mentions: Sequence[Sequence]) -> list[float]:
    """The FEATURES of one (official, title, unit) row from its mentions (MENTION_COLUMNS), read at the mention
    of highest confidence (the first of equals); a mention without a confidence counts as 0.5."""
    official, title, unit = mentions[0][:3]
    confs = [m[4] if m[4] is not None else 0.5 for m in mentions]
    best = mentions[max(range(len(mentions)), key=confs.__getitem__)]
    (_, _, _, _, _, status, title_text, completed, sentence, s0, o0, o1, t0, t1, u0, u1) = best
    o, t = (o0 - s0, o1 - s0), (t0 - s0, t1 - s0)
    gap = _between(sentence, o, t)
    names = official.split()
    u = (u0 - s0, u1 - s0) if unit is not None and u0 is not None else None
    f = {
        "conf_logit": _logit(max(confs)),
        "articles": math.log1p(len({m[3] for m in mentions})),
        "mentions": math.log1p(len(mentions)),
        "has_unit": float(unit is not None),
        "unit_completed": float(any(m[7] for m in mentions)),
        "former": float(status == "former"),
        "official_syllables": min(len(names), 5) / 5,
        "official_one": float(len(names) == 1),
        "official_vi": float(all(_VI_SYLLABLE.fullmatch(n.lower()) for n in names)),
        "title_syllables": min(len(title.split()), 6) / 6,
        "title_lower": float(title_text[:1].islower()),
        "unit_syllables": min(len(unit.split()), 12) / 12 if unit else 0.0,
        "adjacent": float(not gap.strip()),
        "gap": math.log1p(len(gap)),
        "gap_comma": float("," in gap),
        "gap_semicolon": float(";" in gap),
        "gap_paren": float("(" in gap or ")" in gap),
        "gap_dash": float("-" in gap or "–" in gap),
        "sentence_len": math.log1p(len(sentence)),
        "unit_gap": math.log1p(len(_between(sentence, t, u))) if u else 0.0,
        "unit_after_title": float(u is not None and u[0] >= t[1]),
    }
    return [f[name] for name in FEATURES]


@dataclass(frozen=True)
class RowScorer:
    """Standardised features, weights and intercept of a logistic regression, and the score from which a row
    counts as confident (`confident_positions`)."""
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float
    version: str

    @classmethod
    def load(cls, path: str | Path = DEFAULT_SCORER) -> "RowScorer":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: its features {data['features']} are not this version's {list(FEATURES)}; "
                             "train it again (make row-scorer)")
        return cls(tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]), data["intercept"],
                   data["threshold"], data["version"])

    def score(self, features: Sequence[float]) -> float:
        z = self.intercept + sum(w * (x - m) / s for x, m, s, w in zip(features, self.mean, self.scale, self.weights))
        return 1 / (1 + math.exp(-z))


def score_rows(conn: sqlite3.Connection, scorer: RowScorer) -> int:
    """Score every row of the positions view into `row_scores`, in one transaction; returns the number of rows."""
    mentions = conn.execute(f"SELECT {', '.join(MENTION_COLUMNS)} FROM mentions "
                            "ORDER BY official_key, title_key, unit_key, mention_id")
    scored = [(*key, scorer.score(row_features(list(group))))
              for key, group in groupby(mentions, key=lambda m: m[:3])]
    with conn:
        conn.execute("DELETE FROM row_scores")
        conn.executemany("INSERT INTO row_scores (official_key, title_key, unit_key, score) VALUES (?, ?, ?, ?)",
                         scored)
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         [("row_scorer", scorer.version), ("score_threshold", str(scorer.threshold))])
    return len(scored)
