"""Canonical names: officials linked within an article, units and titles spelled one way, 2025 successors.

On the entities of a Doc (registered with the relation extensions, computed when first read):

- `span._.canonical` on OFFICIAL: the full name the mention refers to in the article (`ông Bình` ->
  `Trần Văn Bình`), its own name when no longer compatible name is in the article, None when two or
  more people fit and no rule decides (never a guess);
- on UNIT: the unit's name with abbreviations expanded, casing and tone marks unified and, where the
  article makes it unambiguous, a bare organ completed with its place (`Quận ủy` -> `Quận ủy Bình Tân`; the place
  its own sentence names first, `span._.completed` True), or an abbreviation defined in brackets expanded (`PVN`);
  `span._.successor`: the administrative unit that took a pre-2025 unit's place, when its name changed;
- on TITLE: the title with abbreviations expanded, casing and tone marks unified.

`canonical_unit`, `canonical_title` and `canonical_name` are functions of the text alone;
`link_officials` and `canonical_units` read a Doc's entities (and relations, if any).
"""
from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Hashable

from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.tokens import Doc, Span

from .admin import (DISTRICT_LEVELS, LEVELS, PROVINCE_LEVELS, WARD_LEVELS, admin_table, clean_name, name_key,
                    split_level)
from .normalize import plain_text
from .tones import to_modern_tones
from .vocabulary import (BARE_LOCAL_ORGANS, BOARDS, COMMITTEES, FIELDS, FOREIGN_PLACES, HCMC, HEADS, HONORIFICS,
                         LOCAL_ORGANS, TITLE_ABBREVIATIONS, TITLE_MODIFIERS, TITLE_PHRASES, UNIT_ABBREVIATIONS, UNIT_PHRASES)

# ---------------------------------------------------------------------------------------------------------
# text


def _clean(text: str) -> str:
    """NFC, plain spaces, current tone marks, single spaces."""
    return " ".join(to_modern_tones(unicodedata.normalize("NFC", plain_text(text))).split())


def _upper_first(word: str) -> str:
    return word[:1].upper() + word[1:]


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _headline(text: str, acronyms) -> bool:
    """Words in capitals that are not acronyms (`ĐẢNG BỘ PHƯỜNG CÔ GIANG`, not `APEC` or `TN - MT`): at least two
    words, and one of them longer than four letters or with a Vietnamese letter."""
    if not _is_upper(text):
        return False
    words = [w for w in re.findall(r"\w+", text) if len(w) > 1 and w not in acronyms]
    return len(words) >= 2 and any(len(w) > 4 or not w.isascii() for w in words)


def _phrase_table(phrases) -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    table = {tuple(p.lower().split()): tuple(p.split()) for p in phrases}
    return table, max(len(k) for k in table)


_UNIT_TABLE = _phrase_table(UNIT_PHRASES)
_TITLE_TABLE = _phrase_table(TITLE_PHRASES)
_FIELD_TABLE = _phrase_table(FIELDS)
_HEADS = {h.lower() for h in HEADS}
# the type of an organisation that a head's field follows (`Công ty Cổ phần Bóng đèn`)
_TYPES = {"Cổ phần", "Trách nhiệm hữu hạn", "Một thành viên", "Thương mại Cổ phần", "Công ty Cổ phần"}
# heads whose next words are what they manage or do, written as the writer wrote them (`Ban Quản lý rừng phòng hộ`,
# `Hội đồng bồi thường`, `Ban Chỉ đạo kỳ thi`): official names of such bodies vary
_OBJECT_FOLLOWS = {"Ban Quản lý", "Ban Quản lý dự án", "Hội đồng", "Ban Chỉ đạo"}
# words whose first syllable is a head (`bộ trưởng`, `phòng cháy`, `hội chợ`): no head there
_NOT_HEADS = {("bộ", "trưởng"), ("bộ", "môn"), ("phòng", "cháy"), ("phòng", "không"), ("phòng", "chống"),
              ("phòng", "ngừa"), ("hội", "chợ"), ("hội", "nghị"), ("hội", "viên"), ("ban", "cán"), ("trường", "học"),
              ("quỹ", "đất"), ("cục", "bộ"), ("công", "ty")}
# words that end an organisation's field
_FUNCTION_WORDS = {"của", "về", "các", "tại", "ở", "cho", "thuộc", "số", "với", "trên", "học",
                   "quốc"}  # `Ban Chỉ đạo quốc gia`, `Hội đồng bầu cử quốc gia`
_LEVELS = {lv: tuple(lv.split()) for lv in LEVELS}


def _abbreviation_pattern(table: dict[str, str]) -> re.Pattern:
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![\w&.])(%s)(?![\w&])" % "|".join(map(re.escape, keys)))


_UNIT_ABBR = _abbreviation_pattern(UNIT_ABBREVIATIONS)
_TITLE_ABBR = _abbreviation_pattern(TITLE_ABBREVIATIONS)
_HCMC = re.compile(
    r"(?<![\w.])(?:(?:TP|Tp|tp|T\.P|T\.p)\s*\.?\s*(?:HCM|HCMC|Hồ Chí Minh|HỒ CHÍ MINH)"
    r"|(?:[Tt]hành phố|THÀNH PHỐ)\s+(?:HCM|HCMC|Hồ Chí Minh|HỒ CHÍ MINH)|TPHCM|HCMC|HCM)(?!\w)")
# level abbreviations before a name (or at the end: `UBND TP`)
_LEVEL_ABBR = (
    (re.compile(r"(?<![\w.])(?:TP|Tp|tp|T\.P|T\.p)(?:\.\s*|\s+|$)(?=[^\W\d_]|\d|$)"), "thành phố "),
    (re.compile(r"(?<![\w.])TX(?:\.\s*|\s+|$)(?=[^\W\d_]|$)"), "thị xã "),
    (re.compile(r"(?<![\w.])Q\.\s*(?=\d|[A-ZĐ])"), "quận "),
    (re.compile(r"(?<![\w.])P\.\s*(?=\d|[A-ZĐ])"), "phường "),
)


def _expand(text: str, pattern: re.Pattern, table: dict[str, str]) -> str:
    text = re.sub(r"\s*&\s*", "&", text)  # `GD & ĐT` -> `GD&ĐT`
    text = re.sub(r"\b([A-ZĐ]{2,})\s+-\s+(?=[A-ZĐ]{2,}\b)", r"\1-", text)  # `TN - MT` -> `TN-MT`
    text = re.sub(r"(?<=[A-ZĐ])\.(?=TP\b)", " ", text)  # `UBND.TP`
    text = _HCMC.sub(HCMC, text)
    text = re.sub(r"(?<!\w)(Công ty|Cty|CTY|cty|công ty)\s+CP(?!\w)", r"\1 Cổ phần", text)
    text = pattern.sub(lambda m: table[m.group(1)], text)
    text = re.sub(r"(?<=\w\w)&(?=\w\w)", " và ", text)  # not `T&T`
    return text


