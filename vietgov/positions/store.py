"""The positions database: SQLite, one transaction per batch of articles.

Tables: `articles` (one row per processed article, the resume point), `mentions`
(every position mention with provenance), `meta` (what built it), `row_scores` (how
likely each row is right, `scores.py`, written when a run ends); view `positions`
aggregates mentions by (official, title, unit) keys, so it is never stale, even while a
run is writing (only its `score` waits for the end of the run), and view
`confident_positions` keeps the rows that score at least the scorer's threshold. An
article and its mentions are committed together: a run killed at any point leaves whole
articles only, and the next run skips exactly those.

SQLite rather than DuckDB: it is in Python's standard library, it lets others read
(WAL) while a long run writes, it commits small transactions cheaply, and every tool
opens it (sqlite3, pandas, R, Datasette, DuckDB's sqlite scanner); at a few hundred
thousand rows its aggregations take well under a second.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

from .mentions import Mention
from .scores import RowScorer, score_rows
from ..corpus import Article

SCHEMA_VERSION = "2"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    source TEXT, date TEXT, url TEXT,
    file TEXT, line INTEGER,
    chars INTEGER NOT NULL,
    mentions INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    mention_id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (article_id),
    official TEXT NOT NULL, official_start INTEGER NOT NULL, official_end INTEGER NOT NULL,
    title TEXT NOT NULL, title_start INTEGER NOT NULL, title_end INTEGER NOT NULL,
    unit TEXT, unit_start INTEGER, unit_end INTEGER,
    official_key TEXT NOT NULL, title_key TEXT NOT NULL, unit_key TEXT,
    unit_completed INTEGER, unit_successor TEXT,
    status TEXT NOT NULL, event TEXT,
    sentence TEXT NOT NULL, sentence_start INTEGER NOT NULL,
    confidence REAL
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id);
CREATE INDEX IF NOT EXISTS mentions_position ON mentions (official_key, title_key, unit_key);
CREATE INDEX IF NOT EXISTS mentions_title_unit ON mentions (title_key, unit_key);
CREATE INDEX IF NOT EXISTS mentions_unit ON mentions (unit_key);
CREATE INDEX IF NOT EXISTS mentions_successor ON mentions (unit_successor);
CREATE TABLE IF NOT EXISTS row_scores (official_key TEXT NOT NULL, title_key TEXT NOT NULL, unit_key TEXT,
                                       score REAL NOT NULL);
CREATE INDEX IF NOT EXISTS row_scores_position ON row_scores (official_key, title_key, unit_key);
CREATE VIEW IF NOT EXISTS positions AS
SELECT m.official_key AS official, m.title_key AS title, m.unit_key AS unit,
       MAX(m.unit_successor) AS unit_successor,
       MIN(a.date) AS first_seen, MAX(a.date) AS last_seen,
       COUNT(DISTINCT m.article_id) AS articles, COUNT(*) AS mentions,
       MIN(CASE WHEN m.status = 'new' OR m.event = 'appointed' THEN a.date END) AS start_date,
       MAX(CASE WHEN m.event = 'dismissed' THEN a.date END) AS end_date,
       MAX(m.status = 'former' OR m.event IS 'dismissed') AS ended,
       MAX(m.confidence) AS confidence,
       (SELECT s.score FROM row_scores s WHERE s.official_key = m.official_key AND s.title_key = m.title_key
        AND s.unit_key IS m.unit_key) AS score
FROM mentions m JOIN articles a USING (article_id)
GROUP BY m.official_key, m.title_key, m.unit_key;
CREATE VIEW IF NOT EXISTS confident_positions AS
SELECT * FROM positions WHERE score >= (SELECT CAST(value AS REAL) FROM meta WHERE key = 'score_threshold');
"""
MENTION_COLUMNS = ("article_id",) + Mention._fields


class MixedBuildError(ValueError):
    """The database was built with another pipeline or other keys than this run would use."""


class PositionStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable at each checkpoint, never corrupt
        old = self._schema_version() == "1"
        with self.conn:
            if old:  # version 2 adds the row scores to the same tables: the view is made again, nothing rebuilt
                self.conn.execute("DROP VIEW positions")
            self.conn.executescript(SCHEMA)
            if old:
                self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
        self._insert_mention = (f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) "
                                f"VALUES ({', '.join('?' * len(MENTION_COLUMNS))})")

    def _schema_version(self) -> str | None:
        has_meta = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        row = has_meta and self.conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "PositionStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta"))

    def claim(self, settings: dict[str, str]) -> None:
        """Record what builds this database; a run with other settings would mix keys or models: refused."""
        settings = {"schema": SCHEMA_VERSION, **settings}
        known = self.meta()
        differ = {k: (known[k], v) for k, v in settings.items() if k in known and known[k] != v}
        if differ:
            detail = "; ".join(f"{k}: {old!r} in the database, {new!r} now" for k, (old, new) in differ.items())
            raise MixedBuildError(f"{self.path} was built with other settings ({detail}): use a new database")
        with self.conn:
            self.conn.executemany("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", settings.items())

    def done_ids(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT article_id FROM articles")}

    def write(self, results: Iterable[tuple[Article, list[Mention]]]) -> int:
        """Articles with their mentions, in one transaction; an article already stored (another writer got
        there first) is left as it is. Returns the number of articles written."""
        written = 0
        with self.conn:
            for article, mentions in results:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO articles (article_id, source, date, url, file, line, chars, mentions) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (article.id, article.source, article.date, article.url, article.file, article.line,
                     len(article.text), len(mentions)))
                if cur.rowcount == 1:
                    self.conn.executemany(self._insert_mention, [(article.id, *m) for m in mentions])
                    written += 1
        return written

    def score_rows(self, scorer: RowScorer | None = None) -> int:
        """Score every row (the shipped scorer by default); returns the number of rows."""
        return score_rows(self.conn, scorer or RowScorer.load())

    def finish(self) -> dict[str, int]:
        """At the end of a run: the rows scored, and the counts."""
        self.score_rows()
        return self.counts()

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT COUNT(*) FROM articles"),
            "mentions": one("SELECT COUNT(*) FROM mentions"),
            "positions": one("SELECT COUNT(*) FROM positions"),
            "confident_positions": one("SELECT COUNT(*) FROM confident_positions"),
            "officials": one("SELECT COUNT(DISTINCT official_key) FROM mentions"),
            "units": one("SELECT COUNT(DISTINCT unit_key) FROM mentions"),
        }
