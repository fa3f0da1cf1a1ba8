"""The HTTP API in-process: routes, formats, errors and headers over the session's corpus build.

The same app ``kg serve`` runs (middleware, start-up, SPARQL workers), called through
Starlette's TestClient; tests/e2e/ keeps the checks that need a real server and socket.
"""

from __future__ import annotations

import shutil
import time

import pytest

from search_api.core.service import SearchService
from tests.conftest import app_client

ALLOWED = "http://127.0.0.1:9999"


@pytest.fixture(scope="module")
def allow_listed(app_settings, service):
    """An app whose answers are open to one listed origin; its SPARQL runs in-process (the CORS
    check sends only ASK {})."""
    settings = app_settings.model_copy(update={"cors_origins": [ALLOWED], "sparql_workers": 0})
    with app_client(settings, service) as http:
        yield http


def test_health_names_the_build(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["passages"] > 100 and body["triples"] > 1000
    # The embedded graph is counted once per snapshot, not walked again by every probe.
    snapshot = client.app.state.service.snapshot()
    assert snapshot.cache["triples"] == body["triples"] == len(snapshot.store)


def test_ask_get_and_post_answer_with_citations(client):
    q = "Is there a procurement issue if we partner with a social enterprise?"
    got = client.get("/ask", params={"q": q, "k": 4}).json()
    posted = client.post("/ask", json={"question": q, "k": 4}).json()
    assert got["answer"] == posted["answer"]
    assert got["answer"]["supported"] is True
    assert len(got["citations"]) >= 1
    assert set(got) >= {"question", "answer", "citations", "entities", "took_ms"}
    c = got["citations"][0]
    assert set(c) >= {
        "n",
        "passage_id",
        "document_id",
        "title",
        "kind",
        "source_url",
        "text",
        "score",
        "char_start",
        "char_end",
    }


def test_out_of_domain_is_unsupported_over_http(client):
    body = client.get("/ask", params={"q": "best pizza in Naples"}).json()
    assert body["answer"]["supported"] is False


def test_answer_status_over_http_and_in_the_openapi_description(client):
    statuses = {
        "Can we reserve a contract for a mutual?": "answered",
        "what do the letters in E3M stand for?": "not_known",
        "best pizza in Naples": "not_covered",
    }
    for question, status in statuses.items():
        answer = client.get("/ask", params={"q": question}).json()["answer"]
        assert answer["status"] == status, question
        assert answer["supported"] is (status == "answered")
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AnswerBody"]
    assert schema["properties"]["status"]["enum"] == ["answered", "not_known", "not_covered"]


def test_bad_requests_get_clear_4xx(client):
    assert client.get("/ask", params={"q": ""}).status_code == 422
    assert client.get("/ask", params={"q": "x", "k": 0}).status_code == 422
    long = client.get("/ask", params={"q": "social value " * 200})
    assert long.status_code == 422 and "limit" in long.json()["detail"]
    assert client.post("/ask", json={"k": 3}).status_code == 422


def test_sparql_protocol_over_http(client):
    query = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a p2p:Council }"
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) >= 5
    r = client.post(
        "/sparql",
        content=query,
        headers={"content-type": "application/sparql-query", "accept": "text/csv"},
    )
    assert r.status_code == 200 and r.text.splitlines()[0].strip() == "n"
    r = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert r.json()["boolean"] is True
    bad = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x a }"})
    assert bad.status_code == 400 and "1:" in bad.json()["detail"]
    upd = client.post("/sparql", data={"update": "INSERT DATA { <a:a> <a:b> <a:c> }"})
    assert upd.status_code == 403


def test_page_and_openapi_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and '<label for="q">' in page.text
    assert client.get("/static/page.js").status_code == 200
    assert "/ask" in client.get("/openapi.json").json()["paths"]


