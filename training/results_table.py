"""The README's results table, written from a pipeline's evaluation files so that its numbers are theirs.

    python -m training.results_table models/vi_vietgov_default --readme README.md   # make readme-table
    python -m training.results_table models/vi_vietgov_default --readme README.md --check

Reads PIPELINE/evaluation*.json (`make evaluate` writes them: `vietgov evaluate --output`) and replaces
what stands between `<!-- results:start -->` and `<!-- results:end -->` in the README; `--check` only
says whether the README already holds exactly that (exit 1 if not).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vietgov.records import split_name
from vietgov.schema import LABELS, RELATION_TYPES

from .card import canonical_table

START, END = "<!-- results:start -->", "<!-- results:end -->"


def evaluation_files(pipeline_dir: Path) -> list[tuple[Path, dict]]:
    found = [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(pipeline_dir.glob("evaluation*.json"))]
    if not found:
        raise SystemExit(f"{pipeline_dir}: no evaluation*.json; `make evaluate` writes them")
    return found


def _f1(scores: dict) -> str:
    return f"{scores['f1']:.3f}"


def results_table(pipeline_dir: Path) -> str:
    """Entities per label and micro, relations per type, end to end and from gold entities, and position
    triples, of each evaluation file; the rule baseline's relations beside the learned ones; canonical names."""
    files = evaluation_files(pipeline_dir)
    labels = [lab for lab in LABELS if lab in files[0][1]["entities"]["per_label"]] or sorted(
        files[0][1]["entities"]["per_label"])
    rows = ["| test file | articles | gold entities | " + " | ".join(labels) + " | entities micro F1 (P / R) |",
            "|---" * (4 + len(labels)) + "|"]
    relation_rows = ["| test file | relations by | " + " | ".join(f"{t} end to end" for t in RELATION_TYPES)
                     + " | micro end to end | micro from gold entities | position triples |",
                     "|---" * (5 + len(RELATION_TYPES)) + "|"]
    for path, scores in files:
        name = ", ".join(split_name(d) for d in scores.get("data", [path.stem]))
        ents = scores["entities"]
        micro = ents["micro"]
        rows.append(f"| {name} | {scores['docs']} | {micro['tp'] + micro['fn']:,} | "
                    + " | ".join(_f1(ents["per_label"][lab]) for lab in labels)
                    + f" | **{micro['f1']:.3f}** ({micro['precision']:.3f} / {micro['recall']:.3f}) |")
        rel = scores.get("relations")
        if not rel:
            continue
        for system, found in [("model", rel)] + ([("rules", rel["rules"])] if "rules" in rel else []):
            e2e = found["end_to_end"]
            relation_rows.append(
                f"| {name} | {system} | " + " | ".join(_f1(e2e["per_label"][t]) for t in RELATION_TYPES)
                + f" | {_f1(e2e['micro'])} | {_f1(found['gold_entities']['micro'])} | "
                + (f"{_f1(found['positions'])} |" if "positions" in found else "– |"))
    sources = ", ".join(f"`{p.as_posix()}`" for p, _ in files)
    out = [f"Written by `make readme-table` from {sources} (`make evaluate`): exact character spans and labels, F1.",
           "", *rows]
    if len(relation_rows) > 2:
        out += ["", "Relations: `model` is the shipped `vietgov_relation_model`, `rules` the rule baseline "
                "(`vietgov_relations`) on the same entities; end to end a relation counts only if both predicted "
                "spans and the type match.", "", *relation_rows]
    canonical = canonical_table(pipeline_dir)
    return "\n".join(out + (["", canonical] if canonical else []))


def replace_block(text: str, block: str, where: str = "README") -> str:
    """`text` with what stands between the markers replaced by `block`."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{where}: no {START} ... {END} markers to write the results table between")
    return text[: start + len(START)] + "\n" + block + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pipeline", type=Path)
    parser.add_argument("--readme", type=Path, default=Path("README.md"))
    parser.add_argument("--check", action="store_true", help="exit 1 if the README's table is not the files'")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    new = replace_block(text, results_table(args.pipeline), str(args.readme))
    if args.check:
        if new != text:
            print(f"{args.readme}: the results table differs from {args.pipeline}'s evaluation files; "
                  "run `make readme-table`", file=sys.stderr)
            return 1
        return 0
    args.readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
