"""Documents read in a worker thread, ahead of the caller, who encodes what is already read.

Encoding is nearly all of a cold ingest, and ONNX Runtime and torch release the GIL while a
batch runs: so the reading (load, clean, split, link: pure Python) goes on in another thread
while the caller's thread encodes, and a cold ingest takes little more than its encoding.
Outcomes come back in the sources' order, a document's error in its place, so what the caller
does with them (reject, keep, encode) is what a sequential loop would do.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from .model import DocumentError

T = TypeVar("T")
S = TypeVar("S")


@dataclass
class Outcome(Generic[S, T]):
    """A source and what reading it gave: a value, or the DocumentError that names its fault."""

    source: S
    value: T | None = None
    error: DocumentError | None = None

    def get(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


_END = object()


def read_ahead(sources: list[S], read: Callable[[S], T]) -> Iterator[Outcome[S, T]]:
    """``read(source)`` for every source, in a worker thread, yielded in order as each is done.

    Any other exception than a DocumentError is raised here, in the caller's thread. When the
    caller stops early (``--strict``, an error of its own), the worker stops after the document
    it is reading and is waited for: no thread outlives the loop.
    """
    results: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for source in sources:
                if stop.is_set():
                    return
                try:
                    results.put(Outcome(source, value=read(source)))
                except DocumentError as exc:
                    results.put(Outcome(source, error=exc))
        except BaseException as exc:  # handed to the caller, who raises it
            results.put(exc)
        finally:
            results.put(_END)

    worker = threading.Thread(target=work, name="kg-read", daemon=True)
    worker.start()
    try:
        while (item := results.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()
