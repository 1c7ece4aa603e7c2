"""Training examples from annotated articles and from other NER formats.

An example is the token texts of a document, their IOB2 tags and the tokens
that open sentences. Annotated articles are segmented by the pipeline's tokenizer
(`vietgov.tokenizer`, pyvi), the same code path as inference; a token that
still straddles a gold boundary is split so that the gold span survives.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from vietgov.sentences import token_sentence_starts
from vietgov.records import CorpusMissing, Record, RecordError, json_lines, read_jsonl
from vietgov.tokenizer import token_spans, words_and_spaces


@dataclass
class Example:
    id: str
    tokens: list[str]
    tags: list[str]
    sentence_starts: list[int] = field(default_factory=lambda: [0])


@dataclass
class SplitStats:
    entities: int = 0
    straddling: int = 0  # entities with a boundary inside a pyvi token

    @property
    def straddling_share(self) -> float:
        return self.straddling / self.entities if self.entities else 0.0


def doc_from_record(nlp: Language, rec: Record, stats: SplitStats | None = None) -> Doc:
    """A Doc of the record's text with its entities as `doc.ents`, split where gold needs it."""
    doc = nlp.make_doc(rec.text)
    starts = [t.idx for t in doc]

    def inside_token(offset: int) -> bool:
        i = bisect_right(starts, offset) - 1
        return i >= 0 and starts[i] < offset < starts[i] + len(doc[i].text)

    cut = {b for e in rec.entities for b in (e.start, e.end) if inside_token(b)}
    if stats is not None:
        stats.entities += len(rec.entities)
        stats.straddling += sum(1 for e in rec.entities if e.start in cut or e.end in cut)
    if cut:
        # token texts repeat, so cuts are found by walking the tokens in order
        offsets = iter(t.idx for t in doc if not t.is_space)

        def gold_cuts(text: str, _previous) -> list[int]:
            start = next(offsets)
            return sorted(c - start for c in cut if start < c < start + len(text))

        tokens = [(t.idx, t.text) for t in doc if not t.is_space]
        words, spaces = words_and_spaces(rec.text, token_spans(rec.text, tokens, gold_cuts))
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
    ents = []
    for ent in rec.entities:
        span = doc.char_span(ent.start, ent.end, label=ent.label)
        if span is None:
            raise RecordError(
                f"record {rec.id} entity {ent.id}: {rec.text[ent.start:ent.end]!r} does not align to tokens",
                rec.path, rec.line)
        ents.append(span)
    doc.ents = ents
    return doc


def doc_tags(doc: Doc) -> list[str]:
    return ["O" if t.ent_iob_ == "O" else f"{t.ent_iob_}-{t.ent_type_}" for t in doc]


def example_from_doc(doc: Doc, id: str) -> Example:
    return Example(id, [t.text for t in doc], doc_tags(doc), token_sentence_starts(doc))


def examples_from_records(nlp: Language, records: list[Record], stats: SplitStats | None = None) -> list[Example]:
    return [example_from_doc(doc_from_record(nlp, rec, stats), rec.id) for rec in records]


def read_annotations(nlp: Language, path: str | Path, stats: SplitStats | None = None) -> list[Example]:
    return examples_from_records(nlp, read_jsonl(path), stats)


def split_paths(value) -> list[str]:
    """A `[paths]` value: one file or a list of files."""
    return [str(v) for v in ([value] if isinstance(value, str) else value or []) if v]


def read_gold(paths, corpus: str | Path | None = None) -> tuple[dict[str, list[Record]], list[str]]:
    """({path: records} of the files that can be read, [why each other file was skipped]): a by-reference
    file whose corpus is not on this machine is skipped, every other problem is an error."""
    gold, skipped = {}, []
    for path in split_paths(paths):
        try:
            gold[path] = read_jsonl(path, corpus)
        except CorpusMissing as err:
            skipped.append(f"{path} skipped, its articles' text is not here ({err})")
    return gold, skipped


def _check_tags(tags: list[str], path, line) -> list[str]:
    for tag in tags:
        if tag != "O" and (tag[:2] not in ("B-", "I-") or len(tag) < 3):
            raise RecordError(f"tag {tag!r} is not IOB2 (O, B-X, I-X)", path, line)
    return tags


def read_words_jsonl(path: str | Path) -> list[Example]:
    """`{"words": [...], "tags": [...]}` per line (one sentence or document)."""
    examples = []
    for lineno, obj in json_lines(path):
        words, tags = (obj.get("words"), obj.get("tags")) if isinstance(obj, dict) else (None, None)
        if not isinstance(words, list) or not isinstance(tags, list) or len(words) != len(tags):
            raise RecordError("needs 'words' and 'tags' lists of the same length", path, lineno)
        examples.append(Example(f"{Path(path).stem}-{lineno}", [str(w) for w in words], _check_tags(tags, path, lineno)))
    return examples


def read_conll(path: str | Path) -> list[Example]:
    """Two-column CoNLL (word, tag; extra middle columns ignored); blank lines end sentences."""
    examples, words, tags, start_line = [], [], [], 1
    with open(path, encoding="utf-8") as f:
        lines = list(enumerate(f, 1)) + [(None, "")]
    for lineno, raw in lines:
        cols = raw.split()
        if not cols or cols[0] == "-DOCSTART-":
            if words:
                examples.append(Example(f"{Path(path).stem}-{start_line}", words, _check_tags(tags, path, start_line)))
            words, tags = [], []
            continue
        if len(cols) < 2:
            raise RecordError(f"expected 'word tag', got {raw.strip()!r}", path, lineno)
        if not words:
            start_line = lineno
        words.append(cols[0])
        tags.append(cols[-1])
    return examples


def read_examples(nlp: Language, path: str | Path, fmt: str, stats: SplitStats | None = None) -> list[Example]:
    readers = {
        "annotations": lambda p: read_annotations(nlp, p, stats),
        "words": read_words_jsonl,
        "conll": read_conll,
    }
    if fmt not in readers:
        raise ValueError(f"unknown data format {fmt!r}: use one of {', '.join(readers)}")
    if not Path(path).exists():
        raise FileNotFoundError(f"{path}: no such data file")
    return readers[fmt](path)


def entity_labels(examples: list[Example]) -> list[str]:
    return sorted({tag[2:] for ex in examples for tag in ex.tags if tag != "O"})
