"""The rule baseline for relations (`vietgov_relations`): titles link to the unit written right after
them (or after `của`, or shared through `kiêm`/`và`), and to the official they stand before (pre-nominal)
or after (apposition).
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from . import scorers  # noqa: F401  registers vietgov.relation_scorer.v1 for the factory's default
from .doc_relations import register_extensions, set_relations
from .normalize import plain_text
from .schema import RELATION_TYPES
from .sentences import sentence_entities


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
# between a title (with its unit) and the name it stands before: nothing, an opening bracket (`Trưởng ban (ông
# A)`), `đối với` (`cách chức Bí thư đối với ông A`), a form of address in lower case (a capital `Ông` starts a
# sentence the splitter missed)
_BEFORE_NAME = re.compile(r"^[^\S\n]*\(?[^\S\n]*(?:đối với[^\S\n]+)?(?:(?:đồng chí|đ/c|ông|bà)[^\S\n]+)?$")


def prenominal_holders(doc: Doc) -> dict[int, int]:
    """Title start -> start of the official it stands right before (`Bí thư Tỉnh ủy Nguyễn Văn A`,
    `Phó Chủ tịch UBND tỉnh ông B`, `cách chức Bí thư đối với ông C`), its own units between them. In the
    real gold, 99% of such titles are that official's and no earlier one's (titles joined by a comma or `và`
    are not: `ông A, Trưởng phòng, Bí thư Thăng`); over the gold articles, of the predicted pairs that give
    such a title to an official written before it, 29 are wrong and 1 right.
    """
    out = {}
    text = doc.text
    for ents in sentence_entities(doc):
        for i, ent in enumerate(ents):
            if ent.label_ != "TITLE":
                continue
            j = i + 1
            while j < len(ents) and ents[j].label_ == "UNIT" and not text[ents[j - 1].end_char : ents[j].start_char].strip():
                j += 1
            if (j < len(ents) and ents[j].label_ == "OFFICIAL"
                    and _BEFORE_NAME.match(text[ents[j - 1].end_char : ents[j].start_char])):
                out[ent.start] = ents[j].start
    return out


# what stands between an official and the titles written after it about him: commas, dashes, brackets
_APPOSITION = re.compile(r"^[^\S\n]*(?:[,(\-–][^\S\n]*)*$")


def appositive_holders(doc: Doc, prenominal: dict[int, int] | None = None) -> dict[int, int]:
    """Title start -> start of the official it follows in apposition (`ông A, Trưởng phòng X, Bí thư Chi bộ`,
    `A - Giám đốc`, `A (Trưởng ban)`), through titles and units joined by commas, dashes or brackets; not a
    title written right before a name (`prenominal_holders`) or joined by a comma to one that is (`Thủ tướng A,
    Tổng bí thư, Chủ tịch nước B`). Over the gold articles, of the predicted pairs that give such a title to an
    official written after it, 36 are wrong and 1 right.
    """
    prenominal = prenominal_holders(doc) if prenominal is None else prenominal
    out = {}
    text = doc.text
    for ents in sentence_entities(doc):
        holder = None
        for i, ent in enumerate(ents):
            if ent.label_ == "OFFICIAL":
                holder = ent
            elif (holder is not None and ent.label_ in ("TITLE", "UNIT")
                  and _APPOSITION.match(text[ents[i - 1].end_char : ent.start_char])):
                if ent.label_ == "TITLE" and ent.start not in prenominal and not _joined_to_prenominal(ents, i, text, prenominal):
                    out[ent.start] = holder.start
            else:
                holder = None
    return out


def _joined_to_prenominal(ents: list[Span], i: int, text: str, prenominal: dict[int, int]) -> bool:
    """The next title after ents[i], past its units, follows a comma and stands right before a name."""
    j = i + 1
    while j < len(ents) and ents[j].label_ == "UNIT":
        j += 1
    return (j < len(ents) and ents[j].label_ == "TITLE" and ents[j].start in prenominal
            and text[ents[j - 1].end_char : ents[j].start_char].strip() == ",")


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
                  default_config={"method": "rules", "scorer": {"@scorers": "vietgov.relation_scorer.v1"}},
                  default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0,
                                         "rel_per_type": None})
def make_relations(nlp: Language, name: str, method: str, scorer: Callable | None) -> "RelationExtractor":
    return RelationExtractor(name, method, scorer=scorer)


class RelationExtractor:
    """Fills doc._.relations from doc.ents."""

    labels = tuple(RELATION_TYPES)

    def __init__(self, name: str = "vietgov_relations", method: str = "rules", scorer: Callable | None = None):
        if method != "rules":
            raise ValueError(f"[{name}] unknown method {method!r}: this version has 'rules'")
        self.name, self.method, self.scorer = name, method, scorer
        register_extensions()

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        """Relation scores of `examples` (nlp.evaluate calls this), as the learned component gives them."""
        return self.scorer(examples, **kwargs) if self.scorer is not None else {}

    def __call__(self, doc: Doc) -> Doc:
        set_relations(doc, rule_relations(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        return map(self, stream)
