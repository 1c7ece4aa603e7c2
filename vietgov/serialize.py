"""Serialisation shared by the components that hold Hugging Face models."""
from __future__ import annotations

import tempfile
from pathlib import Path

import srsly
import torch


def save_half(model, path: Path) -> None:
    """`save_pretrained` with fp16 safetensors: half the size; weights are cast back to fp32 when loaded."""
    half = {k: v.to(torch.float16) for k, v in model.state_dict().items()}
    model.save_pretrained(path, state_dict=half, safe_serialization=True)


class BytesThroughDisk:
    """spaCy's `to_bytes`/`from_bytes` as the files `to_disk` writes, packed with msgpack."""

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
