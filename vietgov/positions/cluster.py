"""Build the positions database on a Dask cluster: workers run the pipeline, this process writes.

Dask rather than Ray: the job is a map over chunks of articles with one writer, which
`dask.distributed` does with a plain `Client.submit`; it is pure Python (pip-installable
wherever the pipeline is), runs the same code on a laptop (`LocalCluster`), an SSH
cluster, Kubernetes or an HPC batch system (dask-jobqueue: SLURM, PBS), and needs
no object store or long-lived runtime of its own.

The driver reads the corpus, skips what the database holds, and keeps a bounded number
of chunks in flight; each chunk's rows are committed as it returns, so a run stopped
anywhere resumes as the local one does, and the rows are the same as the local run's
(`doc_mentions` on the same pipeline). Workers need the pipeline: an installed package
(`make package`) or a path they can read.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from ..corpus import Article, read_corpus, report
from .run import batched, load_pipeline, pending, pipeline_settings, process_batch, progress_bar
from .store import MixedBuildError, PositionStore

_PIPELINES: dict = {}


def _pipeline(model):
    """One pipeline per worker process, loaded on its first task; torch on one thread (one core per worker)."""
    if model not in _PIPELINES:
        import torch

        torch.set_num_threads(1)
        _PIPELINES[model] = load_pipeline(model)
    return _PIPELINES[model]


def worker_settings(model) -> dict[str, str]:
    return pipeline_settings(_pipeline(model))


def process_chunk(model, articles: list[Article], batch_size: int) -> tuple[list, list[str]]:
    """On a worker: (index in the chunk, mentions) for the articles that went through, and the error messages."""
    return process_batch(_pipeline(model), articles, batch_size)


def build_on_dask(inputs: list[str], db: str | Path, *, scheduler: str | None = None, n_workers: int = 2,
                  model: str | Path | None = None, chunk_size: int = 64, sample: float = 1.0,
                  progress: bool = True, on_error: Callable[[str], None] = report) -> dict:
    """`run.build` on Dask: the cluster at `scheduler`, or a local one of `n_workers` processes."""
    from dask.distributed import Client, LocalCluster, as_completed

    model = str(model) if model is not None else None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        workers = max(1, len(client.scheduler_info()["workers"]))
        with PositionStore(db) as store:
            # every worker loads the pipeline now (in parallel, before the clock starts), and they must agree
            settings = client.run(worker_settings, model)
            if len({tuple(sorted(s.items())) for s in settings.values()}) > 1:
                raise MixedBuildError(f"the workers run different pipelines or keys: {settings}")
            store.claim(next(iter(settings.values())))
            bar = progress_bar(inputs, progress)
            chunks = batched(pending(read_corpus(inputs, on_error), store.done_ids(), sample, bar), chunk_size)
            started, written = time.perf_counter(), 0
            in_flight: dict = {}
            done = as_completed()

            def submit_next() -> None:
                chunk = next(chunks, None)
                if chunk:
                    future = client.submit(process_chunk, model, chunk, chunk_size, pure=False)
                    in_flight[future] = chunk
                    done.add(future)

            for _ in range(2 * workers):  # one chunk running and one waiting on each worker
                submit_next()
            for future in done:
                chunk = in_flight.pop(future)
                results, errors = future.result()
                for message in errors:
                    on_error(message)
                written += store.write((chunk[i], mentions) for i, mentions in results)
                bar.update(len(chunk))
                submit_next()
            bar.close()
            seconds = time.perf_counter() - started
            return {"written": written, "seconds": round(seconds, 1), "workers": workers,
                    "articles_per_second": round(written / seconds, 2) if seconds else None, **store.finish()}
    finally:
        client.close()
        if not scheduler:
            cluster.close()
