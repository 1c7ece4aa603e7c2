"""The positions database: mentions with status and keys, resumable builds, bad records, FtM export, Dask."""
import gzip
import json
import sqlite3

import pytest
from spacy.language import Language
from spacy.tokens import Span

from vietgov.positions import build, doc_mentions, read_corpus
from vietgov.positions.store import MixedBuildError, PositionStore
from vietgov.doc_relations import register_extensions, set_relations
from vietgov.tokenizer import blank

from .conftest import ROOT, doc_with_ents

NAMES = ["Dương Anh Đức", "Lê Trí Thanh"]
TITLES = ["Bí thư", "Chủ tịch", "nguyên Chủ tịch"]
UNITS = ["Quận ủy quận 1", "UBND tỉnh Quảng Nam"]
ARTICLES = [
    {"id": "a1", "source": "test", "date": "2020-03-14", "text": "Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì hội nghị."},
    {"id": "a2", "source": "test", "meta": {"date": "2021-05-01T08:00:00"},
     "text": "Ông Lê Trí Thanh, nguyên Chủ tịch UBND tỉnh Quảng Nam, phát biểu."},
    {"id": "a3", "date": "12/06/2021", "text": "Bí thư Quận ủy quận 1 Dương Anh Đức dự lễ khánh thành."},
    {"id": "a4", "text": "Chủ tịch UBND tỉnh Quảng Nam Lê Trí Thanh ký quyết định."},
    {"id": "a5", "text": "Hôm nay trời đẹp."},
]
EXPECTED_POSITIONS = {
    # official, title, unit (canonical names), first_seen, last_seen, articles, ended
    ("Dương Anh Đức", "Bí thư", "Quận ủy Quận 1", "2020-03-14", "2021-06-12", 2, 0),
    ("Lê Trí Thanh", "Chủ tịch", "Ủy ban nhân dân tỉnh Quảng Nam", "2021-05-01", "2021-05-01", 2, 1),
}


@pytest.fixture(scope="module")
def rule_pipeline(tmp_path_factory):
    """A saved pipeline: entity ruler plus the rule relations (fast, exact, loadable by Dask workers)."""
    register_extensions()
    nlp = blank()
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": label, "pattern": p} for label, items in
                        (("OFFICIAL", NAMES), ("TITLE", TITLES), ("UNIT", UNITS)) for p in items])
    nlp.add_pipe("vietgov_relations")
    path = tmp_path_factory.mktemp("rules") / "pipeline"
    nlp.to_disk(path)
    return path


@pytest.fixture(scope="module")
def rule_nlp(rule_pipeline):
    from vietgov.positions.run import load_pipeline

    return load_pipeline(rule_pipeline)


def write_jsonl(path, items):
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n"
                            for x in items), encoding="utf-8")
    return path


def rows(db):
    """Every stored mention with its article, without the row id: what two builds must agree on."""
    conn = sqlite3.connect(db)
    out = sorted(conn.execute("SELECT * FROM mentions JOIN articles USING (article_id)").fetchall(),
                 key=lambda r: (r[1], r[3]))
    conn.close()
    return [r[1:] for r in out]


def positions(db):
    conn = sqlite3.connect(db)
    out = set(conn.execute(
        "SELECT official, title, unit, first_seen, last_seen, articles, ended FROM positions"))
    conn.close()
    return out


# -- mentions ----------------------------------------------------------------------------------------

def mentions_of(text, spans, relations, scores=None, unlinked=None):
    """doc_mentions of a hand-built doc: `relations` are (head index, tail index, label) into `spans`, `unlinked`
    maps a title's index to the best probability of a unit it was not given."""
    register_extensions()
    doc = doc_with_ents(blank(), text, spans)
    ents = list(doc.ents)
    set_relations(doc, [(ents[h], ents[t], label) for h, t, label in relations], scores)
    doc._.unlinked_unit_scores = {ents[i].start: p for i, p in (unlinked or {}).items()}
    return doc_mentions(doc)


