"""Configs in configs/, in spaCy's format, with command-line overrides (`--section.key value`), validated
against their schema (`training.config_schema`): an unknown key or a value of the wrong type is a one-line
error naming the key.

Read with confection, the config system under spaCy.
"""
from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Callable, Type

from confection import Config, ConfigValidationError
from pydantic import BaseModel, ValidationError

from .config_schema import KeyProblem


# the sections of a pipeline's config.cfg that are spaCy's; the others are the training config
PIPELINE_SECTIONS = ("nlp", "components", "initialize")


class ConfigError(ValueError):
    """A config that cannot be used, in one line that names the file or override and the key."""


def parse_overrides(args: list[str]) -> dict:
    """`--section.key value` or `--section.key=value` (a bare flag: true); values read as JSON where they parse,
    as spaCy's CLI reads them."""
    overrides, i = {}, 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--") or "." not in arg:
            raise ConfigError(f"unexpected argument {arg!r}: overrides are written --section.key value")
        key, has_value, value = arg[2:].partition("=")
        if not has_value:
            if i + 1 < len(args) and not args[i + 1].startswith("--"):
                value, i = args[i + 1], i + 1
            else:
                value = "true"
        try:
            overrides[key.replace("-", "_")] = json.loads(value)
        except ValueError:
            overrides[key.replace("-", "_")] = value
        i += 1
    return overrides


def load_config(path: str | Path, overrides: list[str] | dict | None = None,
                schema: Type[BaseModel] | None = None) -> Config:
    """The config at `path` with the overrides (`--section.key value` arguments, or {"section.key": value})
    applied, interpolated and, given its schema, validated: a Config of the validated values (defaults filled in)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"config {path}: no such file")
    values = dict(overrides) if isinstance(overrides, dict) else parse_overrides(overrides or [])
    try:
        check_override_sections(Config().from_disk(path, interpolate=False), values)
        config = Config().from_disk(path, overrides=values, interpolate=True)
    except ConfigValidationError as err:
        raise ConfigError(f"{path}: {' '.join(str(err).split())}") from None
    return validate(config, schema, path, values) if schema else config


def validate(config: dict, schema: Type[BaseModel], source: str | Path = "config", overrides: dict | None = None) -> Config:
    """`config` checked against `schema`: a Config of its validated values, or a ConfigError naming the key
    (and the override that set it, if one did)."""
    try:
        valid = schema.model_validate(dict(config))
    except ValidationError as err:
        raise ConfigError("; ".join(problems(err, schema, source, overrides or {}))) from None
    return Config(valid.model_dump())


def check_override_sections(config: dict, overrides: dict) -> None:
    """An override sets a key of a section the config has (a key it lacks is the schema's to reject)."""
    for key in overrides:
        section, *parts = key.split(".")[:-1]
        found, where = config, []
        for name in [section] + parts:
            if not isinstance(found.get(name), dict):
                close = difflib.get_close_matches(name, [k for k, v in found.items() if isinstance(v, dict)], n=1)
                hint = f" (did you mean --{'.'.join(where + close + key.split('.')[len(where) + 1:])}?)" if close else ""
                raise ConfigError(f"--{key}: the config has no section [{'.'.join(where + [name])}]{hint}")
            found, where = found[name], where + [name]


def field_path(loc: tuple, schema: Type[BaseModel]) -> tuple[list[str], type | None]:
    """The dotted key an error location names (a union member's tag dropped), and the section model holding
    its last part."""
    keys, model, holder = [], schema, None
    for part in loc:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            break
        holder = model
        keys.append(str(part))
        if part not in model.model_fields:
            break
        model = section_model(model.model_fields[part].annotation)
    return keys, holder


def section_model(annotation):
    """The section model a field holds (through Optional), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def problems(err: ValidationError, schema: Type[BaseModel], source, overrides: dict) -> list[str]:
    """One `ORIGIN: KEY: PROBLEM` per key (a value that fits no member of a union: one line with each
    member's expectation)."""
    by_key: dict[str, dict[str, object]] = {}
    # an unknown key first: the likeliest cause of a "missing" one (a typo)
    for e in sorted(err.errors(), key=lambda e: e["type"] != "extra_forbidden"):
        keys, holder = field_path(e["loc"], schema)
        problem, value = (e.get("ctx") or {}).get("error"), ()
        if isinstance(problem, KeyProblem):
            keys, message = [", ".join(".".join(keys + [k]) for k in problem.keys)], problem.message
        elif e["type"] == "extra_forbidden":
            what = "key" if len(keys) > 1 else "section"
            close = difflib.get_close_matches(keys[-1], list(holder.model_fields) if holder else [], n=1)
            message = f"unknown {what}" + (f" (did you mean {'.'.join(keys[:-1] + close)}?)" if close else "")
        elif e["type"] == "missing":
            message = "missing"
        else:
            message, value = e["msg"][0].lower() + e["msg"][1:], (e["input"],)
        found = by_key.setdefault(".".join(keys), {"messages": {}, "value": value})
        found["messages"][message] = None
    lines = []
    for key, found in by_key.items():
        expected = " or ".join(found["messages"]).replace(" or input should be ", " or ")
        value = f", not {found['value'][0]!r}" if found["value"] else ""
        lines.append(f"--{key}: {expected}{value}" if key in overrides else f"{source}: {key}: {expected}{value}")
    return lines


def run_with_config(run: Callable, usage: str, schema: Type[BaseModel], argv: list[str] | None = None) -> int:
    """`python -m training.X CONFIG [--section.key value ...] [--debug]`: load, override, validate, run. A bad
    config is one line on stderr (its traceback with --debug)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("--"):
        print(usage, file=sys.stderr)
        return 2
    run(config_or_exit(argv[0], argv[1:], schema))
    return 0


def config_or_exit(path: str | Path, overrides: list[str], schema: Type[BaseModel]) -> Config:
    """`load_config` for a command line: a bad config exits with its one-line error (its traceback with
    --debug among the overrides)."""
    debug = "--debug" in overrides
    try:
        return load_config(path, [a for a in overrides if a != "--debug"], schema)
    except (ConfigError, FileNotFoundError) as err:
        if debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def write_pipeline_config(pipeline_dir: Path, training_config: dict) -> None:
    """The pipeline's config.cfg says how it was made: spaCy's [nlp] and [components] (what `spacy.load` reads)
    and [initialize] (which `nlp.initialize`, `remove_pipe` and `rename_pipe` read; resolved, as the [paths] it
    pointed into is spaCy's) and, in place of spaCy's default training sections, which this pipeline was not
    trained with, the training config that made it ([paths], [package], [data], [model], [training],
    [relations], [silver])."""
    path = Path(pipeline_dir) / "config.cfg"
    written = Config().from_disk(path, interpolate=True)
    spacy_sections = {k: written[k] for k in PIPELINE_SECTIONS}
    Config({**spacy_sections, **training_config}).to_disk(path)


def resolve_bf16(setting: bool | str) -> bool:
    """`bf16 = "auto"`: on where the hardware has native bf16 (`vietgov.precision`), fp32 elsewhere
    (on a CPU without those instructions bf16 autocast was 25x slower than fp32, measured)."""
    if setting != "auto":
        return bool(setting)
    from vietgov.precision import native_bf16

    return native_bf16()
