"""Model cards (Hugging Face style README.md) for shipped pipelines and the pretrained encoder.

    python -m training.card models/vi_vietgov_default
    python -m training.card models/phobert-vi-small --downstream "random init=PATH/metrics.json" ...
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from vietgov.records import split_name
from vietgov.schema import LABELS, RELATION_ARGUMENTS, RELATION_TYPES

from .data import read_gold, split_paths
from .machine import describe_machine


def data_table(paths: dict) -> str:
    cols = [*LABELS, *RELATION_TYPES]
    rows = ["| split | articles | " + " | ".join(cols) + " |", "|---" * (2 + len(cols)) + "|"]
    for split in ("train", "dev", "test"):
        for path, records in read_gold([p for p in split_paths(paths.get(split)) if Path(p).exists()],
                                       paths.get("corpus"))[0].items():
            labels = Counter(e.label for r in records for e in r.entities)
            rels = Counter(rel.type for r in records for rel in r.relations)
            counts = [labels[c] for c in LABELS] + [rels[c] for c in RELATION_TYPES]
            rows.append(f"| {split_name(path)} | {len(records)} | " + " | ".join(map(str, counts)) + " |")
    return "\n".join(rows)


def describe(package: dict, labels) -> str:
    """`[package] description`, or one made of the entity labels."""
    return package.get("description") or f"Vietnamese named entities: {', '.join(labels)} (PhoBERT-architecture)"


def word_data_table(paths: dict, fmt: str, labels: list[str]) -> str:
    """Lines (sentences or documents), words and entities per label of each word-level file."""
    rows = ["| file | lines | words | " + " | ".join(labels) + " |", "|---" * (3 + len(labels)) + "|"]
    for split in ("train", "dev", "test"):
        for path, examples in read_gold([p for p in split_paths(paths.get(split)) if Path(p).exists()],
                                        fmt=fmt)[0].items():
            counts = Counter(tag[2:] for ex in examples for tag in ex.tags if tag.startswith("B-"))
            rows.append(f"| {split}: {split_name(path)} | {len(examples)} | {sum(len(ex.tokens) for ex in examples)} | "
                        + " | ".join(str(counts[lab]) for lab in labels) + " |")
    return "\n".join(rows)


def scored_splits(metrics: dict) -> dict:
    """{name: scores} of every scored file (older metrics: just `dev` and `test`)."""
    return metrics.get("splits") or {s: metrics[s] for s in ("dev", "test") if s in metrics}


def scores_table(metrics: dict) -> str:
    """Per label, micro and macro of every scored file; for word-level data also micro and macro on raw text."""
    def rows_of(name: str, ents: dict, per_label: bool = True) -> list[str]:
        found = (list(ents["per_label"].items()) if per_label else []) + [("micro", ents["micro"])]
        found += [("macro", ents["macro"])] if "macro" in ents else []  # older metrics have no macro
        return [f"| {name} | {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |" for label, s in found]

    rows = ["| split | label | P | R | F1 |", "|---|---|---|---|---|"]
    for split, scores in scored_splits(metrics).items():
        rows += rows_of(split, scores["entities"])
        if "raw_text" in scores:
            rows += rows_of(f"{split}, raw text", scores["raw_text"]["entities"], per_label=False)
    return "\n".join(rows)


def relations_table(metrics: dict) -> str:
    """Relation F1 of the pipeline's relation component, and of the rule baseline beside a learned one."""
    facts = metrics.get("relation_training")
    component = (f"`vietgov_relation_model`, {facts['encoder']} encoder" + (", rule feature" if facts["use_rules"] else "")
                 if facts else "`vietgov_relations`, rules")
    rows = [f"Relations ({component}), F1:", "",
            "| split | system | " + "".join(f"{t} end to end | " for t in RELATION_TYPES)
            + "micro end to end | micro from gold entities | position triples |",
            "|---" * (5 + len(RELATION_TYPES)) + "|"]
    for split, scores in scored_splits(metrics).items():
        rel = scores.get("relations")
        if not rel:
            continue
        systems = [("model" if facts else "rules", rel)] + ([("rule baseline", rel["rules"])] if "rules" in rel else [])
        for system, scores in systems:
            e2e = scores["end_to_end"]
            positions = f"{scores['positions']['f1']:.3f}" if "positions" in scores else "–"
            rows.append(f"| {split} | {system} | "
                        + "".join(f"{e2e['per_label'][t]['f1']:.3f} | " for t in RELATION_TYPES)
                        + f"{e2e['micro']['f1']:.3f} | {scores['gold_entities']['micro']['f1']:.3f} | {positions} |")
    return "\n".join(rows) if len(rows) > 4 else ""


