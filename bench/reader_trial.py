"""Whether a reader of sentence meaning, trained here, tells a right answer from a near miss.

The service declines by rules and by the evidence of retrieval; the near misses it still
answers (a question about something the corpus covers, asking a fact it does not give) share
the question's words and name what it asks about, so no measure the pipeline has separates
them. This trial fine-tunes a cross-encoder from the shipped all-MiniLM-L6-v2 weights on the
answer sets' labels and scores the answers given to two sets it was not trained on.

Pairs, for every question of every answer set (``corpus/eval/answers-heldout*.jsonl``), asked
as of 30 November 2026:

- an answered question: the question and the answer's first sentence, labelled 1 when the
  question is answerable and the answer cites a document that states the point, 0 when it is
  unanswerable (a wrong answer);
- a declined unanswerable question: the question and the sentence of its closest passage that
  shares most of its words, labelled 0.

Reported on the held sets' answered questions: the area under the ROC curve, and how many of
the lowest-scored answers are wrong or right (what declining them would gain and cost).

    python -m bench.reader_trial [--data-dir DIR] [--held answers-heldout-13 ...] [--epochs 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

from kg.config import Settings
from kg.embed import resolve_model_path
from kg.text import token_set
from search_api.core.answer import units
from search_api.core.service import Query, SearchService

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 30)
BATCH = 16
MAX_LENGTH = 128
LEARNING_RATE = 3e-5
LOWEST = (5, 10, 20, 30, 40)


def pairs(service: SearchService) -> list[tuple[str, str, str, int, bool]]:
    """(set, question, sentence, label, answered) for every question of every answer set."""
    snapshot = service.snapshot()
    out = []
    for path in sorted((ROOT / "corpus" / "eval").glob("answers-heldout*.jsonl")):
        for line in path.read_text().splitlines():
            case = json.loads(line)
            result = service.ask(Query(case["question"], as_of=AS_OF))
            answer = result["answer"]
            if answer["status"] == "answered":
                documents = {c["document_id"] for c in result["citations"]}
                if case["answerable"] and not documents & set(case["documents"]):
                    continue  # answered from a document that does not state the point
                lead = answer["text"].split(" [")[0]
                out.append((path.stem, case["question"], lead, int(case["answerable"]), True))
            elif not case["answerable"]:
                found = service.retriever.search(snapshot, case["question"], 1, "hybrid", None)
                words = set(found.query_tokens)
                sentences = [
                    t for h in found.hits[:1] for _, t in units(snapshot.passages[h.row].text)
                ]
                if sentences:
                    best = max(sentences, key=lambda t: len(words & token_set(t)))
                    out.append((path.stem, case["question"], best, 0, False))
    return out


def train_and_score(
    model_path: str, train: list, test: list, epochs: int, seed: int
) -> list[float]:
    """Fine-tune a one-logit cross-encoder on ``train`` and score ``test``."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(seed)
    order = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForSequenceClassification.from_pretrained(model_path, num_labels=1)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    loss = torch.nn.BCEWithLogitsLoss()

    def encoded(batch):
        return tokenizer(
            [p[1] for p in batch],
            [p[2] for p in batch],
            truncation=True,
            max_length=MAX_LENGTH,
            padding=True,
            return_tensors="pt",
        )

    train = list(train)
    for _ in range(epochs):
        order.shuffle(train)
        model.train()
        for i in range(0, len(train), BATCH):
            batch = train[i : i + BATCH]
            logits = model(**encoded(batch)).logits.squeeze(-1)
            value = loss(logits, torch.tensor([float(p[3]) for p in batch]))
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
    model.eval()
    scores: list[float] = []
    with torch.no_grad():
        for i in range(0, len(test), 32):
            scores += model(**encoded(test[i : i + 32])).logits.squeeze(-1).tolist()
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--held", nargs="+", default=["answers-heldout-13", "answers-heldout-14"])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from sklearn.metrics import roc_auc_score

    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    service = SearchService(settings)
    every = pairs(service)
    held = set(args.held)
    train = [p for p in every if p[0] not in held]
    test = [p for p in every if p[0] in held and p[4]]
    labels = [p[3] for p in test]
    print(
        f"trained on {len(train)} pairs ({sum(1 - p[3] for p in train)} wrong or declined); "
        f"scored {len(test)} answers of {', '.join(sorted(held))} "
        f"({len(test) - sum(labels)} of them wrong)"
    )
    scores = train_and_score(
        resolve_model_path(settings.model), train, test, args.epochs, args.seed
    )
    print(f"ROC AUC (right answers above wrong ones): {roc_auc_score(labels, scores):.3f}")
    ranked = sorted(range(len(test)), key=lambda i: scores[i])
    print("| lowest-scored answers | wrong | right |\n|---|---|---|")
    for k in LOWEST:
        low = ranked[:k]
        print(f"| {k} | {sum(1 - labels[i] for i in low)} | {sum(labels[i] for i in low)} |")


if __name__ == "__main__":
    main()