def test_status_and_event_from_the_words_around_the_title():
    (m,) = mentions_of("HĐND đã bầu ông Nguyễn Văn Hải giữ chức Chủ tịch UBND quận 1.",
                       [("Nguyễn Văn Hải", "OFFICIAL"), ("Chủ tịch", "TITLE"), ("UBND quận 1", "UNIT")],
                       [(0, 1, "HAS_TITLE"), (1, 2, "TITLE_OF")])
    assert (m.status, m.event, m.unit_key) == ("current", "appointed", "Ủy ban nhân dân Quận 1")
    # an apposition names the present post, the verb gives the next one
    old, new = mentions_of(
        "Ông Lê Trí Thanh, Phó Chủ tịch UBND tỉnh, được bổ nhiệm giữ chức Chủ tịch UBND tỉnh.",
        [("Lê Trí Thanh", "OFFICIAL"), ("Phó Chủ tịch", "TITLE"), ("UBND tỉnh", "UNIT"), ("Chủ tịch", "TITLE"),
         ("UBND tỉnh", "UNIT")],
        [(0, 1, "HAS_TITLE"), (1, 2, "TITLE_OF"), (0, 3, "HAS_TITLE"), (3, 4, "TITLE_OF")])
    assert (old.title, old.event, new.title, new.event) == ("Phó Chủ tịch", None, "Chủ tịch", "appointed")
    (m,) = mentions_of("Ông Dương Anh Đức, Chủ tịch UBND quận 1, bị cách chức.",
                       [("Dương Anh Đức", "OFFICIAL"), ("Chủ tịch", "TITLE"), ("UBND quận 1", "UNIT")],
                       [(0, 1, "HAS_TITLE"), (1, 2, "TITLE_OF")])
    assert (m.status, m.event) == ("current", "dismissed")
    (m,) = mentions_of("Quyết định cho thôi giữ chức Bí thư Quận ủy quận 1 đối với Dương Anh Đức.",
                       [("Bí thư", "TITLE"), ("Quận ủy quận 1", "UNIT"), ("Dương Anh Đức", "OFFICIAL")],
                       [(2, 0, "HAS_TITLE"), (0, 1, "TITLE_OF")])
    assert m.event == "dismissed"
    former, new = mentions_of(
        "Ông Lê Trí Thanh, nguyên Chủ tịch UBND tỉnh, và bà Trần Thị Lan, tân Giám đốc Sở Nội vụ, dự họp.",
        [("Lê Trí Thanh", "OFFICIAL"), ("nguyên Chủ tịch", "TITLE"), ("UBND tỉnh", "UNIT"),
         ("Trần Thị Lan", "OFFICIAL"), ("tân Giám đốc", "TITLE"), ("Sở Nội vụ", "UNIT")],
        [(0, 1, "HAS_TITLE"), (1, 2, "TITLE_OF"), (3, 4, "HAS_TITLE"), (4, 5, "TITLE_OF")])
    assert (former.status, former.title_key, new.status, new.title_key) == ("former", "Chủ tịch", "new", "Giám đốc")
    (m,) = mentions_of("Nguyên soái Zhukov chỉ huy.", [("Nguyên soái", "TITLE"), ("Zhukov", "OFFICIAL")],
                       [(1, 0, "HAS_TITLE")])
    assert (m.status, m.title_key) == ("current", "Nguyên soái")
    (m,) = mentions_of("Nguyên Thủ tướng Nguyễn Tấn Dũng dự.", [("Nguyên Thủ tướng", "TITLE"), ("Nguyễn Tấn Dũng", "OFFICIAL")],
                       [(1, 0, "HAS_TITLE")])
    assert (m.status, m.title_key) == ("former", "Thủ tướng")
    (m,) = mentions_of("Trước đó, ông Thanh từng giữ chức Chủ tịch UBND tỉnh.",
                       [("Thanh", "OFFICIAL"), ("Chủ tịch", "TITLE"), ("UBND tỉnh", "UNIT")],
                       [(0, 1, "HAS_TITLE"), (1, 2, "TITLE_OF")])
    assert m.status == "former"


