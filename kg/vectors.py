"""The FAISS index of passage embeddings: written by ingest, searched by the service."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


def build_index(vectors: np.ndarray) -> faiss.Index:
    """Exact inner-product search: the shipped corpus is small enough to need nothing coarser."""
    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype="float32"))
    return index


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))


def search(index: faiss.Index, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(row, cosine) pairs, best first."""
    if index.ntotal == 0:
        return []
    k = min(k, index.ntotal)
    scores, rows = index.search(np.asarray(query, dtype="float32").reshape(1, -1), k)
    return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
