"""The configuration of a PhoBERT-architecture encoder of a given shape."""
from __future__ import annotations


def phobert_config(tokenizer, shape: dict, max_pieces: int, **extra):
    """A RobertaConfig with PhoBERT's conventions for the given layers/hidden/heads/feed-forward sizes."""
    from transformers import RobertaConfig

    return RobertaConfig(
        vocab_size=len(tokenizer), hidden_size=shape["hidden_size"], num_hidden_layers=shape["num_hidden_layers"],
        num_attention_heads=shape["num_attention_heads"], intermediate_size=shape["intermediate_size"],
        # PhoBERT: 256 pieces + RoBERTa's position offset of 2
        max_position_embeddings=max_pieces + 4, type_vocab_size=1, layer_norm_eps=1e-5,
        pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.cls_token_id,
        eos_token_id=tokenizer.sep_token_id, tokenizer_class="PhobertTokenizer", **extra,
    )
