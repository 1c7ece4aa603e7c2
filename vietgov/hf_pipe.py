"""What the components that hold Hugging Face models share: batched calls and serialisation."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

import srsly
import torch
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.util import minibatch


class HFPipe(Pipe):
    """`predict` over batches of docs, then `set_annotations`, under spaCy's error handler; bytes are the files
    `to_disk` writes (msgpack)."""

    cfg: dict
    _pid: int | None = None  # the process that loaded the model (`_loaded`)

    def _loaded(self) -> None:
        self._pid = os.getpid()

    def _one_thread_in_workers(self) -> None:
        """torch's OpenMP threads do not survive fork: a worker of `nlp.pipe(n_process=2)` hangs at its first
        parallel op once the parent has used them (loading the weights does), unless it runs on one thread.
        Set here, in the worker, rather than with a fork hook that would change every fork of the host."""
        if self._pid is not None and self._pid != os.getpid():
            torch.set_num_threads(1)
            self._pid = os.getpid()

    def __call__(self, doc: Doc) -> Doc:
        self._one_thread_in_workers()
        try:
            self.set_annotations([doc], self.predict([doc]))
            return doc
        except Exception as err:  # noqa: BLE001 - spaCy's contract: nlp.set_error_handler decides
            self.get_error_handler()(self.name, self, [doc], err)

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        self._one_thread_in_workers()
        error_handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size or self.cfg["batch_size"]):
            try:
                self.set_annotations(docs, self.predict(docs))
                yield from docs
            except Exception as err:  # noqa: BLE001
                error_handler(self.name, self, docs, err)

    def to_bytes(self, *, exclude=tuple()):
        with tempfile.TemporaryDirectory() as tmp:
            self.to_disk(tmp, exclude=exclude)
            files = {str(p.relative_to(tmp)): p.read_bytes() for p in Path(tmp).rglob("*") if p.is_file()}
        return srsly.msgpack_dumps(files)

    def from_bytes(self, data, *, exclude=tuple()):
        with tempfile.TemporaryDirectory() as tmp:
            for name, content in srsly.msgpack_loads(data).items():
                target = Path(tmp) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            self.from_disk(tmp, exclude=exclude)
        return self
