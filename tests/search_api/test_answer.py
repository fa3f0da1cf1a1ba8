"""What an answer may quote: sentences that stand on their own once lifted out."""

from kg.build import PassageRow
from kg.text import tokens
from search_api.core.answer import Candidate, NamedIn, _not_known, compose, units

CONDITIONS = (
    "To bid, an organisation must meet these conditions:\n\n"
    "- it exists to deliver public services;\n"
    "- it is not run for profit; and\n"
    "- it is controlled by its employees."
)


def test_a_short_list_is_quoted_whole_with_its_lead_in():
    assert units(CONDITIONS) == [
        (
            0,
            "To bid, an organisation must meet these conditions: it exists to deliver public "
            "services; it is not run for profit; it is controlled by its employees.",
        )
    ]


def test_items_of_a_long_list_each_keep_their_lead_in():
    items = [f"- condition number {n} {'with many words ' * 12}" for n in range(6)]
    text = "Intro sentence here. The conditions are:\n" + "\n".join(items)
    quoted = units(text)
    assert quoted[0] == (0, "Intro sentence here.")
    assert len(quoted) == 7
    for (offset, sentence), n in zip(quoted[1:], range(6), strict=True):
        assert sentence.startswith(f"The conditions are: condition number {n} ")
        assert text[offset:].startswith(f"- condition number {n}")


def test_a_sentence_leaning_on_the_one_before_is_quoted_with_it():
    text = (
        "Regulation 12 follows the Teckal judgment of the European court. "
        "Hence the name Teckal exemption that is often used for it."
    )
    passage = PassageRow("doc/p1", "doc", "", "guidance", "", text, "", 0, len(text))
    answer = compose(["teckal", "exempt"], [(passage, 1.0)], {"teckal": 3.0}, True)
    assert answer.text.startswith("Regulation 12 follows the Teckal judgment")
    # "Hence the name ..." is never quoted without the sentence it leans on.
    assert "] Hence" not in answer.text
    if "Hence the name" in answer.text:
        assert "European court. Hence the name" in answer.text


def test_quotable_units_are_split_once_and_each_caller_gets_its_own_list():
    first = units(CONDITIONS)
    kept = list(first)
    first.clear()  # a caller changing its list changes no other caller's
    assert kept and units(CONDITIONS) == kept


def test_an_unknown_about_someone_else_answers_nothing_about_who_was_asked_of():
    """ "What Kibble contributed … is not known" says nothing of Oldham's route; the same words
    in the document about Oldham, or naming it, would."""
    question = set(tokens("What procurement route did Oldham use?"))
    idf = dict.fromkeys(question, 1.0)
    hedge = (
        "What Kibble and Catch22 contributed to the toolkit, and which procurement routes were "
        "used, are not known from the sources."
    )
    elsewhere = Candidate(1.0, 0, 0, hedge, 1, "case-other-case-studies")
    oldham = NamedIn(frozenset({"oldham"}), frozenset({"case-oldham-social-value-framework"}))
    assert _not_known([elsewhere], question, idf, {"oldham"}, question) is elsewhere
    assert _not_known([elsewhere], question, idf, {"oldham"}, question, oldham) is None
    in_its_document = Candidate(1.0, 0, 0, hedge, 1, "case-oldham-social-value-framework")
    assert _not_known([in_its_document], question, idf, {"oldham"}, question, oldham)
    naming_it = Candidate(1.0, 0, 0, hedge.replace("Kibble", "Oldham"), 1, "elsewhere")
    assert _not_known([naming_it], question, idf, {"oldham"}, question, oldham)