def test_provenance_offsets_sentence_and_confidence():
    text = "Hội nghị khai mạc. Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì.\nTrời mưa."
    (m,) = mentions_of(text, [("Bí thư", "TITLE"), ("Quận ủy quận 1", "UNIT"), ("Dương Anh Đức", "OFFICIAL")],
                       [(2, 0, "HAS_TITLE"), (0, 1, "TITLE_OF")], scores=[0.9, 0.7])
    assert text[m.official_start:m.official_end] == "Dương Anh Đức"
    assert text[m.title_start:m.title_end] == "Bí thư" and text[m.unit_start:m.unit_end] == "Quận ủy quận 1"
    assert m.sentence == "Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì."
    assert text[m.sentence_start:].startswith(m.sentence)
    assert m.confidence == 0.7  # no tag confidences on a hand-built doc: the relations' lowest
    (m,) = mentions_of("Chủ tịch Dương Anh Đức phát biểu.", [("Chủ tịch", "TITLE"), ("Dương Anh Đức", "OFFICIAL")],
                       [(1, 0, "HAS_TITLE")])
    assert (m.unit, m.unit_key, m.confidence) == (None, None, None)


def test_a_unit_the_model_nearly_gave_lowers_the_confidence_of_a_mention_without_one():
    spans = [("tướng", "TITLE"), ("Carlos Egido", "OFFICIAL"), ("quân đội Tây Ban Nha", "UNIT")]
    text = "Theo tướng Carlos Egido từ quân đội Tây Ban Nha, họ chưa có kỹ năng."
    (m,) = mentions_of(text, spans, [(1, 0, "HAS_TITLE")], scores=[0.99], unlinked={0: 0.3})
    assert (m.unit, m.confidence) == (None, 0.7)
    (m,) = mentions_of(text, spans, [(1, 0, "HAS_TITLE")], scores=[0.99], unlinked={0: 0.004})
    assert m.confidence == 0.99
    # a unit the mention has, from the relations or written after the name, leaves nothing to doubt
    (m,) = mentions_of(text, spans, [(1, 0, "HAS_TITLE"), (0, 2, "TITLE_OF")], scores=[0.99, 0.8], unlinked={0: 0.3})
    assert (m.unit, m.confidence) == ("quân đội Tây Ban Nha", 0.8)
    (m,) = mentions_of(text.replace(" từ ", " của "), spans, [(1, 0, "HAS_TITLE")], scores=[0.99], unlinked={0: 0.3})
    assert (m.unit, m.confidence) == ("quân đội Tây Ban Nha", 0.99)


def test_a_country_or_agency_tagged_as_official_is_no_position():
    spans = [("Bộ trưởng Y tế", "TITLE"), ("Nga", "OFFICIAL")]
    assert mentions_of("Bộ trưởng Y tế Nga phát biểu.", spans, [(1, 0, "HAS_TITLE")]) == []
    # a form of address makes it a person's name
    (m,) = mentions_of("Bộ trưởng Y tế bà Nga phát biểu.", spans, [(1, 0, "HAS_TITLE")])
    assert m.official_key == "Nga"
    # a news agency, alone or after a country
    for agency in ("Reuters", "Iran ISNA"):
        assert mentions_of(f"Phóng viên {agency} cho biết.", [("Phóng viên", "TITLE"), (agency, "OFFICIAL")],
                           [(1, 0, "HAS_TITLE")]) == []