def _tokens(text: str) -> list[str]:
    """Words, and commas, brackets and dashes as tokens of their own (`Bà Rịa-Vũng Tàu` -> 4 tokens)."""
    text = re.sub(r"(?<=\w)\s*[-–]\s*(?=\w)", " - ", text)
    return re.findall(r"\d+(?:,\d+)+|[^\s,;()\-–]+|[,;()\-–]", text)


def _join(tokens: list[str]) -> str:
    out = ""
    for tok in tokens:
        if not out or tok in ",;)" or out.endswith("("):
            out += tok
        else:
            out += " " + tok
    return out


def _match(tokens: list[str], i: int, table) -> int:
    """The length of the longest phrase of `table` starting at token i (0 if none)."""
    phrases, longest = table
    keys = [t.lower() for t in tokens[i : i + longest]]
    for n in range(len(keys), 0, -1):
        if tuple(keys[:n]) in phrases:
            return n
    return 0


# ---------------------------------------------------------------------------------------------------------
# units


@dataclass(frozen=True)
class Place:
    level: str  # lower case: `tỉnh`, `thành phố`, `quận` ... ('' when not known)
    name: str  # as it is written in the canonical form: `Bắc Giang`, `1`, `Hồ Chí Minh`

    @property
    def key(self) -> tuple[str, str]:
        return self.level, name_key(self.name)

    def text(self, first: bool = False) -> str:
        capital = first or self.name[:1].isdigit() or self.name == "Hồ Chí Minh"
        level = _upper_first(self.level) if capital else self.level
        return f"{level} {self.name}" if level else self.name


@dataclass(frozen=True)
class Segment:
    """A piece of a unit name: words as written (canonical casing), a place, or an X-ủy committee."""

    kind: str  # "words", "place", "committee"
    text: str = ""
    place: Place | None = None


def _province_level(name: str) -> str | None:
    found = admin_table().province(name)
    return split_level(found[0])[0] if found else None


def _level_at(tokens: list[str], i: int, first: bool) -> str | None:
    """The level word starting at token i, if it is one here: written lower case, or capitalised at the start
    or the end of the name or before a number or a name (`Quận 1`, `UBND Thành phố Hà Nội`, `UBND Quận`)."""
    for level, words in _LEVELS.items():
        n = len(words)
        if tuple(t.lower() for t in tokens[i : i + n]) != words:
            continue
        written = " ".join(tokens[i : i + n])
        after = tokens[i + n : i + n + 3]
        if level == "xã" and after[:1] and after[0].lower() == "hội":  # `xã hội`
            continue
        if written.islower() or first or not after or after[0][:1].isdigit() or after[0][:1].isupper():
            return level
    return None


_STOP = {"và", "của", "thuộc", "tại", "trên", "các", "với"}


@lru_cache(maxsize=65536)
def _parse(text: str) -> tuple[Segment, ...]:
    """Segments of a unit name after abbreviation expansion, in canonical casing."""
    text = _clean(text)
    if _headline(text, UNIT_ABBREVIATIONS):
        # a name in capitals (headline): read in lower case, acronyms kept
        text = " ".join(t if t in UNIT_ABBREVIATIONS or _HCMC.fullmatch(t) else t.lower() for t in text.split())
    text = _expand(text, _UNIT_ABBR, UNIT_ABBREVIATIONS)
    for pattern, repl in _LEVEL_ABBR:
        text = pattern.sub(repl, text)
    tokens = _tokens(text)
    segments: list[Segment] = []
    words: list[str] = []
    # Decree 30: the field that follows an organisation's type is capitalised (`Sở Giáo dục`, `Công ty Bóng đèn`),
    # and so is each field after `và`, `,` or `-` (`Bộ Tài nguyên và Môi trường`)
    after_head = False  # the next word starts a field: a known one (FIELDS), or any word (capitalise_next)
    capitalise_next = False
    in_field = False  # inside the fields after a head, until a function word or a place
    structural = True  # the last token was a known word (not `nội` of `nội bộ`)

    def flush():
        if words:
            segments.append(Segment("words", _join(words)))
            words.clear()

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        level = _level_at(tokens, i, first=i == 0)
        if level and _match(tokens, i, _UNIT_TABLE) > len(_LEVELS[level]):
            level = None  # `Tỉnh ủy`, `Thông tấn xã`
        if level:
            n = len(_LEVELS[level])
            j = i + n
            name = []
            while j < len(tokens) and tokens[j] not in ",;()" and tokens[j].lower() not in _STOP:
                if tokens[j] == "-" and not name:
                    break
                if name and (_level_at(tokens, j, False) or _match(tokens, j, _UNIT_TABLE) > 1):
                    break
                name.append(tokens[j] if tokens[j] in ("-", "số") else _upper_first(tokens[j]))
                j += 1
            while name and name[-1] == "-":
                name.pop()
                j -= 1
            flush()
            segments.append(Segment("place", place=Place(level, _join(name))))
            i, after_head, capitalise_next, in_field = i + n + len(name), False, False, False
            continue
        n = _match(tokens, i, _UNIT_TABLE)
        if n:
            phrase = " ".join(_UNIT_TABLE[0][tuple(t.lower() for t in tokens[i : i + n])])
            if phrase in COMMITTEES:
                flush()
                segments.append(Segment("committee", phrase))
            else:
                words.append(phrase)
            head = (phrase in _TYPES or phrase.lower() in _HEADS or phrase.split()[0].lower() in _HEADS
                    ) and phrase not in _OBJECT_FOLLOWS
            after_head, capitalise_next, in_field = head, head, head or in_field
            structural = True
            i += n
            continue
        m = _match(tokens, i, _FIELD_TABLE) if after_head else 0
        if m:
            words.append(" ".join(_FIELD_TABLE[0][tuple(t.lower() for t in tokens[i : i + m])]))
            i += m
            after_head = in_field = structural = True
            capitalise_next = False
            continue
        # a province named without its level word
        p = next((k for k in (5, 4, 3, 2, 1) if i + k <= len(tokens)
                  and all(t[:1].isupper() or (t == "-" and 0 < n < k - 1) for n, t in enumerate(tokens[i : i + k]))
                  and _province_level(" ".join(tokens[i : i + k]))), 0)
        if p:
            flush()
            name = clean_name(" ".join(tokens[i : i + p]))
            segments.append(Segment("place", place=Place("", name)))
            i += p
            after_head = capitalise_next = in_field = False
            continue
        # a head inside a name starts a group only after a known word (`nội bộ`, `quỹ đất` are no heads)
        following = next((t.lower() for t in tokens[i + 1 :] if t.isalpha()), "")
        head = (tok.lower() in _HEADS and (structural or tok[:1].isupper())
                and (tok.lower(), following) not in _NOT_HEADS)
        if head and (_match(tokens, i + 1, _FIELD_TABLE) or _match(tokens, i + 1, _UNIT_TABLE)):
            tok = _upper_first(tok)  # `Cơ quan Cảnh sát điều tra bộ Công an` -> `... Bộ Công an`
        elif capitalise_next and not head and tok[:1].islower() and tok.isalpha() and tok not in _FUNCTION_WORDS:
            tok = _upper_first(tok)  # the field after an organisation's type (Decree 30): `Công ty Bóng đèn ...`
        words.append(tok)
        if head:
            after_head = capitalise_next = in_field = True
        elif tok.lower() in ("và", ",", "-"):
            after_head = capitalise_next = in_field
        elif tok.lower() in _FUNCTION_WORDS:
            after_head = capitalise_next = in_field = False
        else:
            after_head = capitalise_next = False
        structural = head
        i += 1
    flush()
    return tuple(_normalise_places(segments))


