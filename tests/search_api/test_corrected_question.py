"""A misspelled question is answered as the question it was corrected to, at every stage."""

import datetime as dt

import pytest

from search_api.core.service import Query

AS_OF = dt.date(2026, 11, 29)


def _answer(service, question: str) -> dict:
    return service.ask(Query(question, as_of=AS_OF))


def _same_answer(typed: dict, meant: dict) -> None:
    assert typed["corrections"] and not meant["corrections"]
    assert typed["answer"] == meant["answer"]
    assert typed["citations"] == meant["citations"]
    assert typed["regime_notes"] == meant["regime_notes"]


def test_retrieval_carries_the_text_it_searched(service):
    result = service.retriever.search(
        service.snapshot(), "What are the five fundamental corectives?", 5
    )
    assert result.question == "What are the five fundamental correctives?"
    assert [(c.original, c.corrected) for c in result.corrections] == [
        ("corectives", "correctives")
    ]


@pytest.mark.parametrize(
    "typed",
    ["What are the five fundamental corectives?", "What are the five fundamental corectives"],
)
def test_a_misspelled_scheme_is_listed_from_the_graph(service, typed):
    meant = _answer(service, typed.replace("corectives", "correctives"))
    assert meant["answer"]["text"].startswith("The Five Fundamental Correctives:")
    _same_answer(_answer(service, typed), meant)


def test_a_misspelled_council_gets_the_same_regime_note_and_sources(service):
    """The note cites the passages nearest the corrected question, not the typed one."""
    question = (
        "What procurement route did {} use for social prescribing - "
        "was it a reg 31 innovation partnership?"
    )
    typed = _answer(service, question.format("Oldam"))
    meant = _answer(service, question.format("Oldham"))
    assert [n["route"].rsplit("/", 1)[-1] for n in meant["regime_notes"]] == [
        "innovation-partnership"
    ]
    _same_answer(typed, meant)
