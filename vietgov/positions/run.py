"""Build the positions database on this machine: `nlp.pipe` with worker processes, one commit per batch."""
from __future__ import annotations

import hashlib
import sys
import time
from collections import deque
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from spacy.tokens import Span

from .mentions import Mention, stored_mentions
from ..corpus import Article, count_records, read_corpus, report
from .store import PositionStore


def load_pipeline(model: str | Path | None = None):
    from .. import load

    return load(model)


def pipeline_settings(nlp) -> dict[str, str]:
    """What decides the rows: a database holds the output of one pipeline and one kind of keys."""
    meta = nlp.meta
    return {"pipeline": f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}",
            "keys": "canonical" if Span.has_extension("canonical") else "text"}


def in_sample(article_id: str, fraction: float) -> bool:
    """A fixed pseudo-random share of the articles, by a hash of the id: the same in every run."""
    if fraction >= 1:
        return True
    digest = hashlib.sha1(article_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") < fraction * 2**64


def pending(articles: Iterable[Article], done: set[str], sample: float, bar=None) -> Iterator[Article]:
    """The articles still to do: not in the database, and in the sample."""
    for article in articles:
        if article.id in done or not in_sample(article.id, sample):
            if bar is not None:
                bar.update()
            continue
        yield article


def where(article: Article) -> str:
    return f"{article.file}:{article.line}" if article.line else article.file


def process(nlp, articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 64,
            on_error: Callable[[str], None] = report) -> Iterator[tuple[Article, list[Mention]]]:
    """(article, mentions) in input order. The mentions are computed in the worker processes (a last component,
    there while this runs). If the pipeline fails, the articles in flight are run again one by one: those that
    fail alone are reported and skipped, and the rest goes on."""
    name = "vietgov_position_mentions"
    nlp.add_pipe(name)
    try:
        yield from _process(nlp, iter(articles), n_process, batch_size, on_error)
    finally:
        nlp.remove_pipe(name)


def _process(nlp, articles: Iterator[Article], n_process: int, batch_size: int,
             on_error: Callable[[str], None]) -> Iterator[tuple[Article, list[Mention]]]:
    while True:
        in_flight: deque[Article] = deque()

        def texts():
            for article in articles:
                in_flight.append(article)
                yield article.text

        try:
            for doc in nlp.pipe(texts(), n_process=n_process, batch_size=batch_size):
                yield in_flight.popleft(), stored_mentions(doc)
            return
        except Exception:  # noqa: BLE001  a component failed on some article of the batch
            for article in in_flight:
                try:
                    mentions = stored_mentions(nlp(article.text))
                except Exception as err:  # noqa: BLE001
                    on_error(f"{where(article)}: the pipeline failed on article {article.id!r} "
                             f"({type(err).__name__}: {err}), skipped")
                    continue
                yield article, mentions


def batched(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def progress_bar(inputs: list[str], progress: bool):
    from tqdm import tqdm

    return tqdm(total=count_records(inputs) if progress else None, unit="article", disable=not progress,
                file=sys.stderr, smoothing=0.05, dynamic_ncols=True,
                mininterval=0.5 if sys.stderr.isatty() else 60)  # a log file gets a line a minute


def build(inputs: list[str], db: str | Path, *, nlp=None, model: str | Path | None = None, n_process: int = 1,
          batch_size: int = 64, sample: float = 1.0, progress: bool = True,
          on_error: Callable[[str], None] = report) -> dict:
    """Add the articles of `inputs` that `db` does not hold yet; returns counts and this run's throughput."""
    nlp = nlp if nlp is not None else load_pipeline(model)
    with PositionStore(db) as store:
        store.claim(pipeline_settings(nlp))
        bar = progress_bar(inputs, progress)
        todo = pending(read_corpus(inputs, on_error), store.done_ids(), sample, bar)
        started, written = time.perf_counter(), 0
        results = process(nlp, todo, n_process=n_process, batch_size=batch_size, on_error=on_error)
        for chunk in batched(results, batch_size):
            written += store.write(chunk)
            bar.update(len(chunk))
        bar.close()
        seconds = time.perf_counter() - started
        return {"written": written, "seconds": round(seconds, 1),
                "articles_per_second": round(written / seconds, 2) if seconds else None, **store.counts()}
