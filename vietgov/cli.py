"""`vietgov` command line: validate, stats, convert, evaluate, extract, render."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .records import RecordError, read_jsonl, split_name, write_jsonl

MARKUP_SUFFIX = ".ann"


def _expand(paths: list[str], suffixes=(".jsonl", MARKUP_SUFFIX)) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix in suffixes))
        elif p.exists():
            out.append(p)
        else:
            raise SystemExit(f"vietgov: {p}: no such file or directory")
    return out


def load_any(paths: list[str], corpus: str | None = None):
    """Records from JSONL files and markup (.ann) files or folders of them; by-reference records are
    resolved against `corpus` (default: $VIETGOV_CORPUS or ../shared/corpus)."""
    from .markup import read_markup

    records = []
    for path in _expand(paths):
        if path.suffix == MARKUP_SUFFIX:
            records.append(read_markup(path))
        else:
            records.extend(read_jsonl(path, corpus))
    return records


def load_gold(paths: list[str], fmt: str = "auto", corpus: str | None = None) -> list:
    """Gold for `evaluate`: records (the spec's JSONL, markup) or word-level examples (`words`, `conll`);
    `auto` tells the format from each file's first line."""
    from .words import data_format, read_tagged

    fmt = data_format(paths, fmt)
    return load_any(paths, corpus) if fmt == "annotations" else [ex for p in paths for ex in read_tagged(p, fmt)]


def cmd_validate(args) -> int:
    from .validate import validate_records

    try:
        records = load_any(args.paths, args.corpus)
    except RecordError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    problems = validate_records(records)
    for p in problems:
        print(p)
    n_ents = sum(len(r.entities) for r in records)
    print(f"{len(records)} records, {n_ents} entities, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


def cmd_stats(args) -> int:
    paths = args.paths or sorted(str(p) for p in Path("annotations").rglob("*.jsonl"))
    rows = []
    total_labels, total_rels = Counter(), Counter()
    total_docs = total_words = 0
    for path in paths:
        records = load_any([path], args.corpus)
        labels = Counter(e.label for r in records for e in r.entities)
        rels = Counter(rel.type for r in records for rel in r.relations)
        words = sum(len(r.text.split()) for r in records)
        rows.append((split_name(path), len(records), words, labels, rels))
        total_labels += labels
        total_rels += rels
        total_docs += len(records)
        total_words += words
    rows.append(("total", total_docs, total_words, total_labels, total_rels))
    cols = ["OFFICIAL", "TITLE", "UNIT", "FIGURE", "HAS_TITLE", "TITLE_OF"]
    print(f"{'split':<24}{'docs':>6}{'words':>8}" + "".join(f"{c:>11}" for c in cols))
    for name, docs, words, labels, rels in rows:
        counts = [labels[c] for c in cols[:4]] + [rels[c] for c in cols[4:]]
        print(f"{name:<24}{docs:>6}{words:>8}" + "".join(f"{n:>11}" for n in counts))
    return 0


def cmd_convert(args) -> int:
    """Markup -> JSONL (one file) or JSONL -> markup (a folder of .ann files)."""
    from .markup import to_markup

    out = Path(args.output)
    try:
        records = load_any(args.paths, args.corpus)
    except RecordError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if out.suffix == ".jsonl":
        write_jsonl(records, out)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for r in records:
            (out / f"{r.id}{MARKUP_SUFFIX}").write_text(to_markup(r), encoding="utf-8")
    print(f"wrote {len(records)} records to {out}", file=sys.stderr)
    return 0


def cmd_evaluate(args) -> int:
    import json

    import spacy

    from .errors import error_report
    from .evaluate import evaluation, format_report

    try:
        gold = load_gold(args.data, args.format, args.corpus)
    except (RecordError, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    nlp = spacy.load(args.pipeline)
    scores, records, docs = evaluation(nlp, gold)
    scores["pipeline"], scores["data"] = str(args.pipeline), [str(p) for p in args.data]
    print(format_report(scores))
    if args.errors:
        counts, report = error_report(records, docs)
        scores["errors"] = counts
        Path(args.errors).write_text(report, encoding="utf-8")
        for kind, by_class in counts["by_class"].items():
            print(f"{kind} errors: " + ", ".join(f"{c} {n}" for c, n in sorted(by_class.items())))
    if args.output:
        Path(args.output).write_text(json.dumps(scores, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def cmd_compare(args) -> int:
    """Agreement between two annotations of the same articles (e.g. two annotators)."""
    import json

    from .evaluate import compare_records

    try:
        first, second = load_any(args.first, args.corpus), load_any(args.second, args.corpus)
        ids = {r.id for r in second}
        scores = compare_records([r for r in first if r.id in ids], second)
    except (RecordError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{scores['docs']} documents in common")
    for kind in ("entities", "relations"):
        for name, s in list(scores[kind]["per_label"].items()) + [("micro", scores[kind]["micro"])]:
            print(f"{kind:<10}{name:<10} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    if args.output:
        Path(args.output).write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    return 0


def _run_pipeline(args):
    """(id, doc) pairs for the inputs, with a progress bar over many documents."""
    from tqdm import tqdm

    from . import load
    from .extract import read_documents

    nlp = load(args.model)
    docs = list(read_documents(args.inputs or ["-"]))
    texts = (text for _, text in docs)
    if args.words:
        from .words import words_doc

        texts = (words_doc(nlp, text) for text in texts)
    bar = tqdm(total=len(docs), unit="doc", disable=len(docs) < 2, file=sys.stderr)
    for (doc_id, _), doc in zip(docs, nlp.pipe(texts, batch_size=args.batch_size, n_process=args.n_process)):
        bar.update()
        yield doc_id, doc
    bar.close()


def cmd_extract(args) -> int:
    import json

    from .extract import InputError, doc_to_conll, doc_to_json, render_html

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.format == "html":
            out.write(render_html(doc for _, doc in _run_pipeline(args)))
        for doc_id, doc in ([] if args.format == "html" else _run_pipeline(args)):
            out.write(json.dumps(doc_to_json(doc_id, doc), ensure_ascii=False) + "\n" if args.format == "jsonl"
                      else doc_to_conll(doc))
    except InputError as err:
        print(f"vietgov: {err}", file=sys.stderr)
        return 1
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_render(args) -> int:
    args.format = "html"
    return cmd_extract(args)


def _add_pipeline_args(p, formats: bool = True) -> None:
    p.add_argument("inputs", nargs="*", help="UTF-8 text files, .jsonl files with a 'text' field, or - (stdin)")
    p.add_argument("-m", "--model", help="pipeline directory or package (default: the shipped pipeline)")
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p.add_argument("--batch-size", type=int, default=64,
                   help="documents per batch; their windows are sorted by length together, so larger batches pad less")
    p.add_argument("--n-process", type=int, default=1,
                   help="worker processes (spaCy's nlp.pipe n_process), each running torch on one thread")
    p.add_argument("--words", action="store_true",
                   help="the text is already segmented: words separated by whitespace, a word's syllables joined "
                        "by _ (VnCoreNLP, RDRSegmenter); the model runs on these words instead of pyvi's")
    if formats:
        p.add_argument("--format", choices=["jsonl", "conll", "html"], default="jsonl")


def _add_corpus_arg(p) -> None:
    p.add_argument("--corpus", help="folder of the news corpus that by-reference records point into "
                   "(default: $VIETGOV_CORPUS or ../shared/corpus)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vietgov", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check annotation files (.jsonl or .ann markup) against the spec")
    p.add_argument("paths", nargs="+")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("stats", help="counts per label, relation type and split")
    p.add_argument("paths", nargs="*")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("convert", help="markup (.ann) <-> JSONL")
    p.add_argument("paths", nargs="+")
    p.add_argument("-o", "--output", required=True, help="a .jsonl file, or a folder for .ann files")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_convert)
    p = sub.add_parser("extract", help="entities, relations and positions of documents")
    _add_pipeline_args(p)
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("render", help="a displaCy HTML page of the entities")
    _add_pipeline_args(p, formats=False)
    p.set_defaults(func=cmd_render)
    p = sub.add_parser("compare", help="agreement (entity and relation F1) of two annotations of the same articles")
    p.add_argument("--first", nargs="+", required=True, help="reference annotation files or folders")
    p.add_argument("--second", nargs="+", required=True, help="the other annotation (records matched by id)")
    p.add_argument("-o", "--output")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("evaluate", help="score a pipeline on gold data: entity P/R/F1 per label, micro, macro, seqeval")
    p.add_argument("pipeline", help="a pipeline directory or installed package name")
    p.add_argument("data", nargs="+", help="gold records (.jsonl, .ann or folders of them), or word-level data "
                   "(words JSON lines, CoNLL): scored on its words, and on its text through the tokenizer")
    p.add_argument("--format", choices=["auto", "annotations", "words", "conll"], default="auto",
                   help="the data's format, as training's [data] format (auto: from each file's first line)")
    p.add_argument("-o", "--output", help="also write the scores as JSON to this file")
    p.add_argument("--errors", help="write every missed and spurious entity and relation, classed, to this file")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
