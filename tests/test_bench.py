from training.bench import agreement, word_entities


def test_baseline_reads_words_off_their_first_pieces():
    words = ["Bí_thư", "Quận_uỷ", "Nguyễn", "Văn_An", "nói"]
    pieces = [  # per-piece tags as transformers' pipeline gives them (aggregation "none"); `@@` continues a word
        {"index": 1, "word": "Bí_thư", "entity": "B-TITLE"},
        {"index": 2, "word": "Quận_@@", "entity": "I-TITLE"},
        {"index": 3, "word": "uỷ", "entity": "B-UNIT"},  # not a first piece: ignored
        {"index": 4, "word": "Nguyễn", "entity": "I-OFFICIAL"},  # an I- of another type opens an entity
        {"index": 5, "word": "Văn_An", "entity": "I-OFFICIAL"},
        {"index": 6, "word": "nói", "entity": "O"},
    ]
    assert word_entities(words, pieces) == [("TITLE", ("Bí_thư", "Quận_uỷ")), ("OFFICIAL", ("Nguyễn", "Văn_An"))]
    assert word_entities(words[:1], pieces[:1]) == [("TITLE", ("Bí_thư",))]
    # a whitespace token (empty word, no pieces) is O and ends an entity, as in the component
    assert word_entities(["Văn_An", "", "Văn_An"], [dict(pieces[4], index=1), dict(pieces[4], index=2)]) == [
        ("OFFICIAL", ("Văn_An",)), ("OFFICIAL", ("Văn_An",))]


def test_agreement_is_f1_over_entity_counts():
    from collections import Counter

    a = [Counter({("UNIT", ("x",)): 2}), Counter()]
    b = [Counter({("UNIT", ("x",)): 1, ("TITLE", ("y",)): 1}), Counter()]
    assert agreement(a, b) == 2 * 1 / 4 and agreement(a, a) == 1.0 and agreement([Counter()], [Counter()]) == 1.0