def _is_local_organ(words: str) -> bool:
    return any(words == o or words.endswith(" " + o) for o in LOCAL_ORGANS) or bool(re.match(r"(?:^|.* )Sở ", words))


def _normalise_places(segments: list[Segment]) -> list[Segment]:
    """Level words: added to a province named alone or after a local organ, dropped after an X-ủy committee
    (`Tỉnh ủy Bắc Giang`, `Quận ủy Quận 1`); province names in one spelling."""
    out = list(segments)
    for k, seg in enumerate(out):
        if seg.kind != "place" or not seg.place.name:
            continue
        place = seg.place
        province = _province_level(place.name) if place.level in PROVINCE_LEVELS + ("",) else None
        if province and place.level in ("", province):
            place = Place(place.level, split_level(admin_table().province(place.name)[0])[1])
        before = out[k - 1] if k else None
        if before is not None and before.kind == "committee":
            keep = place.name[:1].isdigit() or place.name == "Hồ Chí Minh"
            place = Place(place.level if keep else "", place.name)
        elif not place.level and province and (len(out) == 1 or (before is not None and _is_local_organ(before.text))):
            place = Place(province, place.name)
        out[k] = replace(seg, place=place)
    return out


def _render(segments: list[Segment]) -> str:
    parts = []
    for k, seg in enumerate(segments):
        if seg.kind == "place":
            parts.append(seg.place.text(first=k == 0) if seg.place.name else (
                _upper_first(seg.place.level) if k == 0 else seg.place.level))
        else:
            parts.append(seg.text)
    text = _join(" ".join(parts).split(" "))
    return _upper_first(text)


@lru_cache(maxsize=65536)
def canonical_unit(text: str) -> str:
    """The canonical name of a unit as written: `UBND TP.HCM` -> `Ủy ban nhân dân Thành phố Hồ Chí Minh`,
    `Tỉnh uỷ Sóc Trăng` -> `Tỉnh ủy Sóc Trăng`, `Hà Nội` -> `Thành phố Hà Nội`."""
    return _render(_parse(text))


@lru_cache(maxsize=65536)
def unit_places(text: str) -> tuple[Place, ...]:
    """The places a unit name holds, each with its level where known (`Huyện ủy Văn Bàn` -> huyện Văn Bàn)."""
    segments = _parse(text)
    out = []
    for k, seg in enumerate(segments):
        if seg.kind != "place" or not seg.place.name:
            continue
        level = seg.place.level or (COMMITTEES.get(segments[k - 1].text) if k and segments[k - 1].kind == "committee"
                                    else None) or _province_level(seg.place.name) or ""
        out.append(Place(level, seg.place.name))
    return tuple(out)


@lru_cache(maxsize=65536)
def missing_place(text: str) -> tuple[str, str] | None:
    """(how, level) when a unit name lacks its place: `level` (`UBND tỉnh`), `committee` (`Ban Thường vụ Tỉnh ủy`)
    or `organ` (`UBND`, level ''); None when it names one or is not a local organ."""
    segments = _parse(text)
    last = segments[-1] if segments else None
    if last is None:
        return None
    if last.kind == "place" and not last.place.name:
        return ("level", last.place.level) if len(segments) > 1 else None
    if last.kind == "committee":
        return "committee", COMMITTEES[last.text]
    if len(segments) == 1 and last.kind == "words" and last.text in BARE_LOCAL_ORGANS:
        return "organ", ""
    return None


def complete_unit(text: str, place: Place) -> str:
    """The canonical name of a unit that lacks its place, with `place` added."""
    how, level = missing_place(text)
    canonical = canonical_unit(text)
    if how == "level":
        canonical = canonical[: -len(level)].rstrip()
    return canonical_unit(f"{canonical} {place.level} {place.name}".strip())


# ---------------------------------------------------------------------------------------------------------
# successors


def _rank(place: Place) -> int:
    """2 ward or commune, 1 district, 0 province, -1 other (villages, unknown)."""
    if place.level in WARD_LEVELS:
        return 2
    if place.level in PROVINCE_LEVELS and _province_level(place.name) == place.level:
        return 0
    if place.level in DISTRICT_LEVELS:
        return 1
    return -1


