"""Progress of a long ingest: a tqdm bar (count, rate, ETA) when stderr is a terminal, a plain
line at every tenth of the work otherwise (logs stay readable), nothing when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self, total: int, label: str, unit: str, quiet: bool = False, stream: TextIO | None = None
    ) -> None:
        self.total, self.label, self.unit = total, label, unit
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.perf_counter()
        self._next_line = 0.1
        self._bar = None
        self.quiet = quiet or total == 0
        if not self.quiet and self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=label, unit=f" {unit}", file=self.stream)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.update(n)
            return
        share = self.done / self.total
        if share >= self._next_line or self.done >= self.total:
            while self._next_line <= share:
                self._next_line += 0.1
            elapsed = time.perf_counter() - self.started
            eta = elapsed / share - elapsed if share else 0.0
            print(
                f"{self.label}: {self.done}/{self.total} {self.unit} "
                f"({elapsed:.0f}s, about {eta:.0f}s left)",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