def evaluated(pipeline_dir: Path, key: str) -> list[tuple[str, dict]]:
    """(test file names, scores[key]) of each of the pipeline's evaluation files (`make evaluate`) that has `key`."""
    out = []
    for path in sorted(pipeline_dir.glob("evaluation*.json")):
        scores = json.loads(path.read_text(encoding="utf-8"))
        if scores.get(key):
            out.append((", ".join(split_name(d) for d in scores.get("data", [path.stem])), scores[key]))
    return out


def canonical_table(pipeline_dir: Path) -> str:
    """Canonical names (vietgov.canonical) against the gold of annotations/canonical/, from the pipeline's
    evaluation files (`make evaluate` writes them with --canonical)."""
    rows = []
    for name, canonical in evaluated(pipeline_dir, "canonical"):
        gold, e2e = canonical["gold_entities"], canonical["end_to_end"]
        o, u = gold["officials"], gold["units"]
        rows.append(f"| {name} | {o['accuracy']:.3f} ({o['mentions']}) | {o['linked']['precision']:.3f} / "
                    f"{o['linked']['recall']:.3f} | {u['accuracy']:.3f} ({u['mentions']}) | "
                    f"{u['completed']['precision']:.3f} / {u['completed']['recall']:.3f} | "
                    f"{e2e['officials']['accuracy']:.3f} | {e2e['units']['accuracy']:.3f} |")
    if not rows:
        return ""
    return "\n".join([
        "Canonical names (`span._.canonical`, annotations/canonical/): accuracy of the full name each official's "
        "mention is linked to and of each unit's canonical name, from the gold entities and relations, and end to "
        "end (a gold mention counts only where the pipeline found it exactly):", "",
        "| test file | officials | partial names linked P / R | units | completed from the article P / R | "
        "officials end to end | units end to end |", "|---|---|---|---|---|---|---|", *rows])


def shipped_relations(pipeline_dir: Path) -> str:
    """Relations end to end of the pipeline as shipped, from its evaluation files (`make evaluate`): the table
    above is the training run's, and decoding settings of config.cfg may have changed since."""
    rows = []
    for name, rel in evaluated(pipeline_dir, "relations"):
        e2e = rel["end_to_end"]
        rows.append(f"{name}: " + ", ".join(f"{t} {e2e['per_label'][t]['f1']:.3f}" for t in RELATION_TYPES)
                    + f", micro {e2e['micro']['f1']:.3f}"
                    + (f", position triples {rel['positions']['f1']:.3f}" if "positions" in rel else ""))
    if not rows:
        return ""
    return ("Relations end to end of the pipeline as shipped, with its config.cfg's decoding settings (`make "
            "evaluate`, evaluation*.json), F1: " + "; ".join(rows) + ".")


def relation_training(metrics: dict) -> str:
    facts = metrics.get("relation_training")
    if not set(RELATION_ARGUMENTS) <= set(metrics.get("labels", LABELS)):
        return "- Relations: none (they join OFFICIAL, TITLE and UNIT entities)."
    if not facts:
        return "- Relations: the rule baseline (`vietgov_relations`)."
    r = metrics["config"]["relations"]
    encoder = ("the entity model's token vectors (doc.tensor), no second encoder pass" if facts["encoder"] == "shared"
               else "a copy of the entity encoder fine-tuned for relations")
    return (f"- Relations: a pair classifier (`vietgov_relation_model`, {facts['parameters']:,} parameters) over\n"
            f"  {encoder};\n  entity start/end pooling, the mean of the tokens between, distance and order"
            f"{', the rule baseline as a feature' if facts['use_rules'] else ''};\n  trained on"
            f" {facts['candidate_pairs']:,} candidate pairs (gold{' and predicted' if r.get('predicted_entities') else ''} entities),"
            f" {facts['epochs_run']} epochs, {facts['training_minutes']:.1f} minutes, threshold {r['threshold']}.")


