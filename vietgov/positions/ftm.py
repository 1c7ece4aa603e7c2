"""The positions database as FollowTheMoney entities (JSON lines), for OpenSanctions-style tooling.

`Article` per source article; `Person` per official, `PublicBody` (or `Organization`
for enterprises) per unit, `Position` per (title, unit), `Occupancy` per (person,
position), each with `proof` pointing at the articles that say so; `Succession` from a
unit to the unit that replaced it in the 2025 reorganisation, where `vietgov.canonical`
gave one. Keys are the database's (canonical names when available), so one name is one
person; `per_article=True` keys persons and occupancies by article instead and leaves
the merging to `nomenklatura`. Needs the `positions` extra (`pip install vietgov[positions]`).
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import TextIO

PREFIX = "vietgov"
COUNTRY = "vn"
# units that are businesses rather than party, state or mass organisations
_ENTERPRISE = re.compile(r"^(?:công ty|tổng công ty|tập đoàn|ngân hàng|doanh nghiệp|hợp tác xã)\b", re.I)
_ROWS = """
SELECT m.official_key, m.title_key, m.unit_key, m.official, m.unit, m.unit_successor, m.status, m.event,
       m.article_id, a.date, a.source, a.url
FROM mentions m JOIN articles a USING (article_id)
WHERE (? IS NULL OR m.confidence >= ?)
  AND (NOT ? OR (SELECT s.score FROM row_scores s WHERE s.official_key = m.official_key
                 AND s.title_key = m.title_key AND s.unit_key IS m.unit_key)
                >= (SELECT CAST(value AS REAL) FROM meta WHERE key = 'score_threshold'))
ORDER BY m.article_id, m.mention_id
"""


def _id(kind: str, *parts) -> str:
    from followthemoney.util import make_entity_id

    return f"{PREFIX}-{kind}-{make_entity_id(*parts)}"


def occupancy_dates(mentions: list[dict]) -> tuple[str | None, str | None, str]:
    """(startDate, endDate, status) of one person in one post from its mentions.

    start: the earliest date of an article that reports the appointment (`tân`, `bổ nhiệm`, `bầu`, ...);
    end: the latest date of an article that reports the dismissal (`miễn nhiệm`, `thôi giữ chức`, ...);
    status `ended` when an article says the post was left (`nguyên`, `cựu`, a dismissal) and no later-dated
    article shows it held, else `unknown`: an article shows a post held at its date, not today."""
    starts = [m["date"] for m in mentions if m["date"] and (m["status"] == "new" or m["event"] == "appointed")]
    ends = [m["date"] for m in mentions if m["date"] and m["event"] == "dismissed"]
    left = [m["status"] == "former" or m["event"] == "dismissed" for m in mentions]
    status = "unknown"
    if any(left):
        last_end = max((m["date"] for m, gone in zip(mentions, left) if gone and m["date"]), default=None)
        held_later = last_end is not None and any(
            m["date"] and m["date"] > last_end for m, gone in zip(mentions, left) if not gone)
        status = "unknown" if held_later else "ended"
    return min(starts, default=None), max(ends, default=None), status


def export_ftm(db: str | Path, out: TextIO, *, per_article: bool = False,
               min_confidence: float | None = None, confident: bool = False) -> dict[str, int]:
    """Write the entities of `db` to the text stream `out` as FtM JSON lines; returns the count per schema.
    `min_confidence`: only the mentions of at least that confidence (none without one), so only the positions
    whose `confidence` in the `positions` view reaches it, each with the articles that support it that well.
    `confident`: only the positions of the `confident_positions` view (their row score reaches the scorer's
    threshold)."""
    from followthemoney import model

    conn = sqlite3.connect(f"file:{Path(db)}?mode=ro", uri=True)
    columns = ("official", "title", "unit", "official_text", "unit_text", "successor", "status", "event",
               "article", "date", "source", "url")
    rows = [dict(zip(columns, r)) for r in conn.execute(_ROWS, (min_confidence, min_confidence, confident))]
    conn.close()

    entities: dict[str, object] = {}

    def entity(schema: str, entity_id: str):
        if entity_id not in entities:
            proxy = model.make_entity(schema)
            proxy.id = entity_id
            entities[entity_id] = proxy
        return entities[entity_id]

    def article_id(row) -> str:
        eid = _id("article", row["article"])
        if eid not in entities:
            art = entity("Article", eid)
            art.add("name", row["article"])
            art.add("publisher", row["source"])
            art.add("publishedAt", row["date"])
            art.add("sourceUrl", row["url"])
        return eid

    def unit_entity(name: str):
        body = entity("Organization" if _ENTERPRISE.match(name) else "PublicBody", _id("unit", name))
        body.add("name", name)
        body.add("country", COUNTRY)
        return body

    occupancies: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        proof = article_id(row)
        person_key = (row["article"], row["official"]) if per_article else (row["official"],)
        person = entity("Person", _id("person", *person_key))
        person.add("name", row["official"])
        if row["official_text"] != row["official"]:
            person.add("alias", row["official_text"])
        person.add("country", COUNTRY)
        person.add("proof", proof)
        post_name = f"{row['title']} {row['unit']}" if row["unit"] else row["title"]
        position = entity("Position", _id("position", row["title"], row["unit"] or ""))
        position.add("name", post_name)
        position.add("country", COUNTRY)
        position.add("proof", proof)
        person.add("position", post_name)
        if row["unit"]:
            unit = unit_entity(row["unit"])
            if row["unit_text"] != row["unit"]:
                unit.add("alias", row["unit_text"])
            unit.add("proof", proof)
            position.add("organization", unit.id)
            if row["successor"]:
                successor = unit_entity(row["successor"])
                succession = entity("Succession", _id("succession", row["unit"], row["successor"]))
                succession.add("predecessor", unit.id)
                succession.add("successor", successor.id)
                succession.add("description", "2025 reorganisation of administrative units")
        occupancy = entity("Occupancy", _id("occupancy", person.id, position.id))
        occupancy.add("holder", person.id)
        occupancy.add("post", position.id)
        occupancy.add("proof", proof)
        occupancies[occupancy.id].append(row)

    for eid, mentions in occupancies.items():
        start, end, status = occupancy_dates(mentions)
        occ = entities[eid]
        occ.add("startDate", start)
        occ.add("endDate", end)
        occ.add("status", status)

    counts: dict[str, int] = defaultdict(int)
    for proxy in entities.values():
        out.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        counts[proxy.schema.name] += 1
    return dict(counts)
