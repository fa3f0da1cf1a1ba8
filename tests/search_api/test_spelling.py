"""Misspelled and American-spelled questions find what the corpus's own spelling finds."""

import pytest

from search_api.core.service import Query
from search_api.core.spelling import Speller


@pytest.fixture(scope="module")
def speller(service):
    return service.snapshot().speller


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("procurment", "procurement"),
        ("comissioning", "commissioning"),
        ("innovaton", "innovation"),
        ("organization", "organisation"),
        ("neighboring", "neighbouring"),
        # A name the corpus writes with "'s", typed without the apostrophe.
        ("barnardos", "barnardo's"),
        ("childrens", "children's"),
    ],
)
def test_typos_and_american_spellings_become_the_corpus_word(speller, typed, meant):
    assert speller.suggest(typed) == meant


@pytest.mark.parametrize(
    "word",
    # Words made of an English word and a deriving ending are words, not typos ("vatable"
    # is not "valuable").
    ["pothole", "pizza", "tupe", "sroi", "football", "oldham", "vatable", "grantable", "dreamt"],
)
def test_real_words_acronyms_and_corpus_words_stay_as_typed(speller, word):
    assert speller.suggest(word) is None


def test_correction_keeps_the_rest_of_the_question_as_typed():
    speller = Speller(["Commissioning is wider than procurement."], english=frozenset())
    fixed, corrections = speller.correct("Is Comissioning the same as procurment?")
    assert fixed == "Is Commissioning the same as procurement?"
    assert [(c.original, c.corrected) for c in corrections] == [
        ("Comissioning", "Commissioning"),
        ("procurment", "procurement"),
    ]


def test_misspelled_question_ranks_like_the_well_spelled_one(service):
    typed = service.search(Query("is comissioning the same thing as procurment?", 5))
    spelled = service.search(Query("is commissioning the same thing as procurement?", 5))
    ids = [r["passage_id"] for r in typed["results"]]
    assert ids == [r["passage_id"] for r in spelled["results"]]
    assert typed["corrections"] == [
        {"typed": "comissioning", "searched": "commissioning"},
        {"typed": "procurment", "searched": "procurement"},
    ]
    assert spelled["corrections"] == []


def test_spelling_can_be_switched_off(corpus_settings, corpus_build, encoder):
    from search_api.core.service import SearchService

    plain = SearchService(corpus_settings.model_copy(update={"spelling": False}), encoder)
    result = plain.ask(Query("is comissioning the same thing as procurment?"))
    assert result["corrections"] == []
