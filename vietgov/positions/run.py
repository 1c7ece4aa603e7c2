"""Build the positions database on this machine: worker processes that each run the pipeline on batches of
articles and send back only their mentions; one commit per batch."""
from __future__ import annotations

import hashlib
import multiprocessing
import sys
import time
from collections import deque
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from spacy.tokens import Span

from .mentions import Mention, doc_mentions
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
    """(article, mentions) in input order. With `n_process` > 1, worker processes run the pipeline on batches
    and send back only the mentions (not Docs, as `nlp.pipe(n_process=...)` does: that serialising is work
    the two cores of a small machine would rather spend on the model). If the pipeline fails, the articles
    of the batch are run again one by one: those that fail alone are reported and skipped."""
    if n_process <= 1:
        yield from _process(nlp, iter(articles), batch_size, on_error)
        return
    with multiprocessing.get_context().Pool(n_process, initializer=_set_worker_pipeline, initargs=(nlp,)) as pool:
        batches = batched(articles, batch_size)
        in_flight: deque = deque()
        for batch in islice(batches, 2 * n_process):  # one batch running and one waiting on each worker
            in_flight.append((batch, pool.apply_async(_worker_batch, (batch, batch_size))))
        while in_flight:
            batch, result = in_flight.popleft()
            mentions, errors = result.get()
            for message in errors:
                on_error(message)
            if (following := next(batches, None)) is not None:
                in_flight.append((following, pool.apply_async(_worker_batch, (following, batch_size))))
            yield from ((batch[i], m) for i, m in mentions)


_WORKER_PIPELINE: list = []  # the pipeline of a worker process (set once, by the pool's initializer)


def _set_worker_pipeline(nlp) -> None:
    _WORKER_PIPELINE[:] = [nlp]


def _worker_batch(articles: list[Article], batch_size: int):
    return process_batch(_WORKER_PIPELINE[0], articles, batch_size)


def process_batch(nlp, articles: list[Article], batch_size: int) -> tuple[list[tuple[int, list[Mention]]], list[str]]:
    """In a worker (of a local pool or a Dask cluster): (index in the batch, mentions) of the articles that went
    through, and the error messages."""
    errors: list[str] = []
    index = {id(a): i for i, a in enumerate(articles)}
    results = [(index[id(a)], m) for a, m in _process(nlp, iter(articles), batch_size, errors.append)]
    return results, errors


def _process(nlp, articles: Iterator[Article], batch_size: int,
             on_error: Callable[[str], None]) -> Iterator[tuple[Article, list[Mention]]]:
    while True:
        in_flight: deque[Article] = deque()

        def texts():
            for article in articles:
                in_flight.append(article)
                yield article.text

        try:
            for doc in nlp.pipe(texts(), batch_size=batch_size):
                yield in_flight.popleft(), doc_mentions(doc)
            return
        except Exception:  # noqa: BLE001  a component failed on some article of the batch
            for article in in_flight:
                try:
                    mentions = doc_mentions(nlp(article.text))
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
                "articles_per_second": round(written / seconds, 2) if seconds else None, **store.finish()}
