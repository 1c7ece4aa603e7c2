"""Logging: every module logs to `logging.getLogger(__name__)` and the library configures nothing, so it is
quiet below WARNING unless a program asks (`vietgov -v`, the training scripts)."""
from __future__ import annotations

import logging

# "__main__": a module run with `python -m` (training.train, vietgov.cli) logs under that name
PROJECT_LOGGERS = ("vietgov", "training", "__main__")


def configure_logging(level: int = logging.INFO) -> None:
    """Show the project's records at `level` and up on stderr as `[module] message`; other libraries' loggers
    keep their own levels. A program calls this once, at its start."""
    logging.basicConfig(format="[%(name)s] %(message)s")  # no-op where the host program has configured logging
    for name in PROJECT_LOGGERS:
        logging.getLogger(name).setLevel(level)
