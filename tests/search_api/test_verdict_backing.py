"""A direct "Yes" or "Usually not" is backed by a sentence about what was asked, one that reads
on its own; "who runs X?" is answered by the bodies that run it, as "who is X's chief
executive?" is by a person only; and a contract's value below the thresholds is answered from
the rules below them.

Real questions through the real service over the shipped corpus; each test checks properties
of the answer (its status, what its first sentence speaks of), never its text.
"""

from __future__ import annotations

import re

import pytest

from kg.text import sentence_spans, tokens
from search_api.core.support import value_subjects
from tests.search_api.test_answers_that_answer import VERDICT, ask, cited_documents, quoted

ADDS = re.compile(r"\b(also|likewise|similarly)\b", re.I)


def lead(result: dict) -> str:
    """The first quoted sentence, without the verdict's words."""
    first = quoted(result)[0][0]
    return first.split(":", 1)[1].strip() if VERDICT.match(first) else first


@pytest.mark.parametrize(
    ("question", "other"),
    [
        (
            "can a grant be given instead of a contract to a charity running a lunch club?",
            "contract",
        ),
        ("could we fund the befriending group with a grant rather than a contract?", "contract"),
        ("can we use co-design workshops instead of doing a standard tender?", "tender"),
    ],
)
def test_a_verdict_on_one_thing_in_place_of_another_speaks_of_both(service, question, other):
    """ "A grant instead of a contract" is not answered "Yes" by a sentence on grants alone."""
    result = ask(service, question)
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    first = quoted(result)[0][0]
    if VERDICT.match(first):
        assert set(tokens(other)) & set(tokens(lead(result))), first


@pytest.mark.parametrize(
    "question",
    [
        "can we restrict our small contracts to local suppliers only?",
        "can a parish council keep a small contract just for local firms these days?",
    ],
)
def test_a_verdict_is_not_backed_by_a_sentence_adding_to_another(service, question):
    """ "A parish council also gained ..." means little alone: a verdict quotes it with the
    sentence it adds to, or quotes another."""
    result = ask(service, question)
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    first = quoted(result)[0][0]
    assert VERDICT.match(first), first
    text = lead(result)
    start, end = next(iter(sentence_spans(text)))
    opening = " ".join(text[start:end].split()[:12])
    assert not ADDS.search(opening), first


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("who runs the Plymouth alliance", True),
        ("who delivers the Plymouth Alliance?", True),
        ("who is in the Plymouth alliance?", True),
        # The bodies named beside the alliance hold no office.
        ("who is the chief executive of the Plymouth alliance?", False),
        ("who is the leader of the Plymouth alliance?", False),
    ],
)
def test_who_runs_a_partnership_is_answered_by_bodies_but_an_office_by_a_person(
    service, question, answered
):
    result = ask(service, question)
    assert (result["answer"]["status"] == "answered") is answered, result["answer"]["text"]


@pytest.mark.parametrize(
    "question",
    [
        "do we need to advertise a £20k contract?",
        "do we need to advertise a 25k contract for a detached youth worker service?",
        "can we just get three quotes for a £15,000 cleaning contract?",
    ],
)
def test_a_contract_value_below_the_thresholds_is_answered_from_the_rules_below_them(
    service, question
):
    """A contract's value is what decides which rules apply: the note on contracts below the
    thresholds answers, though the question names no threshold."""
    result = ask(service, question)
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    numbers = [n for _, ns in quoted(result) for n in ns]
    assert "topic-below-threshold-procurement" in cited_documents(result, numbers)


@pytest.mark.parametrize(
    ("question", "below"),
    [
        ("do we need to advertise a £20k contract?", True),
        ("a tender worth £1.5m for the leisure centres", False),
        ("can we hand our £900k day opportunities contract to the co-op?", False),
        ("how much did Oldham spend in 2022?", False),  # no contract's value
    ],
)
def test_only_a_value_below_every_threshold_is_read_as_below_them(service, question, below):
    """Which threshold a larger value meets depends on what is bought and when: only a value
    below the lowest the graph holds makes the rules below the thresholds the subject."""
    subjects = value_subjects(service.snapshot(), question)
    assert bool(subjects) is below
    assert all(s.endswith("/topic/below-threshold-procurement") for s in subjects)