def test_an_academic_rank_or_a_status_word_is_no_post():
    for rank in ("Giáo sư", "PGS.TS", "nguyên"):
        assert mentions_of(f"{rank} Nguyễn Văn An phát biểu.", [(rank, "TITLE"), ("Nguyễn Văn An", "OFFICIAL")],
                           [(1, 0, "HAS_TITLE")]) == []
    (m,) = mentions_of("Giáo viên Nguyễn Văn An phát biểu.", [("Giáo viên", "TITLE"), ("Nguyễn Văn An", "OFFICIAL")],
                       [(1, 0, "HAS_TITLE")])
    assert m.title_key == "Giáo viên"


def test_a_country_taken_into_the_name_is_the_titles_unit():
    text = "Ngoại trưởng Na Uy Boerge Brende cho biết."
    spans = [("Ngoại trưởng", "TITLE"), ("Na Uy Boerge Brende", "OFFICIAL")]
    (m,) = mentions_of(text, spans, [(1, 0, "HAS_TITLE")])
    assert (m.official_key, m.unit, m.unit_key, m.unit_completed) == ("Boerge Brende", "Na Uy", "Na Uy", False)
    assert text[m.unit_start:m.unit_end] == "Na Uy"
    # a unit the relations give wins; a name after a place word that is a name (`Mỹ Linh`) keeps no unit
    (m,) = mentions_of("Ca sĩ Mỹ Linh hát.", [("Ca sĩ", "TITLE"), ("Mỹ Linh", "OFFICIAL")], [(1, 0, "HAS_TITLE")])
    assert (m.official_key, m.unit) == ("Mỹ Linh", None)
    # a title written after the name does not take the place in it
    (m,) = mentions_of("Mỹ Donald Trump, Tổng thống, phát biểu.", [("Mỹ Donald Trump", "OFFICIAL"), ("Tổng thống", "TITLE")],
                       [(0, 1, "HAS_TITLE")])
    assert (m.official_key, m.unit) == ("Donald Trump", None)


def test_a_unit_written_after_the_holders_name_is_the_titles_unit():
    text = "Bình luận viên Dave Majumdar của National Interest nhận xét, luật sư Trần Trâm - Công ty luật Levina nói."
    spans = [("Bình luận viên", "TITLE"), ("Dave Majumdar", "OFFICIAL"), ("National Interest", "UNIT"),
             ("luật sư", "TITLE"), ("Trần Trâm", "OFFICIAL"), ("Công ty luật Levina", "UNIT")]
    first, second = mentions_of(text, spans, [(1, 0, "HAS_TITLE"), (4, 3, "HAS_TITLE")], scores=[0.9, 0.8])
    assert (first.unit, second.unit) == ("National Interest", "Công ty luật Levina")
    assert (first.confidence, second.confidence) == (0.9, 0.8)  # the relation model's, not raised by the rule
    # not after `ở` (where he is, not whom he works for), nor for a title written after the name
    text = "Nhà phân tích Zhang Lifan ở Bắc Kinh nhận định. Ông Lâm - Giám đốc, của Sở Y tế."
    spans = [("Nhà phân tích", "TITLE"), ("Zhang Lifan", "OFFICIAL"), ("Bắc Kinh", "UNIT"),
             ("Lâm", "OFFICIAL"), ("Giám đốc", "TITLE"), ("Sở Y tế", "UNIT")]
    first, second = mentions_of(text, spans, [(1, 0, "HAS_TITLE"), (3, 4, "HAS_TITLE")])
    assert (first.unit, second.unit) == (None, None)


