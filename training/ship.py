"""Replace the shipped pipeline only with a better-scoring one."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import spacy

from vietgov.evaluate import evaluate

from .card import model_card


logger = logging.getLogger(__name__)


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


def dev_score(scores: dict) -> float:
    """What shipping compares: the mean of entity micro F1 and end-to-end relation micro F1 (where present)."""
    parts = [scores["entities"]["micro"]["f1"]]
    if "relations" in scores:
        parts.append(scores["relations"]["end_to_end"]["micro"]["f1"])
    return sum(parts) / len(parts)


def entity_labels(meta: dict) -> list[str]:
    return sorted(meta.get("labels", {}).get("vietgov_ner", []))


def not_comparable(new: dict, old: dict) -> str | None:
    """Why the pipeline with meta `new` may not replace the one with meta `old`, if it may not: another name
    or other entity labels is another pipeline, and a score on the new one's dev data says nothing of it."""
    if new.get("name") != old.get("name"):
        return f"it is {old.get('name')!r}, the new pipeline {new.get('name')!r}"
    if entity_labels(new) != entity_labels(old):
        return f"it finds {', '.join(entity_labels(old))}, the new pipeline {', '.join(entity_labels(new))}"
    return None


def ship(pipeline_dir: Path, metrics: dict, target: Path, dev_data: list) -> bool:
    """Copy the pipeline to `target` with a model card if it beats the one there on the current dev data
    (annotated records or word-level examples); a pipeline of another name or labels there is kept."""
    new = dev_score(metrics["dev"])
    if target.exists():
        old_nlp = spacy.load(target)
        why = not_comparable(json.loads((pipeline_dir / "meta.json").read_text(encoding="utf-8")), old_nlp.meta)
        if why:
            logger.info(f"kept {target}: {why}; set paths.ship to a location of its own (or remove {target})")
            return False
        old = dev_score(evaluate(old_nlp, dev_data))
        what = "mean of entity and relation F1" if "relations" in metrics["dev"] else "entity micro F1"
        if new <= old:
            logger.info(f"kept {target}: dev score {old:.3f} >= new {new:.3f} ({what})")
            return False
        logger.info(f"replacing {target}: dev score {old:.3f} -> {new:.3f} ({what})")
    staging = target.with_name(target.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(pipeline_dir, staging)
    (staging / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (staging / "README.md").write_text(model_card(target.name, target, metrics, staging) + "\n", encoding="utf-8")
    replace_dir(staging, target)
    logger.info(f"shipped {target}")
    return True
