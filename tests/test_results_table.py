"""The README's results table is the shipped pipeline's evaluation files, number for number."""
import json
from pathlib import Path

import pytest

from training.results_table import END, START, main, replace_block, results_table

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "vi_vietgov_default"


def test_readme_holds_the_shipped_evaluation_files(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["models/vi_vietgov_default", "--readme", "README.md", "--check"]) == 0, "run `make readme-table`"


def test_table_reads_the_files(tmp_path):
    scores = json.loads((SHIPPED / "evaluation-real.json").read_text(encoding="utf-8"))
    scores["entities"]["micro"]["f1"] = 0.12345
    scores["entities"]["per_label"]["UNIT"]["f1"] = 0.5
    scores.pop("relations"), scores.pop("canonical")
    (tmp_path / "evaluation-real.json").write_text(json.dumps(scores), encoding="utf-8")
    table = results_table(tmp_path)
    assert "**0.123**" in table and "| 0.500 |" in table and "Relations" not in table and "Canonical" not in table


def test_markers_are_required(tmp_path):
    assert replace_block(f"a\n{START}\nold\n{END}\nb", "new") == f"a\n{START}\nnew\n{END}\nb"
    with pytest.raises(SystemExit, match="markers"):
        replace_block("no markers", "new")
    with pytest.raises(SystemExit, match="make evaluate"):
        results_table(tmp_path)