def successor_unit(text: str, provinces=(), districts=()) -> str | None:
    """The unit that succeeded a pre-2025 one after the 2025 reorganisation, when its name changed: a province
    merged into another (`Tỉnh ủy Hậu Giang` -> `Thành ủy Cần Thơ`), a ward merged into a new ward (narrowed by the
    `provinces` and `districts` named beside it); None for districts (abolished), unchanged names and the rest."""
    segments = _parse(text)
    places = [(k, s.place) for k, s in enumerate(segments) if s.kind == "place" and s.place.name]
    located = [(k, p if p.level else replace(p, level=unit_places(text)[n].level)) for n, (k, p) in enumerate(places)
               # a province inside another name (`Bệnh viện Đà Nẵng`) is not the unit's place
               if p.level or len(segments) == 1 or (k and segments[k - 1].kind == "committee")]
    ranked = [(_rank(p), k, p) for k, p in located if _rank(p) >= 0]
    if not ranked:
        return None
    rank, _, most = max(ranked, key=lambda r: r[0])
    table = admin_table()
    new: dict[int, Place] = {}
    if rank == 1:
        return None
    if rank == 2:
        in_unit = [p for _, p in located]
        found = table.ward_successor(
            most.level, most.name,
            [p.text() for p in in_unit if _rank(p) == 0] + list(provinces),
            [p.text() for p in in_unit if _rank(p) == 1] + list(districts))
        if found is None:
            return None
        ward, province = found
        for k, p in located:
            if p == most:
                new[k] = Place(*split_level(ward))
            elif _rank(p) == 0:
                new[k] = Place(*split_level(province))
    else:
        for k, p in located:
            successor = table.successor_province(p.name) if _rank(p) == 0 else None
            if successor:
                new[k] = Place(*split_level(successor))
    out = []
    for k, seg in enumerate(segments):
        if k in new:
            level = new[k].level if seg.place.level or k == 0 or (
                k and segments[k - 1].kind == "words" and _is_local_organ(segments[k - 1].text)) else ""
            seg = replace(seg, place=Place(level, new[k].name))
        if seg.kind == "committee" and k + 1 in new:
            by_level = {v: c for c, v in COMMITTEES.items()}
            seg = replace(seg, text=by_level.get(new[k + 1].level, seg.text))
        out.append(seg)
    successor = _render(_normalise_places(out))
    return successor if successor != _render(segments) else None


# ---------------------------------------------------------------------------------------------------------
# titles


# titles whose next words name a ministry's fields (`Bộ trưởng ngoại giao` is the minister of Bộ Ngoại giao)
_MINISTERS = {("bộ", "trưởng"), ("thứ", "trưởng")}


def _fields(tokens: list[str], i: int, out: list[str]) -> int:
    """Append the fields (FIELDS, `và` between two) from token i on in their standard casing; the next index."""
    while n := _match(tokens, i, _FIELD_TABLE):
        out.extend(_FIELD_TABLE[0][tuple(t.lower() for t in tokens[i : i + n])])
        i += n
        if i + 1 < len(tokens) and tokens[i].lower() == "và" and _match(tokens, i + 1, _FIELD_TABLE):
            out.append("và")
            i += 1
    return i


@lru_cache(maxsize=65536)
def canonical_title(text: str) -> str:
    """`phó chủ tịch thường trực` -> `Phó Chủ tịch Thường trực`, `PCT` -> `Phó Chủ tịch`, `nguyên Bí Thư` ->
    `nguyên Bí thư`."""
    text = _clean(text)
    if _headline(text, TITLE_ABBREVIATIONS):
        text = text.lower()
    text = _expand(_expand(text, _TITLE_ABBR, TITLE_ABBREVIATIONS), _UNIT_ABBR, UNIT_ABBREVIATIONS)
    tokens = _tokens(text)
    out, i, plain = [], 0, False
    while i < len(tokens):
        if tokens[i].lower() in TITLE_MODIFIERS and not out and _match(tokens, i, _TITLE_TABLE) < 2:
            out.append(tokens[i].lower())
            i += 1
            continue
        n = _match(tokens, i, _TITLE_TABLE) or _match(tokens, i, _UNIT_TABLE)
        # one word of the table after a word it does not know ends a compound, in lower case (`Ngoại trưởng`,
        # `Tổ trưởng`)
        if n == 1 and plain:
            out.append(tokens[i].lower())
            i += 1
            continue
        plain = not n
        if n:
            table = _TITLE_TABLE if _match(tokens, i, _TITLE_TABLE) == n else _UNIT_TABLE
            head = tuple(t.lower() for t in tokens[i : i + n])
            out.extend(table[0][head])
            i += n
            if head in _MINISTERS:  # the ministry's fields, cased as in its name (`Bộ trưởng Tài chính`)
                i = _fields(tokens, i, out)
            continue
        out.append(tokens[i])
        i += 1
    if out and out[0] not in TITLE_MODIFIERS:
        out[0] = _upper_first(out[0])
    elif len(out) > 1:
        out[1] = _upper_first(out[1])
    return _join(out)


# ---------------------------------------------------------------------------------------------------------
# officials


@lru_cache(maxsize=65536)
def canonical_name(text: str) -> str:
    """A person's name in one spelling: NFC, current tone marks, single spaces, capitals only where the
    whole name is in capitals (`NGUYỄN VĂN A` -> `Nguyễn Văn A`)."""
    text = _clean(text)
    if _is_upper(text) and any(len(w) > 1 for w in re.findall(r"\w+", text)):
        text = " ".join(_upper_first(w.lower()) for w in text.split())
    place = foreign_prefix(text)
    if place:
        text = text[len(place):].lstrip()
    # the end of `đ/c` (đồng chí) caught in the span (`c Thái Thanh Quý`)
    text = re.sub(r"^(?:đ\s*/\s*)?c\s+(?=[A-ZĐ\u00c0-\u1ef8]\S*\s+\S)", "", text)
    # a form of address caught in the span (`Ông Hoàng Trung Hải`, `Thầy Văn Như Cương`)
    # (three words must remain: `Ông Văn Hậu` is a name)
    return _ADDRESS_IN_NAME.sub("", text)


def foreign_prefix(text: str) -> str | None:
    """The country or foreign body a name span has taken in at its start (`Trung Quốc Vương Nghị`, `Ukraine
    Volodymyr Groysman` -> `Ukraine`) in its canonical spelling; None if none. Two words must remain (`Đức Phúc`,
    `Mỹ Linh` are names), and it is not the start of a Vietnamese place (`Lào Cai`, `Mỹ Tho`, `Nga Sơn`)."""
    text = _clean(text)
    foreign = _FOREIGN_PREFIX.match(text)
    if not foreign:
        return None
    place = " ".join(text.split()[: len(foreign.group(1).split()) + 1])
    if admin_table().province(place) or name_key(place) in admin_table().districts:
        return None
    return foreign.group(1)


_FOREIGN_PREFIX = re.compile(r"^(%s)\s+(?=[A-ZĐ\u00c0-\u1ef8]\S*\s+\S)" % "|".join(
    map(re.escape, sorted(FOREIGN_PLACES, key=len, reverse=True))))


def _name_parts(name: str) -> tuple[str, ...]:
    """Lower-case parts of a canonical name; initials are parts of their own (`V.I. Lenin` -> v, i, lenin)."""
    return tuple(p for p in re.split(r"[\s.]+", name.lower()) if p)


