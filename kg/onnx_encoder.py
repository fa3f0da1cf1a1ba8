"""Sentence embeddings by ONNX Runtime and the model's own fast tokenizer: no torch.

The same steps as the sentence-transformers pipeline (``kg/onnx_export.py`` reads them from
the model): tokenise with truncation at the model's maximum length, run the transformer, mean
of the token vectors under the attention mask, then L2 normalisation. Texts are encoded in
batches of similar length, as sentence-transformers does, so padding costs little.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .onnx_export import FILES


class OnnxEncoder:
    def __init__(self, folder: Path, quantized: bool, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((folder / FILES.meta).read_text())
        self.dimension = int(meta["dimension"])
        self.normalize = bool(meta["normalize"])
        self.lower = bool(meta.get("do_lower_case", False))
        self.tokenizer = Tokenizer.from_file(str(folder / FILES.tokenizer))
        self.tokenizer.enable_truncation(int(meta["max_seq_length"]))
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # The arena keeps the largest buffers any batch shape needed: after an ingest's
        # batches of long passages, 800 MB more than without it (measured over the corpus),
        # for no gain a question of a few tokens can measure.
        options.enable_cpu_mem_arena = False
        self.session = ort.InferenceSession(
            str(folder / (FILES.int8 if quantized else FILES.fp32)),
            options,
            providers=["CPUExecutionProvider"],
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype="float32")
        if not texts:
            return out
        texts = [t.lower() for t in texts] if self.lower else list(texts)
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        for lo in range(0, len(order), batch_size):
            rows = order[lo : lo + batch_size]
            out[rows] = self._run([encodings[i] for i in rows])
        return out

    def _run(self, encodings: list) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for i, e in enumerate(encodings):
            n = len(e.ids)
            ids[i, :n] = e.ids
            mask[i, :n] = e.attention_mask
            types[i, :n] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        tokens = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        if self.normalize:
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled.astype(np.float32)
