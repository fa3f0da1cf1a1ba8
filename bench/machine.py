"""What machine a benchmark ran on: every results section names it."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def nproc() -> str:
    """`nproc` itself, not os.cpu_count(): it honours the CPU affinity the process really has."""
    return subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
