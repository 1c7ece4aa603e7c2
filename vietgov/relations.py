"""HAS_TITLE and TITLE_OF between entities of one sentence, and position triples.

`doc._.relations` lists `Relation(head, tail, label)` with spaCy Spans;
`doc._.positions` composes them into distinct `Position(official, title, unit)`
triples, each at its first mention (unit None when the title has none in its
sentence); `compose_positions` gives every mention. The relations are stored in
`doc._.relation_offsets` as token offsets and labels, so docs stay serialisable;
`doc._.relation_scores` holds, in the same order, the probability the learned
classifier gave each relation (None from the rule baseline).

The `vietgov_relations` component here is the rule baseline: titles link to the
unit written right after them (or after `của`, or shared through `kiêm`/`và`),
and to the official they stand before (pre-nominal) or after (apposition).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterable, Iterator, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from .normalize import plain_text
from .sentences import token_sentence_starts


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
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", getter=_relations)
    if not Doc.has_extension("positions"):
        Doc.set_extension("positions", getter=_positions)


def set_relations(doc: Doc, relations: list[tuple[Span, Span, str]], scores: list[float] | None = None) -> None:
    doc._.relation_offsets = [(h.start, h.end, h.label_, t.start, t.end, t.label_, label) for h, t, label in relations]
    doc._.relation_scores = scores


def sentence_entities(doc: Doc) -> list[list[Span]]:
    """doc.ents grouped by sentence (vietgov.sentences), in order."""
    starts = token_sentence_starts(doc)
    groups: dict[int, list[Span]] = {}
    for ent in doc.ents:
        groups.setdefault(bisect_right(starts, ent.start), []).append(ent)
    return list(groups.values())


# what may stand between parts of one mention: punctuation and a few function words
_LINK = re.compile(r"^[\s,;()\-–]*(?:(?:kiêm|và|,)[\s,]*)?$")
_OF = re.compile(r"^\s*(?:của|thuộc)\s*$")
_SHARED = re.compile(r"^\s*(?:kiêm|và)\s*$")
# a verb that gives the preceding official the following title
_GIVEN = re.compile(
    r"^[^.;:!?()]{0,60}?(?<!\w)(?:giữ chức(?: vụ)?|giữ cương vị|làm|là|vào chức(?: vụ)?|tái cử|tái đắc cử|đảm nhận)\s*$"
    r"|^\s*[-–(]\s*$"
)
_COORDINATED = re.compile(r"^\s*(?:,|và)\s*(?:(?:đồng chí|ông|bà)\s+)?$")


def rule_relations(doc: Doc) -> list[tuple[Span, Span, str]]:
    """The rule baseline over every sentence."""
    out = []
    text = doc.text  # built anew on every access
    for ents in sentence_entities(doc):
        gaps = [plain_text(text[a.end_char : b.start_char]) for a, b in zip(ents, ents[1:])]
        # TITLE_OF: the unit right after a title, after `của`, or shared through `kiêm`/`và`
        unit_of: dict[int, Span] = {}
        for i in range(len(ents) - 1, -1, -1):
            if ents[i].label_ != "TITLE" or i + 1 >= len(ents):
                continue
            nxt, gap = ents[i + 1], gaps[i]
            if nxt.label_ == "UNIT" and (not gap.strip() or _OF.match(gap)):
                unit_of[i] = nxt
            elif nxt.label_ == "TITLE" and _SHARED.match(gap) and (i + 1) in unit_of:
                unit_of[i] = unit_of[i + 1]
        out += [(ents[i], unit, "TITLE_OF") for i, unit in sorted(unit_of.items())]
        # HAS_TITLE: pre-nominal titles go to the official right after them, the rest to the one before
        for i, ent in enumerate(ents):
            if ent.label_ != "TITLE":
                continue
            owner = None
            j = i + 1
            while j < len(ents) and ents[j].label_ in ("TITLE", "UNIT") and _LINK.match(gaps[j - 1]):
                j += 1
            if j < len(ents) and ents[j].label_ == "OFFICIAL" and not gaps[j - 1].strip():
                owner = [j]
            else:
                # back over an apposition chain; only the gap right before this title may be a verb
                # (`X, Chủ tịch UBND huyện, được bầu giữ chức [Bí thư]`)
                def joins(k: int) -> bool:
                    return bool(_LINK.match(gaps[k]) or (k == i - 1 and _GIVEN.match(gaps[k])))

                j = i - 1
                while j >= 0 and ents[j].label_ in ("TITLE", "UNIT") and joins(j):
                    j -= 1
                if j >= 0 and ents[j].label_ == "OFFICIAL" and joins(j):
                    owner = [j]
                    # `A và đồng chí B được bầu làm ...`: officials coordinated before the verb share the title
                    while (j == i - 1 and owner[-1] > 0 and ents[owner[-1] - 1].label_ == "OFFICIAL"
                           and _COORDINATED.match(gaps[owner[-1] - 1])):
                        owner.append(owner[-1] - 1)
            for k in owner or []:
                out.append((ents[k], ent, "HAS_TITLE"))
    return out


@Language.factory("vietgov_relations", assigns=["doc._.relation_offsets"], requires=["doc.ents"],
                  default_config={"method": "rules"})
def make_relations(nlp: Language, name: str, method: str) -> "RelationExtractor":
    return RelationExtractor(name, method)


class RelationExtractor:
    """Fills doc._.relations from doc.ents."""

    def __init__(self, name: str = "vietgov_relations", method: str = "rules"):
        if method != "rules":
            raise ValueError(f"[{name}] unknown method {method!r}: this version has 'rules'")
        self.name, self.method = name, method
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        set_relations(doc, rule_relations(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        return map(self, stream)
