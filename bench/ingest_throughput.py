"""Ingest throughput of two checkouts of the project on the shipped corpus, in one run, as a
ratio: "before" and "after" alternate, each in its own process, so a busy machine slows both.

    python -m bench.ingest_throughput BEFORE_ROOT [AFTER_ROOT] [--rounds 5] [--full]

The default stage is reading: every corpus file through load, clean, document, split and link
(what the readers changed), three passes a process. ``--full`` times whole ``kg ingest`` runs
into fresh data folders instead, embedding included.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READ_STAGE = """
import time
from ingest.pipeline import parse_file
from ingest.load import discover
from kg.config import Settings
from kg.entities import EntityIndex
from kg.registry import load_registry
s = Settings()
r = load_registry(s.ontology_dir, s.id_base)
index = EntityIndex(r.records + r.gazetteer)
files = discover(s.corpus)
start = time.perf_counter()
for _ in range(3):
    n = sum(len(parse_file(f, s, index).passages) for f in files)
print(time.perf_counter() - start, n)
"""


def read_stage(root: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", READ_STAGE], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0])


def full_ingest(root: Path) -> float:
    with tempfile.TemporaryDirectory() as data:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "ingest", "--data-dir", data],
            cwd=root,
            capture_output=True,
            check=True,
            env={"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
        )
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?", default=Path(__file__).parent.parent)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    measure = full_ingest if args.full else read_stage
    times: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        for name in ("before", "after"):
            times[name].append(measure(getattr(args, name)))
    b, a = statistics.median(times["before"]), statistics.median(times["after"])
    stage = "kg ingest" if args.full else "read stage (3 passes over the corpus)"
    print(
        f"{stage}: before {b:.2f} s, after {a:.2f} s (medians of {args.rounds}), "
        f"after/before {a / b:.2f}"
    )
    print("before:", " ".join(f"{t:.2f}" for t in times["before"]))
    print("after: ", " ".join(f"{t:.2f}" for t in times["after"]))


if __name__ == "__main__":
    main()
