"""Whether a reader of sentence meaning, trained here, tells a right answer from a near miss.

The service declines by rules and by the evidence of retrieval; the near misses it still
answers (a question about something the corpus covers, asking a fact it does not give) share
the question's words and name what it asks about, so no measure the pipeline has separates
them. This trial fine-tunes a cross-encoder from the shipped all-MiniLM-L6-v2 weights on the
answer sets' labels and scores the answers given to two sets it was not trained on.

The pairs and the training loop are the service's own (``search_api/core/reader_pairs.py``,
``reader_training.py``), asked as of 30 November 2026 by a service without a reader; ``kg
reader`` trains on every set, this trial on all but the held ones.

Reported on the held sets' answered questions: the area under the ROC curve, and how many of
the lowest-scored answers are wrong or right (what declining them would gain and cost).

    python -m bench.reader_trial [--data-dir DIR] [--held answers-heldout-13 ...] [--epochs 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from kg.config import Settings
from kg.embed import resolve_model_path
from search_api.core.reader_pairs import labelled_sets, pairs
from search_api.core.reader_training import score_pairs, train_model
from search_api.core.service import SearchService

AS_OF = dt.date(2026, 11, 30)
LOWEST = (5, 10, 20, 30, 40)
THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--held", nargs="+", default=["answers-heldout-13", "answers-heldout-14"])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--scores-out", type=Path, help="write each scored answer as JSON lines")
    args = parser.parse_args()
    from sklearn.metrics import roc_auc_score

    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    service = SearchService(settings.model_copy(update={"reader": False}))
    every = pairs(service, labelled_sets(settings.reader_sets), AS_OF)
    held = set(args.held)
    train = [p for p in every if p.set not in held]
    test = [p for p in every if p.set in held and p.answered]
    labels = [p.label for p in test]
    print(
        f"trained on {len(train)} pairs ({sum(1 - p.label for p in train)} wrong or declined); "
        f"scored {len(test)} answers of {', '.join(sorted(held))} "
        f"({len(test) - sum(labels)} of them wrong)"
    )
    model, tokenizer = train_model(resolve_model_path(settings.model), train, args.epochs)
    scores = score_pairs(model, tokenizer, test)
    if args.scores_out:
        with args.scores_out.open("w") as out:
            for p, score in zip(test, scores, strict=True):
                out.write(json.dumps({**p.as_dict(), "score": score}) + "\n")
    print(f"ROC AUC (right answers above wrong ones): {roc_auc_score(labels, scores):.3f}")
    ranked = sorted(range(len(test)), key=lambda i: scores[i])
    print("| lowest-scored answers | wrong | right |\n|---|---|---|")
    for k in LOWEST:
        low = ranked[:k]
        print(f"| {k} | {sum(1 - labels[i] for i in low)} | {sum(labels[i] for i in low)} |")
    names = sorted(held)
    print("| declined below | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for t in THRESHOLDS:
        cells = []
        for name in names:
            low = [i for i in range(len(test)) if test[i].set == name and scores[i] < t]
            wrong = sum(1 - labels[i] for i in low)
            cells.append(f"{wrong} wrong, {len(low) - wrong} right")
        print(f"| {t} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
