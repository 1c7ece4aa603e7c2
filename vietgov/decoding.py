"""IOB2 labels and constrained Viterbi decoding that never yields an invalid sequence."""
from __future__ import annotations

import numpy as np


def iob_labels(entity_labels) -> list[str]:
    return ["O"] + [f"{p}-{label}" for label in entity_labels for p in ("B", "I")]


def allowed_transitions(labels: list[str]) -> np.ndarray:
    """allowed[i, j]: label j may follow label i under strict IOB2."""
    n = len(labels)
    allowed = np.ones((n, n), dtype=bool)
    for j, to in enumerate(labels):
        if to.startswith("I-"):
            for i, frm in enumerate(labels):
                allowed[i, j] = frm[2:] == to[2:] and frm != "O"
    return allowed


def start_allowed(labels: list[str]) -> np.ndarray:
    return np.array([not lab.startswith("I-") for lab in labels])


def viterbi(log_probs: np.ndarray, labels: list[str]) -> list[int]:
    """Best label path under IOB2 constraints; `log_probs` is [tokens, labels]."""
    n_tokens, n_labels = log_probs.shape
    if n_tokens == 0:
        return []
    allowed = allowed_transitions(labels)
    best = log_probs.argmax(axis=1)
    # allowed transitions cost nothing, so a valid argmax path is already the constrained optimum
    if start_allowed(labels)[best[0]] and allowed[best[:-1], best[1:]].all():
        return best.tolist()
    penalty = np.where(allowed, 0.0, -np.inf)
    score = np.where(start_allowed(labels), log_probs[0], -np.inf)
    back = np.zeros((n_tokens, n_labels), dtype=np.int64)
    for t in range(1, n_tokens):
        cand = score[:, None] + penalty  # [from, to]
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[t]
    path = [int(score.argmax())]
    for t in range(n_tokens - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def iob_tags(doc, spans=None) -> list[str]:
    """The IOB2 tag of each token of `doc` for `spans` (spaCy Spans; default `doc.ents`): the inverse of
    `spans_from_iob`."""
    tags = ["O"] * len(doc)
    for span in doc.ents if spans is None else spans:
        tags[span.start : span.end] = [f"B-{span.label_}"] + [f"I-{span.label_}"] * (len(span) - 1)
    return tags


def spans_from_iob(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans of an IOB2 sequence; an I- that cannot continue a span (after O or
    another type: only argmax decoding yields one) opens one, as transformers' token-classification reads it."""
    spans, start, label = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != label):
            if start is not None:
                spans.append((start, i, label))
            start, label = (i, tag[2:]) if tag != "O" else (None, None)
    return spans
