"""``kg serve`` starts and answers over real HTTP on 127.0.0.1.

A smoke test of the real process: command line, uvicorn, start-up, a socket. The routes
themselves are checked in-process (tests/search_api/test_http_routes.py).
"""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.e2e


def test_health_names_the_build(live_server, corpus_build):
    body = httpx.get(f"{live_server}/health").json()
    assert body["status"] == "ok" and body["build"] == corpus_build.build.id
    assert body["passages"] > 100 and body["triples"] > 1000


def test_ask_get_and_post_answer_with_citations(live_server):
    q = "Is there a procurement issue if we partner with a social enterprise?"
    got = httpx.get(f"{live_server}/ask", params={"q": q, "k": 4}).json()
    posted = httpx.post(f"{live_server}/ask", json={"question": q, "k": 4}).json()
    assert got["answer"] == posted["answer"]
    assert got["answer"]["supported"] is True and got["citations"]


def test_page_sparql_and_a_slow_query_over_http(live_server):
    page = httpx.get(f"{live_server}/")
    assert page.status_code == 200 and '<label for="q">' in page.text
    r = httpx.post(f"{live_server}/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and r.json()["boolean"] is True
    # A query over the time limit is stopped in its worker process; the server carries on.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = httpx.get(f"{live_server}/sparql", params={"query": slow}, timeout=60)
    assert r.status_code == 503 and "stopped" in r.json()["detail"]
    assert httpx.get(f"{live_server}/sparql", params={"query": "ASK {}"}).status_code == 200
