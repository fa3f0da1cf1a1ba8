"""Passages into vectors in a worker thread, chunk by chunk, while later documents are read.

Encoding is nearly all of a cold ingest, and ONNX Runtime and torch release the GIL while a
batch runs: so the thread that reads, cleans, splits and links the next documents (and then
builds the graph) runs beside the encoder on another core instead of before it, and a cold
ingest takes little more than the encoding alone. The chunks are the ones a sequential ingest
cuts (the passages to encode, in order, ``chunk`` at a time, the last one short), and an
encoder's batches depend only on the texts of its chunk, so every vector is the same.

A vector of the build being served whose text and encoder are unchanged is reused, not encoded.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from kg import build as builds
from kg.config import Settings
from kg.embed import Encoder

from .model import Passage
from .progress import Progress


def embed_key(identity: dict[str, str], text: str) -> str:
    """The content hash a vector is reused by: the text and what encoded it (torch's key is
    the model alone, as before backends could be chosen, so its earlier vectors still count)."""
    maker = identity["model"]
    if identity["backend"] != "torch":
        maker += f"\n{identity['backend']}"
    return hashlib.sha1(f"{maker}\n{text}".encode()).hexdigest()


def previous_vectors(settings: Settings) -> dict[str, np.ndarray]:
    """Embeddings of the build being served, by content hash, so unchanged text is not re-encoded."""
    try:
        prev = builds.open_current(settings.data_dir)
        rows = prev.passages()
        matrix = np.load(prev.file(builds.EMBEDDINGS))
    except (builds.BuildError, OSError, ValueError):
        return {}
    return {row.embed_key: matrix[i] for i, row in enumerate(rows) if row.embed_key}


@dataclass
class Embeddings:
    """A vector for every passage added, in the order added, and the key each is reused by."""

    matrix: np.ndarray
    keys: list[str]
    embedded: int
    reused: int


@dataclass
class _Chunk:
    rows: list[int]  # the passages it encodes, by their place in the order added
    vectors: Future[np.ndarray]


class ChunkedEncoding:
    """Takes each document's passages as it is parsed; a chunk is encoded as soon as it is full.

    Use it as a context manager: on leaving, chunks not started are dropped and the one being
    encoded is waited for, so no thread of an ingest outlives it, however the ingest ended.
    """

    def __init__(self, encoder: Encoder, reusable: dict[str, np.ndarray], chunk: int) -> None:
        self.encoder = encoder
        self.reusable = reusable
        self.chunk = chunk
        self.keys: list[str] = []
        self._waiting: list[tuple[int, str]] = []  # (row, text) to encode, not yet in a chunk
        self._chunks: list[_Chunk] = []
        self._checked = 0  # chunks known to have succeeded: the worker runs them in order
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-encode")

    def __enter__(self) -> ChunkedEncoding:
        return self

    def __exit__(self, *exc: object) -> None:
        self._worker.shutdown(wait=True, cancel_futures=True)

    def add(self, passages: list[Passage]) -> None:
        """Queue a document's passages; raises at once what a finished chunk raised."""
        identity = self.encoder.identity
        for passage in passages:
            text = passage.embed_text
            key = embed_key(identity, text)
            if key not in self.reusable:
                self._waiting.append((len(self.keys), text))
            self.keys.append(key)
        while len(self._waiting) >= self.chunk:
            self._submit(self._waiting[: self.chunk])
            del self._waiting[: self.chunk]
        self._raise_failed()

    def _submit(self, waiting: list[tuple[int, str]]) -> None:
        texts = [text for _, text in waiting]
        vectors = self._worker.submit(self.encoder.encode, texts)
        self._chunks.append(_Chunk([row for row, _ in waiting], vectors))

    def _raise_failed(self) -> None:
        """A chunk that failed (the model would not load, say) stops the reading early."""
        while self._checked < len(self._chunks) and self._chunks[self._checked].vectors.done():
            self._chunks[self._checked].vectors.result()
            self._checked += 1

    def finish(self, quiet: bool = False) -> Embeddings:
        """Every vector, once the last (short) chunk is encoded; progress as chunks come back."""
        if self._waiting:
            self._submit(self._waiting)
            self._waiting = []
        todo = sum(len(chunk.rows) for chunk in self._chunks)
        if todo or not self.reusable:
            dim = self.encoder.dimension
        else:
            dim = len(next(iter(self.reusable.values())))
        matrix = np.zeros((len(self.keys), dim), dtype="float32")
        progress = Progress(todo, "embedding", "passages", quiet)
        for chunk in self._chunks:
            matrix[chunk.rows] = chunk.vectors.result()
            progress.advance(len(chunk.rows))
        progress.close()
        encoded = {row for chunk in self._chunks for row in chunk.rows}
        for row, key in enumerate(self.keys):
            if row not in encoded:
                matrix[row] = self.reusable[key]
        return Embeddings(matrix, self.keys, todo, len(self.keys) - todo)
