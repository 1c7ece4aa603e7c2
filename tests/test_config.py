import json

import pytest
from confection import Config

from training.config import PIPELINE_SECTIONS, ConfigError, load_config, parse_overrides
from training.config_schema import PretrainConfig, RowScorerConfig, SilverConfig, TrainConfig

from .conftest import ROOT

CONFIGS = ROOT / "configs"
SCHEMAS = {"pretrain.cfg": PretrainConfig, "silver.cfg": SilverConfig, "row-scorer.cfg": RowScorerConfig}
SHIPPED = ROOT / "models" / "vi_vietgov_default"


def test_overrides_read_json_values_as_spacy_does():
    assert parse_overrides(["--a.b", "3", "--a.c=x y", "--a.d", "--a.e", '["p", "q"]', "--a.f", "null"]) == {
        "a.b": 3, "a.c": "x y", "a.d": True, "a.e": ["p", "q"], "a.f": None}
    with pytest.raises(ConfigError, match="unexpected argument 'stray'"):
        parse_overrides(["stray"])


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.cfg")), ids=lambda p: p.name)
def test_every_config_validates(path):
    cfg = load_config(path, schema=SCHEMAS.get(path.name, TrainConfig))
    if path.name == "silver.cfg":
        load_config(ROOT / cfg["silver"]["base"], schema=TrainConfig)


def test_nested_overrides_win_and_keep_their_type():
    cfg = load_config(CONFIGS / "pretrain.cfg", ["--training.max_steps", "7", "--paths.output", "x"], PretrainConfig)
    assert cfg["training"]["max_steps"] == 7 and cfg["paths"]["output"] == "x"
    cfg = load_config(CONFIGS / "tiny.cfg", {"relations.threshold": 0.7, "model.hidden_size": 16}, TrainConfig)
    assert cfg["relations"]["threshold"] == 0.7 and cfg["model"]["hidden_size"] == 16
    assert cfg["training"]["epochs"] == load_config(CONFIGS / "tiny.cfg")["training"]["epochs"]
    with pytest.raises(FileNotFoundError, match="nothing.cfg"):
        load_config(CONFIGS / "nothing.cfg")


def train_cli_error(capsys, *args) -> str:
    from training.train import main

    with pytest.raises(SystemExit) as stop:
        main([str(CONFIGS / "default.cfg"), *args])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_a_typo_in_an_override_is_an_error_naming_the_key(capsys):
    err = train_cli_error(capsys, "--training.epoch", "5")
    assert "training.epoch:" in err and "did you mean training.epochs?" in err
    assert "training.epochs" in train_cli_error(capsys, "--trainin.epochs", "5")  # a section's typo too


def test_a_wrong_type_is_an_error_naming_the_key_and_type(capsys):
    err = train_cli_error(capsys, "--training.epochs", "five")
    assert "training.epochs" in err and "integer" in err and "'five'" in err
    with pytest.raises(ConfigError, match=r"relations\.method: input should be 'model' or 'rules', not 'rule'"):
        load_config(CONFIGS / "default.cfg", ["--relations.method", "rule"], TrainConfig)


def test_a_typo_in_a_file_is_an_error_naming_file_and_key(tmp_path):
    path = tmp_path / "typo.cfg"
    path.write_text((CONFIGS / "tiny.cfg").read_text(encoding="utf-8").replace("\nepochs = ", "\nepoch = ", 1),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"typo.cfg: training.epoch: unknown key \(did you mean training.epochs\?\)"):
        load_config(path, schema=TrainConfig)


@pytest.mark.parametrize("config, overrides, problem", [
    # a pretrained encoder brings its shape and tokenizer: a shape beside it would be ignored
    ("default.cfg", {"model.hidden_size": 16}, "model.hidden_size: unused when model.name_or_path is set"),
    ("tiny.cfg", {"model.num_hidden_layers": None}, "model.num_hidden_layers: required when model.name_or_path is null"),
    ("tiny.cfg", {"model.tokenizer": "x"}, "set either tokenizer .* or bpe_vocab_size"),
    ("tiny.cfg", {"relations.encoder_learning_rate": 0.1}, 'encoder_learning_rate: unused when relations.encoder = "shared"'),
    ("tiny.cfg", {"relations.encoder": "separate"}, 'encoder_learning_rate: required when relations.encoder = "separate"'),
    ("pretrain.cfg", {"model.init_from": "x", "model.bpe_corpus": None},
     "model.bpe_vocab_size, model.hidden_size, .*model.intermediate_size: unused when model.init_from is set"),
    ("tiny.cfg", {"paths.ship": ""}, 'paths.ship: empty: "none" is written null'),
])
def test_values_that_would_be_ignored_are_errors(config, overrides, problem):
    with pytest.raises(ConfigError, match=problem):
        load_config(CONFIGS / config, overrides, SCHEMAS.get(config, TrainConfig))


def test_windows_have_one_source():
    """max_pieces and stride are the entity recognizer's own settings: no config repeats them."""
    import spacy

    import vietgov.ner  # noqa: F401

    defaults = spacy.language.Language.get_factory_meta("vietgov_ner").default_config
    for path in CONFIGS.glob("*.cfg"):
        data = Config().from_disk(path, interpolate=False).get("data", {})
        assert not {"max_pieces", "stride"} & set(data), path
    for config, schema in (("default.cfg", TrainConfig), ("pretrain.cfg", PretrainConfig)):
        assert load_config(CONFIGS / config, schema=schema)["data"]["max_pieces"] == defaults["max_pieces"]
    assert load_config(CONFIGS / "tiny.cfg", schema=TrainConfig)["data"]["stride"] == defaults["stride"]


def training_sections(pipeline_dir) -> dict:
    written = Config().from_disk(pipeline_dir / "config.cfg", interpolate=False)
    return {k: v for k, v in written.items() if k not in PIPELINE_SECTIONS}


def test_a_trained_pipeline_config_is_its_training_config(trained):
    out, metrics = trained
    assert training_sections(out / "pipeline") == metrics["config"]
    assert metrics["config"]["training"]["epochs"] == load_config(CONFIGS / "tiny.cfg")["training"]["epochs"]


def test_the_shipped_config_is_how_it_was_trained():
    import spacy

    sections = training_sections(SHIPPED)
    assert sections == json.loads((SHIPPED / "metrics.json").read_text(encoding="utf-8"))["config"]
    shipped = load_config(SHIPPED / "config.cfg", {}, None)
    TrainConfig.model_validate({k: v for k, v in shipped.items() if k not in PIPELINE_SECTIONS})
    # `make train` reproduces it, or `make silver` on default.cfg: default.cfg's settings (silver adds train files)
    default = load_config(CONFIGS / "default.cfg", schema=TrainConfig)
    for section in ("data", "model", "relations", "package"):
        assert sections[section] == default[section], section
    assert {**sections["training"], "resume": False} == default["training"]
    assert sections.get("silver", {"base": "configs/default.cfg"})["base"] == "configs/default.cfg"
    nlp = spacy.load(SHIPPED)
    assert nlp.pipe_names == ["vietgov_ner", "vietgov_relation_model"]
    assert nlp.get_pipe("vietgov_ner").cfg["max_pieces"] == sections["data"]["max_pieces"]
