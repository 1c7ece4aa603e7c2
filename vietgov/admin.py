"""Vietnam's administrative units before the 2025 reorganisation and what succeeded them.

The table `data/admin_2025.tsv` is derived from `vn_admin_old_to_new_2025_mapping.tsv`
(PyPI `vietnam-address-converter` 1.0.5, Apache-2.0; see data/README.md) by
`python -m training.admin_table`: every province, district and ward/commune as it
stood before 1 July 2025, with the province and the ward/commune that took its place.
Districts have no successor: the district level was abolished and their territory
went to several wards and communes.

Lines, each belonging to the last line of the level above it:

    P <old province> <new province>
    D <old district>
    W <old ward> <new ward>[;<new ward>...]   (several where the old ward was split)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .tones import to_modern_tones

TABLE = Path(__file__).with_name("data") / "admin_2025.tsv"

# level words of administrative units, longest first; `thành phố` is both a province-level city and a town
LEVELS = ("tổ dân phố", "thành phố", "thị trấn", "thị xã", "khu phố", "đặc khu", "tỉnh", "quận", "huyện",
          "phường", "xã", "thôn", "ấp", "xóm")
PROVINCE_LEVELS = ("tỉnh", "thành phố")
DISTRICT_LEVELS = ("quận", "huyện", "thị xã", "thành phố")
WARD_LEVELS = ("phường", "xã", "thị trấn", "đặc khu")
_LEVEL_PREFIX = re.compile(r"^(%s)\s+" % "|".join(LEVELS), re.I)


def clean_name(name: str) -> str:
    """One spelling of a unit's name: NFC, current tone placement, the level word as `Thành phố`, single spaces,
    ` - ` between the parts of a double name, numbers without leading zeros (`Phường 03` -> `Phường 3`)."""
    name = to_modern_tones(unicodedata.normalize("NFC", name))
    name = re.sub(r"\s*[-–]\s*", " - ", " ".join(name.split()))
    level = _LEVEL_PREFIX.match(name)
    if level:
        name = level.group(1).capitalize() + name[level.end(1):]
    return re.sub(r"(?<!\w)0+(\d)", r"\1", name)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """How names are compared: lower case, current tones, no hyphen, no level word (`Tỉnh Bà Rịa-Vũng Tàu` ->
    `bà rịa vũng tàu`)."""
    name = clean_name(name).lower().replace(" - ", " ")
    return _LEVEL_PREFIX.sub("", name)


def split_level(name: str) -> tuple[str, str]:
    """(`tỉnh`, `Bắc Giang`) from `Tỉnh Bắc Giang`."""
    m = _LEVEL_PREFIX.match(name)
    return (m.group(1).lower(), name[m.end():]) if m else ("", name)


@dataclass
class Ward:
    province: str  # old province, with its level word (`Tỉnh Bắc Giang`)
    district: str
    name: str
    successors: tuple[str, ...]  # new wards/communes, in the new province


@dataclass
class AdminTable:
    # key of an old province -> (old province, new province), names with their level word
    provinces: dict[str, tuple[str, str]] = field(default_factory=dict)
    # key of an old district -> [(old province, old district)]
    districts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # key of an old ward -> [Ward]
    wards: dict[str, list[Ward]] = field(default_factory=dict)

    def province(self, name: str) -> tuple[str, str] | None:
        """(old province, new province) for a province-level name (`Hà Nội`, `tỉnh Bắc Giang`)."""
        return self.provinces.get(name_key(name))

    def successor_province(self, name: str) -> str | None:
        found = self.province(name)
        return found[1] if found else None

    def ward_successor(self, level: str, name: str, provinces=(), districts=()) -> tuple[str, str] | None:
        """(new ward, new province) of an old ward or commune, when the places named beside it (old provinces
        and districts, any spelling) leave exactly one."""
        wards = [w for w in self.wards.get(name_key(name), []) if split_level(w.name)[0] == level.lower()]
        for names, attr in ((districts, "district"), (provinces, "province")):
            keys = {name_key(n) for n in names}
            narrowed = [w for w in wards if name_key(getattr(w, attr)) in keys]
            if narrowed:
                wards = narrowed
        if len({(w.province, w.district, w.name) for w in wards}) != 1 or len(wards[0].successors) != 1:
            return None
        return wards[0].successors[0], self.provinces[name_key(wards[0].province)][1]


def read_table(path: str | Path = TABLE) -> AdminTable:
    table = AdminTable()
    province = district = None
    with Path(path).open(encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            kind, *cells = raw.rstrip("\n").split("\t")
            if kind == "P" and len(cells) == 2:
                province = cells[0]
                table.provinces[name_key(province)] = (cells[0], cells[1])
            elif kind == "D" and len(cells) == 1 and province:
                district = cells[0]
                table.districts.setdefault(name_key(district), []).append((province, district))
            elif kind == "W" and len(cells) == 2 and district:
                ward = Ward(province, district, cells[0], tuple(cells[1].split(";")))
                table.wards.setdefault(name_key(cells[0]), []).append(ward)
            else:
                raise ValueError(f"{path}:{lineno}: not a P, D or W line of the admin table: {raw.strip()!r}")
    return table


@lru_cache(maxsize=1)
def admin_table() -> AdminTable:
    """The shipped table, read once."""
    return read_table()
