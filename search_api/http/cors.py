"""Cross-origin rules: read-only data routes are open to every origin; answers to an allow-list.

Researchers query /sparql and entity IRIs from notebooks and YASGUI on other origins; the search
widget calls /ask and /search from the sites that embed it, which the operator lists in
KG_CORS_ORIGINS. Nothing else is exposed to other origins, and only GET is, but for POST to
/sparql: a query sent by POST (a form, as YASGUI sends it, or application/sparql-query) reads no
more than one sent by GET. An update needs ``Authorization: Bearer <token>``, a header no
preflight here allows, so a page on another origin cannot send one with the token.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

OPEN_PREFIXES = ("/sparql", "/id/", "/ontology", "/dumps", "/vocabulary")
ALLOW_LIST_PREFIXES = ("/ask", "/search")
POST_PATHS = ("/sparql",)
READ_METHODS = ("GET", "HEAD")
ALLOWED_HEADERS = ("accept", "content-type")


class CorsMiddleware:
    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.origins = set(origins)

    def _allowed(self, path: str, origin: str) -> str | None:
        if path.startswith(OPEN_PREFIXES):
            return "*"
        if path.startswith(ALLOW_LIST_PREFIXES):
            if "*" in self.origins:
                return "*"
            if origin in self.origins:
                return origin
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        origin = headers.get("origin")
        allowed = self._allowed(scope["path"], origin) if origin else None
        method = scope["method"]
        methods = READ_METHODS + (("POST",) if scope["path"] in POST_PATHS else ())
        if origin and method == "OPTIONS" and "access-control-request-method" in headers:
            asked = {
                h.strip().lower()
                for h in headers.get("access-control-request-headers", "").split(",")
                if h.strip()
            }
            ok = (
                allowed
                and headers["access-control-request-method"] in methods
                and asked <= set(ALLOWED_HEADERS)
            )
            response_headers = [(b"vary", b"Origin")]
            if ok:
                response_headers += [
                    (b"access-control-allow-origin", allowed.encode()),
                    (b"access-control-allow-methods", ", ".join(methods).encode()),
                    (b"access-control-allow-headers", b"Accept, Content-Type"),
                    (b"access-control-max-age", b"600"),
                ]
            await send(
                {
                    "type": "http.response.start",
                    "status": 204 if ok else 403,
                    "headers": response_headers,
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and allowed and method in methods:
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (b"access-control-allow-origin", allowed.encode()),
                    (b"vary", b"Origin"),
                ]
            await send(message)

        await self.app(scope, receive, send_with_cors)
