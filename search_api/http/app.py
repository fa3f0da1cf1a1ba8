"""The FastAPI application: routes, error shapes, and the build it serves."""

from __future__ import annotations

import contextlib
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Scope

from kg.build import BuildError
from kg.config import PROJECT_ROOT, Settings, get_settings
from kg.query_runner import QueryRunner
from kg.store import StoreError

from ..core.service import SearchService
from ..core.sparql_service import SparqlService
from .cors import CorsMiddleware
from .openapi import COMMON, errors, install
from .queries import load_examples
from .ratelimit import RateLimitMiddleware
from .routes import ask, graph, linked_data, sparql, system
from .security import BodyLimitMiddleware, SecurityHeadersMiddleware

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, service: SearchService | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Without a build, /health and every route answer 503 until one is published.
        with contextlib.suppress(BuildError):
            app.state.service.warm_up()
            if app.state.query_runner is not None:
                snapshot = app.state.service.snapshot()
                app.state.query_runner.warm(str(snapshot.graph_path))
        yield
        if app.state.query_runner is not None:
            app.state.query_runner.close()

    app = FastAPI(
        title="Procurement to Partnership knowledge graph",
        description="Cited answers, passage search and SPARQL over the From Procurement to "
        "Partnership toolkit and the procurement law it relies on.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = service or SearchService(settings)
    app.state.query_runner = (
        QueryRunner(settings.sparql_workers, settings.sparql_timeout_s)
        if settings.sparql_workers > 0 and not settings.graph_store
        else None  # a remote store runs (and time-limits) queries itself
    )
    app.state.sparql = SparqlService(app.state.service, app.state.query_runner)
    app.state.example_queries = load_examples(PROJECT_ROOT / "queries")
    # Added last runs first: security headers, then CORS (so a 429 or 413 still reaches the
    # widget on another site readably), then the per-client rate limit, then the body limit.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_limit_per_minute,
        burst=settings.rate_limit_burst,
        max_clients=settings.rate_limit_max_clients,
        trust_proxy=settings.trust_proxy,
    )
    app.add_middleware(CorsMiddleware, origins=settings.cors_origins)
    app.add_middleware(
        SecurityHeadersMiddleware,
        docs_paths=(app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url),
    )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # every method of the path, not only the first route's
            headers["Allow"] = ", ".join(_methods(app, request.scope))
        return JSONResponse(
            {"error": _name(exc.status_code), "detail": str(exc.detail)},
            status_code=exc.status_code,
            headers=headers or None,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p not in ('query', 'body'))}: {e['msg']}"
            for e in exc.errors()
        )
        return JSONResponse({"error": "invalid_request", "detail": problems}, status_code=422)

    @app.exception_handler(BuildError)
    async def no_build(request: Request, exc: BuildError) -> JSONResponse:
        return JSONResponse({"error": "no_build", "detail": str(exc)}, status_code=503)

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> JSONResponse:
        # A graph store that cannot be reached (a remote server down) is the service's
        # trouble, said as such: 503 with what failed, not an unexplained 500.
        if exc.status < 500:
            return JSONResponse(
                {"error": "invalid_request", "detail": str(exc)}, status_code=exc.status
            )
        return JSONResponse(
            {
                "error": "graph_store_unavailable",
                "detail": f"the graph store did not answer: {exc}",
            },
            status_code=exc.status,
        )

    for router in (system.router, ask.router, sparql.router, linked_data.router, graph.router):
        app.include_router(router, responses=errors(*COMMON))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install(app, settings)
    return app


def _methods(app: FastAPI, scope: Scope) -> list[str]:
    """The methods some route answers at this request's path, for ``Allow``."""
    return [
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(r.matches({**scope, "method": method})[0] == Match.FULL for r in app.router.routes)
    ]


def _name(status: int) -> str:
    return {
        400: "bad_request",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        406: "not_acceptable",
        413: "too_large",
        415: "unsupported_media_type",
        422: "invalid_request",
        429: "too_many_requests",
        503: "unavailable",
    }.get(status, "error")
