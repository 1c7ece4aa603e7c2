"""Read documents for `vietgov extract` and write what the pipeline found."""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Iterator


class InputError(ValueError):
    pass


def decode(data: bytes, name: str) -> str:
    """UTF-8 text, NFC-normalised; binary or undecodable input is an error naming the byte offset."""
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise InputError(f"{name}: binary input (NUL byte at offset {nul}), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {err.start})") from None
    return unicodedata.normalize("NFC", text)


def read_documents(paths: list[str]) -> Iterator[tuple[str, str]]:
    """(id, text) for each input: `-` is standard input; a .jsonl file gives one document per line."""
    for p in paths:
        if p == "-":
            yield "stdin", decode(sys.stdin.buffer.read(), "<stdin>")
            continue
        path = Path(p)
        if not path.is_file():
            raise InputError(f"{p}: no such file")
        text = decode(path.read_bytes(), p)
        if path.suffix == ".jsonl":
            for lineno, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as err:
                        raise InputError(f"{p}:{lineno}: invalid JSON ({err.msg})") from None
                    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                        raise InputError(f"{p}:{lineno}: expected an object with a 'text' field")
                    yield str(obj.get("id", f"{path.stem}-{lineno}")), unicodedata.normalize("NFC", obj["text"])
        else:
            yield p, text


def _span(span) -> dict:
    return {"text": span.text, "start": span.start_char, "end": span.end_char}


def doc_to_json(doc_id: str, doc) -> dict:
    """Entities (with figure values), relations and position triples; offsets index the NFC text."""
    entities = []
    for e in doc.ents:
        item = {**_span(e), "label": e.label_}
        if e.label_ == "FIGURE":
            item.update(value=e._.value, unit=e._.unit, total=e._.total)
        entities.append(item)
    out = {"id": doc_id, "entities": entities}
    if doc.has_extension("relations"):
        out["relations"] = [{"head": _span(h), "tail": _span(t), "type": label} for h, t, label in doc._.relations]
        out["positions"] = [{"official": o.text, "title": t.text, "unit": u.text if u is not None else None}
                            for o, t, u in doc._.positions]
    return out


def doc_to_conll(doc) -> str:
    """Token and IOB2 tag per line, a blank line after each document."""
    lines = []
    for tok in doc:
        if tok.is_space:
            continue
        tag = "O" if tok.ent_iob_ == "O" else f"{tok.ent_iob_}-{tok.ent_type_}"
        lines.append(f"{tok.text.replace(' ', '_')}\t{tag}")
    return "\n".join(lines) + "\n\n"


def render_html(docs) -> str:
    from spacy import displacy

    colors = {"OFFICIAL": "#f4a261", "TITLE": "#e9c46a", "UNIT": "#8ecae6", "FIGURE": "#b7e4c7"}
    return displacy.render(list(docs), style="ent", page=True, options={"colors": colors})
