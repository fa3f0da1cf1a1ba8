"""The shipped sentence-transformers model written once as ONNX, fp32 and int8.

ONNX Runtime then encodes questions and passages without torch (``kg/onnx_encoder.py``): a
serving process that never imports torch starts seconds sooner and holds a few hundred MB
less. The export reads only the installed model's files (nothing is fetched); it needs torch,
so it runs at set-up (``kg encoder``) or, failing that, at the first ingest or start-up that
asks for an ONNX backend.

The graph exported is the transformer alone (token ids in, token vectors out); mean pooling
and normalisation are the pipeline's own modules (``modules.json``: Transformer, Pooling mean,
Normalize), done in numpy. int8 is ONNX Runtime's dynamic quantisation of the fp32 graph's
weights (what sentence-transformers' ``export_dynamic_quantized_onnx_model`` runs through
optimum): activations are quantised per batch, so no calibration data is needed. Only the
matrix products are quantised, per output channel: per tensor, passage vectors drifted to a
cosine of 0.90 from fp32's on the corpus; per channel they stay above 0.98 (0.991 on average).

Why not optimum itself: optimum-onnx (0.1.0, the only release) requires transformers < 4.58,
and sentence-transformers 6 requires transformers >= 5, so the two cannot be installed
together; the steps it would run are run here directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple


class ExportFiles(NamedTuple):
    """The files of an export folder, by what they hold."""

    fp32: str = "model.onnx"
    int8: str = "model_int8.onnx"
    tokenizer: str = "tokenizer.json"
    meta: str = "encoder.json"


FILES = ExportFiles()
# Raised when what an export writes changes, so older exports are written again.
EXPORT_VERSION = 1


class ExportError(RuntimeError):
    """The model could not be exported: the message says what is missing."""


def model_digest(model_path: Path) -> str:
    """Names and sizes of the model's files: a changed model gets a new export folder."""
    h = hashlib.sha256(f"v{EXPORT_VERSION}".encode())
    for f in sorted(p for p in model_path.rglob("*") if p.is_file()):
        h.update(f"{f.relative_to(model_path)}:{f.stat().st_size}\n".encode())
    return h.hexdigest()[:12]


def export_dir(cache: Path, model_name: str, model_path: Path) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(model_name).name)
    return cache / f"{safe}-{model_digest(model_path)}"


def is_exported(folder: Path, quantized: bool) -> bool:
    names = [FILES.meta, FILES.tokenizer, FILES.fp32] + ([FILES.int8] if quantized else [])
    return all((folder / n).is_file() for n in names)


def read_pipeline(model_path: Path) -> dict:
    """What the sentence-transformers pipeline does around the transformer."""
    modules = json.loads((model_path / "modules.json").read_text())
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or set(kinds[2:]) - {"Normalize"}:
        raise ExportError(f"unsupported sentence-transformers pipeline {kinds}")
    pooling_dir = model_path / next(m["path"] for m in modules if m["type"].endswith("Pooling"))
    pooling = json.loads((pooling_dir / "config.json").read_text())
    if not pooling.get("pooling_mode_mean_tokens") or any(
        v
        for k, v in pooling.items()
        if k.startswith("pooling_mode_")
        and k.endswith(("cls_token", "max_tokens", "mean_sqrt_len_tokens"))
    ):
        raise ExportError(f"only mean pooling is exported, not {pooling}")
    config = json.loads((model_path / "sentence_bert_config.json").read_text())
    return {
        "dimension": int(pooling["word_embedding_dimension"]),
        "max_seq_length": int(config.get("max_seq_length", 256)),
        "normalize": "Normalize" in kinds,
        "do_lower_case": bool(config.get("do_lower_case", False)),
    }


def export(model_path: Path, folder: Path, quantized: bool = True) -> Path:
    """Write ``folder`` (fp32 graph, int8 graph, tokenizer, pipeline) atomically; it is
    complete or absent, so two processes exporting at once both end with a whole one."""
    if is_exported(folder, quantized):
        return folder
    if not (model_path / FILES.tokenizer).is_file():
        raise ExportError(f"{model_path} has no {FILES.tokenizer} (a fast tokenizer is needed)")
    pipeline = read_pipeline(model_path)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        _export_fp32(model_path, work / FILES.fp32)
        if quantized:
            _quantize(work / FILES.fp32, work / FILES.int8)
        shutil.copy2(model_path / FILES.tokenizer, work / FILES.tokenizer)
        meta = {**pipeline, "source": str(model_path), "export_version": EXPORT_VERSION}
        (work / FILES.meta).write_text(json.dumps(meta, indent=2))
        work.chmod(0o755)
        if folder.exists():  # an incomplete or older export
            shutil.rmtree(folder, ignore_errors=True)
        try:
            os.replace(work, folder)
        except OSError:  # another process finished first: its export is the same
            if not is_exported(folder, quantized):
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


@contextlib.contextmanager
def _quiet():
    """The exporters' advice (tracer warnings, "consider pre-processing") is not the user's."""
    import warnings

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quiet():
        quantize_dynamic(
            source,
            target,
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
        )


def _export_fp32(model_path: Path, target: Path) -> None:
    import transformers
    from transformers import AutoModel

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(model_path)).eval()
    export_graph(model, target, "last_hidden_state", "token_embeddings", {0: "batch", 1: "tokens"})


def export_graph(model, target: Path, field: str, output: str, axes: dict[int, str]) -> None:
    """Write a BERT-style transformers model as an ONNX graph of its three token inputs and
    one output: the ``field`` of what it returns, named ``output``, varying along ``axes``."""
    import torch

    inputs = {
        "input_ids": torch.ones((1, 8), dtype=torch.long),
        "attention_mask": torch.ones((1, 8), dtype=torch.long),
        "token_type_ids": torch.zeros((1, 8), dtype=torch.long),
    }
    dynamic = {name: {0: "batch", 1: "tokens"} for name in inputs}

    class Tokens(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            returned = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return getattr(returned, field)

    with torch.no_grad(), _quiet():
        torch.onnx.export(
            Tokens(model),
            tuple(inputs.values()),
            str(target),
            input_names=list(inputs),
            output_names=[output],
            dynamic_axes={**dynamic, output: axes},
            opset_version=17,
            dynamo=False,
        )
