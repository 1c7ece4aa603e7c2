"""Mechanical checks of annotated records against ../shared/ANNOTATION-SPEC.md."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from .records import Record
from .schema import LABELS, RELATION_TYPES
from .sentences import sentence_index

# Characters a span may not start or end with (`TP.HCM` keeps its inner dot).
_EDGE_PUNCT = set(" \t\n,;:!?\"“”‘’'()[]{}…-–—/.·*•|")
_INITIAL = re.compile(r"(?:^|\s)\w\.$")


@dataclass
class Problem:
    path: str | None
    line: int | None
    record: str
    message: str
    entity: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.path else "<records>"
        ent = f" entity {self.entity}" if self.entity is not None else ""
        return f"{where}: record {self.record}{ent}: {self.message}"


def _quote(text: str, start: int, end: int, context: int = 20) -> str:
    left = text[max(0, start - context) : start].replace("\n", " ")
    right = text[end : end + context].replace("\n", " ")
    return f"«…{left}[{text[start:end]}]{right}…»"


def validate_record(rec: Record) -> list[Problem]:
    problems: list[Problem] = []

    def add(message: str, entity: int | None = None):
        problems.append(Problem(rec.path, rec.line, rec.id, message, entity))

    text = rec.text
    if unicodedata.normalize("NFC", text) != text:
        add("text is not NFC-normalised")
    seen_ids: set[int] = set()
    valid = []
    for ent in rec.entities:
        if ent.id in seen_ids:
            add("entity id is used twice", ent.id)
        seen_ids.add(ent.id)
        if ent.label not in LABELS:
            add(f"unknown label {ent.label!r} (known: {', '.join(LABELS)})", ent.id)
        if not (0 <= ent.start < ent.end <= len(text)):
            add(f"offsets {ent.start}-{ent.end} are outside the text (length {len(text)}) or empty", ent.id)
            continue
        span = text[ent.start : ent.end]
        if span[0] in _EDGE_PUNCT or span[-1] in _EDGE_PUNCT:
            closing_bracket = span[-1] == ")" and "(" in span
            initial = _INITIAL.search(span) is not None  # the spec's `chị [Nguyễn Thị L.]`
            if span[0] in _EDGE_PUNCT or not (closing_bracket or initial):
                add(f"{ent.label} span starts or ends on whitespace or punctuation: {_quote(text, ent.start, ent.end)}", ent.id)
        if "\n" in span:
            add(f"{ent.label} span crosses a line break: {_quote(text, ent.start, ent.end)}", ent.id)
        valid.append(ent)
    valid.sort(key=lambda e: (e.start, e.end))
    for a, b in zip(valid, valid[1:]):
        if b.start < a.end:
            add(f"overlaps entity {a.id}: {_quote(text, a.start, a.end)} and {_quote(text, b.start, b.end)}", b.id)
    by_id = {e.id: e for e in rec.entities}
    sentence_of = sentence_index(text) if rec.relations else []
    rel_ids: set[int] = set()
    pairs: set[tuple[int, int, str]] = set()
    for rel in rec.relations:
        if rel.id in rel_ids:
            add(f"relation id {rel.id} is used twice")
        rel_ids.add(rel.id)
        if rel.type not in RELATION_TYPES:
            add(f"relation {rel.id}: unknown type {rel.type!r} (known: {', '.join(RELATION_TYPES)})")
            continue
        head, tail = by_id.get(rel.head), by_id.get(rel.tail)
        if head is None or tail is None:
            add(f"relation {rel.id}: from_id {rel.head} or to_id {rel.tail} names no entity")
            continue
        want = RELATION_TYPES[rel.type]
        if (head.label, tail.label) != want:
            add(f"relation {rel.id}: {rel.type} goes {want[0]} -> {want[1]}, not {head.label} -> {tail.label}", head.id)
        if (rel.head, rel.tail, rel.type) in pairs:
            add(f"relation {rel.id}: the same relation is annotated twice", head.id)
        pairs.add((rel.head, rel.tail, rel.type))
        if 0 <= head.start < len(text) and 0 <= tail.start < len(text):
            if sentence_of[head.start] != sentence_of[tail.start]:
                add(
                    f"relation {rel.id} ({rel.type}) crosses a sentence boundary: "
                    f"{_quote(text, head.start, head.end)} -> {_quote(text, tail.start, tail.end)}",
                    head.id,
                )
    return problems


def validate_records(records: Iterable[Record]) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[str, Record] = {}
    for rec in records:
        if rec.id in first_seen:
            prev = first_seen[rec.id]
            problems.append(Problem(rec.path, rec.line, rec.id, f"record id already used at {prev.path}:{prev.line}"))
        else:
            first_seen[rec.id] = rec
        problems.extend(validate_record(rec))
    return problems
