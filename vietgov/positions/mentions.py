"""Every (official, title, unit) mention of a processed Doc, with what the positions database keeps of it.

Keys group mentions across articles: the canonical form (`span._.canonical`, from
`vietgov.canonical`) or, where it gives none (an official whose link is left open), the
normalised text of the span; a title's key drops the `nguyên`/`tân`/`cựu` it may start
with, which are the mention's status.

Status and event, read from the words of the sentence (README, "Positions database"):
- status `former` when the title starts with or follows `nguyên`, `cựu`, `từng (là|giữ chức|đảm nhiệm)`;
  `new` when it starts with or follows `tân`; else `current` (held at the article's date);
- event `appointed` or `dismissed` when the nearest of an appointment verb (`bổ nhiệm`,
  `bầu`, `điều động`, ...) or a dismissal verb (`miễn nhiệm`, `thôi giữ chức`, `cách
  chức`, ...) stands before the title in the same sentence, after any earlier title and
  not across an apposition (`bổ nhiệm ông A, Phó Giám đốc Sở, ...`: A's present post is
  not what the verb gives); or when `bị/được cách chức`, `... cho thôi`, ... follows it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from spacy.tokens import Doc, Span

from ..canonical import canonical_unit, foreign_prefix
from ..normalize import plain_text
from ..doc_relations import compose_positions
from ..sentences import token_sentence_starts
from ..vocabulary import ACADEMIC_RANKS, FOREIGN_PLACES, MODIFIER_TITLES, NEWS_AGENCIES, TITLE_MODIFIERS

_MODIFIER = re.compile(rf"^(?!(?:{'|'.join(MODIFIER_TITLES)})(?!\w))(?:{'|'.join(TITLE_MODIFIERS)})\s+", re.I)
_STATUS_OF_MODIFIER = {"nguyên": "former", "cựu": "former", "từng": "former", "tân": "new"}
_MODIFIER_BEFORE = re.compile(
    rf"(?<!\w)({'|'.join(TITLE_MODIFIERS)}|từng)(?:\s+(?:là|làm|giữ|đảm nhiệm|đảm nhận|kinh qua)(?:\s+(?:các\s+)?(?:chức vụ|chức|cương vị))?)?"
    r"[\s:]*$", re.I)
_APPOSITION = re.compile(r"^[\s,;:()\-–—]*$")
_DISMISSAL = (r"thôi giữ|thôi chức|thôi làm|thôi nhiệm vụ|cho thôi|miễn nhiệm|miễn chức|cách chức"
              r"|cách (?:tất cả|hết) các chức vụ|bãi nhiệm|bãi miễn|từ chức|nghỉ hưu|mất chức|rời (?:ghế|chức)")
_APPOINTMENT = (r"bổ nhiệm|bầu|trúng cử|đắc cử|tái cử|phê chuẩn|chỉ định|điều động|luân chuyển"
                r"|nhậm chức|nhận quyết định|giao quyền")
_EVENT = re.compile(rf"(?<!\w)(?:(?P<dismissed>{_DISMISSAL})|(?P<appointed>{_APPOINTMENT}))(?!\w)", re.I)
_DISMISSED_AFTER = re.compile(
    r"^[\s,]*(?:(?:đã|vừa|sẽ|đều)\s+)*(?:bị|được|xin)\s+(?:cho\s+)?(?:thôi|miễn nhiệm|cách chức|bãi nhiệm)", re.I)
_WINDOW = 80  # characters before a title that may hold its verb
_ADDRESSED = re.compile(r"(?<!\w)(?:ông|bà|anh|chị|cô|đồng chí)\s*$", re.I)


class Mention(NamedTuple):
    official: str
    official_start: int
    official_end: int
    title: str
    title_start: int
    title_end: int
    unit: str | None
    unit_start: int | None
    unit_end: int | None
    official_key: str
    title_key: str
    unit_key: str | None
    unit_completed: bool | None  # the unit was completed from the article (vietgov.canonical)
    unit_successor: str | None  # the unit that replaced it in the 2025 reorganisation (vietgov.canonical)
    status: str  # former | new | current
    event: str | None  # appointed | dismissed
    sentence: str
    sentence_start: int
    confidence: float | None


def _collapse(text: str) -> str:
    return " ".join(plain_text(text).split())


def span_key(span: Span) -> str:
    """The canonical form of an entity where `vietgov.canonical` gives one, else its normalised text."""
    if Span.has_extension("canonical"):
        value = span._.canonical
        if value:
            return value
    return _collapse(span.text)


def title_key(span: Span) -> str:
    key = span_key(span)
    return _MODIFIER.sub("", key) or key


def _span_attr(span: Span, name: str):
    return getattr(span._, name) if Span.has_extension(name) else None


def _status_and_event(text: str, title: Span, last: Span, sent_ents: list[Span], sent_start: int,
                      sent_end: int) -> tuple[str, str | None]:
    head = plain_text(title.text)
    before = [e for e in sent_ents if e.end <= title.start]
    gap_start = before[-1].end_char if before else sent_start
    gap = plain_text(text[gap_start:title.start_char])
    status = "current"
    if m := _MODIFIER.match(head):
        status = _STATUS_OF_MODIFIER[m.group(0).strip().lower()]
    elif m := _MODIFIER_BEFORE.search(gap):
        status = _STATUS_OF_MODIFIER[m.group(1).lower()]
    # the verb window: back to the previous title of the sentence, not across an apposition
    event = None
    if not (before and _APPOSITION.match(gap)):
        titles = [e for e in before if e.label_ == "TITLE"]
        start = max(titles[-1].end_char if titles else sent_start, title.start_char - _WINDOW)
        found = list(_EVENT.finditer(plain_text(text[start:title.start_char])))
        if found:
            event = "dismissed" if found[-1].group("dismissed") else "appointed"
    after = [e for e in sent_ents if e.start >= last.end]
    tail = plain_text(text[last.end_char:min(after[0].start_char if after else sent_end, last.end_char + 40)])
    if _DISMISSED_AFTER.match(tail):
        event = "dismissed"
    if status == "former" and event == "appointed":  # `bổ nhiệm ông A thay ông B, nguyên Giám đốc`
        event = None
    return status, event


def _confidence(doc: Doc, official: Span, title: Span, unit: Span | None, written: Span | None) -> float | None:
    """The lowest of the entities' `ent._.confidence` and of the relations' probabilities, where known; for a
    mention with no unit, also the probability that its sentence names none for the title (1 minus the best
    unit's, `doc._.unlinked_unit_scores`): on real dev and test, a mention without a unit whose title's best
    unit scored 0.1 to 0.5 was right half the time, with no unit candidate 0.84."""
    values = [e._.confidence for e in (official, title, unit)
              if e is not None and Span.has_extension("confidence")]
    scores = doc._.relation_scores if Doc.has_extension("relation_scores") else None
    if scores:
        by_pair = {(hs, ts, label): s for (hs, _, _, ts, _, _, label), s in zip(doc._.relation_offsets, scores)}
        values.append(by_pair.get((official.start, title.start, "HAS_TITLE")))
        if unit is not None:
            values.append(by_pair.get((title.start, unit.start, "TITLE_OF")))
    unlinked = doc._.unlinked_unit_scores if Doc.has_extension("unlinked_unit_scores") else None
    if written is None and unlinked and title.start in unlinked:
        values.append(round(1 - unlinked[title.start], 4))
    values = [v for v in values if v is not None]
    return round(min(values), 4) if values else None


_NOT_PEOPLE = set(FOREIGN_PLACES) | set(NEWS_AGENCIES)


def _not_a_person(text: str, official: Span, key: str) -> bool:
    """An OFFICIAL that is a country (`Bộ trưởng Y tế Nga`, `Tổng thống Philippines`) or a news agency
    (`Reuters`), alone or before an agency (`Iran ISNA`), unless a form of address makes it a person (`bà Nga`):
    1.4% of the corpus database's mentions were such."""
    words = key.split()
    named = key in _NOT_PEOPLE or (len(words) > 1 and words[-1] in NEWS_AGENCIES and " ".join(words[:-1]) in _NOT_PEOPLE)
    return named and not _ADDRESSED.search(text[max(0, official.start_char - 12):official.start_char])


_ACADEMIC = re.compile(rf"(?:(?:{'|'.join(sorted(ACADEMIC_RANKS, key=len, reverse=True))})[\s.,]*)+", re.I)


def _no_post(title_key: str) -> bool:
    """A title that is only academic ranks (`Giáo sư`, `PGS.TS`: no TITLE by the spec, still tagged now and then,
    0.3% of the corpus database's mentions, mostly foreign professors) or only a status word (`nguyên`)."""
    return bool(_ACADEMIC.fullmatch(title_key)) or title_key.lower() in TITLE_MODIFIERS


# what joins a holder's name to the unit written after it (`Bình luận viên Dave Majumdar của National Interest`)
_AFTER_NAME = re.compile(r"\s*(?:của|thuộc|-|–)\s*")


def _unit_after_name(text: str, official: Span, title: Span, sent_ents: list[Span]) -> Span | None:
    """The UNIT written right after a name that follows its title, joined by `của`, `thuộc` or a dash (`[tướng]
    [Ismail Kausari] của [Quân đoàn Vệ binh Cách mạng Iran]`): the annotations link every such title to it
    (14 of 14 in the real articles; after a comma, `tại` or `ở` 5 of 20). Confidence stays the model's:
    the relation model did not link them."""
    if title.end > official.start or text[title.end_char:official.start_char].strip():
        return None
    after = [e for e in sent_ents if e.start >= official.end]
    if after and after[0].label_ == "UNIT" and _AFTER_NAME.fullmatch(text[official.end_char:after[0].start_char]):
        return after[0]
    return None


def _unit_fields(official: Span, title: Span, unit: Span | None) -> dict:
    """The unit fields of a mention. With no UNIT, the country a name written after its title has taken in is
    the title's unit (`Ngoại trưởng Na Uy Boerge Brende`: Na Uy); the name's key already leaves it out
    (`canonical_name`): 1.5% of the corpus database's mentions were such."""
    if unit is not None:
        return dict(unit=unit.text, unit_start=unit.start_char, unit_end=unit.end_char, unit_key=span_key(unit),
                    unit_completed=_span_attr(unit, "completed"), unit_successor=_span_attr(unit, "successor"))
    place = foreign_prefix(official.text) if title.end <= official.start else None
    if not place:
        return dict(unit=None, unit_start=None, unit_end=None, unit_key=None, unit_completed=None, unit_successor=None)
    end = list(re.finditer(r"\S+", official.text))[len(place.split()) - 1].end()
    return dict(unit=official.text[:end], unit_start=official.start_char, unit_end=official.start_char + end,
                unit_key=canonical_unit(place), unit_completed=False, unit_successor=None)


def doc_mentions(doc: Doc) -> list[Mention]:
    """Every position mention of `doc` (not only the distinct `doc._.positions`), in text order."""
    if not doc.has_extension("relations"):
        return []
    positions = compose_positions(doc._.relations)
    if not positions:
        return []
    starts = token_sentence_starts(doc) or [0]
    bounds = starts + [len(doc)]
    ents_of: dict[int, list[Span]] = {}
    for ent in doc.ents:
        ents_of.setdefault(bisect_right(starts, ent.start) - 1, []).append(ent)
    text = doc.text  # joined anew from the tokens on every access
    out = []
    for official, title, unit in sorted(positions, key=lambda p: (p.official.start, p.title.start,
                                                                   p.unit.start if p.unit is not None else -1)):
        official_key, post = span_key(official), title_key(title)
        if _not_a_person(text, official, official_key) or _no_post(post):
            continue
        k = bisect_right(starts, title.start) - 1
        sent = doc[bounds[k]:bounds[k + 1]]
        sent_start, sent_end = sent.start_char, sent.end_char
        written = unit if unit is not None else _unit_after_name(text, official, title, ents_of.get(k, []))
        last = max((official, title, written) if written is not None else (official, title), key=lambda s: s.end)
        status, event = _status_and_event(text, title, last, ents_of.get(k, []), sent_start, sent_end)
        sentence = text[sent_start:sent_end]
        out.append(Mention(
            official=official.text, official_start=official.start_char, official_end=official.end_char,
            title=title.text, title_start=title.start_char, title_end=title.end_char,
            official_key=official_key, title_key=post, **_unit_fields(official, title, written),
            status=status, event=event, sentence=sentence.strip(),
            sentence_start=sent_start + len(sentence) - len(sentence.lstrip()),
            confidence=_confidence(doc, official, title, unit, written),
        ))
    return out
