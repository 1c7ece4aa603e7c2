"""Derive vietgov/data/admin_2025.tsv (the successors of pre-2025 administrative units) from the lexicon.

    python -m training.admin_table [--lexicons ../shared/lexicons] [--output vietgov/data/admin_2025.tsv]

Reads `vn_admin_old_to_new_2025_mapping.tsv` (old province, district, ward -> new province, ward; PyPI
`vietnam-address-converter` 1.0.5, Apache-2.0) and writes one line per old province, district and ward
(format: vietgov/admin.py), names spelled one way (`vietgov.admin.clean_name`). Added by hand: Thừa Thiên Huế,
which the mapping already lists as Thành phố Huế (a centrally run city since 1 January 2025).
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from vietgov.admin import TABLE, clean_name

MAPPING = "vn_admin_old_to_new_2025_mapping.tsv"
# old provinces the mapping names by a later name: (as articles before the change name it, as the mapping does)
RENAMED = {"Tỉnh Thừa Thiên Huế": "Thành phố Huế"}
HEADER = """\
# Administrative units of Vietnam before the 2025 reorganisation and their successors.
# Derived by training/admin_table.py from vn_admin_old_to_new_2025_mapping.tsv of the PyPI package
# vietnam-address-converter 1.0.5 (Copyright 2026 Truc Nguyen, Apache-2.0: LICENSES/Apache-2.0.txt).
# Changes: rows grouped by old province and district, names respelled (tone placement, `Thành phố`,
# no leading zeros), split wards joined with `;`, Tỉnh Thừa Thiên Huế added beside Thành phố Huế.
# P <old province> <new province> | D <old district> | W <old ward> <new ward>[;...]  (see vietgov/admin.py)
"""


def build(mapping: Path) -> str:
    tree: dict[str, tuple[str, dict[str, dict[str, list[str]]]]] = {}
    with mapping.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            old_p, new_p = clean_name(row["old_province"]), clean_name(row["new_province"])
            known_new, districts = tree.setdefault(old_p, (new_p, {}))
            if known_new != new_p:
                raise ValueError(f"{mapping}: {old_p} goes to both {known_new} and {new_p}")
            successors = districts.setdefault(clean_name(row["old_district"]), {}).setdefault(
                clean_name(row["old_ward"]), [])
            new_w = clean_name(row["new_ward"])
            if new_w not in successors:
                successors.append(new_w)
    lines = [HEADER.rstrip("\n")]
    for old_p, (new_p, districts) in sorted(tree.items()):
        # an earlier name: a province line of its own, before the one its districts follow
        lines += [f"P\t{old}\t{new_p}" for old, now in RENAMED.items() if now == old_p]
        lines.append(f"P\t{old_p}\t{new_p}")
        for district, wards in sorted(districts.items()):
            lines.append(f"D\t{district}")
            lines += [f"W\t{ward}\t{';'.join(new)}" for ward, new in sorted(wards.items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lexicons", type=Path, default=Path("../shared/lexicons"))
    parser.add_argument("--output", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    text = build(args.lexicons / MAPPING)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {text.count(chr(10) + 'P')} provinces, {text.count(chr(10) + 'D')} districts, "
          f"{text.count(chr(10) + 'W')} wards", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
