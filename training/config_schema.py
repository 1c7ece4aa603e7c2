"""What configs/*.cfg may hold: every section and key, its type, and which keys exclude which.

Pydantic models, as spaCy and confection validate their configs: an unknown
key or a value of the wrong type is an error naming the key (`training.config`
words it). "None" is written `null`. Keys that one setting makes unused are
either/or: setting both is an error, so no config holds a value that is silently
ignored.
"""
from __future__ import annotations

from typing import ClassVar, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

# a `[paths]` value: one file or a list of files
Files = Union[str, list[str]]
Bf16 = Union[bool, Literal["auto"]]
# a float below 1 is a share of all steps (Hugging Face TrainingArguments)
Warmup = Union[int, float]

SHAPE = ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size")


class KeyProblem(ValueError):
    """A value error about keys of the section being validated (so the message can name them in full)."""

    def __init__(self, keys: str | tuple[str, ...], message: str):
        super().__init__(message)
        self.keys, self.message = (keys,) if isinstance(keys, str) else keys, message


def window_default(key: str):
    """`max_pieces` and `stride` come from the vietgov_ner component's own settings, their one source, so the
    windows of training, pretraining and inference cannot disagree (a config may still override them)."""

    def default() -> int:
        from spacy.language import Language

        import vietgov.ner  # noqa: F401  registers the factory

        return Language.get_factory_meta("vietgov_ner").default_config[key]

    return Field(default_factory=default)


def unused_when(section, keys, condition: str) -> None:
    if unused := tuple(key for key in keys if getattr(section, key) is not None):
        raise KeyProblem(unused, f"unused when {condition}: remove {'them' if len(unused) > 1 else 'it'} "
                                 "(or set to null)")


def required_when(section, keys, condition: str) -> None:
    if missing := tuple(key for key in keys if getattr(section, key) is None):
        raise KeyProblem(missing, f"required when {condition}")


class Section(BaseModel):
    # strict: `epochs = "5"` is a string, not an int; an int is still a valid float
    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def none_is_null(cls, values):
        for key, value in values.items() if isinstance(values, dict) else ():
            if value == "":
                raise KeyProblem(key, 'empty: "none" is written null')
        return values


class EitherOr(Section):
    """A section whose `optional` keys are left out when null (a key only the other choice reads, a section
    a run may not have), so what is written holds no value that says nothing."""

    optional: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def leave_out_unused(self, handler):
        return {k: v for k, v in handler(self).items() if v is not None or k not in self.optional}


# training.train: configs/default.cfg, phobert-base.cfg, tiny.cfg


class TrainPaths(Section):
    train: Files
    # the first readable dev file decides early stopping, the checkpoint and shipping
    dev: Files
    test: Optional[Files] = None
    # the news corpus that by-reference annotations point into (also $VIETGOV_CORPUS)
    corpus: Optional[str] = None
    output: str
    # the shipped pipeline this run replaces if it scores better on dev; null: never ship
    ship: Optional[str] = None
    # a trained pipeline whose entity recognizer is kept: only [relations] is trained, [model] and
    # [training] (but its seed) are those that made that pipeline
    entities: Optional[str] = None


class Package(Section):
    name: str
    version: str
    # null: one made of the entity labels
    description: Optional[str] = None


class TrainData(Section):
    format: Literal["annotations", "words", "conll"]
    normalize_tones: bool
    max_pieces: int = window_default("max_pieces")
    stride: int = window_default("stride")
    # the pipeline's encoder arithmetic at inference
    precision: Literal["auto", "fp32", "bf16"]


class EncoderShape(EitherOr):
    """The shape of a new encoder (SHAPE), for the model sections that may build one."""

    hidden_size: Optional[int] = None
    num_hidden_layers: Optional[int] = None
    num_attention_heads: Optional[int] = None
    intermediate_size: Optional[int] = None


class TrainModel(EncoderShape):
    """Either a pretrained encoder (`name_or_path`: its weights and tokenizer) or, with `name_or_path = null`,
    a random one of the given shape with a tokenizer (`tokenizer`) or one learned here (`bpe_vocab_size`)."""

    optional = ("tokenizer", "bpe_vocab_size") + SHAPE

    name_or_path: Optional[str]
    tokenizer: Optional[str] = None
    bpe_vocab_size: Optional[int] = None

    @model_validator(mode="after")
    def either_or(self):
        if self.name_or_path is not None:
            unused_when(self, ("tokenizer", "bpe_vocab_size") + SHAPE, "model.name_or_path is set")
        else:
            required_when(self, SHAPE, "model.name_or_path is null (random init)")
            if (self.tokenizer is None) == (self.bpe_vocab_size is None):
                raise KeyProblem("bpe_vocab_size", "with model.name_or_path null, set either tokenizer (an existing one) "
                                 "or bpe_vocab_size (learn one), not both")
        return self