def test_keys_are_canonical_names_else_the_text():
    text = "Ông Dương Anh Đức dự họp. Chủ tịch UBND TPHCM ông Đức phát biểu."
    spans = [("Dương Anh Đức", "OFFICIAL"), ("Chủ tịch", "TITLE"), ("UBND TPHCM", "UNIT"), ("Đức", "OFFICIAL")]
    (m,) = mentions_of(text, spans, [(3, 1, "HAS_TITLE"), (1, 2, "TITLE_OF")])
    assert (m.official_key, m.title_key, m.unit_key, m.unit_successor) == (
        "Dương Anh Đức", "Chủ tịch", "Ủy ban nhân dân Thành phố Hồ Chí Minh", None)
    assert (m.official, m.unit) == ("Đức", "UBND TPHCM")  # the text as written stays beside it
    # where vietgov.canonical gives no name (an ambiguous official), the key is the normalised text
    _, _, getter, _ = Span.get_extension("canonical")
    Span.set_extension("canonical", getter=lambda span: None, force=True)
    try:
        (m,) = mentions_of(text, spans, [(3, 1, "HAS_TITLE"), (1, 2, "TITLE_OF")])
    finally:
        Span.set_extension("canonical", getter=getter, force=True)
    assert (m.official_key, m.unit_key) == ("Đức", "UBND TPHCM")


# -- reading -----------------------------------------------------------------------------------------

