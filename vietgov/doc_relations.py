"""Relations and positions on a Doc: HAS_TITLE and TITLE_OF between entities of one sentence, and
(official, title, unit) triples composed from them.

`doc._.relations` lists `Relation(head, tail, label)` with spaCy Spans;
`doc._.positions` composes them into distinct `Position(official, title, unit)`
triples, each at its first mention (unit None when the title has none in its
sentence); `compose_positions` gives every mention. The relations are stored in
`doc._.relation_offsets` as token offsets and labels, so docs stay serialisable;
`doc._.relation_scores` holds, in the same order, the probability the learned
classifier gave each relation (None from the rule baseline), and `doc._.unlinked_unit_scores`, for each title
it gave no unit (by token start), the highest probability it gave any unit of the sentence (None from the rules).

"""
from __future__ import annotations

from typing import Iterable, NamedTuple

from spacy.tokens import Doc, Span

from .normalize import plain_text


class Relation(NamedTuple):
    head: Span
    tail: Span
    label: str


class Position(NamedTuple):
    official: Span
    title: Span
    unit: Span | None


def _relations(doc: Doc) -> list[Relation]:
    return [
        Relation(Span(doc, hs, he, label=hl), Span(doc, ts, te, label=tl), label)
        for hs, he, hl, ts, te, tl, label in doc._.relation_offsets
    ]


def compose_positions(relations, distinct: bool = False) -> list[Position]:
    """(official, title, unit) triples from (head, tail, label) relations; unit None for a title without one.
    `distinct`: one triple per fact, at its first mention (an article names a post more than once)."""
    units_of: dict[tuple[int, int], list[Span]] = {}
    for head, tail, label in relations:
        if label == "TITLE_OF":
            units_of.setdefault((head.start, head.end), []).append(tail)
    out = []
    for head, tail, label in relations:
        if label == "HAS_TITLE":
            for unit in units_of.get((tail.start, tail.end), [None]):
                out.append(Position(head, tail, unit))
    return distinct_positions(sorted(out, key=lambda p: p.official.start)) if distinct else out


def distinct_positions(positions: Iterable[Position]) -> list[Position]:
    """One position per fact (the same official, title and unit, as written), at its first mention."""
    seen: dict[tuple, Position] = {}
    for p in positions:
        seen.setdefault(tuple(_fact_text(x) for x in p), p)
    return list(seen.values())


def _fact_text(span: Span | None) -> str | None:
    return " ".join(plain_text(span.text).split()) if span is not None else None


def _positions(doc: Doc) -> list[Position]:
    return compose_positions(doc._.relations, distinct=True)


def register_extensions() -> None:
    from .canonical import register_extensions as register_canonical

    register_canonical()  # span._.canonical, ._.completed, ._.successor
    if not Doc.has_extension("relation_offsets"):
        Doc.set_extension("relation_offsets", default=[])
    if not Doc.has_extension("relation_scores"):
        Doc.set_extension("relation_scores", default=None)
    if not Doc.has_extension("unlinked_unit_scores"):
        Doc.set_extension("unlinked_unit_scores", default=None)
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", getter=_relations)
    if not Doc.has_extension("positions"):
        Doc.set_extension("positions", getter=_positions)


def set_relations(doc: Doc, relations: list[tuple[Span, Span, str]], scores: list[float] | None = None) -> None:
    doc._.relation_offsets = [(h.start, h.end, h.label_, t.start, t.end, t.label_, label) for h, t, label in relations]
    doc._.relation_scores = scores
