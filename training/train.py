"""Train the PhoBERT token classifier and assemble the spaCy pipeline.

    python -m training.train configs/default.cfg [--section.key value ...]

Writes OUTPUT/pipeline (a spaCy pipeline) and OUTPUT/metrics.json with the
scores of every dev and test file; with `paths.ship` set, the pipeline replaces
the shipped one only if it scores better on the deciding dev file. Any
`[data] format` (the spec's annotations, word-level `words` or `conll`) goes
the same way. With `--paths.entities PIPELINE` only the relation component is
trained, on that pipeline's entity recognizer.
"""
from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from pathlib import Path

import spacy
import torch
from transformers import TrainerCallback

from vietgov.decoding import iob_labels
from vietgov.evaluate import evaluate, gold_records, run_pipeline, score_docs
from vietgov.logs import configure_logging
from vietgov.pieces import PieceEncoder
from vietgov.records import split_name
from vietgov.schema import LABELS, RELATION_ARGUMENTS
from vietgov.tokenizer import blank

from .card import describe
from .config import resolve_bf16, run_with_config, validate, write_pipeline_config
from .config_schema import TrainConfig
from .data import SplitStats, entity_labels, read_gold, training_examples
from .encode import IGNORE, encode_examples
from .machine import machine
from .ship import dev_score, replace_dir, ship


logger = logging.getLogger(__name__)


def build_tokenizer(cfg, train_examples, encoder_settings, out_dir: Path):
    base = cfg["model"]["name_or_path"] or cfg["model"].get("tokenizer")  # either/or: one left out
    if base:
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(base)
    from .bpe import learn_phobert_bpe

    words_of = PieceEncoder(None, encoder_settings["normalize_tones"]).word_form
    words = [w for ex in train_examples for w in map(words_of, ex.tokens) if w]
    return learn_phobert_bpe(words, out_dir / "tokenizer", cfg["model"]["bpe_vocab_size"])


def build_model(cfg, tokenizer, labels: list[str], max_pieces: int):
    from transformers import AutoModelForTokenClassification, RobertaForTokenClassification

    from .encoder_config import phobert_config

    id2label = dict(enumerate(labels))
    label2id = {lab: i for i, lab in id2label.items()}
    base = cfg["model"]
    if base["name_or_path"]:
        return AutoModelForTokenClassification.from_pretrained(
            base["name_or_path"], num_labels=len(labels), id2label=id2label, label2id=label2id,
            ignore_mismatched_sizes=True,
        )
    config = phobert_config(tokenizer, base, max_pieces, num_labels=len(labels), id2label=id2label, label2id=label2id)
    return RobertaForTokenClassification(config)


def assemble_pipeline(model, tokenizer, data_cfg) -> "spacy.Language":
    """A pipeline of the entity recognizer over `model`, with the data settings it was trained with."""
    import vietgov.ner  # noqa: F401  registers the factories when run from a source checkout

    nlp = blank()
    ner = nlp.add_pipe("vietgov_ner", config={k: data_cfg[k] for k in ("normalize_tones", "max_pieces", "stride", "precision")})
    ner.initialize(model=model, tokenizer=tokenizer)
    return nlp


DEV_SCORE = "dev_score"  # what checkpoints are chosen on: eval_dev_score in the Trainer's metrics


def dev_entity_score(nlp, dev_data: list) -> float:
    """ship.dev_score of the pipeline's entities on the deciding dev file: entity micro F1 over whole documents
    (character spans of records, or the words of word-level examples), as finish() and ship() score them."""
    docs, seconds = run_pipeline(nlp, dev_data)
    return dev_score(score_docs(nlp, gold_records(dev_data), docs, seconds, relations=False))


class DevDocumentScore(TrainerCallback):
    """At each evaluation, adds `eval_dev_score`: the model as an entity recognizer over the deciding dev
    documents (`dev_entity_score`). Early stopping and the checkpoint kept go by it, the metric that decides
    shipping, rather than by F1 over the Trainer's dev windows. Listed before EarlyStoppingCallback, which
    reads it from the same metrics."""

    def __init__(self, tokenizer, data_cfg, dev_data: list):
        self.tokenizer, self.data_cfg, self.dev_data = tokenizer, data_cfg, dev_data

    def on_evaluate(self, args, state, control, metrics=None, model=None, **kwargs):
        training = model.training
        score = dev_entity_score(assemble_pipeline(model, self.tokenizer, self.data_cfg), self.dev_data)
        model.train(training)
        metrics[f"eval_{DEV_SCORE}"] = score
        if state.log_history and "eval_loss" in state.log_history[-1]:  # the Trainer logged the rest already
            state.log_history[-1][f"eval_{DEV_SCORE}"] = score
        logger.info(f"epoch {state.epoch:.0f}: dev entity micro F1 {score:.4f} (documents)")


