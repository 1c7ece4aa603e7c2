"""Documents to read: text files (also HTML), JSON lines, either gzipped; standard input, globs and folders.

One reader for `vietgov extract` and `vietgov positions build`. A JSON line is `{"id", "text", "source"?, "url"?,
"date"?}` (the date may also sit under `meta`); a text file is one document whose id is its path (`stdin` for `-`).
Files are read as streams (a large .gz is never held whole). A bad record (not JSON, no text, undecodable or binary
bytes, an id read before, a truncated gzip) is reported to `on_error` as `file:line: reason` and skipped: it never
stops the run or loses other records (`on_error` may raise to stop).
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

from .normalize import require_unicode

JSONL_SUFFIXES = (".jsonl", ".ndjson")
TEXT_SUFFIXES = (".txt", ".html", ".htm")
STDIN = "-"
DATE_FIELDS = ("date", "published", "published_at", "publish_date", "datePublished")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:$|[T ])")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")  # Vietnamese order: day/month/year


class InputError(ValueError):
    pass


def decode(data: bytes, name: str) -> str:
    """UTF-8 text as written, without a byte order mark (offsets index it); binary or undecodable input is an
    error naming the byte."""
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise InputError(f"{name}: binary input (NUL byte at offset {nul}), expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {err.start}); "
                         "convert it first, e.g. iconv -f WINDOWS-1258 -t UTF-8") from None


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


def expand_inputs(inputs: list[str], on_error: Callable[[str], None] = report) -> Iterator[Path]:
    """Files of the inputs in order: `-` (standard input), globs expanded, folders searched for text, HTML and
    JSON lines files (gzipped or not; hidden ones left out); an input that names nothing is reported when it is
    reached, in the order of the inputs."""
    for item in inputs:
        if item == STDIN:
            yield Path(STDIN)
            continue
        matches = sorted(glob.glob(item, recursive=True)) if glob.has_magic(item) else [item]
        if not matches:
            on_error(f"{item}: no file matches")
        for match in map(Path, matches):
            if match.is_dir():
                found = sorted(f for f in match.rglob("*") if f.is_file()
                               and _base(f).endswith(JSONL_SUFFIXES + TEXT_SUFFIXES)
                               and not any(part.startswith(".") for part in f.relative_to(match).parts))
                if not found:
                    on_error(f"{match}: a folder without {', '.join(TEXT_SUFFIXES + JSONL_SUFFIXES)} files "
                             "(gzipped or not)")
                yield from found
            elif match.is_file():
                yield match
            else:
                on_error(f"{match}: no such file or folder")


def _open(path: Path):
    if str(path) == STDIN:
        return open(sys.stdin.fileno(), "rb", closefd=False)
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
                       on_error: Callable[[str], None], keep_empty: bool = False) -> Article:
    """An Article from a parsed JSON line; ValueError names what is wrong with it."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("no 'text' string")
    if not text.strip() and not keep_empty:
        raise ValueError("empty 'text'")
    try:
        require_unicode(text)
    except ValueError as err:
        raise ValueError(f"'text' is {err}") from None
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


def _read_jsonl(path: Path, on_error, keep_empty: bool = False) -> Iterator[Article]:
    lineno = 0
    stem = Path(_base(path)).stem  # the id of a line without one: `docs-3`
    try:
        with _open(path) as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    obj = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
                    yield _article_from_json(obj, where, f"{stem}-{lineno}", path, lineno, on_error, keep_empty)
                except UnicodeDecodeError as err:
                    on_error(f"{where}: not UTF-8 text (invalid byte at offset {err.start}), skipped")
                except json.JSONDecodeError as err:
                    on_error(f"{where}: invalid JSON ({err.msg} at column {err.colno}), skipped")
                except ValueError as err:
                    on_error(f"{where}: {err}, skipped")
    except (EOFError, OSError, zlib.error) as err:  # a truncated or corrupt gzip: what came before is kept
        on_error(f"{path}:{lineno + 1}: unreadable ({err}), rest of the file skipped")


def _read_text(path: Path, on_error, keep_empty: bool = False) -> Iterator[Article]:
    name = "<stdin>" if str(path) == STDIN else str(path)
    try:
        with _open(path) as fh:
            text = decode(fh.read(), name)
    except InputError as err:
        on_error(f"{err}, skipped")
        return
    except (EOFError, OSError, zlib.error) as err:
        on_error(f"{name}: unreadable ({err}), skipped")
        return
    if not text.strip() and not keep_empty:
        on_error(f"{name}: empty, skipped")
    else:
        doc_id = "stdin" if str(path) == STDIN else str(path)
        yield Article(doc_id, text, None, None, None, name, None)


def read_corpus(inputs: list[str], on_error: Callable[[str], None] = report,
                keep_empty: bool = False) -> Iterator[Article]:
    """Every readable document of the inputs, in order; an id seen before in this run is reported and skipped, and
    so is an empty document unless `keep_empty` (`extract` writes a line for each input)."""
    seen: dict[str, str] = {}
    for path in expand_inputs(inputs, on_error):
        for article in (_read_jsonl if is_jsonl(path) else _read_text)(path, on_error, keep_empty):
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
        if not is_jsonl(path) or str(path) == STDIN:
            total += 1
            continue
        try:
            with _open(path) as fh:
                total += sum(1 for raw in fh if raw.strip())
        except (EOFError, OSError, zlib.error):
            pass  # reported when the records are read
    return total
