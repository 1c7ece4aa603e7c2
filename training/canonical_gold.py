"""Annotate canonical names of officials and units (annotations/canonical/, GUIDELINES.md section 17).

    python -m training.canonical_gold sheet annotations/real/test.jsonl -o training/output/real-test.tsv
    (fill in the `canonical` and `completed` columns, reading each article)
    python -m training.canonical_gold build training/output/real-test.tsv -o annotations/canonical/real-test.jsonl

The sheet has one row per OFFICIAL and UNIT entity, in article order, with the text around it; its
`canonical` column starts as the text as written (never a system's output, so the gold does not lean
towards one). The sheet quotes the articles, so it stays in training/output (not committed); the built
file holds record and entity ids, labels, the entities' own text and their canonical names only.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from vietgov.evaluate import CANONICAL_LABELS
from vietgov.records import read_jsonl

COLUMNS = ("record", "entity", "label", "text", "canonical", "completed", "before", "after")
CONTEXT = 80


def sheet(records, out: Path) -> int:
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for rec in records:
            for e in sorted(rec.entities, key=lambda e: e.start):
                if e.label not in CANONICAL_LABELS:
                    continue
                before = rec.text[max(0, e.start - CONTEXT):e.start].replace("\n", " ⏎ ").replace("\t", " ")
                after = rec.text[e.end:e.end + CONTEXT].replace("\n", " ⏎ ").replace("\t", " ")
                writer.writerow((rec.id, e.id, e.label, rec.span_text(e), rec.span_text(e), "", before, after))
                rows += 1
    return rows


def build(sheet_path: Path, out: Path) -> int:
    """The gold JSONL from a filled sheet: `canonical` empty or `-` means null (no one person can be told),
    `completed` is y/n."""
    records: dict[str, list[dict]] = {}
    with sheet_path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            canonical = row["canonical"].strip()
            records.setdefault(row["record"], []).append({
                "id": int(row["entity"]), "label": row["label"], "text": row["text"],
                "canonical": None if canonical in ("", "-") else canonical,
                **({"completed": True} if row["completed"].strip().lower() in ("y", "yes", "1", "true") else {}),
            })
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for rid, entities in records.items():
            f.write(json.dumps({"id": rid, "entities": entities}, ensure_ascii=False) + "\n")
    return sum(map(len, records.values()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sheet", help="a review sheet of a gold file's officials and units")
    p.add_argument("data")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--corpus", help="folder of the news corpus (default: $VIETGOV_CORPUS or ../shared/corpus)")
    p = sub.add_parser("build", help="the canonical gold JSONL from a filled sheet")
    p.add_argument("sheet", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "sheet":
        args.output.parent.mkdir(parents=True, exist_ok=True)
        n = sheet(read_jsonl(args.data, args.corpus), args.output)
    else:
        n = build(args.sheet, args.output)
    print(f"wrote {args.output}: {n} entities", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
