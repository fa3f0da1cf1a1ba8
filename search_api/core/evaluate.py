"""Evaluators for retrieval quality and the unsupported decision, one class per metric family.

Run by ``kg eval``: the same questions go through bm25, dense and hybrid retrieval, so the
methods are compared on equal terms in one run.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from .service import Query, SearchService


def status_of(response: dict) -> str:
    """The answer's status; responses without the field (older builds) by ``supported``."""
    answer = response["answer"]
    return answer.get("status") or ("answered" if answer["supported"] else "not_covered")


CUTOFFS = (1, 5, 10)


@dataclass
class Question:
    id: str
    question: str
    relevant: dict[str, int] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # for sets judged by document


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """(line number, object) of a JSON-lines file; a bad line is named by file and number."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
    return out


def load_questions(path: Path) -> list[Question]:
    return [
        Question(
            row["id"],
            row["question"],
            row.get("relevant", {}),
            row.get("tags", []),
            row.get("documents", []),
        )
        for _, row in read_rows(path)
    ]


@dataclass
class RetrievalScores:
    recall: dict[int, float]
    success: dict[int, float]  # share of questions with a directly answering passage in the top k
    mrr10: float
    ndcg10: float
    count: int
    misses: list[str] = field(default_factory=list)  # ids with nothing relevant in the top 10

    def row(self, name: str) -> str:
        cells = [f"{self.recall[k]:.3f}" for k in CUTOFFS]
        hits = [f"{self.success[k]:.3f}" for k in (1, 5)]
        return (
            f"| {name} | "
            + " | ".join(cells)
            + f" | {self.mrr10:.3f} | {self.ndcg10:.3f} | "
            + " | ".join(hits)
            + " |"
        )


class RetrievalEvaluator:
    """Recall@k (share of relevant passages in the top k), MRR@10 and graded nDCG@10."""

    def __init__(self, questions: list[Question]) -> None:
        self.questions = [q for q in questions if q.relevant]

    def __call__(self, service: SearchService, mode: str) -> RetrievalScores:
        recall = {k: 0.0 for k in CUTOFFS}
        success = {k: 0.0 for k in CUTOFFS}
        mrr = ndcg = 0.0
        misses = []
        for q in self.questions:
            result = service.search(Query(q.question, max(CUTOFFS), mode))
            ranked = [r["passage_id"] for r in result["results"]]
            relevant = set(q.relevant)
            answering = {pid for pid, grade in q.relevant.items() if grade >= 2} or relevant
            for k in CUTOFFS:
                recall[k] += len(relevant & set(ranked[:k])) / len(relevant)
                success[k] += bool(answering & set(ranked[:k]))
            first = next((i for i, pid in enumerate(ranked[:10]) if pid in relevant), None)
            if first is None:
                misses.append(q.id)
            else:
                mrr += 1.0 / (first + 1)
            gains = [2 ** q.relevant.get(pid, 0) - 1 for pid in ranked[:10]]
            ideal = sorted((2**g - 1 for g in q.relevant.values()), reverse=True)[:10]
            dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
            idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
            ndcg += dcg / idcg if idcg else 0.0
        n = max(len(self.questions), 1)
        return RetrievalScores(
            {k: v / n for k, v in recall.items()},
            {k: v / n for k, v in success.items()},
            mrr / n,
            ndcg / n,
            len(self.questions),
            misses,
        )


class DocumentEvaluator:
    """Share of questions with a passage of an answering document in the top k.

    For sets judged by document rather than passage: coarser than Recall@k, but cheap to
    judge, so a set can be written quickly in the words of its users.
    """

    def __init__(self, questions: list[Question]) -> None:
        self.questions = [q for q in questions if q.documents and not q.relevant]

    def __call__(self, service: SearchService, mode: str) -> dict[int, float]:
        found = {k: 0 for k in CUTOFFS}
        for q in self.questions:
            result = service.search(Query(q.question, max(CUTOFFS), mode))
            documents = [r["document_id"] for r in result["results"]]
            for k in CUTOFFS:
                found[k] += bool(set(q.documents) & set(documents[:k]))
        return {k: v / max(len(self.questions), 1) for k, v in found.items()}


@dataclass
class SupportScores:
    accuracy: float
    in_domain_supported: float
    out_of_domain_unsupported: float
    wrong: list[str]


class SupportEvaluator:
    """Whether in-domain questions are answered and out-of-domain ones declined.

    An in-domain question tagged ``not-known`` (the corpus says the fact is not known) counts
    when the answer says the sources do not give it, or quotes the passage that says so."""

    def __init__(self, in_domain: list[Question], out_of_domain: list[Question]) -> None:
        self.in_domain, self.out_of_domain = in_domain, out_of_domain

    def __call__(self, service: SearchService) -> SupportScores:
        wrong = []
        ok_in = ok_out = 0
        for q in self.in_domain:
            # A question whose answer in the corpus is "not known" is answered by saying so.
            status = status_of(service.ask(Query(q.question)))
            if status == "answered" or (status == "not_known" and "not-known" in q.tags):
                ok_in += 1
            else:
                wrong.append(q.id)
        for q in self.out_of_domain:
            if status_of(service.ask(Query(q.question))) == "not_covered":
                ok_out += 1
            else:
                wrong.append(q.id)
        total = len(self.in_domain) + len(self.out_of_domain)
        return SupportScores(
            (ok_in + ok_out) / max(total, 1),
            ok_in / max(len(self.in_domain), 1),
            ok_out / max(len(self.out_of_domain), 1),
            wrong,
        )


def report(
    service: SearchService,
    questions: list[Question],
    ood: list[Question],
    modes: tuple[str, ...] = ("bm25", "dense", "hybrid"),
) -> tuple[str, dict]:
    """A Markdown table of every mode plus the support decision, and the raw numbers."""
    evaluator = RetrievalEvaluator(questions)
    by_document = DocumentEvaluator(questions)
    lines: list[str] = []
    numbers: dict = {}
    if by_document.questions:
        lines += [
            f"Answering document found, over {len(by_document.questions)} questions judged by "
            "document (share of questions with a passage of it in the top k):",
            "",
            "| mode | Document@1 | Document@5 | Document@10 |",
            "|---|---|---|---|",
        ]
        for mode in modes:
            found = by_document(service, mode)
            lines.append(f"| {mode} | " + " | ".join(f"{found[k]:.3f}" for k in CUTOFFS) + " |")
            numbers.setdefault(mode, {})["document"] = found
        lines.append("")
    if evaluator.questions:
        lines += [
            f"Retrieval over {len(evaluator.questions)} questions (Recall@k: share of all "
            "relevant passages in the top k; Success@k: share of questions with a directly "
            "answering passage in the top k):",
            "",
            "| mode | Recall@1 | Recall@5 | Recall@10 | MRR@10 | nDCG@10 | Success@1 | Success@5 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for mode in modes:
            scores = evaluator(service, mode)
            lines.append(scores.row(mode))
            numbers.setdefault(mode, {}).update(
                {
                    "recall": scores.recall,
                    "mrr10": scores.mrr10,
                    "ndcg10": scores.ndcg10,
                    "misses": scores.misses,
                }
            )
    support = SupportEvaluator(questions, ood)(service)
    lines += [
        "",
        f"Unsupported decision over {len(questions)} in-domain and {len(ood)} "
        f"out-of-domain questions: accuracy {support.accuracy:.3f} (in-domain "
        f"answered {support.in_domain_supported:.3f}, out-of-domain declined "
        f"{support.out_of_domain_unsupported:.3f})",
    ]
    if support.wrong:
        lines.append(f"Wrong decisions: {', '.join(support.wrong)}")
    numbers["support"] = {"accuracy": support.accuracy, "wrong": support.wrong}
    return "\n".join(lines), numbers