def read_splits(cfg) -> dict[str, dict]:
    """{split: {path: records or word-level examples}} of the gold files in `[data] format`; the first readable
    dev file decides (early stopping, checkpoint, shipping). Files of corpus articles are skipped, saying so,
    where the corpus is missing."""
    gold = {}
    for split in ("train", "dev", "test"):
        gold[split], skipped = read_gold(cfg["paths"][split], cfg["paths"]["corpus"], cfg["data"]["format"])
        for why in skipped:
            logger.info(f"{why}: training and scoring on the committed articles alone")
    if not gold["train"] or not gold["dev"]:
        raise SystemExit("[train] no readable train or dev data: see the messages above")
    return gold


def decision_dev(gold: dict) -> tuple[str, list]:
    return next(iter(gold["dev"].items()))


def add_relations(nlp, cfg, gold: dict) -> dict | None:
    """The relation component: the rule baseline, or a classifier trained here (`[relations] method`); none
    where the entity recognizer lacks a label relations join (other datasets' labels)."""
    import vietgov.relation_model  # noqa: F401  registers the factories when run from a source checkout
    import vietgov.relation_rules  # noqa: F401

    from .train_relations import train_relations

    rcfg = cfg["relations"]
    labels = nlp.get_pipe("vietgov_ner").labels
    if not set(RELATION_ARGUMENTS) <= set(labels):
        logger.info(f"no relation component: the entity labels ({', '.join(labels)}) lack one of {', '.join(RELATION_ARGUMENTS)}")
        return None
    if rcfg["method"] == "rules" or cfg["data"]["format"] != "annotations":  # word-level data has no relations
        nlp.add_pipe("vietgov_relations")
        return None
    nlp.add_pipe("vietgov_relation_model", config={"threshold": rcfg["threshold"]})
    train_records = [r for records in gold["train"].values() for r in records]
    return train_relations(cfg, nlp, "vietgov_relation_model", train_records, decision_dev(gold)[1])


FINISHED = "finished"  # in the checkpoints folder: the run that wrote them ran to its end
MINUTES = "minutes.json"  # in the checkpoints folder: training minutes up to the last checkpoint


def resumable(checkpoints: Path, cfg, resume: bool) -> Path | None:
    """The checkpoint to continue from: with `resume`, the last one of an unfinished run of this very
    configuration. Anything else there (another configuration, a finished run, an unfinished one not asked
    for) is cleared, saying so, and the run starts anew."""
    stamp = checkpoints / "config.json"
    settings = json.dumps({k: v for k, v in cfg.interpolate().items() if k not in ("relations", "training")}
                          | {"training": {k: v for k, v in cfg["training"].items() if k != "resume"}}, sort_keys=True)
    found = sorted(checkpoints.glob("checkpoint-*"), key=lambda p: int(p.name.rsplit("-", 1)[1]))
    same = found and stamp.exists() and stamp.read_text(encoding="utf-8") == settings
    if same and not (checkpoints / FINISHED).exists():
        if resume:
            logger.info(f"resuming from {found[-1]}")
            return found[-1]
        logger.info(f"{checkpoints} holds an unfinished run of this configuration: starting anew "
            "(--resume continues it instead)")
    elif same:
        logger.info(f"the run in {checkpoints} finished: starting anew")
    elif found:
        logger.info(f"{checkpoints} holds checkpoints of another configuration: starting anew")
    if checkpoints.exists():
        shutil.rmtree(checkpoints)
    checkpoints.mkdir(parents=True)
    stamp.write_text(settings, encoding="utf-8")
    return None


