"""Inline markup for writing and reviewing annotated articles without typing offsets.

    # id: team-0001
    # source: team
    Sáng 14/3, [Bí thư]{T:t1} [Quận ủy quận 1]{U:u1} [Dương Anh Đức]{O:o1} chủ trì hội nghị.
    >> o1-t1 t1-u1

- Leading `# key: value` lines are the record's `id` and `meta`.
- `[surface]{LABEL}` or `[surface]{LABEL:key}` marks an entity; LABEL is
  OFFICIAL/TITLE/UNIT/FIGURE or its first letter. A key names the entity for relations.
- A line starting with `>>` lists relations as `head-tail` key pairs; the type
  follows from the labels (OFFICIAL-TITLE is HAS_TITLE, TITLE-UNIT is TITLE_OF).
- `\\[ \\] \\{ \\} \\\\` are literal brackets and backslash. Every other line is text.
- `# corpus:`, `# doc_id:` and `# sha256:` headers make a by-reference record (an
  article of the news corpus): its JSONL form keeps them instead of the text,
  and the text written here must be exactly that document's.
"""
from __future__ import annotations

import re
from pathlib import Path

from .records import REFERENCE, Entity, Record, RecordError, Relation, nfc, text_sha256
from .schema import LABELS, RELATION_TYPE_OF

SHORT = {label[0]: label for label in LABELS}
_HEADER = re.compile(r"#\s*([\w-]+)\s*:\s?(.*)$")
_ANNOT = re.compile(r"\{([A-Za-z]+)(?::([A-Za-z0-9_]+))?\}")
_PAIR = re.compile(r"([A-Za-z0-9_]+)-([A-Za-z0-9_]+)")
_ESCAPES = "[]{}\\"


def parse_markup(source: str, path: str | Path = "<markup>") -> Record:
    """Parse one article in markup; errors name path:line:column."""
    lines = nfc(source).split("\n")
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines) and _HEADER.match(lines[i]):
        key, value = _HEADER.match(lines[i]).groups()
        meta[key] = value.strip()
        i += 1
    if "id" not in meta:
        raise RecordError("markup has no '# id: ...' header line", path, 1)
    rid = meta.pop("id")
    text_parts: list[str] = []
    entities: list[Entity] = []
    keys: dict[str, tuple[Entity, int]] = {}
    pairs: list[tuple[str, str, int]] = []
    offset = 0
    first_text = True
    for lineno in range(i + 1, len(lines) + 1):
        line = lines[lineno - 1]
        if line.startswith(">>"):
            body = line[2:]
            leftover = _PAIR.sub("", body).replace(",", " ").replace(";", " ").strip()
            if leftover:
                raise RecordError(f"relation line has {leftover!r}; write pairs as head-tail", path, lineno)
            pairs.extend((h, t, lineno) for h, t in _PAIR.findall(body))
            continue
        if not first_text:
            text_parts.append("\n")
            offset += 1
        first_text = False
        col = 0
        open_at = None
        buf = []
        while col < len(line):
            ch = line[col]
            if ch == "\\" and col + 1 < len(line) and line[col + 1] in _ESCAPES:
                buf.append(line[col + 1])
                col += 2
                continue
            if ch == "[":
                if open_at is not None:
                    raise RecordError(f"column {col + 1}: '[' inside an open entity (escape it as \\[)", path, lineno)
                open_at = (offset + len("".join(buf)), col)
                col += 1
                continue
            if ch == "]":
                if open_at is None:
                    raise RecordError(f"column {col + 1}: ']' without '[' (escape it as \\])", path, lineno)
                m = _ANNOT.match(line, col + 1)
                if not m:
                    raise RecordError(f"column {col + 1}: ']' must be followed by {{LABEL}} or {{LABEL:key}}", path, lineno)
                label = SHORT.get(m.group(1).upper(), m.group(1).upper())
                if label not in LABELS:
                    raise RecordError(f"column {m.start() + 1}: unknown label {m.group(1)!r}", path, lineno)
                start, end = open_at[0], offset + len("".join(buf))
                if end == start:
                    raise RecordError(f"column {open_at[1] + 1}: empty entity", path, lineno)
                ent = Entity(len(entities) + 1, label, start, end)
                entities.append(ent)
                if m.group(2):
                    if m.group(2) in keys:
                        raise RecordError(f"column {m.start() + 1}: key {m.group(2)!r} is used twice", path, lineno)
                    keys[m.group(2)] = (ent, lineno)
                open_at = None
                col = m.end()
                continue
            if ch in "{}":
                raise RecordError(f"column {col + 1}: stray {ch!r} (escape it as \\{ch})", path, lineno)
            buf.append(ch)
            col += 1
        if open_at is not None:
            raise RecordError(f"column {open_at[1] + 1}: '[' is never closed on its line", path, lineno)
        chunk = "".join(buf)
        text_parts.append(chunk)
        offset += len(chunk)
    text = "".join(text_parts)
    # Blank lines around the article are layout, not text.
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    for ent in entities:
        ent.start -= lead
        ent.end -= lead
    relations = []
    for head, tail, lineno in pairs:
        for key in (head, tail):
            if key not in keys:
                raise RecordError(f"relation {head}-{tail}: no entity has key {key!r}", path, lineno)
        h, t = keys[head][0], keys[tail][0]
        rtype = RELATION_TYPE_OF.get((h.label, t.label))
        if rtype is None:
            raise RecordError(
                f"relation {head}-{tail}: {h.label} -> {t.label} is no relation type "
                f"({' or '.join(f'{a}-{b}' for a, b in RELATION_TYPE_OF)})", path, lineno)
        relations.append(Relation(len(relations) + 1, h.id, t.id, rtype))
    ref = None
    if all(k in meta for k in REFERENCE):
        ref = {k: meta.pop(k) for k in REFERENCE}
        if text_sha256(text) != ref["sha256"]:
            raise RecordError(f"record {rid}: the text is not that of corpus document {ref['doc_id']!r} "
                              "(its SHA-256 differs): change only the markup, never the text", path, 1)
    return Record(rid, text, entities, relations, meta, str(path), None, ref)


