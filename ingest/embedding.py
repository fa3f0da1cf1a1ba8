"""Passages into vectors, a chunk at a time, as soon as the passages read make a chunk.

The chunks are the ones a sequential ingest cuts (the passages to encode, in order, ``chunk``
at a time, the last one short), and an encoder's batches depend only on the texts of its chunk,
so every vector is the same whenever its chunk is encoded. The encoding runs in the caller's
thread while the documents after the chunk are read in another (ingest/read_ahead.py), not the
other way round: the same chunk of 128 passages encoded by ONNX Runtime in a worker thread took
twice the page faults and system time of the main thread's (330,000 faults against 160,000),
which cost more than the reading the overlap saves.

A vector of the build being served whose text and encoder are unchanged is reused, not encoded.
"""

from __future__ import annotations

import hashlib
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


class ChunkedEncoding:
    """Takes each document's passages as it is read; encodes a chunk as soon as it is full."""

    def __init__(self, encoder: Encoder, reusable: dict[str, np.ndarray], chunk: int) -> None:
        self.encoder = encoder
        self.reusable = reusable
        self.chunk = chunk
        self.keys: list[str] = []
        self._waiting: list[tuple[int, str]] = []  # (row, text) to encode, not yet in a chunk
        self._encoded: dict[int, np.ndarray] = {}  # row -> vector

    def add(self, passages: list[Passage]) -> None:
        """Queue a document's passages, and encode every chunk they fill."""
        identity = self.encoder.identity
        for passage in passages:
            text = passage.embed_text
            key = embed_key(identity, text)
            if key not in self.reusable:
                self._waiting.append((len(self.keys), text))
            self.keys.append(key)
        while len(self._waiting) >= self.chunk:
            self._encode(self._waiting[: self.chunk])
            del self._waiting[: self.chunk]

    def _encode(self, waiting: list[tuple[int, str]]) -> None:
        vectors = self.encoder.encode([text for _, text in waiting])
        self._encoded.update(zip((row for row, _ in waiting), vectors, strict=True))

    def finish(self, quiet: bool = False) -> Embeddings:
        """Every vector, once the last (short) chunk is encoded."""
        todo = len(self._encoded) + len(self._waiting)
        progress = Progress(todo, "embedding", "passages", quiet)
        progress.advance(len(self._encoded))
        if self._waiting:
            self._encode(self._waiting)
            progress.advance(len(self._waiting))
            self._waiting = []
        progress.close()
        if todo or not self.reusable:
            dim = self.encoder.dimension
        else:
            dim = len(next(iter(self.reusable.values())))
        matrix = np.zeros((len(self.keys), dim), dtype="float32")
        for row, key in enumerate(self.keys):
            matrix[row] = self._encoded[row] if row in self._encoded else self.reusable[key]
        return Embeddings(matrix, self.keys, todo, len(self.keys) - todo)