class MinutesAtCheckpoint(TrainerCallback):
    """Writes the training minutes so far beside each checkpoint, so a resumed run reports its total."""

    def __init__(self, checkpoints: Path, before: float):
        self.path, self.before, self.started = checkpoints / MINUTES, before, time.time()

    def minutes(self) -> float:
        return self.before + (time.time() - self.started) / 60

    def on_save(self, args, state, control, **kwargs):
        self.path.write_text(json.dumps({"step": state.global_step, "minutes": self.minutes()}), encoding="utf-8")


def train(cfg) -> dict:
    from transformers import EarlyStoppingCallback, Trainer, TrainingArguments, DataCollatorForTokenClassification, set_seed

    paths, data_cfg, tcfg = cfg["paths"], cfg["data"], cfg["training"]
    set_seed(tcfg["seed"])
    torch.set_num_threads(max(1, torch.get_num_threads()))
    out = Path(paths["output"])
    out.mkdir(parents=True, exist_ok=True)
    nlp = blank()
    split_stats = SplitStats()
    gold = read_splits(cfg)
    train_ex = [ex for data in gold["train"].values() for ex in training_examples(nlp, data, split_stats)]
    dev_path, dev_data = decision_dev(gold)
    dev_ex = training_examples(nlp, dev_data, split_stats)
    logger.info(f"train: {', '.join(gold['train'])}; dev (decides): {dev_path}; test: {', '.join(gold['test']) or 'none'}")
    logger.info(f"{len(train_ex)} train and {len(dev_ex)} dev examples; "
        f"{split_stats.straddling}/{split_stats.entities} entities straddle a pyvi token")
    ents = list(LABELS) if data_cfg["format"] == "annotations" else entity_labels(train_ex + dev_ex)
    labels = iob_labels(ents)
    tokenizer = build_tokenizer(cfg, train_ex, data_cfg, out)
    encoder = PieceEncoder(tokenizer, data_cfg["normalize_tones"])
    label2id = {lab: i for i, lab in enumerate(labels)}
    train_ds, piece_stats = encode_examples(train_ex, encoder, label2id, data_cfg["max_pieces"], data_cfg["stride"])
    dev_ds, _ = encode_examples(dev_ex, encoder, label2id, data_cfg["max_pieces"], data_cfg["stride"])
    logger.info(f"{len(train_ds)} train windows, {piece_stats['pieces_per_word']:.2f} pieces/word, "
        f"<unk> {piece_stats['unk_rate']:.2%}")
    model = build_model(cfg, tokenizer, labels, data_cfg["max_pieces"])
    args = TrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=tcfg["epochs"],
        per_device_train_batch_size=tcfg["batch_size"],
        per_device_eval_batch_size=tcfg["batch_size"],
        learning_rate=tcfg["learning_rate"],
        weight_decay=tcfg["weight_decay"],
        warmup_steps=tcfg["warmup_steps"],
        lr_scheduler_type="linear",
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model=DEV_SCORE,
        prediction_loss_only=True,  # the dev windows' loss; DevDocumentScore scores the documents
        greater_is_better=True,
        logging_steps=tcfg["logging_steps"],
        bf16=resolve_bf16(tcfg["bf16"]),
        use_cpu=not torch.cuda.is_available(),
        seed=tcfg["seed"],
        report_to=[],
        dataloader_num_workers=0,
        disable_tqdm=False,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=dev_ds,
        data_collator=DataCollatorForTokenClassification(tokenizer, label_pad_token_id=IGNORE),
        callbacks=[DevDocumentScore(tokenizer, data_cfg, dev_data),
                   EarlyStoppingCallback(early_stopping_patience=tcfg["patience"])],
    )
    checkpoints = out / "checkpoints"
    resume_from = resumable(checkpoints, cfg, tcfg["resume"])
    before = json.loads((checkpoints / MINUTES).read_text())["minutes"] if resume_from else 0.0
    clock = MinutesAtCheckpoint(checkpoints, before)
    trainer.add_callback(clock)
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    (checkpoints / FINISHED).write_text(f"{trainer.state.global_step}\n", encoding="utf-8")
    minutes = clock.minutes()  # the entity model's training, before the relation component's
    pipeline = assemble_pipeline(trainer.model, tokenizer, data_cfg)
    relation_training = add_relations(pipeline, cfg, gold)
    metrics = {
        "config": cfg.interpolate().copy(),
        "labels": ents,
        # all sessions of the run; a resumed run also says where it resumed and how long it ran since
        "training_minutes": minutes,
        "machine": machine(),
        "resumed_from": resume_from.name if resume_from else None,
        "resumed_minutes": minutes - before if resume_from else None,
        # entity micro F1 on the deciding dev documents of the checkpoint kept (DevDocumentScore)
        "best_dev_entity_f1": trainer.state.best_metric,
        "epochs_run": trainer.state.epoch,
        "straddling_entities": {"count": split_stats.straddling, "of": split_stats.entities,
                                "share": split_stats.straddling_share},
        "pieces": piece_stats,
        "parameters": sum(p.numel() for p in trainer.model.parameters()),
        "relation_training": relation_training,
    }
    return finish(pipeline, cfg, metrics, gold)


