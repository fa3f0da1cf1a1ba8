"""Composed answers read as prose: the point first, no sentence that leans or signposts,
one sentence per document while others have something to say."""

import pytest

from kg.build import PassageRow
from search_api.core.answer import compose, leans


def _p(pid: str, text: str, doc: str | None = None) -> PassageRow:
    return PassageRow(pid, doc or pid.split("/")[0], "", "guidance", "", text, "", 0, len(text))


IDF = {"reserv": 3.0, "mutual": 3.0, "contract": 1.0, "council": 0.5, "defin": 0.1}


def test_no_direct_line_without_a_backing_sentence():
    passages = [(_p("a/p1", "Mutuals in the toolkit include several staff-led spin-outs."), 1.0)]
    answer = compose(["mutual"], passages, IDF, True, question="Can we reserve it for a mutual?")
    assert not answer.text.startswith(("Yes", "Usually", "Only"))


def test_a_sentence_that_leans_is_quoted_with_the_one_before_or_not_at_all():
    assert leans("Many councils therefore reserve contracts for mutuals.")
    assert leans("These fall into the listed categories of services.")
    assert not leans("To bid, an organisation must meet these conditions: it is a mutual.")
    assert leans("The text of that quote is not known from the sources.")
    assert not leans("The guidance says that a council may reserve the contract.")
    passages = [
        (_p("a/p1", "Many of the services fall into these categories, so a mutual may bid."), 1.0),
        (_p("b/p1", "A council can reserve a contract for a mutual under regulation 77."), 0.9),
    ]
    answer = compose(["mutual", "reserv"], passages, IDF, True, question="mutual reservation")
    assert "these categories" not in answer.text  # leans on a sentence the passage lacks


def test_signposts_are_not_quoted():
    passages = [
        (
            _p(
                "a/p1",
                "The separate notes on regulation 77 explain how mutuals can be reserved "
                "contracts. A council can reserve a contract for a mutual.",
            ),
            1.0,
        ),
    ]
    answer = compose(["mutual", "reserv", "contract"], passages, IDF, True, question="mutuals")
    assert "separate notes" not in answer.text
    assert "A council can reserve a contract for a mutual" in answer.text


def test_one_sentence_per_document_while_other_documents_have_something_to_say():
    passages = [
        (_p("a/p1", "A council can reserve a contract for a mutual in listed services."), 1.0),
        (_p("a/p2", "A mutual reserved contract lasts at most three years in total.", "a"), 0.9),
        (
            _p(
                "b/p1",
                "Under section 33 of the Procurement Act a reservation for mutuals lasts five years.",
            ),
            0.8,
        ),
    ]
    answer = compose(
        ["mutual", "reserv", "contract"],
        passages,
        IDF,
        True,
        max_sentences=2,
        question="reserving contracts for mutuals",
    )
    assert "[1]" in answer.text and "[3]" in answer.text and "[2]" not in answer.text


@pytest.mark.parametrize(
    ("question", "stems", "text", "lead"),
    [
        (  # a permission question: "Yes" backed by the whole cited sentence
            "Can we reserve a contract for a mutual?",
            ["reserv", "contract", "mutual"],
            "Reserved contracts have a long history. A council can reserve a "
            "contract for a mutual for up to five years.",
            "Yes: A council can reserve a contract for a mutual for up to five years. [1]",
        ),
        (  # a definition question: the defining sentence first
            "What is a public service mutual?",
            ["public", "servic", "mutual"],
            "Several councils have worked with mutuals since 2011. A public service "
            "mutual is an organisation that has left the public sector and is run by its staff.",
            "A public service mutual is an organisation",
        ),
    ],
)
def test_the_answer_leads_with_the_sentence_that_answers_the_kind_of_question(
    question, stems, text, lead
):
    answer = compose(stems, [(_p("a/p1", text), 1.0)], IDF, True, question=question)
    assert answer.text.startswith(lead)
    assert "[1]" in answer.text
