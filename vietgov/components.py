"""What the components that hold Hugging Face models share: batched calls and serialisation."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterable, Iterator

import srsly
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.util import minibatch


class HFPipe(Pipe):
    """`predict` over batches of docs, then `set_annotations`; bytes are the files `to_disk` writes (msgpack)."""

    cfg: dict

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        for docs in minibatch(stream, size=batch_size or self.cfg["batch_size"]):
            self.set_annotations(docs, self.predict(docs))
            yield from docs

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
