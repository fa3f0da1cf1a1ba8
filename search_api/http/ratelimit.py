"""Rate limiting per client address: a token bucket each, refilled steadily, bounded in memory.

Every client (its IP address; an IPv6 client by its /64, which one host can rotate through)
holds a bucket of ``burst`` tokens refilled at ``per_minute / 60`` a second. A request takes a
token; a client with none left gets 429 with ``Retry-After`` (whole seconds until its next token)
and the service's JSON error shape. ``/health`` is never limited, so probes keep working.

Memory stays bounded: buckets are kept in least-recently-seen order, a bucket idle long enough
to have refilled completely is dropped (a new one starts full, so nothing is lost), and past
``max_clients`` the least recently seen go first.

``X-Forwarded-For`` names the client only when the operator says a proxy sits in front
(KG_TRUST_PROXY); then the right-most address, the one the nearest proxy saw, is used, since
anything left of it is whatever the client chose to send.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from .security import send_json_error

EXEMPT_PATHS = frozenset({"/health"})


@dataclass
class TokenBuckets:
    """One token bucket per key; ``take`` answers how long the key must wait (0: go ahead)."""

    per_minute: int
    burst: int = 0
    max_clients: int = 10_000
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        if self.per_minute <= 0:
            raise ValueError("per_minute must be positive (0 means no limit: use no buckets)")
        self.rate = self.per_minute / 60.0  # tokens a second
        self.capacity = float(self.burst if self.burst > 0 else self.per_minute)
        self.max_clients = max(1, self.max_clients)
        # key -> (tokens left, when last updated), least recently seen first
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._full_after = self.capacity / self.rate  # seconds for an empty bucket to refill

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        now = self.clock()
        self._evict_idle(now)
        entry = self._buckets.pop(key, None)
        if entry is None:
            tokens = self.capacity
        else:
            tokens = min(self.capacity, entry[0] + max(0.0, now - entry[1]) * self.rate)
        if tokens >= 1.0:
            tokens -= 1.0
            wait = 0.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait

    def _evict_idle(self, now: float) -> None:
        while self._buckets:
            key, (_, last) = next(iter(self._buckets.items()))
            if now - last < self._full_after:
                break
            del self._buckets[key]


def _normalise(address: str) -> str | None:
    """The bucket key of an address: IPv4 as is, IPv6 by its /64; None if not an address."""
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def client_key(scope: Scope, trust_proxy: bool) -> str:
    """Who is asking: the peer address, or the nearest proxy's X-Forwarded-For entry."""
    if trust_proxy:
        values = [
            v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-forwarded-for"
        ]
        hops = [h for h in ",".join(values).split(",") if h.strip()]
        if hops:
            key = _normalise(hops[-1])
            if key is not None:
                return key
    client = scope.get("client")
    if client and client[0]:
        return _normalise(str(client[0])) or str(client[0])
    return "unknown"


class RateLimitMiddleware:
    """ASGI middleware: 429 for a client over its rate; ``per_minute=0`` passes everything."""

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int,
        burst: int = 0,
        max_clients: int = 10_000,
        trust_proxy: bool = False,
        exempt: frozenset[str] | set[str] = EXEMPT_PATHS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.trust_proxy = trust_proxy
        self.exempt = frozenset(exempt)
        self.buckets = (
            TokenBuckets(per_minute, burst, max_clients, clock) if per_minute > 0 else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.buckets is None or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(client_key(scope, self.trust_proxy))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        buckets = self.buckets
        detail = (
            f"rate limit: {buckets.per_minute} requests a minute per client "
            f"(bursts of up to {int(buckets.capacity)}); retry after {retry_after} s"
        )
        await send_json_error(
            send, 429, "too_many_requests", detail, [(b"retry-after", str(retry_after).encode())]
        )
