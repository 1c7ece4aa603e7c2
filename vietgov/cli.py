"""`vietgov` command line: validate, stats, convert, evaluate, extract, render, positions."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from .logs import configure_logging
from .records import RecordError, json_line, read_jsonl, split_name
from .schema import LABELS, RELATION_TYPES

MARKUP_SUFFIX = ".ann"


class CommandError(Exception):
    """What stops a command, said in one line (the path and what to do)."""


class Stop(Exception):
    """--strict: the first bad input ends the run."""


class Problems:
    """Bad inputs: each is reported on stderr as it is met and the run goes on; `strict` stops at the first."""

    def __init__(self, strict: bool = False):
        self.strict = strict
        self.count = 0

    def __call__(self, err: Exception) -> None:
        self.count += 1
        print(f"vietgov: {err}", file=sys.stderr)
        if self.strict:
            raise Stop(str(err))

    def summary(self, what: str) -> int:
        """The exit status: 1, with a count on stderr, if any input failed."""
        if self.count:
            print(f"vietgov: {self.count} {what} could not be read (reported above)", file=sys.stderr)
        return 1 if self.count else 0


@contextmanager
def staged(path: str | None):
    """A text file written beside `path` and moved onto it only when the block ends without an error, so a
    failed run never truncates an existing file; standard output when `path` is None."""
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    if target.is_dir():
        raise CommandError(f"{path}: is a folder; name a file to write")
    if not target.parent.is_dir():
        raise CommandError(f"{path}: folder {target.parent} does not exist; create it first")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as err:
        raise CommandError(f"{path}: cannot write there ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            yield f
        os.chmod(tmp, _file_mode(target))  # mkstemp's 0600 is not what a written file should have
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _file_mode(target: Path) -> int:
    """The mode the file had, or that a new file gets under the process's umask."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _expand(paths: list[str], on_error, suffixes=(".jsonl", MARKUP_SUFFIX)) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix in suffixes))
        elif p.exists():
            out.append(p)
        else:
            on_error(CommandError(f"{p}: no such file or folder"))
    return out


def load_any(paths: list[str], corpus: str | None, on_error) -> list:
    """Records from JSONL files and markup (.ann) files or folders of them; by-reference records are
    resolved against `corpus` (default: $VIETGOV_CORPUS or ../shared/corpus). A file or line that cannot
    be read goes to `on_error` and the others are read."""
    from .markup import read_markup

    records = []
    for path in _expand(paths, on_error):
        try:
            if path.suffix == MARKUP_SUFFIX:
                records.append(read_markup(path))
            else:
                records.extend(read_jsonl(path, corpus, on_error))
        except (RecordError, OSError) as err:
            on_error(err)
    return records


def _records_or_stop(paths: list[str], args) -> tuple[list, Problems]:
    """The records that could be read (the others reported), and the problems met; none at all stops."""
    problems = Problems(args.strict)
    records = load_any(paths, args.corpus, problems)
    if not records:
        raise CommandError("no record could be read from " + ", ".join(paths))
    return records, problems


def _gold_or_stop(paths: list[str], args) -> tuple[list, Problems]:
    """Gold for `evaluate`: records (the spec's JSONL, markup) or word-level examples (`words`, `conll`) in
    `args.format` (`auto`: told from each file's first line)."""
    from .words import data_format, read_tagged

    try:
        fmt = data_format(paths, args.format)
    except (RecordError, ValueError) as err:
        raise CommandError(str(err)) from None
    if fmt == "annotations":
        return _records_or_stop(paths, args)
    problems = Problems(args.strict)
    gold = []
    for path in paths:
        try:
            gold.extend(read_tagged(path, fmt))
        except (RecordError, ValueError, OSError) as err:
            problems(err)
    if not gold:
        raise CommandError("no example could be read from " + ", ".join(paths))
    return gold, problems


