"""The graph in a real Oxigraph server on 127.0.0.1: ingest writes, the service reads.

The tests with the server are marked e2e; the one with the store down needs none."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from bench.serving import free_port
from ingest.pipeline import run
from kg import remote
from kg.config import Settings
from kg.sparql import SparqlError, execute
from search_api.core.service import Query, SearchService
from tests.conftest import CORPUS
from tests.servers import oxigraph_server as running_oxigraph


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.mark.e2e
def test_ingest_writes_a_named_graph_per_build_and_switches(oxigraph_server, tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data", graph_store=oxigraph_server, sparql_workers=0)
    endpoints = settings.remote_endpoints()
    first = run(settings, [CORPUS / "case-studies"], encoder=encoder)
    graph1 = first.build.manifest["graph"]
    assert graph1.startswith(settings.id_base + "graph/build/")
    assert remote.current_graph(endpoints) == graph1

    service = SearchService(settings, encoder)
    store = service.snapshot().store
    assert isinstance(store, remote.RemoteStore)
    assert len(store) == first.triples  # the named graph holds exactly the build's triples
    # /health's count asks the remote store each time: a change made there is seen.
    snapshot = service.snapshot()
    assert snapshot.triples == first.triples
    store.update("INSERT DATA { <https://example.org/x> <https://example.org/p> 'added' }")
    assert snapshot.triples == first.triples + 1
    body = json.loads(
        execute(
            store,
            "SELECT ?route WHERE { ?p p2p:council ?c ; p2p:route ?r . "
            "?c dcterms:identifier 'oldham' . ?r dcterms:identifier "
            "?route }",
        ).body
    )
    assert [b["route"]["value"] for b in body["results"]["bindings"]] == ["innovation-partnership"]
    answer = service.ask(Query("What procurement route did Oldham use?"))
    assert "innovation partnership" in answer["answer"]["text"].lower()

    second = run(settings, [CORPUS / "case-studies", CORPUS / "faq"], encoder=encoder)
    graph2 = second.build.manifest["graph"]
    assert graph2 != graph1 and remote.current_graph(endpoints) == graph2
    # The service looks for a new build at most once a second.
    deadline = time.monotonic() + 30
    while len(service.snapshot().store) != second.triples and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(service.snapshot().store) == second.triples


@pytest.mark.e2e
def test_remote_errors_are_clear(oxigraph_server, tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data", graph_store=oxigraph_server)
    run(settings, [CORPUS / "faq"], encoder=encoder)
    store = SearchService(settings, encoder).snapshot().store
    with pytest.raises(SparqlError) as err:
        execute(store, "SELECT ?x WHERE { ?x a }")
    assert err.value.status == 400 and "1:" in str(err.value)
    down = remote.RemoteStore(
        remote.Endpoints.from_base(f"http://127.0.0.1:{free_port()}"), store.graph, timeout=2
    )
    with pytest.raises(SparqlError) as err:
        execute(down, "ASK { ?s ?p ?o }")
    assert err.value.status == 503


def test_ingest_fails_cleanly_when_the_store_is_down(
    tmp_path, corpus_settings, corpus_build, encoder
):
    from kg.build import BuildError, open_current

    data = tmp_path / "data"  # the corpus build, so nothing needs embedding again
    shutil.copytree(corpus_settings.data_dir, data, symlinks=True)
    before = open_current(data).id
    settings = Settings(data_dir=data, graph_store=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(BuildError, match="cannot write the graph"):
        run(settings, [CORPUS / "faq"], encoder=encoder)
    assert open_current(data).id == before


@pytest.mark.e2e
def test_a_remote_store_gone_down_is_a_503_not_a_500(tmp_path, encoder):
    from fastapi.testclient import TestClient

    from search_api.http.app import create_app

    with running_oxigraph(tmp_path / "oxigraph") as base:
        settings = Settings(data_dir=tmp_path / "data", graph_store=base, sparql_workers=0)
        run(settings, [CORPUS / "case-studies"], encoder=encoder)
        service = SearchService(settings, encoder)
        client = TestClient(create_app(settings, service), raise_server_exceptions=False)
        assert client.get("/health").status_code == 200
    # The server is stopped: the graph cannot be read, and every route says so.
    for path in ("/health", "/sparql?query=ASK%20%7B%3Fs%20%3Fp%20%3Fo%7D"):
        response = client.get(path)
        assert response.status_code == 503, (path, response.text)
        assert "did not answer" in response.json()["detail"], response.text
    answer = client.get("/ask", params={"q": "What procurement route did Oldham use?"})
    assert answer.status_code in {200, 503}, answer.text  # passages need no graph