def test_sparql_get_without_query_describes_the_service(client):
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and "sd:Service" in r.text and "sd:SPARQL11Query" in r.text
    page = client.get("/sparql", headers={"accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200 and "/static/yasgui/yasgui.min.js" in page.text
    examples = client.get("/sparql/examples").json()
    assert isinstance(examples, list)


def test_sparql_result_formats_and_406(client):
    query = "SELECT ?c WHERE { ?c a p2p:Council } LIMIT 2"
    for accept, marker in (
        ("application/sparql-results+xml", "<sparql"),
        ("text/tab-separated-values", "?c"),
        ("text/csv", "c"),
    ):
        r = client.get("/sparql", params={"query": query}, headers={"accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        assert r.text.lstrip().startswith(marker) or marker in r.text
    r = client.get("/sparql", params={"query": query, "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    construct = "CONSTRUCT { ?c a p2p:Council } WHERE { ?c a p2p:Council }"
    for accept in ("application/n-triples", "application/ld+json", "application/rdf+xml"):
        r = client.get("/sparql", params={"query": construct}, headers={"accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    r = client.get("/sparql", params={"query": query}, headers={"accept": "image/png"})
    assert r.status_code == 406


@pytest.mark.slow
def test_runaway_query_is_stopped_and_the_server_carries_on(client):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    r = client.get("/sparql", params={"query": slow})
    assert r.status_code == 503 and "stopped" in r.json()["detail"]
    assert time.monotonic() - started < 20
    ok = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_federated_service_queries_are_refused(client):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 400 and "SERVICE" in r.json()["detail"]


def test_cors_open_for_sparql_and_allow_listed_for_answers(allow_listed):
    other = {"origin": "http://example.org"}
    r = allow_listed.get("/sparql", params={"query": "ASK {}"}, headers=other)
    assert r.headers["access-control-allow-origin"] == "*"
    r = allow_listed.get("/search", params={"q": "grants"}, headers=other)
    assert "access-control-allow-origin" not in r.headers
    listed = {"origin": ALLOWED}
    r = allow_listed.get("/search", params={"q": "grants"}, headers=listed)
    assert r.headers["access-control-allow-origin"] == ALLOWED
    pre = allow_listed.options("/ask", headers={**listed, "access-control-request-method": "POST"})
    assert pre.status_code == 403


def test_a_query_posted_from_another_origin_is_readable_there(allow_listed):
    """YASGUI's default request: a form POST (a CORS "simple" request, no preflight)."""
    other = {"origin": "http://example.org"}
    r = allow_listed.post("/sparql", data={"query": "ASK {}"}, headers=other)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    r = allow_listed.post("/sparql", data={"query": "ASK {"}, headers=other)
    assert r.status_code == 400 and r.headers["access-control-allow-origin"] == "*"
    pre = allow_listed.options(
        "/sparql",
        headers={
            **other,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert pre.status_code == 204 and "POST" in pre.headers["access-control-allow-methods"]


def test_no_preflight_lets_another_origin_send_the_update_token(allow_listed):
    pre = allow_listed.options(
        "/sparql",
        headers={
            "origin": "http://example.org",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization,content-type",
        },
    )
    assert pre.status_code == 403 and "access-control-allow-origin" not in pre.headers
    # POST stays closed on every other path.
    pre = allow_listed.options(
        "/id/council/oldham",
        headers={"origin": "http://example.org", "access-control-request-method": "POST"},
    )
    assert pre.status_code == 403


def test_entity_iris_resolve_by_content_negotiation(client):
    path = "/id/council/oldham"
    ttl = client.get(path, headers={"accept": "text/turtle"})
    assert ttl.status_code == 200 and "E08000004" in ttl.text
    ld = client.get(path, headers={"accept": "application/ld+json"})
    assert ld.status_code == 200 and "E08000004" in ld.text
    html = client.get(path, headers={"accept": "text/html"})
    assert html.status_code == 200 and "<h1>Oldham Council</h1>" in html.text
    assert "/id/passage/case-oldham-social-prescribing/" in html.text
    assert client.get("/id/council/atlantis").status_code == 404


def test_dumps_download_the_whole_graph(client):
    listing = client.get("/dumps").json()
    assert set(listing) == {"turtle", "nt", "jsonld", "rdfxml"}
    nt = client.get("/dumps/graph.nt")
    assert nt.status_code == 200 and nt.text.count("\n") == client.get("/health").json()["triples"]
    assert client.get("/dumps/../../etc/passwd").status_code == 404


def test_semantic_similarity_over_the_endpoint(client):
    query = """SELECT ?id WHERE { ?p a p2p:Passage ; dcterms:identifier ?id .
      BIND(kgfn:similarity(?p, "reserving contracts for employee-owned mutuals") AS ?s) }
      ORDER BY DESC(?s) LIMIT 5"""
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200
    ids = [b["id"]["value"] for b in r.json()["results"]["bindings"]]
    assert any("reserved" in i for i in ids[:3]), ids
    described = client.get("/sparql", headers={"accept": "text/turtle"}).text
    assert "sd:extensionFunction <https://w3id.org/p2p-kg/function#similarity>" in described


def test_updates_need_the_configured_token(app_settings, encoder, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(app_settings.data_dir, data, symlinks=True)
    settings = app_settings.model_copy(update={"data_dir": data, "update_token": "s3cret"})
    insert = "INSERT DATA { <https://example.org/x> <https://example.org/p> 'added' }"
    ask = "ASK { <https://example.org/x> <https://example.org/p> 'added' }"
    with app_client(settings, SearchService(settings, encoder)) as http:
        denied = http.post("/sparql", data={"update": insert})
        assert denied.status_code == 403 and "Bearer" in denied.json()["detail"]
        wrong = http.post(
            "/sparql",
            content=insert,
            headers={"content-type": "application/sparql-update", "authorization": "Bearer nope"},
        )
        assert wrong.status_code == 403
        assert http.get("/sparql", params={"query": ask}).json()["boolean"] is False
        before = http.get("/health").json()["triples"]
        ok = http.post(
            "/sparql", data={"update": insert}, headers={"authorization": "Bearer s3cret"}
        )
        assert ok.status_code == 204
        assert http.get("/sparql", params={"query": ask}).json()["boolean"] is True
        # /health counts the triples once per graph: the changed graph is counted anew.
        assert http.get("/health").json()["triples"] == before + 1
        bad = http.post(
            "/sparql",
            data={"update": "INSERT DATA { <a:b> }"},
            headers={"authorization": "Bearer s3cret"},
        )
        assert bad.status_code == 400
        delete = "DELETE DATA { <https://example.org/x> <https://example.org/p> 'added' }"
        assert (
            http.post(
                "/sparql",
                data={"update": delete},
                headers={"authorization": "Bearer s3cret"},
            ).status_code
            == 204
        )
        assert http.get("/sparql", params={"query": ask}).json()["boolean"] is False
        assert http.get("/health").json()["triples"] == before


def test_a_method_a_path_does_not_answer_lists_all_it_does(client):
    r = client.request("PUT", "/sparql")
    assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "POST"}
    r = client.request("DELETE", "/ask")
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "POST"}


def test_the_openapi_description_declares_the_real_error_model_and_media_types(client):
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in str(spec)
    assert spec["components"]["schemas"]["ErrorBody"]["required"] == ["error", "detail"]
    ontology = spec["paths"]["/ontology"]["get"]["responses"]
    assert list(ontology["200"]["content"]) == ["text/turtle"] and "404" in ontology
    widget = spec["paths"]["/widget.js"]["get"]["responses"]["200"]["content"]
    assert list(widget) == ["application/javascript"]
    post = spec["paths"]["/sparql"]["post"]
    assert set(post["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded",
        "application/sparql-query",
        "application/sparql-update",
    }
    assert {"400", "403", "415", "204"} <= set(post["responses"])
    # A client can check an IRI before sending it; the question's limit is the setting's.
    (iri,) = [
        p for p in spec["paths"]["/graph/neighbourhood"]["get"]["parameters"] if p["name"] == "iri"
    ]
    assert iri["schema"]["format"] == "iri" and iri["schema"]["pattern"].startswith("^https?://")
    (q,) = [p for p in spec["paths"]["/ask"]["get"]["parameters"] if p["name"] == "q"]
    assert q["schema"]["maxLength"] == client.app.state.settings.max_question_chars
    # A 422 answers in the declared shape.
    r = client.get("/ask", params={"q": "x", "k": 0})
    assert r.status_code == 422 and set(r.json()) == {"error", "detail"}


def test_the_service_description_states_the_endpoint_s_rules(client):
    from rdflib import Graph, Namespace
    from rdflib.namespace import DCTERMS

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    graph = Graph().parse(data=r.text, format="turtle")
    (service,) = graph.subjects(sd.endpoint, None)
    rules = str(graph.value(service, DCTERMS.description))
    assert "Bearer" in rules and "SERVICE" in rules and "LOAD" in rules
    # No update token is configured here: the endpoint does not claim SPARQL Update.
    assert set(graph.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}


def test_protocol_requests_the_endpoint_refuses(client):
    """What the W3C suite checks over a socket (tests/w3c), in the quick loop too."""
    two = client.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20*%20%7B%7D")
    assert two.status_code == 400 and "exactly one" in two.json()["detail"]
    by_get = client.get("/sparql", params={"update": "CLEAR ALL"})
    assert by_get.status_code == 400 and "POST" in by_get.json()["detail"]
    both = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert both.status_code == 400
    utf16 = client.post(
        "/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"content-type": "application/sparql-query; charset=UTF-16"},
    )
    assert utf16.status_code == 415 and "UTF-8" in utf16.json()["detail"]
    plain = client.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    bad_graph = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "a b"})
    assert bad_graph.status_code == 400 and "default-graph-uri" in bad_graph.json()["detail"]
    # Relative IRIs resolve against the endpoint's URL.
    base = client.get("/sparql", params={"query": "SELECT (STR(<x>) AS ?iri) {}"}).json()
    assert base["results"]["bindings"][0]["iri"]["value"] == "http://testserver/x"


def test_without_a_build_the_search_routes_answer_503_not_500(app_settings, encoder, tmp_path):
    settings = app_settings.model_copy(update={"data_dir": tmp_path / "empty", "sparql_workers": 0})
    with app_client(settings, SearchService(settings, encoder)) as http:
        for path, params in (("/health", {}), ("/ask", {"q": "a"}), ("/search", {"q": "a"})):
            r = http.get(path, params=params)
            assert r.status_code == 503 and r.json()["error"] == "no_build", (path, r.text)
        r = http.post("/ask", json={"question": "a"})
        assert r.status_code == 503 and r.json()["error"] == "no_build"
