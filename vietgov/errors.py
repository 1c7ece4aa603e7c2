"""An error report users can read: every missed and spurious entity and relation, classed and counted.

Entity classes: `wrong label` (same characters, other label), `wrong boundary`
(overlaps a gold entity of the same label), `wrong boundary and label`,
`missed` (no prediction overlaps it), `spurious` (overlaps no gold entity).
Relation classes: `missed` / `spurious` when both arguments are right, and
`argument error` when a missed or spurious relation has an argument that is
not a gold (or not a predicted) entity, so the cause is the entity model.
"""
from __future__ import annotations

from collections import Counter

from .evaluate import predicted_relations, relation_set
from .records import Record

CONTEXT = 40


def _quote(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT):start].replace("\n", "⏎")
    right = text[end:end + CONTEXT].replace("\n", "⏎")
    return f"…{left}[{text[start:end]}]{right}…"


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def entity_errors(rec: Record, doc) -> list[dict]:
    gold = {(e.start, e.end, e.label) for e in rec.entities}
    pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
    errors, explained = [], set()
    for p in sorted(pred - gold):
        hits = sorted(g for g in gold - pred if _overlaps(p, g))
        if not hits:
            kind = "spurious"
        elif any(g[:2] == p[:2] for g in hits):
            kind = "wrong label"
        elif any(g[2] == p[2] for g in hits):
            kind = "wrong boundary"
        else:
            kind = "wrong boundary and label"
        explained.update(hits)
        gold_text = "; ".join(f"{rec.text[g[0]:g[1]]!r} {g[2]}" for g in hits)
        errors.append({"class": kind, "label": p[2], "start": p[0], "end": p[1], "gold": gold_text,
                       "context": _quote(rec.text, p[0], p[1])})
    for g in sorted(gold - pred - explained):
        errors.append({"class": "missed", "label": g[2], "start": g[0], "end": g[1], "gold": "",
                       "context": _quote(rec.text, g[0], g[1])})
    return errors


def relation_errors(rec: Record, doc) -> list[dict]:
    gold_ents = {(e.start, e.end, e.label) for e in rec.entities}
    pred_ents = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
    gold, pred = relation_set(rec), predicted_relations(doc)
    errors = []
    for kind, rels, found in (("missed", gold - pred, pred_ents), ("spurious", pred - gold, gold_ents)):
        for r in sorted(rels):
            head, tail = r[0:3], r[3:6]
            cls = kind if head in found and tail in found else "argument error"
            start, end = min(head[0], tail[0]), max(head[1], tail[1])
            errors.append({"class": cls, "label": r[6], "start": start, "end": end, "gold": kind,
                           "context": f"{rec.text[head[0]:head[1]]!r} -> {rec.text[tail[0]:tail[1]]!r} in "
                                      + _quote(rec.text, start, end)})
    return errors


def error_report(records: list[Record], docs) -> tuple[dict, str]:
    """(counts by kind, class and label; the report as text, grouped by class and label)."""
    rows = {"entities": [], "relations": []}
    for rec, doc in zip(records, docs):
        rows["entities"] += [{"record": rec.id, **e} for e in entity_errors(rec, doc)]
        if doc.has_extension("relations"):
            rows["relations"] += [{"record": rec.id, **e} for e in relation_errors(rec, doc)]
    counts = {kind: dict(Counter(f"{r['class']} / {r['label']}" for r in found).most_common())
              for kind, found in rows.items()}
    lines = [f"# Errors on {len(records)} documents", ""]
    for kind, found in rows.items():
        by_class = Counter(r["class"] for r in found)
        lines.append(f"## {kind}: {len(found)} ({', '.join(f'{c} {n}' for c, n in by_class.most_common())})")
        for group, n in counts[kind].items():
            lines += ["", f"### {group}: {n}"]
            for r in found:
                if f"{r['class']} / {r['label']}" == group:
                    extra = f"  (gold: {r['gold']})" if kind == "entities" and r["gold"] else ""
                    lines.append(f"- {r['record']} @{r['start']}: {r['context']}{extra}")
        lines.append("")
    totals = {kind: dict(Counter(r["class"] for r in found)) for kind, found in rows.items()}
    return {"by_class": totals, "by_class_and_label": counts}, "\n".join(lines)
