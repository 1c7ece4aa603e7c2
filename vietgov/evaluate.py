"""Score a pipeline against gold records: exact character spans and labels, plus seqeval where installed.

Gold is annotated articles (records), run through the whole pipeline from their text, or word-level data
(`vietgov.words.TaggedTokens`), scored twice: on its own words (the components run on `words_doc`s, as the
model was trained), and on its text through the pipeline's tokenizer (`raw_text`), which segments anew.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Iterable, Sequence

from .decoding import iob_tags
from .doc_relations import compose_positions
from .records import Record, RecordError, json_lines
from .schema import LABELS, RELATION_TYPES
from .words import TaggedTokens, example_record, words_doc

logger = logging.getLogger(__name__)


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def span_scores(gold: Iterable[set], pred: Iterable[set], labels: Iterable[str]) -> dict:
    """P/R/F1 per label and micro over sets of (start, end, label) tuples, one set per document."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        for item in p & g:
            tp[item[-1]] += 1
        for item in p - g:
            fp[item[-1]] += 1
        for item in g - p:
            fn[item[-1]] += 1
    labels = sorted(set(labels) | set(tp) | set(fp) | set(fn))
    per_label = {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in labels}
    # macro: the unweighted mean over the labels that occur in gold or predictions (as seqeval's macro avg)
    seen = [per_label[lab] for lab in labels if tp[lab] + fp[lab] + fn[lab]]
    return {
        "micro": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "macro": {m: sum(s[m] for s in seen) / len(seen) if seen else 0.0 for m in ("precision", "recall", "f1")},
        "per_label": per_label,
    }


def entity_set(rec: Record) -> set:
    return {(e.start, e.end, e.label) for e in rec.entities}


def relation_set(rec: Record) -> set:
    """Relations as (head span, tail span, type): they match only when both arguments match exactly."""
    by_id = {e.id: e for e in rec.entities}
    return {
        (by_id[r.head].start, by_id[r.head].end, by_id[r.head].label,
         by_id[r.tail].start, by_id[r.tail].end, by_id[r.tail].label, r.type)
        for r in rec.relations if r.head in by_id and r.tail in by_id
    }


def compare_records(gold: list[Record], other: list[Record]) -> dict:
    """Entity and relation agreement of two annotations of the same texts, matched by record id."""
    by_id = {r.id: r for r in other}
    missing = [r.id for r in gold if r.id not in by_id]
    if missing:
        raise ValueError(f"records missing from the second set: {', '.join(missing)}")
    for r in gold:
        if by_id[r.id].text != r.text:
            raise ValueError(f"record {r.id}: the two texts differ")
    pairs = [(r, by_id[r.id]) for r in gold]
    return {
        "docs": len(pairs),
        "entities": span_scores([entity_set(a) for a, _ in pairs], [entity_set(b) for _, b in pairs], LABELS),
        "relations": span_scores([relation_set(a) for a, _ in pairs], [relation_set(b) for _, b in pairs],
                                 RELATION_TYPES),
    }


def position_set(rec: Record) -> set:
    """(official, title, unit) character spans composed from the gold relations."""
    by_id = {e.id: e for e in rec.entities}
    # record entities have character start/end as spans have token ones: composed alike
    relations = [(by_id[r.head], by_id[r.tail], r.type) for r in rec.relations]
    return {((o.start, o.end), (t.start, t.end), (u.start, u.end) if u is not None else None, "POSITION")
            for o, t, u in compose_positions(relations)}


def relation_tuples(relations) -> set:
    """(head span, tail span, type) with character offsets, from (head, tail, label[, probability]) Span tuples."""
    return {(h.start_char, h.end_char, h.label_, t.start_char, t.end_char, t.label_, label)
            for h, t, label, *_ in relations}


def predicted_relations(doc) -> set:
    return relation_tuples(doc._.relations)


def position_tuples(positions) -> set:
    return {((o.start_char, o.end_char), (t.start_char, t.end_char),
             (u.start_char, u.end_char) if u is not None else None, "POSITION") for o, t, u in positions}


def predicted_positions(doc) -> set:
    """Every mention of a position, as the gold lists them (doc._.positions keeps one per fact)."""
    return position_tuples(compose_positions(doc._.relations))


def gold_spans(doc, rec: Record) -> list:
    """The gold entities as spans of `doc`, expanded to its tokens; of two that then overlap, the first."""
    spans, used = [], set()
    for e in sorted(rec.entities, key=lambda e: e.start):
        span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
        if span is not None and not used & set(range(span.start, span.end)):
            spans.append(span)
            used |= set(range(span.start, span.end))
    return spans