def test_bad_records_are_reported_and_skipped(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [
        ARTICLES[0], "{not json", {"id": "x"}, {"id": "y", "text": "   "}, [1, 2],
        {"id": "a1", "text": "Bí thư Quận ủy quận 1 Dương Anh Đức."}, {"id": "d", "date": "hôm qua", "text": "Tin."},
        ARTICLES[1]])
    with open(corpus, "ab") as fh:
        fh.write(b'{"id": "bytes", "text": "\xff\xfe"}\n')
    (tmp_path / "t.txt").write_text("Bí thư Quận ủy quận 1 Dương Anh Đức.", encoding="utf-8")
    with gzip.open(tmp_path / "z.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(ARTICLES[2], ensure_ascii=False) + "\n" + json.dumps(ARTICLES[3], ensure_ascii=False) + "\n")
    data = (tmp_path / "z.jsonl.gz").read_bytes()
    (tmp_path / "zz-cut.jsonl.gz").write_bytes(data[: len(data) - 12])  # a download that stopped
    errors = []
    got = list(read_corpus([str(tmp_path)], on_error=errors.append))
    assert [a.id for a in got] == ["a1", "d", "a2", str(tmp_path / "t.txt"), "a3", "a4"]
    assert [(a.date, a.source) for a in got[:3]] == [("2020-03-14", "test"), (None, None), ("2021-05-01", "test")]
    assert got[4].date == "2021-06-12"
    reasons = "\n".join(errors)
    for expected in (f"{corpus}:2: invalid JSON", f"{corpus}:3: no 'text' string", f"{corpus}:4: empty 'text'",
                     f"{corpus}:5: expected a JSON object", f"{corpus}:6: id 'a1' already read at {corpus}:1",
                     f"{corpus}:7: unreadable date 'hôm qua'; kept without a date", f"{corpus}:9: not UTF-8",
                     "zz-cut.jsonl.gz:"):
        assert expected in reasons, (expected, reasons)
    assert "id 'a3' already read" in reasons  # the truncated copy's first record, read before it broke off


# -- building ----------------------------------------------------------------------------------------

def test_aggregated_table_of_a_small_corpus(tmp_path, rule_nlp):
    corpus = write_jsonl(tmp_path / "c.jsonl", ARTICLES)
    stats = build([str(corpus)], tmp_path / "p.sqlite", nlp=rule_nlp, batch_size=2, progress=False)
    assert (stats["written"], stats["articles"], stats["mentions"]) == (5, 5, 4)
    assert (stats["officials"], stats["units"]) == (2, 2)
    assert positions(tmp_path / "p.sqlite") == EXPECTED_POSITIONS
    conn = sqlite3.connect(tmp_path / "p.sqlite")
    assert conn.execute("SELECT title, status FROM mentions WHERE article_id = 'a2'").fetchall() == [
        ("nguyên Chủ tịch", "former")]
    assert conn.execute("SELECT mentions FROM articles WHERE article_id = 'a5'").fetchone() == (0,)


def test_every_row_is_scored_when_a_build_ends_and_the_confident_ones_kept(tmp_path, rule_nlp):
    from vietgov.positions.scores import RowScorer

    db = tmp_path / "p.sqlite"
    stats = build([str(write_jsonl(tmp_path / "c.jsonl", ARTICLES))], db, nlp=rule_nlp, progress=False)
    conn = sqlite3.connect(db)
    scores = dict(((o, t), s) for o, t, s in conn.execute("SELECT official, title, score FROM positions"))
    assert len(scores) == 2 and all(0 < s < 1 for s in scores.values())
    threshold = RowScorer.load().threshold
    assert conn.execute("SELECT value FROM meta WHERE key = 'score_threshold'").fetchone() == (str(threshold),)
    confident = {(o, t) for o, t in conn.execute("SELECT official, title FROM confident_positions")}
    assert confident == {k for k, s in scores.items() if s >= threshold}
    assert stats["confident_positions"] == len(confident)
    conn.close()


def test_positions_score_rescores_with_another_scorer_and_upgrades_an_old_database(tmp_path, rule_nlp, capsys):
    from vietgov.cli import main

    db = tmp_path / "p.sqlite"
    build([str(write_jsonl(tmp_path / "c.jsonl", ARTICLES))], db, nlp=rule_nlp, progress=False)
    # a database of schema 1: no row scores, the view without them
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DROP VIEW confident_positions")
        conn.execute("DROP VIEW positions")
        conn.execute("DROP TABLE row_scores")
        conn.execute("CREATE VIEW positions AS SELECT official_key AS official FROM mentions GROUP BY official_key")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    conn.close()
    card = json.loads((ROOT / "vietgov" / "data" / "row_scorer.json").read_text(encoding="utf-8"))
    card["threshold"] = 0.0
    (tmp_path / "everything.json").write_text(json.dumps(card), encoding="utf-8")
    assert main(["positions", "score", str(db), "--scorer", str(tmp_path / "everything.json")]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["positions"] == counts["confident_positions"] == 2
    with PositionStore(db) as store:
        assert store.meta()["schema"] == "2"
        assert positions(db) == EXPECTED_POSITIONS
    assert main(["positions", "score", str(tmp_path / "nope.sqlite")]) == 1
    assert "nope.sqlite: no such database" in capsys.readouterr().err


def test_worker_processes_give_each_articles_mentions_in_order(tmp_path, rule_nlp):
    from vietgov.positions.run import process

    articles = list(read_corpus([str(write_jsonl(tmp_path / "c.jsonl", ARTICLES))]))
    expected = [doc_mentions(rule_nlp(a.text)) for a in articles]
    assert sum(map(len, expected)) == 4
    for n_process in (1, 2):
        results = list(process(rule_nlp, articles, n_process=n_process, batch_size=2))
        assert [a.id for a, _ in results] == [a["id"] for a in ARTICLES]
        assert [m for _, m in results] == expected


def test_interrupted_build_resumes_without_duplicates(tmp_path, rule_nlp, monkeypatch):
    corpus = write_jsonl(tmp_path / "c.jsonl", ARTICLES)
    full = tmp_path / "full.sqlite"
    build([str(corpus)], full, nlp=rule_nlp, batch_size=2, progress=False)
    write, calls = PositionStore.write, []

    def interrupted(self, results):
        calls.append(1)

        def stop_inside_the_second_transaction():
            for i, item in enumerate(results):
                if len(calls) == 2 and i == 1:
                    raise KeyboardInterrupt
                yield item
        return write(self, stop_inside_the_second_transaction())

    db = tmp_path / "p.sqlite"
    monkeypatch.setattr(PositionStore, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([str(corpus)], db, nlp=rule_nlp, batch_size=2, progress=False)
    monkeypatch.setattr(PositionStore, "write", write)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone() == (2,)  # the first batch only, whole
    conn.close()
    stats = build([str(corpus)], db, nlp=rule_nlp, batch_size=2, progress=False)
    assert stats["written"] == 3
    assert rows(db) == rows(full)
    assert build([str(corpus)], db, nlp=rule_nlp, progress=False)["written"] == 0
    assert rows(db) == rows(full)


@pytest.mark.parametrize("n_process", [1, 2])
def test_an_article_the_pipeline_fails_on_is_reported_and_skipped(tmp_path, rule_pipeline, n_process):
    from vietgov.positions.run import load_pipeline

    @Language.component("fails_on_hong")
    def fails_on_hong(doc):
        if "HỎNG" in doc.text:
            raise RuntimeError("cannot read this")
        return doc

    nlp = load_pipeline(rule_pipeline)
    nlp.add_pipe("fails_on_hong", first=True)
    corpus = write_jsonl(tmp_path / "c.jsonl", ARTICLES[:2] + [{"id": "bad", "text": "HỎNG"}] + ARTICLES[2:])
    errors = []
    stats = build([str(corpus)], tmp_path / "p.sqlite", nlp=nlp, batch_size=4, n_process=n_process, progress=False,
                  on_error=errors.append)
    assert stats["articles"] == 5 and positions(tmp_path / "p.sqlite") == EXPECTED_POSITIONS
    assert errors == [f"{corpus}:3: the pipeline failed on article 'bad' (RuntimeError: cannot read this), skipped"]


def test_cli_build_reports_bad_lines_and_refuses_another_pipeline(tmp_path, rule_pipeline, capsys):
    import torch

    from vietgov.cli import main

    corpus = write_jsonl(tmp_path / "c.jsonl", ARTICLES[:2] + ["{oops"] + ARTICLES[2:])
    db = tmp_path / "p.sqlite"
    threads = torch.get_num_threads()
    try:
        # a bad line and a missing file are reported, the rest is stored, and the exit status says so
        assert main(["positions", "build", str(corpus), str(tmp_path / "nope.jsonl"), "--db", str(db),
                     "-m", str(rule_pipeline), "--no-progress"]) == 1
    finally:
        torch.set_num_threads(threads)
    out, err = capsys.readouterr()
    assert json.loads(out)["mentions"] == 4
    assert f"{corpus}:3: invalid JSON" in err and "nope.jsonl: no such file" in err and "2 articles could not" in err
    with PositionStore(db) as store:
        with pytest.raises(MixedBuildError, match="pipeline"):
            store.claim({"pipeline": "vi_other-1.0", "keys": "text"})


# -- FollowTheMoney ----------------------------------------------------------------------------------

def test_ftm_export_is_valid_followthemoney(tmp_path, rule_nlp):
    pytest.importorskip("followthemoney")
    from followthemoney import model

    from vietgov.positions.ftm import _id, export_ftm

    corpus = write_jsonl(tmp_path / "c.jsonl", ARTICLES)
    db = tmp_path / "p.sqlite"
    build([str(corpus)], db, nlp=rule_nlp, progress=False)
    out = tmp_path / "p.ftm.json"
    with open(out, "w", encoding="utf-8") as fh:
        counts = export_ftm(db, fh)
    # Quảng Nam's People's Committee has a 2025 successor: Đà Nẵng's
    assert counts == {"Article": 4, "Person": 2, "PublicBody": 3, "Position": 2, "Occupancy": 2, "Succession": 1}
    entities = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        proxy = model.get_proxy(data, cleaned=False)  # drops what the model does not accept
        assert {k: sorted(v) for k, v in proxy.to_dict()["properties"].items()} == \
            {k: sorted(v) for k, v in data["properties"].items()}, data
        assert all(proxy.get(p) for p in proxy.schema.required), data
        entities[proxy.id] = proxy
    for proxy in entities.values():  # every reference points at an exported entity of the right schema
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in entities and entities[value].schema.is_a(prop.range), (prop, value)
    by_holder = {entities[o.first("holder")].first("name"): o for o in entities.values() if o.schema.name == "Occupancy"}
    thanh = by_holder["Lê Trí Thanh"]
    assert thanh.first("status") == "ended"
    assert {entities[a].first("name") for a in thanh.get("proof")} == {"a2", "a4"}
    post = entities[thanh.first("post")]
    assert post.first("name") == "Chủ tịch Ủy ban nhân dân tỉnh Quảng Nam"
    (succession,) = [e for e in entities.values() if e.schema.name == "Succession"]
    assert succession.first("predecessor") == post.first("organization")
    assert entities[succession.first("successor")].first("name") == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert by_holder["Dương Anh Đức"].first("status") == "unknown"
    with open(out, "w", encoding="utf-8") as fh:
        assert export_ftm(db, fh, per_article=True)["Person"] == 4
    # a confidence threshold leaves out the mentions below it, and the positions that have no other
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE mentions SET confidence = CASE article_id WHEN 'a2' THEN 0.5 ELSE 0.95 END")
        conn.execute("UPDATE mentions SET confidence = NULL WHERE official_key = 'Dương Anh Đức'")
    conn.close()
    with open(out, "w", encoding="utf-8") as fh:
        assert export_ftm(db, fh, min_confidence=0.9) == {"Article": 1, "Person": 1, "PublicBody": 2, "Position": 1,
                                                         "Occupancy": 1, "Succession": 1}
    proofs = [json.loads(line)["properties"].get("proof") for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p for p in proofs if p] == [[_id("article", "a4")]] * len([p for p in proofs if p])
    # `confident`: only the positions of confident_positions
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE row_scores SET score = CASE official_key WHEN 'Lê Trí Thanh' THEN 0.99 ELSE 0.01 END")
    conn.close()
    with open(out, "w", encoding="utf-8") as fh:
        assert export_ftm(db, fh, confident=True) == {"Article": 2, "Person": 1, "PublicBody": 2, "Position": 1,
                                                     "Occupancy": 1, "Succession": 1}


# -- Dask --------------------------------------------------------------------------------------------

def test_dask_with_two_local_workers_gives_the_same_rows(tmp_path, rule_nlp, rule_pipeline):
    pytest.importorskip("distributed")
    from vietgov.positions.cluster import build_on_dask

    corpus = write_jsonl(tmp_path / "c.jsonl", ARTICLES + [{"id": "bad", "text": ""}])
    build([str(corpus)], tmp_path / "local.sqlite", nlp=rule_nlp, progress=False, on_error=lambda _: None)
    errors = []
    stats = build_on_dask([str(corpus)], tmp_path / "dask.sqlite", n_workers=2, model=rule_pipeline,
                          chunk_size=2, progress=False, on_error=errors.append)
    assert stats["workers"] == 2 and stats["written"] == 5
    assert rows(tmp_path / "dask.sqlite") == rows(tmp_path / "local.sqlite")
    assert positions(tmp_path / "dask.sqlite") == EXPECTED_POSITIONS
    assert len(errors) == 1 and "empty 'text'" in errors[0]


def test_trained_pipeline_gives_relation_probabilities_and_mention_confidence(nlp):
    doc = nlp("Sáng 14/3, Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì hội nghị.")
    assert doc._.relation_offsets and len(doc._.relation_scores) == len(doc._.relation_offsets)
    assert all(0.5 <= s <= 1 for s in doc._.relation_scores)  # above the component's threshold
    (m,) = doc_mentions(doc)
    assert (m.official, m.title, m.unit) == ("Dương Anh Đức", "Bí thư", "Quận ủy quận 1")
    lowest = min([e._.confidence for e in doc.ents if e.label_ != "FIGURE"] + doc._.relation_scores)
    assert m.confidence == round(lowest, 4)
