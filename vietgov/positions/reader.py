"""Articles of a news corpus: text files and JSON lines, either gzipped; globs and folders.

A JSON line is `{"id", "text", "source"?, "url"?, "date"?}` (the date may also sit
under `meta`); a text file is one article whose id is its path. A bad record (not
JSON, no text, undecodable bytes, an id read before, a truncated gzip) is reported
as `file:line: reason` and skipped: it never stops the run or loses other records.
"""
from __future__ import annotations

import datetime as dt
import glob
import gzip
import json
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

JSONL_SUFFIXES = (".jsonl", ".ndjson")
TEXT_SUFFIXES = (".txt",)
DATE_FIELDS = ("date", "published", "published_at", "publish_date", "datePublished")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:$|[T ])")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")  # Vietnamese order: day/month/year


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    source: str | None = None
    date: str | None = None  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None
    file: str = ""
    line: int | None = None


def report(message: str) -> None:
    print(f"vietgov: {message}", file=sys.stderr)


def _base(path: Path) -> str:
    """The name without a .gz suffix: what tells JSON lines from text."""
    name = path.name.lower()
    return name[:-3] if name.endswith(".gz") else name


def is_jsonl(path: Path) -> bool:
    return _base(path).endswith(JSONL_SUFFIXES)


def expand_inputs(inputs: list[str], on_error: Callable[[str], None] = report) -> list[Path]:
    """Files of the inputs in order: globs expanded, folders searched for .txt and .jsonl (gzipped or not);
    an input that names nothing is reported."""
    out: list[Path] = []
    for item in inputs:
        matches = sorted(glob.glob(item, recursive=True)) if glob.has_magic(item) else [item]
        if not matches:
            on_error(f"{item}: no file matches")
        for match in map(Path, matches):
            if match.is_dir():
                found = sorted(f for f in match.rglob("*") if f.is_file()
                               and _base(f).endswith(JSONL_SUFFIXES + TEXT_SUFFIXES))
                if not found:
                    on_error(f"{match}: a folder without .txt or .jsonl files (gzipped or not)")
                out.extend(found)
            elif match.is_file():
                out.append(match)
            else:
                on_error(f"{match}: no such file or folder")
    return out


def _open(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def iso_date(value) -> str | None:
    """An ISO 8601 date (prefix) from a record's date value; ValueError when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # a Unix time, in s or ms
        seconds = value / 1000 if value > 1e11 else value
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
    if isinstance(value, str):
        text = value.strip()
        if m := _ISO.match(text):
            year, month, day = m.groups()
            dt.date(int(year), int(month or 1), int(day or 1))  # raises on an impossible date
            return "-".join(f"{int(v):02d}" if i else v for i, v in enumerate((year, month, day)) if v)
        if m := _DMY.match(text):
            day, month, year = map(int, m.groups())
            return dt.date(year, month, day).isoformat()
    raise ValueError(f"unreadable date {value!r}")


def _record_date(obj: dict):
    for holder in (obj, obj.get("meta")):
        if isinstance(holder, dict):
            for key in DATE_FIELDS:
                if holder.get(key) not in (None, ""):
                    return holder[key]
    return None


def _text_or_none(value) -> str | None:
    return str(value) if value not in (None, "") else None


def _article_from_json(obj, where: str, fallback_id: str, path: Path, lineno: int,
                       on_error: Callable[[str], None]) -> Article:
    """An Article from a parsed JSON line; ValueError names what is wrong with it."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("no 'text' string")
    if not text.strip():
        raise ValueError("empty 'text'")
    doc_id = obj.get("id", fallback_id)
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or str(doc_id) == "":
        raise ValueError(f"'id' must be a non-empty string or integer, got {doc_id!r}")
    try:
        date = iso_date(_record_date(obj))
    except (ValueError, OverflowError, OSError) as err:  # the article is kept, without a date
        on_error(f"{where}: {err}; kept without a date")
        date = None
    return Article(str(doc_id), text, _text_or_none(obj.get("source")), date, _text_or_none(obj.get("url")),
                   str(path), lineno)


def _read_jsonl(path: Path, on_error) -> Iterator[Article]:
    lineno = 0
    try:
        with _open(path) as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    obj = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
                    yield _article_from_json(obj, where, f"{path.name}:{lineno}", path, lineno, on_error)
                except UnicodeDecodeError as err:
                    on_error(f"{where}: not UTF-8 (invalid byte at offset {err.start}), skipped")
                except json.JSONDecodeError as err:
                    on_error(f"{where}: invalid JSON ({err.msg} at column {err.colno}), skipped")
                except ValueError as err:
                    on_error(f"{where}: {err}, skipped")
    except (EOFError, OSError, zlib.error) as err:  # a truncated or corrupt gzip: what came before is kept
        on_error(f"{path}:{lineno + 1}: unreadable ({err}), rest of the file skipped")


def _read_text(path: Path, on_error) -> Iterator[Article]:
    try:
        with _open(path) as fh:
            data = fh.read()
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        on_error(f"{path}: not UTF-8 (invalid byte at offset {err.start}), skipped")
        return
    except (EOFError, OSError, zlib.error) as err:
        on_error(f"{path}: unreadable ({err}), skipped")
        return
    if "\x00" in text:
        on_error(f"{path}: binary input (NUL byte at offset {text.index(chr(0))}), skipped")
    elif not text.strip():
        on_error(f"{path}: empty, skipped")
    else:
        yield Article(str(path), text, None, None, None, str(path), None)


def read_corpus(inputs: list[str], on_error: Callable[[str], None] = report) -> Iterator[Article]:
    """Every readable article of the inputs, in order; an id seen before in this run is reported and skipped."""
    seen: dict[str, str] = {}
    for path in expand_inputs(inputs, on_error):
        for article in (_read_jsonl if is_jsonl(path) else _read_text)(path, on_error):
            where = f"{article.file}:{article.line}" if article.line else article.file
            if article.id in seen:
                on_error(f"{where}: id {article.id!r} already read at {seen[article.id]}, skipped")
                continue
            seen[article.id] = where
            yield article


def count_records(inputs: list[str]) -> int:
    """Non-blank lines of the JSON lines inputs plus one per text file: the progress bar's total."""
    total = 0
    for path in expand_inputs(inputs, on_error=lambda _: None):  # reported when the records are read
        if not is_jsonl(path):
            total += 1
            continue
        try:
            with _open(path) as fh:
                total += sum(1 for raw in fh if raw.strip())
        except (EOFError, OSError, zlib.error):
            pass  # reported when the records are read
    return total
