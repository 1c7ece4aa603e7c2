import json

import torch

from training.pretrain import IGNORE, WholeWordMaskCollator, masked_lm_loss

from .conftest import ROOT


class Tok:
    pad_token_id, mask_token_id = 1, 3

    def __len__(self):
        return 50


def test_whole_words_are_masked_together():
    # one sequence: <s> w0 w0 w1 w2 w2 w2 </s>
    row = {"input_ids": [0, 10, 11, 12, 13, 14, 15, 2], "word_ids": [-1, 0, 0, 1, 2, 2, 2, -1]}
    collator = WholeWordMaskCollator(Tok(), probability=0.5, seed=0)
    for _ in range(50):
        batch = collator([row, row])
        for labels in batch["labels"]:
            chosen = labels != IGNORE
            for word in (0, 1, 2):
                positions = [i for i, w in enumerate(row["word_ids"]) if w == word]
                assert len({bool(chosen[i]) for i in positions}) == 1, "a word is masked whole or not at all"
            assert not chosen[0] and not chosen[-1]
            assert torch.equal(labels[chosen], torch.tensor(row["input_ids"])[chosen])


def test_word_ids_from_bpe_continuation_marks():
    import numpy as np

    from training.pretrain import PieceWindows

    continues = np.zeros(50, dtype=bool)
    continues[[10, 13, 14]] = True  # pieces written `xx@@`: the word goes on
    ids = np.array([0, 10, 11, 12, 13, 14, 15, 2, 0, 12, 2], dtype=np.uint16)
    windows = PieceWindows(ids, np.array([0, 8, 11]), continues)
    assert len(windows) == 2
    assert windows[0]["word_ids"].tolist() == [-1, 0, 0, 1, 2, 2, 2, -1]
    assert windows[0]["input_ids"].tolist() == ids[:8].tolist()
    assert windows[1]["word_ids"].tolist() == [-1, 0, -1]


def test_loss_only_at_masked_positions():
    from transformers import RobertaConfig, RobertaForMaskedLM

    torch.manual_seed(0)
    model = RobertaForMaskedLM(RobertaConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1,
                                             num_attention_heads=2, intermediate_size=32,
                                             max_position_embeddings=40, pad_token_id=1)).eval()
    ids = torch.randint(4, 50, (2, 9))
    labels = torch.full_like(ids, IGNORE)
    labels[0, 3], labels[1, 5] = 7, 9
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}
    full = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    expected = torch.nn.functional.cross_entropy(full.view(-1, 50), labels.view(-1), ignore_index=IGNORE)
    assert torch.allclose(masked_lm_loss(model, inputs), expected, atol=1e-5)


