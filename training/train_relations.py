"""Train the relation classifier (`vietgov_relation_model`) on gold entities.

Called by training/train.py after the entity model, with the `[relations]`
section of the config. `encoder = "shared"` trains only the pair scorer on the
entity model's frozen token vectors (doc.tensor); `"separate"` fine-tunes a copy
of the entity encoder together with the scorer. Pairs come from gold entities
and, with `predicted_entities`, also from the entity model's predictions (a
pair is positive when both spans and the type match a gold relation). Early
stopping on dev relation F1 (the mean over the same two entity sources); the
best epoch is kept.
"""
from __future__ import annotations

import copy
import logging
import random
import time

import torch
import torch.nn.functional as F
from tqdm import tqdm

from vietgov.evaluate import relation_set, relation_tuples, span_scores, with_gold_entities
from vietgov.records import Record
from vietgov.schema import RELATION_TYPES
from vietgov.pieces import read_tokens
from vietgov.relation_model import PairScorer, RelationClassifier, candidate_pairs, pair_features


logger = logging.getLogger(__name__)


def pair_examples(docs, records, use_rules: bool):
    """(doc, its read-token mask, candidate features, 0/1 targets) for every doc with candidates."""
    out = []
    for doc, rec in zip(docs, records):
        candidates = candidate_pairs(doc)
        if not candidates:
            continue
        gold = relation_set(rec)
        targets = [float(bool(relation_tuples([(h, t, lab)]) & gold)) for h, t, lab, _ in candidates]
        read = read_tokens(doc)
        out.append((doc, read, pair_features(doc, candidates, use_rules, read), torch.tensor(targets)))
    return out


def relation_f1(component: RelationClassifier, docs, records) -> float:
    predicted = [relation_tuples(p.relations) for p in component.predict(docs)]
    return span_scores([relation_set(r) for r in records], predicted, RELATION_TYPES)["micro"]["f1"]


def train_relations(cfg, nlp, name: str, train_records: list[Record], dev_records: list[Record]) -> dict:
    """Train the pipeline's RelationClassifier `name` (after the trained vietgov_ner); returns training facts."""
    rcfg, data_cfg = cfg["relations"], cfg["data"]
    torch.manual_seed(cfg["training"]["seed"])
    rng = random.Random(cfg["training"]["seed"])
    ner = nlp.get_pipe("vietgov_ner")
    # one entity-model pass per text: its predictions and doc.tensor, then copies with the gold entities
    predicted = [list(ner.pipe(nlp.make_doc(r.text) for r in records)) for records in (train_records, dev_records)]
    train_docs, dev_docs = (with_gold_entities(docs, records)
                            for docs, records in zip(predicted, (train_records, dev_records)))
    examples = pair_examples(train_docs, train_records, rcfg["use_rules"])
    dev_sets = [dev_docs]
    if rcfg["predicted_entities"]:  # also pairs of the entity model's own predictions, as met at inference
        examples += pair_examples(predicted[0], train_records, rcfg["use_rules"])
        dev_sets.append(predicted[1])
    n_pairs = sum(len(t) for *_, t in examples)
    n_pos = int(sum(t.sum() for *_, t in examples))
    logger.info(f"{n_pairs} candidate pairs in {len(examples)} train docs, {n_pos} relations")

    settings = {"encoder": rcfg["encoder"], "use_rules": rcfg["use_rules"],
                "normalize_tones": data_cfg["normalize_tones"], "max_pieces": data_cfg["max_pieces"],
                "stride": data_cfg["stride"]}
    scorer = PairScorer(ner.model.config.hidden_size, rcfg["hidden"], rcfg["embedding"], rcfg["dropout"])
    groups = [{"params": scorer.parameters(), "lr": rcfg["learning_rate"]}]
    encoder_model = tokenizer = None
    if rcfg["encoder"] == "separate":
        encoder_model, tokenizer = copy.deepcopy(ner.model.base_model), ner.tokenizer
        groups.append({"params": encoder_model.parameters(), "lr": rcfg["encoder_learning_rate"]})
    optimizer = torch.optim.AdamW(groups, weight_decay=0.01)
    component = nlp.get_pipe(name)
    component.initialize(model=scorer, settings=settings, encoder_model=encoder_model, tokenizer=tokenizer)

    trained = [m for m in (scorer, encoder_model) if m is not None]
    best, best_state, stale, started = -1.0, None, 0, time.time()
    progress = tqdm(range(rcfg["epochs"]), desc="relations", unit="epoch")
    for epoch in progress:
        for m in trained:
            m.train()
        rng.shuffle(examples)
        total = 0.0
        for i in range(0, len(examples), rcfg["batch_size"]):
            batch = examples[i : i + rcfg["batch_size"]]
            # with gradients, outside predict
            vectors = component.token_vectors([doc for doc, *_ in batch], [read for _, read, *_ in batch])
            logits = [scorer(states, pairs) for states, (_, _, pairs, _) in zip(vectors, batch)]
            loss = F.binary_cross_entropy_with_logits(torch.cat(logits), torch.cat([t for *_, t in batch]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        for m in trained:
            m.eval()
        f1 = sum(relation_f1(component, docs, dev_records) for docs in dev_sets) / len(dev_sets)
        progress.set_postfix(loss=f"{total / max(len(examples), 1):.4f}", dev_f1=f"{f1:.3f}")
        if f1 > best:
            best, stale = f1, 0
            best_state = copy.deepcopy([m.state_dict() for m in trained])
        else:
            stale += 1
            if stale >= rcfg["patience"]:
                break
    for m, state in zip(trained, best_state):  # the component holds these very modules
        m.load_state_dict(state)
        m.eval()
    facts = {"encoder": rcfg["encoder"], "use_rules": rcfg["use_rules"], "epochs_run": epoch + 1,
             "best_dev_f1": best, "training_minutes": (time.time() - started) / 60,
             "candidate_pairs": n_pairs, "train_relations": n_pos,
             "parameters": sum(p.numel() for m in trained for p in m.parameters())}
    logger.info(f"best dev F1 {best:.3f} after {epoch + 1} epochs, {facts['training_minutes']:.1f} minutes")
    return facts
