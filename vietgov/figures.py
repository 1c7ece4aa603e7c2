"""Values of FIGURE spans in Vietnamese number format (`.` groups thousands, `,` is the decimal mark).

    5.148 tỷ đồng   -> 5148000000000, "đồng"
    15,98%/năm      -> 15.98, "%/năm"
    10/10 phường    -> 10, "phường", total 10
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from .normalize import plain_text

MAGNITUDES = {"nghìn": 10**3, "ngàn": 10**3, "vạn": 10**4, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_NUMBER = r"\d[\d.,]*"
_FIGURE = re.compile(
    rf"^\s*(?P<num>{_NUMBER})(?:\s*/\s*(?P<total>{_NUMBER}))?\s*(?P<rest>.*?)\s*$", re.S
)


@dataclass(frozen=True)
class FigureValue:
    value: float | int
    unit: str | None
    total: float | int | None = None


def parse_number(text: str) -> float | int:
    """`5.148` -> 5148, `15,98` -> 15.98, `24.024.181.065` -> 24024181065, `2.5` -> 2.5."""
    text = text.strip(".,")
    if "," in text:
        whole, _, frac = text.rpartition(",")
        return float(whole.replace(".", "").replace(",", "") + "." + frac)
    groups = text.split(".")
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return int("".join(groups))
    if len(groups) == 2:  # a dot that is not a thousands separator: read it as a decimal point
        return float(text)
    return int(text.replace(".", ""))


def _clean(number: float | int) -> float | int:
    return int(number) if isinstance(number, float) and number.is_integer() else number


def parse_figure(text: str) -> FigureValue | None:
    """Value, unit and (for ratios) total of a FIGURE's text; None if it has no number."""
    m = _FIGURE.match(text)
    if not m:
        return None
    try:
        value = parse_number(m.group("num"))
        total = parse_number(m.group("total")) if m.group("total") else None
    except ValueError:
        return None
    words = m.group("rest").split()
    factor = 1
    while words and words[0].lower() in MAGNITUDES:  # `nghìn tỷ` multiplies
        factor *= MAGNITUDES[words.pop(0).lower()]
    unit = re.sub(r"\s*/\s*", "/", " ".join(words))
    unit = re.sub(r"^(?:đ|VNĐ|VND)(?=$|/)", "đồng", unit) or None
    return FigureValue(_clean(value * factor), unit, _clean(total) if total is not None else None)


def _figure_attr(attr: str, span):
    if span.label_ != "FIGURE":
        return None
    parsed = parse_figure(plain_text(span.text))
    return getattr(parsed, attr) if parsed else None


def register_extensions() -> None:
    from spacy.tokens import Span

    for attr in ("value", "unit", "total"):
        if not Span.has_extension(attr):
            # a partial of a module function, not a closure: nlp.pipe(n_process=...) pickles the getters
            # for its workers where they are spawned (macOS, Windows, Python 3.14's forkserver)
            Span.set_extension(attr, getter=partial(_figure_attr, attr))
