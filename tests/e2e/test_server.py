"""A real uvicorn server on 127.0.0.1, called over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from kg.config import PROJECT_ROOT

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(corpus_settings, corpus_build):
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "KG_DATA_DIR": str(corpus_settings.data_dir)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stdout.read().decode())
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("server did not start")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_health_names_the_build(server):
    body = httpx.get(f"{server}/health").json()
    assert body["status"] == "ok" and body["passages"] > 100 and body["triples"] > 1000


def test_ask_get_and_post_answer_with_citations(server):
    q = "Is there a procurement issue if we partner with a social enterprise?"
    got = httpx.get(f"{server}/ask", params={"q": q, "k": 4}).json()
    posted = httpx.post(f"{server}/ask", json={"question": q, "k": 4}).json()
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


def test_out_of_domain_is_unsupported_over_http(server):
    body = httpx.get(f"{server}/ask", params={"q": "best pizza in Naples"}).json()
    assert body["answer"]["supported"] is False


def test_bad_requests_get_clear_4xx(server):
    assert httpx.get(f"{server}/ask", params={"q": ""}).status_code == 422
    assert httpx.get(f"{server}/ask", params={"q": "x", "k": 0}).status_code == 422
    long = httpx.get(f"{server}/ask", params={"q": "social value " * 200})
    assert long.status_code == 413 and "limit" in long.json()["detail"]
    assert httpx.post(f"{server}/ask", json={"k": 3}).status_code == 422


def test_sparql_protocol_over_http(server):
    query = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a p2p:Council }"
    r = httpx.get(f"{server}/sparql", params={"query": query})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) >= 5
    r = httpx.post(
        f"{server}/sparql",
        content=query,
        headers={"content-type": "application/sparql-query", "accept": "text/csv"},
    )
    assert r.status_code == 200 and r.text.splitlines()[0].strip() == "n"
    r = httpx.post(f"{server}/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert r.json()["boolean"] is True
    bad = httpx.get(f"{server}/sparql", params={"query": "SELECT ?x WHERE { ?x a }"})
    assert bad.status_code == 400 and "1:" in bad.json()["detail"]
    upd = httpx.post(f"{server}/sparql", data={"update": "INSERT DATA { <a:a> <a:b> <a:c> }"})
    assert upd.status_code == 403


def test_page_and_openapi_are_served(server):
    page = httpx.get(f"{server}/")
    assert page.status_code == 200 and '<label for="q">' in page.text
    assert httpx.get(f"{server}/static/page.js").status_code == 200
    assert "/ask" in httpx.get(f"{server}/openapi.json").json()["paths"]
