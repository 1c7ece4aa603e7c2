"""What `nlp.evaluate` reads: gold records as spaCy Examples, and the relation scorer.

`record_example` turns an annotated record into an `Example` whose reference holds the gold entities
(`doc.ents`) and relations (`doc._.relation_offsets`). Its reference is the pipeline's tokens, cut again
at every gold entity boundary, so each gold entity is whole tokens and spaCy's entity scorer, which
compares token spans, gives the character-span scores of `vietgov evaluate`.

Relations are scored as `vietgov evaluate` scores them: a relation counts when its type and both
arguments' character spans and labels match a gold one.
"""
from __future__ import annotations

from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from .doc_relations import register_extensions, set_relations
from .evaluate import relation_tuples, span_scores
from .records import Record


def record_example(nlp: Language, record: Record) -> Example:
    """The record's text to predict on (`nlp.make_doc`), with its gold entities and relations as reference."""
    register_extensions()
    predicted = nlp.make_doc(record.text)
    reference = _cut_at(predicted, {b for e in record.entities for b in (e.start, e.end)})
    spans = {}
    for e in sorted(record.entities, key=lambda e: e.start):
        span = reference.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
        if span is not None and not any(s.start < span.end and span.start < s.end for s in spans.values()):
            spans[e.id] = span  # of two gold entities over the same tokens, the first (as vietgov evaluate)
    reference.ents = list(spans.values())  # also with none: the reference is annotated, all O
    set_relations(reference, [(spans[r.head], spans[r.tail], r.type) for r in record.relations
                              if r.head in spans and r.tail in spans])
    return Example(predicted, reference)


def _cut_at(doc: Doc, offsets: set[int]) -> Doc:
    """A copy of `doc`'s words with each token cut at the character offsets inside it."""
    words, spaces = [], []
    for token in doc:
        start, end = token.idx, token.idx + len(token)
        cuts = [start, *sorted(o for o in offsets if start < o < end), end]
        words += [doc.text[a:b] for a, b in zip(cuts, cuts[1:])]
        spaces += [False] * (len(cuts) - 2) + [bool(token.whitespace_)]
    return Doc(doc.vocab, words=words, spaces=spaces)


def relation_score(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """`rel_micro_p/r/f` and `rel_per_type` ({type: {p, r, f}}) of the predicted docs' `doc._.relations`
    against the references'. Keyword arguments (the component's cfg, which spaCy passes) are not used:
    the threshold has already decided which relations the docs hold."""
    examples = list(examples)
    scores = span_scores([relation_tuples(e.reference._.relations) for e in examples],
                         [relation_tuples(e.predicted._.relations) for e in examples], ())
    micro = scores["micro"]
    return {"rel_micro_p": micro["precision"], "rel_micro_r": micro["recall"], "rel_micro_f": micro["f1"],
            "rel_per_type": {label: {"p": s["precision"], "r": s["recall"], "f": s["f1"]}
                             for label, s in scores["per_label"].items()}}


@registry.scorers("vietgov.relation_scorer.v1")
def make_relation_scorer():
    return relation_score