def retrain_relations(cfg) -> dict:
    """Keep the entity recognizer of the pipeline at `paths.entities`; train the relation component anew."""
    if cfg["data"]["format"] != "annotations":
        raise SystemExit("[train] paths.entities trains relations, which only annotations (the spec's JSONL) hold")
    source = Path(cfg["paths"]["entities"])
    nlp = spacy.load(source)
    for name in [n for n in nlp.pipe_names if n != "vietgov_ner"]:
        nlp.remove_pipe(name)
    # a shipped pipeline holds its metrics.json; a training output has it beside pipeline/
    found = [p for p in (source / "metrics.json", source.parent / "metrics.json") if p.exists()]
    previous = json.loads(found[0].read_text(encoding="utf-8")) if found else {}
    metrics = {k: v for k, v in previous.items() if k not in ("dev", "test", "splits")}
    config = cfg.interpolate().copy()
    # the entity recognizer's settings are those that made it; checked now, not after training
    metrics["config"] = validate({**previous.get("config", config), "relations": config["relations"]}, TrainConfig,
                                 found[0] if found else source)
    metrics["entities_from"] = str(source)
    gold = read_splits(cfg)
    metrics["relation_training"] = add_relations(nlp, cfg, gold)
    return finish(nlp, cfg, metrics, gold)


def finish(pipeline, cfg, metrics: dict, gold: dict) -> dict:
    """Write OUTPUT/pipeline (staged, so a failure keeps the last one), score it on every dev and test
    file (`splits`; `dev` is the deciding file, `test` the first test file), and ship it if better."""
    paths, package = cfg["paths"], cfg["package"]
    out = Path(paths["output"])
    out.mkdir(parents=True, exist_ok=True)
    staging = out / "pipeline.tmp"
    if staging.exists():
        shutil.rmtree(staging)
    pipeline.meta.update({"name": package["name"], "version": package["version"],
                          "description": describe(package, pipeline.get_pipe("vietgov_ner").labels),
                          "license": "MIT"})
    pipeline.to_disk(staging)
    write_pipeline_config(staging, metrics["config"])
    loaded = spacy.load(staging)
    metrics["splits"] = {}
    for split in ("dev", "test"):
        for i, (path, data) in enumerate(gold[split].items()):
            scores = metrics["splits"][split_name(path)] = evaluate(loaded, data)
            if i == 0:
                metrics[split] = scores
            raw = f", on raw text {scores['raw_text']['entities']['micro']['f1']:.3f}" if "raw_text" in scores else ""
            logger.info(f"{split_name(path)} entity micro F1 {scores['entities']['micro']['f1']:.3f}{raw}")
    replace_dir(staging, out / "pipeline")
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    logger.info(f"pipeline and metrics in {out}")
    if paths["ship"]:
        ship(out / "pipeline", metrics, Path(paths["ship"]), decision_dev(gold)[1])
    else:
        logger.info("not shipped: paths.ship is null")
    return metrics


def run(cfg) -> dict:
    """The whole pipeline, or only its relation component when `paths.entities` names a trained pipeline."""
    return retrain_relations(cfg) if cfg["paths"]["entities"] else train(cfg)


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    argv = sys.argv[1:] if argv is None else argv
    # `--resume`: continue an interrupted run of the same configuration from its last checkpoint
    return run_with_config(run, __doc__, TrainConfig, ["--training.resume=true" if a == "--resume" else a for a in argv])


if __name__ == "__main__":
    sys.exit(main())
