"""A question is encoded once per request: retrieval carries its vector to every later stage
(the definition's citation, each regime note's citations)."""

from __future__ import annotations

import pytest

from search_api.core.service import Query, SearchService

QUESTIONS = [
    "What is the competitive flexible procedure?",  # a definition, cited by the vector
    "Can we still use regulation 32 for a direct award?",  # regime notes, cited by the vector
    "How do we measure social value in a contract?",
]


@pytest.fixture
def counted(corpus_settings, corpus_build, encoder, monkeypatch):
    service = SearchService(corpus_settings, encoder)
    calls: list[str] = []
    original = encoder.encode_query

    def encode_query(text: str):
        calls.append(text)
        return original(text)

    monkeypatch.setattr(encoder, "encode_query", encode_query)
    return service, calls


@pytest.mark.parametrize("question", QUESTIONS)
def test_ask_encodes_the_question_once(counted, question):
    service, calls = counted
    answer = service.ask(Query(question))
    assert answer["citations"]
    assert calls == [calls[0]] and len(calls) == 1


def test_search_encodes_the_query_once(counted):
    service, calls = counted
    service.search(Query(QUESTIONS[1], k=10))
    assert len(calls) == 1
