"""Already segmented words: Docs made from them, and the word-level NER formats.

Word segmenters (VnCoreNLP, RDRSegmenter, pyvi's `ViTokenizer.tokenize`) join the syllables of a word with
`_` (`Nguyễn_Văn_A`), and word-level NER data (PhoNER, VLSP) ships such words with IOB2 tags, as
`{"words": [...], "tags": [...]}` JSON lines or two-column CoNLL. `words_doc` makes a Doc whose tokens are
those words, so the pipeline's components run on the segmentation the data was made with rather than on
pyvi's. A `_` between syllables is read as a space, as in the tokenizer's own tokens (`Bí thư`): the model
reads either as `Bí_thư`, and entity texts, figure values and the relation rules see ordinary text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .decoding import spans_from_iob
from .records import Entity, Record, RecordError, json_lines
from .sentences import sentence_spans
from .tokenizer import words_and_spaces

# how training data and gold files are written: the spec's JSONL, words JSON lines, CoNLL
FORMATS = ("annotations", "words", "conll")
# an underscore between two syllables; `_` alone or in a run (`__init__`) is text
_JOINER = re.compile(r"(?<=[^\s_])_(?=[^\s_])")


@dataclass
class TaggedTokens:
    """The words of a sentence or document with their IOB2 tags and the words that open sentences."""

    id: str
    tokens: list[str]
    tags: list[str]
    sentence_starts: list[int] = field(default_factory=lambda: [0])


def syllables(word: str) -> str:
    """`Nguyễn_Văn_A` -> `Nguyễn Văn A` (same length, so offsets into segmented text still hold)."""
    return _JOINER.sub(" ", word)


def words_text(words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The text of the words joined by single spaces (`_` between syllables read as a space) and each
    word's character span in it."""
    parts, spans, pos = [], [], 0
    for word in words:
        word = syllables(word)
        spans.append((pos, pos + len(word)))
        parts.append(word)
        pos += len(word) + 1
    return " ".join(parts), spans


def words_doc(nlp, words: str | Sequence[str], sent_starts: Sequence[int] | None = None):
    """A Doc of already segmented words, for the pipeline's components (`nlp(doc)`, `nlp.pipe(docs)`).

    `words` is a list of words (`["Ông", "Nguyễn_Văn_A"]` or `["Ông", "Nguyễn Văn A"]`), or segmented text
    (`"Ông Nguyễn_Văn_A nói ."`: words separated by whitespace, which is kept, so offsets index that text).
    `sent_starts` are the indices of the words that open sentences; by default the sentences are found as
    the tokenizer finds them (a line break always ends one).
    """
    from spacy.tokens import Doc

    if isinstance(words, str):
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", words)]
        text = syllables(words)
    else:
        empty = [i for i, w in enumerate(words) if not str(w).strip()]
        if empty:
            raise ValueError(f"word {empty[0]} is empty or whitespace: a word needs a letter, digit or sign")
        text, spans = words_text([str(w) for w in words])
    doc_words, spaces = words_and_spaces(text, spans)
    offsets, pos = [], 0
    for word, space in zip(doc_words, spaces):
        offsets.append(pos)
        pos += len(word) + space
    if sent_starts is None:
        opening = {s for s, _ in sentence_spans(text)}
    else:
        opening = {spans[i][0] for i in sent_starts if 0 <= i < len(spans)}
    starts = [offset in opening for offset in offsets]
    if starts:
        starts[0] = True
    return Doc(nlp.vocab, words=doc_words, spaces=spaces, sent_starts=starts)


def example_record(ex: TaggedTokens) -> Record:
    """The example as a record: the text `words_doc` makes of its words, its tagged spans as entities."""
    text, spans = words_text(ex.tokens)
    entities = [Entity(k, label, spans[s][0], spans[e - 1][1])
                for k, (s, e, label) in enumerate(spans_from_iob(ex.tags), 1)]
    return Record(ex.id, text, entities)


def _check(words: list, tags: list, path, line) -> tuple[list[str], list[str]]:
    for k, word in enumerate(words):
        if not isinstance(word, str) or not word.strip():
            raise RecordError(f"word {k} ({word!r}) is not a non-empty string", path, line)
    for tag in tags:
        if not isinstance(tag, str) or (tag != "O" and (tag[:2] not in ("B-", "I-") or len(tag) < 3)):
            raise RecordError(f"tag {tag!r} is not IOB2 (O, B-X, I-X)", path, line)
    return words, tags


def read_words_jsonl(path: str | Path) -> list[TaggedTokens]:
    """`{"words": [...], "tags": [...]}` per line (one sentence or document)."""
    examples = []
    for lineno, obj in json_lines(path):
        words, tags = (obj.get("words"), obj.get("tags")) if isinstance(obj, dict) else (None, None)
        if not isinstance(words, list) or not isinstance(tags, list) or len(words) != len(tags):
            raise RecordError("needs 'words' and 'tags' lists of the same length", path, lineno)
        examples.append(TaggedTokens(f"{Path(path).stem}-{lineno}", *_check(words, tags, path, lineno)))
    return examples


def read_conll(path: str | Path) -> list[TaggedTokens]:
    """Two-column CoNLL (word, tag; extra middle columns ignored); blank lines end sentences."""
    examples, words, tags, start_line = [], [], [], 1
    with open(path, encoding="utf-8") as f:
        lines = list(enumerate(f, 1)) + [(None, "")]
    for lineno, raw in lines:
        cols = raw.split()
        if not cols or cols[0] == "-DOCSTART-":
            if words:
                examples.append(TaggedTokens(f"{Path(path).stem}-{start_line}", *_check(words, tags, path, start_line)))
            words, tags = [], []
            continue
        if len(cols) < 2:
            raise RecordError(f"expected 'word tag', got {raw.strip()!r}", path, lineno)
        if not words:
            start_line = lineno
        words.append(cols[0])
        tags.append(cols[-1])
    return examples


def read_tagged(path: str | Path, fmt: str) -> list[TaggedTokens]:
    """The examples of a word-level file, `fmt` "words" or "conll"."""
    readers = {"words": read_words_jsonl, "conll": read_conll}
    if fmt not in readers:
        raise ValueError(f"{fmt!r} is not a word-level format: use one of {', '.join(readers)}")
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no such data file")
    return readers[fmt](path)


def data_format(paths: Sequence[str | Path], fmt: str = "auto") -> str:
    """The one format of the files: `fmt`, checked against each file that exists, or with "auto", told from them."""
    found = {str(p): detect_format(p) for p in paths}
    if fmt == "auto":
        if len(set(found.values())) > 1:
            raise ValueError("the files are in different formats: " + ", ".join(f"{p} {f}" for p, f in found.items()))
        return next(iter(found.values()), "annotations")
    if fmt not in FORMATS:
        raise ValueError(f"unknown data format {fmt!r}: use one of {', '.join(FORMATS)}")
    for path, f in found.items():
        if f != fmt and Path(path).is_file():
            raise RecordError(f"reads as {f} data, not {fmt}", path)
    return fmt


def detect_format(path: str | Path) -> str:
    """annotations, words or conll, from the file's first non-blank line: a JSON object with `words` is the
    words format, any other JSON (or a folder, or .ann markup) the spec's annotations, anything else CoNLL."""
    path = Path(path)
    if path.is_dir() or path.suffix == ".ann" or not path.is_file():
        return "annotations"
    with path.open(encoding="utf-8") as f:
        first = next((line for line in f if line.strip()), "")
    try:
        obj = json.loads(first)
    except ValueError:
        return "conll"
    return "words" if isinstance(obj, dict) and "words" in obj else "annotations"
