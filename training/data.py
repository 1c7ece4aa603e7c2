"""Training examples from annotated articles and from word-level NER data.

An example is the token texts of a document, their IOB2 tags and the tokens
that open sentences. Annotated articles are segmented by the pipeline's tokenizer
(`vietgov.tokenizer`, pyvi), the same code path as inference; a token that
still straddles a gold boundary is split so that the gold span survives.
Word-level data (`vietgov.words`: words JSON lines, CoNLL) keeps its own words.

    python -m training.data annotations/test.jsonl --output test.words.jsonl [--documents]

writes annotated articles as word-level data (a sentence per line, or an article).
"""
from __future__ import annotations

from bisect import bisect_right
import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from vietgov.decoding import iob_tags
from vietgov.sentences import token_sentence_starts
from vietgov.records import CorpusMissing, Record, RecordError, read_jsonl
from vietgov.tokenizer import blank, token_spans, words_and_spaces
from vietgov.words import TaggedTokens, data_format, read_tagged


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


def example_from_doc(doc: Doc, id: str) -> TaggedTokens:
    return TaggedTokens(id, [t.text for t in doc], iob_tags(doc), token_sentence_starts(doc))


def examples_from_records(nlp: Language, records: list[Record], stats: SplitStats | None = None) -> list[TaggedTokens]:
    return [example_from_doc(doc_from_record(nlp, rec, stats), rec.id) for rec in records]


def training_examples(nlp: Language, gold: list, stats: SplitStats | None = None) -> list[TaggedTokens]:
    """The examples of one gold file as `read_gold` gives it: records segmented by the tokenizer, or
    word-level examples as they are."""
    return gold if gold and isinstance(gold[0], TaggedTokens) else examples_from_records(nlp, gold, stats)


def split_paths(value) -> list[str]:
    """A `[paths]` value: one file or a list of files."""
    return [str(v) for v in ([value] if isinstance(value, str) else value or []) if v]


def read_gold(paths, corpus: str | Path | None = None, fmt: str = "annotations") -> tuple[dict[str, list], list[str]]:
    """({path: records or word-level examples} of the files that can be read, [why each other file was
    skipped]): a by-reference file whose corpus is not on this machine is skipped, every other problem is
    an error."""
    paths = split_paths(paths)
    data_format(paths, fmt)
    gold, skipped = {}, []
    for path in paths:
        if fmt != "annotations":
            gold[path] = read_tagged(path, fmt)
            continue
        try:
            gold[path] = read_jsonl(path, corpus)
        except CorpusMissing as err:
            skipped.append(f"{path} skipped, its articles' text is not here ({err})")
    return gold, skipped


def entity_labels(examples: list[TaggedTokens]) -> list[str]:
    return sorted({tag[2:] for ex in examples for tag in ex.tags if tag != "O"})


def word_examples(nlp: Language, records: list[Record], documents: bool = False) -> list[TaggedTokens]:
    """The records' sentences (or, with `documents`, whole records) as word-level examples: words as the
    tokenizer segments them, whitespace dropped, as a word-level benchmark would hold them."""
    out = []
    for rec in records:
        doc = doc_from_record(nlp, rec)
        tags = iob_tags(doc)
        starts = [0] if documents else sorted({0, *token_sentence_starts(doc)})
        for k, (start, end) in enumerate(zip(starts, starts[1:] + [len(doc)])):
            words = [t for t in doc[start:end] if not t.is_space]
            if words:
                sent_tags = [tags[t.i] for t in words]
                if sent_tags[0].startswith("I-"):  # an entity across a sentence start (rare) opens anew
                    sent_tags[0] = "B-" + sent_tags[0][2:]
                out.append(TaggedTokens(f"{rec.id}-{k}", ["_".join(t.text.split()) for t in words], sent_tags))
    return out


def main(argv: list[str] | None = None) -> int:
    """Annotated articles (the spec's JSONL) -> word-level data, one sentence (or article) per line."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("paths", nargs="+", help="annotation files (.jsonl)")
    parser.add_argument("-o", "--output", required=True, help="words JSON lines ({'words': [...], 'tags': [...]})")
    parser.add_argument("--corpus", help="folder of the news corpus that by-reference records point into")
    parser.add_argument("--documents", action="store_true", help="one article per line instead of one sentence")
    args = parser.parse_args(argv)
    nlp = blank()
    examples = word_examples(nlp, [r for p in args.paths for r in read_jsonl(p, args.corpus)], args.documents)
    with open(args.output, "w", encoding="utf-8") as f:
        for ex in examples:
            f.write(json.dumps({"words": ex.tokens, "tags": ex.tags}, ensure_ascii=False) + "\n")
    print(f"wrote {len(examples)} {'articles' if args.documents else 'sentences'} to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
