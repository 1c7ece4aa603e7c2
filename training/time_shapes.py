"""What each PhoBERT-architecture model shape costs to pretrain on this machine.

    python -m training.time_shapes configs/pretrain.cfg [--steps 8] [--shapes 4x256 6x256 4x384 6x384] [--section.key value ...]

Times masked-LM training steps (forward, backward, optimizer) of each shape on
sequences of the segmented corpus, with the batch size and threads of
`configs/pretrain.cfg`, and prints tokens/s and parameters per shape.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def parse_shape(text: str) -> dict:
    """`6x384`: layers x hidden; heads = hidden / 64, feed-forward = 4 x hidden."""
    layers, hidden = (int(x) for x in text.lower().split("x"))
    return {"num_hidden_layers": layers, "hidden_size": hidden, "num_attention_heads": hidden // 64,
            "intermediate_size": 4 * hidden}


def main(argv: list[str] | None = None) -> int:
    import torch
    from transformers import PhobertTokenizer, RobertaForMaskedLM

    from .config import config_or_exit
    from .config_schema import PretrainConfig
    from .encoder_config import phobert_config
    from .pretrain import WholeWordMaskCollator, masked_lm_loss, piece_windows

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", type=Path)
    parser.add_argument("--tokenizer", default="models/phobert-vi-small", help="a directory with bpe.codes and vocab.txt")
    parser.add_argument("--shapes", nargs="+", default=["4x256", "6x256", "4x384", "6x384"])
    parser.add_argument("--steps", type=int, default=8, help="timed steps per shape, after one warm-up step")
    parser.add_argument("--output", type=Path)
    args, overrides = parser.parse_known_args(argv)  # the rest: --section.key value, as for pretraining
    cfg = config_or_exit(args.config, overrides, PretrainConfig)
    tcfg = cfg["training"]
    tokenizer = PhobertTokenizer.from_pretrained(args.tokenizer)
    train_ds, _ = piece_windows(cfg, tokenizer, Path(cfg["paths"]["output"]))
    collator = WholeWordMaskCollator(tokenizer, tcfg["mask_probability"], tcfg["seed"])
    batch_size = tcfg["batch_size"]
    batches = [collator([train_ds[i * batch_size + k] for k in range(batch_size)]) for i in range(args.steps + 1)]
    rows = []
    for text in args.shapes:
        shape = parse_shape(text)
        model = RobertaForMaskedLM(phobert_config(tokenizer, shape, cfg["data"]["max_pieces"]))
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
        tokens, seconds = 0, 0.0
        for step, batch in enumerate(batches):
            started = time.perf_counter()
            loss = masked_lm_loss(model, batch)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if step:  # the first step warms up
                seconds += time.perf_counter() - started
                tokens += int(batch["attention_mask"].sum())
        row = {"shape": text, **shape, "parameters": sum(p.numel() for p in model.parameters()),
               "tokens_per_second": tokens / seconds, "batch_size": batch_size,
               "threads": torch.get_num_threads()}
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.output:
        args.output.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
