"""Officials, titles, units and figures in Vietnamese party and state news, as a spaCy pipeline."""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

DEFAULT_PIPELINE = "vi_vietgov_default"


def load(name: str | Path | None = None, **kwargs):
    """`spacy.load` the given pipeline, or the shipped default (installed package or models/ in a checkout)."""
    import spacy

    from . import ner, relation_model, relation_rules  # noqa: F401  factories and extensions, also without entry points

    if name is None:
        checkout = Path(__file__).resolve().parents[1] / "models" / DEFAULT_PIPELINE
        if spacy.util.is_package(DEFAULT_PIPELINE):
            name = DEFAULT_PIPELINE
        elif checkout.exists():
            name = checkout
        else:
            raise OSError(
                f"no default pipeline: install the {DEFAULT_PIPELINE} package (make package) "
                "or pass the path of a trained pipeline")
    return spacy.load(name, **kwargs)


def __getattr__(name: str):
    # `vietgov.words_doc(nlp, words)`: a Doc of already segmented words; imported on use, as spaCy is
    if name == "words_doc":
        from .words import words_doc

        return words_doc
    raise AttributeError(f"module 'vietgov' has no attribute {name!r}")