def _compatible(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """`short` can refer to `full`: its given name (`Bình`), its last parts (`Anh Đức`) or surname and given
    name with what lies between left out (`Trần Bình` for `Trần Văn Bình`)."""
    if len(short) >= len(full) or not short:
        return False
    if full[-len(short):] == short:
        return True
    if len(short) >= 2 and short[0] == full[0] and short[-1] == full[-1]:
        it = iter(full)
        return all(part in it for part in short)
    return False


# a form of address right before a name (`HONORIFICS`), or caught at the start of its span
_HONORIFIC = re.compile(rf"(?:^|\s)({'|'.join(HONORIFICS)})\s*$", re.I)
_ADDRESS_IN_NAME = re.compile(rf"^(?:{'|'.join(HONORIFICS)})\s+(?=\S+\s+\S+\s+\S)", re.I)
# fixed ways of naming one person: (word before, name) -> full name
_BY_NAME = {("bác", "hồ"): "Hồ Chí Minh"}


def _sex_of_name(parts: tuple[str, ...]) -> str | None:
    if "thị" in parts[1:-1]:
        return "f"
    if "văn" in parts[1:-1]:
        return "m"
    return None


def _title_head(text: str) -> str:
    words = canonical_title(text).split()
    return " ".join(w for w in words if w not in TITLE_MODIFIERS)


@dataclass(frozen=True)
class Mention:
    """An entity of an article, under whatever key its caller uses (a span's token offsets, an entity id)."""

    key: Hashable
    label: str
    text: str
    start: int  # character offsets into the article
    end: int


def doc_mentions(doc: Doc) -> list[Mention]:
    return [Mention((e.start, e.end), e.label_, e.text, e.start_char, e.end_char) for e in doc.ents]


def doc_titles(doc: Doc) -> dict[Hashable, set[str]]:
    """The titles each official holds in the doc's relations (HAS_TITLE), by the official's token offsets."""
    out: dict[Hashable, set[str]] = {}
    for head, tail, label in (doc._.relations if Doc.has_extension("relations") else []):
        if label == "HAS_TITLE":
            out.setdefault((head.start, head.end), set()).add(tail.text)
    return out


def link_mentions(mentions: list[Mention], text: str, titles: dict | None = None) -> dict[Hashable, str | None]:
    """For each OFFICIAL mention: the full name it refers to in the article `text`.

    A name that is part of a longer, compatible one (`Bình`, `Văn Bình`, `Trần Bình` of `Trần Văn Bình`)
    takes that one when it is the only candidate; of several, the one whose mentions share a title
    with this mention (`titles`: mention key -> title texts; `Bộ trưởng Tiến`), or the one of the sex its
    honorific tells (`bà Tiến`); otherwise None. The one candidate is not taken where the article gives the
    name one sex and the candidate the other (`ông Trump`, `cô Ivanka Trump`): the name stays its own. A single
    name with no candidate by given name may refer to a surname (`ông Tập`). A name no longer one extends is its
    own canonical name."""
    titles = {k: {_title_head(t) for t in v} for k, v in (titles or {}).items()}
    officials = [(m, canonical_name(m.text)) for m in mentions if m.label == "OFFICIAL"]
    names = {name for _, name in officials}
    parts = {name: _name_parts(name) for name in names}
    # full names: those no other name of the article extends (a single name also where one starts with it and none
    # ends with it: `Tập` of `Tập Cận Bình`)
    def extended(n: str) -> bool:
        others = [parts[m] for m in names if m != n]
        return any(_compatible(parts[n], o) for o in others) or (
            len(parts[n]) == 1 and any(len(o) > 1 and o[0] == parts[n][0] for o in others))

    full = [n for n in names if not extended(n)]
    titles_of: dict[str, set[str]] = {}
    sex_of: dict[str, set[str]] = {}
    words_before: dict[Hashable, str] = {}
    for m, name in officials:
        titles_of.setdefault(name, set()).update(titles.get(m.key, set()))
        before = _HONORIFIC.search(text[max(0, m.start - 12) : m.start])
        words_before[m.key] = before.group(1).lower() if before else ""
        if before and HONORIFICS.get(before.group(1).lower()):
            sex_of.setdefault(name, set()).add(HONORIFICS[before.group(1).lower()])
    out: dict[Hashable, str | None] = {}
    for m, name in officials:
        fixed = _BY_NAME.get((words_before[m.key], name.lower()))
        if fixed:
            out[m.key] = fixed
            continue
        if name in full:
            out[m.key] = name
            continue
        short = parts[name]
        candidates = [f for f in full if _compatible(short, parts[f])]
        if not candidates and len(short) == 1:
            candidates = [f for f in full if len(parts[f]) > 1 and parts[f][0] == short[0]]
        if not candidates:
            out[m.key] = name
            continue
        if len(candidates) == 1:
            # a name the article gives one sex (`ông Trump`, here or in another mention) is not the one full name
            # it fits if that is of the other sex (`cô Ivanka Trump`)
            told = sex_of.get(name, set()) | {HONORIFICS.get(words_before[m.key])} - {None}
            known = sex_of.get(candidates[0]) or {_sex_of_name(parts[candidates[0]])}
            if len(told) == 1 and known == {"m", "f"} - told:
                candidates = [name]
        else:
            own = titles.get(m.key, set())
            by_title = [f for f in candidates if own & titles_of.get(f, set())]
            sex = HONORIFICS.get(words_before[m.key])
            by_sex = [f for f in candidates if sex and (sex_of.get(f) == {sex} or (
                not sex_of.get(f) and _sex_of_name(parts[f]) == sex))]
            candidates = by_title if len(by_title) == 1 else by_sex
        out[m.key] = candidates[0] if len(candidates) == 1 else None
    return out


def link_officials(doc: Doc) -> dict[tuple[int, int], str | None]:
    """For each OFFICIAL entity of the doc (by token start and end): the full name it refers to (link_mentions),
    with the titles of the doc's relations."""
    return link_mentions(doc_mentions(doc), doc.text, doc_titles(doc))


# ---------------------------------------------------------------------------------------------------------
# units of a document


@dataclass(frozen=True)
class UnitName:
    canonical: str
    completed: bool = False
    successor: str | None = None


_ACRONYM = re.compile(r"^[A-ZĐ][A-ZĐ0-9&]+$")


def _bracketed(text: str, a: Mention, b: Mention) -> bool:
    """`b` stands in brackets right after `a`."""
    return text[a.end : b.start].strip() == "(" and text[b.end : b.end + 1] == ")"


def _aliases(text: str, units: list[Mention]) -> dict[str, str]:
    """Acronyms the article defines in brackets next to a unit's full name (`Tập đoàn Dầu khí Việt Nam (PVN)`,
    also the other way round): acronym -> canonical name of the unit. Written after a board
    (`Hội đồng thành viên Tập đoàn Dầu khí Việt Nam (PVN)`), the acronym names the organisation."""
    out = {}
    for a, b in zip(units, units[1:]):
        if not _bracketed(text, a, b):
            continue
        short, long = (b, a) if len(b.text.split()) < len(a.text.split()) else (a, b)
        # an acronym of the vocabulary (`HĐND`) is spelled out already; a name with fewer words than the acronym
        # has letters is a part of the name it stands for (`Hiệp hội … Việt Nam (VAMA)` tagged `Việt Nam`)
        if (_ACRONYM.match(short.text) and len(long.text.split()) >= max(2, sum(c.isalpha() for c in short.text))
                and short.text not in UNIT_ABBREVIATIONS
                and canonical_unit(short.text) == short.text):
            full = canonical_unit(long.text)
            board = next((b for b in BOARDS if full.lower().startswith(b.lower() + " ")), None)
            out.setdefault(short.text, canonical_unit(full[len(board) + 1:]) if board else full)
    return out


def _with_aliases(canonical: str, aliases: dict[str, str]) -> str:
    """`canonical` with the article's acronyms spelled out, also inside a longer name (`Hội đồng thành viên PVN`);
    words before the acronym that begin its full name are not written twice (`Công ty Nhiên liệu bay PA`, PA
    defined as `Công ty Nhiên liệu bay Petrolimex`)."""
    for short, full in aliases.items():
        if short == canonical:
            return full

        def spelled_out(m: re.Match, full: str = full) -> str:
            before = m.string[:m.start()].split()
            for k in range(len(before), 0, -1):
                if (full.lower() + " ").startswith(" ".join(before[-k:]).lower() + " "):
                    return full[len(" ".join(before[-k:])):].lstrip()
            return full

        canonical = re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", spelled_out, canonical).strip()
    return canonical


_ACRONYM_IN_BRACKETS = re.compile(r"\s*\(([A-ZĐ][A-ZĐ0-9&-]{1,11})\)\s+")


def _places_after_acronyms(text: str, units: list[Mention]) -> dict[Hashable, str]:
    """`Ủy ban Kiểm tra (UBKT) Tỉnh ủy Sơn La`, `Ban An toàn giao thông (ATGT) TP.HCM`: a unit without a place whose
    acronym in brackets is followed by a place (an entity of its own or not); the unit and its acronym get it."""
    starts = {m.start: m for m in units}
    out = {}
    for m in units:
        bracket = _ACRONYM_IN_BRACKETS.match(text, m.end)
        if bracket is None or unit_places(m.text):
            continue
        rest = _HCMC.sub(HCMC, _clean(text[bracket.end() : bracket.end() + 80]))
        run = _capitalised_run(rest.split()[:6])
        province = next((" ".join(run[:k]) for k in range(min(len(run), 4), 0, -1)
                         if _province_level(" ".join(run[:k]))), None)
        place = _leading_place(rest) or province
        if place:
            out[m.key] = canonical_unit(f"{m.text} {place}")
            acronym = starts.get(bracket.start(1))
            if acronym is not None and acronym.end == bracket.end(1):
                out[acronym.key] = out[m.key]
    return out


def _split_names(text: str, units: list[Mention]) -> dict[Hashable, str]:
    """`Hội đồng nhân dân (HĐND) tỉnh Quảng Ninh`: an organ and its acronym in brackets, then its place; both get
    the organ's full name with the place."""
    out = {}
    for a, b, c in zip(units, units[1:], units[2:]):
        if not _bracketed(text, a, b) or text[b.end : c.start].strip() != ")" or not missing_place(a.text):
            continue
        segments = _parse(c.text)
        if len(segments) == 1 and segments[0].kind == "place" and segments[0].place.name:
            out[a.key] = out[b.key] = canonical_unit(f"{canonical_unit(a.text)} {c.text}")
    return out


@dataclass
class _ArticlePlaces:
    """What an article names: places (with how often), the places each organ is named with, and what follows
    each bare local organ where it is named in full."""

    count: dict[tuple[str, str], int] = field(default_factory=dict)
    place: dict[tuple[str, str], Place] = field(default_factory=dict)
    by_organ: dict[str, dict[tuple[str, str], Place]] = field(default_factory=dict)
    complements: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, units: list[Mention]) -> "_ArticlePlaces":
        out = cls()
        for m in units:
            segments, located = _parse(m.text), iter(unit_places(m.text))
            for k, seg in enumerate(segments):
                if seg.kind == "place" and seg.place.name:
                    place = next(located)
                    out.count[place.key] = out.count.get(place.key, 0) + 1
                    out.place.setdefault(place.key, place)
                    if k and segments[k - 1].kind != "place":
                        out.by_organ.setdefault(segments[k - 1].text, {})[place.key] = place
        return out

    def of_level(self, level: str) -> Place | None:
        """The one place of `level` the article names, or the one it names at least twice as often as any other
        (and more than once): the place the article is about."""
        counts = sorted(((n, key) for key, n in self.count.items() if key[0] == level), reverse=True)
        if len(counts) == 1 or (counts and counts[0][0] >= 2 and counts[0][0] >= 2 * counts[1][0]):
            return self.place[counts[0][1]]
        return None


