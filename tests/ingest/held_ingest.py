"""``kg ingest`` that marks its progress in files and waits at one point, for the killed-ingest
test.

Usage: ``python -m tests.ingest.held_ingest MARKS HOLD kg-arguments...``. It touches
``MARKS/encoding`` when it starts embedding and ``MARKS/publishing`` when every file of the
build is written, and at the one named by HOLD it waits instead of carrying on. It never
publishes. The test kills it at a mark, so the kill lands where it is meant to on a machine of
any speed, and never after the build has been published.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from kg import build
from kg.cli import main
from kg.embed import Encoder

POINTS = ("encoding", "publishing")


def hold(marks: Path, point: str) -> None:
    if point not in POINTS:
        raise SystemExit(f"HOLD is one of {POINTS}, not {point!r}")

    def reached(name: str) -> None:
        (marks / name).touch()
        if name == point:
            threading.Event().wait()  # until killed

    encode = Encoder.encode

    def encode_after_the_mark(self: Encoder, texts: list[str], batch_size: int | None = None):
        reached("encoding")
        return encode(self, texts, batch_size)

    def never_publish(data_dir: Path, tmp: Path, manifest: dict) -> build.Build:
        reached("publishing")
        threading.Event().wait()
        raise AssertionError("unreachable")

    Encoder.encode = encode_after_the_mark
    build.publish = never_publish


if __name__ == "__main__":
    hold(Path(sys.argv[1]), sys.argv[2])
    sys.exit(main(sys.argv[3:]))
