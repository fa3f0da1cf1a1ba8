"""Security headers on every response, and a bound on request bodies.

``SecurityHeadersMiddleware``: every response says ``nosniff`` and a Referrer-Policy; HTML pages
get a Content-Security-Policy that runs only the service's own script files (no inline script;
the YASGUI query page at /sparql may set inline styles),
``X-Frame-Options: DENY`` and ``Cross-Origin-Resource-Policy: same-origin``. The embeddable
widget (``/widget.js``) and ``/static/*`` stay loadable from any origin with a ``<script src>``
(``Cross-Origin-Resource-Policy: cross-origin``, no framing rule). The interactive API docs
(/docs, /redoc) load FastAPI's Swagger UI and ReDoc from their CDN and carry one inline script:
they get a policy allowing that CDN and exactly that script, by its hash. A header a route set
itself is left as it is.

``BodyLimitMiddleware``: a request body over ``max_bytes`` gets 413 with the service's JSON error
shape. A declared Content-Length over the limit is refused before anything is read; a body
without one (chunked) is counted as it streams and refused as soon as it passes the limit, so
an oversized body is never held in memory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The query page runs YASGUI, whose editor and result views set inline styles (scripts stay
# the service's own files only).
QUERY_PAGE_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
QUERY_PAGE_PATHS = ("/sparql",)
# Swagger UI and ReDoc as FastAPI serves them: scripts and styles from jsDelivr, ReDoc's fonts
# from Google Fonts and its web worker from a blob; the inline script is allowed by hash only.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' https://cdn.jsdelivr.net{hashes}; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")
CROSS_ORIGIN_PATHS = ("/widget.js",)
CROSS_ORIGIN_PREFIXES = ("/static/",)
REFERRER_POLICY = "strict-origin-when-cross-origin"
INLINE_SCRIPT_RE = re.compile(
    r"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') of every inline script of a page."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'"
        for m in INLINE_SCRIPT_RE.finditer(html)
    ]


class SecurityHeadersMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        page_csp: str = PAGE_CSP,
        docs_paths: tuple[str | None, ...] = DOCS_PATHS,
    ) -> None:
        self.app = app
        self.page_csp = page_csp
        self.docs_paths = frozenset(p for p in docs_paths if p)

    def _secure(self, path: str, message: Message, csp: str) -> None:
        message.setdefault("headers", [])
        headers = MutableHeaders(scope=message)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        cross_origin = path in CROSS_ORIGIN_PATHS or path.startswith(CROSS_ORIGIN_PREFIXES)
        if cross_origin:
            headers.setdefault("Cross-Origin-Resource-Policy", "cross-origin")
        if headers.get("content-type", "").lower().startswith("text/html"):
            headers.setdefault("Content-Security-Policy", csp)
            headers.setdefault("X-Frame-Options", "DENY")
            headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path in self.docs_paths:
            await self._docs(scope, receive, send)
            return

        csp = QUERY_PAGE_CSP if path in QUERY_PAGE_PATHS else self.page_csp

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._secure(path, message, csp)
            await send(message)

        await self.app(scope, receive, send_secured)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hold the (small) docs page until its inline scripts can be hashed into the policy."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_hashed(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            hashes = inline_script_hashes(body.decode("utf-8", errors="replace"))
            csp = DOCS_CSP.format(hashes="".join(" " + h for h in hashes))
            self._secure(scope["path"], start, csp)
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_hashed)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit; an HTTPException, so the
    app's own error handler answers it (FastAPI re-raises HTTPExceptions met reading a body)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_detail(limit))


async def send_json_error(
    send: Send,
    status: int,
    error: str,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """A JSON error answered by a middleware, in the same shape as the app's own errors."""
    body = json.dumps({"error": error, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def too_large_detail(limit: int) -> str:
    return f"the request body is over the limit of {limit} bytes"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        await send_json_error(
            send, 413, "too_large", too_large_detail(self.max_bytes), [(b"connection", b"close")]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = None
                if declared is not None and declared > self.max_bytes:
                    await self._refuse(send)
                    return
        received = 0
        started = False

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive_limited, send_tracked)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(send)