def relation_pipe(nlp) -> str | None:
    """The name of the pipeline's relation component, if it has one."""
    names = [n for n in nlp.pipe_names if "doc._.relation_offsets" in nlp.get_pipe_meta(n).assigns]
    return names[-1] if names else None


def with_gold_entities(docs, records: list[Record]) -> list:
    """Copies of `docs` (their doc.tensor kept for a relation model) whose ents are the records' gold entities."""
    copies = [doc.copy() for doc in docs]
    for doc, rec in zip(copies, records):
        doc.ents = gold_spans(doc, rec)
    return copies


def relation_scores(nlp, records: list[Record], docs) -> dict:
    """Relation and position-triple P/R/F1 end to end, and relations from gold entities.

    A learned relation component is compared with the rule baseline on the same entities.
    """
    from .relation_rules import RelationExtractor, rule_relations

    component = nlp.get_pipe(relation_pipe(nlp))
    gold_docs = list(component.pipe(with_gold_entities(docs, records)))
    gold_rel = [relation_set(r) for r in records]
    scores = {
        "end_to_end": span_scores(gold_rel, [predicted_relations(d) for d in docs], RELATION_TYPES),
        "gold_entities": span_scores(gold_rel, [predicted_relations(d) for d in gold_docs], RELATION_TYPES),
        "positions": span_scores([position_set(r) for r in records], [predicted_positions(d) for d in docs],
                                 ["POSITION"])["micro"],
    }
    if not isinstance(component, RelationExtractor):
        rules = {mode: [rule_relations(d) for d in mode_docs] for mode, mode_docs in
                 (("end_to_end", docs), ("gold_entities", gold_docs))}
        scores["rules"] = {mode: span_scores(gold_rel, [relation_tuples(r) for r in found], RELATION_TYPES)
                           for mode, found in rules.items()}
        scores["rules"]["positions"] = span_scores(
            [position_set(r) for r in records], [position_tuples(compose_positions(r)) for r in rules["end_to_end"]],
            ["POSITION"])["micro"]
    return scores


# ---------------------------------------------------------------------------------------------------------
# canonical names (annotations/canonical/*.jsonl)

CANONICAL_LABELS = ("OFFICIAL", "UNIT")


def read_canonical(path, records: list[Record]) -> dict[str, dict[int, dict]]:
    """Gold canonical names: {record id: {entity id: {"label", "text", "canonical", "completed"}}}, checked against
    the records (every entity named must be one of theirs, with that label and text)."""
    by_id = {r.id: r for r in records}
    out: dict[str, dict[int, dict]] = {}
    for line, obj in json_lines(path):
        rec = by_id.get(obj.get("id")) if isinstance(obj, dict) else None
        if rec is None:
            raise RecordError(f"record {obj.get('id') if isinstance(obj, dict) else obj!r} is not in the gold records",
                              path, line)
        ents = {e.id: e for e in rec.entities}
        for item in obj.get("entities", []):
            ent = ents.get(item.get("id"))
            if ent is None or ent.label != item.get("label") or rec.span_text(ent) != item.get("text"):
                raise RecordError(f"record {rec.id} entity {item.get('id')}: {item.get('label')} {item.get('text')!r} "
                                  f"is not an entity of the record", path, line)
            if not (item.get("canonical") is None or isinstance(item["canonical"], str)):
                raise RecordError(f"record {rec.id} entity {ent.id}: canonical must be a string or null", path, line)
            out.setdefault(rec.id, {})[ent.id] = {"label": ent.label, "text": item["text"],
                                                  "canonical": item.get("canonical"),
                                                  "completed": bool(item.get("completed", False))}
    return out


def _own_name(label: str, text: str) -> str:
    from .canonical import canonical_name, canonical_unit

    return canonical_name(text) if label == "OFFICIAL" else canonical_unit(text)


def _canonical_counts(pairs) -> dict:
    """pairs: (label, gold item, predicted (canonical, completed) or None when the entity was not predicted)."""
    out = {}
    for label, key, flag in (("OFFICIAL", "officials", "linked"), ("UNIT", "units", "completed")):
        items = [(g, p) for lab, g, p in pairs if lab == label]
        correct = sum(p is not None and p[0] == g["canonical"] for g, p in items)
        if label == "OFFICIAL":
            # linked: a partial name given another, longer name (the non-trivial decisions)
            gold_flag = [g["canonical"] is not None and g["canonical"] != _own_name(label, g["text"]) for g, _ in items]
            pred_flag = [p is not None and p[0] is not None and p[0] != _own_name(label, g["text"]) for g, p in items]
        else:
            gold_flag = [g["completed"] for g, _ in items]
            pred_flag = [p is not None and p[1] for _, p in items]
        tp = sum(pf and gf and p[0] == g["canonical"] for (g, p), gf, pf in zip(items, gold_flag, pred_flag))
        found = sum(p is not None for _, p in items)
        out[key] = {"mentions": len(items), "correct": correct,
                    "accuracy": correct / len(items) if items else 0.0,
                    # end to end: of the gold mentions the pipeline found exactly, the share it named right
                    "found": found, "accuracy_found": correct / found if found else 0.0,
                    flag: prf(tp, sum(pred_flag) - tp, sum(gold_flag) - tp)}
        if label == "OFFICIAL":
            out[key]["unlinked"] = sum(p is not None and p[0] is None for _, p in items)
    return out