def silver_training(metrics: dict) -> str:
    s = metrics["config"].get("silver")
    if not s:
        return ""
    return (f"\n- Self-training (`make silver`): `{s['teacher']}` pseudo-labelled {s['articles']:,} articles of"
            f" {', '.join(s['files'])};\n  the {s['sentences']:,} sentences whose every tag it gave at least"
            f" {s['min_confidence']} probability ({s['entities']:,} entities, {s['relations']:,} relations, in"
            f" {s['records']:,} records)\n  were added to the gold training data.")


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def annotations_intro(pipeline_dir: Path, cfg: dict) -> str:
    return f"""Finds officials (OFFICIAL), their positions (TITLE), organisations and administrative
units (UNIT) and quantities (FIGURE) in Vietnamese party and state news, following
the project's annotation specification. A PhoBERT-architecture token classifier
wrapped as the spaCy component `vietgov_ner`; the tokenizer is spaCy's `vi`
(pyvi) with the project's splits (`vietgov.Tokenizer.v1`).

```python
import spacy
nlp = spacy.load("{pipeline_dir}")
doc = nlp("Bí thư Quận ủy quận 1 Dương Anh Đức chủ trì hội nghị.")
print([(e.text, e.label_) for e in doc.ents])
```

## Data

Annotated articles from `annotations/` (see annotations/README.md): team-written
articles in the genre with the five seed articles, and real news articles of the
corpus in `../shared/corpus` annotated by reference (`real/`). The first dev file
decided early stopping, the checkpoint and shipping; test files were never used
for a decision:

{data_table(cfg["paths"])}"""


def words_intro(pipeline_dir: Path, cfg: dict, labels: list[str]) -> str:
    fmt = cfg["data"]["format"]
    return f"""{describe(cfg["package"], labels)}: a token classifier wrapped as the spaCy
component `vietgov_ner`, trained on word-level data (`{fmt}` format) with the labels
{", ".join(labels)}. Its words are those of the
data's segmenter; raw text is segmented by spaCy's `vi` tokenizer (pyvi) with the
project's splits (`vietgov.Tokenizer.v1`), which may cut words differently.

```python
import spacy, vietgov
nlp = spacy.load("{pipeline_dir}")
doc = nlp(vietgov.words_doc(nlp, "Ông Nguyễn_Văn_A làm_việc tại Hà_Nội ."))  # words as the data's segmenter writes them
doc = nlp("Ông Nguyễn Văn A làm việc tại Hà Nội.")                             # raw text, segmented by pyvi
print([(e.text, e.label_) for e in doc.ents])
```

On the command line: `vietgov extract --words -m {pipeline_dir} segmented.txt` and
`vietgov evaluate {pipeline_dir} test.{"jsonl" if fmt == "words" else "conll"}`.

## Data

The first dev file decided early stopping, the checkpoint and shipping; test files
were never used for a decision:

{word_data_table(cfg["paths"], fmt, labels)}"""


def model_card(name: str, pipeline_dir: Path, metrics: dict, files: Path | None = None) -> str:
    """The card of the pipeline to be loaded from `pipeline_dir`, whose files are in `files` (default: there)."""
    cfg = metrics["config"]
    words = cfg["data"]["format"] != "annotations"
    labels = list(metrics.get("labels", LABELS))
    m = cfg["model"]
    base = m["name_or_path"] or (
        f"random init, {m['num_hidden_layers']} layers x {m['hidden_size']} hidden, "
        + (f"the tokenizer of {m['tokenizer']}" if m.get("tokenizer") else
           f"fastBPE tokenizer learned from the training text ({m['bpe_vocab_size']} pieces)"))
    speed = metrics.get("test", metrics.get("dev", {})).get("docs_per_second", 0.0)
    # where a run recorded its machine (metrics["machine"], since training.machine); older runs did not
    machine = describe_machine(metrics.get("machine"))
    t = cfg["training"]
    straddling = "" if words else (
        "\n- Entities with a boundary inside a segmented word in the training data: "
        f"{metrics['straddling_entities']['share']:.2%}.")
    scores_intro = ("Exact word spans and labels on the gold words (`vietgov evaluate`); the raw-text rows score the\n"
                    "words' text (joined by spaces) segmented anew by the pipeline's tokenizer:" if words
                    else "Exact character span and label (`vietgov evaluate`):")
    limitations = """Scored on the data's own segmentation. On raw text the pipeline segments with pyvi,
which cuts some words differently from the data's segmenter; an entity whose edge falls
inside a pyvi word cannot be found exactly (the raw-text rows measure the cost). Give it
words from the data's segmenter (`vietgov.words_doc`, `vietgov extract --words`) for
the gold-word figures.""" if words else """Scores on real pages are those of the `real/` splits: articles from the corpus's
sources (VietNews, baomoi), chosen dense in officials (annotations/README.md says how);
pages from other outlets, much shorter or longer articles and other years may score
lower. Annotators were instances of one language model working from the guidelines.
A span whose boundary falls inside a segmented word cannot be predicted exactly, and
no entity crosses a line break."""
    return f"""---
language: vi
license: mit
library_name: spacy
pipeline_tag: token-classification
tags: [spacy, phobert, named-entity-recognition, vietnamese]
---

# {name}

{words_intro(pipeline_dir, cfg, labels) if words else annotations_intro(pipeline_dir, cfg)}

## Model and training

- Base: {base}
- Parameters: {metrics["parameters"]:,}
- Fine-tuning: Hugging Face Trainer, {t["epochs"]} epochs at most (early stopping after {t["patience"]}
  epochs without dev gain; {metrics["epochs_run"]:.0f} run), batch {t["batch_size"]}, learning rate {t["learning_rate"]},
  seed {t["seed"]}; {metrics["training_minutes"]:.1f} training minutes{f" on {machine}" if machine else ""}.
- Input: spaCy tokens joined with `_` (`normalize_tones = {str(cfg["data"]["normalize_tones"]).lower()}`: tone marks
  in PhoBERT's placement, `ủy` -> `uỷ`); windows of at most {cfg["data"]["max_pieces"]} pieces, overlap {cfg["data"]["stride"]}.{straddling}
{relation_training(metrics)}{silver_training(metrics)}

## Scores

{scores_intro}

{scores_table(metrics)}

{relations_table(metrics)}

{shipped_relations(files or pipeline_dir)}

{canonical_table(files or pipeline_dir)}

Speed of the evaluation run of the first test file{f" ({machine})" if machine else ", on the training machine"}: {speed:.1f} documents/s. Size on disk: {size_mb(files or pipeline_dir):.1f} MB (fp16 safetensors).

## Limitations

{limitations}
"""


