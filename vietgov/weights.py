"""Hugging Face weights as the project ships them (no spaCy needed: pretraining on a GPU machine saves them too)."""
from __future__ import annotations

from pathlib import Path

import torch


def save_half(model, path: Path) -> None:
    """`save_pretrained` with fp16 safetensors: half the size; weights are cast back to fp32 when loaded.

    Tied weights (a masked-LM decoder and the word embeddings) stay one tensor, saved once.
    """
    cast: dict[int, torch.Tensor] = {}
    half = {}
    for name, value in model.state_dict().items():
        key = value.data_ptr()
        if key not in cast:
            cast[key] = value.to(torch.float16)
        half[name] = cast[key]
    model.save_pretrained(path, state_dict=half, safe_serialization=True)
