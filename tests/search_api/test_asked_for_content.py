"""A question asking for a particular item (a person, a quantity, a date) is answered only when
a top sentence gives that kind of item about what was asked; passages that merely name the
council or body it asks about are listed as nearest, and the question is declined.

Real questions through the real service over the shipped corpus; the corpus names the councils
below many times but never gives their population, officers or budgets.
"""

from __future__ import annotations

import re

import pytest

from search_api.core.asked_item import items_asked
from search_api.core.question import years_named
from tests.search_api.test_answers_that_answer import ask


def kinds_asked(question: str) -> set[str]:
    return {forms.name for _, forms in items_asked(question)[1]}


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("what is the population of Leicestershire?", {"quantity"}),
        ("how many residents does Leicestershire have?", {"count"}),
        ("who is the finance director of Leicestershire County Council?", {"person"}),
        ("who's the mayor of Plymouth?", {"person"}),
        ("what year did the Provider Selection Regime begin?", {"date"}),
        ("who founded the network and when?", {"person"}),
        ("what is a charitable incorporated organisation and how many are there?", set()),
        # Conditions and classes of people, not a particular item.
        ("when can we use a direct award?", set()),
        ("who can bid for a reserved contract?", set()),
        ("who is eligible to nominate an asset of community value?", set()),
        ("can we reserve a contract for a mutual?", set()),
        # A sum of money, a share or a count is asked in its own form, in place of any number.
        ("what does Leicestershire spend on its libraries?", {"money"}),
        ("how much funding did the network get?", {"money"}),
        ("whats the total contract value of the alliance", {"money"}),
        ("which law firm drafted the agreement?", {"body"}),
        ("what is her job title?", {"role"}),
        ("what weighting % did oldham put on social value?", {"share"}),
        ("what proportion of its spending stays local?", {"share"}),
        # "When is X a Y?" asks on what condition, not on what date.
        ("when is something a concession rather than a contract?", set()),
        ("which organisations can bid for a reserved contract?", set()),
        ("what percentage of contracts go to charities?", {"share"}),
        ("how many trustees sit on the board?", {"count"}),
        ("what's the maximum fine for breaching the rules?", {"money"}),
        ("what's the annual subscription to join the network?", {"money"}),
        ("which councillor signed the contract?", {"person"}),
        # Who may act, not who did.
        ("which officer can sign off a waiver?", set()),
        # Without a quantity asked, a word for money asks for no sum.
        ("can we spend the grant on rent?", set()),
        # A situation told without a question mark names a measure ("rate") it does not ask.
        (
            "We're lending a social enterprise £50k at the same rate a bank would charge "
            "them. Our legal officer wonders whether that gives them an advantage at all.",
            set(),
        ),
        # A "when" clause set off before the question is its setting, not a date asked.
        ("when councils talk about commissioning, what do they include besides contracts?", set()),
        # What may be done, not which of two legal forms something is.
        ("can we screen out bidders that aren't a charity or a social enterprise?", set()),
        ("is Action Together a charity or a CIC?", {"legal_form"}),
    ],
)
def test_the_particular_item_a_question_asks_for_is_read_from_its_form(question, kinds):
    assert kinds_asked(question) == kinds


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("what is the population of Leicestershire?", "Leicestershire"),
        ("how many residents does Leicestershire have?", "Leicestershire"),
        ("who is the finance director of Leicestershire County Council?", "Leicestershire"),
        ("who is the mayor of Plymouth?", "Plymouth"),
        ("what was Croydon's total annual budget?", "Croydon"),
        # "Member councils" with "£19bn of budgets" is not Oldham Council's budget.
        ("what is Oldham Council's total revenue budget?", "Oldham"),
    ],
)
def test_a_fact_the_corpus_does_not_state_about_a_council_it_covers_is_declined(
    service, question, named
):
    result = ask(service, question)
    assert result["answer"]["status"] == "not_covered", result["answer"]["text"]
    assert result["citations"] == []
    # The passages about the council are still offered, marked as nearest.
    assert any(named in n["text"] or named in n["title"] for n in result["nearest"])


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("what year did the Provider Selection Regime begin?", "2024"),
        ("in what year was the Public Services (Social Value) Act passed?", "2012"),
    ],
)
def test_a_date_the_corpus_states_is_answered_with_it(service, question, year):
    result = ask(service, question)
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    first = result["answer"]["text"].split("[")[0]
    assert year in first


def test_a_figure_from_the_graph_counts_as_the_figure_asked(service):
    result = ask(service, "how much can a care contract be worth before the threshold bites?")
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    assert re.match(
        r"^For a procurement started on 29 November 2026\b.*£[\d,]+", result["answer"]["text"]
    )


def test_a_figure_the_corpus_states_about_what_was_asked_is_answered(service):
    result = ask(
        service, "how much contract spend a year did Oldham's social value framework apply to?"
    )
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    assert re.search(r"£\s?\d", result["answer"]["text"])


