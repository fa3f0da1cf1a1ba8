"""Fine-tune the answer reader (``reader.py``) on this machine and install it in a data folder.

A one-logit cross-encoder starts from the shipped all-MiniLM-L6-v2 weights (its classification
head new) and is trained with binary cross-entropy on ``reader_pairs``: a plain torch loop,
10 to 15 minutes on two cores for the shipped question sets. Nothing is downloaded.

The reader is kept under ``readers/<key>/``, the key a digest of the model, the settings of
the loop and every pair; training again from the same pairs reuses it.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from .reader import (
    FOLDER,
    GRAPH,
    MANIFEST,
    MAX_LENGTH,
    TOKENIZER,
    ReaderInfo,
    asked_part,
    install,
)
from .reader_pairs import Pair, PairError

BATCH = 16
LEARNING_RATE = 3e-5
SEED = 0
INPUT = "asked part"  # what of the question the model reads (reader.asked_part): in the key


def key_of(model: str, pairs: Sequence[Pair], epochs: int) -> str:
    digest = hashlib.sha256()
    settings = [model, BATCH, LEARNING_RATE, SEED, MAX_LENGTH, INPUT, epochs]
    digest.update(json.dumps(settings).encode())
    for pair in pairs:
        digest.update(json.dumps(pair.as_dict(), sort_keys=True).encode())
    return digest.hexdigest()[:20]


def _encoded(tokenizer, batch: Sequence[Pair]):
    """A batch as the model reads it: question and sentence as one pair, padded to the longest."""
    return tokenizer(
        [asked_part(p.question) for p in batch],
        [p.sentence for p in batch],
        truncation=True,
        max_length=MAX_LENGTH,
        padding=True,
        return_tensors="pt",
    )


def train_model(
    model_path: str,
    pairs: Sequence[Pair],
    epochs: int,
    progress: Callable[[int, int], None] | None = None,
):
    """The fine-tuned model and its tokenizer."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    torch.manual_seed(SEED)
    order = random.Random(SEED)
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # "some weights are newly initialized": the head, as meant
    try:
        model = AutoModelForSequenceClassification.from_pretrained(model_path, num_labels=1)
    finally:
        hf_logging.set_verbosity(verbosity)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    loss = torch.nn.BCEWithLogitsLoss()
    items = list(pairs)
    steps = epochs * ((len(pairs) + BATCH - 1) // BATCH)
    done = 0
    model.train()
    for _ in range(epochs):
        order.shuffle(items)
        for i in range(0, len(items), BATCH):
            batch = items[i : i + BATCH]
            logits = model(**_encoded(tokenizer, batch)).logits.squeeze(-1)
            value = loss(logits, torch.tensor([float(p.label) for p in batch]))
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            done += 1
            if progress:
                progress(done, steps)
    model.eval()
    return model, tokenizer


def score_pairs(model, tokenizer, pairs: Sequence[Pair]) -> list[float]:
    """Probabilities for ``pairs`` from a model in memory (the trial scores sets held out)."""
    import torch

    scores: list[float] = []
    with torch.no_grad():
        for i in range(0, len(pairs), 32):
            batch = pairs[i : i + 32]
            scores += torch.sigmoid(model(**_encoded(tokenizer, batch)).logits.reshape(-1)).tolist()
    return scores


def export_onnx(model, tokenizer, folder: Path) -> None:
    """Write the model as an ONNX graph (its one logit) and its fast tokenizer to ``folder``."""
    import copy

    from kg.onnx_export import export_graph

    # Exported from a copy with plain attention: the graph then gives the model's own logits
    # (traced from scaled-dot-product attention, it differs in the third decimal).
    plain = copy.deepcopy(model).eval()
    plain.set_attn_implementation("eager")
    export_graph(plain, folder / GRAPH, "logits", "logits", {0: "batch"})
    tokenizer.backend_tokenizer.save(str(folder / TOKENIZER))


def train_and_install(
    data_dir: Path,
    model: str,
    model_path: str,
    pairs: Sequence[Pair],
    epochs: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, bool]:
    """The reader for ``pairs`` installed in ``data_dir``, and whether it was trained now."""
    if not pairs or len({p.label for p in pairs}) < 2:
        raise PairError("the labelled sets give no right and wrong answers to learn from")
    key = key_of(model, pairs, epochs)
    folder = data_dir / FOLDER / key
    trained = not (folder / MANIFEST).is_file()
    if trained:
        tmp = data_dir / FOLDER / f".{key}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        fitted, tokenizer = train_model(model_path, pairs, epochs, progress)
        export_onnx(fitted, tokenizer, tmp)
        info = ReaderInfo(
            key=key,
            pairs=len(pairs),
            wrong=sum(1 - p.label for p in pairs),
            sets=tuple(sorted({p.set for p in pairs})),
            epochs=epochs,
            model=model,
        )
        (tmp / MANIFEST).write_text(json.dumps(info.as_dict(), indent=2) + "\n")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    install(data_dir, folder)
    for other in (data_dir / FOLDER).iterdir():
        if other != folder and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)  # one reader kept: the one in use
    return folder, trained
