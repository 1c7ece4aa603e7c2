"""Hugging Face weights as the project ships them (no spaCy needed: pretraining on a GPU machine saves them too)."""
from __future__ import annotations

from pathlib import Path

import torch


def half_state_dict(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The module's weights in fp16; tied weights (a masked-LM decoder and the word embeddings) stay one tensor."""
    cast: dict[int, torch.Tensor] = {}
    half = {}
    for name, value in module.state_dict().items():
        key = value.data_ptr()
        if key not in cast:
            cast[key] = value.to(torch.float16).contiguous()
        half[name] = cast[key]
    return half


def save_half(model, path: Path) -> None:
    """`save_pretrained` with fp16 safetensors: half the size; weights are cast back to fp32 when loaded."""
    model.save_pretrained(path, state_dict=half_state_dict(model), safe_serialization=True)