def shapes_table(shapes: list[dict]) -> str:
    """Pretraining throughput per model shape (`make shapes`)."""
    if not shapes:
        return ""
    # shapes.json of runs before batch_size was recorded: the column says so rather than assume one
    rows = ["Throughput of this and other shapes on one CPU (`make shapes`: masked-LM training steps):", "",
            "| layers x hidden | parameters | batch | torch threads | tokens/s |", "|---|---|---|---|---|"]
    rows += [f"| {r['shape']} | {r['parameters']:,} | {r.get('batch_size', 'not recorded')} | {r['threads']} | "
             f"{r['tokens_per_second']:,.0f} |" for r in shapes]
    return "\n".join(rows)


def base_summary(config: dict) -> dict:
    """Shape, vocabulary and pretraining of the base a fine-tuning run started from (its metrics.json config)."""
    base = config["model"]
    pretrained = Path(base["name_or_path"]) / "pretraining.json" if base.get("name_or_path") else None
    if pretrained and pretrained.exists():
        p = json.loads(pretrained.read_text(encoding="utf-8"))
        corpus = p["corpus"] if isinstance(p["corpus"], list) else p["corpus"].split()
        return {"shape": f"{p['model']['num_hidden_layers']}x{p['model']['hidden_size']}", "vocab": p["vocab_size"],
                "pretraining": f"{p.get('tokens_seen_total', p['tokens_seen_this_run']) / 1e6:.0f}M tokens, "
                               + " + ".join(Path(c).name.split(".")[0] for c in corpus),
                "perplexity": f"{p['heldout_perplexity']:.1f}"}
    if base.get("name_or_path"):
        return {"shape": "-", "vocab": "-", "pretraining": base["name_or_path"], "perplexity": "-"}
    if base.get("tokenizer") and Path(base["tokenizer"]).exists():
        from transformers import AutoTokenizer

        size = len(AutoTokenizer.from_pretrained(base["tokenizer"]))
    else:
        size = base["bpe_vocab_size"]
    return {"shape": f"{base['num_hidden_layers']}x{base['hidden_size']}", "vocab": size, "pretraining": "none (random init)",
            "perplexity": "-"}


def downstream_table(downstream: dict) -> str:
    rows = [("| fine-tuned from | layers x hidden | vocabulary | pretraining | held-out perplexity | dev micro F1 | "
             "test micro F1 | " + " | ".join(LABELS) + " (test) | epochs run |"), "|---" * (8 + len(LABELS)) + "|"]
    for name, metrics in downstream.items():
        b = base_summary(metrics["config"])
        test = metrics["test"]["entities"]["per_label"]
        rows.append(f"| {name} | {b['shape']} | {b['vocab']} | {b['pretraining']} | {b['perplexity']} | "
                    f"{metrics['dev']['entities']['micro']['f1']:.3f} | {metrics['test']['entities']['micro']['f1']:.3f} | "
                    + " | ".join(f"{test[k]['f1']:.3f}" for k in LABELS)
                    + f" | {metrics['epochs_run']:.0f} |")
    return "\n".join(rows)


