"""Scoring whole answers: is an answerable question answered from the right source, and is an
unanswerable one declined?

Retrieval figures say whether the right passage was found; this says whether the reader got
what they asked for. A set (``corpus/eval/answers-*.jsonl``) holds one question a line:

``{"id", "question", "answerable", "documents", "point", "kind", "group"?, "not_known"?}``

- an answerable question counts when it is answered and a passage its text cites ([n]) belongs
  to one of ``documents`` (the documents that state ``point``);
- an unanswerable question counts when it is declined, or, for ``not_known`` (the corpus itself
  says the fact is not known), when the answer says the sources do not give it.

Figures are reported overall, by ``kind`` for answerable questions and by ``group`` for
unanswerable ones, so a regression in one kind is not hidden by the others.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .answer import Status
from .evaluate import read_rows, status_of
from .service import Query, SearchService

ANSWERED, NOT_KNOWN, NOT_COVERED = Status.ANSWERED, Status.NOT_KNOWN, Status.NOT_COVERED


@dataclass(frozen=True)
class AnswerCase:
    id: str
    question: str
    answerable: bool
    documents: tuple[str, ...] = ()
    point: str = ""
    kind: str = "other"
    group: str = ""
    not_known: bool = False


def load_cases(path: Path) -> list[AnswerCase]:
    out = []
    for number, row in read_rows(path):
        try:
            answerable = bool(row["answerable"])
            out.append(
                AnswerCase(
                    str(row.get("id", f"{path.stem}-{number}")),
                    row["question"],
                    answerable,
                    tuple(row.get("documents", ())),
                    row.get("point", ""),
                    row.get("kind", "other") if answerable else "",
                    row.get("group", ""),
                    bool(row.get("not_known", False)),
                )
            )
        except KeyError as exc:
            raise ValueError(f"{path}:{number}: an answer case needs {exc}") from exc
    return out


def cited_documents(response: dict) -> list[str]:
    """Documents of the passages the answer text cites, in citation order."""
    by_number = {c["n"]: c["document_id"] for c in response["citations"]}
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", response["answer"]["text"])]
    return list(dict.fromkeys(by_number[n] for n in numbers if n in by_number))


@dataclass
class Outcome:
    case: AnswerCase
    status: str
    documents: list[str]

    @property
    def ok(self) -> bool:
        if self.case.answerable:
            return self.status == ANSWERED and bool(set(self.documents) & set(self.case.documents))
        return self.status == NOT_COVERED or (self.case.not_known and self.status == NOT_KNOWN)


@dataclass
class AnswerScores:
    outcomes: list[Outcome] = field(default_factory=list)

    def share(self, answerable: bool, key: str | None = None, value: str | None = None):
        chosen = [
            o
            for o in self.outcomes
            if o.case.answerable is answerable and (key is None or getattr(o.case, key) == value)
        ]
        return sum(o.ok for o in chosen), len(chosen)

    def as_dict(self) -> dict:
        def fig(ok_total):
            ok, total = ok_total
            return {"ok": ok, "total": total, "share": round(ok / total, 3) if total else None}

        kinds = sorted({o.case.kind for o in self.outcomes if o.case.answerable})
        groups = sorted({o.case.group for o in self.outcomes if not o.case.answerable})
        answered = [o for o in self.outcomes if o.case.answerable and o.status == ANSWERED]
        return {
            "answerable": fig(self.share(True)),
            "answerable_answered_at_all": fig(
                (len(answered), sum(o.case.answerable for o in self.outcomes))
            ),
            "unanswerable": fig(self.share(False)),
            "by_kind": {k: fig(self.share(True, "kind", k)) for k in kinds},
            "by_group": {g or "-": fig(self.share(False, "group", g)) for g in groups},
            "statuses": dict(Counter(o.status for o in self.outcomes)),
            "wrong": [o.case.id for o in self.outcomes if not o.ok],
        }


def score(
    service: SearchService, cases: list[AnswerCase], as_of: dt.date | None = None
) -> AnswerScores:
    scores = AnswerScores()
    for case in cases:
        query = Query(case.question) if as_of is None else Query(case.question, as_of=as_of)
        response = service.ask(query)
        scores.outcomes.append(Outcome(case, status_of(response), cited_documents(response)))
    return scores


def report(name: str, scores: AnswerScores) -> str:
    d = scores.as_dict()

    def cell(f) -> str:
        return f"{f['ok']}/{f['total']} = {f['share']:.3f}" if f["total"] else "-"

    lines = [
        f"{name}: answerable answered from a stating document {cell(d['answerable'])} "
        f"(answered at all {cell(d['answerable_answered_at_all'])}); "
        f"unanswerable declined {cell(d['unanswerable'])}",
        "  by kind: " + ", ".join(f"{k} {cell(v)}" for k, v in d["by_kind"].items()),
        "  by group: " + ", ".join(f"{g} {cell(v)}" for g, v in d["by_group"].items()),
        f"  statuses: {d['statuses']}",
        f"  wrong: {', '.join(d['wrong']) or '-'}",
    ]
    return "\n".join(lines)
