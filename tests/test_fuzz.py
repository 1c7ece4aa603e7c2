"""A short run of the fuzz harness (`make fuzz` runs 10,000 inputs through the shipped pipeline)."""
from .fuzz import check_doc, fuzz, make_input, seed_texts


def test_fuzz_finds_nothing_wrong(nlp, trained):
    result = fuzz(nlp, str(trained[0] / "pipeline"), n=80, seed=1, n_process=1, cli_every=4)
    assert result["failures"] == []


def test_the_checks_can_fail(nlp):
    import random

    doc = nlp("Bí thư Dương Anh Đức")
    assert check_doc(doc, "Bí thư Dương Anh Đức") == []
    assert check_doc(doc, "Bí thư Dương Anh Đức.") == ["doc.text differs from the input"]
    texts = seed_texts()
    assert len({make_input(random.Random(i), texts) for i in range(20)}) > 15
