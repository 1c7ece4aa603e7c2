"""spaCy component wrapping a PhoBERT-architecture token classifier (`vietgov_ner`).

The weights are trained by `training/train.py` with the Hugging Face Trainer;
this component runs them inside spaCy: it encodes every spaCy token as PhoBERT
pieces, predicts over sentence-aware windows, decodes valid IOB2 with Viterbi,
and sets `doc.ents`. `to_disk` keeps the Hugging Face model and tokenizer inside
the pipeline directory, so loading needs neither the network nor ../shared.
"""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import torch
from spacy import util as spacy_util
from spacy.language import Language
from spacy.tokens import Doc, Span

from .hf_pipe import HFPipe
from .decoding import spans_from_iob, viterbi
from .figures import register_extensions
from .normalize import plain_text
from .pieces import PieceEncoder
from .precision import resolve_precision
from .windows import token_states
from .weights import save_half

logger = logging.getLogger(__name__)
MODEL_DIR = "model"
DECODINGS = ("viterbi", "argmax")
register_extensions()  # span._.value / ._.unit / ._.total on FIGURE entities


def _span_confidence(span: Span) -> float | None:
    """The lowest probability the model gave to the tag it chose for any token of the span."""
    confidence = span.doc._.tag_confidence
    return min(confidence[span.start:span.end]) if confidence is not None and len(span) else None


# doc._.tag_confidence: per token, the model's probability of its decoded tag; ent._.confidence: its minimum
if not Doc.has_extension("tag_confidence"):
    Doc.set_extension("tag_confidence", default=None)
    Span.set_extension("confidence", getter=_span_confidence)


@Language.factory(
    "vietgov_ner",
    assigns=["doc.ents"],
    default_config={
        # windows per model call: on 2 CPU cores 4 ran the encoder 8-15% faster than 16 (less padding, smaller activations)
        "batch_size": 4,
        "max_pieces": 254,
        "stride": 64,
        "normalize_tones": True,
        # "viterbi": the best valid IOB2 path; "argmax": each word's top tag, read as transformers' token-classification
        # pipeline reads it (an I- opens an entity where it cannot continue one): its entities, exactly
        "decoding": "viterbi",
        "quantize": False,
        "compile": False,
        # "auto": bf16 autocast where the hardware has native bf16 (a GPU, a CPU with AVX-512 bf16 or AMX),
        # fp32 elsewhere; "fp32" or "bf16" to force one
        "precision": "auto",
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
    decoding: str,
    quantize: bool,
    compile: bool,
    precision: str,
    scorer: Callable | None,
) -> "PhoBertEntityRecognizer":
    return PhoBertEntityRecognizer(
        nlp.vocab, name, batch_size=batch_size, max_pieces=max_pieces, stride=stride,
        normalize_tones=normalize_tones, decoding=decoding, quantize=quantize, compile=compile,
        precision=precision, scorer=scorer,
    )


def load_hf(name_or_path: str | Path):
    """A token-classification model and its tokenizer from a hub id or a local directory."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(name_or_path))
    model = AutoModelForTokenClassification.from_pretrained(str(name_or_path), dtype=torch.float32)
    model.eval()
    return model, tokenizer


_BRACKETS = {")": "(", "]": "[", "”": "“", "’": "‘", "»": "«"}
# punctuation that never ends or starts a name or figure (`%`, `$` and `°` do end figures)
_STRAY = set(",.;:!?…-–—•·*|/\\\"'“”‘’()[]{}«»<>")
# words no name, title or unit of the gold starts or ends with (nor may one, by the spec)
_FUNCTION_WORDS = {"của", "tại", "thuộc", "và", "với", "cho", "ở", "là"}


def spec_bounds(words: Sequence[str], label: str) -> tuple[int, int] | None:
    """The part [start, end) of an entity of these words that the spec allows: edge words that are
    whitespace, or punctuation alone other than a closing bracket or quote whose opening one the entity
    holds, are trimmed, and so are function words at the edges of a name, title or unit (`Giám đốc điều
    hành của`) and lower-case words at the end of a name (`Phạm Văn Linh cảm ơn`; not a syllable joined by
    a hyphen, `Moon Jae - in`); a FIGURE holds a digit. None where nothing is left."""
    def stray(word: str, leading: bool) -> bool:
        text = plain_text(word).strip()
        if not text:
            return True
        if label != "FIGURE" and text in _FUNCTION_WORDS:
            return True
        if not all(c in _STRAY for c in text):
            # a lower-case word ends no name, unless a hyphen joins it to the name
            return (label == "OFFICIAL" and not leading and text[0].islower() and e - s > 1
                    and words[e - 2].strip() != "-")
        return leading or not (text in _BRACKETS and _BRACKETS[text] in "".join(words[s:e]))

    s, e = 0, len(words)
    while s < e and stray(words[s], leading=True):
        s += 1
    while e > s and stray(words[e - 1], leading=False):
        e -= 1
    if e > s and (label != "FIGURE" or any(c.isdigit() for w in words[s:e] for c in w)):
        return s, e
    return None


class LogitsAndStates(torch.nn.Module):
    """(ids, mask) -> (logits, last hidden state): a token classifier's forward at inference (its dropout is
    the identity), without `output_hidden_states`, whose per-call hooks break torch.compile's graph."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, ids, mask):
        hidden = self.model.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
        return self.model.classifier(hidden), hidden


