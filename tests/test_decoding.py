from itertools import product

import numpy as np

from vietgov.decoding import iob_labels, iob_tags, spans_from_iob, viterbi
from vietgov.tones import to_vocab_tones

LABELS = iob_labels(["OFFICIAL", "TITLE"])


def is_valid(tags):
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


def test_viterbi_never_emits_invalid_iob():
    rng = np.random.default_rng(0)
    for _ in range(200):
        scores = np.log(rng.dirichlet(np.ones(len(LABELS)) * 0.3, size=rng.integers(1, 12)))
        tags = [LABELS[i] for i in viterbi(scores, LABELS)]
        assert is_valid(tags), tags


def test_viterbi_finds_the_best_valid_path_as_brute_force_does():
    rng = np.random.default_rng(1)
    repaired = 0
    for _ in range(300):
        n = int(rng.integers(1, 6))
        scores = np.log(rng.dirichlet(np.ones(len(LABELS)) * 0.3, size=n))
        valid = [p for p in product(range(len(LABELS)), repeat=n) if is_valid([LABELS[i] for i in p])]
        best = max(valid, key=lambda p: scores[np.arange(n), p].sum())
        path = viterbi(scores, LABELS)
        assert scores[np.arange(n), path].sum() == scores[np.arange(n), best].sum(), (path, best)
        assert tuple(path) == best
        repaired += tuple(scores.argmax(axis=1)) != best
    assert repaired > 50  # the dynamic program ran, not only the valid-argmax shortcut


def test_viterbi_repairs_an_orphan_inside():
    # argmax says O, I-TITLE, I-TITLE: invalid; the best valid path opens the title with B-
    probs = np.full((3, len(LABELS)), 0.02)
    probs[0, LABELS.index("O")] = 0.9
    probs[1, LABELS.index("I-TITLE")], probs[1, LABELS.index("B-TITLE")] = 0.6, 0.3
    probs[2, LABELS.index("I-TITLE")] = 0.9
    tags = [LABELS[i] for i in viterbi(np.log(probs), LABELS)]
    assert tags == ["O", "B-TITLE", "I-TITLE"]


def test_spans_from_iob():
    tags = ["B-TITLE", "I-TITLE", "O", "B-OFFICIAL", "B-OFFICIAL", "I-OFFICIAL"]
    assert spans_from_iob(tags) == [(0, 2, "TITLE"), (3, 4, "OFFICIAL"), (4, 6, "OFFICIAL")]


def test_iob_tags_inverts_spans_from_iob():
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    tags = ["B-TITLE", "I-TITLE", "O", "B-OFFICIAL", "B-OFFICIAL", "I-OFFICIAL", "O"]
    doc = Doc(Vocab(), words=list("abcdefg"), ents=tags)
    assert iob_tags(doc) == tags
    assert iob_tags(doc, [Span(doc, 2, 4, "UNIT")]) == ["O", "O", "B-UNIT", "I-UNIT", "O", "O", "O"]  # other spans


def test_tone_placement_matches_phobert_vocabulary():
    assert to_vocab_tones("Quận ủy") == "Quận uỷ"
    assert to_vocab_tones("Hòa Bình") == "Hoà Bình"
    assert to_vocab_tones("khỏe") == "khoẻ"
    # a final consonant or qu- keeps the mark where it is
    assert to_vocab_tones("toàn") == "toàn" and to_vocab_tones("quý") == "quý" and to_vocab_tones("thuyết") == "thuyết"
