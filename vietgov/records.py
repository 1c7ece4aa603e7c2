"""Annotated articles in the spec's doccano-compatible JSONL format.

A record holds its `text`, or, for an article of the unlabeled news corpus
(whose text may not be committed), a reference to it: the corpus file name,
the document id and the SHA-256 of the text. References are resolved against
the corpus when read (`corpus=` argument, else $VIETGOV_CORPUS, else
../shared/corpus); a missing corpus, a missing document or a changed text is
an error naming the record.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator


CORPUS_ENV = "VIETGOV_CORPUS"
DEFAULT_CORPUS = "../shared/corpus"
# the fields of a by-reference record, in place of `text`
REFERENCE = ("corpus", "doc_id", "sha256")


class RecordError(ValueError):
    """A record that cannot be read, with where it came from."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        where = f"{path}:{line}: " if path is not None and line is not None else (f"{path}: " if path else "")
        super().__init__(where + message)
        self.path, self.line = path, line


class CorpusMissing(RecordError):
    """A by-reference record whose corpus file is not on this machine."""


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
    # {"corpus", "doc_id", "sha256"} for an article of the news corpus: written instead of the text
    ref: dict | None = None

    def to_json(self) -> dict:
        source = {k: self.ref[k] for k in REFERENCE} if self.ref else {"text": self.text}
        return {
            "id": self.id,
            **source,
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
    ref = None
    if "text" not in obj and "corpus" in obj:
        ref = {k: _require(obj, k, str, path, line, f"record {rid}") for k in REFERENCE}
        text = ""  # filled in by resolve_references
    else:
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
    return Record(rid, text, entities, relations, meta, str(path) if path else None, line, ref)


def split_name(path: str | Path) -> str:
    """`annotations/real/dev.jsonl` -> `real/dev`: how stats, metrics and cards name a file of gold."""
    return str(Path(path).with_suffix("")).removeprefix("annotations/")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def corpus_dir(corpus: str | Path | None = None) -> Path:
    return Path(corpus or os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)


_LEADING_ID = re.compile(r'\{"id":\s*"((?:[^"\\]|\\.)*)"')


def _corpus_texts(path: Path, wanted: set[str]) -> dict[str, str]:
    """Texts of the wanted document ids, in one pass over a corpus file (JSON lines, optionally gzipped)."""
    found: dict[str, str] = {}
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as f:
        for raw in f:
            # where the id leads the line, skip the JSON parse of the many documents not wanted
            lead = _LEADING_ID.match(raw)
            if lead and json.loads(f'"{lead.group(1)}"') not in wanted:
                continue
            obj = json.loads(raw)
            if obj.get("id") in wanted:
                found[obj["id"]] = obj["text"]
                if len(found) == len(wanted):
                    break
    return found


OnError = Callable[[RecordError], None]


def _fail(err: RecordError, on_error: OnError | None) -> None:
    """Raise `err`, or hand it to `on_error` (which reports it, or raises to stop) so reading goes on."""
    if on_error is None:
        raise err
    on_error(err)


def resolve_references(records: list[Record], corpus: str | Path | None = None,
                       on_error: OnError | None = None) -> list[Record]:
    """Fill in the text of by-reference records from the corpus, checking each text's SHA-256. With
    `on_error`, a record that cannot be resolved is reported there and left out."""
    pending: dict[str, list[Record]] = {}
    for rec in records:
        if rec.ref is not None and not rec.text:
            pending.setdefault(rec.ref["corpus"], []).append(rec)
    root = corpus_dir(corpus)
    failed: set[int] = set()
    for name, recs in pending.items():
        path = root / name
        if not path.is_file():
            first = recs[0]
            _fail(CorpusMissing(
                f"record {first.id}: corpus file {path} not found (set --corpus or ${CORPUS_ENV} "
                f"to the folder that holds {name}); {len(recs)} records point into it", first.path, first.line),
                on_error)
            failed.update(map(id, recs))
            continue
        texts = _corpus_texts(path, {r.ref["doc_id"] for r in recs})
        for rec in recs:
            text = texts.get(rec.ref["doc_id"])
            if text is None:
                err = RecordError(f"record {rec.id}: document {rec.ref['doc_id']!r} is not in {path}", rec.path, rec.line)
            elif text_sha256(text) != rec.ref["sha256"]:
                err = RecordError(f"record {rec.id}: the text of document {rec.ref['doc_id']!r} in {path} has changed "
                                  f"(SHA-256 {text_sha256(text)[:12]}…, annotated {rec.ref['sha256'][:12]}…)",
                                  rec.path, rec.line)
            else:
                rec.text = text
                continue
            _fail(err, on_error)
            failed.add(id(rec))
    return [r for r in records if id(r) not in failed]


def json_lines(path: str | Path, on_error: OnError | None = None) -> Iterator[tuple[int, object]]:
    """(line number, object) for each non-blank line; a line that is not UTF-8 JSON is a RecordError naming
    file and line (raised, or with `on_error` reported and skipped)."""
    with Path(path).open("rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as err:
                _fail(RecordError(f"not UTF-8 text (invalid byte at column {err.start + 1})", path, lineno), on_error)
                continue
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as err:
                _fail(RecordError(f"invalid JSON ({err.msg} at column {err.colno})", path, lineno), on_error)


def read_jsonl(path: str | Path, corpus: str | Path | None = None, on_error: OnError | None = None) -> list[Record]:
    """The file's records, by-reference ones resolved against `corpus`. A line that is not a valid record
    raises RecordError naming file and line; with `on_error`, it is reported there and the rest is read."""
    records = []
    for lineno, obj in json_lines(path, on_error):
        try:
            records.append(record_from_json(obj, Path(path), lineno))
        except RecordError as err:
            _fail(err, on_error)
    return resolve_references(records, corpus, on_error)


# line separators other than \n, which json.dumps leaves as they are and str.splitlines splits on
_LINE_SEPARATORS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(obj) -> str:
    """One JSON Lines line: UTF-8 as written, but no character a reader could take for a line break."""
    return json.dumps(obj, ensure_ascii=False).translate(_LINE_SEPARATORS) + "\n"


def write_jsonl(records: Iterable[Record], path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json_line(rec.to_json()))