class TrainTraining(Section):
    seed: int
    epochs: int
    batch_size: int
    learning_rate: float
    weight_decay: float
    warmup_steps: Warmup
    # epochs without a dev gain before stopping
    patience: int
    # bf16 autocast; "auto": where the hardware has it natively
    bf16: Bf16
    logging_steps: int
    # continue an interrupted run of this same configuration from its last checkpoint
    resume: bool = False


class Relations(EitherOr):
    """`method = "rules"`: the rule baseline (vietgov_relations), which has no settings: only `method` is read.
    `"model"`: the learned pair classifier (vietgov_relation_model) with the settings below."""

    optional = ("encoder_learning_rate",)

    method: Literal["model", "rules"]
    # "shared": the entity model's token vectors; "separate": a fine-tuned copy of the entity encoder
    encoder: Literal["shared", "separate"]
    use_rules: bool
    predicted_entities: bool
    hidden: int
    embedding: int
    dropout: float
    epochs: int
    patience: int
    # documents per step
    batch_size: int
    learning_rate: float
    # the separate encoder's learning rate
    encoder_learning_rate: Optional[float] = None
    threshold: float

    @model_validator(mode="after")
    def either_or(self):
        if self.encoder == "shared":
            unused_when(self, ("encoder_learning_rate",), 'relations.encoder = "shared"')
        else:
            required_when(self, ("encoder_learning_rate",), 'relations.encoder = "separate"')
        return self


class SilverSettings(Section):
    # the config whose training run is repeated with the silver records added to its train files
    base: str
    teacher: str
    # corpus folder (also $VIETGOV_CORPUS) and the files of it to draw articles from
    corpus: Optional[str] = None
    files: Files
    docs: int
    # every token of a kept sentence has its decoded tag at least this probable
    min_confidence: float
    seed: int
    output: str


class SilverData(SilverSettings):
    """In a training run's config (written by training.silver, never by hand): the silver records it was
    trained on, how they were made and how many there were."""

    articles: int
    records: int
    sentences: int
    entities: int
    relations: int


class TrainConfig(EitherOr):
    optional = ("silver",)

    paths: TrainPaths
    package: Package
    data: TrainData
    model: TrainModel
    training: TrainTraining
    relations: Relations
    silver: Optional[SilverData] = None


# training.silver: configs/silver.cfg


class SilverConfig(Section):
    silver: SilverSettings


# training.row_scorer: configs/row-scorer.cfg


class RowScorerSettings(Section):
    # judged rows with their features
    data: str
    # inverse L2 strength of the logistic regression
    c: float
    target_precision: float
    # the samples the threshold is read on: "whole", "party" or "all"
    threshold_samples: Literal["whole", "party", "all"]
    # rows judged after the fit, reported on and never fitted on (null: none)
    heldout: Optional[str] = None
    output: str


class RowScorerConfig(Section):
    row_scorer: RowScorerSettings


# training.pretrain and training.time_shapes: configs/pretrain.cfg


class PretrainPaths(Section):
    # files, or one string of space-separated paths and glob patterns
    corpus: Files
    output: str
    # the word-segmented corpus, one cached file per corpus file
    segmented: str
    # where the encoder is exported for fine-tuning (configs/default.cfg [model])
    export: str


class PretrainData(Section):
    normalize_tones: bool
    max_pieces: int = window_default("max_pieces")
    # share of documents held out for perplexity
    heldout: float
    # at most this many documents of each corpus file (0: all)
    max_docs: int


class PretrainModel(EncoderShape):
    """Either `init_from`, an exported encoder to continue from (its shape and tokenizer), or, with
    `init_from = null`, a new encoder of the given shape with a fastBPE tokenizer learned here."""

    optional = ("bpe_vocab_size",) + SHAPE

    init_from: Optional[str]
    bpe_vocab_size: Optional[int] = None
    # the corpus files the BPE is learned from; null: all of paths.corpus
    bpe_corpus: Optional[Files] = None

    @model_validator(mode="after")
    def either_or(self):
        if self.init_from is not None:
            unused_when(self, ("bpe_vocab_size", "bpe_corpus") + SHAPE, "model.init_from is set")
        else:
            required_when(self, ("bpe_vocab_size",) + SHAPE, "model.init_from is null (a new encoder)")
        return self


class PretrainTraining(Section):
    seed: int
    batch_size: int
    learning_rate: float
    weight_decay: float
    warmup_steps: Warmup
    max_steps: int
    mask_probability: float
    save_steps: int
    # and a checkpoint at least this often
    save_minutes: float
    eval_steps: int
    logging_steps: int
    # save and stop after this many minutes (0: run to max_steps); the same command resumes
    max_minutes: float
    bf16: Bf16


class PretrainConfig(Section):
    paths: PretrainPaths
    data: PretrainData
    model: PretrainModel
    training: PretrainTraining
