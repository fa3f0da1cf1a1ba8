"""Rate limiting per client: the token buckets, the middleware, and a real server over HTTP."""

from __future__ import annotations

import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from search_api.http.ratelimit import RateLimitMiddleware, TokenBuckets, client_key


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_says_how_long_to_wait():
    clock = FakeClock()
    buckets = TokenBuckets(per_minute=60, burst=3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)  # one token a second
    assert buckets.take("b") == 0.0  # another client has its own bucket
    clock.now += 1.0
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0


def test_the_burst_defaults_to_the_per_minute_figure():
    buckets = TokenBuckets(per_minute=5, burst=0, clock=FakeClock())
    assert [buckets.take("a") for _ in range(6)][-2:] == [0.0, pytest.approx(12.0)]


def test_idle_clients_are_forgotten_and_memory_is_capped():
    clock = FakeClock()
    buckets = TokenBuckets(per_minute=60, burst=2, max_clients=100, clock=clock)
    for i in range(100):
        buckets.take(f"10.0.0.{i}")
    assert len(buckets) == 100
    buckets.take("10.0.1.1")  # over the cap: the least recently seen goes
    assert len(buckets) == 100
    clock.now += 2.0  # every bucket has refilled: all equivalent to a fresh one
    buckets.take("10.0.2.2")
    assert len(buckets) == 1


def test_zero_per_minute_means_no_buckets():
    with pytest.raises(ValueError):
        TokenBuckets(per_minute=0)
    assert RateLimitMiddleware(None, per_minute=0).buckets is None


def _scope(client: str, xff: str | None = None) -> dict:
    headers = [(b"x-forwarded-for", xff.encode())] if xff is not None else []
    return {"type": "http", "path": "/ask", "client": (client, 5000), "headers": headers}


def test_forwarded_for_is_trusted_only_when_configured():
    scope = _scope("127.0.0.1", "203.0.113.9, 198.51.100.7")
    assert client_key(scope, trust_proxy=False) == "127.0.0.1"
    assert client_key(scope, trust_proxy=True) == "198.51.100.7"  # the nearest proxy's view
    assert client_key(_scope("127.0.0.1", "not an address"), trust_proxy=True) == "127.0.0.1"
    assert client_key(_scope("127.0.0.1", ""), trust_proxy=True) == "127.0.0.1"
    assert client_key(_scope("127.0.0.1", "[2001:db8::1]:443"), True) == "2001:db8::/64"


def test_ipv6_clients_share_a_bucket_per_64():
    assert client_key(_scope("2001:db8:0:1::1"), False) == client_key(
        _scope("2001:db8:0:1::ff"), False
    )
    assert client_key(_scope("2001:db8:0:1::1"), False) != client_key(
        _scope("2001:db8:0:2::1"), False
    )
    assert client_key(_scope("::ffff:192.0.2.1"), False) == "192.0.2.1"


def _app(**options) -> TestClient:
    async def ok(request):
        return PlainTextResponse("ok")

    inner = Starlette(routes=[Route("/health", ok), Route("/ask", ok)])
    return TestClient(RateLimitMiddleware(inner, **options))


def test_middleware_answers_429_with_retry_after_and_exempts_health():
    client = _app(per_minute=2, burst=1)
    assert client.get("/ask").status_code == 200
    limited = client.get("/ask")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "30"
    assert limited.json()["error"] == "too_many_requests"
    assert "2 requests a minute" in limited.json()["detail"]
    assert all(client.get("/health").status_code == 200 for _ in range(5))


def test_spoofed_forwarded_for_does_not_buy_a_new_bucket_unless_trusted():
    client = _app(per_minute=2, burst=1)
    assert client.get("/ask", headers={"x-forwarded-for": "192.0.2.1"}).status_code == 200
    assert client.get("/ask", headers={"x-forwarded-for": "192.0.2.2"}).status_code == 429
    trusting = _app(per_minute=2, burst=1, trust_proxy=True)
    assert trusting.get("/ask", headers={"x-forwarded-for": "192.0.2.1"}).status_code == 200
    assert trusting.get("/ask", headers={"x-forwarded-for": "192.0.2.2"}).status_code == 200
    assert trusting.get("/ask", headers={"x-forwarded-for": "192.0.2.2"}).status_code == 429


@pytest.mark.e2e
def test_a_real_server_answers_429_with_retry_after(limited_server):
    url = f"{limited_server}/sparql/examples"
    with httpx.Client(timeout=10) as client:
        statuses = []
        limited = None
        for _ in range(10):
            r = client.get(url)
            statuses.append(r.status_code)
            if r.status_code == 429:
                limited = r
        assert statuses[:3] == [200, 200, 200], statuses
        assert limited is not None, statuses
        retry_after = limited.headers["retry-after"]
        assert retry_after.isdigit() and 1 <= int(retry_after) <= 2
        body = limited.json()
        assert body["error"] == "too_many_requests" and "30 requests a minute" in body["detail"]
        assert limited.headers["content-type"].startswith("application/json")
        assert limited.headers["x-content-type-options"] == "nosniff"
        # Health probes are never limited.
        assert all(client.get(f"{limited_server}/health").status_code == 200 for _ in range(5))
        time.sleep(int(retry_after) + 0.2)
        assert client.get(url).status_code == 200


@pytest.mark.e2e
def test_a_real_server_ignores_forwarded_for_unless_trusted(limited_server):
    with httpx.Client(timeout=10) as client:
        statuses = [
            client.get(
                f"{limited_server}/sparql/examples",
                headers={"x-forwarded-for": f"192.0.2.{i}"},
            ).status_code
            for i in range(1, 6)
        ]
    assert 429 in statuses, statuses
