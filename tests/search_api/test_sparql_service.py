"""SPARQL query and update through the core service: an update makes a new snapshot."""

from __future__ import annotations

import json
import shutil

import pytest

from kg.sparql import SparqlError
from search_api.core.service import SearchService
from search_api.core.sparql_service import SparqlQuery, SparqlService

INSERT = "INSERT DATA { <https://example.org/x> <https://example.org/p> 'added' }"
ASK = "ASK { <https://example.org/x> <https://example.org/p> 'added' }"


@pytest.fixture()
def sparql(corpus_settings, corpus_build, encoder, tmp_path) -> SparqlService:
    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data, symlinks=True)
    return SparqlService(
        SearchService(corpus_settings.model_copy(update={"data_dir": data}), encoder)
    )


def _asks(sparql: SparqlService) -> bool:
    return json.loads(sparql.query(SparqlQuery(ASK)).body)["boolean"]


def test_an_update_serves_a_new_snapshot_and_leaves_the_old_one_as_it_was(sparql):
    before = sparql.service.snapshot()
    assert not _asks(sparql)
    sparql.update(INSERT)
    after = sparql.service.snapshot()
    assert after is not before and after.build_id == before.build_id
    assert _asks(sparql)
    assert len(after.store) == len(before.store) + 1


def test_a_malformed_update_is_the_request_s_fault(sparql):
    with pytest.raises(SparqlError) as err:
        sparql.update("INSERT DATA { <a:b> }")
    assert err.value.status == 400 and "malformed SPARQL update" in str(err.value)


def test_queries_are_checked_before_they_run(sparql):
    with pytest.raises(SparqlError) as err:
        sparql.query(SparqlQuery(" "))
    assert err.value.status == 400
    with pytest.raises(SparqlError) as err:
        sparql.query(SparqlQuery(INSERT))
    assert err.value.status == 403
