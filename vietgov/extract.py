"""Read documents for `vietgov extract`, run the pipeline over them in blocks, and write what it found.

Every input is read on its own: an unreadable file or line is reported to
`on_error` and the others go on. Long documents are cut into blocks at line
breaks (never inside a sentence that fits), so a book-length text runs in the
memory of a block; offsets are shifted back, so they index the text as read.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy
from spacy.tokens import Span

from .canonical import CANONICAL_FORM
from .decoding import iob_tags
from .normalize import require_unicode
from .doc_relations import distinct_positions

# characters per block: most articles are one block; a batch of blocks bounds the memory a run takes
BLOCK_CHARS = 5_000
# what a folder given as input is read for
INPUT_SUFFIXES = (".txt", ".jsonl", ".html", ".htm", ".gz")


_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")


class InputError(ValueError):
    pass


def decode(data: bytes, name: str) -> str:
    """UTF-8 text as written (offsets index it); binary or undecodable input is an error naming the byte."""
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise InputError(f"{name}: binary input (NUL byte at offset {nul}), expected UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {err.start}); "
                         "convert it first, e.g. iconv -f WINDOWS-1258 -t UTF-8") from None


def input_files(paths: list[str], on_error: Callable[[InputError], None]) -> Iterator[str]:
    """The inputs named: files, `-` (standard input), or folders (their text, JSONL, HTML and .gz files)."""
    for p in paths:
        path = Path(p)
        if p == "-" or path.is_file():
            yield p
        elif path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix in INPUT_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(path).parts))
            if not files:
                on_error(InputError(f"{p}: a folder without {', '.join(INPUT_SUFFIXES)} files"))
            yield from map(str, files)
        else:
            on_error(InputError(f"{p}: no such file or folder"))


def _read_bytes(p: str) -> bytes:
    if p == "-":
        return sys.stdin.buffer.read()
    data = Path(p).read_bytes()
    if p.endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise InputError(f"{p}: not a readable gzip file ({err})") from None
    return data


def read_documents(paths: list[str], on_error: Callable[[InputError], None]) -> Iterator[tuple[str, str]]:
    """(id, text) for each input: `-` is standard input; a .jsonl file gives one document per line. A file
    or line that cannot be read is passed to `on_error` (which may raise to stop) and skipped."""
    for p in input_files(paths, on_error):
        name = "<stdin>" if p == "-" else p
        try:
            text = decode(_read_bytes(p), name)
        except InputError as err:
            on_error(err)
            continue
        except OSError as err:
            on_error(InputError(f"{name}: cannot read ({err.strerror or err})"))
            continue
        if not p.removesuffix(".gz").endswith(".jsonl"):
            yield ("stdin" if p == "-" else p), text
            continue
        stem = Path(p.removesuffix(".gz")).stem
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                on_error(InputError(f"{name}:{lineno}: invalid JSON ({err.msg} at column {err.colno})"))
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                on_error(InputError(f"{name}:{lineno}: expected an object with a string 'text' field"))
                continue
            try:
                require_unicode(obj["text"])
            except ValueError as err:
                on_error(InputError(f"{name}:{lineno}: 'text' is {err}"))
                continue
            yield str(obj.get("id", f"{stem}-{lineno}")), obj["text"]


def blocks(text: str, size: int = BLOCK_CHARS) -> list[tuple[int, str]]:
    """(offset, block) pieces of `text` of at most `size` characters, cut after a line break where one lies
    in the second half of a block, else after a sentence end or a space, else anywhere."""
    out, start = [], 0
    while len(text) - start > size:
        end = start + size
        half = start + size // 2
        cut = text.rfind("\n", half, end) + 1
        if not cut:
            cut = max(text.rfind(". ", half, end) + 2, text.rfind(" ", half, end) + 1)
        if cut <= half:
            cut = end
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


def pipe_documents(nlp, documents: Iterable[tuple[str, str]], *, batch_size: int = 64, n_process: int = 1,
                   block_chars: int = BLOCK_CHARS, make_doc: Callable | None = None
                   ) -> Iterator[tuple[str, str, list[tuple[int, object]]]]:
    """(id, text, [(offset, doc), ...]) per document: `nlp` run over its blocks, in input order; `make_doc`
    (e.g. `vietgov.words.words_doc` for pre-segmented text) makes each block's Doc instead of the tokenizer."""
    pending: dict[int, tuple[str, str, int]] = {}
    parts: dict[int, list] = {}

    def stream():
        for index, (doc_id, text) in enumerate(documents):
            pieces = blocks(text, block_chars)
            pending[index] = (doc_id, text, len(pieces))
            parts[index] = []
            for offset, block in pieces:
                yield (make_doc(block) if make_doc else block), (index, offset)

    for doc, (index, offset) in nlp.pipe(stream(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        doc.tensor = _NO_TENSOR  # the hidden states were for the relation model: a long document keeps none
        parts[index].append((offset, doc))
        doc_id, text, n = pending[index]
        if len(parts[index]) == n:
            del pending[index]
            yield doc_id, text, parts.pop(index)


def _span(span, offset: int) -> dict:
    return {"text": span.text, "start": span.start_char + offset, "end": span.end_char + offset}


def doc_to_json(doc_id: str, parts: list[tuple[int, object]]) -> dict:
    """Entities (with figure values), relations and distinct position triples of a document's blocks;
    offsets index the text as read, so `text[start:end]` is each span's text."""
    entities, relations, positions = [], [], []
    for offset, doc in parts:
        for e in doc.ents:
            item = {**_span(e, offset), "label": e.label_, "confidence": e._.confidence}
            if e.label_ == "FIGURE":
                item.update(value=e._.value, unit=e._.unit, total=e._.total)
            elif e.label_ in CANONICAL_FORM and Span.has_extension("canonical"):
                item["canonical"] = e._.canonical  # vietgov.canonical: linked name, canonical unit or title
                if e.label_ == "UNIT":
                    item.update(completed=e._.completed, successor=e._.successor)
            entities.append(item)
        if doc.has_extension("relations"):
            relations += [{"head": _span(h, offset), "tail": _span(t, offset), "type": label}
                          for h, t, label in doc._.relations]
            positions += doc._.positions
    out = {"id": doc_id, "entities": entities}
    if parts and parts[0][1].has_extension("relations"):
        out["relations"] = relations
        out["positions"] = [{"official": o.text, "title": t.text, "unit": u.text if u is not None else None,
                             "canonical": [o._.canonical, t._.canonical, u._.canonical if u is not None else None]}
                            for o, t, u in distinct_positions(positions)]
    return out


def doc_to_conll(parts: list[tuple[int, object]]) -> str:
    """Token and IOB2 tag per line, a blank line after each document; whitespace and markup tokens left out."""
    lines = []
    for _, doc in parts:
        for tok, tag in zip(doc, iob_tags(doc)):
            if tok.is_space or not tok.text.strip():
                continue
            lines.append(f"{'_'.join(tok.text.split())}\t{tag}")
    return "\n".join(lines) + "\n\n"


def render_html(documents: Iterable[list[tuple[int, object]]]) -> str:
    from spacy import displacy
    from spacy.tokens import Doc

    colors = {"OFFICIAL": "#f4a261", "TITLE": "#e9c46a", "UNIT": "#8ecae6", "FIGURE": "#b7e4c7"}
    docs = [parts[0][1] if len(parts) == 1 else Doc.from_docs([d for _, d in parts], ensure_whitespace=False)
            for parts in documents]
    return displacy.render(docs, style="ent", page=True, options={"colors": colors})