def _escape(text: str) -> str:
    return re.sub(r"([\[\]{}\\])", r"\\\1", text)


def to_markup(rec: Record) -> str:
    """Render a record as markup; `parse_markup(to_markup(r))` gives `r` back."""
    related = {r.head for r in rec.relations} | {r.tail for r in rec.relations}
    counters: dict[str, int] = {}
    keys: dict[int, str] = {}
    for ent in sorted(rec.entities, key=lambda e: e.start):
        if ent.id in related:
            letter = ent.label[0].lower()
            counters[letter] = counters.get(letter, 0) + 1
            keys[ent.id] = f"{letter}{counters[letter]}"
    by_id = {e.id: e for e in rec.entities}
    header = {**(rec.ref or {}), **rec.meta}
    out = [f"# id: {rec.id}"] + [f"# {k}: {v}" for k, v in header.items()]
    # relations are written after the line where their later argument ends
    line_starts = [0] + [m.end() for m in re.finditer("\n", rec.text)]
    rel_after: dict[int, list[str]] = {}
    for rel in rec.relations:
        end = max(by_id[rel.head].end, by_id[rel.tail].end)
        line = max(i for i, s in enumerate(line_starts) if s <= max(end - 1, 0))
        rel_after.setdefault(line, []).append(f"{keys[rel.head]}-{keys[rel.tail]}")
    ents = sorted(rec.entities, key=lambda e: e.start)
    for lineno, start in enumerate(line_starts):
        end = line_starts[lineno + 1] - 1 if lineno + 1 < len(line_starts) else len(rec.text)
        pieces, pos = [], start
        for ent in ents:
            if ent.start < start or ent.start >= end:
                continue
            pieces.append(_escape(rec.text[pos : ent.start]))
            key = f":{keys[ent.id]}" if ent.id in keys else ""
            pieces.append(f"[{_escape(rec.text[ent.start:ent.end])}]{{{ent.label[0]}{key}}}")
            pos = ent.end
        pieces.append(_escape(rec.text[pos:end]))
        out.append("".join(pieces))
        if lineno in rel_after:
            out.append(">> " + " ".join(rel_after[lineno]))
    return "\n".join(out) + "\n"


def read_markup(path: str | Path) -> Record:
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise RecordError(f"not UTF-8 text (byte {err.start})", path) from None
    return parse_markup(source, path)