def load_pipeline(name: str | None, html: bool = False):
    """The pipeline, or a one-line error naming it."""
    from transformers.utils import logging as hf_logging

    from . import load

    hf_logging.disable_progress_bar()  # a bar per weights file says nothing to a command-line user
    try:
        nlp = load(name)
    except (OSError, ValueError, ImportError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CommandError(f"cannot load pipeline {name or '(default)'}: {reason}") from None
    if html:
        nlp.tokenizer.html = True
    return nlp


def cmd_validate(args) -> int:
    from .validate import validate_records

    problems = Problems(args.strict)
    records = load_any(args.paths, args.corpus, problems)
    invalid = validate_records(records)
    for p in invalid:
        print(p)
    n_ents = sum(len(r.entities) for r in records)
    print(f"{len(records)} records, {n_ents} entities, {len(invalid)} problems", file=sys.stderr)
    return max(problems.summary("files or lines"), 1 if invalid else 0)


def cmd_stats(args) -> int:
    problems = Problems(args.strict)
    paths = args.paths or sorted(str(p) for p in Path("annotations").rglob("*.jsonl"))
    rows = []
    total_labels, total_rels = Counter(), Counter()
    total_docs = total_words = 0
    for path in paths:
        records = load_any([path], args.corpus, problems)
        labels = Counter(e.label for r in records for e in r.entities)
        rels = Counter(rel.type for r in records for rel in r.relations)
        words = sum(len(r.text.split()) for r in records)
        rows.append((split_name(path), len(records), words, labels, rels))
        total_labels += labels
        total_rels += rels
        total_docs += len(records)
        total_words += words
    rows.append(("total", total_docs, total_words, total_labels, total_rels))
    cols = [*LABELS, *RELATION_TYPES]
    print(f"{'split':<24}{'docs':>6}{'words':>8}" + "".join(f"{c:>11}" for c in cols))
    for name, docs, words, labels, rels in rows:
        counts = [labels[c] for c in LABELS] + [rels[c] for c in RELATION_TYPES]
        print(f"{name:<24}{docs:>6}{words:>8}" + "".join(f"{n:>11}" for n in counts))
    return problems.summary("files or lines")


def cmd_convert(args) -> int:
    """Markup -> JSONL (one file) or JSONL -> markup (a folder of .ann files)."""
    from .markup import to_markup

    records, problems = _records_or_stop(args.paths, args)
    out = Path(args.output)
    if out.suffix == ".jsonl":
        with staged(args.output) as f:
            for rec in records:
                f.write(json_line(rec.to_json()))
    else:
        out.mkdir(parents=True, exist_ok=True)
        for r in records:
            (out / f"{r.id}{MARKUP_SUFFIX}").write_text(to_markup(r), encoding="utf-8")
    print(f"wrote {len(records)} records to {out}", file=sys.stderr)
    return problems.summary("files or lines")


def _gold_warnings(nlp, records) -> None:
    """What would make the scores mislead: gold that is not NFC, labels the pipeline does not predict."""
    import unicodedata

    not_nfc = [r.id for r in records if not unicodedata.is_normalized("NFC", r.text)]
    if not_nfc:
        print(f"vietgov: warning: {len(not_nfc)} of {len(records)} gold texts are not NFC, as the spec asks "
              f"(first: {not_nfc[0]}); the pipeline reads them normalised, with offsets into the text as written",
              file=sys.stderr)
    if "vietgov_ner" in nlp.pipe_names:
        known = set(nlp.get_pipe("vietgov_ner").labels)
        unknown = sorted({e.label for r in records for e in r.entities} - known)
        if unknown:
            print(f"vietgov: warning: gold labels the pipeline does not predict: {', '.join(unknown)} "
                  f"(it predicts {', '.join(sorted(known))}); each of their entities counts as missed", file=sys.stderr)


def cmd_evaluate(args) -> int:
    from .errors import error_report
    from .evaluate import evaluation, format_report, gold_records, read_canonical

    gold, problems = _gold_or_stop(args.data, args)
    try:
        canonical = read_canonical(args.canonical, gold_records(gold)) if args.canonical else None
    except (RecordError, OSError) as err:
        raise CommandError(f"gold canonical names: {err}") from None
    nlp = load_pipeline(args.pipeline)
    _gold_warnings(nlp, gold_records(gold))
    scores, records, docs = evaluation(nlp, gold, canonical=canonical)
    scores["pipeline"], scores["data"] = str(args.pipeline), [str(p) for p in args.data]
    print(format_report(scores))
    if args.errors:
        counts, report = error_report(records, docs)
        scores["errors"] = counts
        with staged(args.errors) as f:
            f.write(report)
        for kind, by_class in counts["by_class"].items():
            print(f"{kind} errors: " + ", ".join(f"{c} {n}" for c, n in sorted(by_class.items())))
    if args.output:
        with staged(args.output) as f:
            f.write(json.dumps(scores, indent=2, ensure_ascii=False) + "\n")
    return problems.summary("files or lines")


def cmd_compare(args) -> int:
    """Agreement between two annotations of the same articles (e.g. two annotators)."""
    from .evaluate import compare_records

    problems = Problems(args.strict)
    first, second = load_any(args.first, args.corpus, problems), load_any(args.second, args.corpus, problems)
    ids = {r.id for r in second}
    try:
        scores = compare_records([r for r in first if r.id in ids], second)
    except ValueError as err:
        raise CommandError(str(err)) from None
    print(f"{scores['docs']} documents in common")
    for kind in ("entities", "relations"):
        for name, s in list(scores[kind]["per_label"].items()) + [("micro", scores[kind]["micro"])]:
            print(f"{kind:<10}{name:<10} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    if args.output:
        with staged(args.output) as f:
            f.write(json.dumps(scores, indent=2) + "\n")
    return problems.summary("files or lines")


def cmd_extract(args) -> int:
    from tqdm import tqdm

    from .extract import doc_to_conll, doc_to_json, pipe_documents, read_documents, render_html

    problems = Problems(args.strict)
    nlp = load_pipeline(args.model, html=args.html)
    documents = read_documents(args.inputs or ["-"], problems)
    make_doc = None
    if args.words:
        from .words import words_doc

        make_doc = partial(words_doc, nlp)
    results = tqdm(pipe_documents(nlp, documents, batch_size=args.batch_size, n_process=args.n_process,
                                  make_doc=make_doc), unit="doc", file=sys.stderr, disable=None, desc="vietgov")
    written = 0
    with staged(args.output) as out:
        if args.format == "html":
            rendered = [parts for _, _, parts in results]
            written = len(rendered)
            if rendered:
                out.write(render_html(rendered))
        else:
            for doc_id, _, parts in results:
                out.write(json_line(doc_to_json(doc_id, parts)) if args.format == "jsonl" else doc_to_conll(parts))
                written += 1
        if problems.count and not written and args.output:
            raise CommandError(f"no input could be read; {args.output} left as it was")
    return problems.summary("inputs")


def cmd_render(args) -> int:
    args.format = "html"
    return cmd_extract(args)


def cmd_positions(args) -> int:
    """`positions build`: a corpus into the positions database; `positions score`: its rows scored again;
    `positions export`: the database as FtM."""
    import multiprocessing
    import signal

    def stop(signum, _frame):
        """`kill` stops a build as Ctrl-C does: the open transaction rolls back. nlp.pipe would wait for its
        workers to finish what they were sent; they stop now."""
        for child in multiprocessing.active_children():
            child.terminate()
        sys.exit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return _positions(args)
    except (KeyboardInterrupt, SystemExit) as interrupt:
        print("vietgov: interrupted; what was committed stays, the same command continues from there", file=sys.stderr)
        sys.stderr.flush()
        # no interpreter shutdown: it would wait for multiprocessing's feeder threads, whose workers are gone
        os._exit(interrupt.code if isinstance(interrupt, SystemExit) and isinstance(interrupt.code, int) else 130)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _positions(args) -> int:
    from .positions.store import MixedBuildError

    problems = Problems(args.strict)
    try:
        if args.action == "export":
            from .positions.ftm import export_ftm

            with staged(args.ftm) as out:
                counts = export_ftm(args.db, out, per_article=args.per_article, min_confidence=args.min_confidence,
                                    confident=args.confident)
            print(f"wrote {sum(counts.values())} entities to {args.ftm}: "
                  + ", ".join(f"{n} {schema}" for schema, n in sorted(counts.items())), file=sys.stderr)
            return 0
        if args.action == "score":
            from .positions.scores import RowScorer
            from .positions.store import PositionStore

            if not Path(args.db).is_file():
                raise CommandError(f"{args.db}: no such database")
            with PositionStore(args.db) as store:
                store.score_rows(RowScorer.load(args.scorer) if args.scorer else None)
                stats = store.counts()
            print(json.dumps(stats))
            return 0
        options = dict(sample=args.sample, progress=not args.no_progress, on_error=problems)
        if args.dask is not None:
            from .positions.cluster import build_on_dask

            stats = build_on_dask(args.inputs, args.db, scheduler=args.dask or None, n_workers=args.dask_workers,
                                  model=args.model, chunk_size=args.batch_size, **options)
        else:
            import torch

            from .positions.run import build

            torch.set_num_threads(args.threads)
            stats = build(args.inputs, args.db, nlp=load_pipeline(args.model), n_process=args.n_process,
                          batch_size=args.batch_size, **options)
    except ImportError as err:
        raise CommandError(f"{err.name} is not installed: pip install 'vietgov[positions]'") from None
    except (MixedBuildError, sqlite3.Error) as err:
        raise CommandError(str(err)) from None
    print(json.dumps(stats))
    return problems.summary("articles")


def _add_positions_parser(sub, common) -> None:
    p = sub.add_parser("positions", help="who held which post: a corpus into a positions database (SQLite), "
                       "and its export as FollowTheMoney entities")
    actions = p.add_subparsers(dest="action", required=True)
    b = actions.add_parser("build", parents=[common],
                           help="add the articles of a corpus to the database; resumes where it stopped")
    b.add_argument("inputs", nargs="+", help="text files, JSON lines ({id, text, source?, date?}), .gz of either, "
                   "globs (quoted) and folders")
    b.add_argument("--db", required=True, help="the SQLite database to create or continue")
    b.add_argument("-m", "--model", help="pipeline directory or package (default: the shipped pipeline)")
    b.add_argument("--n-process", type=int, default=1,
                   help="worker processes, each running the pipeline on whole batches and sending back their mentions")
    b.add_argument("--batch-size", type=int, default=64, help="articles per batch and per commit (per task on Dask)")
    b.add_argument("--threads", type=int, default=1,
                   help="torch threads of this process (workers use one each); more than one pays only on idle cores")
    b.add_argument("--sample", type=float, default=1.0,
                   help="keep this share of the articles, chosen by a hash of their id (the same in every run)")
    b.add_argument("--dask", nargs="?", const="", metavar="SCHEDULER",
                   help="run on Dask: the scheduler's address, or alone for a local cluster of --dask-workers")
    b.add_argument("--dask-workers", type=int, default=2, help="worker processes of the local Dask cluster")
    b.add_argument("--no-progress", action="store_true")
    e = actions.add_parser("export", parents=[common], help="the database as FollowTheMoney entities (JSON lines)")
    e.add_argument("db")
    e.add_argument("--ftm", required=True, help="output file, e.g. positions.ftm.json")
    e.add_argument("--per-article", action="store_true",
                   help="one Person per official and article, to be merged by nomenklatura, instead of one per name")
    e.add_argument("--min-confidence", type=float, metavar="P",
                   help="export only the mentions of at least this confidence (the positions view's `confidence`; "
                        "e.g. 0.9: fewer rows, more of them right)")
    e.add_argument("--confident", action="store_true",
                   help="export only the positions of the confident_positions view (row score at least the "
                        "scorer's threshold)")
    s = actions.add_parser("score", parents=[common],
                           help="score every row of a database again (builds score theirs when they end)")
    s.add_argument("db")
    s.add_argument("--scorer", help="a row scorer's JSON (default: the shipped one, vietgov/data/row_scorer.json)")
    p.set_defaults(func=cmd_positions)


def _add_pipeline_args(p, formats: bool = True) -> None:
    p.add_argument("inputs", nargs="*", help="UTF-8 text files, .jsonl files with a 'text' field (either may be "
                   ".gz), folders of them, or - (stdin, the default)")
    p.add_argument("--html", action="store_true",
                   help="the inputs are web pages: read tags and entities as a browser shows them (offsets still "
                   "index the page)")
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
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--strict", action="store_true",
                        help="stop at the first input that cannot be read (default: report it and go on)")
    common.add_argument("--debug", action="store_true", help="show the traceback of an error")
    common.add_argument("-v", "--verbose", action="count", default=0,
                        help="log what the pipeline does (-v: info, -vv: debug)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", parents=[common],
                       help="check annotation files (.jsonl or .ann markup) against the spec")
    p.add_argument("paths", nargs="+")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("stats", parents=[common], help="counts per label, relation type and split")
    p.add_argument("paths", nargs="*")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("convert", parents=[common], help="markup (.ann) <-> JSONL")
    p.add_argument("paths", nargs="+")
    p.add_argument("-o", "--output", required=True, help="a .jsonl file, or a folder for .ann files")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_convert)
    p = sub.add_parser("extract", parents=[common], help="entities, relations and positions of documents")
    _add_pipeline_args(p)
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("render", parents=[common], help="a displaCy HTML page of the entities")
    _add_pipeline_args(p, formats=False)
    p.set_defaults(func=cmd_render)
    p = sub.add_parser("compare", parents=[common],
                       help="agreement (entity and relation F1) of two annotations of the same articles")
    p.add_argument("--first", nargs="+", required=True, help="reference annotation files or folders")
    p.add_argument("--second", nargs="+", required=True, help="the other annotation (records matched by id)")
    p.add_argument("-o", "--output")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("evaluate", parents=[common],
                       help="score a pipeline on gold data: entity P/R/F1 per label, micro, macro, relations, positions")
    p.add_argument("pipeline", help="a pipeline directory or installed package name")
    p.add_argument("data", nargs="+", help="gold records (.jsonl, .ann or folders of them), or word-level data "
                   "(words JSON lines, CoNLL): scored on its words, and on its text through the tokenizer")
    p.add_argument("--format", choices=["auto", "annotations", "words", "conll"], default="auto",
                   help="the data's format, as training's [data] format (auto: from each file's first line)")
    p.add_argument("-o", "--output", help="also write the scores as JSON to this file")
    p.add_argument("--errors", help="write every missed and spurious entity and relation, classed, to this file")
    p.add_argument("--canonical", help="gold canonical names of the records' officials and units "
                   "(annotations/canonical/*.jsonl): also score linking and unit canonicalisation")
    _add_corpus_arg(p)
    p.set_defaults(func=cmd_evaluate)
    _add_positions_parser(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.verbose:
        configure_logging(logging.DEBUG if args.verbose > 1 else logging.INFO)
    try:
        return args.func(args)
    except Stop:
        return 1
    except CommandError as err:
        print(f"vietgov: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("vietgov: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `vietgov extract ... | head`
        sys.stderr.close()
        return 0
    except Exception as err:
        if args.debug:
            raise
        print(f"vietgov: {type(err).__name__}: {err} (run again with --debug for the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