# ---------------------------------------------------------------------------------------------------------
# places a sentence names

# a sentence ends at a line break, or at . ! ? before a capital, a digit or a quote, unless the word before the stop is
# an abbreviation (`TP. Hội An`, `TS. Lê`)
_SENTENCE_END = re.compile(r"\n+|[.!?…]+[\"”’)]*\s+")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`."""
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if "\n" not in m.group():
            after = text[m.end() : m.end() + 1]
            word = re.search(r"(\S+)$", text[start : m.start()])
            if not (after.isupper() or after.isdigit() or after in ('"', "“")) or (
                    word and len(word.group(1)) <= 3 and word.group(1)[:1].isupper()):
                continue
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


# a level word or an X-ủy committee before a place's name (on text in current tones, `_clean`)
_PLACE_BEFORE = re.compile(r"(?<![\w.])(Tỉnh ủy|Thành ủy|Huyện ủy|Quận ủy|Thị ủy|tỉnh|thành phố|thị xã|thị trấn|quận|"
                           r"huyện|phường|xã|Tỉnh|Thành phố|Thị xã|Thị trấn|Quận|Huyện|Phường|TP\.?|Tp\.?|TX\.?|Q\.|"
                           r"P\.)(?:\s+|(?<=\.))(?=\S)")
_LEVEL_ENDS = {"tỉnh", "phố", "xã", "trấn", "quận", "huyện", "phường", "khu", "tp.", "tp", "tx.", "q.", "p.", "ủy"}
_ABBREVIATED_LEVELS = {"TP": "thành phố", "Tp": "thành phố", "TX": "thị xã", "Q": "quận", "P": "phường"}


def _capitalised_run(words: list[str]) -> list[str]:
    """The words at the start of `words` that begin with a capital or a digit (a name), to the first punctuation."""
    run = []
    for k, w in enumerate(words):
        if k and w[:1] in "(\"“":
            break
        w = w.lstrip("(\"“")
        bare = w.rstrip(",.;:!?)\"”")
        if not bare or not (bare[:1].isupper() or bare[:1].isdigit() or (bare == "-" and run)):
            break
        run.append(bare)
        if bare != w:
            break
    while run and run[-1] == "-":
        run.pop()
    return run


def _known_place(level: str, name: str) -> bool:
    """`name` is a place of `level` in the admin table (`thành phố Hội An`; not `tỉnh Phan` of a person's name)."""
    table, key = admin_table(), name_key(name)
    return (_province_level(name) == level or any(split_level(d)[0] == level for _, d in table.districts.get(key, ()))
            or any(split_level(w.name)[0] == level for w in table.wards.get(key, ())))


def _leading_place(text: str) -> str | None:
    """The place `text` (clean, `_clean`) starts with, after a level word or an X-ủy committee (`TP. Hội An`,
    `Tỉnh ủy Sơn La`), as `level name`: the longest start of the name that is a place of that level (a name is often
    followed by a person's: `tỉnh Bạc Liêu Nguyễn Văn A`), or a number (`quận 3`)."""
    m = _PLACE_BEFORE.match(text)
    run = _capitalised_run(text[m.end():].split()[:6]) if m else None
    if not run:
        return None
    before = m.group(1).rstrip(".")
    before = _ABBREVIATED_LEVELS.get(before, before if " ủy" in before else before.lower())
    level = COMMITTEES.get(before, before)
    name = run[0] if run[0].isdigit() else next(
        (" ".join(run[:k]) for k in range(min(len(run), 4), 0, -1) if _known_place(level, " ".join(run[:k]))), None)
    return f"{before} {name}" if name is not None else None


@lru_cache(maxsize=16384)
def sentence_places(sentence: str, provinces: tuple[str, ...] = ()) -> tuple[Place, ...]:
    """The places a sentence names: after a level word or an X-ủy committee (`TP. Hội An`, `tỉnh Bạc Liêu`,
    `Tỉnh ủy Nghệ An`), a province named alone, and a district named alone where it is a district of a province the
    sentence or `provinces` (name keys) name (`Thanh Oai` of Hà Nội)."""
    sentence = _HCMC.sub(HCMC, _clean(sentence))
    found: list[Place] = []
    for m in _PLACE_BEFORE.finditer(sentence):
        place = _leading_place(sentence[m.start():])
        if place is not None:
            found.extend(unit_places(place))
    words = sentence.split()
    named = set(provinces)
    runs = []
    for k, w in enumerate(words):
        before = words[k - 1] if k else ""
        if before[:1].isupper() and before.rstrip(",.;:!?)\"”") == before and w[:1] not in "(\"“":
            continue  # inside a run
        if before.lower() in _LEVEL_ENDS:
            continue  # after a level word: read above, at that level (`phường Thủ Dầu Một` is no city)
        run = _capitalised_run(words[k:k + 6])
        if run:
            runs.append(run)
    # a run may start with a capitalised word of the sentence (`Ở Thanh Oai`): also read without it
    runs = [r[i:] for r in runs for i in range(min(2, len(r)))]
    for run in runs:
        province = next((" ".join(run[:k]) for k in range(min(len(run), 4), 0, -1)
                         if admin_table().province(" ".join(run[:k]))), None)
        if province:
            found.extend(unit_places(province))
            named.add(name_key(province))
    for run in runs:
        districts = [d for p, d in admin_table().districts.get(name_key(" ".join(run)), []) if name_key(p) in named]
        if len(districts) == 1:
            found.append(Place(*split_level(districts[0])))
    return tuple(found)


def _fitting(places, levels, chosen: Place | None) -> tuple[bool, Place | None]:
    """(whether the sentence decides, the place): the one place of `levels` the sentence names; of several, the one
    the article chose if it is among them, else none; the sentence does not decide where it names none."""
    fit = {p.key: p for p in places if p.level in levels}
    if not fit:
        return False, None
    if len(fit) == 1:
        return True, next(iter(fit.values()))
    return True, (chosen if chosen is not None and chosen.key in fit else None)


def _completion(text: str, article: _ArticlePlaces, sentence: tuple[Place, ...] = ()) -> str | None:
    """The canonical name of a unit that lacks its place, completed where its sentence or else the article leaves one
    candidate. The sentence first: the one place it names of the level the unit lacks (`Bí thư Tỉnh ủy, Chủ tịch
    HĐND tỉnh Bạc Liêu`); where it names none, the article: for a bare level or committee, the one place the article
    names with the same organ (and level), else the place of that level it is about; for a bare organ (`UBND`, `Đảng
    ủy`), the one name the article gives it in full (`Đảng ủy phường Hải Châu`), or gives the organ it heads
    (`Thường trực HĐND` -> `HĐND ...`), and a sentence that names other places of that name's level leaves it bare."""
    missing = missing_place(text)
    if missing is None:
        return None
    how, level = missing
    if how == "organ":
        organ = canonical_unit(text)
        found = article.complements.get(organ, set())
        if not found:
            inner = next((o for o in BARE_LOCAL_ORGANS if organ.endswith(" " + o)), None)
            found = article.complements.get(inner, set()) if inner else set()
        options = {p.key: p for c in found for p in unit_places(c)[-1:]}
        chosen = next(iter(options.values())) if len(found) == 1 and len(options) == 1 else None
        decided, place = _fitting(sentence, {p.level for p in options.values()}, chosen)
        if decided:
            return complete_unit(text, place) if place is not None else None
        return canonical_unit(f"{organ} {next(iter(found))}") if len(found) == 1 else None
    segments = _parse(text)
    organ = segments[-2].text if how == "level" else segments[-1].text
    candidates = [p for p in article.by_organ.get(organ, {}).values() if p.level == level]
    place = candidates[0] if len(candidates) == 1 else article.of_level(level)
    decided, in_sentence = _fitting(sentence, {level}, place)
    if decided:
        place = in_sentence
    return complete_unit(text, place) if place is not None else None


_COORDINATION = re.compile(r"^\s*(?:,|và|,\s*và)\s*$")


def _shared_places(text: str, units: list[Mention]) -> dict[Hashable, str]:
    """`Thành ủy, HĐND, UBND, Ủy ban MTTQ Việt Nam thành phố Hà Nội`: organs listed before the one that names the
    place share it."""
    out: dict[Hashable, str] = {}
    run: list[Mention] = []
    for m in units:
        if run and not _COORDINATION.match(text[run[-1].end : m.start]):
            run = []
        if missing_place(m.text):
            run.append(m)
            continue
        places = unit_places(m.text)
        if run and places:
            place = places[-1]
            for other in run:
                how, level = missing_place(other.text)
                if how == "organ" or level == place.level:
                    out[other.key] = complete_unit(other.text, place)
        run = []
    return out


def unit_names(mentions: list[Mention], text: str) -> dict[Hashable, UnitName]:
    """For each UNIT mention of the article `text`: its canonical name, an acronym defined in brackets spelled out
    (`PVN`), an organ completed with the place its bracketed acronym is followed by or that the organs listed with it
    share, else completed from its sentence or the article where they leave one candidate (`_completion`); and its
    successor after 2025. A bare organ (`HĐND`) is completed last, from the names the others got (`HĐND thành phố` -> Hà Nội)."""
    units = [m for m in mentions if m.label == "UNIT"]
    aliases = _aliases(text, units)
    given = {**_places_after_acronyms(text, units), **_shared_places(text, units), **_split_names(text, units)}
    article = _ArticlePlaces.of(units)
    bounds = sentence_bounds(text)
    starts = [b[0] for b in bounds]
    provinces = tuple(sorted(name_key(p.name) for p in article.place.values() if _rank(p) == 0))

    def in_sentence(m: Mention) -> tuple[Place, ...]:
        start, end = bounds[max(0, bisect.bisect_right(starts, m.start) - 1)] if bounds else (0, len(text))
        return sentence_places(text[start:end], provinces)

    names: dict[Hashable, tuple[str, bool]] = {}
    for m in units:
        canonical = canonical_unit(m.text)
        expanded = given.get(m.key) or _with_aliases(canonical, aliases)
        if expanded == canonical and (missing_place(m.text) or ("", ""))[0] != "organ":
            expanded = _completion(m.text, article, in_sentence(m)) or canonical
        names[m.key] = (expanded, expanded != canonical)
    # bare organs: the one full name the article gives the organ, as written or completed
    full: dict[str, set[str]] = {}
    for m in units:  # (`Đảng ủy Khối ...` is an organ of its own)
        name, _ = names[m.key]
        for organ in sorted(BARE_LOCAL_ORGANS, key=len, reverse=True):
            if name.startswith(organ + " ") and not missing_place(name) and not name[len(organ):].startswith(" Khối"):
                full.setdefault(organ, set()).add(name[len(organ) + 1:])
                break
    article.complements = full
    for m in units:
        if names[m.key][1] or (missing_place(m.text) or ("", ""))[0] != "organ":
            continue
        found = _completion(m.text, article, in_sentence(m))
        if found:
            names[m.key] = (found, True)
    provinces = [p.text() for p in article.place.values() if _rank(p) == 0]
    districts = [p.text() for p in article.place.values() if _rank(p) == 1]
    return {key: UnitName(name, completed, successor_unit(name, provinces, districts))
            for key, (name, completed) in names.items()}


def canonical_units(doc: Doc) -> dict[tuple[int, int], UnitName]:
    """For each UNIT entity of the doc (by token start and end): its canonical name (unit_names)."""
    return unit_names(doc_mentions(doc), doc.text)


def canonical_mentions(mentions: list[Mention], text: str, titles: dict | None = None) -> dict[Hashable, list]:
    """key -> [canonical, completed, successor] for every OFFICIAL, UNIT and TITLE mention of an article."""
    out: dict[Hashable, list] = {key: [name, False, None] for key, name in link_mentions(mentions, text, titles).items()}
    out.update({key: [u.canonical, u.completed, u.successor] for key, u in unit_names(mentions, text).items()})
    out.update({m.key: [canonical_title(m.text), False, None] for m in mentions if m.label == "TITLE"})
    return out


# ---------------------------------------------------------------------------------------------------------
# extensions


_CACHE = "vietgov.canonical"


def _signature(doc: Doc) -> str:
    # from the token array, not doc.ents: that builds every token (3 ms an article, on every span's lookup)
    relations = doc._.relation_offsets if Doc.has_extension("relation_offsets") else []
    digest = hashlib.blake2b(doc.to_array([ENT_IOB, ENT_TYPE]).tobytes(), digest_size=16)
    digest.update(repr(relations).encode())
    return digest.hexdigest()


def canonical_entities(doc: Doc) -> dict[str, list]:
    """`"start:end"` -> [canonical, completed, successor] for every OFFICIAL, UNIT and TITLE entity; cached in
    `doc.user_data` (plain strings and lists, so the Doc still serialises) until its entities change."""
    signature = _signature(doc)
    cached = doc.user_data.get(_CACHE)
    if cached and cached[0] == signature:
        return cached[1]
    found = canonical_mentions(doc_mentions(doc), doc.text, doc_titles(doc))
    out = {f"{start}:{end}": value for (start, end), value in found.items()}
    doc.user_data[_CACHE] = [signature, out]
    return out


# the labels that carry span._.canonical, and the canonical form of a span's text alone
CANONICAL_FORM = {"OFFICIAL": canonical_name, "UNIT": canonical_unit, "TITLE": canonical_title}


def _entry(span: Span) -> list | None:
    if span.label_ not in CANONICAL_FORM:
        return None
    found = canonical_entities(span.doc).get(f"{span.start}:{span.end}")
    if found is not None:
        return found
    # a span that is not one of the doc's entities: its text alone
    text = CANONICAL_FORM[span.label_](span.text)
    return [text, False, successor_unit(text) if span.label_ == "UNIT" else None]


def _canonical(span: Span) -> str | None:
    entry = _entry(span)
    return entry[0] if entry else None


def _completed(span: Span) -> bool:
    entry = _entry(span)
    return bool(entry and entry[1])


def _successor(span: Span) -> str | None:
    entry = _entry(span)
    return entry[2] if entry else None


def register_extensions() -> None:
    """span._.canonical, span._.completed, span._.successor (module functions: picklable for n_process)."""
    for name, getter in (("canonical", _canonical), ("completed", _completed), ("successor", _successor)):
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)


def canonical_positions(doc: Doc) -> list[tuple[str | None, str, str | None]]:
    """The article's distinct positions as canonical strings (official, title, unit), in order of first mention;
    official None where the name is ambiguous, unit None where the title has none."""
    seen = {}
    for official, title, unit in doc._.positions:
        key = (_canonical(official), _canonical(title), _canonical(unit) if unit is not None else None)
        seen.setdefault(key, None)
    return list(seen)
