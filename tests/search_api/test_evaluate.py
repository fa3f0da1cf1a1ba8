"""Retrieval quality on the development set: a regression guard, not a tuning target.

The checks that run every question of a set through the service are marked slow.
"""

import json

import pytest

from kg.config import PROJECT_ROOT
from search_api.core.answer_eval import load_cases
from search_api.core.evaluate import (
    DocumentEvaluator,
    RetrievalEvaluator,
    SupportEvaluator,
    load_questions,
)
from search_api.core.service import SearchService

EVAL = PROJECT_ROOT / "corpus" / "eval"


def test_development_set_is_well_formed_and_ids_exist(service):
    dev = load_questions(EVAL / "dev.jsonl")
    ood = load_questions(EVAL / "ood.jsonl")
    assert len(dev) >= 80 and len(ood) >= 20
    rows = service.snapshot().rows_by_id
    missing = {pid for q in dev for pid in q.relevant if pid not in rows}
    assert not missing, f"relevance judgements name passages that do not exist: {missing}"


@pytest.mark.parametrize("name", ["heldout.jsonl", "heldout-2.jsonl"])
def test_held_out_set_is_well_formed_and_ids_exist(service, name):
    held = load_questions(EVAL / name)
    ood = load_questions(EVAL / "heldout-ood.jsonl")
    assert len(held) >= 50 and len(ood) >= 20
    assert all(2 in q.relevant.values() for q in held) and not any(q.relevant for q in ood)
    rows = service.snapshot().rows_by_id
    missing = {pid for q in held for pid in q.relevant if pid not in rows}
    assert not missing, f"relevance judgements name passages that do not exist: {missing}"
    dev = {q.question.lower() for q in load_questions(EVAL / "dev.jsonl")}
    assert not dev & {q.question.lower() for q in held + ood}


@pytest.mark.slow
def test_situational_set_finds_its_documents_and_decides_support(service):
    """Questions in users' own words, long and short, judged by answering document."""
    questions = load_questions(EVAL / "situational.jsonl")
    ood = load_questions(EVAL / "situational-ood.jsonl")
    assert len(questions) >= 60 and len(ood) >= 30
    documents = {p.document_id for p in service.snapshot().passages}
    assert all(q.documents and set(q.documents) <= documents for q in questions)
    found = DocumentEvaluator(questions)(service, "hybrid")
    assert found[5] >= 0.85
    decision = SupportEvaluator(questions, ood)(service)
    assert decision.in_domain_supported >= 0.8
    assert decision.out_of_domain_unsupported >= 0.9


@pytest.mark.slow
def test_hybrid_beats_each_method_alone(service):
    evaluator = RetrievalEvaluator(load_questions(EVAL / "dev.jsonl"))
    scores = {mode: evaluator(service, mode) for mode in ("bm25", "dense", "hybrid")}
    hybrid = scores["hybrid"]
    for mode in ("bm25", "dense"):
        assert hybrid.mrr10 >= scores[mode].mrr10, mode
        assert hybrid.ndcg10 >= scores[mode].ndcg10, mode
        assert hybrid.recall[10] >= scores[mode].recall[10], mode
    assert hybrid.mrr10 >= 0.85
    assert hybrid.recall[10] >= 0.85


@pytest.mark.slow
def test_unsupported_decision_is_mostly_right(service):
    decision = SupportEvaluator(
        load_questions(EVAL / "dev.jsonl"), load_questions(EVAL / "ood.jsonl")
    )(service)
    assert decision.accuracy >= 0.9
    assert decision.in_domain_supported >= 0.9


def test_questions_about_the_raw_seed_pages_find_their_passages(seeds_report, encoder):
    settings, _ = seeds_report
    service = SearchService(settings, encoder)
    scores = RetrievalEvaluator(load_questions(EVAL / "seeds.jsonl"))(service, "hybrid")
    assert scores.count >= 10
    assert scores.recall[5] >= 0.8


def test_answer_sets_are_scored_whole(service, tmp_path):
    """An answer set scores an answer by what it cites and a decline by its status; a bad
    line is named by file and number."""
    import json

    from search_api.core import answer_eval

    rows = [
        {  # answered from a document that states the point
            "id": "a",
            "question": "Can we reserve a contract for a mutual?",
            "answerable": True,
            "documents": ["reg-pa2023-reserved-contracts", "guide-partner-legal-forms"],
            "kind": "permission",
        },
        {  # answered, but from none of the documents listed: does not count
            "id": "b",
            "question": "Can we reserve a contract for a mutual?",
            "answerable": True,
            "documents": ["case-croydon"],
            "kind": "permission",
        },
        {  # the corpus says it is not known: "the sources do not give this" counts
            "id": "c",
            "question": "what do the letters in E3M stand for?",
            "answerable": False,
            "group": "not-known",
            "not_known": True,
        },
        {  # the same answer for a row not marked not_known: only a decline counts
            "id": "d",
            "question": "what do the letters in E3M stand for?",
            "answerable": False,
            "group": "not-covered",
        },
        {
            "id": "e",
            "question": "best pizza in Naples",
            "answerable": False,
            "group": "not-covered",
        },
    ]
    path = tmp_path / "answers-test.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    scores = answer_eval.score(service, answer_eval.load_cases(path))
    assert {o.case.id: o.ok for o in scores.outcomes} == {
        "a": True,
        "b": False,
        "c": True,
        "d": False,
        "e": True,
    }
    figures = scores.as_dict()
    assert figures["answerable"]["ok"] == 1 and figures["unanswerable"]["ok"] == 2
    assert figures["by_group"]["not-known"]["share"] == 1.0
    assert "a" not in figures["wrong"] and set(figures["wrong"]) == {"b", "d"}
    path.write_text('{"question": "no answerable field"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="answers-test.jsonl:1"):
        answer_eval.load_cases(path)


@pytest.mark.parametrize("name", sorted(p.name for p in EVAL.glob("answers-*.jsonl")))
def test_answer_sets_are_well_formed_and_name_real_documents(service, name):
    cases = load_cases(EVAL / name)
    documents = {p.document_id for p in service.snapshot().passages}
    answerable = [c for c in cases if c.answerable]
    assert len(cases) >= 120 and 0.4 <= len(answerable) / len(cases) <= 0.6
    assert all(c.documents and set(c.documents) <= documents for c in answerable)
    assert all(c.group for c in cases if not c.answerable)
    assert len({c.id for c in cases}) == len(cases)


FORMS = ("keyword", "situation", "question")


@pytest.mark.parametrize("forms", sorted((EVAL / "forms").glob("answers-heldout-*.json")))
def test_each_question_of_a_mixed_set_has_its_form(forms):
    """The forms the per-form figures are counted from name every question of their set once:
    a quarter search fragments, a quarter situation messages, half everyday questions."""
    recorded = json.loads(forms.read_text())
    ids = [c.id for c in load_cases(EVAL / f"{forms.stem}.jsonl")]
    assert sorted(recorded) == sorted(ids)
    counts = [list(recorded.values()).count(f) for f in FORMS]
    assert counts == [len(ids) // 4, len(ids) // 4, len(ids) // 2]
