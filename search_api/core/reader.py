"""The answer reader: whether an answer's first sentence gives what the question asks.

Rules and retrieval evidence decline most questions the corpus does not answer, but not the
near misses: a question about something the corpus covers, asking a fact it does not give ("how
many volunteers does the Croydon alliance have?"). The sentence found names the thing asked
about and shares the question's words, so every count of words and names says "answered". The
reader reads the question and the sentence together: a cross-encoder fine-tuned on this
machine from the shipped all-MiniLM-L6-v2 weights on the project's labelled questions
(``corpus/eval/*.jsonl``; ``kg reader`` trains it, see ``reader_pairs`` and ``reader_training``).
The service declines an answer the reader scores below ``reader_threshold``, and one it scores
below ``reader_doubt_threshold`` when the rules' own evidence for answering was weak too
(``declines``): two doubts together.

A data folder holds at most one reader in use: ``reader`` links to ``readers/<key>/``, where
the key is a digest of what it was trained from, so training again from the same answers
reuses it.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.config import Settings

LINK = "reader"  # in the data folder: the reader in use
FOLDER = "readers"  # in the data folder: every reader trained, by key
MANIFEST = "reader.json"
GRAPH = "reader.onnx"
TOKENIZER = "tokenizer.json"
MAX_LENGTH = 128  # tokens of question and sentence together, as in training


# A message that tells its situation first asks in its last sentences: the reader reads those.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\w])")
SHORT_QUESTION_WORDS = 5  # "What applies?" is read with the sentence before it


def asked_part(question: str) -> str:
    """What a question asks, as the reader reads it: a one-sentence question whole; of a
    message ("We're a small charity that owns a hall. ... What applies?"), its last sentence
    asking something (with the one before it when it is short), not the situation told
    first, which shares the words of many sentences that do not answer it."""
    sentences = [t for t in SENTENCE_END.split(" ".join(question.split())) if t]
    if len(sentences) <= 1:
        return question.strip()
    asking = [i for i, t in enumerate(sentences) if t.rstrip().endswith("?")]
    last = asking[-1] if asking else len(sentences) - 1
    first = last - 1 if len(sentences[last].split()) < SHORT_QUESTION_WORDS and last else last
    return " ".join(sentences[first : last + 1])


def lead_sentence(answer_text: str) -> str:
    """An answer's first sentence as the reader reads it: up to its first citation mark."""
    return answer_text.split(" [", 1)[0].strip()


@dataclass(frozen=True)
class ReaderInfo:
    """What a reader was trained from (its ``reader.json``)."""

    key: str
    pairs: int
    wrong: int
    sets: tuple[str, ...]
    epochs: int
    model: str

    @classmethod
    def read(cls, folder: Path) -> ReaderInfo:
        data = json.loads((folder / MANIFEST).read_text())
        return cls(
            key=data["key"],
            pairs=data["pairs"],
            wrong=data["wrong"],
            sets=tuple(data["sets"]),
            epochs=data["epochs"],
            model=data["model"],
        )

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "pairs": self.pairs,
            "wrong": self.wrong,
            "sets": list(self.sets),
            "epochs": self.epochs,
            "model": self.model,
        }


def declines(score: float, evidence: float, settings: Settings) -> bool:
    """Whether an answer is declined on the reader's ``score`` of its first sentence and the
    probability ``evidence`` the rules gave the question being answered (``support``).

    A low score declines it alone; a middling one declines it only where the rules were unsure
    too. Readers trained without some sets and scored on them (bench/RESULTS.md) declined more
    wrong answers this way, in every fold, for no more right ones lost than the score alone."""
    return score < settings.reader_threshold or (
        score < settings.reader_doubt_threshold and evidence < settings.reader_doubt_evidence
    )


class Reader:
    """A trained reader loaded from its folder and run by ONNX Runtime (no torch in the
    server, as for the encoder); ``score`` is a probability."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self.info = ReaderInfo.read(folder)
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self._tokenizer.enable_truncation(MAX_LENGTH)
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.enable_cpu_mem_arena = False
        self._session = ort.InferenceSession(
            str(folder / GRAPH), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def score(self, question: str, sentence: str) -> float:
        """The probability that ``sentence`` gives what ``question`` asks (its asked part)."""
        import numpy as np

        encoding = self._tokenizer.encode(asked_part(question), sentence)
        feeds = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        (logits,) = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})
        return 1.0 / (1.0 + math.exp(-float(logits.reshape(-1)[0])))


def installed(data_dir: Path) -> Path | None:
    """The folder of the reader the data folder uses, or None."""
    link = data_dir / LINK
    return link.resolve() if (link / MANIFEST).is_file() else None


def install(data_dir: Path, folder: Path) -> None:
    """Make ``folder`` (under ``readers/``) the reader in use, replacing the link atomically."""
    link = data_dir / LINK
    tmp = data_dir / f".{LINK}.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(os.path.relpath(folder, data_dir))
    os.replace(tmp, link)
