"""Configs in configs/, in spaCy's format, with command-line overrides (`--section.key value`).

Read with confection, the config system under spaCy, so that a prepared
pretraining run also starts where spaCy is not installed (a GPU machine).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

from confection import Config


def parse_overrides(args: list[str]) -> dict:
    """`--section.key value` or `--section.key=value` (a bare flag: true); values read as JSON where they parse,
    as spaCy's CLI reads them."""
    overrides, i = {}, 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--") or "." not in arg:
            raise ValueError(f"unexpected argument {arg!r}: overrides are written --section.key value")
        key, has_value, value = arg[2:].partition("=")
        if not has_value:
            if i + 1 < len(args) and not args[i + 1].startswith("--"):
                value, i = args[i + 1], i + 1
            else:
                value = "true"
        try:
            overrides[key.replace("-", "_")] = json.loads(value)
        except ValueError:
            overrides[key.replace("-", "_")] = value
        i += 1
    return overrides


def load_config(path: str | Path, overrides: list[str] | None = None) -> Config:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"config {path}: no such file")
    return Config().from_disk(path, overrides=parse_overrides(overrides or []), interpolate=True)


def run_with_config(run: Callable, usage: str, argv: list[str] | None = None) -> int:
    """`python -m training.X CONFIG [--section.key value ...]`: load, override, run."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("--"):
        print(usage, file=sys.stderr)
        return 2
    run(load_config(argv[0], argv[1:]))
    return 0


def resolve_bf16(setting: bool | str) -> bool:
    """`bf16 = "auto"`: on where the hardware has native bf16 (`vietgov.precision`), fp32 elsewhere
    (on a CPU without those instructions bf16 autocast was 25x slower than fp32, measured)."""
    if setting != "auto":
        return bool(setting)
    from vietgov.precision import native_bf16

    return native_bf16()
