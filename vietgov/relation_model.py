"""Learned HAS_TITLE / TITLE_OF classifier over entity pairs of one sentence (`vietgov_relation_model`).

Candidates are every (OFFICIAL, TITLE) and (TITLE, UNIT) pair of a sentence.
A pair is scored from token vectors of the PhoBERT encoder, entity-start (and
end) pooling, the mean of the tokens between the two entities, their distance,
the number of entities between them, their order and, optionally, whether the
rule baseline links them. The vectors are either the entity recognizer's own
(`doc.tensor`, set by `vietgov_ner`: no second encoder pass) or those of a
separate encoder fine-tuned for relations and stored with this component.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, NamedTuple

import numpy as np
import srsly
import torch
from spacy import util as spacy_util
from spacy.language import Language
from spacy.tokens import Doc, Span
from torch import nn

from .hf_pipe import HFPipe
from .pieces import PieceEncoder, read_tokens
from .doc_relations import register_extensions, set_relations
from .relation_rules import appositive_holders, prenominal_holders, rule_relations
from .schema import RELATION_TYPE_OF, RELATION_TYPES
from . import scorers  # noqa: F401  registers vietgov.relation_scorer.v1 for the factory's default
from .sentences import sentence_entities
from .windows import token_states
from .weights import half_state_dict, save_half

CANDIDATES = RELATION_TYPE_OF  # the typed entity pairs of a sentence that are scored
RELATION_LABELS = tuple(RELATION_TYPES)
# token gaps between two entities, bucketed
GAP_BOUNDARIES = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
MAX_ENTITIES_BETWEEN = 5
ENCODER_DIR = "encoder"
SCORER_FILE = "scorer.safetensors"


class RelationPrediction(NamedTuple):
    """What `predict` gives for one doc: the relations kept, as (head, tail, label, probability), and, for each title
    given no unit, the highest probability any unit of its sentence got (title token start -> probability)."""
    relations: list[tuple[Span, Span, str, float]]
    unlinked_units: dict[int, float]


def candidate_pairs(doc: Doc) -> list[tuple[Span, Span, str, int]]:
    """(head, tail, relation type, entities between them) for the typed pairs of each sentence."""
    out = []
    for ents in sentence_entities(doc):
        for i, head in enumerate(ents):
            for j, tail in enumerate(ents):
                label = CANDIDATES.get((head.label_, tail.label_))
                if label:
                    out.append((head, tail, label, abs(i - j) - 1))
    return out


def pair_features(doc: Doc, candidates, use_rules: bool, read: np.ndarray) -> torch.Tensor:
    """(pairs, 7) long tensor: head start/end, tail start/end, type, entities between, rule says yes.

    Positions count only the tokens the model reads (`read`, from `read_tokens`; `token_vectors` keeps
    their rows alone), so whitespace or markup between two entities changes neither their distance nor the
    mean between them.
    """
    rules = {(h.start, t.start, lab) for h, t, lab in rule_relations(doc)} if use_rules else set()
    read_before = np.concatenate([[0], np.cumsum(read)])
    return torch.tensor(
        [[*(int(read_before[i]) for i in (h.start, h.end, t.start, t.end)), RELATION_LABELS.index(lab),
          min(between, MAX_ENTITIES_BETWEEN), int((h.start, t.start, lab) in rules)]
         for h, t, lab, between in candidates],
        dtype=torch.long,
    ).reshape(-1, 7)


def unlinked_units(scored, kept) -> dict[int, float]:
    """Title token start -> the highest TITLE_OF probability among its candidates, for titles `kept` links to no
    unit: how likely the sentence names a unit the title was not given (mentions count it against a position
    without a unit)."""
    linked = {h.start for h, _, lab, _ in kept if lab == "TITLE_OF"}
    out: dict[int, float] = {}
    for h, _, lab, p in scored:
        if lab == "TITLE_OF" and h.start not in linked:
            out[h.start] = max(p, out.get(h.start, 0.0))
    return out


class PairScorer(nn.Module):
    """One logit per candidate pair: does the relation of its type hold?"""

    def __init__(self, width: int, hidden: int = 256, embedding: int = 32, dropout: float = 0.1):
        super().__init__()
        self.config = {"width": width, "hidden": hidden, "embedding": embedding, "dropout": dropout}
        self.relation_type = nn.Embedding(len(RELATION_LABELS), embedding)
        self.gap = nn.Embedding(len(GAP_BOUNDARIES) + 1, embedding)
        self.between = nn.Embedding(MAX_ENTITIES_BETWEEN + 1, embedding)
        self.order = nn.Embedding(2, embedding)
        self.rule = nn.Embedding(2, embedding)
        self.mlp = nn.Sequential(
            nn.Linear(5 * width + 5 * embedding, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, 1),
        )
        self.register_buffer("boundaries", torch.tensor(GAP_BOUNDARIES), persistent=False)

    def forward(self, states: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        hs, he, ts, te, kind, between, rule = pairs.unbind(-1)
        left, right = torch.minimum(he, te), torch.maximum(hs, ts)  # the tokens between the two spans
        sums = torch.cat([states.new_zeros(1, states.shape[1]), states.cumsum(0)])
        n = (right - left).clamp(min=1).unsqueeze(-1)
        middle = (sums[right] - sums[left]) / n
        gap = torch.bucketize(right - left, self.boundaries, right=True)
        x = torch.cat([
            states[hs], states[he - 1], states[ts], states[te - 1], middle,
            self.relation_type(kind), self.gap(gap), self.between(between), self.order((hs < ts).long()), self.rule(rule),
        ], dim=-1)
        return self.mlp(x).squeeze(-1)


@Language.factory(
    "vietgov_relation_model",
    assigns=["doc._.relation_offsets"],
    requires=["doc.ents", "doc.tensor"],
    default_config={
        "threshold": 0.5,
        # a title written right before a name is that person's, not also an earlier person's
        "prenominal": True,
        # a title written in apposition after a name is that person's, not also a later person's
        "appositive": True,
        "batch_size": 4,  # windows per call of a separate encoder
        "scorer": {"@scorers": "vietgov.relation_scorer.v1"},
    },
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0, "rel_per_type": None},
)
def make_relation_model(nlp: Language, name: str, threshold: float, prenominal: bool, appositive: bool,
                        batch_size: int, scorer: Callable | None) -> "RelationClassifier":
    return RelationClassifier(nlp.vocab, name, threshold=threshold, prenominal=prenominal, appositive=appositive,
                              batch_size=batch_size, scorer=scorer)


class RelationClassifier(HFPipe):
    """Fills doc._.relations with the pairs the classifier scores above `threshold`.

    With `prenominal`, a title that stands right before an official (`Phó Bí thư Tỉnh ủy Nguyễn Văn A`)
    is given to no official written before it; with `appositive`, a title written after an official in
    apposition (`ông A, Trưởng phòng X; ông B, ...`) to no official written after it: in lists (`ông B,
    chuyên viên; phó trưởng phòng ông A`) the pairwise scores alone often gave it to both.

    `threshold`, `prenominal`, `appositive` and `batch_size` come from the pipeline's config.cfg (a
    `spacy.load` override wins); what belongs to the trained weights (encoder kind, window sizes, use_rules,
    the network's shape) is stored with them in `cfg`.
    """

    def __init__(self, vocab, name="vietgov_relation_model", *, threshold=0.5, prenominal=True, appositive=True,
                 batch_size=4, scorer=None):
        self.vocab, self.name = vocab, name
        self.cfg = {"threshold": threshold, "prenominal": prenominal, "appositive": appositive,
                    "batch_size": batch_size}
        self.scorer = scorer
        self.settings: dict = {}  # encoder ("shared" or "separate"), use_rules, normalize_tones, window sizes
        self.model: PairScorer | None = None
        self.encoder_model = None
        self.piece_encoder: PieceEncoder | None = None
        register_extensions()

    @property
    def labels(self) -> tuple[str, ...]:
        """The relation types: one per candidate (head, tail) label pair, each with its own embedding."""
        return RELATION_LABELS

    def add_label(self, label: str) -> int:
        """0 for a type the component has; the types are fixed by the entity labels they join (CANDIDATES)."""
        if label not in self.labels:
            raise ValueError(f"[{self.name}] relation types are fixed by CANDIDATES ({', '.join(self.labels)}); "
                             f"cannot add {label!r}")
        return 0

    def initialize(self, get_examples=None, *, nlp=None, model=None,
                   settings: dict | None = None, encoder_model=None, tokenizer=None):
        """Set a trained pair scorer (training/train_relations.py trains it) with the settings it was trained
        with, and, for a separate encoder, that encoder and its tokenizer."""
        if model is None or settings is None:
            raise ValueError(f"[{self.name}] initialize needs a trained model and its settings (training/train_relations.py)")
        self._set_model(model, settings, encoder_model, tokenizer)

    def _set_model(self, model, settings, encoder_model=None, tokenizer=None):
        if settings["encoder"] == "separate" and (encoder_model is None or tokenizer is None):
            raise ValueError(f"[{self.name}] a separate encoder needs its model and tokenizer")
        self.model, self.settings = model.eval(), dict(settings)
        self._loaded()
        self.encoder_model = encoder_model.eval() if encoder_model is not None else None
        self.piece_encoder = PieceEncoder(tokenizer, settings["normalize_tones"]) if tokenizer is not None else None

    def token_vectors(self, docs: list[Doc], reads: list[np.ndarray]) -> list[torch.Tensor]:
        """Per doc, one vector per token the model reads (`reads`, from `read_tokens`): from the separate
        encoder, or doc.tensor from vietgov_ner."""
        if self.encoder_model is not None:
            def forward(ids, mask):
                return self.encoder_model(input_ids=ids, attention_mask=mask).last_hidden_state

            states = token_states(docs, self.piece_encoder, forward, self.encoder_model.config.hidden_size,
                                  max_pieces=self.settings["max_pieces"], stride=self.settings["stride"],
                                  batch_size=self.cfg["batch_size"])
            return [rows[torch.from_numpy(read)] for (rows, _), read in zip(states, reads)]
        width = self.model.config["width"]
        for doc in docs:
            if len(doc) and doc.ents and doc.tensor.shape != (len(doc), width):
                raise ValueError(
                    f"[{self.name}] needs doc.tensor of width {width} from the entity recognizer "
                    f"(got shape {doc.tensor.shape}): add it after vietgov_ner in the same pipeline")
        return [torch.from_numpy(doc.tensor[read]).float() for doc, read in zip(docs, reads)]

    def predict(self, docs: list[Doc]) -> list[RelationPrediction]:
        if self.model is None:
            raise ValueError(f"[{self.name}] has no model: train one (make train) or load a trained pipeline")
        candidates = [candidate_pairs(doc) for doc in docs]
        work = [d for d, c in enumerate(candidates) if c]
        out = [RelationPrediction([], {}) for _ in docs]
        if not work:
            return out
        with torch.inference_mode():
            reads = [read_tokens(docs[d]) for d in work]  # once per doc: the vectors and the positions use it
            vectors = self.token_vectors([docs[d] for d in work], reads)
            for d, states, read in zip(work, vectors, reads):
                pairs = pair_features(docs[d], candidates[d], self.settings["use_rules"], read)
                probs = torch.sigmoid(self.model(states, pairs))
                after, before = self.title_holders(docs[d])

                def allowed(h: Span, t: Span, lab: str) -> bool:
                    holder = (after if h.start < t.start else before).get(t.start, h.start)
                    return lab != "HAS_TITLE" or holder == h.start

                scored = [(h, t, lab, p) for (h, t, lab, _), p in zip(candidates[d], probs.tolist())]
                kept = [r for r in scored if r[3] >= self.cfg["threshold"] and allowed(*r[:3])]
                out[d] = RelationPrediction(kept, unlinked_units(scored, kept))
        return out

    def title_holders(self, doc: Doc) -> tuple[dict[int, int], dict[int, int]]:
        """The official a title must go to, where the text makes it sure, among those written after it
        (`prenominal`) and among those written before it (`appositive`): title start -> official start."""
        prenominal = prenominal_holders(doc) if self.cfg["prenominal"] or self.cfg["appositive"] else {}
        appositive = appositive_holders(doc, prenominal) if self.cfg["appositive"] else {}
        return (prenominal if self.cfg["prenominal"] else {}), appositive

    def set_annotations(self, docs: Iterable[Doc], predictions: list[RelationPrediction]) -> None:
        for doc, (rels, unlinked) in zip(docs, predictions):
            set_relations(doc, [(h, t, lab) for h, t, lab, _ in rels], [round(p, 4) for *_, p in rels])
            doc._.unlinked_unit_scores = {start: round(p, 4) for start, p in unlinked.items()}

    # -- serialisation -----------------------------------------------------------
    # the fields `exclude` may name, as spaCy's pipes have them: "cfg" (the settings the weights were trained
    # with and the network's shape) and "model" (the weights, and a separate encoder with its tokenizer). The
    # weights file and the cfg key are named "scorer", as in pipelines written before the network moved to
    # `self.model`, so those load unchanged.
    def to_disk(self, path, *, exclude=tuple()):
        from safetensors.torch import save_file

        if self.model is None:
            raise ValueError(f"[{self.name}] has no model to save")
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)

        def save_model(_) -> None:
            save_file(half_state_dict(self.model), path / SCORER_FILE)
            if self.encoder_model is not None:
                save_half(self.encoder_model, path / ENCODER_DIR)
                self.piece_encoder.tokenizer.save_pretrained(path / ENCODER_DIR)

        spacy_util.to_disk(path, {
            "cfg": lambda p: srsly.write_json(p, {"settings": self.settings, "scorer": self.model.config}),
            "model": save_model,
        }, exclude)

    def from_disk(self, path, *, exclude=tuple()):
        from safetensors.torch import load_file

        path = Path(path)
        # threshold, prenominal, appositive and batch_size are not read from cfg: config.cfg (and any
        # spacy.load override) set them
        stored = {"settings": self.settings, "scorer": self.model.config if self.model is not None else None}

        def load_cfg(p: Path) -> None:
            cfg = srsly.read_json(p)
            stored.update(settings=cfg["settings"], scorer=cfg["scorer"])

        def load_model(_) -> None:
            if stored["scorer"] is None:
                raise ValueError(f"[{self.name}] the weights need their cfg (the network's shape): do not exclude 'cfg'")
            model = PairScorer(**stored["scorer"])
            model.load_state_dict({k: v.float() for k, v in load_file(path / SCORER_FILE).items()})
            encoder_model = tokenizer = None
            if stored["settings"]["encoder"] == "separate":
                from transformers import AutoModel, AutoTokenizer

                encoder_model = AutoModel.from_pretrained(path / ENCODER_DIR, dtype=torch.float32)
                tokenizer = AutoTokenizer.from_pretrained(path / ENCODER_DIR)
            self._set_model(model, stored["settings"], encoder_model, tokenizer)

        spacy_util.from_disk(path, {"cfg": load_cfg, "model": load_model}, exclude)
        return self
