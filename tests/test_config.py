import pytest

from training.config import load_config, parse_overrides

from .conftest import ROOT


def test_overrides_read_json_values_as_spacy_does():
    assert parse_overrides(["--a.b", "3", "--a.c=x y", "--a.d", "--a.e", '["p", "q"]', "--a.f", "null"]) == {
        "a.b": 3, "a.c": "x y", "a.d": True, "a.e": ["p", "q"], "a.f": None}
    with pytest.raises(ValueError, match="unexpected argument 'stray'"):
        parse_overrides(["stray"])


def test_config_with_overrides():
    cfg = load_config(ROOT / "configs" / "pretrain.cfg", ["--training.max_steps", "7", "--paths.output", "x"])
    assert cfg["training"]["max_steps"] == 7 and cfg["paths"]["output"] == "x"
    with pytest.raises(FileNotFoundError, match="nothing.cfg"):
        load_config(ROOT / "configs" / "nothing.cfg")
