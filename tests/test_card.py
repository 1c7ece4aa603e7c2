"""Model cards state the machine and batch a file recorded, and nothing where none was."""
from training.card import shapes_table
from training.machine import describe_machine, machine


def test_machine_is_read_not_assumed():
    assert describe_machine(None) == "" and describe_machine({}) == ""
    facts = machine()
    assert facts["cpus"] >= 1 and facts["torch_threads"] >= 1 and facts["cpu"]
    assert describe_machine({"cpu": "Some CPU", "cpus": 3, "torch_threads": 3, "device": "cpu"}) == \
        "3 CPUs (Some CPU), 3 torch threads"
    assert describe_machine({**facts, "device": "NVIDIA H200"}) == "NVIDIA H200"


def test_shapes_table_reports_the_recorded_batch():
    row = {"shape": "4x256", "parameters": 10, "tokens_per_second": 100.0, "threads": 2}
    assert "| 4x256 | 10 | not recorded | 2 | 100 |" in shapes_table([row])
    assert "| 4x256 | 10 | 7 | 2 | 100 |" in shapes_table([{**row, "batch_size": 7}])
    assert "batch 32" not in shapes_table([row])