def encoder_card(pretraining: dict, downstream: dict, shapes: list[dict] | None = None) -> str:
    """Model card of the pretrained base encoder; `downstream` maps a run name to its metrics.json."""
    m = pretraining["model"]
    continued = (f"; the last {pretraining['steps']} steps continued from an earlier export with a new learning-rate schedule"
                 if pretraining.get("continued_from") else "")
    device = pretraining.get("device", "cpu")
    device = "CPU" if device == "cpu" else device
    return f"""---
language: vi
license: mit
library_name: transformers
pipeline_tag: fill-mask
tags: [roberta, phobert-architecture, vietnamese]
---

# phobert-vi-small

A PhoBERT-architecture (RoBERTa) encoder pretrained by this project with masked
language modelling: the offline base of `configs/default.cfg`. Loads like
PhoBERT: `AutoModel.from_pretrained("models/phobert-vi-small")` with its
`PhobertTokenizer` (fastBPE `bpe.codes` + `vocab.txt`); swapping in
`vinai/phobert-base` is `--model.name_or_path vinai/phobert-base`.

## Pretraining

`make pretrain` (configs/pretrain.cfg holds the values below).

- Corpus: {", ".join(str(c) for c in pretraining["corpus"]) if isinstance(pretraining["corpus"], list) else pretraining["corpus"]}
  (read at run time, not distributed), word-segmented by the pipeline's own tokenizer
  (pyvi and the project's splits), tone marks in PhoBERT's placement.
- Tokenizer: fastBPE, {pretraining["vocab_size"]:,} entries, learned on the segmented party and state news.
- Model: {m["num_hidden_layers"]} layers, hidden {m["hidden_size"]}, {m["num_attention_heads"]} heads,
  feed-forward {m["intermediate_size"]}, at most 256 pieces per sequence.
- Objective: whole-word dynamic masking (15% of words; 80/10/10), loss from logits at masked positions only.
- {pretraining.get("steps_total", pretraining["steps"]):,} steps of {pretraining["batch_size"]} sequences on {device}{" with bf16 autocast" if pretraining.get("bf16") else ""}
  (about {pretraining.get("tokens_seen_total", pretraining["tokens_seen_estimate"]) / 1e6:.0f}M tokens; {pretraining["train_sequences"]:,} training sequences;
  {pretraining.get("minutes_total", pretraining["minutes_this_run"]):.0f} minutes{continued}).
- Held-out ({pretraining["heldout_sequences"]} sequences, 1% of documents): masked-LM loss
  {pretraining["heldout_masked_lm_loss"]:.3f}, perplexity {pretraining["heldout_perplexity"]:.1f}.

{shapes_table(shapes or [])}

## Downstream: entity F1 on the project's annotations

Same fine-tuning configuration (`configs/default.cfg`) and budget, only the base differs.
Held-out perplexities compare only within one tokenizer and held-out set (the same corpus).

{downstream_table(downstream)}

## Limitations

Small ({m["num_hidden_layers"]} layers) and pretrained for minutes: a stand-in for `vinai/phobert-base` where
that cannot be downloaded, not a replacement for it.
"""


def main(argv: list[str] | None = None) -> int:
    """Rewrite a model's README.md from its metrics.json (pipeline) or pretraining.json (encoder)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path)
    parser.add_argument("--downstream", nargs="*", default=[], metavar="NAME=METRICS",
                        help="encoder only: fine-tuning runs to compare (metrics.json of each)")
    parser.add_argument("--shapes", type=Path, help="encoder only: the output of `make shapes`")
    args = parser.parse_args(argv)
    if (args.model / "pretraining.json").exists():
        runs = dict(item.split("=", 1) for item in args.downstream)
        card = encoder_card(json.loads((args.model / "pretraining.json").read_text()),
                            {name: json.loads(Path(path).read_text()) for name, path in runs.items()},
                            json.loads(args.shapes.read_text()) if args.shapes else None)
    else:
        card = model_card(args.model.name, args.model, json.loads((args.model / "metrics.json").read_text()))
    (args.model / "README.md").write_text(card + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
