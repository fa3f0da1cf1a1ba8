"""What an /ask keeps from one question to the next (graph facts per entity list, stems,
sentences, verdict clauses) gives the answers computed afresh, and no caller can change it."""

from __future__ import annotations

import datetime as dt

import pytest

from kg import text
from search_api.core import answer, facts, verdict
from search_api.core.prepared import prepare
from search_api.core.service import Query

OLDHAM = "https://w3id.org/p2p-kg/id/council/oldham"
QUESTIONS = [
    "What did Oldham do with social prescribing?",
    "Can we give a contract to a charity without a competition?",
    "what is the best value duty",
    "What are the five correctives?",
    "How much is the threshold for works contracts?",
    "Who runs the pizza shop on the high street?",
]
DAY = dt.date(2026, 11, 29)


def forget_everything_kept(snapshot) -> None:
    for kept in (
        text._cached_stems,
        text._cached_stem_set,
        text._spans,
        answer._units,
        answer.leans,
        answer._not_prose,
        answer._holds,
        verdict.unknown_clause,
    ):
        kept.cache_clear()
    snapshot.cache.pop("partnership_facts", None)
    snapshot.cache.pop("definitions", None)


def answers(service) -> list[dict]:
    out = []
    for q in QUESTIONS:
        result = service.ask(Query(q, as_of=DAY))
        result.pop("took_ms"), result.pop("timings")
        out.append(result)
    return out


@pytest.fixture(scope="module")
def snapshot(service):
    return service.snapshot()


def test_answers_from_kept_reads_are_the_answers_made_afresh(service, snapshot):
    forget_everything_kept(snapshot)
    fresh = answers(service)
    assert snapshot.cache["partnership_facts"]  # the first pass kept what it read
    assert answer._units.cache_info().currsize > 0
    assert answers(service) == fresh


def test_partnership_facts_are_read_once_and_each_caller_gets_a_copy(snapshot):
    snapshot.cache.pop("partnership_facts", None)
    first = facts.partnership_facts(snapshot, [OLDHAM])
    assert first and first == facts._partnership_facts(snapshot, [OLDHAM])[:3]
    assert list(snapshot.cache["partnership_facts"]) == [(OLDHAM,)]
    first[0].passage_ids.append("changed")
    first[0].routes.clear()
    again = facts.partnership_facts(snapshot, [OLDHAM])
    assert again == facts._partnership_facts(snapshot, [OLDHAM])[:3]
    assert "changed" not in again[0].passage_ids and again[0].routes
    assert len(facts.partnership_facts(snapshot, [OLDHAM], limit=1)) == 1


def test_definitions_are_read_once_per_entity_list(snapshot):
    concepts = [
        iri
        for iri, record in snapshot.entities.records.items()
        if record.type in {"topic", "route"}
    ]
    assert concepts
    snapshot.cache.pop("definitions", None)
    found = facts.definitions(snapshot, concepts)
    assert found and found == facts._definitions(snapshot, concepts)
    found.clear()
    assert facts.definitions(snapshot, concepts) == facts._definitions(snapshot, concepts)
    assert list(snapshot.cache["definitions"]) == [tuple(concepts)]


def test_what_is_kept_stays_within_its_bound(snapshot, monkeypatch):
    monkeypatch.setattr(facts, "ENTITY_SETS_KEPT", 1)
    snapshot.cache.pop("partnership_facts", None)
    facts.partnership_facts(snapshot, [OLDHAM])
    other = [iri for iri in snapshot.entities.records if iri != OLDHAM][:2]
    facts.partnership_facts(snapshot, other)  # read, answered, not kept
    assert list(snapshot.cache["partnership_facts"]) == [(OLDHAM,)]


def test_a_changed_graph_reads_its_facts_again(snapshot):
    facts.partnership_facts(snapshot, [OLDHAM])
    changed = snapshot.with_graph(snapshot.store, snapshot.graph_path)
    assert "partnership_facts" not in changed.cache


def test_a_loaded_build_has_what_answers_read_prepared(snapshot):
    forget_everything_kept(snapshot)
    snapshot.cache.clear()
    assert prepare(snapshot, limit=3) == 3
    assert answer._units.cache_info().currsize == 3
    assert {"schemes", "thresholds", "jurisdictions"} <= set(snapshot.cache)
    assert prepare(snapshot) == len(snapshot.passages)
    before = answer._units.cache_info()
    for passage in snapshot.passages:
        sentences = answer.units(passage.text)
        assert [text.tokens(s) for _, s in sentences]
    after = answer._units.cache_info()
    assert after.hits - before.hits == len(snapshot.passages) and after.misses == before.misses
