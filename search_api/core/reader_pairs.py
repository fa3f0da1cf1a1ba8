"""What the answer reader learns from: the labelled questions of ``corpus/eval/``, each with
the sentence the service would lead with, labelled right or wrong.

Every set there is read, so the reader meets every form of question the project has labels
for (whole questions, search-box fragments, long stories): the answer sets
(``answers-*.jsonl``: ``answerable`` and the ``documents`` that state the point), the retrieval
sets (``relevant`` passages or ``documents``: answerable, stated by their documents) and the
out-of-domain sets (a question alone: not answerable). For every question, asked as of
``as_of`` by a service without a reader:

- answered: the question and the answer's first sentence, labelled 1 when the question is
  answerable and the answer cites a document the set lists as stating the point, 0 when the
  question is unanswerable (a wrong answer); an answerable question answered from other
  documents is left out, its label unknown;
- declined and unanswerable: the question and the sentence of its closest passage sharing most
  of its words (what an answer would have led with), labelled 0.

Answerable questions declined give no pair: their right lead is not known.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from kg.text import token_set

from .answer import units
from .reader import lead_sentence


@dataclass(frozen=True)
class Pair:
    set: str  # the answer set's file name, without .jsonl
    question: str
    sentence: str
    label: int  # 1: the sentence gives what is asked
    answered: bool  # the service answered (False: the closest sentence of a declined question)

    def as_dict(self) -> dict:
        return {
            "set": self.set,
            "question": self.question,
            "sentence": self.sentence,
            "label": self.label,
            "answered": self.answered,
        }


class PairError(ValueError):
    """An answer set that cannot be read; the message names the file and line."""


def labelled_sets(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


def _label(case: dict) -> tuple[bool, set[str]]:
    """Whether a record is answerable, and the documents that state its point."""
    relevant = case.get("relevant") or {}
    documents = set(case.get("documents") or ()) | {p.split("/")[0] for p in relevant}
    answerable = case.get("answerable", bool(documents))
    if not isinstance(answerable, bool):
        raise TypeError("answerable must be true or false")
    return answerable, documents


def _cases(path: Path) -> list[tuple[str, bool, set[str]]]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            question = case["question"]
            if not isinstance(question, str):
                raise TypeError("question must be text")
            answerable, documents = _label(case)
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise PairError(f"{path}:{number}: not a labelled question ({exc})") from exc
        cases.append((question, answerable, documents))
    return cases


def pairs(service, paths: list[Path], as_of: dt.date) -> list[Pair]:
    """The pairs of the sets at ``paths``, from ``service`` (which must have no reader)."""
    from .service import Query

    snapshot = service.snapshot()
    out: list[Pair] = []
    for path in paths:
        for question, answerable, stating in _cases(path):
            result = service.ask(Query(question, as_of=as_of))
            answer = result["answer"]
            if answer["status"] == "answered":
                documents = {c["document_id"] for c in result["citations"]}
                if answerable and not documents & stating:
                    continue
                lead = lead_sentence(answer["text"])
                out.append(Pair(path.stem, question, lead, int(answerable), True))
            elif not answerable:
                found = service.retriever.search(snapshot, question, 1, "hybrid", None)
                words = set(found.query_tokens)
                sentences = [
                    t for h in found.hits[:1] for _, t in units(snapshot.passages[h.row].text)
                ]
                if sentences:
                    best = max(sentences, key=lambda t: len(words & token_set(t)))
                    out.append(Pair(path.stem, question, best, 0, False))
    return out
