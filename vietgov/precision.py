"""The encoder's arithmetic: bf16 only where the hardware runs it natively.

Measured: bf16 autocast on a CPU without native bf16 instructions (an AMD EPYC
with AVX2) was 25x slower than fp32; on an Intel Xeon with AVX-512 bf16 and
AMX it was faster. So `"auto"` means bf16 on a GPU that supports it or a CPU
that reports `avx512_bf16` or `amx_bf16`, and fp32 everywhere else.
"""
from __future__ import annotations

from pathlib import Path

PRECISIONS = ("auto", "fp32", "bf16")
NATIVE_BF16_FLAGS = {"avx512_bf16", "amx_bf16"}


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The CPU's feature flags (Linux); empty where they cannot be read."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return set()


def native_bf16() -> bool:
    """Whether this machine computes bf16 natively: a GPU with bf16, or a CPU with AVX-512 bf16 or AMX."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    return bool(NATIVE_BF16_FLAGS & cpu_flags())


def resolve_precision(setting: str) -> str:
    """`"auto"` -> `"bf16"` where it is native, else `"fp32"`; `"fp32"` and `"bf16"` as they are."""
    if setting not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}; got {setting!r}")
    if setting == "auto":
        return "bf16" if native_bf16() else "fp32"
    return setting
