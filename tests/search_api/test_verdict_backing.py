"""A direct "Yes" or "Usually not" is backed by a sentence about what was asked, one that reads
on its own; and "who runs X?" is answered by the bodies that run it, as "who is X's chief
executive?" is by a person only.

Real questions through the real service over the shipped corpus; each test checks properties
of the answer (its status, what its first sentence speaks of), never its text.
"""

from __future__ import annotations

import re

import pytest

from kg.text import sentence_spans, tokens
from tests.search_api.test_answers_that_answer import VERDICT, ask, quoted

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
    "question",
    [
        "who runs the Plymouth alliance",
        "who delivers the Plymouth Alliance?",
        "who is in the Plymouth alliance?",
    ],
)
def test_who_runs_a_partnership_is_answered_by_the_bodies_in_it(service, question):
    result = ask(service, question)
    assert result["answer"]["status"] == "answered", result["answer"]["text"]


@pytest.mark.parametrize(
    "question",
    [
        "who is the chief executive of the Plymouth alliance?",
        "who is the leader of the Plymouth alliance?",
    ],
)
def test_a_role_held_by_a_person_still_asks_for_a_person(service, question):
    """The bodies named beside the alliance hold no office: a question asking for its chief
    executive is not answered by them."""
    result = ask(service, question)
    assert result["answer"]["status"] != "answered", result["answer"]["text"]
