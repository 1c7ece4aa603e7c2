"""Read documents for `vietgov extract`, run the pipeline over them in blocks, and write what it found.

Inputs are read by `vietgov.corpus` (as `vietgov positions build` reads them): an unreadable file or line is
reported to `on_error` and the others go on. Long documents are cut into blocks at line
breaks (never inside a sentence that fits), so a book-length text runs in the
memory of a block; offsets are shifted back, so they index the text as read.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import numpy
from spacy.tokens import Span

from .canonical import CANONICAL_FORM
from .corpus import read_corpus
from .decoding import iob_tags
from .doc_relations import distinct_positions

# characters per block: most articles are one block; a batch of blocks bounds the memory a run takes
BLOCK_CHARS = 5_000
_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")


def read_documents(paths: list[str], on_error: Callable[[str], None]) -> Iterator[tuple[str, str]]:
    """(id, text) for each document of the inputs (`vietgov.corpus.read_corpus`: text, HTML and JSON lines files,
    gzipped or not, `-` for standard input, globs and folders), empty ones too; what cannot be read goes to
    `on_error` (which may raise to stop) and is skipped."""
    for article in read_corpus(paths, on_error, keep_empty=True):
        yield article.id, article.text


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
