"""Answers that know which law applies on the date a procurement starts."""

import datetime as dt

import pytest

from kg.config import PROJECT_ROOT
from search_api.core.evaluate import load_questions
from search_api.core.service import Query

ID = "https://w3id.org/p2p-kg/id/"
TODAY = dt.date(2026, 11, 23)
BEFORE_ACT = dt.date(2024, 6, 1)


def route(slug: str) -> str:
    return f"{ID}route/{slug}"


def _notes(service, question: str, day: dt.date) -> dict[str, dict]:
    result = service.ask(Query(question, as_of=day))
    return {n["route"]: n for n in result["regime_notes"]}, result


@pytest.mark.parametrize(
    ("question", "old", "new"),
    [
        (
            "can we use an innovation partnership?",
            "innovation-partnership",
            "competitive-flexible-procedure",
        ),
        (
            "What procurement route did Oldham use for social prescribing?",
            "innovation-partnership",
            "competitive-flexible-procedure",
        ),
        (
            "can we still reserve a contract for a mutual under regulation 77?",
            "reserved-contract-mutuals",
            "reserved-contract-public-service-mutuals",
        ),
        (
            "is the light touch regime still available for social care contracts?",
            "light-touch-regime",
            "light-touch-contract",
        ),
        (
            "how did Plymouth procure its alliance - was it a competitive procedure with negotiation?",
            "competitive-procedure-with-negotiation",
            "competitive-flexible-procedure",
        ),
        (
            "should we run a competitive dialogue for a complex service?",
            "competitive-dialogue",
            "competitive-flexible-procedure",
        ),
        (
            "can we use the negotiated procedure without prior publication for urgency?",
            "negotiated-without-prior-publication",
            "direct-award",
        ),
        ("what replaced regulation 32?", "negotiated-without-prior-publication", "direct-award"),
        (
            "Leicestershire used the light touch regime with Barnardo's: could we do the same?",
            "light-touch-regime",
            "light-touch-contract",
        ),
    ],
)
def test_a_route_no_longer_in_force_is_named_with_its_successor(service, question, old, new):
    notes, result = _notes(service, question, TODAY)
    assert route(old) in notes, result["answer"]["text"]
    note = notes[route(old)]
    assert note["counterpart"] == route(new)
    assert "24 February 2025" in note["text"]
    # Both routes are cited: a passage about each is among the citations.
    cited = {c["n"]: c for c in result["citations"]}
    assert 1 <= len(note["citations"]) <= 2
    mentions = [
        service.snapshot().passages[service.snapshot().rows_by_id[cited[n]["passage_id"]]].mentions
        for n in note["citations"]
    ]
    assert any(route(old) in m for m in mentions) and any(route(new) in m for m in mentions)
    # Said once: the note is shown apart from the quoted answer, not inside it.
    assert note["text"] not in result["answer"]["text"]


@pytest.mark.parametrize(
    "question",
    [
        "can we use an innovation partnership?",
        "is the light touch regime still available?",
    ],
)
def test_no_note_when_the_route_applies_on_the_date(service, question):
    notes, _ = _notes(service, question, BEFORE_ACT)
    assert not notes


def test_notes_before_the_act_flag_only_the_acts_routes(service):
    """A passage about the Act's reservations may be cited for a 2024 procurement: a note may
    say the Act's routes did not yet apply, never that regulation 77's reservation did not."""
    notes, result = _notes(service, "can we still reserve a contract for a mutual?", BEFORE_ACT)
    assert route("reserved-contract-mutuals") not in notes
    for note in notes.values():
        assert "Procurement Act 2023" in note["text"] and "1 June 2024" in note["text"]
    _assert_notes_follow_the_best_passage(service, result)


def _assert_notes_follow_the_best_passage(service, result):
    """The question names no route: a note is only for a route the best passage names itself
    and its document is about, not for every route its document compares."""
    snap = service.snapshot()
    assert not snap.regimes.routes_of(
        [m.iri for m in snap.entities.find_in_question(result["question"])]
    )
    best = snap.passages[snap.rows_by_id[result["citations"][0]["passage_id"]]]
    named = set(snap.regimes.routes_of(list(best.mentions))) & set(best.routes)
    assert {n["route"] for n in result["regime_notes"]} <= named


