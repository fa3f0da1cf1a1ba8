"""A question's kind is read from its form, and a direct first line from what its backing
sentence says."""

import datetime as dt

import pytest

from search_api.core.question import Asks, Kind, classify, day_stated
from search_api.core.verdict import lead_words


@pytest.mark.parametrize(
    ("question", "kind", "asks"),
    [
        ("can we just give the contract to the local co-op?", Kind.PERMISSION, Asks.MAY),
        ("Is it OK to lease the hall to the scouts for a peppercorn", Kind.PERMISSION, Asks.MAY),
        ("extend our contract without re-tendering", Kind.PERMISSION, Asks.MAY),
        ("do we have to advertise a £20k contract?", Kind.PERMISSION, Asks.MUST),
        ("is there a procurement issue with partnering a charity?", Kind.PERMISSION, Asks.OBSTACLE),
        # The question comes after what the asker says of themselves.
        (
            "We're a parish council. Can we ask only local firms to quote?",
            Kind.PERMISSION,
            Asks.MAY,
        ),
        ("we announced the award yesterday - can we sign today?", Kind.PERMISSION, Asks.MAY),
        ("what is the best value duty?", Kind.DEFINITION, None),
        ("what's a public service mutual", Kind.DEFINITION, None),
        ("what's the threshold for a care contract", Kind.FIGURE, None),
        ("how long can a framework last", Kind.FIGURE, None),
        ("when did the Procurement Act start?", Kind.FIGURE, None),
        ("difference between a grant and a contract", Kind.COMPARISON, None),
        ("how do we set up an alliance contract", Kind.HOW_TO, None),
    ],
)
def test_kind_is_read_from_the_form_of_the_question(question, kind, asks):
    asked = classify(question)
    assert asked.kind is kind
    assert asked.asks is asks


def test_a_question_naming_a_council_asks_what_it_did():
    assert classify("how did Leicestershire involve the voluntary sector", True).kind is (
        Kind.CASE_STUDY
    )
    assert classify("Plymouth alliance", True).kind is Kind.CASE_STUDY


def test_the_term_to_define_is_kept():
    assert classify("What is a public service mutual?").term == "public service mutual"


@pytest.mark.parametrize(
    ("asks", "sentence", "words"),
    [
        (Asks.MAY, "A council can reserve a contract for a mutual.", "Yes:"),
        (
            Asks.MAY,
            "A council may transfer land below market value where the disposal improves "
            "local well-being.",
            "Yes, if the conditions are met:",
        ),
        (
            Asks.MAY,
            "A contract can be awarded directly only where a listed justification applies.",
            "Only in limited cases:",
        ),
        (Asks.MAY, "An authority must not split a contract to avoid the rules.", "Usually not:"),
        (Asks.MUST, "A council must publish the opportunity on Contracts Finder.", "Yes:"),
        (
            Asks.MUST,
            "A council must publish the opportunity where it advertises a contract above £30,000.",
            "Only in some cases:",
        ),
        (
            Asks.OBSTACLE,
            "The procurement rules permit partnership when used properly.",
            "Usually not:",
        ),
    ],
)
def test_first_words_follow_what_the_backing_sentence_says(asks, sentence, words):
    assert lead_words(asks, sentence) == words


def test_no_first_words_from_a_sentence_that_neither_permits_nor_forbids():
    assert lead_words(Asks.MAY, "Plymouth's alliance began in 2019 with five partners.") is None
    # A permission that is not about the rules says nothing about a procurement obstacle.
    assert lead_words(Asks.OBSTACLE, "Staff can choose their working hours.") is None


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many working days do we have to reply to a complaint?", Kind.FIGURE),
        ("At what income does a community group have to register as a charity?", Kind.OTHER),
        ("How long does a losing bidder have to challenge the award?", Kind.FIGURE),
        ("Do we have to advertise a £20k contract?", Kind.PERMISSION),
        ("we have to retender every three years, don't we?", Kind.PERMISSION),
    ],
)
def test_an_open_question_with_have_to_is_not_a_yes_no_one(question, kind):
    assert classify(question).kind is kind


TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("tender going out in March 2026, what threshold applies?", dt.date(2026, 3, 1)),
        ("our tender went out on 3 February 2025 - old rules or new?", dt.date(2025, 2, 3)),
        # A year alone: a day after the 1 January on which figures change; this year: today.
        ("what were the thresholds back in 2020?", dt.date(2020, 7, 1)),
        # A part of a year: a day inside it.
        ("our cleaning tender kicked off in autumn 2023 - which threshold?", dt.date(2023, 10, 1)),
        ("we went out to tender in the spring of 2024", dt.date(2024, 4, 1)),
        ("a procurement started at the end of 2025", dt.date(2025, 12, 1)),
        ("what are the thresholds for councils in 2026?", TODAY),
        # The future's figures are not set yet; a range states no day; nor does a name.
        ("what will the thresholds be from 1 January 2028?", None),
        ("what has changed since 2020?", None),
        ("what did the Procurement Act 2023 change?", None),
    ],
)
def test_the_day_a_question_says_its_procurement_started_is_read(question, day):
    assert day_stated(question, TODAY) == day