class PhoBertEntityRecognizer(HFPipe):
    def __init__(self, vocab, name="vietgov_ner", *, batch_size=4, max_pieces=254, stride=64,
                 normalize_tones=True, decoding="viterbi", quantize=False, compile=False, precision="auto",
                 scorer=None):
        if decoding not in DECODINGS:
            raise ValueError(f"[{name}] decoding must be one of {', '.join(DECODINGS)}; got {decoding!r}")
        self.vocab = vocab
        self.name = name
        self.cfg = {"batch_size": batch_size, "max_pieces": max_pieces, "stride": stride,
                    "normalize_tones": normalize_tones, "decoding": decoding}
        # int8 dynamic quantization of the linear layers, applied at load; the fp32 weights are what is saved
        self.quantize = quantize
        # torch.compile of the encoder: same entities, faster after a one-off compilation at the first batch
        self.compile = compile
        # the precision the encoder runs in, "auto" resolved for this machine: "bf16" or "fp32"
        # (int8 quantized layers compute in fp32: quantize takes fp32)
        self.precision = "fp32" if quantize and precision == "auto" else resolve_precision(precision)
        if quantize and self.precision == "bf16":
            raise ValueError(f"[{name}] quantize = true runs int8 layers in fp32: set precision to 'auto' or 'fp32'")
        logger.debug("[%s] precision %r resolved to %s", name, precision, self.precision)
        self.scorer = scorer
        self.model = None
        self.runner = None  # (ids, mask) -> (logits, hidden) of self.model, its int8 copy or its compiled form
        self.tokenizer = None
        self.encoder: PieceEncoder | None = None
        self.iob_labels: list[str] = []

    # -- setup ---------------------------------------------------------------
    def initialize(self, get_examples=None, *, nlp=None, name_or_path: str | None = None,
                   model=None, tokenizer=None):
        """Set the trained weights: from a hub id or a directory written by `training/train.py` (`name_or_path`,
        which `[initialize.components.vietgov_ner]` can hold), or a token-classification model and its
        tokenizer in memory (training/train.py, right after training)."""
        if (name_or_path is None) == (model is None) or (model is None) != (tokenizer is None):
            raise ValueError(f"[{self.name}] initialize needs name_or_path (a trained token-classification model) "
                             "or model and tokenizer, not both")
        self._set_model(*(load_hf(name_or_path) if model is None else (model.to(torch.float32).eval(), tokenizer)))

    def _set_model(self, model, tokenizer):
        if not isinstance(getattr(model, "classifier", None), torch.nn.Module):
            raise ValueError(f"[{self.name}] needs a token-classification model with a `classifier` head over "
                             f"its base model, as RobertaForTokenClassification has; got {type(model).__name__}")
        self.model, self.tokenizer = model, tokenizer
        self._loaded()
        self.runner = LogitsAndStates(
            torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
            if self.quantize else model)
        if self.compile:
            if not any(map(shutil.which, (os.environ.get("CXX", "c++"), "g++", "clang++"))):
                raise ValueError(f"[{self.name}] compile = true needs a C++ compiler for torch.compile's "
                                 "inductor backend (install g++), or set compile = false")
            self.runner = torch.compile(self.runner, dynamic=True)
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
    def predict(self, docs: list[Doc]) -> list[tuple[list[tuple[int, int, str]], np.ndarray, np.ndarray]]:
        """Per doc: token spans (start, end, label), the encoder's last hidden state per token and the
        probability of each token's decoded tag."""
        self._require_model()
        n_labels = len(self.iob_labels)
        device = self.model.device  # a model just trained on a GPU runs there (training/train.py's dev scores)

        def forward(ids, mask):
            rows = len(ids)
            ids, mask = ids.to(device), mask.to(device)
            if self.compile and rows == 1:  # torch.compile specialises on size 1: a second row avoids a recompile
                ids, mask = ids.repeat(2, 1), mask.repeat(2, 1)
            with torch.autocast(ids.device.type, dtype=torch.bfloat16, enabled=self.precision == "bf16"):
                logits, hidden = self.runner(ids, mask)
            return torch.cat([torch.log_softmax(logits[:rows].float(), dim=-1), hidden[:rows].float()], dim=-1).cpu()

        with torch.inference_mode():
            states = token_states(docs, self.encoder, forward, n_labels + self.model.config.hidden_size,
                                  max_pieces=self.cfg["max_pieces"], stride=self.cfg["stride"],
                                  batch_size=self.cfg["batch_size"])
        results = []
        for rows, has in states:
            rows = rows.numpy()
            # tokens without pieces (whitespace, an HTML tag, a zero-width character) are decoded as if absent:
            # inside an entity they join it, elsewhere they are O, and no entity starts or ends on one
            read = np.flatnonzero(has)
            scores = rows[read, :n_labels].astype(np.float64)
            path = viterbi(scores, self.iob_labels) if self.cfg["decoding"] == "viterbi" else scores.argmax(axis=1)
            spans = [(int(read[s]), int(read[e - 1]) + 1, label)
                     for s, e, label in spans_from_iob([self.iob_labels[i] for i in path])]
            confidence = np.ones(len(rows), dtype=np.float32)
            confidence[read] = np.exp(scores[np.arange(len(path)), path])
            results.append((self._spec_spans(docs[len(results)], spans), np.ascontiguousarray(rows[:, n_labels:]),
                            confidence))
        return results

    @staticmethod
    def _spec_spans(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """The spans the spec allows (`spec_bounds`)."""
        out = []
        for s, e, label in spans:
            bounds = spec_bounds([t.text for t in doc[s:e]], label)
            if bounds is not None:
                out.append((s + bounds[0], s + bounds[1], label))
        return out

    def set_annotations(self, docs: Iterable[Doc], predictions) -> None:
        """Entities into doc.ents; token vectors into doc.tensor (read by the relation classifier); tag
        probabilities into doc._.tag_confidence."""
        for doc, (spans, tensor, confidence) in zip(docs, predictions):
            doc.ents = [Span(doc, s, e, label=label) for s, e, label in spans]
            doc.tensor = tensor
            doc._.tag_confidence = confidence.tolist()

    # -- serialisation -----------------------------------------------------------
    # the settings come from the pipeline's config.cfg (a spacy.load override wins); the one field here is
    # "model" (the weights and the tokenizer, in the model/ directory), which `exclude` may name
    def to_disk(self, path, *, exclude=tuple()):
        self._require_model()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)

        def save_model(p: Path) -> None:
            save_half(self.model, p)
            self.tokenizer.save_pretrained(p)

        spacy_util.to_disk(path, {MODEL_DIR: save_model}, exclude)

    def from_disk(self, path, *, exclude=tuple()):
        spacy_util.from_disk(Path(path), {MODEL_DIR: lambda p: self._set_model(*load_hf(p))}, exclude)
        return self