def record_canonical(rec: Record) -> dict[int, list]:
    """entity id -> [canonical, completed, successor] computed from the record's own (gold) entities and HAS_TITLE
    relations: canonicalisation and linking alone, whatever the tokenizer and the models make of the text."""
    from .canonical import Mention, canonical_mentions

    mentions = [Mention(e.id, e.label, rec.span_text(e), e.start, e.end) for e in sorted(rec.entities, key=lambda e: e.start)]
    titles: dict[int, set[str]] = {}
    for r in rec.relations:
        if r.type == "HAS_TITLE":
            titles.setdefault(r.head, set()).add(rec.span_text(rec.entity(r.tail)))
    return canonical_mentions(mentions, rec.text, titles)


def canonical_scores(records: list[Record], docs, gold: dict) -> dict:
    """Accuracy of canonical official and unit names against the gold: from the gold entities and relations
    (`gold_entities`: linking and canonicalisation alone) and end to end (a gold entity counts only where the
    pipeline found it exactly). Officials also: P/R of linking partial names; units: P/R of completion."""
    modes = {"gold_entities": [], "end_to_end": []}
    for rec, doc in zip(records, docs):
        wanted = gold.get(rec.id, {})
        if not wanted:
            continue
        from_gold = record_canonical(rec)
        by_ent = {e.id: e for e in rec.entities}
        predicted = {(e.start_char, e.end_char, e.label_): e for e in doc.ents}
        for ent_id, item in wanted.items():
            ent = by_ent[ent_id]
            modes["gold_entities"].append((item["label"], item, tuple(from_gold[ent_id][:2])))
            hit = predicted.get((ent.start, ent.end, ent.label))
            modes["end_to_end"].append((item["label"], item, (hit._.canonical, hit._.completed) if hit is not None
                                        else None))
    return {mode: _canonical_counts(pairs) for mode, pairs in modes.items()}


def entity_labels(nlp) -> list[str]:
    """The labels of the pipeline's entity recognizer (the last component that sets doc.ents)."""
    names = [n for n in nlp.pipe_names if "doc.ents" in nlp.get_pipe_meta(n).assigns]
    return list(getattr(nlp.get_pipe(names[-1]), "labels", ())) if names else []


def evaluate(nlp, gold: Sequence[Record] | Sequence[TaggedTokens], batch_size: int = 64,
             canonical: dict | None = None) -> dict:
    """Score entities (and relations, if the pipeline has them; and canonical names, given their gold) on
    annotated records or word-level examples."""
    return evaluation(nlp, gold, batch_size, canonical)[0]


def evaluation(nlp, gold: Sequence[Record] | Sequence[TaggedTokens], batch_size: int = 64,
               canonical: dict | None = None) -> tuple[dict, list[Record], list]:
    """(scores, gold records, the pipeline's docs): word-level examples are scored on their words, with the
    scores on their text through the tokenizer under `raw_text`; their records are `example_record`s, whose
    text is that of their docs."""
    docs, seconds = run_pipeline(nlp, gold, batch_size)
    records = gold_records(gold)
    tagged = is_tagged(gold)  # word-level data holds no relations to score
    scores = score_docs(nlp, records, docs, seconds, relations=not tagged, canonical=canonical)
    if tagged:
        scores["raw_text"] = score_docs(nlp, records, *run_pipeline(nlp, records, batch_size), relations=False)
    return scores, records, docs


def is_tagged(gold: Sequence[Record] | Sequence[TaggedTokens]) -> bool:
    """Whether the gold is word-level examples rather than annotated records."""
    return bool(gold) and isinstance(gold[0], TaggedTokens)


def gold_records(gold: Sequence[Record] | Sequence[TaggedTokens]) -> list[Record]:
    return [example_record(ex) for ex in gold] if is_tagged(gold) else list(gold)