@pytest.mark.parametrize(
    "question",
    [
        # A year, a day of the month or the question's own "section 33" is no count of councils.
        "how many councils have reserved a contract under section 33 so far?",
        # A percentage of GP appointments counts no GP practices.
        "how many GP surgeries send patients to Oldham's social prescribing service?",
        # Sentences naming the insurer as a partner, with years and counts, give no sum.
        "how much money has Zurich Municipal given to the toolkit?",
        # A year ("by 2024") is not what a council spends.
        "what does Cheshire West and Chester spend on bin collection now it is in-house?",
        # The sentence naming a leader near "Oldham Council" names Cheshire West's leader.
        "who's leader of oldham council at the moment",
        # No passage speaks of drafting it: naming other bodies beside the alliance is no answer.
        "which law firm drafted the plymouth alliance agreement",
        # A sum of another partnership's contract is not this one's worth.
        "what's the octavo partnership contract worth",
        # Savings of £12m a year are not what the alliance is worth.
        "what's the one croydon alliance worth?",
        # Sentences about her presenting give no job title.
        "what is rachel silcock's job title at plymouth",
    ],
)
def test_an_item_not_given_about_what_was_asked_does_not_answer(service, question):
    result = ask(service, question)
    assert result["answer"]["status"] == "not_covered", result["answer"]["text"]
    assert result["nearest"], "the passages found are still offered as nearest"


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("how many member councils belong to the co-operative councils network?", r"\d+"),
        ("what proportion of its spending does Oldham Council keep in the borough?", r"\d+%"),
        ("how much is the Barnardo's partnership in Leicestershire worth?", r"£\s?\d"),
        # What it cost is what it was worth: "worth £7.7m in its first year".
        ("what did the plymouth alliance cost in its first year", r"£7\.7m"),
        # The bodies asked for: the charities leading and joining the consortium, the members
        # listed in the sentence after the one saying who delivers the alliance.
        (
            "which charities are in the consortium running oldham's social prescribing?",
            "Action Together",
        ),
        ("which organisations deliver the plymouth alliance?", "Livewell Southwest"),
    ],
)
def test_the_item_asked_in_its_own_form_is_answered(service, question, form):
    result = ask(service, question)
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    assert re.search(form, result["answer"]["text"])


@pytest.mark.parametrize(
    "question",
    [
        # The corpus dates her leadership and her chairing, never an end to it.
        "when did Louise Gittins step down as CCIN chair?",
        # It dates the award decision and the award, not the service's start.
        "when did Oldham's social prescribing service begin seeing patients?",
    ],
)
def test_a_date_of_another_event_does_not_date_the_one_asked(service, question):
    result = ask(service, question)
    assert result["answer"]["status"] in {"not_covered", "not_known"}, result["answer"]["text"]


@pytest.mark.parametrize(
    "question",
    [
        # "The CIC Regulator" named again, in the question's own words, names no one.
        "who is the CIC Regulator at the moment?",
        # "Fair Deal" and "Direction", names the graph knows, are no person's names.
        "who is the CIC Regulator currently?",
        # "Plymouth's Cabinet" is the body asked about, not a person on it.
        "who on Plymouth's cabinet approved extending the alliance?",
        # The graph's definition of the duty leads a "what's the ..." question but gives no fine.
        "what's the maximum fine for breaching the equality duty?",
    ],
)
def test_the_question_s_own_words_or_a_definition_give_no_item_asked(service, question):
    assert ask(service, question)["answer"]["status"] == "not_covered"


def test_an_item_asked_of_a_year_is_given_only_by_a_sentence_of_that_year(service):
    """The corpus counts CCIN's members in 2022: that answers 2022, not 2025."""
    then = ask(service, "how many full council members did CCIN have in 2022?")
    assert then["answer"]["status"] == "answered", then["answer"]["text"]
    assert re.search(r"\b34\b", then["answer"]["text"])
    later = ask(service, "how many full members did CCIN have in 2025?")
    assert later["answer"]["status"] == "not_covered", later["answer"]["text"]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # "Maximum" said as a cap: "capped at four years".
        ("maximum term of a framework agreement under the procurement act", "four years"),
        # A length said as how long a contract "can run for no more than three years".
        (
            "difference in maximum length between a regulation 77 reserved contract and a "
            "section 33 one",
            "five years",
        ),
    ],
)
def test_a_limit_or_a_length_asked_in_other_words_is_answered(service, question, said):
    result = ask(service, question)
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    assert said in result["answer"]["text"]


def test_the_year_in_a_law_s_name_is_not_a_year_asked(service):
    """ "PCR 2015" names the regulations: no "no figures for 2015" for a question on 2022."""
    assert years_named("PCR 2015 thresholds in 2022, and under the Procurement Act 2023") == [2022]
    result = ask(service, "pcr 2015 threshold for council services, 2022 against 2024")
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
    assert "£213,477" in result["answer"]["text"]


def test_how_the_asker_will_find_out_is_no_detail_asked(service):
    """ "Figure out" asks nothing about figures: a hedge on the figures does not answer it."""
    result = ask(
        service, "how do we figure out whether PCR 2015 or the procurement act covers a contract?"
    )
    assert result["answer"]["status"] == "answered", result["answer"]["text"]
