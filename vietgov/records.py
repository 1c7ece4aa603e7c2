"""Annotated articles in the spec's doccano-compatible JSONL format."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

LABELS = ("OFFICIAL", "TITLE", "UNIT", "FIGURE")
# relation type -> (head label, tail label)
RELATION_TYPES = {"HAS_TITLE": ("OFFICIAL", "TITLE"), "TITLE_OF": ("TITLE", "UNIT")}


class RecordError(ValueError):
    """A record that cannot be read, with where it came from."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        where = f"{path}:{line}: " if path is not None and line is not None else (f"{path}: " if path else "")
        super().__init__(where + message)
        self.path, self.line = path, line


@dataclass
class Entity:
    id: int
    label: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "start_offset": self.start, "end_offset": self.end}


@dataclass
class Relation:
    id: int
    head: int
    tail: int
    type: str

    def to_json(self) -> dict:
        return {"id": self.id, "from_id": self.head, "to_id": self.tail, "type": self.type}


@dataclass
class Record:
    id: str
    text: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    # where the record was read from, for error messages
    path: str | None = None
    line: int | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "meta": self.meta,
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations],
        }

    def entity(self, entity_id: int) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def span_text(self, ent: Entity) -> str:
        return self.text[ent.start : ent.end]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _require(obj: dict, key: str, kind: type | tuple, path, line, what: str):
    if key not in obj:
        raise RecordError(f"{what} has no {key!r}", path, line)
    if not isinstance(obj[key], kind) or isinstance(obj[key], bool):
        raise RecordError(f"{what} field {key!r} must be {getattr(kind, '__name__', kind)}, got {obj[key]!r}", path, line)
    return obj[key]


def record_from_json(obj: dict, path=None, line=None) -> Record:
    if not isinstance(obj, dict):
        raise RecordError("a record must be a JSON object", path, line)
    rid = obj.get("id")
    if isinstance(rid, int) and not isinstance(rid, bool):
        rid = str(rid)
    if not isinstance(rid, str):
        raise RecordError("record has no string 'id'", path, line)
    text = _require(obj, "text", str, path, line, f"record {rid}")
    entities = []
    for raw in obj.get("entities", []) or []:
        if not isinstance(raw, dict):
            raise RecordError(f"record {rid}: entity {raw!r} is not an object", path, line)
        what = f"record {rid} entity {raw.get('id')}"
        entities.append(
            Entity(
                _require(raw, "id", int, path, line, what),
                _require(raw, "label", str, path, line, what),
                _require(raw, "start_offset", int, path, line, what),
                _require(raw, "end_offset", int, path, line, what),
            )
        )
    relations = []
    for raw in obj.get("relations", []) or []:
        if not isinstance(raw, dict):
            raise RecordError(f"record {rid}: relation {raw!r} is not an object", path, line)
        what = f"record {rid} relation {raw.get('id')}"
        relations.append(
            Relation(
                _require(raw, "id", int, path, line, what),
                _require(raw, "from_id", int, path, line, what),
                _require(raw, "to_id", int, path, line, what),
                _require(raw, "type", str, path, line, what),
            )
        )
    meta = obj.get("meta") or {}
    return Record(rid, text, entities, relations, meta, str(path) if path else None, line)


def json_lines(path: str | Path) -> Iterator[tuple[int, object]]:
    """(line number, object) for each non-blank line; invalid JSON raises RecordError naming file and line."""
    with Path(path).open(encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                yield lineno, json.loads(raw)
            except json.JSONDecodeError as err:
                raise RecordError(f"invalid JSON ({err.msg} at column {err.colno})", path, lineno) from None


def read_jsonl(path: str | Path) -> Iterator[Record]:
    """Yield records; a line that is not a valid record raises RecordError naming file and line."""
    for lineno, obj in json_lines(path):
        yield record_from_json(obj, Path(path), lineno)


def read_records(paths: Iterable[str | Path]) -> list[Record]:
    return [rec for p in paths for rec in read_jsonl(p)]


def write_jsonl(records: Iterable[Record], path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