@pytest.mark.parametrize(
    "question",
    [
        "is there a procurement issue if we partner with a social enterprise?",
        "we kicked off a procurement for a community support service in March 2025 - do the "
        "PCR routes in the toolkit still work for us?",
        "how long can a contract reserved for a mutual last?",
    ],
)
def test_a_route_only_the_best_passages_document_is_about_brings_no_note(service, question):
    _, result = _notes(service, question, TODAY)
    _assert_notes_follow_the_best_passage(service, result)


def test_changing_a_contract_awarded_under_pcr_2015_stays_under_regulation_72(service):
    """An existing contract is changed under the regime it was awarded under: the note says
    regulation 72 still applies to it, and does not treat the change as a new procurement."""
    notes, result = _notes(
        service, "can we vary our existing contract to add more services?", TODAY
    )
    note = notes[route("contract-modification")]
    assert "does not apply" not in note["text"] and note["counterpart"] is None
    assert "Public Contracts Regulations 2015" in note["text"]
    assert set(notes) == {route("contract-modification")}  # no new-procurement routes
    before, _ = _notes(
        service, "can we vary our existing contract to add more services?", BEFORE_ACT
    )
    assert route("contract-modification") not in before  # in force then: nothing to say


@pytest.mark.parametrize(
    ("question", "new", "olds"),
    [
        (
            "can we use the competitive flexible procedure?",
            "competitive-flexible-procedure",
            {
                "innovation-partnership",
                "competitive-procedure-with-negotiation",
                "competitive-dialogue",
            },
        ),
        (
            "can we make a direct award under section 41 of the Procurement Act?",
            "direct-award",
            {"negotiated-without-prior-publication"},
        ),
    ],
)
def test_a_route_not_yet_in_force_points_back(service, question, new, olds):
    notes, _ = _notes(service, question, BEFORE_ACT)
    assert route(new) in notes
    assert notes[route(new)]["counterpart"] in {route(o) for o in olds}
    assert "on or after 24 February 2025" in notes[route(new)]["text"]


def test_provider_selection_regime_before_it_started(service):
    notes, _ = _notes(
        service,
        "can an ICB use Direct Award C under the provider selection regime?",
        dt.date(2023, 6, 1),
    )
    note = notes[route("psr-direct-award-c")]
    assert note["counterpart"] is None and "1 January 2024" in note["text"]
    later, _ = _notes(
        service,
        "can an ICB use Direct Award C under the provider selection regime?",
        dt.date(2024, 6, 1),
    )
    assert route("psr-direct-award-c") not in later


def test_regime_dates_come_from_the_graph(service):
    index = service.snapshot().regimes
    pcr, pa = index.regimes[f"{ID}regime/pcr2015"], index.regimes[f"{ID}regime/pa2023"]
    assert pcr.applies(dt.date(2025, 2, 23)) and not pcr.applies(dt.date(2025, 2, 24))
    assert pa.applies(dt.date(2025, 2, 24)) and not pa.applies(dt.date(2025, 2, 23))
    assert not index.regimes[f"{ID}regime/psr2023"].applies(dt.date(2023, 12, 31))


def test_search_takes_as_of_too(service):
    result = service.search(Query("innovation partnership", 5, as_of=TODAY))
    assert result["as_of"] == "2026-11-23"
    assert any(
        n["counterpart"] == route("competitive-flexible-procedure") for n in result["regime_notes"]
    )


def test_regime_questions_of_the_development_set_find_their_passages(service):
    questions = [
        q
        for q in load_questions(PROJECT_ROOT / "corpus" / "eval" / "dev.jsonl")
        if "regime" in q.tags
    ]
    assert len(questions) >= 20
    found = 0
    for q in questions:
        ranked = [r["passage_id"] for r in service.search(Query(q.question, 10))["results"]]
        found += any(pid in q.relevant for pid in ranked)
    assert found / len(questions) >= 0.9
