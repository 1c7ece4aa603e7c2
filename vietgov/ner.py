"""spaCy component wrapping a PhoBERT-architecture token classifier (`vietgov_ner`).

The weights are trained by `training/train.py` with the Hugging Face Trainer;
this component runs them inside spaCy: it encodes every spaCy token as PhoBERT
pieces, predicts over sentence-aware windows, decodes valid IOB2 with Viterbi,
and sets `doc.ents`. `to_disk` keeps the Hugging Face model and tokenizer inside
the pipeline directory, so loading needs neither the network nor ../shared.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import srsly
import torch
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .decoding import spans_from_iob, viterbi
from .figures import register_extensions
from .pieces import PieceEncoder, make_windows, owning_window, window_inputs
from .sentences import sentence_spans

MODEL_DIR = "model"
register_extensions()  # span._.value / ._.unit / ._.total on FIGURE entities


@Language.factory(
    "vietgov_ner",
    assigns=["doc.ents"],
    default_config={
        "batch_size": 16,
        "max_pieces": 254,
        "stride": 64,
        "normalize_tones": True,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_ner(
    nlp: Language,
    name: str,
    batch_size: int,
    max_pieces: int,
    stride: int,
    normalize_tones: bool,
    scorer: Callable | None,
) -> "PhoBertEntityRecognizer":
    return PhoBertEntityRecognizer(
        nlp.vocab, name, batch_size=batch_size, max_pieces=max_pieces, stride=stride,
        normalize_tones=normalize_tones, scorer=scorer,
    )


def token_sentence_starts(doc: Doc) -> list[int]:
    """Indices of the tokens that open a sentence (see vietgov.sentences)."""
    starts = {s for s, _ in sentence_spans(doc.text)}
    return [t.i for t in doc if t.idx in starts]


def load_hf(name_or_path: str | Path):
    """A token-classification model and its tokenizer from a hub id or a local directory."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(name_or_path))
    model = AutoModelForTokenClassification.from_pretrained(str(name_or_path), dtype=torch.float32)
    model.eval()
    return model, tokenizer


