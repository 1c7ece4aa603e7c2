"""Configs in configs/, in spaCy's format, with command-line overrides (`--section.key value`)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from spacy.cli._util import parse_config_overrides
from spacy.util import load_config


def run_with_config(run: Callable, usage: str, argv: list[str] | None = None) -> int:
    """`python -m training.X CONFIG [--section.key value ...]`: load, override, run."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("--"):
        print(usage, file=sys.stderr)
        return 2
    run(load_config(Path(argv[0]), overrides=parse_config_overrides(argv[1:]), interpolate=True))
    return 0