def run_pipeline(nlp, gold: Sequence[Record] | Sequence[TaggedTokens], batch_size: int = 64) -> tuple[list, float]:
    """The pipeline's docs for the records' texts or the examples' words, and the seconds it took."""
    started = time.perf_counter()
    if is_tagged(gold):
        inputs = (words_doc(nlp, ex.tokens, ex.sentence_starts) for ex in gold)
    else:
        inputs = (r.text for r in gold)
    docs = list(nlp.pipe(inputs, batch_size=batch_size))
    return docs, time.perf_counter() - started


def score_docs(nlp, records: list[Record], docs: list, seconds: float, relations: bool = True,
               canonical: dict | None = None) -> dict:
    """Entity (and, with `relations`, relation) scores of the pipeline's docs against the records; with
    `canonical` (read_canonical), the accuracy of canonical names too."""
    gold_sets = [{(e.start, e.end, e.label) for e in rec.entities} for rec in records]
    pred_sets = [{(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in docs]
    extra = {"relations": relation_scores(nlp, records, docs)} if relations and relation_pipe(nlp) else {}
    if canonical is not None:
        extra["canonical"] = canonical_scores(records, docs, canonical)
    return {
        "docs": len(records),
        "seconds": seconds,
        "docs_per_second": len(records) / seconds if seconds else 0.0,
        "entities": span_scores(gold_sets, pred_sets, entity_labels(nlp)),
        **seqeval_scores(records, docs),
        **extra,
    }


def seqeval_scores(records: list[Record], docs: list) -> dict:
    """seqeval's strict IOB2 report over the pipeline's tokens, where seqeval is installed (an optional
    dependency: the span scores above do not need it)."""
    try:
        from seqeval.metrics import classification_report
        from seqeval.scheme import IOB2
    except ImportError:
        logger.warning("seqeval is not installed: the token-level report is left out (pip install seqeval)")
        return {}
    gold_tags = [iob_tags(doc, gold_spans(doc, rec)) for rec, doc in zip(records, docs)]
    pred_tags = [iob_tags(doc) for doc in docs]
    report = classification_report(gold_tags, pred_tags, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    return {"seqeval": {k: {m: float(v) for m, v in d.items()} for k, d in report.items()}}


def format_report(scores: dict) -> str:
    ents = scores["entities"]
    width = max([10] + [len(lab) + 2 for lab in ents["per_label"]])
    lines = [f"{'label':<{width}}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}"]
    for lab, s in list(ents["per_label"].items()) + [("micro", ents["micro"])]:
        lines.append(f"{lab:<{width}}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['tp'] + s['fn']:>7}")
    if "macro" in ents:
        m = ents["macro"]
        lines.append(f"{'macro':<{width}}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    if "seqeval" in scores:
        lines.append(f"seqeval token-level micro F1 {scores['seqeval'].get('micro avg', {}).get('f1-score', 0.0):.3f}")
    if "raw_text" in scores:
        raw = scores["raw_text"]["entities"]
        lines.append("the scores above are on the gold words; on their text through the tokenizer: micro "
                     f"P {raw['micro']['precision']:.3f} R {raw['micro']['recall']:.3f} F1 {raw['micro']['f1']:.3f},"
                     f" macro F1 {raw['macro']['f1']:.3f}")
    if "relations" in scores:
        rel = scores["relations"]
        for source, scores_of in (("", rel), ("rule baseline ", rel.get("rules", {}))):
            for mode, mode_scores in scores_of.items():
                if mode in ("end_to_end", "gold_entities"):
                    lines.append(f"{source}relations ({mode.replace('_', ' ')}): " + ", ".join(
                        f"{k} F1 {v['f1']:.3f}" for k, v in mode_scores["per_label"].items())
                        + f", micro F1 {mode_scores['micro']['f1']:.3f}")
        lines.append(f"position triples F1 {rel['positions']['f1']:.3f}"
                     + (f" (rule baseline {rel['rules']['positions']['f1']:.3f})" if "rules" in rel else ""))
    for mode, canonical in scores.get("canonical", {}).items():
        o, u = canonical["officials"], canonical["units"]
        found = (lambda c: f", {c['accuracy_found']:.3f} of the {c['found']} found") if mode == "end_to_end" else (
            lambda c: "")
        lines.append(f"canonical names ({mode.replace('_', ' ')}): officials accuracy {o['accuracy']:.3f} "
                     f"({o['mentions']}{found(o)}; partial names linked P {o['linked']['precision']:.3f} "
                     f"R {o['linked']['recall']:.3f}, {o['unlinked']} left ambiguous), units accuracy "
                     f"{u['accuracy']:.3f} ({u['mentions']}{found(u)}; completed P {u['completed']['precision']:.3f} "
                     f"R {u['completed']['recall']:.3f})")
    lines.append(f"{scores['docs']} docs, {scores['docs_per_second']:.1f} docs/s")
    return "\n".join(lines)
