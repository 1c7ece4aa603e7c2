"""`vietgov_ner.precision`: bf16 only where the hardware has it natively, and the same entities as fp32."""
import pytest
import spacy

from vietgov import precision
from vietgov.records import read_jsonl

from .conftest import DATA


@pytest.mark.parametrize("flags, expected", [
    (set(), "fp32"),
    ({"avx2", "avx512f", "avx512bw"}, "fp32"),  # AVX-512 without bf16 instructions: emulated, slow
    ({"avx512f", "avx512_bf16"}, "bf16"),
    ({"amx_bf16", "amx_tile"}, "bf16"),
])
def test_auto_resolves_by_the_cpus_flags(monkeypatch, flags, expected):
    monkeypatch.setattr(precision, "cpu_flags", lambda: flags)
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    assert precision.resolve_precision("auto") == expected
    assert precision.resolve_precision("fp32") == "fp32" and precision.resolve_precision("bf16") == "bf16"


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu avx2 amx_bf16\nbugs\t: x\n")
    assert precision.cpu_flags(info) == {"fpu", "avx2", "amx_bf16"}
    assert precision.cpu_flags(tmp_path / "missing") == set()


def test_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="precision must be one of"):
        precision.resolve_precision("fp16")


def test_forced_bf16_finds_the_same_entities_as_fp32(trained):
    texts = [r.text for r in read_jsonl(DATA / "train.jsonl")]
    found = {}
    for setting in ("fp32", "bf16"):
        nlp = spacy.load(trained[0] / "pipeline", config={"components": {"vietgov_ner": {"precision": setting}}})
        assert nlp.get_pipe("vietgov_ner").precision == setting
        found[setting] = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    # agreement, not identity: a tiny model's near-ties may fall either way in bf16
    same = sum(len(set(a) & set(b)) for a, b in zip(found["fp32"], found["bf16"]))
    total = sum(len(a) + len(b) for a, b in zip(found["fp32"], found["bf16"]))
    assert any(found["fp32"]) and 2 * same / total >= 0.95


def test_int8_runs_in_fp32(monkeypatch):
    from spacy.vocab import Vocab

    from vietgov.ner import PhoBertEntityRecognizer

    monkeypatch.setattr(precision, "cpu_flags", lambda: {"amx_bf16"})
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    assert PhoBertEntityRecognizer(Vocab(), precision="auto").precision == "bf16"
    assert PhoBertEntityRecognizer(Vocab(), quantize=True, precision="auto").precision == "fp32"
    with pytest.raises(ValueError, match="int8 layers in fp32"):
        PhoBertEntityRecognizer(Vocab(), quantize=True, precision="bf16")