def test_pretrain_end_to_end(tmp_path):
    from transformers import AutoModelForTokenClassification

    from training.pretrain import main

    corpus = tmp_path / "corpus.jsonl"
    texts = [json.loads(line)["text"] for line in open(ROOT / "tests" / "data" / "train.jsonl", encoding="utf-8")]
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts * 4)),
                      encoding="utf-8")
    export = tmp_path / "export"
    args = [str(ROOT / "configs" / "pretrain.cfg"), "--paths.corpus", str(corpus), "--paths.output", str(tmp_path / "out"),
            "--paths.segmented", str(tmp_path / "segmented"), "--paths.export", str(export), "--model.bpe_corpus", "null",
            "--model.bpe_vocab_size", "200", "--model.hidden_size", "16",
            "--model.num_hidden_layers", "1", "--model.num_attention_heads", "2", "--model.intermediate_size", "32",
            "--training.max_steps", "4", "--training.batch_size", "4", "--training.save_steps", "2",
            "--training.eval_steps", "2", "--training.warmup_steps", "0"]
    assert main(args) == 0
    card = json.loads((export / "pretraining.json").read_text())
    assert card["steps"] == 4 and card["heldout_sequences"] >= 1 and card["heldout_perplexity"] > 1
    # the encoded windows are cached beside the checkpoints: a copy of OUTPUT trains without the corpus
    assert (tmp_path / "out" / "windows.npz").exists() and len(list((tmp_path / "segmented").iterdir())) == 1
    # resumes: a longer run continues from the saved checkpoint
    assert main(args[:-8] + ["--training.max_steps", "6", "--training.batch_size", "4", "--training.save_steps", "2",
                             "--training.eval_steps", "2", "--training.warmup_steps", "0"]) == 0
    # the export lands in models/-like `export` only if its held-out perplexity is lower, else beside the checkpoints
    exports = [p / "pretraining.json" for p in (export, tmp_path / "out" / "export") if (p / "pretraining.json").exists()]
    assert 6 in [json.loads(p.read_text())["steps"] for p in exports]
    model = AutoModelForTokenClassification.from_pretrained(export, num_labels=9)
    assert model.config.hidden_size == 16
    from training.card import main as card_main

    assert card_main([str(export)]) == 0
    assert "perplexity" in (export / "README.md").read_text()
    # a later session continues from the exported encoder and its tokenizer (a new encoder's keys unset)
    new_encoder_unset = [a for key in ("bpe_vocab_size", "bpe_corpus", "hidden_size", "num_hidden_layers",
                                       "num_attention_heads", "intermediate_size") for a in (f"--model.{key}", "null")]
    again = tmp_path / "again"
    assert main(args[:3] + ["--paths.output", str(tmp_path / "out2"), "--paths.segmented", str(tmp_path / "segmented"),
                            "--paths.export", str(again),
                            "--model.init_from", str(export), *new_encoder_unset, "--training.max_steps", "2", "--training.batch_size", "4",
                            "--training.save_steps", "2", "--training.eval_steps", "2", "--training.warmup_steps", "0"]) == 0
    card = json.loads((again / "pretraining.json").read_text())
    before = json.loads((export / "pretraining.json").read_text())  # the 4- or the 6-step run, by perplexity
    assert card["continued_from"] == str(export) and card["vocab_size"] == before["vocab_size"]
    assert card["steps_total"] == before["steps"] + 2 and card["tokens_seen_total"] > card["tokens_seen_this_run"]
    # an export of higher held-out perplexity does not replace the one there
    from training.pretrain import export_target

    better = {**card, "heldout_perplexity": card["heldout_perplexity"] / 2}
    assert export_target(again, better, tmp_path / "o") == again
    worse = {**card, "heldout_perplexity": card["heldout_perplexity"] * 2}
    assert export_target(again, worse, tmp_path / "o") == tmp_path / "o" / "export"
    # OUTPUT's tokenizer and windows are all a run needs (no corpus, no segmentation); max_minutes saves and stops
    import shutil

    moved = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "out" / "tokenizer", moved / "tokenizer")
    shutil.copy(tmp_path / "out" / "windows.npz", moved)
    corpus.rename(tmp_path / "gone.jsonl")
    assert main(args[:3] + ["--paths.output", str(moved), "--paths.segmented", str(tmp_path / "nothing"),
                            "--paths.export", str(moved / "export"), "--model.hidden_size", "16",
                            "--model.num_hidden_layers", "1", "--model.num_attention_heads", "2",
                            "--model.intermediate_size", "32", "--training.max_steps", "50", "--training.batch_size", "2",
                            "--training.max_minutes", "0.000001", "--training.warmup_steps", "0"]) == 0
    assert json.loads((moved / "export" / "pretraining.json").read_text())["steps"] == 1
    assert (moved / "checkpoints" / "checkpoint-1").is_dir() and not (tmp_path / "nothing").exists()
    # resumed, with a checkpoint every save_minutes however far apart save_steps are
    assert main(args[:3] + ["--paths.output", str(moved), "--paths.segmented", str(tmp_path / "nothing"),
                            "--paths.export", str(moved / "export"), "--model.hidden_size", "16",
                            "--model.num_hidden_layers", "1", "--model.num_attention_heads", "2",
                            "--model.intermediate_size", "32", "--training.max_steps", "3", "--training.batch_size", "2",
                            "--training.save_steps", "1000", "--training.save_minutes", "0.000001",
                            "--training.warmup_steps", "0"]) == 0
    assert sorted(p.name for p in (moved / "checkpoints").iterdir()) == ["checkpoint-2", "checkpoint-3"]
    (tmp_path / "gone.jsonl").rename(corpus)
    # the shape study times training steps of other shapes on the same corpus
    from training.time_shapes import main as shapes_main

    out = tmp_path / "shapes.json"
    assert shapes_main([str(ROOT / "configs" / "pretrain.cfg"), "--tokenizer", str(export), "--shapes", "1x64", "2x64",
                        "--steps", "1", "--output", str(out), "--paths.corpus", str(corpus),
                        "--paths.output", str(tmp_path / "out"), "--training.batch_size", "2"]) == 0
    rows = json.loads(out.read_text())
    assert [r["shape"] for r in rows] == ["1x64", "2x64"] and all(r["tokens_per_second"] > 0 for r in rows)
    assert rows[0]["parameters"] < rows[1]["parameters"]


def test_default_base_is_the_shipped_pretrained_encoder():
    from transformers import AutoConfig, PhobertTokenizer

    from training.config import load_config

    base = ROOT / load_config(ROOT / "configs" / "default.cfg")["model"]["name_or_path"]
    card = json.loads((base / "pretraining.json").read_text())
    tokenizer = PhobertTokenizer.from_pretrained(base)
    config = AutoConfig.from_pretrained(base)
    assert len(tokenizer) == card["vocab_size"] == config.vocab_size
    assert config.max_position_embeddings == 258 and (base / "model.safetensors").stat().st_size < 40e6
    # pieces of a segmented sentence, as the pipeline writes words
    assert tokenizer.unk_token_id not in tokenizer.encode("Bí_thư Quận_uỷ quận 1")
