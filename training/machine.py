"""What a run ran on, recorded beside its measurements: model cards quote it instead of assuming it."""
from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine() -> dict:
    """CPU model, CPUs this process may use, torch's threads and the accelerator, if any."""
    import torch

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu_model(), "cpus": usable, "torch_threads": torch.get_num_threads(),
            "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"}


def describe_machine(facts: dict | None) -> str:
    """`2 CPUs (Intel Xeon), 2 torch threads`, or the accelerator; "" where nothing was recorded."""
    if not facts:
        return ""
    if facts.get("device", "cpu") != "cpu":
        return facts["device"]
    return f"{facts['cpus']} CPUs ({facts['cpu']}), {facts['torch_threads']} torch threads"
