"""Replace the shipped pipeline only with a better-scoring one."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import spacy

from vietgov.evaluate import evaluate
from vietgov.records import read_jsonl

from .card import model_card


def log(msg: str) -> None:
    print(f"[ship] {msg}", file=sys.stderr, flush=True)


def replace_dir(src: Path, dst: Path) -> None:
    """Move src to dst, keeping the old dst until the new one is in place."""
    old = dst.with_name(dst.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if dst.exists():
        dst.rename(old)
    src.rename(dst)
    if old.exists():
        shutil.rmtree(old)


def ship(pipeline_dir: Path, metrics: dict, target: Path, dev_path: str) -> bool:
    """Copy the pipeline to `target` with a model card if it beats the one there on the current dev data."""
    new_f1 = metrics["dev"]["entities"]["micro"]["f1"]
    if target.exists():
        old_f1 = evaluate(spacy.load(target), list(read_jsonl(dev_path)))["entities"]["micro"]["f1"]
        if new_f1 <= old_f1:
            log(f"kept {target}: dev F1 {old_f1:.3f} >= new {new_f1:.3f}")
            return False
        log(f"replacing {target}: dev F1 {old_f1:.3f} -> {new_f1:.3f}")
    staging = target.with_name(target.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(pipeline_dir, staging)
    (staging / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (staging / "README.md").write_text(model_card(target.name, target, metrics) + "\n", encoding="utf-8")
    replace_dir(staging, target)
    log(f"shipped {target}")
    return True
