"""SPARQL query and update through the core service: an update makes a new snapshot."""

from __future__ import annotations

import json
import shutil

import pytest

from kg.sparql import SparqlError
from search_api.core.service import SearchService
from search_api.core.sparql_service import SparqlQuery, SparqlService, SparqlUpdate

INSERT = "INSERT DATA { <https://example.org/x> <https://example.org/p> 'added' }"
ASK = "ASK { <https://example.org/x> <https://example.org/p> 'added' }"


@pytest.fixture()
def sparql(corpus_settings, corpus_build, encoder, tmp_path) -> SparqlService:
    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data, symlinks=True)
    return SparqlService(
        SearchService(corpus_settings.model_copy(update={"data_dir": data}), encoder)
    )


def _asks(sparql: SparqlService, ask: str = ASK) -> bool:
    return json.loads(sparql.query(SparqlQuery(ask)).body)["boolean"]


def test_an_update_serves_a_new_snapshot_and_leaves_the_old_one_as_it_was(sparql):
    before = sparql.service.snapshot()
    assert not _asks(sparql)
    sparql.update(SparqlUpdate(INSERT))
    after = sparql.service.snapshot()
    assert after is not before and after.build_id == before.build_id
    assert _asks(sparql)
    assert len(after.store) == len(before.store) + 1


def test_a_malformed_update_is_the_request_s_fault(sparql):
    with pytest.raises(SparqlError) as err:
        sparql.update(SparqlUpdate("INSERT DATA { <a:b> }"))
    assert err.value.status == 400 and "malformed SPARQL update" in str(err.value)


def test_queries_are_checked_before_they_run(sparql):
    with pytest.raises(SparqlError) as err:
        sparql.query(SparqlQuery(" "))
    assert err.value.status == 400
    with pytest.raises(SparqlError) as err:
        sparql.query(SparqlQuery(INSERT))
    assert err.value.status == 403


NAMED = "https://example.org/graph/notes"
INSERT_NAMED = (
    f"INSERT DATA {{ GRAPH <{NAMED}> {{ <https://example.org/x> <https://example.org/p> 1 }} }}"
)
ASK_NAMED = f"ASK {{ GRAPH <{NAMED}> {{ <https://example.org/x> <https://example.org/p> 1 }} }}"


def test_named_graphs_an_update_writes_are_served_and_survive_a_restart(sparql, encoder):
    sparql.update(SparqlUpdate(INSERT_NAMED))
    sparql.update(SparqlUpdate(INSERT))
    assert _asks(sparql, ASK_NAMED) and _asks(sparql)
    # A new service over the same data folder (a restart) serves the changed dataset.
    restarted = SparqlService(SearchService(sparql.service.settings, encoder))
    assert _asks(restarted, ASK_NAMED) and _asks(restarted)
    kept = list((sparql.service.settings.data_dir / "updates").iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".nq"


def test_query_workers_see_named_graphs_written_by_an_update(sparql):
    from kg.query_runner import QueryRunner

    runner = QueryRunner(workers=1, timeout_s=30)
    try:
        with_workers = SparqlService(sparql.service, runner)
        with_workers.update(SparqlUpdate(INSERT_NAMED))
        assert _asks(with_workers, ASK_NAMED)
    finally:
        runner.close()


def test_using_graph_uri_is_the_update_s_where_dataset(sparql):
    sparql.update(SparqlUpdate(INSERT_NAMED))
    copy = "INSERT { GRAPH <https://example.org/graph/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    sparql.update(SparqlUpdate(copy, using_graphs=[NAMED]))
    copied = "ASK { GRAPH <https://example.org/graph/copy> { ?s ?p ?o } }"
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/graph/copy> { ?s ?p ?o } }"
    assert _asks(sparql, copied)
    body = json.loads(sparql.query(SparqlQuery(count)).body)
    assert body["results"]["bindings"][0]["n"]["value"] == "1"  # only the named graph's triple


def test_using_graph_uri_with_using_or_with_in_the_update_is_refused(sparql):
    update = f"WITH <{NAMED}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"
    with pytest.raises(SparqlError) as err:
        sparql.update(SparqlUpdate(update, using_named_graphs=[NAMED]))
    assert err.value.status == 400 and "USING or WITH" in str(err.value)


def test_load_is_refused_since_the_service_fetches_no_urls(sparql):
    with pytest.raises(SparqlError) as err:
        sparql.update(SparqlUpdate("LOAD <http://127.0.0.1:1/data.ttl>"))
    assert err.value.status == 400 and "LOAD" in str(err.value)


def test_relative_iris_resolve_against_the_service_base(sparql):
    base = "http://127.0.0.1:8000/sparql"
    sparql.update(SparqlUpdate("INSERT DATA { <s> <p> <o> }", base_iri=base))
    assert _asks(sparql, "ASK { <http://127.0.0.1:8000/s> ?p <http://127.0.0.1:8000/o> }")
    body = sparql.query(SparqlQuery("ASK { <s> <p> <o> }", base_iri=base)).body
    assert json.loads(body)["boolean"] is True
