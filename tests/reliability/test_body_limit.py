"""Request bodies over KG_MAX_BODY_BYTES get 413 without being read into memory."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from search_api.http.security import BodyLimitMiddleware

LIMIT = 256 * 1024
BIG = LIMIT + 1024


def _chunks(total: int, size: int = 16 * 1024):
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        yield b"x" * n
        sent += n


def _assert_413(r: httpx.Response) -> None:
    assert r.status_code == 413, r.text[:200]
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["error"] == "too_large" and str(LIMIT) in body["detail"]


def test_oversized_ask_body_gets_413(client):
    question = "social value " * (BIG // 13)
    r = client.post("/ask", json={"question": question})
    _assert_413(r)


def test_oversized_sparql_bodies_get_413(client):
    query = "ASK { ?s ?p ?o } #" + "x" * BIG
    r = client.post(
        "/sparql",
        content=query,
        headers={"content-type": "application/sparql-query"},
    )
    _assert_413(r)
    r = client.post("/sparql", data={"query": query})
    _assert_413(r)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("path", "content_type"),
    (("/ask", "application/json"), ("/sparql", "application/sparql-query")),
)
def test_oversized_chunked_bodies_get_413(live_server, path, content_type):
    """No Content-Length: the server counts the streamed bytes and stops at the limit.

    Over a real socket: TestClient reads a streamed body whole before the app sees any of it.
    """
    r = httpx.post(
        live_server + path,
        content=_chunks(BIG * 4),
        headers={"content-type": content_type},
        timeout=30,
    )
    assert "content-length" not in r.request.headers
    _assert_413(r)


def test_bodies_within_the_limit_still_work(client):
    r = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and r.json()["boolean"] is True
    r = client.post("/ask", json={"question": "Can we reserve a contract?", "k": 2})
    assert r.status_code == 200
    # A question under the body limit but over the question limit is an invalid parameter (the
    # schema's maxLength), not a body too large.
    r = client.post("/ask", json={"question": "social value " * 200})
    assert r.status_code == 422 and "characters" in r.json()["detail"]


def _limited_app(limit: int) -> tuple[BodyLimitMiddleware, dict]:
    """A bare ASGI app that reads its whole body, behind the limit."""
    seen = {"app_called": 0}

    async def echo(scope, receive, send):
        seen["app_called"] += 1
        size, more = 0, True
        while more:
            message = await receive()
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(size).encode()})

    return BodyLimitMiddleware(echo, limit), seen


async def _call(app, headers: list[tuple[bytes, bytes]], chunks: int, chunk_size: int):
    """Drive the ASGI app with a body of ``chunks`` pieces; count how many it pulled."""
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        pulled += 1
        more = pulled < chunks
        return {"type": "http.request", "body": b"x" * chunk_size, "more_body": more}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    return pulled, sent


def test_a_declared_length_over_the_limit_is_refused_unread():
    app, seen = _limited_app(1000)
    pulled, sent = asyncio.run(_call(app, [(b"content-length", b"1000000")], 1000, 1000))
    assert pulled == 0 and seen["app_called"] == 0
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"] == "too_large"


def test_a_streamed_body_is_read_only_up_to_the_limit():
    app, seen = _limited_app(10_000)
    # A client that would stream 1 GB in 1 kB pieces: reading stops just past the limit.
    pulled, sent = asyncio.run(_call(app, [], 1_000_000, 1000))
    assert pulled == 11 and seen["app_called"] == 1
    assert sent[0]["status"] == 413
    assert json.loads(sent[-1]["body"])["error"] == "too_large"


def test_a_body_at_the_limit_passes():
    app, _ = _limited_app(10_000)
    pulled, sent = asyncio.run(_call(app, [(b"content-length", b"10000")], 10, 1000))
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"10000"