class PhoBertEntityRecognizer(Pipe):
    def __init__(self, vocab, name="vietgov_ner", *, batch_size=16, max_pieces=254, stride=64,
                 normalize_tones=True, scorer=None):
        self.vocab = vocab
        self.name = name
        self.cfg = {"batch_size": batch_size, "max_pieces": max_pieces, "stride": stride,
                    "normalize_tones": normalize_tones}
        self.scorer = scorer
        self.model = None
        self.tokenizer = None
        self.encoder: PieceEncoder | None = None
        self.iob_labels: list[str] = []

    # -- setup ---------------------------------------------------------------
    def initialize(self, get_examples=None, *, nlp=None, name_or_path: str | Path | None = None):
        """Load trained weights from a hub id or a directory written by `training/train.py`."""
        if name_or_path is None:
            raise ValueError(f"[{self.name}] initialize needs name_or_path: a trained token-classification model")
        self._set_model(*load_hf(name_or_path))

    def _set_model(self, model, tokenizer):
        self.model, self.tokenizer = model, tokenizer
        self.encoder = PieceEncoder(tokenizer, self.cfg["normalize_tones"])
        self.iob_labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
        bad = [lab for lab in self.iob_labels if lab != "O" and lab[:2] not in ("B-", "I-")]
        if bad:
            raise ValueError(f"[{self.name}] model labels are not IOB2: {bad}")

    @property
    def labels(self) -> tuple[str, ...]:
        """The entity labels the model predicts."""
        return tuple(dict.fromkeys(lab[2:] for lab in self.iob_labels if lab != "O"))

    def _require_model(self):
        if self.model is None:
            raise ValueError(f"[{self.name}] has no model: call nlp.initialize(...) or load a trained pipeline")

    # -- inference -------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        for docs in minibatch(stream, size=batch_size or self.cfg["batch_size"]):
            self.set_annotations(docs, self.predict(docs))
            yield from docs

    def predict(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        """Token spans (start, end, label) per doc."""
        self._require_model()
        max_pieces, pad_id = self.cfg["max_pieces"], self.tokenizer.pad_token_id
        jobs = []  # (doc index, window, input ids, first-piece positions)
        per_doc = []
        for d, doc in enumerate(docs):
            pieces = self.encoder.encode_tokens([t.text for t in doc])
            windows = make_windows([len(p) for p in pieces], token_sentence_starts(doc), max_pieces, self.cfg["stride"])
            per_doc.append((pieces, windows))
            for w_index, window in enumerate(windows):
                if any(pieces[t] for t in range(window.start, window.end)):
                    ids, first = window_inputs(pieces, window, self.tokenizer.cls_token_id,
                                               self.tokenizer.sep_token_id, max_pieces)
                    jobs.append((d, w_index, ids, first))
        scores: dict[tuple[int, int], np.ndarray] = {}
        # similar lengths together: less padding
        order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][2]))
        for batch in minibatch(order, size=self.cfg["batch_size"]):
            width = max(len(jobs[j][2]) for j in batch)
            ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, j in enumerate(batch):
                seq = jobs[j][2]
                ids[row, : len(seq)] = torch.tensor(seq)
                mask[row, : len(seq)] = 1
            with torch.inference_mode():
                logits = self.model(input_ids=ids, attention_mask=mask).logits
            log_probs = torch.log_softmax(logits.float(), dim=-1).numpy()
            for row, j in enumerate(batch):
                scores[(jobs[j][0], jobs[j][1])] = log_probs[row]
        first_of = {(d, w): first for d, w, _, first in jobs}
        results = []
        o_row = np.full(len(self.iob_labels), -np.inf)
        o_row[self.iob_labels.index("O")] = 0.0
        for d, doc in enumerate(docs):
            pieces, windows = per_doc[d]
            owner = owning_window(windows, len(doc))
            matrix = np.tile(o_row, (len(doc), 1))  # tokens without pieces stay O
            for w_index, w in enumerate(windows):
                if (d, w_index) not in scores:
                    continue
                first = np.asarray(first_of[(d, w_index)])
                take = (owner[w.start : w.end] == w_index) & (first >= 0)
                matrix[np.arange(w.start, w.end)[take]] = scores[(d, w_index)][first[take]]
            tags = [self.iob_labels[i] for i in viterbi(matrix, self.iob_labels)]
            results.append(spans_from_iob(tags))
        return results

    def set_annotations(self, docs: Iterable[Doc], spans_per_doc) -> None:
        for doc, spans in zip(docs, spans_per_doc):
            doc.ents = [Span(doc, s, e, label=label) for s, e, label in spans]

    # -- serialisation -----------------------------------------------------------
    def to_disk(self, path, *, exclude=tuple()):
        self._require_model()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self.cfg)
        # fp16 on disk halves the size; weights are cast back to fp32 for CPU inference
        half = {k: v.to(torch.float16) for k, v in self.model.state_dict().items()}
        self.model.save_pretrained(path / MODEL_DIR, state_dict=half, safe_serialization=True)
        self.tokenizer.save_pretrained(path / MODEL_DIR)

    def from_disk(self, path, *, exclude=tuple()):
        path = Path(path)
        if (path / "cfg").exists():
            self.cfg.update(srsly.read_json(path / "cfg"))
        self._set_model(*load_hf(path / MODEL_DIR))
        return self

    def to_bytes(self, *, exclude=tuple()):
        with tempfile.TemporaryDirectory() as tmp:
            self.to_disk(tmp)
            files = {str(p.relative_to(tmp)): p.read_bytes() for p in Path(tmp).rglob("*") if p.is_file()}
        return srsly.msgpack_dumps(files)

    def from_bytes(self, data, *, exclude=tuple()):
        with tempfile.TemporaryDirectory() as tmp:
            for name, content in srsly.msgpack_loads(data).items():
                target = Path(tmp) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            self.from_disk(tmp)
        return self
